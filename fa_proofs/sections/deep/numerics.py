"""Section 3 numerics: exact certificates on the reduced equation, and batch trajectories of the
L-layer flow (10), both from the one model (:mod:`fa_proofs.model.network`).

* :func:`limit_of` -- the exact convergence argument at an exact initial point: the conserved
  K_l (exact rationals), the reduced equation theta_1' = F(theta_1) (92) as an exact polynomial,
  the real root of F that theta_1 moves to (certified isolation), its multiplicity and rate, and a
  rational point on the path where F' > 0 if there is one (then |prod - lam| is not monotone:
  d/dt |prod - lam| = |F(theta_1)| F'(theta_1)/d_1 ... up to the positive factor 1/d_1).
* :func:`simulate` -- many trajectories of the full flow (10) at once
  (:func:`fa_proofs.simulate.integrate_flow` on ``deep_flow(L)``: the batch Taylor method), each in its own
  time tau = rho_i t (rho_i its exact rate), as Section 2 does.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

import numpy as np
from flint import arb, arb_poly, fmpq, fmpq_poly

from ...arith import EXACT, FLOAT, Ball, to_fraction
from ...model import network as N
from ...model.dynamics import deep_flow
from ...model.symbols import fa_symbols
from ...simulate import integrate_flow

ROOT_PREC = 256


def fq(v) -> fmpq:
    f = to_fraction(v)
    return fmpq(f.numerator, f.denominator)


def fr(v: fmpq) -> Fraction:
    return Fraction(int(v.p), int(v.q))


@dataclass(frozen=True)
class DeepCase:
    """One scalar system (10) at exact parameters and an exact initial state."""

    L: int
    ds: tuple[Fraction, ...]          # d_1..d_{L-1}
    lam: Fraction
    state0: tuple[Fraction, ...]      # theta_1(0)..theta_L(0)

    @property
    def theta0(self) -> Fraction:
        return self.state0[0]


def ds_of(point: Mapping[str, Any]) -> tuple[Fraction, ...]:
    L = int(point["L"])
    return tuple(Fraction(point[f"d{i}"]) for i in range(1, L))


@lru_cache(maxsize=None)
def _constants_exact(L: int, constants: Callable) -> Callable:
    return EXACT.compile(list(constants(L)), fa_symbols(L))


def init11_state(L: int, ds: Sequence[Fraction], theta0: Fraction,
                 constants: Callable = N.layer_constants) -> tuple[Fraction, ...]:
    """(11): theta_l(0) = C_l theta_0^(2^(l-1)), exactly (``constants``: L -> C_1..C_L)."""
    cs = _constants_exact(L, constants)(*ds)
    return tuple(fr(cs[l]) * Fraction(theta0) ** (2**l) for l in range(L))


def case_of(point: Mapping[str, Any], constants: Callable = N.layer_constants) -> DeepCase:
    """The system at a point of a deep domain: all initial values given (``thetaL_0``), or the
    initialisation (11) from ``theta1_0``."""
    L = int(point["L"])
    ds = ds_of(point)
    if f"theta{L}_0" in point and L > 1:
        state = tuple(Fraction(point[f"theta{l}_0"]) for l in range(1, L + 1))
    else:
        state = init11_state(L, ds, Fraction(point["theta1_0"]), constants)
    return DeepCase(L, ds, Fraction(point["lam"]), state)


# --- the reduced equation, exactly -------------------------------------------------------------
def integration_constants_of(case: DeepCase) -> tuple[Fraction, ...]:
    """K_2..K_L of the case, exactly (0 for all l under (11))."""
    ks = N.deep_integration_constants_exact(case.L, [fq(v) for v in case.state0],
                                            [fq(v) for v in case.ds])
    return tuple(fr(k) for k in ks)


@dataclass(frozen=True)
class Root:
    """A real root of F: exact when rational, else a certified ball."""

    exact: Fraction | None
    ball: arb
    multiplicity: int
    factor: fmpq_poly | None = None     # the irreducible factor it is a simple root of

    def __float__(self) -> float:
        return float(self.exact) if self.exact is not None else float(self.ball.mid())


@dataclass(frozen=True)
class Limit:
    """Where theta_1 goes from theta_1(0), certified: ``direction`` the sign of theta_1'(0) (0:
    theta_1(0) is a root, the solution is constant); ``root`` the limit (the nearest real root of
    F in that direction); ``rate`` = |F'(root)| (a ball; 0 at a multiple root: no exponential
    rate); ``witness`` a rational point strictly between theta_1(0) and the root where F' > 0
    (|prod - lam| increases there), or None (F' <= 0 on the whole path: monotone); ``F`` the
    exact polynomial; ``roots`` every real root."""

    direction: int
    root: Root
    rate: arb
    witness: Fraction | None
    F: fmpq_poly
    roots: tuple[Root, ...]
    ks: tuple[Fraction, ...]

    @property
    def exponential(self) -> bool:
        return self.root.multiplicity == 1


class Uncertified(ArithmeticError):
    """A comparison the balls could not decide."""


def field_poly(case: DeepCase) -> tuple[fmpq_poly, tuple[Fraction, ...]]:
    """theta_1' = F(theta_1) at the case (the model's (92) at exact values) and its K_l."""
    ks = integration_constants_of(case)
    F = N.deep_field_exact(case.L, [fq(v) for v in case.ds], fq(case.lam), [fq(k) for k in ks])
    return F, ks


def real_roots(F: fmpq_poly) -> tuple[Root, ...]:
    """The distinct real roots of F, increasing (rational ones exact)."""
    out: list[Root] = []
    with Ball(ROOT_PREC).workprec():
        _, factors = F.factor()
        for fac, mult in factors:
            if fac.degree() == 1:
                c = fac.coeffs()
                v = -c[0] / c[1]
                out.append(Root(fr(v), arb(v), mult))
                continue
            for z, m in fac.complex_roots():
                if z.imag == 0:
                    out.append(Root(None, z.real, mult * m, fac))
    return tuple(sorted(out, key=float))


def compare(x: Fraction, root: Root) -> int:
    """sign(x - root), certified (Uncertified if the ball cannot tell)."""
    if root.exact is not None:
        return (x > root.exact) - (x < root.exact)
    with Ball(ROOT_PREC).workprec():
        b = arb(fq(x))
        if b > root.ball:
            return 1
        if b < root.ball:
            return -1
    if root.factor is not None:
        # x lies in the isolating ball of a simple root of the irreducible factor: the factor's
        # exact signs at the ball's ends and at x say on which side of the root x is
        lo, hi = _bounds(root)
        p = root.factor
        s_lo, s_x, s_hi = (_sgn(p(fq(v))) for v in (lo, x, hi))
        if s_x != 0 and s_lo * s_hi < 0:
            return 1 if s_x == s_lo * -1 else -1
    raise Uncertified(f"cannot order {x} and the root {root.ball}")


def _sgn(v) -> int:
    return (v > 0) - (v < 0)


def _magnitude(F: fmpq_poly, x: float) -> int:
    """log2 of the largest term |c_k| |x|^k of F (bits a value of F at x can cancel)."""
    import math
    xabs = max(abs(x), 1.0)
    return max(0, int(max((int(c.p).bit_length() - int(c.q).bit_length()) + k * math.log2(xabs)
                          if c != 0 else 0.0 for k, c in enumerate(F.coeffs()))))


def ball_value(F: fmpq_poly, x: Root | Fraction, extra: int = 0) -> arb:
    """F at a root (its ball) or a rational, certified; at a root the working precision covers
    the cancellation of F's terms there (a degree-63 F cancels hundreds of bits)."""
    if not isinstance(x, Root) or x.exact is not None:
        xv = x.exact if isinstance(x, Root) else x
        with Ball(ROOT_PREC).workprec():
            return arb(F(fq(xv)))
    with Ball(ROOT_PREC + extra + _magnitude(F, float(x))).workprec():
        return arb_poly([arb(c) for c in F.coeffs()])(x.ball)


