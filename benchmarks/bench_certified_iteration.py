"""Benchmark: certified 10,000-step orbits in defect coordinates against naive interval iteration.

    python3 benchmarks/bench_certified_iteration.py [--steps 10000] [--cap-bits 131072]
                                                     [--no-refine]

What is compared.  Each row certifies one quantity at the end T of an orbit from x_0 = 0 with
exact rational parameters (d = 1/2, lam = 1 unless changed in ``MIDPOINT_CASES`` /
``EULER_CASES``):

* two-layer midpoint map (119), x_{t+1} = x_t + eta/2 (2 d lam - x_t^3): the product error
  lam - x_T y_T = lam - x_T^3/(2d), at eta = 1/10, 1/2 and 99/100 of the maximal step
  2 / (3 (2 d lam)^(2/3));
* forward Euler (159)-(160), (x, S) -> (x + eta/2 P, S + (eta/2 P)^2): the residual
  P_T = 2 d lam - x_T^3 + x_T S_T (= 2d (lam - x_T y_T) by (143)), at the same fractions of
  min(2 / (3 (S* + 1)^2), 2 / (2 d lam + 4/27)), S* the positive root of x^3 - x^2 - 2 d lam.

Three certified methods, all with python-flint ``arb`` balls:

* **defect**  ``MidpointOrbit`` / ``EulerOrbit`` at 128 bits: the small quantity is carried as a
  product of factors, e_{t+1} = e_t phi(e_t) with e_t = r - x_t, resp. P_{t+1} = P_t phi(x, S, P),
  so its ball keeps a *relative* radius of a few ulps per step;
* **naive**   ``iterate.ball_orbit`` of the map in its own coordinates (compiled once by
  ``iterate.Map``), the quantity evaluated from the final balls, at the smallest
  power-of-two precision (128, 256, ... up to ``--cap-bits``) whose radius is no larger than the
  defect run's.  Interval evaluation of x + eta/2 (2 d lam - x^3) adds the radii of both terms,
  so the radius is multiplied by about 1 + 3 eta x^2 / 2 > 1 at *every* step even though the
  true map contracts (its derivative is 1 - 3 eta x^2 / 2): after T steps the ball has lost
  about T log2(1 + 3 eta x^2/2) bits, and the quantity itself has shrunk to 2^-(something linear
  in T) as well, so the precision the naive run needs grows linearly with the horizon (tens of
  thousands of bits at T = 10,000 near the maximal step).  If the cap is not enough the ratio is
  a lower bound.  Unless ``--no-refine``, the precision is then also cut down to about the
  smallest one that works (predicted from the surplus bits of the doubling run, and verified),
  which is the fairer time for the naive method;
* **centred** ``iterate.centred_orbit`` (mean-value form F(m) + J(X)(X - m)) at 128 bits, for
  comparison: its radius follows the true derivative, so it does not blow up, but it stays an
  *absolute* radius of about 2^-128, far wider than the quantity at T, whose sign it therefore
  cannot certify.

Reported per row: wall time (defect and centred: median of repeated runs; naive: one run),
radius of the quantity's ball (log2 and decimal), precision, and the speed ratio naive / defect.
The script ends with a PASS/FAIL line for the budget "the certified 10,000-step two-layer check
runs in under 1 second" (exit status 1 on FAIL).  Import it to reuse the pieces without running.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Callable

from flint import arb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fa_proofs.arith import Ball  # noqa: E402
from fa_proofs.iterate import Map, ball_orbit, centred_orbit  # noqa: E402
from fa_proofs.sections.discrete import formulas as F  # noqa: E402
from fa_proofs.sections.discrete.domains import euler_max_ball  # noqa: E402
from fa_proofs.sections.discrete.orbits import EulerOrbit, MidpointOrbit, q  # noqa: E402

STEPS = 10_000
PREC = 128
CAP_BITS = 2**17
BUDGET_S = 1.0
FRACTIONS = (Fraction(1, 10), Fraction(1, 2), Fraction(99, 100))
MIDPOINT_CASES = ((Fraction(1, 2), Fraction(1)),)          # (d, lam)
EULER_CASES = ((Fraction(1, 2), Fraction(1)),)

# --- the maps in their own coordinates, compiled once from SymPy ------------------------------
# (119) as (123) writes it, x + eta/2 (2 d lam - x^3): the Euler map (144) with S = 0
CUBIC = Map.of([F.PRINTED_EQ144.subs(F.S, 0)], (F.x,), (F.d, F.lam, F.eta))
_PRODUCT_ERROR = ([F.lam - F.x**3 / (2 * F.d)], (F.x, F.d, F.lam))
EULER = Map.of([F.PRINTED_EQ144, F.PRINTED_EQ160], (F.x, F.S), (F.d, F.lam, F.eta))
_P_OF = ([F.P], (F.x, F.S, F.d, F.lam))


def product_error(prec: int):
    return Ball(prec).compile(*_PRODUCT_ERROR)


def p_of(prec: int):
    return Ball(prec).compile(*_P_OF)


# --- radii -------------------------------------------------------------------------------------
def log2_rad(b: arb) -> float:
    """log2 of the radius of ``b`` (-inf if exact, inf if infinite or astronomically large)."""
    r = b.rad()
    if r.is_zero():
        return -math.inf
    if not r.is_finite() or b.is_nan():
        return math.inf
    m, e = r.man_exp()
    if abs(e) > 10**12:
        return math.inf if e > 0 else -math.inf
    return math.log2(int(m)) + int(e)


def fmt_rad(l2: float) -> str:
    """``2^-1628 (1.1e-490)``: a radius given by its log2 (no float underflow)."""
    if l2 == math.inf:
        return "inf (blown up)"
    if l2 == -math.inf:
        return "0 (exact)"
    l10 = l2 * math.log10(2)
    ex = math.floor(l10)
    return f"2^{l2:.0f} ({10 ** (l10 - ex):.1f}e{ex})"


def no_wider(b: arb, target: arb) -> bool:
    """rad(b) <= rad(target), compared exactly."""
    if b.is_nan() or not b.rad().is_finite():
        return False
    return bool(b.rad() <= target.rad())


def timed(fn: Callable[[], object], repeats: int = 1) -> tuple[float, object]:
    """(median wall seconds over ``repeats`` runs, result of the last run)."""
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def floor_fraction(b: arb, digits: int = 12) -> Fraction:
    """A rational with ``digits`` decimals certified <= every point of the ball ``b``."""
    m, e = b.lower().man_exp()
    lo = Fraction(int(m)) * Fraction(2) ** int(e)
    return Fraction(math.floor(lo * 10**digits), 10**digits)


# --- one row -----------------------------------------------------------------------------------
@dataclass
class Run:
    method: str
    seconds: float
    prec: int
    value: arb | None
    note: str = ""

    @property
    def l2(self) -> float:
        return math.inf if self.value is None else log2_rad(self.value)


@dataclass
class Row:
    label: str
    target: arb                     # the defect run's enclosure of the quantity at T
    defect: Run
    naive: Run
    naive_found: bool               # False: the cap was not enough, the ratio is a lower bound
    naive_refined: Run | None
    centred: Run
    doubling: list[tuple[int, float, float]]   # (prec, seconds, log2 radius) of each attempt


def search_naive(run_at: Callable[[int], arb], target: arb, cap: int, refine: bool,
                 start: int = PREC) -> tuple[Run, bool, Run | None, list]:
    """Doubling search for the precision at which ``run_at(prec)`` is no wider than ``target``;
    then (optionally) the precision predicted from the surplus bits, verified."""
    tried = []
    p, hit, last = start, None, None
    while p <= cap:
        sec, val = timed(lambda: run_at(p))
        tried.append((p, sec, log2_rad(val)))
        last = Run("naive", sec, p, val)
        if no_wider(val, target):
            hit = last
            break
        p *= 2
    if hit is None:
        return last, False, None, tried
    refined = None
    surplus = log2_rad(target) - hit.l2             # bits more accurate than needed
    if refine and surplus > 64:
        p2 = max(start, 64 * math.ceil((hit.prec - surplus + 32) / 64))
        if p2 < hit.prec:
            sec, val = timed(lambda: run_at(p2))
            if no_wider(val, target):
                refined = Run("naive", sec, p2, val, "refined")
    return hit, True, refined, tried


def midpoint_row(d: Fraction, lam: Fraction, frac: Fraction, steps: int, cap: int,
                 refine: bool) -> Row:
    eta_max_ball = Ball(PREC).evaluate(F.PRINTED_ETA_MAX_MIDPOINT, {F.d: d, F.lam: lam})
    eta_max = Fraction(2, 3) if 2 * d * lam == 1 else floor_fraction(eta_max_ball)
    eta = frac * eta_max
    params = (q(d), q(lam), q(eta))

    def defect():
        orbit = MidpointOrbit(d, lam, eta, steps, prec=PREC)
        if len(orbit.e) != steps + 1:
            raise RuntimeError(f"MidpointOrbit stopped at t = {len(orbit.e) - 1} < {steps}")
        err = orbit.product_error(steps)
        if not err > 0:
            raise RuntimeError("product error not certified > 0")
        return err

    sec, target = timed(defect, repeats=5)

    def naive(p: int) -> arb:
        orbit = ball_orbit(CUBIC, [0], steps, params, prec=p)
        return product_error(p)(orbit[-1][0], q(d), q(lam))[0]

    hit, found, refined, tried = search_naive(naive, target, cap, refine)

    def centred() -> arb:
        orbit = centred_orbit(CUBIC, [0], steps, params, prec=PREC)
        return product_error(PREC)(orbit[-1][0], q(d), q(lam))[0]

    csec, cval = timed(centred, repeats=3)
    label = f"midpoint d={d} lam={lam} eta={frac}*eta_max={eta}"
    return Row(label, target, Run("defect", sec, PREC, target), hit, found, refined,
               Run("centred", csec, PREC, cval), tried)


def euler_eta_max(d: Fraction, lam: Fraction) -> Fraction:
    """A rational lower bound (12 decimals) of the maximum (145), from its one definition."""
    return floor_fraction(euler_max_ball(d, lam))


def euler_row(d: Fraction, lam: Fraction, frac: Fraction, steps: int, cap: int,
              refine: bool) -> Row:
    eta_max = euler_eta_max(d, lam)
    eta = frac * eta_max
    params = (q(d), q(lam), q(eta))

    def defect():
        orbit = EulerOrbit(d, lam, eta, steps, prec=PREC)
        P = orbit.Ps[steps]
        if not P > 0:
            raise RuntimeError("P_T not certified > 0")
        return P

    sec, target = timed(defect, repeats=3)

    def naive(p: int) -> arb:
        orbit = ball_orbit(EULER, [0, 0], steps, params, prec=p)
        return p_of(p)(*orbit[-1], q(d), q(lam))[0]

    hit, found, refined, tried = search_naive(naive, target, cap, refine)

    def centred() -> arb:
        orbit = centred_orbit(EULER, [0, 0], steps, params, prec=PREC)
        return p_of(PREC)(*orbit[-1], q(d), q(lam))[0]

    csec, cval = timed(centred, repeats=3)
    label = f"Euler d={d} lam={lam} eta={frac}*eta_max={float(eta):.6g}"
    return Row(label, target, Run("defect", sec, PREC, target), hit, found, refined,
               Run("centred", csec, PREC, cval), tried)


def check_consistent(row: Row) -> list[str]:
    """Every enclosure contains the same exact value, so any two of them must overlap."""
    bad = []
    for run in (row.naive, row.naive_refined, row.centred):
        if run is not None and run.value is not None and not run.value.overlaps(row.target):
            bad.append(f"{row.label}: {run.method} ({run.prec} bits) does not overlap the "
                       f"defect enclosure")
    return bad


# --- report ------------------------------------------------------------------------------------
def _log2_abs(b: arb) -> float:
    m, e = b.mid().man_exp()
    return math.log2(abs(int(m))) + int(e) if int(m) != 0 else -math.inf


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=STEPS)
    p.add_argument("--cap-bits", type=int, default=CAP_BITS,
                   help="largest precision tried for the naive iteration (2^17)")
    p.add_argument("--no-refine", action="store_true",
                   help="skip the near-minimal precision re-run of the naive iteration")
    a = p.parse_args(argv)
    t_start = time.perf_counter()
    import flint
    print(f"T = {a.steps} steps; defect and centred at {PREC} bits; naive precision by doubling "
          f"from {PREC} to {a.cap_bits} bits; python-flint {flint.__version__}")
    print()

    mid_rows = [midpoint_row(d, lam, f, a.steps, a.cap_bits, not a.no_refine)
                for d, lam in MIDPOINT_CASES for f in FRACTIONS]
    _print_rows("two-layer midpoint map (119)", "lam - x_T y_T = lam - x_T^3/(2d)", mid_rows)
    eu_rows = [euler_row(d, lam, f, a.steps, a.cap_bits, not a.no_refine)
               for d, lam in EULER_CASES for f in FRACTIONS]
    _print_rows("forward Euler (159)-(160)", "P_T = 2 d lam - x_T^3 + x_T S_T", eu_rows)

    problems = [m for row in mid_rows + eu_rows for m in check_consistent(row)]
    for m in problems:
        print("INCONSISTENT:", m)
    worst = max(row.defect.seconds for row in mid_rows)
    ok = worst < BUDGET_S and not problems
    print(f"{'PASS' if ok else 'FAIL'}: certified {a.steps}-step two-layer check (MidpointOrbit "
          f"+ product_error, {PREC} bits) takes at most {worst:.4f} s per case "
          f"(budget {BUDGET_S:g} s)" + ("; enclosures inconsistent" if problems else ""))
    print(f"total benchmark wall time {time.perf_counter() - t_start:.1f} s")
    return 0 if ok else 1


def _print_rows(title: str, quantity: str, rows: list[Row]) -> None:
    print(f"{title}: certified enclosure of {quantity} at T")
    w = 24
    print(f"  {'method':<{w}} {'bits':>7} {'time s':>9} {'radius':>26} {'rel bits':>8} "
          f"{'t / t_defect':>13}")
    for row in rows:
        print(f"  {row.label}: value ~ 2^{_log2_abs(row.target):.0f}")
        lines = [("defect", row.defect, "")]
        lines.append(("naive ball_orbit", row.naive,
                      "" if row.naive_found else "cap reached, radius still too wide: ratio "
                                                 "is a lower bound"))
        if row.naive_refined is not None:
            lines.append(("naive, near-min. bits", row.naive_refined, ""))
        lines.append(("centred_orbit", row.centred, "cannot certify the sign"
                      if row.centred.value is not None and row.centred.value.contains(0) else ""))
        for name, run, note in lines:
            rel = max(run.value.rel_accuracy_bits(), 0) if run.value is not None else 0
            ratio = run.seconds / row.defect.seconds
            rs = f"{ratio:.1f}x" if run.method != "naive" or row.naive_found else f">= {ratio:.1f}x"
            print(f"    {name:<{w - 2}} {run.prec:>7} {run.seconds:>9.4f} {fmt_rad(run.l2):>26} "
                  f"{rel:>8} {rs:>13}" + (f"  ({note})" if note else ""))
        steps = ", ".join(f"{p}:{'ok' if l2 <= log2_rad(row.target) else 'wide'}"
                          for p, _, l2 in row.doubling)
        print(f"    doubling search: {steps}")
    print()


if __name__ == "__main__":
    raise SystemExit(main())
