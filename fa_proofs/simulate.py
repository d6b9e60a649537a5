"""Vectorised batch integration of many independent ODE trajectories, and an mpmath reference.

``integrate_batch`` advances ``n_traj`` copies of a small ODE system at once with the explicit
Dormand--Prince 8(5,3) pair (DOP853).  Every trajectory has its own step size, its own
accept/reject decision and its own error control; all of them move in lock-step iterations of
vectorised NumPy (one call of the user's right-hand side per stage for the whole active set).
Trajectories that are finished (or failed) are removed from the active set, so the cost per
iteration shrinks as the batch drains.  The step-size logic is a transcription of SciPy's
``solve_ivp(method="DOP853")`` (same initial-step heuristic, same error norm, same controller),
so for a single trajectory both take essentially the same steps -- but SciPy is not needed at
run time.

``integrate_mp`` is a high-precision reference (mpmath's Taylor-series ``odefun``).

``integrate_flow`` is what the claims call for the polynomial flows (6) and (10) in a rescaled
time: the batch Taylor method (:mod:`fa_proofs.taylor`) at tolerances ten times tighter than
asked -- there it is at least as accurate as DOP853 at the asked ones on theta_1 and on the
conserved quantities, and far faster -- or, with ``FLOW_METHOD = "dop853"``, ``integrate_batch``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from fa_proofs.errors import UsageError

__all__ = ["BatchSolution", "integrate_batch", "integrate_flow", "integrate_mp"]

# --- DOP853 coefficients -----------------------------------------------------------------------
# Transcribed (the first 12 stages, the 8th-order weights and the two error estimators) from
# SciPy's scipy/integrate/_ivp/dop853_coefficients.py (SciPy 1.17, BSD-3-Clause licence,
# Copyright (c) 2001-2002 Enthought, Inc. 2003, SciPy Developers), which in turn transcribes
# E. Hairer's Fortran DOP853 (Hairer, Norsett, Wanner, "Solving Ordinary Differential Equations
# I", Sec. II.10).  The dense-output stages are not needed: every trajectory lands exactly on the
# output times instead of interpolating.
_N_STAGES = 12
_C = np.array([
    0.0,
    0.526001519587677318785587544488e-01,
    0.789002279381515978178381316732e-01,
    0.118350341907227396726757197510,
    0.281649658092772603273242802490,
    0.333333333333333333333333333333,
    0.25,
    0.307692307692307692307692307692,
    0.651282051282051282051282051282,
    0.6,
    0.857142857142857142857142857142,
    1.0,
])
_A = np.zeros((_N_STAGES + 1, _N_STAGES))  # row 12 holds the weights B of the 8th-order solution
_A[1, 0] = 5.26001519587677318785587544488e-2
_A[2, 0] = 1.97250569845378994544595329183e-2
_A[2, 1] = 5.91751709536136983633785987549e-2
_A[3, 0] = 2.95875854768068491816892993775e-2
_A[3, 2] = 8.87627564304205475450678981324e-2
_A[4, 0] = 2.41365134159266685502369798665e-1
_A[4, 2] = -8.84549479328286085344864962717e-1
_A[4, 3] = 9.24834003261792003115737966543e-1
_A[5, 0] = 3.7037037037037037037037037037e-2
_A[5, 3] = 1.70828608729473871279604482173e-1
_A[5, 4] = 1.25467687566822425016691814123e-1
_A[6, 0] = 3.7109375e-2
_A[6, 3] = 1.70252211019544039314978060272e-1
_A[6, 4] = 6.02165389804559606850219397283e-2
_A[6, 5] = -1.7578125e-2
_A[7, 0] = 3.70920001185047927108779319836e-2
_A[7, 3] = 1.70383925712239993810214054705e-1
_A[7, 4] = 1.07262030446373284651809199168e-1
_A[7, 5] = -1.53194377486244017527936158236e-2
_A[7, 6] = 8.27378916381402288758473766002e-3
_A[8, 0] = 6.24110958716075717114429577812e-1
_A[8, 3] = -3.36089262944694129406857109825
_A[8, 4] = -8.68219346841726006818189891453e-1
_A[8, 5] = 2.75920996994467083049415600797e1
_A[8, 6] = 2.01540675504778934086186788979e1
_A[8, 7] = -4.34898841810699588477366255144e1
_A[9, 0] = 4.77662536438264365890433908527e-1
_A[9, 3] = -2.48811461997166764192642586468
_A[9, 4] = -5.90290826836842996371446475743e-1
_A[9, 5] = 2.12300514481811942347288949897e1
_A[9, 6] = 1.52792336328824235832596922938e1
_A[9, 7] = -3.32882109689848629194453265587e1
_A[9, 8] = -2.03312017085086261358222928593e-2
_A[10, 0] = -9.3714243008598732571704021658e-1
_A[10, 3] = 5.18637242884406370830023853209
_A[10, 4] = 1.09143734899672957818500254654
_A[10, 5] = -8.14978701074692612513997267357
_A[10, 6] = -1.85200656599969598641566180701e1
_A[10, 7] = 2.27394870993505042818970056734e1
_A[10, 8] = 2.49360555267965238987089396762
_A[10, 9] = -3.0467644718982195003823669022
_A[11, 0] = 2.27331014751653820792359768449
_A[11, 3] = -1.05344954667372501984066689879e1
_A[11, 4] = -2.00087205822486249909675718444
_A[11, 5] = -1.79589318631187989172765950534e1
_A[11, 6] = 2.79488845294199600508499808837e1
_A[11, 7] = -2.85899827713502369474065508674
_A[11, 8] = -8.87285693353062954433549289258
_A[11, 9] = 1.23605671757943030647266201528e1
_A[11, 10] = 6.43392746015763530355970484046e-1
_A[12, 0] = 5.42937341165687622380535766363e-2
_A[12, 5] = 4.45031289275240888144113950566
_A[12, 6] = 1.89151789931450038304281599044
_A[12, 7] = -5.8012039600105847814672114227
_A[12, 8] = 3.1116436695781989440891606237e-1
_A[12, 9] = -1.52160949662516078556178806805e-1
_A[12, 10] = 2.01365400804030348374776537501e-1
_A[12, 11] = 4.47106157277725905176885569043e-2
_B = _A[_N_STAGES].copy()
_E3 = _B.copy()  # 8th order minus 3rd order
_E3[0] -= 0.244094488188976377952755905512
_E3[8] -= 0.733846688281611857341361741547
_E3[11] -= 0.220588235294117647058823529412e-1
_E5 = np.zeros(_N_STAGES)  # 8th order minus 5th order
_E5[0] = 0.1312004499419488073250102996e-1
_E5[5] = -0.1225156446376204440720569753e+1
_E5[6] = -0.4957589496572501915214079952
_E5[7] = 0.1664377182454986536961530415e+1
_E5[8] = -0.3503288487499736816886487290
_E5[9] = 0.3341791187130174790297318841
_E5[10] = 0.8192320648511571246570742613e-1
_E5[11] = -0.2235530786388629525884427845e-1
# _W[s] = [1, a_s0, ..., a_s(s-1)]: weights of the state and of the scaled stages in stage s
# (_W[12] = [1, B]: the new state).
_W = [np.concatenate([[1.0], _A[s, :s]]) for s in range(_N_STAGES + 1)]
_C_COL = _C.reshape(-1, 1)

# Step-size controller (as SciPy's RungeKutta / Hairer's DOP853).
_SAFETY = 0.9          # multiply the asymptotically optimal factor by this
_MIN_FACTOR = 0.2      # largest decrease of the step size in one rejection
_MAX_FACTOR = 10.0     # largest increase of the step size in one accepted step
_ERROR_EXPONENT = -1.0 / 8.0   # -1/(error estimator order + 1), error estimator of order 7

# Finished/failed trajectories are dropped from the working arrays once they make up at least
# this fraction of the active set (until then they ride along, masked out).
_COMPACT_FRACTION = 0.125


@dataclass
class BatchSolution:
    """Result of :func:`integrate_batch`.

    Attributes
    ----------
    t : ndarray, shape (m,)
        The output times (``t_eval``, as float), ``t[0]`` included.
    y : ndarray, shape (m, n_vars, n_traj)
        ``y[k, :, j]`` is trajectory ``j`` at time ``t[k]``.  Output times that a failed
        trajectory did not reach are NaN (never extrapolated or half-computed values).
    success : ndarray of bool, shape (n_traj,)
        False if the trajectory hit ``max_steps``, produced a non-finite state/derivative or
        its step size underflowed.
    n_steps : ndarray of int, shape (n_traj,)
        Accepted steps per trajectory (rejected attempts are not counted).
    message : str
        A one-line summary (counts of each kind of failure).
    h_min : ndarray of float, shape (n_traj,), optional
        Smallest accepted step per trajectory that was not clipped to an output time (NaN if
        there was none).
    n_rejected : ndarray of int, shape (n_traj,), optional
        Rejected step attempts per trajectory (always 0 for methods that never reject).
    """

    t: np.ndarray
    y: np.ndarray
    success: np.ndarray
    n_steps: np.ndarray
    message: str
    h_min: np.ndarray | None = None
    n_rejected: np.ndarray | None = None


def _view(buf: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A C-contiguous view of the first prod(shape) entries of the flat buffer ``buf``."""
    return buf[: int(np.prod(shape))].reshape(shape)


