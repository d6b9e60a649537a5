"""Section 4 and Appendix C as data: learning times, the step-function limit, vanishing times.

Claims: sec4.1, eq106 (= eq15), eq101, eq104, thm7, eq107, eq112 (= eq16), eq113 (= eq17), eq114,
fn2, thm6.  Every time is certified (:mod:`.certified`): the closed form of Section 2's implicit
solutions and ``acb.integral`` of 1/theta1' must enclose the same value, and the SymPy derivation
is the third leg; a formula holds only if all three agree.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping, Sequence

import numpy as np
import sympy as sp
from flint import arb

from ...arith import Ball, ball_str, exact_str
from ...certificates import whole_domain
from ...domains import no_params
from ...engine import Check, Claim, Correction, Finding, Formula, Part, Statement
from ...registry import register
from ...verdicts import (CheckResult, Counterexample, Evidence, Measure, failed,
                         passed, undecided)
from ..shallow import domains as DM
from ..shallow import formulas as S
from ..shallow.checks import identity
from . import certified as C
from . import domains as DL
from . import formulas as L
from . import whole_domain as W

DELTAS = (50, 100, 200)          # the double limit, at precisions growing with delta
theta1, theta0, d, lam, K, r = L.theta1, L.theta0, L.d, L.lam, L.K, L.r
r1, r2, r3 = L.r1, L.r2, L.r3


def _roots(p) -> tuple[Fraction, Fraction, Fraction]:
    return DL.roots3(p)


def _renv(p) -> dict:
    return dict(zip((r1, r2, r3), DL.roots3(p)))


def _pstr(p) -> dict[str, str]:
    return {k: exact_str(v) for k, v in p.items()}


def _eps(k: int) -> arb:
    """10^-k as a ball (arb does not compare with Fraction)."""
    return arb(10) ** -k


def _ball(expr: sp.Expr, env: Mapping[sp.Symbol, Any], prec: int) -> arb:
    return Ball(prec).evaluate(expr, env)


# === Section 4.1: the three-root threshold ===================================================
def _threshold_check(part: str, dd_fixed: Fraction | None):
    """K just below the stated threshold must give three distinct real roots (Delta > 0) and K
    just above it only one (the threshold is K*): certified by the exact sign of (55)."""
    name = ("K below the main text's threshold gives Delta > 0, above it Delta < 0"
            if dd_fixed is None else
            "K below the appendix's threshold (2d = 1) gives Delta > 0, above it Delta < 0")

    def fn(statement, points, run) -> CheckResult:
        what = "sign Delta(d, lambda, K) = sign(threshold - K) (55)"
        n = 0
        for p in points:
            dd = Fraction(p["d"]) if dd_fixed is None else dd_fixed
            ll = Fraction(p["lam"])
            thr = _ball(statement[part], {d: dd, lam: ll}, 128)
            ks = _ball(L.derived_sec41_threshold(), {d: dd, lam: ll}, 128)
            for side in (-1, 1):
                # a simple rational strictly on this side of the stated threshold, closer to it
                # than K* is (when they differ)
                gap = abs(float((thr - ks).mid())) or abs(float(thr.mid())) * 1e-3 or 1e-3
                kq = None
                for den in (1, 2, 4, 10, 100, 1000, 10**6, 10**9, 10**12):
                    # strictly on this side even when the threshold is on the grid (lam = 1:
                    # -3/2), where floor would give the threshold itself
                    cand = Fraction(math.floor(float(thr.mid()) * den) + 1 if side > 0 else
                                    math.ceil(float(thr.mid()) * den) - 1, den)
                    cb = Ball(128).convert(cand)
                    with Ball(128).workprec():
                        ok = (cb < thr) if side < 0 else (cb > thr)
                    if ok and abs(float(cand) - float(thr.mid())) < gap / 2:
                        kq = cand
                        break
                if kq is None:
                    continue
                n += 1
                sgn = S.discriminant_sign(dd, ll, kq)
                if sgn != -side:
                    # the point's own d, also for the appendix (2d = 1): the domain needs it to
                    # replay the counterexample
                    params = {"d": Fraction(p["d"]), "lam": ll}
                    return failed(name, Evidence.EXACT, what, Counterexample.of(
                        params, f"K = {exact_str(kq)} {'<' if side < 0 else '>'} the stated "
                        f"threshold {ball_str(thr, 8)}, but Delta {'<=' if side < 0 else '>='} 0"
                        + ("" if dd_fixed is None else " (at 2d = 1)"),
                        {"K": exact_str(kq), "threshold": ball_str(thr, 10),
                         "K* (Delta = 0)": ball_str(ks, 10)}, Evidence.EXACT), points=n)
        return passed(name, Evidence.EXACT, what, points=n)
    return Check(name, fn, samples=24)


SEC41_PARTS = {"main": Part(L.PRINTED_SEC41_MAIN, "Sec. 4.1", "K_i < threshold (any d)"),
               "appendix": Part(L.PRINTED_SEC41_APPENDIX, "App. C.1", "K < threshold, 2d = 1")}


SEC41_WHOLE = "sign of Delta against the threshold over the whole domain"


def _sec41_checks(variant: str) -> tuple[Check, ...]:
    main, app = _threshold_check("main", None), _threshold_check("appendix", Fraction(1, 2))
    return (identity("main-text threshold = K* (Delta = 0 there)",
                     lambda st: st["main"] - L.derived_sec41_threshold(),
                     "threshold - K*(d, lambda)"),
            identity("appendix threshold = K* at 2d = 1",
                     lambda st: st["appendix"] - L.derived_appendix_threshold(),
                     "threshold - K*(1/2, lambda)"),
            main, app,
            whole_domain(SEC41_WHOLE, W.sec41_proof(variant), (main, app), W.SEC41_WHAT))


register(Claim(
    "sec4.1", "The three-real-root threshold on K", "Section 4.1 and Appendix C.1 (after (106))",
    """If K_i < -(3/2) lambda_i^(2/3) (< 0), the cubic (13) has three real distinct roots r1 < r2 <
       r3 (main text, FA constant d); in the appendix (2d = 1, P(x) = x^3 + Kx - lambda): K <
       -(3/2) lambda^(2/3).""",
    Statement(SEC41_PARTS), DM.D_LAM,
    _sec41_checks("printed"),
    correction=Correction(
        "the threshold is K* = -(3/2) (lambda^2/d)^(1/3) (Delta = 0, (55), (65)); the main text "
        "drops d^(-1/3) (right only for d = 1), and in the appendix's normalisation 2d = 1 it is "
        "-(3/2) (2 lambda^2)^(1/3) = -3 (lambda/2)^(2/3); K < K* iff three distinct real roots",
        {"main": L.derived_sec41_threshold(), "appendix": L.derived_appendix_threshold()},
        _sec41_checks("corrected")),
    formulas=(Formula("Sec. 4.1", "three-root threshold K*", lambda: sp.latex(sp.Lt(
        K, L.derived_sec41_threshold()))),),
    notes=("OCR: main text 'Ki < - 3 (lambda_i)3/2 < 0', appendix 'K < - 2 lambda2/3 < 0': both "
           "read -(3/2) lambda^(2/3) (the exponent 2/3 is the only one of the right dimension, "
           "K ~ lambda^(2/3) d^(-1/3))",),
    uses=("eq55", "eq66"), cost=0.5))


# === (15) = (106): the learning time T ========================================================
def _limit_check(part: str):
    """(56) at t = delta T: G(theta1(delta T)) = G(r2 + e^-delta) - delta T/2 has a finite limit
    as delta -> oo iff T is the escape time scale.  With e^-delta = eps and the roots r2 = -a,
    r1 = -a - b, r3 = 2a + b (a, b > 0 symbolic), the expression is A log(eps) plus logarithms of
    b + eps and 3a + b - eps (continuous at eps = 0): finite iff A = 0 identically."""
    name = "lim G(r2 + e^-delta) - delta T/2 is finite (56)"

    def fn(statement, points, run) -> CheckResult:
        eps = sp.Symbol("epsilon", positive=True)
        expr = L.tau_delta(statement[part]).subs(L.roots_ab())
        expr = expr.subs(sp.exp(-L.delta), eps).subs(L.delta, -sp.log(eps))
        expr = sp.expand(sp.expand_log(
            expr.replace(sp.Abs, lambda z: sp.Abs(sp.factor(z))), force=True))
        A = sp.simplify(expr.coeff(sp.log(eps)))
        rest = sp.simplify(expr - A * sp.log(eps))
        what = "coefficient of log(e^-delta) in G(r2 + e^-delta) - delta T/2 = 0"
        if rest.has(sp.log(eps)):
            return undecided(name, Evidence.SYMBOLIC, what, note="not separated")
        if A == 0:
            return passed(name, Evidence.SYMBOLIC, what,
                          note="for all a, b > 0 (r2 = -a, r2 - r1 = b); the finite limit is "
                               "alpha's constant c")
        env = {L.a_: 1, L.b_: 1}
        val = _ball(A.subs(env), {}, 128)
        if val > 0 or val < 0:
            return failed(name, Evidence.BALL, what, Counterexample.of(
                {"r1": -2, "r2": -1}, "the limit is infinite: T is not the escape time scale",
                {"coefficient of delta": ball_str(-val, 10)}))
        return undecided(name, Evidence.SYMBOLIC, what, note=f"coefficient {A} not decided")
    return Check(name, fn, samples=0)


def _escape_time_check(part: str):
    name = "delta T is the escape time from r2 + e^-delta, up to O(1) (certified, delta 50-200)"

    def fn(statement, points, run) -> list[CheckResult]:
        what = ("tau_delta(midpoint) - delta T converges: |D_200 - D_100| <= tail bound "
                "(acb.integral and (56) agree)")
        worst, n = 0.0, 0
        for p in points:
            D, prec_last = {}, None
            for delta in (100, 200):
                E = C.Escape(_roots(p), 1, delta)
                with E.workprec():
                    T = _ball(statement[part], _renv(p), E.prec)
                t_int = E.time_integral(E.x0, arb(0))
                t_cf = E.time_closed(arb(0))
                with E.workprec():
                    if not t_int.overlaps(t_cf):
                        return [undecided(name, Evidence.BALL, what, note=(
                            f"acb.integral {ball_str(t_int)} and (56) {ball_str(t_cf)} "
                            "disagree"))]
                    D[delta] = t_int - delta * T
                    # |D_delta - D_oo| <= 4 e^-delta (1/(g h^2) + T/g) (module doc of certified)
                    tail = 4 * (-arb(delta)).exp() * (1 / (E.g * E.h**2) + E.T / E.g)
                    D[(delta, "tail")] = tail
                prec_last = E.prec
            n += 1
            with Ball(prec_last).workprec():
                diff = D[200] - D[100]
                bound = D[(100, "tail")] + D[(200, "tail")]
                if abs(diff) > bound:
                    return [failed(name, Evidence.BALL, what, Counterexample.of(
                        p, "tau_delta - delta T does not converge (T is not the time scale)",
                        {"D_200 - D_100": ball_str(diff, 10), "tail bound": ball_str(bound, 3),
                         "T": ball_str(_ball(statement[part], _renv(p), 128), 10)}))]
                if not abs(diff) <= bound:
                    return [undecided(name, Evidence.BALL, what, note="not resolved")]
                worst = max(worst, float(abs(diff).upper()))
        return [passed(name, Evidence.BALL, what, points=n,
                       measure=Measure("max |D_200 - D_100|", worst))]
    return Check(name, fn, samples=lambda pr: 3 if pr.name == "ci" else 12)


register(Claim(
    "eq106", "The learning time T of the step", "Section 4.1, (15); Appendix C.1, (100)-(106)",
    """T = 2/((r3 - r2)(r2 - r1)): started at r2 +- e^-delta, theta1(delta t) leaves r2 at t = T
       as delta -> oo.""",
    Statement({"T": Part(L.PRINTED_EQ106_T, "(106)", "T in the roots")}), DL.STEP,
    (identity("T = 1/(theta1'' at r2): the linearisation of (54) at r2",
              lambda st: st["T"] - L.derived_T(), "T - 1/f'(r2)"),
     _limit_check("T"), _escape_time_check("T")),
    aliases=("eq15",),
    formulas=(Formula("(106)", "learning time T", lambda: sp.latex(sp.Eq(
        L.Y.T_learn, L.PRINTED_EQ106_T))),),
    uses=("eq56",), cost=1.5))


# === alpha: (101) and (104) ====================================================================
def _alpha_value(statement, part: str, E: C.Escape, p) -> arb:
    """The stated alpha at the point: an expression in the roots, or (correction) the certified
    root of its defining equation G(alpha) = c in the step's interval."""
    v = statement[part]
    if isinstance(v, sp.Equality):
        return _solve_stated(v, E, p)
    with E.workprec():
        return _ball(v, _renv(p), E.prec)


