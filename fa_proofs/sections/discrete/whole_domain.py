"""Whole-domain proofs of the Section 5 / Appendix D statements: the midpoint schemes (D.1),
Lemma 27 and the bound ``P <= max_R P`` of (145) for forward Euler (D.2).

**Reductions** (each an :class:`~fa_proofs.certificates.Identity` proved by SymPy in every
certificate, derived here from the maps of :mod:`.formulas`, never retyped):

* two layers, (119): with ``lam = r^3/(2d)``, ``eta = 2u/r^2`` and ``x = r (1 - s)``, the map
  sends ``s`` to ``s phi(s, u)`` with ``phi = 1 - u (3 - 3s + s^2)`` (the scaled
  :data:`~.formulas.MIDPOINT_DEFECT_FACTOR`); the step bound (120) is ``u <= 1/3``; the product
  error is ``lam - x_t y_t = lam (1 - (1 - s_t)^3)`` (Lemma 19);
* ``L`` layers, (137): with ``lam = K r^gamma``, ``eta = v/(d_1 K r^(gamma-1))`` and
  ``theta_1 = r (1 - s)``, the map sends ``s`` to ``s phi_gamma(s, v)``,
  ``phi_gamma = 1 - v sum_{j<gamma} (1 - s)^j``; Theorem 10's bound is ``v <= 1/gamma``; the
  product error is ``lam (1 - (1 - s)^gamma)``.  The claims' domain has ``L = 2..6``
  (``gamma = 3, 7, 15, 31, 63``): one proof per ``L``.

So (d, lam, eta) enter only through ``u`` (or ``v``): each statement becomes finitely many
polynomial inequalities in ``(s, u)`` on the compact box ``[0, 1] x [0, u_max]``, with the
statement's constant and rate reduced the same way (a statement that does not reduce to ``u``
alone is reported, not proved).

**The induction** (one-step contraction, positivity): ``s_0 = 1``; if ``s_t`` is in ``[0, 1]``
then ``s_{t+1} = s_t phi(s_t)`` is in ``[0, 1]`` (``0 <= phi <= 1``) and
``s_{t+1} <= q s_t`` (``phi <= q``), so ``s_t <= q^t`` for every ``t``.  The product error
follows from ``E(s) <= c s`` (the scaled (127)/(139)).  The statement at ``t = 0`` and ``t = 1``
is also proved over the whole domain as an *instance*: a wrong constant or rate fails there with a
certified point that is a counterexample to the statement itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Mapping

import sympy as sp

from ...branch_bound import Goal, PointQ, box_of
from ...certificates import Identity, NotReducible, Positive, Proof, Step, whole_domain
from ...engine import Statement
from ...model.symbols import s_scaled as s
from ...model.symbols import u_step as u
from ...model.symbols import v_step as v
from . import formulas as F

d, lam, eta, r, x, e, K, d1, gamma = F.d, F.lam, F.eta, F.r, F.x, F.e, F.K, F.d1, F.gamma
LAYERS = (2, 3, 4, 5, 6)          # the L of the claims' domain (LAYERED)


def _simplify(expr: sp.Expr) -> sp.Expr:
    """A rational expression is expanded and cancelled (fast, also at degree 63); anything else
    (roots such as (K lam^(gamma-1))^(1/gamma)) is denested and simplified."""
    ex = sp.expand(sp.sympify(expr))
    if all(a.is_Rational or a.is_Symbol or a.is_Add or a.is_Mul or
           (a.is_Pow and a.exp.is_Integer) for a in sp.preorder_traversal(ex)):
        return sp.expand(sp.cancel(ex))
    return sp.simplify(sp.powdenest(ex))


@dataclass(frozen=True)
class Scheme:
    """A one-dimensional scheme in scaled coordinates (module doc)."""

    label: str
    w: sp.Symbol                     # the scaled step: u or v
    subs: tuple[tuple[sp.Symbol, sp.Expr], ...]   # applied in order to a statement's part
    phi: sp.Expr                     # s_{t+1} = s_t phi(s_t, w)
    error: sp.Expr                   # (lam - product)/lam as a function of s
    identities: tuple[Identity, ...]
    eta_scale: sp.Expr               # w = eta * eta_scale
    gamma: int
    to_point: Callable[[Fraction, int | None], dict[str, Any]]

    def reduce(self, expr: Any, what: str) -> sp.Expr:
        """A statement's part in scaled coordinates; it must depend on ``w`` only."""
        out = sp.sympify(expr).subs(gamma, self.gamma)
        for a, b in self.subs:
            out = out.subs(a, b)
        out = _simplify(out)
        extra = out.free_symbols - {self.w}
        if extra:
            raise NotReducible(f"{what} = {out} depends on {', '.join(map(str, extra))} after "
                               f"the scaling of {self.label}: it does not reduce to {self.w}")
        return out

    def w_max(self, statement: Statement) -> sp.Rational:
        m = self.reduce(statement["eta_max"] * self.eta_scale, "the step bound")
        if not m.is_Rational or m <= 0:
            raise NotReducible(f"the step bound reduces to {self.w} <= {m}, not a positive "
                               "rational")
        return m


