"""Section 2 / Appendix A formulas, each defined once as a SymPy expression.

Two kinds of expression live here:

* ``PRINTED_*`` and ``printed_*``: the paper's statements as reconstructed from the OCR
  (``notes/claims.md`` gives the reading and the alternatives).  These are what the claims assert,
  and the parts of their statements.
* derived quantities: computed by SymPy from the flow (6) alone (substitution, discriminants,
  linearisation), never typed by hand; and the exact real roots of the cubic at a point.

Symbols are the paper's (:mod:`fa_proofs.model.symbols`): the reduced equation's variable is
``theta1`` itself; the flow is :data:`fa_proofs.model.network.SHALLOW_FIELD`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy as sp
from flint import arb, fmpq_poly

from ...arith import EXACT, Ball, real_cbrt
from ...model import network as N
from ...model import symbols as Y

t, d, lam, K = Y.t, Y.d, Y.lam, Y.K
theta1, theta2, theta0 = Y.theta1, Y.theta2, Y.theta0
r, r1, r2, r3, rs, rd = Y.r, Y.r1, Y.r2, Y.r3, Y.rs, Y.rd
FLOW = N.SHALLOW_FIELD                    # (theta1', theta2'), (6) = (35)-(36)
PRODUCT = N.PRODUCT
RNEG = sp.Symbol("r", negative=True)      # r < 0 of Remark 13 (sign(d) != sign(lambda))

# --- printed statements (reconstructed) -------------------------------------------------------
PRINTED_K = theta2 - theta1**2 / (2 * d)                               # (37): K
PRINTED_THETA2_OF_THETA1 = theta1**2 / (2 * d) + K                     # (37)
PRINTED_EQ54_RHS = -(theta1**3 + 2 * d * K * theta1 - 2 * d * lam) / 2  # (54) = (13) = (93)
PRINTED_EQ40_RHS = (2 * d * lam - theta1**3) / 2                       # (40), K = 0
PRINTED_EQ55 = -4 * d**2 * (8 * d * K**3 + 27 * lam**2)                # (55)
PRINTED_THM2_ROOT = sp.cbrt(2 * d * lam)                               # Theorem 2: theta1 -> r
PRINTED_THM2_RATE = sp.Rational(3, 2) * (2 * d * lam) ** sp.Rational(2, 3)   # (41), (47)
PRINTED_EQ62 = (real_cbrt(d * lam + sp.sqrt(d**2 * lam**2 + 8 * d**3 * K**3 / 27))
                + real_cbrt(d * lam - sp.sqrt(d**2 * lam**2 + 8 * d**3 * K**3 / 27)))
PRINTED_EQ64_RATE = (r**3 + d * lam) / r                               # (64), r the real root
PRINTED_EQ65_K = -sp.Rational(3, 2) * sp.cbrt(lam**2 / d)              # (65)
PRINTED_EQ66_RS = -3 * lam / K                                         # (66)
PRINTED_EQ66_RD = 3 * lam / (2 * K)
PRINTED_EQ66_RS_CLOSED = 2 * sp.cbrt(d * lam)
PRINTED_EQ66_RD_CLOSED = -sp.cbrt(d * lam)
PRINTED_THM3_DELTA0_RATE = (rs - rd) ** 2 / 2                          # towards rs, (67)-(71)
PRINTED_THM3_DELTA0_EXPONENT = sp.Integer(2)                           # theta1 theta2 - lam ~ t^-2
PRINTED_LAMBDA0_RATE_KPOS = d * K                                      # lambda = 0, K > 0
PRINTED_LAMBDA0_RATE_KNEG = -2 * d * K                                 # lambda = 0, K < 0


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
G_INF_PRINTED = (sp.Rational(3, 2) * r**2 * (-printed_eq42(theta0, r))
                 + sp.log(3 * r**2) / 2 + sp.pi / sp.sqrt(3))       # (45): g(oo), C0 = -F(theta0)


# --- derived quantities -----------------------------------------------------------------------
@lru_cache(maxsize=None)
def derived_reduced_rhs() -> sp.Expr:
    """theta1' with theta2 eliminated through (37): a polynomial in theta1."""
    theta2_of_theta1 = sp.solve(sp.Eq(PRINTED_K, K), theta2)[0]
    return sp.expand(FLOW[0].subs(theta2, theta2_of_theta1))


