"""Appendix A.3: Theorem 3 (any initial values) and its cases, as data.

Claims: thm3, thm3.delta_pos, lem14, eq56, eq61, eq62, eq63, thm3.delta_neg, eq64, eq66, eq67,
thm3.delta_zero, lem16, rem15, thm3.lambda_zero, eq72, eq55, fig1a (after :mod:`.theorem2`).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from ...arith import MP, Ball, ball_str, certify_sign, exact_str
from ...engine import Check, Claim, Formula, Part, Statement
from ...rates import power_exponent
from ...certificates import whole_domain
from ...registry import register
from ...sign_tables import lem14_proof, lem16_proof
from ...sign_tables import WHAT as SIGN_WHAT
from ...symbolic import identity_check
from ...verdicts import (CheckResult, Counterexample, Evidence, Measure, check_all, failed,
                         passed, undecided)
from . import domains as DM
from . import formulas as F
from . import whole_domain as W
from .checks import (flow_checks, identity, implicit, implicit_hp_check, interval_of,
                     point_str, root_count,
                     root_env, sign_table)
from .checks import (n_share, cases_of, floats, fcompile, rate_check, family)
from .numerics import case_of, simulate, simulate_reduced_mp, targets

theta1, theta0, d, lam, K, t = F.theta1, F.theta0, F.d, F.lam, F.K, F.t
r, r1, r2, r3, rs, rd = F.r, F.r1, F.r2, F.r3, F.rs, F.rd


from .theorem2 import (LAMBDA0_PARTS, _conserved_rate, _power_law_check,  # noqa: E402
                       lambda0_checks, lambda0_whole)

# --- Theorem 3 -------------------------------------------------------------------------------------
def _thm3_trajectories(statement, points, run):
    cases = cases_of(points)
    tgt, rate, rho = targets(cases)

    def bounded(tr) -> list[CheckResult]:
        th0 = np.array([float(c.theta0) for c in cases])
        bound = np.maximum(np.abs(th0), np.abs(tgt)) * (1 + 1e-9) + 1e-12
        over = int((np.abs(tr.theta1).max(axis=0) > bound).sum())
        return [(passed if over == 0 else undecided)(
            "theta1 stays between theta0 and its limit (bounded)", Evidence.FLOAT,
            "|theta1(t)| <= max(|theta0|, |limit|)", points=len(cases),
            measure=Measure("trajectories beyond the bound", float(over)))]
    return flow_checks("independent initial values", cases, tgt, rate, None, rho, also=bounded,
                       points=points)


def _generic_delta(statement, points, run):
    n0 = sum(1 for p in points if F.discriminant_sign(p["d"], p["lam"], DM.K_of(p)) == 0)
    what = "Delta != 0 at the sampled initial values (exponential case)"
    return (passed if n0 == 0 else undecided)(
        "generic initial values have Delta != 0 (exponential case)", Evidence.EXACT, what,
        points=len(points), measure=Measure("samples with Delta = 0", float(n0)))


register(Claim(
    "thm3", "Two-layer FA from any initial values: bounded, convergent, exponential a.e.",
    "Section 2, Theorem 3; proof in Appendix A.3",
    """For any d > 0 (lambda > 0) and any theta1(0), theta2(0), (6) has a unique global solution,
       theta1, theta2 are bounded, theta1 theta2 -> lambda, and the rate is exponential except for
       a Lebesgue-null set of initial values.""",
    Statement({"reduced": Part(F.PRINTED_EQ54_RHS, "(54)", "theta1' on the parabola (37)")}),
    DM.GENERAL,
    (identity("(6) with (37) reduces to (54)", lambda st: F.derived_reduced_rhs() - st["reduced"],
              "derived theta1' minus (54)"),
     identity("theta1 theta2 - lambda = P(theta1)/(2d) on the parabola (37)",
              lambda st: F.PRINTED_THETA2_OF_THETA1 * theta1 - lam
              - F.derived_cubic() / (2 * d), "theta1 theta2 - lambda - P/(2d)"),
     Check("independent initial values", _thm3_trajectories, samples=n_share()),
     Check("generic initial values have Delta != 0 (exponential case)", _generic_delta,
           samples=n_share())),
    uses=("eq37", "eq55", "thm3.delta_pos", "thm3.delta_neg", "thm3.delta_zero",
          "thm3.lambda_zero", "rem15"), cost=3.0))


# Delta > 0 ----------------------------------------------------------------------------------------
ROOTS3 = (r1, r2, r3)


def _three_roots(p, st) -> bool:
    roots = DM.roots_of(p)
    return (F.discriminant_sign(p["d"], p["lam"], p["K"]) > 0 and p["K"] < 0 and len(roots) == 3
            and all(rt.multiplicity == 1 for rt in roots))


def _trig_roots(statement, points, run) -> CheckResult:
    """The trigonometric form of the three real roots (p = 2dK < 0, q = -2 d lambda)."""
    rng = run.rng("thm3.delta_pos/trig")
    p = -sp.Symbol("mp", positive=True)
    q = sp.Symbol("q", real=True)
    phi = sp.Symbol("phi", real=True)
    A = 2 * sp.sqrt(-p / 3)
    cubic = lambda z: z**3 + p * z + q
    step1 = identity_check("P(A cos phi) = 2(-p/3)^(3/2) cos 3phi + q",
                           sp.expand_trig(cubic(A * sp.cos(phi)) - 2 * (-p / 3) ** sp.Rational(3, 2)
                                          * sp.cos(3 * phi) - q), rng)
    z = 3 * q / (2 * p) * sp.sqrt(-3 / p)
    step2 = check_all("cos(3 phi_k) = (3q/2p) sqrt(-3/p), k = 0, 1, 2", [
        identity_check(f"k = {k}", sp.cos(3 * (sp.acos(z) / 3 - 2 * sp.pi * k / 3)) - z, rng)
        for k in range(3)])
    step3 = identity_check("2(-p/3)^(3/2) z + q = 0",
                           2 * (-p / 3) ** sp.Rational(3, 2) * z + q, rng)
    return check_all("trigonometric roots solve the cubic", [step1, step2, step3])


def _roots_at(p) -> dict:
    """theta1 and the point's roots (when rational) for an identity at the user's point."""
    env = {theta1: p["theta1_0"]}
    roots = DM.roots_of(p)
    syms = {3: ROOTS3, 2: (rs, rd) if len(roots) == 2 else ()}.get(len(roots), ())
    if len(roots) == 2:                       # Delta = 0: rs simple, rd double
        simple = [rt for rt in roots if rt.multiplicity == 1]
        double = [rt for rt in roots if rt.multiplicity == 2]
        pairs = list(zip((rs, rd), simple + double))
    else:
        pairs = list(zip(syms, roots))
    if all(rt.exact is not None for _, rt in pairs):
        env.update({s: rt.exact for s, rt in pairs})
    if any(rt.exact == p["theta1_0"] for rt in roots):
        del env[theta1]                       # at a root: the identity in theta1 (no C0 there)
    return env


def _delta_pos_trajectories(statement, points, run):
    cases = cases_of(points)
    tgt, rate, rho = targets(cases)
    R = np.array([[float(v) for v in c.roots()] for c in cases])
    f3 = fcompile(statement["rate_r3"], ROOTS3)(*R.T)
    f1 = fcompile(statement["rate_r1"], ROOTS3)(*R.T)
    stated = np.where(np.isclose(tgt, R[:, 2]), f3, np.where(np.isclose(tgt, R[:, 0]), f1, 0.0))
    return flow_checks("trajectories, Delta > 0", cases, tgt, rate, stated, rho, points=points)


def _passage_time(rv: list[float], start_logs: list[float], end: float) -> float:
    """The time theta1' = -(theta1 - r1)(theta1 - r2)(theta1 - r3)/2 takes from a start (given
    by log|start - r_i|) to ``end`` on the same side of every root: the integral of
    -2/P = sum_i -2/P'(r_i) / (theta1 - r_i), by partial fractions of the derived cubic."""
    import math
    total = 0.0
    for i, ri in enumerate(rv):
        dp = math.prod(ri - rj for j, rj in enumerate(rv) if j != i)
        total += -2.0 / dp * (math.log(abs(end - ri)) - start_logs[i])
    return total