@lru_cache(maxsize=None)
def midpoint_scheme() -> Scheme:
    """The two-layer map (119) in scaled coordinates (module doc), with its reduction proofs."""
    subs = ((lam, r**3 / (2 * d)), (eta, 2 * u / r**2))
    mapped = F.PRINTED_EQ119.subs(x, r * (1 - s))
    for a, b in subs:
        mapped = mapped.subs(a, b)
    mapped = _simplify(mapped)
    phi = sp.expand(sp.cancel((r - mapped) / (r * s)))
    if phi.free_symbols - {s, u}:
        raise NotReducible(f"(119) does not reduce to (s, u): {phi}")
    defect = F.MIDPOINT_DEFECT_FACTOR.subs(e, r * s)
    for a, b in subs:
        defect = defect.subs(a, b)
    error = 1 - (1 - s) ** 3
    prod_err = (lam - x * F.PRINTED_LEM19_Y).subs(x, r * (1 - s))
    for a, b in subs:
        prod_err = prod_err.subs(a, b)
    idents = (
        Identity("(119) scaled: f(r (1 - s)) = r (1 - s phi(s, u))", mapped, r * (1 - s * phi)),
        Identity("(126): the derived defect factor is phi", defect, phi),
        Identity("Lemma 19: lam - x y = lam (1 - (1 - s)^3)", prod_err,
                 r**3 / (2 * d) * error),
        Identity("r = (2 d lam)^(1/3) at lam = r^3/(2d)", F.R_OF.subs(lam, r**3 / (2 * d)), r))

    def to_point(w: Fraction, t: int | None) -> dict[str, Any]:
        p: dict[str, Any] = {"d": Fraction(1, 2), "lam": Fraction(1), "eta": 2 * w}  # r = 1
        if t is not None:
            p["t"] = t
        return p
    return Scheme("(119)", u, subs, phi, error, idents, r**2 / 2, 3, to_point)


