"""Run profiles: how hard ``fa-proofs verify`` (and the property tests) look.

``ci`` is deterministic and fast (the default); ``dev`` samples more; ``fuzz`` is the deep, opt-in
search for counterexamples.  The Hypothesis profiles of the same names are registered in
``property_tests/conftest.py`` from :data:`HYPOTHESIS_EXAMPLES`.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError


@dataclass(frozen=True)
class Profile:
    name: str
    samples: int        # random parameter points per sampled numerical check
    hp_samples: int     # high-precision (mpmath) trajectories per check
    dps: int            # decimal digits for mpmath evaluations (>= 30)
    hypothesis_examples: int


PROFILES: dict[str, Profile] = {
    "ci": Profile("ci", samples=300, hp_samples=2, dps=30, hypothesis_examples=25),
    "dev": Profile("dev", samples=4000, hp_samples=6, dps=40, hypothesis_examples=200),
    "fuzz": Profile("fuzz", samples=40000, hp_samples=20, dps=50, hypothesis_examples=3000),
}

HYPOTHESIS_EXAMPLES = {name: p.hypothesis_examples for name, p in PROFILES.items()}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise UsageError(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}") from None
