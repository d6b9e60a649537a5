"""Symbolic machinery: identities proven by simplification to exactly zero.

An identity check passes only when SymPy reduces the residual to exactly 0 (evidence: symbolic
proof, over the whole domain; at a user's point, after substituting it).  When it does not, the
residual is evaluated in ball arithmetic at exact rational points: a point where the ball
excludes zero is a certified counterexample (the check fails); if no point separates it from
zero, the check is ``undecided`` -- never a pass.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp

from .arith import Ball, ball_str, certify_sign
from .verdicts import CheckResult, Counterexample, Evidence, failed, passed, undecided

Env = Mapping[sp.Symbol, Any]


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


def random_rational(sym: sp.Symbol, rng: np.random.Generator) -> Fraction:
    """A small rational respecting the symbol's declared sign."""
    v = Fraction(int(rng.integers(1, 97)), int(rng.integers(1, 29)))
    if sym.is_negative or (not sym.is_positive and not sym.is_nonnegative and rng.random() < 0.5):
        v = -v
    return v


def identity_check(name: str, residual: sp.Expr, rng: np.random.Generator, *,
                   points: Sequence[Env] = (), names: Mapping[sp.Symbol, str] | None = None,
                   at: Env | None = None, search: int = 8, what: str = "residual"
                   ) -> CheckResult:
    """``residual == 0``: proven by SymPy, or refuted at a certified exact point.

    ``points`` (domain points as SymPy substitutions) are tried first as counterexamples, then
    random small rationals fill the remaining symbols.  ``at``: a user's point, substituted
    before the proof is attempted.  ``names`` maps symbols to the parameter names under which
    their values appear in a counterexample (default: the symbol's name)."""
    names = dict(names or {})
    expr = sp.sympify(residual)
    if at is not None:
        expr = expr.xreplace({s: sp.Rational(str(v)) for s, v in at.items()
                              if not isinstance(v, sp.MatrixBase)})
    if reduce_to_zero(expr):
        return passed(name, Evidence.SYMBOLIC, f"{what} = 0", points=0 if at is None else 1)
    syms = sorted(expr.free_symbols, key=lambda s: s.name)
    tries = [dict(p) for p in points[:search]] + [{} for _ in range(search)]
    for base in tries:
        env = {s: base[s] if s in base else random_rational(s, rng) for s in syms}
        sign = certify_sign(expr, env)
        if sign in (1, -1):
            value = ball_str(Ball(256).evaluate(expr, env)) if syms else ball_str(
                Ball(256).evaluate(expr, {}))
            params = dict(at or {})
            params.update(env)
            cx = Counterexample.of({names.get(s, s.name): v for s, v in params.items()},
                                   f"{what} != 0", {what: value})
            return failed(name, Evidence.BALL, f"{what} = 0", cx, points=1)
    return undecided(name, Evidence.BALL, f"{what} = 0",
                     note="neither simplified to 0 nor certified nonzero")


def derivative_of_implicit(F: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """dF/dvar where F may contain log|u|: d log|u| = u'/u on each side of u = 0."""
    return sp.diff(F.replace(sp.Abs, lambda u: u), var)


def implicit_residual(F: sp.Expr, var: sp.Symbol, rhs: sp.Expr, time_factor: sp.Expr) -> sp.Expr:
    """``F(theta(t)) + C0 = time_factor * t`` solves ``theta' = rhs(theta)`` iff this residual,
    F'(theta) * rhs(theta) - time_factor, is identically zero."""
    return derivative_of_implicit(F, var) * rhs - time_factor


IMPLICIT_WHAT = "F'(theta) * theta' - dt-coefficient"


def identity(name: str, residual: Callable[[Mapping[str, Any]], sp.Expr],
             what: str = "residual", search: int = 8):
    """A :class:`~fa_proofs.engine.Check`: ``residual(statement) == 0``, proven symbolically on
    the whole domain (sampled run) or at the user's point (``--at``), else refuted at a certified
    exact point (the domain's sampled points first)."""
    from .engine.claim import Check

    def fn(statement, points, run):
        return identity_check(name, residual(statement), run.rng(f"{run.claim.id}/{name}"),
                              points=[run.env(p) for p in points], names=run.names(),
                              at=run.at_env, search=search, what=what)
    return Check(name, fn, samples=0)
