"""Mutants for every Section 2 claim, as data: a row ``(claim id, {part: mutant value}, expected)``
runs the claim's own checks on the mutated statement, ``evaluate(get(id).mutant(**parts),
Run(get_profile("ci"), 0))``, and the printed statement of every claim gets its verdict.

``expected`` is a verdict, or ``"rejected"``: at least one certified failure whose counterexample
parameters are exact strings that SymPy reads back (``"rejected:<check>"``: a failure of that
check).  A mutant of a correction goes through ``claim.with_correction(**parts)``.
"""
from __future__ import annotations

from functools import lru_cache

import pytest
import sympy as sp

from fa_proofs.engine import Run, evaluate
from fa_proofs.engine.replay import Saved, replay_one
from fa_proofs.model import symbols as Y
from fa_proofs.profiles import get_profile
from fa_proofs.registry import get
from fa_proofs.sections.shallow import formulas as F
from fa_proofs.sections.shallow import matrix as Mx
from fa_proofs.verdicts import Status, Verdict

from mutant_rows import assert_outcome, describe, mutant

CI = get_profile("ci")
d, lam, K, th = Y.d, Y.lam, Y.K, Y.theta1
r, r1, r2, r3, rs, rd = Y.r, Y.r1, Y.r2, Y.r3, Y.rs, Y.rd

SECTION2 = ["prop1", "eq4", "eq5", "eq6", "thm2", "thm2.lambda_zero", "lem12", "rem13", "eq37",
            "eq40", "eq42", "eq47", "eq48", "thm3", "thm3.delta_pos", "lem14", "eq56", "eq61",
            "eq62", "eq63", "thm3.delta_neg", "eq64", "eq66", "eq67", "thm3.delta_zero", "lem16",
            "rem15", "thm3.lambda_zero", "eq72", "eq55", "fig1a"]
PRINTED = {cid: Verdict.HOLDS for cid in SECTION2} | {"eq5": Verdict.CORRECTED}


@lru_cache(maxsize=None)
def printed(cid: str):
    return evaluate(get(cid), Run(CI, 0))






# --- mutants --------------------------------------------------------------------------------------
def _flow3_sign(W1, W2, M, Sxx, Sxy):
    a, b = Mx.printed_eq3(W1, W2, M, Sxx, Sxy)
    return -a, b


def _flow4_no_lxx(W1, W2, D, Lxx, Lxy):
    E = Lxy - W2 @ W1
    return D @ E, E @ Mx.transpose(W1)


def _flow5_plus(W1, W2, Dt, Lt, D=None, S=None):
    E = Lt + W2 @ W1
    return Dt @ E, E @ Mx.transpose(W1)


def _eq5_wrong_fix(W1, W2, Dt, Lt, D=None, S=None):
    E = Lt - W2 @ W1
    return D @ S.inv() @ E @ S, E @ Mx.transpose(W1)


def _eq48_without_sign(theta, rr):
    generic = sp.Symbol("rho", real=True, nonzero=True)     # keeps sign() unevaluated
    return F.printed_eq48(theta, generic).replace(sp.sign, lambda a: sp.Integer(1)).subs(
        generic, rr)


def _eq56_all_plus(theta, a1, a2, a3):
    return (sp.log(sp.Abs(theta - a3)) / ((a3 - a2) * (a3 - a1))
            + sp.log(sp.Abs(theta - a2)) / ((a3 - a2) * (a2 - a1))
            + sp.log(sp.Abs(theta - a1)) / ((a3 - a1) * (a2 - a1)))


