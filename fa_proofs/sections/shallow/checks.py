"""Check builders shared by Section 2's claims: identities, implicit solutions, rates, sign
tables, root counts, power laws, trajectories and high-precision checks.

Each builder reads the *stated* formula from the claim's statement (a part), so that a mutant goes
through exactly the same check as the printed statement; each gets its points from the engine.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp

from ...arith import FLOAT, MP, Ball, ball_str, certify_sign, exact_str
from ...engine import Check
from ...pointwise import sign_check
from ...rates import exp_rate
from ...symbolic import IMPLICIT_WHAT, identity_check, implicit_residual, reduce_to_zero
from ...verdicts import (CheckResult, Counterexample, Evidence, Measure, failed, passed,
                         undecided)
from . import formulas as F
from .domains import roots_of
from .numerics import ScalarCase, case_of, monotone_violation, reach_time, simulate

RATE_RTOL = 0.02          # trajectory rate estimate vs exact rate: relative agreement required
CONVERGENCE_RTOL = 1e-7   # |theta1(T) - root|, |p(T) - lambda| relative to their scale
K_DRIFT_TOL = 1e-8        # |K(t) - K(0)| / max(|theta2|, 1)
MONOTONE_RTOL = 1e-9      # steps against the stated direction, relative


def point_str(point: Mapping[str, Any]) -> dict[str, str]:
    return {k: exact_str(v) for k, v in point.items()}


# --- identities ---------------------------------------------------------------------------------
def identity(name: str, residual: Callable[[Mapping[str, Any]], sp.Expr], what: str = "residual",
             at: Callable[[Mapping[str, Any]], Mapping[sp.Symbol, Any]] | None = None,
             applies: Callable[[Mapping[str, Any]], bool] | None = None) -> Check:
    """``residual(statement) == 0``: proven by SymPy on the whole domain (sampled run) or after
    substituting the user's point (``--at``; ``at(point)`` gives the substitutions when the
    residual is not written in the domain's symbols), else refuted at a certified point."""
    def fn(statement, points, run):
        subs = None
        if run.at is not None:
            subs = at(run.at) if at is not None else run.at_env
        return identity_check(name, residual(statement), run.rng(f"{run.claim.id}/{name}"),
                              names=run.names(), at=subs, what=what)
    return Check(name, fn, samples=0, applies=applies)


def implicit(name: str, part: str, args: Sequence[sp.Symbol], rhs: sp.Expr,
             time_factor: sp.Expr, at=None, applies=None) -> Check:
    """The implicit solution ``statement[part](theta1, *args) + C0 = time_factor * t`` solves
    ``theta1' = rhs``: d/dtheta1 of it times rhs minus time_factor is identically 0."""
    return identity(name, lambda st: implicit_residual(st[part](F.theta1, *args), F.theta1, rhs,
                                                       time_factor),
                    IMPLICIT_WHAT, at=at, applies=applies)


# --- rates ----------------------------------------------------------------------------------------
@lru_cache(maxsize=1024)
def proven_zero(expr: sp.Expr) -> bool:
    """:func:`reduce_to_zero`, cached (a counterexample's shrinking re-runs a check many
    times with the same statement)."""
    return reduce_to_zero(expr)


Row = tuple[Mapping[sp.Symbol, Any], Mapping[str, Any]]     # (evaluation env, reported point)


def _only(env: Mapping[sp.Symbol, Any], expr: sp.Expr) -> dict:
    return {s: v for s, v in env.items() if s in sp.sympify(expr).free_symbols}


