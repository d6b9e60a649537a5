"""Simulation of the scalar flow (6): batches of double-precision trajectories
(:func:`fa_proofs.simulate.integrate_flow`: the batch Taylor method) and
high-precision mpmath trajectories, all compiled from the one SymPy definition of the flow.

Each batch trajectory is integrated in its own rescaled time tau = rho_i * t, where rho_i is a
rate scale of that case (its slowest exponential rate), so that one shared output grid serves
systems whose rates differ by orders of magnitude.  The rescaling is exact:
d theta/d tau = f(theta)/rho_i.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp

from flint import arb

from ... import arb_taylor as AT
from ...arith import MP, Ball
from ...model.dynamics import SHALLOW_FLOW
from ...simulate import integrate_flow
from . import formulas as F
from .domains import K_of, lam_of


@dataclass(frozen=True)
class ScalarCase:
    """One scalar system (6) at a domain point: exact d, lambda, K and theta1(0)."""

    d: Fraction
    lam: Fraction
    K: Fraction
    theta0: Fraction

    @property
    def theta2_0(self) -> Fraction:
        return self.theta0**2 / (2 * self.d) + self.K

    def roots(self):
        return F.real_roots(self.d, self.lam, self.K)

    def P(self, th: Fraction) -> Fraction:
        return th**3 + 2 * self.d * self.K * th - 2 * self.d * self.lam


def case_of(point: Mapping[str, Any]) -> ScalarCase:
    """The scalar system of a point of any of the scalar domains (K from (37), lambda = 0 where
    the domain has no lambda)."""
    th = point["theta1_0"] if "theta1_0" in point else point["theta1"]
    return ScalarCase(Fraction(point["d"]), lam_of(point), K_of(point), Fraction(th))


def targets(cases: Sequence[ScalarCase]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(limit root, exact rate there, time scale) per case, from the exact roots; the side of
    theta1(0) is decided exactly."""
    tgt, rate, rho = [], [], []
    for c in cases:
        roots = [float(v) for v in c.roots()]
        pv = c.P(c.theta0)
        if pv == 0:
            tg = float(c.theta0)
        elif pv > 0:
            tg = max([v for v in roots if v < c.theta0] or [min(roots)])
        else:
            tg = min([v for v in roots if v > c.theta0] or [max(roots)])
        dk = float(c.d * c.K)
        dP = lambda z: 3 * z * z + 2 * dk
        tgt.append(tg)
        rate.append(dP(tg) / 2)
        rates = [abs(dP(v)) / 2 for v in roots if abs(dP(v)) > 1e-12 * max(1, v * v)]
        rho.append(min(rates) if rates else 1.0)
    return np.array(tgt), np.array(rate), np.array(rho)


@dataclass
class Trajectories:
    tau: np.ndarray          # (m,) rescaled time grid
    rho: np.ndarray          # (n,) time scale per trajectory: t = tau / rho
    theta1: np.ndarray       # (m, n)
    theta2: np.ndarray       # (m, n)
    success: np.ndarray      # (n,)
    d: np.ndarray
    lam: np.ndarray

    @property
    def product(self) -> np.ndarray:
        return self.theta1 * self.theta2

    @property
    def conserved(self) -> np.ndarray:
        return self.theta2 - self.theta1**2 / (2 * self.d)


def simulate(cases: Sequence[ScalarCase], rho: np.ndarray, horizon: float = 80.0, m: int = 1601,
             rtol: float = 1e-11, atol: float = 1e-14, tau: np.ndarray | None = None
             ) -> Trajectories:
    d = np.array([float(c.d) for c in cases])
    lam = np.array([float(c.lam) for c in cases])
    y0 = np.array([[float(c.theta0) for c in cases], [float(c.theta2_0) for c in cases]])
    tau = np.linspace(0.0, horizon, m) if tau is None else tau
    scale = np.maximum(np.abs(y0).max(axis=0), 1.0)
    sol = integrate_flow(SHALLOW_FLOW, y0, tau, (d, lam), rho, rtol=rtol, atol=atol * scale.min())
    return Trajectories(sol.t, np.asarray(rho, float), sol.y[:, 0, :], sol.y[:, 1, :],
                        sol.success, d, lam)


