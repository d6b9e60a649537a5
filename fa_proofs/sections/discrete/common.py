"""Shared plumbing of the discrete claims: horizons, cached certified orbits, ball values, and the
check builders several claims use (monotone and bounded orbits, exact closed forms)."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any, Mapping

import sympy as sp
from flint import arb, fmpq

from ...arith import EXACT, FLOAT, Ball, exact_str
from ...iterate import Map, exact_orbit
from ...sequences import Comparison
from ...verdicts import CheckResult, Counterexample, Evidence, failed, passed
from . import formulas as F
from .orbits import DefectOrbit, EulerOrbit, LayeredOrbit, MidpointOrbit, horizon, sstar

PREC = 128


def prec_of(run, base: int = PREC) -> int:
    """The working precision of a certified orbit: ``base``, raised to the run's floor."""
    return max(base, getattr(run, "prec", None) or 0)


def step_cap(run) -> int:
    """The longest orbit a sampled check follows: 10,000 steps (20,000 in fuzz)."""
    return 10_000 if run.profile.name != "fuzz" else 20_000


def steps_for(point: Mapping[str, Any], rate: float, run, decades: float = 25.0,
              cap: int | None = None) -> int:
    """The last step looked at: the point's ``t`` if given, else the horizon where a contraction
    ``rate`` has shrunk the defect by 10^-decades (at least 50, at most the cap)."""
    if point.get("t") is not None:
        return int(point["t"])
    return horizon(rate, decades=decades, cap=cap or step_cap(run))


def ball(expr: sp.Expr, env: Mapping[sp.Symbol, object]) -> arb:
    """``expr`` as a certified ball at exact (or ball) values; r stands for (2 d lam)^(1/3)."""
    expr = sp.sympify(expr).subs(F.r, F.R_OF)
    used = {s: v for s, v in env.items() if s in expr.free_symbols}
    return Ball(PREC).evaluate(expr, used)


def env_of(point: Mapping[str, Any]) -> dict[sp.Symbol, Any]:
    return {F.d: point["d"], F.lam: point["lam"], F.eta: point["eta"]}


def params_of(point: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters a counterexample reports (the swept ``t`` is added by the comparison)."""
    return {k: v for k, v in point.items() if k != "t"}


_MID_SLOW = FLOAT.compile([F.CORRECTED_THM9.rate], (F.d, F.lam, F.eta))
_LAYERED_SLOW = FLOAT.compile([F.CORRECTED_THM10.rate], (F.K, F.d1, F.lam, F.eta, F.gamma))
_EULER_RATE = FLOAT.compile([F.euler_linear_rate().subs({F.ell_inf: F.R_OF, F.S_inf: 0})],
                            (F.d, F.lam, F.eta))


def slow_rate(point: Mapping[str, Any]) -> float:
    """The corrected rate 1 - eta r^2/2 of (124): the slowest contraction of the midpoint
    defect (a horizon heuristic, in floats)."""
    return float(_MID_SLOW(point["d"], point["lam"], point["eta"])[0])


def layered_slow_rate(K: Fraction, d1: Fraction, lam: Fraction, eta: Fraction, gamma: int
                      ) -> float:
    """The corrected rate of (133) (a horizon heuristic, in floats)."""
    return float(_LAYERED_SLOW(K, d1, lam, eta, gamma)[0])


def euler_rate(point: Mapping[str, Any]) -> float:
    """The asymptotic Euler rate 1 - eta/2 (3 ell^2 - S) at ell = (2 d lam)^(1/3), S = 0, its
    small-eta value (a horizon heuristic, in floats)."""
    return float(_EULER_RATE(point["d"], point["lam"], point["eta"])[0])


@lru_cache(maxsize=512)
def midpoint_orbit(d: Fraction, lam: Fraction, eta: Fraction, steps: int, prec: int = PREC
                   ) -> MidpointOrbit:
    return MidpointOrbit(d, lam, eta, steps, prec)


def midpoint_for(point: Mapping[str, Any], run) -> MidpointOrbit:
    return midpoint_orbit(point["d"], point["lam"], point["eta"],
                          steps_for(point, slow_rate(point), run), prec_of(run))


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


def exact_closed_form_check(name: str, step: Map, closed_form: sp.Expr, points: list[dict],
                            steps: int) -> CheckResult:
    """Iterate a full two-layer map (x, y) -> step(x, y, eta, d, lam) exactly from (0, 0) and
    compare y_t with ``closed_form(x_t, S_t, d)``, S_t = sum_{i<=t} (x_i - x_{i-1})^2, at every
    iterate the bit budget allows (and up to the point's ``t`` if given); a mismatch is an exact
    counterexample."""
    yfun = EXACT.compile([closed_form], (F.x, F.S, F.d))
    what = f"y_t = {closed_form}"
    n = 0
    for p in points:
        last = int(p["t"]) if p.get("t") is not None else steps
        orb = exact_orbit(step, (0, 0), last, (p["eta"], p["d"], p["lam"]), max_bits=60_000)
        s_t = fmpq(0)
        for t, (xt, yt) in enumerate(orb):
            if t:
                s_t += (xt - orb[t - 1][0]) ** 2
            n += 1
            want = yfun(xt, s_t, p["d"])[0]
            if yt != want:
                return failed(name, Evidence.EXACT, what,
                              Counterexample.of(dict(params_of(p), t=t), what,
                                                {"y_t": exact_str(yt), "closed form": exact_str(want)},
                                                Evidence.EXACT), points=len(points), steps=n)
    return passed(name, Evidence.EXACT, what, points=len(points), steps=n)


__all__ = ["PREC", "prec_of", "ball", "env_of", "params_of", "steps_for", "step_cap", "midpoint_for",
           "midpoint_orbit", "layered_orbit", "euler_orbit", "sstar_ball", "monotone_bounded",
           "exact_closed_form_check", "slow_rate", "layered_slow_rate", "euler_rate"]