@lru_cache(maxsize=None)
def layered_scheme(L: int) -> Scheme:
    """The L-layer map (137) in scaled coordinates (module doc)."""
    g = 2**L - 1
    subs = ((lam, K * r**g), (eta, v / (d1 * K * r**(g - 1))))
    mapped = F.PRINTED_EQ137.subs(gamma, g).subs(x, r * (1 - s))
    for a, b in subs:
        mapped = mapped.subs(a, b)
    mapped = _simplify(mapped)
    phi = sp.expand(sp.cancel((r - mapped) / (r * s)))
    if phi.free_symbols - {s, v}:
        raise NotReducible(f"(137) does not reduce to (s, v): {phi}")
    defect = F.layered_defect_factor(g).subs(e, r * s)
    for a, b in subs:
        defect = defect.subs(a, b)
    error = 1 - (1 - s) ** g
    prod_err = F.layered_product_error(g).subs(e, r * s)
    idents = (
        Identity(f"(137) scaled, L = {L}: f(r (1 - s)) = r (1 - s phi(s, v))", mapped,
                 r * (1 - s * phi)),
        Identity(f"(138), L = {L}: the derived defect factor is phi", _simplify(defect), phi),
        Identity(f"L = {L}: lam - K theta^gamma = lam (1 - (1 - s)^gamma)", prod_err,
                 K * r**g * error),
        Identity(f"L = {L}: phi = 1 - v sum_(j<gamma) (1 - s)^j", phi,
                 1 - v * sum((1 - s) ** j for j in range(g))))
    Kval = F.layered_K(L)
    Kval = Kval.subs({sym: 1 for sym in Kval.free_symbols})      # d_l = 1

    def to_point(w: Fraction, t: int | None) -> dict[str, Any]:
        kq = Fraction(int(sp.Rational(Kval).p), int(sp.Rational(Kval).q))
        p: dict[str, Any] = {"L": L, **{f"d{i}": Fraction(1) for i in range(1, L)},
                             "lam": kq, "eta": w / kq}                       # r = 1
        if t is not None:
            p["t"] = t
        return p
    return Scheme(f"(137), L = {L}", v, subs, phi, error, idents, d1 * K * r**(g - 1), g,
                  to_point)


# --- the proofs -------------------------------------------------------------------------------------
def _admissible(w: sp.Symbol) -> Callable[[PointQ], bool]:
    return lambda p: p.get(w.name, Fraction(1)) > 0        # eta > 0: the box is closed at 0


def _goal(name: str, expr: sp.Expr, sc: Scheme, wmax: sp.Rational, with_s: bool = True) -> Goal:
    vars_ = (s, sc.w) if with_s else (sc.w,)
    box = box_of([(0, 1), (0, wmax)] if with_s else [(0, wmax)])
    return Goal(f"{name} [{sc.label}]", sp.expand(expr), vars_, box,
                admissible=_admissible(sc.w))


def _orbit_steps(sc: Scheme, wmax: sp.Rational) -> list[Step]:
    return [Step(_goal("the factor is >= 0 (s_t >= 0)", sc.phi, sc, wmax)),
            Step(_goal("the factor is <= 1 (s_t <= 1, Lemma 21/25)", 1 - sc.phi, sc, wmax))]


INDUCTION_DEFECT = (
    "s_0 = 1 (x_0 = 0). If 0 <= s_t <= 1, then s_{t+1} = s_t phi(s_t, w) lies in [0, 1] "
    "(0 <= phi <= 1) and s_{t+1} <= q s_t (phi <= q, s_t >= 0); hence 0 <= s_t <= q^t <= c q^t "
    "(c >= 1) for every t, i.e. |x_t - r| = r s_t <= (r c) q^t.")
INDUCTION_ERROR = (
    "As for the defect, 0 <= s_t <= q^t for every t (s_0 = 1, 0 <= phi <= 1, phi <= q). The "
    "product error is lam E(s_t) with 0 <= E(s) <= c s on [0, 1], so "
    "|prod_t - lam| = lam E(s_t) <= lam c s_t <= (lam c) q^t.")


def contraction_proof(claim: str, variant: str, sc: Scheme, statement: Statement,
                      quantity: str) -> list[Step]:
    """The steps of 'quantity_t <= const rate^t' (quantity 'defect': |x_t - r|, normalised by r;
    'error': |prod_t - lam|, normalised by lam) for one scheme."""
    b = statement["bound"]
    wmax = sc.w_max(statement)
    norm = r if quantity == "defect" else lam
    c = sc.reduce(b.const / norm, "the constant / " + str(norm))
    q = sc.reduce(b.rate, "the rate")
    E = s if quantity == "defect" else sc.error
    s1 = sc.phi.subs(s, 1)                       # s_1 = s_0 phi(s_0) with s_0 = 1
    steps = [Step(_goal("the statement at t = 0", c - E.subs(s, 1), sc, wmax, False),
                  "instance", 0),
             Step(_goal("the statement at t = 1", c * q - E.subs(s, s1), sc, wmax, False),
                  "instance", 1)]
    steps += _orbit_steps(sc, wmax)
    steps.append(Step(_goal("one-step contraction: phi <= rate", q - sc.phi, sc, wmax)))
    if quantity == "error":
        steps.append(Step(_goal("the error is >= 0 on [0, 1]", E, sc, wmax)))
        steps.append(Step(_goal("the error against the defect: E(s) <= c s", c * s - E, sc,
                                wmax)))
    return steps


