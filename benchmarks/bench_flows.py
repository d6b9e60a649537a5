"""Benchmark: the batch integrators against a loop of ``scipy.integrate.solve_ivp`` on the flows
(6) (L = 2) and (10) (L layers), at equal accuracy, with paired timings.

    python benchmarks/bench_flows.py                     # L = 2, 3, 4, 6 (a few minutes)
    python benchmarks/bench_flows.py --L 2 6 --rounds 7
    python benchmarks/bench_flows.py --quick             # smoke run (L = 2, 6; small sizes)

Methods (every right-hand side comes from the one SymPy definition of the flow in
``fa_proofs.model``: ``SHALLOW_FLOW`` for L = 2, ``deep_flow(L)`` otherwise):

* ``taylor``  -- ``fa_proofs.taylor.integrate_taylor`` on ``flow.taylor()`` (the Taylor
  recurrence compiled from the field; compiled C kernel when a C compiler is available);
* ``dop853``  -- ``fa_proofs.simulate.integrate_batch`` (vectorised NumPy DOP853) on
  ``flow.batch_rhs()``: the batch integrator before the Taylor method;
* ``scipy``   -- ``solve_ivp(method="DOP853")``, one call per trajectory, with the plain Python
  scalar right-hand side ``flow.scalar_rhs()`` (SymPy ``lambdify`` with the ``math`` module:
  ``def f(t, y, *params): theta1, ... = y; return [...]``) and the parameters as ``args``.

Protocol.  Everything is imported, compiled (the C kernel included) and warmed up before any
timer starts.  Accuracy first: every method runs at rtol = 1e-10, atol = 1e-12 on ``--n-ref``
reference trajectories (spread over the step counts of the SciPy-timed pool), and is compared
with mpmath's Taylor ``odefun`` at 20 digits (``fa_proofs.simulate.integrate_mp`` with
``flow.mp_rhs``) on theta1(T) and on the flow's conserved quantities (``flow.invariants``: K of
(37) for L = 2, the integration constants K_2..K_L of (85)-(86) otherwise, evaluated in
mpmath).  A batch method that is less accurate than SciPy on either is re-run with both
tolerances halved until it is not (errors below 1e-14, or within 1% of SciPy's, count as
equal); it is then timed at those tolerances.  Timing:
``--rounds`` interleaved rounds, each ``taylor`` on all ``--n`` trajectories, then ``scipy`` on
the round's ``--scipy-subset`` trajectories (a different, disjoint subset each round), then
``dop853`` on all ``--n``; the ratio of a round is (batch trajectories/s) / (SciPy
trajectories/s) in that round.  Reported: the median and the range of the paired ratios (wall
time; CPU-time ratios too).  References are cached in ``benchmarks/.cache`` (``--no-cache``).

Domain (the same recipe for every L): d_1, ..., d_{L-1} and lambda log-uniform in [0.2, 5];
theta_l(0) uniform in [-a, a] with a = 3^(2/L), so that |theta_1 ... theta_L| <= 9 at t = 0 for
every L (a = 3: the box of the earlier two-layer benchmark); T = 10.

Step size at large theta: from the invariant manifold of Theorem 5 (every K_l = 0, so
theta_l = C_l theta_1^(2^(l-1)) and theta_1' = d_1 (lambda - K theta_1^gamma), gamma = 2^L - 1)
at d_l = lambda = 1 and theta_1(0) = s r, r = (lambda/K)^(1/gamma), for growing s: the size of
the right-hand side at t = 0, and per method the steps, rejected steps, smallest step and what a
fixed step of that size would cost (T / h_min steps).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sympy as sp  # noqa: E402

from fa_proofs.arith import FLOAT, MP  # noqa: E402
from fa_proofs.model import network as N  # noqa: E402
from fa_proofs.model.dynamics import SHALLOW_FLOW, deep_flow  # noqa: E402
from fa_proofs.simulate import integrate_batch, integrate_mp  # noqa: E402
from fa_proofs.taylor import default_order, integrate_taylor  # noqa: E402
from fa_proofs.taylor_kernel import kernel  # noqa: E402

T = 10.0
RTOL, ATOL = 1e-10, 1e-12
DPS = 20
FLOOR = 1e-14            # errors below this are rounding level: counted as equal
LO, HI = 0.2, 5.0
CACHE = ROOT / "benchmarks" / ".cache"


def flow_of(L: int):
    return SHALLOW_FLOW if L == 2 else deep_flow(L)


def draw(L: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(params (n_params, n), y0 (L, n)) of the benchmark domain."""
    fl = flow_of(L)
    rng = np.random.default_rng([seed, L])
    params = np.exp(rng.uniform(np.log(LO), np.log(HI), (len(fl.params), n)))
    a = 3.0 ** (2.0 / L)
    y0 = rng.uniform(-a, a, (L, n))
    return params, y0


