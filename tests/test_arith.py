"""Unit tests of fa_proofs.arith: one compiler, four arithmetic contexts, certified signs, and no
global precision left behind."""
from __future__ import annotations

import threading
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import arb, ctx as flint_ctx, fmpq

from fa_proofs.arith import (EXACT, FLOAT, MP, Ball, ball_str, certify_sign, parse_exact,
                             real_cbrt, to_fraction)

u, v, z = sp.symbols("u v z")


def contains(ball: arb, q: Fraction) -> bool:
    return ball.contains(Ball(128).convert(q))


def test_exact_inputs():
    assert to_fraction(3) == 3 and to_fraction(fmpq(1, 4)) == Fraction(1, 4)
    assert to_fraction(sp.Rational(1, 3)) == Fraction(1, 3) and to_fraction("2/6") == Fraction(1, 3)
    assert parse_exact("1e-3") == Fraction(1, 1000)
    with pytest.raises(ValueError):
        parse_exact("abc")
    with pytest.raises(TypeError):
        to_fraction(True)
    with pytest.raises(TypeError):
        EXACT.convert(0.1)              # a float is not an exact input of the exact context
    assert Ball(128).convert(Fraction(1, 4)).rad() == 0


def test_one_expression_four_contexts_agree():
    expr = [u**3 / 2 - sp.Rational(1, 3) * u + sp.sqrt(v) + sp.atan(u) * sp.log(v) + sp.pi]
    args = (u, v)
    b = Ball(200).compile(expr, args)(Fraction(1, 3), 2)[0]
    m = MP(40).compile(expr, args)(Fraction(1, 3), 2)[0]
    f = FLOAT.compile(expr, args)(1 / 3, 2.0)[0]
    assert b.rad() < 1e-55
    assert abs(float(b.mid()) - float(f)) < 1e-14
    assert abs(MP(40).ctx.mpf(b.mid().str(45, radius=False)) - m) < mpmath.mpf(10) ** -35
    # exact: rational functions stay exact
    q = EXACT.compile([u**3 / 2 - sp.Rational(1, 3) * u], (u,))(Fraction(1, 3))[0]
    assert q == fmpq(1, 54) - fmpq(1, 9)
    # vectorised floats
    arr = FLOAT.compile([u**2 + 1], (u,))(np.arange(3.0))[0]
    assert arr.tolist() == [1.0, 2.0, 5.0]


def test_exact_radicals_of_perfect_powers_and_sympy_fallback():
    assert EXACT.evaluate(sp.cbrt(u), {u: Fraction(27, 8)}) == fmpq(3, 2)
    val = EXACT.evaluate(sp.sqrt(u), {u: 2})           # not rational: an exact SymPy number
    assert val == sp.sqrt(2)


def test_sqrt2_against_its_15_digit_truncation():
    q = sp.Rational(1414213562373095, 10**15)
    assert certify_sign(sp.sqrt(2) - q, {}) == 1
    assert certify_sign(q - sp.sqrt(2), {}) == -1
    assert certify_sign(sp.sqrt(u) - v, {u: 2, v: Fraction(1414213562373095, 10**15)}) == 1


def test_atan_and_log():
    assert certify_sign(sp.atan(u) - sp.Rational(785398163397448, 10**15), {u: 1}) == 1
    assert certify_sign(sp.atan(u) - sp.Rational(785398163397449, 10**15), {u: 1}) == -1
    assert certify_sign(sp.log(u) - sp.Rational(693147180559945, 10**15), {u: 2}) == 1
    assert certify_sign(sp.log(u) - sp.Rational(693147180559946, 10**15), {u: 2}) == -1
    assert certify_sign(sp.pi - sp.Rational(314159265358979, 10**14), {}) == 1


def test_real_cbrt_of_negative_numbers():
    c = real_cbrt(u)
    for val, root in ((Fraction(-8), Fraction(-2)), (Fraction(-27, 8), Fraction(-3, 2)),
                      (Fraction(27, 8), Fraction(3, 2))):
        ball = Ball(256).evaluate(c, {u: val})
        assert contains(ball, root) and ball.rad() < 1e-60
        assert float(MP(30).evaluate(c, {u: val})) == pytest.approx(float(root))
        assert float(FLOAT.evaluate(c, {u: val})) == pytest.approx(float(root))
    assert certify_sign(c + sp.Rational(149, 100), {u: Fraction(-27, 8)}) == -1
    assert certify_sign(c + sp.Rational(151, 100), {u: Fraction(-27, 8)}) == 1


