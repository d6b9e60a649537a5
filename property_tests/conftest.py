"""Hypothesis profiles and the run context shared by the property tests.

Profiles (their sizes come from :data:`fa_proofs.profiles.HYPOTHESIS_EXAMPLES`, the same names as
``fa-proofs verify --profile``):

* ``ci``   deterministic (``derandomize``), no deadline, the fast default;
* ``dev``  more examples, random;
* ``fuzz`` the deep, opt-in search (``FA_PROOFS_PROFILE=fuzz``).

Selection: ``ci`` whenever the environment variable ``CI`` is set (non-empty); otherwise the profile
named by ``FA_PROOFS_PROFILE``, which defaults to ``ci`` so that a bare ``pytest`` stays fast.

Tests marked ``slow`` (high-precision mpmath trajectories, a verification function that needs most
of a minute) are skipped under ``ci`` unless ``FA_PROOFS_SLOW=1``; they always run under ``dev`` and
``fuzz``.
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from fa_proofs.profiles import HYPOTHESIS_EXAMPLES, get_profile
from fa_proofs.engine import Run

_COMMON = dict(deadline=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

settings.register_profile("ci", derandomize=True, max_examples=HYPOTHESIS_EXAMPLES["ci"],
                          **_COMMON)
settings.register_profile("dev", max_examples=HYPOTHESIS_EXAMPLES["dev"], **_COMMON)
settings.register_profile("fuzz", max_examples=HYPOTHESIS_EXAMPLES["fuzz"], **_COMMON)


def profile_name() -> str:
    """The profile of this run: ``ci`` under CI, else ``$FA_PROOFS_PROFILE`` (default ``ci``)."""
    if os.environ.get("CI"):
        return "ci"
    name = os.environ.get("FA_PROOFS_PROFILE", "").strip() or "ci"
    if name not in HYPOTHESIS_EXAMPLES:
        raise pytest.UsageError(f"FA_PROOFS_PROFILE={name!r}: choose one of "
                                f"{', '.join(HYPOTHESIS_EXAMPLES)}")
    return name


PROFILE_NAME = profile_name()
settings.load_profile(PROFILE_NAME)


def run_slow() -> bool:
    return PROFILE_NAME != "ci" or os.environ.get("FA_PROOFS_SLOW", "") not in ("", "0")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: high-precision or long checks; skipped under the ci "
                                       "profile unless FA_PROOFS_SLOW=1")


def pytest_report_header(config: pytest.Config) -> str:
    return (f"fa-proofs profile: {PROFILE_NAME} (hypothesis max_examples "
            f"{HYPOTHESIS_EXAMPLES[PROFILE_NAME]}; slow tests {'on' if run_slow() else 'off'})")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if run_slow():
        return
    skip = pytest.mark.skip(reason="slow: runs under FA_PROOFS_PROFILE=dev/fuzz or FA_PROOFS_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def fa_profile_name() -> str:
    return PROFILE_NAME


@pytest.fixture(scope="session")
def run_context() -> Run:
    """A run of the library's profile of the same name as the Hypothesis profile, seed 0."""
    return Run(get_profile(PROFILE_NAME), 0)


@pytest.fixture(autouse=True)
def _reset_global_precision():
    """No test sees a precision another test left behind (python-flint, mpmath)."""
    from fa_proofs.arith import reset_global_state
    reset_global_state()
    yield
    reset_global_state()
