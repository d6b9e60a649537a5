"""The parameter domains of the discrete claims, each defined once (exact values throughout).

* :data:`MIDPOINT` -- (d, lam, eta) for the two-layer midpoint scheme, eta up to the stated
  maximum (120), and the swept step ``t``;
* :data:`LAYERED` -- (L, d_1..d_{L-1}, lam, eta) for the L-layer scheme (eta up to Theorem 10's
  maximum), and ``t``;
* :data:`EULER` -- (d, lam, eta) for forward Euler (eta up to (145)), and ``t``;
* :data:`ALPHA` -- Lemma 27's auxiliary sequence alpha_t = alpha_inf (1 - rho^t).

d and lambda are decimals with three significant digits, about log-uniform over decades; step
sizes are fractions of the stated maximum, from 10^-3 of it right up to it: a rational
certified to lie below an irrational maximum, and the maximum itself where it is rational (every
fifth midpoint case has 2 d lam a perfect cube; every fifth Euler case has 2 d lam > 126, where
the maximum of (145) is the rational 2/max_R P and Lemma 28 is nearly sharp).  The statement's
part ``eta_max`` is the stated maximum (a mutant of it moves the samples with it); the
hypothesis ``eta <= eta_max`` (the closure: the maximum is sampled too) is certified for a
user's point.
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Any, Mapping

import sympy as sp
from flint import arb

from ...arith import Ball, certify_sign
from ...domains import Domain, Hypothesis, Param, Source
from ...model import symbols as Y
from . import formulas as F
from .orbits import sstar

FRACTIONS_OF_MAX = (Fraction(1, 1000), Fraction(1, 10), Fraction(1, 2), Fraction(9, 10),
                    Fraction(999, 1000), 1 - Fraction(1, 10**9))
BEYOND_MAX = (Fraction(10**6 + 1, 10**6), Fraction(1001, 1000), Fraction(11, 10))
SHARES_PART = "eta_shares"          # optional statement part: the fractions of the maximum drawn


def rational_below_ball(bound: arb, share: Fraction, max_den: int = 10**15) -> Fraction:
    """A rational ``eta <= share * bound`` for every value in the ball ``bound``: a decimal with
    ``log10(max_den)`` significant digits (computed at a fixed precision, so that the samples do
    not depend on what ran before)."""
    with Ball(256).workprec():
        target = bound * arb(share.numerator) / share.denominator
        man, exp = target.lower().mid().man_exp()          # a binary rational below the ball
        binary = Fraction(int(man)) * Fraction(2) ** int(exp)
        digits = len(str(max_den)) - 1
        scale = Fraction(10) ** (digits - math.floor(math.log10(binary)))
        eta = Fraction(math.floor(binary * scale)) / scale
        if eta <= 0:
            eta = binary
        while not (Ball(256).convert(eta) <= target):       # not expected: lower() rounds down
            eta -= eta / 2**200
        return eta


def rational_below(bound: sp.Expr, env: Mapping[sp.Symbol, Any], share: Fraction,
                   max_den: int = 10**15) -> Fraction:
    return rational_below_ball(Ball(256).evaluate(bound, env), share, max_den)


def _eta_le(expr_of, params: tuple[str, ...], text: str) -> Hypothesis:
    def holds(point, statement):
        bound = expr_of(point, statement)
        s = certify_sign(bound - sp.Rational(str(point["eta"])),
                         {sym: point[name] for sym, name in zip(_SYMS, params) if name in point})
        return None if s is None else s >= 0
    return Hypothesis(text, holds)


_SYMS = (Y.d, Y.lam)
_T = Param("t", kind="integer", sign="nonnegative", swept=True, drawn=False, lo=0,
           doc="last step looked at (default: a horizon where the orbit has converged)")


def _shares(statement: Mapping[str, Any]) -> tuple[Fraction, ...]:
    return tuple(statement[SHARES_PART]) if SHARES_PART in statement else FRACTIONS_OF_MAX


# --- the two-layer midpoint scheme ------------------------------------------------------------
def midpoint_max(statement: Mapping[str, Any]) -> sp.Expr:
    return statement["eta_max"] if "eta_max" in statement else F.PRINTED_ETA_MAX_MIDPOINT


def _cube_case(src: Source) -> tuple[Fraction, Fraction]:
    """(d, lam) with 2 d lam = c^3 for a rational c: r and the midpoint maximum are rational."""
    c = src.decimal(-1, 1, 2)
    dd = src.decimal(-1.5, 1.5, 2)
    return dd, c**3 / (2 * dd)


def _midpoint_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    shares = _shares(statement)
    share = shares[i % len(shares)]
    eta_max = midpoint_max(statement)
    if i % 5 == 4 and not ({"d", "lam", "eta"} & set(given)):
        dd, ll = _cube_case(src)
        mx = sp.nsimplify(eta_max.subs({Y.d: sp.Rational(dd), Y.lam: sp.Rational(ll)}))
        if mx.is_Rational:
            return {"d": dd, "lam": ll, "eta": Fraction(int(mx.p), int(mx.q)), **given}
    dd = given.get("d", None)
    dd = src.decimal(-1.5, 1.5) if dd is None else dd
    ll = given.get("lam", None)
    ll = src.decimal(-1.5, 1.5) if ll is None else ll
    eta = given.get("eta")
    if eta is None:
        eta = rational_below(eta_max, {Y.d: dd, Y.lam: ll}, share)
    return {**given, "d": dd, "lam": ll, "eta": eta}


D = Param("d", sign="positive", symbol=Y.d, doc="FA constant")
LAM = Param("lam", sign="positive", symbol=Y.lam, doc="signal")
ETA = Param("eta", sign="positive", symbol=Y.eta, doc="step size")

MIDPOINT = Domain(
    "the midpoint scheme (115)-(116)", (D, LAM, ETA, _T), _midpoint_draw,
    (_eta_le(lambda p, st: midpoint_max(st), ("d", "lam"),
             "eta <= the stated maximum 2/(3 (2 d lam)^(2/3)) of (120)"),),
    "d, lam > 0 over three decades, eta in (0, 2/(3 (2 d lam)^(2/3))], t >= 0", cycle=30)


# --- the L-layer midpoint scheme -----------------------------------------------------------------
DEPTHS = (3, 4, 2)


def layered_K(point: Mapping[str, Any]) -> Fraction:
    L = int(point["L"])
    k = F.layered_K(L).subs({s: sp.Rational(str(point[f"d{i + 1}"]))
                            for i, s in enumerate(F.fa_symbols(L))})
    return Fraction(int(sp.Rational(k).p), int(sp.Rational(k).q))


def layered_env(point: Mapping[str, Any]) -> dict[sp.Symbol, Any]:
    """(K, d1, lam, eta, gamma) of a layered point as SymPy substitutions."""
    L = int(point["L"])
    env = {Y.K_layers: layered_K(point), Y.d1: point["d1"], Y.lam: point["lam"],
           Y.gamma: F.layered_gamma(L)}
    if "eta" in point:
        env[Y.eta] = point["eta"]
    return env


def layered_max(statement: Mapping[str, Any]) -> sp.Expr:
    return statement["eta_max"] if "eta_max" in statement else F.PRINTED_ETA_MAX_LAYERED


def _layered_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    L = int(given["L"]) if "L" in given else DEPTHS[i % len(DEPTHS)]
    point: dict[str, Any] = {"L": L}
    for k in range(1, L):
        point[f"d{k}"] = given.get(f"d{k}") or src.decimal(-1.5, 1.5)
    point["lam"] = given.get("lam") or src.decimal(-1.5, 1.5)
    shares = _shares(statement)
    share = shares[(i // len(DEPTHS)) % len(shares)]
    if "eta" in given:
        point["eta"] = given["eta"]
    else:
        env = {k: v for k, v in layered_env(point).items() if k is not Y.eta}
        point["eta"] = rational_below(layered_max(statement).subs(Y.gamma, F.layered_gamma(L)),
                                      env, share)
    if "t" in given:
        point["t"] = given["t"]
    return point


def _layered_eta_ok(point, statement):
    L = int(point["L"])
    env = {k: v for k, v in layered_env(point).items() if k is not Y.eta}
    bound = layered_max(statement).subs(Y.gamma, F.layered_gamma(L))
    s = certify_sign(bound - sp.Rational(str(point["eta"])), env)
    return None if s is None else s >= 0


LAYERED = Domain(
    "the L-layer midpoint scheme (128)-(132)",
    (Param("L", kind="integer", sign="positive", lo=2, hi=6, doc="number of layers"),
     Param("d", sign="positive", count=lambda p: int(p.get("L", 2)) - 1,
           doc="FA constants d_1..d_{L-1} (d_L = 1)"),
     LAM, ETA, _T),
    _layered_draw, (Hypothesis("eta <= 1/(d_1 gamma (K lam^(gamma-1))^(1/gamma))",
                               _layered_eta_ok),),
    "L = 2..6 layers, d_l, lam > 0 over three decades, eta up to Theorem 10's maximum, t >= 0",
    cycle=18)


# --- forward Euler ---------------------------------------------------------------------------------
P_MAX = F.max_P_over_R()
ETA_MAX_EULER = (F.PRINTED_ETA_MAX_EULER_FIRST, 2 / P_MAX)      # (145): the smaller of the two


@lru_cache(maxsize=4096)
def euler_max_ball(dd: Fraction, ll: Fraction, bounds=ETA_MAX_EULER) -> arb:
    """min of the bounds of (145) as a ball (S* enclosed by interval Newton, max_R P derived)."""
    s = sstar(dd, ll, 128)
    env = {Y.S_star: s, Y.d: dd, Y.lam: ll}
    balls = []
    for b in bounds:
        b = sp.sympify(b)
        balls.append(Ball(128).evaluate(b, {k: v for k, v in env.items()
                                            if k in b.free_symbols}))
    lo = balls[0]
    for b in balls[1:]:
        if b < lo:
            lo = b
        elif not lo < b:
            lo = arb(min(lo.lower(), b.lower()))
    return lo


def euler_bounds(statement: Mapping[str, Any]) -> tuple:
    return statement["eta_max"] if "eta_max" in statement else ETA_MAX_EULER


def euler_rational_max(dd: Fraction, ll: Fraction, bounds=ETA_MAX_EULER) -> Fraction | None:
    """The maximum of (145) at (d, lam) when it is rational: a bound free of S* (2/max_R P)
    certified below the others; None otherwise."""
    env = {Y.d: sp.Rational(dd), Y.lam: sp.Rational(ll)}
    values = [sp.sympify(b).subs(env) for b in bounds]
    rational = [v for v in values if v.is_Rational]
    if not rational:
        return None
    m = min(rational)
    others = [b for b, v in zip(bounds, values) if v != m]
    if not all(Ball(128).convert(m) < euler_max_ball(dd, ll, (b,)) for b in others):
        return None
    return Fraction(int(m.p), int(m.q))


def _euler_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    shares = _shares(statement)
    if i % 5 == 4 and not ({"d", "lam", "eta"} & set(given)):
        # 2 d lam > 126, where the bound of (145) is the rational 2/max_R P and nearly sharp
        # (Lemma 28): sampled itself (or its multiple, for a probe beyond it)
        dd, ll = src.decimal(0.9, 1.5), src.decimal(0.9, 1.5)
        mx = euler_rational_max(dd, ll, euler_bounds(statement))
        share = shares[i % len(shares)]
        if mx is not None:
            return {**given, "d": dd, "lam": ll, "eta": mx * share if share > 1 else mx}
        given = {**given, "d": dd, "lam": ll}
    dd = given.get("d") or src.decimal(-1.5, 1.5)
    ll = given.get("lam") or src.decimal(-1.5, 1.5)
    eta = given.get("eta")
    if eta is None:
        eta = rational_below_ball(euler_max_ball(dd, ll, euler_bounds(statement)),
                                  shares[i % len(shares)])
    return {**given, "d": dd, "lam": ll, "eta": eta}


def _euler_eta_ok(point, statement):
    m = euler_max_ball(point["d"], point["lam"], euler_bounds(statement))
    eta = Ball(128).convert(point["eta"])
    if eta <= m:
        return True
    if eta > m:
        return False
    return None


EULER = Domain(
    "forward Euler (140)-(141)", (D, LAM, ETA, _T), _euler_draw,
    (Hypothesis("eta <= min{2/(3(S*+1)^2), 2/max_R P} (145)", _euler_eta_ok),),
    "d, lam > 0 over three decades (every fifth case 2 d lam > 126, eta the maximum itself, the "
    "rational 2/max_R P), eta up to the maximum (145), t >= 0", cycle=30)


# --- Lemma 27's auxiliary sequence -----------------------------------------------------------------
ALPHA_SHARES = (Fraction(1), Fraction(1, 2), Fraction(1, 10), Fraction(99, 100))
LEM27_ETA_MAX = sp.Rational(2, 3) / Y.ell**2          # (153): eta <= 2/(3 ell_{alpha_inf}^2)


def alpha_max(statement: Mapping[str, Any]) -> sp.Expr:
    return statement["eta_max"] if "eta_max" in statement else LEM27_ETA_MAX


def alpha_ell(point: Mapping[str, Any], prec: int = 128) -> arb:
    """ell_{alpha_inf}: the positive root of 2 d lam - x^3 + x alpha_inf, as a ball."""
    from .orbits import _ell_seeds, ell_of
    import numpy as np
    seed = float(_ell_seeds(np.array([float(point["alpha_inf"])]), point["d"], point["lam"])[0])
    return ell_of(Ball(prec).convert(point["alpha_inf"]), point["d"], point["lam"], seed, prec)


def _alpha_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    ell_v = src.decimal(-1, 1, 2)
    alpha = ell_v**2 * Fraction(src.integer(1, 8), 10)            # < ell^2: lam > 0
    rho = Fraction(src.integer(1, 9), 10)
    dd = src.decimal(-1, 1, 2)
    lam = (ell_v**3 - alpha * ell_v) / (2 * dd)
    bound = sp.Rational(str(ALPHA_SHARES[i % len(ALPHA_SHARES)])) * alpha_max(statement).subs(
        Y.ell, sp.Rational(str(ell_v)))
    point = {"d": dd, "lam": lam, "alpha_inf": alpha, "rho": rho,
             "eta": Fraction(int(sp.Rational(bound).p), int(sp.Rational(bound).q))}
    point.update(given)
    return point


def exact_alpha_ell(point: Mapping[str, Any]) -> Fraction | None:
    """ell_{alpha_inf} exactly when it is rational (the samples draw it so), else None."""
    P = sp.Poly(Y.x**3 - sp.Rational(str(point["alpha_inf"])) * Y.x
                - 2 * sp.Rational(str(point["d"])) * sp.Rational(str(point["lam"])), Y.x)
    pos = [z for z in P.real_roots() if z.is_Rational and z > 0]
    return Fraction(int(pos[0].p), int(pos[0].q)) if pos else None


def _alpha_eta_ok(point, statement):
    ell_q = exact_alpha_ell(point)
    if ell_q is not None:          # decided exactly (eta is sampled at the maximum itself)
        s = certify_sign(alpha_max(statement).subs(Y.ell, sp.Rational(str(ell_q)))
                         - sp.Rational(str(point["eta"])), {})
        return None if s is None else s >= 0
    bound = Ball(128).evaluate(alpha_max(statement), {Y.ell: alpha_ell(point)})
    eta = Ball(128).convert(point["eta"])
    return True if eta <= bound else (False if eta > bound else None)


ALPHA = Domain(
    "Lemma 27's sequence (148), alpha_t = alpha_inf (1 - rho^t)",
    (D, LAM, Param("alpha_inf", sign="positive", symbol=Y.alpha),
     Param("rho", sign="positive", doc="alpha_t = alpha_inf (1 - rho^t), 0 < rho < 1"), ETA),
    _alpha_draw,
    (Hypothesis("0 < rho < 1", lambda p, st: 0 < p["rho"] < 1),
     Hypothesis("eta <= 2/(3 ell_{alpha_inf}^2)", _alpha_eta_ok)),
    "d, ell_{alpha_inf} over two decades, alpha_inf < ell^2, eta up to 2/(3 ell^2)", cycle=4)
