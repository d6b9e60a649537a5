"""Section 5.2 (L layers) and Appendix D.1: the L-layer midpoint scheme (28) = (128)-(132).

Claims: eq136 (theta_l = C_l theta_1^(2^(l-1))), eq137 (the reduced recurrence), lem25, eq138,
eq139, thm10 (= Theorem 24).  Sampled depths L = 3, 4 and 2 (the two-layer scheme again, as a
cross-check); symbolic identities for L = 2..5; a user's point may take any L <= 6.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any, Mapping

import sympy as sp
from flint import arb, fmpq

from ...arith import Ball, exact_str
from ...engine import Check, Claim, Correction, Finding, Formula, Part, Statement
from ...iterate import Map, exact_orbit
from ...registry import register
from ...sequences import Comparison, bound_check, domination_margin, geometric
from ...symbolic import identity_check, reduce_to_zero
from ...verdicts import CheckResult, Counterexample, Evidence, failed, passed, undecided
from . import formulas as F
from .common import (PREC, layered_orbit, layered_slow_rate, monotone_bounded, params_of, prec_of,
                     steps_for)
from .domains import LAYERED, layered_K, layered_env
from .whole_domain import (LAYERS, bound_proof, factor_above_linear_rate, monotone_proof,
                           product_factor_proof, whole_domain)

eta, lam, K, d1, gamma, r, e, x = F.eta, F.lam, F.K, F.d1, F.gamma, F.r, F.e, F.x
SYMBOLIC_DEPTHS = (2, 3, 4, 5)
ETA_MAX = Part(F.PRINTED_ETA_MAX_LAYERED, "Theorem 10")


@lru_cache(maxsize=None)
def in_r(expr: sp.Expr, g: int) -> sp.Expr:
    """``expr`` at gamma = g with lam = K r^g, (K lam^(g-1))^(1/g) simplified to K r^(g-1)."""
    expr = sp.sympify(expr).subs(gamma, g).subs(lam, K * r**g)
    return sp.powdenest(sp.expand_power_base(expr, force=True), force=True)


def depth(point: Mapping[str, Any]) -> tuple[int, int]:
    """(L, gamma) of a point."""
    L = int(point["L"])
    return L, F.layered_gamma(L)


def orbit_prec(g: int) -> int:
    """Working precision for depth gamma: the defect's relative radius grows by about
    gamma^2 2^-prec per step through phi's sensitivity, so deeper maps get more bits."""
    return PREC + 8 * g


def orbit_of(point: Mapping[str, Any], run, prec: int | None = None):
    L, g = depth(point)
    k = layered_K(point)
    rate = layered_slow_rate(k, point["d1"], point["lam"], point["eta"], g)
    return layered_orbit(k, point["d1"], point["lam"], point["eta"], g,
                         steps_for(point, rate, run), prec or prec_of(run, orbit_prec(g)))


def _ball(expr: sp.Expr, point: Mapping[str, Any], o) -> arb:
    """``expr`` (in r, K, d1, eta, lam, gamma) at the point, r from the orbit's ball."""
    _, g = depth(point)
    ex = sp.sympify(expr).subs(gamma, g)
    env = {k: v for k, v in layered_env(point).items() if k in ex.free_symbols}
    if r in ex.free_symbols:
        env[r] = o.r
    return Ball(128).evaluate(ex, env)


def _depths(run) -> tuple[int, ...]:
    """The depths a symbolic check covers: 2..5, or the user's L."""
    return SYMBOLIC_DEPTHS if run.at is None else (int(run.at["L"]),)


def _ds_env(L: int, run) -> dict:
    """The user's d_l (and eta) as substitutions, in an --at run."""
    if run.at is None:
        return {}
    env = {s: run.at[f"d{i + 1}"] for i, s in enumerate(F.fa_symbols(L))}
    env[eta] = run.at["eta"]
    env[lam] = run.at["lam"]
    return env


