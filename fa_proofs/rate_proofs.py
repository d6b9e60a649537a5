"""Whole-domain proofs of the *rate* statements of Sections 2 and 3 (the continuous flows):
``|theta1 theta2 - lambda| <= C exp(-rate t)`` (a simple root) and ``<= C t^-a`` (a multiple
root), with a constant ``C`` depending on the initial value, as the paper states them.

A **branch** is a root ``root`` of the reduced equation ``theta1' = rhs(theta1)`` and the interval
of initial values it attracts (the sign tables, :mod:`fa_proofs.sign_tables`, say which).  Its
proof is data (:class:`~fa_proofs.certificates.Proof`):

* identities (SymPy, derived from the section's formulas, never retyped): ``rhs = (root - theta)
  g(theta)`` with ``g`` a polynomial (so ``e = root - theta1`` obeys ``e' = -g(theta1) e``);
  the exact asymptotic rate ``-rhs'(root)`` is ``g(root)``; ``g(root) - g(theta) = (root -
  theta) h(theta)`` with ``h`` a polynomial; and ``theta1' = d (lambda - theta1 theta2)``, so that
  the product error is ``|theta1'|/d = |e| g/d``.  For a multiple root, ``rhs = (root -
  theta)^m G(theta)``;
* steps: ``g > 0`` (``G > 0``) on the attracted interval (open, unbounded boxes in gap
  variables, as the sign tables);
* the instance: the statement's rate (exponent) against the exact one over the whole domain of
  the remaining dimensionless parameters, after the scaling that the branch proves as identities
  (``stated <= exact``, i.e. ``exact/unit - stated/unit >= 0``; a statement that does not reduce
  to those parameters is reported, not proved).  A violation is a counterexample: by the
  comparison below, ``e(t) exp(g(root) t)`` has a nonzero limit, so no faster rate holds.

The comparison (Grönwall) argument is the proof's induction text (:data:`GRONWALL`,
:data:`ALGEBRAIC`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

import sympy as sp

from .branch_bound import Box, Goal, PointQ, box_of
from .certificates import Identity, NotReducible, Positive, Proof, Step

#: the goals of a step: (name, expression > 0, variables, open box)
GoalSpec = tuple[str, sp.Expr, tuple[sp.Symbol, ...], Box]

def gronwall(product: str = "theta1 theta2", speed: str = "d") -> str:
    """The comparison argument in words; ``product``/``speed``: the product and the constant
    of ``theta1' = speed (lambda - product)`` (Section 2: theta1 theta2, d; Section 3: the
    product of the L layers, d_1)."""
    return (
        "Along the flow theta1 stays in the closure I of the interval between theta0 and the "
        "root (the sign table of the section; I is compact and contains no other root), and e = "
        "root - theta1 obeys e' = -g(theta1) e (identity). (i) g > 0 on I (step), so g >= c > 0 "
        "on I and |e(t)| <= |e(0)| exp(-c t). (ii) g(root) - g(theta) = (root - theta) "
        "h(theta) (identity), |h| <= H on I, so the integral of |g(root) - g(theta1(s))| over "
        "[0, oo) is at most H |e(0)|/c, and |e(t)| = |e(0)| exp(-int_0^t g) <= |e(0)| "
        "exp(H |e(0)|/c) exp(-g(root) t); moreover e(t) exp(g(root) t) tends to a nonzero limit "
        "when e(0) != 0, so the bound holds with a rate rho exactly when rho <= g(root) "
        f"(instance). (iii) {product} - lambda = -theta1'/{speed} = -e g(theta1)/{speed} "
        f"(identity), |g| bounded on I: |{product} - lambda| <= C exp(-rho t) for every such "
        "rho, with C depending on theta0.")


GRONWALL = gronwall()

ALGEBRAIC = (
    "Along the flow theta1 stays in the closure I of the interval between theta0 and the "
    "root (the sign table of the section), where rhs = (root - theta)^m G(theta) (identity) "
    "and theta1 moves towards the root, so |e| = |root - theta1| obeys |e|' = -G |e|^m. G > 0 "
    "on I (step), so 0 < G_min <= G <= G_max on I (compact), and (m - 1) G_min t <= "
    "|e(t)|^(1-m) - |e(0)|^(1-m) <= (m - 1) G_max t: |e(t)| is between two multiples of "
    "t^(-1/(m-1)) for t >= 1. The product error is |theta1'|/|d| = G |e|^m/|d|, between two "
    "multiples of t^(-m/(m-1)): a bound C t^-a holds exactly for a <= m/(m-1), and the decay "
    "is like t^-a exactly for a = m/(m-1) (instance).")


def simplify(expr: Any) -> sp.Expr:
    """A rational expression is cancelled; anything else (roots) denested and simplified."""
    ex = sp.expand(sp.sympify(expr))
    if all(a.is_Rational or a.is_Symbol or a.is_Add or a.is_Mul or
           (a.is_Pow and a.exp.is_Integer) for a in sp.preorder_traversal(ex)):
        return sp.cancel(ex)
    return sp.simplify(sp.powdenest(ex, force=False))


@dataclass(frozen=True)
class Reduction:
    """How a branch's rate reduces to dimensionless parameters: ``subs`` (in order) send the
    statement's symbols to the ``scale`` and ``params``; a rate is ``unit`` (a positive
    expression in the scale) times a function of ``params``; the instance is ``weight`` (>= 0
    on the box, clearing denominators) times ``exact/unit - stated/unit`` on the compact
    ``box`` of the params (or, without params, at scale in [1, 2]: the difference is then a
    constant, the same at every scale)."""

    subs: tuple[tuple[sp.Symbol, sp.Expr], ...]
    scale: sp.Symbol
    unit: sp.Expr
    params: tuple[sp.Symbol, ...] = ()
    box: Box = ()
    weight: sp.Expr = sp.Integer(1)
    admissible: Callable[[PointQ], bool] | None = field(default=None, compare=False)

    def apply(self, expr: Any) -> sp.Expr:
        out = sp.sympify(expr)
        for a, b in self.subs:
            out = out.subs(a, b)
        return out

    def reduce(self, expr: Any, what: str) -> sp.Expr:
        """``expr/unit`` in the params; NotReducible if anything else is left."""
        out = simplify(self.apply(expr) / self.unit)
        extra = out.free_symbols - set(self.params)
        if extra:
            raise NotReducible(f"{what} = {out} (in units of {self.unit}) depends on "
                               f"{', '.join(sorted(map(str, extra)))} after the scaling: it "
                               f"does not reduce to {', '.join(map(str, self.params)) or 'a constant'}")
        return out

    def goal(self, name: str, expr: sp.Expr) -> Goal:
        """``weight * expr >= 0`` on the params' box (at scale in [1, 2] without params)."""
        if self.params:
            return Goal(name, simplify(self.weight * expr), self.params, self.box,
                        admissible=self.admissible)
        return Goal(name, simplify(expr), (self.scale,), box_of([(1, 2)]))


