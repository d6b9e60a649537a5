"""Whole-domain proofs of the sign tables of Sections 2 and 3 (Lemmas 12, 14, 16 and 18).

A sign table says: ``theta1'`` has the sign ``signs[i]`` at every ``theta1`` of the ``i``-th
interval cut by the real roots of the reduced equation.  Each proof is data
(:class:`~fa_proofs.certificates.Proof`):

* **Lemma 12** (Section 2, initialisation (7), ``d, lambda > 0``): with ``lambda = r^3/(2d)`` and
  ``theta1 = r z`` (``r > 0``), ``theta1' = (r^3/2)(1 - z^3)`` (SymPy); ``theta1 < r`` is
  ``z < 1``.  Goals: ``signs[0] (1 - z^3) > 0`` on ``(-oo, 1)`` and ``signs[1] (1 - z^3) > 0`` on
  ``(1, oo)``, by factoring out ``1 - z`` and a Sturm count of ``1 + z + z^2`` on the open line.
* **Lemma 18** (Section 3, initialisation (11), ``L = 2..6``): with ``lambda = K r^gamma`` and
  ``theta_1 = r z``, ``theta_1' = d_1 K r^gamma (1 - z^gamma)`` (SymPy, from the model's reduced
  equation); the prefactor is positive (SymPy assumptions); the same two goals in ``z``.
* **Lemmas 14 and 16** (Section 2, ``Delta > 0`` and ``Delta = 0``): by Vieta (``eq55``: the
  roots are real and the cubic has no ``theta^2`` term), ``theta1' = -(theta - r1)(theta - r2)
  (theta - r3)/2`` resp. ``-(theta - rs)(theta - rd)^2/2`` (SymPy).  Each interval is
  parametrised by positive gaps (``theta = r1 - a``, ``r2 = r1 + b``, ``r3 = r2 + c``, ...):
  the root order and the interval are exactly ``a, b, c > 0``, and ``signs[i] theta1'`` becomes
  a polynomial in the gaps whose factors have nonnegative coefficients, hence ``> 0`` on the
  open positive orthant.

A wrong sign is refuted at a certified interior point, mapped back to a point of the claim's
domain (it replays through the claim's sampled sign check there).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Sequence

import sympy as sp

from .branch_bound import Goal, PointQ, box_of
from .certificates import Identity, Positive, Proof, Step

WHAT = "theta1' has the stated sign on each interval, for every parameter (open, unbounded boxes)"

z = sp.Symbol("z", real=True)                 # theta1 / r
a_, b_, c_ = sp.symbols("a b c", positive=True)   # gaps between roots and theta
ORTHANT2 = box_of([(0, None)] * 2)
ORTHANT3 = box_of([(0, None)] * 3)


def _line_goals(signs: Sequence[int], g: sp.Expr, label: str) -> list[Step]:
    """signs[0] g > 0 on z < 1 and signs[1] g > 0 on z > 1 (open, unbounded)."""
    return [Step(Goal(f"theta1' has sign {signs[0]:+d} below r [{label}]", signs[0] * g, (z,),
                      box_of([(None, 1)]), strict=True, open=True), "instance", 0),
            Step(Goal(f"theta1' has sign {signs[1]:+d} above r [{label}]", signs[1] * g, (z,),
                      box_of([(1, None)]), strict=True, open=True), "instance", 1)]


def lem12_proof(rhs0: sp.Expr, theta1: sp.Symbol, d: sp.Symbol, lam: sp.Symbol, r: sp.Symbol
                ) -> Callable[[Any], Proof]:
    """Lemma 12: ``rhs0`` is theta1' under (7) (derived, in theta1, d, lam)."""
    scaled = sp.expand(rhs0.subs(lam, r**3 / (2 * d)).subs(theta1, r * z))
    g = 1 - z**3

    def to_point(point: PointQ, step: Step) -> dict[str, Any]:
        zz = Fraction(-1) if step.t == 0 else Fraction(2)
        return {"d": Fraction(1, 2), "lam": Fraction(1), "theta1_0": zz}       # r = 1

    def build(statement: Any) -> Proof:
        signs = tuple(int(v) for v in statement["signs"])
        return Proof("lem12", "printed",
                     (Identity("(40) with K = 0, lam = r^3/(2d), theta1 = r z", scaled,
                               r**3 / 2 * g),),
                     tuple(_line_goals(signs, g, "(40)")),
                     "r = (2 d lam)^(1/3) > 0, so theta1 < r iff z = theta1/r < 1, and "
                     "theta1' = (r^3/2)(1 - z^3) has the sign of 1 - z^3.",
                     to_point, (Positive("r^3/2 > 0", r**3 / 2),))
    return build


