"""Unit tests of fa_proofs.sequences: certified comparisons along sequences of balls."""
from __future__ import annotations

from fractions import Fraction

import sympy as sp
from flint import arb, fmpq

from fa_proofs.arith import Ball
from fa_proofs.sequences import (Comparison, bound_check, domination_margin, geometric, scan,
                                 sign_along)
from fa_proofs.verdicts import Status

P = {"d": Fraction(1, 2), "eta": Fraction(33, 50)}


def balls(*vals) -> list[arb]:
    return [v if isinstance(v, arb) else
            arb(fmpq(v.numerator, v.denominator)) if isinstance(v, Fraction) else arb(v)
            for v in vals]


def third() -> arb:
    """1/3 at 128 bits: an inexact ball (radius > 0)."""
    with Ball(128).workprec():
        return arb(1) / 3


def test_pass_reports_tightness():
    res = bound_check("c", "a <= b", [Comparison(P, balls(1, 2, 3), balls(2, 4, 3.5))])
    assert res.status is Status.PASS and res.counterexample is None
    assert res.steps == 3 and res.points == 1
    assert abs(res.measure.value - 6 / 7) < 1e-12
    assert res.measure.at == {"d": "1/2", "eta": "33/50", "t": "2"}
    assert "certified at 3 steps of 1 orbit" in res.to_json()["detail"]


def test_certified_failure_carries_exact_counterexample():
    cmp = Comparison(P, balls(1, 2, 5, 100), balls(2, 3, 4, 0))
    res = bound_check("c", "a <= b", [Comparison(P, balls(1), balls(1)), cmp])
    assert res.status is Status.FAIL
    ce = res.counterexample
    assert ce is not None and dict(ce.params) == {"d": "1/2", "eta": "33/50", "t": "2"}
    assert set(ce.values) == {"actual", "stated"} and "fails at t = 2" in res.to_json()["detail"]
    assert all(Fraction(v) is not None for v in ce.params.values())   # readable back exactly
    assert sp.sympify(ce.params["eta"]) == sp.Rational(33, 50)
    assert scan(cmp).fail[0] == 2 and scan(cmp).checked == 3          # stops at the first one


def test_failure_params_from_exact_numbers_of_other_types():
    res = bound_check("c", "a <= b", [Comparison({"lam": sp.Rational(7, 3), "k": 4},
                                                 balls(2), balls(1))])
    assert dict(res.counterexample.params) == {"lam": "7/3", "k": "4", "t": "0"}


def test_straddling_ball_is_undecided():
    wide = arb(1, 0.5)                                   # [0.5, 1.5] against the bound 1.2
    res = bound_check("c", "a <= b", [Comparison(P, balls(0, wide, 1), balls(1, 1.2, 2))])
    assert res.status is Status.UNDECIDED and res.counterexample is None
    assert "1 of 3 steps could not be certified" in res.note
    # a certified failure later in the same orbit still wins: it is a verdict
    res = bound_check("c", "a <= b", [Comparison(P, balls(wide, 3), balls(1.2, 2))])
    assert res.status is Status.FAIL and res.counterexample.params["t"] == "1"


def test_exactly_equal_passes_unless_strict():
    eq = Comparison(P, balls(1, Fraction(1, 4)), balls(1, Fraction(1, 4)))
    assert bound_check("c", "a <= b", [eq]).status is Status.PASS
    strict = Comparison(P, balls(0, 1), balls(1, 1), strict=True)
    res = bound_check("c", "a < b", [strict])
    assert res.status is Status.FAIL and res.counterexample.params["t"] == "1"
    # equal but inexact balls (same computation, radius > 0): not decidable
    t1, t2 = third(), third()
    assert bound_check("c", "a <= b", [Comparison(P, [t1], [t2])]).status is Status.UNDECIDED


def test_strict_pass_and_sign_along():
    assert bound_check("c", "a < b", [Comparison(P, balls(0, 1), balls(1, 2), strict=True)]
                       ).status is Status.PASS
    assert sign_along("s", "v > 0", [(P, balls(1, third(), 2.5))]).status is Status.PASS
    res = sign_along("s", "v > 0", [(P, balls(1, 0, 2))])
    assert res.status is Status.FAIL and res.counterexample.params["t"] == "1"
    assert sign_along("s", "v >= 0", [(P, balls(1, 0, 2))], strict=False).status is Status.PASS
    assert sign_along("s", "v > 0", [(P, balls(1, arb(0, 1e-3)))]).status is Status.UNDECIDED


def test_callable_sides_and_steps():
    lhs = lambda t: arb(t)                               # noqa: E731
    rhs = lambda t: arb(2 * t + 1)                       # noqa: E731
    res = bound_check("c", "t <= 2t+1", [Comparison(P, lhs, rhs, steps=range(0, 50, 7))])
    assert res.status is Status.PASS and res.steps == 8
    res = bound_check("c", "t <= 2t+1", [Comparison(P, balls(0, 9, 9), balls(1, 1, 1),
                                                    steps=[0])])
    assert res.status is Status.PASS                     # only the listed steps are checked


