"""Certified orbits of the discrete maps, in defect coordinates (ball arithmetic, python-flint).

* midpoint (119) and its L-layer form (137): ``e_t = r - x_t`` obeys
  ``e_{t+1} = e_t * phi(e_t)`` (:data:`~.formulas.MIDPOINT_DEFECT_FACTOR`,
  :func:`~.formulas.layered_defect_factor`);
* Euler (159)-(160): the state ``(x_t, S_t, P_t)`` with ``P_t = P(x_t, S_t)`` carried by its own
  multiplicative recurrence :data:`~.formulas.EULER_P_FACTOR`.

Because the small quantities (``e_t``, ``P_t``, the gap ``ell_{S_t} - x_t``) are products of
factors, their balls keep a *relative* radius of a few ulps per step: 10,000 steps at 128 bits
lose a handful of bits, where the naive iteration of ``x_t`` needs a precision that grows with
the horizon (see ``benchmarks/bench_certified_iteration.py``).  Every quantity returned is a ball
that contains the exact value for the exact (rational) parameters given.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import numpy as np
import sympy as sp
from flint import arb

from ...arith import EXACT, FLOAT, Ball
from . import formulas as F

Exact = Fraction | int


q = EXACT.convert            # an exact number as fmpq (the one converter, fa_proofs.arith)


def exact_root(v: Fraction, n: int) -> Fraction | None:
    """The rational n-th root of v > 0 if there is one."""
    out = []
    for part in (v.numerator, v.denominator):
        k = round(part ** (1.0 / n)) if part < 2**1000 else None
        if k is None:
            return None
        k = next((j for j in (k - 1, k, k + 1) if j > 0 and j**n == part), None)
        if k is None:
            return None
        out.append(k)
    return Fraction(out[0], out[1])


def root_ball(v: Fraction, n: int) -> tuple[arb, Fraction | None]:
    """v^(1/n) as a ball, exact (with the rational) when v is a perfect n-th power."""
    ex = exact_root(Fraction(v), n)
    if ex is not None:
        return arb(q(ex)), ex
    return arb(q(v)).root(n), None


def _coefficients(expr: sp.Expr) -> list[sp.Expr]:
    """Coefficients of ``expr`` as a polynomial in e, constant term first."""
    return list(reversed(sp.Poly(expr, F.e).all_coeffs()))


def _horner(coeffs: list[arb], v: arb) -> arb:
    acc = coeffs[-1]
    for c in reversed(coeffs[:-1]):
        acc = acc * v + c
    return acc


class DefectFactor:
    """phi as a polynomial twice over, coefficients evaluated once:

    * in e = r - x (``sum_k c_k e^k``): near the fixed point; its c_0 = f'(r) is computed exactly
      (fmpq) when r is rational, so phi keeps its relative precision as e -> 0 even where the
      convergence is superlinear (c_0 = 0 at the maximal step);
    * in x = r - e: far from it (e > r/2), where the e-expansion alternates with binomial-size
      coefficients (degree gamma - 1 = 14 for four layers) and would lose bits at every step,
      while the x-form is 1 minus a sum of positive terms."""

    def __init__(self, expr: sp.Expr, args: tuple[sp.Symbol, ...]):
        self.ce = _coefficients(expr)
        self.cx = list(reversed(sp.Poly(sp.expand(expr.subs(F.e, F.r - F.x)), F.x).all_coeffs()))
        self.args = args
        self.exact = EXACT.compile(self.ce, args)

    def coefficients(self, values: tuple, exact: bool, prec: int) -> list[arb]:
        if exact:
            return [arb(c) for c in self.exact(*(q(v) for v in values))]
        return list(Ball(prec).compile(self.ce, self.args)(*values))

    def coefficients_x(self, values: tuple, prec: int) -> list[arb]:
        return list(Ball(prec).compile(self.cx, self.args)(*values))


# --- compiled formulas (each from its one SymPy definition) ------------------------------------
_MID_PHI = DefectFactor(F.MIDPOINT_DEFECT_FACTOR, (F.r, F.eta))
_MID_ERR = ([F.MIDPOINT_PRODUCT_ERROR], (F.e, F.r, F.d))
_EULER_STEP = ([F.x + F.eta / 2 * F.P_t, F.S + (F.eta / 2 * F.P_t) ** 2,
                F.P_t * F.EULER_P_FACTOR], (F.x, F.S, F.P_t, F.eta))
_P = ([F.P, sp.diff(F.P, F.x)], (F.x, F.S, F.d, F.lam))
_SSTAR = ([F.PRINTED_SSTAR_EQ, sp.diff(F.PRINTED_SSTAR_EQ, F.x)], (F.x, F.d, F.lam))


def _at(prec: int, compiled: tuple):
    """A formula pair (exprs, args) compiled for balls at ``prec`` bits."""
    return Ball(prec).compile(*compiled)


@lru_cache(maxsize=None)
def _layered(g: int):
    return (DefectFactor(F.layered_defect_factor(g), (F.r, F.eta, F.K, F.d1)),
            ([F.layered_product_error(g)], (F.e, F.r, F.K)))


def interval_newton(fn, seed: float, scale: float, prec: int) -> arb:
    """A certified enclosure of the unique root of ``fn`` near ``seed``: Newton on centres, then
    one interval-Newton step ``N = m - f(m)/f'(X)`` that must land inside ``X``.  ``fn(v)``
    returns ``(f(v), f'(v))`` as balls at ``prec`` bits.  Raises ArithmeticError if it cannot
    certify."""
    m = arb(seed)
    for _ in range(200):
        f, fp = fn(m)
        nm = (m - f / fp).mid()
        if abs(float(nm - m)) <= scale * 2.0 ** -(prec - 8):
            m = nm
            break
        m = nm
    for widen in range(prec - 16, 0, -4):
        X = arb(m, arb(scale) * arb(2) ** (-widen))
        f, _ = fn(arb(m))
        _, fpX = fn(X)
        if fpX.contains(0):
            continue
        N = m - f / fpX
        if X.contains(N):
            return N
    raise ArithmeticError("interval Newton could not enclose the root")


# --- the one-dimensional maps: defect orbits --------------------------------------------------
class DefectOrbit:
    """e_0 = r, e_{t+1} = e_t phi(e_t) for a map x -> f(x) with fixed point r and x_0 = 0:
    ``r`` is the ``n``-th root of ``radicand`` (exact when it is a perfect power), ``phi`` a
    :class:`DefectFactor` whose other arguments are ``params``.  Stops early once superlinear
    convergence has squared the relative error below half the working precision."""

    prec: int
    r: arb
    e: list[arb]
    phi: list[arb]

    def _iterate(self, factor: DefectFactor, radicand: Fraction, n: int, params: tuple,
                 steps: int) -> None:
        with Ball(self.prec).workprec():
            self.r, r_exact = root_ball(radicand, n)
            cs = factor.coefficients((r_exact if r_exact is not None else self.r, *params),
                                     r_exact is not None, self.prec)
            cx = factor.coefficients_x((self.r, *params), self.prec)
            half = self.r / 2
            self.phi, self.e = [], [self.r]
            for t in range(steps):
                et = self.e[-1]
                if et.rel_accuracy_bits() < self.prec // 2:
                    break            # superlinear convergence squares the relative error
                if et < half:
                    self.phi.append(_horner(cs, et))
                else:                # x_t = r - e_t (x_0 = 0 exactly)
                    self.phi.append(_horner(cx, arb(0) if t == 0 else self.r - et))
                self.e.append(et * self.phi[-1])

    def position(self, t: int) -> arb:
        """x_t = r - e_t (x_0 = 0 exactly)."""
        if t == 0:
            return arb(0)
        with Ball(self.prec).workprec():
            return self.r - self.e[t]

    def factor(self, t: int) -> arb:
        """e_{t+1} / e_t."""
        return self.phi[t]


@dataclass
class MidpointOrbit(DefectOrbit):
    """x_{t+1} = x_t + eta/2 (2 d lam - x_t^3), x_0 = 0 (the reduced midpoint scheme (119)), as
    defects e_t = r - x_t, r = (2 d lam)^(1/3)."""

    d: Exact
    lam: Exact
    eta: Exact
    steps: int
    prec: int = 128

    def __post_init__(self) -> None:
        self._iterate(_MID_PHI, 2 * Fraction(self.d) * Fraction(self.lam), 3, (self.eta,),
                      self.steps)

    x = DefectOrbit.position

    def product_error(self, t: int) -> arb:
        """lam - x_t y_t (y_t = x_t^2 / (2d), Lemma 19)."""
        with Ball(self.prec).workprec():
            return _at(self.prec, _MID_ERR)(self.e[t], self.r, arb(q(self.d)))[0]


@dataclass
class LayeredOrbit(DefectOrbit):
    """theta_{t+1} = theta_t + eta d1 (lam - K theta_t^gamma), theta_0 = 0 ((137)), as defects
    e_t = r - theta_t, r = (lam/K)^(1/gamma)."""

    K: Exact
    d1: Exact
    lam: Exact
    eta: Exact
    gamma: int
    steps: int
    prec: int = 128

    def __post_init__(self) -> None:
        self._iterate(_layered(self.gamma)[0], Fraction(self.lam) / Fraction(self.K), self.gamma,
                      (self.eta, self.K, self.d1), self.steps)

    theta = DefectOrbit.position

    def product_error(self, t: int) -> arb:
        """lam - K theta_t^gamma = lam - theta_L ... theta_1 by (136)-(137)."""
        _, err = _layered(self.gamma)
        with Ball(self.prec).workprec():
            return _at(self.prec, err)(self.e[t], self.r, arb(q(self.K)))[0]


# --- forward Euler -----------------------------------------------------------------------------
_P_FLOAT = FLOAT.compile(*_P)
_SSTAR_FLOAT = FLOAT.compile(*_SSTAR)


def _newton_from_right(fn, start: np.ndarray) -> np.ndarray:
    """Float seeds: Newton from the right of the positive root, where P(., S) and P(x, x) are
    concave and decreasing, so the iterates decrease monotonically to it (vectorised)."""
    v = start
    with np.errstate(all="ignore"):          # a diverging orbit: the certification refuses it
        for _ in range(100):
            f, fp = fn(v)
            v = v - f / fp
    return v


def _start(S: np.ndarray | float, d: Exact, lam: Exact) -> np.ndarray:
    c = float(2 * Fraction(d) * Fraction(lam))
    return np.maximum(np.sqrt(np.maximum(S, 0.0)), c ** (1 / 3)) * 2 + 2.0


def sstar(d: Exact, lam: Exact, prec: int = 128) -> arb:
    """S*: the unique positive root of P(x, x) = 2 d lam - x^3 + x^2 (Theorem 26)."""
    dd, ll = float(d), float(lam)
    seed = float(_newton_from_right(lambda v: _SSTAR_FLOAT(v, dd, ll), _start(1.0, d, lam)))
    with Ball(prec).workprec():
        db, lb = arb(q(d)), arb(q(lam))
        f = _at(prec, _SSTAR)
        return interval_newton(lambda v: f(v, db, lb), seed, max(1.0, seed), prec)


def ell_of(S: arb, d: Exact, lam: Exact, seed: float, prec: int) -> arb:
    """ell_S: the unique positive root of P(., S) (one sign change: Descartes), for S a ball."""
    with Ball(prec).workprec():
        dd, ll = arb(q(d)), arb(q(lam))
        f = _at(prec, _P)
        return interval_newton(lambda v: f(v, S, dd, ll), seed, max(1.0, seed), prec)


def _ell_seeds(S: np.ndarray, d: Exact, lam: Exact) -> np.ndarray:
    """Float seeds of ell_S for an array of S."""
    dd, ll = float(d), float(lam)
    return _newton_from_right(lambda v: _P_FLOAT(v, S, dd, ll), _start(S, d, lam))


@dataclass
class EulerOrbit:
    """(x_t, S_t, P_t) of (159)-(160) with x_0 = S_0 = 0, P_t = P(x_t, S_t) carried exactly by
    P_{t+1} = P_t phi(x_t, S_t, P_t); ``ell[t]`` encloses ell_{S_t}; ``gap(t)`` = ell_{S_t} - x_t."""

    d: Exact
    lam: Exact
    eta: Exact
    steps: int
    prec: int = 128
    xs: list[arb] = field(init=False)
    Ss: list[arb] = field(init=False)
    Ps: list[arb] = field(init=False)

    def __post_init__(self) -> None:
        c = 2 * Fraction(self.d) * Fraction(self.lam)
        with Ball(self.prec).workprec():
            eta = arb(q(self.eta))
            step = _at(self.prec, _EULER_STEP)
            self.xs, self.Ss, self.Ps = [arb(0)], [arb(0)], [arb(q(c))]
            for _ in range(self.steps):
                xn, Sn, Pn = step(self.xs[-1], self.Ss[-1], self.Ps[-1], eta)
                self.xs.append(xn)
                self.Ss.append(Sn)
                self.Ps.append(Pn)
        self._ell: list[arb] | None = None

    @property
    def ell(self) -> list[arb]:
        """ell_{S_t} for every t, enclosed on first use (a diverging orbit has none: the
        interval Newton step raises ArithmeticError)."""
        if self._ell is None:
            seeds = _ell_seeds(np.array([float(s.mid()) for s in self.Ss]), self.d, self.lam)
            self._ell = [ell_of(S, self.d, self.lam, float(sd), self.prec)
                         for S, sd in zip(self.Ss, seeds)]
        return self._ell

    def ell_at(self, t: int) -> arb:
        """ell_{S_t} alone (from the list if it was enclosed already)."""
        if self._ell is not None:
            return self._ell[t]
        seed = _ell_seeds(np.array([float(self.Ss[t].mid())]), self.d, self.lam)[0]
        return ell_of(self.Ss[t], self.d, self.lam, float(seed), self.prec)

    @property
    def c(self) -> Fraction:
        return 2 * Fraction(self.d) * Fraction(self.lam)

    def gap(self, t: int) -> arb:
        """ell_{S_t} - x_t = P_t / (ell^2 + ell x + x^2 - S) (P(x,S) - P(ell,S) factorised)."""
        with Ball(self.prec).workprec():
            l, x, S = self.ell[t], self.xs[t], self.Ss[t]
            return self.Ps[t] / (l * l + l * x + x * x - S)

    def step(self, t: int) -> arb:
        """x_{t+1} - x_t = eta/2 P_t."""
        with Ball(self.prec).workprec():
            return arb(q(self.eta)) / 2 * self.Ps[t]

    def ell_increment(self, t: int) -> arb:
        """ell_{S_{t+1}} - ell_{S_t} by the identity (184)-(186) (first line), relative-precise."""
        with Ball(self.prec).workprec():
            l0, l1, S1 = self.ell[t], self.ell[t + 1], self.Ss[t + 1]
            dx = self.step(t)
            return l0 * dx * dx / (l1 * l1 + l1 * l0 + l0 * l0 - S1)

    def product_error(self, t: int) -> arb:
        """lam - x_t y_t = P_t / (2d) (by (143))."""
        with Ball(self.prec).workprec():
            return self.Ps[t] / (2 * arb(q(self.d)))

    def factor(self, t: int) -> arb:
        with Ball(self.prec).workprec():
            return self.Ps[t + 1] / self.Ps[t]

    def ell_inf(self, s_star: arb) -> arb:
        """A certified enclosure of ell_{S_inf}, from the orbit's last state T.

        Lower end ell_{S_T} (S_t increases).  Upper end: with g = ell_inf - x_T = sum_{s>=T}
        (x_{s+1} - x_s) (x_t -> ell_inf, Theorem 26 part 2) and each increment
        eta/2 (ell_s - x_s)(ell_s^2 + ell_s x_s + x_s^2 - S_s) <= 3 eta/2 S*^2 g,
        S_inf <= S_T + 3 eta/2 S*^2 g^2; iterating g <- ell_{S_T + 3 eta S*^2 g^2 / 2} - x_T from
        g = S* - x_T gives decreasing upper bounds."""
        T = len(self.xs) - 1
        with Ball(self.prec).workprec():
            xT, ST = self.xs[T], self.Ss[T]
            lo = self.ell_at(T)
            g = s_star - xT
            coef = 3 * arb(q(self.eta)) / 2 * s_star * s_star
            hi = s_star
            for _ in range(40):
                S_up = ST + coef * g * g
                seed = float(_ell_seeds(np.array([float(S_up.mid())]), self.d, self.lam)[0])
                l_up = ell_of(arb(S_up.upper()), self.d, self.lam, seed, self.prec)
                new_hi = arb(l_up.upper())
                if not new_hi < hi:
                    break
                hi = new_hi
                g = hi - arb(xT.lower())
            return arb(lo.lower()).union(hi)


def horizon(rate: float, decades: float = 25.0, cap: int = 10_000, floor: int = 50) -> int:
    """Steps for a contraction ``rate`` to shrink by ``10^-decades``, within [floor, cap]."""
    if not 0 < rate < 1:
        return cap
    return int(min(cap, max(floor, math.ceil(decades * math.log(10) / -math.log(rate)))))
