"""Flows and schemes as objects: each carries its vector field or update, fixed point, stated
step-size maximum, derived defect factor and rate metadata, so that a claim, the ``orbit``
command or a benchmark asks the object rather than retyping a formula.

* :class:`Flow` -- a continuous system ``state' = field(state)``: :data:`SHALLOW_FLOW` (6) and
  :func:`deep_flow` (10);
* :class:`Scheme` -- a discrete map with its certified-orbit metadata; the instances of Section 5
  (midpoint, L-layer midpoint, forward Euler) are built in
  :mod:`fa_proofs.sections.discrete.schemes`, next to the statements whose bounds they carry.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

import sympy as sp

from . import network as N
from .symbols import K, d, lam, layer_symbols, theta1, theta2


@dataclass(frozen=True)
class Flow:
    """``state' = field`` with parameters ``params``; ``conserved`` a first integral (if any);
    ``reduced`` the one-dimensional equation left after eliminating it (theta1' in theta1)."""

    name: str
    label: str
    state: tuple[sp.Symbol, ...]
    params: tuple[sp.Symbol, ...]
    field: tuple[sp.Expr, ...]
    conserved: sp.Expr | None = None
    reduced: sp.Expr | None = None

    def derivative_along(self, expr: sp.Expr) -> sp.Expr:
        """d expr/dt along the flow (the Lie derivative)."""
        return sp.expand(sum(sp.diff(expr, s) * f for s, f in zip(self.state, self.field)))

    def batch_rhs(self) -> Callable:
        """``rhs(t, Y, *params)`` for :func:`fa_proofs.simulate.integrate_batch`: ``Y`` of shape
        (state, n), each parameter a scalar or an array over the n trajectories."""
        import numpy as np
        from ..arith import FLOAT
        f = FLOAT.compile(self.field, self.state + self.params)
        return lambda _t, y, *ps: np.asarray(f(*y, *ps))

    def mp_rhs(self, dps: int, params: tuple) -> Callable:
        """``rhs(t, y)`` at fixed parameter values, for :func:`fa_proofs.simulate.integrate_mp`
        (computed in the private context ``MP(dps)``)."""
        from ..arith import MP
        f = MP(dps).compile(self.field, self.state + self.params)
        return lambda _t, y: list(f(*y, *params))


def _shallow_reduced() -> sp.Expr:
    theta2_of_theta1 = theta1**2 / (2 * d) + K        # (37), K the integration constant
    return sp.expand(N.SHALLOW_FIELD[0].subs(theta2, theta2_of_theta1))


SHALLOW_FLOW = Flow("two-layer FA flow", "(6)", (theta1, theta2), (d, lam), N.SHALLOW_FIELD,
                    conserved=theta2 - theta1**2 / (2 * d), reduced=_shallow_reduced())


@lru_cache(maxsize=None)
def deep_flow(L: int) -> Flow:
    """The L-layer flow (10) = (77)-(81); ``reduced`` is theta_1' in theta_1 with the
    integration constants K_2..K_L kept, (92) (:func:`network.deep_reduced_poly`); the conserved
    K_l are :func:`network.deep_integration_constants`."""
    return Flow(f"{L}-layer FA flow", "(10)", layer_symbols(L),
                tuple(N.fa_constants(L)[:-1]) + (lam,), N.deep_field(L),
                reduced=N.deep_reduced_poly(L).as_expr())


@dataclass(frozen=True)
class Bound:
    """A bound along a scheme's orbits, checked by a claim's check (``claim``, ``variant``,
    ``check``); ``label`` as the ``orbit`` command prints it, ``quantity`` the left side."""

    label: str
    quantity: str
    claim: str
    variant: str
    check: str


@dataclass(frozen=True)
class Scheme:
    """A discrete scheme: its update (in its paper letters), the reduced one-dimensional map and
    its fixed point, the stated step-size maximum, the derived defect factor
    (``e_{t+1} = e_t phi(e_t)``, e = fixed point - x), the product error in defect coordinates,
    the exact linear rate, the parameter domain, the bounds the paper states along its orbits, and
    ``quantities(point, steps, prec)``: the certified sequences the ``orbit`` command prints."""

    name: str
    label: str
    update: tuple[sp.Expr, ...]
    reduced: sp.Expr | None
    fixed_point: sp.Expr | None
    eta_max: Any
    defect_factor: Any
    product_error: Any
    linear_rate: sp.Expr | None
    domain: Any
    bounds: tuple[Bound, ...] = ()
    quantities: Callable[..., dict[str, list]] | None = field(default=None, compare=False)
