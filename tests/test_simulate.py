"""Unit tests of fa_proofs.simulate (batch DOP853 and the mpmath reference)."""
from __future__ import annotations

import mpmath
import numpy as np
import pytest

from fa_proofs.arith import MP
from fa_proofs.errors import UsageError
from fa_proofs.simulate import BatchSolution, integrate_batch, integrate_mp


def decay(_t, y, a):
    return -a * y


def test_linear_decay_per_trajectory_rate():
    a = np.array([0.3, 0.7, 1.0, 1.9, 3.0])
    t_eval = np.linspace(0.0, 2.0, 9)
    sol = integrate_batch(decay, np.ones((1, a.size)), t_eval, (a,), rtol=1e-10)
    assert isinstance(sol, BatchSolution)
    assert sol.y.shape == (t_eval.size, 1, a.size)
    assert sol.success.all() and (sol.n_steps > 0).all()
    exact = np.exp(-np.outer(t_eval, a))
    np.testing.assert_allclose(sol.y[:, 0, :], exact, rtol=1e-9, atol=0)


def test_blow_up_fails_alone():
    # y' = y^2: y0 = 1 blows up at t = 1; y0 = 0.4 at t = 2.5 (after the horizon); y0 = -1 decays
    y0 = np.array([[1.0, -1.0, 0.4, 0.25]])
    t_eval = np.array([0.0, 0.5, 1.5, 2.0])
    sol = integrate_batch(lambda _t, y: y * y, y0, t_eval)
    assert sol.success.tolist() == [False, True, True, True]
    assert "3 of 4" in sol.message
    # the failed trajectory is right up to where it failed and NaN after, never garbage
    assert sol.y[1, 0, 0] == pytest.approx(2.0, rel=1e-9)
    assert np.isnan(sol.y[2:, 0, 0]).all()
    exact = 1.0 / (1.0 / y0[0, 1:] - t_eval[:, None])
    np.testing.assert_allclose(sol.y[:, 0, 1:], exact, rtol=1e-9)


def test_non_finite_and_max_steps_are_failures():
    c = np.array([1.0, np.nan, 1.0])
    sol = integrate_batch(lambda _t, y, c: c * np.ones_like(y), np.zeros((1, 3)),
                          [0.0, 1.0], (c,))
    assert sol.success.tolist() == [True, False, True]
    assert np.isnan(sol.y[1, 0, 1]) and sol.y[1, 0, 0] == pytest.approx(1.0)
    assert "non-finite" in sol.message

    w = np.array([1.0, 200.0])             # the fast oscillator needs far more than 20 steps
    sol = integrate_batch(lambda _t, y, w: np.stack([w * y[1], -w * y[0]]),
                          np.array([[1.0, 1.0], [0.0, 0.0]]), [0.0, 5.0], (w,), max_steps=20)
    assert sol.success.tolist() == [True, False]
    assert sol.n_steps[1] == 20 and np.isnan(sol.y[1, :, 1]).all()
    assert "max_steps" in sol.message


def test_t_eval_hit_exactly():
    t_eval = np.array([0.0, 0.1, 1.0 / 3.0, 0.7, 2.0000001, 5.0])
    seen = []

    def rhs(t, y, a):
        seen.append(np.array(t, copy=True))
        return np.stack([np.ones_like(y[0]), -a * y[1]])

    a = np.array([0.2, 0.9, 1.5])
    sol = integrate_batch(rhs, np.vstack([np.zeros(3), np.ones(3)]), t_eval, (a,))
    assert sol.success.all()
    np.testing.assert_array_equal(sol.t, t_eval)
    times = np.concatenate(seen)
    assert times.max() == t_eval[-1] and times.min() == t_eval[0]   # never beyond the horizon
    for tk in t_eval[1:]:
        assert np.count_nonzero(times == tk) >= a.size                # every trajectory lands
    # y1' = 1: y1(t) = t at each output time, up to rounding only
    np.testing.assert_allclose(sol.y[:, 0, :], np.repeat(t_eval[:, None], 3, axis=1),
                               rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(sol.y[:, 1, :], np.exp(-np.outer(t_eval, a)), rtol=1e-9)


def test_args_follow_active_set_compaction():
    """Harmonic oscillators with per-trajectory frequency and amplitude, shuffled so that fast-
    and slow-finishing trajectories are interleaved: after trajectories are dropped from the
    active set, each survivor must still get its own parameters."""
    rng = np.random.default_rng(1)
    n = 64
    w = rng.permutation(np.geomspace(0.05, 40.0, n))
    amp = rng.uniform(0.5, 2.0, n)
    phase = 0.25                       # a shared scalar argument

    def osc(_t, y, w, amp, phase):
        assert np.shape(w) == np.shape(amp) == (y.shape[1],)
        return np.stack([w * y[1], -w * y[0], amp * phase * np.ones_like(y[2])])

    t_eval = np.array([0.0, 1.0, 3.0])
    y0 = np.vstack([amp, np.zeros(n), np.zeros(n)])
    sol = integrate_batch(osc, y0, t_eval, (w, amp, phase), rtol=1e-11, atol=1e-13)
    assert sol.success.all()
    assert sol.n_steps.max() > 10 * sol.n_steps.min()     # so the active set did shrink
    wt = np.outer(t_eval, w)
    np.testing.assert_allclose(sol.y[:, 0, :], amp * np.cos(wt), atol=1e-7)
    np.testing.assert_allclose(sol.y[:, 1, :], -amp * np.sin(wt), atol=1e-7)
    np.testing.assert_allclose(sol.y[:, 2, :], phase * np.outer(t_eval, amp), rtol=1e-12)


def test_matches_scipy_dop853_step_for_step():
    solve_ivp = pytest.importorskip("scipy.integrate").solve_ivp
    r = solve_ivp(lambda _t, y: np.array([y[1], -np.sin(y[0])]), (0.0, 20.0), [1.0, 0.0],
                  method="DOP853", rtol=1e-10, atol=1e-12)
    sol = integrate_batch(lambda _t, y: np.stack([y[1], -np.sin(y[0])]),
                          np.array([[1.0], [0.0]]), [0.0, 20.0])
    assert sol.n_steps[0] == r.t.size - 1
    np.testing.assert_allclose(sol.y[-1, :, 0], r.y[:, -1], rtol=0, atol=1e-12)


def test_bad_input_is_a_usage_error():
    with pytest.raises(UsageError):
        integrate_batch(decay, np.ones(3), [0.0, 1.0], (1.0,))
    with pytest.raises(UsageError):
        integrate_batch(decay, np.ones((1, 3)), [0.0, 1.0, 0.5], (1.0,))
    with pytest.raises(UsageError):
        integrate_batch(decay, np.ones((1, 3)), [0.0, 1.0], (np.ones(2),))


def test_integrate_mp_exponential_to_25_digits():
    t_eval = [0.0, 0.5, 1.0, 2.0, 3.0]
    before = mpmath.mp.dps
    out = integrate_mp(lambda _t, y: [-y[0]], [1.0], t_eval, dps=30)
    assert mpmath.mp.dps == before                       # a private context, nothing global
    assert len(out) == len(t_eval) and all(len(row) == 1 for row in out)
    ctx = MP(30).ctx
    for tt, (v,) in zip(t_eval, out):
        assert isinstance(v, ctx.mpf)
        exact = ctx.exp(-ctx.mpf(tt))
        assert abs(v - exact) <= ctx.mpf("1e-25") * exact
