"""Iterating maps: exact rationals, naive balls, centred (mean-value) balls, and NumPy batches.

A map is a tuple of SymPy expressions in state and parameter symbols.  :func:`compile_map` turns
it into a plain Python function once (one source of truth: the expression), for one number type:

* ``"exact"``  python-flint ``fmpq`` (rational coefficients stay exact);
* ``"ball"``   python-flint ``arb`` balls: every result encloses the exact value;
* ``"float"``  NumPy, vectorised over arrays of states and parameters.

Exact iteration is exact but its bit length grows about threefold per step of a cubic map, so
:func:`exact_orbit` stops at a bit budget.  Naive ball iteration (:func:`ball_orbit`) is certified
but, for a map with derivative ``f'``, the radius grows like the product of ``|f'| + |rounding
terms|`` evaluated *by interval arithmetic*, which exceeds 1 even when the map contracts (the
dependency effect: ``x - x`` has radius ``2 rad x``).  The mean-value (centred) form
:func:`centred_orbit` evaluates ``F(m) + J(X) (X - m)`` with ``m`` the centre, whose radius
contracts with the true Jacobian.  Section modules go further and iterate in defect coordinates.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import sympy as sp
from flint import arb, fmpq

from .arith import EXACT, FLOAT, Ball

State = tuple
Step = Callable[..., tuple]


def compile_map(exprs: Sequence[sp.Expr], args: Sequence[sp.Symbol], number: str = "ball",
                prec: int = 128) -> Callable[..., tuple]:
    """``f(*args) -> tuple``: ``exprs`` compiled by the arithmetic context ``number``
    ("exact", "ball" at ``prec`` bits, or "float"); see :mod:`fa_proofs.arith`."""
    if number == "exact":
        return EXACT.compile(exprs, args)
    if number == "ball":
        return Ball(prec).compile(exprs, args)
    if number == "float":
        return FLOAT.compile(exprs, args)
    raise ValueError(f"unknown number type {number!r}")


def precision(bits: int):
    """Run ball arithmetic at ``bits`` bits of working precision (restored afterwards)."""
    return Ball(bits).workprec()


def bit_size(q: fmpq) -> int:
    return max(int(q.p).bit_length(), int(q.q).bit_length())


def exact_orbit(step: Step, state0: Sequence[fmpq], steps: int, params: Sequence = (),
                max_bits: int = 200_000) -> list[State]:
    """Exact iterates ``state_0, ..., state_n`` with ``n <= steps``, stopping once a coordinate
    needs more than ``max_bits`` bits (exact rationals grow about threefold per cubic step)."""
    orbit = [tuple(EXACT.convert(v) for v in state0)]
    params = [EXACT.convert(p) for p in params]
    for _ in range(steps):
        nxt = step(*orbit[-1], *params)
        orbit.append(nxt)
        if max(bit_size(v) for v in nxt) > max_bits:
            break
    return orbit


def ball_orbit(step: Step, state0: Sequence, steps: int, params: Sequence = (),
               prec: int = 128) -> list[State]:
    """Naive interval iteration: the map evaluated on the enclosures themselves."""
    ball = Ball(prec)
    with ball.workprec():
        orbit = [tuple(ball.convert(v) for v in state0)]
        ps = [ball.convert(p) for p in params]
        for _ in range(steps):
            orbit.append(step(*orbit[-1], *ps))
    return orbit


def _centre(v: arb) -> arb:
    return v.mid()


def centred_orbit(step: Step, jacobian: Step, state0: Sequence, steps: int,
                  params: Sequence = (), prec: int = 128) -> list[State]:
    """Mean-value form: ``X_{t+1} = F(m) + J(X) (X - m)``, ``m`` the centre of ``X`` (exact).

    ``jacobian(*state, *params)`` returns the Jacobian's entries row by row.  The result encloses
    ``F(X)`` (mean value theorem, componentwise on the box), and its radius scales with the true
    Jacobian instead of the interval-evaluated expression."""
    n = len(state0)
    ball = Ball(prec)
    with ball.workprec():
        ps = [ball.convert(p) for p in params]
        orbit = [tuple(ball.convert(v) for v in state0)]
        for _ in range(steps):
            X = orbit[-1]
            m = [_centre(v) for v in X]
            fm = step(*m, *ps)
            J = jacobian(*X, *ps)
            dev = [arb(0, v.rad()) for v in X]
            nxt = tuple(fm[i] + sum((J[i * n + j] * dev[j] for j in range(n)), arb(0))
                        for i in range(n))
            orbit.append(nxt)
    return orbit


def jacobian_exprs(exprs: Sequence[sp.Expr], states: Sequence[sp.Symbol]) -> list[sp.Expr]:
    """The Jacobian's entries row by row, for :func:`centred_orbit`."""
    return list(sp.Matrix(list(exprs)).jacobian(list(states)))


def float_orbit(step: Step, state0: Sequence[np.ndarray], steps: int, params: Sequence = ()
                ) -> list[tuple[np.ndarray, ...]]:
    """A NumPy batch: each coordinate and parameter an array over many cases at once."""
    orbit = [tuple(np.asarray(v, dtype=float) for v in state0)]
    for _ in range(steps):
        orbit.append(step(*orbit[-1], *params))
    return orbit


def radius(v: arb) -> float:
    return float(v.rad())


def max_radius(state: State) -> float:
    return max(radius(v) for v in state)


__all__ = ["compile_map", "precision", "bit_size", "exact_orbit", "ball_orbit", "centred_orbit",
           "jacobian_exprs", "float_orbit", "max_radius"]
