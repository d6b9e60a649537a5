"""Section 2 and Appendix A: every claim about the two-layer flow, in the paper's order.

Each claim's verification function takes its *statement* as a parameter (a small frozen
dataclass, or a SymPy expression), so that tests can pass a mutant through the same checks.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import mpmath as mp
import numpy as np
import sympy as sp

from ...pointwise import sign_check
from ...rates import power_exponent
from ...registry import Formula, RunContext, claim
from ...symbolic import identity_check, implicit_solution_check, reduce_to_zero
from ...verdicts import CheckResult, Counterexample, Outcome, check_all, failed, passed, undecided
from . import formulas as F
from . import matrix  # noqa: F401  (registers prop1, eq4, eq5, eq6 first)
from . import sampling as S
from .checks import flow_checks, implicit_hp_check, power_law_check, rate_statement_check
from .numerics import simulate, simulate_mp, simulate_reduced_mp
from .sampling import ScalarCase

x, d, lam, K = F.x, F.d, F.lam, F.K
RHS0 = F.derived_reduced_rhs().subs(K, 0)          # theta1' when K = 0, derived
PRODUCT_K0 = F.PRINTED_THETA2_OF_THETA1.subs({K: 0, F.theta1: x}) * x  # theta1 theta2 when K = 0


def _fcbrt(q: Fraction) -> float:
    return math.copysign(abs(float(q)) ** (1 / 3), float(q))


def _n(ctx: RunContext, share: float = 1.0) -> int:
    return max(8, int(ctx.profile.samples * share))


# --- K = 0 samples (Theorem 2) ----------------------------------------------------------------
def k0_samples(ctx: RunContext, key: str, n: int) -> list[ScalarCase]:
    """K = 0 cases over many decades of d and lambda, theta0 in every regime around 0 and r,
    including theta0 = r exactly (2 d lambda a perfect cube) and theta0 = 0."""
    rng = ctx.rng(key)
    out: list[ScalarCase] = []
    while len(out) < n:
        dd, ll = S.k0_case(rng)
        if len(out) % 7 == 0:                      # an exactly representable root
            c = S.log_uniform(rng, -1, 1, 100)
            ll = c**3 / (2 * dd)
            out.append(ScalarCase(dd, ll, Fraction(0), c))
        r = Fraction(_fcbrt(2 * dd * ll)).limit_denominator(10**12)
        thetas = S.around(rng, [Fraction(0), r], r) + [Fraction(0)]
        for th in rng.choice(len(thetas), size=min(4, len(thetas)), replace=False):
            out.append(ScalarCase(dd, ll, Fraction(0), thetas[int(th)]))
    return out[:n]


def _pt(c: ScalarCase, **extra) -> dict:
    pt = {d: c.d, lam: c.lam, x: c.theta0, K: c.K}
    pt.update(extra)
    return pt


def _below_k0_root(c: ScalarCase) -> int:
    """+1 if theta0 < r = (2 d lambda)^(1/3), -1 if above, 0 if equal (exact comparison)."""
    v = c.theta0**3 - 2 * c.d * c.lam
    return (v < 0) - (v > 0)


# --- Theorem 2 --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Thm2Statement:
    limit: sp.Expr = F.PRINTED_THM2_ROOT                  # theta1 -> (2 d lambda)^(1/3)
    rate: sp.Expr = F.PRINTED_THM2_RATE                   # (3/2)(2 d lambda)^(2/3)
    product_increasing_below_limit: bool = True


def verify_thm2(ctx: RunContext, st: Thm2Statement = Thm2Statement()) -> Outcome:
    rng = ctx.rng("thm2")
    cases = k0_samples(ctx, "thm2", _n(ctx))
    pts = [_pt(c) for c in cases]
    checks = [
        identity_check("stated limit is an equilibrium of (40)", RHS0.subs(x, st.limit), rng,
                       what="theta1' at the stated limit"),
        identity_check("theta1 theta2 -> lambda at the stated limit",
                       PRODUCT_K0.subs(x, st.limit) - lam, rng),
    ]
    roots = [sp.Poly(RHS0.subs({d: c.d, lam: c.lam}), x).count_roots() for c in cases[:20]]
    checks.append(passed("(40) has exactly one real root", "Sturm count 1 at 20 exact (d, lambda)")
                  if set(roots) == {1} else
                  failed("(40) has exactly one real root", f"root counts {set(roots)}",
                         Counterexample.of({"d": cases[0].d, "lam": cases[0].lam},
                                           "real root count != 1", "Sturm sequence (exact)")))
    r_true = sp.cbrt(2 * d * lam)
    exact_rate = F.derived_rate_at(r_true, RHS0)
    checks.append(rate_statement_check("rate (41)", st.rate, exact_rate, pts[:40],
                                       "stated rate"))
    # monotonicity of the product, certified at exact starting points (theta1 never crosses r)
    dp = sp.diff(PRODUCT_K0, x) * RHS0
    up = 1 if st.product_increasing_below_limit else -1
    below = [p for p, c in zip(pts, cases) if _below_k0_root(c) == 1 and c.theta0 != 0]
    above = [p for p, c in zip(pts, cases) if _below_k0_root(c) == -1 and c.theta0 != 0]
    checks.append(sign_check("product increasing for theta0 < r", dp, up, below,
                             "d/dt theta1 theta2 at t = 0"))
    checks.append(sign_check("product decreasing for theta0 > r", dp, -up, above,
                             "d/dt theta1 theta2 at t = 0"))
    # trajectories
    r_num = np.array([_fcbrt(2 * c.d * c.lam) for c in cases])
    limit_num = sp.lambdify((d, lam), st.limit, "numpy")(
        np.array([float(c.d) for c in cases]), np.array([float(c.lam) for c in cases]))
    rate_num = 1.5 * r_num**2
    stated_num = sp.lambdify((d, lam), st.rate, "numpy")(
        np.array([float(c.d) for c in cases]), np.array([float(c.lam) for c in cases]))
    direction = np.array([up * (_below_k0_root(c) or 1) for c in cases], float)
    checks += flow_checks("trajectories of (6) with (7)", cases,
                          np.broadcast_to(limit_num, r_num.shape), rate_num,
                          np.broadcast_to(stated_num, r_num.shape), rate_num, direction)
    return Outcome(checks, notes=[
        "reading of the rate: (3/2)(2 d lambda)^(2/3), from (46)-(47). Alternative readings of "
        "the OCR 'Ce-2(dλ)31' / 'Ce-3(dλ)31': (3/2)(d lambda)^(2/3) holds but is not sharp; "
        "3 (d lambda)^(2/3) is too fast (fails: 3 > (3/2) 2^(2/3))."])


@claim("thm2", "Two-layer FA with initialisation (7): monotone exponential convergence",
       "Section 2, Theorem 2 = Appendix A.2, Theorem 11, (41)",
       """For every d > 0, lambda > 0 and theta0 in R, with theta1(0) = theta0 and
       theta2(0) = theta0^2/(2d), the solution of (6) has theta1 theta2 -> lambda monotonically
       (increasing if theta0 < r, decreasing if theta0 > r), |theta1 theta2 - lambda| <=
       C exp(-(3/2)(2 d lambda)^(2/3) t), and theta1 -> r = (2 d lambda)^(1/3).""",
       aliases=("thm11",),
       formulas=(Formula("(41)", "rate of Theorem 2", lambda: sp.latex(F.PRINTED_THM2_RATE)),))
def _thm2(ctx: RunContext) -> Outcome:
    return verify_thm2(ctx)


@dataclass(frozen=True)
class Lambda0Statement:
    theta1: sp.Expr = F.PRINTED_LAMBDA0_THETA1
    theta2: sp.Expr = F.PRINTED_LAMBDA0_THETA2
    exponent: sp.Expr = sp.Rational(3, 2)


def lambda0_points(ctx: RunContext, key: str, n: int) -> list[dict]:
    rng = ctx.rng(key)
    pts = []
    for _ in range(n):
        th = S.log_uniform(rng, -1.5, 1.5, 1000) * (1 if rng.random() < 0.5 else -1)
        pts.append({F.theta0: th, d: S.log_uniform(rng, *S.D_EXP, 1000)})
    return pts


def verify_lambda0(ctx: RunContext, st: Lambda0Statement = Lambda0Statement(),
                   key: str = "thm2.lambda_zero") -> Outcome:
    """lambda = 0 and K = 0: the explicit solution and its t^(-3/2) decay (not exponential)."""
    rng = ctx.rng(key)
    rhs = RHS0.subs(lam, 0).subs(x, st.theta1)
    t, th0 = F.t, F.theta0
    pos = sp.Symbol("theta0p", positive=True)
    checks = []
    for sgn in (1, -1):
        sub = {th0: sgn * pos}
        checks.append(identity_check(f"explicit theta1 solves (40) with lambda = 0 (theta0 "
                                     f"{'>' if sgn > 0 else '<'} 0)",
                                     (sp.diff(st.theta1, t) - rhs).subs(sub), rng))
        checks.append(identity_check(f"theta1(0) = theta0 (sign {sgn:+d})",
                                     st.theta1.subs(sub).subs(t, 0) - sgn * pos, rng))
    checks.append(identity_check("theta2 = theta1^2/(2d) (K = 0)",
                                 (st.theta2 - st.theta1**2 / (2 * d)).subs(th0, pos), rng))
    pts = lambda0_points(ctx, key, 6)
    checks.append(power_law_check("|theta1 theta2| <= C t^-a", st.exponent,
                                  st.theta1 * st.theta2, pts))
    # not exponential: t^a |p| -> positive constant for the exact exponent 3/2
    lim = sp.limit(t**sp.Rational(3, 2) * (st.theta1 * st.theta2).subs(th0, pos), t, sp.oo)
    checks.append(passed("decay is not exponential", f"t^(3/2) theta1 theta2 -> {lim} != 0")
                  if lim.is_positive else
                  undecided("decay is not exponential", f"limit {lim}"))
    # trajectories
    cases = [ScalarCase(p[d], Fraction(0), Fraction(0), p[F.theta0])
             for p in lambda0_points(ctx, key + "/sim", _n(ctx, 0.25))]
    tau = np.concatenate([[0.0], np.logspace(-2, 6, 801)])
    rho = np.array([float(c.theta0) ** 2 for c in cases])
    tr = simulate(cases, rho, tau=tau)
    if not tr.success.all():
        checks.append(undecided("trajectories: power-law decay", "integration failed"))
    else:
        est = power_exponent(tr.tau, tr.product, t_from=1e4)
        dev = np.abs(est - 1.5).max()
        checks.append(passed("trajectories: |theta1 theta2| ~ t^-3/2",
                             f"{len(cases)} trajectories, exponent within {dev:.1e} of 3/2")
                      if dev < 0.01 else
                      undecided("trajectories: |theta1 theta2| ~ t^-3/2", f"deviation {dev:.2e}"))
        stated = float(st.exponent)
        checks.append(passed("trajectories: stated exponent <= observed",
                             f"{stated} <= {est.min():.4f}") if stated <= est.min() + 0.01 else
                      undecided("trajectories: stated exponent <= observed",
                                f"{stated} > {est.min():.4f}"))
    return Outcome(checks, notes=["reading: O(t^(-3/2)) ('O(t-2)' with the 3 on the line above); "
                                  "the reading t^(-2) fails: t^2 |theta1 theta2| -> oo."])


@claim("thm2.lambda_zero", "Theorem 2 when lambda = 0: explicit solution, polynomial rate",
       "Appendix A.2, 'Case lambda = 0'",
       """If lambda = 0 (and K = 0), theta1(t) = sign(theta0)/sqrt(t + theta0^-2),
       theta2(t) = 1/(2d (t + theta0^-2)), and theta1 theta2 -> 0 like t^(-3/2), not
       exponentially.""")
def _thm2_l0(ctx: RunContext) -> Outcome:
    return verify_lambda0(ctx)


# --- Lemma 12, Remark 13 ----------------------------------------------------------------------
@dataclass(frozen=True)
class SignStatement:
    """Signs of theta1' on the intervals cut by the equilibria, left to right."""

    signs: tuple[int, ...]


