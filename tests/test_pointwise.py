"""Unit tests of fa_proofs.pointwise: certified signs and inequalities at exact points."""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from fa_proofs.pointwise import le_check, sign_check
from fa_proofs.verdicts import Evidence, Status

a, b = sp.symbols("a b")
lam = sp.Symbol("lambda")
PTS = [{a: Fraction(k, 7)} for k in range(-20, 21, 3)]
# sqrt(2) truncated to 1500 digits: nonzero, but not decidable within the default max_prec
SQRT2_1500 = sp.Rational(sp.integer_nthroot(2 * 10**3000, 2)[0], 10**1500)


def test_sign_check_pass():
    r = sign_check("a^2 + 1 > 0", a**2 + 1, +1, PTS, "a^2 + 1")
    assert r.status is Status.PASS and r.points == len(PTS) and r.evidence is Evidence.BALL
    r = sign_check("-exp(a) < 0", -sp.exp(a), -1, PTS, "-exp(a)")
    assert r.status is Status.PASS


def test_sign_check_fail_gives_the_point():
    pts = [{a: Fraction(3)}, {a: Fraction(1, 2)}, {a: Fraction(2)}]
    r = sign_check("a - 1 > 0", a - 1, +1, pts, "a - 1")
    assert r.status is Status.FAIL
    assert r.counterexample.params == {"a": "1/2"}
    assert "-0.5" in r.counterexample.values["a - 1"]
    # the domain's parameter names are used in the counterexample
    r = sign_check("lambda > 0", lam, +1, [{lam: Fraction(-1, 3)}], "lambda", names={lam: "lam"})
    assert r.counterexample.params == {"lam": "-1/3"}


def test_sign_check_exact_zero():
    pts = [{a: Fraction(2)}, {a: Fraction(1)}]
    r = sign_check("a - 1 > 0", a - 1, +1, pts, "a - 1")
    assert r.status is Status.UNDECIDED             # zero has no sign: not a failure either
    r = sign_check("a - 1 >= 0", a - 1, +1, pts, "a - 1", allow_zero=True)
    assert r.status is Status.PASS
    # an exact zero the balls cannot see, recognised by SymPy
    r = sign_check("4 atan(a) - pi >= 0", 4 * sp.atan(a) - sp.pi, +1, [{a: Fraction(1)}],
                   "4 atan(a) - pi", allow_zero=True)
    assert r.status is Status.PASS


def test_sign_check_undecidable_point_is_undecided():
    r = sign_check("sqrt(2) - q > 0", sp.sqrt(a) - SQRT2_1500, +1,
                   [{a: Fraction(9)}, {a: Fraction(2)}], "sqrt(a) - q")
    assert r.status is Status.UNDECIDED and "1 of 2" in r.note


def test_sign_check_ignores_symbols_not_in_the_expression():
    r = sign_check("a > 0", a, +1, [{a: Fraction(1), b: Fraction(-5)}], "a")
    assert r.status is Status.PASS


def test_le_check_pass_fail_equality():
    r = le_check("a <= a^2 + 1", a, a**2 + 1, PTS, "a <= a^2 + 1")
    assert r.status is Status.PASS
    r = le_check("2a <= a^2 + 1", 2 * a, a**2 + 1, PTS + [{a: Fraction(1)}], "AM-GM")
    assert r.status is Status.PASS                  # equality at a = 1 is allowed
    r = le_check("atan(a) <= pi/4", sp.atan(a), sp.pi / 4, [{a: Fraction(1)}], "atan")
    assert r.status is Status.PASS                  # exact equality found by SymPy
    r = le_check("a^2 <= a", a**2, a, [{a: Fraction(1, 2)}, {a: Fraction(2)}], "a^2 <= a")
    assert r.status is Status.FAIL
    assert r.counterexample.params == {"a": "2"}
    assert set(r.counterexample.values) == {"lhs", "rhs"}


def test_le_check_reports_its_tightness():
    r = le_check("a <= 1", a, sp.Integer(1), [{a: Fraction(1, 2)}, {a: Fraction(9, 10)}], "a <= 1")
    assert r.measure.quantity == "max lhs/rhs" and abs(r.measure.value - 0.9) < 1e-12
    assert r.measure.at == {"a": "9/10"}


def test_le_check_undecided():
    r = le_check("q <= sqrt(2)", SQRT2_1500, sp.sqrt(a), [{a: Fraction(2)}], "q <= sqrt(2)")
    assert r.status is Status.UNDECIDED


def test_le_check_fail_when_the_symbols_cancel():
    # regression: lhs/rhs were evaluated with only the symbols of rhs - lhs (KeyError)
    r = le_check("a + 1 <= a", a + 1, a, [{a: Fraction(1)}], "a + 1 <= a")
    assert r.status is Status.FAIL and r.counterexample.params == {"a": "1"}