def rate_statement_check(name: str, stated: sp.Expr, exact: sp.Expr, rows: Sequence[Row],
                         what: str = "stated rate") -> CheckResult:
    """A stated exponential rate holds iff it does not exceed the exact asymptotic rate: proven
    equal by SymPy, else ``stated <= exact`` certified in ball arithmetic at each row (env values
    exact or certified balls, e.g. irrational roots); a certified ``stated > exact`` is a
    counterexample at the row's point."""
    rel = f"{what} <= exact asymptotic rate"
    if proven_zero(sp.sympify(stated) - exact):
        return passed(name, Evidence.SYMBOLIC, f"{what} = exact asymptotic rate")
    diff = sp.sympify(exact) - stated
    unsure, worst = 0, None
    for full, params in rows:
        env = {s: v for s, v in full.items() if s in diff.free_symbols}
        s = certify_sign(diff, env)
        if s == -1:
            vals = {"stated": ball_str(Ball(256).evaluate(stated, _only(full, stated))),
                    "exact": ball_str(Ball(256).evaluate(exact, _only(full, exact)))}
            return failed(name, Evidence.BALL, rel,
                          Counterexample.of(params, f"{what} > exact rate", vals),
                          points=len(rows))
        if s is None:
            unsure += 1
            continue
        try:
            q = float((Ball(64).evaluate(stated, _only(full, stated))
                       / Ball(64).evaluate(exact, _only(full, exact))).mid())
        except (ArithmeticError, ZeroDivisionError, ValueError):
            q = None
        if q is not None and (worst is None or q > worst[0]):
            worst = (q, params)
    m = None if worst is None else Measure("max stated/exact rate", worst[0], point_str(worst[1]))
    if unsure or not rows:
        return undecided(name, Evidence.BALL, rel, points=len(rows), measure=m,
                         note=f"not certified at {unsure} of {len(rows)} points")
    return passed(name, Evidence.BALL, rel, points=len(rows), measure=m)


def root_env(point: Mapping[str, Any], symbols: Sequence[sp.Symbol], pick: Sequence[int]
             ) -> dict[sp.Symbol, Any] | None:
    """The roots number ``pick`` of the cubic at the point as values of ``symbols`` (exact
    rationals, else certified balls); None when the point has not that many real roots."""
    roots = roots_of(point)
    if max(pick) >= len(roots):
        return None
    return {s: roots[i].value for s, i in zip(symbols, pick)}


# --- signs ---------------------------------------------------------------------------------------
def side(theta: Fraction, roots) -> int | None:
    """How many of the (sorted) roots lie below theta; None at a root or when not certified."""
    n = 0
    for rt in roots:
        if rt.exact is not None:
            if theta == rt.exact:
                return None
            n += theta > rt.exact
        else:
            b = Ball(256).convert(theta)
            with Ball(256).workprec():
                above, below = b > rt.ball, b < rt.ball
            if not (above or below):
                return None
            n += bool(above)
    return n


def interval_of(point: Mapping[str, Any]) -> int | None:
    """The interval cut by the real roots in which theta1(0) lies (0 = below all)."""
    th = point["theta1_0"] if "theta1_0" in point else point["theta1"]
    return side(Fraction(th), roots_of(point))


def sign_table(name: str, part: str, index: int, rhs: sp.Expr, where: Callable[[Mapping], bool],
               label: str, what: str = "theta1'(0)", samples=None) -> Check:
    """``rhs`` has the sign ``statement[part][index]`` at every point where ``where`` holds
    (certified in ball arithmetic)."""
    def fn(statement, points, run):
        pts = [run.env(p) for p in points if where(p)]
        return sign_check(name, rhs, statement[part][index], pts, what, names=run.names())
    return Check(name, fn, samples=samples, applies=where)


# --- exact root counts ----------------------------------------------------------------------------
def root_count(name: str, what: str, ok: Callable[[Mapping[str, Any]], bool],
               limit: int | None = None, unique: bool = False, samples=None) -> Check:
    """``ok(point)`` (exact rationals, exact root isolation) at every point (the first ``limit``;
    ``unique``: one per (d, lambda, K) family); a point where it fails is an exact
    counterexample."""
    def fn(statement, points, run):
        pts, seen = [], set()
        for p in points:
            key = (p["d"], p.get("lam"), p.get("K"))
            if unique and key in seen:
                continue
            seen.add(key)
            pts.append(p)
        pts = pts[:limit] if limit else pts
        for p in pts:
            if not ok(p, statement):
                return failed(name, Evidence.EXACT, what,
                              Counterexample.of({k: v for k, v in p.items() if k != "theta1_0"},
                                                f"not: {what}", {}, Evidence.EXACT),
                              points=len(pts))
        return passed(name, Evidence.EXACT, what, points=len(pts))
    return Check(name, fn, samples=samples)


def n_real_roots(point: Mapping[str, Any]) -> int:
    """Real roots with multiplicity."""
    return sum(rt.multiplicity for rt in roots_of(point))


