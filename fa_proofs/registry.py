"""The claim registry: every checked statement of the paper, under the paper's own label.

Ids are the paper's labels in lower case (``thm2``, ``lem12``, ``eq55``); a case of a claim is a
suffix after a dot (``thm3.delta_pos``).  Appendix restatements are aliases (``thm11`` is
``thm2``).  Selecting a claim also selects its cases.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np

from .errors import UsageError
from .profiles import Profile
from .verdicts import Outcome


@dataclass(frozen=True)
class RunContext:
    """Everything a verification function may depend on: the profile and the seed."""

    profile: Profile
    seed: int = 0

    def rng(self, key: str) -> np.random.Generator:
        """A generator seeded from (seed, key): a claim's samples do not depend on what else runs."""
        digest = hashlib.sha256(f"{self.seed}:{key}".encode()).digest()
        return np.random.default_rng(int.from_bytes(digest[:8], "little"))


@dataclass(frozen=True)
class Formula:
    """A derived formula for the LaTeX report, tied to the paper's equation number."""

    label: str          # e.g. "(55)"
    description: str
    latex: Callable[[], str]   # produced with sympy.latex from the one SymPy definition


@dataclass(frozen=True)
class Claim:
    id: str
    title: str
    location: str
    statement: str
    verify: Callable[[RunContext], Outcome]
    aliases: tuple[str, ...] = ()
    formulas: tuple[Formula, ...] = field(default=())


_CLAIMS: dict[str, Claim] = {}
_ALIASES: dict[str, str] = {}


def register(claim: Claim) -> Claim:
    if claim.id in _CLAIMS or claim.id in _ALIASES:
        raise ValueError(f"claim id {claim.id!r} registered twice")
    _CLAIMS[claim.id] = claim
    for alias in claim.aliases:
        _ALIASES[alias] = claim.id
    return claim


def claim(id: str, title: str, location: str, statement: str, aliases: Iterable[str] = (),
          formulas: Iterable[Formula] = ()) -> Callable[[Callable[[RunContext], Outcome]], Claim]:
    """Decorator: register a verification function as the check of claim ``id``."""

    def wrap(fn: Callable[[RunContext], Outcome]) -> Claim:
        return register(Claim(id, title, location, statement.strip(), fn, tuple(aliases),
                              tuple(formulas)))

    return wrap


def _load() -> None:
    from .sections import load_all
    load_all()


def all_claims() -> list[Claim]:
    _load()
    return list(_CLAIMS.values())


def canonical_id(name: str) -> str:
    """Resolve an id or alias (also for cases: ``thm11.lambda_zero`` -> ``thm2.lambda_zero``)."""
    _load()
    key = name.strip().lower()
    head, dot, tail = key.partition(".")
    head = _ALIASES.get(head, head)
    key = head + dot + tail
    key = _ALIASES.get(key, key)
    if key not in _CLAIMS:
        raise UsageError(f"unknown claim id {name!r}; 'fa-proofs list' shows the ids")
    return key


def get(name: str) -> Claim:
    return _CLAIMS[canonical_id(name)]


def select(names: Iterable[str]) -> list[Claim]:
    """The claims named (with their cases), in registry order; all claims when none is named."""
    names = list(names)
    claims = all_claims()
    if not names:
        return claims
    wanted = {canonical_id(n) for n in names}
    return [c for c in claims
            if c.id in wanted or c.id.split(".")[0] in wanted]
