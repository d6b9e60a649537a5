"""Mutants for every Section 2 claim: a deliberately wrong statement goes through the same check
as the printed one and must be rejected (a certified failure), while the printed one passes.

The expensive trajectory parts are exercised by ``fa-proofs verify`` and ``property_tests``; here
each mutant goes through the check that decides it.
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
import sympy as sp

from fa_proofs.profiles import get_profile
from fa_proofs.registry import RunContext
from fa_proofs.sections.shallow import claims as C
from fa_proofs.sections.shallow import formulas as F
from fa_proofs.sections.shallow import matrix as Mx
from fa_proofs.sections.shallow.checks import rate_statement_check
from fa_proofs.symbolic import identity_check, implicit_solution_check
from fa_proofs.verdicts import Status, Verdict

CTX = RunContext(get_profile("ci"), seed=0)
x, d, lam, K = F.x, F.d, F.lam, F.K


def rejected(results) -> bool:
    """At least one certified failure, and its counterexample's values are exact strings."""
    fails = [r for r in results if r.status is Status.FAIL]
    for r in fails:
        for v in r.counterexample.params.values():
            assert isinstance(v, str)
            sp.sympify(v)                  # readable back as an exact value
    return bool(fails)


def ok(results) -> bool:
    return all(r.status is Status.PASS for r in results)


def rng(key="mutants"):
    return CTX.rng(key)


# --- matrix-level claims -----------------------------------------------------------------------
def test_prop1_mutant_sign_of_feedback_update():
    """prop1: W1' = -M(...) (the gradient's sign slip) is rejected."""
    def wrong(W1, W2, M, Sxx, Sxy):
        a, b = Mx.printed_eq3(W1, W2, M, Sxx, Sxy)
        return -a, b
    assert ok(Mx.verify_prop1_flow(CTX))
    assert rejected(Mx.verify_prop1_flow(CTX, flow=wrong))


def test_eq4_mutant_dropped_lxx():
    """eq4: (4) without the Lxx factor is rejected."""
    def wrong(W1, W2, D, Lxx, Lxy):
        E = Lxy - W2 @ W1
        return D @ E, E @ Mx.transpose(W1)
    assert ok(Mx.verify_eq4_identity(CTX))
    assert rejected(Mx.verify_eq4_identity(CTX, flow4=wrong))


def test_eq5_printed_is_corrected_and_mutants_rejected():
    """eq5: printed -> corrected; the reading D~ = D Lxx^(-1/2) fails even for diagonal weights;
    a wrong correction (S instead of S^2) is not accepted."""
    out = Mx.verify_eq5(CTX)
    assert out.verdict() is Verdict.CORRECTED
    diag = {c.name: c for c in out.checks}["(5) first equation, diagonal W1, W2"]
    assert diag.status is Status.PASS
    bad = Mx.verify_eq5(CTX, reading=Mx.Eq5Reading(d_power=sp.Rational(-1, 2)))
    assert {c.name: c for c in bad.checks}["(5) first equation, diagonal W1, W2"].status \
        is Status.FAIL
    wrong_fix = Mx.verify_eq5(CTX, corrected_first=lambda W1, W2, D, S, Lt:
                              D @ S.inv() @ (Lt - W2 @ W1) @ S)
    assert wrong_fix.verdict() is not Verdict.CORRECTED


def test_eq6_mutant_wrong_sign_in_residual():
    """eq6: (5) with lambda + theta1 theta2 does not decouple into (6)."""
    def wrong(W1, W2, Dt, Lt):
        E = Lt + W2 @ W1
        return Dt @ E, E @ Mx.transpose(W1)
    assert ok(Mx.verify_eq6_identity(CTX))
    assert rejected(Mx.verify_eq6_identity(CTX, flow5=wrong))


# --- Theorem 2 and Appendix A.2 --------------------------------------------------------------------
@pytest.mark.parametrize("mutant", [
    C.Thm2Statement(rate=F.PRINTED_THM2_RATE * sp.Rational(11, 10)),
    C.Thm2Statement(rate=3 * (d * lam) ** sp.Rational(2, 3)),        # the OCR's other reading
    C.Thm2Statement(limit=2 * F.PRINTED_THM2_ROOT),
    C.Thm2Statement(product_increasing_below_limit=False),
])
def test_thm2_mutants(mutant):
    """thm2: a faster rate, a wrong limit or a flipped monotonicity is refuted."""
    assert C.verify_thm2(CTX, mutant).verdict() is Verdict.REFUTED


