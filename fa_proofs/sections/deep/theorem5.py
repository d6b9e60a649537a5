"""Section 3 and Appendix B.2: Theorem 5 = Theorem 17, its proof (82)-(91), the general
initialisation sketch (92), and the remark of Section 7, as data.

Claims: thm5 (= thm17), thm5.any_init, eq82, eq83, eq84, eq85, eq86, eq87, eq88, lem18, eq92,
sec7, fig4 (after prop4, eq9, eq10 of :mod:`.matrix`).

Every identity is decided exactly for L = 2..6 (SymPy polynomial arithmetic over
QQ(d_1, ..., lam), :func:`.checks.poly_identity`), from the model's flow (10)
(:func:`fa_proofs.model.network.deep_field`) and its reduction to theta_1
(:func:`~fa_proofs.model.network.deep_layer_polys`, :func:`~fa_proofs.model.network.deep_reduced_poly`).
The statements' constants are parts (``claim.mutant(constants=...)`` runs the same checks).
Convergence at an exact initial point is certified by the one-dimensional argument
(:func:`.numerics.limit_of`); trajectories of the full flow are simulated where doubles can
follow them.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp
from flint import fmpq_poly

from ...arith import FLOAT, Ball, ball_str, certify_sign, exact_str
from ...engine import Check, Claim, Formula, Part, Statement
from ...model import network as N
from ...model import symbols as Y
from ...pointwise import sign_check
from ...rates import exp_rate
from ...certificates import whole_domain
from ...registry import register
from ...sign_tables import lem18_proof
from ...sign_tables import WHAT as SIGN_WHAT
from ...symbolic import identity_check
from ...verdicts import (CheckResult, Counterexample, Evidence, Measure, check_all, failed,
                         passed, undecided)
from ..shallow.numerics import monotone_violation
from . import domains as DM
from . import formulas as F
from . import whole_domain as W
from .checks import DEPTHS, depths_of, env_of, names_of, params_of, per_depth, poly_identity
from .numerics import (DeepCase, Limit, Uncertified, ball_value, case_of, fq, limit_of,
                       simulate)

theta1, lam, K, gamma, d1, r = Y.theta1, Y.lam, Y.K_layers, Y.gamma, Y.d1, Y.r
CLAIMS: dict[str, Claim] = {}      # registered at the end, in the paper's order
RATE_RTOL = 0.02            # trajectory rate estimate vs exact rate
CONV_RTOL = 1e-7            # |prod(T) - lam|/lam, |theta_1(T) - limit|, layer alignment
DRIFT_TOL = 1e-7            # relative drift of the conserved K_l / of the (11)-relations
MONOTONE_RTOL = 1e-9
FOLLOW = 1e4                # largest growth max_l |theta_l(0)/theta_l(limit)| simulated


def n_traj(p) -> int:
    return max(20, p.samples // 5)


# --- the flow on the invariant sets -------------------------------------------------------------
def on_powers(L: int, constants: Sequence[sp.Expr], powers: Sequence[int] | None = None) -> dict:
    """theta_l -> C_l theta_1^(2^(l-1)) (l >= 2): the set (11) (``powers``: other exponents)."""
    th = Y.layer_symbols(L)
    pw = powers or [2**l for l in range(L)]
    return {th[l]: constants[l] * theta1 ** pw[l] for l in range(1, L)}


def field_on(L: int, sub: Mapping) -> list[sp.Expr]:
    return [sp.expand(f.xreplace(sub)) for f in N.deep_field(L)]


def invariance_residuals(statement, L: int, power: Callable | None = None
                         ) -> list[tuple[str, sp.Expr]]:
    """d/dt (theta_l - C_l theta_1^(m_l)) on the set theta_j = C_j theta_1^(m_j): it vanishes for
    every l iff the set is invariant (``power(L, l)`` = m_l, default 2^(l-1))."""
    cs = statement["constants"](L)
    pw = [power(L, l + 1) if power else 2**l for l in range(L)]
    f = field_on(L, on_powers(L, cs, pw))
    return [(f"l = {l + 1}", f[l] - sp.diff(cs[l] * theta1 ** pw[l], theta1) * f[0])
            for l in range(1, L)]


def reduced_residual(statement, L: int) -> list[tuple[str, sp.Expr]]:
    """theta_1' on the set (11) minus d_1 (lam - K theta_1^gamma), K = prod C_l, gamma =
    statement's gamma(L)."""
    cs = statement["constants"](L)
    f = field_on(L, on_powers(L, cs))
    return [("theta_1'", f[0] - d1 * (lam - sp.Mul(*cs) * theta1 ** statement["gamma"](L)))]


# --- rates and roots ----------------------------------------------------------------------------
def _rate_equal(stated: sp.Expr, exact: sp.Expr) -> bool:
    diff = sp.powsimp(sp.expand_power_base(sp.expand(stated - exact), force=True), force=True)
    return sp.simplify(diff) == 0


def rate_check(name: str, part: str = "rate") -> Check:
    """The stated rate (in d_1, K, lam, gamma) equals the exact asymptotic rate at each depth
    (symbolic), else stated <= exact is certified at the domain's points (a certified
    stated > exact is a counterexample)."""
    def fn(statement, points, run) -> list[CheckResult]:
        out = []
        for L in depths_of(run):
            stated = F.in_ds(statement[part], L)
            exact = F.derived_rate(L)
            nm = f"{name}, L = {L}"
            if _rate_equal(stated, exact):
                out.append(passed(nm, Evidence.SYMBOLIC, "stated rate = exact asymptotic rate"))
                continue
            pts = [p for p in points if int(p["L"]) == L] or []
            if run.at is not None:
                pts = [run.at]
            rel = "stated rate <= exact asymptotic rate"
            unsure = 0
            for p in pts:
                env = env_of(p)
                s = certify_sign(exact - stated, {k: v for k, v in env.items()
                                                  if k in (exact - stated).free_symbols})
                if s == -1:
                    vals = {"stated": _ball(stated, env), "exact": _ball(exact, env)}
                    out.append(failed(nm, Evidence.BALL, rel, Counterexample.of(
                        params_of(p), "stated rate > exact rate", vals), points=len(pts)))
                    break
                if s is None:
                    unsure += 1
            else:
                if pts and not unsure:
                    out.append(passed(nm, Evidence.BALL, rel, points=len(pts),
                                      note="not equal: certified below at the points"))
                elif not pts:
                    out.append(_rate_search(nm, stated, exact, L, run))
                else:
                    out.append(undecided(nm, Evidence.BALL, rel, points=len(pts),
                                         note=f"not certified at {unsure} points"))
        return out
    return Check(name, fn, samples=10, domain=DM.SIGNAL, key="deep/rates")


def _rate_search(name, stated, exact, L, run) -> CheckResult:
    """No sample of this depth: a certified stated > exact at small rational d_l, lam."""
    rng = run.rng(f"{name}/search")
    for _ in range(8):
        p = {"L": L, "lam": Fraction(int(rng.integers(1, 20)), int(rng.integers(1, 5)))}
        for i in range(1, L):
            p[f"d{i}"] = Fraction(int(rng.integers(1, 20)), int(rng.integers(1, 5)))
        env = env_of(p)
        if certify_sign(exact - stated, {k: v for k, v in env.items()
                                         if k in (exact - stated).free_symbols}) == -1:
            return failed(name, Evidence.BALL, "stated rate <= exact asymptotic rate",
                          Counterexample.of(p, "stated rate > exact rate",
                                            {"stated": _ball(stated, env),
                                             "exact": _ball(exact, env)}))
    return undecided(name, Evidence.BALL, "stated rate <= exact asymptotic rate",
                     note="not proven equal and no point certified either way")


def _ball(expr: sp.Expr, env: Mapping) -> str:
    e = sp.sympify(expr)
    return ball_str(Ball(256).evaluate(e, {k: v for k, v in env.items() if k in e.free_symbols}))


def descartes(coeffs: Sequence) -> int:
    """Sign changes of a coefficient sequence (zeros skipped)."""
    signs = [int(bool(c > 0)) - int(bool(c < 0)) for c in coeffs if c != 0]
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)