def _solve_stated(eq: sp.Equality, E: C.Escape, p) -> arb:
    """The root of a stated equation in alpha on the step's interval, by certified bisection
    along the escape path (theta = r2 + g sigma(x), x in [-60, 60]); refused without a
    certified sign change."""
    f = Ball(E.prec).compile([eq.lhs - eq.rhs], (L.alpha_T, r1, r2, r3))
    roots = _roots(p)

    def g(x):
        return f(E.theta(x), *roots)[0]
    with E.workprec():
        lo, hi = arb(-60), arb(60)
        slo, shi = g(lo), g(hi)
        if not ((slo > 0 and shi < 0) or (slo < 0 and shi > 0)):
            raise C.NotCertified("no certified sign change of the stated equation")
        up = slo < 0
        for _ in range(E.prec - 16):
            mid = arb(((lo + hi) / 2).mid())
            gm = g(mid)
            if (gm < 0) == up and (gm < 0 or gm > 0):
                lo = mid
            elif gm < 0 or gm > 0:
                hi = mid
            else:
                break
    return C.hull(E.theta(lo), E.theta(hi), E.prec)


def _alpha_check(part: str, s: int):
    """theta1(delta T) along certified trajectories from r2 + s e^-delta (delta = 50, 100, 200)
    against the stated alpha: it converges like e^-delta to the root of (56)'s defining equation;
    a stated alpha farther than 1e-6 from the converged trajectory is refuted."""
    side = "r2 + e^-delta" if s > 0 else "r2 - e^-delta"
    name = f"theta1(delta T) from {side} -> the stated alpha (certified, delta 50-200)"

    def fn(statement, points, run) -> list[CheckResult]:
        what = "lim theta1(delta T) = alpha"
        worst, rates, n = 0.0, [], 0
        for p in points:
            th, dist = {}, {}
            for delta in DELTAS:
                E = C.Escape(_roots(p), s, delta)
                with E.workprec():
                    tt = delta * E.T
                lo, hi, _ = E.at_time(tt)
                th[delta] = C.hull(E.theta(lo), E.theta(hi), E.prec)
                a = _alpha_value(statement, part, E, p)
                with E.workprec():
                    dist[delta] = abs(th[delta] - a)
            n += 1
            with Ball(C.delta_prec(200)).workprec():
                moved = abs(th[200] - th[100])
                far = dist[200] > _eps(6)
                if far and moved < _eps(30):
                    return [failed(name, Evidence.BALL, what, Counterexample.of(
                        p, "theta1(delta T) has converged (|theta(200T) - theta(100T)| < 1e-30) "
                           "and stays away from the stated alpha",
                        {"theta1(200 T)": ball_str(th[200], 12),
                         "stated alpha": ball_str(_alpha_value(statement, part, C.Escape(
                             _roots(p), s, 50), p), 12)}))]
                if dist[200] > _eps(40):
                    return [undecided(name, Evidence.BALL, what, note="not converged")]
                worst = max(worst, float(dist[200].upper()))
                if dist[100] > 0 and dist[200] > 0:
                    rates.append(float((dist[200].log() - dist[100].log()).mid()) / 100)
        return [passed(name, Evidence.BALL, what, points=n,
                       measure=Measure("max |theta1(200 T) - alpha|", worst),
                       note=("rate: |theta1(delta T) - alpha| ~ e^(k delta), k in "
                             f"[{min(rates):.4f}, {max(rates):.4f}] (expected -1)"
                             if rates else ""))]
    return Check(name, fn, samples=lambda pr: 2 if pr.name == "ci" else 10)


