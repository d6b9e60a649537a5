"""Mutants for every Section 5 / Appendix D claim: the printed statement gets its expected verdict
(holds, or corrected where the paper is wrong), and a deliberately wrong statement passed through
the SAME verification function is rejected with a certified failure (``Status.FAIL`` whose
counterexample values are exact strings that SymPy reads back as rationals).

Every test names its claim id.  All runs use ``RunContext(get_profile("ci"), seed=0)`` and the
default sample sets, so the certified orbits (cached per process in ``common.py``) are shared
between the printed statement and its mutants.

Where a verification function has no statement parameter for the mutated part
(``thm9.continuum``'s flow, ``thm8.limit``), the mutant goes through the helper the function
itself uses (``identity_check``, ``Comparison`` + ``bound_check``).

Tests marked ``xfail(strict=True)`` record library defects found while writing this file (see
each reason); they turn into errors (XPASS) once the library is fixed, so that the marker is
removed.
"""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from flint import arb, fmpq

from fa_proofs.iterate import compile_map, precision
from fa_proofs.profiles import get_profile
from fa_proofs.registry import RunContext, get
from fa_proofs.sections.discrete import euler as EU
from fa_proofs.sections.discrete import formulas as F
from fa_proofs.sections.discrete import layered as LY
from fa_proofs.sections.discrete import midpoint as MP
from fa_proofs.sections.discrete.orbits import LayeredOrbit, MidpointOrbit
from fa_proofs.sections.shallow import formulas as SF
from fa_proofs.sequences import Comparison, bound_check
from fa_proofs.symbolic import identity_check
from fa_proofs.verdicts import CheckResult, Outcome, Status, Verdict

CTX = RunContext(get_profile("ci"), seed=0)
d, lam, eta, x, y, r, S = F.d, F.lam, F.eta, F.x, F.y, F.r, F.S
K, d1, gamma, ell_inf = F.K, F.d1, F.gamma, F.ell_inf
R23 = F.C ** sp.Rational(2, 3)              # (2 d lam)^(2/3) = r^2


# --- helpers ---------------------------------------------------------------------------------
def fails_of(results) -> list[CheckResult]:
    """The certified failures among ``results`` (an Outcome: its checks and corrected checks);
    each must carry a counterexample whose values are exact strings SymPy reads as rationals."""
    if isinstance(results, Outcome):
        results = list(results.checks) + list(results.corrected_checks)
    fails = [c for c in results if c.status is Status.FAIL]
    for c in fails:
        assert c.counterexample is not None
        for k, v in c.counterexample.params.items():
            assert isinstance(v, str), (c.name, k, v)
            val = sp.sympify(v)
            assert val.is_Rational, (c.name, k, v)   # exact, not a float
    return fails


def rejected(results, named: str | None = None, with_params: bool = True) -> list[CheckResult]:
    """At least one certified failure (of the check ``named`` if given), with a non-empty exact
    parameter point unless ``with_params`` is False."""
    fails = fails_of(results)
    if named is not None:
        fails = [c for c in fails if c.name == named]
    assert fails, f"no certified failure{'' if named is None else f' of {named!r}'}"
    if with_params:
        assert any(c.counterexample.params for c in fails), "failures carry no parameter point"
    return fails


def corrected(out: Outcome) -> Outcome:
    """The printed statement is refuted (certified) and the derived correction passes."""
    assert out.verdict() is Verdict.CORRECTED, [(c.name, c.status, c.detail) for c in out.checks]
    rejected(out.checks)
    assert out.corrected_checks and all(c.status is Status.PASS for c in out.corrected_checks)
    return out


def correction_rejected(out: Outcome) -> list[CheckResult]:
    """A wrong correction: not accepted, and its own checks fail with a certification."""
    assert out.verdict() is not Verdict.CORRECTED
    assert out.verdict() is not Verdict.HOLDS
    return rejected(out.corrected_checks)


def holds(out: Outcome) -> Outcome:
    assert out.verdict() is Verdict.HOLDS, [(c.name, c.status, c.detail) for c in out.checks]
    return out


def refuted(out: Outcome, named: str | None = None) -> list[CheckResult]:
    assert out.verdict() is Verdict.REFUTED, [(c.name, c.status, c.detail) for c in out.checks]
    return rejected(out.checks, named)


