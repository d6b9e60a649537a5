"""Whole-domain proofs of Section 3's rate and convergence statements under the initialisation
(11) (Theorem 5 = Theorem 17, (84) = (91)), for every depth ``L = 2..6``, by
:mod:`fa_proofs.rate_proofs`.

**Reduction** (identities in each certificate; the reduced equation is the model's,
:func:`.formulas.reduced11`): with ``lam = K r^gamma`` (``r = (lam/K)^(1/gamma) > 0``, (88)) the
model's ``theta_1'`` is (82) ``d_1 (lam - K theta_1^gamma)``, ``= (r - theta_1) g(theta_1)``; with
``theta_1 = r z``, ``g(r z) = d_1 K r^(gamma-1) sum_{j<gamma} z^j`` (the unit, positive by SymPy's
assumptions), and ``sum_{j<gamma} z^j > 0`` on the whole line (gamma odd; a Sturm count, degree up
to 62 at ``L = 6``): the root attracts every ``theta_0`` (Lemma 18).  The exact rate ``g(r)`` is
``gamma`` units; the stated rate (in ``d_l, lam``, K and gamma the model's) must reduce to a
constant in that unit, and the instance is ``stated <= gamma`` units.  On (11) with the
statement's constants, ``theta_L ... theta_1 = K theta_1^gamma``, so ``theta_1' = d_1 (lam -
theta_L ... theta_1)`` (identity) and the product error is ``|theta_1'|/d_1``.

A violated instance at a scale ``r`` is the domain point ``d_l = 1``, ``lam = K(1) r^gamma``,
``theta_0 = 0`` of depth ``L``, where the claim's own rate (limit) check refutes it.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

import sympy as sp

from ...branch_bound import PointQ, box_of
from ...certificates import Identity, Positive, Proof, Step
from ...model import network as N
from ...model import symbols as Y
from ...rate_proofs import ExpBranch, GoalSpec, Reduction, branch_label, q, rate_proof
from . import formulas as F

theta1, lam, K, gamma, d1, r = Y.theta1, Y.lam, Y.K_layers, Y.gamma, Y.d1, Y.r
DEPTHS = (2, 3, 4, 5, 6)
z = sp.Symbol("z", real=True)                           # theta_1 / r
LINE = box_of([(None, None)])
NAMING = ("theta_L ... theta_1", "d_1")
WHAT = ("the stated rate against the exact one over the whole domain (L = 2..6), with every "
        "inequality of the comparison argument (open, unbounded boxes)")
EQ84_WHAT = ("theta_1 -> the stated limit r and theta_L ... theta_1 -> lam from every start, "
             "for every parameter (L = 2..6; open, unbounded boxes)")


def _lam_of(L: int) -> sp.Expr:
    """lam = K r^gamma (K in the d_l, the model's)."""
    return N.layers_K(L) * r ** N.layers_gamma(L)


def _unit(L: int) -> sp.Expr:
    """d_1 K r^(gamma - 1): g(r z) in this unit is sum_{j<gamma} z^j."""
    return d1 * N.layers_K(L) * r ** (N.layers_gamma(L) - 1)


def _label(L: int) -> str:
    return f"L = {L}, theta_1 -> r"


def _steps(L: int) -> Callable[[sp.Expr], list[GoalSpec]]:
    def steps(g: sp.Expr) -> list[GoalSpec]:
        gz = sp.expand(sp.cancel(g.subs(theta1, r * z) / _unit(L)))
        if gz.free_symbols - {z}:
            raise ValueError(f"g(r z)/(d_1 K r^(gamma-1)) = {gz} depends on more than z")
        return [("g(r z)/(d_1 K r^(gamma-1)) > 0 for every z (theta_1' = (r - theta_1) g)",
                 gz, (z,), LINE)]
    return steps


def branch(L: int) -> ExpBranch:
    """(82) at depth L with lam = K r^gamma: theta_1 -> r from every theta_0."""
    g_, KL = N.layers_gamma(L), N.layers_K(L)
    rhs = F.PRINTED_EQ82.subs(gamma, g_).subs(K, KL).subs(lam, _lam_of(L))
    model = Identity(f"L = {L}: the model's theta_1' under (11) at lam = K r^gamma is (82)",
                     F.reduced11(L).as_expr().subs(lam, _lam_of(L)), rhs)
    root = Identity(f"L = {L}: r = (lam/K)^(1/gamma) (88) at lam = K r^gamma",
                    F.derived_root(L).subs(lam, _lam_of(L)), r)
    return ExpBranch(_label(L), rhs, theta1, r,
                     Reduction(((lam, _lam_of(L)),), r, _unit(L)), _steps(L),
                     (Positive(f"L = {L}: d_1 K r^(gamma-1) > 0", _unit(L)),), (model, root))


def product_identity(statement: Any, L: int) -> Identity:
    """theta_1' = d_1 (lam - theta_L ... theta_1) on (11) with the statement's constants."""
    cs = statement["constants"](L)
    prod = sp.Mul(*[cs[l] * theta1 ** (2**l) for l in range(L)])
    return Identity(f"L = {L}: theta_1' = d_1 (lam - theta_L ... theta_1) on (11) with the "
                    "statement's C_l", F.reduced11(L).as_expr(), d1 * (lam - prod))


def _depth(st: Step) -> int:
    return int(branch_label(st).split(",")[0].split("=")[1])


def to_point(p: PointQ, st: Step) -> dict[str, Any]:
    """The violating scale r of depth L -> d_l = 1, lam = K(1) r^gamma, theta_0 = 0."""
    L = _depth(st)
    KL = N.layers_K(L)
    k1 = sp.Rational(KL.subs({s: 1 for s in KL.free_symbols}))
    s = q(p["r"]) if "r" in p else Fraction(1)
    return {"L": L, **{f"d{i}": Fraction(1) for i in range(1, L)},
            "lam": Fraction(int(k1.p), int(k1.q)) * s ** N.layers_gamma(L),
            "theta1_0": Fraction(0)}


def thm5_proof(statement: Any) -> Proof:
    """Theorem 5's rate d_1 gamma K^(1/gamma) lam^((gamma-1)/gamma) for every d_l, lam > 0,
    theta_0 and L = 2..6."""
    parts = [(branch(L), F.in_ds(statement["rate"], L)) for L in DEPTHS]
    common = [product_identity(statement, L) for L in DEPTHS]
    return rate_proof("thm5", parts, common, to_point, naming=NAMING)


def _limit_steps(statement: Any, L: int) -> list[Step]:
    """The stated limit of theta_1 is r (two instances: limit/r - 1 >= 0 and <= 0), with K and
    gamma the statement's."""
    cs = statement["constants"](L)
    lim = statement["limit"].subs(gamma, statement["gamma"](L)).subs(K, sp.Mul(*cs))
    red = Reduction(((lam, _lam_of(L)),), r, r)
    u = red.reduce(lim, "the stated limit")
    lab = _label(L)
    return [Step(red.goal(f"stated limit >= r [{lab}]", u - 1), "instance"),
            Step(red.goal(f"stated limit <= r [{lab}]", 1 - u), "instance")]


EQ84_CONCLUSION = ("Hence theta_1 -> r (the stated limit: instances) from every theta_0, and "
                   "theta_L ... theta_1 = lam - theta_1'/d_1 -> lam (identity), for every "
                   "d_l, lam > 0 and L = 2..6.")


def eq84_proof(statement: Any) -> Proof:
    """(84) = (91): theta_L ... theta_1 -> lam under (11) for every d_l, lam > 0, theta_0 and
    L = 2..6 (convergence, no rate stated)."""
    parts = [(branch(L), None) for L in DEPTHS]
    common = [product_identity(statement, L) for L in DEPTHS]
    extra = [s for L in DEPTHS for s in _limit_steps(statement, L)]
    return rate_proof("eq84", parts, common, to_point, extra=extra, naming=NAMING,
                      conclusion=EQ84_CONCLUSION)


__all__ = ["thm5_proof", "eq84_proof", "branch", "product_identity", "to_point", "WHAT", "EQ84_WHAT"]