def _delta_pos_hp(statement, points, run) -> list[CheckResult]:
    """Starts r2 +- e^-delta, far below double resolution, at high precision: they leave r2 for
    r3 (+) and r1 (-), and satisfy the implicit solution (56) on the way.  The trajectory is
    read halfway and when it is 1e-10 (relative) from its limit, at the times the derived cubic
    gives: close enough for the limit to be identified, far enough above the working precision
    for the logarithms of (56) at the limit to keep their digits.  (A fixed horizon read some
    trajectories within 1e-31 of their limit, where (56) cannot be evaluated to 32 digits, and
    others before they were within 1e-6 of it.)"""
    import math
    delta = 40
    dps = run.profile.dps
    hp_dps = dps + int(delta / math.log(10)) + 1    # the start is amplified by e^delta
    out = []
    for j, p in enumerate(points):
        roots = DM.roots_of(p)
        if len(roots) != 3:
            continue
        th0 = Fraction(p["theta1_0"])
        at_r2 = roots[1].exact is not None and th0 == roots[1].exact
        signs = ((1, -1)[j % 2],) if run.at is None else ((1, -1) if at_r2 else (0,))
        rv = [float(v) for v in roots]
        vals = [rt.value for rt in roots]
        slowest = min((rv[2] - rv[1]) * (rv[2] - rv[0]), (rv[2] - rv[0]) * (rv[1] - rv[0]))
        for sgn in signs:
            if sgn:
                goal = rv[2] if sgn > 0 else rv[0]
                start_logs = [math.log(abs(rv[1] - rv[0])), -delta, math.log(abs(rv[2] - rv[1]))]
                near = goal - sgn * 1e-10 * max(1.0, abs(goal))
                times = [0, _passage_time(rv, start_logs, (rv[1] + goal) / 2),
                         _passage_time(rv, start_logs, near)]
            else:
                # a start away from r2 (--at): times before the defect sinks below the precision
                times = [0, 0.5 / slowest, 2 / slowest]
            thetas = simulate_reduced_mp(F.derived_reduced_rhs(), (d, lam, K),
                                         (p["d"], p["lam"], p["K"]), th0, times, hp_dps + 5,
                                         offset=(sgn, delta) if sgn else None)
            label = {1: "r2 + e^-40", -1: "r2 - e^-40", 0: "theta1(0)"}[sgn]
            out.append(implicit_hp_check("(56) along a high-precision trajectory",
                                         statement["implicit"](theta1, *ROOTS3), ROOTS3, vals,
                                         sp.Rational(-1, 2), times, thetas, dps, hp_dps + 5,
                                         {**p, "start": label}))
            if sgn != 0:
                goal = rv[2] if sgn > 0 else rv[0]
                end = float(thetas[-1])
                ok = abs(end - goal) < 1e-6 * max(1, abs(goal))
                out.append((passed if ok else undecided)(
                    "r2 repels: r2 +- e^-40 -> r3 resp. r1", Evidence.MP,
                    f"theta1(0) = {label} -> {'r3' if sgn > 0 else 'r1'}", points=1,
                    measure=Measure("|theta1(T) - limit| / max(1, |limit|)",
                                    abs(end - goal) / max(1, abs(goal)), point_str(p), 1e-6)))
    return out


_DELTA_POS_RATES = (
    rate_check("rate (60)-(61) towards r3", "rate_r3", F.derived_rate_at(r3, F.RHS_ROOTS3),
               lambda p: root_env(p, ROOTS3, (0, 1, 2)), family, limit=20, samples=n_share()),
    rate_check("rate towards r1", "rate_r1", F.derived_rate_at(r1, F.RHS_ROOTS3),
               lambda p: root_env(p, ROOTS3, (0, 1, 2)), family, limit=20, samples=n_share()))
