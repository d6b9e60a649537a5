"""The linear networks of the paper, as SymPy: the two-layer flow (6), the L-layer flow (10) and
its discrete midpoint scheme (28), and the layer constants C_l, K, gamma shared by the continuous
(Theorem 5, (82)-(88)) and the discrete (Theorem 10, (136)-(137)) analyses.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from .symbols import d, eta, fa_symbols, lam, layer_symbols, theta1, theta2

# --- the two-layer flow (6) = (35)-(36) -----------------------------------------------------
RESIDUAL = lam - theta1 * theta2
SHALLOW_FIELD = (d * RESIDUAL, RESIDUAL * theta1)     # (theta1', theta2')
PRODUCT = theta1 * theta2


def fa_constants(L: int) -> list[sp.Expr]:
    """d_1, ..., d_{L-1}, d_L = 1."""
    return list(fa_symbols(L)) + [sp.Integer(1)]


def deep_field(L: int) -> tuple[sp.Expr, ...]:
    """The L-layer flow (10) = (77)-(81): theta_l' = d_l (lam - prod theta) prod_{j<l} theta_j."""
    th = layer_symbols(L)
    err = lam - sp.Mul(*th)
    ds = fa_constants(L)
    return tuple(ds[l] * err * sp.Mul(*th[:l]) for l in range(L))


def deep_invariants(L: int) -> tuple[sp.Expr, ...]:
    """The L-1 first integrals of (10): I_l = theta_{l+1} - d_{l+1} theta_l^2 / (2 d_l).

    By (10), theta_{l+1}' / d_{l+1} = (lam - prod theta) prod_{j<=l} theta_j
    = theta_l * theta_l' / d_l, so theta_{l+1}' = (d_{l+1} / (2 d_l)) (theta_l^2)'.  For L = 2
    this is K = theta_2 - theta_1^2/(2 d) of (37); with every I_l = 0 it gives
    theta_l = C_l theta_1^(2^(l-1)) with the C_l of :func:`layer_constants`.  (The balanced-
    network quantities theta_{l+1}^2/d_{l+1} - theta_l^2/d_l are *not* conserved by (10).)
    The tests prove d I_l/dt = 0 along the field symbolically."""
    th = layer_symbols(L)
    ds = fa_constants(L)
    return tuple(th[l + 1] - ds[l + 1] * th[l] ** 2 / (2 * ds[l]) for l in range(L - 1))


def layered_map(L: int) -> tuple[list[sp.Expr], tuple[sp.Symbol, ...], tuple[sp.Symbol, ...]]:
    """One step of the midpoint scheme (28) = (128)-(132): theta_l^{t+1} = theta_l + eta d_l
    prod_{j<l} theta_j^{(t+1/2)} (lam - prod theta), computed from layer 1 upwards, midpoints
    theta^{(t+1/2)} = (theta^{t+1} + theta^t)/2."""
    th = layer_symbols(L)
    ds = fa_constants(L)
    err = lam - sp.Mul(*th)
    new: list[sp.Expr] = []
    for l in range(L):
        mids = sp.Mul(*[(new[j] + th[j]) / 2 for j in range(l)])
        new.append(th[l] + eta * ds[l] * mids * err)
    return new, th, fa_symbols(L)


@lru_cache(maxsize=None)
def layer_constants(L: int) -> tuple[sp.Expr, ...]:
    """C_1 = 1, ..., C_L with theta_l = C_l theta_1^(2^(l-1)) along the scheme (136), derived
    from the telescoping: C_l = d_l/d_1 2^-(l-1) prod_{j<l} C_j (each midpoint product collapses
    to a difference of powers)."""
    ds = fa_constants(L)
    cs: list[sp.Expr] = [sp.Integer(1)]
    for l in range(1, L):
        cs.append(sp.simplify(ds[l] / ds[0] / 2**l * sp.Mul(*cs)))
    return tuple(cs)


@lru_cache(maxsize=None)
def layers_K(L: int) -> sp.Expr:
    """K = prod_l C_l of (137)."""
    return sp.simplify(sp.Mul(*layer_constants(L)))


def layers_gamma(L: int) -> int:
    """gamma = sum_{l<L} 2^l = 2^L - 1 of (137) and (82)."""
    return 2**L - 1


# --- the two-layer schemes of Section 5, in the paper's letters (x_t, y_t) --------------------
def _two_layer_maps():
    from .symbols import x, y
    err = lam - x * y
    mid_x = x + eta * d * err                                   # (115) = (26)
    mid_y = y + eta / 2 * err * (mid_x + x)                     # (116) = (27)
    eul_x = x + eta * d * err                                   # (140) = (22)
    eul_y = y + eta * x * err                                   # (141) = (23)
    return (mid_x, mid_y), (eul_x, eul_y)


MIDPOINT_UPDATE, EULER_UPDATE = _two_layer_maps()
