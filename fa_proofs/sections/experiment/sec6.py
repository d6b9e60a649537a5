"""Section 6 and Appendix E.2, Figure 2: FA versus GD on linear autoencoders, as claims.

Claims: sec6 (the set-up), sec6.fa_faster, sec6.gd3_not_started, sec6.incremental, sec6.fa_converges.

The experiment is :mod:`fa_proofs.experiment.autoencoder` (the set-up (194)-(196) under named
readings).  The printed statements are checked under the two printed readings, ``literal``
(Section 6: z ~ N(0, diag(4, 2, 1, 1/2, 1/4))) and ``appendix`` ((196): z ~ N(0, I_5)), both with
eta = 0.01 and feedback entries U([0, 1]).  Every FA statement includes what Figure 2 shows of
FA: the FA trace norms stay in the plotted range, ``||Theta(t)||_* <= k + 1/2``.  A failure is
certified by an interval orbit (:mod:`fa_proofs.experiment.certify`) of the training map from the
run's exact (double) data: ``||Theta_t||_* >= ||Theta_t||_F >`` the bound.  The correction is the
reading ``data-normalised`` (x divided by the square root of the top eigenvalue of Sigma_xx);
its checks are double-precision runs of the whole 1e5-iteration experiment (profile ci: 3 FA
repeats; dev and fuzz: the paper's 15).
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np

from ...domains import Domain, Hypothesis, Param
from ...engine import Check, Claim, Correction, Finding, Part, Statement
from ...experiment import autoencoder as AE
from ...experiment.certify import IMat, orbit_until, trace_norm_upper
from ...registry import register
from ...verdicts import (CheckResult, Counterexample, Evidence, Measure, Status, check_all,
                         failed, passed, undecided)

ITERATIONS = 100_000
PRINTED_READINGS = ("literal", "appendix")
CORRECTED_READING = "data-normalised"
K = AE.K_LATENT
PER_DECADE = 200


def repeats_for(run) -> int:
    return 3 if run.profile.name == "ci" else 15


@lru_cache(maxsize=16)
def problem(reading: str, depth: int, repeats: int, seed: int) -> AE.Problem:
    return AE.make_problem(AE.reading(reading), depth, repeats, seed)


@lru_cache(maxsize=32)
def curves(reading: str, depth: int, repeats: int, seed: int, method: str,
           stop_above: float | None = None) -> AE.Curves:
    """One configuration's FA (all repeats) or GD curves over ITERATIONS (shared by the claims);
    ``stop_above``: stop once every run's trace norm exceeds it."""
    return AE.train(problem(reading, depth, repeats, seed), method, ITERATIONS,
                    record=AE.record_points(ITERATIONS, PER_DECADE), stop_above=stop_above)


def runs(reading: str, depth: int, repeats: int, seed: int):
    """(problem, FA curves, GD curves)."""
    return (problem(reading, depth, repeats, seed), curves(reading, depth, repeats, seed, "fa"),
            curves(reading, depth, repeats, seed, "gd"))


def _none(src, i, given, statement) -> dict:
    return {}


SETUP_J = Param("j", kind="integer", sign="positive", lo=1, hi=K,
                doc="the index of a diagonal entry of Cov(z)")
SETUP = Domain("Figure 2's set-up: an entry j of Cov(z)", (SETUP_J,),
               lambda src, i, given, st: {"j": 1, **given},
               description="the experiment of Section 6 / Appendix E.2 as a whole")

DEPTH_P = Param("depth", kind="integer", sign="positive", lo=2, hi=3, doc="the depth L")
SEED_P = Param("seed", kind="integer", sign="nonnegative", lo=0, doc="the experiment's seed")
REPEAT_P = Param("repeat", kind="integer", sign="nonnegative", lo=0, hi=14,
                 doc="the FA repeat (its feedback matrices)")
T_P = Param("t", kind="integer", sign="nonnegative", lo=0, doc="the last iteration looked at")


def _orbit_draw(t: int, with_depth: bool):
    def draw(src, i, given, statement) -> dict:
        out = {"seed": 0, "t": t}
        if with_depth:                          # an FA orbit: a depth and a repeat
            out.update(depth=statement["depths"][0], repeat=0)
        out.update(given)
        return out
    return draw