def _to_point(schemes: Mapping[str, Scheme]) -> Callable[[PointQ, Step], dict[str, Any]]:
    def f(point: PointQ, step: Step) -> dict[str, Any]:
        label = step.goal.name.rsplit("[", 1)[1].rstrip("]")
        sc = schemes[label]
        return sc.to_point(point[sc.w.name], step.t)
    return f


def _schemes(layered: bool) -> list[Scheme]:
    return [layered_scheme(L) for L in LAYERS] if layered else [midpoint_scheme()]


def bound_proof(claim: str, variant: str, quantity: str, layered: bool
                ) -> Callable[[Statement], Proof]:
    """The whole-domain proof of a geometric bound (thm9, eq126, eq138, thm10)."""
    def build(statement: Statement) -> Proof:
        scs = _schemes(layered)
        steps = [st for sc in scs for st in contraction_proof(claim, variant, sc, statement,
                                                               quantity)]
        return Proof(claim, variant, tuple(i for sc in scs for i in sc.identities), tuple(steps),
                     INDUCTION_DEFECT if quantity == "defect" else INDUCTION_ERROR,
                     _to_point({sc.label: sc for sc in scs}))
    return build


def monotone_proof(claim: str, layered: bool) -> Callable[[Statement], Proof]:
    """Lemma 21 / Lemma 25: 0 <= x_t <= upper r and x_t <= x_{t+1}."""
    def build(statement: Statement) -> Proof:
        steps = []
        scs = _schemes(layered)
        for sc in scs:
            wmax = sc.w_max(statement)
            steps += _orbit_steps(sc, wmax)
            steps.append(Step(_goal("increasing: x_{t+1} - x_t = r s (1 - phi) >= 0",
                                    s * (1 - sc.phi), sc, wmax)))
            steps.append(Step(_goal("bounded: upper - x/r = upper - (1 - s) >= 0",
                                    sp.Rational(statement["upper"]) - (1 - s), sc, wmax)))
        return Proof(claim, "printed", tuple(i for sc in scs for i in sc.identities),
                     tuple(steps),
                     "s_0 = 1. If 0 <= s_t <= 1 then s_{t+1} = s_t phi lies in [0, 1] "
                     "(0 <= phi <= 1): 0 <= x_t <= r for every t; x_{t+1} - x_t = r s_t "
                     "(1 - phi) >= 0; and x_t = r (1 - s_t) <= upper r.",
                     _to_point({sc.label: sc for sc in scs}))
    return build


def lem20_proof(statement: Statement) -> Proof:
    """Lemma 20: f maps [0, r] into [0, r] for eta up to the bound (120), i.e. for every
    (s, u) in [0, 1] x [0, u_max]: f/r = (1 - s) + u (1 - (1 - s)^3) >= 0 and
    1 - f/r = s phi >= 0."""
    sc = midpoint_scheme()
    wmax = sc.w_max(statement)
    steps = (Step(_goal("f(x) >= 0", 1 - s * sc.phi, sc, wmax), "instance"),
             Step(_goal("f(x) <= r", s * sc.phi, sc, wmax), "instance"))
    return Proof("lem20", "printed", sc.identities, steps,
                 "x = r (1 - s) ranges over [0, r] as s ranges over [0, 1], and f(x) = "
                 "r (1 - s phi(s, u)).", _to_point({sc.label: sc}))


