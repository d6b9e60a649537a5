"""Section 5.1 and Appendix D.2: forward Euler (22)-(23) = (140)-(141).

Claims: eq143, eq144, eq159, thm8 (= Theorem 26) with its cases thm8.step_size (the quantities of
(145)-(146)) and thm8.limit (the Euler limit against the flow's), lem27, lem28, rem29, lem30,
lem31, lem32, eq188.

The constants M, C_inf, M~ of the rate proof depend on ell_inf = ell_{S_inf}, the limit of the
orbit; it is enclosed by :meth:`~.orbits.EulerOrbit.ell_inf` (a ball [ell_{S_T}, upper]).  A
bound evaluated on that ball is sound both ways.  Where it is too wide to decide, a bound that
*increases* with ell_inf (checked symbolically) is evaluated at the lower end ell_{S_T}, which is
sound for passing.  The orbit claims share their samples (the stream ``euler``), hence their
certified orbits.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import sympy as sp
from flint import arb, fmpq

from ...arith import FLOAT, Ball, certify_sign
from ...domains import Domain, Source
from ...engine import Check, Claim, Correction, Finding, Formula, Part, Statement
from ...iterate import Map, centred_orbit
from ...registry import register
from ...sequences import Comparison, bound_check, geometric, sign_along
from ...symbolic import identity, reduce_to_zero
from ...verdicts import (CheckResult, Counterexample, Evidence, Measure, failed, passed,
                         undecided)
from . import formulas as F
from .common import (PREC, euler_orbit, euler_rate, exact_closed_form_check, params_of, prec_of,
                     sstar_ball, steps_for)
from .domains import (ALPHA, ETA_MAX_EULER, EULER, FRACTIONS_OF_MAX, P_MAX, SHARES_PART, alpha_ell,
                      euler_max_ball, rational_below_ball)
from .orbits import EulerOrbit, horizon, q
from .euler_whole_domain import (WHAT_EULER, eq188_proof, lem28_proof, lem30_proof, lem31_proof,
                                 lem32_proof, rem29_proof, thm8_limit_proof, thm8_proof)
from .whole_domain import WHAT_OPEN, lem27_proof, p_max_proof, whole_domain

d, lam, eta, x, y, S, P = F.d, F.lam, F.eta, F.x, F.y, F.S, F.P
ell, ell_inf, Sstar = F.ell, F.ell_inf, F.Sstar
ETA_MAX = Part(ETA_MAX_EULER, "(145)", "eta < the smaller of the two")
ORBITS = "euler"              # the shared sample stream of the orbit claims


def orbit_of(point: Mapping[str, Any], run) -> EulerOrbit:
    return euler_orbit(point["d"], point["lam"], point["eta"],
                       steps_for(point, euler_rate(point), run, cap=_cap(run) // 2),
                       prec_of(run))


def _cap(run) -> int:
    return 10_000 if run.profile.name != "fuzz" else 20_000


def _env(point: Mapping[str, Any], ell_value: arb | None = None) -> dict:
    env = {d: point["d"], lam: point["lam"], eta: point["eta"],
           Sstar: sstar_ball(point["d"], point["lam"])}
    if ell_value is not None:
        env[ell_inf] = ell_value
    return env


def _ball(expr: sp.Expr, env: dict) -> arb:
    expr = sp.sympify(expr)
    return Ball(PREC).evaluate(expr, {k: v for k, v in env.items() if k in expr.free_symbols})


@lru_cache(maxsize=None)
def increasing_in_ell_inf(expr: sp.Expr) -> bool:
    """d expr / d ell_inf >= 0 for positive symbols, proven by SymPy (sign of every term)."""
    der = sp.expand(sp.together(sp.diff(expr, ell_inf)))
    num, den = sp.fraction(sp.factor(der))
    return bool(num.is_nonnegative and den.is_positive) or der.is_nonnegative is True


def _converged(points, run):
    """Points with their orbit (up to the point's ``t`` if given) and the enclosure of ell_inf.
    The limit does not depend on the last step looked at: it is enclosed from the longer of
    that orbit and the orbit at the full horizon, so that a counterexample at a small ``t``
    (e.g. a shrunk or replayed one) is decided as in the sampled run."""
    out = []
    for p in points:
        o = orbit_of(p, run)
        full = o if p.get("t") is None else orbit_of(params_of(p), run)
        longer = o if len(o.xs) >= len(full.xs) else full
        out.append((p, o, longer.ell_inf(sstar_ball(p["d"], p["lam"]))))
    return out


def orbit_check(name: str, fn) -> Check:
    return Check(name, fn, key=ORBITS)


# --- (142)-(144), (159)-(160) -----------------------------------------------------------------
_FULL = Map.of([F.EULER_X, F.EULER_Y], (x, y), (eta, d, lam))


def _eq143_orbits(statement, points, run):
    return exact_closed_form_check("exact orbits of (140)-(141)", _FULL, statement["y"], points,
                                   10)


def _eq143_step(st):
    xn = F.EULER_X.subs(y, st["y"])
    return sp.expand(F.EULER_Y.subs(y, st["y"]) - st["y"].subs({x: xn, S: S + (xn - x) ** 2},
                                                             simultaneous=True))


register(Claim(
    "eq143", "Closed form of y_t under forward Euler", "Appendix D.2, (142)-(143)",
    "With x_0 = y_0 = 0: y_t = x_t^2/(2d) - S_t/(2d), S_t = sum_{i<=t} (x_i - x_{i-1})^2.",
    Statement({"y": Part(F.PRINTED_EQ143_Y, "(143)"), "eta_max": ETA_MAX}), EULER,
    (identity("induction step of (143)", _eq143_step, "y_{t+1} - (x_{t+1}^2 - S_{t+1})/(2d)"),
     identity("base case", lambda st: st["y"].subs({x: 0, S: 0}), "y_0"),
     Check("exact orbits of (140)-(141)", _eq143_orbits, samples=6)),
    formulas=(Formula("(143)", "y_t", lambda: sp.latex(F.PRINTED_EQ143_Y)),), cost=0.5))

register(Claim(
    "eq144", "Reduced Euler recurrence", "Appendix D.2, (144)",
    "x_{t+1} = x_t + (eta/2)(2 d lam - x_t^3 + x_t S_t).",
    Statement({"reduced": Part(F.PRINTED_EQ144, "(144)"), "eta_max": ETA_MAX}), EULER,
    (identity("(144) from (140) and (143)", lambda st: F.euler_reduced()[0] - st["reduced"],
              "x_{t+1} - (144)"),),
    formulas=(Formula("(144)", "reduced Euler map", lambda: sp.latex(F.PRINTED_EQ144)),),
    uses=("eq143",), cost=0.2))

register(Claim(
    "eq159", "The (x, S) system", "Appendix D.2, (159)-(160)",
    "x_{t+1} = x_t + (eta/2) P(x_t, S_t), S_{t+1} = S_t + (eta^2/4) P(x_t, S_t)^2, "
    "P(x, S) = 2 d lam - x^3 + x S.",
    Statement({"S": Part(F.PRINTED_EQ160, "(160)"), "eta_max": ETA_MAX}), EULER,
    (identity("(160): S_{t+1}", lambda st: F.euler_reduced()[1] - st["S"],
              "S_t + (x_{t+1} - x_t)^2 - (160)"),
     identity("(159): x_{t+1}", lambda st: F.euler_reduced()[0] - F.PRINTED_EQ144,
              "x_{t+1} - (159)"),
     identity("P recurrence used by the certified orbits",
              lambda st: P.subs({x: F.PRINTED_EQ144, S: st["S"]}, simultaneous=True)
              - (P * F.EULER_P_FACTOR).subs(F.P_t, P), "P(x_{t+1}, S_{t+1}) - P(x_t, S_t) phi")),
    formulas=(Formula("(160)", "S update", lambda: sp.latex(F.PRINTED_EQ160)),
              Formula("(159')", "P recurrence (derived)", lambda: sp.latex(F.EULER_P_FACTOR))),
    uses=("eq144",), cost=0.2))


# --- Theorem 8 / 26 ---------------------------------------------------------------------------
def _limit_residual(st):
    """x_inf y_inf = ell (ell^2 - S)/(2d) with ell^3 = 2 d lam + ell S (P(ell, S) = 0)."""
    resid = (ell * (ell**2 - S) / (2 * d) - st["limit"]).subs(S, (ell**3 - 2 * d * lam) / ell)
    return sp.simplify(resid)


def _linear(statement, points, run):
    """Along certified orbits: lam - x_t y_t = P_t/(2d) > 0, each ratio P_{t+1}/P_t <= q < 1
    for 1 <= t < T (so |x_t y_t - lam| <= (lam/q) q^t on the horizon)."""
    comps = []
    for p in points:
        o = orbit_of(p, run)
        T = len(o.xs) - 1
        fac = [o.factor(t) for t in range(1, T)]
        if not fac:
            comps.append(Comparison(params_of(p), [arb(0)] * (T + 1), o.Ps, strict=True))
            continue
        qmax = max((f.upper() for f in fac), key=lambda v: float(v.mid()))
        comps.append(Comparison(params_of(p), [arb(0)] * (T + 1), o.Ps, strict=True))
        comps.append(Comparison(params_of(p), fac, [arb(qmax)] * len(fac)))
        comps.append(Comparison(params_of(p), [arb(qmax)], [arb(1)], strict=True, index=None))
    return bound_check("linear convergence", "0 < lam - x_t y_t and P_{t+1}/P_t <= q < 1", comps)


def _thm8_rates(statement, points, run) -> str:
    qs, gaps = [], []
    rate = FLOAT.compile([F.euler_linear_rate()], (ell_inf, F.S_inf, eta))
    for p in points:
        o = orbit_of(p, run)
        T = len(o.xs) - 1
        fac = [o.factor(t) for t in range(1, T)]
        qs.append(max(float(f.upper().mid()) for f in fac))
        if not o.Ps[T] < o.Ps[0] * arb(10) ** -12:
            continue                                # not yet in the asymptotic regime
        exact = float(rate(o.ell[T].mid(), o.Ss[T].mid(), p["eta"])[0])
        gaps.append(abs(float(o.factor(T - 1).mid()) - exact) / (1 - exact))
    return (f"largest one-step ratio q over the horizon: {min(qs):.6g} .. {max(qs):.6g} across "
            "samples; last one-step ratio against the derived asymptotic rate 1 - eta/2 (3 ell^2 "
            f"- S) at (ell_(S_T), S_T), over the {len(gaps)} orbits that reached P_T < 1e-12 P_0: "
            f"relative difference of 1 - rate up to {max(gaps, default=0):.2g}")


register(Claim(
    "thm8", "Linear convergence of forward Euler", "Section 5.1, Theorem 8 = Theorem 26, "
    "(145)-(147)",
    """With x_0 = y_0 = 0, lam, d > 0 and eta < min{2/(3(S*+1)^2), 2/max_R P}: x_t y_t -> lam
    linearly, |x_t y_t - lam| <= C q^t for some C > 0, 0 < q < 1.""",
    Statement({"limit": Part(lam, "(147)", "the limit of x_t y_t"), "eta_max": ETA_MAX}), EULER,
    (identity("the product's limit", _limit_residual, "x_inf y_inf - stated limit on P(ell, S) = 0"),
     orbit_check("linear convergence", _linear),
     whole_domain("linear convergence over the whole domain", thm8_proof,
                  orbit_check("linear convergence", _linear), WHAT_EULER)),
    aliases=("thm26",),
    notes=(Finding("one-step ratios", _thm8_rates, key=ORBITS),),
    formulas=(Formula("(145)", "max over R of P (derived)", lambda: sp.latex(P_MAX)),
              Formula("(145')", "exact asymptotic rate (derived)",
                      lambda: sp.latex(F.euler_linear_rate()))),
    uses=("eq143", "eq144", "lem27", "lem28", "rem29", "lem30", "lem31", "lem32", "eq188"),
    cost=2.5))


_P_BALL = ([P], (x, S, d, lam))


def _sstar_unique(statement, points, run) -> CheckResult:
    name = "S* unique positive root"
    what = "x^3 - x^2 - 2 d lam has exactly one positive root S*, and S* > 1 > 2/3"
    for p in points:
        cnt = sp.Poly(x**3 - x**2 - 2 * sp.Rational(str(p["d"])) * sp.Rational(str(p["lam"])),
                      x).count_roots(0)
        if cnt != 1:
            return failed(name, Evidence.EXACT, what, Counterexample.of(
                params_of(p), "number of positive roots of x^3 - x^2 - 2 d lam", {"count": cnt},
                Evidence.EXACT), points=len(points))
        s = sstar_ball(p["d"], p["lam"])
        if not s > 1:
            return undecided(name, Evidence.BALL, what, points=len(points), note=f"S* = {s}")
    return passed(name, Evidence.EXACT, what, points=len(points), note="Sturm counts")


def _p_max_on_grid(statement, points, run) -> CheckResult:
    """P <= p_max on a grid of R (x in [0, S*], S in [max(0, g(x)), x])."""
    comps = []
    Pb = Ball(PREC).compile(*_P_BALL)
    for p in points:
        s = sstar_ball(p["d"], p["lam"])
        pm = _ball(statement["p_max"], {d: p["d"], lam: p["lam"]})
        grid = []
        for i in range(1, 25):
            xv = s * arb(fmpq(i, 24))
            for j in range(0, 9):
                Pv = Pb(xv, xv * arb(fmpq(j, 8)), p["d"], p["lam"])[0]
                if Pv >= 0:
                    grid.append(Pv)
        comps.append(Comparison(params_of(p), grid, [pm] * len(grid), index=None))
    return bound_check("P <= max_R P on R", "P(x, S) <= stated max at grid points of R", comps)


def _implies_165(statement, points, run) -> CheckResult:
    c = sp.Symbol("c", positive=True)
    gap = sp.factor(2 / (c + sp.Rational(4, 27)) - 2 / c)
    what = "(145) implies eta <= 1/(d lam) (165): 2/(2 d lam + 4/27) < 1/(d lam)"
    return (passed("(145) implies eta <= 1/(d lam) (165)", Evidence.SYMBOLIC, what,
                   note=f"2/(2 d lam + 4/27) - 1/(d lam) = {gap} < 0") if gap.is_negative
            else undecided("(145) implies (165)", Evidence.SYMBOLIC, what,
                           note=f"sign of {gap} not proven"))


_X1 = F.PRINTED_EQ144.subs({x: 0, S: 0})                         # x_1 = eta d lam
_S1 = F.PRINTED_EQ160.subs({x: 0, S: 0})                         # S_1 = (eta d lam)^2

register(Claim(
    "thm8.step_size", "The step-size quantities of Theorem 26", "Appendix D.2, (145)-(146), "
    "(162)-(166)",
    "S* is the unique positive root of P(x, x) = 0; R = {S <= x, P >= 0} is compact and convex; "
    "max_R P is finite (derived: 2 d lam + 4/27, at x = S = 2/3); (145) implies eta <= 1/(d lam).",
    Statement({"p_max": Part(P_MAX, "(145)", "max over R of P"), "eta_max": ETA_MAX}), EULER,
    (identity("P on the diagonal at x = 2/3",
              lambda st: P.subs({x: sp.Rational(2, 3), S: sp.Rational(2, 3)}) - st["p_max"],
              "P(2/3, 2/3) - max_R P"),
     identity("R convex: S'' = 2 S/x^2 on the lower boundary",
              lambda st: sp.diff(F.R_lower_boundary(), x, 2) - 2 * F.R_lower_boundary() / x**2,
              "S'' - 2 S/x^2"),
     Check("S* unique positive root", _sstar_unique, samples=8),
     Check("P <= max_R P on R", _p_max_on_grid, samples=8),
     whole_domain("P <= max_R P on R over the whole domain", p_max_proof,
                  (Check("P <= max_R P on R", _p_max_on_grid),
                   Check("S* unique positive root", _sstar_unique)), WHAT_OPEN),
     identity("(166): P(x_1, S_1) = 2 d lam",
              lambda st: P.subs({x: _X1, S: _S1}, simultaneous=True) - 2 * d * lam,
              "P(x_1, S_1) - 2 d lam"),
     identity("(165): x_1 - S_1 = eta d lam (1 - eta d lam)",
              lambda st: _X1 - _S1 - eta * d * lam * (1 - eta * d * lam), "x_1 - S_1 - ..."),
     Check("(145) implies eta <= 1/(d lam) (165)", _implies_165, samples=0)),
    cost=1.0))


def _above_flow(statement, points, run) -> CheckResult:
    comps = []
    for p in points:
        o = orbit_of(p, run)
        r = _ball(F.R_OF, {d: p["d"], lam: p["lam"]})
        comps.append(Comparison(params_of(p), [r], [o.ell[-1]], strict=True, index=None))
    return bound_check("Euler limit above the flow's", "(2 d lam)^(1/3) < ell_{S_T} <= ell_inf",
                       comps)


def _first_order(statement, points, run) -> CheckResult:
    """(ell_inf - r)/eta at eta, eta/2, eta/4 (halving the step halves the gap)."""
    name = "ell_inf - r = O(eta)"
    for p in points:
        dd, ll = p["d"], p["lam"]
        base = rational_below_ball(euler_max_ball(dd, ll), Fraction(1, 2))
        r = _ball(F.R_OF, {d: dd, lam: ll})
        vals = []
        for k in range(3):
            et = base / 2**k
            o = euler_orbit(dd, ll, et, horizon(euler_rate({"d": dd, "lam": ll, "eta": et}),
                                                decades=30, cap=40_000))
            li = o.ell_inf(sstar_ball(dd, ll))
            vals.append(float(((li - r) / arb(q(et))).mid()))
        ratios = [vals[0] / vals[1], vals[1] / vals[2]]
        worst = max(ratios, key=lambda v: abs(np.log(v)))
        m = Measure("ratio of (ell_inf - r)/eta when eta halves", worst, tolerance=0.25)
        what = "(ell_inf - r)/eta converges as eta -> 0"
        if not all(0.8 < v < 1.25 for v in ratios):
            return undecided(name, Evidence.FLOAT, what, points=len(points), measure=m,
                             note=f"(ell_inf - r)/eta = {np.round(vals, 6).tolist()}")
    return passed(name, Evidence.FLOAT, what, points=len(points), measure=m,
                  note=f"(ell_inf - r)/eta = {np.round(vals, 6).tolist()} at eta, eta/2, eta/4")


def _limit_domain_draw(src: Source, i: int, given, statement) -> dict:
    return {"d": given.get("d", Fraction(1, 2)), "lam": given.get("lam", Fraction(1)),
            "eta": given.get("eta", Fraction(1, 10))}


LIMIT_BASE = Domain("(d, lam) = (1/2, 1)", EULER.params, _limit_domain_draw)

register(Claim(
    "thm8.limit", "Where forward Euler converges, against the flow", "Section 5.1 vs Theorem 2",
    "x_t -> ell_{S_inf}, which exceeds the continuous limit (2 d lam)^(1/3) of theta_1 under (7) "
    "by O(eta); the product still converges to lam.",
    Statement({"eta_max": ETA_MAX, "eta_shares": Part((Fraction(1, 2), Fraction(9, 10)), "",
                                                      "the shares of the maximum sampled")}),
    EULER,
    (Check("Euler limit above the flow's", _above_flow, samples=6),
     Check("ell_inf - r = O(eta)", _first_order, samples=1, domain=LIMIT_BASE),
     whole_domain("r < ell_inf <= r + eta r^2 S*/4 over the whole domain", thm8_limit_proof,
                  (Check("Euler limit above the flow's", _above_flow),
                   Check("ell_inf - r = O(eta)", _first_order)), WHAT_EULER)),
    uses=("thm8", "thm2"), cost=2.0))


# --- Lemma 27 ---------------------------------------------------------------------------------
ALPHA_INF, RHO = sp.symbols("alpha_inf rho", positive=True)
ALPHA_MAP = Map.of([x + eta / 2 * P.subs(S, F.alpha),           # (148) with S_t -> alpha_t
                    ALPHA_INF + RHO * (F.alpha - ALPHA_INF)],    # alpha_t = alpha_inf (1 - rho^t)
                   (x, F.alpha), (eta, d, lam, ALPHA_INF, RHO))
_ALPHA_RATE = FLOAT.compile([sp.diff(ALPHA_MAP.exprs[0], x)], (x, F.alpha, eta))  # f'(x; alpha)


@lru_cache(maxsize=64)
def _alpha_orbit(point_key: tuple, T: int):
    p = dict(point_key)
    params = tuple(p[k] for k in ("eta", "d", "lam", "alpha_inf", "rho"))
    return centred_orbit(ALPHA_MAP, (0, 0), T, params, PREC)


def _lem27_orbits(points, run):
    """(x_t, alpha_t) in the centred (mean-value) form, until ell_{alpha_inf} - x_t falls below
    the working precision."""
    out = []
    Pf = Ball(PREC).compile([P.subs(S, F.alpha)], (x, F.alpha, d, lam))
    for p in points:
        ell_b = alpha_ell(p, PREC)
        rate = abs(float(_ALPHA_RATE(ell_b.mid(), p["alpha_inf"], p["eta"])[0]))
        T = (int(p["t"]) if p.get("t") is not None else
             horizon(rate if 0 < rate < 1 else 0.999, decades=20, cap=3000))
        orbit = _alpha_orbit(tuple(sorted(params_of(p).items())), T)
        with Ball(PREC).workprec():
            n = next((t for t, (xt, _) in enumerate(orbit)
                      if (ell_b - xt).rel_accuracy_bits() < 24), len(orbit))
            xs = [xt for xt, _ in orbit[:n]]
            Ps = [Pf(xt, at, p["d"], p["lam"])[0] for xt, at in orbit[:n]]
        out.append((p, ell_b, xs, Ps))
    return out


def _lem27_increasing(statement, points, run):
    return bound_check("x_t increasing", "x_{t+1} - x_t = eta/2 P(x_t, alpha_t) >= 0",
                       [Comparison(params_of(p), [arb(0)] * (len(Ps) - 1), Ps[:-1])
                        for p, _, _, Ps in _lem27_orbits(points, run)])


def _lem27_bounded(statement, points, run):
    return bound_check("x_t <= ell_{alpha_inf}", "x_t <= ell_{alpha_inf}",
                       [Comparison(params_of(p), xs, [ell_b] * len(xs))
                        for p, ell_b, xs, _ in _lem27_orbits(points, run)])


def _alpha_samples(profile) -> int:
    return max(8, profile.samples // 25)


register(Claim(
    "lem27", "The auxiliary sequence (148) is positive, increasing, bounded",
    "Appendix D.2, Lemma 27, (148)-(156)",
    "For alpha_t positive, increasing, bounded (-> alpha_inf) and eta <= 2/(3 ell_{alpha_inf}^2), "
    "x_{t+1} = x_t + eta/2 (2 d lam - x_t^3 + x_t alpha_t), x_0 = 0, satisfies "
    "0 <= x_t <= x_{t+1} <= ell_{alpha_inf}.",
    Statement({"eta_max": Part(sp.Rational(2, 3) / ell**2, "(153)")}), ALPHA,
    (Check("x_t increasing", _lem27_increasing, samples=_alpha_samples),
     Check("x_t <= ell_{alpha_inf}", _lem27_bounded, samples=_alpha_samples),
     whole_domain("0 <= x_t <= x_{t+1} <= ell_{alpha_inf} over the whole domain", lem27_proof,
                  (Check("x_t increasing", _lem27_increasing),
                   Check("x_t <= ell_{alpha_inf}", _lem27_bounded)))),
    uses=(), cost=1.0))


# --- Lemma 28, Remark 29 ----------------------------------------------------------------------
BEYOND_145 = (Fraction(3, 2), Fraction(2), Fraction(3), Fraction(4), Fraction(6), Fraction(8),
              Fraction(12))


def _in_R_S(statement, points, run):
    return bound_check("S_t <= x_t", "S_t <= x_t",
                       [Comparison(params_of(p), orbit_of(p, run).Ss, orbit_of(p, run).xs)
                        for p in points])


def _in_R_P(statement, points, run):
    return sign_along("P(x_t, S_t) > 0", "P(x_t, S_t) > 0",
                      [(params_of(p), orbit_of(p, run).Ps) for p in points])


def _probe_beyond_145(statement, points, run, steps: int = 2000) -> str:
    """How sharp is (145)?  For each (d, lam), the smallest multiple k of the bound at which the
    orbit leaves R (S_t > x_t or P_t < 0, certified), over ``steps`` steps."""
    found = []
    for dd, ll in ((Fraction(1, 2), Fraction(1)), (Fraction(10), Fraction(10)),
                   (Fraction(1, 100), Fraction(3))):
        em = euler_max_ball(dd, ll)
        hit = None
        for k in BEYOND_145:
            o = EulerOrbit(dd, ll, rational_below_ball(em, k), steps, PREC)
            for t in range(len(o.xs)):
                if o.Ps[t] < 0 or o.Ss[t] > o.xs[t]:
                    hit = (k, t)
                    break
            if hit:
                break
        found.append(f"(d, lam) = ({dd}, {ll}): " + (f"leaves R at {hit[0]} x the bound (t = "
                                                     f"{hit[1]}, certified)" if hit else
                                                     f"stays in R up to {BEYOND_145[-1]} x"))
    return ("Sharpness of (145) (eta = k x the bound): " + "; ".join(found) +
            ". For large 2 d lam the second bound is nearly sharp (S_1 <= x_1 needs eta <= "
            "2/(2 d lam)); for small 2 d lam the bound is loose.")


register(Claim(
    "lem28", "The Euler orbit stays in R", "Appendix D.2, Lemma 28, (161)-(172)",
    "Under (145) = (162), with x_0 = S_0 = 0, (x_t, S_t) lies in R = {(x, S) >= 0: S <= x, "
    "P(x, S) >= 0} for all t.",
    Statement({"eta_max": ETA_MAX,
               SHARES_PART: Part(FRACTIONS_OF_MAX, "", "the shares of the maximum sampled")}),
    EULER,
    (orbit_check("S_t <= x_t", _in_R_S), orbit_check("P(x_t, S_t) > 0", _in_R_P),
     whole_domain("(x_t, S_t) in R over the whole domain", lem28_proof,
                  (orbit_check("S_t <= x_t", _in_R_S), orbit_check("P(x_t, S_t) > 0", _in_R_P)),
                  WHAT_EULER)),
    notes=(Finding("sharpness of (145)", _probe_beyond_145, samples=0),),
    uses=("thm8.step_size",), cost=2.0))


def _rem29(statement, points, run):
    upper = statement["upper"]
    return bound_check("ell_inf <= S*", f"ell_(S_inf) <= {upper}",
                       [Comparison(params_of(p), [li], [_ball(upper, _env(p))], index=None)
                        for p, o, li in _converged(points, run)])


register(Claim(
    "rem29", "The limit lies on the boundary of R, below S*", "Appendix D.2, Remark 29",
    "ell_{S_inf} is the unique positive root of P(., S_inf) and ell_{S_inf} <= S*.",
    Statement({"upper": Part(Sstar, "Remark 29"), "eta_max": ETA_MAX}), EULER,
    (orbit_check("ell_inf <= S*", _rem29),
     whole_domain("ell_inf <= S* over the whole domain", rem29_proof,
                  orbit_check("ell_inf <= S*", _rem29), WHAT_EULER)),
    uses=("lem28",), cost=1.0))


# --- Lemmas 30-32 -----------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _is_zero(expr: sp.Expr) -> bool:
    """SymPy proves ``expr`` identically zero (once per expression)."""
    return reduce_to_zero(expr)


def _exact_sign_margin(diff: sp.Expr, point, fallback: arb) -> arb:
    """A margin with the certified sign of ``diff`` at the point: 0 if SymPy proves it zero,
    else +-1 from ball arithmetic with rising precision, else undecided; ``fallback`` (a ball of
    the same difference) when ``diff`` involves ell_inf or S*."""
    if _is_zero(diff):
        return arb(0)
    if diff.free_symbols - {d, lam, eta}:
        return fallback
    env = {k: v for k, v in {d: point["d"], lam: point["lam"], eta: point["eta"]}.items()
           if k in diff.free_symbols}
    sign = certify_sign(diff, env)
    return arb(0, 1) if sign in (None, 0) and not _is_zero(diff) else arb(sign or 0)


def _lem30_low_margin(o: EulerOrbit, lower: sp.Expr):
    """For the printed lower bound 2 d lam/ell_inf: 2 d lam/ell_t - 2 d lam/ell_inf >= 0 iff
    ell_t <= ell_inf, and ell_T - ell_t is the sum of the (certified positive, relative-precise)
    increments from t to T, while ell_T <= ell_inf (S_t increases).  Any other lower bound gets no
    margin."""
    if not _is_zero(lower - 2 * d * lam / ell_inf):
        return None
    T = len(o.xs) - 1
    suffix = [arb(0)] * (T + 1)
    for s_ in range(T - 1, -1, -1):
        suffix[s_] = suffix[s_ + 1] + o.ell_increment(s_)
    return lambda t: suffix[t]


def _lem30_bounds(statement, points, run) -> list[CheckResult]:
    """ell_t^2 - S_t = 2 d lam/ell_t (180), and ell_t increases (each increment certified > 0 in
    the relative-precise form (186)): so the stated sandwich holds at every step."""
    lower, upper = statement["lower"], statement["upper"]
    low, up, inc = [], [], []
    for p, o, li in _converged(points, run):
        T = len(o.xs) - 1
        vals = [o.ell[t] ** 2 - o.Ss[t] for t in range(T + 1)]
        env = _env(p, li)
        lo_ball, up_ball = _ball(lower, env), _ball(upper, env)
        exact = [2 * arb(q(p["d"] * p["lam"])) / o.ell[t] for t in range(T + 1)]
        low.append(Comparison(params_of(p), [lo_ball] * (T + 1), vals,
                              margin=_lem30_low_margin(o, lower)))
        # t = 0: ell_0^2 - S_0 = (2 d lam)^(2/3) exactly; zero margin only if the stated upper
        # bound is that number (SymPy)
        at0 = _exact_sign_margin(upper - sp.cbrt(F.C) ** 2, p,
                                 up_ball - _ball(sp.cbrt(F.C) ** 2, env))
        up.append(Comparison(params_of(p), vals, [up_ball] * (T + 1),
                             margin=lambda t, e=exact, u=up_ball, a=at0: u - e[t] if t else a))
        inc.append((params_of(p), [o.ell_increment(t) for t in range(T)]))
    # named as parts of "sandwich (178)", so that its whole-domain proof covers them
    return [bound_check("sandwich (178), lower bound", f"{lower} <= ell_t^2 - S_t", low),
            bound_check("sandwich (178), upper bound", f"ell_t^2 - S_t <= {upper}", up),
            sign_along("sandwich (178), ell_{S_t} increasing", "ell_{S_{t+1}} - ell_{S_t} > 0",
                       inc)]


register(Claim(
    "lem30", "Bounds on ell_{S_t}^2 - S_t", "Appendix D.2, Lemma 30, (178)-(180)",
    "0 < 2 d lam / ell_{S_inf} <= ell_{S_t}^2 - S_t <= 2 d lam / ell_{S_0}, "
    "ell_{S_0} = (2 d lam)^(1/3), for all t.",
    Statement({"lower": Part(2 * d * lam / ell_inf, "(178)"),
               "upper": Part(2 * d * lam / sp.cbrt(2 * d * lam), "(178)"), "eta_max": ETA_MAX}),
    EULER,
    (identity("(180)", lambda st: (ell**2 - S - 2 * d * lam / ell).subs(
        S, (ell**3 - 2 * d * lam) / ell), "ell^2 - S - 2 d lam/ell"),
     orbit_check("sandwich (178)", _lem30_bounds),
     whole_domain("sandwich (178) over the whole domain", lem30_proof,
                  orbit_check("sandwich (178)", _lem30_bounds), WHAT_EULER)),
    uses=("lem28", "rem29"), cost=2.0))


def constant_times(points, run, const: sp.Expr, lhs, factor) -> list[Comparison]:
    """``lhs(o, t) <= const * factor(o, t)`` for t < T along each orbit, ``const`` a function of
    ell_inf evaluated on its enclosure; if ``const`` increases with ell_inf (SymPy), its value at
    the enclosure's lower end backs the comparison (sound for passing)."""
    mono = increasing_in_ell_inf(const)
    comps = []
    # lhs and factor at t involve step t + 1: the orbit runs one step past a point's t
    ahead = [dict(p, t=int(p["t"]) + 1) if p.get("t") is not None else p for p in points]
    for p, o, li in _converged(ahead, run):
        T = len(o.xs) - 1
        k = _ball(const, _env(p, li))
        k_lo = _ball(const, _env(p, arb(li.lower()))) if mono else None
        fs = [factor(o, t) for t in range(T)]
        ls = [lhs(o, t) for t in range(T)]
        comps.append(Comparison(params_of(p), ls, [k * f for f in fs],
                                margin=(lambda t, k_lo=k_lo, fs=fs, ls=ls: k_lo * fs[t] - ls[t])
                                if k_lo is not None else None))
    return comps


def _lem31(statement, points, run):
    M = statement["M"]
    return bound_check("(181)", f"x_(t+1) - x_t <= eta ({M}) (ell_(S_t) - x_t)",
                       constant_times(points, run, M, lambda o, t: o.step(t),
                                      lambda o, t: arb(q(o.eta)) * o.gap(t)))


register(Claim(
    "lem31", "Step against the gap", "Appendix D.2, Lemma 31, (181)-(182)",
    "x_{t+1} - x_t <= eta M (ell_{S_t} - x_t), M = ((S*)^2 + S* ell_{S_inf} + (2 d lam)^(2/3))/2.",
    Statement({"M": Part(F.PRINTED_M, "(177)"), "eta_max": ETA_MAX}), EULER,
    (orbit_check("(181)", _lem31),
     whole_domain("(181) over the whole domain", lem31_proof, orbit_check("(181)", _lem31),
                  WHAT_EULER)),
    formulas=(Formula("(177)", "M (reading of (182))", lambda: sp.latex(F.PRINTED_M)),),
    uses=("lem28", "rem29"), cost=1.0))


def _lem32(statement, points, run):
    C_inf = statement["C_inf"]
    return bound_check("(183)", f"ell_(S_(t+1)) - ell_(S_t) <= ({C_inf}) (x_(t+1) - x_t)^2",
                       constant_times(points, run, C_inf, lambda o, t: o.ell_increment(t),
                                      lambda o, t: o.step(t) ** 2))


register(Claim(
    "lem32", "Increments of ell_{S_t}", "Appendix D.2, Lemma 32, (183)-(186)",
    "ell_{S_{t+1}} - ell_{S_t} <= C_inf (x_{t+1} - x_t)^2, "
    "C_inf = ell_{S_inf} / (2 (2 d lam)^(2/3) + 2 d lam / ell_{S_inf}).",
    Statement({"C_inf": Part(F.PRINTED_C_INF, "(186)"), "eta_max": ETA_MAX}), EULER,
    (orbit_check("(183)", _lem32),
     whole_domain("(183) over the whole domain", lem32_proof, orbit_check("(183)", _lem32),
                  WHAT_EULER)),
    formulas=(Formula("(186)", "C_inf", lambda: sp.latex(F.PRINTED_C_INF)),),
    uses=("lem30",), cost=1.0))


# --- (188) ------------------------------------------------------------------------------------
def eq188_comparison(point, o: EulerOrbit, li: arb, bound: F.Geometric) -> Comparison:
    """The gap ell_{S_t} - x_t against ``bound`` with ell_inf in its enclosure ``li``; if the bound
    increases with ell_inf (SymPy), its value at the lower end backs the comparison."""
    mono = increasing_in_ell_inf(bound.rate) and increasing_in_ell_inf(bound.const)
    T = len(o.xs) - 1
    env = _env(point, li)
    rhs = geometric(_ball(bound.const, env), _ball(bound.rate, env), T)
    margin = None
    if mono:
        env_lo = _env(point, arb(li.lower()))
        lo = geometric(_ball(bound.const, env_lo), _ball(bound.rate, env_lo), T)
        # at t = 0 the gap is ell_{S_0} = (2 d lam)^(1/3): zero margin only if the stated
        # constant is that number (SymPy), else the difference of the two balls
        at0 = _exact_sign_margin(sp.sympify(bound.const) - sp.cbrt(F.C), point,
                                 lo[0] - _ball(sp.cbrt(F.C), env))
        margin = (lambda t, lo=lo, o=o, at0=at0: lo[t] - o.gap(t) if t else at0)
    return Comparison(params_of(point), [o.gap(t) for t in range(T + 1)], rhs, margin=margin)


def eq188_bound(name: str) -> Check:
    def fn(statement, points, run):
        b = statement["bound"]
        return bound_check(name, f"ell_(S_t) - x_t <= {b.const} ({b.rate})^t",
                           [eq188_comparison(p, o, li, b) for p, o, li in _converged(points, run)])
    return Check(name, fn, key=ORBITS)


def _rate_below_one(statement, points, run) -> str:
    b = statement["bound"]
    below = [bool(_ball(b.rate, _env(p, li)) < 1) for p, o, li in _converged(points, run)]
    return (f"exact asymptotic rate of the gap (derived, non-unit eigenvalue of the Jacobian on "
            f"the fixed curve): {F.euler_linear_rate()}; the corrected rate is certified < 1 (a "
            f"convergence rate) at {sum(below)} of {len(below)} sampled (d, lam, eta); elsewhere "
            "it is a valid but vacuous bound, and Theorem 26's q < 1 comes from elsewhere: the "
            "explicit q = 1 - eta (eta d lam)^2 proved for thm8, or the exact asymptotic rate "
            "1 - eta/2 (3 ell_inf^2 - S_inf)")


register(Claim(
    "eq188", "The explicit rate of the Euler proof", "Appendix D.2, (175)-(177), (187)-(188)",
    "ell_{S_t} - x_t <= (2 d lam)^(1/3) (1 - eta M + eta^2 M~)^t with M of (177) and "
    "M~ = 2 ell_{S_inf} M^2 C_inf.",
    Statement({"bound": Part(F.PRINTED_EQ188, "(188)"), "eta_max": ETA_MAX}), EULER,
    (eq188_bound("stated bound (188)"),),
    correction=Correction(
        lambda st: (f"ell_(S_t) - x_t <= {st['bound'].const} ({st['bound'].rate})^t: B1 = 1 - "
                    "eta/2 (ell^2 + ell x + x^2 - S) is at most 1 - eta/2 (ell^2 - S) = 1 - "
                    "eta d lam/ell_(S_t) <= 1 - eta d lam/ell_inf by (180); the proof's "
                    "1 - eta M uses the upper bound M of that bracket, the wrong direction"),
        {"bound": F.CORRECTED_EQ188},
        (eq188_bound("corrected bound"),
         whole_domain("corrected bound over the whole domain", eq188_proof,
                      eq188_bound("corrected bound"), WHAT_EULER))),
    notes=(Finding("the corrected rate", lambda st, pts, run: _rate_below_one(
        Statement({"bound": F.CORRECTED_EQ188}), pts, run), key=ORBITS),),
    formulas=(Formula("(188)", "stated bound", lambda: sp.latex(F.PRINTED_EQ188.expr)),
              Formula("(188')", "corrected bound", lambda: sp.latex(F.CORRECTED_EQ188.expr))),
    uses=("lem30", "lem31", "lem32"), cost=2.5))
