"""Check builders shared by Section 2's claims: rates, limits, monotonicity, trajectories.

Each builder takes the *stated* formula as an argument, so that a mutant (a wrong variant of the
statement) goes through exactly the same check as the printed statement.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Sequence

import mpmath as mp
import numpy as np
import sympy as sp

from ... import intervals
from ...pointwise import le_check, sign_check
from ...rates import exp_rate, power_exponent
from ...symbolic import identity_check, reduce_to_zero
from ...verdicts import CheckResult, Counterexample, failed, passed, undecided
from . import formulas as F
from .numerics import Trajectories, monotone_violation, simulate, simulate_mp
from .sampling import ScalarCase

RATE_RTOL = 0.02          # trajectory rate estimate vs exact rate: relative agreement required
CONVERGENCE_RTOL = 1e-7   # |theta1(T) - root|, |p(T) - lambda| relative to their scale


def rate_statement_check(name: str, stated: sp.Expr, exact: sp.Expr, points: Sequence[dict],
                         what: str) -> CheckResult:
    """A stated exponential rate holds iff it does not exceed the exact asymptotic rate."""
    if reduce_to_zero(stated - exact):
        return passed(name, f"{what}: equals the exact asymptotic rate (simplifies to 0)")
    res = le_check(name, stated, exact, points, f"{what} <= exact rate")
    if res.status.value == "pass":
        return passed(name, res.detail + " (the stated rate is not sharp)")
    return res


def flow_checks(prefix: str, cases: Sequence[ScalarCase], target: np.ndarray,
                exact_rate: np.ndarray, stated_rate: np.ndarray | None, rho: np.ndarray,
                product_direction: np.ndarray | None = None, horizon: float = 80.0
                ) -> list[CheckResult]:
    """Simulate (6) for ``cases`` and check: integration success, theta1 -> target,
    theta1 theta2 -> lambda, conservation of K, the estimated rate against the exact and stated
    ones, and (optionally) monotonicity of the product."""
    tr = simulate(cases, rho, horizon=horizon)
    n = len(cases)
    out: list[CheckResult] = []
    if not tr.success.all():
        bad = int((~tr.success).sum())
        return [undecided(f"{prefix}: integration", f"{bad} of {n} trajectories failed")]
    lam = tr.lam
    # relative to lambda; for lambda = 0 relative to the initial product (at least 1)
    scale_p = np.where(lam != 0, np.abs(lam), np.maximum(np.abs(tr.product[0]), 1.0))
    e_th, e_p = _end_errors(tr.theta1[-1], tr.product[-1], target, lam, scale_p)
    slow = np.nonzero(np.maximum(e_th, e_p) > CONVERGENCE_RTOL)[0]
    extended = ""
    if len(slow):
        # starts next to a repelling or half-stable equilibrium, or past the ghost of a double
        # root: doubles cannot follow them (theta1' is below rounding there).  Their convergence
        # is certified exactly instead: theta1' points to the limit and the cubic has no root
        # between theta0 and a rational point next to the limit (Sturm), so theta1 is monotone
        # and reaches that point; the time it takes is the quadrature of 1/theta1'.
        uncertified = [i for i in slow if not certified_convergence(cases[i], float(target[i]))]
        for i in slow:
            if i not in uncertified:
                e_th[i] = e_p[i] = 0.0
        reach = max(reach_time(cases[i], float(target[i])) * rho[i] for i in slow)
        extended = (f" ({len(slow) - len(uncertified)} slow starts certified by the exact "
                    f"monotonicity argument instead; they need up to tau = {reach:.3g})")
    worst = int(np.argmax(np.maximum(e_th, e_p)))
    conv = max(e_th.max(), e_p.max())
    detail = f"{n} trajectories; worst relative error at the end {conv:.1e}{extended}"
    out.append(passed(f"{prefix}: theta1 -> root, theta1 theta2 -> lambda", detail)
               if conv <= CONVERGENCE_RTOL else
               undecided(f"{prefix}: theta1 -> root, theta1 theta2 -> lambda",
                         f"not converged within the horizon (case {cases[worst]}): {detail}"))
    k_drift = np.abs(tr.conserved - tr.conserved[0]).max(axis=0)
    k_scale = np.maximum(np.abs(tr.theta2).max(axis=0), 1.0)
    drift = (k_drift / k_scale).max()
    out.append(passed(f"{prefix}: K conserved along trajectories", f"max drift {drift:.1e}")
               if drift < 1e-8 else
               undecided(f"{prefix}: K conserved along trajectories",
                         f"drift {drift:.1e} above 1e-8 (numerical, not certified)"))
    # window: above the integrator's tolerance (1e-11), below the nonlinear regime
    est = exp_rate(tr.tau, (tr.product - lam) / scale_p, lo=1e-8, hi=1e-5) * tr.rho
    converged_here = np.ones(n, dtype=bool)
    converged_here[slow] = False           # slow starts were certified, not simulated to the end
    ok = np.isfinite(est) & (exact_rate > 0) & converged_here
    if ok.any():
        rel = np.abs(est[ok] / exact_rate[ok] - 1)
        msg = f"{int(ok.sum())} trajectories; max |estimate/exact - 1| = {rel.max():.1e}"
        out.append(passed(f"{prefix}: estimated rate = exact rate", msg) if rel.max() <= RATE_RTOL
                   else undecided(f"{prefix}: estimated rate = exact rate", msg))
        if stated_rate is not None:
            ratio = (stated_rate[ok] / est[ok]).max()
            msg = f"max stated/estimated rate {ratio:.4f}"
            out.append(passed(f"{prefix}: stated rate <= trajectory rate", msg)
                       if ratio <= 1 + RATE_RTOL else
                       undecided(f"{prefix}: stated rate <= trajectory rate",
                                 msg + " (faster than the trajectories decay)"))
    if product_direction is not None:
        p = tr.product
        tol = 1e-9 * np.maximum(np.abs(p).max(axis=0), scale_p)
        viol = monotone_violation(p, product_direction, tol)
        out.append(passed(f"{prefix}: product monotone", f"{n} trajectories, monotone within "
                          "1e-9 relative") if not viol.any() else
                   undecided(f"{prefix}: product monotone",
                             f"{int((viol > 0).sum())} trajectories step against the stated "
                             "direction (numerical)"))
    return out


def certified_convergence(case: ScalarCase, target: float, band: float = 1e-3) -> bool:
    """Exact: theta1'(theta0) points towards ``target`` and the cubic has no root between theta0
    and the rational point ``band`` (relative) before the target, but one within the band."""
    P = sp.Poly(F.derived_cubic().as_expr().subs({F.d: case.d, F.lam: case.lam, F.K: case.K}),
                F.x)
    pv = P.eval(case.theta0)
    if pv == 0:
        return abs(float(case.theta0) - target) <= band * max(1.0, abs(target))
    direction = -1 if pv > 0 else 1                       # theta1' = -P/2
    width = Fraction(band * max(1.0, abs(target))).limit_denominator(10**9)
    q = Fraction(target).limit_denominator(10**12) - direction * width
    if (q - case.theta0) * direction <= 0:
        return False
    lo, hi = (sp.Rational(v.numerator, v.denominator) for v in sorted((case.theta0, q)))
    q2 = q + 2 * direction * width
    b1, b2 = (sp.Rational(v.numerator, v.denominator) for v in sorted((q, q2)))
    return P.count_roots(lo, hi) == 0 and P.count_roots(b1, b2) >= 1


def _end_errors(th_end, p_end, target, lam, scale_p):
    e_th = np.abs(th_end - target) / np.maximum(np.abs(target), 1.0)
    return e_th, np.abs(p_end - lam) / scale_p


@lru_cache(maxsize=None)
def _reduced_mp():
    return sp.lambdify((F.x, F.d, F.lam, F.K), F.derived_reduced_rhs(), "mpmath")


def reach_time(case: ScalarCase, target: float, band: float = 1e-3) -> float:
    """Time for theta1 to go from theta0 to within ``band`` (relative) of ``target``: the
    quadrature of 1/theta1'(theta) along the separable equation (54), split at the critical
    points of the cubic (where a near-double root slows the flow down).  Only used to choose an
    integration horizon, so 15 digits suffice."""
    f = _reduced_mp()
    with mp.workdps(15):
        dd, ll, kk = (mp.mpf(v.numerator) / v.denominator for v in (case.d, case.lam, case.K))
        a = mp.mpf(case.theta0.numerator) / case.theta0.denominator
        tg = mp.mpf(target)
        b = tg - mp.sign(tg - a) * band * max(1, abs(tg))
        if (b - a) * (tg - a) <= 0:
            return 0.0
        lo, hi = min(a, b), max(a, b)
        crit = [c for c in ((-2 * dd * kk / 3) ** 0.5 * s for s in (-1, 1)) if kk < 0] if kk < 0 \
            else []
        pts = sorted({lo, hi, *[c for c in crit if lo < c < hi],
                      *[a + (b - a) * mp.mpf(10) ** (-k) for k in range(12, 0, -2)]})
        val = abs(mp.quad(lambda th: 1 / f(th, dd, ll, kk), pts))
        return float(val) if mp.isfinite(val) else float("inf")


def implicit_hp_check(name: str, case: ScalarCase, implicit, time_factor: mp.mpf, times,
                      dps: int, theta0=None, vals=None, work: int | None = None
                      ) -> CheckResult:
    """Along a high-precision mpmath trajectory, ``implicit(theta1(t)) - implicit(theta0)`` must
    equal ``time_factor * t`` to about ``dps - 8`` digits (computed with ``work`` digits, by
    default ``dps + 10``)."""
    work = dps + 10 if work is None else work
    if vals is None:
        vals = simulate_mp(case, times, work, theta0=theta0)
    with mp.workdps(work):
        th0 = vals[0][0]
        g0 = implicit(th0)
        worst = max(abs(implicit(v[0]) - g0 - time_factor * mp.mpf(tt))
                    for v, tt in zip(vals[1:], times[1:]))
        tol = mp.mpf(10) ** (-(dps - 8))
        detail = f"residual {mp.nstr(worst, 3)} at {len(times) - 1} times ({work} digits)"
        if worst <= tol:
            return passed(name, detail)
        return undecided(name, detail + f" above {mp.nstr(tol, 2)} (numerical, not certified)")


def power_law_check(name: str, exponent_stated: sp.Expr, p_exact: sp.Expr,
                    points: Sequence[dict]) -> CheckResult:
    """|p(t)| <= C t^-a for all large t holds iff lim t^a |p(t)| is finite (exact solution)."""
    for pt in points:
        val = sp.limit(F.t**exponent_stated * sp.Abs(p_exact.subs(pt)), F.t, sp.oo)
        if val in (sp.oo, -sp.oo) or val.has(sp.oo):
            return failed(name, f"t^{exponent_stated} |theta1 theta2| -> oo",
                          Counterexample.of({("theta1_0" if k == F.theta0 else "d"): v
                                             for k, v in pt.items()},
                                            f"lim t^{exponent_stated} |theta1 theta2| = oo",
                                            "symbolic limit of the exact solution (SymPy)"))
    return passed(name, f"lim t^{exponent_stated} |theta1 theta2| finite at {len(points)} exact "
                        "points")