def product_factor_proof(claim: str, layered: bool) -> Callable[[Statement], Proof]:
    """(127) / (139): |prod - lam| <= factor |x - r| on [0, r], i.e. 0 <= E(s) <= k s with
    k = factor r/lam reduced to the scaled step."""
    part = "const" if layered else "factor"

    def build(statement: Statement) -> Proof:
        steps = []
        scs = _schemes(layered)
        for sc in scs:
            wmax = sc.w_max(statement)
            k = sc.reduce(statement[part] * r / lam, f"the {part} r/lam")
            steps += [Step(_goal("the error is >= 0 on [0, 1]", sc.error, sc, wmax)),
                      Step(_goal("E(s) <= k s", k * s - sc.error, sc, wmax))]
        return Proof(claim, "printed", tuple(i for sc in scs for i in sc.identities),
                     tuple(steps), "With theta = r (1 - s), s in [0, 1] (Lemma 21/25): "
                     "|prod - lam| = lam E(s) <= lam k s = factor |theta - r|.",
                     _to_point({sc.label: sc for sc in scs}))
    return build


def first_step_region(statement: Statement, quantity: str = "error") -> str:
    """Where the statement's bound fails at ``t = 1`` (a note for a printed statement): the
    instance ``c q(u) - E(phi(1, u)) >= 0`` is a polynomial in the scaled step alone; its roots
    in ``(0, u_max)`` (Sturm count) cut ``[0, u_max]`` into intervals of constant sign, each
    signed exactly at a rational point; the roots are located by exact bisection to 1e-6."""
    from ...branch_bound import sturm_roots
    sc = midpoint_scheme()
    wmax = sc.w_max(statement)
    b = statement["bound"]
    c = sc.reduce(b.const / (r if quantity == "defect" else lam), "the constant")
    q = sc.reduce(b.rate, "the rate")
    E = s if quantity == "defect" else sc.error
    g = sp.expand(c * q - E.subs(s, sc.phi.subs(s, 1)))
    poly = sp.Poly(g, u)
    hi = Fraction(int(wmax.p), int(wmax.q))
    sqf = sp.Poly(sp.quo(poly, sp.gcd(poly, poly.diff(u))), u)
    va, vb = sturm_roots(sqf.as_expr(), u, Fraction(0), hi)
    n = va - vb                                  # roots in (0, u_max] (g(0) != 0 assumed)
    roots = []
    for root in sp.Poly(sqf, u).intervals(eps=sp.Rational(1, 10**6)):
        (lo_, hi_), _ = root
        if 0 < hi_ and lo_ < hi:
            roots.append(float((lo_ + hi_) / 2))
    sign_end = sp.sign(poly.eval(sp.Rational(hi)))
    return (f"first step (t = 1) of this statement over the whole domain: c q - E(s_1) = {g} "
            f"in u = eta r^2/2 (u <= {wmax}); {n} root(s) in (0, {wmax}] (Sturm)"
            + (f" at u ~ {', '.join(f'{v:.6f}' for v in roots)}" if roots else "")
            + f"; the sign at u = {wmax} is {int(sign_end):+d}"
            + (f", so the bound fails at t = 1 exactly for u in (u*, {wmax}], u* ~ "
               f"{roots[-1]:.6f} the root, i.e. for eta > {roots[-1] / float(wmax):.6f} eta_max"
               if n == 1 and sign_end < 0 and roots and poly.eval(0) > 0 else "") + ".")


