"""Whole-domain proofs of Section 2's rate statements (Appendix A.2-A.3), by
:mod:`fa_proofs.rate_proofs`: Theorem 2 and (46)-(47) (``K = 0``), the cases ``Delta > 0``
((60)-(61)), ``Delta < 0`` ((64)), ``Delta = 0`` ((67)-(71): exponential towards ``rs``,
``t^-2`` towards ``rd``) and ``lambda = 0`` (rates ``dK``, ``-2dK``; ``t^(-3/2)`` for ``K = 0``,
(72)).

**Reductions** (identities in each certificate; the reduced equations are :mod:`.formulas`'):

* ``K = 0``: ``lam = r^3/(2d)``, ``theta1' = (r^3 - theta1^3)/2``; rates in units of ``r^2``;
  ``g(r z) = r^2 (1 + z + z^2)/2`` (no parameter left: the instance is a constant);
* ``Delta > 0``: by Vieta the roots sum to 0; ``r3 - r1 = sigma``, ``r2 - r1 = beta sigma``
  (``beta`` in ``(0, 1)``; ``lambda > 0`` is ``r2 < 0``, ``beta < 1/2``); rates in units of
  ``sigma^2``, a function of ``beta`` on a compact box;
* ``Delta < 0``: the real root ``r > 0`` and ``mu = r^3/(8 d lam)`` in ``(0, 1)`` (``Delta < 0``
  is ``r^3 < 8 d lam``); rates in units of ``r^2``: ``1 + 1/(8 mu)``, cleared by ``mu``;
* ``Delta = 0``: ``rs = 2c``, ``rd = -c`` with ``c = (d lam)^(1/3)``, ``lam = c^3/d``,
  ``K* = -3c^2/(2d)``; units ``c^2``;
* ``lambda = 0``: ``2dK = +-sigma^2``; units ``sigma^2``.

The sign of ``g`` on the attracted interval is proved on open, unbounded boxes (gap variables or
``z = theta1/scale``), as the sign tables; a violation of an instance is mapped to an exact point
of the claim's domain, where the claim's own rate check refutes it.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

import sympy as sp

from ...branch_bound import PointQ, box_of
from ...certificates import Identity, Positive, Proof, Step
from ...rate_proofs import (AlgBranch, ExpBranch, GoalSpec, Reduction, branch_label, q,
                            rate_proof)
from . import formulas as F

theta1, d, lam, K = F.theta1, F.d, F.lam, F.K
r, r1, r2, r3, rs, rd = F.r, F.r1, F.r2, F.r3, F.rs, F.rd

z = sp.Symbol("z", real=True)                           # theta1 / scale
a_, b_, c_ = sp.symbols("a b c", positive=True)         # gaps
n_ = sp.Symbol("n", positive=True)                      # d lam / r^3 - 1/8 (Delta < 0)
sigma = sp.Symbol("sigma", positive=True)               # the scale of a case
beta = sp.Symbol("beta", positive=True)                 # (r2 - r1)/(r3 - r1) (Delta > 0)
mu = sp.Symbol("mu", positive=True)                     # r^3/(8 d lam) (Delta < 0)
LINE = box_of([(None, None)])
HALF = box_of([(0, None)])
ORTHANT2 = box_of([(0, None)] * 2)
ORTHANT3 = box_of([(0, None)] * 3)
WHAT = ("the stated rate against the exact one over the whole domain, with every inequality of "
        "the comparison argument (open, unbounded boxes)")

PRODUCT_IDENTITY = Identity("(6): theta1' = d (lambda - theta1 theta2)", F.FLOW[0],
                            d * (lam - F.PRODUCT))


def _free(expr: sp.Expr, allowed: set, what: str) -> sp.Expr:
    ex = sp.expand(sp.cancel(expr))
    if ex.free_symbols - allowed:
        raise ValueError(f"{what} = {ex} is not in {allowed}")
    return ex


# --- K = 0: Theorem 2, (47) ------------------------------------------------------------------------
def _k0_steps(g: sp.Expr) -> list[GoalSpec]:
    """g(r z)/r^2 > 0 on the whole line (both sides of r, and r itself)."""
    gz = _free(g.subs(theta1, r * z) / r**2, {z}, "g(r z)/r^2")
    return [("g(r z)/r^2 > 0 for every z (theta1' = (r - theta1) g)", gz, (z,), LINE)]


def k0_branch(subs: tuple = (), label: str = "K = 0, theta1 -> r") -> ExpBranch:
    return ExpBranch(label, F.RHS_R, theta1, r,
                     Reduction(subs, r, r**2), _k0_steps, (Positive("r^2 > 0", r**2),))


def _k0_neg_steps(g: sp.Expr) -> list[GoalSpec]:
    """g(sigma z)/sigma^2 > 0 for every z (r = -sigma < 0)."""
    gz = _free(g.subs(theta1, sigma * z) / sigma**2, {z}, "g(sigma z)/sigma^2")
    return [("g(sigma z)/sigma^2 > 0 for every z (theta1' = (r - theta1) g, r = -sigma)", gz,
             (z,), LINE)]


def k0_neg_branch() -> ExpBranch:
    """Remark 13, r = (2 d lam)^(1/3) < 0 (sign(d) != sign(lambda)): r = -sigma, sigma > 0;
    (40) is (r^3 - theta1^3)/2 at r = -sigma, rates in units of sigma^2 = r^2."""
    return ExpBranch("K = 0, r = -sigma < 0: theta1 -> r", F.RHS_R.subs(r, -sigma), theta1,
                     -sigma, Reduction(((r, -sigma),), sigma, sigma**2), _k0_neg_steps,
                     (Positive("sigma^2 > 0", sigma**2),))


K0_IDENTITIES = (Identity("(40) at lam = r^3/(2d) is (r^3 - theta1^3)/2",
                          F.RHS0.subs(lam, r**3 / (2 * d)), F.RHS_R),
                 Identity("r = (2 d lam)^(1/3) at lam = r^3/(2d)",
                          F.PRINTED_THM2_ROOT.subs(lam, r**3 / (2 * d)), r), PRODUCT_IDENTITY)


def thm2_proof(statement: Any) -> Proof:
    """Theorem 2's rate (41) for every d, lambda > 0 and theta0."""
    def to_point(p: PointQ, st: Step) -> dict[str, Any]:
        s = q(p["r"])
        return {"d": Fraction(1, 2), "lam": s**3, "theta1_0": Fraction(0)}
    return rate_proof("thm2", [(k0_branch(((lam, r**3 / (2 * d)),)), statement["rate"])],
                      K0_IDENTITIES, to_point)


