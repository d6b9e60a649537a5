"""Whole-domain proofs of forward Euler (Section 5.1, Appendix D.2): Lemma 28, Theorem 26 = 8,
Remark 29, Lemmas 30-32 and the corrected rate (188), for every ``d, lam > 0`` and every step up
to (145).

**The parameter.**  ``r = (2 d lam)^(1/3)`` does not scale out of (145) and of ``R``: a whole-domain
statement keeps one parameter in ``(0, oo)``.  It is taken to be ``S*`` itself: ``c = 2 d lam =
S*^3 - S*^2`` is a bijection of ``(1, oo)`` onto ``(0, oo)`` (``h(x) = x^3 - x^2`` increases on
``[1, oo)`` and is ``<= 0`` on ``[0, 1]``, proved), and it is compactified by ``m = 1/S*`` in
``(0, 1)``.  Lengths are scaled by ``S*`` (``x = S* xi``, ``S = x tau``), the step by a bound of
(145) (``eta = omega e_i``), and the Euler increment is ``a = eta P/2``: every inequality becomes a
polynomial (denominators cleared, each proved positive) on the box ``[0, 1]^n``, closed at
``m = 0`` (``S* = oo``), where the bisection needs no special case.

**Non-box constraints** (``R`` is not a box) are not imposed by the box; each proof step uses only
constraints that *are* box constraints in its variables, and a step that needs a consequence of
``R`` gets it from an earlier step: ``x <= S*`` on ``R`` (from ``P >= 0`` and ``S <= x``) and
``0 <= eta P/2 <= 1`` (from ``P <= max_R P``, the proof of ``thm8.step_size``, and the second
bound of (145)).  The argument from step to step (induction, monotone limits, closedness of
``R``) is the ``induction`` text of each certificate.

**Lemmas 30-32 and (188)** are about ``ell_inf = ell_{S_inf}``, known only as the limit of the
orbit.  They need no value of it: with ``r = ell_{S_0} <= ell_{S_t} <= ell_inf <= S*`` (``S_t``
increases, ``ell_S`` increases with ``S``, Remark 29) every constant is a function of lengths
ordered that way, and ``S_t = ell^2 - 2 d lam/ell`` on the curve ``P(ell, S) = 0``; so each
inequality is proved for *every* ordered tuple of lengths, with the ratios ``g = ell_inf/S*``,
``rho = r/ell_inf`` and ``ell = ell_inf (rho + (1 - rho) mu)`` in ``[0, 1]``.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Iterable

import sympy as sp

from ...branch_bound import Goal, PointQ, box_of
from ...certificates import Identity, NotReducible, Positive, Proof, Step
from ...engine import Statement
from ...model import symbols as Y
from . import formulas as F
from .domains import ETA_MAX_EULER, SHARES_PART

d, lam, eta, x, S, P, C = F.d, F.lam, F.eta, F.x, F.S, F.P, F.C
sig, ell, ell_inf, ell1 = F.Sstar, F.ell, F.ell_inf, sp.Symbol("ell_next", positive=True)
m, xi, tau, a, om = Y.m_inv, Y.xi_scaled, Y.tau_scaled, Y.a_incr, Y.omega_step
g, rho, mu, mu1 = Y.g_inf, Y.rho_scaled, Y.mu_scaled, Y.mu_next
r = F.r
p_, q_ = sp.symbols("p q", positive=True)           # x = 1 + p, S* = 1 + q (open orthant)

C_OF_SIGMA = sig**3 - sig**2                        # 2 d lam in terms of S*
LAM_OF_SIGMA = C_OF_SIGMA / (2 * d)
LAM_OF_R = r**3 / (2 * d)
X1 = F.PRINTED_EQ144.subs({x: 0, S: 0})            # x_1 = eta d lam
S1 = F.PRINTED_EQ160.subs({x: 0, S: 0})            # S_1 = (eta d lam)^2
P_OF_A = 2 * a / eta                               # P(x_t, S_t) in terms of the increment a
WHAT_EULER = ("every inequality of the proof on the whole domain (every d, lam > 0: S* "
              "compactified by m = 1/S*; every ordered tuple of lengths)")


# --- clearing denominators -------------------------------------------------------------------
def cleared(name: str, expr: sp.Expr, vars_: tuple[sp.Symbol, ...], *, role: str = "step",
            t: int | None = None, strict: bool = False,
            admissible: Callable[[PointQ], bool] | None = None,
            scale: Callable[[sp.Expr], sp.Expr] | None = None
            ) -> tuple[Identity, Positive | Step | None, Step]:
    """``expr >= 0`` on ``[0, 1]^n`` as a polynomial goal: ``expr = num/den`` (an identity),
    ``den > 0`` (SymPy for positive variables, else a strict goal on the open box ``(0, 1]^n``
    -- proved on the closed box, or a factor such as ``m`` vanishing only at its boundary),
    ``num >= 0`` on the closed box (so ``expr >= 0`` on the open box, where every variable is
    positive)."""
    if scale is not None:
        return _cleared_then_scaled(name, expr, vars_, role, t, strict, admissible, scale)
    num, den = sp.fraction(sp.cancel(sp.together(sp.sympify(expr))))
    num, den = sp.expand(num), sp.factor(den)
    extra = (num.free_symbols | den.free_symbols) - set(vars_)
    if extra:
        raise NotReducible(f"{name}: {num}/({den}) depends on "
                           f"{', '.join(map(str, extra))} after scaling")
    leading = sp.Poly(den, *vars_).LC() if den.free_symbols else den
    if leading < 0:                          # the sign goes to the numerator
        num, den = -num, -den
    ident = Identity(f"{name}: denominators cleared", expr, num / den)
    box = box_of([(0, 1)] * len(vars_))
    if den == 1:
        pos: Positive | Step | None = None
    elif den.is_positive is True:
        pos = Positive(f"{name}: the cleared denominator", den)
    else:
        # the factors that are not positive for positive variables must be > 0 on the box
        rest = sp.Mul(*[f**k for f, k in sp.factor_list(den)[1] if f.is_positive is not True])
        pos = Step(Goal(f"{name}: the cleared denominator {rest} > 0", sp.expand(rest), vars_,
                        box, strict=True))
    goal = Goal(name, num, vars_, box, strict, admissible)
    return ident, pos, Step(goal, role, t)


def _cleared_then_scaled(name, expr, vars_, role, t, strict, admissible, scale):
    """Denominators cleared in the paper's (positive) lengths first -- a product of lengths is
    positive by SymPy's assumptions -- then the numerator is scaled to the box variables."""
    num, den = sp.fraction(sp.cancel(sp.together(sp.sympify(expr))))
    den = sp.factor(den)
    if den.is_positive is not True:
        raise NotReducible(f"{name}: the denominator {den} is not positive")
    scaled = sp.expand(scale(sp.expand(num)))
    if scaled.free_symbols - set(vars_):
        raise NotReducible(f"{name}: {scaled} depends on "
                           f"{', '.join(map(str, scaled.free_symbols - set(vars_)))} after scaling")
    ident = Identity(f"{name}: denominators cleared", expr, num / den)
    pos = None if den == 1 else Positive(f"{name}: the cleared denominator", den)
    goal = Goal(name, scaled, vars_, box_of([(0, 1)] * len(vars_)), strict, admissible)
    return ident, pos, Step(goal, role, t)


