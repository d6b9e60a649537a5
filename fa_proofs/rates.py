"""Estimating convergence rates from sampled errors, and comparing stated rates with exact ones.

A stated exponential rate ``c`` in ``|e(t)| <= C exp(-c t)`` holds iff ``c`` does not exceed the
true asymptotic rate ``rho`` (for ``e(t) ~ A exp(-rho t)``, ``A != 0``).  The true rate is derived
symbolically (linearisation at the attracting root); trajectories give an independent estimate.
"""
from __future__ import annotations

import numpy as np


def exp_rate(t: np.ndarray, err: np.ndarray, lo: float = 1e-11, hi: float = 1e-5) -> np.ndarray:
    """Per-trajectory slope of ``-log err`` against ``t`` over the samples with lo < err < hi.

    ``t`` has shape (m,), ``err`` shape (m, n).  Uses the first and last sample inside the window,
    after the error's peak
    (a secant: the window is where the linearisation is accurate and rounding is not yet felt).
    NaN where fewer than two samples fall in the window.
    """
    err = np.abs(err)
    # only the decay after the largest error counts (a start next to a repelling equilibrium
    # first moves away from it)
    peak = np.nan_to_num(err, nan=-1.0).argmax(axis=0)
    after = np.arange(len(t))[:, None] >= peak[None, :]
    inside = (err > lo) & (err < hi) & after
    out = np.full(err.shape[1], np.nan)
    idx = np.arange(len(t))[:, None]
    first = np.where(inside, idx, len(t)).min(axis=0)
    last = np.where(inside, idx, -1).max(axis=0)
    ok = last > first
    cols = np.nonzero(ok)[0]
    e1 = err[first[ok], cols]
    e2 = err[last[ok], cols]
    out[ok] = (np.log(e1) - np.log(e2)) / (t[last[ok]] - t[first[ok]])
    return out


def power_exponent(t: np.ndarray, err: np.ndarray, t_from: float) -> np.ndarray:
    """Per-trajectory slope of ``-log err`` against ``log t`` between ``t_from`` and the end."""
    err = np.abs(err)
    i0 = int(np.searchsorted(t, t_from))
    return (np.log(err[i0]) - np.log(err[-1])) / (np.log(t[-1]) - np.log(t[i0]))
