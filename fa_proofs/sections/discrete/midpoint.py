"""Section 5.2 and Appendix D.1: the two-layer "midpoint" scheme (26)-(27) = (115)-(116).

Claims: eq119, lem19, lem20, lem21, rem23, thm9 (= Theorem 22), eq126, eq127, thm9.continuum.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp
from flint import arb, fmpq

from ...arith import FLOAT, Ball
from ...domains import Domain, Source
from ...engine import Check, Claim, Correction, Finding, Formula, Part, Statement
from ...model import network as N
from ...model import symbols as Y
from ...iterate import Map
from ...registry import register
from ...sequences import Comparison, bound_check, domination_margin, geometric
from ...simulate import integrate_batch
from ...symbolic import identity, reduce_to_zero
from ...verdicts import Evidence, passed, undecided
from . import formulas as F
from .common import (PREC, ball, env_of, exact_closed_form_check, midpoint_for, midpoint_orbit,
                     monotone_bounded, params_of, prec_of, slow_rate, steps_for)
from .domains import BEYOND_MAX, LAM, MIDPOINT, D, midpoint_max

d, lam, eta, x, y, r, e = F.d, F.lam, F.eta, F.x, F.y, F.r, F.e
ETA_MAX = Part(F.PRINTED_ETA_MAX_MIDPOINT, "(120)")
USES = ("lem19", "lem20", "lem21")


def _dl_draw(src: Source, i: int, given, statement) -> dict:
    return {"d": given.get("d") or src.decimal(-1, 1), "lam": given.get("lam") or src.decimal(-1, 1)}


DL = Domain("the midpoint scheme's (d, lam)", (D, LAM), _dl_draw,
            description="d, lam > 0 over two decades")


# --- (119) and Lemma 19 -----------------------------------------------------------------------
_z, _u = sp.symbols("z u", nonnegative=True)

register(Claim(
    "eq119", "Reduced recurrence of the midpoint scheme", "Appendix D.1, (119)",
    "With y_t = x_t^2/(2d), (115) becomes x_{t+1} = x_t + eta d lam (1 - x_t^3/r^3), "
    "r = (2 d lam)^(1/3).",
    Statement({"reduced": Part(F.PRINTED_EQ119, "(119)"), "eta_max": ETA_MAX}), MIDPOINT,
    (identity("(119) = (115) with y = x^2/(2d)",
              lambda st: F.midpoint_reduced() - st["reduced"],
              "x_{t+1} from (115)-(117) minus (119)"),
     identity("scaling: z = x/r obeys z + u (1 - z^3), u = eta r^2/2",
              lambda st: sp.expand((st["reduced"].subs(x, F.R_OF * _z) / F.R_OF)
                                   .subs(eta, 2 * _u / F.R_OF**2) - (_z + _u * (1 - _z**3))),
              "scaled map minus z + u (1 - z^3)")),
    notes=("The reduced map depends on (d, lam, eta) only through u = eta r^2/2 in (0, 1/3]: "
           "sampling d and lam over decades tests the arithmetic at every scale, while the "
           "dynamics is a one-parameter family.",),
    formulas=(Formula("(119)", "reduced midpoint map", lambda: sp.latex(F.PRINTED_EQ119)),),
    uses=("lem19",), cost=0.3))


def _exact_orbits(statement, points, run):
    step = Map.of([F.MIDPOINT_X, F.MIDPOINT_Y], (x, y), (eta, d, lam))
    return exact_closed_form_check("exact orbits of (115)-(116)", step, statement["y"], points, 12)


register(Claim(
    "lem19", "Closed form of y_t for the midpoint scheme", "Appendix D.1, Lemma 19, (117)",
    "With (x_0, y_0) = (0, 0), the solution of (115)-(116) has y_t = x_t^2/(2d) for all t.",
    Statement({"y": Part(F.PRINTED_LEM19_Y, "(117)"), "eta_max": ETA_MAX}), MIDPOINT,
    (identity("induction step of (117)",
              lambda st: sp.expand(F.MIDPOINT_Y.subs(y, st["y"])
                                   - st["y"].subs(x, F.MIDPOINT_X.subs(y, st["y"]))),
              "y_{t+1} - x_{t+1}^2/(2d)"),
     identity("base case x_0 = y_0 = 0", lambda st: st["y"].subs(x, 0), "y_0"),
     Check("exact orbits of (115)-(116)", _exact_orbits, samples=8)),
    formulas=(Formula("(117)", "y_t", lambda: sp.latex(F.PRINTED_LEM19_Y)),), cost=0.5))


# --- Lemma 20 ---------------------------------------------------------------------------------
def _maps_into(statement, points, run):
    """0 <= f(k r/16) <= r at the grid points of [0, r] (f(r) = r is symbolic)."""
    fx = Ball(PREC).compile([F.PRINTED_EQ119], (x, eta, d, lam))
    comps = []
    for p in points:
        rb = ball(F.R_OF, env_of(p))
        xs = [rb * arb(fmpq(k, 16)) for k in range(16)]
        vals = [fx(v, p["eta"], p["d"], p["lam"])[0] for v in xs]
        comps.append(Comparison(params_of(p), vals, [rb] * len(vals), index=None))
        comps.append(Comparison(params_of(p), [arb(0)] * len(vals), vals, index=None))
    return bound_check("f([0, r]) in [0, r]", "0 <= f(k r/16) <= r, k = 0..15", comps)


def _f_prime_decreases(statement, points, run):
    fp = sp.diff(F.PRINTED_EQ119, x)
    mono = sp.diff(fp, x).is_nonpositive and sp.diff(fp, eta).is_nonpositive
    what = "f' decreases in x >= 0 and in eta"
    return (passed("f' decreases in x >= 0 and in eta", Evidence.SYMBOLIC, what) if mono else
            undecided("f' decreases in x >= 0 and in eta", Evidence.SYMBOLIC, what,
                      note=f"f' = {fp}: sign not proven"))


register(Claim(
    "lem20", "The midpoint map sends [0, r] into itself", "Appendix D.1, Lemma 20, (120)",
    "For eta < 2/(3 r^2) = 2/(3 (2 d lam)^(2/3)), f(x) = x + eta d lam (1 - x^3/r^3) maps "
    "[0, r] into [0, r].",
    Statement({"eta_max": ETA_MAX}), MIDPOINT,
    (identity("f(r) = r", lambda st: F.PRINTED_EQ119.subs(x, F.R_OF) - F.R_OF, "f(r) - r"),
     identity("f'(r) = 0 at the stated maximum",
              lambda st: sp.diff(F.PRINTED_EQ119, x).subs({x: F.R_OF, eta: st["eta_max"]}),
              "f'(r) at eta = eta_max"),
     Check("f' decreases in x >= 0 and in eta", _f_prime_decreases, samples=0),
     Check("f([0, r]) in [0, r]", _maps_into)),
    formulas=(Formula("(120)", "step-size bound", lambda: sp.latex(F.PRINTED_ETA_MAX_MIDPOINT)),),
    uses=("eq119",), cost=0.5))


# --- Lemma 21 ---------------------------------------------------------------------------------
def _monotone(which: int, name: str, what):
    def fn(statement, points, run):
        share = Ball(PREC).convert(statement["upper"])
        comps = [monotone_bounded(params_of(p), midpoint_for(p, run), share)[which]
                 for p in points]
        return bound_check(name, what(statement), comps)
    return Check(name, fn)


def _probe_beyond(statement, points, run) -> str:
    """Sharpness of (120): just beyond the maximum, x_t overshoots r (e_t < 0, certified)."""
    parts = []
    for p in points:
        for k in BEYOND_MAX:
            em = Ball(PREC).evaluate(midpoint_max(statement), {d: p["d"], lam: p["lam"]})
            from .domains import rational_below_ball
            et = rational_below_ball(em, k)
            q = {"d": p["d"], "lam": p["lam"], "eta": et}
            o = midpoint_for(q, run)
            t = next((t for t, v in enumerate(o.e) if v < 0), None)
            if t is not None:
                parts.append(f"(d, lam) = ({p['d']}, {p['lam']}): at eta = {k} x max, x_t > r "
                             f"first at t = {t}")
                break
        else:
            parts.append(f"(d, lam) = ({p['d']}, {p['lam']}): no overshoot up to "
                         f"{float(BEYOND_MAX[-1])} x max")
    return ("Sharpness of (120) (certified, d, lam sampled): " + "; ".join(parts) +
            " -- beyond the bound the iterates overshoot r, so Lemma 21 fails: the bound is sharp.")


register(Claim(
    "lem21", "The midpoint iterates are positive, increasing and bounded",
    "Appendix D.1, Lemma 21, (121)",
    "Under Lemmas 19-20 (x_0 = 0, eta < 2/(3 r^2)): 0 <= x_t <= r and x_t <= x_{t+1} for all t.",
    Statement({"upper": Part(Fraction(1), "(121)", "x_t <= upper r"), "eta_max": ETA_MAX}),
    MIDPOINT,
    (_monotone(0, "x_t <= r", lambda st: f"x_t <= {st['upper']} r"),
     _monotone(1, "x_t >= 0", lambda st: "0 <= x_t"),
     _monotone(2, "x_t increasing", lambda st: "x_t <= x_{t+1}")),
    notes=(Finding("sharpness of (120)", _probe_beyond, samples=4, key="lem21.beyond"),),
    uses=("lem19", "lem20"), cost=1.5))


# --- Remark 23 --------------------------------------------------------------------------------
def _rem23_note(statement, points, run) -> str:
    fp_r = sp.simplify(sp.diff(F.PRINTED_EQ119, x).subs(x, F.R_OF).subs(eta, statement["eta"]))
    return (f"At this step size f'(r) = {fp_r}: the fixed point is repelling, so the one-step "
            "convergence holds in exact arithmetic only; any perturbation of x_1 grows by "
            "|f'(r)| per step.")


register(Claim(
    "rem23", "One-step convergence of the midpoint scheme for a special step",
    "Appendix D.1, Remark 23",
    "If eta = 2/(2 d lam)^(2/3) (outside Theorem 9's range) and x_0 = 0, then x_t = (2 d "
    "lam)^(1/3) for all t > 0.",
    Statement({"eta": Part(F.PRINTED_REM23_ETA, "Remark 23")}), DL,
    (identity("x_1 = r", lambda st: F.PRINTED_EQ119.subs(eta, st["eta"]).subs(x, 0) - F.R_OF,
              "x_1 - r"),
     identity("r is fixed", lambda st: F.PRINTED_EQ119.subs(eta, st["eta"]).subs(x, F.R_OF)
              - F.R_OF, "f(r) - r")),
    notes=(Finding("f'(r) at the special step", _rem23_note, samples=0),),
    uses=("eq119",), cost=0.2))


# --- Theorem 9 / 22, (126), (127) -------------------------------------------------------------
_DOMINATION_GAP: dict = {}


def _domination_gap(rate: sp.Expr, prec: int):
    """rate - phi(e) factorised by SymPy and written with x = r - e (x_0 = 0 exactly), compiled:
    a well-conditioned margin for 'e_{t+1}/e_t <= rate' at every step."""
    if rate not in _DOMINATION_GAP:
        _DOMINATION_GAP[rate] = sp.factor(sp.expand((rate.subs(F.C ** sp.Rational(2, 3), r**2) -
                                                     F.MIDPOINT_DEFECT_FACTOR).subs(e, r - x)))
    return Ball(prec).compile([_DOMINATION_GAP[rate]], (x, r, eta, d, lam))


def product_error_at(o, t):
    return o.product_error(t)


def defect_at(o, t):
    return o.e[t]


ACTUAL = {product_error_at: "|x_t y_t - lam|", defect_at: "|x_t - r|"}


def geometric_comparison(point, bound: F.Geometric, actual, steps: int,
                         prec: int = PREC) -> Comparison:
    """``actual(o, t) <= const * rate^t`` along the certified orbit at ``point``; for the
    defect, a factor-by-factor domination margin (``e_0 = r = const`` exactly) backs the direct
    comparison where the two sides coincide."""
    o = midpoint_orbit(point["d"], point["lam"], point["eta"], steps, prec)
    T = len(o.e) - 1
    env = env_of(point)
    rate = ball(bound.rate, env)
    margin = None
    if actual is defect_at and reduce_to_zero(sp.sympify(bound.const) - r):
        gapf = _domination_gap(sp.sympify(bound.rate).subs(F.R_OF, r), prec)
        margin = domination_margin(rate, o.phi[:T],         # e_0 = r = const
                                   lambda t: gapf(o.x(t), o.r, point["eta"], point["d"],
                                                  point["lam"])[0])
    return Comparison(params_of(point), [abs(actual(o, t)) for t in range(T + 1)],
                      geometric(ball(bound.const, env), rate, T), margin=margin)


def bound_what(bound: F.Geometric, actual) -> str:
    return f"{ACTUAL[actual]} <= {bound.const} ({bound.rate})^t"


def geometric_bound(name: str, actual) -> Check:
    """The statement's ``bound`` (a :class:`~.formulas.Geometric`) along certified orbits."""
    def fn(statement, points, run):
        b = statement["bound"]
        return bound_check(name, bound_what(b, actual),
                           [geometric_comparison(p, b, actual, steps_for(p, slow_rate(p), run),
                                                 prec_of(run)) for p in points])
    return Check(name, fn)


