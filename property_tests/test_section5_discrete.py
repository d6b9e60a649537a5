"""Section 5 and Appendix D (the discrete schemes): Hypothesis property tests.

The points come from the claims' own domains (``get(id).domain.strategy(statement)``: every value
an exact rational built from integer draws, which Hypothesis shrinks and ``target()``-climbs), and
the claims' own checks run at them through the engine (``run_check`` with ``Run(..., at=point)``,
as ``fa-proofs verify ID --at ...`` does).  Every test names its claim ids.

* the step size is a share of the stated maximum, from 10^-3 of it right up to it; the maximum
  itself where it is rational (the midpoint domain every fifth case, 2 d lam a perfect cube; the
  Euler domain every fifth case, where 2/max_R P is the smaller bound of (145)); the L-layer
  boundary lam = K r^gamma with r rational is built from the statement's ``eta_max``;
* the sharpness probes go beyond the maxima: the statement's ``eta_max`` times 1001/1000, with
  ``Run(..., outside=True)``; the hypothesis is certified violated there and the checks fail,
  certified;
* ``target()`` climbs the tightness of the bounds (``CheckResult.measure.value`` = max lhs/rhs),
  so that the ``fuzz`` profile searches towards counterexamples.
"""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import example, given, settings, target
from hypothesis import strategies as st

from fa_proofs.engine import Run
from fa_proofs.engine.run import run_check
from fa_proofs.registry import get
from fa_proofs.model import symbols as Y
from fa_proofs.sections.discrete.domains import (SHARES_PART, euler_rational_max, layered_K,
                                                  layered_env)
from fa_proofs.sections.discrete.formulas import layered_gamma
from fa_proofs.verdicts import CheckResult, Status

BEYOND = Fraction(1001, 1000)       # the sharpness probes: 10^-3 beyond the stated maximum