_DEPTH_STATED = Hypothesis("depth is one of the statement's depths",
                           lambda p, st: int(p["depth"]) in tuple(st["depths"]))
FA_ORBIT = Domain("one FA training orbit of Figure 2: (depth, seed, repeat, t)",
                  (DEPTH_P, SEED_P, REPEAT_P, T_P), _orbit_draw(4, True),
                  (_DEPTH_STATED,), description="a certified orbit of the FA training map")
GD_ORBIT = Domain("the GD training orbit of Figure 2: (seed, t)",
                  (SEED_P, T_P), _orbit_draw(50, False),
                  description="a certified orbit of the GD training map (depth: the statement's)")


def first_reach(curve: np.ndarray, t: np.ndarray, level: float) -> int | None:
    """The first recorded iteration with curve >= level (None if never)."""
    hit = np.nonzero(curve >= level)[0]
    return int(t[hit[0]]) if hit.size else None


# --- certified failures ---------------------------------------------------------------------
@lru_cache(maxsize=32)
def certified_orbit(reading: str, depth: int, seed: int, method: str, repeat: int,
                    bound: Fraction, max_steps: int) -> tuple[int | None, float, float]:
    """The interval orbit of one run up to ``max_steps``: (the first t with ||Theta_t||_F > bound
    certified -- so ||Theta_t||_* > bound -- or None; the certified lower bound of ||Theta_t||_F
    there; the largest certified upper bound of ||Theta_s||_* over the steps s looked at:
    sqrt(d) ||Theta_s||_F, or the tighter :func:`~fa_proofs.experiment.certify.trace_norm_upper`
    where that exceeds ``bound``)."""
    pb = AE.make_problem(AE.reading(reading), depth, repeat + 1, seed)
    M = None if method == "gd" else pb.feedback[repeat:repeat + 1]
    eta = Fraction(pb.reading.eta).limit_denominator(10**8)
    top = [0.0]

    def stop(_t, P) -> bool:
        # sqrt(d) ||Theta||_F bounds the trace norm cheaply; where it exceeds the bound, the
        # nearly tight certified bound of certify.trace_norm_upper (an SVD) is computed instead
        cheap = float(P.frobenius_upper()[0]) * float(np.sqrt(AE.D)) * (1 + 1e-15)
        if cheap > float(bound):
            cheap = min(cheap, trace_norm_upper(IMat(P.mid[0], P.rad[0])))
        top[0] = max(top[0], cheap)
        return bool(P.frobenius_lower()[0] > float(bound))
    t, P = orbit_until(list(pb.W0), pb.sigma, eta, M, stop, max_steps)
    low = float(P.frobenius_lower()[0])
    return (t if low > float(bound) else None), low, top[0]


def certified_exit(reading: str, depth: int, seed: int, method: str, repeat: int,
                   bound: Fraction, max_steps: int) -> tuple[int, float] | None:
    """(t, lower bound of ||Theta_t||_F) at the first certified exit, None if none by
    ``max_steps``."""
    t, low, _top = certified_orbit(reading, depth, seed, method, repeat, bound, max_steps)
    return None if t is None else (t, low)


CERTIFY_STEPS_CI = 40_000       # profile ci certifies orbits up to this many steps (dev: any)