class Chain:
    """The parts of a proof as they are built: identities, positivity facts, inequalities."""

    def __init__(self) -> None:
        self.identities: list[Identity] = []
        self.positives: list[Positive] = []
        self.steps: list[Step] = []

    def identity(self, name: str, lhs: sp.Expr, rhs: sp.Expr = sp.Integer(0)) -> None:
        self.identities.append(Identity(name, lhs, rhs))

    def positive(self, name: str, expr: sp.Expr) -> None:
        self.positives.append(Positive(name, expr))

    def goal(self, name: str, expr: sp.Expr, vars_: tuple[sp.Symbol, ...], **kw: Any) -> None:
        ident, pos, step = cleared(name, expr, vars_, **kw)
        if ident.rhs != ident.lhs:
            self.identities.append(ident)
        if isinstance(pos, Positive):
            self.positives.append(pos)
        elif pos is not None:
            self.steps.append(pos)
        self.steps.append(step)

    def open_goal(self, name: str, expr: sp.Expr, vars_: tuple[sp.Symbol, ...],
                  strict: bool = True) -> None:
        self.steps.append(Step(Goal(name, sp.expand(expr), vars_,
                                    box_of([(0, None)] * len(vars_)), strict, open=True)))

    def proof(self, claim: str, variant: str, induction: str,
              to_point: Callable[[PointQ, Step], dict[str, Any]]) -> Proof:
        return Proof(claim, variant, tuple(_unique(self.identities)), tuple(self.steps),
                     induction, to_point, tuple(_unique(self.positives)))


def _unique(items: Iterable[Any]) -> list[Any]:
    """The identities (positivity facts) of a chain, each once (the shared steps of Lemma 28
    are added by every proof that rests on them)."""
    seen, out = set(), []
    for it in items:
        k = (it.name,) + tuple(sp.srepr(getattr(it, f)) for f in ("lhs", "rhs", "expr")
                               if hasattr(it, f))
        if k not in seen:
            seen.add(k)
            out.append(it)
    return out