def _rms(x: np.ndarray) -> np.ndarray:
    """Root mean square over the variables (axis 0) of an (n_vars, n) array."""
    return np.sqrt(np.mean(x * x, axis=0))


def _validate(y0, t_eval, args, rtol, atol, max_steps, first_step):
    y0 = np.array(y0, dtype=float)     # a private copy
    if y0.ndim != 2 or y0.shape[0] == 0:
        raise UsageError(f"y0 must have shape (n_vars, n_traj), got {y0.shape}")
    n_vars, n_traj = y0.shape
    t_eval = np.array(t_eval, dtype=float).reshape(-1)
    if t_eval.size == 0 or not np.all(np.isfinite(t_eval)):
        raise UsageError("t_eval must be a non-empty 1-D array of finite times")
    if np.any(np.diff(t_eval) <= 0):
        raise UsageError("t_eval must be strictly increasing")
    rtol = float(rtol)
    if not rtol > 0:
        raise UsageError(f"rtol must be > 0, got {rtol}")
    atol = np.asarray(atol, dtype=float)
    if atol.ndim == 1 and atol.shape == (n_vars,):
        atol = atol.reshape(n_vars, 1)
    elif atol.ndim != 0:
        raise UsageError(f"atol must be a scalar or have shape ({n_vars},), got {atol.shape}")
    if np.any(atol < 0) or not np.all(np.isfinite(atol)):
        raise UsageError("atol must be finite and >= 0")
    if int(max_steps) < 1:
        raise UsageError(f"max_steps must be >= 1, got {max_steps}")
    full_args = []
    for k, a in enumerate(args):
        arr = np.asarray(a)
        if arr.ndim == 0:
            full_args.append(a)                         # a shared scalar: passed as is
        elif arr.shape[0] == n_traj:
            full_args.append(arr)                       # per trajectory, along the first axis
        else:
            raise UsageError(f"args[{k}] must be a scalar or have shape ({n_traj}, ...), "
                             f"got {arr.shape}")
    if first_step is not None:
        first_step = np.broadcast_to(np.asarray(first_step, dtype=float), (n_traj,)).copy()
        if not np.all((first_step > 0) & np.isfinite(first_step)):
            raise UsageError("first_step must be finite and > 0")
    return y0, t_eval, full_args, rtol, atol, int(max_steps), first_step


