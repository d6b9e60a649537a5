"""Section 3 / Appendix B formulas, each defined once as a SymPy expression.

* ``PRINTED_*`` / ``printed_*``: the paper's statements as reconstructed from the OCR
  (``notes/claims.md``, "Section 3 and Appendix B", gives the readings and the alternatives);
  they are the parts of the claims' statements.  Where the paper only says "for some C_l > 0",
  the part holds the closed form the suite derives (a mutant replaces it).
* derived quantities: computed from the model (:mod:`fa_proofs.model.network`: the flow (10), its
  layers Theta_l along the flow, the reduced equation (92)), never typed by hand.

Two notations for the layer constants meet here.  The main text's (11) writes
``theta_l(0) = C_l theta_0^(2^(l-1))``; Appendix B's (83)/(86) write
``theta_l' = C_l theta_1^(2^(l-1) - 1) theta_1'``, so that ``theta_l = (C_l/2^(l-1))
theta_1^(2^(l-1))``.  The appendix's C_l is 2^(l-1) times the main text's (``eq83`` checks that
the two agree); ``constants`` below is the main text's, ``appendix_constants`` the appendix's.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ...model import network as N
from ...model.symbols import (K_layers as K, d1, fa_symbols, gamma, integration_constants, lam,
                              layer_symbols, r, t, theta1)

__all__ = ["K", "d1", "gamma", "lam", "r", "t", "theta1"]


def ds_of(L: int) -> tuple[sp.Expr, ...]:
    """d_1, ..., d_{L-1}, d_L = 1."""
    return tuple(N.fa_constants(L))


# --- printed statements (reconstructed) -------------------------------------------------------
def printed_gamma(L: int) -> int:
    """(82), (87): gamma = sum_{l=0}^{L-1} 2^l."""
    return sum(2**l for l in range(L))


@lru_cache(maxsize=None)
def closed_constants(L: int) -> tuple[sp.Expr, ...]:
    """The main text's C_l of (11) in closed form (derived; the paper says "for some C_l > 0
    depending on d_1..d_l"): C_1 = 1 and, with a_j = d_j/(2^(j-1) d_1),
    C_l = a_l prod_{j=2}^{l-1} a_j^(2^(l-1-j)) (d_L = 1)."""
    ds = ds_of(L)
    a = [None] + [ds[j - 1] / (2 ** (j - 1) * ds[0]) for j in range(1, L + 1)]   # a[j], j >= 2
    out = [sp.Integer(1)]
    for l in range(2, L + 1):
        out.append(a[l] * sp.Mul(*[a[j] ** (2 ** (l - 1 - j)) for j in range(2, l)]))
    return tuple(out)


@lru_cache(maxsize=None)
def closed_K(L: int) -> sp.Expr:
    """K = prod_l C_l = prod_{j=2}^{L} a_j^(2^(L-j)) (derived closed form of (87))."""
    ds = ds_of(L)
    return sp.Mul(*[(ds[j - 1] / (2 ** (j - 1) * ds[0])) ** (2 ** (L - j))
                    for j in range(2, L + 1)])


@lru_cache(maxsize=None)
def appendix_constants(L: int) -> tuple[sp.Expr, ...]:
    """(86): C_1 = 1, theta_l' = C_l theta_1^(2^(l-1)-1) theta_1' with
    C_l = (d_l/d_1) prod_{j<l} C_j/2^(j-1) (the induction of the proof, written out)."""
    ds = ds_of(L)
    out = [sp.Integer(1)]
    for l in range(2, L + 1):
        out.append(ds[l - 1] / ds[0] * sp.Mul(*[out[j - 1] / 2 ** (j - 1) for j in range(1, l)]))
    return tuple(out)


def printed_eq83(L: int) -> tuple[sp.Expr, ...]:
    """(83): theta_l(t) = (C_l/2^(l-1)) theta_1(t)^(2^(l-1)), C_l of (86)."""
    cs = appendix_constants(L)
    return tuple(cs[l] / 2**l * theta1 ** (2**l) for l in range(L))


def printed_eq87_K(L: int) -> sp.Expr:
    """(87): K = prod_{l=1}^{L} C_l/2^(l-1), C_l of (86)."""
    cs = appendix_constants(L)
    return sp.Mul(*[cs[l] / 2**l for l in range(L)])


def printed_init11(L: int, constants=None) -> tuple[sp.Expr, ...]:
    """(11): theta_1(0) = theta_0, theta_l(0) = C_l theta_0^(2^(l-1)) (in theta1 = theta_0)."""
    cs = closed_constants(L) if constants is None else constants(L)
    return tuple(cs[l] * theta1 ** (2**l) for l in range(L))


PRINTED_EQ82 = d1 * (lam - K * theta1**gamma)              # (82) = (87): theta_1'
PRINTED_EQ88_R = (lam / K) ** (1 / gamma)                   # (88): r, the root of lam - K x^gamma
# Theorem 5's "exponentially": the rate of the reconstruction, the analogue of Theorem 2's
# (3/2)(2 d lambda)^(2/3) (which it is for L = 2): d_1 gamma K r^(gamma - 1)
PRINTED_RATE = d1 * gamma * K ** (1 / gamma) * lam ** ((gamma - 1) / gamma)
PRINTED_LEM18_SIGNS = (+1, -1)                              # (89)-(90)


def printed_eq92_degree(L: int) -> int:
    """(92): P_gamma has degree gamma = 2^L - 1."""
    return 2**L - 1


def printed_eq85_theta2() -> sp.Expr:
    """(85): theta_2 = (d_2/(2 d_1)) theta_1^2 + K_2 (d_2 of a network with L >= 3; d_2 = 1
    when L = 2)."""
    d2 = sp.Symbol("d2", positive=True)
    return d2 / (2 * d1) * theta1**2 + integration_constants(3)[0]


# --- derived from the model --------------------------------------------------------------------
@lru_cache(maxsize=None)
def reduced11(L: int) -> sp.Poly:
    """theta_1' along (10) under (11), as a polynomial in theta_1: the model's (92) with every
    K_l = 0."""
    return N.deep_reduced_poly11(L)


@lru_cache(maxsize=None)
def derived_reduced(L: int) -> tuple[sp.Expr, int]:
    """(K, gamma) read off the model's reduced equation under (11): it is the binomial
    d_1 lam - d_1 K theta_1^gamma (a ValueError otherwise)."""
    p = reduced11(L)
    monoms = sorted(m[0] for m in p.monoms())
    if len(monoms) != 2 or monoms[0] != 0:
        raise ValueError(f"theta_1' under (11) is not a binomial: {p.as_expr()}")
    g = monoms[1]
    const = p.coeff_monomial(1)
    if sp.simplify(const - d1 * lam) != 0:
        raise ValueError(f"theta_1' under (11) at theta_1 = 0 is {const}, not d_1 lam")
    return sp.factor(-p.LC() / d1), g


def derived_K(L: int) -> sp.Expr:
    return derived_reduced(L)[0]


def derived_gamma(L: int) -> int:
    return derived_reduced(L)[1]


def derived_root(L: int) -> sp.Expr:
    """The real root of lam - K theta_1^gamma (gamma odd, K > 0: the only one)."""
    k, g = derived_reduced(L)
    return (lam / k) ** sp.Rational(1, g)


def derived_rate(L: int) -> sp.Expr:
    """The exact asymptotic rate of theta_1 -> r under (11): minus the derivative of theta_1' at
    the root, in (d_1..d_{L-1}, lam)."""
    return -reduced11(L).diff(theta1).as_expr().subs(theta1, derived_root(L))


def in_ds(expr: sp.Expr, L: int) -> sp.Expr:
    """A statement in (K, gamma) at depth L: K = the model's K(d), gamma = 2^L - 1 (the model's
    :func:`fa_proofs.model.network.layers_K` and :func:`~fa_proofs.model.network.layers_gamma`)."""
    return sp.sympify(expr).subs(gamma, N.layers_gamma(L)).subs(K, N.layers_K(L))


def layer_limits(L: int) -> tuple[sp.Expr, ...]:
    """theta_l at the constant solution theta_1 = r: C_l r^(2^(l-1)) (in d's and r)."""
    return tuple(c * r ** (2**l) for l, c in enumerate(N.layer_constants(L)))


def rate_in_ds(L: int) -> sp.Expr:
    """The rate d_1 gamma K^(1/gamma) lam^((gamma-1)/gamma) with K in the d's (LaTeX report)."""
    return sp.powsimp(sp.expand_power_base(in_ds(PRINTED_RATE, L), force=True), force=True)


__all__ += ["ds_of", "printed_gamma", "closed_constants", "closed_K", "appendix_constants",
            "printed_eq83", "printed_eq87_K", "printed_init11", "PRINTED_EQ82", "PRINTED_EQ88_R",
            "PRINTED_RATE", "PRINTED_LEM18_SIGNS", "printed_eq92_degree", "printed_eq85_theta2",
            "reduced11", "derived_reduced", "derived_K", "derived_gamma",
            "derived_root", "derived_rate", "in_ds", "layer_limits", "rate_in_ds", "fa_symbols",
            "layer_symbols", "integration_constants"]