# --- (136)-(137) ------------------------------------------------------------------------------
def _telescoping(statement, points, run) -> list[CheckResult]:
    """With theta_j^t = C_j b^(2^(j-1)) and lam - prod theta^t = (a - b)/(eta d_1)
    (a = theta_1^{t+1}), every theta_l^{t+1} of the map (128)-(132) equals C_l a^(2^(l-1))."""
    a, b = sp.symbols("a b", positive=True)
    out = []
    for L in _depths(run):
        new, th, ds = F.layered_map(L)
        cs = statement["constants"](L)
        at_t = {th[j]: cs[j] * b ** (2**j) for j in range(L)}
        lam_of = sp.Mul(*cs) * b ** (2**L - 1) + (a - b) / (eta * ds[0])
        env = _ds_env(L, run)
        for l in range(1, L):
            out.append(identity_check(
                f"telescoping, L = {L}, l = {l + 1}",
                sp.expand(new[l].subs(at_t).subs(lam, lam_of) - cs[l] * a ** (2**l)),
                run.rng(f"eq136.{L}.{l}"), at=env or None,
                what="theta_l^{t+1} - C_l (theta_1^{t+1})^(2^(l-1))"))
    return out


def _layer_orbits(statement, points, run) -> CheckResult:
    """The full map (128)-(132) iterated exactly: theta_l^t = C_l (theta_1^t)^(2^(l-1))."""
    name = "exact orbits of (128)-(132)"
    what = "theta_l^t = C_l (theta_1^t)^(2^(l-1))"
    n = 0
    for p in points:
        L, _ = depth(p)
        ds_vals = [p[f"d{i + 1}"] for i in range(L - 1)]
        new, th, ds = F.layered_map(L)
        step = Map.of(new, th, (eta, lam) + tuple(ds))
        cs = [sp.Rational(v.subs(dict(zip(ds, (sp.Rational(str(w)) for w in ds_vals)))))
              for v in statement["constants"](L)]
        last = int(p["t"]) if p.get("t") is not None else 6
        orb = exact_orbit(step, [0] * L, last, [p["eta"], p["lam"]] + ds_vals, max_bits=40_000)
        for t, state in enumerate(orb):
            n += 1
            for l in range(1, L):
                want = fmpq(int(cs[l].p), int(cs[l].q)) * state[0] ** (2**l)
                if state[l] != want:
                    return failed(name, Evidence.EXACT, what, Counterexample.of(
                        dict(params_of(p), t=t), f"theta_{l + 1}^t = C_{l + 1} theta_1^(2^{l})",
                        {f"theta_{l + 1}^t": exact_str(state[l]), "C_l theta_1^(2^(l-1))":
                         exact_str(want)}, Evidence.EXACT), points=len(points), steps=n)
    return passed(name, Evidence.EXACT, what, points=len(points), steps=n)


register(Claim(
    "eq136", "Layer relations of the L-layer midpoint scheme", "Appendix D.1, (134)-(136)",
    "With zero initialisation, theta_l^t = C_l (theta_1^t)^(2^(l-1)) for l = 2..L and all t, "
    "with C_l > 0 depending on d_1..d_l (derived: C_1 = 1, C_l = d_l/(2^(l-1) d_1) "
    "prod_{j<l} C_j).",
    Statement({"constants": Part(F.layer_constants, "(136)", "C_1..C_L as a function of L"),
               "eta_max": ETA_MAX}), LAYERED,
    (Check("telescoping", _telescoping, samples=0),
     Check("exact orbits of (128)-(132)", _layer_orbits, samples=6)),
    formulas=tuple(Formula(f"(136), L = {L}", f"C_1..C_{L}",
                           lambda L=L: sp.latex(sp.Matrix([F.layer_constants(L)])))
                   for L in (3, 4)), cost=0.8))


def _eq137(statement, points, run) -> list[CheckResult]:
    out = []
    for L in _depths(run):
        new, th, ds = F.layered_map(L)
        cs = F.layer_constants(L)
        b = th[0]
        at_t = {th[j]: cs[j] * b ** (2**j) for j in range(L)}
        want = statement["reduced"].subs({gamma: statement["gamma"](L), K: F.layered_K(L),
                                          d1: ds[0], x: b})
        out.append(identity_check(f"(137), L = {L}", sp.expand(new[0].subs(at_t) - want),
                                  run.rng(f"eq137.{L}"), at=_ds_env(L, run) or None,
                                  what="theta_1^{t+1} - (137)"))
    return out