def _slice_args(args: Sequence[Any], index: np.ndarray) -> list[Any]:
    return [a[index] if isinstance(a, np.ndarray) else a for a in args]


def _initial_step(rhs, t0, y0, f0, args, interval, rtol, atol):
    """SciPy's ``select_initial_step`` (Hairer, Norsett, Wanner, Sec. II.4), per trajectory."""
    scale = atol + np.abs(y0) * rtol
    d0 = _rms(y0 / scale)
    d1 = _rms(f0 / scale)
    h0 = np.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / d1)
    h0 = np.where(np.isfinite(h0) & (h0 > 0), h0, 1e-6)
    h0 = np.minimum(h0, interval)
    y1 = y0 + h0 * f0
    f1 = np.asarray(rhs(t0 + h0, y1, *args), dtype=float)
    d2 = _rms((f1 - f0) / scale) / h0
    h1 = np.where((d1 <= 1e-15) & (d2 <= 1e-15), np.maximum(1e-6, h0 * 1e-3),
                  (0.01 / np.maximum(d1, d2)) ** (1.0 / 8.0))
    h = np.minimum(np.minimum(100 * h0, h1), interval)
    return np.where(np.isfinite(h) & (h > 0), h, h0 * 1e-3)


def integrate_batch(rhs: Callable[..., Any], y0: np.ndarray, t_eval: np.ndarray,
                    args: Sequence[Any] = (), *, rtol: float = 1e-10, atol: float = 1e-12,
                    max_steps: int = 200_000, first_step: float | np.ndarray | None = None,
                    ) -> BatchSolution:
    """Integrate ``n_traj`` independent trajectories of ``y' = rhs(t, y, *args)`` with DOP853.

    Parameters
    ----------
    rhs : callable
        ``rhs(t, Y, *args)`` evaluated for a whole (sub)set of ``n`` trajectories at once:
        ``t`` is an array of shape ``(n,)`` (each trajectory is at its own time), ``Y`` has shape
        ``(n_vars, n)`` and each element of ``args`` is either the scalar that was passed in or
        the per-trajectory array sliced to the same ``n`` trajectories, in the same order as the
        columns of ``Y``.  Returns an array (or a sequence of ``n_vars`` arrays) of shape
        ``(n_vars, n)``.  ``Y`` is a scratch buffer: ``rhs`` must not keep a reference to it.
    y0 : array, shape (n_vars, n_traj)
        Initial states (real).
    t_eval : 1-D array, strictly increasing
        Output times; the integration starts at ``t_eval[0]`` and every trajectory lands exactly
        on each of them (its step is clipped to the next output time).
    args : sequence
        Extra arguments of ``rhs``: scalars (shared) or arrays of shape ``(n_traj,)``.
    rtol, atol : float
        Relative and absolute tolerance (``atol`` may also have shape ``(n_vars,)``).  The error
        norm of a step is SciPy's DOP853 norm: an RMS over the variables of the error estimate
        divided by ``atol + rtol * max(|y|, |y_new|)``.
    max_steps : int
        Accepted steps allowed per trajectory; one that needs more is marked failed.
    first_step : float or array of shape (n_traj,), optional
        Initial step size; by default chosen per trajectory by SciPy's heuristic.

    Returns
    -------
    BatchSolution
        Failed trajectories (``success[j]`` False) are frozen where they failed: outputs they
        did not reach are NaN.

    Notes
    -----
    Same method, controller and error norm as SciPy's DOP853, but not the same bits: here the
    stages are stored multiplied by the step and every stage sum is one BLAS GEMV, whose
    summation order can also depend on the array length.  A run is deterministic, yet the same
    trajectory integrated alone, inside batches of other sizes, or by SciPy can differ at the
    rounding level (and, where an error norm sits right at 1, take one step more or less).
    """
    y0, t_eval, full_args, rtol, atol, max_steps, first_step = _validate(
        y0, t_eval, args, rtol, atol, max_steps, first_step)
    n_vars, n_traj = y0.shape
    m = t_eval.size
    y_out = np.full((m, n_vars, n_traj), np.nan)
    y_out[0] = y0
    success = np.ones(n_traj, dtype=bool)
    n_steps = np.zeros(n_traj, dtype=np.int64)
    n_rejected = np.zeros(n_traj, dtype=np.int64)
    h_min = np.full(n_traj, np.inf)
    fails = {"max_steps": 0, "non-finite": 0, "step underflow": 0, "step size not finite": 0}

    def result() -> BatchSolution:
        h_min[~np.isfinite(h_min)] = np.nan
        return BatchSolution(t_eval, y_out, success, n_steps, message(), h_min=h_min,
                             n_rejected=n_rejected)

    def message() -> str:
        n_bad = int(np.count_nonzero(~success))
        if n_bad == 0:
            return f"all {n_traj} trajectories reached t = {t_eval[-1]:g}"
        detail = ", ".join(f"{v} {k}" for k, v in fails.items() if v)
        return f"{n_traj - n_bad} of {n_traj} trajectories succeeded; failed: {detail}"

    if m == 1 or n_traj == 0:
        return result()

    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        t0 = t_eval[0]
        f0 = np.asarray(rhs(np.full(n_traj, t0), y0, *full_args), dtype=float)
        if f0.shape != (n_vars, n_traj):
            raise UsageError(f"rhs returned shape {f0.shape}, expected {(n_vars, n_traj)}")
        if first_step is None:
            h_abs = _initial_step(rhs, np.full(n_traj, t0), y0, f0, full_args,
                                  t_eval[-1] - t0, rtol, atol)
        else:
            h_abs = first_step
        alive = np.isfinite(y0).all(axis=0) & np.isfinite(f0).all(axis=0)
        if not alive.all():
            success[~alive] = False
            fails["non-finite"] += int(np.count_nonzero(~alive))
        act = np.nonzero(alive)[0]
        n = act.size

        # Working buffers, sized for the full batch; after each compaction the arrays are
        # C-contiguous views of their first entries.  Z stacks the state and the stages scaled
        # by the step, Z = [y, h k_0, ..., h k_11], so that every stage argument
        # y + sum_j a_sj h k_j (and the new state) is a single GEMV [1, a_s] @ Z.
        z_buf = np.empty((_N_STAGES + 1) * n_vars * n_traj)
        err_buf = np.empty(2 * n_vars * n_traj)
        stage_buf = np.empty(n_vars * n_traj)
        ynew_buf = np.empty(n_vars * n_traj)
        scale_buf = np.empty(n_vars * n_traj)
        tmp_buf = np.empty(n_vars * n_traj)
        tc_buf = np.empty(_N_STAGES * n_traj)

        def bind(n: int):
            Z = _view(z_buf, (_N_STAGES + 1, n_vars * n))
            return (Z, Z.reshape(_N_STAGES + 1, n_vars, n), _view(err_buf, (2, n_vars * n)),
                    _view(stage_buf, (n_vars * n,)), _view(ynew_buf, (n_vars * n,)),
                    _view(scale_buf, (n_vars, n)), _view(tmp_buf, (n_vars, n)),
                    _view(tc_buf, (_N_STAGES, n)))

        Z, Zv, err, st_flat, yn_flat, scale, tmp, tc = bind(n)
        Zv[0] = y0[:, act]                   # Z[0] is the current state y
        f = f0[:, act]                       # f(t, y) of the current state (FSAL)
        t = np.full(n, t0)
        h_abs = h_abs[act].copy()
        idx = np.ones(n, dtype=np.intp)      # index of the next output time
        t_next = np.full(n, t_eval[1])
        rejected = np.zeros(n, dtype=bool)   # the last attempt of this step was rejected
        steps = np.zeros(n, dtype=np.int64)
        rejects = np.zeros(n, dtype=np.int64)
        hmin = np.full(n, np.inf)
        alive = np.ones(n, dtype=bool)
        args_act = _slice_args(full_args, act)
        n_dead = 0

        span = float(t_eval[-1] - t0)
        while n > 0:
            y = Zv[0]
            # -- step size: SciPy's min_step guard, then clip to the next output time
            min_step = 10.0 * np.abs(np.nextafter(t, np.inf) - t)
            under = rejected & (h_abs < min_step) & alive
            if under.any():
                success[act[under]] = False
                fails["step underflow"] += int(np.count_nonzero(under))
                alive &= ~under
                n_dead += int(np.count_nonzero(under))
            np.maximum(h_abs, min_step, out=h_abs)
            t_new = t + h_abs
            np.minimum(t_new, t_next, out=t_new)
            h = t_new - t

            # -- the 12 stages (stage s: one GEMV over Z[:s+1], one rhs call, one scaling)
            np.multiply(_C_COL, h, out=tc)
            np.add(tc, t, out=tc)            # tc[s] = t + c_s h
            np.multiply(f, h, out=Zv[1])
            st = st_flat.reshape(n_vars, n)
            for s in range(1, _N_STAGES):
                np.dot(_W[s], Z[: s + 1], out=st_flat)
                np.multiply(rhs(tc[s], st, *args_act), h, out=Zv[s + 1])
            np.dot(_W[_N_STAGES], Z, out=yn_flat)
            y_new = yn_flat.reshape(n_vars, n)
            f_new = np.asarray(rhs(t_new, y_new, *args_act), dtype=float)

            # -- error norm (SciPy's DOP853 norm combining the 5th- and 3rd-order estimates;
            #    the estimates come out multiplied by h, which absorbs SciPy's factor |h|)
            np.dot(_E5, Z[1:], out=err[0])   # two GEMVs: faster than a 2-row GEMM
            np.dot(_E3, Z[1:], out=err[1])
            np.abs(y, out=scale)
            np.abs(y_new, out=tmp)
            np.maximum(scale, tmp, out=scale)
            np.multiply(scale, rtol, out=scale)
            np.add(scale, atol, out=scale)
            e = err.reshape(2, n_vars, n)
            np.divide(e[0], scale, out=tmp)
            np.multiply(tmp, tmp, out=tmp)
            err5 = tmp.sum(axis=0)
            np.divide(e[1], scale, out=tmp)
            np.multiply(tmp, tmp, out=tmp)
            denom = tmp.sum(axis=0)
            denom *= 0.01
            denom += err5
            denom *= n_vars
            err_norm = err5 / np.sqrt(denom)
            err_norm[denom == 0] = 0.0       # both estimates vanish (0/0 otherwise)

            # -- accept / reject, new step sizes
            finite = np.isfinite(y_new).all(axis=0)
            accept = (err_norm < 1.0) & finite & alive
            factor = _SAFETY * err_norm ** _ERROR_EXPONENT    # inf for err 0, NaN for NaN
            grow = np.minimum(factor, _MAX_FACTOR)
            np.minimum(grow, 1.0, out=grow, where=rejected)   # no growth right after a rejection
            shrink = np.where(err_norm >= 1.0, np.fmax(factor, _MIN_FACTOR), _MIN_FACTOR)
            h_abs *= np.where(accept, grow, shrink)
            # the step size is kept across output clipping, so cap it: at rest (error 0) it
            # would otherwise grow tenfold per step until it overflows
            np.minimum(h_abs, span, out=h_abs)
            np.logical_not(accept, out=rejected)
            lost = alive & ~(np.isfinite(h_abs) & (h_abs > 0))
            if lost.any():                   # a NaN step size would otherwise never end
                success[act[lost]] = False
                fails["step size not finite"] += int(np.count_nonzero(lost))
                alive &= ~lost
                n_dead += int(np.count_nonzero(lost))
                h_abs[lost] = 1.0

            np.copyto(y, y_new, where=accept)
            np.copyto(f, f_new, where=accept)
            np.copyto(t, t_new, where=accept)
            steps += accept
            rejects += alive & ~accept
            np.minimum(hmin, np.where(accept & (t_new != t_next), h, np.inf), out=hmin)

            bad = accept & ~np.isfinite(f_new).all(axis=0)
            if bad.any():
                success[act[bad]] = False
                fails["non-finite"] += int(np.count_nonzero(bad))
                alive &= ~bad
                n_dead += int(np.count_nonzero(bad))
                accept &= ~bad

            # -- output times reached
            hit = np.nonzero(accept & (t_new == t_next))[0]
            if hit.size:
                y_out[idx[hit], :, act[hit]] = y[:, hit].T
                idx[hit] += 1
                done = hit[idx[hit] == m]
                if done.size:
                    alive[done] = False
                    n_dead += done.size
                t_next[hit] = t_eval[np.minimum(idx[hit], m - 1)]

            over = alive & (steps >= max_steps)
            if over.any():
                success[act[over]] = False
                fails["max_steps"] += int(np.count_nonzero(over))
                alive &= ~over
                n_dead += int(np.count_nonzero(over))

            # -- drop finished/failed trajectories from the working set
            if n_dead and (n_dead == n or n_dead >= _COMPACT_FRACTION * n):
                n_steps[act], n_rejected[act], h_min[act] = steps, rejects, hmin
                keep = np.nonzero(alive)[0]
                y_keep, f = y[:, keep], f[:, keep]
                act, t, h_abs = act[keep], t[keep], h_abs[keep]
                idx, t_next, rejected = idx[keep], t_next[keep], rejected[keep]
                steps, alive = steps[keep], alive[keep]
                rejects, hmin = rejects[keep], hmin[keep]
                args_act = _slice_args(full_args, act)
                n, n_dead = act.size, 0
                Z, Zv, err, st_flat, yn_flat, scale, tmp, tc = bind(n)
                Zv[0] = y_keep

        n_steps[act], n_rejected[act], h_min[act] = steps, rejects, hmin
    return result()