LEM12 = SignStatement((+1, -1))            # theta1' > 0 below r, < 0 above r


def verify_lem12(ctx: RunContext, st: SignStatement = LEM12) -> Outcome:
    cases = k0_samples(ctx, "lem12", _n(ctx, 0.5))
    below = [_pt(c) for c in cases if _below_k0_root(c) == 1]
    above = [_pt(c) for c in cases if _below_k0_root(c) == -1]
    return Outcome([sign_check("theta1' for theta0 < r", RHS0, st.signs[0], below, "theta1'(0)"),
                    sign_check("theta1' for theta0 > r", RHS0, st.signs[1], above, "theta1'(0)")])


@claim("lem12", "theta1 is monotone (K = 0)", "Appendix A.2, Lemma 12",
       """Under (7): theta1' < 0 if theta0 > r and theta1' > 0 if theta0 < r, r = (2 d lambda)^(1/3);
       hence theta1 is monotone and bounded.""")
def _lem12(ctx: RunContext) -> Outcome:
    return verify_lem12(ctx)


RNEG, RPOS = sp.Symbol("r", negative=True), sp.Symbol("r", positive=True)
RHS_R = RHS0.subs(lam, F.r**3 / (2 * d))   # (r^3 - x^3)/2: (40) with 2 d lambda = r^3


def verify_rem13(ctx: RunContext, implicit=F.printed_eq48) -> Outcome:
    rng = ctx.rng("rem13")
    checks = []
    for rr, label in ((RNEG, "r < 0"), (RPOS, "r > 0")):
        checks.append(implicit_solution_check(f"(48) solves (40), {label}", implicit(x, rr), x,
                                              RHS_R.subs(F.r, rr), 1, rng))
    # the four sign cases of (d, lambda): simulate and check convergence, rate, monotone approach
    cases = []
    crng = ctx.rng("rem13/sim")
    for i in range(_n(ctx, 0.5)):
        sd, sl = (1, 1, -1, -1)[i % 4], (1, -1, 1, -1)[i % 4]
        dd, ll = S.k0_case(crng)
        dd, ll = sd * dd, sl * ll
        rr = Fraction(_fcbrt(2 * dd * ll)).limit_denominator(10**12)
        ths = S.around(crng, [Fraction(0), rr], abs(rr))
        cases.append(ScalarCase(dd, ll, Fraction(0), ths[int(crng.integers(len(ths)))]))
    r_num = np.array([_fcbrt(2 * c.d * c.lam) for c in cases])
    rate = 1.5 * r_num**2
    p0 = np.array([float(c.theta0**3 / (2 * c.d)) for c in cases])
    lamv = np.array([float(c.lam) for c in cases])
    direction = np.where(p0 <= lamv, 1.0, -1.0)
    checks += flow_checks("four sign cases of (d, lambda)", cases, r_num, rate, rate, rate,
                          direction)
    return Outcome(checks, notes=[
        "with d < 0 the product's direction flips (theta1 theta2 = theta1^3/(2d)); what holds "
        "in every sign case is that theta1 theta2 approaches lambda monotonically"])


@claim("rem13", "Theorem 2's calculations for r, lambda in R \\ {0}", "Appendix A.2, Remark 13, "
       "(48)-(49)",
       """For any real r = (2 d lambda)^(1/3) != 0 (in particular sign(d) != sign(lambda), r < 0),
       the solution of (40) satisfies -(2/(3r^2)) ln|theta1 - r| + (1/(3r^2)) ln|theta1^2 + r theta1
       + r^2| + (2 sign(r)/(r^2 sqrt3)) arctan((2 theta1 + r)/(|r| sqrt3)) + C0 = t, with C0 from
       (49); theta1 -> r and theta1 theta2 -> lambda exponentially at rate (3/2) r^2.""")
def _rem13(ctx: RunContext) -> Outcome:
    return verify_rem13(ctx)


# --- (37), (40), (42), (47) -------------------------------------------------------------------
def general_cases(ctx: RunContext, key: str, n: int, lam_zero: bool = False) -> list[ScalarCase]:
    """Independent initial values (theta1(0), theta2(0)) in boxes of several sizes."""
    rng = ctx.rng(key)
    out = []
    for _ in range(n):
        dd, ll = S.k0_case(rng)
        if lam_zero:
            ll = Fraction(0)
        scale = abs(_fcbrt(2 * dd * ll)) if ll else 1.0
        R = scale * float(10 ** rng.uniform(-0.5, 1.0))
        th1 = S.uniform(rng, -R, R)
        th2 = S.uniform(rng, -R, R) * (Fraction(float(ll) / scale).limit_denominator(10**6)
                                       if ll else 1)
        out.append(ScalarCase(dd, ll, th2 - th1**2 / (2 * dd), th1))
    return out


