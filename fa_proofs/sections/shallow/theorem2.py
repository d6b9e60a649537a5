"""Section 2 and Appendix A.2: the flow under the initialisation (7), as data.

Claims: thm2 (= thm11), thm2.lambda_zero, lem12, rem13, eq37, eq40, eq42, eq47, eq48 (in the
registry after prop1, eq4, eq5, eq6 of :mod:`.matrix`; Theorem 3 follows in :mod:`.theorem3`).

Each claim's statement is named parts (its printed formulas, sign tables, readings, implicit
solutions); its checks read them, so ``claim.mutant(part=...)`` runs the same checks on a wrong
statement.  The parameter spaces are in :mod:`.domains`, the shared check builders in
:mod:`.checks`, the simulations in :mod:`.numerics`.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from ...arith import FLOAT, MP, real_cbrt
from ...engine import Check, Claim, Formula, Part, Statement
from ...pointwise import sign_check
from ...rates import power_exponent
from ...certificates import whole_domain
from ...registry import register
from ...sign_tables import lem12_proof
from ...sign_tables import WHAT as SIGN_WHAT
from ...verdicts import (CheckResult, Evidence, Measure, passed, undecided)
from . import domains as DM
from . import formulas as F
from . import whole_domain as W
from .checks import (flow_checks, identity, implicit, implicit_hp_check, n_real_roots, point_str,
                     power_law_check, root_count, sign_table)
from .checks import (n_share, hp_count, cases_of, k0_side, floats, fcompile, rate_check,
                     rate_statement_check, rows_of)
from .numerics import case_of, simulate, simulate_reduced_mp, targets

theta1, theta0, d, lam, K, t = F.theta1, F.theta0, F.d, F.lam, F.K, F.t
r, r1, r2, r3, rs, rd = F.r, F.r1, F.r2, F.r3, F.rs, F.rd


# --- Theorem 2 --------------------------------------------------------------------------------
THM2_PARTS = {"limit": Part(F.PRINTED_THM2_ROOT, "Theorem 2", "theta1 -> limit"),
              "rate": Part(F.PRINTED_THM2_RATE, "(41)", "exponential rate of theta1 theta2"),
              "increasing": Part(True, "(41)", "theta1 theta2 increases when theta0 < r")}
DP_K0 = sp.diff(F.PRODUCT_K0, theta1) * F.RHS0          # d/dt theta1 theta2 under (7)
THM2_EXACT_RATE = F.derived_rate_at(sp.cbrt(2 * d * lam), F.RHS0)


def _below(p) -> bool:
    return k0_side(p) == 1 and p["theta1_0"] != 0


def _above(p) -> bool:
    return k0_side(p) == -1 and p["theta1_0"] != 0


def _product_sign(name: str, where, sign: int) -> Check:
    def fn(statement, points, run):
        up = 1 if statement["increasing"] else -1
        pts = [run.env(p) for p in points if where(p)]
        return sign_check(name, DP_K0, sign * up, pts, "d/dt theta1 theta2 at t = 0",
                          names=run.names())
    return Check(name, fn, samples=n_share(), applies=where)


def _thm2_trajectories(statement, points, run):
    cases = cases_of(points)
    dv, lv = floats(points, "d"), floats(points, "lam")
    limit = fcompile(statement["limit"], (d, lam))(dv, lv)
    stated = fcompile(statement["rate"], (d, lam))(dv, lv)
    exact = fcompile(THM2_EXACT_RATE, (d, lam))(dv, lv)
    up = 1 if statement["increasing"] else -1
    direction = np.array([up * (k0_side(p) or 1) for p in points], float)
    return flow_checks("trajectories of (6) with (7)", cases, limit, exact, stated, exact,
                       direction, points=points)


_THM2_RATE = rate_check("rate (41)", "rate", THM2_EXACT_RATE,
                        lambda p: {d: p["d"], lam: p["lam"]},
                        lambda p: {"d": p["d"], "lam": p["lam"]}, limit=40, samples=n_share())
register(Claim(
    "thm2", "Two-layer FA with initialisation (7): monotone exponential convergence",
    "Section 2, Theorem 2 = Appendix A.2, Theorem 11, (41)",
    """For every d > 0, lambda > 0 and theta0 in R, with theta1(0) = theta0 and
       theta2(0) = theta0^2/(2d), the solution of (6) has theta1 theta2 -> lambda monotonically
       (increasing if theta0 < r, decreasing if theta0 > r), |theta1 theta2 - lambda| <=
       C exp(-(3/2)(2 d lambda)^(2/3) t), and theta1 -> r = (2 d lambda)^(1/3).""",
    Statement(THM2_PARTS), DM.K0,
    (identity("stated limit is an equilibrium of (40)",
              lambda st: F.RHS0.subs(theta1, st["limit"]), "theta1' at the stated limit"),
     identity("theta1 theta2 -> lambda at the stated limit",
              lambda st: F.PRODUCT_K0.subs(theta1, st["limit"]) - lam,
              "theta1 theta2 - lambda at the stated limit"),
     root_count("(40) has exactly one real root", "(40) has exactly one real root",
                lambda p, st: n_real_roots(p) == 1, limit=20, samples=n_share()),
     _THM2_RATE,
     whole_domain("rate (41) over the whole domain", W.thm2_proof, _THM2_RATE, W.WHAT),
     _product_sign("product increasing for theta0 < r", _below, 1),
     _product_sign("product decreasing for theta0 > r", _above, -1),
     Check("trajectories of (6) with (7)", _thm2_trajectories, samples=n_share())),
    aliases=("thm11",),
    formulas=(Formula("(41)", "rate of Theorem 2", lambda: sp.latex(F.PRINTED_THM2_RATE)),),
    notes=("reading of the rate: (3/2)(2 d lambda)^(2/3), from (46)-(47). Alternative readings "
           "of the OCR 'Ce-2(dλ)31' / 'Ce-3(dλ)31': (3/2)(d lambda)^(2/3) holds but is not "
           "sharp; 3 (d lambda)^(2/3) is too fast (fails: 3 > (3/2) 2^(2/3)).",),
    uses=("eq37", "eq40", "lem12", "eq42", "eq47"), cost=4.0))


# --- lambda = 0 under (7) (thm2.lambda_zero, eq72, and K = 0 in thm3.lambda_zero) ----------------
LAMBDA0_PARTS = {
    "theta1": Part(F.PRINTED_LAMBDA0_THETA1, "A.2", "theta1(t) for lambda = 0"),
    "theta2": Part(F.PRINTED_LAMBDA0_THETA2, "A.2", "theta2(t) for lambda = 0"),
    "exponent": Part(F.PRINTED_EQ72_EXPONENT, "A.2", "|theta1 theta2| <= C t^-exponent")}
POS = sp.Symbol("theta0p", positive=True)


def _pos_at(p) -> dict:
    return {POS: abs(Fraction(p["theta1_0"])), d: p["d"]}


def _sign_is(sgn: int):
    return lambda p: (Fraction(p["theta1_0"]) > 0) == (sgn > 0) and DM.is_k0(p)


def _lambda0_trajectories(statement, points, run) -> list[CheckResult]:
    cases = [case_of({**p, "lam": 0}) for p in points]
    rho = np.array([float(c.theta0) ** 2 for c in cases])
    tau = np.concatenate([[0.0], np.logspace(-2, 6, 801)])
    tr = simulate(cases, rho, tau=tau)
    what = "|theta1 theta2| ~ t^-3/2 along trajectories"
    if not tr.success.all():
        return [undecided("trajectories: |theta1 theta2| ~ t^-3/2", Evidence.FLOAT, what,
                          points=len(cases), note="integration failed")]
    est = power_exponent(tr.tau, tr.product, t_from=1e4)
    dev = float(np.abs(est - 1.5).max())
    stated = float(statement["exponent"])
    return [(passed if dev < 0.01 else undecided)(
                "trajectories: |theta1 theta2| ~ t^-3/2", Evidence.FLOAT, what,
                points=len(cases), measure=Measure("max |exponent - 3/2|", dev, tolerance=0.01)),
            (passed if stated <= est.min() + 0.01 else undecided)(
                "trajectories: stated exponent <= observed", Evidence.FLOAT,
                f"{statement['exponent']} <= observed exponent", points=len(cases),
                measure=Measure("smallest observed exponent", float(est.min())),
                note="tolerance 0.01")]


def _power_law(statement, points, run):
    return power_law_check("|theta1 theta2| <= C t^-a", statement["exponent"],
                           statement["theta1"] * statement["theta2"], points)


def _not_exponential(statement, points, run):
    prod = (statement["theta1"] * statement["theta2"]).subs(theta0, POS)
    lim = sp.limit(t**sp.Rational(3, 2) * prod, t, sp.oo)
    what = "t^(3/2) theta1 theta2 -> a positive constant"
    return (passed("decay is not exponential", Evidence.SYMBOLIC, what, note=f"limit {lim}")
            if lim.is_positive else
            undecided("decay is not exponential", Evidence.SYMBOLIC, what, note=f"limit {lim}"))


def lambda0_checks(domain=None, key=None) -> tuple[Check, ...]:
    """The explicit solution for lambda = K = 0 and its t^(-3/2) decay (not exponential);
    ``domain``: the sub-domain the checks sample (a claim whose domain also has K != 0)."""
    rhs = F.RHS0.subs(lam, 0)
    checks = []
    for sgn in (1, -1):
        rel = ">" if sgn > 0 else "<"
        checks.append(identity(
            f"explicit theta1 solves (40) with lambda = 0 (theta0 {rel} 0)",
            lambda st, sgn=sgn: (sp.diff(st["theta1"], t) - rhs.subs(theta1, st["theta1"]))
            .subs(theta0, sgn * POS), at=_pos_at, applies=_sign_is(sgn)))
        checks.append(identity(
            f"theta1(0) = theta0 (sign {sgn:+d})",
            lambda st, sgn=sgn: st["theta1"].subs(theta0, sgn * POS).subs(t, 0) - sgn * POS,
            at=_pos_at, applies=_sign_is(sgn)))
    checks.append(identity("theta2 = theta1^2/(2d) (K = 0)",
                           lambda st: (st["theta2"] - st["theta1"]**2 / (2 * d)).subs(theta0, POS),
                           at=_pos_at, applies=DM.is_k0))
    checks.append(Check("|theta1 theta2| <= C t^-a", _power_law, samples=6, domain=domain,
                        key=None if key is None else key + "/law", applies=DM.is_k0))
    checks.append(Check("decay is not exponential", _not_exponential, samples=0,
                        applies=DM.is_k0))
    checks.append(Check("trajectories: |theta1 theta2| ~ t^-3/2", _lambda0_trajectories,
                        samples=n_share(0.25), domain=domain,
                        key=None if key is None else key + "/sim", applies=DM.is_k0))
    return tuple(checks)


def _power_law_check(checks) -> Check:
    return next(c for c in checks if c.name == "|theta1 theta2| <= C t^-a")


def lambda0_whole(claim: str) -> tuple[Check, ...]:
    """lambda0_checks and the exponent over the whole domain (its point check: the power law)."""
    checks = lambda0_checks()
    return checks + (whole_domain("exponent over the whole domain", W.lambda0_k0_proof(claim),
                                  _power_law_check(checks), W.WHAT),)


register(Claim(
    "thm2.lambda_zero", "Theorem 2 when lambda = 0: explicit solution, polynomial rate",
    "Appendix A.2, 'Case lambda = 0'",
    """If lambda = 0 (and K = 0), theta1(t) = sign(theta0)/sqrt(t + theta0^-2),
       theta2(t) = 1/(2d (t + theta0^-2)), and theta1 theta2 -> 0 like t^(-3/2), not
       exponentially.""",
    Statement(LAMBDA0_PARTS), DM.LAMBDA0_INIT, lambda0_whole("thm2.lambda_zero"),
    notes=("reading: O(t^(-3/2)) ('O(t-2)' with the 3 on the line above); the reading t^(-2) "
           "fails: t^2 |theta1 theta2| -> oo.",),
    uses=("eq40",), cost=1.5))


# --- Lemma 12, Remark 13 ----------------------------------------------------------------------
_LEM12 = (sign_table("theta1' for theta0 < r", "signs", 0, F.RHS0, lambda p: k0_side(p) == 1,
                     "theta0 < r", samples=n_share(0.5)),
          sign_table("theta1' for theta0 > r", "signs", 1, F.RHS0, lambda p: k0_side(p) == -1,
                     "theta0 > r", samples=n_share(0.5)))
register(Claim(
    "lem12", "theta1 is monotone (K = 0)", "Appendix A.2, Lemma 12",
    """Under (7): theta1' < 0 if theta0 > r and theta1' > 0 if theta0 < r, r = (2 d lambda)^(1/3);
       hence theta1 is monotone and bounded.""",
    Statement({"signs": Part((+1, -1), "Lemma 12", "signs of theta1' below and above r")}),
    DM.K0,
    _LEM12 + (whole_domain("sign table over the whole domain",
                           lem12_proof(F.RHS0, F.theta1, F.d, F.lam, F.r), _LEM12, SIGN_WHAT),),
    uses=("eq40",), cost=0.5))


def _rem13_trajectories(statement, points, run):
    cases = cases_of(points)
    rv = np.cbrt(np.array([float(2 * c.d * c.lam) for c in cases]))
    exact = fcompile(F.derived_rate_at(r, F.RHS_R), (r,))(rv)
    stated = fcompile(statement["rate"], (r,))(rv)
    direction = np.array([1.0 if c.theta0**3 / (2 * c.d) <= c.lam else -1.0 for c in cases])
    return flow_checks("four sign cases of (d, lambda)", cases, rv, exact, stated, exact,
                       direction, points=points)


def _r_sign(p) -> int:
    if "r" in p:
        return 1 if p["r"] > 0 else -1
    return 1 if p["d"] * p["lam"] > 0 else -1


def _implicit48(which: int, theta_name: str) -> Check:
    rr, label = ((F.RNEG, "r < 0"), (r, "r > 0"))[which]
    sgn = (-1, 1)[which]

    def at(p):
        env = {theta1: p[theta_name]}
        if "r" in p:
            env[rr] = p["r"]
        return env
    return implicit(f"(48) solves (40), {label}", "implicit", (rr,), F.RHS_R.subs(r, rr), 1,
                    at=at, applies=lambda p: _r_sign(p) == sgn)


_D_ANY, _LAM_ANY = sp.symbols("d_any lambda_any", real=True, nonzero=True)   # either sign
R_ANY = real_cbrt(2 * _D_ANY * _LAM_ANY)       # r = (2 d lam)^(1/3), the real cube root


def _any_sign(expr: sp.Expr) -> sp.Expr:
    """A rate in (r, d, lam) at d, lam of either sign, r the real cube root of 2 d lam."""
    return sp.sympify(expr).subs({r: R_ANY, d: _D_ANY, lam: _LAM_ANY}, simultaneous=True)


def _rem13_rate_check(name: str) -> Check:
    """The stated rate against the exact one -(40)'(r) (derived) at d, lam of either sign:
    equal symbolically, else stated <= exact certified at each point (ball arithmetic)."""
    def fn(statement, points, run):
        rows = rows_of(points, lambda p: {_D_ANY: p["d"], _LAM_ANY: p["lam"]},
                       lambda p: {"d": p["d"], "lam": p["lam"]})
        return rate_statement_check(name, _any_sign(statement["rate"]),
                                    _any_sign(F.derived_rate_at(r, F.RHS_R)), rows)
    return Check(name, fn, samples=n_share(0.5))


_REM13_RATE = _rem13_rate_check("rate (3/2) r^2, d and lambda of either sign")
register(Claim(
    "rem13", "Theorem 2's calculations for r, lambda in R \\ {0}", "Appendix A.2, Remark 13, "
    "(48)-(49)",
    """For any real r = (2 d lambda)^(1/3) != 0 (in particular sign(d) != sign(lambda), r < 0),
       the solution of (40) satisfies -(2/(3r^2)) ln|theta1 - r| + (1/(3r^2)) ln|theta1^2 + r theta1
       + r^2| + (2 sign(r)/(r^2 sqrt3)) arctan((2 theta1 + r)/(|r| sqrt3)) + C0 = t, with C0 from
       (49); theta1 -> r and theta1 theta2 -> lambda exponentially at rate (3/2) r^2.""",
    Statement({"implicit": Part(F.printed_eq48, "(48)", "(theta1, r) -> F"),
               "rate": Part(F.PRINTED_EQ42_RATE, "(47)", "rate (3/2) r^2")}),
    DM.K0_SIGNS,
    (_implicit48(0, "theta1_0"), _implicit48(1, "theta1_0"),
     _REM13_RATE,
     whole_domain("rate (3/2) r^2 over the whole domain (r of either sign)", W.rem13_proof,
                  _REM13_RATE, W.WHAT),
     Check("four sign cases of (d, lambda)", _rem13_trajectories, samples=n_share(0.5))),
    notes=("with d < 0 the product's direction flips (theta1 theta2 = theta1^3/(2d)); what "
           "holds in every sign case is that theta1 theta2 approaches lambda monotonically",),
    uses=("eq48", "eq42", "eq47"), cost=2.0))


# --- (37), (40), (42), (47), (48) -------------------------------------------------------------
def _conserved_rate(expr: sp.Expr) -> sp.Expr:
    return sp.diff(expr, F.theta1) * F.FLOW[0] + sp.diff(expr, F.theta2) * F.FLOW[1]


def _k_constant(statement, points, run):
    cases = cases_of(points)
    kf = FLOAT.compile([statement["conserved"]], (F.theta1, F.theta2, d))
    tr = simulate(cases, targets(cases)[2], horizon=20.0, m=201)
    what = "K constant along trajectories"
    if not tr.success.all():
        return undecided("K constant along trajectories", Evidence.FLOAT, what,
                         points=len(cases), note="integration failed")
    k = kf(tr.theta1, tr.theta2, tr.d)[0]
    drift = float((np.abs(k - k[0]).max(axis=0) / np.maximum(np.abs(tr.theta2).max(axis=0), 1)
                   ).max())
    return (passed if drift < 1e-8 else undecided)(
        "K constant along trajectories", Evidence.FLOAT, what, points=len(cases),
        measure=Measure("relative drift of K", drift, tolerance=1e-8))


register(Claim(
    "eq37", "The conserved quantity K = theta2 - theta1^2/(2d)", "Appendix A.2, (37)",
    """Along (6), theta2' = theta1 theta1'/d, hence theta2(t) = theta1(t)^2/(2d) + K with
       K = theta2(0) - theta1(0)^2/(2d) constant.""",
    Statement({"conserved": Part(F.PRINTED_K, "(37)", "K")}), DM.GENERAL,
    (identity("dK/dt = 0 along (6)", lambda st: _conserved_rate(st["conserved"]), "dK/dt"),
     Check("K constant along trajectories", _k_constant, samples=n_share(0.25))),
    formulas=(Formula("(37)", "conserved quantity", lambda: sp.latex(F.PRINTED_K)),),
    cost=0.5))

register(Claim(
    "eq40", "Closed equation for theta1 under (7)", "Appendix A.2, (38)-(40)",
    """With theta2(0) = theta0^2/(2d) (K = 0): theta1' = (2 d lambda - theta1^3)/2.""",
    Statement({"reduced": Part(F.PRINTED_EQ40_RHS, "(40)", "theta1' under (7)")}), DM.K0,
    (identity("(6) with (39) reduces to (40)", lambda st: F.RHS0 - st["reduced"],
              "derived theta1' minus (40)"),),
    formulas=(Formula("(40)", "theta1' for K = 0", lambda: sp.latex(F.PRINTED_EQ40_RHS)),),
    uses=("eq37",), cost=0.1))