# --- the step bounds of (145) ----------------------------------------------------------------
def step_bounds(statement: Statement) -> tuple[sp.Expr, sp.Expr]:
    """The two bounds of (145) in terms of ``S*`` (``2 d lam = S*^3 - S*^2``), each multiplied by
    the largest share of the maximum the statement's domain draws (1 unless a probe beyond)."""
    bounds = statement["eta_max"] if "eta_max" in statement else ETA_MAX_EULER
    if len(bounds) != 2:
        raise NotReducible(f"(145) has two bounds, the statement {len(bounds)}")
    share = max([Fraction(1)] + [Fraction(s) for s in statement[SHARES_PART]]
                if SHARES_PART in statement else [Fraction(1)])
    out = []
    for b in bounds:
        e = sp.simplify(sp.sympify(b).subs(lam, LAM_OF_SIGMA) * sp.Rational(share))
        if e.free_symbols - {sig}:
            raise NotReducible(f"the bound {b} of (145) does not reduce to S*: {e}")
        out.append(e)
    return out[0], out[1]


def admissible_step(statement: Statement, which: int) -> Callable[[PointQ], bool]:
    """At an exact point ``(m, omega, ...)`` with ``eta = omega e_which``: ``0 < m``, ``0 < omega``
    and ``eta`` within *both* bounds (the goal's box only imposes one)."""
    e1, e2 = step_bounds(statement)

    def ok(p: PointQ) -> bool:
        mm, w = p.get("m", Fraction(1, 2)), p.get("omega", Fraction(1))
        if mm <= 0 or w <= 0 or mm >= 1:
            return False
        s = sp.Rational(mm.denominator, mm.numerator)
        b1, b2 = e1.subs(sig, s), e2.subs(sig, s)
        et = sp.Rational(w.numerator, w.denominator) * (b1, b2)[which]
        return bool(et <= b1 and et <= b2)
    return ok


def euler_point(p: PointQ, step: Step, statement: Statement) -> dict[str, Any]:
    """A violating ``(m, omega)`` (``eta = omega e_2``) -> a point of the claims' domain:
    ``S* = 1/m``, ``d = 1/2``, ``lam = 2 d lam = S*^3 - S*^2``, exact."""
    e2 = step_bounds(statement)[1]
    s = 1 / p["m"]
    c = s**3 - s**2
    et = sp.Rational(p["omega"].numerator, p["omega"].denominator) * e2.subs(
        sig, sp.Rational(s.numerator, s.denominator))
    out: dict[str, Any] = {"d": Fraction(1, 2), "lam": c,
                           "eta": Fraction(int(et.p), int(et.q))}
    if step.t is not None:
        out["t"] = step.t
    return out


# --- the chain of Lemma 28 (used by every later proof) --------------------------------------------
def _scaled(expr: sp.Expr, bound: sp.Expr | None = None) -> sp.Expr:
    """``expr`` with ``2 d lam = S*^3 - S*^2``, ``x = S* xi``, ``S = x tau``, ``eta = omega bound``
    and ``S* = 1/m``."""
    out = sp.sympify(expr).subs(lam, LAM_OF_SIGMA).subs(S, x * tau).subs(x, sig * xi)
    if bound is not None:
        out = out.subs(eta, om * bound)
    return out.subs(sig, 1 / m)


def parameter_steps(ch: Chain) -> None:
    """``S*`` parametrises ``2 d lam > 0`` bijectively (module doc)."""
    ch.identity("P(S*, S*) = 0 at 2 d lam = S*^3 - S*^2",
                F.PRINTED_SSTAR_EQ.subs(lam, LAM_OF_SIGMA).subs(x, sig))
    ch.open_goal("h'(S*) = 3 S*^2 - 2 S* > 0 for S* = 1 + q > 1 (h = x^3 - x^2 increases)",
                 sp.diff(C_OF_SIGMA, sig).subs(sig, 1 + q_), (q_,))
    ch.goal("h(x) = x^3 - x^2 <= 0 on [0, 1] (no positive root of P(x, x) below 1)",
            -(xi**3 - xi**2), (xi,))


