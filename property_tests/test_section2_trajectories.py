"""Section 2 and Appendix A: Hypothesis properties that integrate trajectories (opt-in, ``slow``).

Every test here is marked ``slow``: the default ``ci`` run skips them; they run under
``FA_PROOFS_PROFILE=dev``/``fuzz`` or with ``FA_PROOFS_SLOW=1``.  The claim id starts each test's
name and docstring.

* Points are drawn from the claims' own domains (``claim.domain.strategy(claim.parts)``): exact
  parameters over several decades, every sign the claim allows, initial values at / next to (down
  to 1e-9 relative) / between / far from the equilibria.  One example runs a claim's trajectory
  check on a batch of drawn points (one vectorised DOP853 integration: its cost is the step count,
  not the batch size).
* The verdicts come from the claims' own checks (convergence, theta1 theta2 -> lambda, K
  conserved, estimated rate = exact rate, stated rate <= observed, monotone product, sub-
  exponential decay, the matrix flow following (6)); each must PASS.  Every measure a check
  reports, divided by its tolerance, is fed to :func:`hypothesis.target`, so that ``fuzz``
  searches towards violations.
* The trajectories a check integrates are recorded (the checks' ``simulate`` is wrapped for the
  duration of the call, not re-run) for two more properties the claims imply: theta1 moves
  monotonically towards its limit and never leaves [theta0, limit].
"""
from __future__ import annotations

from contextlib import contextmanager
from fractions import Fraction
from typing import Iterator

import numpy as np
import pytest
from hypothesis import given, note, target
from hypothesis import strategies as st

from fa_proofs.arith import FLOAT
from fa_proofs.engine.run import Run, evaluate_at
from fa_proofs.model import symbols as Y
from fa_proofs.profiles import get_profile
from fa_proofs.registry import get
from fa_proofs.sections.shallow import checks as CH
from fa_proofs.sections.shallow import numerics as NU
from fa_proofs.sections.shallow import matrix as MX
from fa_proofs.sections.shallow import theorem2 as T2
from fa_proofs.sections.shallow import theorem3 as T3
from fa_proofs.sections.shallow.numerics import case_of, monotone_violation, targets
from fa_proofs.simulate import integrate_batch
from fa_proofs.verdicts import Status

from claim_runs import batch, run_checks

pytestmark = pytest.mark.slow


# --- running a claim's checks on drawn points ------------------------------------------------------
@contextmanager
def recording() -> Iterator[list]:
    """Wrap the claims' and checks' ``simulate`` for the duration of the block and collect its results."""
    runs: list = []
    original = NU.simulate

    def spy(*args, **kwargs):
        tr = original(*args, **kwargs)
        runs.append(tr)
        return tr

    for module in (CH, T2, T3):
        module.simulate = spy
    try:
        yield runs
    finally:
        for module in (CH, T2, T3):
            module.simulate = original




def monotone_towards(tr, points: list[dict], label: str) -> None:
    """theta1 moves monotonically from theta0 towards its limit and never leaves [theta0, limit].
    Starts exactly at an equilibrium (P(theta0) = 0, decided exactly) are at rest; doubles cannot
    hold a repelling one (the checks certify those exactly), so they are left out here."""
    cases = [case_of(p) for p in points]
    limit, _, _ = targets(cases)
    theta0 = np.array([float(c.theta0) for c in cases])
    moving = np.array([c.P(c.theta0) != 0 for c in cases])
    direction = np.sign(limit - theta0)
    direction[direction == 0] = 1.0
    scale = np.maximum(np.abs(tr.theta1).max(axis=0), np.abs(limit))
    tol = CH.MONOTONE_RTOL * scale
    viol = np.where(moving, monotone_violation(tr.theta1, direction, tol), 0.0)
    ratio = lambda v: float(np.divide(v, tol, out=np.zeros_like(v), where=tol > 0).max())
    target(ratio(viol), label=f"{label}: theta1 step against direction / tol")
    assert not viol.any(), f"theta1 not monotone: {viol}"
    lo, hi = np.minimum(theta0, limit), np.maximum(theta0, limit)
    out = np.maximum(lo - tr.theta1.min(axis=0), 0) + np.maximum(tr.theta1.max(axis=0) - hi, 0)
    out = np.where(moving, out, 0.0)
    target(ratio(out), label=f"{label}: theta1 outside [theta0, limit] / tol")
    assert (out <= tol).all(), f"theta1 leaves [theta0, limit] by {out}"


def flow(run, cid: str, check: str, points: list[dict], monotone: bool = True) -> None:
    with recording() as runs:
        run_checks(run, cid, {check}, points)
    if monotone and runs:
        monotone_towards(runs[0], points, cid)


