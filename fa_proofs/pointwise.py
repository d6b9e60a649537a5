"""Certified pointwise checks: a sign or an inequality at exact sample points, in ball arithmetic.

Each point is a mapping from SymPy symbols to exact rationals.  A check passes when the expected
sign is certified at every point, fails (with that point as a certified counterexample) when the
opposite sign is certified somewhere, and is undecided otherwise.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import sympy as sp

from . import intervals
from .symbolic import param_name
from .verdicts import CheckResult, Counterexample, failed, passed, undecided

Point = Mapping[sp.Symbol, object]
CERTIFIER = "ball arithmetic (python-flint arb), exact inputs"


def _params(pt: Point) -> dict[str, object]:
    return {param_name(s): v for s, v in pt.items()}


def _scan(expr: sp.Expr, expected: int, points: Sequence[Point], allow_zero: bool
          ) -> tuple[Point | None, int]:
    """The first point where the opposite sign is certified (or None), and how many points could
    not be certified either way."""
    unsure = 0
    for pt in points:
        env = {s: v for s, v in pt.items() if s in expr.free_symbols}
        s = intervals.certify_sign(expr, env)
        if s == expected:
            continue
        if s is None:
            if not (allow_zero and sp.simplify(expr.subs(env)) == 0):
                unsure += 1
            continue
        return pt, unsure
    return None, unsure


def sign_check(name: str, expr: sp.Expr, expected: int, points: Sequence[Point], what: str,
               allow_zero: bool = False) -> CheckResult:
    """``expr`` has sign ``expected`` (+1/-1) at every point (``allow_zero``: or is exactly 0)."""
    bad, unsure = _scan(expr, expected, points, allow_zero)
    if bad is not None:
        env = {s: v for s, v in bad.items() if s in expr.free_symbols}
        value = intervals.ball_str(intervals.evaluate(expr, env))
        return failed(name, f"{what}: sign {-expected:+d} where {expected:+d} was stated",
                      Counterexample.of(_params(bad), f"{what} = {value}", CERTIFIER))
    if unsure:
        return undecided(name, f"{what}: sign not certified at {unsure} of {len(points)} points")
    return passed(name, f"{what}: sign {expected:+d} certified at {len(points)} exact points")


def le_check(name: str, lhs: sp.Expr, rhs: sp.Expr, points: Sequence[Point], what: str
             ) -> CheckResult:
    """``lhs <= rhs`` at every point: certified ``rhs - lhs > 0``, or an exact equality."""
    diff = sp.sympify(rhs) - sp.sympify(lhs)
    bad, unsure = _scan(diff, 1, points, allow_zero=True)
    if bad is not None:
        used = sp.sympify(lhs).free_symbols | sp.sympify(rhs).free_symbols
        env = {s: v for s, v in bad.items() if s in used}
        lv = intervals.ball_str(intervals.evaluate(lhs, env))
        rv = intervals.ball_str(intervals.evaluate(rhs, env))
        return failed(name, f"{what}: {lv} > {rv}",
                      Counterexample.of(_params(bad), f"{what}: stated {lv} > true {rv}",
                                        CERTIFIER))
    if unsure:
        return undecided(name, f"{what}: not certified at {unsure} of {len(points)} points")
    return passed(name, f"{what}: certified at {len(points)} exact points")