def invariance_steps(ch: Chain, statement: Statement) -> None:
    """Lemma 28's step: (x, S) in R and eta within (145) => (x_{t+1}, S_{t+1}) in R."""
    e1, e2 = step_bounds(statement)
    parameter_steps(ch)
    # P <= max_R P on R (thm8.step_size), with S = x - gap
    gap = sp.Symbol("gap", positive=True)
    pmax = F.max_P_over_R()
    rest = sp.expand(pmax - C + x**3 - x**2)
    ch.identity("max_R P - P(x, x - gap) = x gap + (max_R P - 2 d lam + x^3 - x^2)",
                pmax - P.subs(S, x - gap), x * gap + rest)
    ch.open_goal("x gap >= 0 (S <= x on R)", x * gap, (x, gap), strict=False)
    ch.open_goal("max_R P - 2 d lam + x^3 - x^2 >= 0 (P on the diagonal)", rest, (x,),
                 strict=False)
    # x <= S* on R: 2 d lam - h(x) = P + x (x - S) >= 0 and h(x) - h(S*) = (x - S*) Q
    ch.identity("2 d lam - (x^3 - x^2) = P(x, S) + x (x - S)", C - x**3 + x**2, P + x * (x - S))
    Qx = sp.cancel((x**3 - x**2 - C_OF_SIGMA) / (x - sig))
    ch.identity("h(x) - h(S*) = (x - S*) Q(x, S*)", x**3 - x**2 - C_OF_SIGMA, (x - sig) * Qx)
    ch.open_goal("Q(x, S*) > 0 for x = 1 + p > 1, S* = 1 + q > 1 (so h(x) > h(S*) for x > S*)",
                 Qx.subs({x: 1 + p_, sig: 1 + q_}), (p_, q_))
    # 0 <= a = eta P/2 <= 1 under the second bound
    ch.goal("eta max_R P/2 <= 1 for eta <= the second bound of (145)",
            1 - _scaled(om * e2 * pmax / 2), (m, om))
    # S_{t+1} <= x_{t+1}
    A = eta * P / 2
    ch.identity("x_{t+1} - S_{t+1} = (x - S) + a (1 - a), a = eta P/2",
                F.PRINTED_EQ144 - F.PRINTED_EQ160, (x - S) + A * (1 - A))
    ch.goal("a (1 - a) >= 0 for a in [0, 1]", a * (1 - a), (a,))
    # P_{t+1} = P F, F >= 0 under the first bound
    ch.identity("P(x_{t+1}, S_{t+1}) = P(x, S) F (the derived factor (159'))",
                P.subs({x: F.PRINTED_EQ144, S: F.PRINTED_EQ160}, simultaneous=True),
                P * F.EULER_P_FACTOR.subs(F.P_t, P))
    ch.goal("F >= 0 on R (x <= S*, S <= x, a <= 1) for eta <= the first bound of (145)",
            _scaled(F.EULER_P_FACTOR.subs(F.P_t, P_OF_A), e1), (m, xi, tau, a, om))


def first_step_instance(ch: Chain, statement: Statement) -> None:
    """The statement at ``t = 1``: ``S_1 <= x_1`` (165), over ``eta <= e_2`` (a violation must be
    within both bounds: ``admissible``)."""
    e2 = step_bounds(statement)[1]
    ch.goal("x_1 - S_1 >= 0 (the statement at t = 1)", _scaled(X1 - S1, e2), (m, om),
            role="instance", t=1, admissible=admissible_step(statement, 1))


INDUCTION_28 = (
    "2 d lam = S*^3 - S*^2 with S* > 1 (h = x^3 - x^2 is <= 0 on [0, 1] and increases on "
    "[1, oo), so S* is the unique positive root of P(x, x)). (x_0, S_0) = (0, 0) is in R. If "
    "(x, S) = (x_t, S_t) is in R: then x <= S* (2 d lam - h(x) = P + x (x - S) >= 0, i.e. "
    "h(x) <= h(S*), and h(x) > h(S*) for x > S* >= 1); P <= max_R P, so a = eta P/2 is in "
    "[0, 1] under the second bound of (145); x_{t+1} = x + a >= 0, S_{t+1} = S + a^2 >= 0, "
    "x_{t+1} - S_{t+1} = (x - S) + a (1 - a) >= 0; and P(x_{t+1}, S_{t+1}) = P F >= 0, since "
    "F >= 0 for x/S* in [0, 1], S/x in [0, 1], a in [0, 1] under the first bound. So (x_t, S_t) "
    "is in R for every t (Lemma 28), and x_t, S_t are nondecreasing (a >= 0).")


def _point_fn(statement: Statement) -> Callable[[PointQ, Step], dict[str, Any]]:
    return lambda p, st: euler_point(p, st, statement)


def lem28_proof(statement: Statement) -> Proof:
    """Lemma 28 (161)-(172) over the whole domain."""
    ch = Chain()
    first_step_instance(ch, statement)
    invariance_steps(ch, statement)
    return ch.proof("lem28", "printed", INDUCTION_28, _point_fn(statement))