# --- power laws (lambda = 0) ---------------------------------------------------------------------
@lru_cache(maxsize=64)
def _power_limit(exponent: sp.Expr, product: sp.Expr, sgn: int) -> sp.Expr:
    pos = sp.Symbol("theta0p", positive=True)
    expr = exponent_law(exponent, product).subs(F.theta0, sgn * pos)
    lim = sp.limit(expr, F.t, sp.oo)
    return lim.subs(pos, sgn * F.theta0)


def exponent_law(exponent: sp.Expr, product: sp.Expr) -> sp.Expr:
    return F.t**exponent * sp.Abs(product)


def power_law_check(name: str, exponent: sp.Expr, product: sp.Expr,
                    points: Sequence[Mapping[str, Any]]) -> CheckResult:
    """|p(t)| <= C t^-a for all large t holds iff lim t^a |p(t)| is finite (exact solution);
    the limit is taken by SymPy for theta0 > 0 and < 0, then read at each exact point."""
    what = f"lim t^({exponent}) |theta1 theta2| < oo"
    for p in points:
        th = Fraction(p["theta1_0"])
        lim = _power_limit(sp.sympify(exponent), sp.sympify(product), 1 if th > 0 else -1)
        val = lim.subs({F.theta0: sp.Rational(str(th)), F.d: sp.Rational(str(p["d"]))})
        if val in (sp.oo, -sp.oo, sp.zoo) or val.has(sp.oo):
            return failed(name, Evidence.SYMBOLIC, what,
                          Counterexample.of({"d": p["d"], "theta1_0": th},
                                            f"lim t^({exponent}) |theta1 theta2| = oo",
                                            {"limit": str(val)}, Evidence.SYMBOLIC),
                          points=len(points))
    return passed(name, Evidence.SYMBOLIC, what, points=len(points))


# --- trajectories ----------------------------------------------------------------------------------
def certified_convergence(case: ScalarCase, target: float, band: float = 1e-3) -> bool:
    """Exact: theta1'(theta0) points towards ``target`` and the cubic has no root between theta0
    and the rational point ``band`` (relative) before the target, but one within the band."""
    P = sp.Poly(F.derived_cubic().subs({F.d: sp.Rational(str(case.d)),
                                        F.lam: sp.Rational(str(case.lam)),
                                        F.K: sp.Rational(str(case.K))}), F.theta1)
    pv = case.P(case.theta0)
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