register(Claim(
    "eq137", "Reduced recurrence of the L-layer scheme", "Appendix D.1, (137)",
    "theta_1^{t+1} = theta_1^t + eta d_1 (lam - K (theta_1^t)^gamma), K = prod C_l, "
    "gamma = sum_{l<L} 2^l = 2^L - 1.",
    Statement({"reduced": Part(F.PRINTED_EQ137, "(137)"),
               "gamma": Part(F.layered_gamma, "(137)", "gamma as a function of L"),
               "eta_max": ETA_MAX}), LAYERED,
    (Check("(137)", _eq137, samples=0),),
    formulas=(Formula("(137)", "reduced recurrence", lambda: sp.latex(F.PRINTED_EQ137)),),
    uses=("eq136",), cost=0.3))


# --- Lemma 25 ---------------------------------------------------------------------------------
def _lem25_symbolic(statement, points, run) -> list[CheckResult]:
    out = []
    gs = (3, 7, 15) if run.at is None else (depth(run.at)[1],)
    for g in gs:
        r_printed = F.PRINTED_LEM25_R.subs(gamma, g)
        fp_at_max = in_r(sp.diff(F.PRINTED_EQ137, x).subs(x, r).subs(eta, statement["eta_max"]), g)
        out.append(identity_check(f"f'(r) = 0 at the stated maximum, gamma = {g}", fp_at_max,
                                  run.rng("lem25"), what="f'(r)"))
        out.append(identity_check(f"the stated bound r = (lam/K)^(1/gamma) is fixed, gamma = {g}",
                                  F.PRINTED_EQ137.subs(gamma, g).subs(x, r_printed) - r_printed,
                                  run.rng("lem25"), what="f(r) - r"))
    return out


def _monotone(which: int, name: str, what):
    def fn(statement, points, run):
        share = Ball(PREC).convert(statement["upper"])
        comps = [monotone_bounded(params_of(p), orbit_of(p, run), share)[which] for p in points]
        return bound_check(name, what(statement), comps)
    return Check(name, fn)


register(Claim(
    "lem25", "The L-layer iterates are positive, increasing and bounded",
    "Appendix D.1, Lemma 25",
    "With theta_1^0 = 0 and eta < 1/(d_1 gamma (K lam^(gamma-1))^(1/gamma)), {theta_1^t} is "
    "positive, increasing and bounded by r = (lam/K)^(1/gamma).",
    Statement({"upper": Part(Fraction(1), "Lemma 25", "theta_1^t <= upper r"),
               "eta_max": ETA_MAX}), LAYERED,
    (Check("fixed point and maximal step", _lem25_symbolic, samples=0),
     _monotone(0, "theta_t <= r", lambda st: f"theta_1^t <= {st['upper']} (lam/K)^(1/gamma)"),
     _monotone(1, "theta_t >= 0", lambda st: "0 <= theta_1^t"),
     _monotone(2, "theta_t increasing", lambda st: "theta_1^t <= theta_1^{t+1}"),
     whole_domain("0 <= theta_t <= r, increasing, over the whole domain (L = 2..6)",
                  monotone_proof("lem25", layered=True),
                  (_monotone(0, "theta_t <= r",
                             lambda st: f"theta_1^t <= {st['upper']} (lam/K)^(1/gamma)"),
                   _monotone(1, "theta_t >= 0", lambda st: "0 <= theta_1^t"),
                   _monotone(2, "theta_t increasing",
                             lambda st: "theta_1^t <= theta_1^{t+1}")))),
    uses=("eq137",), cost=2.0))


# --- (138), (139), Theorem 10 -----------------------------------------------------------------
_GAPS: dict = {}


def _gap_fn(rate: sp.Expr, g: int, prec: int):
    key = (rate, g)
    if key not in _GAPS:
        _GAPS[key] = sp.factor(sp.expand((in_r(rate, g) - F.layered_defect_factor(g))
                                         .subs(e, r - x)))
    return Ball(prec).compile([_GAPS[key]], (x, r, eta, K, d1))