# --- the three methods, each returning (y(T) of shape (L, n), Stats) ---------------------------
class Stats:
    def __init__(self, steps, success, rejected, h_min):
        self.steps = np.asarray(steps)
        self.success = np.asarray(success, dtype=bool)
        self.rejected = np.asarray(rejected)
        self.h_min = np.asarray(h_min, dtype=float)


class Methods:
    def __init__(self, L: int, order: int | None):
        self.fl = flow_of(L)
        self.field = self.fl.taylor()
        self.rhs = self.fl.batch_rhs()
        self.scalar = self.fl.scalar_rhs()
        self.order = order
        from scipy.integrate import solve_ivp
        self.solve_ivp = solve_ivp

    def taylor(self, y0, params, rtol, atol, t_end=T):
        sol = integrate_taylor(self.field, y0, [0.0, t_end], tuple(params), rtol=rtol,
                               atol=atol, order=self.order)
        return sol.y[-1], Stats(sol.n_steps, sol.success, sol.n_rejected, sol.h_min)

    def dop853(self, y0, params, rtol, atol, t_end=T):
        sol = integrate_batch(self.rhs, y0, [0.0, t_end], tuple(params), rtol=rtol, atol=atol)
        return sol.y[-1], Stats(sol.n_steps, sol.success, sol.n_rejected, sol.h_min)

    def scipy(self, y0, params, rtol, atol, t_end=T):
        n = y0.shape[1]
        out = np.full(y0.shape, np.nan)
        steps, ok, rej, hmin = (np.zeros(n, int), np.zeros(n, bool), np.zeros(n, int),
                                np.full(n, np.nan))
        solve_ivp, f = self.solve_ivp, self.scalar
        for i in range(n):
            r = solve_ivp(f, (0.0, t_end), y0[:, i], method="DOP853", rtol=rtol, atol=atol,
                          args=tuple(params[:, i]))
            out[:, i] = r.y[:, -1]
            steps[i], ok[i] = r.t.size - 1, r.success
            # DOP853 in SciPy: 2 evaluations to start, then 12 per attempted step
            rej[i] = (r.nfev - 2) // 12 - steps[i]
            dt = np.diff(r.t)
            hmin[i] = dt[:-1].min() if dt.size > 1 else np.nan
        return out, Stats(steps, ok, rej, hmin)


_T0 = time.perf_counter()


def progress(msg: str) -> None:
    """A line on stderr (the report itself goes to stdout)."""
    print(f"[{time.perf_counter() - _T0:7.1f} s] {msg}", file=sys.stderr, flush=True)


def timed(fn):
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, time.process_time() - c0, out


# --- the mpmath reference ---------------------------------------------------------------------
def _reference_job(job):
    L, params, y0 = job
    fl = flow_of(L)
    mp = MP(DPS)
    pv = tuple(mp.convert(float(v)) for v in params)
    out = integrate_mp(fl.mp_rhs(DPS, pv), [float(v) for v in y0], [0.0, T], dps=DPS)
    return [mp.ctx.nstr(v, DPS + 5) for v in out[-1]]