MUTANTS = [
    # (claim, parts, expected, correction parts)
    ("prop1", {"flow": _flow3_sign}, "rejected", None),                  # W1' = -M(...)
    ("eq4", {"flow": _flow4_no_lxx}, "rejected", None),                  # Lxx dropped
    ("eq5", {"d_power": sp.Rational(-1, 2)},                             # D~ = D Lxx^(-1/2)
     "rejected:(5) first equation, diagonal W1, W2", None),
    ("eq5", {}, "not corrected", {"flow": _eq5_wrong_fix}),              # S instead of S^2
    ("eq6", {"flow": _flow5_plus}, "rejected", None),                    # lambda + theta1 theta2
    ("thm2", {"rate": F.PRINTED_THM2_RATE * sp.Rational(11, 10)}, Verdict.REFUTED, None),
    ("thm2", {"rate": 3 * (d * lam) ** sp.Rational(2, 3)}, Verdict.REFUTED, None),  # OCR reading
    ("thm2", {"limit": 2 * F.PRINTED_THM2_ROOT}, Verdict.REFUTED, None),
    ("thm2", {"increasing": False}, Verdict.REFUTED, None),
    ("thm2.lambda_zero", {"exponent": sp.Integer(2)}, Verdict.REFUTED, None),
    ("lem12", {"signs": (-1, +1)}, Verdict.REFUTED, None),
    ("rem13", {"implicit": _eq48_without_sign}, "rejected:(48) solves (40), r < 0", None),
    ("eq48", {"implicit": _eq48_without_sign}, "rejected:(48) solves (40), r < 0", None),
    ("eq37", {"conserved": Y.theta2 - th**2 / d}, Verdict.REFUTED, None),
    ("eq40", {"reduced": (d * lam - th**3) / 2}, Verdict.REFUTED, None),
    ("eq42", {"implicit": lambda t_, rr: F.printed_eq42(t_, rr)
              + sp.log(sp.Abs(t_ - rr)) / (3 * rr**2)}, "rejected", None),
    ("eq47", {"rate": 2 * r**2}, "rejected:rate (46)-(47)", None),
    ("thm3", {"reduced": -(th**3 - 2 * d * K * th - 2 * d * lam) / 2}, "rejected", None),
    ("thm3.delta_pos", {"rate_r3": 2 * F.PRINTED_EQ61_RATE_R3},
     "rejected:rate (60)-(61) towards r3", None),
    ("thm3.delta_pos", {"rate_r1": 2 * F.PRINTED_EQ61_RATE_R1}, "rejected:rate towards r1", None),
    ("eq61", {"rate_r3": 2 * F.PRINTED_EQ61_RATE_R3}, "rejected:rate towards r3", None),
    ("eq61", {"rate_r1": 2 * F.PRINTED_EQ61_RATE_R1}, "rejected:rate towards r1", None),
    ("lem14", {"signs": (+1, +1, +1, -1)}, Verdict.REFUTED, None),
    ("eq56", {"implicit": _eq56_all_plus}, "rejected", None),
    ("eq62", {"root": F.PRINTED_EQ62 + sp.Rational(1, 10)}, Verdict.REFUTED, None),
    ("eq63", {"implicit": lambda t_, rr: F.printed_eq63(t_, rr).replace(
        sp.atan, lambda a: -sp.atan(a))}, Verdict.REFUTED, None),
    ("thm3.delta_neg", {"rate": F.PRINTED_EQ64_RATE * sp.Rational(11, 10)}, "rejected", None),
    ("eq64", {"rate": F.PRINTED_EQ64_RATE * sp.Rational(11, 10)}, "rejected", None),
    ("eq66", {"rs": 3 * lam / K}, Verdict.REFUTED, None),
    ("eq67", {"implicit": lambda t_, a, b: F.printed_eq67(t_, a, b) - 2 / ((a - b) * (t_ - b))},
     "rejected", None),
    ("thm3.delta_zero", {"rate": (rs - rd) ** 2},
     "rejected:rate towards rs is (rs - rd)^2/2 > 0", None),
    ("lem16", {"rs_above": (+1, -1, -1)}, Verdict.REFUTED, None),
    ("rem15", {"relation": ">="}, Verdict.REFUTED, None),
    ("thm3.lambda_zero", {"rate_kpos": 2 * d * K}, "rejected:K > 0: rate at 0 is dK", None),
    ("eq72", {"exponent": sp.Integer(2)}, Verdict.REFUTED, None),
    ("eq55", {"discriminant": -4 * d**2 * (8 * d * K**3 - 27 * lam**2)}, Verdict.REFUTED, None),
    ("fig1a", {"parabola": Y.theta2 - th**2 / d}, Verdict.REFUTED, None),
]


def _id(row) -> str:
    cid, parts, expected, corr = row
    what = ",".join(parts) or ",".join(f"correction.{k}" for k in corr or {})
    return f"{cid}-{what}"


@pytest.mark.parametrize("row", MUTANTS, ids=[_id(m) for m in MUTANTS])
def test_mutant(row):
    """Every mutant goes through its claim's own checks and gets the expected outcome."""
    cid, parts, expected, corr = row
    claim = mutant(cid, parts)
    if corr:
        claim = claim.with_correction(**corr)
    assert_outcome(evaluate(claim, Run(CI, 0)), expected)


@pytest.mark.parametrize("cid", SECTION2)
def test_printed_verdict(cid):
    """The printed statement of every Section 2 claim gets its verdict (all hold but eq5)."""
    res = printed(cid)
    assert res.verdict is PRINTED[cid], describe(res)


def test_eq5_corrected_diagonal_holds_and_counterexample_replays():
    """eq5: the first equation fails for general matrices (exact counterexample, shrunk, still
    certified on replay), holds for diagonal ones; the correction passes."""
    res = printed("eq5")
    by_name = {c.name: c for c in res.checks}
    assert by_name["(5) first equation, diagonal W1, W2"].status is Status.PASS
    assert by_name["(5) second equation, general matrices"].status is Status.PASS
    cx = res.counterexample()
    assert cx.check == "(5) first equation, general matrices" and cx.found is not None
    for params in (cx.params, cx.found):
        again = replay_one(Saved(cx.claim, cx.check, cx.variant, dict(params)), CI)
        assert again.certified, again.reason