def _poly_in(expr: sp.Expr, var: sp.Symbol, what: str) -> sp.Expr:
    ex = sp.cancel(sp.together(expr))
    num, den = sp.fraction(ex)
    if var in den.free_symbols:
        raise NotReducible(f"{what} is not a polynomial in {var}: {ex}")
    return sp.expand(ex)


def root_factor(rhs: sp.Expr, theta: sp.Symbol, root: sp.Expr, m: int = 1) -> sp.Expr:
    """``rhs / (root - theta)^m``, which must be a polynomial in theta."""
    return _poly_in(rhs / (root - theta) ** m, theta, f"theta1'/(root - theta)^{m}")


def multiplicity(rhs: sp.Expr, theta: sp.Symbol, root: sp.Expr) -> int:
    """The multiplicity of ``root`` as a root of ``rhs`` (SymPy, symbolically)."""
    m = 0
    q = sp.expand(rhs)
    while sp.expand(q.subs(theta, root)) == 0 and m < 64:
        q = sp.diff(q, theta)
        m += 1
    return m


@dataclass(frozen=True)
class ExpBranch:
    """A simple root attracting an interval: ``steps(g)`` gives the goals ``g > 0`` on it."""

    label: str
    rhs: sp.Expr
    theta: sp.Symbol
    root: sp.Expr
    reduction: Reduction
    steps: Callable[[sp.Expr], Sequence[GoalSpec]]
    positives: tuple[Positive, ...] = ()
    identities: tuple[Identity, ...] = ()


def exp_branch(br: ExpBranch, stated: Any) -> tuple[list[Identity], list[Step], list[Positive]]:
    """The identities, steps and instance of one branch for the stated rate (module doc);
    ``stated = None``: no rate is stated (a convergence statement), no rate instance."""
    th, root = br.theta, br.root
    g = root_factor(br.rhs, th, root)
    exact = -sp.diff(br.rhs, th).subs(th, root)
    g_root = sp.expand(g.subs(th, root))
    h = _poly_in((g_root - g) / (root - th), th, "(g(root) - g)/(root - theta)")
    idents = [Identity(f"theta1' = (root - theta) g(theta) [{br.label}]", br.rhs,
                       (root - th) * g),
              Identity(f"exact rate -rhs'(root) = g(root) [{br.label}]", exact, g_root),
              Identity(f"g(root) - g(theta) = (root - theta) h(theta) [{br.label}]",
                       g_root - g, (root - th) * h), *br.identities]
    red = br.reduction
    steps = []
    if stated is not None:
        ex_u = red.reduce(exact, "the exact rate")
        st_u = red.reduce(stated, "the stated rate")
        idents.append(Identity(f"the exact rate in units of {red.unit} [{br.label}]",
                               red.apply(exact), red.unit * ex_u))
        steps.append(Step(red.goal(f"stated rate <= exact rate g(root) [{br.label}]",
                                   ex_u - st_u), "instance"))
    for name, expr, vars_, box in br.steps(g):
        steps.append(Step(Goal(f"{name} [{br.label}]", sp.expand(expr), vars_, box,
                               strict=True, open=True)))
    return idents, steps, list(br.positives)


