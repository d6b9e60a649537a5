"""Certified inequalities over a whole box: branch-and-bound, Bernstein, Sturm, SymPy identities.

A :class:`Goal` says ``expr >= 0`` (or ``> 0`` with ``strict``) for every point of a compact box
of rational bounds.  :func:`prove` decides it in one of three ways, each ending in data that
:func:`recheck` re-verifies from scratch (the certificate is never trusted):

* **factor** (polynomials): SymPy factors ``expr`` over Q first, so that a factor vanishing on the
  boundary (``s``, ``1 - s``, ``u``: a fixed point, the maximal step) is split off symbolically
  instead of stopping the bisection short; each factor of odd multiplicity then gets a sign proof
  of its own, and the product identity is re-checked by expansion;
* **sturm** (one variable): an irreducible factor has no root in the open interval when the
  sign variations of its Sturm sequence agree at both ends (exact rationals); a linear factor is
  checked at the two ends;
* **bernstein** (several variables, exact): on each box of a bisection tree, the coefficients of
  the factor in the tensor Bernstein basis of the box are all ``>= 0`` (``> 0`` for strict), which
  bounds it below on the box; the coefficients at the corners are the exact values there, so a
  zero at a corner (e.g. ``1 - 3u`` at ``u = 1/3``) needs no special case;
* **arb** (any expression SymPy can compile: roots, quotients): in the manner of
  ``verify_positive`` (dir24-isoperim), interval evaluation with python-flint ``arb`` on each box
  (the better of the natural enclosure and the mean-value form ``f(m) + grad f(X) (X - m)``),
  bisecting until every box's lower bound is certified positive.

A box where the goal fails is reported with a *point* in it where the value is certified negative
(exact rationals for polynomials; a ball excluding 0 otherwise), never just as a box that did not
close; running out of boxes or of width is ``undecided``, with the box where it stopped.

The bisection tree is the certificate: a string in preorder, ``'.'`` for a leaf and the digit
``k`` for a split of dimension ``k`` at its midpoint; the leaves tile the box by construction, so
re-checking is re-evaluating every leaf.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from fractions import Fraction
from math import comb
from typing import Any, Callable, Mapping, Sequence

import sympy as sp
from flint import arb, fmpq

from .arith import Ball

Interval = tuple[Fraction, Fraction]
Box = tuple[Interval, ...]
PointQ = dict[str, Fraction]

MAX_BOXES = 200_000        # leaves + inner nodes per goal before giving up (undecided)
MIN_WIDTH = Fraction(1, 2**48)   # relative to the goal's box: below this, undecided
ARB_PREC = 128


def frac(v: Any) -> Fraction | None:
    """An exact rational from an int, Fraction, SymPy Rational or its string; None for an
    infinite end ('oo', '-oo', None) of an open box."""
    if v is None or (isinstance(v, str) and v.strip() in ("oo", "-oo", "+oo")) or v in (
            sp.oo, -sp.oo):
        return None
    if isinstance(v, Fraction):
        return v
    if isinstance(v, int):
        return Fraction(v)
    r = sp.Rational(v)
    return Fraction(int(r.p), int(r.q))


def box_of(spec: Sequence[tuple[Any, Any]]) -> Box:
    return tuple((frac(a), frac(b)) for a, b in spec)


_ASSUME = ("positive", "nonnegative", "negative", "nonpositive", "real", "integer")


def encode(expr: Any) -> dict[str, Any]:
    """An expression as compact JSON data: its ``str`` with every symbol renamed ``_s0, _s1, ...``
    (so that no name clashes with Python or SymPy, e.g. ``lambda``), and the symbols' names and
    assumptions.  :func:`decode` reads it back exactly."""
    e = sp.sympify(expr)
    syms = sorted(e.free_symbols, key=lambda t: (t.name, sorted(t.assumptions0.items())))
    place = {t: sp.Symbol(f"_s{i}") for i, t in enumerate(syms)}
    return {"str": sp.sstr(e.xreplace(place), full_prec=True),
            "symbols": [[t.name, {k: v for k, v in t.assumptions0.items() if k in _ASSUME}]
                        for t in syms]}


def decode(doc: Any) -> sp.Expr:
    """The inverse of :func:`encode` (also reads a plain ``srepr`` string)."""
    if isinstance(doc, str):
        return sp.sympify(doc)
    local = {f"_s{i}": sp.Symbol(name, **assume) for i, (name, assume) in enumerate(doc["symbols"])}
    return sp.sympify(doc["str"], locals=local)


def _end(v: Fraction | None, side: int) -> str:
    return ("-oo" if side < 0 else "oo") if v is None else str(v)


def canonical(expr: sp.Expr, vars: Sequence[sp.Symbol]) -> str:
    """A canonical text of ``expr``: its exact coefficients by monomial for a polynomial in
    ``vars`` (independent of how SymPy ordered the terms), else its ``srepr``."""
    p = poly_of(expr, vars)
    if p is None:
        return sp.srepr(sp.sympify(expr))
    return ";".join(f"{m}:{c}" for m, c in sorted(p.items()) if c)


@dataclass(frozen=True)
class Goal:
    """``expr >= 0`` (``> 0`` when ``strict``) for every point of ``box`` in ``vars`` (one
    interval per variable, rational ends).  ``admissible`` (a predicate on exact points) says
    where a violation counts as a counterexample (e.g. ``eta > 0`` on a box closed at 0)."""

    name: str
    expr: sp.Expr
    vars: tuple[sp.Symbol, ...]
    box: Box
    strict: bool = False
    admissible: Callable[[PointQ], bool] | None = field(default=None, compare=False)
    #: the goal is on the *open* box, whose ends may be infinite (None); open goals are proved
    #: without bisection (factors signed by Sturm counts, linear ends, or nonnegative
    #: coefficients on the open positive orthant); a non-strict one also holds on the closure
    open: bool = False

    def key(self) -> str:
        """The hash of the statement of the goal (expression, variables, box, strictness)."""
        doc = {"expr": canonical(self.expr, self.vars), "vars": [v.name for v in self.vars],
               "box": [[_end(a, -1), _end(b, 1)] for a, b in self.box], "strict": self.strict}
        if self.open:
            doc["open"] = True
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]

    def relation(self) -> str:
        lo, hi = ("(", ")") if self.open else ("[", "]")
        dom = ", ".join(f"{v} in {lo}{_end(a, -1)}, {_end(b, 1)}{hi}"
                        for v, (a, b) in zip(self.vars, self.box))
        return f"{self.expr} {'>' if self.strict else '>='} 0 for {dom}"

    def ok(self, p: PointQ) -> bool:
        return self.admissible is None or self.admissible(p)


@dataclass
class Outcome:
    """The end of a proof attempt: ``status`` 'proved', 'violated' or 'undecided'.  A proof has a
    ``certificate`` (data, see :func:`recheck`); a violation a ``point`` (exact) with the certified
    ``value`` there and how it was certified (``by``: 'exact' or 'ball')."""

    status: str
    goal: Goal
    certificate: dict[str, Any] | None = None
    point: PointQ | None = None
    value: str = ""
    by: str = ""
    boxes: int = 0
    seconds: float = 0.0
    reason: str = ""

    @property
    def proved(self) -> bool:
        return self.status == "proved"

    @property
    def violated(self) -> bool:
        return self.status == "violated"


class _Stop(Exception):
    def __init__(self, status: str, point: PointQ | None = None, value: str = "", by: str = "",
                 reason: str = "", boxes: int = 0):
        super().__init__(reason)
        self.status, self.point, self.value, self.by, self.reason = status, point, value, by, reason
        self.boxes = boxes


# --- exact polynomials ---------------------------------------------------------------------------
Poly = dict[tuple[int, ...], Fraction]


def poly_of(expr: sp.Expr, vars: Sequence[sp.Symbol]) -> Poly | None:
    """``expr`` as a polynomial with rational coefficients in ``vars`` (None if it is not one)."""
    try:
        p = sp.Poly(sp.expand(expr), *vars, domain="QQ")
    except (sp.PolynomialError, sp.GeneratorsNeeded, sp.CoercionFailed, ValueError):
        return None
    if p.free_symbols - set(vars):
        return None
    return {m: Fraction(int(c.p), int(c.q)) for m, c in p.terms()} or {tuple(0 for _ in vars):
                                                                        Fraction(0)}


def poly_value(p: Poly, point: Sequence[Fraction]) -> Fraction:
    total = Fraction(0)
    for mono, c in p.items():
        term = c
        for x, k in zip(point, mono):
            if k:
                term *= x ** k
        total += term
    return total


def _to_unit(p: Poly, box: Box) -> Poly:
    """The polynomial in t with x_k = a_k + (b_k - a_k) t_k (exact)."""
    cur = dict(p)
    for k, (a, b) in enumerate(box):
        w = b - a
        out: dict[tuple[int, ...], Fraction] = {}
        for mono, c in cur.items():
            m = mono[k]
            for j in range(m + 1):
                term = c * comb(m, j) * (a ** (m - j) if m - j else 1) * (w ** j if j else 1)
                if term:
                    key = mono[:k] + (j,) + mono[k + 1:]
                    out[key] = out.get(key, Fraction(0)) + term
        cur = out
    return cur


def bernstein(p: Poly, box: Box, degrees: Sequence[int]) -> dict[tuple[int, ...], Fraction]:
    """The coefficients of ``p`` on ``box`` in the tensor Bernstein basis of the given degrees:
    ``b_I = sum_{J <= I} prod_k C(i_k, j_k)/C(n_k, j_k) a_J`` with ``a`` the coefficients on the
    unit box."""
    import itertools
    unit = _to_unit(p, box)
    grid = {idx: unit.get(idx, Fraction(0))
            for idx in itertools.product(*(range(n + 1) for n in degrees))}
    for k, n in enumerate(degrees):
        new = {}
        for idx in grid:
            i = idx[k]
            s = Fraction(0)
            for j in range(i + 1):
                a = grid[idx[:k] + (j,) + idx[k + 1:]]
                if a:
                    s += a * Fraction(comb(i, j), comb(n, j))
            new[idx] = s
        grid = new
    return grid


def _split(box: Box, k: int) -> tuple[Box, Box]:
    a, b = box[k]
    m = (a + b) / 2
    return box[:k] + ((a, m),) + box[k + 1:], box[:k] + ((m, b),) + box[k + 1:]


def _widest(box: Box, root: Box) -> int:
    def rel(k: int) -> Fraction:
        w0 = root[k][1] - root[k][0]
        return (box[k][1] - box[k][0]) / w0 if w0 else Fraction(0)
    return max(range(len(box)), key=rel)


def _center(box: Box) -> list[Fraction]:
    return [(a + b) / 2 for a, b in box]


def _corners(box: Box) -> list[list[Fraction]]:
    import itertools
    return [list(c) for c in itertools.product(*box)]


class _Bisection:
    """Depth-first bisection recording the preorder tree (module doc)."""

    def __init__(self, goal: Goal, leaf: Callable[[Box], str], max_boxes: int):
        self.goal, self.leaf, self.max_boxes = goal, leaf, max_boxes
        self.tree: list[str] = []
        self.count = 0

    def run(self) -> str:
        try:
            return self._run()
        except _Stop as stop:
            stop.boxes = self.count
            raise

    def _run(self) -> str:
        stack = [self.goal.box]
        while stack:
            box = stack.pop()
            self.count += 1
            if self.count > self.max_boxes:
                raise _Stop("undecided", reason=f"more than {self.max_boxes} boxes (stopped at "
                            f"{_box_str(box)})")
            verdict = self.leaf(box)          # 'leaf' or 'split' (raises _Stop on a violation)
            if verdict == "leaf":
                self.tree.append(".")
                continue
            k = _widest(box, self.goal.box)
            lo, hi = box[k]
            r0 = self.goal.box[k][1] - self.goal.box[k][0]
            if r0 == 0 or (hi - lo) / r0 < MIN_WIDTH:
                raise _Stop("undecided", reason=f"boxes narrower than {MIN_WIDTH} of the domain "
                            f"near {_box_str(box)} (a zero inside the box? factor it out)")
            self.tree.append(str(k))
            left, right = _split(box, k)
            stack.append(right)
            stack.append(left)
        return "".join(self.tree)


def _box_str(box: Box) -> str:
    return " x ".join(f"[{a}, {b}]" for a, b in box)


def _point(goal: Goal, xs: Sequence[Fraction]) -> PointQ:
    return {v.name: x for v, x in zip(goal.vars, xs)}


def _bernstein_leaf(goal: Goal, p: Poly, degrees: Sequence[int], search: bool
                    ) -> Callable[[Box], str]:
    def leaf(box: Box) -> str:
        coeffs = bernstein(p, box, degrees)
        low = min(coeffs.values())
        if low > 0 or (low == 0 and not goal.strict):
            return "leaf"
        if search:
            for xs in _corners(box) + [_center(box)]:
                v = poly_value(p, xs)
                if (v < 0 or (v == 0 and goal.strict)) and goal.ok(_point(goal, xs)):
                    raise _Stop("violated", _point(goal, xs), str(v), "exact")
        return "split"
    return leaf


def _degrees(p: Poly, n: int) -> list[int]:
    return [int(max((m[k] for m in p), default=0)) for k in range(n)]


def _replay_tree(tree: str, root: Box, leaf: Callable[[Box], bool]) -> tuple[bool, int, str]:
    """Walk a preorder tree over ``root``: every leaf must pass ``leaf``; the tree must be
    complete (no missing or extra nodes)."""
    stack = [root]
    i = 0
    leaves = 0
    while stack:
        if i >= len(tree):
            return False, leaves, "the tree ends before the boxes do"
        box = stack.pop()
        c = tree[i]
        i += 1
        if c == ".":
            leaves += 1
            if not leaf(box):
                return False, leaves, f"a leaf fails: {_box_str(box)}"
            continue
        k = int(c)
        left, right = _split(box, k)
        stack.append(right)
        stack.append(left)
    if i != len(tree):
        return False, leaves, "the tree has nodes beyond the boxes"
    return True, leaves, ""


# --- arb boxes -----------------------------------------------------------------------------------
def _interval(a: Fraction, b: Fraction) -> arb:
    lo = arb(fmpq(a.numerator, a.denominator))
    return lo if a == b else lo.union(arb(fmpq(b.numerator, b.denominator)))


def _arb_functions(goal: Goal, prec: int):
    expr = sp.sympify(goal.expr)
    grads = [sp.diff(expr, v) for v in goal.vars]
    return Ball(prec).compile([expr], goal.vars), Ball(prec).compile(grads, goal.vars)


def arb_lower(f, grad, box: Box) -> arb:
    """An enclosure of f on the box: the natural one intersected with the mean-value form."""
    xs = [_interval(a, b) for a, b in box]
    nat = f(*xs)[0]
    mid = [(a + b) / 2 for a, b in box]
    fm = f(*[arb(fmpq(m.numerator, m.denominator)) for m in mid])[0]
    g = grad(*xs)
    mv = fm
    for gk, (a, b), m in zip(g, box, mid):
        h = (b - a) / 2
        mv = mv + gk * _interval(-h, h)
    try:
        return nat.intersection(mv)
    except ValueError:       # disjoint enclosures cannot happen for exact arithmetic
        return nat


def _arb_leaf(goal: Goal, prec: int, search: bool) -> Callable[[Box], str]:
    f, grad = _arb_functions(goal, prec)

    def leaf(box: Box) -> str:
        with Ball(prec).workprec():
            enc = arb_lower(f, grad, box)
            if enc > 0:
                return "leaf"
            if search:
                xs = _center(box)
                v = f(*[arb(fmpq(x.numerator, x.denominator)) for x in xs])[0]
                if (v < 0) and goal.ok(_point(goal, xs)):
                    raise _Stop("violated", _point(goal, xs), v.str(15, radius=True), "ball")
        return "split"
    return leaf


# --- Sturm ---------------------------------------------------------------------------------------
def _variations(seq: Sequence[sp.Poly], x: Fraction) -> int:
    signs = [s for s in (sp.sign(q.eval(sp.Rational(x.numerator, x.denominator))) for q in seq)
             if s != 0]
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)


def sturm_roots(f: sp.Expr, var: sp.Symbol, a: Fraction, b: Fraction) -> tuple[int, int]:
    """(V(a), V(b)): the sign variations of the Sturm sequence of ``f`` at the two ends; for a
    squarefree ``f`` with ``f(a) != 0``, ``V(a) - V(b)`` is its number of roots in ``(a, b]``."""
    seq = sp.sturm(sp.Poly(f, var, domain="QQ"))
    return int(_variations(seq, a)), int(_variations(seq, b))


# --- the dispatch --------------------------------------------------------------------------------
def _factor_sign_proof(goal: Goal, f: sp.Expr, strict: bool, search: bool, max_boxes: int
                       ) -> tuple[int, dict[str, Any], int]:
    """A proof that ``sign * f >= 0`` (``> 0``) on the box: (sign, certificate, boxes)."""
    p = poly_of(f, goal.vars)
    assert p is not None
    c = _center(goal.box)
    probe = [c] + _corners(goal.box)
    sign = next((1 if poly_value(p, xs) > 0 else -1 for xs in probe if poly_value(p, xs) != 0), 1)
    g = sp.expand(sign * f)
    used = [k for k in range(len(goal.vars)) if any(m[k] for m in p)]
    if len(used) == 1:
        k = used[0]
        v, (a, b) = goal.vars[k], goal.box[k]
        gp = sp.Poly(g, v, domain="QQ")
        if gp.degree() <= 1:
            va, vb = gp.eval(sp.Rational(a.numerator, a.denominator)), gp.eval(
                sp.Rational(b.numerator, b.denominator))
            ok = (va > 0 and vb > 0) if strict else (va >= 0 and vb >= 0)
            if not ok:
                raise _Stop("factor", reason=f"{g} changes sign on [{a}, {b}]")
            return sign, {"method": "linear", "var": v.name, "ends": [str(va), str(vb)]}, 1
        va_, vb_ = sturm_roots(g, v, a, b)
        ga = gp.eval(sp.Rational(a.numerator, a.denominator))
        if va_ != vb_ or ga <= 0:
            raise _Stop("factor", reason=f"{g} has a root in [{a}, {b}] (Sturm {va_} - {vb_})")
        return sign, {"method": "sturm", "var": v.name, "V": [va_, vb_]}, 1
    sub = Goal(goal.name, g, goal.vars, goal.box, strict, goal.admissible)
    pp = poly_of(g, goal.vars)
    degrees = _degrees(pp, len(goal.vars))
    bis = _Bisection(sub, _bernstein_leaf(sub, pp, degrees, search), max_boxes)
    tree = bis.run()
    return sign, {"method": "bernstein", "degrees": degrees, "tree": tree}, bis.count


def prove(goal: Goal, *, method: str = "auto", max_boxes: int = MAX_BOXES,
          prec: int = ARB_PREC) -> Outcome:
    """Decide ``goal`` (module doc).  ``method``: 'auto' (factor a polynomial, else arb),
    'bernstein' (a polynomial, unfactored) or 'arb'."""
    start = time.perf_counter()
    expr = sp.sympify(goal.expr)
    if goal.open:
        return prove_open(goal, start)
    try:
        p = poly_of(expr, goal.vars) if method in ("auto", "bernstein") else None
        if p is not None and method == "bernstein":
            bis = _Bisection(goal, _bernstein_leaf(goal, p, _degrees(p, len(goal.vars)), True),
                             max_boxes)
            tree = bis.run()
            cert = {"method": "bernstein", "degrees": _degrees(p, len(goal.vars)), "tree": tree}
            return _done("proved", goal, start, cert, boxes=bis.count)
        if p is not None:
            return _prove_factored(goal, expr, p, max_boxes, start)
        bis = _Bisection(goal, _arb_leaf(goal, prec, True), max_boxes)
        try:
            tree = bis.run()
        except _Stop as stop:
            if stop.status == "undecided":      # the depth-first search stopped in one corner
                _arb_grid_probe(goal, prec, stop)
            raise
        return _done("proved", goal, start, {"method": "arb", "prec": prec, "tree": tree},
                     boxes=bis.count)
    except _Stop as stop:
        return _done(stop.status, goal, start, point=stop.point, value=stop.value, by=stop.by,
                     reason=stop.reason, boxes=stop.boxes)


GRID = 8      # points per dimension of the violation probe after an undecided arb bisection


def _arb_grid_probe(goal: Goal, prec: int, stop: _Stop) -> None:
    """After an arb bisection stopped undecided (e.g. narrowing into a singular corner of a
    compactified box), look for a violation on a grid of the whole box (cell centres, exact
    rationals, ``GRID`` per dimension): raises ``_Stop('violated')`` with a certified point if one
    is found, else returns (the bisection's undecided stands)."""
    import itertools
    f, _ = _arb_functions(goal, prec)
    axes = [[a + (b - a) * Fraction(2 * i + 1, 2 * GRID) for i in range(GRID)]
            for a, b in goal.box]
    with Ball(prec).workprec():
        for xs in itertools.product(*axes):
            if not goal.ok(_point(goal, xs)):
                continue
            v = f(*[arb(fmpq(x.numerator, x.denominator)) for x in xs])[0]
            if v < 0 or (goal.strict and v == 0):
                raise _Stop("violated", _point(goal, list(xs)), v.str(15, radius=True), "ball",
                            boxes=stop.boxes)


def _prove_factored(goal: Goal, expr: sp.Expr, p: Poly, max_boxes: int, start: float) -> Outcome:
    const, factors = sp.factor_list(sp.expand(expr), *goal.vars)
    const = sp.Rational(const)
    if const == 0:
        if goal.strict:
            xs = _center(goal.box)
            raise _Stop("violated", _point(goal, xs), "0", "exact")
        return _done("proved", goal, start, {"method": "factor", "constant": "0",
                                             "factors": []})
    entries, total, sign = [], 0, 1 if const > 0 else -1
    for f, e in factors:
        if e % 2 == 0 and not goal.strict:
            entries.append({"factor": encode(f), "exp": int(e), "sign": 1,
                            "proof": {"method": "even"}})
            continue
        try:
            s, cert, n = _factor_sign_proof(goal, f, goal.strict or e % 2 == 0, True, max_boxes)
        except _Stop as stop:
            return _violation_of_whole(goal, p, stop, start)
        total += n
        if e % 2:
            sign *= s
        entries.append({"factor": encode(f), "exp": int(e), "sign": int(s), "proof": cert})
    if sign < 0:       # every factor keeps its sign and the product is negative: a violation
        for xs in [_center(goal.box)] + _corners(goal.box):
            v = poly_value(p, xs)
            if v < 0 and goal.ok(_point(goal, xs)):
                return _done("violated", goal, start, point=_point(goal, xs), value=str(v),
                             by="exact", boxes=total)
        return _done("undecided", goal, start, boxes=total,
                     reason="the factors have a negative product but no admissible point was "
                            "found")
    cert = {"method": "factor", "constant": str(const), "factors": entries}
    return _done("proved", goal, start, cert, boxes=total)


def _violation_of_whole(goal: Goal, p: Poly, stop: _Stop, start: float) -> Outcome:
    """A factor could not be signed: look for a violation of the whole polynomial by an exact
    bisection of its own (the factor's counterexample need not be one of the product)."""
    if stop.status == "violated" and stop.point is not None:
        xs = [stop.point[v.name] for v in goal.vars]
        v = poly_value(p, xs)
        if (v < 0 or (v == 0 and goal.strict)) and goal.ok(stop.point):
            return _done("violated", goal, start, point=stop.point, value=str(v), by="exact")
    try:
        bis = _Bisection(goal, _bernstein_leaf(goal, p, _degrees(p, len(goal.vars)), True),
                         MAX_BOXES // 10)
        tree = bis.run()
        return _done("proved", goal, start, {"method": "bernstein",
                                             "degrees": _degrees(p, len(goal.vars)),
                                             "tree": tree}, boxes=bis.count)
    except _Stop as s2:
        return _done(s2.status, goal, start, point=s2.point, value=s2.value, by=s2.by,
                     reason=s2.reason or stop.reason)


def _done(status: str, goal: Goal, start: float, cert: dict | None = None, **kw) -> Outcome:
    if cert is not None:
        cert = {"goal": goal_data(goal), **cert}
    return Outcome(status, goal, cert, seconds=time.perf_counter() - start, **kw)


# --- certificates as data --------------------------------------------------------------------------
def goal_data(goal: Goal) -> dict[str, Any]:
    """The goal's statement as JSON data (:func:`encode`), with its hash."""
    return {"name": goal.name, "expr": encode(goal.expr), "vars": [v.name for v in goal.vars],
            "assumptions": [{k: v for k, v in s.assumptions0.items() if k in _ASSUME}
                            for s in goal.vars],
            "box": [[_end(a, -1), _end(b, 1)] for a, b in goal.box], "strict": goal.strict,
            "key": goal.key(), **({"open": True} if goal.open else {})}


def goal_from_data(doc: Mapping[str, Any]) -> Goal:
    syms = tuple(sp.Symbol(n, **a) for n, a in zip(doc["vars"], doc.get("assumptions") or
                                                   [{}] * len(doc["vars"])))
    expr = decode(doc["expr"])
    expr = expr.xreplace({s: t for s in expr.free_symbols for t in syms if s.name == t.name})
    return Goal(doc["name"], expr, syms, box_of(doc["box"]), bool(doc["strict"]),
                open=bool(doc.get("open", False)))


def recheck(cert: Mapping[str, Any]) -> tuple[bool, str, int]:
    """Re-verify a certificate from its data alone: (ok, reason, leaves re-checked)."""
    goal = goal_from_data(cert["goal"])
    if goal.key() != cert["goal"]["key"]:
        return False, "the goal does not hash to its key", 0
    return _recheck(goal, goal.expr, goal.strict, cert)


def _recheck(goal: Goal, expr: sp.Expr, strict: bool, cert: Mapping[str, Any]
             ) -> tuple[bool, str, int]:
    method = cert["method"]
    if goal.open and method != "factor":
        return _recheck_open(goal, expr, cert)
    if method == "factor":
        const = sp.Rational(cert["constant"])
        if const == 0:
            return (not strict and sp.expand(expr) == 0), "zero polynomial", 0
        prod = const
        sign = 1 if const > 0 else -1
        n = 0
        for entry in cert["factors"]:
            f = goal_from_data({**cert["goal"], "expr": entry["factor"]}).expr
            e = int(entry["exp"])
            prod = prod * f ** e
            if entry["proof"]["method"] == "even":
                if e % 2 or strict:
                    return False, "an even proof of an odd factor", n
                continue
            s = int(entry["sign"])
            if goal.open and entry["proof"]["method"] == "even-open":
                ok, why, k = _recheck_open(goal, sp.expand(s * f), entry["proof"])
            else:
                ok, why, k = _recheck(goal, sp.expand(s * f), strict or e % 2 == 0,
                                      entry["proof"])
            n += k
            if not ok:
                return False, f"factor {f}: {why}", n
            if e % 2:
                sign *= s
        if sp.expand(prod - expr) != 0:
            return False, "the factors do not multiply to the goal", n
        return sign > 0, "" if sign > 0 else "the product of the signs is negative", n
    if method == "linear":
        v = next(s for s in goal.vars if s.name == cert["var"])
        a, b = goal.box[goal.vars.index(v)]
        gp = sp.Poly(expr, v, domain="QQ")
        if gp.degree() > 1:
            return False, "not linear", 0
        va, vb = (gp.eval(sp.Rational(x.numerator, x.denominator)) for x in (a, b))
        ok = (va > 0 and vb > 0) if strict else (va >= 0 and vb >= 0)
        return ok, "" if ok else "a linear factor changes sign", 1
    if method == "sturm":
        v = next(s for s in goal.vars if s.name == cert["var"])
        a, b = goal.box[goal.vars.index(v)]
        if sp.sympify(expr).free_symbols - {v}:
            return False, "not one variable", 0
        gp = sp.Poly(expr, v, domain="QQ")
        if sp.gcd(gp, gp.diff(v)).degree() > 0:
            return False, "not squarefree", 0
        V = sturm_roots(expr, v, a, b)
        ga = gp.eval(sp.Rational(a.numerator, a.denominator))
        gb = gp.eval(sp.Rational(b.numerator, b.denominator))
        ok = list(V) == list(cert["V"]) and V[0] == V[1] and ga > 0 and gb > 0
        return ok, "" if ok else "a root in the interval", 1
    if method == "bernstein":
        p = poly_of(expr, goal.vars)
        if p is None:
            return False, "not a polynomial", 0
        degrees = [int(d) for d in cert["degrees"]]
        if _degrees(p, len(goal.vars)) != [min(a, b) for a, b in zip(_degrees(p, len(goal.vars)),
                                                                     degrees)]:
            return False, "degrees too small", 0

        def leaf(box: Box) -> bool:
            low = min(bernstein(p, box, degrees).values())
            return low > 0 or (low == 0 and not strict)
        ok, n, why = _replay_tree(cert["tree"], goal.box, leaf)
        return ok, why, n
    if method == "arb":
        prec = int(cert["prec"])
        g = Goal(goal.name, expr, goal.vars, goal.box, strict)
        f, grad = _arb_functions(g, prec)

        def aleaf(box: Box) -> bool:
            with Ball(prec).workprec():
                return bool(arb_lower(f, grad, box) > 0)
        ok, n, why = _replay_tree(cert["tree"], goal.box, aleaf)
        return ok, why, n
    return False, f"unknown method {method!r}", 0


def certificate_boxes(cert: Mapping[str, Any]) -> int:
    """The number of leaf boxes (or Sturm/linear checks) in a certificate."""
    m = cert["method"]
    if m == "factor":
        return sum(certificate_boxes(e["proof"]) for e in cert["factors"]
                   if e["proof"]["method"] != "even")
    if m in ("bernstein", "arb"):
        return cert["tree"].count(".")
    return 1


# --- open boxes (possibly unbounded): no bisection ----------------------------------------------------
def _interior(box: Box) -> list[Fraction]:
    """A rational point inside the open box."""
    out = []
    for a, b in box:
        if a is None and b is None:
            out.append(Fraction(0))
        elif a is None:
            out.append(b - 1)
        elif b is None:
            out.append(a + 1)
        else:
            out.append((a + b) / 2)
    return out


def _sign_at_end(gp: sp.Poly, end: Fraction | None, side: int) -> int:
    """The sign of the one-variable ``gp`` at a finite end, or as x -> -oo (side -1) / +oo."""
    if end is not None:
        return int(sp.sign(gp.eval(sp.Rational(end.numerator, end.denominator))))
    lc = gp.LC()
    return int(sp.sign(lc)) * (1 if side > 0 or gp.degree() % 2 == 0 else -1)


def _variations_end(seq: Sequence[sp.Poly], end: Fraction | None, side: int) -> int:
    signs = [x for x in (_sign_at_end(q, end, side) for q in seq) if x != 0]
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)


def _open_factor(goal: Goal, g: sp.Expr) -> dict[str, Any]:
    """A proof that ``g > 0`` on the open box (raises _Stop('factor') if none is found)."""
    p = poly_of(g, goal.vars)
    used = [k for k in range(len(goal.vars)) if any(m[k] for m in p)]
    if not used:
        if poly_value(p, _interior(goal.box)) > 0:
            return {"method": "constant"}
        raise _Stop("factor", reason=f"{g} is not positive")
    if len(used) == 1:
        k = used[0]
        v, (a, b) = goal.vars[k], goal.box[k]
        gp = sp.Poly(g, v, domain="QQ")
        if gp.degree() == 1:
            sa, sb = _sign_at_end(gp, a, -1), _sign_at_end(gp, b, 1)
            if sa >= 0 and sb >= 0 and (sa, sb) != (0, 0):
                return {"method": "linear-open", "var": v.name, "ends": [sa, sb]}
            raise _Stop("factor", reason=f"{g} changes sign on the interval")
        seq = sp.sturm(gp)
        va, vb = _variations_end(seq, a, -1), _variations_end(seq, b, 1)
        mid = _interior(goal.box)[k]
        if va == vb and gp.eval(sp.Rational(mid.numerator, mid.denominator)) > 0 and \
                sp.gcd(gp, gp.diff(v)).degree() == 0 and (a is None or gp.eval(
                    sp.Rational(a.numerator, a.denominator)) != 0) and (b is None or gp.eval(
                    sp.Rational(b.numerator, b.denominator)) != 0):
            return {"method": "sturm-open", "var": v.name, "V": [int(va), int(vb)]}
        raise _Stop("factor", reason=f"{g}: a root in the interval (Sturm {va} - {vb})")
    if all(lo == 0 and hi is None for lo, hi in goal.box) and all(c >= 0 for c in p.values()):
        return {"method": "orthant"}          # nonzero, nonnegative coefficients: > 0 on (0, oo)^n
    raise _Stop("factor", reason=f"{g}: no open-box method (one variable, or nonnegative "
                "coefficients on the open positive orthant)")


def _between_roots(goal: Goal) -> list[list[Fraction]]:
    """For a one-variable goal: rational points of the open interval between consecutive real
    roots of the polynomial (exact isolating intervals), where a sign change shows."""
    if len(goal.vars) != 1:
        return []
    (a, b), v = goal.box[0], goal.vars[0]
    poly = sp.Poly(goal.expr, v, domain="QQ")
    cuts = sorted({Fraction(int(q.p), int(q.q)) for (lo, hi), _ in poly.intervals(
        eps=sp.Rational(1, 2**20)) for q in (sp.Rational(lo), sp.Rational(hi))})
    pts = [(c1 + c2) / 2 for c1, c2 in zip(cuts, cuts[1:])] + (
        [cuts[0] - 1, cuts[-1] + 1] if cuts else [])
    return [[q] for q in pts if (a is None or q > a) and (b is None or q < b)]


def prove_open(goal: Goal, start: float | None = None) -> Outcome:
    """``expr > 0`` (``>= 0`` if not strict) on an open, possibly unbounded box: SymPy factors
    the polynomial, and every factor of odd multiplicity is signed on the whole open box
    (:func:`_open_factor`; a strict goal's even power needs no zero inside, a non-strict one
    nothing).  A violation is an interior point where the value is negative (exact)."""
    start = time.perf_counter() if start is None else start
    p = poly_of(goal.expr, goal.vars)
    if p is None:
        return _done("undecided", goal, start, reason="open boxes take polynomials only")
    const, factors = sp.factor_list(sp.expand(goal.expr), *goal.vars)
    const = sp.Rational(const)
    xs = _interior(goal.box)
    if const == 0:
        if not goal.strict:
            return _done("proved", goal, start, {"method": "factor", "constant": "0",
                                                 "factors": []})
        return _done("violated", goal, start, point=_point(goal, xs), value="0", by="exact")
    entries, sign = [], 1 if const > 0 else -1
    for f, e in factors:
        fp = poly_of(f, goal.vars)
        s0 = 1 if poly_value(fp, xs) > 0 else -1
        if e % 2 == 0 and not goal.strict:
            entries.append({"factor": encode(f), "exp": int(e), "sign": 1,
                            "proof": {"method": "even"}})
            continue
        try:
            if e % 2 == 0:
                try:
                    cert = _open_factor(goal, sp.expand(s0 * f))
                except _Stop:
                    cert = _open_factor(goal, sp.expand(-s0 * f))
                entries.append({"factor": encode(f), "exp": int(e), "sign": 1,
                                "proof": {"method": "even-open", "inner": cert,
                                          "sign": int(s0)}})
                continue
            cert = _open_factor(goal, sp.expand(s0 * f))
        except _Stop as stop:
            for ys in [xs] + _between_roots(goal):
                v = poly_value(p, ys)
                if (v < 0 or (v == 0 and goal.strict)) and goal.ok(_point(goal, ys)):
                    return _done("violated", goal, start, point=_point(goal, ys), value=str(v),
                                 by="exact")
            return _done("undecided", goal, start, reason=stop.reason)
        sign *= s0
        entries.append({"factor": encode(f), "exp": int(e), "sign": int(s0), "proof": cert})
    if sign < 0:
        return _done("violated", goal, start, point=_point(goal, xs),
                     value=str(poly_value(p, xs)), by="exact")
    return _done("proved", goal, start, {"method": "factor", "constant": str(const),
                                         "factors": entries}, boxes=len(entries))


def _recheck_open(goal: Goal, expr: sp.Expr, cert: Mapping[str, Any]) -> tuple[bool, str, int]:
    m = cert["method"]
    if m == "even-open":     # the factor (up to its sign) has no zero inside: so its square > 0
        s0 = int(cert["sign"])
        return _recheck_open(goal, sp.expand(s0 * expr), cert["inner"])
    try:
        want = _open_factor(goal, expr)
    except _Stop as stop:
        return False, stop.reason, 1
    ok = want == dict(cert)
    return ok, "" if ok else f"the open-box proof differs: {want} != {dict(cert)}", 1


__all__ = ["Goal", "prove_open", "Outcome", "prove", "recheck", "goal_data", "goal_from_data", "bernstein",
           "sturm_roots", "box_of", "frac", "certificate_boxes", "arb_lower"]