def _exit_failure(name: str, what: str, reading: str, depth: int, seed: int, method: str,
                  repeat: int, bound: Fraction, t_float: int, run=None,
                  exact_t: bool = False) -> CheckResult:
    """A certified failure: the orbit leaves ||Theta||_* <= bound (near where doubles saw it;
    with ``exact_t``, at most at ``t_float``: a user's or a saved point)."""
    if run is not None and run.profile.name == "ci" and t_float > CERTIFY_STEPS_CI:
        return undecided(name, Evidence.FLOAT, what, note=f"{reading}, depth {depth}, {method}: "
                         f"exceeds {bound} at t = {t_float} in doubles; the certified orbit "
                         f"(> {CERTIFY_STEPS_CI} steps) runs under profile dev")
    got = certified_exit(reading, depth, seed, method, repeat, bound,
                         t_float if exact_t else t_float + 1000)
    if got is None:
        return undecided(name, Evidence.FLOAT, what, note=f"{reading}, depth {depth}, "
                         f"{method} repeat {repeat}: exceeds {bound} at t = {t_float} in doubles; "
                         "not certified")
    t, low = got
    params: dict[str, Any] = {"seed": seed}
    if method == "fa":
        params.update(depth=depth, repeat=repeat)
    params["t"] = t
    cx = Counterexample.of(params,
                           f"reading {reading}: ||Theta_t||_* >= ||Theta_t||_F > {bound}",
                           {"certified ||Theta_t||_F lower bound": f"{low:.6g}", "method": method},
                           Evidence.BALL)
    return failed(name, Evidence.BALL, what, cx, points=1, steps=t,
                  measure=Measure("certified ||Theta_t||_F lower bound", low, {"t": str(t)}))


def fa_in_range(name: str, reading: str, depth: int, seed: int, repeats: int,
                bound: Fraction) -> CheckResult | None:
    """None if every FA repeat stays in ||Theta||_* <= bound (doubles); else its certified (or
    undecided) exit."""
    fa = curves(reading, depth, repeats, seed, "fa")
    over = [(r, int(fa.diverged[r]) if fa.diverged[r] >= 0
             else first_reach(fa.trace_norm[r], fa.t, float(bound)))
            for r in range(repeats)]
    over = [(r, t) for r, t in over if t is not None and
            (fa.diverged[r] >= 0 or np.nanmax(fa.trace_norm[r]) > float(bound))]
    if not over:
        return None
    r, t = min(over, key=lambda p: p[1])
    return _exit_failure(name, f"FA trace norm <= {bound} (Figure 2's range)", reading, depth,
                         seed, "fa", r, bound, t)


def at_point(name: str, what: str, point, method: str, bound: Fraction, depth: int,
             reading: str) -> CheckResult:
    """A point (``--at``, replay, shrinking) of the check of ``reading``: the certified orbit of
    that run up to ``t``.  A failure if it leaves ``||Theta||_* <= bound`` by then; a pass (of
    the statement restricted to that orbit and those steps) if a certified upper bound of the
    trace norm (:func:`certified_orbit`) stays within it at every step; else undecided."""
    seed, t = int(point["seed"]), int(point["t"])
    repeat = int(point.get("repeat", 0))
    res = _exit_failure(name, what, reading, depth, seed, method, repeat, bound, t,
                        exact_t=True)
    if res.status is Status.FAIL:
        return res
    _t, _low, top = certified_orbit(reading, depth, seed, method, repeat, bound, t)
    if top <= float(bound):
        return passed(name, Evidence.BALL, f"{what}: certified ||Theta_s||_* <= {bound}, "
                      f"s <= {t}", points=1, steps=t,
                      measure=Measure("max certified upper bound of ||Theta_s||_*", top))
    return undecided(name, Evidence.BALL, what, note=f"reading {reading}, depth {depth}, "
                     f"{method}: no certified exit by t = {t}; the certified upper bound of "
                     f"the trace norm reaches {top:.4g}")


# --- the statements' checks -----------------------------------------------------------------
def _fa_faster_one(st: Statement, reading: str, depth: int, run) -> CheckResult:
    name = f"{reading}, {depth} layers"
    what = "FA reaches each trace norm level before GD, in range"
    reps = repeats_for(run)
    bad = fa_in_range(name, reading, depth, run.seed, reps, st["range"])
    if bad is not None:
        return bad
    _pb, fa, gd = runs(reading, depth, reps, run.seed)
    fam, gdm = np.nanmean(fa.trace_norm, 0), gd.trace_norm[0]
    rows = []
    for lv in st["levels"]:
        tf, tg = first_reach(fam, fa.t, float(lv)), first_reach(gdm, gd.t, float(lv))
        rows.append((lv, tf, tg))
        first_fa = st["first"] == "fa"
        if tf is None and tg is None:
            return undecided(name, Evidence.FLOAT, what, note=f"neither reaches {lv}")
        ok = (tf is not None and (tg is None or tf < tg)) if first_fa else \
            (tg is not None and (tf is None or tg < tf))
        if not ok:
            return undecided(name, Evidence.FLOAT, what, note=f"level {lv}: FA at {tf}, GD at "
                             f"{tg} (doubles; not certified)")
    return passed(name, Evidence.FLOAT, what, points=reps + 1, steps=ITERATIONS,
                  note="; ".join(f"{lv}: FA {tf}, GD {tg if tg is not None else '> 1e5'}"
                                 for lv, tf, tg in rows))


