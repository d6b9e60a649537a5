"""``fa-proofs orbit``: a certified orbit of a Section 5 scheme at a user's own parameters.  It is
a loop over the scheme's bounds (:mod:`.schemes`): each is checked at the user's point by its
claim's own check, through the engine, so the command and ``verify`` cannot disagree.
"""
from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from typing import Any

import sympy as sp
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


def _shown(expr: Any, env: dict, ball: arb) -> str:
    """A value as an exact number when SymPy finds one (e.g. r = 1, eta_max = 2/3), else as
    the ball."""
    try:
        v = sp.sympify(expr).subs({k: sp.Rational(str(x)) for k, x in env.items()})
        if v.is_Rational:
            return str(v)
    except (TypeError, ValueError, sp.SympifyError):
        pass
    return ball.str(12)


def limit_r(scheme: str, point: dict[str, Any], prec: int) -> tuple[arb, str, str]:
    """r at the point (a ball, its display, and what it is): the limit of x_t (midpoint), of
    theta_1^t (layered), the constant of (188) (Euler, whose x_t tends to ell_{S_inf})."""
    if scheme == "layered":
        env = {k: v for k, v in layered_env(point).items() if k is not F.eta}
        expr = F.PRINTED_LEM25_R.subs(F.gamma, F.layered_gamma(int(point["L"])))
        what = "(lam/K)^(1/gamma), the limit of theta_1^t"
    else:
        env = {F.d: point["d"], F.lam: point["lam"]}
        expr = F.R_OF
        what = ("(2 d lam)^(1/3), the limit of x_t" if scheme == "midpoint" else
                "(2 d lam)^(1/3), the constant of (188)")
    r = Ball(prec).evaluate(expr, env)
    return r, _shown(expr, env, r), what


def max_shown(scheme: str, point: dict[str, Any], mx: arb) -> str:
    if scheme == "midpoint":
        return _shown(F.PRINTED_ETA_MAX_MIDPOINT, {F.d: point["d"], F.lam: point["lam"]}, mx)
    if scheme == "layered":
        env = {k: v for k, v in layered_env(point).items() if k is not F.eta}
        return _shown(F.PRINTED_ETA_MAX_LAYERED.subs(F.gamma, F.layered_gamma(int(point["L"]))),
                      env, mx)
    return mx.str(12)


def point_of(args: argparse.Namespace) -> dict[str, Any]:
    if args.scheme not in SCHEMES:
        raise UsageError(f"unknown scheme {args.scheme!r}; choose one of {', '.join(SCHEMES)}")
    if args.scheme == "layered" and args.d is not None:
        raise UsageError("--d does not apply to layered: give d_1,...,d_{L-1} with --ds")
    if args.scheme != "layered" and args.ds is not None:
        raise UsageError(f"--ds does not apply to {args.scheme} (two layers): give --d")
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


CELL = 16


def _cell(v: arb, width: int = CELL) -> str:
    """A ball's midpoint in at most ``width`` characters (8 digits, fewer if needed)."""
    text = v.str(8, radius=False) if v.is_finite() else "not finite"
    for digits in (6, 4, 2, 1):
        if len(text) <= width:
            break
        text = v.str(digits, radius=False)
    return f"{text:>{width}}"             # never cut: a longer number widens its row


def _ball(v: arb) -> str:
    """A ball as python-flint prints it at 20 digits, e.g. '[0.5 +/- 1e-40]' or '0.5'."""
    return v.str(20) if v.is_finite() else "not finite"


