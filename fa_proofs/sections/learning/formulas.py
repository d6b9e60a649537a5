"""Section 4 / Appendix C formulas, each defined once as a SymPy expression.

* ``PRINTED_*``: the paper's statements as reconstructed from the OCR (``notes/claims.md``);
* ``derived_*``: computed by SymPy from Section 2's reduced flow (54) = (13) = (93) and its implicit
  solutions (56) (Delta > 0) and (42) (K = 0), never typed by hand.

Roots: the Delta > 0 families are written r2 = -a, r1 = -a - b, r3 = 2a + b (a, b > 0), which is
every ordered triple of roots of x^3 + 2dKx - 2d lambda (sum 0, product 2 d lambda > 0).
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ...arith import real_cbrt
from ...model import symbols as Y
from ..shallow import formulas as S

d, lam, K, theta1, theta0, r = Y.d, Y.lam, Y.K, Y.theta1, Y.theta0, Y.r
r1, r2, r3 = Y.r1, Y.r2, Y.r3
delta, alpha_T, R_box = Y.delta, Y.alpha_T, Y.R_box
u = sp.Symbol("u", positive=True)                   # 1/|theta0| (expansions at theta0 -> -oo)
a_, b_ = sp.symbols("a b", positive=True)           # r2 = -a, r21 = b
r21, r31, r32 = r2 - r1, r3 - r1, r3 - r2

# --- printed statements (reconstructed) -------------------------------------------------------
PRINTED_EQ106_T = 2 / ((r3 - r2) * (r2 - r1))                                  # (15) = (106)
PRINTED_EQ101_ALPHA = r3 - sp.exp((1 + r31 / r21) * sp.log(r32)
                                  + r32 / r21 * sp.log(r21 / r31))              # (101)
PRINTED_EQ104_ALPHA = r1 + sp.exp((1 + r31 / r32) * sp.log(r21)
                                  + r21 / r32 * sp.log(r32 / r31))              # (104)
PRINTED_SEC41_MAIN = -sp.Rational(3, 2) * lam ** sp.Rational(2, 3)             # Section 4.1
PRINTED_SEC41_APPENDIX = -sp.Rational(3, 2) * lam ** sp.Rational(2, 3)         # App. C.1, 2d = 1
PRINTED_EQ107_R32R21 = -3 * r2**2 - K    # App. C.1: r32 r21 = -P'(r2) = -3 r2^2 - K (2d = 1)


def printed_eq112(th0: sp.Expr, rr: sp.Expr) -> sp.Expr:
    """(16) = (112): the vanishing time T0 of theta1 under (7) (K = 0), theta0 < 0."""
    return (sp.pi / (3 * sp.sqrt(3) * rr**2)
            + sp.log((rr - th0) ** 2 / (th0**2 + rr * th0 + rr**2)) / (3 * rr**2)
            - 2 / (sp.sqrt(3) * rr**2) * sp.atan((2 * th0 + rr) / (sp.sqrt(3) * rr)))


PRINTED_EQ113_LEADING = 4 * sp.pi / (3 * sp.sqrt(3) * r**2)      # (17) = (113): T0 at -oo
PRINTED_EQ113_TERMS = {2: sp.Integer(-1)}        # (113): - 1/theta0^2 (coefficient of u^k)
PRINTED_EQ113_REMAINDER = 3                      # (113): O(1/theta0^3)
PRINTED_EQ17_TERMS: dict[int, sp.Expr] = {}      # (17): the leading term only
PRINTED_EQ17_REMAINDER = 2                       # (17): O(1/theta0^2)


# --- derived --------------------------------------------------------------------------------
FLOW3 = S.RHS_ROOTS3                             # theta1' = -(theta1-r1)(theta1-r2)(theta1-r3)/2


def implicit_G(th: sp.Expr) -> sp.Expr:
    """Section 2's implicit solution (56): G(theta1(t)) - G(theta0) = -t/2 (Delta > 0)."""
    return S.printed_eq56(th, r1, r2, r3)


@lru_cache(maxsize=None)
def derived_T() -> sp.Expr:
    """The escape time scale from r2: 1/(d theta1'/d theta1 at r2), derived from (54)."""
    return sp.factor(1 / sp.diff(FLOW3, theta1).subs(theta1, r2))


def tau_delta(T: sp.Expr) -> sp.Expr:
    """G(theta0) - delta T/2 for theta0 = r2 + e^-delta: the constant the trajectory's G takes at
    t = delta T (from (56)); it has a finite limit iff T is the escape time scale."""
    return implicit_G(r2 + sp.exp(-delta)) - delta * T / 2


def roots_ab() -> dict:
    return {r2: -a_, r1: -a_ - b_, r3: 2 * a_ + b_}


@lru_cache(maxsize=None)
def derived_alpha_constant() -> sp.Expr:
    """c = lim_{delta -> oo} G(r2 + e^-delta) - delta T/2 (SymPy's limit, derived T); the limit
    alpha of theta1(delta T) solves G(alpha) = c, with alpha in (r2, r3) (and in (r1, r2) for the
    start r2 - e^-delta: the same c)."""
    eps = sp.Symbol("epsilon", positive=True)
    expr = tau_delta(derived_T()).subs(roots_ab())
    expr = expr.subs(sp.exp(-delta), eps).subs(delta, -sp.log(eps))
    expr = sp.expand_log(sp.expand(expr.replace(sp.Abs, lambda z: sp.Abs(sp.factor(z)))),
                         force=True)
    c = sp.limit(expr, eps, 0, "+")
    back = {a_: -r2, b_: r2 - r1}
    return sp.simplify(c.subs(back))