def lem18_proof(reduced: Callable[[int], sp.Expr], K_of: Callable[[int], sp.Expr],
                theta1: sp.Symbol, d1: sp.Symbol, lam: sp.Symbol, r: sp.Symbol,
                layers: Sequence[int] = (2, 3, 4, 5, 6)) -> Callable[[Any], Proof]:
    """Lemma 18 for each ``L``: ``reduced(L)`` is theta_1' under (11) (the model's, derived),
    ``K_of(L)`` the constant K in the d_l (positive)."""
    def build(statement: Any) -> Proof:
        signs = tuple(int(v) for v in statement["signs"])
        idents, steps, pos = [], [], []
        for L in layers:
            g_ = 2**L - 1
            KL = K_of(L)
            scaled = sp.expand(reduced(L).subs(lam, KL * r**g_).subs(theta1, r * z))
            pre = d1 * KL * r**g_
            idents.append(Identity(f"L = {L}: theta_1' at lam = K r^gamma, theta_1 = r z", scaled,
                                   sp.expand(pre * (1 - z**g_))))
            pos.append(Positive(f"L = {L}: d_1 K r^gamma > 0", pre))
            steps += _line_goals(signs, 1 - z**g_, f"L = {L}")

        def to_point(point: PointQ, step: Step) -> dict[str, Any]:
            L = int(step.goal.name.rsplit("L = ", 1)[1].rstrip("]"))
            KL = K_of(L)
            kq = sp.Rational(KL.subs({s: 1 for s in KL.free_symbols}))
            return {"L": L, **{f"d{i}": Fraction(1) for i in range(1, L)},
                    "lam": Fraction(int(kq.p), int(kq.q)),
                    "theta1_0": Fraction(-1) if step.t == 0 else Fraction(2)}   # r = 1
        return Proof("lem18", "printed", tuple(idents), tuple(steps),
                     "r = (lam/K)^(1/gamma) > 0, so theta_1 < r iff z < 1, and theta_1' = "
                     "d_1 K r^gamma (1 - z^gamma) has the sign of 1 - z^gamma; in particular r "
                     "is the only real root of lam - K x^gamma.", to_point,
                     tuple(pos))
    return build


def _vieta(rhs: sp.Expr, d: sp.Symbol, lam: sp.Symbol, K: sp.Symbol, theta1: sp.Symbol,
           roots: Sequence[sp.Expr], product: sp.Expr) -> Identity:
    """``rhs`` (dlam - theta^3/2 - dK theta) with dK = e2/2, d lam = e3/2 is
    -(theta - roots...)/2 when the roots sum to 0."""
    e2 = sum(roots[i] * roots[j] for i in range(3) for j in range(i + 1, 3))
    e3 = roots[0] * roots[1] * roots[2]
    lhs = sp.expand(rhs.subs({K: e2 / (2 * d), lam: e3 / (2 * d)}))
    return Identity("Vieta: theta1' = -(theta - r1)(theta - r2)(theta - r3)/2", lhs,
                    sp.expand(product))