def _factor_range(statement, points, run):
    """The derivation behind the corrections: with e = r s, s in [0, 1], the factor
    e_{t+1}/e_t = 1 - eta r^2 (3 - 3 s + s^2)/2, and 3 - 3s + s^2 - 1 = (1 - s)(2 - s) >= 0,
    3 - (3 - 3s + s^2) = s (3 - s) >= 0: the factor lies in [1 - 3 eta r^2/2, 1 - eta r^2/2]."""
    s = sp.Symbol("s", nonnegative=True)
    phi = F.MIDPOINT_DEFECT_FACTOR.subs(e, r * s)
    inner = sp.expand((1 - phi) * 2 / (eta * r**2))
    low, high = sp.factor(inner - 1), sp.factor(3 - inner)
    ok = reduce_to_zero(low - (1 - s) * (2 - s)) and reduce_to_zero(high - s * (3 - s))
    what = "1 - 3 eta r^2/2 <= e_{t+1}/e_t <= 1 - eta r^2/2 on [0, r]"
    return (passed("contraction factor range", Evidence.SYMBOLIC, what,
                   note=f"(1-phi)2/(eta r^2) - 1 = {low}, 3 - ... = {high}") if ok else
            undecided("contraction factor range", Evidence.SYMBOLIC, what,
                      note=f"got {low}, {high}"))