register(Claim(
    "thm3.delta_pos", "Theorem 3, case Delta > 0: three real roots", "Appendix A.3, (56)-(61)",
    """If Delta > 0 then K < 0 and P(x) = x^3 + 2dKx - 2d lambda has roots r1 < r2 < r3; theta1
       -> r3 for theta0 > r2 and -> r1 for theta0 < r2, with |theta1 - r3| = exp(-(r3-r2)(r3-r1)t/2
       + O(1)) and |theta1 theta2 - lambda| <= C exp(-(r3-r2)(r3-r1)t/2) (and (r3-r1)(r2-r1)/2 for
       r1).""",
    Statement({"rate_r3": Part(F.PRINTED_EQ61_RATE_R3, "(61)", "rate towards r3"),
               "rate_r1": Part(F.PRINTED_EQ61_RATE_R1, "(61)", "rate towards r1"),
               "implicit": Part(F.printed_eq56, "(56)", "(theta1, r1, r2, r3) -> G")}),
    DM.DELTA_POS,
    (root_count("Delta > 0, K < 0 and three real roots", "Delta > 0, K < 0 and three real roots",
                _three_roots, unique=True, samples=n_share()),
     Check("trigonometric roots solve the cubic", _trig_roots, samples=0),
     implicit("(56) solves (54)", "implicit", ROOTS3, F.RHS_ROOTS3, -sp.Rational(1, 2),
              at=_roots_at),
     *_DELTA_POS_RATES,
     whole_domain("rates (60)-(61) over the whole domain",
                  W.delta_pos_proof("thm3.delta_pos", Fraction(1, 2), True), _DELTA_POS_RATES,
                  W.WHAT),
     Check("trajectories, Delta > 0", _delta_pos_trajectories, samples=n_share()),
     Check("(56) along a high-precision trajectory", _delta_pos_hp,
           samples=lambda p: p.hp_samples, domain=DM.DELTA_POS_HP, key="thm3.delta_pos/hp")),
    uses=("eq55", "eq56", "lem14", "eq61"), cost=4.0))

LEM14_INTERVALS = ("(-oo, r1)", "(r1, r2)", "(r2, r3)", "(r3, oo)")
_LEM14 = tuple(sign_table(f"theta1' on {nm}", "signs", i, F.derived_reduced_rhs(),
                          lambda p, i=i: interval_of(p) == i, nm, samples=n_share(0.5))
               for i, nm in enumerate(LEM14_INTERVALS))
register(Claim(
    "lem14", "Monotonicity when Delta > 0", "Appendix A.3, Lemma 14, (58)-(59)",
    """theta1' < 0 if theta0 in (r1, r2) or (r3, oo); theta1' > 0 if theta0 in (-oo, r1) or
       (r2, r3). Hence r1, r3 attract, r2 repels, and theta1 is bounded.""",
    Statement({"signs": Part((+1, -1, +1, -1), "(58)-(59)",
                             "signs of theta1' on (-oo,r1), (r1,r2), (r2,r3), (r3,oo)")}),
    DM.DELTA_POS,
    _LEM14 + (whole_domain("sign table over the whole domain",
                           lem14_proof(F.derived_reduced_rhs(), theta1, d, lam, K, r1, r2, r3,
                                       F.RHS_ROOTS3), _LEM14, SIGN_WHAT),),
    uses=("eq55",), cost=0.5))

register(Claim(
    "eq56", "Implicit solution when Delta > 0", "Appendix A.3, (56)-(57) = (95)-(96)",
    """ln|theta1-r3|/((r3-r2)(r3-r1)) - ln|theta1-r2|/((r3-r2)(r2-r1)) + ln|theta1-r1|/((r3-r1)
       (r2-r1)) + C0 = -t/2, C0 = minus the same at theta0.""",
    Statement({"implicit": Part(F.printed_eq56, "(56)", "(theta1, r1, r2, r3) -> G")}),
    DM.ROOTS3, (implicit("(56) solves (54)", "implicit", ROOTS3, F.RHS_ROOTS3,
                         -sp.Rational(1, 2)),),
    formulas=(Formula("(56)", "implicit solution, Delta > 0", lambda: sp.latex(sp.Eq(
        F.printed_eq56(theta1, r1, r2, r3) + sp.Symbol("C_0"), -t / 2))),),
    notes=("the OCR loses the signs between the three logarithms; the reading +, -, + is the "
           "only one that solves (54) (all '+' fails)",), cost=0.3))


def _roots3_env(p):
    return {r1: p["r1"], r2: p["r2"], r3: p["r3"]}


def _roots3_params(p):
    return {"r1": p["r1"], "r2": p["r2"], "r3": p["r3"]}


_EQ61_RATES = (
    rate_check("rate towards r3", "rate_r3", F.derived_rate_at(r3, F.RHS_ROOTS3), _roots3_env,
               _roots3_params, samples=20),
    rate_check("rate towards r1", "rate_r1", F.derived_rate_at(r1, F.RHS_ROOTS3), _roots3_env,
               _roots3_params, samples=20))
register(Claim(
    "eq61", "Exponential rates when Delta > 0", "Appendix A.3, (60)-(61)",
    """|theta1 theta2 - lambda| <= C exp(-(r3-r2)(r3-r1) t/2) when theta1 -> r3, and with
       (r3-r1)(r2-r1)/2 when theta1 -> r1.""",
    Statement({"rate_r3": Part(F.PRINTED_EQ61_RATE_R3, "(61)", "rate towards r3"),
               "rate_r1": Part(F.PRINTED_EQ61_RATE_R1, "(61)", "rate towards r1")}),
    DM.ROOTS3,
    _EQ61_RATES + (whole_domain("rates (60)-(61) over the whole domain",
                                W.delta_pos_proof("eq61", Fraction(1), False), _EQ61_RATES,
                                W.WHAT),),
    formulas=(Formula("(61)", "rate towards r3", lambda: sp.latex(F.PRINTED_EQ61_RATE_R3)),),
    uses=("eq56", "lem14", "eq37"), cost=0.3))