def flow_checks(prefix: str, cases: Sequence[ScalarCase], target: np.ndarray,
                exact_rate: np.ndarray, stated_rate: np.ndarray | None, rho: np.ndarray,
                product_direction: np.ndarray | None = None, horizon: float = 80.0,
                also: Callable[[Any], list[CheckResult]] | None = None,
                points: Sequence[Mapping[str, Any]] | None = None) -> list[CheckResult]:
    """Simulate (6) for ``cases`` and check: theta1 -> target and theta1 theta2 -> lambda,
    conservation of K, the estimated rate against the exact and stated ones, and (optionally)
    monotonicity of the product; ``also(trajectories)`` adds checks on the same trajectories.
    Numerical disagreement is undecided, never a failure.  Each measure names the worst
    trajectory: as its domain point (``points``, one per case, so that ``verify ID --at`` can
    rerun it), else as (d, lambda, K, theta1(0))."""
    n = len(cases)
    if n == 0:
        return []

    def where(i: int) -> dict[str, str]:
        if points is not None:
            return point_str({k: v for k, v in points[i].items() if not k.startswith("_")})
        c = cases[i]
        return point_str({"d": c.d, "lam": c.lam, "K": c.K, "theta1_0": c.theta0})
    tr = simulate(cases, rho, horizon=horizon)
    out: list[CheckResult] = []
    if not tr.success.all():
        bad = int((~tr.success).sum())
        return [undecided(f"{prefix}: integration", Evidence.FLOAT, "trajectories of (6)",
                          points=n, note=f"{bad} of {n} trajectories failed")]
    lam = tr.lam
    # relative to lambda; for lambda = 0 relative to the initial product (at least 1)
    scale_p = np.where(lam != 0, np.abs(lam), np.maximum(np.abs(tr.product[0]), 1.0))
    e_th = np.abs(tr.theta1[-1] - target) / np.maximum(np.abs(target), 1.0)
    e_p = np.abs(tr.product[-1] - lam) / scale_p
    slow = np.nonzero(np.maximum(e_th, e_p) > CONVERGENCE_RTOL)[0]
    note = ""
    if len(slow):
        # starts next to a repelling or half-stable equilibrium, or past the ghost of a double
        # root: doubles cannot follow them (theta1' is below rounding there).  Their convergence
        # is certified exactly instead: theta1' points to the limit and the cubic has no root
        # between theta0 and a rational point next to the limit (Sturm), so theta1 is monotone
        # and reaches that point; the time it takes is the quadrature of 1/theta1'.
        certified = [i for i in slow if certified_convergence(cases[i], float(target[i]))]
        for i in certified:
            e_th[i] = e_p[i] = 0.0
        if certified:
            reach = max(reach_time(cases[i], float(target[i])) * rho[i] for i in certified)
            note = (f"{len(certified)} slow starts certified by the exact monotonicity argument "
                    f"(Sturm) instead; they need up to tau = {reach:.3g}")
    worst = int(np.argmax(np.maximum(e_th, e_p)))
    conv = float(max(e_th.max(), e_p.max()))
    at = where(worst)
    name = f"{prefix}: theta1 -> root, theta1 theta2 -> lambda"
    what = "theta1 -> root, theta1 theta2 -> lambda"
    m = Measure("relative error at the end", conv, at, CONVERGENCE_RTOL)
    out.append((passed if conv <= CONVERGENCE_RTOL else undecided)(
        name, Evidence.FLOAT, what, points=n, measure=m, note=note))
    k_drift = np.abs(tr.conserved - tr.conserved[0]).max(axis=0)
    drifts = k_drift / np.maximum(np.abs(tr.theta2).max(axis=0), 1.0)
    drift = float(drifts.max())
    out.append((passed if drift < K_DRIFT_TOL else undecided)(
        f"{prefix}: K conserved along trajectories", Evidence.FLOAT,
        "K = theta2 - theta1^2/(2d) constant", points=n,
        measure=Measure("relative drift of K", drift, where(int(np.argmax(drifts))),
                        K_DRIFT_TOL)))
    # The rate is read where the linearisation at the limit holds and rounding is not yet felt:
    # the product error between 1e-8 and 1e-5 of its scale there (above the integrator's
    # tolerance 1e-11, below the nonlinear regime).  For lambda != 0 that scale is |lambda|.
    # For lambda = 0 the product itself tends to 0, and the linear regime is |theta1 - limit|
    # below the distance sqrt(2 d |K|) from the limit to the other roots of theta1^3 + 2dK theta1
    # (real or complex), where the product error is |dp/dtheta1| sqrt(2 d |K|), with
    # dp/dtheta1 = exact rate / d.  (Measured against max(|p(0)|, 1) instead, a start with
    # |K| << 1 was read in its nonlinear regime: a rate off by a quarter.)
    kk = np.array([float(c.K) for c in cases])
    lin = np.abs(exact_rate) / tr.d * np.sqrt(2 * tr.d * np.abs(kk))
    scale_r = np.where(lam != 0, np.abs(lam), np.where(lin > 0, lin, 1.0))
    est = exp_rate(tr.tau, (tr.product - lam) / scale_r, lo=1e-8, hi=1e-5) * tr.rho
    converged_here = np.ones(n, dtype=bool)
    converged_here[slow] = False           # slow starts were certified, not simulated to the end
    ok = np.isfinite(est) & (exact_rate > 0) & converged_here
    if ok.any():
        idx = np.nonzero(ok)[0]
        rels = np.abs(est[ok] / exact_rate[ok] - 1)
        rel = float(rels.max())
        out.append((passed if rel <= RATE_RTOL else undecided)(
            f"{prefix}: estimated rate = exact rate", Evidence.FLOAT,
            "rate of |theta1 theta2 - lambda| = exact rate at the limit", points=int(ok.sum()),
            measure=Measure("max |estimate/exact - 1|", rel, where(int(idx[np.argmax(rels)])),
                            RATE_RTOL)))
        if stated_rate is not None:
            ratios = stated_rate[ok] / est[ok]
            ratio = float(ratios.max())
            out.append((passed if ratio <= 1 + RATE_RTOL else undecided)(
                f"{prefix}: stated rate <= trajectory rate", Evidence.FLOAT,
                "stated rate <= observed rate", points=int(ok.sum()),
                measure=Measure("max stated/observed rate", ratio,
                                where(int(idx[np.argmax(ratios)])), RATE_RTOL)))
    if product_direction is not None:
        p = tr.product
        tol = MONOTONE_RTOL * np.maximum(np.abs(p).max(axis=0), scale_p)
        viol = monotone_violation(p, product_direction, tol)
        out.append((passed if not viol.any() else undecided)(
            f"{prefix}: product monotone", Evidence.FLOAT,
            "theta1 theta2 monotone in the stated direction", points=n,
            measure=Measure("trajectories stepping against the direction",
                            float((viol > 0).sum()),
                            where(int(np.argmax(viol))) if viol.any() else None,
                            MONOTONE_RTOL)))
    if also is not None:
        out += also(tr)
    return out