# === (a) Remark 13: all four sign cases of (d, lambda) ==========================================
@given(st.data())
def test_rem13_four_sign_cases_trajectories(run_context, data):
    """rem13: (d, lambda) in the four sign quadrants (r = (2 d lambda)^(1/3) < 0 when the signs
    differ), under (7): theta1 -> r monotonically (never past r), theta1 theta2 -> lambda
    monotonically, K conserved, the observed rate equals the derived (3/2) r^2 = the stated one."""
    flow(run_context, "rem13", "four sign cases of (d, lambda)", batch(data, "rem13"))


# === (b) Theorem 2 and Theorem 3 with its cases ==================================================
@given(st.data())
def test_thm2_trajectories_limit_rate_monotone(run_context, data):
    """thm2: d, lambda > 0 over four decades, theta0 of every sign, at/near/far from r, under (7):
    theta1 -> the printed limit, theta1 theta2 -> lambda increasing for theta0 < r and decreasing
    for theta0 > r, K conserved, observed rate = exact rate >= the printed rate (41)."""
    flow(run_context, "thm2", "trajectories of (6) with (7)", batch(data, "thm2"))


@given(st.data())
def test_thm3_fig1a_independent_starts(run_context, data):
    """thm3, fig1a: independent theta1(0), theta2(0) (and Figure 1a's grid): theta1 theta2 ->
    lambda, K conserved, theta1 -> the root of (54) at the derived rate, bounded by its start and
    its limit."""
    flow(run_context, "thm3", "independent initial values", batch(data, "thm3"))
    flow(run_context, "fig1a", "Figure 1a grid (d = 0.2, lambda = 3)", batch(data, "fig1a"))


@given(st.data())
def test_thm3_delta_pos_trajectories(run_context, data):
    """thm3.delta_pos: Delta > 0 (roots exact): theta1 -> r3 above r2, -> r1 below, r2 at rest;
    at the exact rate, and the printed rates (61) do not exceed the observed ones."""
    flow(run_context, "thm3.delta_pos", "trajectories, Delta > 0", batch(data, "thm3.delta_pos"))


@given(st.data())
def test_thm3_delta_neg_trajectories(run_context, data):
    """thm3.delta_neg: Delta < 0 (down to the ghost of the double root, w -> 1): theta1 -> r from
    every start at the exact rate; the printed rate (64) does not exceed the observed one."""
    flow(run_context, "thm3.delta_neg", "trajectories, Delta < 0", batch(data, "thm3.delta_neg"))


@given(st.data())
def test_thm3_delta_zero_trajectories(run_context, data):
    """thm3.delta_zero: Delta = 0: from theta0 >= rd theta1 -> rs exponentially at (rs - rd)^2/2
    (rd itself at rest); from theta0 < rd, |theta1 theta2 - lambda| ~ t^-2 (doubles where they
    resolve it, the exact implicit solution (67) at high precision next to rd)."""
    pts = batch(data, "thm3.delta_zero")
    to_rs = [p for p in pts if get("thm3.delta_zero").check("trajectories to rs")[0].applies(p)]
    if to_rs:
        flow(run_context, "thm3.delta_zero", "trajectories to rs", to_rs)
    run_checks(run_context, "thm3.delta_zero", {"sub-exponential convergence to rd"}, pts)


@given(st.data())
def test_thm3_lambda_zero_trajectories(run_context, data):
    """thm3.lambda_zero: lambda = 0, K != 0: K > 0: theta1 -> 0 at rate dK; K < 0: 0 repels and
    theta1 -> +-sqrt(-2dK) at rate -2dK; theta1 theta2 -> 0, K conserved, at the derived rate.
    (Starts within 10x the equilibrium scale: see the xfail test below.)"""
    def near(p):
        c = case_of({**p, "lam": 0})
        return c.K != 0 and abs(float(c.theta0)) <= 10 * max(abs(float(2 * c.d * c.K)) ** 0.5, 1)
    flow(run_context, "thm3.lambda_zero", "lambda = 0, K != 0",
         batch(data, "thm3.lambda_zero", where=near))


@given(st.data())
def test_thm2_lambda_zero_explicit_solution_and_power_law(run_context, data):
    """thm2.lambda_zero (and eq72): lambda = K = 0: |theta1 theta2| decays like t^(-3/2) (exponent
    within 0.01), not exponentially, and the printed exponent does not exceed the observed one;
    the simulated theta1 follows the printed solution (relative 1e-8)."""
    pts = batch(data, "thm2.lambda_zero")
    with recording() as runs:
        run_checks(run_context, "thm2.lambda_zero", {"trajectories: |theta1 theta2| ~ t^-3/2"},
                   pts)
    tr = runs[0]
    claim = get("thm2.lambda_zero")
    sol = FLOAT.compile([claim.parts["theta1"]], (Y.t, Y.theta0))
    th0 = np.array([float(p["theta1_0"]) for p in pts])
    exact = sol(tr.tau[:, None] / tr.rho[None, :], th0[None, :])[0]
    rel = (np.abs(tr.theta1 - exact) / np.abs(exact)).max(axis=0)
    target(float(rel.max()) / 1e-8, label="thm2.lambda_zero: deviation from printed solution")
    assert (rel <= 1e-8).all(), f"deviation {rel} from the printed solution; points {pts}"