def point(cx_params) -> dict[str, Fraction]:
    return {k: Fraction(str(sp.Rational(sp.sympify(v)))) for k, v in cx_params.items()}


# --- Section 5.2 / D.1: the two-layer midpoint scheme ------------------------------------------
def test_eq119_printed_holds_and_wrong_coefficient_refuted():
    """eq119: (119) holds; x + eta lam (1 - x^3/r^3) (d dropped from the coefficient) is refuted."""
    holds(MP.verify_eq119(CTX))
    refuted(MP.verify_eq119(CTX, printed=x + eta * lam * (1 - x**3 / F.C)))
    refuted(MP.verify_eq119(CTX, printed=x + eta * d * lam * (1 - x**3 / (2 * F.C))))


def test_lem19_printed_holds_and_x2_over_d_refuted():
    """lem19: y_t = x_t^2/(2d) holds; y_t = x_t^2/d fails the induction step and exact orbits
    (exact rationals, t = 1)."""
    holds(MP.verify_lem19(CTX))
    fails = refuted(MP.verify_lem19(CTX, printed=x**2 / d))
    orbit_fail = [c for c in fails if c.name == "exact orbits of (115)-(116)"]
    assert orbit_fail and orbit_fail[0].counterexample.params["t"] == "1"


def test_lem20_printed_holds_and_three_times_the_step_refuted():
    """lem20: the maximum 2/(3 r^2) holds; 3x that maximum is refuted by the same function
    (f'(r) != 0 there, a parameter-free identity), and, certified on an exact point, f then maps
    15 r/16 outside [0, r]: at eta = 2/r^2, f(15r/16) = r + (15/16)(1 - (15/16)^2) r > r."""
    holds(MP.verify_lem20(CTX))
    out = MP.verify_lem20(CTX, eta_max=3 * MP.ETA_MAX)
    assert out.verdict() is Verdict.REFUTED
    rejected(out, "f'(r) = 0 at the stated maximum", with_params=False)
    # the same comparison lem20 makes (0 <= f(k r/16) <= r), at 3x the maximum, exact cube case
    dd, cc = Fraction(3, 7), Fraction(6, 5)              # 2 d lam = c^3: r = 6/5
    ll = cc**3 / (2 * dd)
    et = 3 * Fraction(2, 3) / cc**2                      # 3 x 2/(3 r^2)
    fx = compile_map([F.PRINTED_EQ119], (x, eta, d, lam))
    with precision(128):
        rb = arb(fmpq(cc.numerator, cc.denominator))
        vals = [fx(rb * arb(fmpq(k, 16)), *(arb(fmpq(v.numerator, v.denominator))
                                             for v in (et, dd, ll)))[0] for k in range(16)]
    res = bound_check("f([0, r]) in [0, r]", "f(k r/16) <= r",
                      [Comparison({"d": dd, "lam": ll, "eta": et}, vals, [rb] * 16)])
    assert res.status is Status.FAIL
    assert point(res.counterexample.params)["t"] > 0


def test_lem21_printed_holds_and_99_percent_of_r_refuted():
    """lem21: 0 <= x_t <= r, x_t increasing holds; x_t <= (99/100) r is refuted (x_t -> r)."""
    holds(MP.verify_lem21(CTX))
    fails = refuted(MP.verify_lem21(CTX, upper_share=Fraction(99, 100)), "x_t <= r")
    # re-certify the counterexample independently, at twice the precision
    p = point(fails[0].counterexample.params)
    o = MidpointOrbit(p["d"], p["lam"], p["eta"], int(p["t"]), prec=256)
    with precision(256):
        assert o.x(int(p["t"])) > o.r * arb(fmpq(99, 100))


def test_rem23_printed_holds_and_half_the_step_refuted():
    """rem23: one-step convergence at eta = 2/(2 d lam)^(2/3) holds; at 1/(2 d lam)^(2/3),
    x_1 = r/2 != r is refuted."""
    holds(MP.verify_rem23(CTX))
    refuted(MP.verify_rem23(CTX, eta_one_step=1 / R23), "x_1 = r")