def main(args: argparse.Namespace) -> int:
    from ...report import emit, plural, terminal_width, wrap
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
    params = {k: str(v) for k, v in point.items()}
    L = int(point.get("L", 2))
    r, r_text, r_what = limit_r(args.scheme, point, prec)
    point["t"] = steps
    try:
        qty = scheme.quantities(point, steps, prec)
    except (ArithmeticError, ValueError, OverflowError, ZeroDivisionError) as exc:
        print(f"fa-proofs: undecided: the orbit could not be certified at these parameters "
              f"({exc})", file=sys.stderr)
        return 1
    run = Run(get_profile("ci"), at=point, outside=True, shrink=False, prec=prec)
    bounds, undecided = [], 0
    for b in scheme.bounds:
        claim = get(b.claim)
        check, variant = claim.check(b.check, b.variant)
        res = run_check(claim, check, claim.statement_of(variant), variant, run, points=[point])
        r_ = next((x for x in res if x.status is Status.FAIL), None) or (res[0] if res else None)
        entry = {"label": b.label, "quantity": b.quantity, "claim": b.claim, "variant": variant,
                 "status": "undecided", "t": None, "certified_steps": 0, "note": ""}
        if r_ is not None and r_.status is Status.FAIL:
            entry.update(status="fail", t=r_.counterexample.params.get("t"))
            text = f"VIOLATED at t = {entry['t']} (certified)"
        elif r_ is not None and r_.status is Status.PASS:
            last = r_.steps // max(r_.points, 1) - 1
            entry.update(status="pass", certified_steps=last + 1)
            text = f"holds at every step 0..{last} (certified)"
        else:
            undecided += 1
            entry["note"] = r_.note if r_ is not None else ""
            text = "undecided" + (f" ({r_.note})" if entry["note"] else "")
        entry["text"] = text
        bounds.append(entry)
    T = len(next(iter(qty.values()))) - 1
    shown = sorted({t for t in range(T + 1) if t <= 5 or t % every == 0 or t == T})
    rc = 1 if undecided or beyond and any(not v.is_finite() for vs in qty.values() for v in vs) \
        else 0
    if getattr(args, "json", False):
        import json
        from ... import __version__
        from ...report import SCHEMA_VERSION
        doc = {"tool": "fa-proofs", "version": __version__, "schema": SCHEMA_VERSION,
               "scheme": scheme.name, "label": scheme.label, "params": params, "L": L,
               "r": r_text if "[" not in r_text else _ball(r),
               "eta_max": (lambda m: m if "[" not in m else _ball(mx))(
                   max_shown(args.scheme, point, mx)), "eta_max_where": where,
               "beyond_stated_maximum": beyond, "prec": prec, "steps": T,
               "bounds": [{k: v for k, v in e.items() if k != "text"} for e in bounds],
               "rows": [{"t": t, **{k: _ball(qty[k][t]) for k in qty}} for t in shown]}
        emit(json.dumps(doc, indent=2))
        return rc
    share = float((Ball(64).convert(point["eta"]) / mx).mid())
    head = [f"{scheme.name} scheme {scheme.label}, L = {L}, at "
            + ", ".join(f"{k} = {v}" for k, v in params.items()),
            f"r = {r_text}  ({r_what})",
            f"stated maximum step: eta < {max_shown(args.scheme, point, mx)} ({where}); eta is "
            f"{share:.4g} x that",
            f"ball arithmetic at {prec} bits; {plural(T, 'step')}"
            + (f" (0..5 and every {every}th shown)" if every > 1 else "")]
    if T < steps:
        head.append(f"the orbit stops at t = {T} of {steps}: its iterates diverge (beyond the "
                    "stated maximum) or can no longer be certified")
    if beyond:
        head.insert(0, f"eta is at or beyond the stated maximum {max_shown(args.scheme, point, mx)}"
                       f" of {where}: the theorems do not apply (--allow-beyond)")
    cols = terminal_width()
    lines = [w for h in head for w in wrap(h, cols, "", "  ")] + [""]
    for e in bounds:
        lines += wrap(f"{e['quantity']} <= bound: {e['text']}", cols, f"{e['label']:<18} ",
                      " " * 21)
    widths = {k: max(CELL, len(k)) for k in qty}
    rows = ["t".rjust(6) + "".join(f"  {k:>{widths[k]}}" for k in qty)]
    for t in shown:
        rows.append(f"{t:>6}" + "".join(f"  {_cell(qty[k][t], widths[k])}" for k in qty))
    emit("\n".join(lines + [""] + rows))
    return rc