# === (c) Proposition 1, (4)-(6): the matrix flow ==================================================
@given(st.data())
def test_prop1_eq6_matrix_flow_decouples(run_context, data):
    """prop1, eq6: the FA matrix flow (3) itself, with Sxx = V Lxx V^T, Sxy = U Lxy V^T,
    M = R D U^T (exact random orthogonal U, V, R) and W1 = R W1_bar V^T, W2 = U W2_bar R^T started
    diagonal (>= 0: see the saddle test below): in the rotated frame the weights stay diagonal and
    follow the scalar flows (6) with theta = Lxx_ii^(1/2) (W_bar)_ii, d_i = D_ii Lxx_ii^(1/2),
    lambda_i = (Lxy)_ii (relative 1e-7)."""
    run_checks(run_context, "eq6", {"matrix flow (3) follows (6)"}, batch(data, "eq6", 3))


@st.composite
def saddle_setup(draw):
    """Theorem 3, Delta > 0 (a drawn point of thm3.delta_pos with theta0 < r2), lifted to the
    rotated-frame flow (4) with d = 2 inputs, h = 1 hidden unit, o = 1 output:
    Lxx = diag(s0^2, s1^2), Lxy = [lambda, 0], D = [D0] with D0 s0 = d, so that
    theta1 = s0 W1_bar[0,0], theta2 = s0 W2_bar[0,0] solve (6); the scalar flow goes to r1, where
    theta2 = lambda/r1 < 0; and an off-diagonal start W1_bar[0,1] = eta (0 < |eta| <= 1e-6)."""
    claim = get("thm3.delta_pos")
    mag = st.builds(lambda m: Fraction(m, 3000), st.integers(1000, 9999))    # [1/3, 10/3)
    s0, s1 = draw(mag), draw(mag)
    p = draw(claim.domain.strategy(claim.parts).filter(
        lambda q: len(case_of(q).roots()) == 3 and 1 / 3 <= q["d"] / s0 <= 10 / 3
        and case_of(q).theta0 < float(case_of(q).roots()[1])
        and abs(float(case_of(q).theta0)) < 5 * abs(float(case_of(q).roots()[0]))))
    eta = draw(st.sampled_from([1, -1])) * Fraction(draw(st.integers(1, 99)), 10) / \
        Fraction(10) ** draw(st.integers(7, 13))
    return dict(D0=p["d"] / s0, s0=s0, s1=s1, point=p, eta=eta)


@given(saddle_setup())
def test_eq6_thm3_delta_pos_r1_is_a_saddle_of_the_matrix_flow(setup):
    """eq6, thm3.delta_pos (finding, not a claim of the paper): the diagonal set is invariant (eq6)
    but the scalar attractor r1 of Theorem 3 (theta2 = lambda/r1 < 0) is a saddle of the matrix
    flow.  Exactly diagonal (eta = 0): W1_bar[0,1] stays exactly 0 and theta1 -> r1.  Any
    eta != 0: W1_bar[0,1] = eta exp(-D0 s1^2 int W2_bar) never vanishes and grows near r1;
    K~ = W2_bar - |W1_bar|^2/(2 D0) is conserved, so the flow moves along the same parabola to r3:
    theta1 theta2 -> lambda still, but at r3, not at r1."""
    D0, s0, s1, p, eta = (setup[k] for k in ("D0", "s0", "s1", "point", "eta"))
    case = case_of(p)
    note(f"setup {setup}")
    r1, r2, r3 = (float(v) for v in case.roots())
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
    assert (w1[:, 0] == 0).all()
    assert rel(th1[-1, 0], r1) <= CH.CONVERGENCE_RTOL, f"diagonal run ends at {th1[-1, 0]}"
    assert abs(th1[-1, 0] * th2[-1, 0] - lamf) / lamf <= CH.CONVERGENCE_RTOL
    floor = 1e-12 * np.abs(sol.y[:, :, 1]).max()
    assert (np.sign(w1[:, 1]) * np.sign(float(eta)) > 0)[np.abs(w1[:, 1]) > floor].all()
    kt = v[:, 1] - (w0[:, 1] ** 2 + w1[:, 1] ** 2) / (2 * D0f)
    drift = np.abs(kt - kt[0]).max() / max(np.abs(v[:, 1]).max(), 1.0)
    target(drift / CH.K_DRIFT_TOL, label="eq6 saddle: K~ drift / tol")
    assert drift < CH.K_DRIFT_TOL, f"K~ drift {drift:.2e}"
    target(rel(th1[-1, 1], r3) / CH.CONVERGENCE_RTOL, label="eq6 saddle: end error at r3 / tol")
    assert rel(th1[-1, 1], r3) <= CH.CONVERGENCE_RTOL, f"perturbed run ends at {th1[-1, 1]}"
    assert abs(th1[-1, 1] * th2[-1, 1] - lamf) / lamf <= CH.CONVERGENCE_RTOL
    peak = np.abs(w1[:, 1]).max()
    assert abs(w1[-1, 1]) <= CH.CONVERGENCE_RTOL * max(peak, 1.0)
    near = (np.abs(th1[:, 1] - r1) <= 1e-6 * max(abs(r1), 1.0)) & \
        (np.abs(w1[:, 1]) <= 1e-6 * max(abs(a0), 1.0))
    idx = np.nonzero(near)[0]
    if len(idx) >= 2 and times[idx[-1]] > times[idx[0]]:
        est = (np.log(abs(w1[idx[-1], 1])) - np.log(abs(w1[idx[0], 1]))) / \
            (times[idx[-1]] - times[idx[0]])
        target(abs(est / grow - 1) / CH.RATE_RTOL, label="eq6 saddle: growth rate mismatch / tol")
        assert abs(est / grow - 1) <= CH.RATE_RTOL, f"growth rate {est} vs {grow}"