# Delta < 0 ----------------------------------------------------------------------------------------
def _cardano(statement, points, run) -> CheckResult:
    """(62) solves the cubic: with a^3 = d lambda + s, b^3 = d lambda - s, s^2 = d^2 lambda^2 +
    8 d^3 K^3/27 and (ab)^3 = -(2dK/3)^3 (so ab = -2dK/3, real cube roots), P(a + b) reduces to
    0."""
    root = statement["root"]
    name = "(62) solves the cubic"
    a, b, s = sp.symbols("a b s", real=True)
    sq = sp.sqrt(d**2 * lam**2 + 8 * d**3 * K**3 / 27)
    candidate = root.subs(sq, s).subs({F.real_cbrt(d * lam + s): a, F.real_cbrt(d * lam - s): b})
    what = "P((62)) = 0"
    if not (candidate.free_symbols & {s}):
        rel = [a**3 - (d * lam + s), b**3 - (d * lam - s), a * b + 2 * d * K / 3]
        poly = sp.expand(F.derived_cubic().subs(theta1, candidate))
        _, rem = sp.reduced(poly, rel, a, b, s)
        cube = sp.expand(sp.expand((d * lam + s) * (d * lam - s) - (-2 * d * K / 3) ** 3)
                         .subs(s**2, sq**2))
        if sp.expand(rem) == 0 and cube == 0:
            return passed(name, Evidence.SYMBOLIC, what,
                          note="P(a + b) reduces to 0 modulo the defining relations")
    return identity_check(name, F.derived_cubic().subs(theta1, root),
                          run.rng("eq62/cardano"), names=run.names(), at=run.at_env, what=what)


def _cardano_ball(statement, points, run) -> CheckResult:
    name = "ball of (62) contains the exact root"
    what = "(62) = the real root of P"
    seen = []
    for p in points:
        if family(p) in seen:
            continue
        seen.append(family(p))
        roots = DM.roots_of(p)
        env = {d: p["d"], lam: p["lam"], K: p["K"]}
        rt = roots[0] if len(roots) == 1 else None
        if rt is None:
            continue
        if rt.exact is not None:
            sgn = certify_sign(statement["root"] - sp.Rational(str(rt.exact)), env)
            bad = sgn in (1, -1)
        else:
            v = Ball(256).evaluate(statement["root"], env)
            with Ball(256).workprec():
                bad = not v.overlaps(rt.ball)
        if bad:
            return failed(name, Evidence.BALL, what,
                          Counterexample.of(family(p), "(62) != the exact real root",
                                            {"(62)": ball_str(Ball(256).evaluate(
                                                statement["root"], env)),
                                             "root": exact_str(rt.exact) if rt.exact is not None
                                             else ball_str(rt.ball)}), points=len(seen))
    return passed(name, Evidence.BALL, what, points=len(seen))


def _cardano_mp(statement, points, run) -> CheckResult:
    dps = run.profile.dps + 10
    arith = MP(dps)
    f = arith.compile([statement["root"]], (d, lam, K))
    worst = arith.ctx.mpf(0)
    n = 0
    for p in points[:10]:
        roots = DM.roots_of(p)
        if len(roots) != 1:
            continue
        n += 1
        v = f(p["d"], p["lam"], p["K"])[0]
        worst = max(worst, abs(v - arith.convert(roots[0].value)))
    tol = 10.0 ** -run.profile.dps
    return (passed if worst < arith.ctx.mpf(10) ** -run.profile.dps else undecided)(
        "(62) with mpmath", Evidence.MP, "(62) = the real root of P", points=n,
        measure=Measure("max error", float(worst), tolerance=tol), note=f"{dps} digits")


register(Claim(
    "eq62", "Cardano's formula for the real root when Delta < 0", "Appendix A.3, (62)",
    """r = cbrt(d lambda + sqrt(d^2 lambda^2 + 8 d^3 K^3/27)) + cbrt(d lambda - sqrt(d^2 lambda^2
       + 8 d^3 K^3/27)) is the real root of x^3 + 2dKx - 2d lambda.""",
    Statement({"root": Part(F.PRINTED_EQ62, "(62)", "the real root")}), DM.DELTA_NEG,
    (Check("(62) solves the cubic", _cardano, samples=0),
     Check("ball of (62) contains the exact root", _cardano_ball, samples=10),
     Check("(62) with mpmath", _cardano_mp, samples=10)),
    formulas=(Formula("(62)", "Cardano root", lambda: sp.latex(F.PRINTED_EQ62)),),
    uses=("eq55",), cost=0.5))

register(Claim(
    "eq63", "Implicit solution when Delta < 0", "Appendix A.3, (63)",
    """With r the real root: r/(2(r^3+d lambda)) ln|theta1 - r| - r/(4(r^3+d lambda))
       ln(theta1^2 + r theta1 + 2 d lambda/r) - 3r^2/(2(r^3+d lambda) s) arctan((2 theta1 + r)/s)
       + C0 = -t/2, s = sqrt((8 d lambda - r^3)/r).""",
    Statement({"implicit": Part(F.printed_eq63, "(63)", "(theta1, r) -> H (d, lambda free)")}),
    DM.ROOT1, (implicit("(63) solves (54)", "implicit", (r,), F.RHS_ROOT1, -sp.Rational(1, 2)),),
    formulas=(Formula("(63)", "implicit solution, Delta < 0", lambda: sp.latex(sp.Eq(
        F.printed_eq63(theta1, r) + sp.Symbol("C_0"), -t / 2))),),
    notes=("the OCR of (63)'s arctan coefficient is unreadable; the suite checks the "
           "partial-fraction form with s = sqrt((8 d lambda - r^3)/r), which is real because "
           "Delta < 0 forces r^3 < 8 d lambda",),
    uses=("eq62",), cost=0.3))


def _one_root(p, st) -> bool:
    roots = DM.roots_of(p)
    return (F.discriminant_sign(p["d"], p["lam"], p["K"]) < 0 and len(roots) == 1
            and roots[0].multiplicity == 1)


