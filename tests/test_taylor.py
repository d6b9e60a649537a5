"""Unit tests of fa_proofs.taylor (the batched Taylor integrator for polynomial fields) and of
the first integrals of the L-layer flow it is benchmarked on."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from fa_proofs.arith import FLOAT, MP
from fa_proofs.errors import UsageError
from fa_proofs.model import network as N
from fa_proofs.model.dynamics import SHALLOW_FLOW, deep_flow
from fa_proofs.simulate import BatchSolution, integrate_batch, integrate_mp
from fa_proofs.taylor import _Mul, integrate_taylor, polynomial_field
from fa_proofs.taylor_kernel import kernel

x, y, a, b = sp.symbols("x y a b", real=True)

BACKENDS = ["numpy", pytest.param("c", marks=pytest.mark.skipif(
    kernel(polynomial_field([-x], [x])) is None, reason="no C compiler"))]


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def test_linear_decay_per_trajectory_rate(backend):
    rate = np.array([0.3, 0.7, 1.0, 1.9, 3.0, 40.0])
    t_eval = np.linspace(0.0, 2.0, 9)
    sol = integrate_taylor(polynomial_field([-a * x], [x], [a]), np.ones((1, rate.size)), t_eval,
                           (rate,), rtol=1e-13, atol=1e-15, backend=backend)
    assert isinstance(sol, BatchSolution) and sol.y.shape == (t_eval.size, 1, rate.size)
    assert sol.success.all() and (sol.n_steps > 0).all() and (sol.n_rejected == 0).all()
    np.testing.assert_allclose(sol.y[:, 0, :], np.exp(-np.outer(t_eval, rate)), rtol=1e-11,
                               atol=1e-14)


def test_blow_up_is_a_failure_of_that_trajectory_only(backend):
    # y' = y^2: y0 = 1 blows up at t = 1, y0 = 0.4 at t = 2.5 (after the horizon), -1 decays
    y0 = np.array([[1.0, -1.0, 0.4, 0.25]])
    t_eval = np.array([0.0, 0.5, 1.5, 2.0])
    sol = integrate_taylor(polynomial_field([x**2], [x]), y0, t_eval, backend=backend)
    assert sol.success.tolist() == [False, True, True, True]
    assert "3 of 4" in sol.message and "step underflow" in sol.message
    assert sol.y[1, 0, 0] == pytest.approx(2.0, rel=1e-10)       # right up to the failure
    assert np.isnan(sol.y[2:, 0, 0]).all()                         # NaN after, never garbage
    exact = 1.0 / (1.0 / y0[0, 1:] - t_eval[:, None])
    np.testing.assert_allclose(sol.y[:, 0, 1:], exact, rtol=1e-10)


def test_two_layer_flow_against_mpmath():
    fl = SHALLOW_FLOW
    dd, ll = np.array([0.3, 1.0, 4.0]), np.array([2.0, 0.5, 1.0])
    y0 = np.array([[-1.5, 0.2, 2.0], [0.5, -2.0, 1.0]])
    times = [0.0, 1.0, 3.0]
    sol = integrate_taylor(fl.taylor(), y0, times, (dd, ll), rtol=1e-12, atol=1e-14)
    assert sol.success.all()
    mp = MP(20)
    for j in range(3):
        ref = integrate_mp(fl.mp_rhs(20, (mp.convert(dd[j]), mp.convert(ll[j]))), y0[:, j],
                           times, dps=20)
        for k in range(len(times)):
            np.testing.assert_allclose(sol.y[k, :, j], [float(v) for v in ref[k]], rtol=0,
                                       atol=1e-10)


def test_deep_flow_against_integrate_batch_and_its_invariants(backend):
    L = 4
    fl = deep_flow(L)
    rng = np.random.default_rng(3)
    n = 40
    params = np.exp(rng.uniform(np.log(0.3), np.log(3.0), (len(fl.params), n)))
    y0 = rng.uniform(-1.2, 1.2, (L, n))
    times = np.array([0.0, 0.5, 2.0])
    tay = integrate_taylor(fl.taylor(), y0, times, tuple(params), rtol=1e-12, atol=1e-14,
                           backend=backend)
    dop = integrate_batch(fl.batch_rhs(), y0, times, tuple(params), rtol=1e-12, atol=1e-14)
    assert tay.success.all() and dop.success.all()
    np.testing.assert_allclose(tay.y, dop.y, rtol=0, atol=1e-8)
    inv = FLOAT.compile(fl.invariants, fl.state + fl.params)
    start = np.array(inv(*y0, *params))
    end = np.array(inv(*tay.y[-1], *params))
    assert np.abs(end - start).max() < 1e-9 * max(1.0, np.abs(start).max())


def test_backends_agree_and_a_trajectory_does_not_depend_on_its_batch():
    if kernel(SHALLOW_FLOW.taylor()) is None:
        pytest.skip("no C compiler")
    fl = deep_flow(3)
    rng = np.random.default_rng(5)
    n = 37                                   # not a multiple of the kernel's lanes
    params = np.exp(rng.uniform(np.log(0.3), np.log(3.0), (len(fl.params), n)))
    y0 = rng.uniform(-1.5, 1.5, (3, n))
    times = [0.0, 1.0, 4.0]
    c = integrate_taylor(fl.taylor(), y0, times, tuple(params), backend="c")
    nb = integrate_taylor(fl.taylor(), y0, times, tuple(params), backend="numpy")
    np.testing.assert_allclose(c.y, nb.y, rtol=0, atol=1e-9)
    alone = integrate_taylor(fl.taylor(), y0[:, 11:12], times, tuple(params[:, 11:12]),
                             backend="c")
    np.testing.assert_array_equal(alone.y[..., 0], c.y[..., 11])    # bit for bit
    assert alone.n_steps[0] == c.n_steps[11]


def test_non_finite_and_max_steps_are_per_trajectory_failures(backend):
    c = np.array([1.0, np.nan, 1.0])
    sol = integrate_taylor(polynomial_field([a], [x], [a]), np.zeros((1, 3)), [0.0, 1.0], (c,),
                           backend=backend)
    assert sol.success.tolist() == [True, False, True]
    assert np.isnan(sol.y[1, 0, 1]) and sol.y[1, 0, 0] == pytest.approx(1.0)
    assert "non-finite" in sol.message

    w = np.array([1.0, 200.0])             # the fast oscillator needs far more than 5 steps
    osc = polynomial_field([a * y, -a * x], [x, y], [a])
    sol = integrate_taylor(osc, np.array([[1.0, 1.0], [0.0, 0.0]]), [0.0, 5.0], (w,),
                           max_steps=5, order=20, backend=backend)
    assert sol.success.tolist() == [True, False]
    assert sol.n_steps[1] == 5 and np.isnan(sol.y[1, :, 1]).all()
    assert "max_steps" in sol.message


def test_t_eval_landing_and_rest(backend):
    t_eval = np.array([0.0, 0.1, 1.0 / 3.0, 0.7, 2.0000001, 5.0])
    field = polynomial_field([sp.Integer(1), -a * y, sp.Integer(0)], [x, y, b], [a])
    rate = np.array([0.2, 0.9, 1.5])
    y0 = np.vstack([np.zeros(3), np.ones(3), np.full(3, 7.0)])
    sol = integrate_taylor(field, y0, t_eval, (rate,), rtol=1e-12, atol=1e-14, backend=backend)
    assert sol.success.all()
    np.testing.assert_array_equal(sol.t, t_eval)
    np.testing.assert_allclose(sol.y[:, 0, :], np.repeat(t_eval[:, None], 3, axis=1),
                               rtol=1e-14, atol=1e-15)       # x' = 1: x = t, up to rounding
    np.testing.assert_allclose(sol.y[:, 1, :], np.exp(-np.outer(t_eval, rate)), rtol=1e-11)
    assert (sol.y[:, 2, :] == 7.0).all()                     # at rest: exactly
    # a system at rest takes one step per output time
    rest = integrate_taylor(polynomial_field([sp.Integer(0)], [x]), np.ones((1, 2)), t_eval,
                            backend=backend)
    assert rest.success.all() and (rest.n_steps == t_eval.size - 1).all()
    assert np.isnan(rest.h_min).all()                        # every step landed on an output


def test_large_theta_on_the_manifold_adapts_the_step(backend):
    """L = 6 on the invariant manifold from theta = 0 (theta_1 = t + O(t^64): the tail of the
    series vanishes there, and must not allow a huge step) and from theta_1(0) = 2 r, where the
    right-hand side is ~1e29: the series are scaled by the step, so nothing overflows, the step
    grows from ~1e-21 and the run takes a few hundred steps."""
    L = 6
    fl = deep_flow(L)
    ones = {s: 1 for s in fl.params}
    cs = [float(sp.sympify(c).subs(ones)) for c in N.layer_constants(L)]
    r = (1.0 / float(sp.sympify(N.layers_K(L)).subs(ones))) ** (1.0 / N.layers_gamma(L))
    th = np.array([[c * (s * r) ** (2**l) for s in (0.0, 1.0, 2.0)] for l, c in enumerate(cs)])
    sol = integrate_taylor(fl.taylor(), th, [0.0, 10.0], tuple(np.ones(len(fl.params))),
                           backend=backend)
    assert sol.success.all()
    assert sol.h_min[2] < 1e-20 and sol.n_steps.max() < 1000
    # all converge to theta_1 = r; from 2 r, theta_6(0) ~ 1e9 is only known to ~1e-7, and so are
    # the invariant and the limit
    np.testing.assert_allclose(sol.y[-1, 0], r, rtol=1e-12, atol=1e-3)
    np.testing.assert_allclose(sol.y[-1, 0, :2], r, rtol=1e-12)


def test_compiled_recurrence_shares_subexpressions():
    pf = deep_flow(6).taylor()
    # prefix products theta_1..theta_l (l = 2..6) for theta_1' = d_1 (lam - prod); every other
    # layer is theta_{l+1} = d_{l+1}/(2 d_l) theta_l^2 + const (a first integral): a square
    assert pf.n_products == 5
    assert pf.squares == tuple((l + 1, l, pf.squares[l][2]) for l in range(5))
    assert [sp.simplify(pf.consts[c] - N.fa_constants(6)[i] / (2 * N.fa_constants(6)[j]))
            for i, j, c in pf.squares] == [0] * 5
    assert pf.n_vars == 6 and len(pf.rhs) == 6
    sq = polynomial_field([x**5 - 3 * x * y, a * (x + y) ** 2], [x, y], [a])
    assert sq.n_products == 5
    sol = integrate_taylor(sq, np.array([[0.3], [0.1]]), [0.0, 0.2], (2.0,), rtol=1e-13,
                           atol=1e-15, backend="numpy")
    dop = integrate_batch(lambda _t, v, aa: np.stack([v[0]**5 - 3 * v[0] * v[1],
                                                       aa * (v[0] + v[1]) ** 2]),
                          np.array([[0.3], [0.1]]), [0.0, 0.2], (2.0,), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(sol.y, dop.y, rtol=0, atol=1e-12)
    assert all(isinstance(op, _Mul) or op.dst >= 2 for op in sq.ops)


def test_invariants_of_the_deep_flow_are_first_integrals():
    for L in range(2, 7):
        fl = deep_flow(L)
        assert len(fl.invariants) == L - 1
        for inv in fl.invariants:
            assert sp.simplify(fl.derivative_along(inv)) == 0
    assert sp.simplify(SHALLOW_FLOW.invariants[0] - SHALLOW_FLOW.conserved) == 0
    # the balanced-network quantity theta_2^2/d_2 - theta_1^2/d_1 is *not* conserved by (10)
    fl = deep_flow(3)
    th, ds = fl.state, N.fa_constants(3)
    assert sp.simplify(fl.derivative_along(th[1]**2 / ds[1] - th[0]**2 / ds[0])) != 0


def test_scalar_rhs_is_the_field():
    fl = deep_flow(3)
    f = fl.scalar_rhs()
    vals = [0.3, -1.2, 0.7]
    pars = [0.5, 2.0, 1.5]
    expect = FLOAT.compile(fl.field, fl.state + fl.params)(*vals, *pars)
    np.testing.assert_allclose(f(0.0, vals, *pars), [float(v) for v in expect], rtol=1e-15)


@pytest.mark.parametrize("call", [
    lambda: polynomial_field([1 / x], [x]),
    lambda: polynomial_field([sp.sin(x)], [x]),
    lambda: polynomial_field([sp.sqrt(x)], [x]),
    lambda: polynomial_field([x * b], [x]),                   # b: neither state nor parameter
    lambda: polynomial_field([x, y], [x]),                    # one component too many
    lambda: polynomial_field([x], [x], [x]),                  # x both state and parameter
    lambda: integrate_taylor(polynomial_field([-a * x], [x], [a]), np.ones((1, 2)), [0, 1]),
    lambda: integrate_taylor(polynomial_field([-x], [x]), np.ones(3), [0, 1]),
    lambda: integrate_taylor(polynomial_field([-x], [x]), np.ones((2, 3)), [0, 1]),
    lambda: integrate_taylor(polynomial_field([-x], [x]), np.ones((1, 3)), [0, 1, 0.5]),
    lambda: integrate_taylor(polynomial_field([-x], [x]), np.ones((1, 3)), [0, 1], order=1),
    lambda: integrate_taylor(polynomial_field([-x], [x]), np.ones((1, 3)), [0, 1], order=2.5),
    lambda: integrate_taylor(polynomial_field([-x], [x]), np.ones((1, 3)), [0, 1], atol=0.0),
    lambda: integrate_taylor(polynomial_field([-x], [x]), np.ones((1, 3)), [0, 1], rtol=-1),
    lambda: integrate_taylor(polynomial_field([-x], [x]), np.ones((1, 3)), [0, 1],
                             backend="gpu"),
    lambda: integrate_taylor(lambda t, v: -v, np.ones((1, 3)), [0, 1]),
])
def test_bad_input_is_a_usage_error(call):
    with pytest.raises(UsageError):
        call()


def test_backend_c_without_a_compiler_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("FA_PROOFS_NO_CC", "1")
    field = polynomial_field([-x], [x])
    with pytest.raises(UsageError):
        integrate_taylor(field, np.ones((1, 2)), [0.0, 1.0], backend="c")
    sol = integrate_taylor(field, np.ones((1, 2)), [0.0, 1.0])          # auto: NumPy
    np.testing.assert_allclose(sol.y[-1, 0], np.exp(-1.0), rtol=1e-9)


def test_integrate_flow_taylor_matches_dop853_in_rescaled_time():
    """What the claims call: (10) for L = 3 in tau = rho t, Taylor (tightened) vs DOP853."""
    from fa_proofs.simulate import integrate_flow
    fl = deep_flow(3)
    y0 = np.array([[0.5, -1.0, 1.2], [0.3, 0.8, -0.4], [1.0, 0.2, 0.5]])
    params = (np.array([2.0, 0.5, 1.0]), np.array([1.5, 3.0, 0.7]), np.array([1.0, 2.0, 0.5]))
    rho = np.array([0.5, 2.0, 1.0])
    tau = np.linspace(0.0, 4.0, 5)
    sols = [integrate_flow(fl, y0, tau, params, rho, rtol=1e-11, atol=1e-14, method=m)
            for m in ("taylor", "dop853")]
    assert all(s.success.all() for s in sols)
    np.testing.assert_allclose(sols[0].y, sols[1].y, rtol=0, atol=1e-9)
    with pytest.raises(UsageError):
        integrate_flow(fl, y0, tau, params, rho, rtol=1e-11, atol=1e-14, method="rk4")


def test_kernel_cache_is_not_the_verdict_cache(monkeypatch, tmp_path):
    from fa_proofs.taylor_kernel import cache_dir
    monkeypatch.setenv("FA_PROOFS_CACHE", str(tmp_path / "verdicts.json"))   # a file
    monkeypatch.delenv("FA_PROOFS_KERNEL_CACHE", raising=False)
    assert cache_dir() != tmp_path / "verdicts.json" and tmp_path not in cache_dir().parents
    monkeypatch.setenv("FA_PROOFS_KERNEL_CACHE", str(tmp_path / "kernels"))
    assert cache_dir() == tmp_path / "kernels"
