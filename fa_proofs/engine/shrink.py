"""Shrinking: a counterexample becomes the simplest one the suite can certify.

After a check fails at a point, the point is simplified greedily, one parameter at a time, as
Hypothesis shrinks: the smallest step ``t`` first (a candidate must fail at a step no later than
the current one, which the check reports itself: an orbit check scans 0..t and stops at the first
certified failure), then each parameter towards values with the smallest numerators and
denominators (0, 1, 2, 1/2, ..., the continued-fraction convergents of the value, its decimal
roundings).  A candidate is kept only if it satisfies the claim's hypotheses (certified) and the
*same check* fails there again, certified.  The original search point is kept in
``Counterexample.found``.
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any, Iterable

import sympy as sp

from ..arith import to_fraction
from ..domains import Param, Point, point_str
from ..errors import UsageError
from ..verdicts import CheckResult, Counterexample, Status
from .claim import Claim

MAX_ATTEMPTS = 160        # re-checks per counterexample (greedy phase)
MAX_PASSES = 4
GRID_VALUES = 4           # simplest values per parameter in the joint grid phase
GRID_ATTEMPTS = 80


def _entries(m: sp.MatrixBase) -> list[Fraction]:
    return [Fraction(int(e.p), int(e.q)) for row in m.tolist() for e in row]


def size(v: Any) -> int:
    """How complicated an exact value is: the bit lengths of numerator and denominator."""
    if isinstance(v, sp.MatrixBase):
        return sum(size(e) for e in _entries(v))
    f = to_fraction(v)
    return abs(f.numerator).bit_length() + f.denominator.bit_length()


def magnitude(v: Any) -> int:
    """A tie-break between values of the same size: |numerator| + denominator."""
    if isinstance(v, sp.MatrixBase):
        return sum(magnitude(e) for e in _entries(v))
    f = to_fraction(v)
    return abs(f.numerator) + f.denominator


def complexity(point: Point) -> tuple[int, int, int]:
    """Smallest ``t`` first, then the total size of the other values, then their magnitude."""
    t = point.get("t")
    rest = [v for k, v in point.items() if k != "t"]
    return (int(t) if t is not None else 0, sum(size(v) for v in rest),
            sum(magnitude(v) for v in rest))


SIMPLE = sorted({Fraction(p, q) for q in (1, 2, 3, 4, 5, 10) for p in range(0, 11)} |
                {Fraction(1, 100), Fraction(1, 1000), Fraction(100), Fraction(1000), Fraction(20),
                 Fraction(50)}, key=lambda f: (size(f), f))


def convergents(v: Fraction) -> list[Fraction]:
    """The continued-fraction convergents of ``v`` (the best simple approximations)."""
    out, h0, h1, k0, k1 = [], 0, 1, 1, 0
    x = v
    for _ in range(40):
        a = x.numerator // x.denominator
        h0, h1 = h1, a * h1 + h0
        k0, k1 = k1, a * k1 + k0
        out.append(Fraction(h1, k1))
        frac = x - a
        if frac == 0:
            break
        x = 1 / frac
    return out


def roundings(v: Fraction) -> list[Fraction]:
    out = []
    if v == 0:
        return out
    import math
    e = math.floor(math.log10(abs(float(v))))
    for digits in (1, 2, 3):
        scale = Fraction(10) ** (e - digits + 1)
        for r in (round(v / scale), math.floor(v / scale), math.ceil(v / scale)):
            out.append(Fraction(r) * scale)
    return out


def scalar_candidates(p: Param, v: Fraction) -> list[Fraction]:
    """Values simpler than ``v`` for parameter ``p``, simplest first (sign respected)."""
    if p.kind == "integer":
        lo = p.lo if p.lo is not None else 0
        n = int(v)
        # the smallest integers first, then halvings towards v: never all of range(lo, v),
        # which a large value (a data seed of 10^9) would make a billion candidates
        small = set(range(lo, min(n, lo + 64)))
        halves = {n >> k for k in range(1, n.bit_length() + 1)} | {n - 1}
        cands: Iterable[Fraction] = (Fraction(k) for k in small | {h for h in halves if lo <= h < n})
    else:
        base = list(SIMPLE) + convergents(abs(v)) + roundings(abs(v))
        signed = []
        for c in base:
            signed.append(c if v >= 0 else -c)
            if p.sign in ("real", "nonzero") and c != 0:
                signed.append(-c if v >= 0 else c)
        cands = signed
    here = (size(v), magnitude(v))
    out = sorted({c for c in cands if p.sign_ok(c) and (size(c), magnitude(c)) < here},
                 key=lambda c: (size(c), magnitude(c), abs(c - v)))
    return out


def candidates(claim: Claim, point: Point, name: str) -> Iterable[Point]:
    """Points that differ from ``point`` in the value ``name`` (or one of its matrix entries),
    simpler first."""
    dom = claim.domain
    p = next(q for q, n in dom.expected_names(point) if n == name)
    v = point[name]
    if p.kind == "matrix":
        for i in range(v.rows):
            for j in range(v.cols):
                e = to_fraction(v[i, j])
                for c in scalar_candidates(Param(name, sign="real"), e):
                    m = v.copy()
                    m[i, j] = sp.Rational(c.numerator, c.denominator)
                    yield {**point, name: m}
        return
    for c in scalar_candidates(p, to_fraction(v)):
        new = {**point, name: int(c) if p.kind == "integer" else c}
        expected = dom.expected_names(new)
        if any(n not in new for q, n in expected if not q.swept):
            continue                      # e.g. L grew: its new d_l have no value
        names = {n for _, n in expected}
        yield {k: val for k, val in new.items() if k in names or k == "t"}


def shrink_result(claim: Claim, result: CheckResult, run) -> CheckResult:
    """``result`` with its counterexample shrunk (unchanged unless it is a located failure)."""
    cx = result.counterexample
    if result.status is not Status.FAIL or cx is None or cx.check is None:
        return result
    try:
        point = claim.domain.parse(cx.params)
    except UsageError:
        return result                     # params that are not the domain's (not replayable)
    best = shrink_point(claim, cx, point, run)
    if best is None:
        return result
    new_point, new_result = best
    new_cx = new_result.counterexample
    return replace(result, counterexample=replace(new_cx, found=dict(cx.params)))


def recheck(claim: Claim, cx: Counterexample, point: Point, run) -> CheckResult | None:
    """The same check at ``point`` (``t``, if present, is the last step looked at): its
    certified failure, or None."""
    from .run import Run, run_check
    check, variant = claim.check(cx.check, cx.variant)
    statement = claim.statement_of(variant)
    sub = Run(run.profile, run.seed, at=point, outside=True, shrink=False, prec=run.prec)
    fails = [r for r in run_check(claim, check, statement, variant, sub, points=[point])
             if r.status is Status.FAIL and r.counterexample is not None]
    # a check may return several results: the failure of the same relation first
    same = [r for r in fails if r.counterexample.relation == cx.relation]
    return (same or fails or [None])[0]


def grid_phase(claim: Claim, cx: Counterexample, point: Point, run, statement
               ) -> tuple[Point, CheckResult] | None:
    """Jump to the simplest region first: every combination of the few simplest values of the
    rational parameters (other values kept), simplest combination first; the first that fails
    again, certified, at a step no later than the current one."""
    from itertools import product
    dom = claim.domain
    options = []
    for p, name in dom.expected_names(point):
        if name == "t" or name not in point or p.kind != "rational":
            continue
        simple = [c for c in SIMPLE if p.sign_ok(c) and c != 0][:GRID_VALUES]
        options.append((name, [point[name]] + [c for c in simple if c != point[name]]))
    if not options:
        return None
    combos = []
    for values in product(*(vals for _, vals in options)):
        cand = dict(point)
        cand.update({name: v for (name, _), v in zip(options, values)})
        if complexity(cand) < complexity(point):
            combos.append(cand)
    combos.sort(key=complexity)
    for cand in combos[:GRID_ATTEMPTS]:
        if not dom.admits(cand, statement):
            continue
        res = recheck(claim, cx, cand, run)
        got = _parsed(dom, res)
        if got is not None and complexity(got) < complexity(point):
            return got, res
    return None


def _parsed(dom, res: CheckResult | None) -> Point | None:
    """The domain point of a re-checked failure; None when there is none or its parameters are
    not the domain's (e.g. a whole-domain proof whose point check is an identity reporting its
    symbols: not a simpler point of the domain)."""
    if res is None:
        return None
    try:
        return dom.parse(res.counterexample.params)
    except UsageError:
        return None


def shrink_point(claim: Claim, cx: Counterexample, point: Point, run
                 ) -> tuple[Point, CheckResult] | None:
    """Shrinking (module doc): the joint grid of simplest values, then greedy passes one value
    at a time; None if no simpler certified failure was found."""
    statement = claim.statement_of(cx.variant or "printed")
    current = dict(point)
    found = None
    attempts = 0
    jump = grid_phase(claim, cx, current, run, statement)
    if jump is not None:
        current, found = jump
    for _ in range(MAX_PASSES):
        improved = False
        for name in [n for _, n in claim.domain.expected_names(current)
                     if n in current and n != "t"]:
            if name not in current:
                continue                  # dropped with a smaller L
            if attempts >= MAX_ATTEMPTS:
                break
            for cand in candidates(claim, current, name):   # each simpler than the current
                if attempts >= MAX_ATTEMPTS:
                    break
                if not claim.domain.admits(cand, statement):
                    continue
                attempts += 1
                res = recheck(claim, cx, cand, run)
                got = _parsed(claim.domain, res)
                if got is None:
                    continue
                if complexity(got) < complexity(current):
                    current, found, improved = got, res, True
                    break
        if not improved or attempts >= MAX_ATTEMPTS:
            break
    if found is None:
        return None
    return current, found


__all__ = ["shrink_result", "shrink_point", "recheck", "complexity", "size", "point_str"]
