"""Iterating maps: exact rationals, naive balls, centred (mean-value) balls, and NumPy batches.

A :class:`Map` is a tuple of SymPy expressions in state and parameter symbols; each iteration
compiles it once in its arithmetic context (:mod:`fa_proofs.arith`, one source of truth: the
expression):

* :func:`exact_orbit`   python-flint ``fmpq`` (rational coefficients stay exact);
* :func:`ball_orbit`    python-flint ``arb`` balls at ``prec`` bits: every result encloses the
  exact value;
* :func:`centred_orbit` balls in the mean-value form;
* :func:`float_orbit`   NumPy, vectorised over arrays of states and parameters.

Exact iteration is exact but its bit length grows about threefold per step of a cubic map, so
:func:`exact_orbit` stops at a bit budget.  Naive ball iteration (:func:`ball_orbit`) is certified
but, for a map with derivative ``f'``, the radius grows like the product of ``|f'| + |rounding
terms|`` evaluated *by interval arithmetic*, which exceeds 1 even when the map contracts (the
dependency effect: ``x - x`` has radius ``2 rad x``).  The mean-value (centred) form
:func:`centred_orbit` evaluates ``F(m) + J(X) (X - m)`` with ``m`` the centre, whose radius
contracts with the true Jacobian.  Section modules go further and iterate in defect coordinates.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import sympy as sp
from flint import arb, fmpq

from .arith import EXACT, FLOAT, Arithmetic, Ball

State = tuple


@dataclass(frozen=True)
class Map:
    """``state -> exprs(state, params)``: ``exprs`` in the symbols ``states + params``."""

    exprs: tuple[sp.Expr, ...]
    states: tuple[sp.Symbol, ...]
    params: tuple[sp.Symbol, ...] = ()

    @staticmethod
    def of(exprs: Sequence[sp.Expr], states: Sequence[sp.Symbol],
           params: Sequence[sp.Symbol] = ()) -> "Map":
        return Map(tuple(sp.sympify(e) for e in exprs), tuple(states), tuple(params))

    def compiled(self, arith: Arithmetic) -> Callable[..., tuple]:
        """``f(*state, *params) -> next state`` in the arithmetic ``arith``."""
        return arith.compile(self.exprs, self.states + self.params)

    def jacobian(self) -> "Map":
        """The Jacobian's entries row by row, as a map of the same arguments."""
        jac = sp.Matrix(list(self.exprs)).jacobian(list(self.states))
        return Map(tuple(jac), self.states, self.params)


def bit_size(q: fmpq) -> int:
    return max(int(q.p).bit_length(), int(q.q).bit_length())


def exact_orbit(m: Map, state0: Sequence, steps: int, params: Sequence = (),
                max_bits: int = 200_000) -> list[State]:
    """Exact iterates ``state_0, ..., state_n`` with ``n <= steps``, stopping once a coordinate
    needs more than ``max_bits`` bits (exact rationals grow about threefold per cubic step)."""
    step = m.compiled(EXACT)
    orbit = [tuple(EXACT.convert(v) for v in state0)]
    params = [EXACT.convert(p) for p in params]
    for _ in range(steps):
        nxt = step(*orbit[-1], *params)
        orbit.append(nxt)
        if max(bit_size(v) for v in nxt) > max_bits:
            break
    return orbit


def ball_orbit(m: Map, state0: Sequence, steps: int, params: Sequence = (),
               prec: int = 128) -> list[State]:
    """Naive interval iteration: the map evaluated on the enclosures themselves."""
    ball = Ball(prec)
    step = m.compiled(ball)
    with ball.workprec():
        orbit = [tuple(ball.convert(v) for v in state0)]
        ps = [ball.convert(p) for p in params]
        for _ in range(steps):
            orbit.append(step(*orbit[-1], *ps))
    return orbit


def _centre(v: arb) -> arb:
    return v.mid()


def centred_orbit(m: Map, state0: Sequence, steps: int, params: Sequence = (),
                  prec: int = 128) -> list[State]:
    """Mean-value form: ``X_{t+1} = F(m) + J(X) (X - m)``, ``m`` the centre of ``X`` (exact).

    The result encloses ``F(X)`` (mean value theorem, componentwise on the box), and its radius
    scales with the true Jacobian instead of the interval-evaluated expression."""
    n = len(state0)
    ball = Ball(prec)
    step, jacobian = m.compiled(ball), m.jacobian().compiled(ball)
    with ball.workprec():
        ps = [ball.convert(p) for p in params]
        orbit = [tuple(ball.convert(v) for v in state0)]
        for _ in range(steps):
            X = orbit[-1]
            mid = [_centre(v) for v in X]
            fm = step(*mid, *ps)
            J = jacobian(*X, *ps)
            dev = [arb(0, v.rad()) for v in X]
            nxt = tuple(fm[i] + sum((J[i * n + j] * dev[j] for j in range(n)), arb(0))
                        for i in range(n))
            orbit.append(nxt)
    return orbit


def float_orbit(m: Map, state0: Sequence[np.ndarray], steps: int, params: Sequence = ()
                ) -> list[tuple[np.ndarray, ...]]:
    """A NumPy batch: each coordinate and parameter an array over many cases at once."""
    step = m.compiled(FLOAT)
    orbit = [tuple(np.asarray(v, dtype=float) for v in state0)]
    for _ in range(steps):
        orbit.append(step(*orbit[-1], *params))
    return orbit


def radius(v: arb) -> float:
    return float(v.rad())


def max_radius(state: State) -> float:
    return max(radius(v) for v in state)


__all__ = ["Map", "bit_size", "exact_orbit", "ball_orbit", "centred_orbit", "float_orbit",
           "max_radius"]