def geometric_comparison(point, bound: F.Geometric, actual: str, run=None,
                         steps: int | None = None, prec: int | None = None) -> Comparison:
    """``|theta_1^t - r|`` (actual = "defect") or ``|prod - lam|`` (actual = "product") against
    ``const * rate^t`` along the certified orbit; for the defect, a factor-by-factor domination
    margin (``e_0 = r = const`` exactly)."""
    L, g = depth(point)
    prec = prec or prec_of(run, orbit_prec(g))
    if steps is None:
        o = orbit_of(point, run, prec)
    else:
        o = layered_orbit(layered_K(point), point["d1"], point["lam"], point["eta"], g, steps, prec)
    T = len(o.e) - 1
    rate = _ball(bound.rate, point, o)
    margin = None
    if actual == "defect":
        lhs = o.e
        if reduce_to_zero(sp.sympify(bound.const) - r):
            gapf = _gap_fn(bound.rate, g, prec)
            kk = layered_K(point)
            margin = domination_margin(rate, o.phi[:T],   # e_0 = r = const
                                       lambda t: gapf(o.theta(t), o.r, point["eta"], kk,
                                                      point["d1"])[0])
    else:
        lhs = [abs(o.product_error(t)) for t in range(T + 1)]
    return Comparison(params_of(point), lhs, geometric(_ball(bound.const, point, o), rate, T),
                      margin=margin)


ACTUAL = {"defect": "|theta_1^t - r|", "product": "|theta_L ... theta_1 - lam|"}


def geometric_bound(name: str, actual: str) -> Check:
    def fn(statement, points, run):
        b = statement["bound"]
        return bound_check(name, f"{ACTUAL[actual]} <= {b.const} ({b.rate})^t",
                           [geometric_comparison(p, b, actual, run) for p in points])
    return Check(name, fn)


register(Claim(
    "eq138", "Contraction of theta_1 towards r", "Appendix D.1, (138)",
    "|theta_1^t - r| <= |theta_1^{t-1} - r| |1 - eta d_1 K gamma r^(gamma-1)| <= "
    "r (1 - eta d_1 gamma (K lam^(gamma-1))^(1/gamma))^t.",
    Statement({"bound": Part(F.PRINTED_EQ138, "(138)"), "eta_max": ETA_MAX}), LAYERED,
    (geometric_bound("stated bound (138)", "defect"),),
    correction=Correction(
        lambda st: (f"|theta_1^t - r| <= r ({st['bound'].rate})^t: the factor 1 - eta d_1 K "
                    "(r^gamma - theta^gamma)/(r - theta) is largest at theta = 0, where it is "
                    "1 - eta d_1 K r^(gamma-1); (138) uses its smallest value (theta = r)"),
        {"bound": F.CORRECTED_EQ138},
        (geometric_bound("corrected bound", "defect"),
         whole_domain("corrected bound over the whole domain (L = 2..6)",
                      bound_proof("eq138", "corrected", "defect", layered=True),
                      geometric_bound("corrected bound", "defect")))),
    formulas=(Formula("(138)", "stated bound", lambda: sp.latex(F.PRINTED_EQ138.expr)),),
    uses=("lem25", "eq137"), cost=3.0))


@lru_cache(maxsize=None)
def _eq139_margin(const: sp.Expr, g: int) -> sp.Expr:
    """const |theta - r| - (lam - K theta^gamma) in defect coordinates, factorised by SymPy."""
    return sp.factor(sp.expand(const.subs(gamma, g) * e - F.layered_product_error(g)))


def _eq139(statement, points, run) -> CheckResult:
    const = statement["const"]
    comps = []
    for p in points:
        _, g = depth(p)
        o = orbit_of(p, run)
        mf = Ball(o.prec).compile([_eq139_margin(const, g)], (e, r, K))
        kk = layered_K(p)
        k = _ball(const, p, o)
        comps.append(Comparison(params_of(p), [abs(o.product_error(t)) for t in range(len(o.e))],
                                [k * v for v in o.e],
                                margin=lambda t, o=o, mf=mf, kk=kk: mf(o.e[t], o.r, kk)[0]))
    return bound_check("(139)", f"|K theta^gamma - lam| <= {const} |theta - r|", comps)


