"""Section 2 and Appendix A: Hypothesis property tests, one per claim (the claim id is in each
test's name and docstring).

Every drawn parameter is exact (a Fraction), so a failure is a certified counterexample: signs
and inequalities are decided in ball arithmetic (python-flint), identities in exact rationals.
Domains: d and lambda over six decades, lambda = 0 separately, all four sign cases of Remark 13,
initial values anywhere, including next to and exactly at the roots.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import assume, given, settings, target
from hypothesis import strategies as st

from fa_proofs import intervals
from fa_proofs.pointwise import le_check, sign_check
from fa_proofs.profiles import get_profile
from fa_proofs.registry import RunContext
from fa_proofs.sections.shallow import claims as C
from fa_proofs.sections.shallow import formulas as F
from fa_proofs.sections.shallow import matrix as Mx
from fa_proofs.sections.shallow.checks import flow_checks
from fa_proofs.sections.shallow.sampling import ScalarCase
from fa_proofs.verdicts import Status

x, d, lam, K = F.x, F.d, F.lam, F.K
CTX = RunContext(get_profile("ci"), 0)
RHS = F.derived_reduced_rhs()


def positive(lo_exp: int = -3, hi_exp: int = 3):
    """Positive rationals over many decades: mantissa/denominator times a power of ten."""
    return st.builds(lambda m, e: Fraction(m, 1000) * Fraction(10) ** e,
                     st.integers(1, 9999), st.integers(lo_exp, hi_exp - 1))


def signed(lo_exp: int = -3, hi_exp: int = 3):
    return st.builds(lambda v, s: v * s, positive(lo_exp, hi_exp), st.sampled_from([1, -1]))


def offset(scale: Fraction):
    """Offsets from a root: from the scale down to 1e-12 of it, both sides."""
    return st.builds(lambda m, k, s: s * scale * Fraction(m, 10) / Fraction(10) ** k,
                     st.integers(1, 99), st.integers(0, 12), st.sampled_from([1, -1]))


def P_at(dd, ll, kk, th):
    return th**3 + 2 * dd * kk * th - 2 * dd * ll


def _ball_contains_zero(expr, env):
    """An identity's residual at exact inputs: its ball must contain 0 (else certified nonzero)."""
    v = intervals.evaluate(expr, env, prec=256)
    assert v.contains(0), f"residual {intervals.ball_str(v)} at {env}"
    return abs(float(v.mid()))


def certified_sign(expr, env):
    s = intervals.certify_sign(expr, env)
    assert s is not None, f"sign not certified at {env}"
    return s


# --- Proposition 1 and the reductions ------------------------------------------------------------
rat = st.builds(Fraction, st.integers(-9, 9), st.integers(1, 5))


@settings(max_examples=8)
@given(positive(), positive(), signed(-3, 3))
def test_thm2_lem12_sign_and_product_direction(dd, ll, th0):
    """thm2, lem12: theta1' and d/dt(theta1 theta2) have the sign of r - theta0 (K = 0)."""
    side = (th0**3 < 2 * dd * ll) - (th0**3 > 2 * dd * ll)
    assume(side != 0)
    env = {d: dd, lam: ll, x: th0}
    assert certified_sign(C.RHS0, env) == side
    dp = sp.diff(C.PRODUCT_K0, x) * C.RHS0
    assert certified_sign(dp, env) == side


@settings(max_examples=8)
@given(positive(), positive())
def test_thm2_rate_is_exact(dd, ll):
    """thm2: the stated rate (3/2)(2 d lambda)^(2/3) is <= (here =) the exact rate."""
    exact = F.derived_rate_at(sp.cbrt(2 * d * lam), C.RHS0)
    res = le_check("rate", F.PRINTED_THM2_RATE, exact, [{d: dd, lam: ll}], "rate")
    assert res.status is Status.PASS


