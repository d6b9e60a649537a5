"""Certified comparisons along sequences of balls (orbits of discrete maps).

A discrete claim ``a_t <= b_t for every t`` is checked case by case: for each exact parameter
point the caller supplies the balls ``a_t`` and ``b_t`` (python-flint ``arb``, enclosing the exact
values).  A step ``t`` passes only if ``b_t - a_t`` is certified ``>= 0`` (``> 0``, or both balls
the same exact number); it fails only if ``b_t - a_t < 0`` is certified, and then the point and
``t`` (exact) are the counterexample.  Anything else is undecided.  A passing check also reports
its *tightness*: the largest ``a_t / b_t`` seen, so a reader sees how loose the bound is.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from flint import arb

from .arith import exact_str
from .verdicts import (CheckResult, Counterexample, Evidence, Measure, failed, passed,
                       undecided)


@dataclass
class Comparison:
    """One case: ``lhs[t] <= rhs[t]`` for ``t`` in ``steps`` (default: all indices)."""

    params: Mapping[str, Any]
    lhs: Sequence[arb] | Callable[[int], arb]
    rhs: Sequence[arb] | Callable[[int], arb]
    steps: Iterable[int] | None = None
    strict: bool = False
    margin: Callable[[int], arb] | None = None
    """Optional well-conditioned form of ``rhs - lhs`` (e.g. factorised by SymPy, or a
    factor-by-factor domination): used when the direct difference cannot decide."""
    index: str | None = "t"
    """How a failing index is reported: as the parameter ``t`` (a step, part of the
    counterexample's point), or, if None, among the certified values (e.g. a grid index)."""

    def at(self, side, t: int) -> arb:
        return side(t) if callable(side) else side[t]

    def indices(self) -> Iterable[int]:
        if self.steps is not None:
            return self.steps
        return range(len(self.lhs))  # type: ignore[arg-type]


def _exact_equal(a: arb, b: arb) -> bool:
    return a.is_exact() and b.is_exact() and a == b


def _ratio(a: arb, b: arb) -> float | None:
    try:
        fb = float(b.mid())
        return float(a.mid()) / fb if fb > 0 else None
    except (OverflowError, ZeroDivisionError, ValueError):
        return None


@dataclass
class ScanResult:
    fail: tuple[int, arb, arb] | None = None
    unsure: int = 0
    checked: int = 0
    worst_ratio: float | None = None
    worst_t: int | None = None


def scan(cmp: Comparison) -> ScanResult:
    """Walk one case, stopping at the first certified failure."""
    res = ScanResult()
    for t in cmp.indices():
        a, b = cmp.at(cmp.lhs, t), cmp.at(cmp.rhs, t)
        diff = b - a
        res.checked += 1
        ratio = _ratio(a, b)
        if ratio is not None and (res.worst_ratio is None or ratio > res.worst_ratio):
            res.worst_ratio, res.worst_t = ratio, t
        if diff > 0 or (not cmp.strict and (diff >= 0 or _exact_equal(a, b))):
            continue
        if diff < 0 or (cmp.strict and diff <= 0 and _exact_equal(a, b)):
            res.fail = (t, a, b)
            return res
        if cmp.margin is not None:
            m = cmp.margin(t)
            if m > 0 or (not cmp.strict and (m >= 0 or (m.is_exact() and m == 0))):
                continue
            if m < 0:
                res.fail = (t, a, b)
                return res
        res.unsure += 1
    return res


def bound_check(name: str, what: str, cases: Iterable[Comparison]) -> CheckResult:
    """``lhs <= rhs`` at every step of every case (see the module doc for the outcomes)."""
    unsure = total = ncases = 0
    worst: tuple[float, Mapping[str, Any], int] | None = None
    for cmp in cases:
        ncases += 1
        res = scan(cmp)
        total += res.checked
        if res.fail is not None:
            t, a, b = res.fail
            values = {"actual": a.str(20, radius=True), "stated": b.str(20, radius=True)}
            if cmp.index is None:
                params, values = dict(cmp.params), {"index": str(t), **values}
            else:
                params = dict(cmp.params, **{cmp.index: t})
            return failed(name, Evidence.BALL, what, Counterexample.of(params, what, values),
                          points=ncases, steps=total)
        unsure += res.unsure
        if res.worst_ratio is not None and (worst is None or res.worst_ratio > worst[0]):
            worst = (res.worst_ratio, cmp.params, res.worst_t or 0, cmp.index or "index")
    measure = None if worst is None else Measure(
        "max lhs/rhs", worst[0], dict({k: exact_str(v) for k, v in worst[1].items()},
                                      **{worst[3]: str(worst[2])}))
    if unsure:
        return undecided(name, Evidence.BALL, what, points=ncases, steps=total, measure=measure,
                         note=f"{unsure} of {total} steps could not be certified")
    return passed(name, Evidence.BALL, what, points=ncases, steps=total, measure=measure)


def sign_along(name: str, what: str, cases: Iterable[tuple[Mapping[str, Any], Sequence[arb]]],
               strict: bool = True) -> CheckResult:
    """Every ball of every sequence certified ``> 0`` (``>= 0`` if not strict)."""
    zero = arb(0)
    return bound_check(name, what, (Comparison(p, [zero] * len(vals), vals, strict=strict)
                                    for p, vals in cases))


def geometric(const: arb, rate: arb, steps: int) -> list[arb]:
    """``const * rate**t`` for ``t = 0..steps`` (relative radius grows linearly in t)."""
    out = [const]
    for _ in range(steps):
        out.append(out[-1] * rate)
    return out


def domination_margin(rate: arb, factors: Sequence[arb],
                      gaps: Sequence[arb] | Callable[[int], arb] | None = None
                      ) -> Callable[[int], arb]:
    """For ``lhs_t = lhs_0 prod_{s<t} phi_s`` against ``rhs_t = rhs_0 rate^t``, *given*
    ``0 <= lhs_0 <= rhs_0`` (the caller's responsibility, e.g. both are the same exact quantity):
    a margin that is certified ``>= 0`` at ``t`` when, for every ``s < t``, ``phi_s >= 0`` and
    ``rate - phi_s >= 0`` are certified (``gaps[s]``, a well-conditioned form of
    ``rate - phi_s``, replaces the difference if given).  Otherwise the margin is undecided.

    The steps are examined on demand, up to the largest ``t`` asked: ``gaps`` may be a function
    of ``s``, so that a gap is computed only where the direct comparison needs the margin."""
    if gaps is None:
        n = len(factors)
        gap_at: Callable[[int], arb] = lambda s: rate - factors[s]
    elif callable(gaps):
        n = len(factors)
        gap_at = gaps
    else:
        gaps = list(gaps)
        if len(factors) < len(gaps):
            raise ValueError("every gap needs its factor (phi_s >= 0 must be certified too)")
        n = len(gaps)
        gap_at = gaps.__getitem__
    state = {"ok_until": 0, "stopped": False}

    def certified(v: arb) -> bool:
        return v >= 0 or (v.is_exact() and v == 0)

    def margin(t: int) -> arb:
        while not state["stopped"] and state["ok_until"] < min(t, n):
            s = state["ok_until"]
            if certified(factors[s]) and certified(gap_at(s)):
                state["ok_until"] += 1
            else:
                state["stopped"] = True
        return arb(1) if t <= state["ok_until"] else arb(0, 1)

    return margin