def simulate_mp(case: ScalarCase, times: Sequence, dps: int,
                theta0: Callable[[Any], Any] | None = None) -> list[tuple[Any, Any]]:
    """A high-precision trajectory of (6) from the exact case, at ``times`` (the arb Taylor
    integrator, :mod:`fa_proofs.arb_taylor`, on the field (6) at the exact ``d, lam``; values as
    ``mpf`` of the private ``MP(dps)`` context); ``theta0(ctx)`` overrides theta1(0) (computed in
    that mpmath context, e.g. a start e^-delta away from a root).  theta2(0) follows from K."""
    arith = MP(dps)
    dd, kk = (arith.convert(v) for v in (case.d, case.K))
    th0 = arith.convert(case.theta0) if theta0 is None else theta0(arith.ctx)
    y0 = [_mp_to_arb(th0), _mp_to_arb(th0**2 / (2 * dd) + kk)]
    vals = AT.integrate_fn(F.FLOW, (F.theta1, F.theta2), {F.d: case.d, F.lam: case.lam}, y0,
                           list(times), dps)
    return [(AT.to_mpf(arith.ctx, v[0]), AT.to_mpf(arith.ctx, v[1])) for v in vals]


def _mp_to_arb(v) -> arb:
    """An mpmath number as a ball, exactly (its mantissa and exponent)."""
    man, exp = v.man_exp
    return arb(int(man)) * arb(2) ** int(exp) if man else arb(0)


def simulate_reduced_mp(rhs: sp.Expr, args: Sequence[sp.Symbol], values: Sequence[Any],
                        theta0: Fraction, times: Sequence, dps: int,
                        offset: tuple[int, int] | None = None) -> list[Any]:
    """A high-precision trajectory of a reduced equation theta1' = rhs(theta1, *args) at the
    exact ``values`` of ``args``, from ``theta0`` (plus ``sign * e^-delta`` for
    ``offset = (sign, delta)``, computed in the private mpmath context): theta1 at ``times``
    (half the work of the full flow, for long runs).  Cached: a trajectory depends on its
    inputs only (a mutant of a statement re-checks the same trajectories)."""
    return list(_reduced_mp(rhs, tuple(args), tuple(Fraction(v) for v in values),
                            Fraction(theta0), tuple(times), int(dps), offset))


@lru_cache(maxsize=64)
def _reduced_mp(rhs, args, values, theta0, times, dps, offset):
    arith = MP(dps)
    prec = int(dps * 3.33) + 32
    with Ball(prec).workprec():
        th0 = Ball(prec).convert(theta0)
        if offset is not None:
            th0 = th0 + offset[0] * (-arb(offset[1])).exp()
        out = AT.integrate_fn([rhs], (F.theta1,), dict(zip(args, values)), [th0],
                              list(times), dps)
    return tuple(AT.to_mpf(arith.ctx, v[0]) for v in out)


def monotone_violation(values: np.ndarray, direction: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """Per trajectory: the largest step against ``direction`` (+1 increasing, -1 decreasing),
    beyond the tolerance ``tol``; 0 where the sequence is monotone within tolerance."""
    steps = np.diff(values, axis=0) * direction
    worst = np.maximum(-steps.min(axis=0), 0.0)
    return np.where(worst > tol, worst, 0.0)


def reach_time(case: ScalarCase, target: float, band: float = 1e-3) -> float:
    """Time for theta1 to go from theta0 to within ``band`` (relative) of ``target``: the
    quadrature of 1/theta1'(theta) along the separable equation (54), split at the critical
    points of the cubic (where a near-double root slows the flow down).  Only used to report an
    integration horizon, so 15 digits suffice."""
    arith = MP(15)
    c = arith.ctx
    f = arith.compile([F.derived_reduced_rhs()], (F.theta1, F.d, F.lam, F.K))
    dd, ll, kk = (arith.convert(v) for v in (case.d, case.lam, case.K))
    a = arith.convert(case.theta0)
    tg = c.mpf(target)
    b = tg - c.sign(tg - a) * band * max(1, abs(tg))
    if (b - a) * (tg - a) <= 0:
        return 0.0
    lo, hi = min(a, b), max(a, b)
    crit = [c.sqrt(-2 * dd * kk / 3) * s for s in (-1, 1)] if kk < 0 else []
    pts = sorted({lo, hi, *[v for v in crit if lo < v < hi],
                  *[a + (b - a) * c.mpf(10) ** (-k) for k in range(12, 0, -2)]})
    val = abs(c.quad(lambda th: 1 / f(th, dd, ll, kk)[0], pts))
    return float(val) if c.isfinite(val) else float("inf")


__all__ = ["ScalarCase", "case_of", "targets", "Trajectories", "simulate", "simulate_mp",
           "simulate_reduced_mp", "monotone_violation", "reach_time"]