def test_margin_rescues_an_undecidable_step():
    t1, t2 = third(), third()
    base = dict(params=P, lhs=[arb(0), t1], rhs=[arb(1), t2])
    assert bound_check("c", "", [Comparison(**base)]).status is Status.UNDECIDED
    exact_zero = Comparison(**base, margin=lambda t: arb(0))   # e.g. factorised rhs - lhs = 0
    assert bound_check("c", "", [exact_zero]).status is Status.PASS
    positive = Comparison(**base, margin=lambda t: arb(1), strict=True)
    assert bound_check("c", "", [positive]).status is Status.PASS
    res = bound_check("c", "", [Comparison(**base, margin=lambda t: arb(0), strict=True)])
    assert res.status is Status.UNDECIDED                # exact 0 does not make it strict
    res = bound_check("c", "", [Comparison(**base, margin=lambda t: arb(-1))])
    assert res.status is Status.FAIL and res.counterexample.params["t"] == "1"
    res = bound_check("c", "", [Comparison(**base, margin=lambda t: arb(0, 1))])
    assert res.status is Status.UNDECIDED
    # the margin is only consulted where the direct difference cannot decide
    calls = []
    cmp = Comparison(P, balls(0, 5), balls(1, 1), margin=lambda t: calls.append(t) or arb(1))
    assert bound_check("c", "", [cmp]).status is Status.FAIL and calls == []


def test_geometric():
    g = geometric(arb(3), arb(0.5), 4)
    assert len(g) == 5 and [float(v) for v in g] == [3, 1.5, 0.75, 0.375, 0.1875]
    assert all(v.is_exact() for v in g)
    with Ball(128).workprec():
        g = geometric(arb(1), third(), 40)
    assert g[40].overlaps(arb(fmpq(1, 3**40))) and g[40].rel_accuracy_bits() > 100


def test_domination_margin():
    rate = arb(0.5)
    factors = balls(0.4, 0.5, 0.6, 0.3)                  # rate - phi: 0.1, 0 (exact), -0.1, 0.2
    m = domination_margin(rate, factors)
    assert [m(t) > 0 for t in range(5)] == [True, True, True, False, False]
    assert m(3).contains(0) and not m(3) > 0             # undecided from s = 2 on
    # the gaps, when given, replace rate - factors
    m = domination_margin(rate, balls(0.4, 0.5, 0.3), gaps=balls(0.1, arb(0, 1e-9), 0.2))
    assert [m(t) > 0 for t in range(4)] == [True, True, False, False]


def test_domination_margin_certifies_an_orbit_the_direct_difference_cannot():
    """lhs_t = (1/3) prod phi_s and rhs_t = (1/3) rate^t computed alike: the balls coincide but
    are inexact, so only the factor-by-factor domination (phi_s <= rate) decides."""
    rate = arb(0.5)
    phis = [rate] * 30                                    # phi_s = rate: gap exactly 0
    with Ball(128).workprec():
        lhs = geometric(third(), rate, 30)
        rhs = geometric(third(), rate, 30)
    assert bound_check("c", "", [Comparison(P, lhs, rhs)]).status is Status.UNDECIDED
    margin = domination_margin(rate, phis)
    assert bound_check("c", "", [Comparison(P, lhs, rhs, margin=margin)]).status is Status.PASS
    # an inexact rate: rate - phi_s is a ball around 0, so the gaps must be given in a
    # well-conditioned form (here: known to be exactly 0)
    with Ball(128).workprec():
        rate = arb(1) / 7
        lhs = geometric(third(), rate, 30)
        rhs = geometric(third(), rate, 30)
    assert bound_check("c", "", [Comparison(P, lhs, rhs, margin=domination_margin(
        rate, [rate] * 30))]).status is Status.UNDECIDED
    assert bound_check("c", "", [Comparison(P, lhs, rhs, margin=domination_margin(
        rate, [rate] * 30, gaps=[arb(0)] * 30))]).status is Status.PASS


def test_domination_margin_does_not_certify_a_false_bound():
    rate = arb(0.5)
    phis = balls(-10, -10)                               # rate - phi_s = 10.5 > 0
    with Ball(128).workprec():                                 # lhs_t = (1/3) 100 at t = 2 > rhs_t
        lhs = [third(), third() * phis[0], third() * phis[0] * phis[1]]
        lhs[2] = lhs[2] + arb(0, 1e3)                    # too wide for the direct comparison
        rhs = geometric(third(), rate, 2)
    res = bound_check("c", "", [Comparison(P, lhs, rhs, margin=domination_margin(rate, phis))])
    assert res.status is not Status.PASS