def references(L, params, y0, idx, use_cache, workers):
    """theta(T) at the trajectories ``idx`` (mpmath strings), cached on disk."""
    def key(i):
        data = json.dumps([L, T, DPS, [float(v).hex() for v in params[:, i]],
                           [float(v).hex() for v in y0[:, i]]])
        return hashlib.sha256(data.encode()).hexdigest()[:32]
    cache_file = CACHE / f"refs_L{L}.json"
    cache = {}
    if use_cache and cache_file.exists():
        cache = json.loads(cache_file.read_text())
    todo = [i for i in idx if key(i) not in cache]
    if todo:
        jobs = [(L, params[:, i].tolist(), y0[:, i].tolist()) for i in todo]
        if workers > 1 and len(jobs) > 1:
            with ProcessPoolExecutor(workers) as ex:
                results = list(ex.map(_reference_job, jobs))
        else:
            results = [_reference_job(j) for j in jobs]
        for i, r in zip(todo, results):
            cache[key(i)] = r
        if use_cache:
            CACHE.mkdir(parents=True, exist_ok=True)
            cache_file.write_text(json.dumps(cache))
    return {i: cache[key(i)] for i in idx}, len(todo)


class Errors:
    """max |theta1 - ref| and max_l |K_l - K_l(ref)| at T over the reference trajectories."""

    def __init__(self, fl, params, refs):
        self.mp = MP(DPS)
        self.inv = self.mp.compile(fl.invariants, fl.state + fl.params) if fl.invariants else None
        self.params = params
        self.refs = {i: [self.mp.ctx.mpf(v) for v in r] for i, r in refs.items()}
        self.idx = sorted(refs)

    def invariants(self, state, i):
        return self.inv(*state, *[float(v) for v in self.params[:, i]])

    def __call__(self, yT: np.ndarray) -> tuple[float, float]:
        """``yT`` of shape (L, len(idx)), the columns in the order of ``idx``."""
        e1 = ei = 0.0
        for col, i in enumerate(self.idx):
            ref = self.refs[i]
            y = [self.mp.convert(float(v)) for v in yT[:, col]]
            if not all(np.isfinite(yT[:, col])):
                return float("inf"), float("inf")
            e1 = max(e1, float(abs(y[0] - ref[0])))
            if self.inv is not None:
                for a, b in zip(self.invariants(y, i), self.invariants(ref, i)):
                    ei = max(ei, float(abs(a - b)))
        return e1, ei

    def drift(self, y0: np.ndarray) -> float:
        """Largest change of an invariant along the references (their own accuracy)."""
        d = 0.0
        for i in self.idx:
            start = [self.mp.convert(float(v)) for v in y0[:, i]]
            for a, b in zip(self.invariants(self.refs[i], i), self.invariants(start, i)):
                d = max(d, float(abs(a - b)))
        return d


def worse(e, e_sp) -> bool:
    """Less accurate than SciPy on theta1 or on the invariants (beyond 1% and the rounding
    level: the batch DOP853 takes SciPy's steps, and its errors differ only in the last bits)."""
    return any(a > max(1.01 * b, FLOOR) for a, b in zip(e, e_sp))


