"""Whole-domain proofs of Section 3's statements under (11), L = 2..6
(:mod:`fa_proofs.sections.deep.whole_domain`, :mod:`fa_proofs.rate_proofs`): Theorem 5's rate
and (84)'s convergence pass with certificates that re-check; a faster rate (at every depth, or
only at L = 6) and a wrong limit are refuted at a certified point that replays as a
counterexample through the claim's own check; a slower rate holds; wrong layer constants leave
the proof unproved."""
from __future__ import annotations

import pytest
import sympy as sp

from fa_proofs.certificates import recheck_document
from fa_proofs.profiles import get_profile
from fa_proofs.registry import get
from fa_proofs.sections.deep import formulas as F
from fa_proofs.verdicts import Evidence, Status

import whole_domain_runs as W
from whole_domain_runs import no_certificate_cache  # noqa: F401  (autouse)

PROFILE = get_profile("ci")
NAME = {"thm5": "rate over the whole domain (L = 2..6)",
        "eq84": "convergence over the whole domain (L = 2..6)"}


def whole(claim, name: str):
    return W.whole(claim, name)


def _replays(cid, claim, res) -> None:
    replayed = W.replays(claim, NAME[cid], "printed", res)
    assert replayed.certified, replayed.reason


@pytest.mark.parametrize("cid", sorted(NAME))
def test_proved_over_the_whole_domain(cid):
    res = whole(get(cid), NAME[cid])
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note
    assert recheck_document(res.certificate)[0]


@pytest.mark.parametrize("factor,depth", [(sp.Integer(2), 2),
                                          # gamma/31 > 1 only at L = 6 (gamma = 63)
                                          (F.gamma / 31, 6)])
def test_a_faster_rate_is_refuted_and_replays(factor, depth):
    claim = get("thm5").mutant(rate=F.PRINTED_RATE * factor)
    res = whole(claim, NAME["thm5"])
    assert res.status is Status.FAIL, res.note
    assert res.counterexample.evidence in (Evidence.EXACT, Evidence.BALL)
    assert int(res.counterexample.params["L"]) == depth
    _replays("thm5", claim, res)


def test_a_slower_rate_still_holds():
    res = whole(get("thm5").mutant(rate=F.PRINTED_RATE / 2), NAME["thm5"])
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note


def test_a_rate_that_does_not_reduce_is_undecided():
    res = whole(get("thm5").mutant(rate=F.PRINTED_RATE + F.lam), NAME["thm5"])
    assert res.status is Status.UNDECIDED and "does not reduce" in res.note


def test_a_wrong_limit_is_refuted_and_replays():
    claim = get("eq84").mutant(limit=2 * F.PRINTED_EQ88_R)
    res = whole(claim, NAME["eq84"])
    assert res.status is Status.FAIL and "stated limit <= r" in res.counterexample.relation
    _replays("eq84", claim, res)


def test_wrong_layer_constants_are_not_proved():
    """(11) with C_l doubled (l >= 2): theta_1' != d_1 (lam - product), the identity fails."""
    def doubled(L):
        return (sp.Integer(1),) + tuple(2 * c for c in F.closed_constants(L)[1:])
    for cid in NAME:
        res = whole(get(cid).mutant(constants=doubled), NAME[cid])
        assert res.status is not Status.PASS, res.note