def _delta_neg_trajectories(statement, points, run):
    cases = cases_of(points)
    tgt, rate, rho = targets(cases)
    stated = fcompile(statement["rate"], (r, d, lam))(tgt, floats(points, "d"),
                                                      floats(points, "lam"))
    return flow_checks("trajectories, Delta < 0", cases, tgt, rate, stated, rho, points=points)


_DELTA_NEG_RATE = rate_check(
    "rate (64)", "rate", F.derived_rate_at(r, F.RHS_ROOT1),
    lambda p: {**root_env(p, (r,), (0,)), d: p["d"], lam: p["lam"]}, family, limit=20,
    samples=n_share())
register(Claim(
    "thm3.delta_neg", "Theorem 3, case Delta < 0: one real root", "Appendix A.3, (62)-(64)",
    """If Delta < 0 the cubic has one real root r (62); theta1 -> r for every theta0 and
       |theta1 theta2 - lambda| <= C exp(-((r^3 + d lambda)/r) t).""",
    Statement({"rate": Part(F.PRINTED_EQ64_RATE, "(64)", "rate in (r, d, lambda)")}),
    DM.DELTA_NEG,
    (root_count("Delta < 0 and exactly one real root", "Delta < 0 and exactly one real root",
                _one_root, unique=True, samples=n_share()),
     _DELTA_NEG_RATE,
     whole_domain("rate (64) over the whole domain", W.delta_neg_proof("thm3.delta_neg", True),
                  _DELTA_NEG_RATE, W.WHAT),
     Check("trajectories, Delta < 0", _delta_neg_trajectories, samples=n_share())),
    uses=("eq62", "eq63", "eq64"), cost=3.0))

_EQ64_RATE = rate_check("rate (64)", "rate", F.derived_rate_at(r, F.RHS_ROOT1),
                        lambda p: {r: p["r"], d: p["d"], lam: p["lam"]},
                        lambda p: {"d": p["d"], "lam": p["lam"], "r": p["r"]}, samples=20)
register(Claim(
    "eq64", "Exponential rate when Delta < 0", "Appendix A.3, (64)",
    """|theta1 theta2 - lambda| <= C exp(-((r^3 + d lambda)/r) t), r the real root.""",
    Statement({"rate": Part(F.PRINTED_EQ64_RATE, "(64)", "rate in (r, d, lambda)")}), DM.ROOT1,
    (_EQ64_RATE, whole_domain("rate (64) over the whole domain",
                              W.delta_neg_proof("eq64", False), _EQ64_RATE, W.WHAT)),
    formulas=(Formula("(64)", "rate, Delta < 0", lambda: sp.latex(F.PRINTED_EQ64_RATE)),),
    notes=("reading: (r^3 + d lambda)/r; the reading without '/r' is not a rate of the right "
           "dimension and fails for r > 1",),
    uses=("eq63", "eq37"), cost=0.3))


# Delta = 0 ----------------------------------------------------------------------------------------
EQ66_PARTS = {"K_star": Part(F.PRINTED_EQ65_K, "(65)", "K*"),
              "rs": Part(F.PRINTED_EQ66_RS, "(66)", "rs in K"),
              "rd": Part(F.PRINTED_EQ66_RD, "(66)", "rd in K"),
              "rs_closed": Part(F.PRINTED_EQ66_RS_CLOSED, "(66)", "rs in (d, lambda)"),
              "rd_closed": Part(F.PRINTED_EQ66_RD_CLOSED, "(66)", "rd in (d, lambda)")}


def _dl_at(p) -> dict:
    return {d: p["d"], lam: p["lam"]}


EQ66_CHECKS = (
    identity("Delta(K*) = 0 (65)", lambda st: F.derived_discriminant().subs(K, st["K_star"]),
             "Delta at K*", at=_dl_at),
    identity("P = (x - rs)(x - rd)^2 at K*",
             lambda st: F.derived_cubic().subs(K, st["K_star"])
             - (theta1 - st["rs_closed"]) * (theta1 - st["rd_closed"]) ** 2,
             "P - (x - rs)(x - rd)^2", at=_dl_at),
    identity("rs = -3 lambda/K* = 2 (d lambda)^(1/3)",
             lambda st: st["rs"].subs(K, st["K_star"]) - st["rs_closed"], at=_dl_at),
    identity("rd = 3 lambda/(2K*) = -(d lambda)^(1/3)",
             lambda st: st["rd"].subs(K, st["K_star"]) - st["rd_closed"], at=_dl_at))

register(Claim(
    "eq66", "The double-root case: K* and the roots rs, rd", "Appendix A.3, (65)-(66)",
    """Delta = 0 iff K = K* = -(3/2)(lambda^2/d)^(1/3); then P = (x - rs)(x - rd)^2 with
       rs = -3 lambda/K = 2 (d lambda)^(1/3) (simple) and rd = 3 lambda/(2K) = -(d lambda)^(1/3)
       (double).""",
    Statement(EQ66_PARTS), DM.D_LAM, EQ66_CHECKS,
    formulas=(Formula("(65)", "K*", lambda: sp.latex(F.PRINTED_EQ65_K)),
              Formula("(66)", "simple root", lambda: sp.latex(F.PRINTED_EQ66_RS_CLOSED)),
              Formula("(66)", "double root", lambda: sp.latex(F.PRINTED_EQ66_RD_CLOSED))),
    uses=("eq55",), cost=0.5))

register(Claim(
    "eq67", "Implicit solution when Delta = 0", "Appendix A.3, (67)",
    """(ln|theta1 - rs| - ln|theta1 - rd|)/(rs - rd)^2 + 1/((rs - rd)(theta1 - rd)) + C0 = -t/2.""",
    Statement({"implicit": Part(F.printed_eq67, "(67)", "(theta1, rs, rd) -> J")}), DM.DOUBLE,
    (implicit("(67) solves (54)", "implicit", (rs, rd), F.RHS_DOUBLE, -sp.Rational(1, 2)),),
    formulas=(Formula("(67)", "implicit solution, Delta = 0", lambda: sp.latex(sp.Eq(
        F.printed_eq67(theta1, rs, rd) + sp.Symbol("C_0"), -t / 2))),),
    uses=("eq66",), cost=0.3))