def _alpha_interval_check(part: str, s: int):
    lo_s, hi_s = ("r2", "r3") if s > 0 else ("r1", "r2")
    name = f"alpha in ({lo_s}, {hi_s})"

    def fn(statement, points, run) -> CheckResult:
        what = f"{lo_s} < alpha < {hi_s}"
        for p in points:
            E = C.Escape(_roots(p), s, 50)
            a = _alpha_value(statement, part, E, p)
            named = dict(zip(("r1", "r2", "r3"), _roots(p)))
            lo_v, hi_v = (Ball(E.prec).convert(named[lo_s]), Ball(E.prec).convert(named[hi_s]))
            with E.workprec():
                if a < lo_v or a > hi_v:
                    return failed(name, Evidence.BALL, what, Counterexample.of(
                        p, f"alpha outside ({lo_s}, {hi_s})", {"alpha": ball_str(a, 12)}))
                if not (a > lo_v and a < hi_v):
                    return undecided(name, Evidence.BALL, what, note="not resolved")
        return passed(name, Evidence.BALL, what, points=len(points))
    return Check(name, fn, samples=lambda pr: 6 if pr.name == "ci" else 40)


def _alpha_equation_check(part: str, s: int):
    name = "G(alpha) = c: alpha solves the limit of (56) at t = delta T"

    def fn(statement, points, run) -> CheckResult:
        what = "G(alpha) - lim_{delta -> oo} (G(r2 +- e^-delta) - delta T/2) = 0"
        v = statement[part]
        for p in points:
            env = _renv(p)
            # G and c at the original roots (c is symmetric under the reflection: same value)
            if isinstance(v, sp.Equality):
                E = C.Escape(_roots(p), s, 50)
                a = _solve_stated(v, E, p)
                val = _ball(L.alpha_equation(), {**env, L.alpha_T: a}, E.prec)
                if not (val > 0 or val < 0):
                    continue
            else:
                resid = L.implicit_G(v) - L.derived_alpha_constant()
                val = _ball(resid.subs(env), {}, 256)
            if val > 0 or val < 0:
                return failed(name, Evidence.BALL, what, Counterexample.of(
                    p, "G(alpha) != c", {"G(alpha) - c": ball_str(val, 10)}))
        return passed(name, Evidence.BALL, what, points=len(points))
    return Check(name, fn, samples=4)


ALPHA_EQ = sp.Eq(L.alpha_equation(), 0)


def alpha_whole_name(s: int) -> str:
    return f"alpha in {'(r2, r3)' if s > 0 else '(r1, r2)'} over the whole domain"


def _alpha_claim(cid: str, part_expr: sp.Expr, label: str, s: int) -> Claim:
    interval = "(r2, r3)" if s > 0 else "(r1, r2)"
    start = "r2 + e^-delta" if s > 0 else "r2 - e^-delta"
    def checks(variant: str) -> tuple[Check, ...]:
        inside = _alpha_interval_check("alpha", s)
        return (inside, _alpha_equation_check("alpha", s), _alpha_check("alpha", s),
                whole_domain(alpha_whole_name(s), W.alpha_proof(cid, s, variant), inside,
                             W.ALPHA_WHAT))
    return Claim(
        cid, f"The value alpha of the step at t = T, start {start}",
        f"Appendix C.1, {label}",
        f"""theta1(delta T) -> alpha = {sp.sstr(part_expr)} as delta -> oo, for theta1(0) = {start}
            (alpha in {interval}).""",
        Statement({"alpha": Part(part_expr, label, "alpha in the roots")}), DL.STEP,
        checks("printed"),
        correction=Correction(
            f"alpha has no closed form: it is the root in {interval} of G(alpha) = c, with G the "
            "implicit solution (56) and c = lim G(r2 +- e^-delta) - delta T/2 = log(r3 - r2)/"
            "((r3 - r2)(r3 - r1)) + log(r2 - r1)/((r3 - r1)(r2 - r1)), i.e. (r3 - r2) log|alpha "
            "- r1| - (r3 - r1) log|alpha - r2| + (r2 - r1) log|alpha - r3| = (r3 - r2) log(r2 - "
            f"r1) + (r2 - r1) log(r3 - r2); {label} replaces alpha by "
            f"{'r3' if s > 0 else 'r1'} in the regular logarithms, which lands outside "
            f"{interval}", {"alpha": ALPHA_EQ}, checks("corrected")),
        formulas=(Formula(label, f"alpha, start {start} (printed)", lambda: sp.latex(sp.Eq(
            L.alpha_T, L.with_root_gaps(part_expr)))),
                  Formula(label, "alpha's defining equation (derived)", lambda: sp.latex(
                      sp.Eq(L.with_root_gaps(L.implicit_G(L.alpha_T)),
                            L.with_root_gaps(L.alpha_constant_in_roots()))))),
        notes=("OCR (101): 'alpha := r3 - exp[(1 + r31/r21) ln r32 + (r32/r21) ln(r21/r31)]', "
               "(104) its mirror image; the reading is exactly what (99) gives when alpha is "
               "replaced by r3 (resp. r1) in the regular logarithms",),
        uses=("eq56", "eq106"), cost=2.0)


register(_alpha_claim("eq101", L.PRINTED_EQ101_ALPHA, "(101)", 1))
register(_alpha_claim("eq104", L.PRINTED_EQ104_ALPHA, "(104)", -1))