FACTOR_RANGE = Check("contraction factor range", _factor_range, samples=0)


def _needed_constant(statement, points, run) -> str:
    """How large the constant must be for the printed rate, by eta/eta_max."""
    b = statement["bound"]
    needed = []
    for p in points:
        cmp = geometric_comparison(p, b, product_error_at, steps_for(p, slow_rate(p), run))
        worst = (max(float((cmp.lhs[t] / cmp.rhs[t]).mid()) for t in range(len(cmp.lhs)))
                 if all(v > 0 for v in cmp.rhs) else float("inf"))   # rate 0 at eta_max
        share = float(p["eta"]) / float(ball(midpoint_max(statement), env_of(p)).mid())
        needed.append((worst, share))
    needed.sort(key=lambda v: v[1])
    return ("constant needed with the printed rate (in units of the printed 3 lam), by "
            "eta/eta_max: " + ", ".join(f"{s:.3g}: {w:.3g}" for w, s in needed)
            + " (over the certified horizon; it grows without bound as eta -> eta_max)")


register(Claim(
    "thm9", "Linear convergence of the midpoint scheme", "Section 5.2, Theorem 9 = Theorem 22, "
    "(124)", """With x_0 = y_0 = 0, any lam, d > 0 and eta < 2/(3 (2 d lam)^(2/3)):
    |x_t y_t - lam| <= 3 lam (1 - (3 eta/2) (2 d lam)^(2/3))^t for all t.""",
    Statement({"bound": Part(F.PRINTED_THM9, "(124)"), "eta_max": ETA_MAX}), MIDPOINT,
    (geometric_bound("stated bound (124)", product_error_at),),
    correction=Correction(
        lambda st: (f"|x_t y_t - lam| <= {st['bound'].const} ({st['bound'].rate})^t: the "
                    "contraction factor of (126) is 1 - eta (x^2 + r x + r^2)/2, which is at most "
                    "1 - eta r^2/2 on [0, r] (not 1 - 3 eta r^2/2, which is its minimum); with "
                    "the printed rate the constant must grow without bound as "
                    "eta -> 2/(3 r^2)"),
        {"bound": F.CORRECTED_THM9},
        (FACTOR_RANGE, geometric_bound("corrected bound", product_error_at))),
    aliases=("thm22",),
    notes=(Finding("constant needed for the printed rate", _needed_constant),),
    formulas=(Formula("(124)", "stated bound", lambda: sp.latex(F.PRINTED_THM9.expr)),
              Formula("(124')", "corrected bound", lambda: sp.latex(F.CORRECTED_THM9.expr))),
    uses=("lem19", "lem21", "eq126", "eq127"), cost=3.0))