# --- the one-step factor against the exact linear rate (Theorem 10's rate check) ----------------
@lru_cache(maxsize=None)
def factor_above_linear_rate(L: int) -> bool:
    """``phi_gamma(s, v) >= 1 - gamma v = f'(r)`` for every ``s`` in ``[0, 1]`` and every
    ``v >= 0``: ``phi_gamma - (1 - gamma v) = v (gamma - sum_{j<gamma} (1 - s)^j)`` (SymPy) and
    the bracket is ``>= 0`` on ``[0, 1]`` (each term is ``<= 1``; exact Sturm/Bernstein).  So
    along any orbit with ``0 <= e_t <= r`` the contraction factor never drops below ``f'(r)``."""
    from ...branch_bound import prove
    sc = layered_scheme(L)
    g = sc.gamma
    bracket = g - sum((1 - s) ** j for j in range(g))
    if not sp.expand(sc.phi - (1 - g * v) - v * bracket) == 0:
        return False
    return prove(Goal(f"gamma - sum_(j<gamma) (1 - s)^j >= 0 [{sc.label}]", sp.expand(bracket),
                      (s,), box_of([(0, 1)]))).proved


# --- (145): max over R of P --------------------------------------------------------------------
WHAT_OPEN = "every inequality of the proof on the whole (open, unbounded) domain"


def p_max_proof(statement: Statement) -> Proof:
    """``P(x, S) <= p_max`` on ``R`` (Theorem 26, (145)), for every ``2 d lam > 0``: the
    statement's ``p_max - 2 d lam`` must reduce to a rational ``m``; with ``S = x - g``
    (``g >= 0`` on ``R``, where ``S <= x``), ``p_max - P = x g + (m + x^3 - x^2)`` (SymPy), and
    both terms are ``>= 0`` for ``x, g > 0`` (open, unbounded), hence on the closure."""
    g = sp.Symbol("g", nonnegative=True)
    C = 2 * d * lam
    m = _simplify(statement["p_max"] - C)
    if not m.is_Rational:
        raise NotReducible(f"max_R P - 2 d lam = {m} is not a constant")
    lhs = sp.expand(statement["p_max"] - F.P.subs(F.S, x - g))
    rest = m + x**3 - x**2
    h = C - F.PRINTED_SSTAR_EQ                     # h(x) = x^3 - x^2: P(x, x) = 2 d lam - h
    q = sp.Symbol("q", positive=True)
    steps = (Step(Goal("x g >= 0 (S <= x on R)", x * g, (x, g), box_of([(0, None)] * 2),
                       open=True)),
             Step(Goal("m + x^3 - x^2 >= 0 (P on the diagonal)", rest, (x,),
                       box_of([(0, None)]), open=True)),
             Step(Goal("-h(x) = x^2 - x^3 >= 0 on [0, 1] (no root of P(x, x) there)",
                       sp.expand(-h), (x,), box_of([(0, 1)]))),
             Step(Goal("h'(1 + q) > 0 for q > 0 (h increases on (1, oo))",
                       sp.expand(sp.diff(h, x).subs(x, 1 + q)), (q,), box_of([(0, None)]),
                       strict=True, open=True)))
    return Proof("thm8.step_size", "printed",
                 (Identity("p_max - P(x, x - g) = x g + (m + x^3 - x^2)", lhs,
                           sp.expand(x * g + rest)),
                  Identity("P(x, x) = 2 d lam - (x^3 - x^2)", F.PRINTED_SSTAR_EQ,
                           C - (x**3 - x**2))), steps,
                 "On R, x >= 0 and S <= x, so S = x - g with g >= 0; both terms of "
                 "p_max - P are >= 0 on the open orthant, hence (polynomials are continuous) on "
                 "its closure, which contains R. S*: P(x, x) = 2 d lam - h(x) with h <= 0 < "
                 "2 d lam on [0, 1] and h increasing from h(1) = 0 to oo on [1, oo), so P(x, x) "
                 "has exactly one positive root S*, and S* > 1.", lambda p, st: {})