def _split_roots(p) -> tuple[Fraction, Fraction]:
    """(rs, rd) of a Delta = 0 point (both rational)."""
    roots = DM.roots_of(p)
    simple = next(rt for rt in roots if rt.multiplicity == 1)
    double = next(rt for rt in roots if rt.multiplicity == 2)
    return simple.exact, double.exact


def _to_rs(p) -> bool:
    return Fraction(p["theta1_0"]) >= _split_roots(p)[1]


def _to_rd(p) -> bool:
    return not _to_rs(p)


def _to_rs_trajectories(statement, points, run):
    pts = [p for p in points if _to_rs(p)]
    cases = cases_of(pts)
    ar = np.array([[float(v) for v in _split_roots(p)] for p in pts]).reshape(-1, 2)
    at_rd = np.array([c.theta0 == _split_roots(p)[1] for c, p in zip(cases, pts)])
    rate = fcompile(F.derived_rate_at(rs, F.RHS_DOUBLE), (rs, rd))(ar[:, 0], ar[:, 1])
    return flow_checks("trajectories to rs", cases, np.where(at_rd, ar[:, 1], ar[:, 0]),
                       np.where(at_rd, 0.0, rate), None, rate, points=pts)


def subexponential_checks(statement, points, run) -> list[CheckResult]:
    """theta0 < rd: |theta1 theta2 - lambda| ~ t^-exponent.  In doubles where the algebraic regime
    is reached on the grid (u0 = (rd - theta0)/(rs - rd) >= 0.05); from the exact implicit
    solution (67) at high precision for starts closer to rd (there theta1' is below the rounding
    of doubles)."""
    exponent = float(statement["exponent"])
    pts = [p for p in points if _to_rd(p)]
    out = []
    roots = [_split_roots(p) for p in pts]
    u0 = np.array([float((a_d - Fraction(p["theta1_0"])) / (a_s - a_d))
                   for p, (a_s, a_d) in zip(pts, roots)])
    near = u0 < 0.05
    far = [p for p, n in zip(pts, near) if not n]
    what = f"|theta1 theta2 - lambda| ~ t^-{exponent} (sub-exponential)"
    if far:
        cases = cases_of(far)
        rho = np.array([float(a_s - a_d) ** 2 / 2 for (a_s, a_d), n in zip(roots, near) if not n])
        tau = np.concatenate([[0.0], np.logspace(-2, 4, 601)])
        tr = simulate(cases, rho, tau=tau)
        name = "trajectories to rd: sub-exponential"
        if not tr.success.all():
            out.append(undecided(name, Evidence.FLOAT, what, points=len(far),
                                 note="integration failed"))
        else:
            est = power_exponent(tr.tau, tr.product - tr.lam, t_from=1e3)
            dev = float(np.abs(est - exponent).max())
            out.append((passed if dev < 0.02 else undecided)(
                name, Evidence.FLOAT, what, points=len(far),
                measure=Measure("max |exponent - stated|", dev, tolerance=0.02),
                note="tau from 1e3 to 1e4"))
    nears = [(p, rt) for p, rt, n in zip(pts, roots, near) if n][: 3 * run.profile.hp_samples]
    if nears:
        dps = run.profile.dps + 20
        arith = MP(dps)
        c = arith.ctx
        J = arith.compile([F.printed_eq67(theta1, rs, rd)], (theta1, rs, rd))
        P = arith.compile([F.derived_cubic()], (theta1, d, lam, K))
        worst, where = 0.0, None
        for p, (a_s_q, a_d_q) in nears:
            a_s, a_d, th0 = (arith.convert(v) for v in (a_s_q, a_d_q, p["theta1_0"]))
            dd, ll, kk = (arith.convert(v) for v in (p["d"], p["lam"], p["K"]))
            t_asym = 2 * (a_d - th0) ** -1 / (a_s - a_d)      # 1/(c u0): onset of the 1/t regime
            errs = []
            for tt in (1e3 * t_asym, 1e4 * t_asym):
                target = J(th0, a_s, a_d)[0] - tt / 2
                # bracketing solver; its own tolerance test is too strict where |target| is
                # huge (a start next to rd): the residual is judged relative to |target| below
                th = c.findroot(lambda v: J(v, a_s, a_d)[0] - target,
                                (th0, a_d - (a_d - th0) * c.mpf(10) ** -12), solver="anderson",
                                verify=False)
                if not abs(J(th, a_s, a_d)[0] - target) <= c.mpf(10) ** (-dps // 2) * (
                        1 + abs(target)):
                    errs = None
                    break
                errs.append(abs(P(th, dd, ll, kk)[0] / (2 * dd)))
            if errs is None:
                worst, where = float("inf"), p
                break
            est = float(c.log(errs[0] / errs[1]) / c.log(10))
            if abs(est - exponent) >= worst:
                worst, where = abs(est - exponent), p
        out.append((passed if worst < 0.02 else undecided)(
            "starts next to rd: exponent from (67) at high precision", Evidence.MP, what,
            points=len(nears),
            measure=Measure("max |exponent - stated|", worst, point_str(where), 0.02),
            note=f"{dps} digits (doubles cannot resolve these starts)"))
    return out


_DELTA_ZERO_RATES = (
    identity("rate towards rs is (rs - rd)^2/2 > 0",
             lambda st: F.derived_rate_at(rs, F.RHS_DOUBLE) - st["rate"],
             "exact rate at rs minus the stated one", at=_roots_at),
    Check("sub-exponential convergence to rd", subexponential_checks, samples=n_share(),
          applies=_to_rd))