# --- high precision ----------------------------------------------------------------------------------
def implicit_hp_check(name: str, implicit_expr: sp.Expr, args: Sequence[sp.Symbol],
                      values: Sequence[Any], time_factor: sp.Expr, times: Sequence,
                      thetas: Sequence[Any], dps: int, work: int, params: Mapping[str, Any]
                      ) -> CheckResult:
    """Along a high-precision trajectory (``thetas`` at ``times``, computed at ``work``
    digits), ``implicit(theta1(t)) - implicit(theta0)`` must equal ``time_factor * t`` to
    about ``dps - 8`` digits (numerical, not certified: a disagreement is undecided)."""
    arith = MP(work)
    f = arith.compile([implicit_expr], (F.theta1, *args))
    vals = [arith.convert(v) for v in values]
    c = arith.ctx
    g0 = f(thetas[0], *vals)[0]
    tf = arith.convert(sp.Rational(time_factor))
    worst = max(abs(f(th, *vals)[0] - g0 - tf * arith.convert(tt))
                for th, tt in zip(thetas[1:], times[1:]))
    tol = c.mpf(10) ** (-(dps - 8))
    what = "implicit(theta1(t)) - implicit(theta0) = time factor * t"
    m = Measure("max residual along the trajectory", float(worst), point_str(params), float(tol))
    return (passed if worst <= tol else undecided)(name, Evidence.MP, what, points=1, measure=m,
                                                  note=f"{len(times) - 1} times, {work} digits")


__all__ = ["identity", "implicit", "rate_statement_check", "root_env", "sign_table",
           "interval_of", "side", "root_count", "n_real_roots", "power_law_check",
           "certified_convergence", "flow_checks", "implicit_hp_check", "RATE_RTOL",
           "CONVERGENCE_RTOL", "K_DRIFT_TOL", "MONOTONE_RTOL", "point_str", "proven_zero"]


# --- small helpers of the claims modules ---------------------------------------------------
def n_share(share: float = 1.0):
    """The old sample sizes: max(8, share x the profile's samples)."""
    return lambda p: max(8, int(p.samples * share))


def hp_count(p) -> int:
    return max(1, p.hp_samples // 2)


def cases_of(points):
    return [case_of(p) for p in points]


def k0_side(p: Mapping[str, Any]) -> int:
    """+1 if theta1(0) < r = (2 d lambda)^(1/3), -1 if above, 0 if equal (exact)."""
    v = Fraction(p["theta1_0"]) ** 3 - 2 * p["d"] * p["lam"]
    return (v < 0) - (v > 0)


def floats(points, name) -> np.ndarray:
    return np.array([float(p[name]) for p in points])


def fcompile(expr, args):
    f = FLOAT.compile([expr], args)
    return lambda *a: np.broadcast_to(f(*a)[0], np.broadcast(*a).shape).astype(float)


def rows_of(points, env_fn, params_fn=lambda p: p, limit=None, unique=True):
    """(env, reported point) rows for a rate check, one per (d, lambda, K) family."""
    out, seen = [], set()
    for p in points:
        key = tuple(sorted((k, str(v)) for k, v in params_fn(p).items()))
        if unique and key in seen:
            continue
        seen.add(key)
        env = env_fn(p)
        if env is not None:
            out.append((env, params_fn(p)))
    return out[:limit] if limit else out


def rate_check(name: str, part: str, exact: sp.Expr, env_fn, params_fn=lambda p: p,
               limit=None, samples=None, what="stated rate") -> Check:
    def fn(statement, points, run):
        return rate_statement_check(name, statement[part], exact,
                                    rows_of(points, env_fn, params_fn, limit), what)
    return Check(name, fn, samples=samples)


def family(p):
    return {k: p[k] for k in ("d", "lam", "K") if k in p}