def test_thm9_printed_is_corrected_and_faster_rates_rejected():
    """thm9 (= thm22): the printed rate 1 - 3/2 eta r^2 is refuted and the corrected bound
    3 lam (1 - eta r^2/2)^t passes; a corrected bound with the faster rate 1 - eta r^2 is not
    accepted (certified failure of its own check), and the statement with rate 1 - 2 eta r^2 is
    refuted."""
    out = corrected(MP.verify_thm9(CTX))
    assert get("thm22").id == "thm9"
    fast = MP.verify_thm9(CTX, correction=F.Geometric(3 * lam, 1 - eta * R23))
    correction_rejected(fast)
    refuted(MP.verify_thm9(CTX, st=F.Geometric(3 * lam, 1 - 2 * eta * R23), correction=None))
    assert out.correction


def test_eq126_printed_is_corrected_and_half_constant_rejected():
    """eq126: |x_t - r| <= r (1 - 3/2 eta r^2)^t is refuted (at t = 1), corrected to
    r (1 - eta r^2/2)^t; the correction with constant r/2 fails (at t = 0, |x_0 - r| = r)."""
    out = corrected(MP.verify_eq126(CTX))
    assert out.counterexample().params["t"] == "1"
    half = MP.verify_eq126(CTX, correction=F.Geometric(r / 2, 1 - eta * r**2 / 2))
    fails = correction_rejected(half)
    assert fails[0].counterexample.params["t"] == "0"


def test_eq127_printed_holds_and_factor_r2_over_2d_refuted():
    """eq127: |x_t y_t - lam| <= 3 r^2/(2d) |x_t - r| holds; the factor r^2/(2d) is refuted."""
    holds(MP.verify_eq127(CTX))
    fails = refuted(MP.verify_eq127(CTX, factor=r**2 / (2 * d)))
    p = point(fails[0].counterexample.params)
    o = MidpointOrbit(p["d"], p["lam"], p["eta"], int(p["t"]), prec=256)
    t = int(p["t"])
    with precision(256):
        assert abs(o.product_error(t)) > o.r**2 / (2 * arb(fmpq(p["d"].numerator,
                                                                p["d"].denominator))) * o.e[t]


def test_thm9_continuum_printed_holds_and_mutants_rejected():
    """thm9.continuum: (119) is forward Euler on the flow (40) with K = 0, first order.
    verify_continuum has no flow parameter: claiming order 2 is not accepted (undecided: a
    floating-point ratio is never a certified failure), and the wrong flow theta' = d (lam -
    theta^3/d) (1/(2d) replaced by 1/d), through the identity check the function uses, is
    refuted with a certified counterexample."""
    holds(MP.verify_continuum(CTX))
    assert MP.verify_continuum(CTX, order=2).verdict() is Verdict.UNDECIDED
    wrong_flow = d * (lam - x**3 / d)
    res = identity_check("(119) is Euler on (40)",
                         sp.expand((F.PRINTED_EQ119 - x) / eta - wrong_flow), CTX.rng("mut"),
                         what="(f(x) - x)/eta - theta1'(x)")
    rejected([res])
    # and the right flow, derived from Section 2, passes the same check
    rhs0 = SF.derived_reduced_rhs().subs(SF.K, 0).subs({SF.x: x, SF.d: d, SF.lam: lam})
    assert identity_check("ok", sp.expand((F.PRINTED_EQ119 - x) / eta - rhs0),
                          CTX.rng("mut")).status is Status.PASS


# --- Section 5.2 (L layers) / D.1 ---------------------------------------------------------------
def _constants_without_powers_of_two(L: int) -> tuple[sp.Expr, ...]:
    """A wrong (136): C_l = d_l/d_1 prod_{j<l} C_j (the 2^-(l-1) dropped)."""
    ds = list(F.fa_symbols(L)) + [sp.Integer(1)]
    cs: list[sp.Expr] = [sp.Integer(1)]
    for l in range(1, L):
        cs.append(sp.simplify(ds[l] / ds[0] * sp.Mul(*cs)))
    return tuple(cs)


def _constants_with_wrong_C3(L: int) -> tuple[sp.Expr, ...]:
    """A wrong (136): C_3 doubled (C_1, C_2 and, for L = 2, everything as derived)."""
    cs = list(F.layer_constants(L))
    if L >= 3:
        cs[2] = 2 * cs[2]
    return tuple(cs)