def _exact(v: arb) -> Fraction:
    man, exp = v.mid().man_exp()
    return Fraction(int(man)) * Fraction(2) ** int(exp)


def _bounds(x: Root | Fraction) -> tuple[Fraction, Fraction]:
    """Exact rational bounds of a value (a point for exact ones)."""
    if isinstance(x, Root):
        if x.exact is not None:
            return x.exact, x.exact
        with Ball(ROOT_PREC).workprec():
            return _exact(x.ball.lower()), _exact(x.ball.upper())
    return Fraction(x), Fraction(x)


def simplest_between(a: Fraction, b: Fraction | None) -> Fraction:
    """The rational with the smallest denominator strictly inside (a, b) (b None: +oo), by
    continued fractions."""
    import math
    fl = math.floor(a)
    if b is None or fl + 1 < b:
        return Fraction(fl + 1)
    if not a < b:
        raise ValueError("empty interval")
    s = simplest_between(1 / (b - fl), None if a == fl else 1 / (a - fl))
    return fl + 1 / s


def _rational_between(a: Root | Fraction, b: Root | Fraction) -> Fraction:
    """A simple rational strictly between two certified-ordered values a < b."""
    lo, hi = _bounds(a)[1], _bounds(b)[0]
    if not lo < hi:
        raise Uncertified("no certified rational between two roots")
    return simplest_between(lo, hi)