def lem14_proof(rhs: sp.Expr, theta1: sp.Symbol, d: sp.Symbol, lam: sp.Symbol, K: sp.Symbol,
                r1: sp.Symbol, r2: sp.Symbol, r3: sp.Symbol, rhs_roots: sp.Expr
                ) -> Callable[[Any], Proof]:
    """Lemma 14: the four intervals of Delta > 0, by positive gaps."""
    t = theta1
    # interval i: (theta, r1, r2, r3) in terms of r1 and positive gaps a, b, c
    param = [{t: r1 - a_, r2: r1 + b_, r3: r1 + b_ + c_},
             {t: r1 + a_, r2: r1 + a_ + b_, r3: r1 + a_ + b_ + c_},
             {t: r1 + b_ + a_, r2: r1 + b_, r3: r1 + b_ + a_ + c_},
             {t: r1 + b_ + c_ + a_, r2: r1 + b_, r3: r1 + b_ + c_}]
    names = ("(-oo, r1)", "(r1, r2)", "(r2, r3)", "(r3, oo)")
    canon = ((-2, -1, 3), [-3, Fraction(-3, 2), 1, 4])       # r1 < r2 < r3, sum 0, e3 > 0

    def to_point(point: PointQ, step: Step) -> dict[str, Any]:
        (q1, q2, q3), th = canon
        e2, e3 = q1 * q2 + q1 * q3 + q2 * q3, q1 * q2 * q3
        return {"d": Fraction(1, 2), "lam": Fraction(e3), "K": Fraction(e2),
                "theta1_0": Fraction(th[step.t])}

    def build(statement: Any) -> Proof:
        signs = tuple(int(v) for v in statement["signs"])
        ident = _vieta(rhs, d, lam, K, t, (r1, r2, -r1 - r2), rhs_roots.subs(r3, -r1 - r2))
        steps = []
        for i, sub in enumerate(param):
            g = sp.expand(signs[i] * rhs_roots.subs(sub, simultaneous=True))
            steps.append(Step(Goal(f"theta1' has sign {signs[i]:+d} on {names[i]}", g,
                                   (a_, b_, c_), ORTHANT3, strict=True, open=True), "instance", i))
        return Proof("lem14", "printed", (ident,), tuple(steps),
                     "By eq55, Delta > 0 gives real roots r1 < r2 < r3 (summing to 0), and by "
                     "Vieta theta1' = -(theta - r1)(theta - r2)(theta - r3)/2. Each interval, "
                     "with the root order, is exactly {a, b, c > 0} under its gap "
                     "parametrisation, on which signs[i] theta1' is a product of positive "
                     "factors.", to_point)
    return build


def lem16_proof(rhs: sp.Expr, theta1: sp.Symbol, d: sp.Symbol, lam: sp.Symbol, K: sp.Symbol,
                rs: sp.Symbol, rd: sp.Symbol, rhs_double: sp.Expr) -> Callable[[Any], Proof]:
    """Lemma 16: the three intervals of Delta = 0 in both orders of rs and rd."""
    t = theta1
    above = [{t: rd - a_, rs: rd + b_}, {t: rd + a_, rs: rd + a_ + b_}, {t: rd + b_ + a_,
                                                                         rs: rd + b_}]
    below = [{t: rs - a_, rd: rs + b_}, {t: rs + a_, rd: rs + a_ + b_}, {t: rs + b_ + a_,
                                                                         rd: rs + b_}]
    cases = (("rs_above", "rs > rd", above, ("(-oo, rd)", "(rd, rs)", "(rs, oo)"),
              (2, -1, [-2, 1, 3])),
             ("rs_below", "rs < rd", below, ("(-oo, rs)", "(rs, rd)", "(rd, oo)"),
              (-2, 1, [-3, 0, 2])))

    def to_point(point: PointQ, step: Step) -> dict[str, Any]:
        case = next(c for c in cases if c[1] in step.goal.name)
        qs, qd, th = case[4]
        e2, e3 = 2 * qs * qd + qd * qd, qs * qd * qd
        return {"d": Fraction(1, 2), "lam": Fraction(e3), "K": Fraction(e2),
                "theta1_0": Fraction(th[step.t])}

    def build(statement: Any) -> Proof:
        ident = _vieta(rhs, d, lam, K, t, (-2 * rd, rd, rd), rhs_double.subs(rs, -2 * rd))
        steps = []
        for part, label, params, names, _ in cases:
            signs = tuple(int(v) for v in statement[part])
            for i, sub in enumerate(params):
                g = sp.expand(signs[i] * rhs_double.subs(sub, simultaneous=True))
                steps.append(Step(Goal(f"{label}: theta1' has sign {signs[i]:+d} on {names[i]}",
                                       g, (a_, b_), ORTHANT2, strict=True, open=True),
                                  "instance", i))
        return Proof("lem16", "printed", (ident,), tuple(steps),
                     "By eq55/eq66, Delta = 0 gives a simple root rs and a double root rd "
                     "(rs + 2 rd = 0), and by Vieta theta1' = -(theta - rs)(theta - rd)^2/2. "
                     "Each interval, in each order of rs and rd, is exactly {a, b > 0} under "
                     "its gap parametrisation.", to_point)
    return build


__all__ = ["lem12_proof", "lem14_proof", "lem16_proof", "lem18_proof"]