# === Theorem 7: the step-function limit (14) ===================================================
def _step_check(s: int):
    side = "r2 + e^-delta" if s > 0 else "r2 - e^-delta"
    name = f"theta1(delta t) -> step function (14), start {side} (certified, delta 50-200)"

    def fn(statement, points, run) -> list[CheckResult]:
        what = "theta1(delta t) -> before for t < T, after for t > T, alpha in between at T"
        out = []
        expo: dict[str, list[float]] = {"t = T/2": [], "t = 3T/2": [], "t = T": []}
        n = 0
        for p in points:
            env = _renv(p)
            before = statement["before"]
            after = statement["after"] if s > 0 else statement["after_mirror"]
            dist: dict = {}
            for delta in DELTAS:
                E = C.Escape(_roots(p), s, delta)
                with E.workprec():
                    T = _ball(statement["T"], env, E.prec)
                    lim_b = _ball(before, env, E.prec)
                    lim_a = _ball(after, env, E.prec)
                for key, fac, lim in (("t = T/2", Fraction(1, 2), lim_b),
                                      ("t = 3T/2", Fraction(3, 2), lim_a)):
                    with E.workprec():
                        tt = delta * T * Ball(E.prec).convert(fac)
                    lo, hi, _ = E.at_time(tt)
                    with E.workprec():
                        if key == "t = T/2":
                            # distance to r2 without cancellation: |theta - r2| = g sigma(x)
                            d_true = C.hull(E.from_r2(lo), E.from_r2(hi), E.prec)
                            stated_off = abs(lim_b - (E.q[1] if s > 0 else -E.q[1]))
                        else:
                            d_true = C.hull(E.to_goal(lo), E.to_goal(hi), E.prec)
                            stated_off = abs(lim_a - (E.q[2] if s > 0 else -E.q[2]))
                        dist[(key, delta)] = (d_true, stated_off)
                lo, hi = E.alpha_x()
                with E.workprec():
                    tt = delta * T
                xl, xh, _ = E.at_time(tt)
                with E.workprec():
                    dist[("t = T", delta)] = (abs(C.hull(E.theta(xl), E.theta(xh), E.prec)
                                                  - C.hull(E.theta(lo), E.theta(hi), E.prec)),
                                              arb(0))
            n += 1
            with Ball(C.delta_prec(200)).workprec():
                for key in expo:
                    d200, off = dist[(key, 200)]
                    d100, _ = dist[(key, 100)]
                    # the trajectory's distance to the true limit (r2, r3/r1, alpha) shrinks;
                    # the stated limit must be that limit
                    if off > _eps(6) and d200 < _eps(6):
                        return [failed(name, Evidence.BALL, what, Counterexample.of(
                            p, f"at {key} theta1(200 t) is within 1e-6 of the true limit, "
                               f"which is {ball_str(off, 6)} from the stated one",
                            {"distance to the true limit": ball_str(d200, 6)}))]
                    if not d200 < _eps(6):
                        if key != "t = T" and d100 > _eps(2) and d200 > _eps(2):
                            return [failed(name, Evidence.BALL, what, Counterexample.of(
                                p, f"at {key} theta1(delta t) is not near its limit "
                                   "(the step is not at the stated T)",
                                {"distance (delta = 100)": ball_str(d100, 6),
                                 "distance (delta = 200)": ball_str(d200, 6)}))]
                        return [undecided(name, Evidence.BALL, what,
                                          note=f"{key}: not converged at delta = 200")]
                    if d100 > 0 and d200 > 0:
                        expo[key].append(float((d200.log() - d100.log()).mid()) / 100)
        rates = "; ".join(f"{k}: log dist/delta in [{min(v):.3f}, {max(v):.3f}]"
                          for k, v in expo.items() if v)
        out.append(passed(name, Evidence.BALL, what, points=n,
                          note=f"rates of approach {rates} (t = T/2: -1/2; t = T: -1; t = 3T/2: "
                               "-(r3 - r1)/(2(r2 - r1)), towards r1: -(r3 - r1)/(2(r3 - r2)))"))
        return out
    return Check(name, fn, samples=lambda pr: 2 if pr.name == "ci" else 10)


THM7_PARTS = {"T": Part(L.PRINTED_EQ106_T, "(15)", "the step time"),
              "before": Part(r2, "(14)", "limit for t < T"),
              "after": Part(r3, "(14)", "limit for t > T, start r2 + e^-delta"),
              "after_mirror": Part(r1, "after (15)", "limit for t > T, start r2 - e^-delta")}

register(Claim(
    "thm7", "Theorem 7: the step-function limit (anti-regularisation)",
    "Section 4.1, Theorem 7, (14)-(15); proof Appendix C.1, (97)-(105)",
    """If theta1(0) = r2 + e^-delta, theta1(delta t) -> r2 1{t < T} + alpha 1{t = T} + r3 1{t > T}
       as delta -> oo, T = 2/((r3 - r2)(r2 - r1)), alpha in (r2, r3); similarly from r2 - e^-delta
       (with r1 for t > T).""",
    Statement(THM7_PARTS), DL.STEP,
    (identity("T f'(r2) = 1: theta1 - r2 ~ e^-delta e^(t/T), the step at t = T",
              lambda st: st["T"] * sp.diff(L.FLOW3, theta1).subs(theta1, r2) - 1,
              "T f'(r2) - 1"),
     _step_check(1), _step_check(-1)),
    uses=("eq106", "eq101", "eq104", "eq56"), cost=3.0))


# === (107): T increases with lambda ===========================================================
def _comp(p, j: int, fixed: Sequence[str]) -> tuple[Fraction, Fraction, Fraction]:
    k = Fraction(p["K1"]) if "K" in fixed else Fraction(p[f"K{j}"])
    return Fraction(p["d"]), Fraction(p[f"lam{j}"]), k


def _T_ball(dd: Fraction, ll: Fraction, kk: Fraction, prec: int = 128) -> arb:
    roots = S.real_roots(dd, ll, kk)
    if len(roots) != 3:
        raise C.NotCertified("not three distinct real roots")
    return _ball(L.derived_T_dlk(), {r2: roots[1].value, d: dd, K: kk}, prec)


def _order_check(name: str, times_of, fixed_part: str, mono_part: str, what: str):
    """Certified times of the k components under the statement's hypotheses (what it holds
    fixed); the order must be the stated one (monotone = +1: the time increases with lambda)."""
    def fn(statement, points, run) -> CheckResult:
        fixed = statement[fixed_part]
        mono = statement[mono_part]
        for p in points:
            ts = times_of(p, fixed)
            # lambda1 > lambda2 > ...: increasing in lambda means decreasing along j
            got = C.ordered(ts)
            want = -mono
            if got is not None and got != want or (got is None and any(
                    (a > b if want > 0 else a < b) for a, b in zip(ts, ts[1:]))):
                keep = {k: v for k, v in p.items()
                        if k == "d" or k.startswith("lam") or
                        (k.startswith("K") and ("K" not in fixed or k == "K1")) or
                        (k.startswith("theta") and ("theta0" not in fixed or k == "theta1_0"))}
                return failed(name, Evidence.BALL, what, Counterexample.of(
                    keep, f"lambda1 > lambda2 > lambda3 but the times are not "
                          f"{'decreasing' if want < 0 else 'increasing'} along them",
                    {f"time {j + 1}": ball_str(t, 10) for j, t in enumerate(ts)}))
            if got is None:
                return undecided(name, Evidence.BALL, what, note="order not certified")
        return passed(name, Evidence.BALL, what, points=len(points),
                      note=f"holding fixed: {', '.join(fixed)}")
    return fn


def _T_times(p, fixed):
    return [_T_ball(*_comp(p, j, fixed)) for j in range(1, DL.K_COMPONENTS + 1)]


def _dT_sign_check(statement, points, run) -> CheckResult:
    name = "dT/dlambda at fixed d and K has the stated sign (implicit differentiation, SymPy)"
    what = "sign dT/dlambda = stated monotonicity"
    expr = L.derived_dT_dlam()
    sign = 1 if expr.is_positive else (-1 if expr.is_negative else 0)
    if sign == 0:
        return undecided(name, Evidence.SYMBOLIC, what, note=f"sign of {expr} not decided")
    if sign != statement["monotone"]:
        v = expr.subs({L.a_: 1, L.b_: 1, d: 1})
        return failed(name, Evidence.SYMBOLIC, what, Counterexample.of(
            {"d": 1, "r1": -2, "r2": -1}, f"dT/dlambda = {v} has sign {sign}",
            {"dT/dlambda": str(v)}, Evidence.SYMBOLIC))
    return passed(name, Evidence.SYMBOLIC, what, note=f"dT/dlambda = {expr} (r2 = -a, "
                  "r2 - r1 = b)")


def _r32r21_identity(st):
    env = {K: (r1 * r2 + r1 * r3 + r2 * r3)}           # 2d = 1: K = sum of products of roots
    return ((r3 - r2) * (r2 - r1) - st["r32r21"].subs(env)).subs(r3, -r1 - r2)


EQ107_WHOLE = "T's order over the whole domain (dT/dlambda, dT/dK)"


def EQ107_CHECKS(variant: str) -> tuple[Check, ...]:
    order = Check("certified T_i of k = 3 components are ordered as stated",
                  _order_check("certified T_i of k = 3 components are ordered as stated",
                               _T_times, "fixed", "monotone",
                               "T_1 > T_2 > T_3 for lambda1 > lambda2 > lambda3"),
                  samples=lambda pr: 30 if pr.name == "ci" else 400)
    return (identity("r32 r21 = -P'(r2) = -3 r2^2 - K (2d = 1)", _r32r21_identity,
                     "(r3 - r2)(r2 - r1) - printed"),
            Check("dT/dlambda at fixed d and K has the stated sign (implicit differentiation, "
                  "SymPy)", _dT_sign_check, samples=0),
            order, whole_domain(EQ107_WHOLE, W.eq107_proof(variant), order, W.ORDER_WHAT))