def test_eq136_printed_holds_and_wrong_constants_refuted():
    """eq136: theta_l = C_l theta_1^(2^(l-1)) holds; a doubled C_3, and the constants without
    2^-(l-1), are refuted both by the telescoping identity (a certified nonzero residual) and by
    the exact orbits of the full L-layer map (t = 1, L = 3 or 4)."""
    holds(LY.verify_eq136(CTX))
    for wrong in (_constants_with_wrong_C3, _constants_without_powers_of_two):
        fails = refuted(LY.verify_eq136(CTX, constants=wrong))
        assert any(f.name.startswith("telescoping") for f in fails)
        orbit = [f for f in fails if f.name == "exact orbits of (128)-(132)"]
        assert orbit and orbit[0].counterexample.params["t"] == "1"
        assert orbit[0].counterexample.params["L"] in ("3", "4")


def test_eq137_printed_holds_and_gamma_2_to_the_L_refuted():
    """eq137: gamma = 2^L - 1 holds; gamma = 2^L is refuted."""
    holds(LY.verify_eq137(CTX))
    refuted(LY.verify_eq137(CTX, gamma_of=lambda L: 2**L))


def test_lem25_printed_holds_and_99_percent_of_r_refuted():
    """lem25: theta_1^t positive, increasing, <= r holds; <= (99/100) r is refuted."""
    holds(LY.verify_lem25(CTX))
    refuted(LY.verify_lem25(CTX, upper_share=Fraction(99, 100)), "theta_t <= r")


def test_lem25_eq138_eq139_thm10_orbits_cover_their_horizon():
    """lem25, eq138, eq139, thm10: every sampled orbit reaches its horizon or has converged
    (e_T/r < 10^-20); the library stops early both after superlinear convergence and when the
    precision runs out."""
    from fa_proofs.sections.discrete.orbits import horizon
    short = []
    for c in LY.cases(CTX, "lem25"):
        o = LY.orbit_of(c, CTX)
        kr = float(c.K) * (float(c.lam) / float(c.K)) ** ((c.gamma - 1) / c.gamma)
        H = horizon(1 - float(c.eta) * float(c.ds[0]) * kr, cap=10_000)
        T = len(o.e) - 1
        if T < H and abs(float((o.e[-1] / o.r).mid())) > 1e-20:
            short.append((c.L, T, H))
    assert not short, f"(L, steps, horizon) of orbits stopped before converging: {short}"


def test_eq138_printed_is_corrected_and_faster_correction_rejected():
    """eq138: the printed rate (with gamma) is refuted at t = 1, corrected to
    r (1 - eta d_1 (K lam^(gamma-1))^(1/gamma))^t, which is attained at t = 1; a correction
    twice as fast fails at t = 1."""
    out = corrected(LY.verify_eq138(CTX))
    assert out.counterexample().params["t"] == "1"
    fast = F.Geometric(r, 1 - 2 * eta * d1 * (K * lam ** (gamma - 1)) ** (1 / gamma))
    fails = correction_rejected(LY.verify_eq138(CTX, correction=fast))
    assert fails[0].counterexample.params["t"] == "1"
    # re-certify at t = 1 in exact-input balls: e_1 = r - eta d_1 lam > r (1 - 2 h)
    p = point(fails[0].counterexample.params)
    L = int(p["L"])
    ds = tuple(p[f"d{i}"] for i in range(1, L))
    c = LY.LayeredCase(L, ds, p["lam"], p["eta"], Fraction(1))
    o = LayeredOrbit(c.K, ds[0], c.lam, c.eta, c.gamma, 1, prec=256)
    with precision(256):
        h = arb(fmpq(c.eta.numerator, c.eta.denominator)) * arb(fmpq(ds[0].numerator,
                                                                     ds[0].denominator)) \
            * arb(fmpq(c.K.numerator, c.K.denominator)) * o.r ** (c.gamma - 1)
        assert o.e[1] > o.r * (1 - 2 * h)


def test_eq139_printed_holds_and_constant_without_gamma_refuted():
    """eq139: C_lam = K gamma r^(gamma-1) holds; K r^(gamma-1) (gamma dropped) is refuted."""
    holds(LY.verify_eq139(CTX))
    refuted(LY.verify_eq139(CTX, const=K * r ** (gamma - 1)))