register(Claim(
    "eq126", "Contraction of x_t towards r", "Appendix D.1, (126)",
    "|x_t - r| <= |x_{t-1} - r| (1 - 3 eta r^2/2) <= r (1 - 3 eta r^2/2)^t.",
    Statement({"bound": Part(F.PRINTED_EQ126, "(126)"), "eta_max": ETA_MAX}), MIDPOINT,
    (geometric_bound("stated bound (126)", defect_at),),
    correction=Correction(
        lambda st: (f"|x_t - r| <= {st['bound'].const} ({st['bound'].rate})^t (the factor "
                    "1 - eta (x^2 + r x + r^2)/2 is bounded by its value at x = 0)"),
        {"bound": F.CORRECTED_EQ126},
        (FACTOR_RANGE, geometric_bound("corrected bound", defect_at))),
    formulas=(Formula("(126)", "stated bound", lambda: sp.latex(F.PRINTED_EQ126.expr)),),
    uses=("lem21",), cost=2.0))


def _eq127(statement, points, run):
    """Direct comparison, and where it cannot decide (e_t far below the working precision) the
    margin factor * e - (lam - x y) factorised by SymPy in defect coordinates."""
    factor = statement["factor"]
    margin_expr = sp.factor(sp.expand(factor * e - F.MIDPOINT_PRODUCT_ERROR))
    marginf = Ball(PREC).compile([margin_expr], (e, r, d))
    comps = []
    for p in points:
        o = midpoint_for(p, run)
        k = ball(factor, env_of(p))
        comps.append(Comparison(params_of(p), [abs(o.product_error(t)) for t in range(len(o.e))],
                                [k * o.e[t] for t in range(len(o.e))],
                                margin=lambda t, o=o, dd=p["d"]: marginf(o.e[t], o.r, dd)[0]))
    return bound_check("(127)", f"|x_t y_t - lam| <= {factor} |x_t - r|", comps)


