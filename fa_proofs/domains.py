"""Parameter domains: the exact parameter space of a claim, defined once.

A :class:`Domain` is a list of named parameters and one *draw* function that builds a point from a
stream of integers (a :class:`Source`).  The same function gives

* random samples for ``fa-proofs verify`` (:meth:`Domain.sample`, integers from NumPy);
* a Hypothesis strategy (:meth:`Domain.strategy`, integers from Hypothesis, which shrinks and
  ``target()``-climbs integer draws where it cannot climb bounded floats);
* the completion of a user's partial point (:meth:`Domain.complete`: the *swept* parameters that
  ``--at`` leaves out, e.g. ``t`` or an initial value, are drawn exactly as ``verify`` draws them).

User points are validated against the domain's parameters and its hypotheses
(:meth:`Domain.validate`): an unknown or missing name, a non-number, a value of the wrong sign or a
violated hypothesis (certified) is a :class:`~fa_proofs.errors.UsageError`, one line.

A point is a plain ``dict`` from parameter name to an exact value (``Fraction``, ``int``, or a
SymPy matrix of rationals).  Draw functions receive the claim's statement, because hypotheses are
part of it (``eta`` below a stated maximum): a mutant of the maximum moves the samples with it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp

from .arith import exact_str, parse_exact
from .errors import UsageError

Point = dict[str, Any]


# --- integer sources ------------------------------------------------------------------------
class Source:
    """A stream of bounded integers; every random choice of a draw function goes through it."""

    def integer(self, lo: int, hi: int) -> int:
        raise NotImplementedError

    # helpers built on integers only (so Hypothesis can shrink and climb every choice)
    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[self.integer(0, len(seq) - 1)]

    def boolean(self) -> bool:
        return self.integer(0, 1) == 1

    def decimal(self, lo_exp: float, hi_exp: float, digits: int = 3) -> Fraction:
        """A positive decimal with ``digits`` significant digits, about log-uniform on
        ``[10^lo_exp, 10^hi_exp]``: mantissa and exponent are separate integer draws."""
        steps = 1000
        u = self.integer(0, steps)
        v = lo_exp + (hi_exp - lo_exp) * u / steps
        e = math.floor(v) - digits + 1
        m = int(round(10 ** (v - math.floor(v) + digits - 1)))
        return Fraction(m) * Fraction(10) ** e

    def fraction(self, num: tuple[int, int], den: tuple[int, int]) -> Fraction:
        return Fraction(self.integer(*num), self.integer(*den))

    def uniform(self, lo: Fraction, hi: Fraction, grid: int = 10**6) -> Fraction:
        """A rational on the grid of ``grid`` equal steps of [lo, hi]."""
        return Fraction(lo) + (Fraction(hi) - Fraction(lo)) * Fraction(self.integer(0, grid), grid)


class RngSource(Source):
    """Integers from a NumPy generator (``verify``'s samples)."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        return int(self.rng.integers(lo, hi + 1))


class DataSource(Source):
    """Integers from Hypothesis (``st.data()``'s draw, or a composite's)."""

    def __init__(self, draw: Callable):
        self.draw = draw

    def integer(self, lo: int, hi: int) -> int:
        from hypothesis import strategies as st
        return self.draw(st.integers(lo, hi))


# --- parameters and hypotheses ----------------------------------------------------------------
SIGNS = ("positive", "nonnegative", "negative", "real", "nonzero")


@dataclass(frozen=True)
class Param:
    """A named parameter: an exact rational, an integer, or a matrix of rationals.
    ``indexed``: a family ``name1, name2, ...`` whose size ``count(point)`` depends on the
    other parameters (``d1, ..., d_{L-1}``).  ``swept``: may be left out at ``--at``."""

    name: str
    kind: str = "rational"             # "rational" | "integer" | "matrix"
    sign: str = "real"
    swept: bool = False
    doc: str = ""
    lo: int | None = None              # integers: the smallest admissible value
    hi: int | None = None
    count: Callable[[Mapping[str, Any]], int] | None = None   # indexed families
    symbol: sp.Symbol | None = None    # the paper symbol it gives a value to (model.symbols)
    drawn: bool = True                 # False: a swept parameter the checks sweep themselves (t)
    suffix: str = ""                   # indexed families: name{i}{suffix} (theta1_0, theta2_0)

    def names(self, point: Mapping[str, Any]) -> list[str]:
        if self.count is None:
            return [self.name]
        return [f"{self.name}{i}{self.suffix}" for i in range(1, self.count(point) + 1)]

    def indexes(self, key: str) -> bool:
        """True when ``key`` is a member name of this indexed family (``d3``, ``theta2_0``)."""
        if self.count is None or not key.startswith(self.name) or not key.endswith(self.suffix):
            return False
        middle = key[len(self.name):len(key) - len(self.suffix)]
        return middle.isdigit()

    def parse(self, key: str, text: str) -> Any:
        if self.kind == "matrix":
            try:
                m = sp.Matrix(sp.sympify(text))
            except (sp.SympifyError, SyntaxError, TypeError, ValueError):
                raise UsageError(f"{key} takes a matrix of exact numbers such as "
                                 f"'Matrix([[1, 0], [0, 1/2]])', got {text!r}") from None
            if not all(v.is_Rational for v in m):
                raise UsageError(f"{key} must have exact rational entries, got {text!r}")
            return m
        try:
            v = parse_exact(text)
        except ValueError:
            raise UsageError(f"{key} takes an exact number such as 3/5, 0.6 or 1e-3, got "
                             f"{text!r}") from None
        if self.kind == "integer":
            if v.denominator != 1:
                raise UsageError(f"{key} must be a whole number, got {text}")
            v = int(v)
            if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
                rng = f"between {self.lo} and {self.hi}" if self.hi is not None else f">= {self.lo}"
                raise UsageError(f"{key} must be {rng}, got {v}")
        return v

    def sign_ok(self, v: Any) -> bool:
        if self.kind == "matrix":
            return True
        return {"positive": v > 0, "nonnegative": v >= 0, "negative": v < 0, "real": True,
                "nonzero": v != 0}[self.sign]


@dataclass(frozen=True)
class Hypothesis:
    """A stated hypothesis on the parameters, e.g. ``eta < 2/(3 (2 d lam)^(2/3))``.
    ``holds(point, statement)`` is True or False only when certified (exact or ball
    arithmetic), None when it cannot be decided."""

    text: str
    holds: Callable[[Mapping[str, Any], Mapping[str, Any]], bool | None]


Draw = Callable[[Source, int, Mapping[str, Any], Mapping[str, Any]], Point]


@dataclass(frozen=True)
class Domain:
    """See the module doc.  ``draw(source, i, given, statement)`` returns a full point that keeps
    the values in ``given``; ``i`` is the sample's index (to cycle through regimes, e.g. step
    sizes at every share of the maximum)."""

    name: str
    params: tuple[Param, ...]
    draw: Draw
    hypotheses: tuple[Hypothesis, ...] = ()
    description: str = ""
    cycle: int = 1                     # regimes cycled through by the index i

    # -- sampling ---------------------------------------------------------------------------
    def sample(self, rng: np.random.Generator, n: int, statement: Mapping[str, Any],
               given: Mapping[str, Any] | None = None) -> list[Point]:
        src = RngSource(rng)
        return [self.draw(src, i, dict(given or {}), statement) for i in range(n)]

    def strategy(self, statement: Mapping[str, Any], given: Mapping[str, Any] | None = None):
        """A Hypothesis strategy of points (drawn on integer grids)."""
        from hypothesis import strategies as st

        @st.composite
        def points(draw):
            src = DataSource(draw)
            i = src.integer(0, max(0, self.cycle - 1))
            return self.draw(src, i, dict(given or {}), statement)
        return points()

    def complete(self, given: Mapping[str, Any], rng: np.random.Generator, n: int,
                 statement: Mapping[str, Any]) -> list[Point]:
        """Points that keep ``given`` and draw every swept parameter left out; one point if
        nothing is left out."""
        if not self.missing_swept(given):
            return [dict(given)]
        return self.sample(rng, n, statement, given)

    # -- names ------------------------------------------------------------------------------
    def expected_names(self, point: Mapping[str, Any]) -> list[tuple[Param, str]]:
        out = []
        for p in self.params:
            for name in p.names(point):
                out.append((p, name))
        return out

    def missing_swept(self, given: Mapping[str, Any]) -> list[str]:
        return [name for p, name in self.expected_names(given)
                if p.swept and p.drawn and name not in given]

    def symbols(self) -> dict[sp.Symbol, str]:
        """Paper symbol -> parameter name, for the parameters that have one."""
        return {p.symbol: p.name for p in self.params if p.symbol is not None}

    def env(self, point: Mapping[str, Any]) -> dict[sp.Symbol, Any]:
        """The point as SymPy substitutions (parameters with a symbol only)."""
        return {p.symbol: point[p.name] for p in self.params
                if p.symbol is not None and p.name in point}

    # -- validation -------------------------------------------------------------------------
    def parse(self, raw: Mapping[str, str]) -> Point:
        """Exact values for the user's ``name=value`` pairs (names and syntax checked)."""
        by_name = {p.name: p for p in self.params}
        point: Point = {}
        for key, text in raw.items():
            p = by_name.get(key)
            if p is None:
                p = next((q for q in self.params if q.indexes(key)), None)
            if p is None:
                raise UsageError(f"unknown parameter {key!r}; {self.name} takes "
                                 f"{self.signature()}")
            point[key] = p.parse(key, text)
        return point

    def signature(self) -> str:
        parts = []
        for p in self.params:
            name = (f"{p.name}1{p.suffix}..{p.name}k{p.suffix}" if p.count is not None
                    else p.name)
            parts.append(f"[{name}]" if p.swept else name)
        return " ".join(parts)

    def validate(self, raw: Mapping[str, str], statement: Mapping[str, Any],
                 outside: bool = False) -> Point:
        """The user's point, parsed and checked (see the module doc); with ``outside`` the
        signs and hypotheses are not enforced (a probe beyond the theorem)."""
        point = self.parse(raw)
        expected = self.expected_names(point)
        names = {n for _, n in expected}
        for key in point:
            if key not in names:
                raise UsageError(f"unknown parameter {key!r} here; {self.name} takes "
                                 f"{', '.join(sorted(names))}")
        missing = [n for p, n in expected if n not in point and not p.swept]
        if missing:
            raise UsageError(f"missing parameter{'s' if len(missing) > 1 else ''} "
                             f"{', '.join(missing)}; {self.name} takes {self.signature()}")
        if outside:
            return point
        for p, n in expected:
            if n in point and not p.sign_ok(point[n]):
                raise UsageError(f"{n} must be {p.sign} (the hypotheses of the claim), got "
                                 f"{exact_str(point[n])}; use --outside to probe beyond them")
        self.check_hypotheses(point, statement)
        return point

    def check_hypotheses(self, point: Mapping[str, Any], statement: Mapping[str, Any]) -> None:
        for h in self.hypotheses:
            ok = h.holds(point, statement)
            if ok is False:
                raise UsageError(f"the point violates the hypothesis {h.text}; use --outside to "
                                 "probe beyond it")
            if ok is None:
                raise UsageError(f"cannot certify the hypothesis {h.text} at this point (use "
                                 "--outside to run anyway)")

    def admits(self, point: Mapping[str, Any], statement: Mapping[str, Any]) -> bool:
        """True when the point satisfies the signs and every hypothesis (certified)."""
        for p, n in self.expected_names(point):
            if n not in point:
                if p.swept:
                    continue
                return False
            if not p.sign_ok(point[n]):
                return False
        return all(h.holds(point, statement) is True for h in self.hypotheses)


def no_params(name: str, description: str = "") -> Domain:
    """The domain of a claim with no parameters (``--at`` refuses it)."""
    return Domain(name, (), lambda src, i, given, st: {}, description=description)


def point_str(point: Mapping[str, Any]) -> dict[str, str]:
    return {k: exact_str(v) for k, v in point.items()}