@dataclass(frozen=True)
class AlgBranch:
    """A multiple root attracting an interval (polynomial rate): ``steps(G)`` gives ``G > 0``
    on it; ``two_sided``: the statement is 'like t^-a' (else 'at most C t^-a')."""

    label: str
    rhs: sp.Expr
    theta: sp.Symbol
    root: sp.Expr
    reduction: Reduction
    steps: Callable[[sp.Expr], Sequence[GoalSpec]]
    two_sided: bool = False
    positives: tuple[Positive, ...] = ()


def alg_branch(br: AlgBranch, stated_exponent: Any
               ) -> tuple[list[Identity], list[Step], list[Positive]]:
    th, root = br.theta, br.root
    m = multiplicity(br.rhs, th, root)
    if m < 2:
        raise NotReducible(f"the root {root} is simple: the rate is exponential")
    G = root_factor(br.rhs, th, root, m)
    derived = sp.Rational(m, m - 1)
    idents = [Identity(f"theta1' = (root - theta)^{m} G(theta) [{br.label}]", br.rhs,
                       (root - th) ** m * G)]
    red = br.reduction
    a = simplify(red.apply(stated_exponent))
    if a.free_symbols:
        raise NotReducible(f"the stated exponent {a} is not a constant")
    sc = red.scale
    steps = [Step(Goal(f"stated exponent <= m/(m-1) = {derived} [{br.label}]",
                       derived - a, (sc,), box_of([(1, 2)])), "instance")]
    if br.two_sided:
        steps.append(Step(Goal(f"stated exponent >= m/(m-1) = {derived} [{br.label}]",
                               a - derived, (sc,), box_of([(1, 2)])), "instance"))
    for name, expr, vars_, box in br.steps(G):
        steps.append(Step(Goal(f"{name} [{br.label}]", sp.expand(expr), vars_, box,
                               strict=True, open=True)))
    return idents, steps, list(br.positives)


def rate_proof(claim: str, parts: Sequence[tuple[Any, Any]], common: Sequence[Identity],
               to_point: Callable[[PointQ, Step], dict[str, Any]], variant: str = "printed",
               extra: Sequence[Step] = (), naming: tuple[str, str] = ("theta1 theta2", "d"),
               conclusion: str = "") -> Proof:
    """The proof of a claim's rate statement: ``parts`` pairs a branch (ExpBranch/AlgBranch)
    with the statement's rate (exponent) for it (None: none stated); ``common`` adds identities
    (e.g. theta1' = d (lambda - theta1 theta2)), ``extra`` inequalities (e.g. the stated limit
    is the root), ``naming`` the product and the constant of theta1' = d (lambda - product) in
    the Grönwall text, ``conclusion`` a last sentence of the text."""
    idents, steps, pos = list(common), list(extra), []
    kinds = set()
    for br, stated in parts:
        if isinstance(br, ExpBranch):
            i, s, p = exp_branch(br, stated)
            kinds.add("exp")
        else:
            i, s, p = alg_branch(br, stated)
            kinds.add("alg")
        idents += i
        steps += s
        pos += p
    text = " ".join(t for k, t in (("exp", gronwall(*naming)), ("alg", ALGEBRAIC),
                                   ("end", conclusion)) if k in kinds or (k == "end" and t))
    return Proof(claim, variant, tuple(idents), tuple(steps), text, to_point, tuple(pos))


def branch_label(step: Step) -> str:
    """The ``[label]`` at the end of a goal's name."""
    return step.goal.name.rsplit("[", 1)[1].rstrip("]")


def q(v: Any) -> Fraction:
    """An exact rational from a SymPy Rational or Fraction."""
    r = sp.Rational(v) if not isinstance(v, Fraction) else v
    return r if isinstance(r, Fraction) else Fraction(int(r.p), int(r.q))


__all__ = ["Reduction", "ExpBranch", "AlgBranch", "exp_branch", "alg_branch", "rate_proof",
           "root_factor", "multiplicity", "branch_label", "GRONWALL", "ALGEBRAIC", "q",
           "simplify", "gronwall"]