# === library limitations, pinned (strict xfail: they start failing once the library is fixed) ===
def _all_pass(result) -> None:
    bad = [c for c in result.checks if c.status is not Status.PASS]
    assert not bad, [(c.name, c.status.value, c.measure, c.note) for c in bad]


def test_thm3_lambda_zero_far_start_rate_window():
    """thm3.lambda_zero at one far start (theta0 = 100 sqrt(2dK), d = K = 1): the trajectory decays
    at exactly dK once linear.  (Fixed: the rate window of lambda = 0 was relative to the initial
    product ~ 1e6, hence in the nonlinear regime, and the claim undecided; it is now relative to
    the product's scale in the linear regime, |rate|/d sqrt(2d|K|).)"""
    th0 = Fraction(141421356, 1000000)
    res = evaluate_at(get("thm3.lambda_zero"), {"d": "1", "theta1_0": str(th0),
                                                "theta2_0": str(th0**2 / 2 + 1)},
                      get_profile("ci"))
    _all_pass(res)


@pytest.mark.xfail(strict=True, reason=(
    "library: the sub-exponential check integrates starts far below rd in doubles; the rounding "
    "drift of K ~ 1e-11 |theta2(0)| moves the trajectory off the Delta = 0 parabola, so the t^-2 "
    "law is lost (the exact (67) branch is only used next to rd)"))
def test_thm3_delta_zero_far_below_rd():
    """thm3.delta_zero at theta0 = rd - 1000 (rs - rd) (c = d = 1): t^-2 holds exactly (the
    implicit solution (67)), but the double-precision branch estimates an exponent ~2.66 and is
    undecided (``verify thm3.delta_zero --at``)."""
    res = evaluate_at(get("thm3.delta_zero"), {"d": "1", "lam": "1", "K": "-3/2",
                                               "theta1_0": str(-1 - 3000)}, get_profile("ci"))
    _all_pass(res)


# === cases that profile dev left undecided, fixed (the checks, not the samples) ==================
def test_thm3_delta_pos_escape_from_r2_is_read_at_its_passage_times():
    """thm3.delta_pos at the two (d, lambda, K) of profile dev where the high-precision starts
    r2 +- e^-40 were undecided: read at a fixed horizon, one was within 1e-31 of r3 (where (56)
    loses its digits), the other not yet within 1e-6 of r1.  At the passage times of the derived
    cubic both are 1e-10 from their limits, and (56) holds along them."""
    from fa_proofs.sections.shallow import theorem3 as T3
    claim = get("thm3.delta_pos")
    run = Run(get_profile("ci"))
    run.claim = claim
    for p in ({"d": Fraction(66, 5), "lam": Fraction(4307360000157, 275000000000000),
               "K": Fraction(-23665060503, 550000000000), "theta1_0": Fraction(-219, 500)},
              {"d": Fraction(64, 25), "lam": Fraction(736376073759, 51200000000),
               "K": Fraction(-4598702829, 512000000), "theta1_0": Fraction(-171, 100)}):
        res = T3._delta_pos_hp(claim.parts, [dict(p), p], run)     # both signs: r3 and r1
        assert [r.status for r in res] == [Status.PASS] * 4, [(r.name, r.measure) for r in res]
        limits = [r.measure.value for r in res if r.name.startswith("r2 repels")]
        assert all(5e-11 < v < 2e-10 for v in limits), limits