register(Claim(
    "eq107", "T increases with lambda: T_1 > ... > T_k", "Theorem 7 (after (15)); Appendix C.1, "
    "(107)",
    """T is an increasing function of lambda: for lambda1 > ... > lambdak and fixed FA constant d,
       T_1 > ... > T_k (each component with its own K_i = theta2_i(0) - theta1_i(0)^2/(2d)).""",
    Statement({"monotone": Part(1, "(107)", "+1: T increases with lambda"),
               "fixed": Part(("d",), "Theorem 7", "what is shared by the components"),
               "r32r21": Part(L.PRINTED_EQ107_R32R21, "App. C.1", "r32 r21 = -P'(r2)")}),
    DL.MULTI, EQ107_CHECKS("printed"),
    correction=Correction(
        "T depends on lambda and on K (T = -2/P'(r2)); the ordering holds when d and K are shared "
        "by the components (the appendix's proof holds K fixed), not for each component's own K_i",
        {"fixed": ("d", "K")}, EQ107_CHECKS("corrected")),
    notes=("the appendix's chain writes -r2^2 - K > -r~2^2 - K for -3r2^2 - K > -3r~2^2 - K (a "
           "typo that does not change the conclusion)",),
    uses=("eq106", "sec4.1"), cost=1.0))


# === (16) = (112): the vanishing time T0 =======================================================
def _t0_certified(statement, points, run) -> list[CheckResult]:
    name = "T0 (112) = certified int_{theta0}^0 dtheta/theta1' = (42)'s F(0) - F(theta0)"
    what = "(112) vs acb.integral vs Section 2's (42)"
    n = 0
    for p in points:
        num, cf = C.vanishing_time(Fraction(p["theta0"]), Fraction(p["r"]), 160)
        val = _ball(statement["T0"], {theta0: p["theta0"], r: p["r"]}, 160)
        with Ball(160).workprec():
            if not num.overlaps(cf):
                return [undecided(name, Evidence.BALL, what, note="integral and (42) disagree")]
            if not num.overlaps(val):
                return [failed(name, Evidence.BALL, what, Counterexample.of(
                    p, "(112) differs from the certified time",
                    {"(112)": ball_str(val, 12), "certified": ball_str(num, 12)}))]
        n += 1
    return [passed(name, Evidence.BALL, what, points=n)]


register(Claim(
    "eq112", "The vanishing time T0 under (7)", "Section 4.2, (16); Appendix C.2, (110)-(112)",
    """For theta0 < 0 (K = 0), theta1 vanishes at T0 = pi/(3 sqrt 3 r^2) + ln((r - theta0)^2/
       (theta0^2 + r theta0 + r^2))/(3 r^2) - 2/(sqrt 3 r^2) arctan((2 theta0 + r)/(sqrt 3 r)),
       r = (2 d lambda)^(1/3).""",
    Statement({"T0": Part(L.printed_eq112(theta0, r), "(112)", "T0(theta0, r)")}), DL.T0,
    (identity("dT0/dtheta0 = -1/theta1'(theta0) (the time to 0 from theta0)",
              lambda st: sp.diff(st["T0"], theta0) + L.T0_integrand(theta0),
              "dT0/dtheta0 + 1/theta1'(theta0)"),
     identity("T0 = 0 at theta0 = 0", lambda st: st["T0"].subs(theta0, 0), "T0(0)"),
     Check("T0 (112) = certified int_{theta0}^0 dtheta/theta1' = (42)'s F(0) - F(theta0)",
           _t0_certified, samples=lambda pr: 12 if pr.name == "ci" else 100)),
    aliases=("eq16",),
    formulas=(Formula("(112)", "vanishing time T0", lambda: sp.latex(sp.Eq(
        L.Y.T0_vanish, L.printed_eq112(theta0, r)))),),
    uses=("eq42",), cost=0.5))


# === (17) = (113): T0 as theta0 -> -oo ========================================================
def _expansion_check(terms_part: str, rem_part: str, label: str):
    name = f"{label}: the expansion's terms up to the remainder (SymPy series)"

    def fn(statement, points, run) -> CheckResult:
        what = "T0 = leading + sum c_k |theta0|^-k + O(|theta0|^-m), term by term"
        T_inf, coeffs = L.expansion_coefficients(max(9, statement[rem_part] + 1))
        if sp.simplify(T_inf - statement["leading"]) != 0:
            return failed(name, Evidence.SYMBOLIC, what, Counterexample.of(
                {"r": 1}, "the leading term differs", {"derived": str(T_inf),
                                                       "stated": str(statement["leading"])},
                Evidence.SYMBOLIC))
        stated = statement[terms_part]
        for k in range(1, statement[rem_part]):
            want = coeffs.get(k, sp.Integer(0))
            got = stated.get(k, sp.Integer(0))
            if sp.simplify(want - got) != 0:
                return failed(name, Evidence.SYMBOLIC, what, Counterexample.of(
                    {"r": 1}, f"the coefficient of |theta0|^-{k} is {want}, stated {got}",
                    {"derived": str(want), "stated": str(got)}, Evidence.SYMBOLIC))
        nxt = min((k for k in coeffs if k >= statement[rem_part] and coeffs[k] != 0),
                  default=None)
        sharper = nxt is not None and nxt > statement[rem_part]
        return passed(name, Evidence.SYMBOLIC, what,
                      note=(f"next term {coeffs[nxt]} |theta0|^-{nxt}"
                            + (f": the remainder is O(theta0^-{nxt}), sharper than the stated "
                               f"O(theta0^-{statement[rem_part]})" if sharper else "")
                            if nxt is not None else ""))
    return Check(name, fn, samples=0)


def _expansion_numeric(statement, points, run) -> CheckResult:
    """The certified T0 minus (113)'s terms, times |theta0|^m, stays bounded as theta0 -> -oo."""
    name = "certified T0 minus (113)'s terms is O(|theta0|^-m) (theta0 = -10^2 .. -10^6)"
    what = "|T0 - expansion| |theta0|^m bounded"
    m = statement["remainder"]
    expansion = statement["leading"] + sum(c * (-1 / theta0) ** k
                                           for k, c in statement["terms"].items())
    vals = []
    for e in (2, 4, 6):
        th = Fraction(-10**e)
        num, _ = C.vanishing_time(th, Fraction(1), 200)
        ex = _ball(expansion, {theta0: th, r: 1}, 200)
        with Ball(200).workprec():
            vals.append(abs(num - ex) * arb(10) ** (e * m))
    with Ball(200).workprec():
        if vals[-1] > 10 * vals[0] + 1:
            return failed(name, Evidence.BALL, what, Counterexample.of(
                {"r": 1}, "the scaled remainder grows",
                {"scaled remainder at -10^2, -10^6": f"{ball_str(vals[0], 5)}, "
                                                     f"{ball_str(vals[-1], 5)}"}))
    return passed(name, Evidence.BALL, what, points=3,
                  measure=Measure("|T0 - expansion| |theta0|^m at theta0 = -10^6",
                                  float(vals[-1].mid())))


EQ113_PARTS = {"leading": Part(L.PRINTED_EQ113_LEADING, "(17), (113)", "T0 at theta0 = -oo"),
               "terms": Part(L.PRINTED_EQ113_TERMS, "(113)", "{k: coefficient of |theta0|^-k}"),
               "remainder": Part(L.PRINTED_EQ113_REMAINDER, "(113)", "O(|theta0|^-m)"),
               "terms17": Part(L.PRINTED_EQ17_TERMS, "(17)", "(17)'s terms"),
               "remainder17": Part(L.PRINTED_EQ17_REMAINDER, "(17)", "(17)'s remainder")}

