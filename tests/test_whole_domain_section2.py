"""Whole-domain proofs of Section 2's rate statements (:mod:`fa_proofs.sections.shallow.
whole_domain`, :mod:`fa_proofs.rate_proofs`): each passes with a certificate that re-checks; a
faster rate (or a wrong exponent) is refuted over the whole domain at a certified point that
replays as a counterexample through the claim's own rate check; a slower rate still holds; a
statement that does not reduce to the dimensionless parameters stays undecided."""
from __future__ import annotations

import pytest
import sympy as sp

from fa_proofs.certificates import recheck_document
from fa_proofs.engine import Run
from fa_proofs.engine.run import run_check
from fa_proofs.profiles import get_profile
from fa_proofs.registry import get
from fa_proofs.sections.shallow import formulas as F
from fa_proofs.verdicts import Evidence, Status

import whole_domain_runs as W
from whole_domain_runs import no_certificate_cache  # noqa: F401  (autouse)

PROFILE = get_profile("ci")
d, lam, r, K, rs, rd = F.d, F.lam, F.r, F.K, F.rs, F.rd

PROOFS = [("thm2", "rate (41) over the whole domain"),
          ("eq47", "rate (46)-(47) over the whole domain"),
          ("thm3.delta_pos", "rates (60)-(61) over the whole domain"),
          ("eq61", "rates (60)-(61) over the whole domain"),
          ("thm3.delta_neg", "rate (64) over the whole domain"),
          ("eq64", "rate (64) over the whole domain"),
          ("thm3.delta_zero", "rate and exponent (67)-(71) over the whole domain"),
          ("thm3.lambda_zero", "rates and exponent over the whole domain"),
          ("thm2.lambda_zero", "exponent over the whole domain"),
          ("eq72", "exponent over the whole domain"),
          ("rem13", "rate (3/2) r^2 over the whole domain (r of either sign)")]
NAME = dict(PROOFS)


def whole(claim, name: str):
    return W.whole(claim, name)


@pytest.mark.parametrize("cid,name", PROOFS)
def test_rates_proved_over_the_whole_domain(cid, name):
    res = whole(get(cid), name)
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note
    assert recheck_document(res.certificate)[0]


MUTANTS = [
    # the alternative OCR reading 3 (d lam)^(2/3) of (41): faster than (3/2) r^2 (arb)
    ("thm2", {"rate": 3 * (d * lam) ** sp.Rational(2, 3)}),
    ("eq47", {"rate": 2 * r**2}),
    # the rates towards r3 and r1 exchanged
    ("thm3.delta_pos", {"rate_r1": F.PRINTED_EQ61_RATE_R3}),
    ("eq61", {"rate_r3": 2 * F.PRINTED_EQ61_RATE_R3}),
    ("thm3.delta_neg", {"rate": F.PRINTED_EQ64_RATE * sp.Rational(11, 10)}),
    ("eq64", {"rate": F.PRINTED_EQ64_RATE * sp.Rational(11, 10)}),
    ("thm3.delta_zero", {"rate": (rs - rd) ** 2}),
    ("thm3.lambda_zero", {"rate_kneg": -4 * d * K}),
    ("thm3.lambda_zero", {"rate_kpos": 2 * d * K}),
    # the reading t^-2 of 'O(t-2)'
    ("thm2.lambda_zero", {"exponent": sp.Integer(2)}),
    ("eq72", {"exponent": sp.Integer(2)}),
    ("rem13", {"rate": 2 * r**2}),
]


def _replays(cid, claim, res) -> None:
    _replays_at(cid, claim, dict(res.counterexample.params), res.counterexample.relation)


def _replays_at(cid, claim, params, relation) -> None:
    replayed = W.replay(claim, NAME[cid], "printed", params, relation)
    assert replayed.certified, replayed.reason


@pytest.mark.parametrize("cid,parts", MUTANTS)
def test_a_faster_rate_is_refuted_and_replays(cid, parts):
    claim = get(cid).mutant(**parts)
    res = whole(claim, NAME[cid])
    assert res.status is Status.FAIL, res.note
    assert res.counterexample.evidence in (Evidence.EXACT, Evidence.BALL)
    _replays(cid, claim, res)


def test_a_wrong_exponent_towards_the_double_root_is_refuted():
    """Delta = 0, theta0 < rd: the product error is between two multiples of t^-2, so 'like
    t^(-3/2)' is refuted (the instance 'exponent >= 2')."""
    res = whole(get("thm3.delta_zero").mutant(exponent=sp.Rational(3, 2)), NAME["thm3.delta_zero"])
    assert res.status is Status.FAIL and "exponent >= m/(m-1) = 2" in res.counterexample.relation


@pytest.mark.parametrize("cid,parts", [
    ("thm2", {"rate": sp.Rational(3, 2) * (d * lam) ** sp.Rational(2, 3)}),   # not sharp, holds
    ("eq61", {"rate_r3": F.PRINTED_EQ61_RATE_R3 / 2}),
    ("thm2.lambda_zero", {"exponent": sp.Integer(1)})])
def test_a_slower_rate_still_holds(cid, parts):
    res = whole(get(cid).mutant(**parts), NAME[cid])
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note


def test_a_rate_that_does_not_reduce_is_undecided():
    res = whole(get("eq64").mutant(rate=r**2 + d * lam), NAME["eq64"])
    assert res.status is Status.UNDECIDED and "does not reduce" in res.note


def test_rem13_a_faster_rate_is_refuted_for_r_negative_too():
    """The branch r = -sigma < 0 (sign(d) != sign(lambda)): its instance is violated for a faster
    rate at a certified sigma, mapped to d < 0, lambda > 0, where the claim's own rate check
    (d, lambda of either sign) refutes it."""
    from fa_proofs.branch_bound import prove
    from fa_proofs.sections.shallow import whole_domain as W
    claim = get("rem13").mutant(rate=2 * r**2)
    proof = W.rem13_proof(claim.statement_of("printed"))
    [st] = [s for s in proof.steps if s.role == "instance" and "r = -sigma" in s.goal.name]
    out = prove(st.goal)
    assert out.violated
    params = proof.to_point(out.point, st)
    assert params["d"] < 0 < params["lam"]
    _replays_at("rem13", claim, {k: str(v) for k, v in params.items()}, st.goal.name)


def test_rem13_rate_check_at_points_of_either_sign():
    """The point check: the printed rate is the exact one symbolically; 2 r^2 fails at sampled
    points (ball arithmetic), whatever the signs of d and lambda."""
    claim = get("rem13")
    check, _ = claim.check("rate (3/2) r^2, d and lambda of either sign", "printed")
    [res] = run_check(claim, check, claim.statement_of("printed"), "printed", Run(PROFILE, 0))
    assert res.status is Status.PASS and res.evidence is Evidence.SYMBOLIC
    bad = claim.mutant(rate=2 * r**2)
    check, _ = bad.check("rate (3/2) r^2, d and lambda of either sign", "printed")
    [res] = run_check(bad, check, bad.statement_of("printed"), "printed", Run(PROFILE, 0))
    assert res.status is Status.FAIL and res.counterexample.evidence is Evidence.BALL