def test_thm10_correction_with_gamma_rejected():
    """thm10 (= thm24): the 'corrected' bound gamma lam (printed rate)^t, i.e. keeping gamma d_1
    in the rate, is not accepted: its own check fails with a certified counterexample."""
    wrong = F.Geometric(gamma * lam, F.PRINTED_THM10_RATE)
    correction_rejected(LY.verify_thm10(CTX, correction=wrong))


def test_thm10_printed_is_corrected():
    """thm10 (= thm24): no C_lam independent of eta exists (certified: the error at t = 1 over the
    printed rate exceeds any bound as eta -> eta_max) and the corrected bound
    gamma lam (1 - eta d_1 (K lam^(gamma-1))^(1/gamma))^t passes."""
    out = corrected(LY.verify_thm10(CTX))
    assert get("thm24").id == "thm10"
    assert out.counterexample().params["t"] == "1"


@pytest.mark.parametrize("rate", [
    1 - 2 * eta * d1 * gamma * (K * lam ** (gamma - 1)) ** (1 / gamma),
    sp.Rational(1, 2),
], ids=["twice-as-fast", "one-half"])
def test_thm10_faster_stated_rate_refuted(rate):
    """thm10: a stated rate faster than the exact linear rate f'(r) must not hold."""
    assert LY.verify_thm10(CTX, rate=rate, correction=None).verdict() is not Verdict.HOLDS


# --- Section 5.1 / D.2: forward Euler -----------------------------------------------------------
def test_eq143_printed_holds_and_plus_S_refuted():
    """eq143: y_t = (x_t^2 - S_t)/(2d) holds; (x_t^2 + S_t)/(2d) is refuted (exact orbits t = 1)."""
    holds(EU.verify_eq143(CTX))
    fails = refuted(EU.verify_eq143(CTX, printed=x**2 / (2 * d) + S / (2 * d)))
    assert any(c.counterexample.params.get("t") == "1" for c in fails)


def test_eq144_printed_holds_and_wrong_coefficient_refuted():
    """eq144: x + eta/2 P holds; x + eta P is refuted."""
    holds(EU.verify_eq144(CTX))
    refuted(EU.verify_eq144(CTX, printed=x + eta * F.P))


def test_eq159_printed_holds_and_wrong_coefficient_refuted():
    """eq159: S + eta^2/4 P^2 holds; S + eta^2/2 P^2 is refuted."""
    holds(EU.verify_eq159(CTX))
    refuted(EU.verify_eq159(CTX, printed_S=S + eta**2 / 2 * F.P**2), "(160): S_{t+1}")


def test_thm8_printed_holds_and_limit_2lam_refuted():
    """thm8 (= thm26): x_t y_t -> lam linearly holds; the limit 2 lam is refuted."""
    holds(EU.verify_thm8(CTX))
    assert get("thm26").id == "thm8"
    refuted(EU.verify_thm8(CTX, limit=2 * lam), "the product's limit")


def test_thm8_step_size_printed_holds_and_p_max_2dlam_refuted():
    """thm8.step_size: max_R P = 2 d lam + 4/27 holds; 2 d lam is refuted (identity at x = S =
    2/3, and certified grid points of R where P exceeds it)."""
    holds(EU.verify_step_size(CTX))
    out = EU.verify_step_size(CTX, p_max=2 * d * lam)
    assert out.verdict() is Verdict.REFUTED
    rejected(out, "P <= max_R P on R")


def test_thm8_limit_holds_and_limit_equal_to_flow_refuted():
    """thm8.limit: the Euler limit ell_inf exceeds the flow's (2 d lam)^(1/3).  verify_limit has no
    statement parameter: the mutant 'the Euler limit equals (2 d lam)^(1/3)' goes through the
    Comparison/bound_check it uses, as 'ell_{S_T} <= (2 d lam)^(1/3)' on the same orbits, and is
    refuted (ell_inf >= ell_{S_T} > r certified)."""
    holds(EU.verify_limit(CTX))
    comps = []
    for c in EU.cases(CTX, "thm8.limit", shares=(Fraction(1, 2), Fraction(9, 10)), n=6):
        o = EU.orbit_of(c, CTX)
        rb = EU._ball(F.R_OF, {d: c.d, lam: c.lam})
        comps.append(Comparison(c.params(), [o.ell[-1]], [rb]))
    res = bound_check("Euler limit equals the flow's", "ell_{S_T} <= (2 d lam)^(1/3)", comps)
    rejected([res])


