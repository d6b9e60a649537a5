"""What the whole-domain test files share: no certificate cache, a claim's whole-domain check run
on its own, and the replay of the counterexample it reports through the claim's own check at that
point (with a mutated claim standing in for the registered one while it replays)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest

from fa_proofs.engine import Run
from fa_proofs.engine.replay import Replayed, Saved, replay_one
from fa_proofs.engine.run import run_check
from fa_proofs.profiles import get_profile

PROFILE = get_profile("ci")


@pytest.fixture(autouse=True)
def no_certificate_cache(monkeypatch):
    """Every proof is certified from scratch (no cached certificate)."""
    monkeypatch.setenv("FA_PROOFS_CERTS", "")


def whole(claim, name: str, variant: str = "printed"):
    """The one result of the claim's check ``name`` (a whole-domain proof) on its own."""
    check, _ = claim.check(name, variant)
    [res] = run_check(claim, check, claim.statement_of(variant), variant, Run(PROFILE, 0))
    return res


@contextmanager
def registered(claim) -> Iterator[None]:
    """``claim`` (e.g. a mutant) stands in for the registered claim of its id."""
    import fa_proofs.registry as reg
    orig = reg._CLAIMS[claim.id]
    reg._CLAIMS[claim.id] = claim
    try:
        yield
    finally:
        reg._CLAIMS[claim.id] = orig


def replay(claim, name: str, variant: str, params: dict, relation: str) -> Replayed:
    """A saved counterexample of ``claim``'s check ``name``, replayed with ``claim`` registered."""
    with registered(claim):
        return replay_one(Saved(claim.id, name, variant, dict(params), relation), PROFILE)


def replays(claim, name: str, variant: str, res) -> Replayed:
    """The counterexample of a whole-domain result, replayed through the claim's own check."""
    cx = res.counterexample
    return replay(claim, name, variant, cx.params, cx.relation)
