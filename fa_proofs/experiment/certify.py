"""Certified orbits of the autoencoder training maps: midpoint-radius interval matrices in NumPy
(Rump, "Fast and parallel interval arithmetic", BIT 39, 1999).

An :class:`IMat` encloses a stack of real matrices as ``mid +- rad`` entrywise.  Every operation
returns an enclosure of the exact result for every matrix in the operands: the midpoint is the
rounded-to-nearest float result and the radius adds the operands' radii and a bound on the
rounding error (``gamma_n |A| |B|`` for an n-term dot product, any summation order), the
radius itself inflated by ``1 + 4 (n + 4) u`` to cover the rounding of its own computation, plus
``n`` times the smallest subnormal for underflow.  The data of an experiment (the float
covariance, the float starting weights and feedback matrices) are taken as exact; the step size
is the exact rational 1/100 (enclosed), not its double.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import numpy as np

U = 2.0 ** -53
TINY = 2.0 ** -1074


def _gamma(n: int) -> float:
    return n * U / (1 - n * U)


def _up(r: np.ndarray, n: int) -> np.ndarray:
    return r * (1 + 4 * (n + 4) * U) + n * TINY


@dataclass(frozen=True)
class IMat:
    """``mid +- rad`` (arrays of the same shape; radii >= 0)."""

    mid: np.ndarray
    rad: np.ndarray

    @staticmethod
    def exact(a: np.ndarray) -> "IMat":
        a = np.asarray(a, dtype=float)
        return IMat(a, np.zeros_like(a))

    @staticmethod
    def scalar(q: Fraction) -> "IMat":
        """An enclosure of the rational q."""
        m = float(q)
        return IMat(np.asarray(m), np.asarray(abs(float(Fraction(m) - q)) * 2 + TINY))

    @property
    def T(self) -> "IMat":                                   # noqa: N802
        return IMat(np.swapaxes(self.mid, -1, -2), np.swapaxes(self.rad, -1, -2))

    def __matmul__(self, o: "IMat") -> "IMat":
        n = self.mid.shape[-1]
        am, bm = np.abs(self.mid), np.abs(o.mid)
        mid = self.mid @ o.mid
        rad = am @ o.rad + self.rad @ (bm + o.rad) + _gamma(n) * (am @ bm)
        return IMat(mid, _up(rad, n + 2))

    def __add__(self, o: "IMat") -> "IMat":
        mid = self.mid + o.mid
        return IMat(mid, _up(self.rad + o.rad + U * np.abs(mid), 2))

    def __neg__(self) -> "IMat":
        return IMat(-self.mid, self.rad)

    def __sub__(self, o: "IMat") -> "IMat":
        return self + (-o)

    def scale(self, s: "IMat") -> "IMat":
        """Times an interval scalar."""
        mid = self.mid * s.mid
        rad = np.abs(self.mid) * s.rad + self.rad * (abs(s.mid) + s.rad) + U * np.abs(mid)
        return IMat(mid, _up(rad, 2))

    def frobenius_lower(self) -> np.ndarray:
        """A lower bound of ||X||_F for every enclosed X (per stacked matrix), rounded down."""
        low = np.maximum(np.abs(self.mid) - self.rad, 0.0)
        return np.sqrt((low * low).sum(axis=(-2, -1))) * (1 - 4 * (low.shape[-1] ** 2 + 4) * U)

    def frobenius_upper(self) -> np.ndarray:
        high = np.abs(self.mid) + self.rad
        return np.sqrt((high * high).sum(axis=(-2, -1))) * (1 + 4 * (high.shape[-1] ** 2 + 4) * U)


def trace_norm_upper(X: IMat) -> float:
    """A certified upper bound of ``||A||_*`` (the sum of singular values) for every matrix ``A``
    in the enclosure ``X`` (one matrix, not a stack), nearly tight: with ``V`` the float right
    singular vectors of ``mid`` (any matrix),
    ``||A||_* <= ||mid||_* + ||A - mid||_* <= ||mid V||_* ||V^-1||_2 + sqrt(n) ||rad||_F``,
    where ``||mid V||_* <= sum_j ||(mid V) e_j||_2`` (the trace norm of a sum of rank-one terms)
    and ``||V^-1||_2 <= (1 - ||V^T V - I||_F)^(-1/2)`` (Weyl); ``mid V`` and ``V^T V`` are
    enclosed by :class:`IMat` products, so every rounding is covered."""
    mid, rad = np.asarray(X.mid, dtype=float), np.asarray(X.rad, dtype=float)
    n = mid.shape[-1]
    inflate = 1 + 8 * (n * n + 8) * U
    try:
        _, _, vt = np.linalg.svd(mid)
    except np.linalg.LinAlgError:
        return float("inf")
    V = IMat.exact(vt.T)
    B = IMat.exact(mid) @ V
    cols = np.sqrt(((np.abs(B.mid) + B.rad) ** 2).sum(axis=0)) * inflate
    G = V.T @ V
    dev = np.abs(G.mid - np.eye(n)) + G.rad
    delta = float(np.sqrt((dev * dev).sum())) * inflate
    if not delta < 1:
        return float("inf")
    nuclear_mid = float(cols.sum()) * inflate / np.sqrt(1 - delta) * inflate
    spread = float(np.sqrt(n) * np.sqrt((rad * rad).sum())) * inflate
    return (nuclear_mid + spread) * inflate


def product(W: list[IMat]) -> IMat:
    P = W[0]
    for w in W[1:]:
        P = w @ P
    return P


def step(W: list[IMat], S: IMat, eta: IMat, M: IMat | None) -> list[IMat]:
    """One training step, enclosed: GD ((75)) when M is None, else FA in Proposition 4's form
    (8) with ``M[..., l, :, :]`` the feedback of layer l + 1 (M_L = I)."""
    L = len(W)
    below = [W[0]]                                   # W[1:l] = W_l ... W_1
    for w in W[1:]:
        below.append(w @ below[-1])
    E = (S - below[-1] @ S).scale(eta)
    above: list[IMat | None] = [None] * L           # W[l+2:L] = W_L ... W_{l+2}
    if M is None:
        for l in range(L - 2, -1, -1):
            above[l] = W[l + 1] if above[l + 1] is None else above[l + 1] @ W[l + 1]
    new = []
    for l in range(L):
        if l == L - 1:
            back = E
        elif M is None:
            back = above[l].T @ E
        else:
            back = IMat(M.mid[:, l], M.rad[:, l]) @ E
        if l:
            back = back @ below[l - 1].T
        new.append(W[l] + back)
    return new


def orbit_until(W0: list[np.ndarray], S: np.ndarray, eta: Fraction, M: np.ndarray | None,
                stop: Callable[[int, IMat], bool], max_steps: int) -> tuple[int, IMat]:
    """Iterate the enclosed map from the exact start until ``stop(t, Theta_t)`` (checked at
    every t) or ``max_steps``; returns (t, the enclosure of Theta_t)."""
    R = 1 if M is None else M.shape[0]
    W = [IMat.exact(np.broadcast_to(w, (R,) + w.shape).copy()) for w in W0]
    Si = IMat.exact(S)
    e = IMat.scalar(eta)
    Mi = None if M is None else IMat.exact(M)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(max_steps + 1):
            P = product(W)
            if stop(t, P) or t == max_steps:
                return t, P
            W = step(W, Si, e, Mi)
    raise AssertionError("unreachable")
