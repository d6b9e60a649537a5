"""Whole-domain proofs of the Section 4 / Appendix C inequalities (issue 12): the three-root
threshold (``sec4.1``), the orderings of the learning times ``T`` (``eq107``) and of the
vanishing times ``T0`` (``eq114``), where the step's value alpha lies (``eq101``,
``eq104``), the remainder of ``T0``'s expansion as ``theta0 -> -oo`` (``eq113``) and the probability
of three roots in footnote 2 (``fn2``).

**sec4.1** (Section 4.1 and Appendix C.1 after (106); corrected E8).  The statement: for every
``d, lam > 0`` and every ``K``, ``K < t(d, lam)`` gives three distinct real roots (``Delta > 0``,
(55)) and ``K > t`` gives one (``Delta < 0``), with ``t`` the stated threshold (main text: any
``d``; appendix: ``2d = 1``).  The derived discriminant (55) is a polynomial in ``K^3`` only;
with ``K = t w`` (``t < 0``: ``K < t`` iff ``w > 1``) it is ``Delta = A (c w^3 - 1)`` with
``A = -Delta(K = 0) > 0`` and ``c = -(coefficient of w^3)/Delta(K = 0)`` (SymPy; for the
corrected threshold ``c = 1``, for the main text's ``c = d``, for the appendix's ``c = 1/2``).
The two halves are then ``c (1 + g)^3 - 1 > 0`` (``K = t (1 + g)``) and ``1 - c (1 - g)^3 > 0``
(``K = t (1 - g)``) for every ``g > 0``; with ``g = q/(1 - q)`` and ``x = p/(1 - p)`` for each
parameter left in ``c``, they are polynomial inequalities on ``(0, 1)^n`` after clearing the
positive denominators.  Factors ``q``, ``1 - q``, ``p``, ``1 - p`` (positive inside the box,
vanishing on its boundary) are split off symbolically; what remains is proved ``> 0`` on the
closed box ``[0, 1]^n`` (Sturm, Bernstein), or refuted at an exact interior point.

**eq107** (Theorem 7 after (15), (107); corrected E10).  With the roots ``r2 = -a``,
``r1 = -a - b``, ``r3 = 2a + b`` (``a, b > 0``: every ordered triple of the three-root regime),
``lam = a (a + b)(2a + b)/(2d)``, ``K = -(3a^2 + 3ab + b^2)/(2d)`` and ``T = -2/P'(r2)``:

* ``K`` shared (corrected): ``dT/dlam`` at fixed ``d, K`` by implicit differentiation of
  ``P(r2) = 0`` is ``24 a d/(b^3 (3a + b)^3)`` (SymPy), and ``monotone * dT/dlam > 0`` on the
  open orthant ``(a, b, d)`` is the statement (the instance); along ``[lam_k, lam_1]`` the shared
  ``K < K*(lam_1) <= K*(lam)`` keeps three simple roots (``K*`` decreases in ``lam``, ``P'(r2) =
  -b (3a + b) != 0``), so the mean value theorem orders the ``T_i``;
* each component its own ``K_i`` (printed): the order of the ``lam_i`` alone can decide the order
  of the ``T_i`` only if ``T`` does not depend on ``K`` (let ``lam_2 -> lam_1`` with
  ``K_1 != K_2``): the instances ``dT/dK <= 0`` and ``dT/dK >= 0`` at fixed ``d, lam``; SymPy gives
  ``dT/dK = 4 d (6a^2 + 3ab + b^2)/(b^3 (3a + b)^3) > 0``, so the first fails everywhere.

**eq114** (Section 4.2 after (17), (114); corrected E11).  ``T0(theta0, r) = int_theta0^0
2/(r^3 - theta^3) dtheta`` in closed form (Section 2's (42)), ``r = (2 d lam)^(1/3)`` increasing
in ``lam``, and ``theta0 = r z`` (``z < 0``):

* ``theta0`` shared (corrected): ``H(z) = r^3 dT0/dr`` depends on ``z`` alone, ``H(0) = 0`` and
  ``H'(z) = 6/(1 - z^3)^2`` (SymPy identities), so ``H`` has the sign of ``z``: the statement
  ``monotone * dT0/dlam > 0`` is the instance ``monotone * z > 0`` on ``z < 0``, with the step
  ``1 - z^3 > 0`` there (``H'`` finite and positive);
* each component its own ``theta0_i`` (printed): as for ``eq107``, the instances
  ``dT0/dtheta0 <= 0`` and ``>= 0``; ``r^3 dT0/dtheta0 = -2/(1 - z^3) < 0``.

**eq101 / eq104** (Appendix C.1; corrected E9).  A stated alpha that is an expression in the
roots must lie in ``(r2, r3)`` (resp. ``(r1, r2)``) for every ``a, b > 0``: a side SymPy proves
positive is a :class:`Positive` (``r3 - alpha = exp(...)`` for (101)), the other an instance
(open-orthant polynomial if alpha is rational in the roots, else ``arb`` on ``a = p/(1 - p)``,
``b = q/(1 - q)``); the printed forms fail there.  The corrected alpha is the root of
``G(alpha) = c``: the stated equation is the derived one (SymPy), ``G'`` has one sign on the
interval (in the gaps to the roots) and ``G`` is infinite at both ends, so the root exists and is
unique.  That ``c`` is the limit of (56) at ``t = delta T`` is SymPy's ``limit``, not part of the
certificate.

**eq113 = eq17** (Section 4.2 (17), Appendix C.2 (113); holds).  The statement: ``T0 = lead +
sum_k c_k u^k + O(u^m)``, ``u = -1/theta0``, read with explicit constants: ``|T0 - lead - sum_k
c_k u^k| <= C r^(m-2) u^m`` for every ``r > 0`` and ``theta0 <= -r``.  With ``w = -r/theta0 = r u``
and ``G(w) = r^2 T0``: ``G' = -f``, ``f(v) = 2v/(1 + v^3)`` (the integrand of (112) in the tail
variable ``v = -r/theta``; SymPy identity, no ``r`` left) and ``G(0+) = T_inf = 4 pi/(3 sqrt3)``
(SymPy's limit, an identity re-evaluated on re-checking), so ``G(w) = T_inf - int_0^w f``.  The
stated expansion times ``r^2`` is ``P(w)`` with no ``r`` left when each ``c_k`` is ``r^(k-2)``
times a number (else not reducible).  Two consecutive Taylor polynomials of ``f`` at 0 (the series
alternates) bracket it on ``[0, 1]`` (steps, polynomial after clearing ``1 + v^3 > 0``), so the
remainder ``E = G - P`` lies between two polynomials ``E_lo <= E <= E_hi`` on ``(0, 1]``; the steps
``C w^m -+ E_hi/lo >= 0`` prove ``|E| <= C w^m``, the instances ``C w^m - E_lo >= 0``,
``C w^m + E_hi >= 0`` are implied by the statement.  ``C`` is the proof's: the sum of the absolute
coefficients of the bracket's remainder over ``w^m`` with the derived coefficients below ``w^m``
(``2/5`` for (113), ``1`` for (17)).  A wrong coefficient below ``u^m`` (or a wrong ``lead``)
leaves a lower power of ``w`` in ``E``, and an instance fails at an exact point of ``(0, 1]``
(a ball if ``pi`` is left); the claim has no parameters, so the counterexample replays through the
claim's own symbolic term check.

**fn2** (footnote 2; corrected E12).  ``P = (1/(4R^2)) int_{-R}^{R} clip(theta^2/(2d) + K* + R,
0, 2R) dtheta``; with ``theta = R x``, ``P = (1/2) int_0^1 clip(phi, 0, 2) dx``, ``phi = a x^2 +
1 - b``, ``a = R/(2d)``, ``b = c/R``, ``c = -K* > 0`` (identities).  ``dphi/dR = x^2/(2d) + c/R^2
> 0`` and ``dphi/dx = 2 a x > 0`` (open-orthant steps): ``P`` is nondecreasing in ``R``, strictly
where ``0 < P < 1``; ``P = 0`` up to ``R_- = d (sqrt(1 + 2c/d) - 1)`` (``phi(1) = 0``) and
``P >= (1 + bound)/2`` from ``R_+ = (d/x0^2)(1 + sqrt(1 + 2 c x0^2/d))`` on (``phi(x0) = 2``,
``x0 = (1 - bound)/2``; identities).  Corrected (``R_max = R_1/2``): the crossing exists, is
unique and lies in ``[R_-, R_+]``.  Printed (``R_max = oo``): the instance ``phi(x0) < 2`` for
every ``a, b > 0`` fails at an exact point, mapped to ``d = lam = 1`` and a box at least as
large.  The direction in ``lambda``: ``dK*/dlam = -1/t`` at ``d lam = t^3``, the instance
``decreasing * dK*/dlam > 0``.

A violated instance is mapped to a point of the claim's domain where the claim's own sampled
order check fails (three components built from the violating point; the replay certifies it).
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Sequence

import sympy as sp

from ...branch_bound import Goal, PointQ, box_of, poly_of
from ...certificates import Identity, NotReducible, Positive, Proof, Step
from ...engine import Statement
from ..shallow import formulas as S
from . import domains as DL
from . import formulas as L
from .formulas import R_box

d, lam, K, theta0, r, theta1 = L.d, L.lam, L.K, L.theta0, L.r, L.theta1
r1, r2, r3, a_, b_ = L.r1, L.r2, L.r3, L.a_, L.b_
q = sp.Symbol("q", positive=True)              # g = q/(1 - q): the gap to the threshold
w = sp.Symbol("w", positive=True)              # K = t w
g = sp.Symbol("g", positive=True)              # K = t (1 +- g)
z = sp.Symbol("z", negative=True)              # theta0 / r
ORTHANT3 = box_of([(0, None)] * 3)
NEG_LINE = box_of([(None, 0)])
SEC41_WHAT = ("sign Delta = sign(threshold - K) for every d, lambda > 0 and K: polynomial "
              "inequalities on the compactified domain")
ORDER_WHAT = ("the sign of the time's derivative in lambda (with the shared quantities fixed) "
              "over the whole domain, or the time's dependence on an unshared quantity")


def _frac(v: Any) -> Fraction:
    r_ = sp.Rational(v)
    return Fraction(int(r_.p), int(r_.q))


# === sec4.1: the three-root threshold ===========================================================
def _unit_symbol(x: sp.Symbol) -> sp.Symbol:
    return sp.Symbol(f"p_{x.name}", positive=True)


def _split_boundary(expr: sp.Expr, units: Sequence[sp.Symbol]) -> tuple[sp.Expr, sp.Expr]:
    """``expr = boundary * rest``: ``boundary`` the product of the factors ``u`` and ``1 - u``
    (``u`` in ``units``: positive on the open unit box, zero on its faces), ``rest`` the
    constant times the other factors."""
    const, factors = sp.factor_list(sp.expand(expr), *units)
    faces = {sp.expand(u): 1 for u in units} | {sp.expand(1 - u): 1 for u in units}
    boundary, rest = sp.Integer(1), sp.Rational(const)
    for f, e in factors:
        f = sp.expand(f)
        if f in faces:
            boundary *= f**e
        elif sp.expand(-f) in faces:
            boundary *= (-f) ** e
            rest *= (-1) ** e
        else:
            rest *= f**e
    return boundary, rest


def _positive_denominator(den: sp.Expr, units: Sequence[sp.Symbol]) -> None:
    boundary, rest = _split_boundary(den, units)
    if not (rest.is_Rational and rest > 0):
        raise NotReducible(f"the denominator {sp.factor(den)} is not a product of positive "
                           "boundary factors")


def _threshold_reduction(t: sp.Expr, dd: sp.Expr, part: str
                         ) -> tuple[sp.Expr, sp.Expr, list[Identity], list[Positive]]:
    """(A, c) with ``Delta(dd, lam, t w) = A (c w^3 - 1)``, ``A > 0`` (module doc)."""
    if (-t).is_positive is not True:
        raise NotReducible(f"the {part} threshold {t} is not proven negative: K < t is not "
                           "K = t w with w > 1")
    delta = S.derived_discriminant().subs(d, dd)
    poly = sp.Poly(sp.expand(delta), K)
    if set(m[0] for m in poly.monoms()) - {0, 3}:
        raise NotReducible("(55) is not a polynomial in K^3")
    A = -poly.coeff_monomial(1)
    c = sp.simplify(-poly.coeff_monomial(K**3) * t**3 / poly.coeff_monomial(1))
    if c.free_symbols - {d, lam}:
        raise NotReducible(f"c = {c} depends on more than (d, lambda)")
    num, den = sp.fraction(sp.together(c))
    cv = sorted(c.free_symbols, key=str)
    if not (c.is_Rational if not cv else poly_of(num, cv) is not None and
            poly_of(den, cv) is not None):
        raise NotReducible(f"the {part} threshold gives c = {c}, not a rational function of "
                           "(d, lambda): the reduction does not reach a polynomial statement")
    idents = [Identity(f"(55) at K = t w [{part}]: Delta = A (c w^3 - 1)",
                       delta.subs(K, t * w), A * (c * w**3 - 1))]
    pos = [Positive(f"A = -Delta(K = 0) > 0 [{part}]", A),
           Positive(f"the stated threshold is negative [{part}]", -t)]
    return A, c, idents, pos


def _compact_goal(name: str, expr_g: sp.Expr, c_vars: Sequence[sp.Symbol], part: str
                  ) -> tuple[Goal, list[Identity]]:
    """``expr_g > 0`` for every ``g > 0`` and every positive value of ``c_vars``, as a strict
    polynomial goal on ``[0, 1]^n`` (``g = q/(1 - q)``, ``x = p_x/(1 - p_x)``), with the
    boundary factors split off (module doc)."""
    units = [q] + [_unit_symbol(x) for x in c_vars]
    subs = {g: q / (1 - q), **{x: u / (1 - u) for x, u in zip(c_vars, units[1:])}}
    compact = sp.together(expr_g.subs(subs, simultaneous=True))
    num, den = sp.fraction(compact)
    num, den = sp.expand(num), sp.expand(den)
    _positive_denominator(den, units)
    boundary, rest = _split_boundary(num, units)
    idents = [Identity(f"{name}, compactified [{part}]", expr_g.subs(subs, simultaneous=True),
                       num / den),
              Identity(f"{name}: numerator = boundary factors x goal [{part}]", num,
                       boundary * rest)]
    box = box_of([(0, 1)] * len(units))
    goal = Goal(f"{name} [{part}]", sp.expand(rest), tuple(units), box, strict=True,
                admissible=lambda p, names=[u.name for u in units]: all(
                    0 < p[n] < 1 for n in names))
    return goal, idents


def _sec41_to_point(point: PointQ, step: Step) -> dict[str, Any]:
    """The claim's (d, lambda) at a violating point: the parameters left in c from their unit
    coordinates, the others 1 (d = 1/2 for the appendix)."""
    part = step.goal.name.rsplit("[", 1)[1].rstrip("]")
    out: dict[str, Any] = {"d": Fraction(1) if part == "main" else Fraction(1, 2),
                           "lam": Fraction(1)}
    for x, key in ((d, "d"), (lam, "lam")):
        u = point.get(_unit_symbol(x).name)
        if u is not None:
            out[key] = u / (1 - u)
    return out


def sec41_proof(variant: str) -> Callable[[Statement], Proof]:
    """sec4.1 over the whole domain (module doc): both halves of the threshold statement, for
    the main text (any d) and the appendix (2d = 1)."""
    return lambda statement: _sec41_proof(statement, variant)


def _sec41_proof(statement: Statement, variant: str) -> Proof:
    idents: list[Identity] = []
    pos: list[Positive] = []
    steps: list[Step] = []
    for part, dd in (("main", d), ("appendix", sp.Rational(1, 2))):
        t = sp.sympify(statement[part]).subs(d, dd)
        _, c, ids, ps = _threshold_reduction(t, dd, part)
        idents += ids
        pos += ps
        c_vars = sorted(c.free_symbols, key=lambda s: s.name)
        for name, expr_g, t_step in (
                ("K = t (1 + g) < t gives Delta > 0: c (1 + g)^3 - 1 > 0", c * (1 + g)**3 - 1, 0),
                ("K = t (1 - g) > t gives Delta < 0: 1 - c (1 - g)^3 > 0", 1 - c * (1 - g)**3, 1)):
            goal, ids2 = _compact_goal(name, expr_g, c_vars, part)
            idents += ids2
            steps.append(Step(goal, "instance", t_step))
    return Proof("sec4.1", variant, tuple(idents), tuple(steps),
                 "Delta > 0 iff three distinct real roots (eq55). With K = t w (t < 0), Delta = "
                 "A (c w^3 - 1), A > 0; K < t is w = 1 + g and K > t is w = 1 - g, g > 0. With "
                 "g = q/(1 - q) and x = p/(1 - p) for the parameters left in c, each half is a "
                 "polynomial times positive denominators and boundary factors (q, 1 - q, p, "
                 "1 - p > 0 on the open box); the remaining polynomial is > 0 on the closed "
                 "box, hence on the open box, i.e. for every d, lambda > 0, K.",
                 _sec41_to_point, tuple(pos))


# === the orderings: eq107 (T) and eq114 (T0) ====================================================
def _roots_env(aa: Fraction, bb: Fraction) -> dict:
    return {r2: -aa, r1: -aa - bb, r3: 2 * aa + bb}


@lru_cache(maxsize=None)
def _lam_K_of_roots() -> tuple[sp.Expr, sp.Expr]:
    """(lam, K) of the roots r2 = -a, r2 - r1 = b by Vieta: P = x^3 + 2dK x - 2d lam."""
    rts = L.roots_ab()
    e2 = (r1 * r2 + r1 * r3 + r2 * r3).subs(rts)
    e3 = (r1 * r2 * r3).subs(rts)
    return sp.factor(e3 / (2 * d)), sp.factor(e2 / (2 * d))


def _multi_point_shared_K(aa: Fraction, bb: Fraction, dd: Fraction) -> dict[str, Any]:
    """Three components with one K (that of the roots (-a - b, -a, 2a + b)) and lam_j = lam,
    9 lam/10, 8 lam/10: in the three-root regime (K < K*(lam) <= K*(lam_j)); T increases with
    lam along them (dT/dlam > 0 at fixed K)."""
    lam_e, K_e = _lam_K_of_roots()
    env = {a_: sp.Rational(aa), b_: sp.Rational(bb), d: sp.Rational(dd)}
    ll, kk = _frac(lam_e.subs(env)), _frac(K_e.subs(env))
    out: dict[str, Any] = {"d": dd}
    for j in range(1, DL.K_COMPONENTS + 1):
        out[f"lam{j}"] = ll * Fraction(11 - j, 10)
        out[f"K{j}"] = kk
    return out


def _multi_point_own_K(aa: Fraction, bb: Fraction, dd: Fraction) -> dict[str, Any]:
    """Three components with a fixed and b_j = 1.2 b, 1.1 b, b (own K_j): lam = a (a + b)
    (2a + b)/(2d) increases with b while T = 2/(b (3a + b)) decreases; K_1 (the largest
    lam's) is below every K*(lam_j)."""
    lam_e, K_e = _lam_K_of_roots()
    out: dict[str, Any] = {"d": dd}
    for j in range(1, DL.K_COMPONENTS + 1):
        env = {a_: sp.Rational(aa), b_: sp.Rational(bb * Fraction(13 - j, 10)),
               d: sp.Rational(dd)}
        out[f"lam{j}"] = _frac(lam_e.subs(env))
        out[f"K{j}"] = _frac(K_e.subs(env))
    return out


def _fraction_goal(name: str, expr: sp.Expr, vars_: tuple, box, strict: bool) -> Goal:
    """``expr > 0`` (``>= 0``) for a rational function: the sign of numerator x denominator."""
    num, den = sp.fraction(sp.together(expr))
    return Goal(name, sp.expand(num * den), vars_, box, strict=strict, open=True)


def eq107_proof(variant: str) -> Callable[[Statement], Proof]:
    """eq107 over the whole domain (module doc)."""
    return lambda statement: _eq107_proof(statement, variant)


def _eq107_proof(statement: Statement, variant: str) -> Proof:
    fixed = set(statement["fixed"])
    m = int(statement["monotone"])
    P = S.derived_cubic()
    T = L.derived_T_dlk()
    lam_e, K_e = _lam_K_of_roots()
    rts = L.roots_ab()
    Pp = sp.diff(P, theta1).subs(theta1, r2)
    at = {K: K_e, lam: lam_e}
    idents = [Identity("Vieta: P(r2) = 0 at lam(a, b, d), K(a, b, d)",
                       P.subs(theta1, r2).subs(at).subs(rts)),
              Identity("P'(r2) = -b (3a + b): r2 is a simple root", Pp.subs(at).subs(rts),
                       -b_ * (3 * a_ + b_)),
              Identity("T = -2/P'(r2) = 2/((r3 - r2)(r2 - r1)) (eq106)", T.subs(at).subs(rts),
                       L.derived_T().subs(rts))]
    pos = [Positive("b (3a + b) > 0", b_ * (3 * a_ + b_))]
    vars_ = (a_, b_, d)
    if fixed == {"d", "K"}:
        dr2 = -(sp.diff(P, lam) / sp.diff(P, theta1)).subs(theta1, r2)
        raw = (sp.diff(T, r2) * dr2).subs(at).subs(rts)
        dT = L.derived_dT_dlam()
        idents.append(Identity("dT/dlam at fixed d, K (implicit differentiation of P(r2) = 0)",
                               raw, dT))
        pos.append(Positive("-dK*/dlam > 0: K < K*(lam_1) <= K*(lam) for lam <= lam_1",
                            -sp.diff(L.derived_sec41_threshold(), lam)))
        steps = [Step(_fraction_goal(f"monotone * dT/dlam > 0 at fixed d, K (monotone = {m:+d})",
                                     m * dT, vars_, ORTHANT3, True), "instance", 0)]
        induction = ("Components sharing d and K < K*(lam_1): K* decreases in lam, so K < K*(lam) "
                     "for every lam in [lam_k, lam_1]: three distinct roots, r2 a simple root "
                     "(P'(r2) = -b (3a + b) != 0) and a smooth function of lam (implicit "
                     "function theorem), and so is T = -2/P'(r2). monotone * dT/dlam > 0 on the "
                     "whole regime (every a, b, d > 0) gives, by the mean value theorem, "
                     "monotone * (T(lam_i) - T(lam_j)) > 0 for lam_i > lam_j.")
    elif fixed == {"d"}:
        dr2 = -(sp.diff(P, K) / sp.diff(P, theta1)).subs(theta1, r2)
        raw = (sp.diff(T, K) + sp.diff(T, r2) * dr2).subs(at).subs(rts)
        dTK = sp.factor(raw)
        idents.append(Identity("dT/dK at fixed d, lam (implicit differentiation of P(r2) = 0)",
                               raw, dTK))
        steps = [Step(_fraction_goal(f"T does not depend on the unshared K: {s} dT/dK >= 0",
                                     s * dTK, vars_, ORTHANT3, False), "instance", i)
                 for i, s in enumerate((1, -1))]
        induction = ("Each component its own K_i: if T_1 > ... > T_k (resp. <) followed from "
                     "lam_1 > ... > lam_k alone, letting lam_2 -> lam_1 with K_1 != K_2 (both in "
                     "the open three-root regime) would give T(lam, K_1) >= T(lam, K_2) for all "
                     "K_1, K_2, i.e. dT/dK = 0 at fixed d, lam. Both signs of dT/dK are "
                     "instances; a violation is a point where T depends on K, and three "
                     "components built there break the stated order.")
    else:
        raise NotReducible(f"the components share {sorted(fixed)}: the proof covers (d) and "
                           "(d, K)")

    def to_point(point: PointQ, step: Step) -> dict[str, Any]:
        aa, bb, dd = point["a"], point["b"], point["d"]
        # T increases with lam at a shared K; it decreases along b at fixed a (own K)
        return _multi_point_shared_K(aa, bb, dd) if m < 0 else _multi_point_own_K(aa, bb, dd)
    return Proof("eq107", variant, tuple(idents), tuple(steps), induction, to_point, tuple(pos))


def _T0() -> sp.Expr:
    """T0(theta0, r): Section 2's (42), F(0) - F(theta0) (the time to reach 0 under (7))."""
    return L.derived_T0_section2(theta0)


def _multi0_point(thetas: Sequence[Fraction], lams: Sequence[Fraction]) -> dict[str, Any]:
    out: dict[str, Any] = {"d": Fraction(1, 2)}               # r^3 = lam
    for j, (th, ll) in enumerate(zip(thetas, lams), start=1):
        out[f"lam{j}"] = ll
        out[f"theta{j}_0"] = th
    return out


def eq114_proof(variant: str) -> Callable[[Statement], Proof]:
    """eq114 over the whole domain (module doc)."""
    return lambda statement: _eq114_proof(statement, variant)


def _eq114_proof(statement: Statement, variant: str) -> Proof:
    fixed = set(statement["fixed"])
    m = int(statement["monotone"])
    T0 = _T0()
    r_of = sp.cbrt(2 * d * lam)
    pos = [Positive("dr/dlam > 0, r = (2 d lam)^(1/3)", sp.diff(r_of, lam))]
    step_pos = Step(Goal("1 - z^3 > 0 for z < 0 (the integrand 2/(r^3 - theta^3) is finite)",
                         1 - z**3, (z,), NEG_LINE, strict=True, open=True))
    if fixed == {"d", "theta0"}:
        raw = (r**3 * sp.diff(T0, r)).subs(theta0, r * z)
        H = sp.simplify(raw)
        if H.free_symbols != {z}:
            raise NotReducible(f"r^3 dT0/dr at theta0 = r z is not a function of z: {H}")
        idents = (Identity("H(z) = r^3 dT0/dr at theta0 = r z (no r left)", raw, H),
                  Identity("H(0) = 0", H.subs(z, 0)),
                  Identity("H'(z) = 6/(1 - z^3)^2", sp.diff(H, z), 6 / (1 - z**3) ** 2))
        steps = (Step(Goal(f"monotone * z > 0 for z < 0: H has the sign of z (monotone = {m:+d})",
                           m * z, (z,), NEG_LINE, strict=True, open=True), "instance", 0),
                 step_pos)
        induction = ("T0(theta0, r) = int_theta0^0 2/(r^3 - theta^3) dtheta, r = (2 d lam)^(1/3) "
                     "increasing in lam. With theta0 = r z shared by the components, dT0/dlam = "
                     "(dr/dlam) r^-3 H(z); H(0) = 0 and H' = 6/(1 - z^3)^2 > 0 on (z, 0) (1 - s^3 "
                     "> 0 for s <= 0), so H(z) < 0 for z < 0: sign dT0/dlam = sign z, and the "
                     "statement monotone * dT0/dlam > 0 for every theta0 < 0 is exactly "
                     "monotone * z > 0 on z < 0. The mean value theorem orders the T0_i.")
        lams = (Fraction(3), Fraction(2), Fraction(1))
    elif fixed == {"d"}:
        raw = (r**3 * sp.diff(T0, theta0)).subs(theta0, r * z)
        dT = -2 / (1 - z**3)
        idents = (Identity("r^3 dT0/dtheta0 = -2/(1 - z^3) at theta0 = r z", raw, dT),)
        steps = tuple(Step(_fraction_goal(f"T0 does not depend on the unshared theta0: "
                                          f"{s} dT0/dtheta0 >= 0", s * dT, (z,), NEG_LINE, False),
                           "instance", i) for i, s in enumerate((1, -1))) + (step_pos,)
        induction = ("Each component its own theta0_i: if the order of the T0_i followed from "
                     "lam_1 > ... > lam_k alone, letting lam_2 -> lam_1 with theta0_1 != theta0_2 "
                     "would give T0(theta0_1, r) >= T0(theta0_2, r) for all theta0_1, theta0_2, "
                     "i.e. dT0/dtheta0 = 0. Both signs are instances; r^3 dT0/dtheta0 = "
                     "-2/(1 - z^3) has the sign of -(1 - z^3) (1 - z^3 > 0 on z < 0).")
        lams = (Fraction(10002, 10000), Fraction(10001, 10000), Fraction(1))
    else:
        raise NotReducible(f"the components share {sorted(fixed)}: the proof covers (d) and "
                           "(d, theta0)")

    def to_point(point: PointQ, step: Step) -> dict[str, Any]:
        zz = point["z"]
        if m > 0:
            # a shared theta0: T0 decreases as lam grows
            return _multi0_point([zz] * DL.K_COMPONENTS, lams)
        # own theta0_i: lam_i within 2e-4 of each other, theta0_i = 100 z, 10 z, z: the larger
        # lam starts much farther from 0, so T0 increases with lam
        return _multi0_point([zz * 10**(DL.K_COMPONENTS - j) for j in
                              range(1, DL.K_COMPONENTS + 1)], lams)
    return Proof("eq114", variant, idents, steps, induction, to_point, tuple(pos))


# === eq101 / eq104: alpha in (r2, r3) resp. (r1, r2) ============================================
xg, yg, bg = sp.symbols("x y b_g", positive=True)       # gaps theta - root, root - theta, root gap
pa, qb = sp.symbols("p_a q_b", positive=True)           # a = p/(1 - p), b = q/(1 - q)
ALPHA_WHAT = ("alpha lies in the stated interval for every ordered triple of roots (and, for the "
              "corrected alpha, its defining equation has exactly one root there)")


def _alpha_interval(s: int) -> tuple[sp.Symbol, sp.Symbol, str]:
    return (r2, r3, "(r2, r3)") if s > 0 else (r1, r2, "(r1, r2)")


def _alpha_to_point(point: PointQ, step: Step) -> dict[str, Any]:
    aa = point["p_a"] / (1 - point["p_a"]) if "p_a" in point else point["a"]
    bb = point["q_b"] / (1 - point["q_b"]) if "q_b" in point else point["b"]
    return {"r1": -aa - bb, "r2": -aa}


def _alpha_expression_steps(alpha: sp.Expr, s: int) -> tuple[list[Step], list[Positive]]:
    """The instances lo < alpha < hi over every a, b > 0: a side SymPy proves positive for all
    a, b > 0 (e.g. r3 - alpha = exp(...) for (101)) is a Positive; the others are open-orthant
    polynomials when alpha is rational in the roots, else arb on the compactified box
    a = p/(1 - p), b = q/(1 - q)."""
    lo, hi, name = _alpha_interval(s)
    steps, pos = [], []
    for i, (label, e) in enumerate(((f"alpha > {lo}", alpha - lo), (f"alpha < {hi}", hi - alpha))):
        e = sp.sympify(e).subs(L.roots_ab())
        if e.is_positive:
            pos.append(Positive(f"{label} for every a, b > 0 (SymPy)", e))
            continue
        num, den = sp.fraction(sp.together(e))
        if poly_of(num, (a_, b_)) is not None and poly_of(den, (a_, b_)) is not None:
            goal = Goal(f"{label}: alpha in {name}", sp.expand(num * den), (a_, b_),
                        box_of([(0, None)] * 2), strict=True, open=True)
        else:
            ec = e.subs({a_: pa / (1 - pa), b_: qb / (1 - qb)}, simultaneous=True)
            goal = Goal(f"{label}: alpha in {name} (a = p/(1 - p), b = q/(1 - q))", ec, (pa, qb),
                        box_of([(0, 1), (0, 1)]), strict=True,
                        admissible=lambda p: 0 < p["p_a"] < 1 and 0 < p["q_b"] < 1)
        steps.append(Step(goal, "instance", i))
    return steps, pos


def _alpha_equation_proof(cid: str, eq: sp.Equality, s: int, variant: str) -> Proof:
    """The corrected alpha: the stated equation is G(alpha) = c (SymPy), and G is strictly
    monotone on the interval with infinite limits at both ends (its derivative in the gaps, the
    signs of the log coefficients): exactly one root there."""
    lo, hi, name = _alpha_interval(s)
    dG = sp.diff(L.implicit_G(theta1), theta1)
    if s > 0:     # theta = r2 + x, r1 = r2 - b, r3 = theta + y
        sub = {theta1: r2 + xg, r1: r2 - bg, r3: r2 + xg + yg}
        ends = (Positive("G -> +oo at r2+: the coefficient 1/(r32 r21) of -log|theta - r2| > 0",
                         1 / ((xg + yg) * bg)),
                Positive("G -> -oo at r3-: the coefficient 1/(r32 r31) of log|theta - r3| > 0",
                         1 / ((xg + yg) * (bg + xg + yg))))
    else:         # theta = r2 - x, r1 = theta - y, r3 = r2 + b
        sub = {theta1: r2 - xg, r1: r2 - xg - yg, r3: r2 + bg}
        ends = (Positive("G -> -oo at r1+: the coefficient 1/(r31 r21) of log|theta - r1| > 0",
                         1 / ((xg + yg) * (bg + xg + yg))),
                Positive("G -> +oo at r2-: the coefficient 1/(r32 r21) of -log|theta - r2| > 0",
                         1 / ((xg + yg) * bg)))
    want = -s / (xg * yg * (bg + xg))
    idents = (Identity("the stated equation is G(alpha) - c = 0, c = lim G(r2 +- e^-delta) - "
                       "delta T/2 (SymPy)", eq.lhs - eq.rhs, L.alpha_equation()),
              Identity(f"G'(theta) = 1/((theta - r1)(theta - r2)(theta - r3)) on {name}, in the "
                       "gaps", dG.subs(sub, simultaneous=True), want))
    steps = (Step(Goal(f"G' has one sign on {name}: x y (b + x) > 0", xg * yg * (bg + xg),
                       (xg, yg, bg), ORTHANT3, strict=True, open=True)),)
    return Proof(cid, variant, idents, steps,
                 f"Every point of {name} is theta = r2 {'+' if s > 0 else '-'} x with the gaps "
                 "x, y, b > 0 (y the distance to the other end, b the third root's gap); there "
                 f"G' = {want} has one sign, so G is strictly monotone on {name}, and it runs "
                 "from -oo to +oo (or back) by the signs of the log coefficients at the ends: "
                 f"G(alpha) = c has exactly one root alpha in {name}, which the stated equation "
                 "defines. (With theta1(delta T) in the interval (lem14) and G(theta1(delta T)) "
                 "= G(r2 +- e^-delta) - delta T/2 -> c by SymPy's limit, theta1(delta T) -> "
                 "alpha; the limit itself is not part of this certificate.)",
                 _alpha_to_point, ends)


def alpha_proof(cid: str, s: int, variant: str) -> Callable[[Statement], Proof]:
    """eq101 (s = +1) / eq104 (s = -1): alpha in the stated interval over the whole domain."""
    def build(statement: Statement) -> Proof:
        v = statement["alpha"]
        if isinstance(v, sp.Equality):
            return _alpha_equation_proof(cid, v, s, variant)
        lo, hi, name = _alpha_interval(s)
        steps, pos = _alpha_expression_steps(v, s)
        return Proof(cid, variant, (), tuple(steps),
                     f"The stated alpha (an expression in the roots) must lie in {name} for every "
                     "ordered triple r1 = -a - b < r2 = -a < 0 < r3 = 2a + b (a, b > 0).",
                     _alpha_to_point, tuple(pos))
    return build


# === eq113 (= eq17): T0's expansion as theta0 -> -oo ============================================
v = sp.Symbol("v", positive=True)              # the tail variable -r/theta (theta <= theta0)
W0 = Fraction(1)                               # theta0 <= -r, i.e. w = -r/theta0 in (0, 1]
EXPANSION_WHAT = ("|T0 - the stated expansion| <= C r^(m-2) |theta0|^-m for every r > 0 and "
                  "theta0 <= -r, with the proof's explicit C (polynomial bounds on the tail "
                  "integrand)")


def _expansion_tail() -> tuple[sp.Expr, sp.Expr, list[Identity]]:
    """(f, T_inf, identities): with G(w) = r^2 T0(theta0 = -r/w), G' = -f(w) with
    f(v) = r^3 I(-r/v)/v^2 = 2v/(1 + v^3) (I the integrand of (112)) and G -> T_inf as w -> 0+
    (theta0 -> -oo; SymPy's limit, re-evaluated on re-checking), so
    ``G(w) = T_inf - int_0^w f``, with no r left (module doc of eq113)."""
    G = r**2 * _T0().subs(theta0, -r / w)
    f = sp.cancel(r**3 * L.T0_integrand(-r / v) / v**2)
    if f.free_symbols != {v}:
        raise NotReducible(f"the tail integrand in v = -r/theta depends on r: {f}")
    T_inf = sp.limit(G, w, 0, "+")
    if T_inf.free_symbols:
        raise NotReducible(f"r^2 T0 at theta0 -> -oo depends on r: {T_inf}")
    idents = [Identity("r^2 dT0/dw = -f(w) at theta0 = -r/w, f(v) = r^3 I(-r/v)/v^2 = "
                       "2v/(1 + v^3) (eq112's integrand; no r left)", sp.diff(G, w),
                       -f.subs(v, w)),
              Identity("r^2 T0 -> T_inf as theta0 = -r/w -> -oo (SymPy's limit)",
                       sp.Limit(G, w, 0, "+"), T_inf)]
    return f, T_inf, idents


def _bracket(f: sp.Expr, m: int) -> tuple[sp.Expr, sp.Expr]:
    """(lower, upper): f's Taylor polynomial S of degree <= m - 2 at v = 0 and S plus f's next
    nonzero term; for f = 2v/(1 + v^3) the series alternates, so they bracket f on v >= 0 (the
    proof's steps check it). Their integrals agree below w^m."""
    series = sp.expand(sp.series(f, v, 0, max(m, 1) + 8).removeO())
    poly = sp.Poly(series, v)
    S = sum((c * v**k for (k,), c in poly.terms() if k <= m - 2), sp.Integer(0))
    nxt = min(((k, c) for (k,), c in poly.terms() if k > m - 2), default=None)
    if nxt is None:
        raise NotReducible("the tail integrand's series has no term beyond the remainder")
    S2 = S + nxt[1] * v**nxt[0]
    return (S, S2) if nxt[1] > 0 else (S2, S)


def _sum_abs(e: sp.Expr) -> sp.Expr:
    """An upper bound of |e| on [0, W0] = [0, 1]: the sum of the absolute coefficients."""
    e = sp.expand(e)
    if e == 0:
        return sp.Integer(0)
    return sum((abs(c) for c in sp.Poly(e, w).coeffs()), sp.Integer(0))


def _expansion_part(statement: Statement, f: sp.Expr, T_inf: sp.Expr, lead: str, terms: str,
                    rem: str, label: str) -> tuple[list[Identity], list[Step], sp.Expr]:
    """The identities and the four goals of one stated expansion (module doc of eq113), and the
    proof's constant C."""
    m = int(statement[rem])
    stated = {int(k): sp.sympify(c) for k, c in statement[terms].items()}
    expansion = sp.sympify(statement[lead]) + sum((c * (-1 / theta0) ** k
                                                   for k, c in stated.items()), sp.Integer(0))
    lead_w = sp.simplify(r**2 * sp.sympify(statement[lead]))
    gammas = {k: sp.simplify(c * r ** (2 - k)) for k, c in stated.items()}
    if lead_w.free_symbols or any(g_.free_symbols for g_ in gammas.values()):
        raise NotReducible(f"{label}: the stated terms are not r^-2 times a function of "
                           "r/theta0 (not reducible to the scale-free tail)")
    P = lead_w + sum((g_ * w**k for k, g_ in gammas.items()), sp.Integer(0))
    lower, upper = _bracket(f, m)
    int_lo, int_hi = (sp.integrate(p_, (v, 0, w)) for p_ in (lower, upper))
    # E = G - P = (T_inf - lead_w) - int_0^w f - sum gamma_k w^k lies in [E_lo, E_hi]
    E_lo, E_hi = sp.expand(T_inf - int_hi - P), sp.expand(T_inf - int_lo - P)
    # the proof's constant: from the derived coefficients below w^m and the stated ones above
    derived = sp.Poly(-sp.expand(int_lo), w)
    mix = sum((c * w**k for (k,), c in derived.terms() if k < m), sp.Integer(0)) + sum(
        (g_ * w**k for k, g_ in gammas.items() if k >= m), sp.Integer(0))
    C = sp.Max(*(_sum_abs(sp.cancel(e / w**m)) for e in (-int_hi - mix, -int_lo - mix)))
    idents = [Identity(f"r^2 (the stated expansion) at theta0 = -r/w is P(w), no r left [{label}]",
                       r**2 * expansion.subs(theta0, -r / w), P)]
    Cw = C * w**m
    box = box_of([(0, W0)])

    def goal(name: str, e: sp.Expr) -> Goal:
        return Goal(f"{name} [{label}]", sp.expand(e), (w,), box,
                    admissible=lambda p: 0 < p["w"] <= W0)
    steps = [Step(goal(f"upper - f >= 0: f <= {upper} on v in [0, 1]",
                       sp.expand(upper * (1 + v**3) - sp.numer(sp.together(f)))
                       .subs(v, w)), "step"),
             Step(goal(f"f - lower >= 0: f >= {lower} on v in [0, 1]",
                       sp.expand(sp.numer(sp.together(f)) - lower * (1 + v**3))
                       .subs(v, w)), "step"),
             Step(goal(f"C w^{m} - E_hi >= 0 (E <= C w^{m}), C = {C}", Cw - E_hi), "step"),
             Step(goal(f"C w^{m} + E_lo >= 0 (E >= -C w^{m}), C = {C}", Cw + E_lo), "step"),
             Step(goal(f"C w^{m} - E_lo >= 0 (implied by E <= C w^{m}), C = {C}", Cw - E_lo),
                  "instance", 0),
             Step(goal(f"C w^{m} + E_hi >= 0 (implied by E >= -C w^{m}), C = {C}", Cw + E_hi),
                  "instance", 1)]
    return idents, steps, C


def eq113_proof(variant: str) -> Callable[[Statement], Proof]:
    """eq113 (= eq17) over the whole domain (module doc)."""
    return lambda statement: _eq113_proof(statement, variant)


def _eq113_proof(statement: Statement, variant: str) -> Proof:
    f, T_inf, idents = _expansion_tail()
    if sp.denom(sp.together(f)) != 1 + v**3:
        raise NotReducible(f"the tail integrand {f} is not 2v/(1 + v^3)")
    steps: list[Step] = []
    consts = []
    for lead, terms, rem, label in (("leading", "terms", "remainder", "113"),
                                    ("leading", "terms17", "remainder17", "17")):
        ids, sts, C = _expansion_part(statement, f, T_inf, lead, terms, rem, label)
        idents += ids
        steps += sts
        consts.append(f"C = {C} for ({label}), m = {statement[rem]}")
    return Proof("eq113", variant, tuple(idents), tuple(steps),
                 "G(w) = r^2 T0(theta0 = -r/w) has G' = -f, f(v) = 2v/(1 + v^3), and G(0+) = "
                 "T_inf (identities), so G(w) = T_inf - int_0^w f(v) dv, for every r > 0. The "
                 "stated expansion times r^2 at theta0 = -r/w is P(w) (no r left), so with u = "
                 "-1/theta0 = w/r, |T0 - expansion| <= C r^(m-2) u^m is |E(w)| <= C w^m, E = G - "
                 "P. On v in [0, 1], lower <= f <= upper (steps; polynomials, 1 + v^3 > 0), "
                 "hence for w in (0, 1] (theta0 <= -r) E lies in [E_lo, E_hi] = [T_inf - "
                 "int upper - P, T_inf - int lower - P] (monotonicity of the integral). The "
                 "steps C w^m - E_hi >= 0 and C w^m + E_lo >= 0 give |E| <= C w^m; the "
                 "instances C w^m - E_lo >= 0 and C w^m + E_hi >= 0 follow from the statement "
                 "(E_lo <= E <= E_hi), so their violation is a point where the remainder "
                 "exceeds C u^m. C is the proof's explicit constant: the bound on [0, 1] of "
                 "the bracket's remainder over w^m with the derived coefficients below w^m ("
                 + "; ".join(consts) + "). A wrong coefficient below u^m leaves a lower power "
                 "of w in E, which no constant bounds as w -> 0.",
                 lambda point, step: {}, (Positive("1 + v^3 > 0 (v >= 0)", 1 + v**3),))


# === fn2: the probability of three roots under U([-R, R])^2 =====================================
xb, Rb, cb, tb = sp.symbols("x R c t", positive=True)     # theta = R x; c = -K*; t^3 = d lam
ab, bb = sp.symbols("a_R b_R", positive=True)             # a = R/(2d), b = c/R
FN2_WHAT = ("P(three roots) under U([-R, R])^2 as a function of (d, lambda, R): monotone in R "
            "and lambda, 0 for small boxes and above any bound < 1 for large ones")


def _fn2_crossing(beta: sp.Expr) -> sp.Expr:
    """x0 = (1 - beta)/2: phi(x0) >= 2 gives P >= 1 - x0 = (1 + beta)/2 > beta."""
    return (1 - beta) / 2


def _fn2_to_point(point: PointQ, step: Step) -> dict[str, Any]:
    """A point of the claim's domain: d = lam = 1 (K* derived), R so large that a = R/2 and
    b = c/R are at least as far in the violating direction as the violating (a, b); for the
    lambda monotonicity, a box where P is strictly between 0 and 1."""
    one = {d: 1, lam: 1}
    c1 = _frac(-L.derived_sec41_threshold().subs(one))
    if "a_R" in point:
        R_ = max(2 * point["a_R"], c1 / point["b_R"])
        return {"d": Fraction(1), "lam": Fraction(1), "R": R_}
    return {"d": Fraction(1), "lam": Fraction(1), "R": Fraction(4)}


def fn2_proof(variant: str) -> Callable[[Statement], Proof]:
    """fn2 over the whole domain (module doc)."""
    return lambda statement: _fn2_proof(statement, variant)


def _fn2_proof(statement: Statement, variant: str) -> Proof:
    beta = sp.sympify(statement["bound"])
    s = int(statement["decreasing"])
    if not (beta.is_Rational and 0 < beta < 1):
        raise NotReducible(f"the bound {beta} is not a rational number in (0, 1)")
    kstar = L.derived_sec41_threshold()
    x0 = _fn2_crossing(beta)
    phi = (R_box * xb) ** 2 / (2 * d) + kstar + R_box      # the integrand's argument at theta
    r_lo = d * (-1 + sp.sqrt(1 + 2 * cb / d))
    r_hi = d / x0**2 * (1 + sp.sqrt(1 + 2 * cb * x0**2 / d))
    dk = sp.diff(kstar, lam)
    idents = [Identity("phi/R at theta = R x, K* = -c: a x^2 + 1 - b, a = R/(2d), b = c/R",
                       (phi / R_box).subs(kstar, -cb), R_box / (2 * d) * xb**2 + 1 - cb / R_box),
              Identity("dphi/dR = x^2/(2d) - K*/R^2 (at theta = R x)",
                       sp.diff(phi / R_box, R_box).subs(kstar, -cb),
                       xb**2 / (2 * d) + cb / R_box**2),
              Identity("dK*/dlam = -1/t at d lam = t^3", dk.subs(d, tb**3 / lam), -1 / tb),
              Identity("R_- = d (sqrt(1 + 2c/d) - 1): phi(x = 1) = 0, i.e. R + R^2/(2d) = c",
                       r_lo + r_lo**2 / (2 * d) - cb),
              Identity(f"R_+ = (d/x0^2)(1 + sqrt(1 + 2 c x0^2/d)), x0 = {x0}: phi(x0) = 2, "
                       "i.e. R^2 x0^2/(2d) - R - c = 0", r_hi**2 * x0**2 / (2 * d) - r_hi - cb)]
    pos = [Positive("c = -K* > 0 (the three-root threshold is negative)", -kstar)]
    steps = [Step(Goal("dphi/dR > 0: R^2 x^2 + 2 d c > 0 (P strictly increasing in R where "
                       "0 < P < 1)", sp.expand(Rb**2 * xb**2 + 2 * d * cb), (xb, Rb, d, cb),
                       box_of([(0, None)] * 4), strict=True, open=True)),
             Step(Goal("dphi/dx = 2 a x > 0 (phi increasing along [0, 1])", 2 * ab * xb,
                       (ab, xb), box_of([(0, None)] * 2), strict=True, open=True)),
             Step(Goal(f"decreasing * dK*/dlam > 0: {-s} t > 0 (decreasing = {s:+d})",
                       -s * tb, (tb,), box_of([(0, None)]), strict=True, open=True),
                  "instance", 1)]
    if statement["R_max"] == sp.oo:
        A = 8 / x0**2
        steps.insert(0, Step(Goal(
            f"P < {beta} for every box: phi(x0) < 2, i.e. 1 + b - a x0^2 > 0 (x0 = {x0}; "
            f"a in (0, {A}], b in (0, 1])", sp.expand(1 + bb - ab * x0**2), (ab, bb),
            box_of([(0, A), (0, 1)]), strict=True,
            admissible=lambda p: p["a_R"] > 0 and p["b_R"] > 0), "instance", 0))
        claim_text = (f"The statement P < {beta} for every d, lambda, R implies phi(x0) < 2 for "
                      "every a, b > 0 (else P >= 1 - x0 > bound): the instance.")
    else:
        claim_text = (f"Hence R_1/2 exists and is unique: P < {beta} iff R < R_1/2, and "
                      "R_- <= R_1/2 <= R_+ (explicit; the identities).")
    induction = (
        "P = (1/(4R^2)) int_{-R}^{R} clip(theta^2/(2d) + K* + R, 0, 2R) dtheta (the length of "
        "{theta2 < theta^2/(2d) + K*} in [-R, R]); with theta = R x and by symmetry P = (1/2) "
        "int_0^1 clip(phi, 0, 2) dx, phi = a x^2 + 1 - b, a = R/(2d), b = c/R, c = -K* > 0 "
        "(identities). phi is continuous, increasing in x, and strictly increasing in R "
        "(steps), so P is continuous and nondecreasing in R, strictly increasing wherever "
        "0 < P < 1 (then 0 < phi < 2 on an interval of x). phi(1) <= 0, i.e. P = 0, for R <= "
        "R_-; phi(x0) >= 2 for R >= R_+, and then P >= 1 - x0 = (1 + bound)/2 > bound (x0 = "
        "(1 - bound)/2); so P -> 1 as R -> oo (x0 -> 0). " + claim_text + " P decreases in "
        "lambda: phi depends on lambda through K* only, dK*/dlam = -1/(d lam)^(1/3) < 0, and "
        "the clip is nondecreasing (the instance with the stated direction).")
    return Proof("fn2", variant, tuple(idents), tuple(steps), induction, _fn2_to_point,
                 tuple(pos))


__all__ = ["sec41_proof", "eq107_proof", "eq114_proof", "alpha_proof", "SEC41_WHAT",
           "ORDER_WHAT", "ALPHA_WHAT", "eq113_proof",
           "EXPANSION_WHAT", "fn2_proof", "FN2_WHAT"]