def _fa_at(st, run, readings) -> CheckResult:
    rd = readings[0]
    return at_point(f"{rd}, FA {run.at['depth']} layers",
                    f"FA trace norm <= {st['range']} (Figure 2's range)", run.at, "fa",
                    st["range"], int(run.at["depth"]), rd)


def _fa_faster(readings):
    def fn(st, points, run):
        if run.at is not None:
            return _fa_at(st, run, readings)
        return [check_all(f"{rd}", [_fa_faster_one(st, rd, dp, run) for dp in st["depths"]])
                for rd in readings]
    return fn


def _gd_not_started_one(st: Statement, reading: str, run) -> CheckResult:
    depth = st["depth"]
    name = f"{reading}, GD {depth} layers"
    what = f"GD ||Theta(t)||_* < {st['threshold']} for t <= 1e5"
    # the printed readings' GD crosses early: stop there (the same first crossing); the
    # corrected reading's full curve is shared with sec6.fa_faster
    stop = None if reading == CORRECTED_READING else float(st["threshold"])
    gd = curves(reading, depth, repeats_for(run), run.seed, "gd", stop)
    t = first_reach(gd.trace_norm[0], gd.t, float(st["threshold"]))
    if t is None:
        return passed(name, Evidence.FLOAT, what, points=1, steps=ITERATIONS,
                      measure=Measure("max trace norm", float(np.nanmax(gd.trace_norm[0]))))
    return _exit_failure(name, what, reading, depth, run.seed, "gd", 0, st["threshold"], t, run)


def _gd_not_started(readings):
    def fn(st, points, run):
        if run.at is not None:
            return at_point(f"{readings[0]}, GD {st['depth']} layers",
                            f"GD ||Theta(t)||_* < {st['threshold']} for t <= 1e5", run.at, "gd",
                            st["threshold"], int(st["depth"]), readings[0])
        return [_gd_not_started_one(st, rd, run) for rd in readings]
    return fn


def _incremental_one(st: Statement, reading: str, depth: int, run) -> CheckResult:
    name = f"{reading}, FA {depth} layers"
    what = "u_j^T Theta u_j reaches 1/2 in the order " + st["order"]
    reps = repeats_for(run)
    bad = fa_in_range(name, reading, depth, run.seed, reps, st["range"])
    if bad is not None:
        return bad
    fa = curves(reading, depth, reps, run.seed, "fa")
    n = st["components"]
    comps = np.nanmean(fa.components, 0)                    # (t, k), decreasing eigenvalues
    taus = [first_reach(comps[:, j], fa.t, 0.5) for j in range(n)]
    if any(t is None for t in taus):
        return undecided(name, Evidence.FLOAT, what, note=f"not every component learned: {taus}")
    order = list(np.argsort(taus, kind="stable"))
    expect = list(range(n)) if st["order"] == "largest first" else list(range(n))[::-1]
    distinct = len(set(taus)) == n
    if order != expect or not distinct:
        return undecided(name, Evidence.FLOAT, what, note=f"tau_j = {taus} (doubles)")
    return passed(name, Evidence.FLOAT, what, points=reps, steps=ITERATIONS,
                  note="tau_j = " + ", ".join(map(str, taus)))


def _incremental(readings):
    def fn(st, points, run):
        if run.at is not None:
            return _fa_at(st, run, readings)
        return [_incremental_one(st, rd, dp, run) for rd in readings for dp in st["depths"]]
    return fn