@lru_cache(maxsize=None)
def derived_cubic() -> sp.Expr:
    """The monic cubic P with theta1' = -P(theta1)/2 (derived, not typed)."""
    return sp.expand(-2 * derived_reduced_rhs())


@lru_cache(maxsize=None)
def derived_discriminant() -> sp.Expr:
    return sp.factor(sp.discriminant(derived_cubic(), theta1))


def derived_rate_at(root: sp.Expr, rhs: sp.Expr | None = None) -> sp.Expr:
    """Exact exponential rate of theta1 -> root: minus the derivative of the reduced rhs there."""
    rhs = derived_reduced_rhs() if rhs is None else rhs
    return -sp.diff(rhs, theta1).subs(theta1, root)


def derived_k_from_root(root: sp.Expr) -> sp.Expr:
    """K expressed through a root of the cubic (eliminates K: P(root) = 0)."""
    return sp.solve(derived_cubic().subs(theta1, root), K)[0]


RHS0 = derived_reduced_rhs().subs(K, 0)              # theta1' when K = 0 (40), derived
PRODUCT_K0 = PRINTED_THETA2_OF_THETA1.subs(K, 0) * theta1   # theta1 theta2 when K = 0
RHS_R = RHS0.subs(lam, r**3 / (2 * d))                # (r^3 - theta1^3)/2: (40), 2 d lam = r^3
RHS_ROOTS3 = -(theta1 - r1) * (theta1 - r2) * (theta1 - r3) / 2       # (54), Delta > 0
RHS_ROOT1 = sp.factor(derived_reduced_rhs().subs(K, derived_k_from_root(r)))  # (54), real root r
RHS_DOUBLE = -(theta1 - rs) * (theta1 - rd) ** 2 / 2                   # (54), Delta = 0


# --- exact roots at a point -----------------------------------------------------------------
@dataclass(frozen=True)
class Root:
    """A real root of P at exact (d, lam, K): exact when rational, else a certified ball."""

    exact: Fraction | None
    ball: arb
    multiplicity: int

    @property
    def value(self):
        """The exact rational, or the ball (for ball-arithmetic evaluation)."""
        return self.exact if self.exact is not None else self.ball

    def __float__(self) -> float:
        return float(self.exact) if self.exact is not None else float(self.ball.mid())


ROOT_PREC = 256
_CUBIC_COEFFS = EXACT.compile(list(reversed(sp.Poly(derived_cubic(), theta1).all_coeffs())),
                              (d, lam, K))        # P's coefficients, constant term first


@lru_cache(maxsize=8192)
def real_roots(dd: Fraction, ll: Fraction, kk: Fraction) -> tuple[Root, ...]:
    """The distinct real roots of P(x) = x^3 + 2 d K x - 2 d lam, increasing: rational roots
    exactly (flint's factorisation over Q), the others as certified balls (arb's root
    isolation returns real roots with zero imaginary part)."""
    poly = fmpq_poly(list(_CUBIC_COEFFS(dd, ll, kk)))
    out: list[Root] = []
    with Ball(ROOT_PREC).workprec():
        _, factors = poly.factor()
        for fac, mult in factors:
            if fac.degree() == 1:
                c = fac.coeffs()
                v = -c[0] / c[1]
                fv = Fraction(int(v.p), int(v.q))
                out.append(Root(fv, arb(v), mult))
                continue
            for z, m in fac.complex_roots():
                if z.imag == 0:
                    out.append(Root(None, z.real, mult * m))
    return tuple(sorted(out, key=float))


_EQ55_EXACT = EXACT.compile([PRINTED_EQ55], (d, lam, K))


def discriminant_sign(dd: Fraction, ll: Fraction, kk: Fraction) -> int:
    """The sign of (55) at exact values (exact rationals, from its one definition)."""
    v = _EQ55_EXACT(dd, ll, kk)[0]
    return (v > 0) - (v < 0)