# the integrator of integrate_flow ("taylor" or "dop853") and the Taylor method's tightening
FLOW_METHOD = "taylor"
TAYLOR_TIGHTEN = 0.1


def integrate_flow(flow: Any, y0: np.ndarray, tau: np.ndarray, params: Sequence[Any],
                   rho: np.ndarray, *, rtol: float, atol: float | np.ndarray,
                   max_steps: int = 200_000, method: str | None = None) -> BatchSolution:
    """Trajectories of ``flow`` (a :class:`fa_proofs.model.dynamics.Flow`) in the rescaled time
    tau = rho t (each trajectory its own rho): ``d state/d tau = field(state; params) / rho``,
    at the output times ``tau``.  ``method`` (default :data:`FLOW_METHOD`): "taylor" runs
    :func:`fa_proofs.taylor.integrate_taylor` at ``rtol`` and ``atol`` times
    :data:`TAYLOR_TIGHTEN`; "dop853" runs :func:`integrate_batch` at ``rtol``, ``atol``."""
    method = FLOW_METHOD if method is None else method
    rho = np.asarray(rho, dtype=float)
    args = tuple(params) + (rho,)
    if method == "taylor":
        from .taylor import integrate_taylor
        return integrate_taylor(flow.taylor(time_scale=True), y0, tau, args,
                                rtol=rtol * TAYLOR_TIGHTEN,
                                atol=np.asarray(atol, dtype=float) * TAYLOR_TIGHTEN,
                                max_steps=max_steps)
    if method != "dop853":
        raise UsageError(f"method must be 'taylor' or 'dop853', got {method!r}")
    rhs = flow.batch_rhs()

    def scaled(t, y, *a):
        *ps, rh = a
        return rhs(t, y, *ps) / rh
    return integrate_batch(scaled, y0, tau, args, rtol=rtol, atol=atol, max_steps=max_steps)


