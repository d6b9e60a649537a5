"""Unit tests of fa_proofs.symbolic: identities proven exactly, failures certified."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from fa_proofs.symbolic import (identity_check, implicit_residual, random_rational,
                                reduce_to_zero)
from fa_proofs.verdicts import Evidence, Status


def implicit_solution_check(name, F, var, rhs, time_factor, g):
    return identity_check(name, implicit_residual(F, var, rhs, time_factor), g)

a, b = sp.symbols("a b")
y = sp.Symbol("y")
t = sp.Symbol("t")
pos = sp.Symbol("p", positive=True)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_reduce_to_zero():
    assert reduce_to_zero(sp.Integer(0))
    assert reduce_to_zero((a + b) ** 3 - a**3 - 3 * a**2 * b - 3 * a * b**2 - b**3)
    assert reduce_to_zero(1 / (a - 1) - 1 / (a + 1) - 2 / (a**2 - 1))
    assert reduce_to_zero(sp.sin(a) ** 2 + sp.cos(a) ** 2 - 1)
    assert not reduce_to_zero(a**2 - a)


def test_true_identity_passes():
    r = identity_check("binomial", (a + b) ** 2 - (a**2 + 2 * a * b + b**2), rng())
    assert r.status is Status.PASS and r.counterexample is None
    assert r.evidence is Evidence.SYMBOLIC and r.points == 0        # the whole domain
    r = identity_check("partial fractions", 1 / (a * (a + 1)) - (1 / a - 1 / (a + 1)), rng())
    assert r.status is Status.PASS


def test_at_a_point_the_identity_is_proved_after_substitution():
    r = identity_check("at a point", a * (b - b) + (a**2 - 1) - (a - 1) * (a + 1), rng(),
                       at={a: Fraction(1, 3)})
    assert r.status is Status.PASS and r.points == 1
    r = identity_check("false at the point", a * b - b, rng(), at={a: Fraction(2)})
    assert r.status is Status.FAIL and r.counterexample.params["a"] == "2"
    r = identity_check("true at this point only", a * b - b, rng(), at={a: Fraction(1)})
    assert r.status is Status.PASS


def test_false_identity_fails_with_exact_certified_params():
    residual = (a + b) ** 2 - (a**2 + b**2)          # = 2ab, not identically 0
    r = identity_check("binomial without the cross term", residual, rng(1), what="residual")
    assert r.status is Status.FAIL
    cx = r.counterexample
    assert set(cx.params) == {"a", "b"}
    env = {a: Fraction(cx.params["a"]), b: Fraction(cx.params["b"])}
    value = residual.subs({s: sp.Rational(q.numerator, q.denominator) for s, q in env.items()})
    assert value != 0 and value.is_Rational               # certified by the exact inputs
    assert cx.evidence is Evidence.BALL and "!= 0" in cx.relation and cx.values["residual"]


def test_false_identity_with_transcendental_residual_fails():
    residual = sp.atan(pos) + sp.atan(1 / pos) - sp.pi / 3   # true value is pi/2 for p > 0
    r = identity_check("atan", residual, rng())
    assert r.status is Status.FAIL
    assert Fraction(r.counterexample.params["p"]) > 0        # the declared domain is respected


def test_counterexample_uses_the_domain_parameter_names():
    lam, d = sp.Symbol("lambda", positive=True), sp.Symbol("d", positive=True)
    r = identity_check("wrong", lam * d - lam, rng(), names={lam: "lam"})
    assert r.status is Status.FAIL and set(r.counterexample.params) == {"lam", "d"}


def test_true_identity_sympy_cannot_simplify_is_undecided_not_pass():
    # atan(p) + atan(1/p) = pi/2 for p > 0; SymPy's simplify does not prove it, and the balls
    # always contain 0: the honest answer is undecided
    residual = sp.atan(pos) + sp.atan(1 / pos) - sp.pi / 2
    r = identity_check("atan reflection", residual, rng(), search=3)
    assert r.status is Status.UNDECIDED


def test_domain_points_are_tried_first():
    pts = [{a: Fraction(k, 7)} for k in range(1, 5)]
    # sqrt(a^2) - a is 0 for a > 0 only: the domain's points give no counterexample, and the
    # random fill-ins respect a's (absent) sign, so a negative one refutes the unconstrained a
    r = identity_check("sqrt(a^2) = a on a > 0", sp.sqrt(pos**2) - pos, rng(), points=pts)
    assert r.status is Status.PASS


def test_random_rationals_are_exact_and_respect_signs():
    g = rng(3)
    vals = [random_rational(a, g) for _ in range(50)]
    assert all(isinstance(v, Fraction) for v in vals) and any(v < 0 for v in vals)
    assert all(random_rational(pos, g) > 0 for _ in range(50))


def test_implicit_solution_of_separable_odes():
    # y' = -y: log|y| = -t + C
    r = implicit_solution_check("decay", sp.log(sp.Abs(y)), y, -y, -1, rng())
    assert r.status is Status.PASS
    # y' = y^2: -1/y = t + C
    r = implicit_solution_check("blow-up", -1 / y, y, y**2, 1, rng())
    assert r.status is Status.PASS
    # logistic y' = y (1 - y): log|y| - log|1 - y| = t + C
    F = sp.log(sp.Abs(y)) - sp.log(sp.Abs(1 - y))
    r = implicit_solution_check("logistic", F, y, y * (1 - y), 1, rng())
    assert r.status is Status.PASS


def test_wrong_implicit_solution_fails():
    # wrong sign of the time factor
    r = implicit_solution_check("decay, wrong sign", sp.log(sp.Abs(y)), y, -y, 1, rng())
    assert r.status is Status.FAIL
    # a wrong F: y^2/2 does not solve y' = -y
    r = implicit_solution_check("decay, wrong F", y**2 / 2, y, -y, -1, rng())
    assert r.status is Status.FAIL
    q = Fraction(r.counterexample.params["y"])
    assert q * (-q) + 1 != 0                            # F'(y) y' - (-1) at the point
    # logistic with the wrong sign inside
    F = sp.log(sp.Abs(y)) + sp.log(sp.Abs(1 - y))
    r = implicit_solution_check("logistic, wrong F", F, y, y * (1 - y), 1, rng())
    assert r.status is Status.FAIL


def test_negative_symbols_are_sampled_negative():
    # regression: negative=True was ignored, refuting at points outside the domain
    r = sp.Symbol("r", negative=True)
    g = rng(0)
    assert all(random_rational(r, g) < 0 for _ in range(20))
    # atan(r) + atan(1/r) = -pi/2 for every r < 0: never a certified failure
    res = identity_check("atan reflection, r < 0", sp.atan(r) + sp.atan(1 / r) + sp.pi / 2,
                         rng(0))
    assert res.status is not Status.FAIL


def test_random_rationals_respect_nonnegative_symbols():
    nn = sp.Symbol("s", nonnegative=True)
    g = rng(5)
    assert all(random_rational(nn, g) >= 0 for _ in range(60))
    # sqrt(s^2) = s holds for s >= 0 only: never refuted at a point outside the domain
    res = identity_check("sqrt(s^2) = s", sp.sqrt(nn**2) - nn, rng(5), search=30)
    assert res.status is not Status.FAIL
