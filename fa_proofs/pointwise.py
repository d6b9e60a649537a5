"""Certified pointwise checks: a sign or an inequality at exact points, in ball arithmetic.

Each point is a mapping from SymPy symbols to exact rationals.  A check passes when the expected
sign is certified at every point, fails (with that point as a certified counterexample) when the
opposite sign is certified somewhere, and is undecided otherwise.  An inequality also reports
its tightness: the largest ``lhs/rhs`` over the points, and where.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import sympy as sp

from .arith import Ball, ball_str, certify_sign, exact_str
from .verdicts import (CheckResult, Counterexample, Evidence, Measure, failed, passed,
                       undecided)

Env = Mapping[sp.Symbol, Any]


def _params(pt: Env, names: Mapping[sp.Symbol, str]) -> dict[str, Any]:
    return {names.get(s, s.name): v for s, v in pt.items()}


def _restrict(pt: Env, expr: sp.Expr) -> dict:
    return {s: v for s, v in pt.items() if s in expr.free_symbols}


def _scan(expr: sp.Expr, expected: int, points: Sequence[Env], allow_zero: bool
          ) -> tuple[Env | None, int]:
    """The first point where the opposite sign is certified (or None), and how many points could
    not be certified either way."""
    unsure = 0
    for pt in points:
        s = certify_sign(expr, _restrict(pt, expr))
        if s == expected or (s == 0 and allow_zero):
            continue
        if s in (None, 0):
            unsure += 1
            continue
        return pt, unsure
    return None, unsure


def sign_check(name: str, expr: sp.Expr, expected: int, points: Sequence[Env], what: str,
               names: Mapping[sp.Symbol, str] | None = None, allow_zero: bool = False
               ) -> CheckResult:
    """``expr`` has sign ``expected`` (+1/-1) at every point (``allow_zero``: or is exactly 0)."""
    expr = sp.sympify(expr)
    names = dict(names or {})
    rel = f"{what} {'>' if expected > 0 else '<'}{'=' if allow_zero else ''} 0"
    bad, unsure = _scan(expr, expected, points, allow_zero)
    if bad is not None:
        value = ball_str(Ball(256).evaluate(expr, _restrict(bad, expr)))
        return failed(name, Evidence.BALL, rel,
                      Counterexample.of(_params(bad, names), rel, {what: value}), points=len(points))
    if unsure:
        return undecided(name, Evidence.BALL, rel, points=len(points),
                         note=f"sign not certified at {unsure} of {len(points)} points")
    return passed(name, Evidence.BALL, rel, points=len(points))


def le_check(name: str, lhs: sp.Expr, rhs: sp.Expr, points: Sequence[Env], what: str,
             names: Mapping[sp.Symbol, str] | None = None) -> CheckResult:
    """``lhs <= rhs`` at every point: certified ``rhs - lhs > 0``, or an exact equality."""
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    names = dict(names or {})
    diff = rhs - lhs
    bad, unsure = _scan(diff, 1, points, allow_zero=True)
    if bad is not None:
        lv = ball_str(Ball(256).evaluate(lhs, _restrict(bad, lhs)))
        rv = ball_str(Ball(256).evaluate(rhs, _restrict(bad, rhs)))
        return failed(name, Evidence.BALL, what,
                      Counterexample.of(_params(bad, names), what, {"lhs": lv, "rhs": rv}),
                      points=len(points))
    worst = _tightness(lhs, rhs, points, names)
    if unsure:
        return undecided(name, Evidence.BALL, what, points=len(points), measure=worst,
                         note=f"not certified at {unsure} of {len(points)} points")
    return passed(name, Evidence.BALL, what, points=len(points), measure=worst)


def _tightness(lhs: sp.Expr, rhs: sp.Expr, points: Sequence[Env],
               names: Mapping[sp.Symbol, str]) -> Measure | None:
    best = None
    for pt in points:
        try:
            a = Ball(64).evaluate(lhs, _restrict(pt, lhs))
            b = Ball(64).evaluate(rhs, _restrict(pt, rhs))
            fb = float(b.mid())
            ratio = float(a.mid()) / fb if fb > 0 else None
        except (ArithmeticError, ZeroDivisionError, ValueError, OverflowError):
            ratio = None
        if ratio is not None and (best is None or ratio > best[0]):
            best = (ratio, pt)
    if best is None:
        return None
    return Measure("max lhs/rhs", best[0],
                   {names.get(s, s.name): exact_str(v) for s, v in best[1].items()})