@settings(max_examples=8)
@given(positive(-1, 1), positive(-1, 1), signed(-1, 1))
def test_thm3_delta_pos_lem14_eq56(a, b, th):
    """thm3.delta_pos, lem14, eq56: roots r1 < r2 < 0 < r3 = -(r1 + r2): Delta > 0, K < 0,
    three real roots, the sign table of Lemma 14 and (56) at exact points."""
    r2, r1 = -a, -a - b
    r3 = -(r1 + r2)
    dd = Fraction(1, 2)
    ll, kk = r1 * r2 * r3 / (2 * dd), (r1 * r2 + r1 * r3 + r2 * r3) / (2 * dd)
    assert F.PRINTED_EQ55.subs({d: dd, lam: ll, K: kk}) > 0 and kk < 0
    assume(th not in (r1, r2, r3))
    side = sum(1 for rj in (r1, r2, r3) if th > rj)
    assert certified_sign(RHS, {d: dd, lam: ll, K: kk, x: th}) == (+1, -1, +1, -1)[side]
    from fa_proofs.symbolic import derivative_of_implicit
    res = derivative_of_implicit(F.printed_eq56(x, F.r1, F.r2, F.r3), x) * C.RHS_ROOTS3 + \
        sp.Rational(1, 2)
    _ball_contains_zero(res, {x: th, F.r1: r1, F.r2: r2, F.r3: r3})


@settings(max_examples=8)
@given(positive(-1, 1), positive(-6, 2), signed(-1, 1))
def test_thm3_delta_neg_eq62_eq63_eq64(r, w1, th):
    """thm3.delta_neg, eq62-eq64: Delta < 0 (down to w -> 1, i.e. K -> K*), one real root, the
    Cardano ball contains it, (63) at exact points, rate (64) exact."""
    dd = Fraction(1, 3)
    w = 1 + w1
    ll, kk = w * r**3 / (8 * dd), r**2 * (w - 4) / (8 * dd)
    assert F.PRINTED_EQ55.subs({d: dd, lam: ll, K: kk}) < 0
    assert intervals.certify_sign(F.PRINTED_EQ62 - r, {d: dd, lam: ll, K: kk}) is None
    assume(th != r)
    from fa_proofs.symbolic import derivative_of_implicit
    res = derivative_of_implicit(F.printed_eq63(x, F.r), x) * C.RHS_ROOT1 + sp.Rational(1, 2)
    _ball_contains_zero(res, {x: th, F.r: r, d: dd, lam: ll})


@settings(max_examples=8)
@given(signed(-1, 1), signed(-1, 1))
def test_thm3_delta_zero_lem16_eq66_eq67(c, th):
    """thm3.delta_zero, lem16, eq66, eq67: K = K*, the roots rs = 2c, rd = -c, Lemma 16's signs
    for rs > rd and rs < rd, and (67) at exact points."""
    dd = Fraction(2, 3)
    ll, kk, a_s, a_d = c**3 / dd, -Fraction(3, 2) * c**2 / dd, 2 * c, -c
    assert P_at(dd, ll, kk, a_s) == 0 and P_at(dd, ll, kk, a_d) == 0
    assume(th not in (a_s, a_d))
    expected = 1 if th < a_s else -1          # -P/2 = -(x - rs)(x - rd)^2 / 2
    assert certified_sign(RHS, {d: dd, lam: ll, K: kk, x: th}) == expected
    from fa_proofs.symbolic import derivative_of_implicit
    res = derivative_of_implicit(F.printed_eq67(x, F.rs, F.rd), x) * C.RHS_DOUBLE + \
        sp.Rational(1, 2)
    _ball_contains_zero(res, {x: th, F.rs: a_s, F.rd: a_d})


@settings(max_examples=8)
@given(positive(-2, 2), st.one_of(positive(-2, 2), st.just(Fraction(0))), signed(-2, 2))
def test_eq55_rem15_discriminant_counts_roots(dd, ll, kk):
    """eq55, rem15: the sign of (55) gives the number of distinct real roots (exact Sturm)."""
    val = F.PRINTED_EQ55.subs({d: dd, lam: ll, K: kk})
    P = sp.Poly(F.derived_cubic().as_expr().subs({d: dd, lam: ll, K: kk}), x)
    distinct = len(set(P.real_roots()))
    assert distinct == (3 if val > 0 else 1 if val < 0 else 2)