register(Claim(
    "eq139", "Product error against the defect, L layers", "Appendix D.1, (139)",
    "|theta_L ... theta_1 - lam| = |K theta_1^gamma - lam| <= C_lam |theta_1 - r| with "
    "C_lam = K gamma r^(gamma-1).",
    Statement({"const": Part(F.PRINTED_EQ139_CONST, "(139)"), "eta_max": ETA_MAX}), LAYERED,
    (Check("(139)", _eq139),
     whole_domain("(139) over the whole domain (L = 2..6)",
                  product_factor_proof("eq139", layered=True), Check("(139)", _eq139))),
    uses=("eq136", "eq137", "lem25"), cost=1.5))


def _blow_up(statement, points, run) -> CheckResult:
    """'C_lam depends on lam only' needs sup over eta < eta_max of the error at t = 1 over the
    stated rate to be finite.  The stated rate vanishes at eta_max (SymPy), while the error at
    t = 1, lam - K (eta d_1 lam)^gamma, decreases in eta (SymPy) and stays positive at eta_max
    (certified at the point): so |err_1(eta)|/rate(eta) >= err_1(eta_max)/rate(eta) -> oo."""
    name = "constant independent of eta"
    rate, eta_max = statement["rate"], statement["eta_max"]
    what = "sup over eta < eta_max of |err_1|/rate^1 < oo (a C_lam depending on lam only)"
    err1 = lam - K * F.PRINTED_EQ137.subs(x, 0) ** gamma     # theta_1^1 = f(0) by (137)
    decreasing = sp.diff(err1, eta).is_negative
    for p in points:
        L, g = depth(p)
        vanish = in_r(rate.subs(eta, eta_max), g)
        if not reduce_to_zero(vanish):
            return passed(name, Evidence.SYMBOLIC, what,
                          note=f"the stated rate does not vanish at the maximal step ({vanish})")
        env = {k: v for k, v in layered_env(p).items() if k is not eta}
        at_max = Ball(256).evaluate(err1.subs(gamma, g).subs(eta, eta_max.subs(gamma, g)), env)
        if not (decreasing and at_max > 0):
            return undecided(name, Evidence.BALL, what, points=1,
                             note=f"error at t = 1 at eta_max: {at_max}")
        here = Ball(256).evaluate((err1 / rate).subs(gamma, g), {**env, eta: p["eta"]})
        return failed(name, Evidence.BALL, what, Counterexample.of(
            dict(params_of(p), t=1), "the stated rate vanishes at eta_max while the error at "
            "t = 1 decreases in eta to a positive value: the needed constant err_1/rate -> oo",
            {"rate at eta_max": "0 (SymPy)", "err_1 at eta_max": at_max.str(15, radius=True),
             "err_1/rate at this eta": here.str(15, radius=True)}), points=1)
    return undecided(name, Evidence.BALL, what, note="no point")


F_PRIME_R = sp.diff(F.PRINTED_EQ137, x).subs(x, r)          # the exact linear rate f'(r)


@lru_cache(maxsize=None)
def _is_linear_rate(rate: sp.Expr, g: int) -> bool:
    """The stated rate is f'(r) identically at depth gamma = g (SymPy)."""
    return reduce_to_zero(in_r(rate, g) - in_r(F_PRIME_R, g))