register(Claim(
    "eq127", "Product error against the defect", "Appendix D.1, (127)",
    "|x_t y_t - lam| = |x_t^2 + r x_t + r^2| |x_t - r| / (2d) <= (3 r^2/(2d)) |x_t - r|.",
    Statement({"factor": Part(F.PRINTED_EQ127_FACTOR, "(127)"), "eta_max": ETA_MAX}), MIDPOINT,
    (Check("(127)", _eq127),), uses=("lem19", "lem21"), cost=1.0))


# --- continuum limit ----------------------------------------------------------------------------
RHS0 = sp.expand(N.SHALLOW_FIELD[0].subs(Y.theta2, Y.theta1**2 / (2 * d)).subs(Y.theta1, x))
"""theta1' of the flow (6) under the initialisation (7) (K = 0), in the scheme's letter x."""


def _order(statement, points, run):
    """Global error at eta, eta/2, eta/4 over the same time span against a tight ODE solution:
    halving eta must divide it by 2^order."""
    order = statement["order"]
    fnum = FLOAT.compile([F.PRINTED_EQ119], (x, eta, d, lam))
    rhs = FLOAT.compile([statement["flow"]], (x, d, lam))
    ratios = []
    for p in points:
        dd, ll = float(p["d"]), float(p["lam"])
        rr = float(FLOAT.evaluate(F.R_OF, {d: dd, lam: ll}))
        errs = []
        for k in range(3):
            h = 0.2 / rr**2 / 2**k                      # eta r^2 = 0.2, 0.1, 0.05
            n = 30 * 2**k
            xs = [0.0]
            for _ in range(n):
                xs.append(float(fnum(xs[-1], h, dd, ll)[0]))
            sol = integrate_batch(lambda t_, yv, a, b: np.asarray(rhs(yv[0], a, b)), np.zeros((1, 1)),
                                  h * np.arange(n + 1), args=(dd, ll), rtol=1e-12, atol=1e-14)
            errs.append(float(np.max(np.abs(np.array(xs) - sol.y[:, 0, 0]))))
        ratios += [errs[0] / errs[1], errs[1] / errs[2]]
    lo, hi = 2**order * 0.8, 2**order * 1.25
    worst = max(ratios, key=lambda q_: abs(np.log(q_ / 2**order)))
    from ...verdicts import Measure
    m = Measure("error ratio when eta halves", worst, tolerance=0.25)
    what = f"global error = O(eta^{order})"
    if all(lo < q_ < hi for q_ in ratios):
        return passed("first-order agreement with the flow", Evidence.FLOAT, what,
                      points=len(points), measure=m)
    return undecided("first-order agreement with the flow", Evidence.FLOAT, what,
                     points=len(points), measure=m,
                     note=f"ratios {np.round(ratios, 3).tolist()}, expected {2**order}")


register(Claim(
    "thm9.continuum", "The midpoint scheme tracks the continuous flow",
    "Section 5.2 vs Theorem 2 (K = 0)",
    "x_t -> (2 d lam)^(1/3), the limit of theta1 under the continuous FA flow with "
    "initialisation (7); the scheme is first order in eta.",
    Statement({"flow": Part(RHS0, "(40)"), "order": Part(1, "first order")}), DL,
    (identity("(119) is Euler on (40)", lambda st: sp.expand((F.PRINTED_EQ119 - x) / eta
                                                             - st["flow"]),
              "(f(x) - x)/eta - theta1'(x)"),
     identity("same limit as the flow", lambda st: st["flow"].subs(x, F.R_OF), "theta1'(r)"),
     Check("first-order agreement with the flow", _order, samples=3)),
    uses=("thm2", "eq119"), cost=0.5))