EQ113_WHOLE = ("the remainder bound |T0 - expansion| <= C r^(m-2) |theta0|^-m over the whole "
               "domain (theta0 <= -r)")
_EQ113_TERMS = (_expansion_check("terms", "remainder", "(113)"),
                _expansion_check("terms17", "remainder17", "(17)"))
EQ113_CHECKS = _EQ113_TERMS + (
    Check("certified T0 minus (113)'s terms is O(|theta0|^-m) (theta0 = -10^2 .. -10^6)",
          _expansion_numeric, samples=0),
    whole_domain(EQ113_WHOLE, W.eq113_proof("printed"), _EQ113_TERMS, W.EXPANSION_WHAT))

register(Claim(
    "eq113", "T0 as theta0 -> -oo", "Section 4.2, (17); Appendix C.2, (113)",
    """T0 = 4 pi/(3 sqrt 3 r^2) - 1/theta0^2 + O(1/theta0^3) as theta0 -> -oo ((17): 4 pi/(3 sqrt 3
       r^2) + O(1/theta0^2)).""",
    Statement(EQ113_PARTS), no_params("the expansion (r symbolic)"),
    EQ113_CHECKS,
    aliases=("eq17",),
    formulas=(Formula("(113)", "T0 as theta0 -> -oo (printed)", lambda: sp.latex(sp.Eq(
        L.Y.T0_vanish, L.PRINTED_EQ113_LEADING - 1 / theta0**2
        + sp.Order(theta0**-3, (theta0, -sp.oo))))),
              Formula("(113)", "T0 as theta0 -> -oo (derived, SymPy series)", lambda: sp.latex(
                  sp.Eq(L.Y.T0_vanish, L.expansion_coefficients()[0] + sum(
                      c * (-1 / theta0) ** k for k, c in L.expansion_coefficients()[1].items()
                      if k < 8) + sp.Order(theta0**-8, (theta0, -sp.oo)))))),
    notes=("OCR: (113) 'T0 = 3r2 sqrt3 - 1/8 + O G)', (17) '3(ri)2 sqrt3 + O(...'; read as "
           "4 pi/(3 sqrt3 r^2) - 1/theta0^2 + O(1/theta0^3) and 4 pi/(3 sqrt3 r^2) + O(1/theta0^2)."
           " The reading -1/theta0 is excluded by dimension (t ~ 1/r^2, theta0 ~ r: a 1/theta0 "
           "term needs a 1/r) and would be wrong: the derived 1/theta0 coefficient is 0",),
    uses=("eq112",), cost=1.0))


# === (114): T0 decreases with lambda ===========================================================
def _T0_times(p, fixed):
    out = []
    for j in range(1, DL.K_COMPONENTS + 1):
        th = Fraction(p["theta1_0"]) if "theta0" in fixed else Fraction(p[f"theta{j}_0"])
        rr = _ball(sp.cbrt(2 * d * lam), {d: p["d"], lam: p[f"lam{j}"]}, 160)
        num, cf = C.vanishing_time(th, rr, 160)
        with Ball(160).workprec():
            if not num.overlaps(cf):
                raise C.NotCertified("integral and (42) disagree")
        out.append(num)
    return out


def _dT0_sign_check(statement, points, run) -> CheckResult:
    name = "d/dr of 1/theta1' < 0 on theta <= 0: T0 decreases in r = (2 d lambda)^(1/3) (SymPy)"
    what = "sign dT0/dlambda at fixed theta0, d = stated"
    th = sp.Symbol("theta", nonpositive=True)
    dI = sp.diff(L.T0_integrand(th), r)
    sign = -1 if dI.is_negative else (1 if dI.is_positive else 0)
    # the limit values (theta0 -> -oo): 4 pi/(3 sqrt3 r^2) decreasing in r too
    lim_sign = sp.sign(sp.diff(L.expansion_coefficients()[0], r))
    if sign == 0 or lim_sign not in (1, -1):
        return undecided(name, Evidence.SYMBOLIC, what)
    if sign != statement["monotone"] or lim_sign != statement["monotone"]:
        return failed(name, Evidence.SYMBOLIC, what, Counterexample.of(
            {"r": 1}, f"dT0/dr has sign {sign}", {"d(1/theta1')/dr": str(dI)},
            Evidence.SYMBOLIC))
    return passed(name, Evidence.SYMBOLIC, what, note=f"d(1/theta1')/dr = {sp.factor(dI)} < 0 "
                  "for theta <= 0; also for the limit 4 pi/(3 sqrt3 r^2)")


EQ114_WHOLE = "T0's order over the whole domain (dT0/dlambda, dT0/dtheta0)"


def EQ114_CHECKS(variant: str) -> tuple[Check, ...]:
    order = Check("certified T0_i of k = 3 components are ordered as stated",
                  _order_check("certified T0_i of k = 3 components are ordered as stated",
                               _T0_times, "fixed", "monotone",
                               "T0_1 < T0_2 < T0_3 for lambda1 > lambda2 > lambda3"),
                  samples=lambda pr: 20 if pr.name == "ci" else 300)
    return (Check("d/dr of 1/theta1' < 0 on theta <= 0: T0 decreases in r = (2 d lambda)^(1/3) "
                  "(SymPy)", _dT0_sign_check, samples=0),
            order, whole_domain(EQ114_WHOLE, W.eq114_proof(variant), order, W.ORDER_WHAT))

register(Claim(
    "eq114", "T0 decreases with lambda: T0_1 < ... < T0_k", "Section 4.2 (after (17)); "
    "Appendix C.2, (114)",
    """For lambda1 > ... > lambdak and fixed FA constant d > 0, T0_1 < ... < T0_k (each component
       from its own theta0_i < 0).""",
    Statement({"monotone": Part(-1, "(114)", "-1: T0 decreases as lambda grows"),
               "fixed": Part(("d",), "(114)", "what is shared by the components")}),
    DL.MULTI0, EQ114_CHECKS("printed"),
    correction=Correction(
        "T0 depends on theta0_i as much as on lambda_i; the ordering holds for a theta0 shared "
        "by the components (or for the limits 4 pi/(3 sqrt3 r_i^2) as every theta0_i -> -oo)",
        {"fixed": ("d", "theta0")}, EQ114_CHECKS("corrected")),
    uses=("eq112", "eq113"), cost=1.0))


# === footnote 2: three-root initialisations under U([-R, R])^2 =================================
def r_half(dd: Fraction, ll: Fraction) -> tuple[Fraction, Fraction]:
    """An exact interval [lo, hi] (width 1e-6 relative) around the box size R_1/2 where
    P(three real roots) = 1/2: certified P(lo) < 1/2 < P(hi) (bisection on the closed form)."""
    half = arb(1) / 2
    lo, hi = Fraction(1, 1000), Fraction(1)
    while not C.prob_three_roots(dd, ll, hi) > half:
        lo, hi = hi, 2 * hi
    while hi - lo > hi * Fraction(1, 10**6):
        mid = (lo + hi) / 2
        P = C.prob_three_roots(dd, ll, mid)
        if P > half:
            hi = mid
        elif P < half:
            lo = mid
        else:
            break
    return lo, hi