# --- one L ------------------------------------------------------------------------------------
def run_L(L, a, out):
    fl = flow_of(L)
    n = a.n or (1000 if a.quick else 10_000)
    n_sub = a.scipy_subset or (20 if a.quick else 100)
    rounds = a.rounds or (3 if a.quick else 5)
    n_ref = a.n_ref or (3 if a.quick else (10 if L == 2 else 6))
    pool = n_sub * rounds
    n_all = max(n, pool)
    params, y0 = draw(L, n_all, a.seed)
    M = Methods(L, a.order)
    say = out.append

    # warm-up: compile the kernel, fill caches (outside every timer)
    for meth in (M.taylor, M.dop853, M.scipy):
        meth(y0[:, :8], params[:, :8], RTOL, ATOL)

    say(f"== L = {L}: {fl.name} {fl.label}, {len(fl.state)} variables, parameters "
        f"{', '.join(map(str, fl.params))}")
    say(f"   n = {n} (batch), SciPy {n_sub} per round x {rounds} rounds (disjoint subsets), "
        f"T = {T:g}, theta(0) ~ U[-{3 ** (2 / L):.3g}, {3 ** (2 / L):.3g}]^{L}, "
        f"d_l, lambda ~ logU[{LO:g}, {HI:g}]")

    # -- accuracy at the common tolerance, then tighten the batch methods if needed
    _, sp_stats = M.dop853(y0[:, :pool], params[:, :pool], RTOL, ATOL)   # to pick references
    order = np.argsort(sp_stats.steps, kind="stable")
    qs = (np.linspace(0, 1, n_ref) if L == 2 else
          np.concatenate([np.linspace(0, 0.9, n_ref - 1), [0.95]]))
    ref_idx = sorted(set(order[np.round(qs * (pool - 1)).astype(int)].tolist()))
    t0 = time.perf_counter()
    progress(f"L = {L}: mpmath references for trajectories {ref_idx}")
    refs, fresh = references(L, params, y0, ref_idx, not a.no_cache, a.workers)
    progress(f"L = {L}: accuracy at rtol = {RTOL:g}")
    t_ref = time.perf_counter() - t0
    err = Errors(fl, params, refs)
    Y, P = y0[:, ref_idx], params[:, ref_idx]
    e_sp = err(M.scipy(Y, P, RTOL, ATOL)[0])
    tol = {}
    acc_rows = [("scipy", RTOL, ATOL, e_sp)]
    notes = []
    for name in ("taylor", "dop853"):
        meth = getattr(M, name)
        rt, at = RTOL, ATOL
        e = err(meth(Y, P, rt, at)[0])
        acc_rows.append((name, rt, at, e))
        while worse(e, e_sp):
            progress(f"L = {L}: {name} at rtol = {rt:g}: errors {e[0]:.1e}, {e[1]:.1e} vs SciPy's "
                     f"{e_sp[0]:.1e}, {e_sp[1]:.1e}: tightening")
            if rt < RTOL / 1e4:
                notes.append(f"{name}: could not reach SciPy's accuracy by tightening; its "
                             f"ratio is NOT at equal accuracy")
                break
            rt, at = rt / 2, at / 2
            e = err(meth(Y, P, rt, at)[0])
        if rt != RTOL:
            acc_rows.append((name, rt, at, e))
            notes.append(f"{name} was less accurate than SciPy at rtol = {RTOL:g}: timed at "
                         f"rtol = {rt:g}, atol = {at:g}")
        tol[name] = (rt, at)

    # -- timed rounds: taylor (all n), scipy (this round's subset), dop853 (all n)
    res = {"taylor": [], "dop853": [], "scipy": []}
    st = {}
    for r in range(rounds):
        progress(f"L = {L}: timed round {r + 1} of {rounds}")
        sub = slice(r * n_sub, (r + 1) * n_sub)
        for name in ("taylor", "scipy", "dop853"):
            if name == "scipy":
                wall, cpu, (yT, s) = timed(lambda: M.scipy(y0[:, sub], params[:, sub], RTOL,
                                                          ATOL))
                res[name].append((wall, cpu, n_sub))
                st.setdefault("scipy", []).append(s)
            else:
                rt, at = tol[name]
                meth = getattr(M, name)
                wall, cpu, (yT, s) = timed(lambda: meth(y0[:, :n], params[:, :n], rt, at))
                res[name].append((wall, cpu, n))
                st[name] = s
    sp_steps = np.concatenate([s.steps for s in st["scipy"]])

    # -- report
    w = 8
    say(f"   accuracy at T vs mpmath odefun ({DPS} digits) on {len(ref_idx)} trajectories of "
        f"the SciPy pool, spread over its step counts"
        + (" (the hardest included)" if L == 2 else " (up to its 95th percentile)")
        + f"; references {t_ref:.0f} s ({fresh} computed, the rest cached), largest drift of an "
        f"invariant along them {err.drift(y0):.1e}")
    say(f"   {'method':<{w}} {'rtol':>7} {'atol':>7} {'max|theta1 err|':>16} "
        f"{'max|invariant err|':>19}")
    for name, rt, at, e in acc_rows:
        say(f"   {name:<{w}} {rt:>7.2g} {at:>7.2g} {e[0]:>16.2e} {e[1]:>19.2e}")
    for note in notes:
        say(f"   NOTE: {note}")
    be = "C kernel" if kernel(M.field) is not None else "NumPy (no C compiler)"
    p = M.order or default_order(tol["taylor"][0])
    say(f"   taylor: order {p}, {be}, {M.field.n_products} Cauchy product(s) and "
        f"{M.field.n_squares} square(s) per order; "
        f"scipy: solve_ivp DOP853 with flow.scalar_rhs() (plain Python, math module)")
    say(f"   {'method':<{w}} {'rtol':>7} {'traj':>6} {'us/traj (median)':>17} "
        f"{'steps med/mean/max':>20} {'rejected':>9} {'failed':>6}")
    for name in ("taylor", "dop853", "scipy"):
        walls = [wl / k * 1e6 for wl, _, k in res[name]]
        s = st[name] if name != "scipy" else Stats(
            sp_steps, np.concatenate([x.success for x in st["scipy"]]),
            np.concatenate([x.rejected for x in st["scipy"]]), [])
        rt = tol[name][0] if name in tol else RTOL
        say(f"   {name:<{w}} {rt:>7.2g} {res[name][0][2]:>6} {np.median(walls):>17.1f} "
            f"{np.median(s.steps):>7.0f}/{s.steps.mean():>6.1f}/{s.steps.max():<6d} "
            f"{int(s.rejected.sum()):>9d} {int(np.count_nonzero(~s.success)):>6d}")
    summary = {}
    for name in ("taylor", "dop853"):
        ratios = [(k_b / wb) / (k_s / ws) for (wb, _, k_b), (ws, _, k_s)
                  in zip(res[name], res["scipy"])]
        cpu = [(k_b / cb) / (k_s / cs) for (_, cb, k_b), (_, cs, k_s)
               in zip(res[name], res["scipy"])]
        summary[name] = ratios
        say(f"   {name} / scipy throughput, {rounds} paired rounds: median "
            f"{np.median(ratios):.0f}x, range {min(ratios):.0f}x - {max(ratios):.0f}x "
            f"(CPU time: median {np.median(cpu):.0f}x, range {min(cpu):.0f}x - {max(cpu):.0f}x)")
    mean_all = st["taylor"].steps.mean()
    mean_pool = st["taylor"].steps[:min(pool, n)].mean()
    say(f"   the SciPy pool is representative: taylor's mean steps {mean_pool:.1f} on the pool "
        f"vs {mean_all:.1f} on all {n}")
    return summary