register(Claim(
    "thm3.delta_zero", "Theorem 3, case Delta = 0: a double root", "Appendix A.3, (65)-(71)",
    """If Delta = 0 (K = K*), theta1 -> rs exponentially unless theta0 < rd, in which case theta1
       -> rd sub-exponentially (like 1/t; theta1 theta2 - lambda like t^-2); theta1 theta2 ->
       lambda in both cases (71).""",
    Statement({**EQ66_PARTS,
               "rate": Part(F.PRINTED_THM3_DELTA0_RATE, "(67)-(71)", "rate towards rs"),
               "exponent": Part(F.PRINTED_THM3_DELTA0_EXPONENT, "(71)",
                                "theta1 theta2 - lambda ~ t^-exponent towards rd")}),
    DM.DELTA_ZERO,
    EQ66_CHECKS + (
        identity("rd is a double root: P'(rd) = 0 (no exponential rate)",
                 lambda st: F.derived_rate_at(rd, F.RHS_DOUBLE), "rate at rd", at=_roots_at),
        *_DELTA_ZERO_RATES,
        Check("trajectories to rs", _to_rs_trajectories, samples=n_share(), applies=_to_rs),
        whole_domain("rate and exponent (67)-(71) over the whole domain", W.delta_zero_proof,
                     _DELTA_ZERO_RATES, W.WHAT)),
    uses=("eq66", "eq67", "lem16", "eq72"), cost=3.0))


def _rs_above(p) -> bool:
    return p["lam"] > 0


LEM16 = []
for _part, _where, _label in (("rs_above", _rs_above, "rs > rd"),
                              ("rs_below", lambda p: not _rs_above(p), "rs < rd")):
    for _i in range(3):
        LEM16.append(sign_table(f"{_label}: theta1' on interval {_i + 1} of 3", _part, _i,
                                F.derived_reduced_rhs(),
                                lambda p, w=_where, i=_i: w(p) and interval_of(p) == i,
                                _label, samples=n_share(0.5)))

register(Claim(
    "lem16", "Monotonicity when Delta = 0", "Appendix A.3, Lemma 16, (68)-(70)",
    """If rs > rd: theta1' < 0 on (rs, oo), > 0 on (-oo, rd) and (rd, rs). If rs < rd: theta1' < 0
       on (rs, rd) and (rd, oo), > 0 on (-oo, rs).""",
    Statement({"rs_above": Part((+1, +1, -1), "(68)-(69)",
                                "rs > rd: signs on (-oo, rd), (rd, rs), (rs, oo)"),
               "rs_below": Part((+1, -1, -1), "(70)",
                                "rs < rd: signs on (-oo, rs), (rs, rd), (rd, oo)")}),
    DM.DELTA_ZERO_SIGNED,
    tuple(LEM16) + (whole_domain("sign tables over the whole domain",
                                 lem16_proof(F.derived_reduced_rhs(), theta1, d, lam, K, rs, rd,
                                             F.RHS_DOUBLE), tuple(LEM16), SIGN_WHAT),),
    uses=("eq66",), cost=0.5))


# --- Remark 15 ---------------------------------------------------------------------------------
RELATIONS = {"==": lambda v: v == 0, ">=": lambda v: v >= 0, "<=": lambda v: v <= 0,
             ">": lambda v: v > 0, "<": lambda v: v < 0}


def _null_set(statement, points, run) -> CheckResult:
    """{Delta rel 0} is Lebesgue-null: the equality is a graph (the identity check); an open
    condition holding strictly at one exact point holds on a neighbourhood (positive measure)."""
    rel = statement["relation"]
    name = "the set of initial values with Delta (relation) 0 is Lebesgue-null"
    what = f"{{Delta {rel} 0}} is Lebesgue-null"
    vals = [(p, -4 * p["d"]**2 * (8 * p["d"] * DM.K_of(p)**3 + 27 * p["lam"]**2))
            for p in points]
    strict = [c for c in (">", "<") if c in rel]
    for p, v in vals:
        if any(RELATIONS[c](v) for c in strict):
            return failed(name, Evidence.EXACT, what,
                          Counterexample.of(p, f"Delta = {v} {strict[0]} 0 at an exact point, so "
                                               "on an open neighbourhood", {"Delta": str(v)},
                                            Evidence.EXACT), points=len(points))
    hits = sum(1 for _, v in vals if v == 0)
    return (passed if hits == 0 else undecided)(
        name, Evidence.EXACT, what, points=len(points),
        measure=Measure("random initial values with Delta = 0", float(hits)))


register(Claim(
    "rem15", "Delta = 0 has measure zero", "Appendix A.3, Remark 15",
    """The set of initial values (theta1(0), theta2(0)) with Delta = 0 has Lebesgue measure zero
       in R^2.""",
    Statement({"relation": Part("==", "Remark 15", "the set {Delta relation 0}"),
               "K_star": Part(F.PRINTED_EQ65_K, "(65)", "K*")}),
    DM.GENERAL,
    (identity("Delta depends on theta2 only through K, dK/dtheta2 = 1",
              lambda st: sp.diff(F.PRINTED_K, F.theta2) - 1),
     identity("Delta = 0 exactly on theta2 = theta1^2/(2d) + K*",
              lambda st: F.PRINTED_EQ55.subs(K, F.PRINTED_K).subs(
                  F.theta2, theta1**2 / (2 * d) + st["K_star"]), "Delta on the parabola",
              at=lambda p: {d: p["d"], lam: p["lam"], theta1: p["theta1_0"]}),
     Check("the set of initial values with Delta (relation) 0 is Lebesgue-null", _null_set,
           samples=n_share(0.5))),
    uses=("eq66", "eq37"), cost=0.3))


# --- lambda = 0 ------------------------------------------------------------------------------------
KPOS, KNEG = sp.Symbol("K", positive=True), sp.Symbol("K", negative=True)
RHS_L0 = F.derived_reduced_rhs().subs(lam, 0)


def _lambda0_k_trajectories(statement, points, run):
    pts = [p for p in points if not DM.is_k0(p)]
    cases = [case_of({**p, "lam": 0}) for p in pts]
    tgt, rate, rho = targets(cases)
    return flow_checks("lambda = 0, K != 0", cases, tgt, rate, None, rho, points=pts)