def _strictly(a, b) -> bool:
    """a < b certified (Fractions or Roots)."""
    if isinstance(a, Root) and isinstance(b, Root):
        if a.exact is not None and b.exact is not None:
            return a.exact < b.exact
        with Ball(ROOT_PREC).workprec():
            return bool(a.ball < b.ball)
    if isinstance(a, Root):
        return compare(b, a) == 1
    if isinstance(b, Root):
        return compare(a, b) == -1
    return a < b


def _witness(F: fmpq_poly, start: Fraction, root: Root, direction: int) -> Fraction | None:
    """A rational point strictly between ``start`` and ``root`` where F' > 0, exact; None if
    F' <= 0 on that interval (checked between the critical points, exactly)."""
    dF = F.derivative()
    if dF.is_zero():
        return None
    lo, hi = (start, root) if direction > 0 else (root, start)
    crit = [c for c in real_roots(dF) if _strictly(lo, c) and _strictly(c, hi)]
    marks: list = [lo, *crit, hi]
    for a, b in zip(marks, marks[1:]):
        q = _rational_between(a, b)
        if dF(fq(q)) > 0:
            return q
    return None


@lru_cache(maxsize=4096)
def limit_of(case: DeepCase) -> Limit:
    """The exact convergence argument at the case (see :class:`Limit`).  F has odd degree and a
    negative leading coefficient (-d_1 K), so it is positive far left and negative far right:
    whichever way theta_1 starts to move, a root lies ahead; theta_1 is monotone and bounded by
    it, hence converges to it, and there prod = lam."""
    F, ks = field_poly(case)
    if F.degree() % 2 == 0 or not F.leading_coefficient() < 0:
        raise ValueError(f"theta_1' is not of odd degree with a negative leading coefficient: {F}")
    roots = real_roots(F)
    x0 = case.theta0
    v0 = F(fq(x0))
    if v0 == 0:
        root = next(r for r in roots if r.exact == x0) if any(r.exact == x0 for r in roots) \
            else None
        if root is None:                  # an irrational root cannot equal a rational start
            raise ValueError("theta_1(0) is a root of F that was not isolated")
        return Limit(0, root, _rate(F, root), None, F, roots, ks)
    direction = 1 if v0 > 0 else -1
    ahead = [r for r in roots if compare(x0, r) == -direction]
    root = min(ahead, key=float) if direction > 0 else max(ahead, key=float)
    return Limit(direction, root, _rate(F, root), _witness(F, x0, root, direction), F, roots, ks)