def eq47_proof(statement: Any) -> Proof:
    """(46)-(47): the rate (3/2) r^2 for every r > 0 and theta0."""
    def to_point(p: PointQ, st: Step) -> dict[str, Any]:
        return {"r": q(p["r"]), "theta1": Fraction(0)}
    return rate_proof("eq47", [(k0_branch(), statement["rate"])], K0_IDENTITIES, to_point)


REM13_CONCLUSION = (
    "Remark 13, d and lambda of either sign: (40) depends on them only through 2 d lam = r^3 "
    "(the identity is rational in d, so it holds for d < 0 as well), r the real cube root, of "
    "the sign of d lam; r > 0 and r = -sigma < 0 are the two branches, and |theta1 theta2 - "
    "lambda| = |theta1'|/|d|.")


def rem13_proof(statement: Any) -> Proof:
    """Remark 13: the rate (3/2) r^2 for every real r = (2 d lam)^(1/3) != 0 (d, lam of either
    sign) and theta0."""
    def to_point(p: PointQ, st: Step) -> dict[str, Any]:
        neg = "r = -sigma" in branch_label(st)
        s = q(p["sigma"] if neg else p["r"])
        return {"d": Fraction(-1, 2) if neg else Fraction(1, 2), "lam": s**3,
                "theta1_0": Fraction(0)}
    parts = [(k0_branch(label="K = 0, r > 0: theta1 -> r"), statement["rate"]),
             (k0_neg_branch(), statement["rate"])]
    return rate_proof("rem13", parts, K0_IDENTITIES, to_point, conclusion=REM13_CONCLUSION)


# --- Delta > 0: (60)-(61) --------------------------------------------------------------------------
ROOTS_BETA = ((r1, -sigma * (1 + beta) / 3), (r2, sigma * (2 * beta - 1) / 3),
              (r3, sigma * (2 - beta) / 3))