def _fn2_bound(statement, points, run) -> CheckResult:
    """P(three roots) < bound for every box R < R_max (printed: every R; corrected: the box
    size R_1/2 where P = 1/2, and above it P > 1/2, so the bound is sharp)."""
    name = "P(three real roots) under U([-R, R])^2 is below the stated bound (certified)"
    what = "P(K < K*) < bound for R < R_max (and > bound beyond, when R_max is finite)"
    worst = 0.0
    for p in points:
        dd, ll, R = Fraction(p["d"]), Fraction(p["lam"]), Fraction(p["R"])
        P = C.prob_three_roots(dd, ll, R)
        inside = True
        if statement["R_max"] != sp.oo:
            lo, hi = r_half(dd, ll)
            if lo <= R <= hi:
                continue                       # too close to R_1/2 to be decided
            inside = R < lo
        with Ball(128).workprec():
            if inside and P > statement["bound"]:
                return failed(name, Evidence.BALL, what, Counterexample.of(
                    p, "three-root initialisations are not improbable",
                    {"P": ball_str(P, 10)}))
            if not inside and P < statement["bound"]:
                return failed(name, Evidence.BALL, what, Counterexample.of(
                    p, "beyond R_max the probability is still below the bound (not sharp)",
                    {"P": ball_str(P, 10)}))
            if not (P < statement["bound"] or P > statement["bound"]):
                return undecided(name, Evidence.BALL, what, note="not resolved")
        if inside:
            worst = max(worst, float(P.mid()))
    return passed(name, Evidence.BALL, what, points=len(points),
                  measure=Measure("max P below R_max", worst))


def _fn2_mc(statement, points, run) -> CheckResult:
    name = "Monte Carlo estimate's 99.9% interval contains the certified probability"
    what = "certified P in the Wilson interval of 10^5 samples"
    rng = run.rng("fn2/mc")
    bad = 0
    for p in points[:8]:
        P = C.prob_three_roots(Fraction(p["d"]), Fraction(p["lam"]), Fraction(p["R"]))
        est, lo, hi = C.prob_three_roots_mc(float(p["d"]), float(p["lam"]), float(p["R"]),
                                            100_000, rng)
        width = hi - lo
        # widen the 95% interval to ~99.9% (z 3.29 vs 1.96)
        lo, hi = est - width * 3.29 / 1.96 / 2, est + width * 3.29 / 1.96 / 2
        bad += not (lo - 1e-12 <= float(P.mid()) <= hi + 1e-12)
    return (passed if bad == 0 else undecided)(
        name, Evidence.FLOAT, what, points=min(8, len(points)),
        measure=Measure("samples outside", float(bad)))


def _fn2_monotone(statement, points, run) -> CheckResult:
    name = "P(three real roots) decreases as lambda grows (K* decreases; SymPy) and at pairs"
    what = "P(d, 2 lambda, R) <= P(d, lambda, R)"
    sign = sp.sign(sp.simplify(sp.diff(L.derived_sec41_threshold(), lam)))
    if sign != -1:
        return undecided(name, Evidence.SYMBOLIC, what)
    # the integrand clip(theta^2/(2d) + K* + R, 0, 2R) is nondecreasing in K*
    for p in points:
        P1 = C.prob_three_roots(Fraction(p["d"]), Fraction(p["lam"]), Fraction(p["R"]))
        P2 = C.prob_three_roots(Fraction(p["d"]), 2 * Fraction(p["lam"]), Fraction(p["R"]))
        with Ball(128).workprec():
            if (P2 - P1) * statement["decreasing"] < 0:
                return failed(name, Evidence.BALL, what, Counterexample.of(
                    p, "P at 2 lambda vs lambda", {"P(lambda)": ball_str(P1, 8),
                                                   "P(2 lambda)": ball_str(P2, 8)}))
    return passed(name, Evidence.SYMBOLIC, what, points=len(points),
                  note="dK*/dlambda < 0 and the integrand is nondecreasing in K*")


def _fn2_table(statement, points, run) -> str:
    """The certified probability next to a Monte Carlo estimate with its 95% Wilson interval
    (10^5 samples), for d = 1 and several R and lambda."""
    rng = run.rng("fn2/table")
    rows = []
    for R in (1, 2, 3, 5, 10, 30):
        cells = []
        for ll in (Fraction(1, 2), Fraction(1), Fraction(3), Fraction(10)):
            P = C.prob_three_roots(Fraction(1), ll, Fraction(R))
            est, lo, hi = C.prob_three_roots_mc(1.0, float(ll), float(R), 100_000, rng)
            cells.append(f"{float(P.mid()):.3f} (MC {est:.3f} [{lo:.3f}, {hi:.3f}])")
        rows.append(f"R = {R}: " + ", ".join(cells))
    return ("P(Delta > 0) under U([-R, R])^2 for d = 1 and lambda = 1/2, 1, 3, 10: certified "
            "closed form (Monte Carlo estimate [95% Wilson interval]); the probability that all "
            "k independent components are in the three-root regime is the product; "
            + "; ".join(rows))


FN2_WHOLE = ("P(three roots) over the whole domain: monotone in R and lambda, 0 for small "
             "boxes, above the bound for large ones")


def FN2_CHECKS(variant: str) -> tuple[Check, ...]:
    bound = Check("P(three real roots) under U([-R, R])^2 is below the stated bound (certified)",
                  _fn2_bound, samples=lambda pr: 12 if pr.name == "ci" else 200)
    monotone = Check("P(three real roots) decreases as lambda grows (K* decreases; SymPy) and at "
                     "pairs", _fn2_monotone, samples=lambda pr: 12 if pr.name == "ci" else 200)
    mc = (Check("Monte Carlo estimate's 99.9% interval contains the certified probability",
                _fn2_mc, samples=lambda pr: 8),) if variant == "printed" else ()
    return (bound,) + mc + (monotone, whole_domain(FN2_WHOLE, W.fn2_proof(variant),
                                                   (bound, monotone), W.FN2_WHAT))


register(Claim(
    "fn2", "Footnote 2: three-root (anti-regularising) initialisations are improbable",
    "Section 4.1, footnote 2 and the paragraph after Theorem 7",
    """Under independent sampling theta1(0), theta2(0) ~ U([-R, R]), initial values with K_i < K*
       (three real roots, needed for anti-regularisation) do not occur with high probability, and
       their probability decreases as lambda_i grows.""",
    Statement({"bound": Part(L.PRINTED_FN2_BOUND, "footnote 2", "'not with high probability': "
                             "P < 1/2"),
               "R_max": Part(sp.oo, "footnote 2", "for boxes U([-R, R])^2 with R < R_max (any R)"),
               "decreasing": Part(L.PRINTED_FN2_DECREASING, "Sec. 4.1", "P decreases in "
                                  "lambda")}), DL.FN2,
    FN2_CHECKS("printed"),
    correction=Correction(
        "three-root initialisations are improbable (P < 1/2) only in small boxes: P < 1/2 iff R "
        "< R_1/2(d, lambda) (R_1/2 = 3 at d = lambda = 1, where K* = -3/2), and P -> 1 as R -> "
        "oo (theta1(0)^2/(2d) outgrows theta2(0)); P decreases as lambda grows",
        {"R_max": sp.Symbol("R_half", positive=True)}, FN2_CHECKS("corrected")),
    notes=(Finding("probabilities", _fn2_table, samples=0),
           "footnote 2 itself is attached to 'Delta = 0 has zero probability', which is Remark "
           "15 (rem15); the probability of three roots tends to 1 as R -> oo (theta1^2/(2d) "
           "dominates theta2), so the claim holds only for small boxes"),
    uses=("sec4.1", "rem15"), cost=1.0))


# === Theorem 6: both schemes exist =============================================================
def _passages(roots_list, delta: int) -> list[arb]:
    """Certified times from r2_i + e^-delta to the midpoint of (r2_i, r3_i) (acb.integral)."""
    out = []
    for roots in roots_list:
        E = C.Escape(roots, 1, delta)
        out.append(E.time_integral(E.x0, arb(0)))
    return out


