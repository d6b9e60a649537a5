"""Section 2 and Appendix A: Hypothesis property tests of the exact checks, one per claim family
(the claim ids are in each test's name and docstring).

Points are drawn from the claims' own domains (``claim.domain.strategy(claim.parts)``: integer
draws, so Hypothesis shrinks and climbs them) and every check of the claim that decides the
property runs at the drawn point, as ``fa-proofs verify ID --at ...`` runs it: signs and
inequalities certified in ball arithmetic, identities after substituting the point, root counts
in exact rationals.  A check that does not apply at the point (e.g. the sign on another interval)
is skipped by the engine; every check that runs must pass.
"""
from __future__ import annotations


from hypothesis import given, settings
from hypothesis import strategies as st


from claim_runs import draw_point, checks_at




@settings(max_examples=8)
@given(st.data())
def test_thm2_lem12_sign_and_product_direction(run_context, data):
    """thm2, lem12: theta1' and d/dt(theta1 theta2) have the sign of r - theta0 (K = 0)."""
    p = draw_point(data, "thm2")
    checks_at(run_context, "lem12", p)
    checks_at(run_context, "thm2", p, {"product increasing for theta0 < r",
                                       "product decreasing for theta0 > r",
                                       "(40) has exactly one real root"})


@settings(max_examples=8)
@given(st.data())
def test_thm2_rate_is_exact(run_context, data):
    """thm2: the stated rate (3/2)(2 d lambda)^(2/3) is <= (here =) the exact rate, and the
    stated limit is the equilibrium, at the drawn (d, lambda)."""
    p = draw_point(data, "thm2")
    checks_at(run_context, "thm2", p, {"rate (41)", "stated limit is an equilibrium of (40)",
                                       "theta1 theta2 -> lambda at the stated limit"})


@settings(max_examples=8)
@given(st.data())
def test_thm3_delta_pos_lem14_eq56(run_context, data):
    """thm3.delta_pos, lem14, eq56: Delta > 0, K < 0, three real roots, the sign table of
    Lemma 14 and (56) at exact points (roots r1 < r2 < 0 < r3 exact)."""
    p = draw_point(data, "thm3.delta_pos")
    checks_at(run_context, "thm3.delta_pos", p, {"Delta > 0, K < 0 and three real roots",
                                                 "(56) solves (54)", "rate towards r1",
                                                 "rate (60)-(61) towards r3"})
    checks_at(run_context, "lem14", p)
    checks_at(run_context, "eq56", draw_point(data, "eq56"))
    checks_at(run_context, "eq61", draw_point(data, "eq61"))


@settings(max_examples=8)
@given(st.data())
def test_thm3_delta_neg_eq62_eq63_eq64(run_context, data):
    """thm3.delta_neg, eq62-eq64: Delta < 0 (down to w -> 1, i.e. K -> K*), one real root, the
    Cardano ball contains it, (63) at exact points, rate (64) exact."""
    p = draw_point(data, "thm3.delta_neg")
    checks_at(run_context, "thm3.delta_neg", p, {"Delta < 0 and exactly one real root",
                                                 "rate (64)"})
    checks_at(run_context, "eq62", p, {"ball of (62) contains the exact root"})
    checks_at(run_context, "eq63", draw_point(data, "eq63"))
    checks_at(run_context, "eq64", draw_point(data, "eq64"))


@settings(max_examples=8)
@given(st.data())
def test_thm3_delta_zero_lem16_eq66_eq67(run_context, data):
    """thm3.delta_zero, lem16, eq66, eq67: K = K*, the roots rs, rd, Lemma 16's signs for
    rs > rd and rs < rd, and (67) at exact points."""
    p = draw_point(data, "lem16")
    checks_at(run_context, "lem16", p)
    if p["lam"] > 0:
        checks_at(run_context, "thm3.delta_zero", p, {
            "rd is a double root: P'(rd) = 0 (no exponential rate)",
            "rate towards rs is (rs - rd)^2/2 > 0", "Delta(K*) = 0 (65)"})
    checks_at(run_context, "eq66", draw_point(data, "eq66"))
    checks_at(run_context, "eq67", draw_point(data, "eq67"))


@settings(max_examples=8)
@given(st.data())
def test_eq55_rem15_discriminant_counts_roots(run_context, data):
    """eq55, rem15: the sign of (55) gives the number of distinct real roots (exact), and random
    initial values avoid Delta = 0."""
    checks_at(run_context, "eq55", draw_point(data, "eq55"))
    checks_at(run_context, "rem15", draw_point(data, "rem15"))


@settings(max_examples=8)
@given(st.data())
def test_eq42_eq47_eq48_implicit_solutions(run_context, data):
    """eq42, eq47, eq48: the implicit solutions (42), (48) at exact (r, theta1), r of either sign
    for (48), and g(oo) of (45)."""
    checks_at(run_context, "eq42", draw_point(data, "eq42"), {"(42) solves (40)"})
    checks_at(run_context, "eq47", draw_point(data, "eq47"), {"rate (46)-(47)", "g(oo) in (45)"})
    checks_at(run_context, "eq48", draw_point(data, "eq48"))