# --- Lemma 27 (forward Euler's auxiliary sequence (148)) ----------------------------------------
def lem27_proof(statement: Statement) -> Proof:
    """Lemma 27 for every ``2 d lam > 0``, every nonnegative nondecreasing ``alpha_t -> alpha_inf``
    and every ``eta`` up to the statement's bound.  ``ell_alpha`` is the positive root of
    ``P_alpha(x) = 2 d lam - x^3 + alpha x`` (unique: one sign change).  With
    ``2 d lam = ell^3 - alpha ell``, ``alpha = ell^2 b`` (``b`` in ``[0, 1)``), ``x = ell z`` and
    ``eta = 2 w/ell^2``, the map (148) at ``alpha`` is ``z -> z + w (1 - z)(1 + z + z^2 - b)``
    (SymPy); on ``[0, 1] x [0, 1] x [0, w_max]`` it moves ``z`` up and not past 1."""
    from ...model.symbols import alpha, b_scaled as b, ell, w_step as w, z_scaled as zz
    C = 2 * d * lam
    step = F.PRINTED_EQ144.subs(F.S, alpha)                  # (148) is (144) with S_t = alpha_t
    scaled = step.subs(C, ell**3 - alpha * ell)
    scaled = sp.expand(scaled.subs(d, (ell**3 - alpha * ell) / (2 * lam)))
    scaled = sp.expand(scaled.subs(alpha, ell**2 * b).subs(x, ell * zz).subs(eta, 2 * w / ell**2))
    g = zz + w * (1 - zz) * (1 + zz + zz**2 - b)
    wmax = _simplify(statement["eta_max"] * ell**2 / 2)
    if not wmax.is_Rational or wmax <= 0:
        raise NotReducible(f"the step bound reduces to w <= {wmax}, not a positive rational")
    Pa = C - x**3 + alpha * x
    dl = -(sp.diff(Pa, alpha) / sp.diff(Pa, x)).subs(x, ell)
    idents = (Identity("(148) scaled: x_{t+1}/ell_alpha = z + w (1 - z)(1 + z + z^2 - b)",
                       sp.expand(scaled), sp.expand(ell * g)),
              Identity("implicit derivative: d ell_alpha/d alpha = ell/(3 ell^2 - alpha)", dl,
                       ell / (3 * ell**2 - alpha)),
              Identity("3 ell^2 - alpha = 2 ell^2 + 2 d lam/ell on P_alpha(ell) = 0",
                       (3 * ell**2 - alpha).subs(alpha, ell**2 - C / ell), 2 * ell**2 + C / ell))
    pos = (Positive("2 ell^2 + 2 d lam/ell > 0: ell_alpha increases with alpha",
                    2 * ell**2 + C / ell),)
    box = box_of([(0, 1), (0, 1), (0, wmax)])
    steps = (Step(Goal("x_{t+1} >= x_t: w (1 - z)(1 + z + z^2 - b) >= 0", sp.expand(g - zz),
                       (zz, b, w), box)),
             Step(Goal("x_{t+1} <= ell_alpha: 1 - z - w (1 - z)(1 + z + z^2 - b) >= 0",
                       sp.expand(1 - g), (zz, b, w), box)))
    return Proof("lem27", "printed", idents, steps,
                 "x_0 = 0 <= ell_{alpha_0}. If 0 <= x_t <= ell_{alpha_t}, then with z = "
                 "x_t/ell_{alpha_t} in [0, 1], b = alpha_t/ell_{alpha_t}^2 in [0, 1) and "
                 "w = eta ell_{alpha_t}^2/2 <= eta ell_{alpha_inf}^2/2 <= w_max (ell_alpha "
                 "increases with alpha, alpha_t <= alpha_inf), the two inequalities give "
                 "x_t <= x_{t+1} <= ell_{alpha_t} <= ell_{alpha_{t+1}} <= ell_{alpha_inf} "
                 "(alpha_t <= alpha_{t+1}). Hence 0 <= x_t <= x_{t+1} <= ell_{alpha_inf} for "
                 "every t.", lambda p, st: {}, pos)


__all__ = ["factor_above_linear_rate", "first_step_region", "lem27_proof", "p_max_proof",
           "WHAT_OPEN", "midpoint_scheme", "layered_scheme", "bound_proof", "monotone_proof",
           "lem20_proof", "product_factor_proof", "whole_domain", "NotReducible", "LAYERS"]