def _eq42_hp(statement, points, run) -> list[CheckResult]:
    dps = run.profile.dps
    out = []
    for p in points:
        rr = Fraction(p["r"])
        rv = float(rr)
        times = [0] + [k / (1.5 * rv**2) for k in (0.5, 1, 3)]
        thetas = simulate_reduced_mp(F.RHS_R, (r,), (rr,), p["theta1"], times, dps + 10)
        out.append(implicit_hp_check("(42) along an mpmath trajectory",
                                     statement["implicit"](theta1, r), (r,), (rr,), 1, times,
                                     thetas, dps, dps + 10, p))
    return out


register(Claim(
    "eq42", "Implicit solution of (40)", "Appendix A.2, (42)-(43)",
    """For theta0 != r: -(2/(3r^2)) ln|theta1 - r| + (1/(3r^2)) ln(theta1^2 + r theta1 + r^2)
       + (2/(r^2 sqrt3)) arctan((2 theta1 + r)/(r sqrt3)) + C0 = t, C0 = minus the same at theta0.""",
    Statement({"implicit": Part(F.printed_eq42, "(42)", "(theta1, r) -> F")}), DM.R_THETA,
    (implicit("(42) solves (40)", "implicit", (r,), F.RHS_R, 1),
     Check("(42) along an mpmath trajectory", _eq42_hp, samples=hp_count,
           domain=DM.R_THETA_HP, key="eq42/hp")),
    formulas=(Formula("(42)", "implicit solution, K = 0", lambda: sp.latex(
        sp.Eq(F.printed_eq42(theta1, r) + sp.Symbol("C_0"), t))),),
    uses=("eq40",), cost=1.0))