def integrate_mp(rhs_mp: Callable[[Any, list], Sequence[Any]], y0: Sequence[Any],
                 t_eval: Sequence[Any], dps: int = 30) -> list[list[Any]]:
    """High-precision reference solution of ``y' = rhs_mp(t, y)`` with mpmath's ``odefun``.

    Runs in the private mpmath context :func:`fa_proofs.arith.MP` ``(dps)`` (the global
    ``mpmath.mp`` is untouched); ``rhs_mp(t, y_list)`` returns a list (one entry per variable)
    and must compute in that context (e.g. a function compiled by ``MP(dps).compile``).
    ``odefun`` (Taylor series, tolerance = the working precision) starts at ``t_eval[0]`` from
    ``y0``; exact and float inputs are converted exactly.  Returns, for each time of ``t_eval``
    (strictly increasing: ``odefun`` caches and extends its solution), the list of the
    variables' values.
    """
    from .arith import MP
    times = list(t_eval)
    if not times:
        return []
    arith = MP(dps)
    ctx = arith.ctx
    ts = [arith.convert(tt) for tt in times]
    if any(b <= a for a, b in zip(ts, ts[1:])):
        raise UsageError("t_eval must be strictly increasing")
    state0 = [arith.convert(v) for v in y0]
    sol = ctx.odefun(lambda tt, yy: list(rhs_mp(tt, yy)), ts[0], state0)
    out = []
    for tt in ts:
        if tt == ts[0]:
            out.append(list(state0))
        else:
            out.append([+v for v in sol(tt)])
    return out