# --- Theorem 26 = 8 -------------------------------------------------------------------------------
def thm8_proof(statement: Statement) -> Proof:
    """Theorem 26: ``|x_t y_t - lam| <= (lam/q) q^t`` with the explicit
    ``q = 1 - eta (eta d lam)^2`` in ``(0, 1)``."""
    ch = Chain()
    e1, e2 = step_bounds(statement)
    invariance_steps(ch, statement)
    ch.identity("the stated limit is lam", statement["limit"], lam)
    ch.identity("lam - x y_t = P(x, S)/(2d) (143)", lam - x * F.PRINTED_EQ143_Y, P / (2 * d))
    ch.identity("(166): P(x_1, S_1) = 2 d lam", P.subs({x: X1, S: S1}, simultaneous=True), C)
    A = eta * P / 2
    ch.identity("x_{t+1}^2 - S_{t+1} = (x^2 - S) + 2 x a",
                F.PRINTED_EQ144**2 - F.PRINTED_EQ160, (x**2 - S) + 2 * x * A)
    ch.identity("1 - eta x^2 - F = (eta/2)(x^2 - S) + eta x a",
                1 - eta * x**2 - F.EULER_P_FACTOR.subs(F.P_t, P), eta / 2 * (x**2 - S) + eta * x * A)
    ch.goal("eta <= 1/6 under the first bound of (145)", sp.Rational(1, 6) - _scaled(e1), (m,))
    ch.goal("eta d lam <= 1 under the second bound of (145)", 1 - _scaled(om * e2 * C / 2),
            (m, om))
    return ch.proof("thm8", "printed", INDUCTION_28 + " " + (
        "Moreover S_t <= x_t^2 for every t (S_0 = x_0 = 0; x_{t+1}^2 - S_{t+1} = (x^2 - S) + "
        "2 x a >= 0), so 0 <= F <= 1 - eta x_t^2 ((eta/2)(x^2 - S) + eta x a >= 0) <= 1 - eta "
        "x_1^2 = q for t >= 1 (x_t >= x_1 = eta d lam), with q = 1 - eta (eta d lam)^2 in "
        "[5/6, 1) (eta <= 1/6, eta d lam <= 1). P_1 = 2 d lam (166) and P_{t+1} = P_t F_t, so "
        "0 <= lam - x_t y_t = P_t/(2d) <= lam q^(t-1) for t >= 1, and = lam at t = 0: "
        "|x_t y_t - lam| <= (lam/q) q^t for every t, and x_t y_t -> lam, the stated limit."),
        _point_fn(statement))


# --- where the iterates converge (thm8.limit) ----------------------------------------------------
def thm8_limit_proof(statement: Statement) -> Proof:
    """``r < ell_inf <= r + eta r^2 S*/4``: the Euler limit exceeds the flow's ``r`` by at most
    an explicit ``O(eta)``."""
    ch = Chain()
    invariance_steps(ch, statement)
    ell_steps(ch)
    A = eta * P / 2
    ch.identity("x_{t+1}^2 - S_{t+1} = (x^2 - S) + 2 x a",
                F.PRINTED_EQ144**2 - F.PRINTED_EQ160, (x**2 - S) + 2 * x * A)
    ch.identity("1 - F = (eta/2)(3 x^2 - S) + eta x a (so F <= 1 where S <= x^2)",
                1 - F.EULER_P_FACTOR.subs(F.P_t, P), eta / 2 * (3 * x**2 - S) + eta * x * A)
    ch.identity("a_0 = eta P(0, 0)/2 = eta d lam", A.subs({x: 0, S: 0}), eta * d * lam)
    ch.positive("S_1 = (eta d lam)^2 > 0", S1)
    slope = 1 / (2 * ell) - ell / (2 * ell**2 + C / ell)
    ch.positive("1/(2 ell) - d ell_S/dS > 0: the slope of ell_S is below 1/(2 ell) <= 1/(2 r)",
                sp.factor(sp.cancel(slope)))
    ch.identity("(eta d lam) S*/(2 r) = eta r^2 S*/4 at 2 d lam = r^3",
                (eta * d * lam * sig / (2 * r)).subs(lam, LAM_OF_R), eta * r**2 * sig / 4)
    return ch.proof("thm8.limit", "printed", INDUCTION_28 + " " + INDUCTION_LIMIT + (
        " S_t <= x_t^2 for every t (x_{t+1}^2 - S_{t+1} = (x^2 - S) + 2 x a), so 0 <= F <= 1 and "
        "P_t, hence a_t = eta P_t/2, is nonincreasing: a_t <= a_0 = eta d lam. Lower: S_inf >= "
        "S_1 > 0 and ell_S increases strictly, so ell_inf > ell_0 = r. Upper: S_inf = sum_t "
        "a_t^2 <= a_0 sum_t a_t = a_0 x_inf <= eta d lam S*; d ell_S/dS < 1/(2 ell_S) <= 1/(2 r) "
        "(ell_S >= r), so ell_inf - r <= S_inf/(2 r) <= eta d lam S*/(2 r) = eta r^2 S*/4: the "
        "excess over the flow's limit r is O(eta), uniformly in (d, lam) with S* bounded."),
        _point_fn(statement))


