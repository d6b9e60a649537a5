"""Unit tests of fa_proofs.intervals: certified ball evaluation of SymPy expressions."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from flint import arb

from fa_proofs.intervals import ball_str, certify_sign, evaluate, real_cbrt, to_arb

u, v, z = sp.symbols("u v z")


def contains(ball: arb, q: Fraction) -> bool:
    return ball.contains(to_arb(q))


def test_to_arb_exact_inputs_only():
    assert to_arb(3).mid() == 3 and to_arb(3).rad() == 0
    assert to_arb(Fraction(1, 4)).rad() == 0
    assert contains(to_arb(sp.Rational(1, 3)), Fraction(1, 3))
    with pytest.raises(TypeError):
        to_arb(0.1)              # a float is not an exact input
    with pytest.raises(TypeError):
        to_arb(True)


def test_sqrt2_against_its_15_digit_truncation():
    q = sp.Rational(1414213562373095, 10**15)
    assert certify_sign(sp.sqrt(2) - q, {}) == 1
    assert certify_sign(q - sp.sqrt(2), {}) == -1
    # through a symbol, with a Fraction as input
    assert certify_sign(sp.sqrt(u) - v, {u: 2, v: Fraction(1414213562373095, 10**15)}) == 1
    ball = evaluate(sp.sqrt(2), {})
    assert ball.rad() < 1e-70 and contains(ball, Fraction(0)) is False


def test_atan_and_log():
    # pi/4 = 0.785398163397448309..., log 2 = 0.693147180559945309...
    assert certify_sign(sp.atan(u) - sp.Rational(785398163397448, 10**15), {u: 1}) == 1
    assert certify_sign(sp.atan(u) - sp.Rational(785398163397449, 10**15), {u: 1}) == -1
    assert certify_sign(sp.log(u) - sp.Rational(693147180559945, 10**15), {u: 2}) == 1
    assert certify_sign(sp.log(u) - sp.Rational(693147180559946, 10**15), {u: 2}) == -1
    assert certify_sign(sp.log(u), {u: Fraction(1, 3)}) == -1
    assert certify_sign(sp.atan(u), {u: Fraction(-7, 2)}) == -1
    # exp, pi and E are evaluated as balls too
    assert certify_sign(sp.exp(u) - sp.E, {u: 1}) is None
    assert certify_sign(sp.pi - sp.Rational(314159265358979, 10**14), {}) == 1


def test_real_cbrt_of_negative_numbers():
    c = real_cbrt(u)
    for val, root in ((Fraction(-8), Fraction(-2)), (Fraction(-27, 8), Fraction(-3, 2)),
                      (Fraction(27, 8), Fraction(3, 2))):
        ball = evaluate(c, {u: val})
        assert contains(ball, root)
        assert ball.rad() < 1e-60
    # just above / below the exact cube root -3/2 of -27/8
    assert certify_sign(c + sp.Rational(149, 100), {u: Fraction(-27, 8)}) == -1
    assert certify_sign(c + sp.Rational(151, 100), {u: Fraction(-27, 8)}) == 1
    assert certify_sign(c, {u: Fraction(-1, 10**9)}) == -1
    # SymPy agrees with the evaluator on exact negative input
    assert c.subs(u, -8) == -2


def test_sign():
    assert certify_sign(sp.sign(u), {u: Fraction(-1, 3)}) == -1
    assert certify_sign(sp.sign(u), {u: Fraction(5, 3)}) == 1
    assert certify_sign(sp.sign(u) * sp.Abs(u) - u, {u: Fraction(-2, 7)}) is None  # exactly 0
    # the sign of a ball containing 0 is not invented
    with pytest.raises(ArithmeticError):
        evaluate(sp.sign(u), {u: 0})


def test_exact_zero_has_no_sign():
    assert certify_sign(u - v, {u: Fraction(1, 3), v: sp.Rational(1, 3)}) is None
    assert certify_sign(sp.sqrt(u) - 2, {u: 4}) is None
    # zero, but never an exact ball: every precision up to max_prec leaves it undecided
    assert certify_sign(4 * sp.atan(u) - sp.pi, {u: 1}) is None
    assert certify_sign(sp.log(u * v) - sp.log(u) - sp.log(v), {u: 3, v: Fraction(2, 5)}) is None


def test_raising_precision_decides_what_256_bits_cannot():
    # a 100-digit truncation of sqrt(2): the gap (~1e-100, ~2^-332) is below 256 bits
    q = sp.Rational(sp.integer_nthroot(2 * 10**200, 2)[0], 10**100)
    expr = sp.sqrt(2) - q
    ball = evaluate(expr, {}, prec=256)
    assert not (ball > 0) and not (ball < 0)          # undecided at 256 bits
    assert evaluate(expr, {}, prec=512) > 0
    assert certify_sign(expr, {}) == 1                 # doubles the precision until decided
    assert certify_sign(expr, {}, max_prec=256) is None
    # a 1500-digit truncation needs ~5000 bits: more than the default max_prec
    q2 = sp.Rational(sp.integer_nthroot(2 * 10**3000, 2)[0], 10**1500)
    assert certify_sign(sp.sqrt(2) - q2, {}) is None
    assert certify_sign(sp.sqrt(2) - q2, {}, max_prec=8192) == 1


def test_precision_is_restored():
    from flint import ctx
    before = ctx.prec
    evaluate(sp.sqrt(u), {u: 3}, prec=1000)
    certify_sign(sp.sqrt(u) - 2, {u: 4})
    assert ctx.prec == before


def test_unsupported_function_is_reported():
    with pytest.raises(NotImplementedError):
        evaluate(sp.gamma(u), {u: Fraction(1, 2)})


def test_ball_str_is_readable():
    s = ball_str(evaluate(sp.sqrt(2), {}))
    assert s.startswith("[1.41421356237310") and "+/-" in s
