"""Section 4 / Appendix C: the certified time maps (fa_proofs.sections.learning.certified) agree
with each other, with SymPy and with the exact values they must give."""
from __future__ import annotations

from fractions import Fraction as Q

import numpy as np
import pytest
import sympy as sp
from flint import arb

from fa_proofs.arith import Ball
from fa_proofs.sections.learning import certified as C
from fa_proofs.sections.learning import formulas as L


@pytest.mark.parametrize("s", [1, -1])
def test_escape_time_maps_agree_and_invert(s):
    """acb.integral and the closed form (56) enclose the same times; theta(t) inverts them."""
    E = C.Escape((Q(-3), Q(-1), Q(4)), s, 60)
    for x in (-30, 0, 5):
        ti = E.time_integral(E.x0, arb(x))
        tc = E.time_closed(arb(x))
        with E.workprec():
            assert ti.overlaps(tc) and ti.rad() < 1e-30
    with E.workprec():
        tt = 60 * E.T * Ball(E.prec).convert(Q(1, 2))
    lo, hi, t_lo = E.at_time(tt)
    with E.workprec():
        assert t_lo < tt and (hi - lo) < arb(10) ** -40
        # t = T/2: |theta - r2| = e^-delta e^(t/T) (1 + O(e^-delta/2)) up to the O(1) factor
        dist = E.from_r2(lo)
        assert abs(float((dist.log() + 30).mid())) < 2


def test_alpha_solves_the_derived_equation_and_is_the_trajectory_limit():
    """alpha (certified root of G = c) at r = (-3, -1, 4) is 0.3148533195..., inside (r2, r3);
    theta1(delta T) approaches it like e^-delta (the ratio of distances at delta = 50 and 100)."""
    E50, E100 = C.Escape((Q(-3), Q(-1), Q(4)), 1, 50), C.Escape((Q(-3), Q(-1), Q(4)), 1, 100)
    dist = []
    for E, delta in ((E50, 50), (E100, 100)):
        lo, hi = E.alpha_x()
        a = C.hull(E.theta(lo), E.theta(hi), E.prec)
        with E.workprec():
            assert abs(a - arb("0.3148533195")) < 1e-9
            tt = delta * E.T
        xl, xh, _ = E.at_time(tt)
        with E.workprec():
            dist.append(abs(C.hull(E.theta(xl), E.theta(xh), E.prec) - a))
    rate = float((dist[1].log() - dist[0].log()).mid()) / 50
    assert abs(rate + 1) < 1e-3


def test_printed_alpha_101_leaves_the_interval():
    """(101) at r = (-2, -1, 3): r3 - 4^(1 + 5) (1/5)^4 = 3 - 4096/625 (outside (r2, r3))."""
    v = L.PRINTED_EQ101_ALPHA.subs({L.r1: -2, L.r2: -1, L.r3: 3})
    assert sp.nsimplify(sp.simplify(v)) == sp.Rational(3) - sp.Rational(4096, 625)


def test_vanishing_time_three_ways():
    num, cf = C.vanishing_time(Q(-3), Q(2))
    printed = Ball(128).evaluate(L.printed_eq112(L.theta0, L.r), {L.theta0: -3, L.r: 2})
    assert num.overlaps(cf) and num.overlaps(printed) and num.rad() < 1e-30
    # as theta0 -> -oo: 4 pi/(3 sqrt3 r^2) - 1/theta0^2
    num, _ = C.vanishing_time(Q(-10**4), Q(1))
    with Ball(128).workprec():
        lim = 4 * arb.pi() / (3 * arb(3).sqrt()) - arb(10) ** -8
        assert abs(num - lim) < 1e-19


def test_t0_series_is_sympy_s():
    T_inf, coeffs = L.expansion_coefficients()
    assert sp.simplify(T_inf - 4 * sp.pi / (3 * sp.sqrt(3) * L.r**2)) == 0
    assert coeffs[2] == -1 and 1 not in coeffs and sp.simplify(coeffs[5] - 2 * L.r**3 / 5) == 0


def test_probability_exact_values_and_monte_carlo():
    """d = lambda = 1: K* = -3/2; R = 3: P = 1/2 exactly; R = 1: 0; MC agrees."""
    with Ball(128).workprec():
        assert abs(C.prob_three_roots(Q(1), Q(1), Q(3)) - arb(1) / 2) < 1e-30
    assert C.prob_three_roots(Q(1), Q(1), Q(1)).contains(0)
    p, lo, hi = C.prob_three_roots_mc(1.0, 1.0, 5.0, 200_000, np.random.default_rng(1))
    exact = float(C.prob_three_roots(Q(1), Q(1), Q(5)).mid())
    assert lo - 0.002 < exact < hi + 0.002
    big = [float(C.prob_three_roots(Q(1), Q(1), Q(R)).mid()) for R in (3, 30, 300)]
    assert big[0] < big[1] < big[2] and big[2] > 0.97


def test_thresholds_derived():
    assert sp.simplify(L.derived_sec41_threshold()
                       + sp.Rational(3, 2) * sp.cbrt(L.lam**2 / L.d)) == 0
    assert L.derived_dT_dlam().is_positive


def test_alpha_constant_symmetric_form_is_the_derived_limit():
    """The displayed c = ln r32/(r32 r31) + ln r21/(r31 r21) equals SymPy's limit on the roots
    of the cubic (r3 = -r1 - r2)."""
    diff = (L.alpha_constant_in_roots() - L.derived_alpha_constant()).subs(L.r3, -L.r1 - L.r2)
    for a1, a2 in ((-2, -1), (-3, -1), (sp.Rational(-7, 3), sp.Rational(-1, 5))):
        assert abs(sp.N(diff.subs({L.r1: a1, L.r2: a2}), 30)) < 1e-25


def test_footnote2_probability_at_its_breakpoint():
    """At R = -K* (d = lambda = 1: K* = -3/2) the lower breakpoint sqrt(-2d(K* + R)) is 0 exactly:
    the enclosure must not give up there (a fuzz campaign found such a point); P = R/12 = 1/8,
    and the value is continuous across the breakpoint."""
    from fractions import Fraction

    from fa_proofs.sections.learning.certified import prob_three_roots
    eps = Fraction(1, 10**30)
    assert prob_three_roots(Fraction(1), Fraction(1), Fraction(3, 2)).contains(arb(1) / 8)
    for R in (Fraction(3, 2) + eps, Fraction(3, 2) - eps):
        p = prob_three_roots(Fraction(1), Fraction(1), R)
        assert abs(p - arb(1) / 8) < 1e-29 and p.rad() < 1e-30
    assert prob_three_roots(Fraction(1), Fraction(1), Fraction(1)).contains(0)