def refine(root: Root, bits: int) -> Root:
    """The root in a ball of relative width about 2^-bits: Newton steps on its irreducible
    factor at high precision, then certified by the factor's exact opposite signs at the two
    rational ends of the new ball, inside the old isolating ball (so it is the same root)."""
    if root.exact is not None or root.factor is None:
        return root
    p = root.factor
    lo, hi = _bounds(root)
    # the terms of p near the root can exceed its value by many orders: work with that many
    # more bits
    bits_work = bits + 64 + _magnitude(p, float(root))
    with Ball(bits_work).workprec():
        P = arb_poly([arb(c) for c in p.coeffs()])
        dP = arb_poly([arb(c) for c in p.derivative().coeffs()])
        x = root.ball.mid()
        for _ in range(64):
            step = (P(x) / dP(x)).mid()
            if not step.is_finite():
                return root
            x = (x - step).mid()
            if step == 0 or abs(step) <= abs(x) * arb(2) ** (-bits - 8):
                break
        if not x.is_finite():
            return root
    xm = _exact(x)
    eps = max(abs(xm), Fraction(1)) * Fraction(1, 2**bits)
    a, b = xm - eps, xm + eps
    if lo <= a and b <= hi and _sgn(p(fq(a))) * _sgn(p(fq(b))) < 0:
        with Ball(bits_work).workprec():          # [xm - eps, xm + eps], enclosed
            ball = arb(fq(xm)) + arb("[0 +/- 1]") * arb(fq(eps))
        return Root(None, ball, root.multiplicity, p)
    return root


def _rate(F: fmpq_poly, root: Root) -> arb:
    """|F'(root)| as a ball (0 at a multiple root): the root refined until the ball is accurate
    to 1e-6 relative (a degree-63 F can have |F''| x radius above |F'| at the first isolation)."""
    if root.multiplicity > 1:
        return arb(0)
    dF = F.derivative()
    v = ball_value(dF, root)
    for bits in (256, 1024, 4096):
        if v.rad() <= 1e-6 * abs(v.mid()) and not v.contains(0):
            break
        v = ball_value(dF, refine(root, bits), extra=bits)
    return abs(v)


# --- trajectories ---------------------------------------------------------------------------------
@dataclass
class Trajectories:
    L: int
    tau: np.ndarray          # (m,)
    rho: np.ndarray          # (n,): t = tau / rho
    states: np.ndarray       # (m, L, n)
    success: np.ndarray
    ds: np.ndarray           # (L-1, n)
    lam: np.ndarray          # (n,)

    @property
    def product(self) -> np.ndarray:
        return self.states.prod(axis=1)

    def integration_constants(self) -> np.ndarray:
        """K_2..K_L along the trajectories, (m, L-1, n) (from the model's first integrals)."""
        f = N.deep_integration_constants(self.L, FLOAT)
        ks = f(*[self.states[:, l, :] for l in range(self.L)], *self.ds[:, None, :])
        return np.stack(ks, axis=1) if ks else np.zeros((len(self.tau), 0, self.states.shape[2]))


def simulate(cases: Sequence[DeepCase], rho: np.ndarray, horizon: float, m: int = 241,
             rtol: float = 1e-11, atol: float = 1e-14, max_steps: int = 20_000) -> Trajectories:
    """The flow (10) for cases of one depth L, each in its rescaled time tau = rho_i t."""
    L = cases[0].L
    if any(c.L != L for c in cases):
        raise ValueError("simulate takes cases of one depth")
    ds = np.array([[float(c.ds[i]) for c in cases] for i in range(L - 1)]).reshape(L - 1, -1)
    lam_v = np.array([float(c.lam) for c in cases])
    y0 = np.array([[float(c.state0[l]) for c in cases] for l in range(L)])
    rho = np.asarray(rho, dtype=float)

    tau = np.linspace(0.0, horizon, m)
    # an absolute tolerance per layer, relative to the layer's size (layers differ by decades)
    scale = np.maximum(np.abs(y0).max(axis=1), 1e-300)
    sol = integrate_flow(deep_flow(L), y0, tau, tuple(ds) + (lam_v,), rho, rtol=rtol,
                         atol=atol * np.minimum(scale, 1.0), max_steps=max_steps)
    return Trajectories(L, sol.t, rho, sol.y, sol.success, ds, lam_v)


__all__ = ["DeepCase", "case_of", "init11_state", "integration_constants_of", "Limit", "Root",
           "limit_of", "real_roots", "compare", "ball_value", "simplest_between", "field_poly", "Uncertified",
           "Trajectories", "simulate", "ds_of", "fq", "fr"]