def _scheme_check(statement, points, run) -> list[CheckResult]:
    """Anti-regularisation: shared K < K*(lambda1), theta1_i(0) = r2_i + e^-delta: the certified
    steps (theta1_i(delta t) passes the midpoint of (r2_i, r3_i)) are ordered like T_i.  The
    passage time is delta T_i + c_i + O(e^-delta) (eq106); c_i is certified at delta = 50 and the
    trajectories are compared at a delta where delta min|T_i - T_j| exceeds twice the spread of
    the c_i, so that their order is the order of the steps.  Regularisation: K = 0, a shared
    theta0 < 0: certified vanishing times T0_i."""
    out = []
    name_a = "anti-regularisation scheme (shared K, starts r2_i + e^-delta): certified step order"
    what_a = "order of the certified passage times tau_i/delta = stated order of T_i"
    worst_delta = 0
    for p in points:
        fixed = ("d", "K")
        ts, roots_list = [], []
        for j in range(1, DL.K_COMPONENTS + 1):
            dd, ll, kk = _comp(p, j, fixed)
            roots_list.append(tuple(rt.value for rt in S.real_roots(dd, ll, kk)))
            ts.append(_T_ball(dd, ll, kk))
        got_T = C.ordered(ts)
        if got_T is None:
            return [undecided(name_a, Evidence.BALL, what_a, note="order of T_i not certified")]
        with Ball(256).workprec():
            cs = [tau - 50 * T for tau, T in zip(_passages(roots_list, 50), ts)]
            spread = max(float(c.upper()) for c in cs) - min(float(c.lower()) for c in cs)
            gap = min(float(abs(a - b).lower()) for a, b in zip(ts, ts[1:]))
        delta = max(100, math.ceil(2 * spread / gap) + 10) if gap > 0 else 10**9
        if delta > 2000:
            return [undecided(name_a, Evidence.BALL, what_a,
                              note=f"steps too close to separate below delta = 2000 ({p})")]
        worst_delta = max(worst_delta, delta)
        got_tau = C.ordered(_passages(roots_list, delta))
        if got_tau is None:
            return [undecided(name_a, Evidence.BALL, what_a, note="passage order not certified")]
        if got_T != got_tau or got_T != statement["anti"]:
            return [failed(name_a, Evidence.BALL, what_a, Counterexample.of(
                {k: v for k, v in p.items() if k in ("d", "K1") or k.startswith("lam")},
                "the learning order differs from the stated one",
                {f"T{j + 1}": ball_str(t, 8) for j, t in enumerate(ts)}))]
    out.append(passed(name_a, Evidence.BALL, what_a, points=len(points),
                      note=f"trajectories compared at delta up to {worst_delta}"))
    name_r = "regularisation scheme (K = 0, a shared theta0 < 0): certified vanishing-time order"
    what_r = "order of the certified T0_i = stated"
    for p in points:
        q = {"d": p["d"], **{k: v for k, v in p.items() if k.startswith("lam")},
             "theta1_0": Fraction(-1)}
        ts = _T0_times(q, ("d", "theta0"))
        got = C.ordered(ts)
        if got is None:
            return out + [undecided(name_r, Evidence.BALL, what_r, note="order not certified")]
        if got != statement["reg"]:
            return out + [failed(name_r, Evidence.BALL, what_r, Counterexample.of(
                {k: v for k, v in q.items()}, "the vanishing order differs from the stated one",
                {f"T0_{j + 1}": ball_str(t, 8) for j, t in enumerate(ts)}))]
    out.append(passed(name_r, Evidence.BALL, what_r, points=len(points)))
    return out


def _first_crossing(y0: np.ndarray, dd: float, lls: np.ndarray, levels: np.ndarray,
                    horizon: float = 1e4) -> list[float]:
    """The first time theta1 theta2 reaches ``levels`` (per component) along the flow (6), from
    ``y0`` (2, k): the package's batch integrator (rtol 1e-10) on a grid of 0.01-wide steps over
    growing windows, then once more on 1000 points inside the bracketing step."""
    from ...model.dynamics import SHALLOW_FLOW
    from ...simulate import integrate_flow
    k = y0.shape[1]
    out = [math.inf] * k
    start, state, t0, width = np.arange(k), y0.copy(), np.zeros(k), 50.0
    while len(start) and t0.min() < horizon:
        tau = np.linspace(0.0, width, int(width / 0.01) + 1)
        sol = integrate_flow(SHALLOW_FLOW, state[:, start], tau, (dd, lls[start]),
                             np.ones(len(start)), rtol=1e-10, atol=1e-12)
        prod = sol.y[:, 0, :] * sol.y[:, 1, :] - levels[start][None, :]
        keep = []
        for j, c in enumerate(start):
            s0 = np.sign(prod[0, j])
            hit = np.nonzero(np.sign(prod[:, j]) != s0)[0] if s0 != 0 else np.array([0])
            if not sol.success[j]:
                continue                                   # stays inf: not decided
            if len(hit):
                i = int(hit[0])
                if i == 0:
                    out[c] = float(t0[c])
                    continue
                fine = np.linspace(0.0, tau[i] - tau[i - 1], 1001)
                f = integrate_flow(SHALLOW_FLOW, sol.y[i - 1, :, j][:, None], fine,
                                   (dd, lls[c:c + 1]), np.ones(1), rtol=1e-10, atol=1e-12)
                pf = f.y[:, 0, 0] * f.y[:, 1, 0] - levels[c]
                m = int(np.nonzero(np.sign(pf) != np.sign(pf[0]))[0][0])
                out[c] = float(t0[c] + tau[i - 1] + fine[m])
            else:
                state[:, c] = sol.y[-1, :, j]
                t0[c] += width
                keep.append(c)
        start = np.array(keep, dtype=int)
        width *= 2
    return out


def _simulation_check(statement, points, run) -> CheckResult:
    """Doubles: the full flow (6) of k = 3 components (the package's batch integrator, rtol
    1e-10) under both schemes; the order in which theta1_i theta2_i crosses lambda_i/2 (anti,
    delta = 20) resp. 0 (K = 0, theta0 = -1) must be the stated one."""
    name = "simulated learning order of (6) (doubles) matches the stated schemes"
    what = "order of the crossing times"
    bad = 0
    for p in points[:4]:
        dd = float(p["d"])
        for scheme in ("anti", "reg"):
            y0, lls, levels = [], [], []
            for j in range(1, DL.K_COMPONENTS + 1):
                ll = float(p[f"lam{j}"])
                if scheme == "anti":
                    kk = float(p["K1"])
                    roots = S.real_roots(Fraction(p["d"]), Fraction(p[f"lam{j}"]),
                                         Fraction(p["K1"]))
                    th1 = float(roots[1]) + math.exp(-20)
                    th2 = th1**2 / (2 * dd) + kk
                    level = ll / 2
                else:
                    th1, th2, level = -1.0, 1 / (2 * dd), 0.0
                y0.append((th1, th2))
                lls.append(ll)
                levels.append(level)
            times = _first_crossing(np.array(y0).T, dd, np.array(lls), np.array(levels))
            order = 1 if all(a < b for a, b in zip(times, times[1:])) else (
                -1 if all(a > b for a, b in zip(times, times[1:])) else 0)
            bad += order != statement[scheme]
    return (passed if bad == 0 else undecided)(
        name, Evidence.FLOAT, what, points=min(4, len(points)),
        measure=Measure("schemes out of order", float(bad)))


register(Claim(
    "thm6", "Theorem 6 (informal): anti-regularisation and regularisation schemes",
    "Section 4, Theorem 6, (12)",
    """For lambda1 > ... > lambdak there are initialisation schemes with T1 > ... > Tk
       (anti-regularisation, Section 4.1) and with T1 < ... < Tk (regularisation, Section 4.2).""",
    Statement({"anti": Part(-1, "(12)", "-1: T_1 > ... > T_k"),
               "reg": Part(1, "(12)", "+1: T_1 < ... < T_k")}), DL.MULTI,
    (Check("certified schemes", _scheme_check, samples=lambda pr: 3 if pr.name == "ci" else 30),
     Check("simulated learning order of (6) (doubles) matches the stated schemes",
           _simulation_check, samples=lambda pr: 3 if pr.name == "ci" else 30)),
    uses=("thm7", "eq107", "eq112", "eq114"), cost=2.0))