R21, R31, R32 = sp.symbols("r_21 r_31 r_32", positive=True)    # display names of the gaps


def with_root_gaps(expr: sp.Expr) -> sp.Expr:
    """``expr`` with r_i - r_j written r_ij (for display: the same expression)."""
    return sp.sympify(expr).xreplace({r2 - r1: R21, r3 - r1: R31, r3 - r2: R32})


def alpha_constant_in_roots() -> sp.Expr:
    """c written symmetrically in the three roots (r3 = -r1 - r2 put back): the same value as
    :func:`derived_alpha_constant` on the cubic's roots (checked in the tests)."""
    return sp.log(r32) / (r32 * r31) + sp.log(r21) / (r31 * r21)


def alpha_equation(alpha_expr: sp.Expr | None = None) -> sp.Expr:
    """G(alpha) - c: zero at the step's value alpha (the corrected (101)/(104))."""
    return implicit_G(alpha_T if alpha_expr is None else alpha_expr) - derived_alpha_constant()


@lru_cache(maxsize=None)
def derived_T_dlk() -> sp.Expr:
    """T in terms of r2 and (d, K): -2/P'(r2) (P the derived monic cubic)."""
    P = S.derived_cubic()
    return -2 / sp.diff(P, theta1).subs(theta1, r2)


@lru_cache(maxsize=None)
def derived_dT_dlam() -> sp.Expr:
    """dT/dlambda at fixed d and K (implicit differentiation of P(r2) = 0), in (a, b, d)."""
    P = S.derived_cubic()
    dr2 = -sp.diff(P, lam).subs(theta1, r2) / sp.diff(P, theta1).subs(theta1, r2)
    dT = sp.diff(derived_T_dlk(), r2) * dr2
    Kv = ((r1 * r2 + r1 * r3 + r2 * r3) / (2 * d)).subs(roots_ab())
    return sp.factor(sp.simplify(dT.subs(K, Kv).subs(roots_ab())))


@lru_cache(maxsize=None)
def derived_sec41_threshold() -> sp.Expr:
    """K* with Delta(K*) = 0, from the derived discriminant (a polynomial in K^3 only): three
    distinct real roots iff K < K* (Delta is decreasing in K)."""
    poly = sp.Poly(S.derived_discriminant(), K)
    assert set(m[0] for m in poly.monoms()) <= {0, 3}
    k3 = -poly.coeff_monomial(1) / poly.coeff_monomial(K**3)
    return sp.simplify(real_cbrt(sp.simplify(k3)))


def derived_appendix_threshold() -> sp.Expr:
    """The appendix normalisation 2d = 1, cubic x^3 + Kx - lambda (K there = 2dK here = K)."""
    return derived_sec41_threshold().subs(d, sp.Rational(1, 2))


# K = 0 ---------------------------------------------------------------------------------------
RHS_K0 = S.RHS_R                                 # theta1' = (r^3 - theta1^3)/2, r = (2 d lam)^(1/3)


def derived_T0_section2(th0: sp.Expr = theta0) -> sp.Expr:
    """T0 from Section 2's implicit solution (42): F(theta1(t)) - F(theta0) = t, at theta1 = 0."""
    return S.printed_eq42(sp.Integer(0), r) - S.printed_eq42(th0, r)


def T0_integrand(th: sp.Expr) -> sp.Expr:
    """dt/dtheta1 = 1/theta1' under (7)."""
    return 1 / RHS_K0.subs(theta1, th)


@lru_cache(maxsize=None)
def derived_T0_series(order: int = 9) -> sp.Expr:
    """SymPy's series of T0 in u = -1/theta0 -> 0+ (theta0 -> -oo), up to O(u^order), from the
    integral's expansion: T0 = int_{-oo}^0 - int_{-oo}^{theta0} (the tail integrand expanded)."""
    T_inf = sp.integrate(T0_integrand(theta1), (theta1, -sp.oo, 0))
    tail_integrand = sp.series(T0_integrand(-1 / u) * u**-2, u, 0, order + 1).removeO()
    tail = sp.integrate(sp.expand(tail_integrand), (u, 0, u))
    return sp.simplify(T_inf), sp.expand(tail)


def expansion_coefficients(order: int = 9) -> tuple[sp.Expr, dict[int, sp.Expr]]:
    """(T0(-oo), {k: coefficient of u^k = |theta0|^-k}) for k < order."""
    T_inf, tail = derived_T0_series(order)
    poly = sp.Poly(-tail, u)
    return T_inf, {k: sp.simplify(c) for (k,), c in poly.terms() if k < order}


# footnote 2 ----------------------------------------------------------------------------------
PRINTED_FN2_DECREASING = -1         # the probability decreases as lambda grows
PRINTED_FN2_BOUND = sp.Rational(1, 2)   # "does not happen with high probability": P < 1/2 read