def test_thm2_lambda_zero_mutant_exponent_2():
    """thm2.lambda_zero: |theta1 theta2| <= C t^-2 is refuted."""
    out = C.verify_lambda0(CTX, C.Lambda0Statement(exponent=sp.Integer(2)))
    assert out.verdict() is Verdict.REFUTED


def test_lem12_mutant_flipped():
    """lem12: the flipped sign table is refuted."""
    assert C.verify_lem12(CTX).verdict() is Verdict.HOLDS
    assert C.verify_lem12(CTX, C.SignStatement((-1, +1))).verdict() is Verdict.REFUTED


def _eq48_without_sign(th, rr):
    generic = sp.Symbol("rho", real=True, nonzero=True)     # keeps sign() unevaluated
    return F.printed_eq48(th, generic).replace(sp.sign, lambda a: sp.Integer(1)).subs(generic, rr)


def test_rem13_and_eq48_mutant_without_sign_r():
    """rem13, eq48: (48) without sign(r) fails for r < 0."""
    res = [implicit_solution_check("r<0", _eq48_without_sign(x, C.RNEG), x,
                                   C.RHS_R.subs(F.r, C.RNEG), 1, rng())]
    assert rejected(res)


def test_eq37_mutant():
    """eq37: theta2 - theta1^2/d is not conserved."""
    assert C.verify_eq37(CTX, F.theta2 - F.theta1**2 / d).verdict() is Verdict.REFUTED


def test_eq40_mutant():
    """eq40: theta1' = (d lambda - theta1^3)/2 is refuted."""
    assert C.verify_eq40(CTX, (d * lam - x**3) / 2).verdict() is Verdict.REFUTED


def test_eq42_mutant():
    """eq42: a wrong coefficient of the first logarithm is refuted."""
    wrong = lambda th, rr: F.printed_eq42(th, rr) + sp.log(sp.Abs(th - rr)) / (3 * rr**2)
    res = [implicit_solution_check("eq42", wrong(x, F.r), x, C.RHS_R, 1, rng())]
    assert rejected(res)


def test_eq47_mutant_rate():
    """eq47: the rate 2 r^2 (faster than 3/2 r^2) is refuted."""
    pts = [{F.r: Fraction(k, 3)} for k in range(1, 6)]
    exact = F.derived_rate_at(F.r, C.RHS_R)
    assert ok([rate_statement_check("eq47", F.PRINTED_EQ42_RATE, exact, pts, "rate")])
    assert rejected([rate_statement_check("eq47", 2 * F.r**2, exact, pts, "rate")])


# --- Theorem 3 and Appendix A.3 --------------------------------------------------------------------
def test_thm3_mutant_reduced_equation():
    """thm3: a wrong reduced equation (54) (sign of the K term) is refuted by the same check."""
    wrong = -(x**3 - 2 * d * K * x - 2 * d * lam) / 2
    assert rejected([identity_check("(54)", F.derived_reduced_rhs() - wrong, rng())])


def _delta_pos_points():
    return [{F.r1: c.roots[0], F.r2: c.roots[1], F.r3: c.roots[2]}
            for c in C.delta_pos_cases(CTX, "mutants/pos", 10)]


def test_thm3_delta_pos_and_eq61_mutant_rates():
    """thm3.delta_pos, eq61: rates r32 r31 (no 1/2) and r31 r21 are refuted."""
    pts = _delta_pos_points()
    ex3 = F.derived_rate_at(F.r3, C.RHS_ROOTS3)
    ex1 = F.derived_rate_at(F.r1, C.RHS_ROOTS3)
    assert ok([rate_statement_check("r3", F.PRINTED_EQ61_RATE_R3, ex3, pts, "rate")])
    assert rejected([rate_statement_check("r3", 2 * F.PRINTED_EQ61_RATE_R3, ex3, pts, "rate")])
    assert rejected([rate_statement_check("r1", 2 * F.PRINTED_EQ61_RATE_R1, ex1, pts, "rate")])


def test_lem14_mutant():
    """lem14: theta1' > 0 on (r1, r2) is refuted."""
    assert C.verify_lem14(CTX).verdict() is Verdict.HOLDS
    assert C.verify_lem14(CTX, C.Lem14Statement((+1, +1, +1, -1))).verdict() is Verdict.REFUTED