def _g_inf_derived() -> sp.Expr:
    """g(oo) from the implicit solution: ln|theta1 - r| = (3r^2/2)(R(theta1) - F(theta0) - t)."""
    Fx = F.printed_eq42(theta1, r)
    R_part = Fx + sp.Rational(2, 3) / r**2 * sp.log(sp.Abs(theta1 - r))
    return sp.Rational(3, 2) * r**2 * (sp.simplify(R_part.subs(theta1, r))
                                       - F.printed_eq42(theta0, r))


def _eq47_hp(statement, points, run) -> list[CheckResult]:
    dps = run.profile.dps + 5
    arith = MP(dps)
    g = arith.compile([statement["g_inf"]], (theta0, r))
    rate = arith.compile([statement["rate"]], (r,))
    out = []
    for p in points:
        rr = Fraction(p["r"])
        tt = 20 / (1.5 * float(rr) ** 2)
        th = simulate_reduced_mp(F.RHS_R, (r,), (rr,), p["theta1"], [0, tt], dps)[1]
        c = arith.ctx
        rm = arith.convert(rr)
        lhs = c.log(abs(th - rm)) + rate(rm)[0] * arith.convert(tt)
        diff = abs(lhs - g(arith.convert(p["theta1"]), rm)[0])
        out.append((passed if diff < 1e-6 else undecided)(
            "ln|theta1 - r| + (3/2) r^2 t -> g(oo)", Evidence.MP,
            "ln|theta1(t) - r| + rate t -> g(oo)", points=1,
            measure=Measure("difference at (3/2) r^2 t = 20", float(diff), point_str(p), 1e-6),
            note=f"{dps} digits"))
    return out