def scaled(n: int) -> settings:
    """``n`` examples under ci, proportionally more under dev/fuzz (the heavier tests)."""
    return settings(max_examples=max(n, settings.default.max_examples * n // 25))


# --- points from the claims' domains ------------------------------------------------------------
def points(claim_id: str, beyond: bool = False, **extra) -> st.SearchStrategy:
    """Points of ``claim_id``'s domain for its statement; with ``beyond``, for the statement
    whose maximum is 1001/1000 of the stated one, right up to it (the stated hypothesis is then
    violated).  ``extra``: strategies of further values (e.g. the last step ``t``)."""
    def build():
        claim = get(claim_id)
        statement = dict(claim.parts)
        if beyond:
            statement["eta_max"] = _scaled_max(statement["eta_max"], BEYOND)
            statement[SHARES_PART] = (Fraction(1),)
        base = claim.domain.strategy(statement)
        if not extra:
            return base
        return st.tuples(base, st.fixed_dictionaries(extra)).map(lambda pe: {**pe[0], **pe[1]})
    return st.deferred(build)


def _scaled_max(eta_max: sp.Expr, k: Fraction) -> sp.Expr:
    return sp.Rational(k.numerator, k.denominator) * eta_max


def at(claim_id: str, check: str, point: dict, run_context, variant: str | None = None,
       outside: bool = False) -> CheckResult:
    """The claim's check ``check`` (printed, or corrected if it is the correction's) at the
    point, as ``verify ID --at`` runs it; the results of a check that returns several are
    folded (its first failure, else its first undecided)."""
    claim = get(claim_id)
    chk, var = claim.check(check, variant)
    run = Run(run_context.profile, run_context.seed, at=point, outside=outside, shrink=False)
    results = run_check(claim, chk, claim.statement_of(var), var, run, points=[point])
    assert results, f"{claim_id}: {check!r} gave no result"
    for status in (Status.FAIL, Status.UNDECIDED):
        for r in results:
            if r.status is status:
                return r
    return results[0]


def passes(res: CheckResult, label: str | None = None) -> CheckResult:
    assert res.status is Status.PASS, (res.name, res.status.value, res.note, res.counterexample)
    assert res.evidence.certified, res.evidence
    if label and res.measure is not None and res.measure.value is not None:
        target(float(res.measure.value), label=label)
    return res


def certified_failure(res: CheckResult, t: int | None = None) -> CheckResult:
    assert res.status is Status.FAIL, f"{res.name}: expected a certified failure: {res.status}"
    cx = res.counterexample
    assert cx.evidence.certified
    for v in cx.params.values():
        assert sp.sympify(v).is_Rational
    if t is not None:
        assert cx.params["t"] == str(t), cx
    return res


def beyond_the_maximum(claim_id: str, point: dict) -> None:
    """A hypothesis of the claim (its step-size bound) is certified violated at the point."""
    claim = get(claim_id)
    assert any(h.holds(point, claim.parts) is False for h in claim.domain.hypotheses), point


STEPS = st.integers(1, 300)
STEPS_200 = st.integers(1, 200)


# --- the two-layer midpoint scheme (115)-(116) ----------------------------------------------------
# d = 1/2, lam = 1: 2 d lam = 1, the maximum 2/3 of (120) exactly
AT_MAX = {"d": Fraction(1, 2), "lam": Fraction(1), "eta": Fraction(2, 3)}


@scaled(10)
@given(points("lem19", t=st.integers(1, 5)))
def test_lem19_eq119_exact_orbits_and_reduced_map(run_context, p):
    """lem19, eq119: along the exact orbit of (115)-(116) from (0, 0) (rationals), y_t = x_t^2/(2d)
    at every step; (119) is (115) with that y, and its scaling z = x/r, proven at the point."""
    passes(at("lem19", "exact orbits of (115)-(116)", p, run_context))
    passes(at("eq119", "(119) = (115) with y = x^2/(2d)", p, run_context))
    passes(at("eq119", "scaling: z = x/r obeys z + u (1 - z^3), u = eta r^2/2", p, run_context))


@given(points("lem20"))
@example(AT_MAX)
def test_lem20_map_sends_0_r_into_itself(run_context, p):
    """lem20: for eta up to and including 2/(3 r^2), f = (119) maps the grid k r/16 of [0, r]
    into [0, r] (certified)."""
    passes(at("lem20", "f([0, r]) in [0, r]", p, run_context), "lem20: max f(x)/r")


@given(points("lem21", t=STEPS))
@example({**AT_MAX, "t": 300})
def test_lem21_positive_increasing_bounded(run_context, p):
    """lem21: 0 <= x_t <= x_{t+1} <= r along certified orbits, eta up to and including the
    maximum (at the maximum f'(r) = 0: superlinear convergence)."""
    passes(at("lem21", "x_t <= r", p, run_context), "lem21: max x_t/r")
    passes(at("lem21", "x_t >= 0", p, run_context))
    passes(at("lem21", "x_t increasing", p, run_context), "lem21: max x_t/x_{t+1}")


@given(points("lem21", beyond=True, t=st.just(300)))
def test_lem21_sharpness_just_beyond_the_maximum(run_context, p):
    """lem21 / (120) sharpness: at eta up to 1001/1000 of 2/(3 r^2) (certified beyond it) x_t
    overshoots r and then decreases: 'x_t <= r' and 'x_t increasing' fail, certified, within 300
    steps; x_t stays positive."""
    beyond_the_maximum("lem21", p)
    certified_failure(at("lem21", "x_t <= r", p, run_context, outside=True))
    certified_failure(at("lem21", "x_t increasing", p, run_context, outside=True))
    passes(at("lem21", "x_t >= 0", p, run_context, outside=True))


@given(points("thm9", t=STEPS))
@example({**AT_MAX, "t": 300})
def test_thm9_eq126_corrected_bounds_hold(run_context, p):
    """thm9 (= thm22), eq126, corrected: |x_t - r| <= r (1 - eta r^2/2)^t (attained at t = 1,
    backed by the factor-by-factor domination) and |x_t y_t - lam| <= 3 lam (1 - eta r^2/2)^t,
    eta up to and including the maximum."""
    passes(at("eq126", "corrected bound", p, run_context, "corrected"), "eq126: max actual/bound")
    passes(at("thm9", "corrected bound", p, run_context, "corrected"), "thm9: max actual/bound")


@pytest.mark.slow
@scaled(10)
@given(points("thm9", t=st.integers(1000, 10_000)))
def test_thm9_eq126_corrected_bounds_hold_long_horizon(run_context, p):
    """thm9 (= thm22), eq126, corrected, over 10^3 - 10^4 steps (the slow approach at small eta)."""
    passes(at("eq126", "corrected bound", p, run_context, "corrected"))
    passes(at("thm9", "corrected bound", p, run_context, "corrected"))


@given(points("eq126", t=st.just(1)))
def test_eq126_printed_fails_at_t1(run_context, p):
    """eq126 (printed): |x_1 - r| <= r (1 - 3 eta r^2/2) fails for every parameter, certified:
    x_1 = eta d lam exactly, so |x_1 - r| = r (1 - eta r^2/2)."""
    certified_failure(at("eq126", "stated bound (126)", p, run_context), t=1)


@given(points("eq127", t=STEPS))
def test_eq127_product_error_against_defect(run_context, p):
    """eq127: |x_t y_t - lam| <= (3 r^2/(2d)) |x_t - r| along certified orbits."""
    passes(at("eq127", "(127)", p, run_context), "eq127: max actual/bound")


@given(points("rem23"))
def test_rem23_one_step_convergence(run_context, p):
    """rem23: at eta = 2/(2 d lam)^(2/3), x_1 = r and r is fixed, proven at the point (d, lam)."""
    passes(at("rem23", "x_1 = r", p, run_context))
    passes(at("rem23", "r is fixed", p, run_context))


# --- the L-layer scheme (128)-(132), reduced to (137) ---------------------------------------------
@st.composite
def layered_at_max(draw, claim_id: str):
    """A point of the L-layer domain moved to its boundary: lam = K r^gamma with r rational,
    eta the statement's maximum there, exactly (a rational)."""
    claim = get(claim_id)
    p = dict(draw(claim.domain.strategy(claim.parts)))
    rr = Fraction(draw(st.integers(1, 30)), draw(st.integers(1, 10)))
    p["lam"] = layered_K(p) * rr ** layered_gamma(int(p["L"]))
    env = {s: sp.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else v
           for s, v in layered_env(p).items() if s is not Y.eta}
    mx = sp.simplify(sp.powsimp(sp.sympify(claim.parts["eta_max"]).subs(env), force=True))
    assert mx.is_Rational, mx
    p["eta"] = Fraction(int(mx.p), int(mx.q))
    return p


def layered_points(claim_id: str, **extra) -> st.SearchStrategy:
    """The domain's points, or (one in four) its boundary, with ``extra`` values added."""
    base = st.one_of(points(claim_id), points(claim_id), points(claim_id),
                     st.deferred(lambda: layered_at_max(claim_id)))
    return st.tuples(base, st.fixed_dictionaries(extra)).map(lambda pe: {**pe[0], **pe[1]})


@scaled(8)
@given(points("eq136", t=st.integers(1, 3)))
def test_eq136_eq137_exact_orbits_and_reduced_map(run_context, p):
    """eq136, eq137: along the exact orbit of the full L-layer map (128)-(132) from 0
    (rationals), theta_l^t = C_l (theta_1^t)^(2^(l-1)); theta_1^{t+1} = (137), proven at the
    point's depth and d_l."""
    passes(at("eq136", "exact orbits of (128)-(132)", p, run_context))
    passes(at("eq137", "(137)", p, run_context))


@given(layered_points("lem25", t=STEPS_200))
def test_lem25_positive_increasing_bounded(run_context, p):
    """lem25: 0 <= theta_1^t <= theta_1^{t+1} <= r = (lam/K)^(1/gamma), L = 2, 3, 4, eta up to
    and including the maximum."""
    passes(at("lem25", "theta_t <= r", p, run_context), "lem25: max theta/r")
    passes(at("lem25", "theta_t >= 0", p, run_context))
    passes(at("lem25", "theta_t increasing", p, run_context))


@given(points("lem25", beyond=True, t=st.just(200)))
def test_lem25_sharpness_just_beyond_the_maximum(run_context, p):
    """lem25 / Theorem 10's step bound, sharpness: at eta up to 1001/1000 of the maximum
    (certified beyond it), f'(r) < 0 and theta_1^t overshoots r and then decreases: 'theta <= r'
    and 'increasing' fail, certified, within 200 steps."""
    beyond_the_maximum("lem25", p)
    certified_failure(at("lem25", "theta_t <= r", p, run_context, outside=True))
    certified_failure(at("lem25", "theta_t increasing", p, run_context, outside=True))


@given(layered_points("eq138", t=STEPS_200))
def test_eq138_thm10_eq139_bounds_hold(run_context, p):
    """eq138, thm10 (= thm24) corrected, eq139: with h = eta d_1 (K lam^(gamma-1))^(1/gamma),
    |theta_1^t - r| <= r (1 - h)^t (attained at t = 1), |prod - lam| <= gamma lam (1 - h)^t and
    |prod - lam| <= K gamma r^(gamma-1) |theta_1^t - r|, eta up to the maximum."""
    passes(at("eq138", "corrected bound", p, run_context, "corrected"), "eq138: max actual/bound")
    passes(at("thm10", "corrected bound", p, run_context, "corrected"), "thm10: max actual/bound")
    passes(at("eq139", "(139)", p, run_context), "eq139: max actual/bound")


@given(points("eq138", t=st.just(1)))
def test_eq138_printed_fails_at_t1(run_context, p):
    """eq138 (printed): |theta_1^1 - r| <= r (1 - gamma h) fails for every parameter, certified:
    theta_1^1 = eta d_1 lam, so |theta_1^1 - r| = r (1 - h) and gamma >= 3."""
    certified_failure(at("eq138", "stated bound (138)", p, run_context), t=1)


# --- forward Euler (140)-(141), (159)-(160) -------------------------------------------------------
# d = 5, lam = 30: 2 d lam = 300 > 126, where the rational 2/max_R P = 2/(300 + 4/27) is the
# smaller bound of (145): eta at the maximum exactly
EULER_AT_MAX = {"d": Fraction(5), "lam": Fraction(30), "eta": Fraction(27, 4052)}


def test_euler_example_is_at_the_rational_maximum():
    """lem28, eq188, lem30: the explicit example sits at the maximum of (145), exactly."""
    assert euler_rational_max(EULER_AT_MAX["d"], EULER_AT_MAX["lam"]) == EULER_AT_MAX["eta"]


@scaled(10)
@given(points("eq143", t=st.integers(1, 4)))
def test_eq143_eq144_eq159_exact_orbits_and_identities(run_context, p):
    """eq143, eq144, eq159: along the exact orbit of (140)-(141) from (0, 0) (rationals),
    y_t = (x_t^2 - S_t)/(2d); (144), (160) and the P recurrence of the certified orbits, proven
    at the point."""
    passes(at("eq143", "exact orbits of (140)-(141)", p, run_context))
    passes(at("eq144", "(144) from (140) and (143)", p, run_context))
    passes(at("eq159", "(160): S_{t+1}", p, run_context))
    passes(at("eq159", "P recurrence used by the certified orbits", p, run_context))


@given(points("thm8.step_size"))
def test_thm8_step_size_max_of_P_over_R(run_context, p):
    """thm8.step_size: P(x, S) <= max_R P = 2 d lam + 4/27 on a grid of R, with equality at
    x = S = 2/3, and S* is the unique positive root of P(x, x) (Sturm), at the point's (d, lam)."""
    passes(at("thm8.step_size", "P <= max_R P on R", p, run_context), "max P/max_R P")
    passes(at("thm8.step_size", "P on the diagonal at x = 2/3", p, run_context))
    passes(at("thm8.step_size", "S* unique positive root", p, run_context))


@given(points("lem28", t=STEPS))
@example({**EULER_AT_MAX, "t": 300})
def test_lem28_thm8_orbit_stays_in_R_and_converges(run_context, p):
    """lem28, thm8 (= thm26): under (145), eta up to the maximum (exactly, where it is rational),
    (x_t, S_t) stays in R: S_t <= x_t and P(x_t, S_t) > 0; and lam - x_t y_t = P_t/(2d) > 0
    contracts by a ratio q < 1 at every step."""
    passes(at("lem28", "S_t <= x_t", p, run_context), "lem28: max S_t/x_t")
    passes(at("lem28", "P(x_t, S_t) > 0", p, run_context))
    passes(at("thm8", "linear convergence", p, run_context))


@given(points("lem27"))
def test_lem27_auxiliary_sequence(run_context, p):
    """lem27: x_t increases and stays below ell_{alpha_inf}, eta up to 2/(3 ell^2) (exactly)."""
    passes(at("lem27", "x_t increasing", p, run_context))
    passes(at("lem27", "x_t <= ell_{alpha_inf}", p, run_context), "lem27: max x_t/ell")


@scaled(15)
@given(points("eq188", t=STEPS_200))
@example({**EULER_AT_MAX, "t": 200})
def test_eq188_corrected_bound_holds(run_context, p):
    """eq188, corrected: ell_{S_t} - x_t <= (2 d lam)^(1/3) (1 - eta d lam/ell_inf + eta^2 M~)^t
    (t = 0: both sides are ell_{S_0} exactly)."""
    passes(at("eq188", "corrected bound", p, run_context, "corrected"), "eq188: max actual/bound")


@pytest.mark.slow
@scaled(5)
@given(points("eq188", t=st.integers(1000, 5000)))
def test_eq188_corrected_bound_holds_long_horizon(run_context, p):
    """eq188, corrected, over 10^3 - 5 x 10^3 steps."""
    passes(at("eq188", "corrected bound", p, run_context, "corrected"))


@scaled(15)
@given(points("lem30", t=STEPS_200))
@example({**EULER_AT_MAX, "t": 200})
def test_lem30_lem31_lem32_bounds_hold(run_context, p):
    """lem30, lem31, lem32 along certified orbits, eta up to the maximum:
    2 d lam/ell_inf <= ell_t^2 - S_t <= 2 d lam/(2 d lam)^(1/3) with ell_{S_t} increasing;
    x_{t+1} - x_t <= eta M (ell_t - x_t); ell_{t+1} - ell_t <= C_inf (x_{t+1} - x_t)^2."""
    passes(at("lem30", "sandwich (178)", p, run_context))
    passes(at("lem31", "(181)", p, run_context), "lem31: max actual/bound")
    passes(at("lem32", "(183)", p, run_context), "lem32: max actual/bound")
