"""Certified orbits at a user's own parameters (``fa-proofs orbit``): each printed and corrected
bound of Section 5 compared step by step, in ball arithmetic, with the parameters validated first.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from flint import arb

from ... import intervals
from ...errors import UsageError
from ...sequences import Comparison, scan
from . import formulas as F
from .common import PREC, euler_orbit, layered_orbit, midpoint_orbit, sstar_ball
from .sampling import StepCase

SCHEMES = ("midpoint", "layered", "euler")
MAX_STEPS = 1_000_000


def parse_positive(name: str, text: str) -> Fraction:
    """An exact positive rational from '3/5', '0.6' or '1e-3'; anything else is a usage error."""
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise UsageError(f"--{name} takes an exact number such as 3/5, 0.6 or 1e-3, got {text!r}"
                         ) from None
    if value <= 0:
        raise UsageError(f"--{name} must be > 0 (the theorems assume it), got {text}")
    return value


def parse_int(name: str, text: str, lo: int, hi: int, unit: str = "") -> int:
    """A whole number in [lo, hi]; anything else is a usage error."""
    try:
        n = int(text)
    except ValueError:
        raise UsageError(f"--{name} takes a whole number{unit}, got {text!r}") from None
    if not lo <= n <= hi:
        raise UsageError(f"--{name} must be between {lo} and {hi}{unit}, got {n}")
    return n


def parse_steps(text: str, name: str = "steps") -> int:
    return parse_int(name, text, 1, MAX_STEPS)


def parse_prec(text: str) -> int:
    return parse_int("prec", text, 64, 1 << 16, " of bits")


@dataclass
class Bound:
    name: str
    lhs: str
    comparison: Comparison


def _check_eta(eta: Fraction, eta_max: arb, what: str, allow_beyond: bool) -> None:
    if allow_beyond:
        return
    if not intervals.to_arb(eta) < eta_max:
        raise UsageError(f"--eta {eta} is not below the stated maximum {eta_max.str(12)} of {what} "
                         "(use --allow-beyond to probe past it)")


def run_orbit(scheme: str, lam: Fraction, eta: Fraction, steps: int, d: Fraction | None = None,
              ds: Sequence[Fraction] = (), allow_beyond: bool = False, prec: int = PREC
              ) -> tuple[dict[str, list[arb]], list[Bound]]:
    """The certified quantities of the orbit and the claims' own comparisons at these parameters."""
    if scheme == "midpoint":
        from . import midpoint as M
        _check_eta(eta, intervals.evaluate(F.PRINTED_ETA_MAX_MIDPOINT, {F.d: d, F.lam: lam}),
                   "Theorem 9 (120)", allow_beyond)
        c = StepCase(d, lam, eta, Fraction(0))
        o = midpoint_orbit(d, lam, eta, steps, prec)
        T = len(o.e) - 1
        qty = {"x_t": [o.x(t) for t in range(T + 1)], "|x_t - r|": [abs(v) for v in o.e],
               "|x_t y_t - lam|": [abs(o.product_error(t)) for t in range(T + 1)]}
        bounds = [Bound(name, lhs, M.geometric_comparison(c, b, act, steps, prec))
                  for name, lhs, b, act in (
            ("(124) printed", "|x_t y_t - lam|", F.PRINTED_THM9, M.product_error_at),
            ("(124) corrected", "|x_t y_t - lam|", F.CORRECTED_THM9, M.product_error_at),
            ("(126) printed", "|x_t - r|", F.PRINTED_EQ126, M.defect_at),
            ("(126) corrected", "|x_t - r|", F.CORRECTED_EQ126, M.defect_at))]
        return qty, bounds
    if scheme == "layered":
        from . import layered as Ly
        if len(ds) < 1:
            raise UsageError("--ds needs d_1, ..., d_{L-1} (L >= 2 layers), e.g. --ds 1,2")
        c = Ly.LayeredCase(len(ds) + 1, tuple(ds), lam, eta, Fraction(0))
        env = {k: v for k, v in c.env().items() if k is not F.eta}
        _check_eta(eta, intervals.evaluate(F.PRINTED_ETA_MAX_LAYERED.subs(F.gamma, c.gamma), env),
                   "Theorem 10", allow_beyond)
        prec = max(prec, Ly.orbit_prec(c.gamma))   # deeper maps need more bits (orbit_prec)
        o = layered_orbit(c.K, ds[0], lam, eta, c.gamma, steps, prec)
        T = len(o.e) - 1
        qty = {"theta_1^t": [o.theta(t) for t in range(T + 1)],
               "|theta_1^t - r|": [abs(v) for v in o.e],
               "|prod - lam|": [abs(o.product_error(t)) for t in range(T + 1)]}
        bounds = [Bound(name, lhs, Ly.geometric_comparison(c, b, act, steps, prec=prec))
                  for name, lhs, b, act in (
            ("(138) printed", "|theta_1^t - r|", F.PRINTED_EQ138, "defect"),
            ("(138) corrected", "|theta_1^t - r|", F.CORRECTED_EQ138, "defect"),
            ("(133) corrected", "|prod - lam|", F.CORRECTED_THM10, "product"))]
        return qty, bounds
    if scheme == "euler":
        from . import euler as E
        _check_eta(eta, E.eta_max_ball(d, lam), "Theorem 26 (145)", allow_beyond)
        c = StepCase(d, lam, eta, Fraction(0))
        o = euler_orbit(d, lam, eta, steps, prec)
        T = len(o.xs) - 1
        li = o.ell_inf(sstar_ball(d, lam))
        qty = {"x_t": o.xs, "S_t": o.Ss, "ell_S_t - x_t": [o.gap(t) for t in range(T + 1)],
               "|x_t y_t - lam|": [o.product_error(t) for t in range(T + 1)]}
        bounds = [Bound(name, "ell_S_t - x_t", E.eq188_comparison(c, o, li, b)) for name, b in (
            ("(188) printed", F.PRINTED_EQ188), ("(188) corrected", F.CORRECTED_EQ188))]
        return qty, bounds
    raise UsageError(f"unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")


def report(qty: dict[str, list[arb]], bounds: list[Bound], every: int) -> str:
    T = len(next(iter(qty.values()))) - 1
    shown = sorted({t for t in range(T + 1) if t <= 5 or t % every == 0 or t == T})
    lines = []
    for b in bounds:
        res = scan(b.comparison)
        lines.append(f"{b.name:<18} {b.lhs} <= bound: " + (
            f"VIOLATED at t = {res.fail[0]} (certified)" if res.fail is not None else
            f"holds at every step 0..{T} (certified)" if not res.unsure else
            f"no violation; {res.unsure} steps undecided"))
    head = "t".rjust(6) + "".join(f"  {k:>24}" for k in qty)
    rows = [head]
    for t in shown:
        rows.append(f"{t:>6}" + "".join(f"  {qty[k][t].str(8, radius=False):>24}" for k in qty))
    return "\n".join(lines + [""] + rows)
