"""Certified times of Section 4 / Appendix C (python-flint balls).

A one-dimensional autonomous flow theta' = f(theta) takes the time int dtheta/f(theta) between
two values on an interval where f has no zero.  Every time here is enclosed twice: by the
closed form of Section 2's implicit solutions ((56) for Delta > 0, (42) for K = 0, compiled from
their one SymPy definition) and by ``acb.integral`` of 1/f after the absence of zeros on the path
is certified; theta(t) is enclosed by inverting the certified (monotone) time map.

The escape from r2 (Theorem 7) is parametrised without cancellation: with g = r3 - r2,
h = r2 - r1 and sigma(x) = 1/(1 + e^-x),

    theta = r2 + g sigma(x),   theta - r2 = g sigma(x),   r3 - theta = g sigma(-x),
    dt/dx = 2 / (g (h + g sigma(x)))          (bounded, analytic in |Im x| < pi),

so theta(0) = r2 + e^-delta is x0 = -delta - log(g - e^-delta), and the time to any x is an
integral of a smooth function however large delta is (the start r2 - e^-delta is the mirror
image: theta -> -theta maps the flow to itself with roots -r3 < -r2 < -r1).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Sequence

import numpy as np
import sympy as sp
from flint import acb, arb

from ...arith import Ball, _lambdify
from . import formulas as L


class NotCertified(ArithmeticError):
    """A time or a value could not be enclosed (a pole on the path, or too little precision)."""


def delta_prec(delta: float) -> int:
    """Bits for a start e^-delta from r2: the time to O(1) is delta T, and theta(delta t) is
    compared with limits at distances down to e^-delta (1.5 delta bits plus a margin)."""
    return int(1.5 * float(delta)) + 96


def integral(fn: Callable[[acb], acb], a: Any, b: Any, prec: int) -> arb:
    """int_a^b fn, certified (acb.integral); the integrand must be meromorphic on a
    neighbourhood of the real segment (poles give non-finite balls, which are refused)."""
    with Ball(prec).workprec():
        v = acb.integral(lambda x, analytic: fn(x), acb(a), acb(b))
    if not v.is_finite() or not v.imag.contains(0):
        raise NotCertified(f"integral not enclosed: {v}")
    return v.real


def to_arb(v: Any, prec: int) -> arb:
    return Ball(prec).convert(v)


# --- the implicit solution (56) as a linear form in the three logarithms -------------------------
_LOGS = sp.symbols("L1 L2 L3", real=True)


@lru_cache(maxsize=None)
def _G_linear() -> tuple[sp.Expr, ...]:
    """(56)'s G = A1 log|theta - r1| + A2 log|theta - r2| + A3 log|theta - r3|: the three
    coefficients, read from the one definition (no retyping)."""
    G = L.implicit_G(L.theta1)
    reps = {sp.log(sp.Abs(L.theta1 - ri)): Li for ri, Li in zip((L.r1, L.r2, L.r3), _LOGS)}
    lin = sp.expand(G.xreplace(reps))
    coeffs = tuple(lin.coeff(Li) for Li in _LOGS)
    assert sp.simplify(lin - sum(c * Li for c, Li in zip(coeffs, _LOGS))) == 0
    return coeffs


@lru_cache(maxsize=64)
def _compiled(prec: int):
    ctx = Ball(prec)
    roots = (L.r1, L.r2, L.r3)
    coeffs = ctx.compile(list(_G_linear()), roots)
    const = ctx.compile([L.derived_alpha_constant()], roots)
    return coeffs, const


@dataclass
class Escape:
    """theta1' = -(theta1 - r1)(theta1 - r2)(theta1 - r3)/2 started at r2 + s e^-delta
    (``roots``: exact r1 < r2 < r3; ``s`` = +1: towards r3, -1: towards r1), at ``prec`` bits."""

    roots: tuple[Any, Any, Any]
    s: int
    delta: Any
    prec: int = 0

    def __post_init__(self) -> None:
        if not self.prec:
            self.prec = delta_prec(float(self.delta))
        with Ball(self.prec).workprec():
            rr = [to_arb(v, self.prec) for v in self.roots]
            self.q = tuple(rr) if self.s > 0 else (-rr[2], -rr[1], -rr[0])
            q1, q2, q3 = self.q
            self.g, self.h = q3 - q2, q2 - q1
            if not (self.g > 0 and self.h > 0):
                raise NotCertified("roots not certified distinct and ordered")
            e = (-to_arb(self.delta, self.prec)).exp()
            if not e < self.g:
                raise NotCertified("e^-delta is not below r3 - r2")
            self.x0 = -to_arb(self.delta, self.prec) - (self.g - e).log()
            self.T = 2 / (self.g * self.h)                     # the escape time scale (derived)
            coeffs, const = _compiled(self.prec)
            self.A = coeffs(*self.q)
            self.c = const(*self.q)[0]
            self.G0 = self.G(self.x0)

    def workprec(self):
        """The context in which times handed to :meth:`at_time` must be computed."""
        return Ball(self.prec).workprec()

    # -- the parametrisation ------------------------------------------------------------------
    def sigma(self, x):
        return 1 / (1 + (-x).exp())

    def theta(self, x) -> arb:
        """theta1 at parameter x, in the original coordinates."""
        with Ball(self.prec).workprec():
            v = self.q[1] + self.g * self.sigma(x)
            return v if self.s > 0 else -v

    def from_r2(self, x) -> arb:
        """|theta1 - r2| = g sigma(x) (no cancellation)."""
        with Ball(self.prec).workprec():
            return self.g * self.sigma(x)

    def to_goal(self, x) -> arb:
        """|theta1 - goal| (goal r3 for s = +1, r1 for s = -1) = g sigma(-x)."""
        with Ball(self.prec).workprec():
            return self.g * self.sigma(-x)

    def rate(self, x):
        """dt/dx (works on arb and acb)."""
        return 2 / (self.g * (self.h + self.g * self.sigma(x)))

    # -- the two time maps --------------------------------------------------------------------
    def G(self, x) -> arb:
        """(56)'s G at theta(x) in the reflected coordinates (logs without cancellation)."""
        with Ball(self.prec).workprec():
            logs = ((self.h + self.g * self.sigma(x)).log(), (self.g * self.sigma(x)).log(),
                    (self.g * self.sigma(-x)).log())
            return sum((a * lg for a, lg in zip(self.A, logs)), arb(0))

    def time_closed(self, x) -> arb:
        """The time from the start to theta(x) by (56): -2 (G(theta) - G(theta0))."""
        with Ball(self.prec).workprec():
            return -2 * (self.G(x) - self.G0)

    def time_integral(self, xa, xb) -> arb:
        """int_{xa}^{xb} dt/dx dx, certified (the integrand has no pole on the real line:
        h + g sigma(x) > 0 and sigma is analytic in |Im x| < pi)."""
        return integral(self.rate, xa, xb, self.prec)

    # -- inversion ----------------------------------------------------------------------------
    def at_time(self, t: Any) -> tuple[arb, arb, arb]:
        """(x_lo, x_hi, time of x_lo by acb.integral): theta(t) lies between theta(x_lo) and
        theta(x_hi), certified by both time maps (Newton on the closed form, then the bracket's
        ends checked with (56) and with acb.integral)."""
        with Ball(self.prec).workprec():
            tt = to_arb(t, self.prec)
            x = self.x0 + tt / self.T
            for _ in range(200):
                step = (tt - self.time_closed(x)) / self.rate(x)
                x = arb((x + step).mid())
                if abs(float(step.mid())) < 2.0 ** (-self.prec + 24) * max(1.0, abs(float(x))):
                    break
            eps = arb(2) ** (-self.prec + 40) * max(1, abs(float(x.mid())))
            lo, hi = arb((x - eps).mid()), arb((x + eps).mid())
            if not (self.time_closed(lo) < tt < self.time_closed(hi)):
                raise NotCertified("closed-form bracket of theta(t) not certified")
        t_lo = self.time_integral(self.x0, lo)
        step_int = self.time_integral(lo, hi)
        with Ball(self.prec).workprec():
            t_hi = t_lo + step_int
            if not (t_lo < tt < t_hi):
                raise NotCertified("acb.integral bracket of theta(t) not certified")
        return lo, hi, t_lo

    def alpha_x(self) -> tuple[arb, arb]:
        """The parameter interval of alpha: G(alpha) = c (the derived defining equation), by
        Newton and a certified sign change (G decreases along the path)."""
        with Ball(self.prec).workprec():
            x = arb(0)
            for _ in range(200):
                step = (self.G(x) - self.c) / (self.rate(x) / 2)
                x = arb((x + step).mid())
                if abs(float(step.mid())) < 2.0 ** (-self.prec + 24) * max(1.0, abs(float(x))):
                    break
            eps = arb(2) ** (-self.prec + 40) * max(1, abs(float(x.mid())))
            lo, hi = arb((x - eps).mid()), arb((x + eps).mid())
            if not (self.G(lo) - self.c > 0 > self.G(hi) - self.c):
                raise NotCertified("no certified sign change of G - c around alpha")
            return lo, hi

    def x_of_theta(self, theta: Any) -> arb:
        """The parameter of a value strictly between r2 and the goal."""
        with Ball(self.prec).workprec():
            v = to_arb(theta, self.prec) * self.s - self.q[1]
            ratio = v / self.g
            if not (0 < ratio < 1):
                raise NotCertified("value not strictly between r2 and the goal")
            return (ratio / (1 - ratio)).log()


