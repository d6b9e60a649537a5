"""Benchmark: the arb Taylor integrator (``fa_proofs.arb_taylor``) against ``mpmath.odefun``.

    python benchmarks/bench_arb_taylor.py [--rounds 3] [--digits 30] [--t 20]

Problem: the two-layer flow (6) (``fa_proofs.model.network.SHALLOW_FIELD``, the one SymPy
definition, compiled for mpmath by ``MP(dps).compile`` and turned into a ``PolyField`` for arb) at
a few exact starts ``(d, lam, theta1(0), theta2(0))``, integrated to ``t`` at ``digits`` digits.

Fairness: imports and compilation outside the timers; in each round both integrators run every
start, interleaved (arb, mpmath, arb, mpmath, ...); per start and round the paired ratio
mpmath/arb is recorded; the report gives the median and the range of the paired ratios, and both
integrators' largest error against a 60-digit arb Taylor reference at the output time (equal
accuracy: both must be within 10^-(digits - 3) of it, relative to the state's scale).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from fractions import Fraction as Q
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flint import arb  # noqa: E402

from fa_proofs.arb_taylor import PolyField, integrate  # noqa: E402
from fa_proofs.arith import MP, Ball  # noqa: E402
from fa_proofs.model import network as N  # noqa: E402
from fa_proofs.model import symbols as Y  # noqa: E402
from fa_proofs.simulate import integrate_mp  # noqa: E402

STARTS = [  # d, lam, theta1(0), theta2(0)
    (Q(2), Q(3), Q(-1), Q(1, 4)),
    (Q(1, 2), Q(1), Q(1, 10), Q(0)),
    (Q(1), Q(5), Q(-2), Q(3)),
    (Q(1, 5), Q(3), Q(3, 2), Q(-1)),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--digits", type=int, default=30)
    ap.add_argument("--t", type=int, default=20)
    a = ap.parse_args()
    T = Q(a.t)
    fields = [PolyField.of(N.SHALLOW_FIELD, (Y.theta1, Y.theta2), {Y.d: dd, Y.lam: ll})
              for dd, ll, _, _ in STARTS]
    mp = MP(a.digits)
    f_mp = mp.compile(list(N.SHALLOW_FIELD), (Y.theta1, Y.theta2, Y.d, Y.lam))
    with Ball(400).workprec():
        refs = [integrate(fld, [t1, t2], [T], digits=60)[0]
                for fld, (_, _, t1, t2) in zip(fields, STARTS)]
    ratios, t_arb, t_mp = [], [], []
    err_arb = err_mp = 0.0
    for _ in range(a.rounds):
        for fld, (dd, ll, t1, t2), ref in zip(fields, STARTS, refs):
            t0 = time.perf_counter()
            with Ball(400).workprec():
                ya = integrate(fld, [t1, t2], [T], digits=a.digits)[0]
            ta = time.perf_counter() - t0
            dmp, lmp = mp.convert(dd), mp.convert(ll)
            t0 = time.perf_counter()
            ym = integrate_mp(lambda _t, y: list(f_mp(y[0], y[1], dmp, lmp)), [t1, t2],
                              [0, T], dps=a.digits)[1]
            tm = time.perf_counter() - t0
            scale = max(1.0, max(abs(float(v.mid())) for v in ref))
            with Ball(400).workprec():
                ea = max(abs(float((v - r).mid())) for v, r in zip(ya, ref)) / scale
                em = max(abs(float((arb(mp.ctx.nstr(v, a.digits + 10)) - r).mid()))
                         for v, r in zip(ym, ref)) / scale
            err_arb, err_mp = max(err_arb, ea), max(err_mp, em)
            ratios.append(tm / ta)
            t_arb.append(ta)
            t_mp.append(tm)
    print(f"two-layer flow (6), t = {a.t}, {a.digits} digits, {len(STARTS)} starts x "
          f"{a.rounds} rounds (interleaved)")
    print(f"arb Taylor : median {statistics.median(t_arb):.3f} s per trajectory, max error "
          f"{err_arb:.1e} (relative to the state's scale)")
    print(f"mpmath     : median {statistics.median(t_mp):.3f} s per trajectory, max error "
          f"{err_mp:.1e}")
    print(f"paired ratio mpmath/arb: median {statistics.median(ratios):.1f}x, range "
          f"[{min(ratios):.1f}, {max(ratios):.1f}]")
    tol = 10.0 ** -(a.digits - 3)
    print("equal accuracy: " + ("yes" if max(err_arb, err_mp) < tol else
                                f"NO (tolerance {tol:.0e})"))


if __name__ == "__main__":
    main()
