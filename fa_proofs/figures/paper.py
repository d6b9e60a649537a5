"""Figures 1(a)-(c), 3, 4, 5(a)-(b) and 6 with their captions' parameters, each with its check.

Flows: the two-layer FA flow (6) (:data:`fa_proofs.model.dynamics.SHALLOW_FLOW`), the GD flow
(FA with the feedback constant d replaced by the forward weight theta2, (29)-(31)), the 3-layer
flow (10) (:func:`~fa_proofs.model.dynamics.deep_flow`) started on (11) with the model's C_l, the
reduced equation (13) (``SHALLOW_FLOW.reduced``) and the region R of Theorem 26 (Section 5's
P(x, S), (161)).  Integration: :func:`fa_proofs.simulate.integrate_batch` (DOP853,
rtol 1e-10, atol 1e-12); Appendix E.1 used MATLAB's ode45.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import sympy as sp

from ..arith import EXACT, FLOAT
from ..model import network as N
from ..model.dynamics import SHALLOW_FLOW, deep_flow
from ..model.symbols import K, S, d, lam, theta1, theta2, x
from ..sections.discrete import formulas as DF
from ..simulate import integrate_batch
from .core import Figure, FigureCheck, pyplot, register, save

RTOL, ATOL = 1e-10, 1e-12
GD_FIELD = tuple(f.subs(d, theta2) for f in N.SHALLOW_FIELD)       # GD: d -> theta2
PRINTED_K = theta2 - theta1**2 / (2 * d)          # Section 2: 2 d theta2 = theta1^2 + 2 d K
ROOT_TOL = 1e-6                                   # |theta1 theta2 - lam| at the end


def _integrate(field: tuple, state: tuple, params: tuple, y0: np.ndarray, t: np.ndarray,
               values: tuple) -> np.ndarray:
    f = FLOAT.compile(field, state + params)
    sol = integrate_batch(lambda _t, y, *ps: np.asarray(f(*y, *ps)), y0, t, values,
                          rtol=RTOL, atol=ATOL)
    if not sol.success.all():
        raise RuntimeError(f"integration failed: {sol.message}")
    return sol.y                                  # (m, n_vars, n)


def _shallow(y0: np.ndarray, t: np.ndarray, dv: float, lv: float, gd: bool = False):
    field = GD_FIELD if gd else SHALLOW_FLOW.field
    return _integrate(field, (theta1, theta2), (d, lam), y0, t, (dv, lv))


def _monotone(p: np.ndarray) -> np.ndarray:
    """Per trajectory (columns of p, rows = time): never moves against its overall direction by
    more than rounding (1e-9 relative)."""
    dp = np.diff(p, axis=0)
    sgn = np.sign(p[-1] - p[0])
    slack = 1e-9 * (1 + np.abs(p).max(axis=0))
    return np.all(dp * sgn >= -slack, axis=0)


def _ok(name: str, ok: bool, detail: str) -> FigureCheck:
    return FigureCheck(name, bool(ok), detail)


# --- Figure 1(a) ---------------------------------------------------------------------------------
def _fig1a_compute(seed: int, parts: Mapping[str, Any]) -> dict:
    dv, lv = float(parts["d"]), float(parts["lam"])
    a, b = np.meshgrid(np.arange(-4, 5, 1.0), np.arange(-4, 5, 2.0))
    y0 = np.vstack([a.ravel(), b.ravel()])
    t = np.linspace(0, parts["T"], 601)
    return {"t": t, "y": _shallow(y0, t, dv, lv), "d": dv, "lam": lv}


def _fig1a_check(data: dict, parts) -> list[FigureCheck]:
    y, dv, lv = data["y"], data["d"], data["lam"]
    k = FLOAT.compile([parts["K"]], (theta1, theta2, d))
    Ks = k(y[:, 0], y[:, 1], dv)[0]                                   # (m, n)
    drift = np.abs(Ks - Ks[0]) / (1 + np.abs(y[:, 1]) + y[:, 0] ** 2 / (2 * dv))
    h = FLOAT.compile([parts["hyperbola"]], (theta1, theta2, lam))
    end = np.abs(h(y[-1, 0], y[-1, 1], lv)[0])
    return [_ok("trajectories on the parabolas 2 d theta2 = theta1^2 + 2 d K",
                drift.max() <= 1e-8, f"max relative drift of K = {drift.max():.2e} (tol 1e-8) "
                f"over {y.shape[2]} trajectories"),
            _ok("every trajectory ends on the hyperbola theta1 theta2 = lam", end.max() <=
                ROOT_TOL, f"max |theta1 theta2 - lam| at t = {data['t'][-1]:g}: "
                f"{end.max():.2e} (tol {ROOT_TOL:g})")]


def _fig1a_plot(data: dict, stem: Path) -> list[Path]:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.5, 4.2))
    y, dv, lv = data["y"], data["d"], data["lam"]
    for j in range(y.shape[2]):
        ax.plot(y[:, 0, j], y[:, 1, j], lw=0.8)
        ax.plot(y[0, 0, j], y[0, 1, j], "k.", ms=3)
    th = np.linspace(0.05, 8, 400)
    ax.plot(th, lv / th, "k:", lw=1.2, label=r"$\theta_1\theta_2=\lambda$")
    ax.plot(-th, -lv / th, "k:", lw=1.2)
    ax.set_xlim(-6, 6)
    ax.set_ylim(-6, 6)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title(f"FA phase space, d = {dv:g}, λ = {lv:g}", fontsize=9)
    ax.legend(fontsize=8, loc="lower right")
    return save(fig, stem)


register(Figure(
    "1a", "FA trajectories in the phase space (theta1, theta2) for d = .2; the dotted hyperbola "
    "is the solution set theta1 theta2 = lambda (lambda = 3)", "Section 2, Figure 1(a)",
    {"d": Fraction(1, 5), "lam": 3, "T": 60.0, "K": PRINTED_K,
     "hyperbola": theta1 * theta2 - lam},
    _fig1a_compute, _fig1a_check, _fig1a_plot,
    notes=("starts: the grid theta1(0) in -4..4 (step 1), theta2(0) in -4..4 (step 2)",)))


# --- Figure 1(b) ---------------------------------------------------------------------------------
def _draw(seed: int, tag: int, n: int, lo: float, hi: float, dim: int = 1) -> np.ndarray:
    return np.random.default_rng([seed, tag]).uniform(lo, hi, (dim, n))


def _fig1b_compute(seed: int, parts) -> dict:
    dv, lv = float(parts["d"]), float(parts["lam"])
    th0 = np.concatenate([[0.0], _draw(seed, 11, parts["n"], -5, 5)[0]])
    y0 = np.vstack([th0, th0**2 / (2 * dv)])                           # initialisation (7)
    t = np.linspace(0, parts["T"], 601)
    return {"t": t, "fa": _shallow(y0, t, dv, lv), "gd": _shallow(y0, t, dv, lv, gd=True),
            "theta0": th0, "lam": lv}


def _fig1b_check(data: dict, parts) -> list[FigureCheck]:
    pf = data["fa"][:, 0] * data["fa"][:, 1]
    pg = data["gd"][:, 0] * data["gd"][:, 1]
    lv = data["lam"]
    fa_err = np.abs(pf[-1] - lv)
    fa_zero_conv = fa_err[0] <= ROOT_TOL
    gd_zero_moves = bool(np.abs(data["gd"][:, :, 0]).max() > 0)
    return [_ok("FA converges from every start", fa_err.max() <= ROOT_TOL,
                f"max |theta1 theta2 - lam| at t = {data['t'][-1]:g}: {fa_err.max():.2e}"),
            _ok("FA from zero converges" if parts["fa_zero_converges"] else
                "FA from zero does not converge", fa_zero_conv == parts["fa_zero_converges"],
                f"|prod - lam| = {fa_err[0]:.2e}"),
            _ok("GD from zero does not move" if not parts["gd_zero_moves"] else
                "GD from zero moves", gd_zero_moves == parts["gd_zero_moves"],
                f"max |theta| along GD from 0 = {np.abs(data['gd'][:, :, 0]).max():.3g}, "
                f"its product stays {pg[:, 0].max():.3g}")]


def _products_plot(t, curves, styles, title, stem, ylabel=r"$\theta_2\theta_1$", lam=None):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.8, 3.4))
    for (p, st) in zip(curves, styles):
        for j in range(p.shape[1]):
            ax.plot(t, p[:, j], st, lw=0.9, color=f"C{j % 10}")
    if lam is not None:
        ax.axhline(lam, color="k", lw=0.6, ls="-.")
    ax.set_xlabel("t")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return save(fig, stem)


def _fig1b_plot(data, stem):
    pf = data["fa"][:, 0] * data["fa"][:, 1]
    pg = data["gd"][:, 0] * data["gd"][:, 1]
    return _products_plot(data["t"], (pf, pg), ("-", ":"),
                          "FA (lines) and GD (dotted), init (7), d = 2, λ = 3", stem,
                          lam=data["lam"])


register(Figure(
    "1b", "FA (continuous lines) and GD (dotted lines), initial conditions (7); theta0 ~ "
    "U([-5, 5]) and d = 2 (lambda = 3); theta0 = 0 included", "Section 2, Figure 1(b)",
    {"d": 2, "lam": 3, "T": 6.0, "n": 10, "fa_zero_converges": True, "gd_zero_moves": False},
    _fig1b_compute, _fig1b_check, _fig1b_plot))


# --- Figure 1(c) ---------------------------------------------------------------------------------
def _fig1c_compute(seed: int, parts) -> dict:
    dv, lv = float(parts["d"]), float(parts["lam"])
    y0 = _draw(seed, 12, parts["n"], -5, 5, dim=2)
    t = np.linspace(0, parts["T"], 1201)
    return {"t": t, "y": _shallow(y0, t, dv, lv), "lam": lv}


def _fig1c_check(data, parts):
    p = data["y"][:, 0] * data["y"][:, 1]
    err = np.abs(p[-1] - data["lam"])
    mono = _monotone(p)
    some_not = bool((~mono).any())
    return [_ok("every product converges to lam", err.max() <= ROOT_TOL,
                f"max |prod - lam| at t = {data['t'][-1]:g}: {err.max():.2e}"),
            _ok("some products are not monotone" if parts["some_not_monotone"] else
                "every product is monotone", some_not == parts["some_not_monotone"],
                f"{int((~mono).sum())} of {p.shape[1]} not monotone")]


def _fig1c_plot(data, stem):
    p = data["y"][:, 0] * data["y"][:, 1]
    return _products_plot(data["t"], (p,), ("-",), "FA, i.i.d. init U([-5,5])², d = 2, λ = 10",
                          stem, lam=data["lam"])


register(Figure(
    "1c", "FA dynamics with i.i.d. initial conditions (theta1(0), theta2(0)) ~ U([-5, 5]) x "
    "U([-5, 5]) and d = 2 (lambda = 10)", "Section 2, Figure 1(c)",
    {"d": 2, "lam": 10, "T": 4.0, "n": 10, "some_not_monotone": True},
    _fig1c_compute, _fig1c_check, _fig1c_plot,
    notes=("the caption gives no number of simulations: 10, as Figures 3 and 4",)))


# --- Figure 3 ------------------------------------------------------------------------------------
def _fig3_compute(seed, parts):
    dv, lv = float(parts["d"]), float(parts["lam"])
    th0 = _draw(seed, 3, parts["n"], -5, 5)[0]
    y0 = np.vstack([th0, th0**2 / (2 * dv)])
    t = np.linspace(0, parts["T"], 601)
    return {"t": t, "y": _shallow(y0, t, dv, lv), "theta0": th0, "lam": lv, "d": dv}


def _fig3_check(data, parts):
    y = data["y"]
    p = y[:, 0] * y[:, 1]
    r = (2 * data["d"] * data["lam"]) ** (1 / 3)
    inc = data["theta0"] < r
    dp = np.diff(p, axis=0)
    slack = 1e-9 * (1 + np.abs(p).max(axis=0))
    want = np.where(inc, 1.0, -1.0) * (1 if parts["direction"] == "up below r" else -1)
    ok_dir = np.all(dp * want >= -slack, axis=0)
    th1_mono = _monotone(y[:, 0])
    err = np.abs(p[-1] - data["lam"])
    return [_ok("product increasing if theta0 < r, decreasing if theta0 > r" if
                parts["direction"] == "up below r" else "the reversed directions",
                ok_dir.all(), f"{int(ok_dir.sum())} of {p.shape[1]} (r = {r:.4g})"),
            _ok("theta1 monotone (Lemma 12)", th1_mono.all(),
                f"{int(th1_mono.sum())} of {p.shape[1]}"),
            _ok("products converge to lam", err.max() <= ROOT_TOL, f"max {err.max():.2e}")]


def _fig3_plot(data, stem):
    plt = pyplot()
    y, t = data["y"], data["t"]
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2))
    for ax, q, lab in zip(axes, (y[:, 0], y[:, 1], y[:, 0] * y[:, 1]),
                          (r"$\theta_1$", r"$\theta_2$", r"$\theta_2\theta_1$")):
        for j in range(q.shape[1]):
            ax.plot(t, q[:, j], lw=0.9)
        ax.set_xlabel("t")
        ax.set_ylabel(lab)
    axes[2].axhline(data["lam"], color="k", lw=0.6, ls="-.")
    fig.suptitle("init (7), θ0 ~ U(-5, 5), λ = 3, d = 2 (10 simulations)", fontsize=9)
    fig.tight_layout()
    return save(fig, stem)


register(Figure(
    "3", "theta1(t), theta2(t) and theta2(t) theta1(t), initial condition theta0 ~ U(-5, 5), "
    "lambda = 3, d = 2 (10 simulations)", "Appendix A.2, Figure 3",
    {"d": 2, "lam": 3, "T": 3.0, "n": 10, "direction": "up below r"},
    _fig3_compute, _fig3_check, _fig3_plot))


# --- Figure 4 ------------------------------------------------------------------------------------
def _fig4_compute(seed, parts):
    L = 3
    ds = tuple(float(v) for v in parts["ds"])
    cs = N.flow_layer_constants(L)
    cf = FLOAT.compile(list(cs), N.fa_constants(L)[:-1])
    cvals = [np.broadcast_to(c, ()) for c in cf(*ds)]
    th0 = _draw(seed, 4, parts["n"], -1, 2)[0]
    y0 = np.vstack([float(cvals[l]) * th0 ** (2**l) for l in range(L)])   # (11)
    t = np.linspace(0, parts["T"], 601)
    flow = deep_flow(L)
    y = _integrate(flow.field, flow.state, flow.params, y0, t, ds + (float(parts["lam"]),))
    return {"t": t, "y": y, "lam": float(parts["lam"]), "theta0": th0}


def _fig4_check(data, parts):
    p = np.prod(data["y"], axis=1)
    mono = _monotone(p) if parts["monotone"] else ~_monotone(p)
    err = np.abs(p[-1] - data["lam"])
    return [_ok("theta3 theta2 theta1 monotone" if parts["monotone"] else "not monotone",
                mono.all(), f"{int(mono.sum())} of {p.shape[1]}"),
            _ok("products converge to lam", err.max() <= ROOT_TOL, f"max {err.max():.2e}")]


def _fig4_plot(data, stem):
    p = np.prod(data["y"], axis=1)
    return _products_plot(data["t"], (p,), ("-",), "init (11), θ0 ~ U([-1, 2]), d1 = 2, d2 = "
                          "2.5, λ = 1", stem, ylabel=r"$\theta_3\theta_2\theta_1$", lam=data["lam"])


register(Figure(
    "4", "theta3(t) theta2(t) theta1(t) with initial conditions theta0 ~ U([-1, 2]), FA "
    "constants d1 = 2 and d2 = 2.5, lambda = 1 (10 simulations)", "Appendix B.2, Figure 4",
    {"ds": (2, Fraction(5, 2)), "lam": 1, "T": 6.0, "n": 10, "monotone": True},
    _fig4_compute, _fig4_check, _fig4_plot,
    notes=("starts on (11): theta_l(0) = C_l theta0^(2^(l-1)) with the model's C_l",)))


# --- Figures 5(a) and 5(b): the step-function limit (14)-(15) ------------------------------------
DELTA = sp.Symbol("delta", positive=True)


def _step_curves(field: sp.Expr, roots: np.ndarray, deltas, tgrid: np.ndarray) -> np.ndarray:
    """theta1(delta t) from theta1(0) = r2 + e^-delta, one column per delta: the rescaled
    equation u'(t) = delta f(u) for u(t) = theta1(delta t), all deltas in one batch."""
    f = FLOAT.compile([DELTA * field], (theta1, DELTA))
    dl = np.array([float(v) for v in deltas])
    sol = integrate_batch(lambda _t, y, dv: np.asarray(f(*y, dv)),
                          (roots[1] + np.exp(-dl))[None, :], tgrid, (dl,),
                          rtol=RTOL, atol=1e-15)
    if not sol.success.all():
        raise RuntimeError(sol.message)
    return sol.y[:, 0, :]                                             # (m, len(deltas))


