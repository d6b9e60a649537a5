"""Symbolic machinery: identities proven by simplification to exactly zero.

An identity check passes only when SymPy reduces the residual to exactly 0.  When it does not,
the residual is evaluated in ball arithmetic (:mod:`fa_proofs.intervals`) at exact rational
points: a point where the ball excludes zero is a certified counterexample (the check fails);
if no point separates it from zero, the check is ``undecided`` -- never a pass.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
import sympy as sp

from . import intervals
from .verdicts import CheckResult, Counterexample, failed, passed, undecided

# Names under which symbol values appear in counterexamples (the paper's parameter names).
PARAM_NAMES: dict[str, str] = {
    "d": "d", "lambda": "lam", "K": "K", "t": "t", "eta": "eta", "delta": "delta", "L": "L",
    "theta1": "theta1_0", "theta2": "theta2_0", "theta0": "theta1_0", "x": "theta1_0",
}


def param_name(sym: sp.Symbol) -> str:
    return PARAM_NAMES.get(sym.name, sym.name)


def reduce_to_zero(expr: sp.Expr) -> bool:
    """True when SymPy proves ``expr`` identically zero (cheap rewrites first)."""
    expr = sp.sympify(expr)
    if expr == 0:
        return True
    for step in (sp.expand, sp.cancel, lambda e: sp.cancel(sp.together(sp.expand(e))),
                 sp.simplify):
        try:
            if step(expr) == 0:
                return True
        except (TypeError, NotImplementedError, RecursionError):
            continue
    return False


def rational_points(symbols: Sequence[sp.Symbol], rng: np.random.Generator, n: int,
                    domain: Callable[[np.random.Generator], Mapping[sp.Symbol, Fraction]] | None = None
                    ) -> list[dict[sp.Symbol, Fraction]]:
    """``n`` exact sample points: from ``domain(rng)`` if given, else small signed rationals
    respecting the symbol's declared sign (positive, nonnegative or negative)."""
    pts = []
    for _ in range(n):
        if domain is not None:
            pts.append(dict(domain(rng)))
            continue
        pt = {}
        for s in symbols:
            v = Fraction(int(rng.integers(1, 97)), int(rng.integers(1, 29)))
            if s.is_negative or (not s.is_positive and not s.is_nonnegative
                                 and rng.random() < 0.5):
                v = -v
            pt[s] = v
        pts.append(pt)
    return pts


def identity_check(name: str, residual: sp.Expr, rng: np.random.Generator, *, points: int = 8,
                   domain: Callable[[np.random.Generator], Mapping[sp.Symbol, Fraction]] | None = None,
                   what: str = "") -> CheckResult:
    """Pass iff ``residual`` simplifies to exactly 0; a certified nonzero value is a failure."""
    residual = sp.sympify(residual)
    if reduce_to_zero(residual):
        return passed(name, f"{what or 'residual'} simplifies to exactly 0")
    syms = sorted(residual.free_symbols, key=lambda s: s.name)
    for pt in rational_points(syms, rng, points, domain):
        env = {s: pt[s] for s in syms}
        sign = intervals.certify_sign(residual, env)
        if sign is not None:
            value = intervals.ball_str(intervals.evaluate(residual, env))
            cx = Counterexample.of({param_name(s): v for s, v in env.items()},
                                   f"{what or 'residual'} = {value} != 0",
                                   "ball arithmetic (python-flint arb), exact inputs")
            return failed(name, f"{what or 'residual'} is not identically zero: {value}", cx)
    return undecided(name, f"{what or 'residual'} neither simplified to 0 nor certified nonzero")


def derivative_of_implicit(F: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """dF/dvar where F may contain log|u|: d log|u| = u'/u on each side of u = 0."""
    return sp.diff(F.replace(sp.Abs, lambda u: u), var)


def implicit_solution_check(name: str, F: sp.Expr, var: sp.Symbol, rhs: sp.Expr,
                            time_factor: sp.Expr, rng: np.random.Generator, **kw) -> CheckResult:
    """``F(theta(t)) + C0 = time_factor * t`` solves ``theta' = rhs(theta)`` iff
    F'(theta) * rhs(theta) - time_factor == 0 identically."""
    residual = derivative_of_implicit(F, var) * rhs - time_factor
    return identity_check(name, residual, rng, what="F'(theta) * theta' - dt-coefficient", **kw)


def equality_check(name: str, lhs: sp.Expr, rhs: sp.Expr, rng: np.random.Generator,
                   **kw) -> CheckResult:
    return identity_check(name, sp.sympify(lhs) - sp.sympify(rhs), rng, **kw)


def latex(expr: sp.Expr | sp.Eq, **kw) -> str:
    return sp.latex(expr, **kw)


def to_numpy(args: Iterable[sp.Symbol], expr) -> Callable:
    return sp.lambdify(tuple(args), expr, "numpy")


def to_mpmath(args: Iterable[sp.Symbol], expr) -> Callable:
    return sp.lambdify(tuple(args), expr, "mpmath")
