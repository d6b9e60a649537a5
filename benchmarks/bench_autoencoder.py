"""Figure 2's experiment: the suite's fast path against the plain per-repeat loop over the samples.

    python benchmarks/bench_autoencoder.py [--iterations N] [--loop-iterations K] [--plain-iterations M]

The fast path (:func:`fa_proofs.experiment.autoencoder.train`) runs the whole figure (both
depths, 15 FA repeats stacked + GD, N iterations, default 1e5) on the 20 x 20 covariance.  The
plain loop (:func:`~fa_proofs.experiment.autoencoder.train_plain`: one repeat at a time, the
gradient summed over the 1000 samples) is timed for M iterations (default 20) and extrapolated
linearly to the same work; both give the same curves (``tests/test_experiment.py``: 1e-10).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fa_proofs.experiment import autoencoder as AE  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=100_000)
    ap.add_argument("--plain-iterations", type=int, default=20)
    ap.add_argument("--loop-iterations", type=int, default=1000)
    ap.add_argument("--reading", default="data-normalised")
    a = ap.parse_args()
    rd = AE.reading(a.reading)
    fast = 0.0
    plain = 0.0
    loop = 0.0
    for depth in (2, 3):
        pb = AE.make_problem(rd, depth, 15, 0)
        t0 = time.process_time()
        AE.train(pb, "fa", a.iterations)
        AE.train(pb, "gd", a.iterations)
        fast += time.process_time() - t0
        t0 = time.process_time()
        AE.train_plain(pb, "fa", a.plain_iterations, repeat=0)
        per_run = (time.process_time() - t0) / a.plain_iterations
        plain += per_run * a.iterations * 16                # 15 FA repeats + GD
        t0 = time.process_time()
        for r in range(15):
            AE.train_plain(pb, "fa", a.loop_iterations, repeat=r, per_sample=False)
        AE.train_plain(pb, "gd", a.loop_iterations, per_sample=False)
        loop += (time.process_time() - t0) * a.iterations / a.loop_iterations
    print(f"fast path (covariance form, repeats stacked): {fast:.1f} s CPU for the whole figure "
          f"({a.iterations} iterations, depths 2 and 3, 15 FA repeats + GD)")
    print(f"per-repeat NumPy loop on the sample matrix: {loop:.0f} s CPU extrapolated from "
          f"{a.loop_iterations} iterations ({loop / max(fast, 1e-9):.1f}x)")
    print(f"plain per-repeat Python loop over the samples: {plain:.0f} s CPU extrapolated from "
          f"{a.plain_iterations} iterations ({plain / max(fast, 1e-9):.0f}x)")


if __name__ == "__main__":
    main()