def verify_eq37(ctx: RunContext, conserved: sp.Expr = F.PRINTED_K) -> Outcome:
    rng = ctx.rng("eq37")
    grad = [sp.diff(conserved, v) for v in (F.theta1, F.theta2)]
    rate = grad[0] * F.FLOW[0] + grad[1] * F.FLOW[1]
    checks = [identity_check("dK/dt = 0 along (6)", rate, rng, what="dK/dt")]
    cases = general_cases(ctx, "eq37/sim", _n(ctx, 0.25))
    kf = sp.lambdify((F.theta1, F.theta2, d), conserved, "numpy")
    tr = simulate(cases, targets(cases)[2], horizon=20.0, m=201)
    if not tr.success.all():
        checks.append(undecided("K constant along trajectories", "integration failed"))
    else:
        k = kf(tr.theta1, tr.theta2, tr.d)
        drift = (np.abs(k - k[0]).max(axis=0) / np.maximum(np.abs(tr.theta2).max(axis=0), 1)).max()
        checks.append(passed("K constant along trajectories", f"max drift {drift:.1e}")
                      if drift < 1e-8 else
                      undecided("K constant along trajectories", f"drift {drift:.1e} "
                                "(numerical; the symbolic check decides)"))
    return Outcome(checks)


@claim("eq37", "The conserved quantity K = theta2 - theta1^2/(2d)", "Appendix A.2, (37)",
       """Along (6), theta2' = theta1 theta1'/d, hence theta2(t) = theta1(t)^2/(2d) + K with
       K = theta2(0) - theta1(0)^2/(2d) constant.""",
       formulas=(Formula("(37)", "conserved quantity", lambda: sp.latex(F.PRINTED_K)),))
def _eq37(ctx: RunContext) -> Outcome:
    return verify_eq37(ctx)


def verify_eq40(ctx: RunContext, printed: sp.Expr = F.PRINTED_EQ40_RHS) -> Outcome:
    rng = ctx.rng("eq40")
    return Outcome([identity_check("(6) with (39) reduces to (40)", RHS0 - printed, rng,
                                   what="derived theta1' minus (40)")])


@claim("eq40", "Closed equation for theta1 under (7)", "Appendix A.2, (38)-(40)",
       """With theta2(0) = theta0^2/(2d) (K = 0): theta1' = (2 d lambda - theta1^3)/2.""",
       formulas=(Formula("(40)", "theta1' for K = 0", lambda: sp.latex(F.PRINTED_EQ40_RHS)),))
def _eq40(ctx: RunContext) -> Outcome:
    return verify_eq40(ctx)


