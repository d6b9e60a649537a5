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
from flint import fmpq

from ...iterate import compile_map, exact_orbit
from ...sequences import Comparison
from ...verdicts import CheckResult, Counterexample, failed, passed
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


_MID_SLOW = sp.lambdify((F.d, F.lam, F.eta), F.CORRECTED_THM9.rate)
_LAYERED_SLOW = sp.lambdify((F.K, F.d1, F.lam, F.eta, F.gamma), F.CORRECTED_THM10.rate)
_EULER_RATE = sp.lambdify((F.d, F.lam, F.eta), F.euler_linear_rate().subs(
    {F.ell_inf: F.R_OF, sp.Symbol("S_inf", nonnegative=True): 0}))


def slow_rate(case: StepCase) -> float:
    """The corrected rate 1 - eta r^2/2 of (124): the slowest contraction of the midpoint
    defect (a horizon heuristic, in floats)."""
    return float(_MID_SLOW(float(case.d), float(case.lam), float(case.eta)))


def layered_slow_rate(K: Fraction, d1: Fraction, lam: Fraction, eta: Fraction, gamma: int
                      ) -> float:
    """The corrected rate of (133) (a horizon heuristic, in floats)."""
    return float(_LAYERED_SLOW(float(K), float(d1), float(lam), float(eta), gamma))


def euler_rate(case: StepCase) -> float:
    """The asymptotic Euler rate 1 - eta/2 (3 ell^2 - S) at ell = (2 d lam)^(1/3), S = 0, its
    small-eta value (a horizon heuristic, in floats)."""
    return float(_EULER_RATE(float(case.d), float(case.lam), float(case.eta)))


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


EXACT = "exact rational arithmetic (python-flint fmpq)"


def exact_closed_form_check(name: str, step, closed_form: sp.Expr, cases: list[StepCase],
                            steps: int) -> CheckResult:
    """Iterate a full two-layer map (x, y) -> step(x, y, eta, d, lam) exactly from (0, 0) and
    compare y_t with ``closed_form(x_t, S_t, d)``, S_t = sum_{i<=t} (x_i - x_{i-1})^2, at every
    iterate the bit budget allows; a mismatch is an exact counterexample."""
    yfun = compile_map([closed_form], (F.x, F.S, F.d), "exact")
    n = 0
    for c in cases:
        orb = exact_orbit(step, (0, 0), steps, (c.eta, c.d, c.lam), max_bits=60_000)
        s_t = fmpq(0)
        for t, (xt, yt) in enumerate(orb):
            if t:
                s_t += (xt - orb[t - 1][0]) ** 2
            n += 1
            if yt != yfun(xt, s_t, c.d)[0]:
                return failed(name, f"y_t differs from the closed form at t = {t}",
                              Counterexample.of(dict(c.params(), t=t),
                                                f"y_t != {closed_form} at t = {t}", EXACT))
    return passed(name, f"y_t equals the closed form exactly at {n} iterates of {len(cases)} orbits")