def test_lem27_printed_holds_and_three_times_the_step_refuted():
    """lem27: eta <= 2/(3 ell^2) keeps x_t increasing below ell_{alpha_inf}; at 3x that bound x_t
    overshoots ell_{alpha_inf} (certified) and stops increasing."""
    holds(EU.verify_lem27(CTX))
    out = EU.verify_lem27(CTX, share_of_bound=Fraction(3))
    refuted(out, "x_t <= ell_{alpha_inf}")
    rejected(out, "x_t increasing")


def test_lem28_printed_holds_and_twice_the_maximum_leaves_R():
    """lem28: under (145) the orbit stays in R; at 2x the maximum (145) it leaves R (S_t > x_t at
    t = 1, or P < 0), certified.  (1x holds; 2x is the smallest integer multiple that fails on
    the ci samples, see the report.)"""
    holds(EU.verify_lem28(CTX))
    refuted(EU.verify_lem28(CTX, shares=(Fraction(2),)))


def test_rem29_printed_holds_and_upper_r_refuted():
    """rem29: ell_inf <= S* holds; ell_inf <= (2 d lam)^(1/3) is refuted."""
    holds(EU.verify_rem29(CTX))
    refuted(EU.verify_rem29(CTX, upper=F.R_OF))


def test_lem30_printed_holds_and_swapped_bounds_refuted():
    """lem30: 2dlam/ell_inf <= ell_t^2 - S_t <= 2dlam/ell_0 holds; swapped, both sides fail."""
    holds(EU.verify_lem30(CTX))
    out = EU.verify_lem30(CTX, lower=2 * d * lam / F.R_OF, upper=2 * d * lam / ell_inf)
    refuted(out, "lower bound")
    rejected(out, "upper bound")


def test_lem30_upper_bound_just_below_the_value_at_t0_refuted():
    """lem30: ell_0^2 - S_0 = 2 d lam / r exactly, so 'ell_t^2 - S_t <= (1 - 10^-60) 2dlam/r'
    fails at t = 0."""
    out = EU.verify_lem30(CTX, upper=2 * d * lam / F.R_OF * (1 - sp.Rational(1, 10**60)))
    assert out.verdict() is not Verdict.HOLDS


def test_lem31_printed_holds_and_M_over_4_refuted():
    """lem31: x_{t+1} - x_t <= eta M (ell_t - x_t) holds; M/4 is refuted."""
    holds(EU.verify_lem31(CTX))
    refuted(EU.verify_lem31(CTX, M=F.PRINTED_M / 4))


def test_lem32_printed_holds_and_C_inf_over_4_refuted():
    """lem32: ell_{t+1} - ell_t <= C_inf (x_{t+1} - x_t)^2 holds; C_inf/4 is refuted."""
    holds(EU.verify_lem32(CTX))
    refuted(EU.verify_lem32(CTX, C_inf=F.PRINTED_C_INF / 4))


def test_eq188_printed_is_corrected_and_doubled_linear_coefficient_rejected():
    """eq188: the printed rate 1 - eta M + eta^2 M~ is refuted (t = 1), corrected to
    1 - eta d lam/ell_inf + eta^2 M~; the correction with 2 eta d lam/ell_inf fails."""
    out = corrected(EU.verify_eq188(CTX))
    assert out.counterexample().params["t"] == "1"
    wrong = F.Geometric(sp.cbrt(F.C), 1 - 2 * eta * d * lam / ell_inf + eta**2 * F.PRINTED_M_TILDE)
    correction_rejected(EU.verify_eq188(CTX, correction=wrong))


def test_eq188_correction_with_constant_just_below_r_rejected():
    """eq188: ell_0 - x_0 = r exactly, so a constant (1 - 10^-60) r fails at t = 0.  Through the
    per-case comparison verify_eq188 builds (``eq188_comparison``) and ``bound_check``, on the
    first sampled orbit."""
    wrong = F.Geometric(sp.cbrt(F.C) * (1 - sp.Rational(1, 10**60)), F.CORRECTED_EQ188.rate)
    c, o, li = EU._converged(CTX, "euler")[0]
    res = bound_check("corrected bound", "ell_t - x_t <= (1 - 10^-60) r (rate)^t",
                      [EU.eq188_comparison(c, o, li, wrong)])
    assert res.status is Status.FAIL