def unique_root_check(name: str) -> Check:
    """lam - K x^gamma (K = prod of the statement's C_l, gamma its gamma(L)) has exactly one
    real root, by Descartes' rule at exact points: one sign change for x > 0, none for x < 0,
    and x = 0 is not a root; and the stated limit is that root (symbolic)."""
    def fn(statement, points, run) -> list[CheckResult]:
        out = []
        rows = []
        for p in points:
            L = int(p["L"])
            env = env_of(p)
            k = sp.Mul(*statement["constants"](L)).xreplace(
                {s: sp.Rational(str(v)) for s, v in env.items()})
            g = statement["gamma"](L)
            pos = [p["lam"]] + [0] * (g - 1) + [-k]
            neg = [p["lam"]] + [0] * (g - 1) + [-k * (-1) ** g]
            rows.append((p, descartes(pos), descartes(neg)))
        bad = next(((p, a, b) for p, a, b in rows if (a, b) != (1, 0)), None)
        what = "lam - K x^gamma has exactly one real root"
        if bad is not None:
            p, a, b = bad
            out.append(failed(name, Evidence.EXACT, what, Counterexample.of(
                params_of(p), "lam - K x^gamma has more than one real root (Descartes)",
                {"sign changes for x > 0": a, "sign changes for x < 0": b}, Evidence.EXACT),
                points=len(rows)))
        else:
            out.append(passed(name, Evidence.EXACT, what, points=len(rows),
                              note="Descartes: one sign change for x > 0, none for x < 0"))
        for L in sorted({int(p["L"]) for p in points}):
            g = statement["gamma"](L)
            lim = statement["limit"].subs(gamma, g)
            res = lam - K * lim ** g
            out.append(identity_check(f"the stated limit is the root, L = {L}", res,
                                      run.rng(f"{run.claim.id}/limit/{L}"),
                                      at=None if run.at is None else
                                      {lam: Fraction(run.at["lam"]),
                                       K: sp.Mul(*statement["constants"](L)).xreplace(
                                           {s: sp.Rational(str(v)) for s, v in
                                            env_of(run.at).items()})},
                                      what="lam - K limit^gamma"))
        return out
    return Check(name, fn, samples=12)


# --- signs (Lemma 18) and the product's monotonicity ------------------------------------------
def _side(p) -> int:
    """+1 if theta_0 < r, -1 if above, 0 at r (exact: the sign of lam - K theta_0^gamma)."""
    L = int(p["L"])
    k, _ = DM.constants_at(p)
    v = p["lam"] - k * Fraction(p["theta1_0"]) ** N.layers_gamma(L)
    return (v > 0) - (v < 0)