GAPS_UP = {theta1: r2 + a_, r1: r2 - b_, r3: r2 + c_}           # theta1 > r2
GAPS_DOWN = {theta1: r2 - a_, r1: r2 - b_, r3: r2 + c_}         # theta1 < r2


def _gap_steps(sub: dict, where: str) -> Callable[[sp.Expr], list[GoalSpec]]:
    def steps(g: sp.Expr) -> list[GoalSpec]:
        gg = _free(g.subs(sub, simultaneous=True), {a_, b_, c_}, "g in the gaps")
        return [(f"g > 0 on {where} (gaps a, b, c > 0)", gg, (a_, b_, c_), ORTHANT3)]
    return steps


def _vieta3() -> Identity:
    e2 = r1 * r2 + r1 * r3 + r2 * r3
    e3 = r1 * r2 * r3
    lhs = F.derived_reduced_rhs().subs({K: e2 / (2 * d), lam: e3 / (2 * d)}).subs(r3, -r1 - r2)
    return Identity("Vieta: (54) = -(theta - r1)(theta - r2)(theta - r3)/2, r1 + r2 + r3 = 0",
                    sp.expand(lhs), sp.expand(F.RHS_ROOTS3.subs(r3, -r1 - r2)))


def delta_pos_branches(beta_max: Fraction) -> tuple[ExpBranch, ExpBranch]:
    red = Reduction(ROOTS_BETA, sigma, sigma**2, (beta,), box_of([(0, beta_max)]),
                    admissible=lambda p: 0 < p["beta"] < beta_max)
    return (ExpBranch("Delta > 0, theta0 > r2: theta1 -> r3", F.RHS_ROOTS3, theta1, r3, red,
                      _gap_steps(GAPS_UP, "(r2, oo)")),
            ExpBranch("Delta > 0, theta0 < r2: theta1 -> r1", F.RHS_ROOTS3, theta1, r1, red,
                      _gap_steps(GAPS_DOWN, "(-oo, r2)")))


def _roots_of_beta(p: PointQ) -> tuple[Fraction, Fraction, Fraction]:
    b = q(p["beta"])
    return -(1 + b) / 3, (2 * b - 1) / 3, (2 - b) / 3


def _start3(st: Step, roots) -> Fraction:
    return roots[2] + 1 if "-> r3" in branch_label(st) else roots[0] - 1


def delta_pos_proof(claim: str, beta_max: Fraction, dlk: bool) -> Callable[[Any], Proof]:
    """thm3.delta_pos (``dlk``: the domain is (d, lam, K), lam > 0: beta < 1/2) and eq61 (the
    roots; beta < 1)."""
    def to_point(p: PointQ, st: Step) -> dict[str, Any]:
        x1, x2, x3 = _roots_of_beta(p)
        if dlk:
            return {"d": Fraction(1, 2), "lam": x1 * x2 * x3,
                    "K": x1 * x2 + x1 * x3 + x2 * x3, "theta1_0": _start3(st, (x1, x2, x3))}
        return {"r1": x1, "r2": x2, "r3": x3, "theta1": _start3(st, (x1, x2, x3))}

    def build(statement: Any) -> Proof:
        up, down = delta_pos_branches(beta_max)
        return rate_proof(claim, [(up, statement["rate_r3"]), (down, statement["rate_r1"])],
                          (_vieta3(), PRODUCT_IDENTITY), to_point)
    return build


# --- Delta < 0: (64) ---------------------------------------------------------------------------------
def _delta_neg_steps(g: sp.Expr) -> list[GoalSpec]:
    """g(r z)/r^2 at d lam = r^3 (1/8 + n): positive on both sides of z = -1/2 and there."""
    gz = g.subs(lam, r**3 * (sp.Rational(1, 8) + n_) / d).subs(theta1, r * z) / r**2
    out = []
    for zz, where, vars_, box in ((-sp.Rational(1, 2) + a_, "z > -1/2", (a_, n_), ORTHANT2),
                                  (-sp.Rational(1, 2) - a_, "z < -1/2", (a_, n_), ORTHANT2),
                                  (-sp.Rational(1, 2), "z = -1/2", (n_,), HALF)):
        out.append((f"g(r z)/r^2 > 0 on {where} (n = d lam/r^3 - 1/8 > 0)",
                    _free(gz.subs(z, zz), set(vars_), "g(r z)/r^2"), vars_, box))
    return out


