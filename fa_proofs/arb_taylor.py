"""An adaptive Taylor integrator for polynomial vector fields, at arbitrary precision, with an
exact clock.

``y' = f(y)`` with ``f`` a polynomial with exact rational coefficients (SymPy expressions with the
parameters substituted exactly: the one definition, compiled, never retyped).  A step of size
``h`` computes the scaled Taylor coefficients ``z_k = y_k h^k`` by the recurrence of the
polynomial field: every monomial is a chain of products of the variables, whose coefficients are
Cauchy products taken order by order, and ``z_{k+1} = h [f(z)]_k / (k + 1)``.  The arithmetic is
fixed point on Python integers (``P`` bits below the unit, relative to the state's scale), which
is where the speed comes from: a Cauchy product is one ``sum(map(mul, ...))`` in C.

Order and step from the requested digits (Jorba and Zou, 2005): ``N = ceil(-ln(tol)/2) + 1``;
a step is accepted when ``min(rho_{N-1}, rho_N) >= e^2`` in units of the trial step, where
``rho_j = (|z_j|/scale)^(-1/j)``; otherwise it is redone with the step the estimate allows.

The clock is exact: every step ``h`` is a rational (a dyadic estimate, or the exact remainder to
the next output time), scaling by ``h`` is an exact rational multiplication followed by one
rounding at ``2^-P``, and times are ``fmpq``; a trajectory that still moves at its output time is
not read at a time a double's rounding away.  Outputs are python-flint balls (exact midpoints of
the fixed-point values, radius 0: the truncation error is estimated, not bounded).  This is a
high-precision reference like ``mpmath.odefun``; where it feeds a verdict it is cross-checked
against a certified computation.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field as dc_field
from operator import mul
from typing import Any, Mapping, Sequence

import sympy as sp
from flint import arb, fmpq

from .arith import Ball, to_fraction


def _q(v: Any) -> fmpq:
    if isinstance(v, fmpq):
        return v
    f = to_fraction(v)
    return fmpq(f.numerator, f.denominator)


@dataclass(frozen=True)
class PolyField:
    """``y_i' = sum_m c_{i,m} y^m``: each component a tuple of (exponents, rational coefficient),
    compiled into product nodes (``nodes[j] = (a, b)``: node a times node b; nodes 0..dim-1 are
    the variables)."""

    terms: tuple[tuple[tuple[tuple[int, ...], fmpq], ...], ...]
    dim: int
    nodes: tuple[tuple[int, int], ...] = ()
    monomial_node: Mapping[tuple[int, ...], int] = dc_field(default_factory=dict)

    @staticmethod
    def of(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol],
           values: Mapping[sp.Symbol, Any] | None = None) -> "PolyField":
        """The field of ``exprs`` in ``variables``, the other symbols replaced by the exact
        ``values``."""
        subs = {s: sp.Rational(str(to_fraction(v))) for s, v in (values or {}).items()}
        out = []
        for e in exprs:
            try:
                poly = sp.Poly(sp.expand(sp.sympify(e).xreplace(subs)), *variables)
            except sp.PolynomialError:
                raise ValueError(f"not a polynomial in {variables}: {e}") from None
            if not all(c.is_Rational for c in poly.coeffs()):
                raise ValueError(f"not a polynomial with rational coefficients: {e}")
            out.append(tuple((tuple(int(k) for k in m), fmpq(int(c.p), int(c.q)))
                             for m, c in poly.terms()))
        dim = len(variables)
        nodes: list[tuple[int, int]] = []
        index: dict[tuple[int, ...], int] = {}
        for i in range(dim):
            unit = tuple(1 if j == i else 0 for j in range(dim))
            index[unit] = i

        def node(m: tuple[int, ...]) -> int:
            if m in index:
                return index[m]
            i = max(j for j, k in enumerate(m) if k)          # peel one factor of the last var
            rest = tuple(k - (1 if j == i else 0) for j, k in enumerate(m))
            a, b = node(rest), index[tuple(1 if j == i else 0 for j in range(dim))]
            nodes.append((a, b))
            index[m] = dim + len(nodes) - 1
            return index[m]
        for comp in out:
            for m, _ in comp:
                if any(m):
                    node(m)
        return PolyField(tuple(out), dim, tuple(nodes), index)


@dataclass
class TaylorStats:
    steps: int = 0
    rejected: int = 0
    order: int = 0


def _scaled_coefficients(fld: PolyField, y: Sequence[int], h: fmpq, order: int, P: int,
                         coef: list[list[tuple[int, int]]], const: list[int]) -> list[list[int]]:
    """z_k = y_k h^k, k = 0..order, in fixed point (value * 2^P)."""
    dim = fld.dim
    hn, hd = int(h.p), int(h.q)
    series: list[list[int]] = [[v] for v in y]                 # variables, then product nodes
    for a, b in fld.nodes:
        series.append([(series[a][0] * series[b][0]) >> P])
    for k in range(order):
        # f_i at order k
        nxt = []
        for i in range(dim):
            acc = 0
            for nd, c in coef[i]:
                acc += series[nd][k] * c
            acc >>= P
            if k == 0:
                acc += const[i]
            nxt.append((acc * hn) // (hd * (k + 1)))
        for i in range(dim):
            series[i].append(nxt[i])
        kk = k + 1
        for j, (a, b) in enumerate(fld.nodes):
            A, B = series[a], series[b]
            series[dim + j].append(sum(map(mul, A[:kk + 1], B[kk::-1])) >> P)
    return series[:dim]


def integrate(fld: PolyField, y0: Sequence[Any], t_eval: Sequence[Any], digits: int = 30,
              t0: Any = 0, max_steps: int = 1_000_000, stats: TaylorStats | None = None
              ) -> list[list[arb]]:
    """y at the exact times ``t_eval`` (increasing, >= t0), to about ``digits`` digits relative to
    the state's scale (max(1, |y|)); ``y0`` exact (or balls: their midpoints)."""
    tol = 10.0 ** -digits
    order = math.ceil(-math.log(tol) / 2) + 1
    P = int(digits * 3.33) + 32
    one = 1 << P

    def fix(v) -> int:
        if isinstance(v, arb):                     # a ball: its midpoint m 2^e, exactly
            m, e = (int(w) for w in v.mid().man_exp())
            return m << (P + e) if P + e >= 0 else m >> -(P + e)
        q = _q(v)
        return (int(q.p) << P) // int(q.q)
    coef = [[(fld.monomial_node[m], (int(c.p) << P) // int(c.q)) for m, c in comp if any(m)]
            for comp in fld.terms]
    const = [sum((int(c.p) << P) // int(c.q) for m, c in comp if not any(m)) for comp in fld.terms]
    times = [_q(v) for v in t_eval]
    t = _q(t0)
    if any(b <= a for a, b in zip(times, times[1:])) or (times and times[0] < t):
        raise ValueError("t_eval must be increasing and not before t0")
    y = [fix(v) for v in y0]
    h = fmpq(1, 16)
    steps = rejected = 0
    out: list[list[arb]] = []
    e2 = math.e ** 2
    for target in times:
        while t < target:
            if steps + rejected >= max_steps:
                raise ArithmeticError("arb_taylor: too many steps")
            step = target - t if h >= target - t else h
            z = _scaled_coefficients(fld, y, step, order, P, coef, const)
            scale = max(one, max(abs(v) for v in y))
            rho = math.inf
            for j in (order - 1, order):
                mag = max(abs(c[j]) for c in z) / scale
                if mag > 0:
                    rho = min(rho, mag ** (-1.0 / j))
            if rho < e2 * 0.999:                               # too long: redo shorter
                rejected += 1
                h = _dyadic_below(float(step) * rho / e2 * 0.9)
                continue
            y = [sum(c) for c in z]
            t = t + step
            steps += 1
            grow = min(rho / e2, 4.0) if math.isfinite(rho) else 4.0
            if step == h or grow > 1:
                h = _dyadic_below(float(step) * grow)
        out.append([_to_arb(v, P) for v in y])
    if stats is not None:
        stats.steps += steps
        stats.rejected += rejected
        stats.order = order
    return out


def _to_arb(v: int, P: int) -> arb:
    """The fixed-point value v 2^-P as an exact ball."""
    with Ball(max(64, abs(v).bit_length() + 8)).workprec():
        return arb(v) * arb(2) ** -P if v else arb(0)


def _dyadic_below(h: float, bits: int = 12) -> fmpq:
    if not h > 0:
        raise ArithmeticError("arb_taylor: step size underflow")
    e = math.floor(math.log2(h)) - bits + 1
    m = math.floor(h / 2.0**e)
    return fmpq(m, 1) * (fmpq(2) ** e if e >= 0 else fmpq(1, 2 ** (-e)))


def integrate_fn(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol],
                 values: Mapping[sp.Symbol, Any], y0: Sequence[Any], t_eval: Sequence[Any],
                 dps: int) -> list[list[arb]]:
    """``integrate`` of the field ``exprs`` at exact parameter ``values``, ``t_eval`` starting
    at 0 (the first output is ``y0``), at ``dps`` digits."""
    fld = PolyField.of(exprs, variables, values)
    times = [_q(v) for v in t_eval]
    with Ball(int(dps * 3.33) + 32).workprec():
        start = ([[+v if isinstance(v, arb) else arb(_q(v)) for v in y0]]
                 if times and times[0] == 0 else [])
        rest = times[1:] if start else times
        return start + integrate(fld, y0, rest, digits=dps)


def to_mpf(ctx_mp, v: arb):
    """A ball's midpoint as an ``mpf`` of the mpmath context ``ctx_mp`` (exactly, then rounded
    to that context's precision)."""
    m, e = (int(w) for w in v.mid().man_exp())
    return ctx_mp.ldexp(ctx_mp.mpf(m), e)


__all__ = ["PolyField", "integrate", "integrate_fn", "to_mpf", "TaylorStats"]