_EQ47_RATE = rate_check("rate (46)-(47)", "rate", F.derived_rate_at(r, F.RHS_R),
                        lambda p: {r: p["r"]}, lambda p: {"r": p["r"]}, samples=10)
register(Claim(
    "eq47", "Exponential rate (3/2) r^2 under (7)", "Appendix A.2, (45)-(47)",
    """|theta1(t) - r| = exp(-(3/2) r^2 t + g(t)) with g(t) -> (3r^2/2) C0 + (1/2) ln(3 r^2) +
       pi/sqrt(3); hence |theta1 theta2 - lambda| <= C exp(-(3/2) r^2 t).""",
    Statement({"rate": Part(F.PRINTED_EQ42_RATE, "(46)-(47)", "rate"),
               "g_inf": Part(F.G_INF_PRINTED, "(45)", "g(oo) in (theta0, r)")}), DM.R_THETA,
    (_EQ47_RATE,
     whole_domain("rate (46)-(47) over the whole domain", W.eq47_proof, _EQ47_RATE, W.WHAT),
     identity("g(oo) in (45)", lambda st: _g_inf_derived() - st["g_inf"],
              "derived g(oo) minus (45)", at=lambda p: {r: p["r"], theta0: p["theta1"]}),
     Check("ln|theta1 - r| + (3/2) r^2 t -> g(oo)", _eq47_hp, samples=hp_count,
           domain=DM.R_THETA_HP, key="eq47/hp")),
    formulas=(Formula("(47)", "rate", lambda: sp.latex(F.PRINTED_EQ42_RATE)),
              Formula("(45)", "limit of g(t)", lambda: sp.latex(F.G_INF_PRINTED))),
    notes=("g(oo) reading: (3r^2/2) C0 + (1/2) ln(3r^2) + pi/sqrt(3) (the OCR shows '+ sqrt3 +'; "
           "pi/3 lost)",),
    uses=("eq42", "eq37"), cost=1.0))

register(Claim(
    "eq48", "Implicit solution for r in R \\ {0}", "Appendix A.2, Remark 13, (48)-(49)",
    """(48) with sign(r) and |r| solves (40) for r < 0 as well as r > 0.""",
    Statement({"implicit": Part(F.printed_eq48, "(48)", "(theta1, r) -> F")}), DM.R_SIGNED,
    (_implicit48(0, "theta1"), _implicit48(1, "theta1")),
    formulas=(Formula("(48)", "implicit solution, any r != 0", lambda: sp.latex(
        sp.Eq(F.printed_eq48(theta1, r) + sp.Symbol("C_0"), t))),),
    uses=("eq40",), cost=0.3))
