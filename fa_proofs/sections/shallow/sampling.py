"""Exact (rational) samples of the domains of Section 2's claims.

Every sample is exact, so a failure found at it can be certified and recomputed.  Families that
need exact roots are parametrised by their roots:

* Delta > 0: roots r1 < r2 < 0 < r3 = -(r1 + r2) of the depressed cubic, lambda = r1 r2 r3 / (2d);
* Delta < 0: the real root r > 0 and w > 1, lambda = w r^3 / (8d) (w -> 1 is the boundary Delta = 0);
* Delta = 0: c != 0, lambda = c^3/d, K = -(3/2) c^2/d, r_s = 2c, r_d = -c  (c < 0 gives r_s < r_d).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np


def log_uniform(rng: np.random.Generator, lo_exp: float, hi_exp: float, den: int = 10**6
                ) -> Fraction:
    """A positive rational about 10**U(lo_exp, hi_exp), with a bounded denominator."""
    v = 10.0 ** rng.uniform(lo_exp, hi_exp)
    return Fraction(v).limit_denominator(den) or Fraction(1, den)


def uniform(rng: np.random.Generator, lo: float, hi: float, den: int = 10**6) -> Fraction:
    return Fraction(rng.uniform(lo, hi)).limit_denominator(den)


@dataclass(frozen=True)
class ScalarCase:
    """One scalar system (6) with exact parameters and an exact initial value theta1(0)."""

    d: Fraction
    lam: Fraction
    K: Fraction
    theta0: Fraction
    roots: tuple[Fraction, ...] = ()     # exact real roots when the family provides them

    def __post_init__(self) -> None:
        for name in ("d", "lam", "K", "theta0"):
            if not isinstance(getattr(self, name), Fraction):
                raise TypeError(f"ScalarCase.{name} must be an exact Fraction")

    @property
    def theta2_0(self) -> Fraction:
        return self.theta0**2 / (2 * self.d) + self.K


# the decades covered by "every d > 0 and lambda > 0 in wide ranges"
D_EXP = (-2.0, 2.0)
LAM_EXP = (-2.0, 2.0)


def offsets(rng: np.random.Generator, scale: Fraction) -> list[Fraction]:
    """Offsets from a root: far, moderate and next to it (down to 1e-9 of the scale)."""
    ks = [0, 1, 3, 6, 9]
    return [scale * Fraction(1, 10**k) * uniform(rng, 0.5, 2.0, 1000) for k in ks]


def around(rng: np.random.Generator, points: list[Fraction], scale: Fraction) -> list[Fraction]:
    """Initial values in every interval cut by ``points`` (sorted), near each point on both sides
    and far out on both ends."""
    pts = sorted(points)
    out: list[Fraction] = []
    for p in pts:
        for off in offsets(rng, scale):
            out += [p - off, p + off]
    out += [pts[0] - 10 * scale, pts[-1] + 10 * scale]
    return out


def k0_case(rng: np.random.Generator, d_exp=D_EXP, lam_exp=LAM_EXP) -> tuple[Fraction, Fraction]:
    return log_uniform(rng, *d_exp), log_uniform(rng, *lam_exp)


def delta_pos_family(rng: np.random.Generator, spread: float = 1.5
                     ) -> tuple[Fraction, Fraction, Fraction, tuple]:
    """``spread``: decades covered by the root scale a and the gap ratio b/a."""
    d = log_uniform(rng, *D_EXP)
    a = log_uniform(rng, -spread, spread, 1000)
    b = log_uniform(rng, -spread, spread, 1000) * a
    r2, r1 = -a, -a - b
    r3 = -(r1 + r2)
    lam = r1 * r2 * r3 / (2 * d)
    K = (r1 * r2 + r1 * r3 + r2 * r3) / (2 * d)
    return d, lam, K, (r1, r2, r3)


def delta_neg_family(rng: np.random.Generator) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    d = log_uniform(rng, *D_EXP)
    r = log_uniform(rng, -1.5, 1.5, 1000)
    w = 1 + log_uniform(rng, -6, 2, 10**7)
    lam = w * r**3 / (8 * d)
    K = r**2 * (w - 4) / (8 * d)
    return d, lam, K, r


def delta_zero_family(rng: np.random.Generator, sign: int = 1
                      ) -> tuple[Fraction, Fraction, Fraction, Fraction, Fraction]:
    d = log_uniform(rng, *D_EXP)
    c = sign * log_uniform(rng, -1.5, 1.5, 1000)
    lam = c**3 / d
    K = -Fraction(3, 2) * c**2 / d
    return d, lam, K, 2 * c, -c
