"""The linear networks of the paper, as SymPy: the two-layer flow (6), the L-layer flow (10) and
its discrete midpoint scheme (28), and the layer constants C_l, K, gamma shared by the continuous
(Theorem 5, (82)-(88)) and the discrete (Theorem 10, (136)-(137)) analyses.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from .symbols import (d, eta, fa_symbols, integration_constants, lam, layer_symbols, theta1,
                      theta2)

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


# --- the L-layer flow (10) reduced to theta_1 (Theorem 5 = 17, (85)-(92)) -----------------------
def layer_recursion(L: int, x, ds, ks, integrate):
    """Theta_1 = x, Theta_l = (d_l/d_1) integrate(prod_{j<l} Theta_j) + K_l (l = 2..L): the one
    definition of the layers along the flow, for any polynomial arithmetic (SymPy ``Poly`` for
    the symbolic statements, python-flint ``fmpq_poly`` at exact points).  ``ds`` = d_1..d_L
    (d_L = 1), ``ks`` = K_2..K_L, ``integrate`` the antiderivative vanishing at 0."""
    out = [x]
    for l in range(1, L):
        prod = out[0]
        for p in out[1:l]:
            prod = prod * p
        out.append(integrate(prod) * (ds[l] / ds[0]) + ks[l - 1])
    return out


@lru_cache(maxsize=None)
def deep_layer_polys(L: int) -> tuple[sp.Poly, ...]:
    """Theta_1, ..., Theta_L: the layers along the flow (10) as polynomials in theta_1, with every
    integration constant K_2..K_L kept.  Derived from the flow alone: theta_1' = d_1 (lam - prod)
    turns theta_l' = d_l (lam - prod) prod_{j<l} theta_j into theta_l' = (d_l/d_1) theta_1'
    prod_{j<l} Theta_j(theta_1), so Theta_1 = theta_1 and Theta_l = (d_l/d_1) int_0^theta_1
    prod_{j<l} Theta_j + K_l (the induction of (85)-(86); :func:`layer_recursion`)."""
    x = layer_symbols(L)[0]
    return tuple(layer_recursion(L, sp.Poly(x, x), fa_constants(L), integration_constants(L),
                                 lambda p: p.integrate()))


def deep_layers_exact(L: int, ds, ks):
    """Theta_1..Theta_L as python-flint ``fmpq_poly`` at exact d_1..d_{L-1} and K_2..K_L (the
    same :func:`layer_recursion`)."""
    from flint import fmpq, fmpq_poly
    d = [fmpq(v) if not isinstance(v, fmpq) else v for v in ds] + [fmpq(1)]
    return layer_recursion(L, fmpq_poly([0, 1]), d, list(ks), lambda p: p.integral())


def deep_field_exact(L: int, ds, lam_value, ks):
    """theta_1' = d_1 (lam - prod_l Theta_l(theta_1)) as an ``fmpq_poly`` at exact values: the
    sketch's (92) at a point (cf. :func:`deep_reduced_poly`)."""
    from flint import fmpq
    layers = deep_layers_exact(L, ds, ks)
    prod = layers[0]
    for p in layers[1:]:
        prod = prod * p
    d1_value = ds[0] if isinstance(ds[0], fmpq) else fmpq(ds[0])
    return (-prod + lam_value) * d1_value


def deep_integration_constants_exact(L: int, state, ds):
    """The conserved K_2..K_L of an exact state (fmpq): K_l = theta_l - Theta_l(theta_1), with
    K_l (and the constants above it) 0 inside Theta_l, evaluated upwards in l (the same
    :func:`layer_recursion`)."""
    from flint import fmpq
    ks: list = []
    for l in range(1, L):
        layers = deep_layers_exact(L, ds, ks + [fmpq(0)] * (L - len(ks) - 1))
        ks.append(state[l] - layers[l](state[0]))
    return tuple(ks)


@lru_cache(maxsize=None)
def deep_layer_polys11(L: int) -> tuple[sp.Poly, ...]:
    """Theta_1..Theta_L with every K_l = 0 (the initialisation (11)): each is
    C_l theta_1^(2^(l-1)) (:func:`flow_layer_constants`)."""
    x = layer_symbols(L)[0]
    return tuple(layer_recursion(L, sp.Poly(x, x), fa_constants(L), [0] * (L - 1),
                                 lambda p: p.integrate()))