# --- step size at large theta ------------------------------------------------------------------
def step_sweep(L, a, out):
    fl = flow_of(L)
    say = out.append
    ones = {s: 1 for s in fl.params}
    Kval = float(sp.sympify(N.layers_K(L)).subs(ones)) if L > 2 else 0.5
    gamma = N.layers_gamma(L)
    r = (1.0 / Kval) ** (1.0 / gamma)
    cs = [float(sp.sympify(c).subs(ones)) for c in N.layer_constants(L)]
    scales = (0.0, 1.0, 1.5, 2.0) if a.quick else (0.0, 0.5, 1.0, 1.25, 1.5, 1.75, 2.0)
    y0 = np.array([[c * (s * r) ** (2 ** l) for s in scales] for l, c in enumerate(cs)])
    params = np.ones((len(fl.params), len(scales)))
    f0 = np.abs(np.asarray(FLOAT.compile(fl.field, fl.state + fl.params)(*y0, *params))).max(0)
    M = Methods(L, a.order)
    say(f"   step size at large theta (L = {L}): from the invariant manifold (every K_l = 0: "
        f"theta_l = C_l theta_1^(2^(l-1)), the setting of Theorem 5), d_l = lambda = 1, "
        f"theta_1(0) = s r, r = {r:.4f}, gamma = {gamma}; rtol = {RTOL:g}, atol = {ATOL:g}.")
    say("   Per method: accepted steps / rejected / smallest step h_min / T / h_min (the steps "
        "a fixed step of h_min would take), and theta_1(T) - r.")
    stats, ends = {}, {}
    for name in ("taylor", "dop853", "scipy"):
        ends[name], stats[name] = getattr(M, name)(y0, params, RTOL, ATOL)
    say(f"   {'s':>5} {'theta_L(0)':>10} {'|f(theta(0))|':>13}  " + "  ".join(
        f"{m:<37}" for m in ("taylor", "dop853", "scipy")))
    for j, s in enumerate(scales):
        cells = []
        for name in ("taylor", "dop853", "scipy"):
            x = stats[name]
            hm = x.h_min[j]
            tail = f"{ends[name][0, j] - r:+.0e}" if x.success[j] else "FAILED"
            cells.append(f"{x.steps[j]:>4d}/{x.rejected[j]:<3d}/{hm:7.1e}/{T / hm:7.1e} {tail}")
        say(f"   {s:>5g} {y0[-1, j]:>10.2e} {f0[j]:>13.2e}  " + "  ".join(f"{c:<37}"
                                                                     for c in cells))
    if L >= 6:
        say("   (the sweep stops at s = 2: at s = 2.5, theta_6(0) ~ 1e12 and its rounding alone "
            "puts the float initial state off the manifold (K_l != 0), on a trajectory with "
            "another, far stiffer limit: every explicit method then crawls at its stability "
            "limit, e.g. solve_ivp ~5000 steps at s = 2.5 and > 10 min at s = 3)")
    # how the Taylor step behaves as the field grows like theta^gamma
    tay = stats["taylor"]
    big = [j for j, s in enumerate(scales) if f0[j] > 1 and tay.success[j]]
    if len(big) >= 2:
        j0, j1 = big[0], big[-1]
        frac = ", ".join(f"{tay.h_min[j] * f0[j] / np.abs(y0[:, j]).max():.2g}" for j in big)
        steps = ", ".join(f"{tay.steps[j]}" for j in big)
        say(f"   Taylor step at large theta (s = {', '.join(f'{scales[j]:g}' for j in big)}): the "
            f"smallest step, at t = 0, is a fixed fraction of the local time scale "
            f"max|theta(0)|/|f(theta(0))| (h_min |f| / max|theta| = {frac}), so it shrinks as "
            f"the field outgrows the state (|f| ~ theta^{gamma}: {f0[j0]:.1e} to {f0[j1]:.1e}); "
            f"the step then grows geometrically (at most tenfold per step) as theta leaves the "
            f"large values, so the steps grow like log|f| only ({steps}; "
            f"{int(tay.rejected[big].sum())} rejected), where a fixed step of h_min would take "
            f"{T / tay.h_min[j1]:.0e} steps.")
    return stats


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--L", type=int, nargs="+", default=None, help="layers (default 2 3 4 6)")
    p.add_argument("--n", type=int, default=None,
                   help="trajectories per batch run (10000; 1000 with --quick)")
    p.add_argument("--scipy-subset", type=int, default=None,
                   help="trajectories per SciPy round (100; 20 with --quick)")
    p.add_argument("--rounds", type=int, default=None, help="paired rounds (5; 3 with --quick)")
    p.add_argument("--n-ref", type=int, default=None,
                   help="mpmath reference trajectories (10 for L = 2, else 6; 3 with --quick)")
    p.add_argument("--order", type=int, default=None, help="Taylor order (default: the "
                   "library's default_order(rtol))")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes for the mpmath references")
    p.add_argument("--no-cache", action="store_true", help="recompute the mpmath references")
    p.add_argument("--no-sweep", action="store_true", help="skip the large-theta step sweep")
    p.add_argument("--quick", action="store_true", help="smoke run: small sizes, L = 2 and 6")
    a = p.parse_args(argv)
    Ls = a.L or ([2, 6] if a.quick else [2, 3, 4, 6])
    if any(L < 2 for L in Ls):
        print("--L must be >= 2", file=sys.stderr)
        return 2
    try:
        import scipy
    except ImportError:
        print("scipy is needed for the comparison (pip install '.[bench]')", file=sys.stderr)
        return 2
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f} at start")
    summary = {}
    for L in Ls:
        out: list[str] = []
        summary[L] = run_L(L, a, out)
        if not a.no_sweep and L > 2:
            step_sweep(L, a, out)
        print("\n".join(out))
        print(flush=True)
    print("summary (median [range] of the paired wall-time ratios, batch / solve_ivp loop):")
    for L, s in summary.items():
        print(f"  L = {L}: " + ", ".join(f"{k} {np.median(v):.0f}x [{min(v):.0f}, {max(v):.0f}]"
                                         for k, v in s.items()))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