def _converges_one(st: Statement, reading: str, depth: int, run) -> CheckResult:
    name = f"{reading}, FA {depth} layers"
    what = f"||Theta(1e5) - P_k||_F <= {st['tol']} for every FA repeat"
    reps = repeats_for(run)
    bad = fa_in_range(name, reading, depth, run.seed, reps, st["range"])
    if bad is not None:
        return bad
    fa = curves(reading, depth, reps, run.seed, "fa")
    worst = float(np.nanmax(fa.dist_pk[:, -1]))
    if not worst <= float(st["tol"]):
        return undecided(name, Evidence.FLOAT, what, measure=Measure(
            "max ||Theta - P_k||_F", worst, tolerance=float(st["tol"])))
    return passed(name, Evidence.FLOAT, what, points=reps, steps=ITERATIONS,
                  measure=Measure("max ||Theta - P_k||_F", worst, tolerance=float(st["tol"])))


def _converges(readings):
    def fn(st, points, run):
        if run.at is not None:
            return _fa_at(st, run, readings)
        return [_converges_one(st, rd, dp, run) for rd in readings for dp in st["depths"]]
    return fn


def _readings_finding(st, points, run) -> str:
    rows = []
    for name in PRINTED_READINGS:
        pb = AE.make_problem(AE.reading(name), 2, 1, run.seed)
        lmax = float(pb.eigen[0][0])
        nm = float(np.linalg.norm(pb.feedback[0, 0], 2))
        rows.append(f"{name}: lambda_max(Sigma_xx) = {lmax:.4g}, eta lambda_max = "
                    f"{pb.reading.eta * lmax:.3g}, ||M||_2 = {nm:.3g}, eta ||M||_2 lambda_max "
                    f"= {pb.reading.eta * nm * lmax:.3g}")
    return "scales: " + "; ".join(rows)


CORRECTION_TEXT = (f"under the reading '{CORRECTED_READING}' (x divided by the square root of the "
                   "largest eigenvalue of Sigma_xx, so eta lambda_max = 0.01; everything else as "
                   "printed) the statement holds; as printed (eta = 0.01 with the raw data, "
                   "lambda_max ~ 34-53, and feedback entries U([0, 1]), ||M||_2 ~ 10) the FA "
                   "iterates diverge within 5 steps")

COMMON = ("the experiment: fa_proofs.experiment.autoencoder; 'fa-proofs experiment autoencoder "
          "--reading NAME' runs any reading and draws Figure 2",)


def _claim(cid: str, title: str, statement: str, parts: dict, fn, cost: float,
           correction: bool = True, notes: tuple = (), domain: Domain = FA_ORBIT) -> Claim:
    return Claim(
        cid, title, "Section 6 and Appendix E.2, Figure 2", statement, Statement(parts), domain,
        tuple(Check(f"printed reading {rd}", fn((rd,)), samples=0) for rd in PRINTED_READINGS),
        correction=Correction(CORRECTION_TEXT, {}, (
            Check(f"reading {CORRECTED_READING}", fn((CORRECTED_READING,)), samples=0),))
        if correction else None,
        notes=notes + COMMON, cost=cost)


LEVELS = tuple(Fraction(2 * j - 1, 2) for j in range(1, K + 1))
RANGE = Fraction(2 * K + 1, 2)


# --- sec6.setup: the two printed set-ups ---------------------------------------------------------
def _setup_check(st: Statement, points, run) -> CheckResult:
    main, appx = st["main_cov"], st["appendix_cov"]
    what = "Section 6's Cov(z) = (196)'s Cov(z)"
    js = [int(run.at["j"]) - 1] if run.at is not None else range(len(main))
    diff = [j for j in js if main[j] != appx[j]]
    if not diff:
        return passed("Cov(z) in Section 6 and (196)", Evidence.EXACT, what, points=len(js))
    i = diff[0]
    cx = Counterexample.of({"j": i + 1}, f"Cov(z)_jj differs: Section 6 {main[i]} != (196) "
                           f"{appx[i]}", {"Section 6": str(main), "(196)": str(appx)},
                           Evidence.EXACT)
    return failed("Cov(z) in Section 6 and (196)", Evidence.EXACT, what, cx, points=1)