def deep_layers(L: int, constants: bool = True) -> tuple[sp.Expr, ...]:
    """Theta_l as expressions in theta_1 (and K_2..K_L; with ``constants=False`` every K_l = 0,
    the initialisation (11))."""
    polys = deep_layer_polys(L) if constants else deep_layer_polys11(L)
    return tuple(p.as_expr() for p in polys)


@lru_cache(maxsize=None)
def deep_reduced_poly11(L: int) -> sp.Poly:
    """theta_1' under (11): d_1 (lam - prod_l Theta_l) with every K_l = 0."""
    prod = deep_layer_polys11(L)[0]
    for p in deep_layer_polys11(L)[1:]:
        prod = prod * p
    return (lam - prod) * fa_constants(L)[0]


@lru_cache(maxsize=None)
def deep_reduced_poly(L: int) -> sp.Poly:
    """theta_1' = d_1 (lam - prod_l Theta_l(theta_1)) as a polynomial in theta_1, every K_l kept:
    the sketch's (92) (its degree is gamma, its leading coefficient -d_1 K)."""
    prod = deep_layer_polys(L)[0]
    for p in deep_layer_polys(L)[1:]:
        prod = prod * p
    return (lam - prod) * fa_constants(L)[0]


@lru_cache(maxsize=None)
def flow_layer_constants(L: int) -> tuple[sp.Expr, ...]:
    """C_1 = 1, ..., C_L derived from the continuous flow: with every K_l = 0 (the
    initialisation (11)), Theta_l = C_l theta_1^(2^(l-1)); C_l is its only coefficient.  (The
    discrete scheme's telescoping gives the same constants: :func:`layer_constants`.)"""
    out = []
    for l, poly in enumerate(deep_layer_polys11(L)):
        if poly.monoms() != [(2**l,)]:
            raise ArithmeticError(f"Theta_{l + 1} with K = 0 is not a monomial: {poly}")
        out.append(sp.factor(poly.LC()))
    return tuple(out)


@lru_cache(maxsize=None)
def deep_integration_constant_exprs(L: int) -> tuple[sp.Expr, ...]:
    """K_2..K_L as expressions in the state theta_1..theta_L and d_1..d_{L-1}: the first
    integrals of (10), K_l = theta_l - (Theta_l(theta_1) - K_l) with the K_j (j < l) inside
    Theta_l replaced by their own expressions, upwards in l (the same :func:`deep_layer_polys`
    as :func:`deep_integration_constants`; for L = 2, K = theta_2 - theta_1^2/(2 d) of (37))."""
    th = layer_symbols(L)
    ks = integration_constants(L)
    out: list[sp.Expr] = []
    for l, p in enumerate(deep_layer_polys(L)):
        if l == 0:
            continue
        below = dict(zip(ks[:l - 1], out))
        out.append(sp.expand(th[l] - (p.as_expr() - ks[l - 1]).xreplace(below)))
    return tuple(out)


def deep_integration_constants(L: int, arith):
    """``f(theta_1, ..., theta_L, d_1, ..., d_{L-1}) -> (K_2, ..., K_L)`` in the arithmetic
    context ``arith`` (exact rationals, balls, or NumPy arrays of states): the conserved
    K_l = theta_l - (Theta_l(theta_1) - K_l), evaluated upwards in l (each Theta_l depends on the
    K_j below it)."""
    th = layer_symbols(L)
    ds = fa_symbols(L)
    ks = integration_constants(L)
    bodies = [arith.compile([p.as_expr() - ks[l - 1]], (th[0],) + ds + ks[:l - 1])
              for l, p in enumerate(deep_layer_polys(L)) if l > 0]

    def f(*args):
        state, dvals = args[:L], args[L:]
        out: list = []
        for l, body in enumerate(bodies, start=1):
            out.append(state[l] - body(state[0], *dvals, *out)[0])
        return tuple(out)
    return f