def _k0_hp_cases(ctx: RunContext, key: str) -> list[ScalarCase]:
    rng = ctx.rng(key)
    out = []
    for i in range(max(1, ctx.profile.hp_samples // 2)):
        dd, ll = S.k0_case(rng, (-1, 1), (-1, 1))
        r = Fraction(_fcbrt(2 * dd * ll)).limit_denominator(1000)
        out.append(ScalarCase(dd, ll, Fraction(0), (-3 * r) if i % 2 else (3 * r)))
    return out


def verify_eq42(ctx: RunContext, implicit=F.printed_eq42) -> Outcome:
    rng = ctx.rng("eq42")
    checks = [implicit_solution_check("(42) solves (40)", implicit(x, F.r), x, RHS_R, 1, rng)]
    for c in _k0_hp_cases(ctx, "eq42/hp"):
        rv = _fcbrt(2 * c.d * c.lam)
        f = sp.lambdify((x, F.r), implicit(x, F.r), "mpmath")

        def g(th, c=c):
            return f(th, mp.cbrt(2 * mp.mpf(c.d.numerator) / c.d.denominator
                                 * mp.mpf(c.lam.numerator) / c.lam.denominator))
        times = [0] + [k / (1.5 * rv**2) for k in (0.5, 1, 3)]
        checks.append(implicit_hp_check(f"(42) along an mpmath trajectory (theta0 = {c.theta0})",
                                        c, g, mp.mpf(1), times, ctx.profile.dps))
    return Outcome(checks)


@claim("eq42", "Implicit solution of (40)", "Appendix A.2, (42)-(43)",
       """For theta0 != r: -(2/(3r^2)) ln|theta1 - r| + (1/(3r^2)) ln(theta1^2 + r theta1 + r^2)
       + (2/(r^2 sqrt3)) arctan((2 theta1 + r)/(r sqrt3)) + C0 = t, C0 = minus the same at theta0.""",
       formulas=(Formula("(42)", "implicit solution, K = 0", lambda: sp.latex(
           sp.Eq(F.printed_eq42(F.theta1, F.r) + sp.Symbol("C_0"), F.t))),))
def _eq42(ctx: RunContext) -> Outcome:
    return verify_eq42(ctx)


G_INF_PRINTED = (sp.Rational(3, 2) * F.r**2 * (-F.printed_eq42(F.theta0, F.r))
                 + sp.log(3 * F.r**2) / 2 + sp.pi / sp.sqrt(3))       # (45): g(oo), C0 = -F(theta0)


def verify_eq47(ctx: RunContext, rate: sp.Expr = F.PRINTED_EQ42_RATE,
                g_inf: sp.Expr = G_INF_PRINTED) -> Outcome:
    rng = ctx.rng("eq47")
    exact = F.derived_rate_at(F.r, RHS_R)
    pts = [{F.r: S.log_uniform(rng, -2, 2)} for _ in range(10)]
    checks = [rate_statement_check("rate (46)-(47)", rate, exact, pts, "stated rate")]
    # g(oo) derived from the implicit solution: ln|theta1 - r| = (3r^2/2)(R(theta1) - F(theta0) - t)
    Fx = F.printed_eq42(x, F.r)
    R_part = Fx + sp.Rational(2, 3) / F.r**2 * sp.log(sp.Abs(x - F.r))
    derived = sp.Rational(3, 2) * F.r**2 * (sp.simplify(R_part.subs(x, F.r))
                                            - F.printed_eq42(F.theta0, F.r))
    checks.append(identity_check("g(oo) in (45)", derived - g_inf, rng))
    # high precision: |theta1(t) - r| e^{(3/2) r^2 t} -> e^{g(oo)}
    gf = sp.lambdify((F.theta0, F.r), g_inf, "mpmath")
    for c in _k0_hp_cases(ctx, "eq47/hp"):
        rv = _fcbrt(2 * c.d * c.lam)
        tt = 20 / (1.5 * rv**2)
        vals = simulate_mp(c, [0, tt], ctx.profile.dps + 5)
        with mp.workdps(ctx.profile.dps + 5):
            rm = mp.cbrt(2 * mp.mpf(c.d.numerator) / c.d.denominator * mp.mpf(c.lam.numerator)
                         / c.lam.denominator)
            th0 = mp.mpf(c.theta0.numerator) / c.theta0.denominator
            lhs = mp.log(abs(vals[1][0] - rm)) + mp.mpf(3) / 2 * rm**2 * tt
            diff = abs(lhs - gf(th0, rm))
        ok = diff < 1e-6
        checks.append((passed if ok else undecided)(
            f"ln|theta1 - r| + (3/2) r^2 t -> g(oo) (theta0 = {c.theta0})",
            f"difference {mp.nstr(diff, 3)} (< 1e-6) at (3/2) r^2 t = 20, "
            f"{ctx.profile.dps + 5} digits"))
    return Outcome(checks, notes=["g(oo) reading: (3r^2/2) C0 + (1/2) ln(3r^2) + pi/sqrt(3) "
                                  "(the OCR shows '+ sqrt3 +'; pi/3 lost)"])


@claim("eq47", "Exponential rate (3/2) r^2 under (7)", "Appendix A.2, (45)-(47)",
       """|theta1(t) - r| = exp(-(3/2) r^2 t + g(t)) with g(t) -> (3r^2/2) C0 + (1/2) ln(3 r^2) +
       pi/sqrt(3); hence |theta1 theta2 - lambda| <= C exp(-(3/2) r^2 t).""",
       formulas=(Formula("(47)", "rate", lambda: sp.latex(F.PRINTED_EQ42_RATE)),
                 Formula("(45)", "limit of g(t)", lambda: sp.latex(G_INF_PRINTED))))
def _eq47(ctx: RunContext) -> Outcome:
    return verify_eq47(ctx)


@claim("eq48", "Implicit solution for r in R \\ {0}", "Appendix A.2, Remark 13, (48)-(49)",
       """(48) with sign(r) and |r| solves (40) for r < 0 as well as r > 0.""",
       formulas=(Formula("(48)", "implicit solution, any r != 0", lambda: sp.latex(
           sp.Eq(F.printed_eq48(F.theta1, F.r) + sp.Symbol("C_0"), F.t))),))
def _eq48(ctx: RunContext) -> Outcome:
    rng = ctx.rng("eq48")
    return Outcome([implicit_solution_check(f"(48) solves (40), {label}", F.printed_eq48(x, rr),
                                            x, RHS_R.subs(F.r, rr), 1, rng)
                    for rr, label in ((RNEG, "r < 0"), (RPOS, "r > 0"))])


# --- Theorem 3 and its cases ------------------------------------------------------------------
def _P(c: ScalarCase, th: Fraction) -> Fraction:
    return th**3 + 2 * c.d * c.K * th - 2 * c.d * c.lam


def _float_roots(c: ScalarCase) -> list[float]:
    if c.roots:
        return sorted(float(r) for r in c.roots)
    rts = np.roots([1.0, 0.0, float(2 * c.d * c.K), float(-2 * c.d * c.lam)])
    return sorted(float(z.real) for z in rts if abs(z.imag) <= 1e-9 * max(1.0, abs(z)))


def targets(cases: list[ScalarCase]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(limit root, exact rate there, time scale) per case; the side is decided exactly."""
    tgt, rate, rho = [], [], []
    for c in cases:
        roots = _float_roots(c)
        pv = _P(c, c.theta0)
        if pv == 0:
            tg = float(c.theta0)
        elif pv > 0:
            tg = max([r for r in roots if r < c.theta0] or [min(roots)])
        else:
            tg = min([r for r in roots if r > c.theta0] or [max(roots)])
        dP = lambda z: 3 * z * z + 2 * float(c.d * c.K)
        tgt.append(tg)
        rate.append(dP(tg) / 2)
        rates = [abs(dP(r)) / 2 for r in roots if abs(dP(r)) > 1e-12 * max(1, r * r)]
        rho.append(min(rates))
    return np.array(tgt), np.array(rate), np.array(rho)


def verify_thm3(ctx: RunContext) -> Outcome:
    """The umbrella of Theorem 3: (54), the product at every root, and arbitrary initial values."""
    rng = ctx.rng("thm3")
    checks = [identity_check("(6) with (37) reduces to (54)",
                             F.derived_reduced_rhs() - F.PRINTED_EQ54_RHS, rng),
              identity_check("theta1 theta2 - lambda = P(theta1)/(2d) on the parabola (37)",
                             F.PRINTED_THETA2_OF_THETA1.subs(F.theta1, x) * x - lam
                             - F.derived_cubic().as_expr() / (2 * d), rng)]
    cases = general_cases(ctx, "thm3/sim", _n(ctx))
    tgt, rate, rho = targets(cases)
    checks += flow_checks("independent initial values", cases, tgt, rate, None, rho)
    tr = simulate(cases, rho)
    if tr.success.all():
        th0 = np.array([float(c.theta0) for c in cases])
        bound = np.maximum(np.abs(th0), np.abs(tgt)) * (1 + 1e-9) + 1e-12
        over = (np.abs(tr.theta1).max(axis=0) > bound).sum()
        checks.append(passed("theta1 stays between theta0 and its limit (bounded)",
                             f"{len(cases)} trajectories") if over == 0 else
                      undecided("theta1 stays between theta0 and its limit (bounded)",
                                f"{over} trajectories exceed the bound (numerical)"))
    disc = [F.PRINTED_EQ55.subs({d: c.d, lam: c.lam, K: c.K}) for c in cases]
    n0 = sum(1 for v in disc if v == 0)
    checks.append(passed("generic initial values have Delta != 0 (exponential case)",
                         f"{len(cases) - n0} of {len(cases)} samples, exactly")
                  if n0 == 0 else undecided("generic initial values have Delta != 0",
                                            f"{n0} samples with Delta = 0"))
    return Outcome(checks)


@claim("thm3", "Two-layer FA from any initial values: bounded, convergent, exponential a.e.",
       "Section 2, Theorem 3; proof in Appendix A.3",
       """For any d > 0 (lambda > 0) and any theta1(0), theta2(0), (6) has a unique global solution,
       theta1, theta2 are bounded, theta1 theta2 -> lambda, and the rate is exponential except for
       a Lebesgue-null set of initial values.""")
def _thm3(ctx: RunContext) -> Outcome:
    return verify_thm3(ctx)


# Delta > 0 --------------------------------------------------------------------------------------
P_ROOTS3 = (x - F.r1) * (x - F.r2) * (x - F.r3)
RHS_ROOTS3 = -P_ROOTS3 / 2


def delta_pos_cases(ctx: RunContext, key: str, n: int, spread: float = 1.5
                    ) -> list[ScalarCase]:
    rng = ctx.rng(key)
    out = []
    while len(out) < n:
        dd, ll, kk, roots = S.delta_pos_family(rng, spread)
        ths = S.around(rng, list(roots), roots[2] - roots[0])
        for i in rng.choice(len(ths), size=min(4, len(ths)), replace=False):
            out.append(ScalarCase(dd, ll, kk, ths[int(i)], roots))
    return out[:n]


def trig_roots_check(rng) -> CheckResult:
    """The trigonometric form of the three real roots (p = 2dK < 0, q = -2 d lambda)."""
    p = -sp.Symbol("mp", positive=True)      # p < 0
    q = sp.Symbol("q", real=True)
    phi = sp.Symbol("phi", real=True)
    A = 2 * sp.sqrt(-p / 3)
    cubic = lambda z: z**3 + p * z + q
    step1 = identity_check("P(A cos phi) = 2(-p/3)^(3/2) cos 3phi + q",
                           sp.expand_trig(cubic(A * sp.cos(phi))
                                          - 2 * (-p / 3) ** sp.Rational(3, 2) * sp.cos(3 * phi) - q),
                           rng)
    z = 3 * q / (2 * p) * sp.sqrt(-3 / p)
    step2 = check_all("cos(3 phi_k) = (3q/2p) sqrt(-3/p), k = 0, 1, 2", [
        identity_check(f"k = {k}", sp.cos(3 * (sp.acos(z) / 3 - 2 * sp.pi * k / 3)) - z, rng)
        for k in range(3)])
    step3 = identity_check("2(-p/3)^(3/2) z + q = 0", 2 * (-p / 3) ** sp.Rational(3, 2) * z + q,
                           rng)
    return check_all("trigonometric roots solve the cubic", [step1, step2, step3])


def verify_delta_pos(ctx: RunContext, rate_r3: sp.Expr = F.PRINTED_EQ61_RATE_R3,
                     rate_r1: sp.Expr = F.PRINTED_EQ61_RATE_R1, implicit=F.printed_eq56
                     ) -> Outcome:
    rng = ctx.rng("thm3.delta_pos")
    cases = delta_pos_cases(ctx, "thm3.delta_pos", _n(ctx))
    fam = {(c.d, c.lam, c.K): c for c in cases}
    checks = []
    bad = [c for c in fam.values()
           if not (F.PRINTED_EQ55.subs({d: c.d, lam: c.lam, K: c.K}) > 0 and c.K < 0
                   and sp.Poly(F.derived_cubic().as_expr().subs({d: c.d, lam: c.lam, K: c.K}), x
                               ).count_roots() == 3)]
    checks.append(passed("Delta > 0, K < 0 and three real roots", f"{len(fam)} exact families")
                  if not bad else
                  failed("Delta > 0, K < 0 and three real roots", "a family breaks it",
                         Counterexample.of({"d": bad[0].d, "lam": bad[0].lam, "K": bad[0].K},
                                           "Delta > 0 without three real roots or K >= 0",
                                           "exact rational arithmetic, Sturm count")))
    checks.append(trig_roots_check(rng))
    checks.append(implicit_solution_check("(56) solves (54)", implicit(x, F.r1, F.r2, F.r3), x,
                                          RHS_ROOTS3, -sp.Rational(1, 2), rng))
    rpts = [{F.r1: c.roots[0], F.r2: c.roots[1], F.r3: c.roots[2]} for c in fam.values()][:20]
    checks.append(rate_statement_check("rate (60)-(61) towards r3", rate_r3,
                                       F.derived_rate_at(F.r3, RHS_ROOTS3), rpts, "stated rate"))
    checks.append(rate_statement_check("rate towards r1", rate_r1,
                                       F.derived_rate_at(F.r1, RHS_ROOTS3), rpts, "stated rate"))
    tgt, rate, rho = targets(cases)
    f3 = sp.lambdify((F.r1, F.r2, F.r3), rate_r3, "numpy")
    f1 = sp.lambdify((F.r1, F.r2, F.r3), rate_r1, "numpy")
    R = np.array([[float(v) for v in c.roots] for c in cases])
    stated = np.where(np.isclose(tgt, R[:, 2]), f3(*R.T), np.where(np.isclose(tgt, R[:, 0]),
                                                                    f1(*R.T), 0.0))
    checks += flow_checks("trajectories, Delta > 0", cases, tgt, rate, stated, rho)
    # high precision: theta0 = r2 +- e^-delta, far below double resolution
    hrng = ctx.rng("thm3.delta_pos/hp")
    for i in range(ctx.profile.hp_samples):
        # a well-conditioned family (roots within a decade): the point here is the e^-delta start
        c = delta_pos_cases(ctx, f"thm3.delta_pos/hp{i}", 1, spread=0.5)[0]
        sgn = 1 if i % 2 == 0 else -1
        delta = 40
        r1v, r2v, r3v = (float(v) for v in c.roots)
        t_esc = 2 * delta / ((r3v - r2v) * (r2v - r1v))
        t_conv = 30 / min((r3v - r2v) * (r3v - r1v), (r3v - r1v) * (r2v - r1v))
        times = [0, t_esc, t_esc + t_conv]
        g = sp.lambdify((x, F.r1, F.r2, F.r3), implicit(x, F.r1, F.r2, F.r3), "mpmath")
        exact = c.roots
        case = ScalarCase(c.d, c.lam, c.K, c.roots[1], c.roots)
        th0 = lambda sgn=sgn: (mp.mpf(case.roots[1].numerator) / case.roots[1].denominator
                                      + sgn * mp.exp(-delta))
        # the start is amplified by e^delta on the way out: delta/ln 10 more digits
        hp_dps = ctx.profile.dps + int(delta / math.log(10)) + 1
        vals = simulate_reduced_mp(case, times, hp_dps + 5, theta0=th0)
        res = implicit_hp_check(f"(56) from theta0 = r2 {'+' if sgn > 0 else '-'} e^-{delta}",
                                case, lambda th, rts=exact: g(th, *[mp.mpf(v.numerator) /
                                                                     v.denominator for v in rts]),
                                mp.mpf(-1) / 2, times, ctx.profile.dps, vals=vals,
                                work=hp_dps + 5)
        checks.append(res)
        end = vals[-1][0]
        goal = c.roots[2] if sgn > 0 else c.roots[0]
        ok = abs(float(end) - float(goal)) < 1e-6 * max(1, abs(float(goal)))
        checks.append((passed if ok else undecided)(
            f"r2 repels: theta0 = r2 {'+' if sgn > 0 else '-'} e^-{delta} -> "
            f"{'r3' if sgn > 0 else 'r1'}", f"theta1(T) = {mp.nstr(end, 12)}, root {float(goal)}"))
    return Outcome(checks)


@claim("thm3.delta_pos", "Theorem 3, case Delta > 0: three real roots", "Appendix A.3, (56)-(61)",
       """If Delta > 0 then K < 0 and P(x) = x^3 + 2dKx - 2d lambda has roots r1 < r2 < r3; theta1
       -> r3 for theta0 > r2 and -> r1 for theta0 < r2, with |theta1 - r3| = exp(-(r3-r2)(r3-r1)t/2
       + O(1)) and |theta1 theta2 - lambda| <= C exp(-(r3-r2)(r3-r1)t/2) (and (r3-r1)(r2-r1)/2 for
       r1).""")
def _thm3_pos(ctx: RunContext) -> Outcome:
    return verify_delta_pos(ctx)


@dataclass(frozen=True)
class Lem14Statement:
    signs: tuple[int, int, int, int] = (+1, -1, +1, -1)   # on (-oo,r1), (r1,r2), (r2,r3), (r3,oo)


def verify_lem14(ctx: RunContext, st: Lem14Statement = Lem14Statement()) -> Outcome:
    cases = delta_pos_cases(ctx, "lem14", _n(ctx, 0.5))
    rhs = F.derived_reduced_rhs()
    groups: list[list[dict]] = [[], [], [], []]
    for c in cases:
        side = sum(1 for r in c.roots if c.theta0 > r)
        if c.theta0 not in c.roots:
            groups[side].append(_pt(c))
    names = ["(-oo, r1)", "(r1, r2)", "(r2, r3)", "(r3, oo)"]
    return Outcome([sign_check(f"theta1' on {nm}", rhs, sgn, g, "theta1'(0)")
                    for nm, sgn, g in zip(names, st.signs, groups)])


@claim("lem14", "Monotonicity when Delta > 0", "Appendix A.3, Lemma 14, (58)-(59)",
       """theta1' < 0 if theta0 in (r1, r2) or (r3, oo); theta1' > 0 if theta0 in (-oo, r1) or
       (r2, r3). Hence r1, r3 attract, r2 repels, and theta1 is bounded.""")
def _lem14(ctx: RunContext) -> Outcome:
    return verify_lem14(ctx)


@claim("eq56", "Implicit solution when Delta > 0", "Appendix A.3, (56)-(57) = (95)-(96)",
       """ln|theta1-r3|/((r3-r2)(r3-r1)) - ln|theta1-r2|/((r3-r2)(r2-r1)) + ln|theta1-r1|/((r3-r1)
       (r2-r1)) + C0 = -t/2, C0 = minus the same at theta0.""",
       formulas=(Formula("(56)", "implicit solution, Delta > 0", lambda: sp.latex(sp.Eq(
           F.printed_eq56(F.theta1, F.r1, F.r2, F.r3) + sp.Symbol("C_0"), -F.t / 2))),))
def _eq56(ctx: RunContext) -> Outcome:
    rng = ctx.rng("eq56")
    return Outcome([implicit_solution_check("(56) solves (54)", F.printed_eq56(x, F.r1, F.r2, F.r3),
                                            x, RHS_ROOTS3, -sp.Rational(1, 2), rng)],
                   notes=["the OCR loses the signs between the three logarithms; the reading "
                          "+, -, + is the only one that solves (54) (all '+' fails)"])


@claim("eq61", "Exponential rates when Delta > 0", "Appendix A.3, (60)-(61)",
       """|theta1 theta2 - lambda| <= C exp(-(r3-r2)(r3-r1) t/2) when theta1 -> r3, and with
       (r3-r1)(r2-r1)/2 when theta1 -> r1.""",
       formulas=(Formula("(61)", "rate towards r3", lambda: sp.latex(F.PRINTED_EQ61_RATE_R3)),))
def _eq61(ctx: RunContext) -> Outcome:
    rng = ctx.rng("eq61")
    pts = [{F.r1: c.roots[0], F.r2: c.roots[1], F.r3: c.roots[2]}
           for c in delta_pos_cases(ctx, "eq61", 20)]
    return Outcome([rate_statement_check("rate towards r3", F.PRINTED_EQ61_RATE_R3,
                                         F.derived_rate_at(F.r3, RHS_ROOTS3), pts, "stated rate"),
                    rate_statement_check("rate towards r1", F.PRINTED_EQ61_RATE_R1,
                                         F.derived_rate_at(F.r1, RHS_ROOTS3), pts, "stated rate")])


# Delta < 0 --------------------------------------------------------------------------------------
RHS_ROOT1 = sp.factor(F.derived_reduced_rhs().subs(K, F.derived_k_from_root(F.r)))


def delta_neg_cases(ctx: RunContext, key: str, n: int) -> list[ScalarCase]:
    rng = ctx.rng(key)
    out = []
    while len(out) < n:
        dd, ll, kk, r = S.delta_neg_family(rng)
        ths = S.around(rng, [r], r)
        for i in rng.choice(len(ths), size=min(4, len(ths)), replace=False):
            out.append(ScalarCase(dd, ll, kk, ths[int(i)], (r,)))
    return out[:n]


def cardano_proof(rng, root: sp.Expr = F.PRINTED_EQ62) -> CheckResult:
    """(62) solves the cubic: with a^3 = d lambda + s, b^3 = d lambda - s, s^2 = d^2 lambda^2 +
    8 d^3 K^3/27 and (ab)^3 = -(2dK/3)^3 (so ab = -2dK/3, real cube roots), P(a + b) reduces to 0."""
    a, b, s = sp.symbols("a b s", real=True)
    sq = sp.sqrt(d**2 * lam**2 + 8 * d**3 * K**3 / 27)
    pattern = root.subs(sq, s)
    from ...intervals import real_cbrt
    candidate = pattern.subs({real_cbrt(d * lam + s): a, real_cbrt(d * lam - s): b})
    if candidate.free_symbols & {s}:
        return undecided("(62) solves the cubic", "the root is not of Cardano's form a + b")
    rel = [a**3 - (d * lam + s), b**3 - (d * lam - s), a * b + 2 * d * K / 3]
    poly = sp.expand(F.derived_cubic().as_expr().subs(x, candidate))
    _, rem = sp.reduced(poly, rel, a, b, s)
    cube = sp.expand((d * lam + s) * (d * lam - s) - (-2 * d * K / 3) ** 3)
    cube = sp.expand(cube.subs(s**2, sq**2))
    if sp.expand(rem) == 0 and cube == 0:
        return passed("(62) solves the cubic", "P(a + b) reduces to 0 modulo the defining "
                                               "relations (exact polynomial division)")
    return identity_check("(62) solves the cubic", F.derived_cubic().as_expr().subs(x, root), rng)


def verify_eq62(ctx: RunContext, root: sp.Expr = F.PRINTED_EQ62) -> Outcome:
    rng = ctx.rng("eq62")
    checks = [cardano_proof(rng, root)]
    fams = {(c.d, c.lam, c.K): c.roots[0] for c in delta_neg_cases(ctx, "eq62", 40)}
    from ... import intervals
    bad = None
    for (dd, ll, kk), r in fams.items():
        if intervals.certify_sign(root - r, {d: dd, lam: ll, K: kk}) is not None:
            bad = (dd, ll, kk, r)
            break
    checks.append(passed("ball of (62) contains the exact root", f"{len(fams)} exact families")
                  if bad is None else
                  failed("ball of (62) contains the exact root", "certified different",
                         Counterexample.of({"d": bad[0], "lam": bad[1], "K": bad[2]},
                                           f"(62) != exact root {bad[3]}",
                                           "ball arithmetic (python-flint arb)")))
    f = sp.lambdify((d, lam, K), root, "mpmath")
    worst = mp.mpf(0)
    with mp.workdps(ctx.profile.dps + 10):
        for (dd, ll, kk), r in list(fams.items())[:10]:
            v = f(mp.mpf(dd.numerator) / dd.denominator, mp.mpf(ll.numerator) / ll.denominator,
                  mp.mpf(kk.numerator) / kk.denominator)
            worst = max(worst, abs(v - mp.mpf(r.numerator) / r.denominator))
    checks.append((passed if worst < mp.mpf(10) ** -ctx.profile.dps else undecided)(
        f"(62) with mpmath at {ctx.profile.dps + 10} digits", f"max error {mp.nstr(worst, 3)}"))
    return Outcome(checks)


@claim("eq62", "Cardano's formula for the real root when Delta < 0", "Appendix A.3, (62)",
       """r = cbrt(d lambda + sqrt(d^2 lambda^2 + 8 d^3 K^3/27)) + cbrt(d lambda - sqrt(d^2 lambda^2
       + 8 d^3 K^3/27)) is the real root of x^3 + 2dKx - 2d lambda.""",
       formulas=(Formula("(62)", "Cardano root", lambda: sp.latex(F.PRINTED_EQ62)),))
def _eq62(ctx: RunContext) -> Outcome:
    return verify_eq62(ctx)


def verify_eq63(ctx: RunContext, implicit=F.printed_eq63) -> Outcome:
    rng = ctx.rng("eq63")
    return Outcome([implicit_solution_check("(63) solves (54)", implicit(x, F.r), x, RHS_ROOT1,
                                            -sp.Rational(1, 2), rng)],
                   notes=["the OCR of (63)'s arctan coefficient is unreadable; the suite checks the "
                          "partial-fraction form with s = sqrt((8 d lambda - r^3)/r), which is "
                          "real because Delta < 0 forces r^3 < 8 d lambda"])


@claim("eq63", "Implicit solution when Delta < 0", "Appendix A.3, (63)",
       """With r the real root: r/(2(r^3+d lambda)) ln|theta1 - r| - r/(4(r^3+d lambda))
       ln(theta1^2 + r theta1 + 2 d lambda/r) - 3r^2/(2(r^3+d lambda) s) arctan((2 theta1 + r)/s)
       + C0 = -t/2, s = sqrt((8 d lambda - r^3)/r).""",
       formulas=(Formula("(63)", "implicit solution, Delta < 0", lambda: sp.latex(sp.Eq(
           F.printed_eq63(F.theta1, F.r) + sp.Symbol("C_0"), -F.t / 2))),))
def _eq63(ctx: RunContext) -> Outcome:
    return verify_eq63(ctx)


def verify_delta_neg(ctx: RunContext, rate: sp.Expr = F.PRINTED_EQ64_RATE) -> Outcome:
    rng = ctx.rng("thm3.delta_neg")
    cases = delta_neg_cases(ctx, "thm3.delta_neg", _n(ctx))
    fams = {(c.d, c.lam, c.K): c for c in cases}
    bad = [c for c in fams.values()
           if not (F.PRINTED_EQ55.subs({d: c.d, lam: c.lam, K: c.K}) < 0
                   and sp.Poly(F.derived_cubic().as_expr().subs({d: c.d, lam: c.lam, K: c.K}), x
                               ).count_roots() == 1)]
    checks = [passed("Delta < 0 and exactly one real root", f"{len(fams)} exact families")
              if not bad else
              failed("Delta < 0 and exactly one real root", "a family breaks it",
                     Counterexample.of({"d": bad[0].d, "lam": bad[0].lam, "K": bad[0].K},
                                       "Delta < 0 but not one real root", "Sturm count (exact)"))]
    pts = [{F.r: c.roots[0], d: c.d, lam: c.lam} for c in fams.values()][:20]
    checks.append(rate_statement_check("rate (64)", rate.subs(x, F.r),
                                       F.derived_rate_at(F.r, RHS_ROOT1), pts, "stated rate"))
    tgt, ex_rate, rho = targets(cases)
    fr = sp.lambdify((x, d, lam), rate, "numpy")
    stated = fr(tgt, np.array([float(c.d) for c in cases]), np.array([float(c.lam) for c in cases]))
    checks += flow_checks("trajectories, Delta < 0", cases, tgt, ex_rate, stated, rho)
    return Outcome(checks)


@claim("thm3.delta_neg", "Theorem 3, case Delta < 0: one real root", "Appendix A.3, (62)-(64)",
       """If Delta < 0 the cubic has one real root r (62); theta1 -> r for every theta0 and
       |theta1 theta2 - lambda| <= C exp(-((r^3 + d lambda)/r) t).""")
def _thm3_neg(ctx: RunContext) -> Outcome:
    return verify_delta_neg(ctx)


@claim("eq64", "Exponential rate when Delta < 0", "Appendix A.3, (64)",
       """|theta1 theta2 - lambda| <= C exp(-((r^3 + d lambda)/r) t), r the real root.""",
       formulas=(Formula("(64)", "rate, Delta < 0", lambda: sp.latex(F.PRINTED_EQ64_RATE.subs(
           x, F.r))),))
def _eq64(ctx: RunContext) -> Outcome:
    rng = ctx.rng("eq64")
    pts = [{F.r: c.roots[0], d: c.d, lam: c.lam} for c in delta_neg_cases(ctx, "eq64", 20)]
    return Outcome([rate_statement_check("rate (64)", F.PRINTED_EQ64_RATE.subs(x, F.r),
                                         F.derived_rate_at(F.r, RHS_ROOT1), pts, "stated rate")],
                   notes=["reading: (r^3 + d lambda)/r; the reading without '/r' is not a rate of "
                          "the right dimension and fails for r > 1"])


# Delta = 0 --------------------------------------------------------------------------------------
P_DOUBLE = (x - F.rs) * (x - F.rd) ** 2
RHS_DOUBLE = -P_DOUBLE / 2


def delta_zero_cases(ctx: RunContext, key: str, n: int, sign: int = 1) -> list[ScalarCase]:
    rng = ctx.rng(key)
    out = []
    while len(out) < n:
        dd, ll, kk, a_s, a_d = S.delta_zero_family(rng, sign)
        ths = S.around(rng, [a_s, a_d], abs(a_s - a_d))
        for i in rng.choice(len(ths), size=min(4, len(ths)), replace=False):
            out.append(ScalarCase(dd, ll, kk, ths[int(i)], (a_s, a_d)))
    return out[:n]


@dataclass(frozen=True)
class Eq66Statement:
    K_star: sp.Expr = F.PRINTED_EQ65_K
    rs: sp.Expr = F.PRINTED_EQ66_RS
    rd: sp.Expr = F.PRINTED_EQ66_RD
    rs_closed: sp.Expr = F.PRINTED_EQ66_RS_CLOSED
    rd_closed: sp.Expr = F.PRINTED_EQ66_RD_CLOSED


def verify_eq66(ctx: RunContext, st: Eq66Statement = Eq66Statement()) -> Outcome:
    rng = ctx.rng("eq66")
    cubic = F.derived_cubic().as_expr().subs(K, st.K_star)
    return Outcome([
        identity_check("Delta(K*) = 0 (65)", F.derived_discriminant().subs(K, st.K_star), rng),
        identity_check("P = (x - rs)(x - rd)^2 at K*", cubic
                       - (x - st.rs_closed) * (x - st.rd_closed) ** 2, rng),
        identity_check("rs = -3 lambda/K* = 2 (d lambda)^(1/3)",
                       st.rs.subs(K, st.K_star) - st.rs_closed, rng),
        identity_check("rd = 3 lambda/(2K*) = -(d lambda)^(1/3)",
                       st.rd.subs(K, st.K_star) - st.rd_closed, rng),
    ])


@claim("eq66", "The double-root case: K* and the roots rs, rd", "Appendix A.3, (65)-(66)",
       """Delta = 0 iff K = K* = -(3/2)(lambda^2/d)^(1/3); then P = (x - rs)(x - rd)^2 with
       rs = -3 lambda/K = 2 (d lambda)^(1/3) (simple) and rd = 3 lambda/(2K) = -(d lambda)^(1/3)
       (double).""",
       formulas=(Formula("(65)", "K*", lambda: sp.latex(F.PRINTED_EQ65_K)),
                 Formula("(66)", "simple root", lambda: sp.latex(F.PRINTED_EQ66_RS_CLOSED)),
                 Formula("(66)", "double root", lambda: sp.latex(F.PRINTED_EQ66_RD_CLOSED))))
def _eq66(ctx: RunContext) -> Outcome:
    return verify_eq66(ctx)


@claim("eq67", "Implicit solution when Delta = 0", "Appendix A.3, (67)",
       """(ln|theta1 - rs| - ln|theta1 - rd|)/(rs - rd)^2 + 1/((rs - rd)(theta1 - rd)) + C0 = -t/2.""",
       formulas=(Formula("(67)", "implicit solution, Delta = 0", lambda: sp.latex(sp.Eq(
           F.printed_eq67(F.theta1, F.rs, F.rd) + sp.Symbol("C_0"), -F.t / 2))),))
def _eq67(ctx: RunContext) -> Outcome:
    rng = ctx.rng("eq67")
    return Outcome([implicit_solution_check("(67) solves (54)", F.printed_eq67(x, F.rs, F.rd), x,
                                            RHS_DOUBLE, -sp.Rational(1, 2), rng)])


def subexponential_checks(ctx: RunContext, to_rd: list[ScalarCase], exponent: float
                          ) -> list[CheckResult]:
    """theta0 < rd: |theta1 theta2 - lambda| ~ t^-exponent.  In doubles where the algebraic regime
    is reached on the grid (u0 = (rd - theta0)/(rs - rd) >= 0.05); from the exact implicit
    solution (67) at high precision for starts closer to rd (there theta1' is below the rounding
    of doubles)."""
    out = []
    u0 = np.array([float((c.roots[1] - c.theta0) / (c.roots[0] - c.roots[1])) for c in to_rd])
    near = u0 < 0.05
    far = [c for c, n in zip(to_rd, near) if not n]
    if far:
        rho = np.array([float(c.roots[0] - c.roots[1]) ** 2 / 2 for c in far])
        tau = np.concatenate([[0.0], np.logspace(-2, 4, 601)])
        tr = simulate(far, rho, tau=tau)
        if not tr.success.all():
            out.append(undecided("trajectories to rd: sub-exponential", "integration failed"))
        else:
            est = power_exponent(tr.tau, tr.product - tr.lam, t_from=1e3)
            dev = np.abs(est - exponent).max()
            out.append((passed if dev < 0.02 else undecided)(
                f"trajectories to rd: |theta1 theta2 - lambda| ~ t^-{exponent} (sub-exponential)",
                f"{len(far)} trajectories, exponent within {dev:.1e} (tau from 1e3 to 1e4)"))
    nears = [c for c, n in zip(to_rd, near) if n][: 3 * ctx.profile.hp_samples]
    J = sp.lambdify((x, F.rs, F.rd), F.printed_eq67(x, F.rs, F.rd), "mpmath")
    P = sp.lambdify((x, d, lam, K), F.derived_cubic().as_expr(), "mpmath")
    for c in nears:
        with mp.workdps(ctx.profile.dps + 20):
            q = lambda v: mp.mpf(v.numerator) / v.denominator
            a_s, a_d, th0 = q(c.roots[0]), q(c.roots[1]), q(c.theta0)
            t_asym = 2 * (a_d - th0) ** -1 / (a_s - a_d)      # 1/(c u0): onset of the 1/t regime
            errs = []
            for tt in (1e3 * t_asym, 1e4 * t_asym):
                target = J(th0, a_s, a_d) - tt / 2
                th = mp.findroot(lambda v: J(v, a_s, a_d) - target,
                                 (th0, a_d - (a_d - th0) * mp.mpf(10) ** -12), solver="anderson")
                errs.append(abs(P(th, q(c.d), q(c.lam), q(c.K)) / (2 * q(c.d))))
            est = mp.log(errs[0] / errs[1]) / mp.log(10)
        ok = abs(est - exponent) < 0.02
        out.append((passed if ok else undecided)(
            f"theta0 = rd - {mp.nstr(a_d - th0, 3)}: exponent from (67) at "
            f"{ctx.profile.dps + 20} digits", f"{mp.nstr(est, 6)} (doubles cannot resolve it)"))
    return out


def verify_delta_zero(ctx: RunContext, subexp_exponent: float = 2.0) -> Outcome:
    rng = ctx.rng("thm3.delta_zero")
    checks = list(verify_eq66(ctx).checks)
    checks.append(identity_check("rd is a double root: P'(rd) = 0 (no exponential rate)",
                                 F.derived_rate_at(F.rd, RHS_DOUBLE), rng))
    checks.append(identity_check("rate towards rs is (rs - rd)^2/2 > 0",
                                 F.derived_rate_at(F.rs, RHS_DOUBLE) - (F.rs - F.rd) ** 2 / 2, rng))
    cases = delta_zero_cases(ctx, "thm3.delta_zero", _n(ctx))
    to_rs = [c for c in cases if c.theta0 >= c.roots[1]]
    to_rd = [c for c in cases if c.theta0 < c.roots[1]]     # strictly: rd itself is at rest
    rate = np.array([float(c.roots[0] - c.roots[1]) ** 2 / 2 for c in to_rs])
    checks += flow_checks("trajectories to rs", to_rs,
                          np.array([float(c.roots[0]) if c.theta0 != c.roots[1] else
                                    float(c.roots[1]) for c in to_rs]),
                          np.where([c.theta0 != c.roots[1] for c in to_rs], rate, 0.0), None, rate)
    if to_rd:
        checks += subexponential_checks(ctx, to_rd, subexp_exponent)
    return Outcome(checks)


@claim("thm3.delta_zero", "Theorem 3, case Delta = 0: a double root", "Appendix A.3, (65)-(71)",
       """If Delta = 0 (K = K*), theta1 -> rs exponentially unless theta0 < rd, in which case theta1
       -> rd sub-exponentially (like 1/t; theta1 theta2 - lambda like t^-2); theta1 theta2 ->
       lambda in both cases (71).""")
def _thm3_zero(ctx: RunContext) -> Outcome:
    return verify_delta_zero(ctx)


@dataclass(frozen=True)
class Lem16Statement:
    # rs > rd: signs on (-oo, rd), (rd, rs), (rs, oo);  rs < rd: on (-oo, rs), (rs, rd), (rd, oo)
    rs_above: tuple[int, int, int] = (+1, +1, -1)
    rs_below: tuple[int, int, int] = (+1, -1, -1)


def verify_lem16(ctx: RunContext, st: Lem16Statement = Lem16Statement()) -> Outcome:
    rhs = F.derived_reduced_rhs()
    checks = []
    for sign, signs, label in ((1, st.rs_above, "rs > rd"), (-1, st.rs_below, "rs < rd")):
        cases = delta_zero_cases(ctx, f"lem16/{sign}", _n(ctx, 0.25), sign)
        groups: list[list[dict]] = [[], [], []]
        for c in cases:
            if c.theta0 in c.roots:
                continue
            groups[sum(1 for r in c.roots if c.theta0 > r)].append(_pt(c))
        for g, sgn, i in zip(groups, signs, range(3)):
            checks.append(sign_check(f"{label}: theta1' on interval {i + 1} of 3", rhs, sgn, g,
                                     "theta1'(0)"))
    return Outcome(checks)


@claim("lem16", "Monotonicity when Delta = 0", "Appendix A.3, Lemma 16, (68)-(70)",
       """If rs > rd: theta1' < 0 on (rs, oo), > 0 on (-oo, rd) and (rd, rs). If rs < rd: theta1' < 0
       on (rs, rd) and (rd, oo), > 0 on (-oo, rs).""")
def _lem16(ctx: RunContext) -> Outcome:
    return verify_lem16(ctx)


def verify_rem15(ctx: RunContext, relation: str = "==") -> Outcome:
    """{(theta1(0), theta2(0)) : Delta = 0} = the parabola theta2 = theta1^2/(2d) + K*: a graph of a
    smooth function, hence Lebesgue-null.  ``relation`` '>=' (a mutant) describes {Delta >= 0}."""
    rng = ctx.rng("rem15")
    th1, th2 = F.theta1, F.theta2
    disc = F.PRINTED_EQ55.subs(K, F.PRINTED_K)
    if relation == "==":
        checks = [identity_check("Delta depends on theta2 only through K, dK/dtheta2 = 1",
                                 sp.diff(F.PRINTED_K, th2) - 1, rng),
                  identity_check("Delta = 0 exactly on theta2 = theta1^2/(2d) + K*",
                                 disc.subs(th2, th1**2 / (2 * d) + F.PRINTED_EQ65_K), rng)]
        cases = general_cases(ctx, "rem15", _n(ctx, 0.5))
        hits = sum(1 for c in cases if F.PRINTED_EQ55.subs({d: c.d, lam: c.lam, K: c.K}) == 0)
        checks.append(passed("random initial values avoid Delta = 0", f"0 of {len(cases)}")
                      if hits == 0 else undecided("random initial values avoid Delta = 0",
                                                  f"{hits} hits"))
        return Outcome(checks)
    # an open piece of {Delta > 0} has positive measure: one certified interior point refutes
    for c in general_cases(ctx, "rem15/open", 200):
        val = F.PRINTED_EQ55.subs({d: c.d, lam: c.lam, K: c.K})
        if val > 0:
            return Outcome([failed(f"{{Delta {relation} 0}} is Lebesgue-null",
                                   "Delta > 0 at an exact point, so on an open neighbourhood",
                                   Counterexample.of({"d": c.d, "lam": c.lam,
                                                      "theta1_0": c.theta0,
                                                      "theta2_0": c.theta2_0},
                                                     f"Delta = {val} > 0", "exact rationals"))])
    return Outcome([undecided(f"{{Delta {relation} 0}} is Lebesgue-null", "no interior point")])


@claim("rem15", "Delta = 0 has measure zero", "Appendix A.3, Remark 15",
       """The set of initial values (theta1(0), theta2(0)) with Delta = 0 has Lebesgue measure zero
       in R^2.""")
def _rem15(ctx: RunContext) -> Outcome:
    return verify_rem15(ctx)


# lambda = 0 -------------------------------------------------------------------------------------
def verify_lambda_zero_general(ctx: RunContext) -> Outcome:
    rng = ctx.rng("thm3.lambda_zero")
    rhs = F.derived_reduced_rhs().subs(lam, 0)
    Kp, Kn = sp.Symbol("K", positive=True), sp.Symbol("K", negative=True)
    checks = [identity_check("K > 0: rate at 0 is dK", F.derived_rate_at(0, rhs.subs(K, Kp))
                             - d * Kp, rng),
              identity_check("K < 0: rate at +-sqrt(-2dK) is -2dK",
                             F.derived_rate_at(sp.sqrt(-2 * d * Kn), rhs.subs(K, Kn)) + 2 * d * Kn,
                             rng)]
    cases = []
    crng = ctx.rng("thm3.lambda_zero/sim")
    for c in general_cases(ctx, "thm3.lambda_zero/base", _n(ctx, 0.5), lam_zero=True):
        if c.K != 0:
            cases.append(c)
    tgt, rate, rho = targets(cases)
    checks += flow_checks("lambda = 0, K != 0", cases, tgt, rate, None, rho)
    checks += verify_lambda0(ctx, key="thm3.lambda_zero/k0").checks
    return Outcome(checks)


@claim("thm3.lambda_zero", "Theorem 3 with lambda = 0", "Appendix A.3, after (64) and (72)",
       """If lambda = 0: for K > 0 theta1 -> 0 at rate dK; for K < 0 theta1 -> +-sqrt(-2dK) at rate
       -2dK (0 repels); for K = 0 the decay is polynomial, |theta1 theta2| <= C t^(-3/2).""")
def _thm3_l0(ctx: RunContext) -> Outcome:
    return verify_lambda_zero_general(ctx)


@claim("eq72", "Polynomial rate when Delta = 0 and lambda = 0", "Appendix A.3, (72)",
       """If Delta = 0 and lambda = 0 (so K = 0, triple root 0): |theta1 theta2| <= C t^(-3/2).""",
       formulas=(Formula("(72)", "exponent", lambda: sp.latex(F.PRINTED_EQ72_EXPONENT)),))
def _eq72(ctx: RunContext) -> Outcome:
    return verify_lambda0(ctx, Lambda0Statement(exponent=F.PRINTED_EQ72_EXPONENT), key="eq72")


# (55) -------------------------------------------------------------------------------------------
def verify_eq55(ctx: RunContext, printed: sp.Expr = F.PRINTED_EQ55) -> Outcome:
    rng = ctx.rng("eq55")
    checks = [identity_check("(55) is the discriminant of the cubic in (54)",
                             F.derived_discriminant() - printed, rng)]
    samples = general_cases(ctx, "eq55/roots", 60)
    samples += [c for c in delta_zero_cases(ctx, "eq55/zero", 10)]
    bad = None
    for c in samples:
        val = printed.subs({d: c.d, lam: c.lam, K: c.K})
        n = sp.Poly(F.derived_cubic().as_expr().subs({d: c.d, lam: c.lam, K: c.K}), x
                    ).count_roots()
        distinct = len(set(sp.Poly(F.derived_cubic().as_expr().subs(
            {d: c.d, lam: c.lam, K: c.K}), x).real_roots()))
        want = 3 if val > 0 else (1 if val < 0 else 2)
        if distinct != want and not (val == 0 and c.K == 0 and distinct == 1):
            bad = (c, val, distinct)
            break
    checks.append(passed("sign of (55) counts the distinct real roots",
                         f"{len(samples)} exact cases (Sturm)") if bad is None else
                  failed("sign of (55) counts the distinct real roots",
                         f"Delta = {bad[1]} but {bad[2]} distinct real roots",
                         Counterexample.of({"d": bad[0].d, "lam": bad[0].lam, "K": bad[0].K},
                                           f"Delta = {bad[1]}, {bad[2]} distinct real roots",
                                           "exact rational arithmetic and Sturm sequences")))
    return Outcome(checks)


@claim("eq55", "The discriminant", "Appendix A.3, (55) = Section 4, after (13)",
       """The discriminant of x^3 + 2dKx - 2d lambda is Delta = -4 d^2 (8 d K^3 + 27 lambda^2): three
       distinct real roots iff Delta > 0, one iff Delta < 0, a double root iff Delta = 0.""",
       formulas=(Formula("(55)", "discriminant", lambda: sp.latex(F.PRINTED_EQ55)),
                 Formula("(54)", "reduced equation", lambda: sp.latex(F.PRINTED_EQ54_RHS))))
def _eq55(ctx: RunContext) -> Outcome:
    return verify_eq55(ctx)


# Figure 1a --------------------------------------------------------------------------------------
def verify_fig1a(ctx: RunContext, parabola: sp.Expr = F.PRINTED_K) -> Outcome:
    """Figure 1a: trajectories lie on the parabolas 2d theta2 = theta1^2 + 2dK, the stationary set
    is the hyperbola theta1 theta2 = lambda, and a parabola meets it as often as P has real roots."""
    rng = ctx.rng("fig1a")
    checks = list(verify_eq37(ctx, parabola).checks[:1])
    checks.append(identity_check("theta1' = d (lambda - theta1 theta2): zero set is the hyperbola",
                                 F.FLOW[0] - d * (lam - F.PRODUCT), rng))
    checks.append(identity_check("theta2' vanishes wherever theta1' does",
                                 F.FLOW[1] - F.FLOW[0] * F.theta1 / d, rng))
    # the figure's own parameters: d = 0.2, lambda = 3, a grid of starting points
    grid = [ScalarCase(Fraction(1, 5), Fraction(3), Fraction(b) - Fraction(a) ** 2 / Fraction(2, 5),
                       Fraction(a)) for a in range(-4, 5) for b in range(-4, 5, 2)]
    tgt, rate, rho = targets(grid)
    checks += flow_checks("Figure 1a grid (d = 0.2, lambda = 3)", grid, tgt, rate, None, rho)
    return Outcome(checks)


@claim("fig1a", "Phase portrait: invariant parabolas and the hyperbola of minima",
       "Section 2, Figure 1a and the paragraph after Theorem 2",
       """Trajectories of (6) lie on the parabolas 2d theta2 = theta1^2 + 2dK; the stationary points
       are exactly the hyperbola theta1 theta2 = lambda (all global minima); every trajectory ends
       on it.""")
def _fig1a(ctx: RunContext) -> Outcome:
    return verify_fig1a(ctx)
