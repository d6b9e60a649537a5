"""Section 2 / Appendix A formulas, each defined once as a SymPy expression.

Two kinds of expression live here:

* ``PRINTED_*``: the paper's statements as reconstructed from the OCR (``notes/claims.md`` gives
  the reading and the alternatives).  These are what the claims assert.
* derived quantities: computed by SymPy from the flow (6) alone (substitution, partial fractions,
  discriminants, linearisation), never typed by hand.

The checks compare the two; the numerics lambdify whichever the check needs.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ...intervals import real_cbrt

# --- symbols ---------------------------------------------------------------------------------
t = sp.Symbol("t", real=True)
d = sp.Symbol("d", positive=True)
lam = sp.Symbol("lambda", positive=True)
K = sp.Symbol("K", real=True)
theta1, theta2 = sp.symbols("theta1 theta2", real=True)
theta0 = sp.Symbol("theta0", real=True)
x = sp.Symbol("x", real=True)           # the variable of the reduced polynomial
r = sp.Symbol("r", positive=True)       # the real root of the cubic (lambda > 0)
r1, r2, r3 = sp.symbols("r1 r2 r3", real=True)
rs, rd = sp.symbols("r_s r_d", real=True)

# --- the flow (6) = (35)-(36) -----------------------------------------------------------------
RESIDUAL = lam - theta1 * theta2
FLOW = (d * RESIDUAL, RESIDUAL * theta1)          # (theta1', theta2'), eq. (6)
PRODUCT = theta1 * theta2

# --- printed statements (reconstructed) -------------------------------------------------------
PRINTED_K = theta2 - theta1**2 / (2 * d)                               # (37): K
PRINTED_THETA2_OF_THETA1 = theta1**2 / (2 * d) + K                     # (37)
PRINTED_EQ54_RHS = -(x**3 + 2 * d * K * x - 2 * d * lam) / 2           # (54) = (13) = (93)
PRINTED_EQ40_RHS = (2 * d * lam - x**3) / 2                            # (40), K = 0
PRINTED_EQ55 = -4 * d**2 * (8 * d * K**3 + 27 * lam**2)                # (55)
PRINTED_THM2_ROOT = sp.cbrt(2 * d * lam)                               # Theorem 2: theta1 -> r
PRINTED_THM2_RATE = sp.Rational(3, 2) * (2 * d * lam) ** sp.Rational(2, 3)   # (41), (47)
PRINTED_EQ62 = (real_cbrt(d * lam + sp.sqrt(d**2 * lam**2 + 8 * d**3 * K**3 / 27))
                + real_cbrt(d * lam - sp.sqrt(d**2 * lam**2 + 8 * d**3 * K**3 / 27)))
PRINTED_EQ64_RATE = (x**3 + d * lam) / x                               # (64), at x = r
PRINTED_EQ65_K = -sp.Rational(3, 2) * sp.cbrt(lam**2 / d)              # (65)
PRINTED_EQ66_RS = -3 * lam / K                                         # (66)
PRINTED_EQ66_RD = 3 * lam / (2 * K)
PRINTED_EQ66_RS_CLOSED = 2 * sp.cbrt(d * lam)
PRINTED_EQ66_RD_CLOSED = -sp.cbrt(d * lam)


def printed_eq42(th, rr):
    """(42)-(43): F(theta1(t)) - F(theta0) = t for K = 0, r = (2 d lambda)^(1/3) > 0."""
    return (-sp.Rational(2, 3) / rr**2 * sp.log(sp.Abs(th - rr))
            + sp.Rational(1, 3) / rr**2 * sp.log(th**2 + rr * th + rr**2)
            + 2 / (rr**2 * sp.sqrt(3)) * sp.atan((2 * th + rr) / (rr * sp.sqrt(3))))


def printed_eq48(th, rr):
    """(48)-(49): Remark 13's form of (42), valid for any real r != 0."""
    return (-sp.Rational(2, 3) / rr**2 * sp.log(sp.Abs(th - rr))
            + sp.Rational(1, 3) / rr**2 * sp.log(sp.Abs(th**2 + rr * th + rr**2))
            + 2 * sp.sign(rr) / (rr**2 * sp.sqrt(3))
            * sp.atan((2 * th + rr) / (sp.Abs(rr) * sp.sqrt(3))))