def _crossing(t: np.ndarray, y: np.ndarray, level: float) -> float:
    """The first time y crosses ``level`` (linear interpolation); nan if never."""
    idx = np.nonzero(y >= level)[0]
    if not idx.size or idx[0] == 0:
        return float("nan")
    i = idx[0]
    return float(t[i - 1] + (level - y[i - 1]) * (t[i] - t[i - 1]) / (y[i] - y[i - 1]))


def _step_time(roots) -> float:
    r1, r2, r3 = roots
    return float(2 / ((r3 - r2) * (r2 - r1)))                         # (15) = (106)


def _fig5a_compute(seed, parts):
    roots = np.array(sorted(float(r) for r in parts["roots"]))
    field = sp.expand(-sp.Rational(1, 2) * sp.Mul(*[theta1 - sp.nsimplify(r)
                                                     for r in parts["roots"]]))
    t = np.linspace(0, 2, 801)
    return {"t": t, "y": _step_curves(field, roots, parts["deltas"], t), "roots": roots,
            "deltas": parts["deltas"]}


def _fig5a_check(data, parts):
    r1, r2, r3 = data["roots"]
    T = float(parts["T"](*data["roots"]))
    mid = (r2 + r3) / 2
    tc = np.array([_crossing(data["t"], data["y"][:, j], mid) for j in range(len(data["deltas"]))])
    gap = np.abs(tc - T)
    sharpen = bool(np.all(np.diff(gap) < 0))
    y = data["y"][:, -1]
    before = np.abs(y[data["t"] <= T - 0.1] - r2).max()
    after = np.abs(y[data["t"] >= T + 0.1] - r3).max()
    return [_ok("the step is at T = 2/(r32 r21) (15) and sharpens as delta grows",
                sharpen and gap[-1] <= 0.05 * T,
                f"T = {T:.4g}; crossing of (r2+r3)/2 at " + ", ".join(
                    f"{c:.4g} (delta {dl})" for c, dl in zip(tc, data["deltas"]))),
            _ok("theta1(delta t) -> r2 before T and r3 after (14), largest delta",
                before <= 0.05 and after <= 0.05,
                f"max |theta1 - r2| on t <= T - 0.1: {before:.2e}; |theta1 - r3| on "
                f"t >= T + 0.1: {after:.2e}")]


