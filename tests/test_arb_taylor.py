"""The arb Taylor integrator (fa_proofs.arb_taylor): exact solutions, the exact clock, agreement
with the certified time map of Section 4 and with Section 2's closed forms."""
from __future__ import annotations

from fractions import Fraction as Q

import pytest
import sympy as sp
from flint import arb, fmpq

from fa_proofs import arb_taylor as AT
from fa_proofs.arith import Ball
from fa_proofs.sections.learning import certified as C
from fa_proofs.sections.shallow import formulas as F

x = sp.Symbol("x")


def test_exponential_and_logistic_to_40_digits():
    with Ball(300).workprec():
        y = AT.integrate(AT.PolyField.of([-x], [x]), [1], [1, 10], digits=40)
        assert abs(y[0][0] - arb(-1).exp()) < arb(10) ** -40
        assert abs(y[1][0] - arb(-10).exp()) < arb(10) ** -40
        # logistic x' = x (1 - x), x(0) = 1/2: x(t) = 1/(1 + e^-t), read at t = 7/3 exactly
        y = AT.integrate(AT.PolyField.of([x * (1 - x)], [x]), [Q(1, 2)], [Q(7, 3)], digits=40)
        assert abs(y[0][0] - 1 / (1 + (-arb(7) / 3).exp())) < arb(10) ** -40


def test_the_clock_is_exact():
    """Output times are exact rationals: x' = 1 gives x(t) = t to every bit."""
    y = AT.integrate(AT.PolyField.of([sp.Integer(1)], [x]), [0], [Q(1, 3), Q(22, 7)], digits=30)
    with Ball(200).workprec():
        assert abs(y[0][0] - arb(1) / 3) < arb(2) ** -130
        assert abs(y[1][0] - arb(22) / 7) < arb(2) ** -130


def test_theta_of_t_agrees_with_the_certified_time_map():
    """The reduced flow (54) from r2 + e^-30: the Taylor trajectory at t = 30 T/2 = 3 agrees
    with the certified enclosure of theta1(t) from acb.integral (Section 4's inverted time
    map) to the requested digits."""
    roots = (Q(-3), Q(-1), Q(4))
    E = C.Escape(roots, 1, 30)
    with E.workprec():
        tt = 15 * E.T                                   # T = 2/(5 * 2): tt = 3 exactly
    lo, hi, _ = E.at_time(tt)
    rhs = F.RHS_ROOTS3.subs({F.r1: -3, F.r2: -1, F.r3: 4})
    with E.workprec():
        th0 = arb(-1) + (-arb(30)).exp()
        y = AT.integrate(AT.PolyField.of([rhs], [F.theta1]), [th0], [3], digits=40)[0][0]
        enclosure = C.hull(E.theta(lo), E.theta(hi), E.prec)
        assert abs(y - enclosure.mid()) < arb(10) ** -30 * 1e10, (y, enclosure)


@pytest.mark.parametrize("digits", [20, 30])
def test_two_layer_flow_against_more_digits(digits):
    fld = AT.PolyField.of(F.FLOW, (F.theta1, F.theta2), {F.d: Q(2), F.lam: Q(3)})
    with Ball(400).workprec():
        a = AT.integrate(fld, [Q(-1), Q(1, 4)], [20], digits=digits)[0]
        b = AT.integrate(fld, [Q(-1), Q(1, 4)], [20], digits=digits + 20)[0]
        assert all(abs(u - v) < arb(10) ** -(digits - 1) for u, v in zip(a, b))


def test_refuses_bad_input():
    with pytest.raises(ValueError):
        AT.PolyField.of([sp.sin(x)], [x])
    with pytest.raises(ValueError):
        AT.integrate(AT.PolyField.of([-x], [x]), [1], [2, 1])
    assert isinstance(AT._dyadic_below(0.3), fmpq)