# --- Remark 29 ------------------------------------------------------------------------------------
INDUCTION_LIMIT = (
    "x_t and S_t are nondecreasing and bounded (x_t <= S*, S_t <= x_t), so they converge to "
    "x_inf and S_inf; R is closed, so (x_inf, S_inf) is in R; P(x_t, S_t) -> 0 (Theorem 26, "
    "proved with this chain) and P is continuous, so P(x_inf, S_inf) = 0: x_inf = ell_inf, the "
    "positive root of P(., S_inf), which is unique (P(0, S) = 2 d lam > 0 and P(., S) is "
    "concave on [0, oo)), and ell_inf = x_inf <= S* as for every point of R.")


def rem29_proof(statement: Statement) -> Proof:
    """Remark 29: ``ell_inf <= upper`` (``S*``)."""
    ch = Chain()
    invariance_steps(ch, statement)
    ch.goal("S* <= the stated upper bound", _scaled(statement["upper"] - sig), (m,))
    ch.identity("P(x_1, S_1) = 2 d lam (166)", P.subs({x: X1, S: S1}, simultaneous=True), C)
    return ch.proof("rem29", "printed", INDUCTION_28 + " " + INDUCTION_LIMIT,
                    _point_fn(statement))


# --- Lemmas 30-32, (188): ordered lengths r <= ell <= ell_inf <= S* -------------------------------
K_SCALE = sp.Symbol("k", positive=True)


def homogeneous(ch: Chain, name: str, expr: sp.Expr, lengths: tuple[sp.Symbol, ...],
                degree: int) -> None:
    """The identity ``expr(k lengths) = k^degree expr(lengths)``, which lets a proof set one
    length to 1."""
    scaled = sp.sympify(expr).subs({v: K_SCALE * v for v in lengths}, simultaneous=True)
    ch.identity(f"{name} is homogeneous of degree {degree} in ({', '.join(map(str, lengths))})",
                scaled, K_SCALE**degree * expr)


def scale_lengths(expr: sp.Expr, top: sp.Symbol) -> sp.Expr:
    """Ordered lengths ``r <= ell_t, ell_{t+1} <= ell_inf <= S*`` and ``x_t <= ell_t`` in box
    variables, with the largest length of the statement (``top``: ``ell_inf`` or ``S*``) set to
    1: ``ell_inf = L`` (1, or ``g`` when ``top = S*``), ``r = L rho``,
    ``ell = L (rho + (1 - rho) mu)``, ``x = ell xi``."""
    L = sp.Integer(1) if top == ell_inf else g
    out = sp.sympify(expr).subs(x, ell * xi)
    out = out.subs({ell: L * (rho + (1 - rho) * mu), ell1: L * (rho + (1 - rho) * mu1)},
                   simultaneous=True)
    return sp.expand(out.subs(r, L * rho).subs({ell_inf: L, sig: 1}))


def lengths_goal(ch: Chain, name: str, expr: sp.Expr, lengths: tuple[sp.Symbol, ...],
                 degree: int, vars_: tuple[sp.Symbol, ...], top: sp.Symbol = ell_inf,
                 **kw: Any) -> None:
    """``expr >= 0`` for every ordered tuple of lengths (at ``2 d lam = r^3``): homogeneity
    (an identity), denominators cleared in the lengths (a product of lengths is positive),
    then the numerator in the box variables of :func:`scale_lengths`."""
    e = sp.sympify(expr).subs(lam, LAM_OF_R)
    homogeneous(ch, name, e, lengths, degree)
    ch.goal(name, e, vars_, scale=lambda num: scale_lengths(num, top), **kw)


def ell_steps(ch: Chain) -> None:
    """ell_S: the positive root of P(., S); ell^2 - S = 2 d lam/ell (180); ell_S increases."""
    S_on = (ell**3 - C) / ell
    ch.identity("(180): ell^2 - S = 2 d lam/ell on P(ell, S) = 0", ell**2 - S_on - C / ell)
    Pe = C - x**3 + S * x
    dl = -(sp.diff(Pe, S) / sp.diff(Pe, x)).subs(x, ell).subs(S, S_on)
    ch.identity("d ell_S/dS = ell/(2 ell^2 + 2 d lam/ell)", dl, ell / (2 * ell**2 + C / ell))
    ch.positive("2 ell^2 + 2 d lam/ell > 0: ell_S increases with S", 2 * ell**2 + C / ell)
    ch.identity("r = (2 d lam)^(1/3) at 2 d lam = r^3", F.R_OF.subs(lam, LAM_OF_R), r)