def _linear_rate(statement, points, run) -> CheckResult:
    """A stated rate q must not be faster than the exact linear rate f'(r) = phi(0):
    phi(e_t) decreases to f'(r) along the orbit (phi increases with e, e_t decreases), so
    |error_t| / q^t >= |error_0| (f'(r)/q)^t grows without bound when q < f'(r): no constant
    works.  Certified at the points; phi_t >= f'(r) is certified along their orbits, or, where
    the orbit has converged (phi_t and f'(r) overlap), follows from the proof that
    phi >= f'(r) wherever 0 <= e_t <= r (:func:`.whole_domain.factor_above_linear_rate`), with
    0 <= phi_t <= 1 certified along the orbit (so 0 <= e_t <= e_0 = r)."""
    name = "stated rate vs the exact linear rate"
    rate = statement["rate"]
    what = "stated rate >= f'(r) = 1 - eta d_1 gamma K r^(gamma-1)"
    gs = (3, 7, 15) if run.at is None else (depth(run.at)[1],)
    if all(_is_linear_rate(rate, g) for g in gs):
        return passed(name, Evidence.SYMBOLIC, what,
                      note="the stated rate is f'(r) identically")
    for p in points:
        o = orbit_of(p, run)
        _, g = depth(p)
        qb, fb = _ball(in_r(rate, g), p, o), _ball(in_r(F_PRIME_R, g), p, o)
        # e_0 = r and e_{t+1} = e_t phi_t: 0 <= phi_t <= 1 certified keeps 0 <= e_t <= r
        above = all(v >= fb for v in o.phi) or (
            g in {2**L - 1 for L in LAYERS} and factor_above_linear_rate(depth(p)[0])
            and all(v >= 0 and v <= 1 for v in o.phi))
        if qb < fb and above:
            return failed(name, Evidence.BALL, what, Counterexample.of(
                params_of(p), "stated rate < f'(r), and phi_t >= f'(r) on the whole orbit "
                "(certified, or proved over the whole domain for 0 <= e_t <= r): the needed "
                "constant grows like (f'(r)/rate)^t",
                {"stated rate": qb.str(20, radius=True), "f'(r)": fb.str(20, radius=True)}),
                points=len(points))
        if not qb >= fb:
            return undecided(name, Evidence.BALL, what, points=len(points),
                             note=f"not certified at {params_of(p)}")
    return passed(name, Evidence.BALL, what, points=len(points))


def _needed(statement, points, run) -> str:
    rate = statement["rate"]
    ratios = []
    for p in points:
        o = orbit_of(p, run)
        qb = _ball(rate, p, o)
        T = len(o.e) - 1
        vals = [float((abs(o.product_error(t)) / qb**t).mid())
                for t in range(0, T + 1, max(1, T // 50))]
        ratios.append(max(vals) / float(p["lam"]))
    return (f"With a constant allowed to depend on eta and d_l, the printed rate is the exact "
            f"linear rate f'(r): max_t |error_t|/rate^t over the horizon is {min(ratios):.3g} lam "
            f"to {max(ratios):.3g} lam across the samples (it grows as eta approaches the "
            "maximum).")


register(Claim(
    "thm10", "Linear convergence of the L-layer midpoint scheme",
    "Section 5.2, Theorem 10 = Theorem 24, (133)",
    """With zero initialisation, lam, d_l > 0 and eta < 1/(d_1 gamma (K lam^(gamma-1))^(1/gamma)),
    gamma = 2^L - 1: |theta_L ... theta_1 - lam| <= C_lam (1 - eta d_1 gamma
    (K lam^(gamma-1))^(1/gamma))^t for some C_lam > 0 depending on lam only.""",
    Statement({"rate": Part(F.PRINTED_THM10_RATE, "(133)"), "eta_max": ETA_MAX}), LAYERED,
    (Check("stated rate vs the exact linear rate", _linear_rate),
     Check("constant independent of eta", _blow_up, samples=1)),
    correction=Correction(
        lambda st: (f"|theta_L ... theta_1 - lam| <= {st['bound'].const} ({st['bound'].rate})^t "
                    "for eta <= the stated maximum (from the corrected (138) and (139)); the "
                    "printed rate holds only with a constant that depends on eta"),
        {"bound": F.CORRECTED_THM10},
        (geometric_bound("corrected bound", "product"),
         whole_domain("corrected bound over the whole domain (L = 2..6)",
                      bound_proof("thm10", "corrected", "error", layered=True),
                      geometric_bound("corrected bound", "product")))),
    aliases=("thm24",),
    notes=(Finding("the printed rate with an eta-dependent constant", _needed),),
    formulas=(Formula("(133)", "stated rate", lambda: sp.latex(F.PRINTED_THM10_RATE)),
              Formula("(133')", "corrected bound", lambda: sp.latex(F.CORRECTED_THM10.expr))),
    uses=("eq137", "lem25", "eq138", "eq139"), cost=3.0))