def delta_neg_branch() -> ExpBranch:
    red = Reduction(((lam, r**3 / (8 * d * mu)),), r, r**2, (mu,), box_of([(0, 1)]), mu,
                    admissible=lambda p: 0 < p["mu"] < 1)
    return ExpBranch("Delta < 0, theta1 -> r", F.RHS_ROOT1, theta1, r, red, _delta_neg_steps,
                     (Positive("r^2 > 0", r**2),),
                     (Identity("(54) at K = K(r) (P(r) = 0) factors through theta - r",
                               F.derived_reduced_rhs().subs(K, F.derived_k_from_root(r)),
                               F.RHS_ROOT1),))


def delta_neg_proof(claim: str, dlk: bool) -> Callable[[Any], Proof]:
    """thm3.delta_neg (domain d, lam, K) and eq64 (domain d, lam, r)."""
    def to_point(p: PointQ, st: Step) -> dict[str, Any]:
        m = q(p["mu"])
        dd, ll = Fraction(1, 2), 1 / (4 * m)                  # r = 1: lam = r^3/(8 d mu)
        if dlk:
            return {"d": dd, "lam": ll, "K": (2 * dd * ll - 1) / (2 * dd),
                    "theta1_0": Fraction(0)}
        return {"d": dd, "lam": ll, "r": Fraction(1), "theta1": Fraction(0)}

    def build(statement: Any) -> Proof:
        return rate_proof(claim, [(delta_neg_branch(), statement["rate"])],
                          (PRODUCT_IDENTITY,), to_point)
    return build


# --- Delta = 0: (67)-(71) ---------------------------------------------------------------------------
def _rs_steps(g: sp.Expr) -> list[GoalSpec]:
    gg = _free(g.subs(theta1, rd + a_), {a_}, "g at theta = rd + a")
    return [("g > 0 on (rd, oo) (theta = rd + a)", gg, (a_,), HALF)]


def _rd_steps(G: sp.Expr) -> list[GoalSpec]:
    gg = _free(G.subs({theta1: rd - a_, rs: rd + b_}, simultaneous=True), {a_, b_},
               "G at theta = rd - a, rs = rd + b")
    return [("G > 0 on (-oo, rd) (theta = rd - a, rs = rd + b)", gg, (a_, b_), ORTHANT2)]


def delta_zero_proof(statement: Any) -> Proof:
    """thm3.delta_zero: the rate (rs - rd)^2/2 for theta0 > rd, and t^-exponent towards rd."""
    red = Reduction(((rs, 2 * sigma), (rd, -sigma)), sigma, sigma**2)
    up = ExpBranch("Delta = 0, theta0 > rd: theta1 -> rs", F.RHS_DOUBLE, theta1, rs, red,
                   _rs_steps)
    down = AlgBranch("Delta = 0, theta0 < rd: theta1 -> rd", F.RHS_DOUBLE, theta1, rd, red,
                     _rd_steps, two_sided=True)
    ks = -sp.Rational(3, 2) * sigma**2 / d
    ident = Identity("(54) at lam = c^3/d, K = K* = -3c^2/(2d) is -(theta - 2c)(theta + c)^2/2",
                     F.derived_reduced_rhs().subs({lam: sigma**3 / d, K: ks}),
                     F.RHS_DOUBLE.subs({rs: 2 * sigma, rd: -sigma}))
    kstar = Identity("K* (65) at lam = c^3/d", F.PRINTED_EQ65_K.subs(lam, sigma**3 / d), ks)

    def to_point(p: PointQ, st: Step) -> dict[str, Any]:
        c = q(p["sigma"])
        up_ = "-> rs" in branch_label(st)
        return {"d": Fraction(1, 2), "lam": 2 * c**3, "K": -3 * c**2,
                "theta1_0": 3 * c if up_ else -2 * c}
    return rate_proof("thm3.delta_zero", [(up, statement["rate"]),
                                          (down, statement["exponent"])],
                      (ident, kstar, PRODUCT_IDENTITY), to_point)