INDUCTION_ORDER = (
    "S_t increases from S_0 = 0 to S_inf (S_{t+1} - S_t = a^2 >= 0) and ell_S increases with S, "
    "so r = ell_{S_0} <= ell_t = ell_{S_t} <= ell_{S_{t+1}} <= ell_inf <= S* (Remark 29); "
    "P(x_t, S_t) >= 0 (Lemma 28) means x_t <= ell_t; and S_t = ell_t^2 - 2 d lam/ell_t (180). "
    "Every inequality below is homogeneous in the lengths (ell_inf = 1) and holds for every "
    "such ordered tuple: r = rho, ell_t = rho + (1 - rho) mu, ell_{t+1} = rho + (1 - rho) mu', "
    "x_t = ell_t xi, with rho, mu, mu', xi in [0, 1].")


def lem30_proof(statement: Statement) -> Proof:
    """Lemma 30 (178)-(180): lower <= ell_t^2 - S_t = 2 d lam/ell_t <= upper."""
    ch = Chain()
    invariance_steps(ch, statement)
    ell_steps(ch)
    lengths = (r, ell, ell_inf)
    lengths_goal(ch, "the stated lower bound <= 2 d lam/ell_t", C / ell - statement["lower"],
                 lengths, 2, (rho, mu))
    lengths_goal(ch, "2 d lam/ell_t <= the stated upper bound", statement["upper"] - C / ell,
                 lengths, 2, (rho, mu))
    lengths_goal(ch, "the statement at t = 0: ell_0^2 - S_0 = r^2 <= the stated upper bound",
                 statement["upper"] - r**2, lengths, 2, (rho,), role="instance", t=0)
    return ch.proof("lem30", "printed", INDUCTION_28 + " " + INDUCTION_LIMIT + " " +
                    INDUCTION_ORDER, _lengths_point(statement))


def _lengths_point(statement: Statement) -> Callable[[PointQ, Step], dict[str, Any]]:
    """A violated instance at t = 0 (any admissible step): ``r = 1`` (d = 1/2, lam = 1) and
    ``eta = 1/100`` (below both bounds of (145) at 2 d lam = 1)."""
    def f(p: PointQ, step: Step) -> dict[str, Any]:
        return {"d": Fraction(1, 2), "lam": Fraction(1), "eta": Fraction(1, 100),
                "t": step.t if step.t is not None else 0}
    return f


def _gap_identities(ch: Chain) -> sp.Expr:
    """P = (ell - x) B at ``2 d lam = ell^3 - ell S`` and x_{t+1} - x_t = (eta/2) P; returns B."""
    B = ell**2 + ell * x + x**2 - S
    ch.identity("P(x, S) = (ell - x)(ell^2 + ell x + x^2 - S) at 2 d lam = ell^3 - ell S",
                P.subs(lam, (ell**3 - ell * S) / (2 * d)), (ell - x) * B)
    ch.identity("x_{t+1} - x_t = (eta/2) P", F.PRINTED_EQ144 - x, eta / 2 * P)
    return B


def lem31_proof(statement: Statement) -> Proof:
    """Lemma 31 (181)-(182): x_{t+1} - x_t = (eta/2)(ell - x) B <= eta M (ell - x), i.e.
    ``B <= 2 M`` with ``B = ell^2 + ell x + x^2 - S``; lengths scaled by ``S*``."""
    ch = Chain()
    invariance_steps(ch, statement)
    ell_steps(ch)
    B = _gap_identities(ch).subs(S, ell**2 - C / ell)
    lengths_goal(ch, "B = ell^2 + ell x + x^2 - S <= 2 M", 2 * statement["M"] - B,
                 (sig, ell_inf, ell, x, r), 2, (g, rho, mu, xi), top=sig)
    return ch.proof("lem31", "printed", INDUCTION_28 + " " + INDUCTION_LIMIT + " " +
                    INDUCTION_ORDER + " Here the largest length is S* (ell_inf = g S*, g in "
                    "[0, 1]); then x_{t+1} - x_t = (eta/2)(ell_t - x_t) B <= eta M (ell_t - x_t).",
                    _lengths_point(statement))


