"""Section 2 and Appendix A: Hypothesis properties that integrate trajectories (opt-in, ``slow``).

Every test here is marked ``slow``: the default ``ci`` run skips them; they run under
``FA_PROOFS_PROFILE=dev``/``fuzz`` or with ``FA_PROOFS_SLOW=1``.  The claim id starts each test's
name and docstring.

* Parameters and initial values are drawn exactly (``Fraction``) over several decades, every sign
  where the claim allows one, at / next to (down to ~1e-12 relative) / between / far from the
  equilibria.  One Hypothesis example integrates a whole batch (a list of drawn cases, or one case
  per sign quadrant) in one call of the vectorised DOP853, because the cost of an integration is
  dominated by its step count, not by the batch size.
* The verdicts come from the library: :func:`fa_proofs.sections.shallow.checks.flow_checks`
  (convergence to the limit, theta1 theta2 -> lambda, conservation of K, estimated rate against the
  exact rate derived by the library, stated rate <= trajectory rate, monotonicity), and
  :func:`fa_proofs.sections.shallow.claims.subexponential_checks`.  Each must PASS.
* The trajectories that ``flow_checks`` integrates are recorded (the module's ``simulate`` is
  wrapped for the duration of the call, not re-run), and the size of every deviation, divided by the
  library's tolerance for it, is fed to :func:`hypothesis.target`, so that ``fuzz`` searches towards
  violations: K drift, end error, rate mismatch, monotonicity steps, boundedness, matrix
  off-diagonal mass and the gap between the matrix flow and the scalar flows.
* The time scale ``rho`` of each trajectory (``tau = rho t``) is the exact rate at its limit where
  that is positive, so the rate window of ``flow_checks`` (1e-8 < error < 1e-5) spans ~140 samples
  and every converged trajectory gets a finite rate estimate; this coverage is asserted, so the
  rate property cannot pass vacuously.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from fractions import Fraction
from typing import Iterator

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, note, target
from hypothesis import strategies as st

from fa_proofs.rates import exp_rate, power_exponent
from fa_proofs.sections.shallow import checks as CH
from fa_proofs.sections.shallow import claims as C
from fa_proofs.sections.shallow import formulas as F
from fa_proofs.sections.shallow import matrix as MX
from fa_proofs.sections.shallow import numerics as NU
from fa_proofs.sections.shallow.numerics import monotone_violation
from fa_proofs.sections.shallow.sampling import ScalarCase
from fa_proofs.simulate import integrate_batch
from fa_proofs.verdicts import Status

pytestmark = pytest.mark.slow

d, lam, x = F.d, F.lam, F.x
MONOTONE_RTOL = 1e-9                     # as flow_checks: steps against the direction, relative
K_DRIFT_TOL = 1e-8                       # as flow_checks: |K(t) - K(0)| / max(|theta2|, 1)
MATRIX_TOL = 1e-7                        # as matrix.simulate_matrix_flow, relative to max(1, |W|)

# --- derived / printed rates and limits, lambdified once (lazily: a skipped run stays fast) ----
@lru_cache(maxsize=None)
def fn(name: str):
    """Remark 13 (K = 0, r = (2 d lambda)^(1/3) of either sign): the exact rate (minus the
    derivative of (40) at r, derived by SymPy) and the stated rate (47).  Theorem 2: the printed
    limit and rate (41), the exact rate at the real root.  Theorem 3's cases: the printed rates
    (61) and (64), the derived rate at the simple root rs when Delta = 0.  lambda = K = 0: the
    printed explicit solution."""
    table = {
        "rate_r": (F.r, F.derived_rate_at(F.r, C.RHS_R)),
        "stated_r": (F.r, F.PRINTED_EQ42_RATE),
        "thm2_limit": ((d, lam), F.PRINTED_THM2_ROOT),
        "thm2_stated": ((d, lam), F.PRINTED_THM2_RATE),
        "thm2_exact": ((d, lam), F.derived_rate_at(sp.cbrt(2 * d * lam), C.RHS0)),
        "r3_stated": ((F.r1, F.r2, F.r3), F.PRINTED_EQ61_RATE_R3),
        "r1_stated": ((F.r1, F.r2, F.r3), F.PRINTED_EQ61_RATE_R1),
        "eq64_stated": ((x, d, lam), F.PRINTED_EQ64_RATE),
        "rs_exact": ((F.rs, F.rd), F.derived_rate_at(F.rs, C.RHS_DOUBLE)),
        "l0_theta1": ((F.t, F.theta0), F.PRINTED_LAMBDA0_THETA1),
    }
    args, expr = table[name]
    return sp.lambdify(args, expr, "numpy")


# --- strategies: exact rationals over decades -------------------------------------------------
SIGN = st.sampled_from([1, -1])


def mag(lo_exp: int, hi_exp: int) -> st.SearchStrategy[Fraction]:
    """Positive rationals in [10^lo_exp, 10^hi_exp): four significant digits times 10^e."""
    return st.builds(lambda m, e: Fraction(m, 1000) * Fraction(10) ** e,
                     st.integers(1000, 9999), st.integers(lo_exp, hi_exp - 1))


def signed(lo_exp: int, hi_exp: int) -> st.SearchStrategy[Fraction]:
    return st.builds(lambda s, v: s * v, SIGN, mag(lo_exp, hi_exp))


# relative offsets from an equilibrium: +-(0.1 .. 9.9) 10^-k, k = 1..12
REL_OFFSET = st.builds(lambda s, m, k: s * Fraction(m, 10) / Fraction(10) ** k,
                       SIGN, st.integers(1, 99), st.integers(1, 12))


@st.composite
def start(draw, points: list[Fraction], scale: Fraction, exact: list[Fraction] = (),
          decades: int = 2) -> Fraction:
    """An exact theta1(0): at an exactly known equilibrium, next to one of ``points`` (either
    side), anywhere in a box of 10^-2 .. 10^decades ``scale`` (every sign), at 0, or beyond the
    ends (up to 10^decades ``scale``)."""
    mode = draw(st.sampled_from(["at", "near", "near", "box", "box", "zero", "far"]))
    if mode == "at" and exact:
        return draw(st.sampled_from(list(exact)))
    if mode in ("near", "at"):
        return draw(st.sampled_from(points)) + scale * draw(REL_OFFSET)
    if mode == "box":
        return scale * draw(signed(-2, decades))
    if mode == "zero":
        return Fraction(0)
    step = scale * draw(mag(0, decades))
    return (min(points) - step) if draw(st.booleans()) else (max(points) + step)


def _fcbrt(q: Fraction) -> float:
    return float(np.cbrt(float(q)))


@st.composite
def k0_case(draw, sd: int = 1, sl: int = 1) -> ScalarCase:
    """Initialisation (7), K = 0, sign(d) = sd, sign(lambda) = sl; the root r = (2 d lambda)^(1/3)
    is an exact rational in half of the draws (lambda = r^3/(2d)), so theta0 = r is reachable."""
    dd = sd * draw(mag(-2, 2))
    if draw(st.booleans()):
        rr = sd * sl * draw(mag(-1, 1))
        ll, exact = rr**3 / (2 * dd), [rr]
    else:
        ll = sl * draw(mag(-2, 2))
        rr, exact = Fraction(_fcbrt(2 * dd * ll)), []
    return ScalarCase(dd, ll, Fraction(0), draw(start([rr], abs(rr), exact)))


@st.composite
def general_case(draw) -> ScalarCase:
    """Theorem 3: d, lambda > 0 (or the parameters of Figure 1a) and independent theta1(0),
    theta2(0) of every sign, on the scales r and lambda/r of the K = 0 root."""
    if draw(st.integers(0, 4)) == 0:
        dd, ll = Fraction(1, 5), Fraction(3)          # Figure 1a
    else:
        dd, ll = draw(mag(-2, 2)), draw(mag(-2, 2))
    r = Fraction(_fcbrt(2 * dd * ll)).limit_denominator(10**6)
    value = st.one_of(st.just(Fraction(0)), signed(-2, 2))
    th1, th2 = r * draw(value), ll / r * draw(value)
    return ScalarCase(dd, ll, th2 - th1**2 / (2 * dd), th1)


@st.composite
def delta_pos_case(draw) -> ScalarCase:
    """Delta > 0: roots r1 = -a - b < r2 = -a < 0 < r3 = 2a + b (every such triple up to scale:
    a over two decades, the gap ratio b/a over three), lambda = r1 r2 r3/(2d)."""
    dd = draw(mag(-2, 2))
    a = draw(mag(-1, 1))
    b = a * draw(mag(-2, 1))
    roots = (-a - b, -a, 2 * a + b)
    ll = roots[0] * roots[1] * roots[2] / (2 * dd)
    kk = (roots[0] * roots[1] + roots[0] * roots[2] + roots[1] * roots[2]) / (2 * dd)
    th = draw(start(list(roots), roots[2] - roots[0], list(roots)))
    return ScalarCase(dd, ll, kk, th, roots)


@st.composite
def delta_neg_case(draw) -> ScalarCase:
    """Delta < 0: the real root r > 0 and w = 8 d lambda/r^3 > 1, down to w - 1 = 1e-6 (the ghost
    of the double root at -r/2) and up to K > 0 (w > 4)."""
    dd, rr = draw(mag(-2, 2)), draw(mag(-1, 1))
    w = 1 + draw(mag(-6, 2))
    ll, kk = w * rr**3 / (8 * dd), rr**2 * (w - 4) / (8 * dd)
    th = draw(start([rr, -rr / 2], rr, [rr]))
    return ScalarCase(dd, ll, kk, th, (rr,))


@st.composite
def delta_zero_case(draw) -> ScalarCase:
    """Delta = 0 (lambda > 0): c > 0, lambda = c^3/d, K = K* = -(3/2) c^2/d, rs = 2c, rd = -c."""
    dd, c = draw(mag(-2, 2)), draw(mag(-1, 1))
    a_s, a_d = 2 * c, -c
    th = draw(start([a_s, a_d], 3 * c, [a_s, a_d]))
    return ScalarCase(dd, c**3 / dd, -Fraction(3, 2) * c**2 / dd, th, (a_s, a_d))


@st.composite
def lambda_zero_case(draw) -> ScalarCase:
    """lambda = 0, K != 0: K > 0 (limit 0), or K < 0 (limits +-sqrt(-2dK), exactly rational in half
    of the draws: K = -c^2/(2d))."""
    dd = draw(mag(-2, 2))
    if draw(st.booleans()):
        kk = draw(mag(-2, 2))
        pts, scale, exact = [Fraction(0)], Fraction(float(np.sqrt(float(2 * dd * kk)))), \
            [Fraction(0)]
    elif draw(st.booleans()):
        c = draw(mag(-1, 1))
        kk = -c**2 / (2 * dd)
        pts, scale, exact = [-c, Fraction(0), c], c, [-c, Fraction(0), c]
    else:
        kk = -draw(mag(-2, 2))
        c = Fraction(float(np.sqrt(float(-2 * dd * kk))))
        pts, scale, exact = [-c, Fraction(0), c], c, [Fraction(0)]
    # starts within 10x the equilibrium scale: beyond ~20x, flow_checks' normalisation for
    # lambda = 0 puts its rate window in the nonlinear regime (see the xfail test below)
    return ScalarCase(dd, Fraction(0), kk, draw(start(pts, scale, exact, decades=1)))


def batch(case: st.SearchStrategy[ScalarCase], max_size: int = 6):
    return st.lists(case, min_size=1, max_size=max_size)


# --- running the library's checks, recording what they integrate ------------------------------
@contextmanager
def recording(module) -> Iterator[list]:
    """Wrap ``module.simulate`` for the duration of the block and collect its Trajectories."""
    runs: list = []
    original = module.simulate

    def spy(*args, **kwargs):
        tr = original(*args, **kwargs)
        runs.append(tr)
        return tr

    module.simulate = spy
    try:
        yield runs
    finally:
        module.simulate = original


def assert_pass(results, cases) -> None:
    bad = [r for r in results if r.status is not Status.PASS]
    assert not bad, "\n".join(f"{r.name}: {r.status.value}: {r.detail}" for r in bad) + \
        f"\ncases: {cases}"


def time_scale(exact_rate: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    return np.where(exact_rate > 0, exact_rate, fallback)


def checked_flow(label: str, cases: list[ScalarCase], limit: np.ndarray, exact_rate: np.ndarray,
                 stated: np.ndarray | None, rho: np.ndarray,
                 direction: np.ndarray | None = None):
    """``flow_checks`` on the batch; every check must PASS.  Hypothesis targets the deviations
    (each divided by the library's tolerance), and every trajectory that converged within the
    horizon from a start outside the rate window must have a finite rate estimate."""
    note(f"{label}: cases {cases}")
    with recording(CH) as runs:
        results = CH.flow_checks(label, cases, limit, exact_rate, stated, rho, direction)
    note("; ".join(f"{r.name}: {r.status.value} ({r.detail})" for r in results))
    assert_pass(results, cases)
    tr = runs[0]
    lamv = tr.lam
    scale_p = np.where(lamv != 0, np.abs(lamv), np.maximum(np.abs(tr.product[0]), 1.0))
    drift = (np.abs(tr.conserved - tr.conserved[0]).max(axis=0)
             / np.maximum(np.abs(tr.theta2).max(axis=0), 1.0))
    target(float(drift.max()) / K_DRIFT_TOL, label=f"{label}: K drift / tol")
    e_th = np.abs(tr.theta1[-1] - limit) / np.maximum(np.abs(limit), 1.0)
    e_p = np.abs(tr.product[-1] - lamv) / scale_p
    end = np.maximum(e_th, e_p)
    target(float(end.max()) / CH.CONVERGENCE_RTOL, label=f"{label}: end error / tol")
    est = exp_rate(tr.tau, (tr.product - lamv) / scale_p, lo=1e-8, hi=1e-5) * tr.rho
    simulated = (end <= CH.CONVERGENCE_RTOL) & (exact_rate > 0)
    resolvable = simulated & (np.abs(tr.product[0] - lamv) / scale_p > 1e-7)
    missing = resolvable & ~np.isfinite(est)
    assert not missing.any(), (f"no rate estimate for converged trajectories "
                               f"{[cases[i] for i in np.nonzero(missing)[0]]}")
    ok = simulated & np.isfinite(est)
    if ok.any():
        mismatch = np.abs(est[ok] / exact_rate[ok] - 1).max()
        target(float(mismatch) / CH.RATE_RTOL, label=f"{label}: rate mismatch / tol")
        if stated is not None:
            target(float((stated[ok] / est[ok]).max()), label=f"{label}: stated / observed rate")
    if direction is not None:
        tol = MONOTONE_RTOL * np.maximum(np.abs(tr.product).max(axis=0), scale_p)
        steps = (np.maximum(-(np.diff(tr.product, axis=0) * direction).min(axis=0), 0) / tol)
        target(float(steps.max()), label=f"{label}: product step against direction / tol")
    return results, tr


def _monotone_towards(tr, cases: list[ScalarCase], limit: np.ndarray, label: str) -> None:
    """theta1 moves monotonically from theta0 towards its limit and never leaves [theta0, limit].
    Starts exactly at an equilibrium (P(theta0) = 0, decided exactly) are at rest; doubles cannot
    hold a repelling one (flow_checks certifies those exactly), so they are left out here."""
    theta0 = np.array([float(c.theta0) for c in cases])
    moving = np.array([C._P(c, c.theta0) != 0 for c in cases])
    direction = np.sign(limit - theta0)
    direction[direction == 0] = 1.0
    scale = np.maximum(np.abs(tr.theta1).max(axis=0), np.abs(limit))
    tol = MONOTONE_RTOL * scale
    viol = np.where(moving, monotone_violation(tr.theta1, direction, tol), 0.0)
    ratio = lambda v: float(np.divide(v, tol, out=np.zeros_like(v), where=tol > 0).max())
    target(ratio(viol), label=f"{label}: theta1 step against direction / tol")
    assert not viol.any(), f"theta1 not monotone: {viol}"
    lo, hi = np.minimum(theta0, limit), np.maximum(theta0, limit)
    out = np.maximum(lo - tr.theta1.min(axis=0), 0) + np.maximum(tr.theta1.max(axis=0) - hi, 0)
    out = np.where(moving, out, 0.0)
    target(ratio(out), label=f"{label}: theta1 outside [theta0, limit] / tol")
    assert (out <= tol).all(), f"theta1 leaves [theta0, limit] by {out}"


# === (a) Remark 13: all four sign cases of (d, lambda) ==========================================
@given(k0_case(1, 1), k0_case(1, -1), k0_case(-1, 1), k0_case(-1, -1))
def test_rem13_four_sign_cases_trajectories(pp, pn, np_, nn):
    """rem13: for (d, lambda) in each of the four sign quadrants (r = (2 d lambda)^(1/3) < 0 when
    the signs differ), under (7) the trajectory of (6) converges: theta1 -> r monotonically (never
    past r), theta1 theta2 -> lambda monotonically, K conserved, and the observed rate equals the
    derived (3/2) r^2, which is the stated rate.  One batch per example: one case per quadrant."""
    cases = [pp, pn, np_, nn]
    r = np.array([_fcbrt(2 * c.d * c.lam) for c in cases])
    exact = fn("rate_r")(r)
    p0_minus_lam = [c.theta0**3 / (2 * c.d) - c.lam for c in cases]     # exact
    direction = np.array([1.0 if v <= 0 else -1.0 for v in p0_minus_lam])
    _, tr = checked_flow("rem13", cases, r, exact, fn("stated_r")(r), exact, direction)
    _monotone_towards(tr, cases, r, "rem13")


# === (b) Theorem 2 and Theorem 3 with its cases ==================================================
@given(batch(k0_case()))
def test_thm2_trajectories_limit_rate_monotone(cases):
    """thm2: d, lambda > 0 over four decades, theta0 of every sign, at/near/far from r, under (7):
    theta1 -> the printed limit (2 d lambda)^(1/3), theta1 theta2 -> lambda increasing for
    theta0 < r and decreasing for theta0 > r, K conserved, the observed rate equals the exact one
    (derived from (40)) and the printed rate (41) does not exceed it."""
    dv = np.array([float(c.d) for c in cases])
    lv = np.array([float(c.lam) for c in cases])
    limit = np.broadcast_to(fn("thm2_limit")(dv, lv), dv.shape).astype(float)
    exact = np.broadcast_to(fn("thm2_exact")(dv, lv), dv.shape).astype(float)
    stated = np.broadcast_to(fn("thm2_stated")(dv, lv), dv.shape).astype(float)
    side = [(c.theta0**3 < 2 * c.d * c.lam) - (c.theta0**3 > 2 * c.d * c.lam) for c in cases]
    direction = np.array([float(s or 1) for s in side])
    _, tr = checked_flow("thm2", cases, limit, exact, stated, exact, direction)
    _monotone_towards(tr, cases, limit, "thm2")


@given(batch(general_case()))
def test_thm3_fig1a_independent_starts(cases):
    """thm3, fig1a: d, lambda > 0 (or Figure 1a's d = 0.2, lambda = 3) and independent
    theta1(0), theta2(0) in all four quadrants: theta1 theta2 -> lambda (the trajectory ends on the
    hyperbola), K conserved (it stays on its parabola), theta1 -> the root of (54) that the library
    derives, at the derived rate; theta1 and theta2 stay bounded by their values at the start and
    at the limit (theta1 monotone, theta2 = theta1^2/(2d) + K convex in theta1)."""
    tgt, rate, rho = C.targets(cases)
    _, tr = checked_flow("thm3", cases, tgt, rate, None, time_scale(rate, rho))
    _monotone_towards(tr, cases, tgt, "thm3")
    dv, kv = tr.d, np.array([float(c.K) for c in cases])
    th2_0 = np.array([float(c.theta2_0) for c in cases])
    bound2 = np.maximum(np.abs(th2_0), np.abs(tgt**2 / (2 * dv) + kv))
    bound2 = np.maximum(bound2, np.abs(kv)) * (1 + 1e-9) + 1e-12
    moving = np.array([C._P(c, c.theta0) != 0 for c in cases])   # as in _monotone_towards
    excess = np.where(moving, np.abs(tr.theta2).max(axis=0) / bound2, 0.0)
    target(float(excess.max()), label="thm3: max |theta2| / bound")
    assert (excess <= 1).all(), f"theta2 exceeds its bound: {excess}"


@given(batch(delta_pos_case()))
def test_thm3_delta_pos_trajectories(cases):
    """thm3.delta_pos: Delta > 0 (roots r1 < r2 < r3 exact): theta1 -> r3 for theta0 > r2, -> r1
    for theta0 < r2, r2 at rest; at the exact rate, and the printed rates (61)
    (r3 - r2)(r3 - r1)/2, (r3 - r1)(r2 - r1)/2 do not exceed the observed ones."""
    tgt, rate, rho = C.targets(cases)
    R = np.array([[float(v) for v in c.roots] for c in cases])
    to_r3 = np.array([c.theta0 > c.roots[1] for c in cases])
    to_r1 = np.array([c.theta0 < c.roots[1] for c in cases])
    expect = np.where(to_r3, R[:, 2], np.where(to_r1, R[:, 0], R[:, 1]))
    assert np.array_equal(tgt, expect), f"library targets {tgt} != {expect}"
    stated = np.where(to_r3, fn("r3_stated")(*R.T), np.where(to_r1, fn("r1_stated")(*R.T), 0.0))
    _, tr = checked_flow("thm3.delta_pos", cases, tgt, rate, stated, time_scale(rate, rho))
    _monotone_towards(tr, cases, tgt, "thm3.delta_pos")


@given(batch(delta_neg_case()))
def test_thm3_delta_neg_trajectories(cases):
    """thm3.delta_neg: Delta < 0 (one real root r, down to the ghost of the double root w -> 1):
    theta1 -> r from every start, at the exact rate; the printed rate (64) (r^3 + d lambda)/r does
    not exceed the observed one."""
    tgt, rate, rho = C.targets(cases)
    assert np.array_equal(tgt, [float(c.roots[0]) for c in cases]), tgt
    stated = fn("eq64_stated")(tgt, np.array([float(c.d) for c in cases]),
                          np.array([float(c.lam) for c in cases]))
    _, tr = checked_flow("thm3.delta_neg", cases, tgt, rate, stated, time_scale(rate, rho))
    _monotone_towards(tr, cases, tgt, "thm3.delta_neg")


@given(cases=batch(delta_zero_case()))
def test_thm3_delta_zero_trajectories(run_context, cases):
    """thm3.delta_zero: Delta = 0 (rs = 2c simple, rd = -c double): from theta0 > rd theta1 -> rs
    exponentially at the derived rate (rs - rd)^2/2; theta0 = rd is at rest; from theta0 < rd
    theta1 -> rd and |theta1 theta2 - lambda| ~ t^-2 (the library's sub-exponential check:
    doubles where they resolve it, the exact implicit solution (67) at high precision next to
    rd)."""
    to_rs = [c for c in cases if c.theta0 >= c.roots[1]]
    to_rd = [c for c in cases if c.theta0 < c.roots[1]]
    if to_rs:
        at_rd = np.array([c.theta0 == c.roots[1] for c in to_rs])
        a_s = np.array([float(c.roots[0]) for c in to_rs])
        a_d = np.array([float(c.roots[1]) for c in to_rs])
        rate = fn("rs_exact")(a_s, a_d)
        _, tr = checked_flow("thm3.delta_zero", to_rs, np.where(at_rd, a_d, a_s),
                             np.where(at_rd, 0.0, rate), None, rate)
        _monotone_towards(tr, to_rs, np.where(at_rd, a_d, a_s), "thm3.delta_zero")
    if to_rd:
        note(f"to rd: {to_rd}")
        with recording(C) as runs:
            results = C.subexponential_checks(run_context, to_rd, 2.0)
        note("; ".join(f"{r.name}: {r.status.value} ({r.detail})" for r in results))
        if runs and runs[0].success.all():
            tr = runs[0]
            est = power_exponent(tr.tau, tr.product - tr.lam, t_from=1e3)
            target(float(np.abs(est - 2.0).max()) / 0.02,
                   label="thm3.delta_zero: power exponent mismatch / tol")
        assert_pass(results, to_rd)


@given(batch(lambda_zero_case()))
def test_thm3_lambda_zero_trajectories(cases):
    """thm3.lambda_zero: lambda = 0, K != 0: for K > 0 theta1 -> 0 at rate dK; for K < 0 0 repels
    and theta1 -> +-sqrt(-2dK) at rate -2dK (the stated rates, compared with the observed ones);
    theta1 theta2 -> 0, K conserved, the rate derived by the library is observed."""
    tgt, rate, rho = C.targets(cases)
    kv = np.array([float(c.K) for c in cases])
    dv = np.array([float(c.d) for c in cases])
    at_rest = np.array([c.theta0 == 0 and c.K < 0 for c in cases])
    stated = np.where(at_rest, 0.0, np.where(kv > 0, dv * kv, -2 * dv * kv))
    _, tr = checked_flow("thm3.lambda_zero", cases, tgt, rate, stated, time_scale(rate, rho))
    _monotone_towards(tr, cases, tgt, "thm3.lambda_zero")


@given(batch(st.builds(lambda dd, th: ScalarCase(dd, Fraction(0), Fraction(0), th),
                       mag(-2, 2), signed(-2, 2))))
def test_thm2_lambda_zero_explicit_solution_and_power_law(cases):
    """thm2.lambda_zero (and thm3.lambda_zero with K = 0): lambda = 0 under (7): the simulated
    theta1 follows the printed solution sign(theta0)/sqrt(t + theta0^-2) (relative 1e-8) up to
    t = 1e6 theta0^-2, and |theta1 theta2| decays like t^(-3/2) (exponent within 0.01, the
    library's tolerance), which is not exponential."""
    rho = np.array([float(c.theta0) ** 2 for c in cases])
    tau = np.concatenate([[0.0], np.logspace(-2, 6, 801)])      # the grid of verify_lambda0
    tr = NU.simulate(cases, rho, tau=tau)
    assert tr.success.all(), f"integration failed: {cases}"
    th0 = np.array([float(c.theta0) for c in cases])
    exact = fn("l0_theta1")(tr.tau[:, None] / rho[None, :], th0[None, :])
    rel = (np.abs(tr.theta1 - exact) / np.abs(exact)).max(axis=0)
    target(float(rel.max()) / 1e-8, label="thm2.lambda_zero: deviation from printed solution")
    assert (rel <= 1e-8).all(), f"deviation {rel} from the printed solution; cases {cases}"
    est = power_exponent(tr.tau, tr.product, t_from=1e4)
    dev = np.abs(est - float(F.PRINTED_EQ72_EXPONENT))
    target(float(dev.max()) / 0.01, label="thm2.lambda_zero: exponent mismatch / tol")
    assert (dev < 0.01).all(), f"power exponents {est}; cases {cases}"


# === (c) Proposition 1, (4)-(6): the matrix flow ==================================================
SMALL_Q = st.builds(Fraction, st.integers(-9, 9), st.integers(1, 6))


@st.composite
def exact_orthogonal(draw, n: int) -> np.ndarray:
    """An exact rational orthogonal matrix (Cayley transform of a drawn rational skew matrix, times
    a drawn diagonal of signs, so both determinants occur), returned as floats."""
    A = sp.zeros(n, n)
    for i in range(n):
        for j in range(i + 1, n):
            v = draw(SMALL_Q)
            A[i, j], A[j, i] = sp.Rational(v.numerator, v.denominator), \
                -sp.Rational(v.numerator, v.denominator)
    Q = (sp.eye(n) - A) * (sp.eye(n) + A).inv() * sp.diag(*[draw(SIGN) for _ in range(n)])
    assert Q.T * Q == sp.eye(n)
    return np.array(Q.tolist(), dtype=float)


def rect_diag(values, rows: int, cols: int) -> np.ndarray:
    out = np.zeros((rows, cols))
    for i, v in enumerate(values):
        out[i, i] = float(v)
    return out


@st.composite
def matrix_batch(draw):
    """Shapes d, h, o in 1..3, and 1..3 instances: U, V, R exact orthogonal; Lxx^(1/2), Lxy, D
    positive over two decades; diagonal W1_bar(0), W2_bar(0) >= 0 (over two decades, or 0).

    Nonnegative: the closed positive quadrant of each scalar system is invariant (theta1' = d lambda
    > 0 on theta1 = 0, theta2' = lambda theta1 >= 0 on theta2 = 0), so W2_bar stays >= 0 and the
    diagonal set is not transversally unstable.  With a negative (W2_bar)_ii it can be a saddle:
    an off-diagonal (i, j) perturbation grows at rate -Lxx_jj (D_ii (W2_bar)_ii + (W1_bar)_jj^2)
    near an equilibrium, so rounding (1e-16 from the rotations) is amplified without bound and no
    double-precision check of "stays diagonal" is possible there; that regime is the subject of
    test_eq6_thm3_delta_pos_r1_is_a_saddle_of_the_matrix_flow below."""
    nd, nh, no = (draw(st.integers(1, 3)) for _ in range(3))
    count = draw(st.integers(1, 3))
    entry = st.one_of(st.just(Fraction(0)), mag(-1, 1))
    inst = []
    for _ in range(count):
        inst.append(dict(
            U=draw(exact_orthogonal(no)), V=draw(exact_orthogonal(nd)),
            R=draw(exact_orthogonal(nh)), s=[draw(mag(-1, 1)) for _ in range(nd)],
            lxy=[draw(mag(-1, 1)) for _ in range(min(no, nd))],
            D=[draw(mag(-1, 1)) for _ in range(min(nh, no))],
            a=[draw(entry) for _ in range(min(nh, nd))],
            b=[draw(entry) for _ in range(min(no, nh))]))
    return (nd, nh, no), inst


@given(matrix_batch())
def test_prop1_eq4_eq5_eq6_matrix_flow_decouples(data):
    """prop1, eq4, eq5, eq6: the FA matrix flow (3) itself, with Sxx = V Lxx V^T, Sxy = U Lxy V^T,
    M = R D U^T (U, V, R exact random orthogonal) and W1 = R W1_bar V^T, W2 = U W2_bar R^T started
    diagonal (and >= 0, see matrix_batch): in the rotated frame the weights stay diagonal, the
    entries i < k = min(d, h, o)
    follow the scalar flows (6) with theta = Lxx_ii^(1/2) (W_bar)_ii, d_i = D_ii Lxx_ii^(1/2),
    lambda_i = (Lxy)_ii, and the remaining diagonal entries stay put (relative 1e-7, the library's
    tolerance), over a horizon of 3 time constants of the slowest scalar system."""
    (nd, nh, no), inst = data
    k, n = min(nd, nh, no), len(inst)
    note(f"shape d={nd}, h={nh}, o={no}; instances {inst}")
    stack = lambda f: np.stack([f(p) for p in inst])
    U, V, R = stack(lambda p: p["U"]), stack(lambda p: p["V"]), stack(lambda p: p["R"])
    Lxx = stack(lambda p: np.diag([float(s) ** 2 for s in p["s"]]))
    Lxy = stack(lambda p: rect_diag(p["lxy"], no, nd))
    D = stack(lambda p: rect_diag(p["D"], nh, no))
    W1b0 = stack(lambda p: rect_diag(p["a"], nh, nd))
    W2b0 = stack(lambda p: rect_diag(p["b"], no, nh))
    T = MX.transpose
    Sxx, Sxy, M = V @ Lxx @ T(V), U @ Lxy @ T(V), R @ D @ T(U)
    # the scalar systems, exact: theta1 = s a, theta2 = s b, d_i = D_ii s_i, lambda_i = Lxy_ii
    cases = [ScalarCase(p["D"][i] * p["s"][i], p["lxy"][i],
                        p["s"][i] * p["b"][i] - (p["s"][i] * p["a"][i]) ** 2
                        / (2 * p["D"][i] * p["s"][i]), p["s"][i] * p["a"][i])
             for p in inst for i in range(k)]
    _, _, rho = C.targets(cases)
    horizon = 3.0 / float(rho.min())
    times = np.linspace(0.0, horizon, 41)
    n1, n2 = nh * nd, no * nh
    W1_0, W2_0 = R @ W1b0 @ T(V), U @ W2b0 @ T(R)
    y0 = np.concatenate([W1_0.reshape(n, n1), W2_0.reshape(n, n2)], axis=1).T

    def rhs(_t, y, Mi, Sxxi, Sxyi):
        m = y.shape[1]
        d1, d2 = MX.printed_eq3(y[:n1].T.reshape(m, nh, nd), y[n1:].T.reshape(m, no, nh),
                                Mi, Sxxi, Sxyi)
        return np.concatenate([d1.reshape(m, n1), d2.reshape(m, n2)], axis=1).T

    sol = integrate_batch(rhs, y0, times, args=(M, Sxx, Sxy), rtol=1e-11, atol=1e-13)
    assert sol.success.all(), sol.message
    W1 = sol.y[:, :n1, :].transpose(0, 2, 1).reshape(len(times), n, nh, nd)
    W2 = sol.y[:, n1:, :].transpose(0, 2, 1).reshape(len(times), n, no, nh)
    W1b, W2b = T(R) @ W1 @ V, T(U) @ W2 @ R
    scale = max(1.0, float(np.abs(W1b).max()), float(np.abs(W2b).max()))
    off = max(float(np.abs(W1b[..., ~np.eye(nh, nd, dtype=bool)]).max(initial=0)),
              float(np.abs(W2b[..., ~np.eye(no, nh, dtype=bool)]).max(initial=0))) / scale
    target(off / MATRIX_TOL, label="prop1/eq6: off-diagonal / tol")
    # diagonal entries beyond k never move
    still = 0.0
    for i in range(k, min(nh, nd)):
        still = max(still, float(np.abs(W1b[:, :, i, i] - W1b0[None, :, i, i]).max()))
    for i in range(k, min(no, nh)):
        still = max(still, float(np.abs(W2b[:, :, i, i] - W2b0[None, :, i, i]).max()))
    still /= scale
    # entries i < k against the library's scalar simulation (rho = 1: real time)
    tr = NU.simulate(cases, np.ones(len(cases)), tau=times)
    assert tr.success.all()
    s = np.array([[float(v) for v in p["s"][:k]] for p in inst])            # (n, k)
    th1 = np.stack([W1b[:, :, i, i] for i in range(k)], axis=-1) * s        # (m, n, k)
    th2 = np.stack([W2b[:, :, i, i] for i in range(k)], axis=-1) * s
    sc = np.maximum(1.0, np.maximum(np.abs(tr.theta1).max(), np.abs(tr.theta2).max()))
    dev = max(float(np.abs(th1.reshape(len(times), -1) - tr.theta1).max()),
              float(np.abs(th2.reshape(len(times), -1) - tr.theta2).max())) / sc
    target(dev / MATRIX_TOL, label="prop1/eq6: matrix vs scalar flow / tol")
    note(f"horizon {horizon:.3g}: off-diagonal {off:.1e}, fixed entries moved {still:.1e}, "
         f"deviation from (6) {dev:.1e} (relative)")
    assert off <= MATRIX_TOL, f"off-diagonal mass {off:.2e} in the rotated frame"
    assert still <= MATRIX_TOL, f"diagonal entries beyond k moved by {still:.2e}"
    assert dev <= MATRIX_TOL, f"matrix flow deviates from (6) by {dev:.2e}"


@st.composite
def saddle_setup(draw):
    """Theorem 3, Delta > 0 (exact roots r1 < r2 < 0 < r3), lifted to the rotated-frame flow (4)
    with d = 2 inputs, h = 1 hidden unit, o = 1 output: Lxx = diag(s0^2, s1^2), Lxy = [lambda, 0],
    D = [D0], so that theta1 = s0 W1_bar[0,0], theta2 = s0 W2_bar[0,0] solve (6) with d = D0 s0.
    theta0 < r2 (between r1 and r2, at r1, or below r1), so the scalar flow goes to r1, where
    theta2 = lambda/r1 < 0; and an off-diagonal start W1_bar[0,1] = eta (0 < |eta| <= 1e-6)."""
    # D0, s0, s1 in [1/3, 10/3): the off-diagonal rate D0 s1^2 |lambda/(r1 s0)| stays within a
    # few decades of the scalar rates (the explicit integrator pays for the stiffness ratio)
    D0, s0, s1 = (draw(mag(0, 1)) / 3 for _ in range(3))
    dd = D0 * s0
    a = draw(mag(-1, 1))
    b = a * draw(mag(-1, 1))
    r1, r2, r3 = -a - b, -a, 2 * a + b
    ll = r1 * r2 * r3 / (2 * dd)
    kk = (r1 * r2 + r1 * r3 + r2 * r3) / (2 * dd)
    th0 = r2 - (r2 - r1) * Fraction(draw(st.integers(1, 300)), 100)
    eta = draw(SIGN) * Fraction(draw(st.integers(1, 99)), 10) / Fraction(10) ** draw(
        st.integers(7, 13))
    return dict(D0=D0, s0=s0, s1=s1, case=ScalarCase(dd, ll, kk, th0, (r1, r2, r3)), eta=eta)


@given(saddle_setup())
def test_eq6_thm3_delta_pos_r1_is_a_saddle_of_the_matrix_flow(setup):
    """eq6, thm3.delta_pos (finding, not a claim of the paper): the diagonal set is invariant (eq6)
    but the scalar attractor r1 of Theorem 3 (theta2 = lambda/r1 < 0) is a saddle of the matrix
    flow.
    Exactly diagonal (eta = 0): W1_bar[0,1] stays exactly 0 and theta1 -> r1, as the scalar flow.
    Any eta != 0: W1_bar[0,1] = eta exp(-D0 s1^2 int W2_bar) never vanishes and grows near r1 at
    the rate D0 s1^2 |lambda/(r1 s0)|; K~ = W2_bar - |W1_bar|^2/(2 D0) (the matrix form of K) is
    conserved, so the flow moves along the same parabola to r3 (theta2 > 0, the only stable
    equilibrium on it): theta1 theta2 -> lambda still, but at r3, not at r1."""
    D0, s0, s1, case, eta = (setup[k] for k in ("D0", "s0", "s1", "case", "eta"))
    note(f"setup {setup}")
    r1, r2, r3 = (float(v) for v in case.roots)
    lamf, D0f, s0f, s1f = float(case.lam), float(D0), float(s0), float(s1)
    rate1, rate3 = (r3 - r1) * (r2 - r1) / 2, (r3 - r2) * (r3 - r1) / 2      # (61), exact rates
    grow = D0f * s1f**2 * abs(lamf / (r1 * s0f))            # off-diagonal growth rate at r1
    decay3 = D0f * s1f**2 * lamf / (r3 * s0f)                # its decay rate at r3
    horizon = 2 * (40 / min(rate1, rate3, decay3) + np.log(10 / abs(float(eta))) / grow)
    times = np.linspace(0.0, horizon, 1001)
    n = 2
    Lxx = np.broadcast_to(np.diag([s0f**2, s1f**2]), (n, 2, 2)).copy()
    Lxy = np.broadcast_to(np.array([[lamf, 0.0]]), (n, 1, 2)).copy()
    D = np.full((n, 1, 1), D0f)
    a0, b0 = float(case.theta0 / s0), float(case.theta2_0 / s0)
    y0 = np.array([[a0, a0], [0.0, float(eta)], [b0, b0]])      # (W1_bar[0,0], W1_bar[0,1], W2_bar)

    def rhs(_t, y, Di, Lxxi, Lxyi):
        m = y.shape[1]
        f1, f2 = MX.printed_eq4(y[:2].T.reshape(m, 1, 2), y[2:].T.reshape(m, 1, 1), Di, Lxxi, Lxyi)
        return np.concatenate([f1.reshape(m, 2), f2.reshape(m, 1)], axis=1).T

    sol = integrate_batch(rhs, y0, times, args=(D, Lxx, Lxy), rtol=1e-11, atol=1e-14,
                          max_steps=2_000_000)
    assert sol.success.all(), sol.message
    w0, w1, v = sol.y[:, 0, :], sol.y[:, 1, :], sol.y[:, 2, :]
    th1, th2 = s0f * w0, s0f * v
    rel = lambda val, ref: abs(val - ref) / max(abs(ref), 1.0)
    # exactly diagonal: the off-diagonal entry is exactly 0 and theta1 -> r1, product -> lambda
    assert (w1[:, 0] == 0).all()
    assert rel(th1[-1, 0], r1) <= CH.CONVERGENCE_RTOL, f"diagonal run ends at {th1[-1, 0]}"
    assert abs(th1[-1, 0] * th2[-1, 0] - lamf) / lamf <= CH.CONVERGENCE_RTOL
    # perturbed: never changes sign, conserved K~, ends at r3 on the diagonal, product lambda
    # (once it has decayed at r3, at rate ~ decay3, the explicit integrator leaves it at the
    # rounding level of the state, where its sign is noise)
    floor = 1e-12 * np.abs(sol.y[:, :, 1]).max()
    assert (np.sign(w1[:, 1]) * np.sign(float(eta)) > 0)[np.abs(w1[:, 1]) > floor].all()
    kt = v[:, 1] - (w0[:, 1] ** 2 + w1[:, 1] ** 2) / (2 * D0f)
    drift = np.abs(kt - kt[0]).max() / max(np.abs(v[:, 1]).max(), 1.0)
    target(drift / K_DRIFT_TOL, label="eq6 saddle: K~ drift / tol")
    assert drift < K_DRIFT_TOL, f"K~ drift {drift:.2e}"
    target(rel(th1[-1, 1], r3) / CH.CONVERGENCE_RTOL, label="eq6 saddle: end error at r3 / tol")
    assert rel(th1[-1, 1], r3) <= CH.CONVERGENCE_RTOL, f"perturbed run ends at {th1[-1, 1]}"
    assert abs(th1[-1, 1] * th2[-1, 1] - lamf) / lamf <= CH.CONVERGENCE_RTOL
    peak = np.abs(w1[:, 1]).max()
    assert abs(w1[-1, 1]) <= CH.CONVERGENCE_RTOL * max(peak, 1.0)
    # the growth rate near r1: while theta1 is within 1e-6 of r1 and |W1_bar[0,1]| is still small
    near = (np.abs(th1[:, 1] - r1) <= 1e-6 * max(abs(r1), 1.0)) & \
        (np.abs(w1[:, 1]) <= 1e-6 * max(abs(a0), 1.0))
    idx = np.nonzero(near)[0]
    if len(idx) >= 2 and times[idx[-1]] > times[idx[0]]:
        est = (np.log(abs(w1[idx[-1], 1])) - np.log(abs(w1[idx[0], 1]))) / \
            (times[idx[-1]] - times[idx[0]])
        target(abs(est / grow - 1) / CH.RATE_RTOL, label="eq6 saddle: growth rate mismatch / tol")
        assert abs(est / grow - 1) <= CH.RATE_RTOL, f"growth rate {est} vs {grow}"


# === known library limitations, pinned (strict: they start failing once the library is fixed) ===
@pytest.mark.xfail(strict=True, reason=(
    "library: for lambda = 0, flow_checks measures theta1 theta2 relative to "
    "max(|theta1(0) theta2(0)|, 1), so for starts beyond ~20x the equilibrium scale its rate "
    "window (1e-8 .. 1e-5) lies in the nonlinear regime"))
def test_thm3_lambda_zero_far_start_rate_window():
    """thm3.lambda_zero at one far start (theta0 = 100 sqrt(2dK), d = K = 1): the trajectory decays
    at exactly dK once linear (the estimate in the window 1e-7 .. 1e-4 of the absolute product,
    where theta1^2/(2dK) < 1e-8, agrees to 1e-6), but flow_checks' window, scaled by the initial product ~ 1e6, gives a rate
    ~46% off, so its rate check is undecided on a correct claim."""
    case = ScalarCase(Fraction(1), Fraction(0), Fraction(1), Fraction(141421356, 1000000))
    tgt, rate, rho = C.targets([case])
    with recording(CH) as runs:
        results = CH.flow_checks("thm3.lambda_zero far start", [case], tgt, rate, None, rate)
    tr = runs[0]
    linear = exp_rate(tr.tau, tr.product, lo=1e-7, hi=1e-4) * tr.rho
    assert abs(linear[0] / rate[0] - 1) < 1e-6          # the claim itself holds
    assert_pass(results, [case])                        # the library's verdict does not


@pytest.mark.xfail(strict=True, reason=(
    "library: subexponential_checks integrates starts far below rd in doubles; the rounding drift "
    "of K ~ 1e-11 |theta2(0)| moves the trajectory off the Delta = 0 parabola, so the t^-2 law is "
    "lost (the exact (67) branch is only used next to rd)"))
def test_thm3_delta_zero_far_below_rd(run_context):
    """thm3.delta_zero at theta0 = rd - 1000 (rs - rd) (c = d = 1): t^-2 holds exactly (the implicit
    solution (67)), but the double-precision branch of subexponential_checks estimates an exponent
    ~2.66 and is undecided."""
    c, dd = Fraction(1), Fraction(1)
    case = ScalarCase(dd, c**3 / dd, -Fraction(3, 2) * c**2 / dd, -c - 1000 * 3 * c, (2 * c, -c))
    assert_pass(C.subexponential_checks(run_context, [case], 2.0), [case])
