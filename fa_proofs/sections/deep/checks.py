"""Check builders shared by Section 3's scalar claims.

* :func:`poly_identity` -- a residual that is a polynomial in theta_1 (and the state) with
  coefficients rational in d_l, lam, K_l: decided exactly (SymPy's polynomial arithmetic over
  QQ(d, lam, ...), no simplification heuristics), and when it is not zero, refuted at an exact
  rational point (exact evaluation);
* :func:`per_depth` -- a check over the depths L = 2..6 (the user's L with ``--at``, with the
  user's d_l substituted);
* :func:`env_of` -- a point as SymPy substitutions (d_l, lam, theta_1 = theta1_0).
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp

from ...arith import EXACT, Ball, ball_str, certify_sign, exact_str
from ...engine import Check
from ...model import symbols as Y
from ...symbolic import identity_check, random_rational
from ...verdicts import CheckResult, Counterexample, Evidence, check_all, failed, passed, undecided

DEPTHS = (2, 3, 4, 5, 6)


def depths_of(run) -> tuple[int, ...]:
    return DEPTHS if run.at is None else (int(run.at["L"]),)


def env_of(point: Mapping[str, Any]) -> dict[sp.Symbol, Any]:
    """d_1..d_{L-1}, lam and theta_1 (= theta1_0) of a point, as substitutions."""
    L = int(point["L"])
    env: dict[sp.Symbol, Any] = {s: Fraction(point[f"d{i + 1}"])
                                 for i, s in enumerate(Y.fa_symbols(L))}
    if "lam" in point:
        env[Y.lam] = Fraction(point["lam"])
    if "theta1_0" in point:
        env[Y.theta1] = Fraction(point["theta1_0"])
    return env


def names_of(L: int) -> dict[sp.Symbol, str]:
    out = {s: s.name for s in Y.fa_symbols(L)}
    out.update({Y.lam: "lam", Y.theta1: "theta1_0"})
    return out


def params_of(point: Mapping[str, Any]) -> dict[str, Any]:
    L = int(point["L"])
    keep = ["L"] + [f"d{i}" for i in range(1, L)] + ["lam"]
    return {k: point[k] for k in keep if k in point}


def _is_zero_poly(expr: sp.Expr, gens: Sequence[sp.Symbol]) -> bool | None:
    """True/False when ``expr`` is a polynomial in ``gens`` with coefficients rational in the
    other symbols (decided exactly), None when it is not of that form."""
    expr = sp.sympify(expr)
    if expr == 0:
        return True
    if any(not (isinstance(p, sp.Pow) and p.exp.is_Integer) for p in expr.atoms(sp.Pow)) or \
            expr.atoms(sp.Function):
        return None                       # radicals or functions: not a rational identity
    try:
        poly = sp.Poly(expr, *gens) if gens else sp.Poly(expr)
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        try:
            num, _ = sp.fraction(sp.together(expr))
            poly = sp.Poly(num, *gens) if gens else sp.Poly(num)
        except (sp.PolynomialError, sp.GeneratorsNeeded):
            return None
    if poly.domain.is_EX or poly.domain.is_EXRAW:
        return None
    return poly.is_zero


def poly_identity(name: str, residual: sp.Expr, gens: Sequence[sp.Symbol], rng,
                  envs: Sequence[Mapping[sp.Symbol, Any]] = (),
                  names: Mapping[sp.Symbol, str] | None = None,
                  at: Mapping[sp.Symbol, Any] | None = None, what: str = "residual",
                  search: int = 8, extra: Mapping[str, Any] | None = None) -> CheckResult:
    """``residual == 0`` decided exactly as a polynomial identity in ``gens`` (see the module
    doc); a nonzero residual is refuted at an exact point: the domain's (``envs``) first, then
    small random rationals.  Other residuals go to :func:`fa_proofs.symbolic.identity_check`."""
    names = dict(names or {})
    if isinstance(residual, sp.Poly):
        if residual.is_zero:
            return passed(name, Evidence.SYMBOLIC, f"{what} = 0", points=0 if not at else 1)
        residual = residual.as_expr()
    expr = sp.sympify(residual)
    if at:
        expr = expr.xreplace({s: sp.Rational(str(v)) for s, v in at.items()})
    zero = _is_zero_poly(expr, [g for g in gens if g in expr.free_symbols])
    if zero is None:
        res = identity_check(name, expr, rng, points=list(envs), names=names, at=at, what=what)
        if res.counterexample is not None and extra:
            cx = res.counterexample
            res = replace(res, counterexample=replace(cx, params={
                **{k: exact_str(v) for k, v in extra.items()}, **cx.params}))
        return res
    if zero:
        return passed(name, Evidence.SYMBOLIC, f"{what} = 0", points=0 if not at else 1)
    syms = sorted(expr.free_symbols, key=lambda s: s.name)
    tries = [dict(e) for e in envs[:search]] + [{} for _ in range(search)]
    for base in tries:
        env = {s: base[s] if s in base else random_rational(s, rng) for s in syms}
        try:
            value = EXACT.evaluate(expr, env)
        except (ZeroDivisionError, NotImplementedError, TypeError):
            continue
        if value != 0:
            params = dict(at or {})
            params.update(env)
            named = dict(extra or {})
            named.update({names.get(s, s.name): v for s, v in params.items()})
            cx = Counterexample.of(named,
                                   f"{what} != 0", {what: exact_str(sp.Rational(str(value)))},
                                   Evidence.EXACT)
            return failed(name, Evidence.EXACT, f"{what} = 0", cx, points=1)
    return undecided(name, Evidence.EXACT, f"{what} = 0",
                     note="not zero as a polynomial, but no exact point separated it from 0")


def per_depth(name: str, residuals: Callable[[Mapping[str, Any], int], Sequence[tuple[str, sp.Expr]]],
              what: str, gens: Callable[[int], Sequence[sp.Symbol]] | None = None,
              applies=None) -> Check:
    """For each depth L (2..6; the user's with ``--at``, its values substituted), every
    ``(label, residual)`` of ``residuals(statement, L)`` is an exact identity
    (:func:`poly_identity`); a counterexample carries L."""
    def fn(statement, points, run) -> list[CheckResult]:
        out = []
        for L in depths_of(run):
            g = gens(L) if gens is not None else (Y.theta1,)
            parts = []
            at = None if run.at is None else env_of(run.at)
            for label, res in residuals(statement, L):
                parts.append(poly_identity(f"{name}, L = {L}, {label}", res, g,
                                           run.rng(f"{run.claim.id}/{name}/{L}"),
                                           names=names_of(L), at=at, what=what,
                                           extra={"L": L}))
            out.append(check_all(f"{name}, L = {L}", parts, what))
        return out
    return Check(name, fn, samples=0, applies=applies)


def sign_at(expr: sp.Expr, env: Mapping[sp.Symbol, Any]) -> int | None:
    return certify_sign(expr, {s: v for s, v in env.items() if s in sp.sympify(expr).free_symbols})


def ball(expr: sp.Expr, env: Mapping[sp.Symbol, Any]) -> str:
    e = sp.sympify(expr)
    return ball_str(Ball(256).evaluate(e, {s: v for s, v in env.items() if s in e.free_symbols}))


__all__ = ["DEPTHS", "depths_of", "env_of", "names_of", "params_of", "poly_identity",
           "per_depth", "sign_at", "ball", "np"]
