"""Section 5 / Appendix D formulas, each defined once as a SymPy expression.

``PRINTED_*`` are the paper's statements as reconstructed from the OCR (``notes/claims.md`` gives
the readings); everything else is derived here by SymPy from the maps themselves:

* the "midpoint" scheme (115)-(116) = (26)-(27) and its L-layer form (128)-(132) = (28);
* forward Euler (140)-(141) = (22)-(23), its reduction (143)-(144) and the (x, S) map (159)-(160).

The certified iterations do not use the maps in the coordinates printed in the paper: a naive
interval iteration of ``x -> x + eta/2 (2 d lam - x^3)`` widens by ``1 + 3 eta x^2 / 2`` per step.
They iterate *defect coordinates* instead, derived here: the distance to the fixed point for the
one-dimensional maps, and ``P(x_t, S_t)`` for the Euler map, both of which obey a multiplicative
recurrence (:data:`MIDPOINT_DEFECT_FACTOR`, :func:`layered_defect_factor`, :data:`EULER_P_FACTOR`),
so that ball radii stay relative to the quantity itself.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

# --- symbols (one table: fa_proofs.model.symbols) ----------------------------------------------
from ...model import network as N
from ...model.symbols import (K_layers as K, P_t, S, S_star as Sstar, alpha, d,  # noqa: F401
                              d1, e, ell, ell_inf, eta, fa_symbols, gamma, lam, r)
from ...model.symbols import step as t
from ...model.symbols import S_inf, x, y


@dataclass(frozen=True)
class Geometric:
    """A bound ``const * rate**t`` (a linear rate), kept as its two factors."""

    const: sp.Expr
    rate: sp.Expr

    @property
    def expr(self) -> sp.Expr:
        return self.const * self.rate**t


C = 2 * d * lam                               # the constant 2 d lambda
R_OF = sp.cbrt(C)                             # r = (2 d lam)^(1/3), the limit of x_t

# --- the midpoint scheme (115)-(116) ----------------------------------------------------------
MIDPOINT_X, MIDPOINT_Y = N.MIDPOINT_UPDATE                                # (115), (116)
PRINTED_LEM19_Y = x**2 / (2 * d)                                          # (117)
PRINTED_EQ119 = x + eta * d * lam * (1 - x**3 / C)                        # (119)
PRINTED_ETA_MAX_MIDPOINT = 2 / (3 * C ** sp.Rational(2, 3))               # (120)
PRINTED_REM23_ETA = 2 / C ** sp.Rational(2, 3)                            # Remark 23
PRINTED_THM9 = Geometric(3 * lam, 1 - sp.Rational(3, 2) * eta * C ** sp.Rational(2, 3))  # (124)
PRINTED_EQ126 = Geometric(r, 1 - sp.Rational(3, 2) * eta * r**2)       # (126): |x_t - r| <= .
PRINTED_EQ127_FACTOR = 3 * r**2 / (2 * d)                                 # (127): |xy-lam| <= .|x-r|
# corrected (derived in the claims): the contraction factor e_{t+1}/e_t of (126) lies in
# [1 - 3 eta r^2/2, 1 - eta r^2/2] on [0, r]; the paper bounds it by the wrong end.
CORRECTED_THM9 = Geometric(3 * lam, 1 - eta * C ** sp.Rational(2, 3) / 2)
CORRECTED_EQ126 = Geometric(r, 1 - eta * r**2 / 2)


def midpoint_reduced() -> sp.Expr:
    """(119) derived: substitute Lemma 19's y = x^2/(2d) into (115)."""
    return sp.expand(MIDPOINT_X.subs(y, PRINTED_LEM19_Y))


MIDPOINT_DEFECT_FACTOR = sp.factor(sp.cancel(
    (r - midpoint_reduced().subs(d * lam, r**3 / 2).subs(x, r - e)) / e))
"""e_{t+1} = e_t * MIDPOINT_DEFECT_FACTOR(e_t) with e_t = r - x_t; derived, = 1 - eta/2 (x^2+rx+r^2)."""

MIDPOINT_PRODUCT_ERROR = sp.expand((lam - (r - e) ** 3 / (2 * d)).subs(lam, r**3 / (2 * d)))
"""lam - x_t y_t in defect coordinates (y_t = x_t^2/(2d), lam = r^3/(2d)): no cancellation."""

# --- the L-layer midpoint scheme (128)-(132) --------------------------------------------------


layered_map = N.layered_map            # (128)-(132)
layer_constants = N.layer_constants    # (136), derived
layered_K = N.layers_K                 # K = prod C_l (137)
layered_gamma = N.layers_gamma         # gamma = 2^L - 1 (137)


PRINTED_EQ137 = x + eta * d1 * (lam - K * x**gamma)                       # (137)
PRINTED_LEM25_R = (lam / K) ** (1 / gamma)                                # Lemma 25: bound r
PRINTED_ETA_MAX_LAYERED = 1 / (d1 * gamma * (K * lam ** (gamma - 1)) ** (1 / gamma))  # Thm 10
PRINTED_THM10_RATE = 1 - eta * d1 * gamma * (K * lam ** (gamma - 1)) ** (1 / gamma)  # (133)
PRINTED_EQ138 = Geometric(r, PRINTED_THM10_RATE)                          # (138)
PRINTED_EQ139_CONST = K * gamma * r ** (gamma - 1)                        # (139): C_lambda
CORRECTED_THM10 = Geometric(gamma * lam, 1 - eta * d1 * (K * lam ** (gamma - 1)) ** (1 / gamma))
CORRECTED_EQ138 = Geometric(r, CORRECTED_THM10.rate)


