"""``fa-proofs orbit``: a certified orbit of a Section 5 scheme at a user's own parameters.  It is
a loop over the scheme's bounds (:mod:`.schemes`): each is checked at the user's point by its
claim's own check, through the engine, so the command and ``verify`` cannot disagree.
"""
from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from typing import Any

from flint import arb

from ...arith import Ball
from ...engine.run import Run, run_check
from ...errors import UsageError
from ...profiles import get_profile
from ...registry import get
from ...verdicts import Status
from . import formulas as F
from .domains import euler_max_ball, layered_env
from .schemes import SCHEMES

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


def stated_max(scheme: str, point: dict[str, Any]) -> tuple[arb, str]:
    """The stated step-size maximum at the point, as a ball, and where it is stated."""
    if scheme == "midpoint":
        return (Ball(128).evaluate(F.PRINTED_ETA_MAX_MIDPOINT, {F.d: point["d"], F.lam: point["lam"]}),
                "Theorem 9 (120)")
    if scheme == "layered":
        env = {k: v for k, v in layered_env(point).items() if k is not F.eta}
        bound = F.PRINTED_ETA_MAX_LAYERED.subs(F.gamma, F.layered_gamma(int(point["L"])))
        return Ball(128).evaluate(bound, env), "Theorem 10"
    return euler_max_ball(point["d"], point["lam"]), "Theorem 26 (145)"


def point_of(args: argparse.Namespace) -> dict[str, Any]:
    if args.scheme not in SCHEMES:
        raise UsageError(f"unknown scheme {args.scheme!r}; choose one of {', '.join(SCHEMES)}")
    point: dict[str, Any] = {}
    if args.scheme == "layered":
        if not args.ds:
            raise UsageError("layered needs --ds d_1,...,d_{L-1} (L >= 2)")
        ds = [parse_positive("ds", v) for v in args.ds.split(",")]
        point["L"] = len(ds) + 1
        point.update({f"d{i + 1}": v for i, v in enumerate(ds)})
    else:
        if args.d is None:
            raise UsageError(f"{args.scheme} needs --d")
        point["d"] = parse_positive("d", args.d)
    point["lam"] = parse_positive("lam", args.lam)
    point["eta"] = parse_positive("eta", args.eta)
    return point


def _cell(v: arb) -> str:
    text = v.str(8, radius=False) if v.is_finite() else "not finite"
    if len(text) > 24:
        text = f"{float(v.mid()):.8e}"
    return f"{text:>24}"


def main(args: argparse.Namespace) -> int:
    point = point_of(args)
    steps = parse_int("steps", args.steps, 1, MAX_STEPS)
    every = parse_int("every", args.every, 1, MAX_STEPS)
    prec = parse_int("prec", args.prec, 64, 1 << 16, " of bits")
    scheme = SCHEMES[args.scheme]
    mx, where = stated_max(args.scheme, point)
    beyond = not Ball(128).convert(point["eta"]) < mx
    if beyond and not args.allow_beyond:
        raise UsageError(f"--eta {point['eta']} is not below the stated maximum {mx.str(12)} of "
                         f"{where} (use --allow-beyond to probe past it)")
    point["t"] = steps
    try:
        qty = scheme.quantities(point, steps, prec)
    except (ArithmeticError, ValueError, OverflowError, ZeroDivisionError) as exc:
        print(f"fa-proofs: undecided: the orbit could not be certified at these parameters "
              f"({exc})", file=sys.stderr)
        return 1
    run = Run(get_profile("ci"), at=point, outside=True, shrink=False, prec=prec)
    lines, undecided = [], 0
    if beyond:
        lines.append(f"eta is at or beyond the stated maximum {mx.str(12)} of {where}: the "
                     "theorems do not apply (--allow-beyond)")
    T = len(next(iter(qty.values()))) - 1
    for b in scheme.bounds:
        claim = get(b.claim)
        check, variant = claim.check(b.check, b.variant)
        res = run_check(claim, check, claim.statement_of(variant), variant, run, points=[point])
        r = next((x for x in res if x.status is Status.FAIL), None) or (res[0] if res else None)
        if r is not None and r.status is Status.FAIL:
            status = f"VIOLATED at t = {r.counterexample.params.get('t')} (certified)"
        elif r is not None and r.status is Status.PASS:
            status = f"holds at every step 0..{r.steps // max(r.points, 1) - 1} (certified)"
        else:
            undecided += 1
            status = "undecided" + (f" ({r.note})" if r is not None and r.note else "")
        lines.append(f"{b.label:<18} {b.quantity} <= bound: {status}")
    shown = sorted({t for t in range(T + 1) if t <= 5 or t % every == 0 or t == T})
    rows = ["t".rjust(6) + "".join(f"  {k:>24}" for k in qty)]
    for t in shown:
        rows.append(f"{t:>6}" + "".join(f"  {_cell(qty[k][t])}" for k in qty))
    print("\n".join(lines + [""] + rows))
    return 1 if undecided or beyond and any(not v.is_finite() for vs in qty.values() for v in vs) \
        else 0
