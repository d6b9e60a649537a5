"""Certified interval evaluation of SymPy expressions with python-flint's ``arb`` (ball arithmetic).

A comparison made here is a proof for the exact inputs given: ``certify_sign(expr, env)`` answers
+1 or -1 only when the whole ball lies on that side of zero, and ``None`` when the precision used
could not decide (the caller reports ``undecided`` or retries at higher precision).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

import sympy as sp
from flint import arb, ctx, fmpq

Exact = int | Fraction | sp.Rational


def to_arb(value) -> arb:
    """An exact number (int, Fraction, SymPy Rational/Integer) as a point ball."""
    if isinstance(value, arb):
        return value
    if isinstance(value, bool):
        raise TypeError("not a number")
    if isinstance(value, int):
        return arb(value)
    if isinstance(value, Fraction):
        return arb(fmpq(value.numerator, value.denominator))
    if isinstance(value, (sp.Integer, sp.Rational)):
        return arb(fmpq(int(value.p), int(value.q)))
    raise TypeError(f"not an exact number: {value!r}")


def _eval(e: sp.Basic, env: Mapping[sp.Symbol, arb]) -> arb:
    if e.is_Symbol:
        return env[e]
    if e.is_Integer or e.is_Rational:
        return to_arb(e)
    if e is sp.pi:
        return arb.pi()
    if e is sp.E:
        return arb(1).exp()
    if isinstance(e, sp.Add):
        acc = arb(0)
        for a in e.args:
            acc += _eval(a, env)
        return acc
    if isinstance(e, sp.Mul):
        acc = arb(1)
        for a in e.args:
            acc *= _eval(a, env)
        return acc
    if isinstance(e, sp.Pow):
        base, ex = e.args
        b = _eval(base, env)
        if ex.is_Integer:
            n = int(ex)
            return b ** n if n >= 0 else 1 / (b ** (-n))
        if ex.is_Rational:
            p, q = int(ex.p), int(ex.q)
            if q == 2:
                root = b.sqrt()
            else:
                root = b.root(q)  # principal (real, non-negative) root for b >= 0
            return root ** p if p >= 0 else 1 / (root ** (-p))
        return (_eval(ex, env) * b.log()).exp()
    if isinstance(e, sp.log):
        return _eval(e.args[0], env).log()
    if isinstance(e, sp.exp):
        return _eval(e.args[0], env).exp()
    if isinstance(e, sp.atan):
        return _eval(e.args[0], env).atan()
    if isinstance(e, sp.acos):
        return _eval(e.args[0], env).acos()
    if isinstance(e, sp.cos):
        return _eval(e.args[0], env).cos()
    if isinstance(e, sp.sin):
        return _eval(e.args[0], env).sin()
    if isinstance(e, sp.Abs):
        return abs(_eval(e.args[0], env))
    if isinstance(e, sp.sign):
        v = _eval(e.args[0], env)
        if v > 0:
            return arb(1)
        if v < 0:
            return arb(-1)
        raise ArithmeticError("sign of a ball that contains zero")
    raise NotImplementedError(f"no interval rule for {type(e).__name__}: {e}")


def evaluate(expr: sp.Expr, env: Mapping[sp.Symbol, object], prec: int = 256) -> arb:
    """Evaluate ``expr`` at exact symbol values ``env`` as a certified ball, at ``prec`` bits."""
    old = ctx.prec
    ctx.prec = prec
    try:
        benv = {s: to_arb(v) for s, v in env.items()}
        return _eval(sp.sympify(expr), benv)
    finally:
        ctx.prec = old


def certify_sign(expr: sp.Expr, env: Mapping[sp.Symbol, object], prec: int = 256,
                 max_prec: int = 4096) -> int | None:
    """+1 / -1 if the sign of ``expr`` at ``env`` is certified, else None (raising precision)."""
    while prec <= max_prec:
        try:
            v = evaluate(expr, env, prec)
        except (ArithmeticError, ZeroDivisionError):
            v = None
        if v is not None:
            if v > 0:
                return 1
            if v < 0:
                return -1
            if v.rad() == 0 and v.mid() == 0:
                return None  # exactly zero: no sign
        prec *= 2
    return None


def real_cbrt(u: sp.Expr) -> sp.Expr:
    """The real cube root, written so that SymPy and the ball evaluator agree on negative u."""
    return sp.sign(u) * sp.Abs(u) ** sp.Rational(1, 3)


def ball_str(v: arb) -> str:
    return v.str(15, radius=True)
