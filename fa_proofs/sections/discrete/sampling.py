"""Exact parameter samples for the discrete claims.

Every value is a ``Fraction``: d and lambda over six decades, step sizes as fractions of the stated
maximum -- from 10^-3 of it right up to it (a rational certified to lie below an irrational
maximum, and the maximum itself where it is rational: ``2 d lambda`` a perfect cube) -- and, for
sharpness probes, just beyond it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import numpy as np
import sympy as sp
from flint import arb

from ... import intervals
from ...iterate import precision

FRACTIONS_OF_MAX = (Fraction(1, 1000), Fraction(1, 10), Fraction(1, 2), Fraction(9, 10),
                    Fraction(999, 1000), 1 - Fraction(1, 10**9))
BEYOND_MAX = (Fraction(10**6 + 1, 10**6), Fraction(1001, 1000), Fraction(11, 10))


@dataclass(frozen=True)
class StepCase:
    """Exact (d, lam, eta), what fraction of the stated maximum eta is, and whether the maximum
    is attained exactly (``at_max``)."""

    d: Fraction
    lam: Fraction
    eta: Fraction
    share: Fraction
    at_max: bool = False

    def params(self) -> dict[str, Fraction]:
        return {"d": self.d, "lam": self.lam, "eta": self.eta}


def decimal_log_uniform(rng: np.random.Generator, lo_dec: float, hi_dec: float, digits: int = 3
                ) -> Fraction:
    """A positive rational with ``digits`` significant digits, log-uniform in [10^lo, 10^hi]."""
    v = 10 ** rng.uniform(lo_dec, hi_dec)
    e = int(np.floor(np.log10(v))) - digits + 1
    m = int(round(v / 10.0**e))
    return Fraction(m) * Fraction(10) ** e


def rational_below(bound: sp.Expr, env: dict, share: Fraction, max_den: int = 10**15) -> Fraction:
    """A rational ``eta <= share * bound`` (certified): a decimal with ``log10(max_den)``
    significant digits."""
    return rational_below_ball(intervals.evaluate(bound, env), share, max_den)


def rational_below_ball(bound: arb, share: Fraction, max_den: int = 10**15) -> Fraction:
    """A rational ``eta <= share * bound`` for every value in the ball ``bound`` (computed at a
    fixed precision, so that the samples do not depend on what ran before)."""
    with precision(256):
        return _rational_below(bound, share, max_den)


def _rational_below(bound: arb, share: Fraction, max_den: int) -> Fraction:
    target = bound * intervals.to_arb(share)
    man, exp = target.lower().mid().man_exp()          # a binary rational below the ball
    binary = Fraction(int(man)) * Fraction(2) ** int(exp)
    # round down to a decimal with as many significant digits as max_den has
    digits = len(str(max_den)) - 1
    scale = Fraction(10) ** (digits - math.floor(math.log10(binary)))
    eta = Fraction(math.floor(binary * scale)) / scale
    if eta <= 0:
        eta = binary
    while not (intervals.to_arb(eta) <= target):       # not expected: lower() rounds down
        eta -= eta / 2**200
    return eta


def step_cases(rng: np.random.Generator, n: int, eta_max: sp.Expr,
               symbols: tuple[sp.Symbol, sp.Symbol], perfect_cube: Callable | None = None,
               shares=FRACTIONS_OF_MAX, decades: tuple[float, float] = (-3, 3)) -> list[StepCase]:
    """``n`` cases: d, lam log-uniform (product over six decades), every share of the maximum
    ``eta_max(d, lam)`` cycled through; with ``perfect_cube(rng) -> (d, lam)`` every fifth case
    has a rational maximum, attained exactly."""
    d_sym, lam_sym = symbols
    out: list[StepCase] = []
    i = 0
    while len(out) < n:
        share = shares[i % len(shares)]
        if perfect_cube is not None and i % 5 == 4:
            dd, ll = perfect_cube(rng)
            mx = sp.nsimplify(eta_max.subs({d_sym: sp.Rational(dd), lam_sym: sp.Rational(ll)}))
            if mx.is_Rational:
                out.append(StepCase(dd, ll, Fraction(int(mx.p), int(mx.q)), Fraction(1), True))
                i += 1
                continue
        dd = decimal_log_uniform(rng, decades[0] / 2, decades[1] / 2)
        ll = decimal_log_uniform(rng, decades[0] / 2, decades[1] / 2)
        eta = rational_below(eta_max, {d_sym: dd, lam_sym: ll}, share)
        out.append(StepCase(dd, ll, eta, share))
        i += 1
    return out


def cube_case(rng: np.random.Generator) -> tuple[Fraction, Fraction]:
    """(d, lam) with 2 d lam = c^3 for a rational c: r and the midpoint maximum are rational."""
    c = decimal_log_uniform(rng, -1, 1, 2)
    dd = decimal_log_uniform(rng, -1.5, 1.5, 2)
    return dd, c**3 / (2 * dd)


def beyond(case: StepCase, factor: Fraction) -> StepCase:
    return StepCase(case.d, case.lam, case.eta / case.share * factor, factor)