def hull(a: arb, b: arb, prec: int = 0) -> arb:
    """The union of two balls, at ``prec`` bits (the larger of the two balls' needs: a union
    taken at a lower ambient precision would round the result)."""
    with Ball(max(prec, 64, a.rel_accuracy_bits() + 16, b.rel_accuracy_bits() + 16)
              ).workprec():
        return a.union(b)


# --- K = 0: the vanishing time ----------------------------------------------------------------
@lru_cache(maxsize=16)
def _t0_compiled(prec: int):
    ctx = Ball(prec)
    # the integrand is rational: compiled raw, so that acb.integral can hand it complex balls
    raw = _lambdify([L.T0_integrand(L.theta1)], (L.theta1, L.r), ctx.namespace())
    return raw, ctx.compile([L.derived_T0_section2()], (L.theta0, L.r))


def vanishing_time(th0: Fraction, rr: Any, prec: int = 128) -> tuple[arb, arb]:
    """T0 = int_{theta0}^0 dtheta/theta1' for theta0 < 0 under (7): (acb.integral, Section 2's
    implicit solution (42)).  No zero on the path: theta1' = (r^3 - theta^3)/2 >= r^3/2 > 0 for
    theta <= 0 < r (certified below)."""
    if not th0 < 0:
        raise NotCertified("theta0 must be negative")
    integrand, closed = _t0_compiled(prec)
    with Ball(prec).workprec():
        r_b = to_arb(rr, prec)
        if not r_b > 0:
            raise NotCertified("r not certified positive")
        num = integral(lambda x: integrand(x, r_b)[0], to_arb(th0, prec), 0, prec)
        cf = closed(to_arb(th0, prec), r_b)[0]
    return num, cf