def layered_defect_factor(g: int) -> sp.Expr:
    """e_{t+1} = e_t * factor(e_t) for (137) with e = r - x and lam = K r^gamma (derived)."""
    step = PRINTED_EQ137.subs(gamma, g).subs(lam, K * r**g).subs(x, r - e)
    return sp.expand(sp.cancel((r - step) / e))


def layered_product_error(g: int) -> sp.Expr:
    """lam - K x^gamma in defect coordinates."""
    return sp.expand(K * r**g - K * (r - e) ** g)


# --- forward Euler (140)-(144), (159)-(160) ---------------------------------------------------
EULER_X, EULER_Y = N.EULER_UPDATE                                         # (140), (141)
PRINTED_EQ143_Y = x**2 / (2 * d) - S / (2 * d)                            # (143)
P = C - x**3 + x * S                                                      # P(x, S), Theorem 26
PRINTED_EQ144 = x + eta / 2 * P                                           # (144) = (159)
PRINTED_EQ160 = S + eta**2 / 4 * P**2                                     # (160)
PRINTED_SSTAR_EQ = P.subs(S, x)                                           # P(x, x) = 0
PRINTED_ETA_MAX_EULER_FIRST = 2 / (3 * (Sstar + 1) ** 2)  # (145); the second is 2/max_R P,
                                                          # with max_R P from max_P_over_R()
PRINTED_M = (Sstar**2 + Sstar * ell_inf + C ** sp.Rational(2, 3)) / 2   # (177), with (182)
PRINTED_C_INF = ell_inf / (2 * C ** sp.Rational(2, 3) + C / ell_inf)     # (186)
PRINTED_M_TILDE = 2 * ell_inf * PRINTED_M**2 * PRINTED_C_INF             # after (188)
PRINTED_EQ188 = Geometric(sp.cbrt(C), 1 - eta * PRINTED_M + eta**2 * PRINTED_M_TILDE)  # (188)
# corrected (derived): B1 = 1 - eta/2 (ell^2 + ell x + x^2 - S) <= 1 - eta/2 (ell^2 - S)
#                         = 1 - eta d lam / ell_{S_t} <= 1 - eta d lam / ell_inf   (by (180))
CORRECTED_EQ188 = Geometric(sp.cbrt(C), 1 - eta * d * lam / ell_inf + eta**2 * PRINTED_M_TILDE)


def euler_reduced() -> tuple[sp.Expr, sp.Expr]:
    """(144) derived: substitute (143) into (140); and S_{t+1} - S_t = (x_{t+1} - x_t)^2."""
    xn = sp.expand(EULER_X.subs(y, PRINTED_EQ143_Y))
    return xn, sp.expand(S + (xn - x) ** 2)


def _euler_p_factor() -> sp.Expr:
    a = eta / 2 * P_t                    # x_{t+1} - x_t, and S_{t+1} - S_t = a^2  (159)-(160)
    nxt = P.subs({x: x + a, S: S + a**2}, simultaneous=True)
    nxt = nxt.subs(lam, (P_t + x**3 - x * S) / (2 * d))   # eliminate 2 d lam in favour of P_t
    return sp.expand(sp.cancel(nxt / P_t))


EULER_P_FACTOR = _euler_p_factor()
"""P_{t+1} = P_t * EULER_P_FACTOR(x_t, S_t, P_t), derived = 1 - eta/2 (3x^2 - S) - eta^2 x P_t/2."""


def max_P_over_R() -> sp.Expr:
    """max_{(x,S) in R} P(x, S), derived: P increases in S (dP/dS = x >= 0), so the maximum lies
    on S = x, where d/dx P(x, x) = 0 at x = 2/3 (and S* > 1 > 2/3)."""
    px = P.subs(S, x)
    crit = [c for c in sp.solve(sp.diff(px, x), x) if c.is_positive]
    return sp.simplify(max((px.subs(x, c) for c in crit), key=lambda v: v.subs({d: 1, lam: 1})))


def R_lower_boundary() -> sp.Expr:
    """S = x^2 - 2 d lam / x: the curve P(x, S) = 0 of (164)."""
    return sp.solve(sp.Eq(P, 0), S)[0]


def euler_linear_rate() -> sp.Expr:
    """The exact asymptotic rate of the Euler map: the non-unit eigenvalue of the Jacobian of
    (159)-(160) on the fixed curve P = 0, written with x = ell_inf, S = S_inf (derived)."""
    Sinf = S_inf
    J = sp.Matrix([PRINTED_EQ144, PRINTED_EQ160]).jacobian([x, S])
    J = J.subs(C, x**3 - x * S)      # on the fixed curve P = 0
    ev = [sp.simplify(v) for v in J.eigenvals()]
    rate = [v for v in ev if v != 1][0]
    return rate.subs({x: ell_inf, S: Sinf})
