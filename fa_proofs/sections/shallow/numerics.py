"""Batch simulation of the scalar flow (6) for many exact sample cases at once.

Each trajectory is integrated in its own rescaled time tau = rho_i * t, where rho_i is a rate
scale of that case (its slowest exponential rate), so that one shared output grid serves systems
whose rates differ by orders of magnitude.  The rescaling is exact: d theta/d tau = f(theta)/rho_i.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import mpmath as mp
import numpy as np
import sympy as sp

from ...simulate import integrate_batch, integrate_mp
from . import formulas as F
from .sampling import ScalarCase


@lru_cache(maxsize=None)
def _flow_np():
    return F.numpy_flow()


@lru_cache(maxsize=None)
def _flow_mp():
    return sp.lambdify((F.theta1, F.theta2, F.d, F.lam), F.FLOW, "mpmath")


def _scaled_rhs(t, y, dd, ll, rho):
    return _flow_np()(t, y, dd, ll) / rho


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
    sol = integrate_batch(_scaled_rhs, y0, tau, args=(d, lam, np.asarray(rho, float)),
                          rtol=rtol, atol=atol * scale.min())
    return Trajectories(sol.t, np.asarray(rho, float), sol.y[:, 0, :], sol.y[:, 1, :],
                        sol.success, d, lam)


def simulate_mp(case: ScalarCase, times: Sequence, dps: int, theta0=None
                ) -> list[tuple[mp.mpf, mp.mpf]]:
    """A high-precision (mpmath Taylor) trajectory of (6) from the exact case, at ``times``;
    ``theta0`` (a callable evaluated inside the working precision) overrides theta1(0), e.g. for a
    start e^-delta away from a root.  theta2(0) follows from K."""
    f = _flow_mp()
    with mp.workdps(dps):
        dd, ll = mp.mpf(case.d.numerator) / case.d.denominator, mp.mpf(case.lam.numerator) / case.lam.denominator
        th0 = (mp.mpf(case.theta0.numerator) / case.theta0.denominator if theta0 is None
               else theta0())
        y0 = [th0, th0**2 / (2 * dd) + mp.mpf(case.K.numerator) / case.K.denominator]
        vals = integrate_mp(lambda t, y: list(f(y[0], y[1], dd, ll)), y0, list(times), dps=dps)
        return [(v[0], v[1]) for v in vals]


@lru_cache(maxsize=None)
def _reduced_mp():
    return sp.lambdify((F.x, F.d, F.lam, F.K), F.derived_reduced_rhs(), "mpmath")


def simulate_reduced_mp(case: ScalarCase, times: Sequence, dps: int, theta0=None
                        ) -> list[tuple[mp.mpf, mp.mpf]]:
    """Like :func:`simulate_mp`, on the reduced equation (54) for theta1 alone (theta2 follows
    from the conserved K, (37)); half the work, for long high-precision runs."""
    f = _reduced_mp()
    with mp.workdps(dps):
        q = lambda v: mp.mpf(v.numerator) / v.denominator
        dd, ll, kk = q(case.d), q(case.lam), q(case.K)
        th0 = q(case.theta0) if theta0 is None else theta0()
        vals = integrate_mp(lambda t, y: [f(y[0], dd, ll, kk)], [th0], list(times), dps=dps)
        return [(v[0], v[0] ** 2 / (2 * dd) + kk) for v in vals]


def monotone_violation(values: np.ndarray, direction: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """Per trajectory: the largest step against ``direction`` (+1 increasing, -1 decreasing),
    beyond the tolerance ``tol``; 0 where the sequence is monotone within tolerance."""
    steps = np.diff(values, axis=0) * direction
    worst = np.maximum(-steps.min(axis=0), 0.0)
    return np.where(worst > tol, worst, 0.0)