def lemma18_check(name: str, index: int, where: Callable) -> Check:
    """theta_1'(0) = d_1 (lam - K theta_0^gamma) has the statement's sign ``signs[index]`` at
    every point where ``where`` holds (certified in ball arithmetic)."""
    def fn(statement, points, run) -> list[CheckResult]:
        out = []
        for L in sorted({int(p["L"]) for p in points if where(p)}):
            rhs = F.reduced11(L).as_expr()
            pts = [env_of(p) for p in points if where(p) and int(p["L"]) == L]
            out.append(sign_check(f"{name}, L = {L}", rhs, statement["signs"][index], pts,
                                  "theta_1'(0)", names=names_of(L)))
        return out or []
    return Check(name, fn, samples=lambda p: max(12, p.samples // 10), applies=where)


def product_direction_check(name: str, sign: int, where: Callable) -> Check:
    """d/dt prod theta_l at t = 0 on the set (11) (statement's constants) has the sign
    ``sign`` x (+1 if the statement says increasing below r) (certified in ball arithmetic)."""
    def fn(statement, points, run) -> list[CheckResult]:
        up = 1 if statement["increasing"] else -1
        out = []
        for L in sorted({int(p["L"]) for p in points if where(p)}):
            cs = statement["constants"](L)
            prod = sp.Mul(*[cs[l] * theta1 ** (2**l) for l in range(L)])
            dprod = sp.diff(prod, theta1) * field_on(L, on_powers(L, cs))[0]
            pts = [env_of(p) for p in points if where(p) and int(p["L"]) == L]
            out.append(sign_check(f"{name}, L = {L}", dprod, sign * up, pts,
                                  "d/dt theta_L ... theta_1 at t = 0", names=names_of(L)))
        return out
    return Check(name, fn, samples=lambda p: max(12, p.samples // 10), applies=where)


def _below(p) -> bool:
    return _side(p) == 1 and p["theta1_0"] != 0


def _above(p) -> bool:
    return _side(p) == -1


def monotone_product_identity(statement, L: int) -> list[tuple[str, sp.Expr]]:
    """On (11), d/dt prod = (d/dtheta_1 K theta_1^gamma) theta_1' with gamma - 1 even: the
    product moves as theta_1 does (proof over the whole domain, with Lemma 18)."""
    cs = statement["constants"](L)
    g = statement["gamma"](L)
    prod = sp.Mul(*[cs[l] * theta1 ** (2**l) for l in range(L)])
    return [("d prod/d theta_1 = gamma K theta_1^(gamma-1)",
             sp.diff(prod, theta1) - g * sp.Mul(*cs) * theta1 ** (g - 1))]


# --- trajectories -------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def _simulate(cases: tuple[DeepCase, ...], rho: tuple[float, ...], horizon: float):
    return simulate(list(cases), np.array(rho), horizon)


def _growth(case: DeepCase, limits: Sequence[float]) -> float:
    g = 1.0
    for v0, v in zip(case.state0, limits):
        if v == 0:
            return np.inf
        g = max(g, abs(float(v0)) / abs(v))
    return g


@lru_cache(maxsize=4096)
def _layer_values(case: DeepCase) -> tuple[list[float], list[fmpq_poly]]:
    """theta_l at the limit, Theta_l(root) with the case's exact K_l, evaluated in ball
    arithmetic on the exact polynomials (in doubles Theta_l can cancel to 1e-11 of its terms),
    and the exact Theta_l."""
    lim = limit_of(case)
    layers = N.deep_layers_exact(case.L, [fq(v) for v in case.ds], [fq(k) for k in lim.ks])
    return [float(ball_value(P, lim.root).mid()) for P in layers], layers


def layer_limits(case: DeepCase, lim: Limit) -> list[float]:
    """theta_l at the limit (floats of certified balls)."""
    return _layer_values(case)[0]


def layer_scales(case: DeepCase, xmax: float) -> np.ndarray:
    """sum_k |c_k| xmax^k of each Theta_l: the size of the terms a double evaluation of the
    conserved K_l cancels, i.e. the scale of its rounding error."""
    out = []
    for P in _layer_values(case)[1]:
        out.append(sum(abs(float(c)) * xmax**k for k, c in enumerate(P.coeffs())))
    return np.array(out)


def trajectory_results(prefix: str, cases: Sequence[DeepCase], stated_limit: Sequence[float],
                       stated_rate: Sequence[float | None], direction: Sequence[int] | None,
                       horizon_of: Callable[[int], float], layers: bool = True
                       ) -> tuple[list[CheckResult], dict]:
    """Simulate (10) from ``cases`` (where doubles can follow them; the others are certified by
    the exact argument of :func:`limit_of`) and check: prod -> lam, theta_1 -> the stated limit
    and every layer -> its value there, the conserved K_l, the product's direction
    (``direction[i]`` = +1/-1, None: not checked), the estimated rate against the exact one, and
    the stated rate against the estimate.  Returns the results and the trajectories by depth."""
    n = len(cases)
    limits = [limit_of(c) for c in cases]
    out: list[CheckResult] = []
    sims: dict = {}
    worst_conv, worst_align, worst_drift, n_viol = 0.0, 0.0, 0.0, 0
    rel_rates, stated_ratio = [], []
    certified, not_followed = 0, 0
    bad_limit = []
    for i, (c, lim) in enumerate(zip(cases, limits)):
        if abs(float(lim.root) - stated_limit[i]) > 1e-9 * max(1.0, abs(float(lim.root))):
            bad_limit.append(i)
    for L in sorted({c.L for c in cases}):
        idx = [i for i, c in enumerate(cases) if c.L == L]
        follow = []
        for i in idx:
            lim = limits[i]
            if lim.direction == 0:
                continue                          # a constant solution: exact
            if not lim.exponential:
                not_followed += 1
                continue
            if _growth(cases[i], layer_limits(cases[i], lim)) > FOLLOW:
                not_followed += 1
                continue
            follow.append(i)
        if not follow:
            continue
        rho = tuple(float(limits[i].rate.mid()) for i in follow)
        tr = _simulate(tuple(cases[i] for i in follow), rho, horizon_of(L))
        sims[L] = (follow, tr)
        ks_all = tr.integration_constants() if L > 1 else None
        lam_v = tr.lam
        prod = tr.product
        for j, i in enumerate(follow):
            if not tr.success[j]:
                certified += 1
                continue
            lim = limits[i]
            tgt = layer_limits(cases[i], lim)
            e_p = abs(prod[-1, j] - lam_v[j]) / lam_v[j]
            e_t = abs(tr.states[-1, 0, j] - float(lim.root)) / max(1.0, abs(float(lim.root)))
            if max(e_p, e_t) > CONV_RTOL:
                certified += 1                    # slow: the exact argument covers it
                continue
            worst_conv = max(worst_conv, e_p, e_t)
            if layers:
                for l in range(L):
                    worst_align = max(worst_align, abs(tr.states[-1, l, j] - tgt[l])
                                      / max(abs(tgt[l]), 1e-300))
            if L > 1:
                ks = ks_all[:, :, j]
                xmax = float(np.abs(tr.states[:, 0, j]).max())
                scale = np.maximum(np.abs(tr.states[:, 1:, j]).max(axis=0),
                                   layer_scales(cases[i], xmax)[1:])
                worst_drift = max(worst_drift, float((np.abs(ks - ks[0]) / scale).max()))
            if direction is not None:
                tol = MONOTONE_RTOL * max(float(np.abs(prod[:, j]).max()), lam_v[j])
                v = monotone_violation(prod[:, [j]], np.array([direction[i]]), np.array([tol]))
                n_viol += int(v[0] > 0)
            est = exp_rate(tr.tau, ((prod[:, j] - lam_v[j]) / lam_v[j])[:, None],
                           lo=1e-8, hi=1e-5)[0] * tr.rho[j]
            exact = float(lim.rate.mid())
            if np.isfinite(est) and exact > 0:
                rel_rates.append(abs(est / exact - 1))
                if stated_rate[i] is not None:
                    stated_ratio.append(stated_rate[i] / est)
    simulated = n - certified - not_followed - sum(1 for lim in limits if lim.direction == 0)
    note = (f"{simulated} simulated; {not_followed + certified} certified by the exact "
            f"one-dimensional argument instead (doubles cannot follow them: growth above "
            f"{FOLLOW:g}, a multiple root, or slow); "
            f"{sum(1 for lim in limits if lim.direction == 0)} constant solutions")
    what = "theta_1 -> stated limit, theta_L ... theta_1 -> lam"
    if simulated == 0 and not bad_limit:
        return [passed(f"{prefix}: theta_1 -> stated limit, product -> lam", Evidence.BALL, what,
                       points=n, note="no start here is simulated (" + note + "); each is "
                       "certified by the exact argument")], sims
    if bad_limit:
        i = bad_limit[0]
        out.append(undecided(f"{prefix}: theta_1 -> stated limit", Evidence.FLOAT, what, points=n,
                             note=f"the exact limit {float(limits[i].root):.6g} differs from the "
                                  f"stated {stated_limit[i]:.6g}"))
    else:
        out.append((passed if worst_conv <= CONV_RTOL else undecided)(
            f"{prefix}: theta_1 -> stated limit, product -> lam", Evidence.FLOAT, what, points=n,
            measure=Measure("relative error at the end", worst_conv, tolerance=CONV_RTOL),
            note=note))
    if layers:
        out.append((passed if worst_align <= CONV_RTOL and not bad_limit else undecided)(
            f"{prefix}: each layer -> its value at the limit (alignment)", Evidence.FLOAT,
            "theta_l -> Theta_l(limit)", points=simulated,
            measure=Measure("max relative error", worst_align, tolerance=CONV_RTOL)))
    out.append((passed if worst_drift <= DRIFT_TOL else undecided)(
        f"{prefix}: K_l conserved along trajectories", Evidence.FLOAT,
        "K_l = theta_l - (Theta_l(theta_1) - K_l) constant", points=simulated,
        measure=Measure("drift relative to the terms of Theta_l", worst_drift,
                        tolerance=DRIFT_TOL)))
    if direction is not None:
        out.append((passed if n_viol == 0 else undecided)(
            f"{prefix}: product monotone", Evidence.FLOAT,
            "theta_L ... theta_1 monotone in the stated direction", points=simulated,
            measure=Measure("trajectories stepping against it", float(n_viol),
                            tolerance=MONOTONE_RTOL)))
    if rel_rates:
        worst = float(max(rel_rates))
        out.append((passed if worst <= RATE_RTOL else undecided)(
            f"{prefix}: estimated rate = exact rate", Evidence.FLOAT,
            "rate of |prod - lam| = the exact rate at the limit", points=len(rel_rates),
            measure=Measure("max |estimate/exact - 1|", worst, tolerance=RATE_RTOL)))
    if stated_ratio:
        worst = float(max(stated_ratio))
        out.append((passed if worst <= 1 + RATE_RTOL else undecided)(
            f"{prefix}: stated rate <= trajectory rate", Evidence.FLOAT,
            "stated rate <= observed rate", points=len(stated_ratio),
            measure=Measure("max stated/observed rate", worst, tolerance=RATE_RTOL)))
    return out, sims


# --- the exact convergence certificate ------------------------------------------------------------
@lru_cache(maxsize=None)
def _constants_float(L: int, constants: Callable):
    return FLOAT.compile(list(constants(L)), Y.fa_symbols(L))


def _stated_K(statement, L: int, case: DeepCase) -> sp.Expr:
    """K = prod of the statement's C_l at the case's d_l, exactly (a SymPy rational)."""
    sub = {s: sp.Rational(str(v)) for s, v in zip(Y.fa_symbols(L), case.ds)}
    return sp.Mul(*statement["constants"](L)).xreplace(sub)


def _stated_limit_env(statement, case: DeepCase) -> tuple[sp.Expr, dict]:
    L = case.L
    g = statement["gamma"](L) if "gamma" in statement else N.layers_gamma(L)
    return statement["limit"].subs(gamma, g), {K: _stated_K(statement, L, case),
                                                lam: sp.Rational(str(case.lam))}


def certificate_check(name: str, init11: bool, samples=n_traj) -> Check:
    """At every sampled exact start: the exact one-dimensional argument (:func:`limit_of`):
    theta_1' = F(theta_1) (F of odd degree, leading coefficient < 0), theta_1 moves towards the
    nearest root of F ahead (certified isolation), so theta_1 converges to it and prod -> lam.
    With ``init11``: the statement's (11) must give K_l = 0 exactly, the root must be the stated
    limit (certified), simple (exponential), and F' <= 0 on the path (the product is monotone);
    otherwise (any initialisation) the measure reports what it found."""
    def fn(statement, points, run) -> CheckResult:
        cases = [case_of(p, statement["constants"]) if init11 else case_of(p) for p in points]
        what = ("theta_1 -> the stated limit, monotonically (exact argument)" if init11 else
                "theta_1 -> a root of F, prod -> lam (exact argument)")
        n_mono, n_sub, rates = 0, 0, []
        for p, c in zip(points, cases):
            try:
                lim = limit_of(c)
            except Uncertified as exc:
                return undecided(name, Evidence.BALL, what, points=len(points), note=str(exc))
            prm = {**params_of(p), **{k: v for k, v in p.items() if k.startswith("theta")}}
            if init11:
                if any(k != 0 for k in lim.ks):
                    return failed(name, Evidence.EXACT, what, Counterexample.of(
                        prm, "the stated (11) does not lie on the invariant set: some K_l != 0",
                        {f"K_{l + 2}": exact_str(k) for l, k in enumerate(lim.ks)},
                        Evidence.EXACT), points=len(points))
                expr, env = _stated_limit_env(statement, c)
                with Ball(256).workprec():
                    stated = Ball(256).evaluate(expr, env)
                    apart = not stated.overlaps(lim.root.ball)
                if apart:
                    return failed(name, Evidence.BALL, what, Counterexample.of(
                        prm, "theta_1 converges to a root of theta_1' other than the stated limit",
                        {"limit": ball_str(lim.root.ball), "stated": ball_str(stated)}),
                        points=len(points))
                if lim.witness is not None:
                    dF = lim.F.derivative()(fq(lim.witness))
                    return failed(name, Evidence.EXACT, what, Counterexample.of(
                        prm, "the product is not monotone: F' > 0 on the path of theta_1",
                        {"theta_1": exact_str(lim.witness), "F'": exact_str(dF)},
                        Evidence.EXACT), points=len(points))
            n_mono += lim.witness is not None
            n_sub += not lim.exponential
            if lim.direction != 0 and lim.exponential:
                rates.append(float(lim.rate.mid()) / float(c.ds[0]))
        note = ("K_l = 0, a simple root, F' <= 0 on every path" if init11 else
                f"{n_mono} of {len(points)} paths have F' > 0 somewhere (|prod - lam| not "
                f"monotone), {n_sub} end at a multiple root (not exponential)")
        m = Measure("min rate / d_1 at the limit", min(rates) if rates else None)
        return passed(name, Evidence.BALL, what, points=len(points), measure=m, note=note)
    return Check(name, fn, samples=samples, key="deep/init11" if init11 else "deep/general")


def _horizon11(L: int) -> float:
    return 2.0 * N.layers_gamma(L) + 60.0


def trajectories11(prefix: str) -> Callable:
    def fn(statement, points, run) -> list[CheckResult]:
        cases = [case_of(p, statement["constants"]) for p in points]
        lims, rates, dirs = [], [], []
        up = 1 if statement.get("increasing", True) else -1
        for c in cases:
            expr, env = _stated_limit_env(statement, c)
            lims.append(float(FLOAT.evaluate(expr, env)))
            if "rate" in statement:
                g = statement["gamma"](c.L)
                renv = {**env, d1: sp.Rational(str(c.ds[0]))}
                rates.append(float(FLOAT.evaluate(statement["rate"].subs(gamma, g), renv)))
            else:
                rates.append(None)
            dirs.append(up * limit_of(c).direction)
        out, _ = trajectory_results(prefix, cases, lims, rates, dirs, _horizon11)
        return out
    return fn


def _traj_check(name: str, domain=None, samples=n_traj, key: str = "deep/init11") -> Check:
    return Check(name, trajectories11(name), samples=samples, domain=domain, key=key)


# --- Theorem 5 = 17 ---------------------------------------------------------------------------------
THM5_PARTS = {
    "constants": Part(F.closed_constants, "(11)", "L -> C_1..C_L of the initialisation (11)"),
    "gamma": Part(F.printed_gamma, "(82)", "L -> gamma = sum_{l<L} 2^l"),
    "limit": Part(F.PRINTED_EQ88_R, "(88)", "theta_1 -> (lam/K)^(1/gamma)"),
    "rate": Part(F.PRINTED_RATE, "Theorem 5", "exponential rate d_1 gamma K^(1/gamma) "
                                              "lam^((gamma-1)/gamma)"),
    "increasing": Part(True, "(89)-(91)", "the product increases when theta_0 < r")}


def _positive_constants(statement, points, run) -> list[CheckResult]:
    """C_l > 0 (SymPy, positive d_l) and C_l depends on d_1..d_l only (d_L = 1)."""
    out = []
    for L in depths_of(run):
        cs = statement["constants"](L)
        ds = Y.fa_symbols(L)
        bad = [l for l, c in enumerate(cs, start=1)
               if not sp.sympify(c).is_positive
               or not sp.sympify(c).free_symbols <= set(ds[:l])]
        what = "C_l > 0 and depends on d_1..d_l only"
        if bad:
            l = bad[0]
            c = sp.sympify(cs[l - 1])
            rng = run.rng(f"{run.claim.id}/pos/{L}")
            env = {s: Fraction(int(rng.integers(1, 9)), int(rng.integers(1, 4))) for s in ds}
            out.append(failed(f"{what}, L = {L}", Evidence.EXACT, what, Counterexample.of(
                {"L": L, **{s.name: v for s, v in env.items()}},
                f"C_{l} = {c} is not positive or depends on d_j with j > l",
                {f"C_{l}": str(c)}, Evidence.EXACT)))
        else:
            out.append(passed(f"{what}, L = {L}", Evidence.SYMBOLIC, what))
    return out


def _formulas() -> tuple[Formula, ...]:
    out = []
    for L in DEPTHS:
        out.append(Formula(f"(11), L = {L}", f"C_1..C_{L}",
                           lambda L=L: sp.latex(sp.Matrix([F.closed_constants(L)]))))
        out.append(Formula(f"(87), L = {L}", "K = prod C_l",
                           lambda L=L: sp.latex(sp.Eq(K, F.closed_K(L)))))
        out.append(Formula(f"(82), L = {L}", "gamma",
                           lambda L=L: sp.latex(sp.Eq(gamma, F.printed_gamma(L)))))
        out.append(Formula(f"Theorem 5, L = {L}", "exponential rate",
                           lambda L=L: sp.latex(F.rate_in_ds(L))))
    return tuple(out)


_THM5_RATE = rate_check("rate")
THM5_CHECKS = (
    per_depth("(11) is invariant along (10)", invariance_residuals,
              "d/dt (theta_l - C_l theta_1^(2^(l-1))) on (11)"),
    per_depth("(10) on (11) reduces to theta_1' = d_1 (lam - K theta_1^gamma)", reduced_residual,
              "theta_1' - d_1 (lam - K theta_1^gamma)"),
    Check("C_l > 0 and depends on d_1..d_l only", _positive_constants, samples=0),
    unique_root_check("lam - K x^gamma has one real root"),
    per_depth("the product moves as theta_1 does on (11)", monotone_product_identity,
              "d prod/d theta_1 - gamma K theta_1^(gamma-1)"),
    product_direction_check("product increasing for theta_0 < r", 1, _below),
    product_direction_check("product decreasing for theta_0 > r", -1, _above),
    _THM5_RATE,
    whole_domain("rate over the whole domain (L = 2..6)", W.thm5_proof, _THM5_RATE, W.WHAT),
    certificate_check("(11) starts: certified monotone convergence", True),
    _traj_check("trajectories of (10) from (11)"))

CLAIMS["thm5"] = (Claim(
    "thm5", "L-layer FA with initialisation (11): monotone exponential convergence",
    "Section 3, Theorem 5 = Appendix B.2, Theorem 17, (82)-(84)",
    """For any d_1..d_{L-1} > 0 (d_L = 1) and theta_0 in R, with theta_1(0) = theta_0 and
       theta_l(0) = C_l theta_0^(2^(l-1)) (11), C_l > 0 depending on d_1..d_l, (10) has a unique
       global solution; it reduces to theta_1' = d_1 (lam - K theta_1^gamma), K = prod C_l,
       gamma = 2^L - 1 (82); theta_1 -> r = (lam/K)^(1/gamma) and theta_L ... theta_1 -> lam
       monotonically and exponentially, at rate d_1 gamma K^(1/gamma) lam^((gamma-1)/gamma).""",
    Statement(THM5_PARTS), DM.INIT11, THM5_CHECKS, aliases=("thm17",), formulas=_formulas(),
    notes=("C_l in closed form (derived): C_1 = 1, C_l = a_l prod_{j=2}^{l-1} a_j^(2^(l-1-j)) "
           "with a_j = d_j/(2^(j-1) d_1); K = prod_{j=2}^{L} a_j^(2^(L-j)). The continuous flow "
           "and the discrete scheme of Section 5 give the same constants "
           "(model.network.flow_layer_constants = layer_constants).",
           "the rate is not printed ('converges exponentially'); the suite checks the exact "
           "linearisation d_1 gamma K r^(gamma-1), which for L = 2 is Theorem 2's "
           "(3/2)(2 d lam)^(2/3).",
           "(84) = (91): theta_L ... theta_1 -> lam is this theorem's conclusion (eq84)."),
    uses=("eq82", "eq83", "eq86", "eq87", "eq88", "lem18"), cost=6.0))


# --- (82)-(88) -----------------------------------------------------------------------------------
def _eq82_residual(statement, L: int) -> list[tuple[str, sp.Expr]]:
    want = statement["reduced"].subs(gamma, statement["gamma"](L)).subs(K, N.layers_K(L))
    return [("theta_1'", F.reduced11(L).as_expr() - want)]


CLAIMS["eq82"] = (Claim(
    "eq82", "The reduced equation for theta_1", "Appendix B.2, (82) = (87)",
    "Under (11), (77)-(81) reduce to theta_1' = d_1 (lam - K theta_1^gamma) with K > 0 "
    "depending on the d_l and gamma = 2^L - 1.",
    Statement({"reduced": Part(F.PRINTED_EQ82, "(82)", "theta_1' in (d_1, K, lam, gamma)"),
               "gamma": Part(F.printed_gamma, "(82)", "L -> gamma")}), DM.DEPTHS,
    (per_depth("the flow on (11) reduces to (82)", _eq82_residual,
               "theta_1' on (11) minus (82)"),),
    formulas=(Formula("(82)", "reduced equation", lambda: sp.latex(F.PRINTED_EQ82)),),
    uses=("eq86", "eq87"), cost=0.5))


def _eq83_invariance(statement, L: int) -> list[tuple[str, sp.Expr]]:
    layers = statement["layers"](L)
    th = Y.layer_symbols(L)
    f = field_on(L, {th[l]: layers[l] for l in range(1, L)})
    return [(f"l = {l + 1}", f[l] - sp.diff(layers[l], theta1) * f[0]) for l in range(1, L)]


def _eq83_notation(statement, L: int) -> list[tuple[str, sp.Expr]]:
    layers = statement["layers"](L)
    cs = F.closed_constants(L)
    return [(f"l = {l + 1}", layers[l] - cs[l] * theta1 ** (2**l)) for l in range(L)]


CLAIMS["eq83"] = (Claim(
    "eq83", "The layers are powers of the first", "Appendix B.2, (83)",
    "Under (11), theta_l(t) = (C_l/2^(l-1)) theta_1(t)^(2^(l-1)), l = 2..L, with C_l > 0 the "
    "constants of (86) (the main text's (11) writes C_l for C_l/2^(l-1)).",
    Statement({"layers": Part(F.printed_eq83, "(83)", "L -> theta_1..theta_L in theta_1")}),
    DM.DEPTHS,
    (per_depth("(83) is invariant along (10)", _eq83_invariance,
               "d/dt (theta_l - (83)) on (83)"),
     per_depth("(83)'s C_l/2^(l-1) are (11)'s C_l", _eq83_notation,
               "(83) minus C_l theta_1^(2^(l-1)) of (11)")),
    notes=("the OCR of (83) ('θ' ⑴=D°-1 θi ⑴2 , 2' 1') is read as (C_l/2^(l-1)) theta_1^(2^(l-1)), "
           "consistent with (85)-(86); the main text's (11) writes the same initial values as "
           "C_l theta_0^(2^(l-1)) with its own C_l (2^(l-1) times smaller): two notations, no "
           "error.",),
    uses=("eq86",), cost=0.5))


def _eq85_residual(statement, L: int) -> list[tuple[str, sp.Expr]]:
    ds = F.ds_of(L)
    stated = statement["theta2"].subs(sp.Symbol("d2", positive=True), ds[1])
    f = N.deep_field(L)
    return [("theta_2' - (d/dtheta_1 of (85)) theta_1'", f[1] - sp.diff(stated, theta1) * f[0])]


CLAIMS["eq85"] = (Claim(
    "eq85", "The second layer: theta_2 = (d_2/(2 d_1)) theta_1^2 + K_2", "Appendix B.2, (85)",
    "theta_2' = (d_2/d_1) theta_1 theta_1' = (d_2/(2 d_1)) (theta_1^2)', so theta_2 = "
    "(d_2/(2 d_1)) theta_1^2 + K_2 along (10), and K_2 = 0 when theta_2(0) = (d_2/(2 d_1)) "
    "theta_1(0)^2 (d_2 = 1 when L = 2).",
    Statement({"theta2": Part(F.printed_eq85_theta2(), "(85)", "theta_2 in theta_1, K_2")}),
    DM.DEPTHS,
    (per_depth("(85) along (10), any initial values", _eq85_residual, "residual",
               gens=lambda L: Y.layer_symbols(L)),),
    uses=(), cost=0.3))


def _eq86_step(statement, L: int) -> list[tuple[str, sp.Expr]]:
    """theta_l' = C_l theta_1^(2^(l-1)-1) theta_1' on theta_j = (C_j/2^(j-1)) theta_1^(2^(j-1))."""
    cs = statement["constants"](L)
    th = Y.layer_symbols(L)
    sub = {th[j]: cs[j] / 2**j * theta1 ** (2**j) for j in range(1, L)}
    f = field_on(L, sub)
    return [(f"l = {l + 1}", f[l] - cs[l] * theta1 ** (2**l - 1) * f[0]) for l in range(1, L)]


def _eq86_model(statement, L: int) -> list[tuple[str, sp.Expr]]:
    cs = statement["constants"](L)
    flow, scheme = N.flow_layer_constants(L), N.layer_constants(L)
    out = []
    for l in range(L):
        out.append((f"C_{l + 1}/2^{l} = flow's", cs[l] / 2**l - flow[l]))
        out.append((f"C_{l + 1}/2^{l} = Section 5's", cs[l] / 2**l - scheme[l]))
    return out


def _general_induction(statement, points, run) -> CheckResult:
    """The induction step for every depth at once (n symbolic): with m = 2^(n-1),
    d/dx ((C/m) x^m) = C x^(m-1), and the exponents of the layers below add up to
    sum_{j=1}^{n-1} 2^(j-1) = 2^(n-1) - 1; gamma = sum_{l=0}^{L-1} 2^l = 2^L - 1."""
    n, j, Ls = sp.symbols("n j L", integer=True, positive=True)
    x, C = sp.symbols("x C", positive=True)
    m = 2 ** (n - 1)
    rng = run.rng("eq86/general")
    parts = [identity_check("d/dx ((C/m) x^m) = C x^(m-1)",
                            sp.diff(C / m * x**m, x) - C * x ** (m - 1), rng),
             identity_check("sum_{j<n} 2^(j-1) = 2^(n-1) - 1",
                            sp.summation(2 ** (j - 1), (j, 1, n - 1)) - (2 ** (n - 1) - 1), rng),
             identity_check("sum_{l<L} 2^l = 2^L - 1",
                            sp.summation(2**j, (j, 0, Ls - 1)) - (2**Ls - 1), rng)]
    return check_all("the induction step, every depth (symbolic n)", parts)


CLAIMS["eq86"] = (Claim(
    "eq86", "The induction: theta_l' = C_l theta_1^(2^(l-1)-1) theta_1'", "Appendix B.2, (86)",
    "For l = 2..L, theta_l' = C_l theta_1^(2^(l-1)-1) theta_1' with C_l = C_l(d_1..d_l) > 0, so "
    "theta_l = (C_l/2^(l-1)) theta_1^(2^(l-1)) + K_l, K_l = 0 under (11); derived: "
    "C_1 = 1, C_l = (d_l/d_1) prod_{j<l} C_j/2^(j-1).",
    Statement({"constants": Part(F.appendix_constants, "(86)", "L -> C_1..C_L of (86)")}),
    DM.DEPTHS,
    (per_depth("(86) on the layers below", _eq86_step,
               "theta_l' - C_l theta_1^(2^(l-1)-1) theta_1'"),
     per_depth("C_l/2^(l-1) = the flow's and Section 5's constants", _eq86_model,
               "difference"),
     Check("the induction step, every depth (symbolic n)", _general_induction, samples=0)),
    formulas=tuple(Formula(f"(86), L = {L}", f"C_1..C_{L} of (86)",
                           lambda L=L: sp.latex(sp.Matrix([F.appendix_constants(L)])))
                   for L in (3, 4)),
    uses=("eq85",), cost=0.5))


def _eq87_K(statement, L: int) -> list[tuple[str, sp.Expr]]:
    k = statement["K"](L)
    return [("= the flow's K", k - F.derived_K(L)), ("= Section 5's K", k - N.layers_K(L)),
            ("= the closed form", k - F.closed_K(L))]


def _eq87_gamma(statement, points, run) -> list[CheckResult]:
    out = []
    for L in depths_of(run):
        g, deg = statement["gamma"](L), F.derived_gamma(L)
        what = "gamma = the degree of theta_1' on (11)"
        if g == deg and g == 2**L - 1:
            out.append(passed(f"{what}, L = {L}", Evidence.SYMBOLIC, what))
        else:
            out.append(failed(f"{what}, L = {L}", Evidence.SYMBOLIC, what, Counterexample.of(
                {"L": L}, "gamma != the degree of theta_1'", {"gamma": g, "degree": deg},
                Evidence.SYMBOLIC)))
    return out


CLAIMS["eq87"] = (Claim(
    "eq87", "K and gamma", "Appendix B.2, (87)",
    "K = prod_{l=1}^{L} C_l/2^(l-1) > 0 (C_l of (86)) and gamma = sum_{l=0}^{L-1} 2^l = "
    "2^L - 1.",
    Statement({"K": Part(F.printed_eq87_K, "(87)", "L -> K"),
               "gamma": Part(F.printed_gamma, "(87)", "L -> gamma")}), DM.DEPTHS,
    (per_depth("K of (87)", _eq87_K, "K minus"),
     Check("gamma = the degree of theta_1' on (11)", _eq87_gamma, samples=0)),
    formulas=tuple(Formula(f"(87), L = {L}", "K in the d_l", lambda L=L: sp.latex(F.closed_K(L)))
                   for L in (3, 4)),
    uses=("eq86",), cost=0.5))


def _eq88_root(statement, L: int) -> list[tuple[str, sp.Expr]]:
    g = N.layers_gamma(L)
    rr = statement["r"].subs(gamma, g).subs(K, N.layers_K(L))
    cs = N.layer_constants(L)
    f = field_on(L, on_powers(L, cs))
    out = [("lam - K r^gamma", lam - N.layers_K(L) * rr**g)]
    out += [(f"theta_{l + 1}' at the constant solution", f[l].subs(theta1, rr)) for l in range(L)]
    out.append(("prod C_l r^(2^(l-1)) = lam",
                sp.Mul(*[cs[l] * rr ** (2**l) for l in range(L)]) - lam))
    return out


EQ88_STATEMENT = {"r": Part(F.PRINTED_EQ88_R, "(88)", "r = (lam/K)^(1/gamma)"),
                  "constants": Part(F.closed_constants, "(11)", "L -> C_l"),
                  "gamma": Part(F.printed_gamma, "(87)", "L -> gamma")}
CLAIMS["eq88"] = (Claim(
    "eq88", "The constant solution theta_1 = r", "Appendix B.2, (88)",
    "r = (lam/K)^(1/gamma) is the unique real root of lam - K x^gamma; theta_1 = r gives "
    "constant layers and theta_L ... theta_1 = prod (C_l/2^(l-1)) r^(2^(l-1)) = lam.",
    Statement({**EQ88_STATEMENT, "limit": Part(F.PRINTED_EQ88_R, "(88)", "r")}), DM.SIGNAL,
    (per_depth("r is the constant solution", _eq88_root, "residual", gens=lambda L: ()),
     unique_root_check("lam - K x^gamma has one real root")),
    uses=("eq87",), cost=0.5))


_EQ84_CERT = certificate_check("(11) starts: certified monotone convergence", True)
CLAIMS["eq84"] = (Claim(
    "eq84", "theta_L ... theta_1 -> lam under (11)", "Appendix B.2, (84) = (91)",
    "Under (11), theta_L(t) ... theta_1(t) -> lam as t -> oo.",
    Statement({k: v for k, v in THM5_PARTS.items() if k in ("constants", "gamma", "limit")}),
    DM.INIT11, (_EQ84_CERT, whole_domain("convergence over the whole domain (L = 2..6)",
                                         W.eq84_proof, _EQ84_CERT, W.EQ84_WHAT)),
    notes=("the exact one-dimensional argument at each sampled start: K_l = 0, theta_1 moves "
           "towards the only real root r of lam - K x^gamma, and there the product is K r^gamma "
           "= lam (thm5 adds trajectories)",
           "over the whole domain (L = 2..6): theta_1' = (r - theta_1) g, g > 0 on the whole "
           "line, so theta_1 -> r exponentially from every theta_0 (Grönwall), the stated limit "
           "is r, and theta_L ... theta_1 = lam - theta_1'/d_1 -> lam"),
    uses=("lem18", "eq88"), cost=0.5))


# --- Lemma 18 ----------------------------------------------------------------------------------------
_LEM18 = (lemma18_check("theta_1' for theta_0 < r", 0, lambda p: _side(p) == 1),
          lemma18_check("theta_1' for theta_0 > r", 1, lambda p: _side(p) == -1))
_ROOT18 = unique_root_check("lam - K x^gamma has one real root")
CLAIMS["lem18"] = (Claim(
    "lem18", "theta_1 is monotone (initialisation (11))", "Appendix B.2, Lemma 18, (89)-(91)",
    """theta_1' > 0 if theta_1(0) < r and theta_1' < 0 if theta_1(0) > r, r = (lam/K)^(1/gamma)
       the unique real root of lam - K x^gamma; hence theta_1 is bounded, theta_1 -> r and
       theta_L ... theta_1 -> prod (C_l/2^(l-1)) r^gamma = lam (91).""",
    Statement({"signs": Part(F.PRINTED_LEM18_SIGNS, "(89)-(90)",
                             "signs of theta_1' below and above r"),
               **{k: v for k, v in THM5_PARTS.items() if k in ("constants", "gamma", "limit")}}),
    DM.INIT11,
    _LEM18 + (whole_domain("sign table over the whole domain (L = 2..6)",
                           lem18_proof(lambda L: F.reduced11(L).as_expr(), N.layers_K, theta1, d1,
                                       lam, r), _LEM18 + (_ROOT18,), SIGN_WHAT),
              _ROOT18),
    uses=("eq82", "eq88"), cost=1.0))


# --- any initialisation: the sketch (92) and the remark after Theorem 5 -----------------------------
def _eq92_degree(statement, points, run) -> list[CheckResult]:
    out = []
    for L in depths_of(run):
        poly = N.deep_reduced_poly(L)
        want = statement["degree"](L)
        what = "degree of theta_1' (every K_l kept)"
        lead = poly.LC() + d1 * N.layers_K(L)
        ks = set(Y.integration_constants(L))
        used = poly.free_symbols & ks
        if poly.degree() != want:
            out.append(failed(f"{what}, L = {L}", Evidence.SYMBOLIC, what, Counterexample.of(
                {"L": L}, "the degree of theta_1' differs from the stated one",
                {"degree": poly.degree(), "stated": want}, Evidence.SYMBOLIC)))
            continue
        res = poly_identity(f"{what}, L = {L}", lead, (), run.rng(f"eq92/{L}"),
                            names=names_of(L), what="leading coefficient + d_1 K",
                            extra={"L": L})
        if res.status.value != "pass":
            out.append(res)
            continue
        out.append(passed(f"{what}, L = {L}", Evidence.SYMBOLIC,
                          f"{what} = {want}, leading coefficient -d_1 K < 0",
                          note=f"the coefficients involve {len(used)} of the {len(ks)} K_l"))
    return out


def _integrals_residual(statement, L: int) -> list[tuple[str, Any]]:
    """On theta_j = Theta_j(theta_1; K) (j < l), d/dt (theta_l - Theta_l(theta_1; K)) = 0: by
    induction on l every K_l is conserved (model: deep_layer_polys).  theta_l' is a multiple of
    theta_1' (the first residual, exact cancellation), so the identity is theta_l'/theta_1' =
    Theta_l'(theta_1) on the layers below, a polynomial identity in theta_1 over QQ(d, K)."""
    th = Y.layer_symbols(L)
    f = N.deep_field(L)
    layers = N.deep_layer_polys(L)
    out = []
    for l in range(1, L):
        ratio = sp.cancel(f[l] / f[0])
        out.append((f"theta_{l + 1}' = (theta_{l + 1}'/theta_1') theta_1'",
                    sp.cancel(f[l] - ratio * f[0])))
        below = ratio.xreplace({th[j]: layers[j].as_expr() for j in range(1, l)})
        res = sp.Poly(below, th[0], domain=layers[l].domain) - layers[l].diff(th[0])
        out.append((f"K_{l + 1}", res))
    return out


def _stationary_residual(statement, L: int) -> list[tuple[str, sp.Expr]]:
    """theta_1' = d_1 (lam - prod) and theta_l' = (d_l/d_1) theta_1' prod_{j<l} theta_j: every
    stationary point has prod = lam, and every point of the hyperbola is stationary."""
    th = Y.layer_symbols(L)
    f = N.deep_field(L)
    ds = F.ds_of(L)
    out = [("theta_1' - d_1 (lam - prod)", f[0] - d1 * (lam - sp.Mul(*th)))]
    out += [(f"theta_{l + 1}'", f[l] - ds[l] / ds[0] * f[0] * sp.Mul(*th[:l])) for l in range(1, L)]
    return out


def _general_trajectories(statement, points, run) -> list[CheckResult]:
    cases = [case_of(p) for p in points]
    lims = [float(limit_of(c).root) for c in cases]
    out, _ = trajectory_results("independent initial values", cases, lims, [None] * len(cases),
                                None, lambda L: 200.0)
    return out


def witness_check(name: str, part: str, kind: str, domain=None, samples=n_traj,
                  key: str | None = None) -> Check:
    """"may be lost": the statement's part says whether the property always holds (True) or may
    fail (False).  A certified witness at an exact start -- ``kind`` "monotone": a rational
    point on the path of theta_1 where F' > 0, so |prod - lam| increases there; "exponential":
    the limit is a multiple root of F (F = F' = 0 there exactly), so |theta_1 - root| >=
    1/(1/|theta_1(0) - root| + c t) decays slower than any exponential -- refutes "always" and
    confirms "may be lost"."""
    def fn(statement, points, run) -> CheckResult:
        always = bool(statement[part])
        found = None
        for p in points:
            c = case_of(p)
            try:
                lim = limit_of(c)
            except Uncertified:
                continue
            if kind == "monotone" and lim.witness is not None:
                found = (p, {"theta_1 on the path": exact_str(lim.witness),
                             "F'": exact_str(lim.F.derivative()(fq(lim.witness))),
                             "limit": ball_str(lim.root.ball)})
                break
            if kind == "exponential" and lim.direction != 0 and not lim.exponential:
                found = (p, {"limit": str(lim.root.exact) if lim.root.exact is not None
                             else ball_str(lim.root.ball),
                             "multiplicity": lim.root.multiplicity})
                break
        rel = {"monotone": "|theta_L ... theta_1 - lam| is monotone from every start",
               "exponential": "the convergence is exponential from every start"}[kind]
        if found is None:
            return (passed if always else undecided)(
                name, Evidence.EXACT, rel if always else f"not: {rel}", points=len(points),
                note="no witness among the points")
        p, vals = found
        prm = {**params_of(p), **{k: v for k, v in p.items() if k.startswith("theta")}}
        if always:
            return failed(name, Evidence.EXACT, rel, Counterexample.of(
                prm, f"not: {rel}", vals, Evidence.EXACT), points=len(points))
        return passed(name, Evidence.EXACT, f"not: {rel} (may be lost)", points=len(points),
                      note="witness at " + ", ".join(f"{k}={exact_str(v)}" for k, v in prm.items())
                      + " (" + "; ".join(f"{k} {v}" for k, v in vals.items()) + ")")
    def applies(p) -> bool:
        try:
            lim = limit_of(case_of(p))
        except (Uncertified, ValueError, KeyError):
            return True
        if kind == "monotone":
            return lim.witness is not None
        return lim.direction != 0 and not lim.exponential
    return Check(name, fn, samples=samples, domain=domain, key=key, applies=applies)


CLAIMS["eq92"] = (Claim(
    "eq92", "The general reduction: theta_1' = P_gamma(theta_1)", "Appendix B.2, (92)",
    "Keeping every integration constant K_l, (81) reduces to theta_1' = P_gamma(theta_1), a "
    "polynomial of degree gamma = 2^L - 1 in theta_1.",
    Statement({"degree": Part(F.printed_eq92_degree, "(92)", "L -> the degree")}), DM.SIGNAL,
    (per_depth("every K_l is conserved (induction on l)", _integrals_residual,
               "d/dt (theta_l - Theta_l(theta_1))", gens=lambda L: Y.layer_symbols(L)),
     Check("degree of theta_1' (every K_l kept)", _eq92_degree, samples=0)),
    notes=("(92) writes P_gamma(theta_1; d_1, ..., d_L, lam); its coefficients also depend on the "
           "integration constants K_2..K_L (that is what the sketch keeps), and d_L = 1.",),
    uses=("eq85", "eq86"), cost=1.0))

CLAIMS["thm5.any_init"] = (Claim(
    "thm5.any_init", "L-layer FA from any initial values", "Section 3, after Theorem 5; "
    "Appendix B.2, the sketch around (92)",
    """For any initial values theta_1(0), ..., theta_L(0) (each layer independently), the
       solution of (10) exists for all t >= 0, is bounded, and theta_L ... theta_1 -> lam;
       monotonicity and exponential convergence may be lost.""",
    Statement({"degree": Part(F.printed_eq92_degree, "(92)", "L -> the degree of theta_1'"),
               "monotone": Part(False, "Section 3", "|prod - lam| monotone from every start"),
               "exponential": Part(False, "Section 3", "exponential from every start")}),
    DM.GENERAL,
    (per_depth("every K_l is conserved (induction on l)", _integrals_residual,
               "d/dt (theta_l - Theta_l(theta_1))", gens=lambda L: Y.layer_symbols(L)),
     per_depth("stationary points are exactly the hyperbola prod = lam", _stationary_residual,
               "residual", gens=lambda L: Y.layer_symbols(L)),
     Check("degree of theta_1' (every K_l kept)", _eq92_degree, samples=0),
     certificate_check("certified convergence from independent initial values", False),
     Check("independent initial values", _general_trajectories, samples=n_traj,
           key="deep/general"),
     witness_check("monotonicity may be lost", "monotone", "monotone", domain=DM.NONMONO,
                   samples=5, key="deep/nonmono"),
     witness_check("exponential convergence may be lost", "exponential", "exponential",
                   domain=DM.DOUBLE, samples=4, key="deep/double")),
    notes=("why every start converges: theta_1' = d_1 (lam - prod) and theta_l' = (d_l/d_1) "
           "theta_1' prod_{j<l} theta_j, so each K_l is conserved and theta_1' = F(theta_1) is a "
           "polynomial of odd degree 2^L - 1 with leading coefficient -d_1 K < 0: theta_1 is "
           "monotone and bounded by the first root of F ahead of it, converges to it, and every "
           "root of F has prod = lam. No initialisation converges elsewhere (the stationary "
           "points are exactly the hyperbola), layers of opposite signs included.",
           "exponential convergence fails exactly when the limit is a multiple root of F, e.g. "
           "L = 3, d = (1, 1), lam = 1/4, theta(0) = (0, -1, -1/8): F(1) = F'(1) = 0 and "
           "theta_1 -> 1 like 1/t."),
    uses=("eq92", "thm3"), cost=5.0))


# --- Section 7: deeper layers as powers of the first ---------------------------------------------
def _layer_rates(statement, points, run) -> list[CheckResult]:
    """theta_l - theta_l* = C_l (theta_1^m - r^m) = C_l (theta_1 - r) sum_j theta_1^(m-1-j) r^j:
    the factor tends to m r^(m-1) != 0, so every layer converges at theta_1's exponential rate;
    the stated ratio rate_l/rate_1 must be that (1)."""
    x, rr = sp.symbols("x r", positive=True)
    out = []
    for L in depths_of(run):
        for l in range(2, L + 1):
            m = 2 ** (l - 1)
            factor = sp.cancel((x**m - rr**m) / (x - rr)).subs(x, rr)
            derived = 1 if factor != 0 else None
            stated = sp.sympify(statement["rate_ratio"](L, l))
            what = "rate of theta_l / rate of theta_1"
            nm = f"{what}, L = {L}, l = {l}"
            if derived is not None and stated == derived:
                out.append(passed(nm, Evidence.SYMBOLIC, f"{what} = {stated}",
                                  note=f"(theta_l - theta_l*)/(theta_1 - r) -> C_l {factor}"))
            else:
                out.append(failed(nm, Evidence.SYMBOLIC, f"{what} = {stated}",
                                  Counterexample.of({"L": L}, f"{what} is {derived}, not {stated}",
                                                    {"layer": l, "derived": derived,
                                                     "stated": str(stated)}, Evidence.SYMBOLIC)))
    return [check_all("per-layer exponential rates", out)]


def _hierarchy(statement, points, run) -> CheckResult:
    """With x = theta_1/r > 0 and m = 2^(l-1) (symbolic): x^(2m) - 1 = (x^m - 1)(x^m + 1) and
    x^m + 1 > 1, so |theta_(l+1)/theta_(l+1)* - 1| > |theta_l/theta_l* - 1| whenever
    theta_1 > 0, theta_1 != r; and the ratio to layer 1 tends to 2^(l-1)."""
    m = sp.Symbol("m", positive=True, integer=True)
    x = sp.Symbol("x", positive=True)
    rng = run.rng("sec7/hierarchy")
    parts = [identity_check("x^(2m) - 1 = (x^m - 1)(x^m + 1)",
                            sp.expand(x ** (2 * m) - 1 - (x**m - 1) * (x**m + 1)), rng)]
    parts.append(passed("x^m + 1 > 1 for x > 0", Evidence.SYMBOLIC, "x^m > 0")
                 if (x**m).is_positive else
                 undecided("x^m + 1 > 1 for x > 0", Evidence.SYMBOLIC, "x^m > 0"))
    for l in range(2, 7):
        k = 2 ** (l - 1)
        lim = sp.cancel((x**k - 1) / (x - 1)).subs(x, 1)
        parts.append(identity_check(f"(x^{k} - 1)/(x - 1) -> {k}", lim - k, rng))
    return check_all("relative errors grow with depth (theta_1 > 0)", parts)


def _sec7_trajectories(statement, points, run) -> list[CheckResult]:
    """Per layer along thm5's trajectories: the relative errors e_l = |theta_l/theta_l* - 1|
    are ordered in l where theta_1 > 0, each e_l decays at rate_ratio(l) x rho, and
    e_l/e_1 -> 2^(l-1)."""
    cases = [case_of(p, statement["constants"]) for p in points]
    lims = []
    for c in cases:
        expr, env = _stated_limit_env(statement, c)
        lims.append(float(FLOAT.evaluate(expr, env)))
    _, sims = trajectory_results("(11)", cases, lims, [None] * len(cases), None, _horizon11)
    n, order_viol, worst_rate, worst_ratio = 0, 0, 0.0, 0.0
    for L, (follow, tr) in sims.items():
        for j, i in enumerate(follow):
            if not tr.success[j]:
                continue
            lim = limit_of(cases[i])
            tgt = layer_limits(cases[i], lim)
            q = tr.states[:, :, j] / np.array(tgt)[None, :]                    # (m, L)
            e = np.abs(q - 1)
            if e[-1].max() > 1e-6:
                continue
            n += 1
            pos = tr.states[:, 0, j] > 0
            # each layer's numerical error, measured: its distance from the exact invariant
            # theta_l/theta_l* = (theta_1/r)^(2^(l-1)) that the integrator does not impose
            x = np.where(pos, q[:, 0], 1.0)
            err = np.abs(q - x[:, None] ** (2.0 ** np.arange(L))[None, :])
            for l in range(1, L):
                slack = err[:, l] + err[:, l - 1]
                bad = pos & (e[:, l] < e[:, l - 1] - slack) & (e[:, l - 1] > 1e-9)
                order_viol += int(bad.any())
            rho = tr.rho[j]
            r1 = exp_rate(tr.tau, e[:, [0]], lo=1e-8, hi=1e-5)[0] * rho
            for l in range(1, L):
                rl = exp_rate(tr.tau, e[:, [l]], lo=1e-8, hi=1e-5)[0] * rho
                want = float(statement["rate_ratio"](L, l + 1))
                if np.isfinite(rl) and np.isfinite(r1):
                    worst_rate = max(worst_rate, abs(rl / r1 / want - 1))
                win = (e[:, 0] > 1e-9) & (e[:, 0] < 1e-6)
                if win.any():
                    k = int(np.nonzero(win)[0][0])
                    worst_ratio = max(worst_ratio, abs(e[k, l] / e[k, 0] / 2**l - 1))
    return [
        (passed if order_viol == 0 else undecided)(
            "trajectories: relative errors ordered by depth", Evidence.FLOAT,
            "|theta_l/theta_l* - 1| increases with l where theta_1 > 0", points=n,
            measure=Measure("trajectories out of order", float(order_viol))),
        (passed if worst_rate <= RATE_RTOL else undecided)(
            "trajectories: every layer at the stated rate ratio", Evidence.FLOAT,
            "rate of layer l / rate of theta_1 = rate_ratio", points=n,
            measure=Measure("max |estimate/stated - 1|", worst_rate, tolerance=RATE_RTOL)),
        (passed if worst_ratio <= 1e-3 else undecided)(
            "trajectories: e_l/e_1 -> 2^(l-1)", Evidence.FLOAT,
            "relative error of layer l / of theta_1 near the limit", points=n,
            measure=Measure("max |ratio/2^(l-1) - 1|", worst_ratio, tolerance=1e-3))]


CLAIMS["sec7"] = (Claim(
    "sec7", "Deeper layers behave as a power of the first", "Section 7, 'Final discussions'",
    """Under (11), theta_l = C_l theta_1^(2^(l-1)): the deeper layers are powers of the first,
       and the layers converge in a hierarchy: where theta_1 > 0 the relative error
       |theta_l/theta_l* - 1| grows with l (its ratio to the first layer's tends to 2^(l-1)), so
       deeper layers reach a given relative accuracy later; the exponential rate is the same for
       every layer.""",
    Statement({"constants": THM5_PARTS["constants"],
               "gamma": THM5_PARTS["gamma"], "limit": THM5_PARTS["limit"],
               "power": Part(lambda L, l: 2 ** (l - 1), "Section 7", "(L, l) -> the power"),
               "rate_ratio": Part(lambda L, l: 1, "Section 7",
                                  "(L, l) -> rate of layer l / rate of layer 1")}),
    DM.INIT11,
    (per_depth("layer l is C_l theta_1^power along (10)",
               lambda st, L: invariance_residuals(st, L, st["power"]),
               "d/dt (theta_l - C_l theta_1^power)"),
     Check("per-layer exponential rates", _layer_rates, samples=0),
     Check("relative errors grow with depth (theta_1 > 0)", _hierarchy, samples=0),
     Check("trajectories: layers", _sec7_trajectories, samples=n_traj, key="deep/init11")),
    notes=("reading: 'each layer is converging at a different speed ... a hierarchy (in terms "
           "of speed of convergence)'. Read as different exponential rates it is false: every "
           "layer converges at theta_1's rate d_1 gamma K r^(gamma-1) (the mutant rate_ratio = "
           "2^(l-1) is refuted). What holds is a hierarchy of relative errors (layer l is about "
           "2^(l-1) times further from its limit), which the suite checks as the statement.",),
    uses=("thm5",), cost=2.0))


CLAIMS["fig4"] = (Claim(
    "fig4", "Figure 4: a 3-layer network under (11)", "Appendix B.2, Figure 4",
    "With L = 3, d_1 = 2, d_2 = 5/2, lam = 1 and theta_0 in [-1, 2], theta_3 theta_2 theta_1 "
    "-> 1 monotonically under (11).",
    Statement({k: v for k, v in THM5_PARTS.items()}), DM.FIG4,
    (certificate_check("(11) starts: certified monotone convergence", True, samples=10),
     Check("trajectories of Figure 4", trajectories11("trajectories of Figure 4"), samples=10)),
    uses=("thm5",), cost=0.5))


# --- the registry, in the paper's order (Section 3, then Appendix B.2, then Section 7) ----------
for _id in ("thm5", "thm5.any_init", "eq82", "eq83", "eq84", "fig4", "eq85", "eq86", "eq87",
            "eq88", "lem18", "eq92", "sec7"):
    register(CLAIMS[_id])