def _fig5a_plot(data, stem):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.8, 3.4))
    for j, dl in enumerate(data["deltas"]):
        ax.plot(data["t"], data["y"][:, j], label=f"δ = {dl}")
    T = _step_time(data["roots"])
    ax.axvline(T, color="k", lw=0.6, ls=":")
    ax.set_xlabel("t")
    ax.set_ylabel(r"$\theta_1(\delta t)$")
    ax.set_title("r1, r2, r3 = " + ", ".join(f"{r:g}" for r in data["roots"]) +
                 r"; $\theta_0 = r_2 + e^{-\delta}$", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return save(fig, stem)


register(Figure(
    "5a", "theta1(t) with r1 = -2, r2 = 1, r3 = 2 and initial conditions theta0 = r2 + e^-delta, "
    "delta in {10, 20, 30} (plotted against t, time rescaled t -> delta t)",
    "Appendix C.1, Figure 5(a)",
    {"roots": (-2, 1, 2), "deltas": (10, 20, 30), "T": lambda r1, r2, r3: 2 / ((r3 - r2) *
                                                                              (r2 - r1))},
    _fig5a_compute, _fig5a_check, _fig5a_plot,
    notes=("finding: -2, 1, 2 cannot be the roots of (13)'s cubic theta^3 + 2dK theta - 2d lam "
           "(no theta^2 term: its roots sum to 0, these sum to 1); the figure integrates "
           "theta1' = -(theta1 - r1)(theta1 - r2)(theta1 - r3)/2, whose step limit (14)-(15) is "
           "the same computation",)))


def _fig5b_compute(seed, parts):
    dv, Kv, delta = parts["d"], parts["K"], parts["delta"]
    field = SHALLOW_FLOW.reduced.subs({d: sp.nsimplify(dv), K: sp.nsimplify(Kv)})
    t = np.linspace(0, parts["t_max"], 801)
    lams = np.array([float(v) for v in parts["lams"]])
    roots = []
    for lv in parts["lams"]:
        poly = sp.Poly(sp.expand(field.subs(lam, sp.nsimplify(lv))), theta1)
        roots.append(np.sort(np.roots([float(c) for c in poly.all_coeffs()]).real))
    roots = np.array(roots)
    f = FLOAT.compile([field], (theta1, lam))
    sol = integrate_batch(lambda _t, y, lv: np.asarray(f(*y, lv)),
                          (roots[:, 1] + np.exp(-delta))[None, :], t * delta, (lams,),
                          rtol=RTOL, atol=1e-15)
    if not sol.success.all():
        raise RuntimeError(sol.message)
    return {"t": t, "y": sol.y[:, 0, :], "roots": roots, "lams": parts["lams"]}


def _fig5b_check(data, parts):
    tc = np.array([_crossing(data["t"], data["y"][:, j], (r[1] + r[2]) / 2)
                   for j, r in enumerate(data["roots"])])
    Ts = np.array([_step_time(r) for r in data["roots"]])
    lams = np.asarray([float(v) for v in data["lams"]])
    order = np.argsort(lams)
    sooner = bool(np.all(np.diff(tc[order]) > 0))
    want = parts["sooner_for_smaller_lambda"]
    near = np.abs(tc - Ts) / Ts
    return [_ok("the step appears sooner for smaller lambda" if want else
                "the step appears later for smaller lambda", sooner == want,
                "crossings " + ", ".join(f"{c:.4g} (lam {lv:g})" for c, lv in zip(tc, lams))),
            _ok("each step near T_lam = 2/(r32 r21) (106)", near.max() <= 0.1,
                f"max relative distance {near.max():.3f} (tol 0.1); T_lam = " +
                ", ".join(f"{v:.4g}" for v in Ts))]


def _fig5b_plot(data, stem):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.8, 3.4))
    for j, lv in enumerate(data["lams"]):
        ax.plot(data["t"], data["y"][:, j], label=f"λ = {float(lv):g}")
    ax.set_xlabel("t")
    ax.set_ylabel(r"$\theta_1(\delta t)$")
    ax.set_title(r"$\Delta > 0$: $\theta_0 = r_2 + e^{-\delta}$, δ = 20, d = 0.5, K = -4",
                 fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return save(fig, stem)


register(Figure(
    "5b", "theta1(delta t) (Delta > 0), initial condition theta0 = r2 + e^-delta, delta = 20, FA "
    "constant d = 0.5, K = -4; several lambda", "Appendix C.1, Figure 5(b)",
    {"d": Fraction(1, 2), "K": -4, "delta": 20, "t_max": 2.5,
     "lams": (Fraction(1, 2), 1, Fraction(3, 2), 2, Fraction(5, 2), 3),
     "sooner_for_smaller_lambda": True},
    _fig5b_compute, _fig5b_check, _fig5b_plot,
    notes=("the caption gives no lambda values: 1/2, 1, ..., 3 (three real roots need "
           "27 lam^2 < 256 at d = 1/2, K = -4)",)))


# --- Figure 6: the region R of Theorem 26 --------------------------------------------------------
@lru_cache(maxsize=8)
def _sstar(C: Fraction) -> tuple[Fraction, Fraction]:
    """A rational bracket [lo, hi] of S*, the positive root of P(x, x) = C - x^3 + x^2 (bisection
    on exact signs; P(x, x) > 0 on [0, S*) and < 0 beyond)."""
    lo, hi = Fraction(0), Fraction(1)
    while C - hi**3 + hi**2 > 0:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if C - mid**3 + mid**2 > 0 else (lo, mid)
    return lo, hi


def _fig6_compute(seed, parts):
    dv, lv = Fraction(parts["d"]), Fraction(parts["lam"])
    cons = [c.subs({d: dv, lam: lv}) for c in parts["constraints"]]
    f = EXACT.compile(cons, (x, S))
    lo, hi = _sstar(2 * dv * lv)
    box = 3 * hi
    n = parts["grid"]
    xs = [box * i / n for i in range(n + 1)]
    inside = [(a, b) for a in xs for b in xs if all(v >= 0 for v in f(a, b))]
    return {"constraints": cons, "inside": inside, "box": box, "sstar": (lo, hi),
            "d": dv, "lam": lv, "grid": n}


def _fig6_check(data, parts):
    f = EXACT.compile(data["constraints"], (x, S))
    pts = data["inside"]
    lo, hi = data["sstar"]
    # every pair of boundary points of the grid region (a point of R with a grid neighbour
    # outside R), then random pairs: the midpoint must lie in R (exact rationals)
    step = data["box"] / data["grid"]
    inside = set(pts)
    edge = [p for p in pts if any((p[0] + a * step, p[1] + b * step) not in inside
                                  for a, b in ((1, 0), (-1, 0), (0, 1), (0, -1)))]
    pairs = [(a, b) for i, a in enumerate(edge) for b in edge[i + 1:]]
    if len(pairs) > parts["pairs"]:
        pick = np.random.default_rng(6).choice(len(pairs), parts["pairs"], replace=False)
        pairs = [pairs[i] for i in pick]
    if pts:
        pick = np.random.default_rng(7).integers(0, len(pts), (parts["pairs"] // 4, 2))
        pairs += [(pts[i], pts[j]) for i, j in pick]
    bad = None
    for a, b in pairs:
        m = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        if not all(v >= 0 for v in f(*m)):
            bad = (a, b, m)
            break
    xmax = max((p[0] for p in pts), default=Fraction(0))
    smax = max((p[1] for p in pts), default=Fraction(0))
    bounded = xmax <= hi and smax <= hi and xmax < data["box"] / 2
    return [_ok("R is convex (exact midpoint test on grid points of R)", bad is None and
                len(pts) > 10, f"{len(pairs)} pairs of {len(pts)} points ({len(edge)} on the "
                "boundary)" if bad is None else f"midpoint ({float(bad[2][0]):.6g}, "
                f"{float(bad[2][1]):.6g}) of two points of R is outside R"),
            _ok("R is compact (closed: non-strict polynomial inequalities; bounded by S*)",
                bounded, f"max x = {float(xmax):.4g}, max S = {float(smax):.4g} on a grid of "
                f"[0, {float(data['box']):.3g}]^2; S* in [{float(lo):.6g}, {float(hi):.6g}]")]


def _fig6_plot(data, stem):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.2, 4.0))
    ffl = FLOAT.compile(data["constraints"], (x, S))
    g = np.linspace(0, float(data["sstar"][1]) * 1.3, 400)
    X, Y = np.meshgrid(g, g)
    vals = ffl(X, Y)
    mask = np.all([v >= 0 for v in vals], axis=0)
    ax.contourf(X, Y, mask.astype(float), levels=[0.5, 1.5], colors=["#9ecae1"])
    for v in vals:
        ax.contour(X, Y, v, levels=[0], colors="k", linewidths=0.8)
    s = float(data["sstar"][1])
    ax.plot([s], [s], "ko", ms=3)
    ax.annotate("(S*, S*)", (s, s), textcoords="offset points", xytext=(-40, 6), fontsize=8)
    ax.set_xlabel("x")
    ax.set_ylabel("S")
    ax.set_title(f"R = {{S <= x, P(x, S) >= 0}}, 2dλ = {float(2 * data['d'] * data['lam']):g}",
                 fontsize=9)
    fig.tight_layout()
    return save(fig, stem)


register(Figure(
    "6", "The compact, convex set R = {(x, S) in R^2_>=0 : S <= x, P(x, S) >= 0}, "
    "P = 2 d lam - x^3 + x S (d = 1/2, lam = 1)", "Appendix D.2, Figure 6 (Lemma 28, (161))",
    {"d": Fraction(1, 2), "lam": 1, "constraints": (x, S, x - S, DF.P), "grid": 60,
     "pairs": 20000},
    _fig6_compute, _fig6_check, _fig6_plot,
    notes=("the caption gives no (d, lam): d = 1/2, lam = 1 (2 d lam = 1)",)))