def lem32_proof(statement: Statement) -> Proof:
    """Lemma 32 (183)-(186): (ell' - ell) D = ell (S' - S) = ell (x' - x)^2 with
    ``D = ell'^2 + ell' ell + ell^2 - S' = 2 d lam/ell' + ell' ell + ell^2``, so the lemma is
    ``ell <= C_inf D``."""
    ch = Chain()
    invariance_steps(ch, statement)
    ell_steps(ch)
    S0, S1_ = (ell**3 - C) / ell, (ell1**3 - C) / ell1
    D = ell1**2 + ell1 * ell + ell**2 - S1_
    ch.identity("(184)-(185): (ell' - ell) D - ell (S' - S) = 0 on the curves P = 0",
                (ell1 - ell) * D - ell * (S1_ - S0))
    ch.identity("S_{t+1} - S_t = (x_{t+1} - x_t)^2 (160)",
                F.PRINTED_EQ160 - S, (F.PRINTED_EQ144 - x) ** 2)
    lengths_goal(ch, "ell_t <= C_inf D", statement["C_inf"] * D - ell,
                 (ell_inf, ell, ell1, r), 1, (rho, mu, mu1))
    return ch.proof("lem32", "printed", INDUCTION_28 + " " + INDUCTION_LIMIT + " " +
                    INDUCTION_ORDER + " D > 0, so ell_{t+1} - ell_t = ell_t (x_{t+1} - x_t)^2/D "
                    "<= C_inf (x_{t+1} - x_t)^2.", _lengths_point(statement))


def eq188_proof(statement: Statement) -> Proof:
    """The corrected (188): ``ell_t - x_t <= const rate^t``.  ``gap' = gap B1 + B2`` with
    ``B1 = 1 - (eta/2) B <= 1 - eta d lam/ell_inf`` and ``B2 = ell' - ell <= C_inf (eta M gap)^2
    <= eta^2 ell_inf M^2 C_inf gap`` (Lemmas 31, 32 with their proved constants); the stated
    rate must dominate ``1 - eta d lam/ell_inf + eta^2 ell_inf M^2 C_inf`` and be >= 0, the
    constant must be >= ``gap_0 = r``."""
    ch = Chain()
    e1, _ = step_bounds(statement)
    invariance_steps(ch, statement)
    ell_steps(ch)
    b = statement["bound"]
    B = _gap_identities(ch)
    ch.identity("(175): ell' - x_{t+1} = (ell - x)(1 - (eta/2) B) + (ell' - ell)",
                ell1 - (x + eta / 2 * (ell - x) * B), (ell - x) * (1 - eta / 2 * B) + (ell1 - ell))
    lengths_goal(ch, "(176) corrected: B >= 2 d lam/ell_inf", B.subs(S, ell**2 - C / ell)
                 - C / ell_inf, (ell_inf, ell, x, r), 2, (rho, mu, xi))
    derived = 1 - eta * d * lam / ell_inf + eta**2 * ell_inf * F.PRINTED_M**2 * F.PRINTED_C_INF
    ch.positive("the stated rate >= 1 - eta d lam/ell_inf + eta^2 ell_inf M^2 C_inf "
                "(Lemmas 31-32), at 2 d lam = r^3 (a rational function: its key is canonical)",
                sp.cancel(sp.together((b.rate - derived).subs(lam, LAM_OF_R))))
    # the rate is >= 0: 1 - eta d lam/ell_inf >= 1 - eta r^2/2 >= 1 - eta S*^2/2 >= 0
    ch.goal("eta S*^2/2 <= 1 under the first bound of (145)", 1 - _scaled(e1 * sig**2 / 2), (m,))
    lengths_goal(ch, "the statement at t = 0: ell_0 - x_0 = r <= the stated constant",
                 b.const - r, (r,), 1, (rho,), role="instance", t=0)
    return ch.proof("eq188", "corrected", INDUCTION_28 + " " + INDUCTION_LIMIT + " " +
                    INDUCTION_ORDER + (
                        " gap_t = ell_t - x_t >= 0 and gap_t <= ell_inf. gap_{t+1} = gap_t B1 + "
                        "B2 (175) with B1 = 1 - (eta/2) B <= 1 - eta d lam/ell_inf and B2 = "
                        "ell_{t+1} - ell_t <= C_inf (x_{t+1} - x_t)^2 <= C_inf eta^2 M^2 gap_t^2 "
                        "<= eta^2 ell_inf M^2 C_inf gap_t (Lemmas 32, 31). So gap_{t+1} <= "
                        "rate gap_t, with rate >= 1 - eta r^2/2 >= 0 (ell_inf >= r, r <= S*); "
                        "gap_0 = r <= const: gap_t <= const rate^t."),
                    _lengths_point(statement))


__all__ = ["WHAT_EULER", "lem28_proof", "thm8_proof", "thm8_limit_proof", "rem29_proof",
           "lem30_proof", "lem31_proof", "lem32_proof", "eq188_proof", "step_bounds", "cleared"]
