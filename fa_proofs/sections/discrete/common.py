"""Shared plumbing of the discrete claims: sample sizes, cached certified orbits, ball values."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Mapping

import sympy as sp
from flint import arb

from ... import intervals
from ...registry import RunContext
from . import formulas as F
from ...sequences import Comparison
from .orbits import DefectOrbit, EulerOrbit, LayeredOrbit, MidpointOrbit, horizon, sstar
from .sampling import StepCase

PREC = 128


def n_cases(ctx: RunContext, per: int = 25, least: int = 12) -> int:
    """Orbits per sampled check: ci 12, dev 160, fuzz 1600."""
    return max(least, ctx.profile.samples // per)


def step_cap(ctx: RunContext) -> int:
    return 10_000 if ctx.profile.name != "fuzz" else 20_000


def ball(expr: sp.Expr, env: Mapping[sp.Symbol, object]) -> arb:
    """``expr`` as a certified ball at exact (or ball) values; r stands for (2 d lam)^(1/3)."""
    expr = sp.sympify(expr).subs(F.r, F.R_OF)
    used = {s: v for s, v in env.items() if s in expr.free_symbols}
    return intervals.evaluate(expr, used, prec=PREC)


def env_of(case: StepCase) -> dict[sp.Symbol, Fraction]:
    return {F.d: case.d, F.lam: case.lam, F.eta: case.eta}


def slow_rate(case: StepCase) -> float:
    """1 - eta r^2 / 2: the slowest contraction of the midpoint defect (a horizon heuristic)."""
    return 1 - float(case.eta) * float(2 * case.d * case.lam) ** (2 / 3) / 2


@lru_cache(maxsize=512)
def midpoint_orbit(d: Fraction, lam: Fraction, eta: Fraction, steps: int, prec: int = PREC
                   ) -> MidpointOrbit:
    return MidpointOrbit(d, lam, eta, steps, prec)


def midpoint_for(case: StepCase, cap: int) -> MidpointOrbit:
    return midpoint_orbit(case.d, case.lam, case.eta, horizon(slow_rate(case), cap=cap))


@lru_cache(maxsize=512)
def layered_orbit(K: Fraction, d1: Fraction, lam: Fraction, eta: Fraction, gamma: int,
                  steps: int, prec: int = PREC) -> LayeredOrbit:
    return LayeredOrbit(K, d1, lam, eta, gamma, steps, prec)


@lru_cache(maxsize=512)
def euler_orbit(d: Fraction, lam: Fraction, eta: Fraction, steps: int, prec: int = PREC
                ) -> EulerOrbit:
    return EulerOrbit(d, lam, eta, steps, prec)


@lru_cache(maxsize=512)
def sstar_ball(d: Fraction, lam: Fraction) -> arb:
    return sstar(d, lam, PREC)


def monotone_bounded(params: dict, o: DefectOrbit, share: arb
                     ) -> tuple[Comparison, Comparison, Comparison]:
    """Lemma 21 / Lemma 25 along a defect orbit: x_t <= share r (margin e_t - (1 - share) r,
    relative-precise for share = 1), 0 <= x_t, and x_t <= x_{t+1} (margin e_t (1 - phi_t))."""
    T = len(o.e) - 1
    xs = [o.position(t) for t in range(T + 1)]
    bounded = Comparison(params, xs, [o.r * share] * (T + 1),
                         margin=lambda t: o.e[t] - (1 - share) * o.r)
    positive = Comparison(params, [arb(0)] * (T + 1), xs)
    increasing = Comparison(params, xs[:-1], xs[1:], margin=lambda t: o.e[t] * (1 - o.phi[t]))
    return bounded, positive, increasing