# --- lambda = 0 -----------------------------------------------------------------------------------
RHS_L0 = F.derived_reduced_rhs().subs(lam, 0)


def _lambda0_alg(label: str) -> AlgBranch:
    def steps(G: sp.Expr) -> list[GoalSpec]:
        gg = _free(G, set(), "G")
        return [("G > 0 (a constant)", gg, (a_,), HALF)]
    return AlgBranch(label, RHS_L0.subs(K, 0), theta1, sp.Integer(0),
                     Reduction((), sigma, sp.Integer(1)), steps)


def lambda0_k0_proof(claim: str) -> Callable[[Any], Proof]:
    """thm2.lambda_zero and eq72: |theta1 theta2| <= C t^-exponent for lambda = K = 0."""
    def to_point(p: PointQ, st: Step) -> dict[str, Any]:
        return {"d": Fraction(1, 2), "theta1_0": Fraction(1)}

    def build(statement: Any) -> Proof:
        return rate_proof(claim, [(_lambda0_alg("lambda = K = 0, theta1 -> 0"),
                                   statement["exponent"])], (PRODUCT_IDENTITY,), to_point)
    return build


def _kpos_steps(g: sp.Expr) -> list[GoalSpec]:
    gz = _free(g.subs(theta1, sigma * z) / sigma**2, {z}, "g(sigma z)/sigma^2")
    return [("g(sigma z)/sigma^2 > 0 for every z", gz, (z,), LINE)]


def _kneg_steps(sign: int) -> Callable[[sp.Expr], list[GoalSpec]]:
    def steps(g: sp.Expr) -> list[GoalSpec]:
        gg = _free(g.subs(theta1, sign * a_), {a_, sigma}, "g at theta = +-a")
        where = "(0, oo)" if sign > 0 else "(-oo, 0)"
        return [(f"g > 0 on {where} (theta = {'' if sign > 0 else '-'}a)", gg, (a_, sigma),
                 ORTHANT2)]
    return steps


def lambda0_proof(statement: Any) -> Proof:
    """thm3.lambda_zero: K > 0 (rate dK), K < 0 (rate -2dK, both signs of theta0), K = 0."""
    kpos = Reduction(((K, sigma**2 / (2 * d)),), sigma, sigma**2)
    kneg = Reduction(((K, -sigma**2 / (2 * d)),), sigma, sigma**2)
    root = sigma
    branches = [
        (ExpBranch("lambda = 0, K > 0: theta1 -> 0", RHS_L0.subs(K, sigma**2 / (2 * d)), theta1,
                   sp.Integer(0), kpos, _kpos_steps),
         statement["rate_kpos"]),
        (ExpBranch("lambda = 0, K < 0, theta0 > 0: theta1 -> sqrt(-2dK)",
                   RHS_L0.subs(K, -sigma**2 / (2 * d)), theta1, root, kneg, _kneg_steps(1)),
         statement["rate_kneg"]),
        (ExpBranch("lambda = 0, K < 0, theta0 < 0: theta1 -> -sqrt(-2dK)",
                   RHS_L0.subs(K, -sigma**2 / (2 * d)), theta1, -root, kneg, _kneg_steps(-1)),
         statement["rate_kneg"]),
        (_lambda0_alg("lambda = K = 0: theta1 -> 0"), statement["exponent"])]

    def to_point(p: PointQ, st: Step) -> dict[str, Any]:
        s = q(p["sigma"])
        lab = branch_label(st)
        if "K > 0" in lab:
            return {"d": Fraction(1, 2), "theta1_0": Fraction(1), "theta2_0": s**2 + 1}
        if "K < 0" in lab:
            th = 2 * s if "theta0 > 0" in lab else -2 * s
            return {"d": Fraction(1, 2), "theta1_0": th, "theta2_0": 3 * s**2}
        return {"d": Fraction(1, 2), "theta1_0": Fraction(1), "theta2_0": Fraction(1)}
    return rate_proof("thm3.lambda_zero", branches, (PRODUCT_IDENTITY,), to_point)


__all__ = ["thm2_proof", "eq47_proof", "rem13_proof", "delta_pos_proof", "delta_neg_proof",
           "delta_zero_proof", "lambda0_k0_proof", "lambda0_proof", "WHAT"]