def printed_eq56(th, a1, a2, a3):
    """(56)-(57): G(theta1(t)) - G(theta0) = -t/2, roots a1 < a2 < a3 (Delta > 0)."""
    return (sp.log(sp.Abs(th - a3)) / ((a3 - a2) * (a3 - a1))
            - sp.log(sp.Abs(th - a2)) / ((a3 - a2) * (a2 - a1))
            + sp.log(sp.Abs(th - a1)) / ((a3 - a1) * (a2 - a1)))


def printed_eq63(th, rr, dd=d, ll=lam):
    """(63): H(theta1(t)) - H(theta0) = -t/2, single real root rr > 0 (Delta < 0)."""
    s = sp.sqrt((8 * dd * ll - rr**3) / rr)
    return (rr / (2 * (rr**3 + dd * ll)) * sp.log(sp.Abs(th - rr))
            - rr / (4 * (rr**3 + dd * ll)) * sp.log(th**2 + rr * th + 2 * dd * ll / rr)
            - 3 * rr**2 / (2 * (rr**3 + dd * ll) * s) * sp.atan((2 * th + rr) / s))


def printed_eq67(th, a_s, a_d):
    """(67): J(theta1(t)) - J(theta0) = -t/2, simple root a_s, double root a_d (Delta = 0)."""
    return ((sp.log(sp.Abs(th - a_s)) - sp.log(sp.Abs(th - a_d))) / (a_s - a_d)**2
            + 1 / ((a_s - a_d) * (th - a_d)))


PRINTED_EQ42_RATE = sp.Rational(3, 2) * r**2                            # (46)-(47)
PRINTED_EQ61_RATE_R3 = (r3 - r2) * (r3 - r1) / 2                        # (60)-(61), theta1 -> r3
PRINTED_EQ61_RATE_R1 = (r3 - r1) * (r2 - r1) / 2                        # theta1 -> r1
PRINTED_EQ72_EXPONENT = sp.Rational(3, 2)                               # (72): C t^(-3/2)
PRINTED_LAMBDA0_THETA1 = sp.sign(theta0) / sp.sqrt(t + theta0**-2)      # A.2, case lambda = 0
PRINTED_LAMBDA0_THETA2 = 1 / (2 * d * (t + theta0**-2))


# --- derived quantities -----------------------------------------------------------------------
@lru_cache(maxsize=None)
def derived_conserved_rate() -> sp.Expr:
    """d/dt of the printed K along the flow (6): zero iff (37) is a conserved quantity."""
    grad = [sp.diff(PRINTED_K, v) for v in (theta1, theta2)]
    return sp.expand(grad[0] * FLOW[0] + grad[1] * FLOW[1])


@lru_cache(maxsize=None)
def derived_reduced_rhs() -> sp.Expr:
    """theta1' with theta2 eliminated through (37): a polynomial in x = theta1."""
    theta2_of_theta1 = sp.solve(sp.Eq(PRINTED_K, K), theta2)[0]
    return sp.expand(FLOW[0].subs(theta2, theta2_of_theta1).subs(theta1, x))


@lru_cache(maxsize=None)
def derived_cubic() -> sp.Poly:
    """The monic cubic P with theta1' = -P(theta1)/2 (derived, not typed)."""
    return sp.Poly(sp.expand(-2 * derived_reduced_rhs()), x)


@lru_cache(maxsize=None)
def derived_discriminant() -> sp.Expr:
    return sp.factor(sp.discriminant(derived_cubic().as_expr(), x))


def derived_rate_at(root: sp.Expr, rhs: sp.Expr | None = None) -> sp.Expr:
    """Exact exponential rate of theta1 -> root: minus the derivative of the reduced rhs there."""
    rhs = derived_reduced_rhs() if rhs is None else rhs
    return -sp.diff(rhs, x).subs(x, root)


def derived_k_from_root(root: sp.Expr) -> sp.Expr:
    """K expressed through a root of the cubic (eliminates K: P(root) = 0)."""
    return sp.solve(derived_cubic().as_expr().subs(x, root), K)[0]


def numpy_flow():
    """The flow (6) as a vectorised NumPy function ``f(t, Y, d, lam)`` with Y = (theta1, theta2),
    lambdified from :data:`FLOW`."""
    import numpy as np

    f = sp.lambdify((theta1, theta2, d, lam), FLOW, "numpy")

    def rhs(_t, y, dd, ll):
        out = np.empty_like(y)
        out[0], out[1] = f(y[0], y[1], dd, ll)
        return out

    return rhs
