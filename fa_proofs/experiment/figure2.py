"""``fa-proofs experiment autoencoder``: run Figure 2's experiment (Section 6, Appendix E.2) under
a reading, save the curves (CSV) and the figure (PNG and PDF) in the paper's layout: two panels,
trace norm ||Theta(t)||_* and reconstruction error, against the iteration on a log scale; FA as
the mean over the repeats with a band of mean +- 2 standard deviations (Appendix E.2), GD as one
curve."""
from __future__ import annotations

import csv
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..errors import UsageError
from . import autoencoder as AE

PER_DECADE = 40


def run_experiment(depths: Sequence[int], reading_name: str, iterations: int, repeats: int,
                   seed: int, progress: Callable[[int], None] | None = None) -> dict:
    """{depth: (problem, FA curves, GD curves)}; ``progress(done)`` counts iterations over all
    runs (2 per depth)."""
    rd = AE.reading(reading_name)
    out = {}
    done = 0
    for depth in depths:
        pb = AE.make_problem(rd, depth, repeats, seed)
        rec = AE.record_points(iterations, PER_DECADE)
        curves = []
        for method in ("fa", "gd"):
            base = done
            curves.append(AE.train(pb, method, iterations, record=rec,
                                   progress=None if progress is None
                                   else (lambda t, b=base: progress(b + t))))
            done += iterations
        out[depth] = (pb, *curves)
    return out


def _stats(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(x, 0), np.nanstd(x, 0)


def write_csv(results: dict, out: Path, reading: str) -> list[Path]:
    paths = []
    for depth, (_pb, fa, gd) in results.items():
        p = out / f"figure2_{reading}_L{depth}.csv"
        tn_m, tn_s = _stats(fa.trace_norm)
        re_m, re_s = _stats(fa.recon)
        with p.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["iteration", "fa_trace_norm_mean", "fa_trace_norm_std", "fa_recon_mean",
                        "fa_recon_std", "fa_alive", "gd_trace_norm", "gd_recon"])
            alive = np.sum(np.isfinite(fa.trace_norm), 0)
            for i, t in enumerate(fa.t):
                w.writerow([int(t), f"{tn_m[i]:.10g}", f"{tn_s[i]:.10g}", f"{re_m[i]:.10g}",
                            f"{re_s[i]:.10g}", int(alive[i]), f"{gd.trace_norm[0, i]:.10g}",
                            f"{gd.recon[0, i]:.10g}"])
        paths.append(p)
    return paths


STYLE = {("fa", 3): ("C0", "-"), ("fa", 2): ("C1", "-"), ("gd", 3): ("C2", "--"),
         ("gd", 2): ("C3", "--")}


def plot(results: dict, out: Path, reading: str) -> list[Path]:
    """Figure 2's layout: trace norm (left) and reconstruction error (right, log scale)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for depth in sorted(results, reverse=True):
        _pb, fa, gd = results[depth]
        t = np.maximum(fa.t, 1)
        for ax, q in zip(axes, ("trace_norm", "recon")):
            m, s = _stats(getattr(fa, q))
            c, ls = STYLE["fa", depth]
            ax.plot(t, m, color=c, ls=ls, label=f"FA ({depth}l)")
            lo = m - 2 * s
            if q == "recon":
                lo = np.maximum(lo, np.nanmin(m[m > 0]) if np.any(m > 0) else 1e-12)
            ax.fill_between(t, lo, m + 2 * s, color=c, alpha=0.25, lw=0)
            c, ls = STYLE["gd", depth]
            ax.plot(t, getattr(gd, q)[0], color=c, ls=ls, label=f"GD ({depth}l)")
    axes[0].set_ylabel("Trace norm")
    axes[1].set_ylabel("Reconstruction error")
    axes[1].set_yscale("log")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel("Number of iterations")
        ax.set_xlim(1, None)
    axes[0].legend(fontsize=8)
    fig.suptitle(f"Figure 2 (reading '{reading}')", fontsize=9)
    fig.tight_layout()
    paths = []
    for ext in ("png", "pdf"):
        p = out / f"figure2_{reading}.{ext}"
        fig.savefig(p, dpi=150, metadata={"CreationDate": None} if ext == "pdf" else None)
        paths.append(p)
    plt.close(fig)
    return paths


def summary(results: dict, reading: str) -> list[str]:
    """Per depth: divergence, iterations to each trace norm level j - 1/2 (the FA mean; '-' when
    never reached or when a repeat diverged: a blow-up is not learning), final values."""
    import warnings
    warnings.simplefilter("ignore", RuntimeWarning)
    lines = []
    for depth, (pb, fa, gd) in results.items():
        _P, best = pb.best_rank_k()
        tn_m, _ = _stats(fa.trace_norm)

        def levels(curve, t=fa.t):
            if not np.all(np.isfinite(curve)):
                return "diverged"
            out = []
            for j in range(1, AE.K_LATENT + 1):
                hit = np.nonzero(curve >= j - 0.5)[0]
                out.append(str(int(t[hit[0]])) if hit.size else "-")
            return ",".join(out)
        div = int(np.sum(fa.diverged >= 0))
        lam = pb.eigen[0][0]
        lines.append(
            f"reading {reading}, {depth} layers: eta*lambda_max(Sxx) = {pb.reading.eta * lam:.3g}; "
            f"FA diverged {div}/{fa.diverged.size}"
            + (f" (first at t = {int(fa.diverged[fa.diverged >= 0].min())})" if div else "")
            + f"; GD diverged {int(np.sum(gd.diverged >= 0))}/1")
        lines.append(f"  iterations to trace norm j-1/2 (j=1..5): FA mean {levels(tn_m)}; "
                     f"GD {levels(gd.trace_norm[0])}")
        lines.append(f"  final: FA trace norm {tn_m[-1]:.6g}, ||Theta-P_k||_F "
                     f"{np.nanmax(fa.dist_pk[:, -1]):.3g} (max), recon {np.nanmean(fa.recon[:, -1]):.4g}; "
                     f"GD trace norm {gd.trace_norm[0, -1]:.6g}, recon {gd.recon[0, -1]:.4g}; "
                     f"best rank-{AE.K_LATENT} recon {best:.4g}")
    return lines


class Bar:
    """A progress bar on stderr."""

    def __init__(self, total: int, enabled: bool | None = None):
        self.total = total
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.start = time.perf_counter()
        self.last = -1.0

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.1 and done < self.total:
            return
        self.last = now
        width = 30
        fill = int(width * done / max(self.total, 1))
        sys.stderr.write(f"\r[{'#' * fill}{'.' * (width - fill)}] {done}/{self.total} "
                         f"iterations, {now - self.start:.1f} s")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def main(args) -> int:
    from ..cli import _int
    from ..report import emit
    depths = [2, 3] if args.depth is None else [_int(args.depth, "--depth", 2, 3)]
    AE.reading(args.reading)
    iterations = _int(args.iterations, "--iterations", 1, 10**7)
    repeats = _int(args.repeats, "--repeats", 1, 1000)
    seed = _int(args.seed, "--seed", 0)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create --out directory {args.out!r}: {exc.strerror}") from None
    bar = Bar(2 * len(depths) * iterations)
    results = run_experiment(depths, args.reading, iterations, repeats, seed, bar)
    bar(bar.total)
    bar.close()
    files = write_csv(results, out, args.reading) + plot(results, out, args.reading)
    emit("\n".join(summary(results, args.reading) + [f"wrote {p}" for p in files]))
    return 0