register(Claim(
    "sec6", "The experiment's set-up in Section 6 and Appendix E.2",
    "Section 6 and Appendix E.2, (196)",
    """Appendix E.2 gives the technical details of Section 6's experiment: the same data
       x_i = A z_i + eps_i (d = 20, k = 5, n = 1000), the same step size eta = 0.01 and the same
       initialisation 1e-5 U([0, 1]).""",
    Statement({"main_cov": Part(tuple(Fraction(c).limit_denominator() for c in AE.MAIN_COV),
                                "Section 6", "Cov(z) = diag(4, 2, 1, 1/2, 1/4) (OCR: "
                                "'diag{4, 2,1, 1, 4)')"),
               "appendix_cov": Part(tuple(Fraction(c) for c in AE.APPENDIX_COV), "(196)",
                                    "Cov(z) = I_h, h = 5")}),
    SETUP, (Check("Cov(z) in Section 6 and (196)", _setup_check, samples=0),),
    notes=("the suite runs both: reading 'literal' (Section 6) and 'appendix' ((196)); every "
           "sec6 statement is checked under both",
           "Section 6's diag{4, 2, 1, 1, 4) is OCR of diag(4, 2, 1, 1/2, 1/4) (the set-up is "
           "Gidel et al. 2019, Section 4.2); the fractions are a reconstruction",
           Finding("scales", _readings_finding, samples=0)),
    cost=0.1))

register(_claim(
    "sec6.fa_faster", "FA learns faster than GD (2 and 3 layers)",
    """The FA learning dynamics is distinctly faster than GD: at depths 2 and 3, the mean FA trace
       norm ||Theta(t)||_* reaches each level j - 1/2 (j = 1..k) before GD does, the FA curves
       staying in Figure 2's range ||Theta||_* <= k + 1/2.""",
    {"levels": Part(LEVELS, "Figure 2", "trace norm levels j - 1/2, j = 1..5"),
     "range": Part(RANGE, "Figure 2", "FA stays in Figure 2's range: trace norm at most 11/2"),
     "depths": Part((2, 3), "Section 6", "at depths 2 and 3"),
     "first": Part("fa", "Section 6", "FA reaches each level first")},
    _fa_faster, cost=25.0))

register(_claim(
    "sec6.gd3_not_started", "3-layer GD has not started learning after 1e5 iterations",
    """The 3-layer network trained with GD hasn't yet started to learn at the end of the training
       period (1e5 iterations): its trace norm stays below 1/2 (no component learned).""",
    {"threshold": Part(Fraction(1, 2), "Section 6", "'started to learn': trace norm 1/2"),
     "depth": Part(3, "Section 6", "the depth")},
    _gd_not_started, cost=10.0, domain=GD_ORBIT))

register(_claim(
    "sec6.incremental", "FA (3 layers) learns the components one after another, largest first",
    """The FA training for the 3-layer network hints at implicit regularisation (incremental
       learning as in Gidel et al. 2019): the components u_j^T Theta(t) u_j along the eigenvectors
       of Sigma_xx (eigenvalues decreasing) reach 1/2 one after another, largest first.""",
    {"order": Part("largest first", "Section 6", "the order of learning"),
     "components": Part(K, "Section 6", "how many components (k = 5)"),
     "depths": Part((3,), "Section 6", "depths the text says it of"),
     "range": Part(RANGE, "Figure 2", "the plotted range of the trace norm")},
    _incremental, cost=5.0))

register(_claim(
    "sec6.fa_converges", "FA reaches the best rank-k reconstruction",
    """FA converges to the signal (Theorems 8-10): after 1e5 iterations, every FA repeat's
       end-to-end matrix is within 1/100 (Frobenius) of P_k, the projector on the top-k
       eigenvectors of Sigma_xx (the best rank-k reconstruction, computed from the data).""",
    {"tol": Part(Fraction(1, 100), "Section 6", "distance to P_k (a tolerance the suite sets)"),
     "depths": Part((2, 3), "Section 6", "network depths"),
     "range": Part(RANGE, "Figure 2", "the plotted range of the trace norm")},
    _converges, cost=5.0))

__all__: list[Any] = []