_LAMBDA0_K_RATES = (
    identity("K > 0: rate at 0 is dK",
             lambda st: F.derived_rate_at(0, RHS_L0.subs(K, KPOS))
             - st["rate_kpos"].subs(K, KPOS), "exact rate at 0 minus the stated one",
             at=lambda p: {d: p["d"]}, applies=lambda p: DM.K_of(p) > 0),
    identity("K < 0: rate at +-sqrt(-2dK) is -2dK",
             lambda st: F.derived_rate_at(sp.sqrt(-2 * d * KNEG), RHS_L0.subs(K, KNEG))
             - st["rate_kneg"].subs(K, KNEG), "exact rate minus the stated one",
             at=lambda p: {d: p["d"]}, applies=lambda p: DM.K_of(p) < 0))
_LAMBDA0_K0 = lambda0_checks(DM.LAMBDA0_K0, "thm3.lambda_zero/k0")
register(Claim(
    "thm3.lambda_zero", "Theorem 3 with lambda = 0", "Appendix A.3, after (64) and (72)",
    """If lambda = 0: for K > 0 theta1 -> 0 at rate dK; for K < 0 theta1 -> +-sqrt(-2dK) at rate
       -2dK (0 repels); for K = 0 the decay is polynomial, |theta1 theta2| <= C t^(-3/2).""",
    Statement({"rate_kpos": Part(F.PRINTED_LAMBDA0_RATE_KPOS, "A.3", "rate for K > 0"),
               "rate_kneg": Part(F.PRINTED_LAMBDA0_RATE_KNEG, "A.3", "rate for K < 0"),
               **LAMBDA0_PARTS}),
    DM.LAMBDA0,
    _LAMBDA0_K_RATES
    + (Check("lambda = 0, K != 0", _lambda0_k_trajectories, samples=n_share(0.5),
             applies=lambda p: not DM.is_k0(p)),)
    + _LAMBDA0_K0 + (whole_domain("rates and exponent over the whole domain", W.lambda0_proof,
                                  _LAMBDA0_K_RATES + (_power_law_check(_LAMBDA0_K0),),
                                  W.WHAT),),
    uses=("thm2.lambda_zero", "eq72"), cost=2.0))

register(Claim(
    "eq72", "Polynomial rate when Delta = 0 and lambda = 0", "Appendix A.3, (72)",
    """If Delta = 0 and lambda = 0 (so K = 0, triple root 0): |theta1 theta2| <= C t^(-3/2).""",
    Statement(LAMBDA0_PARTS), DM.LAMBDA0_INIT, lambda0_whole("eq72"),
    formulas=(Formula("(72)", "exponent", lambda: sp.latex(F.PRINTED_EQ72_EXPONENT)),),
    uses=("thm2.lambda_zero",), cost=1.5))


# --- (55) --------------------------------------------------------------------------------------------
def _root_counts(statement, points, run) -> CheckResult:
    name = "sign of (55) counts the distinct real roots"
    what = "Delta > 0: 3 distinct real roots, < 0: 1, = 0: a double root"
    disc = statement["discriminant"]
    for p in points:
        env = {d: sp.Rational(str(p["d"])), lam: sp.Rational(str(p["lam"])),
               K: sp.Rational(str(p["K"]))}
        val = sp.sympify(disc).xreplace(env)
        distinct = len(DM.roots_of(p))
        want = 3 if val > 0 else (1 if val < 0 else 2)
        if distinct != want and not (val == 0 and p["K"] == 0 and distinct == 1):
            return failed(name, Evidence.EXACT, what,
                          Counterexample.of(p, f"Delta = {val}, {distinct} distinct real roots",
                                            {"Delta": str(val), "distinct real roots": distinct},
                                            Evidence.EXACT), points=len(points))
    return passed(name, Evidence.EXACT, what, points=len(points))


register(Claim(
    "eq55", "The discriminant", "Appendix A.3, (55) = Section 4, after (13)",
    """The discriminant of x^3 + 2dKx - 2d lambda is Delta = -4 d^2 (8 d K^3 + 27 lambda^2): three
       distinct real roots iff Delta > 0, one iff Delta < 0, a double root iff Delta = 0.""",
    Statement({"discriminant": Part(F.PRINTED_EQ55, "(55)", "Delta")}), DM.DLK,
    (identity("(55) is the discriminant of the cubic in (54)",
              lambda st: F.derived_discriminant() - st["discriminant"],
              "discriminant minus (55)"),
     Check("sign of (55) counts the distinct real roots", _root_counts, samples=70)),
    formulas=(Formula("(55)", "discriminant", lambda: sp.latex(F.PRINTED_EQ55)),
              Formula("(54)", "reduced equation", lambda: sp.latex(F.PRINTED_EQ54_RHS))),
    cost=0.5))


# --- Figure 1a ----------------------------------------------------------------------------------------
def _fig1a_trajectories(statement, points, run):
    cases = cases_of(points)
    tgt, rate, rho = targets(cases)
    return flow_checks("Figure 1a grid (d = 0.2, lambda = 3)", cases, tgt, rate, None, rho,
                       points=points)


register(Claim(
    "fig1a", "Phase portrait: invariant parabolas and the hyperbola of minima",
    "Section 2, Figure 1a and the paragraph after Theorem 2",
    """Trajectories of (6) lie on the parabolas 2d theta2 = theta1^2 + 2dK; the stationary points
       are exactly the hyperbola theta1 theta2 = lambda (all global minima); every trajectory ends
       on it.""",
    Statement({"parabola": Part(F.PRINTED_K, "Figure 1a", "the parabolas' K")}), DM.FIG1A,
    (identity("dK/dt = 0 along (6)", lambda st: _conserved_rate(st["parabola"]), "dK/dt"),
     identity("theta1' = d (lambda - theta1 theta2): zero set is the hyperbola",
              lambda st: F.FLOW[0] - d * (lam - F.PRODUCT)),
     identity("theta2' vanishes wherever theta1' does",
              lambda st: F.FLOW[1] - F.FLOW[0] * theta1 / d),
     Check("Figure 1a grid (d = 0.2, lambda = 3)", _fig1a_trajectories, samples=45)),
    uses=("eq37",), cost=0.5))