def test_eq56_mutant_all_plus():
    """eq56: the all-'+' reading of (56) does not solve (54)."""
    a1, a2, a3 = F.r1, F.r2, F.r3
    wrong = (sp.log(sp.Abs(x - a3)) / ((a3 - a2) * (a3 - a1))
             + sp.log(sp.Abs(x - a2)) / ((a3 - a2) * (a2 - a1))
             + sp.log(sp.Abs(x - a1)) / ((a3 - a1) * (a2 - a1)))
    assert rejected([implicit_solution_check("eq56", wrong, x, C.RHS_ROOTS3,
                                             -sp.Rational(1, 2), rng())])


def test_eq62_mutant():
    """eq62: Cardano's root plus 1/10 is refuted."""
    assert C.verify_eq62(CTX, F.PRINTED_EQ62 + sp.Rational(1, 10)).verdict() is Verdict.REFUTED


def test_eq63_mutant():
    """eq63: (63) with the arctan term's sign flipped does not solve (54)."""
    wrong = lambda th, rr: F.printed_eq63(th, rr).replace(sp.atan, lambda a: -sp.atan(a))
    assert C.verify_eq63(CTX, wrong).verdict() is Verdict.REFUTED


def test_thm3_delta_neg_and_eq64_mutant_rate():
    """thm3.delta_neg, eq64: (r^3 + d lambda)/r * 11/10 is refuted."""
    pts = [{F.r: c.roots[0], d: c.d, lam: c.lam} for c in C.delta_neg_cases(CTX, "mutants/neg", 8)]
    exact = F.derived_rate_at(F.r, C.RHS_ROOT1)
    stated = F.PRINTED_EQ64_RATE.subs(x, F.r)
    assert ok([rate_statement_check("eq64", stated, exact, pts, "rate")])
    assert rejected([rate_statement_check("eq64", stated * sp.Rational(11, 10), exact, pts,
                                          "rate")])


def test_eq66_mutant():
    """eq66: rs = 3 lambda/K (sign lost) is refuted."""
    assert C.verify_eq66(CTX).verdict() is Verdict.HOLDS
    assert C.verify_eq66(CTX, C.Eq66Statement(rs=3 * lam / K)).verdict() is Verdict.REFUTED


def test_eq67_mutant():
    """eq67: (67) with +1/((rs-rd)(theta1-rd)) of the wrong sign is refuted."""
    wrong = F.printed_eq67(x, F.rs, F.rd) - 2 / ((F.rs - F.rd) * (x - F.rd))
    assert rejected([implicit_solution_check("eq67", wrong, x, C.RHS_DOUBLE,
                                             -sp.Rational(1, 2), rng())])


def test_thm3_delta_zero_mutant_rate():
    """thm3.delta_zero: the rate towards rs stated as (rs - rd)^2 is refuted."""
    res = identity_check("rate", F.derived_rate_at(F.rs, C.RHS_DOUBLE) - (F.rs - F.rd) ** 2,
                         rng())
    assert rejected([res])


def test_lem16_mutant():
    """lem16: theta1' < 0 on (rd, rs) is refuted."""
    assert C.verify_lem16(CTX).verdict() is Verdict.HOLDS
    assert C.verify_lem16(CTX, C.Lem16Statement(rs_above=(+1, -1, -1))).verdict() \
        is Verdict.REFUTED


def test_rem15_mutant():
    """rem15: '{Delta >= 0} is Lebesgue-null' is refuted by an interior point."""
    assert C.verify_rem15(CTX, relation=">=").verdict() is Verdict.REFUTED


def test_thm3_lambda_zero_mutant():
    """thm3.lambda_zero: the rate 2dK for K > 0 is refuted."""
    Kp = sp.Symbol("K", positive=True)
    rhs = F.derived_reduced_rhs().subs(lam, 0).subs(K, Kp)
    assert rejected([identity_check("rate", F.derived_rate_at(0, rhs) - 2 * d * Kp, rng())])


def test_eq72_mutant():
    """eq72: C t^-2 is refuted."""
    out = C.verify_lambda0(CTX, C.Lambda0Statement(exponent=sp.Integer(2)), key="eq72")
    assert out.verdict() is Verdict.REFUTED


def test_eq55_mutant():
    """eq55: -4 d^2 (8 d K^3 - 27 lambda^2) is refuted."""
    wrong = -4 * d**2 * (8 * d * K**3 - 27 * lam**2)
    assert C.verify_eq55(CTX, wrong).verdict() is Verdict.REFUTED


def test_fig1a_mutant():
    """fig1a: the parabolas d theta2 = theta1^2 + dK are not invariant."""
    assert C.verify_fig1a(CTX, F.theta2 - F.theta1**2 / d).verdict() is Verdict.REFUTED