def test_sign_of_a_ball_containing_zero_is_not_invented():
    assert certify_sign(sp.sign(u), {u: Fraction(-1, 3)}) == -1
    with pytest.raises(ArithmeticError):
        Ball(128).evaluate(sp.sign(u - v), {u: Fraction(1, 3), v: Ball(128).convert(0.3333)
                                            + arb(0, 1)})


def test_exact_zeros_are_zero_and_hidden_zeros_undecided():
    assert certify_sign(u - v, {u: Fraction(1, 3), v: sp.Rational(1, 3)}) == 0
    assert certify_sign(sp.sqrt(u) - 2, {u: 4}) == 0
    assert certify_sign(4 * sp.atan(u) - sp.pi, {u: 1}, max_prec=512) == 0   # SymPy proves it


def test_raising_precision_decides_what_256_bits_cannot():
    q = sp.Rational(sp.integer_nthroot(2 * 10**200, 2)[0], 10**100)
    expr = sp.sqrt(2) - q
    ball = Ball(256).evaluate(expr, {})
    assert not (ball > 0) and not (ball < 0)
    assert Ball(512).evaluate(expr, {}) > 0
    assert certify_sign(expr, {}) == 1
    assert certify_sign(expr, {}, max_prec=256) is None


def test_no_global_precision_is_left_behind():
    before_flint, before_mp = flint_ctx.prec, mpmath.mp.dps
    Ball(1000).evaluate(sp.sqrt(u), {u: 3})
    certify_sign(sp.sqrt(u) - 2, {u: 5})
    MP(80).evaluate(sp.log(u), {u: 3})
    MP(80).ctx.odefun(lambda t, y: [y[0]], 0, [1])(1)
    assert flint_ctx.prec == before_flint and mpmath.mp.dps == before_mp


def test_two_threads_at_different_precisions_do_not_disturb_each_other():
    results: dict[int, list[float]] = {64: [], 2000: []}

    def work(prec: int) -> None:
        f = Ball(prec).compile([sp.sqrt(u)], (u,))
        for _ in range(300):
            results[prec].append(float(f(2)[0].rad()))

    threads = [threading.Thread(target=work, args=(p,)) for p in (64, 2000)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert max(results[2000]) < 1e-500 or max(results[2000]) == 0.0
    assert min(results[64]) > 1e-25                  # each thread kept its own precision


def test_compiled_functions_are_cached():
    a = Ball(128).compile([u + v], (u, v))
    assert Ball(128).compile([u + v], (u, v)) is a
    assert Ball(256).compile([u + v], (u, v)) is not a


@pytest.mark.parametrize("expr", [sp.gamma(u), sp.floor(u), sp.Min(u, 1), sp.erf(u)])
def test_unsupported_function_is_refused_not_evaluated_in_floats(expr):
    for arith in (Ball(128), MP(30), EXACT):
        with pytest.raises(NotImplementedError):
            arith.compile([expr], (u,))


def test_ball_str_is_readable():
    s = ball_str(Ball(128).evaluate(sp.sqrt(2), {}))
    assert s.startswith("[1.41421356237310") and "+/-" in s


@pytest.mark.parametrize("power, at, value", [(sp.Rational(-1, 2), 4, Fraction(1, 2)),
                                              (sp.Rational(-2, 3), 8, Fraction(1, 4)),
                                              (sp.Rational(3, 2), 4, Fraction(8)),
                                              (sp.Rational(1, 3), Fraction(27, 8), Fraction(3, 2))])
def test_rational_powers_in_every_context(power, at, value):
    expr = [u**power]
    assert contains(Ball(128).compile(expr, (u,))(at)[0], value)
    assert abs(float(MP(30).compile(expr, (u,))(at)[0]) - float(value)) < 1e-25
    assert abs(float(FLOAT.compile(expr, (u,))(float(at))[0]) - float(value)) < 1e-14
    assert EXACT.compile(expr, (u,))(at)[0] == fmpq(value.numerator, value.denominator)


def test_halves_stay_exact_rationals():
    f = EXACT.compile([u / 2 + sp.Rational(1, 2)], (u,))
    out = f(Fraction(1, 3))[0]
    assert isinstance(out, fmpq) and out == fmpq(2, 3)


def test_precision_is_restored_even_when_a_ball_computation_raises():
    before = flint_ctx.prec
    with pytest.raises(ZeroDivisionError):
        with Ball(1000).workprec():
            raise ZeroDivisionError
    assert flint_ctx.prec == before
    with pytest.raises(ArithmeticError):
        Ball(700).evaluate(sp.sign(u), {u: arb(0, 1)})
    assert flint_ctx.prec == before