# --- footnote 2: the probability of three real roots --------------------------------------------
def prob_three_roots(dd: Fraction, ll: Fraction, R: Fraction, prec: int = 128) -> arb:
    """P(K < K*) for theta1(0), theta2(0) independent U([-R, R]), K = theta2 - theta1^2/(2d):
    (1/(4R^2)) int_{-R}^{R} clip(theta^2/(2d) + K* + R, 0, 2R) dtheta, K* the derived threshold
    (the integrand is the length of {theta2 < theta^2/(2d) + K*}); closed form of the piecewise
    quadratic between its certified breakpoints."""
    kstar = Ball(prec).evaluate(L.derived_sec41_threshold(), {L.d: dd, L.lam: ll})
    with Ball(prec).workprec():
        d_, R_ = to_arb(dd, prec), to_arb(R, prec)
        c0 = kstar + R_
        lo_sq = -2 * d_ * c0
        # a = sqrt(max(0, lo_sq)) is continuous in lo_sq, so a ball of lo_sq containing 0 (a
        # breakpoint at 0, e.g. R = -K* exactly) gives the enclosure [0, sqrt(max(0, upper))]
        if lo_sq > 0:
            a = lo_sq.sqrt()
        elif lo_sq.contains(0):
            a = arb(0).union(arb(lo_sq.upper()).sqrt()) if lo_sq.upper() > 0 else arb(0)
        else:
            a = arb(0)
        b = (2 * d_ * (R_ - kstar)).sqrt()
        # min(., R) as a ball: the union encloses it when the comparison is undecided
        a = R_ if a > R_ else (a.union(R_) if a.overlaps(R_) else a)
        b = R_ if b > R_ else (b.union(R_) if b.overlaps(R_) else b)
        Phi = lambda x: x**3 / (6 * d_) + c0 * x           # noqa: E731
        return 2 * ((Phi(b) - Phi(a)) + 2 * R_ * (R_ - b)) / (4 * R_**2)


def prob_three_roots_mc(dd: float, ll: float, R: float, n: int, rng: np.random.Generator
                        ) -> tuple[float, float, float]:
    """Monte Carlo estimate of footnote 2's probability with a 95% Wilson interval."""
    kstar = float(Ball(64).evaluate(L.derived_sec41_threshold(), {L.d: Fraction(dd),
                                                                   L.lam: Fraction(ll)}).mid())
    th = rng.uniform(-R, R, size=(n, 2))
    k = th[:, 1] - th[:, 0] ** 2 / (2 * dd)
    p = float(np.mean(k < kstar))
    z = 1.959963984540054
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return p, mid - half, mid + half


def ordered(values: Sequence[arb]) -> int | None:
    """+1 if certified strictly increasing, -1 if strictly decreasing, None otherwise."""
    inc = all(a < b for a, b in zip(values, values[1:]))
    dec = all(a > b for a, b in zip(values, values[1:]))
    return 1 if inc else (-1 if dec else None)
