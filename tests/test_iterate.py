"""Unit tests of fa_proofs.iterate (compiled maps, exact / ball / centred / float orbits) and of
the certified defect-coordinate orbits of the discrete section against exact rational iterates."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from flint import arb, fmpq

from fa_proofs.arith import EXACT, FLOAT, Ball
from fa_proofs.iterate import (Map, ball_orbit, bit_size, centred_orbit, exact_orbit, float_orbit,
                               max_radius)
from fa_proofs.sections.discrete import formulas as F
from fa_proofs.sections.discrete.orbits import EulerOrbit, MidpointOrbit, q

u, v, w = sp.symbols("u v w")
CUBIC = Map.of([F.x + F.eta / 2 * (F.C - F.x**3)], (F.x,), (F.d, F.lam, F.eta))   # (119)
_A = F.eta / 2 * F.P
EULER = Map.of([F.x + _A, F.S + _A**2], (F.x, F.S), (F.d, F.lam, F.eta))        # (159)-(160)


def compile_map(exprs, args, number):
    return {"exact": EXACT, "float": FLOAT}[number].compile(exprs, args) if number != "ball" \
        else Ball(128).compile(exprs, args)


def encloses(ball: arb, exact: fmpq | int) -> bool:
    """lower(ball) <= exact <= upper(ball), decided in exact rational arithmetic (a rounded
    ``arb(exact)`` would be a ball of its own, and ``contains`` would compare two balls)."""
    if not ball.is_finite():
        return False
    m, r = to_q(ball.mid()), to_q(ball.rad())   # both exact; lower()/upper() would round
    return m - r <= fmpq(exact) <= m + r


def to_q(b: arb) -> fmpq:
    """An exact (dyadic) ball as a rational."""
    assert b.is_exact()
    m, e = b.man_exp()
    m, e = int(m), int(e)
    return fmpq(m * 2**e) if e >= 0 else fmpq(m, 2**-e)


def test_encloses_helper():
    with Ball(128).workprec():
        third = arb(1) / 3
    assert encloses(third, fmpq(1, 3))
    assert not encloses(third, fmpq(1, 3) + fmpq(1, 2**120))
    assert encloses(arb(2), 2) and not encloses(arb(2), fmpq(2) + fmpq(1, 10**40))


# --- compiling (fa_proofs.arith) -------------------------------------------------------------
def test_compile_exact_keeps_rationals_exact():
    f = compile_map([u / 3 + v, u * v - sp.Rational(1, 3), 1 / u**2 - sp.Rational(7, 5) * v**3],
                    (u, v), "exact")
    out = f(fmpq(3, 2), fmpq(-2, 7))
    assert all(isinstance(o, fmpq) for o in out)
    a, b = Fraction(3, 2), Fraction(-2, 7)
    expect = (a / 3 + b, a * b - Fraction(1, 3), 1 / a**2 - Fraction(7, 5) * b**3)
    assert [Fraction(int(o.p), int(o.q)) for o in out] == list(expect)
    # the 1/3 is Q(1, 3), never the float 0.333...: exact even on integer-valued fmpq inputs
    assert f(fmpq(1), fmpq(1)) == (fmpq(4, 3), fmpq(2, 3), fmpq(-2, 5))
    g = compile_map([u / v, 1 / u**2], (u, v), "exact")
    assert g(fmpq(1), fmpq(3)) == (fmpq(1, 3), fmpq(1))


def test_compile_map_with_python_int_inputs_stays_exact():
    g = compile_map([u / v, 1 / u**2], (u, v), "exact")
    assert g(1, 3) == (fmpq(1, 3), fmpq(1))
    h = compile_map([u / v], (u, v), "ball")
    assert isinstance(h(1, 3)[0], arb)


def test_compile_exact_cubic_step_against_fractions():
    step = CUBIC.compiled(EXACT)
    x0, d, lam, eta = Fraction(2, 5), Fraction(1, 3), Fraction(5, 4), Fraction(33, 50)
    (x1,) = step(q(x0), q(d), q(lam), q(eta))
    assert x1 == q(x0 + eta / 2 * (2 * d * lam - x0**3))


def test_compile_exact_refuses_inexact_input():
    root = compile_map([sp.sqrt(u)], (u,), "exact")
    assert root(fmpq(9, 4)) == (fmpq(3, 2),)                # exact for perfect squares
    with pytest.raises(NotImplementedError):
        root(fmpq(2))                                       # never a rounded value
    f = compile_map([sp.Float(0.1) * u], (u,), "exact")
    with pytest.raises(TypeError):                          # a float never mixes silently
        f(fmpq(1, 2))


def test_compile_ball_encloses_the_exact_value():
    exprs = [u / 3 + v, u * v - sp.Rational(1, 3), 1 / u**2 - sp.Rational(7, 5) * v**3]
    fq = compile_map(exprs, (u, v), "exact")
    a, b = fmpq(3, 7), fmpq(-11, 13)
    for prec in (53, 128, 300):
        fb = Ball(prec).compile(exprs, (u, v))
        with Ball(prec).workprec():
            balls = fb(arb(a), arb(b))                       # inputs themselves rounded
        assert all(isinstance(o, arb) for o in balls)
        for ball, exact in zip(balls, fq(a, b)):
            assert encloses(ball, exact)
            assert ball.rad() > 0 and ball.rel_accuracy_bits() > prec - 10


def test_compile_float_vectorises():
    f = compile_map([u / 3 + v * w, sp.Integer(2)], (u, v, w), "float")
    uu = np.linspace(0.0, 1.0, 7)
    a, b = f(uu, 2.0, np.full(7, 0.5))
    assert a.shape == b.shape == (7,)
    np.testing.assert_allclose(a, uu / 3 + 1.0)
    assert np.all(b == 2.0)                                  # constants broadcast too
    etas = np.array([0.1, 0.3, 0.6])
    orb = float_orbit(CUBIC, [np.zeros(3)], 200, (0.5, 1.0, etas))
    assert len(orb) == 201 and orb[-1][0].shape == (3,)
    np.testing.assert_allclose(orb[-1][0], 1.0, atol=1e-12)  # x_t -> r = 1


# --- exact_orbit ---------------------------------------------------------------------------------
def test_exact_orbit_stops_at_the_bit_budget():
    params = (fmpq(1, 2), fmpq(2), fmpq(33, 50))
    full = exact_orbit(CUBIC, (0,), 6, params)
    assert len(full) == 7                                   # well within the default budget
    cut = exact_orbit(CUBIC, (0,), 50, params, max_bits=1000)
    assert 2 < len(cut) < 51
    sizes = [bit_size(s[0]) for s in cut]
    assert sizes[-1] > 1000 and max(sizes[:-1]) <= 1000    # stops right after crossing it
    assert cut == full[:len(cut)]                           # same exact values as the long run
    assert all(isinstance(s[0], fmpq) for s in cut)
    # bit length roughly triples per cubic step
    assert all(b >= 2 * a for a, b in zip(sizes[2:], sizes[3:]))


# --- ball_orbit versus centred_orbit ----------------------------------------------------------
def test_naive_radius_grows_centred_does_not():
    params = (fmpq(1, 2), fmpq(1), fmpq(66, 100))           # d = 1/2, lam = 1, eta = 0.66
    naive = ball_orbit(CUBIC, [0], 300, params, prec=128)
    cent = centred_orbit(CUBIC, [0], 300, params, prec=128)
    r_naive = [float(s[0].rad()) if s[0].rad().is_finite() else float("inf") for s in naive]
    r_cent = [max_radius(s) for s in cent]
    # naive: radius multiplied by about 1 + 3 eta x^2/2 ~ 2 per step near x = 1, so 128 bits run
    # out long before step 300; centred: stays at rounding level
    assert r_naive[50] > 100 * r_naive[10] > 0
    assert not r_naive[300] < 1.0
    assert max(r_cent) < 1e-30 and r_cent[300] < 1e-30
    # the centred enclosure agrees with the certified defect orbit (both contain x_300)
    orbit = MidpointOrbit(Fraction(1, 2), 1, Fraction(66, 100), 300)
    assert cent[300][0].overlaps(orbit.x(300))
    assert cent[300][0].rad() >= orbit.x(300).rad()


def test_centred_orbit_2d_encloses_exact_euler_iterates():
    params = (fmpq(1, 2), fmpq(1), fmpq(1, 10))
    exact = exact_orbit(EULER, (0, 0), 6, params)
    cent = centred_orbit(EULER, [0, 0], 6, params, prec=128)
    naive = ball_orbit(EULER, [0, 0], 6, params, prec=128)
    for t in range(7):
        for i in range(2):
            assert encloses(cent[t][i], exact[t][i]) and encloses(naive[t][i], exact[t][i])


# --- the certified defect-coordinate orbits against exact iterates --------------------------------
@pytest.mark.parametrize("d, lam, eta", [
    (Fraction(1, 2), Fraction(1), Fraction(66, 100)),        # r = 1 exact
    (Fraction(1, 2), Fraction(1), Fraction(2, 3)),           # the maximal step: phi(r) = 0
    (Fraction(1, 2), Fraction(2), Fraction(1, 5)),           # r = 2^(1/3)
    (Fraction(3, 7), Fraction(5, 4), Fraction(3, 10)),       # r = (15/14)^(1/3)
])
def test_midpoint_orbit_contains_exact_iterates(d, lam, eta):
    exact = exact_orbit(CUBIC, (0,), 8, (q(d), q(lam), q(eta)))
    assert len(exact) == 9
    orbit = MidpointOrbit(d, lam, eta, 8, prec=128)
    err = compile_map([F.lam - F.x**3 / (2 * F.d)], (F.x, F.d, F.lam), "exact")
    for t in range(9):
        xt = exact[t][0]
        assert encloses(orbit.x(t), xt), t
        assert encloses(orbit.product_error(t), err(xt, q(d), q(lam))[0]), t
        if t:
            assert orbit.x(t).rel_accuracy_bits() > 100
    assert orbit.x(0) == 0 and orbit.x(0).is_exact()


@pytest.mark.parametrize("d, lam, frac", [
    (Fraction(1, 2), Fraction(1), Fraction(1, 2)),
    (Fraction(1, 3), Fraction(2), Fraction(9, 10)),
])
def test_euler_orbit_contains_exact_iterates(d, lam, frac):
    eta = frac * Fraction(1, 10)          # below min(2/(3(S*+1)^2), 2/(2 d lam + 4/27)) here
    P = compile_map([F.P], (F.x, F.S, F.d, F.lam), "exact")
    exact = exact_orbit(EULER, (0, 0), 6, (q(d), q(lam), q(eta)))
    assert len(exact) == 7
    orbit = EulerOrbit(d, lam, eta, 6, prec=128)
    for t in range(7):
        xt, St = exact[t]
        assert encloses(orbit.xs[t], xt) and encloses(orbit.Ss[t], St), t
        assert encloses(orbit.Ps[t], P(xt, St, q(d), q(lam))[0]), t
        assert orbit.gap(t) > 0, t
        assert orbit.ell[t] > 0 and orbit.Ps[t] > 0
    for t in range(6):
        assert encloses(orbit.step(t), exact[t + 1][0] - exact[t][0])


def test_centred_form_encloses_the_image_of_a_wide_box():
    """The mean-value form needs the Jacobian over the whole box: with the Jacobian at the centre
    alone, the image of [1/2, 3/2] under x -> x^2 (which is [1/4, 9/4]) would not be enclosed."""
    square = Map.of([u**2], (u,))
    with Ball(128).workprec():
        box = arb(1, 0.5)
    out = centred_orbit(square, [box], 1, prec=128)[1][0]
    for x in (Fraction(1, 2), Fraction(3, 2), Fraction(7, 5)):
        assert encloses(out, fmpq(x.numerator**2, x.denominator**2))
