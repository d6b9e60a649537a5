"""The parameter domains of Section 3's scalar claims (exact values throughout).

* :data:`DEPTHS` -- (L, d_1..d_{L-1}): the layer constants, for ``--at L=3 d1=2 d2=5/2``;
* :data:`SIGNAL` -- the same with lam;
* :data:`INIT11` -- the initialisation (11): (L, d_l, lam, theta1_0); every 7th case has a
  rational limit r (lam = K c^gamma) and starts exactly at it;
* :data:`GENERAL` -- independent initial values theta1_0..thetaL_0 (Theorem 5's "any
  initialisation" and the sketch (92)): uniform in boxes around the sizes of the layers at the
  (11)-limit, every sign;
* :data:`DOUBLE` -- a family where the limit is a double root of theta_1' (exact: no exponential
  rate), every start below it;
* :data:`FIG4` -- Figure 4: L = 3, d = (2, 5/2), lam = 1, theta_0 on a grid of [-1, 2].

Depths cycle through 3, 4, 2, 5, 6; d_l are decimals (three digits) over two decades, lam over
three, so that K = prod C_l spans many decades at L = 6.  Initial values of theta_1 are drawn
around 0 and r (down to 1e-9 relative) and far from them, on both sides.
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Any, Mapping

from ...arith import EXACT, FLOAT
from ...domains import Domain, Param, Source
from ...model import network as N
from ...model import symbols as Y
from ..shallow.domains import around

DEPTH_CYCLE = (3, 4, 2, 5, 6)
D_EXP = (-1.0, 1.0)
LAM_EXP = (-1.5, 1.5)

L_PARAM = Param("L", kind="integer", sign="positive", lo=2, hi=6,
                doc="number of layers (2 to 6)")
D_PARAM = Param("d", sign="positive", count=lambda p: int(p.get("L", 2)) - 1,
                doc="FA constants d_1..d_{L-1} (d_L = 1)")
LAM = Param("lam", sign="positive", symbol=Y.lam, doc="signal lambda")
TH1 = Param("theta1_0", sign="real", swept=True, symbol=Y.theta1, doc="theta_1(0) = theta_0")
THETAS = Param("theta", sign="real", swept=True, suffix="_0", count=lambda p: int(p.get("L", 2)),
               doc="independent initial values theta_1(0)..theta_L(0)")


@lru_cache(maxsize=None)
def _k_exact(L: int):
    return EXACT.compile([N.layers_K(L)] + list(N.layer_constants(L)), Y.fa_symbols(L))


def constants_at(point: Mapping[str, Any]) -> tuple[Fraction, tuple[Fraction, ...]]:
    """(K, (C_1..C_L)) at the point's d_l, exact (the model's constants)."""
    L = int(point["L"])
    vals = _k_exact(L)(*[Fraction(point[f"d{i}"]) for i in range(1, L)])
    fr = [Fraction(int(v.p), int(v.q)) for v in vals]
    return fr[0], tuple(fr[1:])


@lru_cache(maxsize=None)
def _root_float(L: int):
    from .formulas import derived_root
    return FLOAT.compile([derived_root(L)], Y.fa_symbols(L) + (Y.lam,))


def r_approx(point: Mapping[str, Any]) -> Fraction:
    """A rational near r = (lam/K)^(1/gamma) (the model's root, in doubles): a sampling
    heuristic, never used in a proof."""
    L = int(point["L"])
    v = _root_float(L)(*[point[f"d{i}"] for i in range(1, L)], point["lam"])[0]
    return Fraction(float(v)).limit_denominator(10**9)


def decimal3(v: Fraction) -> Fraction:
    """``v > 0`` rounded to three significant digits (a sampling scale)."""
    e = math.floor(math.log10(v)) - 2
    return Fraction(round(v / Fraction(10) ** e)) * Fraction(10) ** e


def _depth(src: Source, i: int, given: Mapping[str, Any]) -> dict:
    L = int(given["L"]) if "L" in given else DEPTH_CYCLE[i % len(DEPTH_CYCLE)]
    out: dict[str, Any] = {"L": L}
    for k in range(1, L):
        v = given.get(f"d{k}")
        out[f"d{k}"] = src.decimal(*D_EXP) if v is None else v
    return out


def _depths_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    return _depth(src, i, given)


def _signal_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    out = _depth(src, i, given)
    out["lam"] = given["lam"] if "lam" in given else src.decimal(*LAM_EXP)
    return out


def _init11_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """Every 7th case (lam not given): lam = K c^gamma, r = c rational, theta_0 = c (the
    constant solution); otherwise theta_0 around 0 and r, or far from them."""
    out = _depth(src, i, given)
    if i % 7 == 6 and "lam" not in given:
        c = src.decimal(-0.5, 0.5, 2)
        K, _ = constants_at(out)
        out["lam"] = K * c ** N.layers_gamma(out["L"])
        out["theta1_0"] = given.get("theta1_0", c)
        return out
    out["lam"] = given["lam"] if "lam" in given else src.decimal(*LAM_EXP)
    if "theta1_0" in given:
        out["theta1_0"] = given["theta1_0"]
    else:
        rr = r_approx(out)
        out["theta1_0"] = around(src, [Fraction(0), rr], rr, zero=True)
    return out


def _general_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """theta_l(0) uniform on [-R_l, R_l], R_l = (10^-0.5 .. 10^0.7) |C_l r^(2^(l-1))| (the
    size of layer l at the (11)-limit), independently for every layer (any signs)."""
    out = _signal_draw(src, i, given, statement)
    L = out["L"]
    _, cs = constants_at(out)
    rr = r_approx(out)
    spread = src.decimal(-0.5, 0.7, 3)
    for l in range(1, L + 1):
        name = f"theta{l}_0"
        if name in given:
            out[name] = given[name]
            continue
        size = decimal3(abs(cs[l - 1] * rr ** (2 ** (l - 1))) * spread)
        out[name] = src.uniform(-size, size, 10**4)
    return out


def _double_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """L = 3, d_1 = d_2 = 1, lam = 1/4, K_2 = -1, K_3 = -1/8: theta_1' = F(theta_1) has the
    double root 1 (F(1) = F'(1) = 0), approached from every start in (-3/2, 1) (a simple root
    lies at -2 and an irrational one near -1.59)."""
    x = given.get("theta1_0")
    if x is None:
        x = Fraction(0) if i % 4 == 0 else src.uniform(Fraction(-3, 2), Fraction(1), 10**4)
        if x == 1:
            x = Fraction(0)
    x = Fraction(x)
    out = {"L": 3, "d1": Fraction(1), "d2": Fraction(1), "lam": Fraction(1, 4),
           "theta1_0": x, "theta2_0": x**2 / 2 - 1, "theta3_0": x**4 / 8 - x**2 / 2 - Fraction(1, 8)}
    out.update(given)
    return out


def _nonmono_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """Every 5th case: L = 3, d = (1, 1), lam = 1, theta(0) = (0, 0, -1), where theta_1' =
    1 + theta_1^3/2 - theta_1^7/16 has F'(1) = 17/16 > 0 on the path from 0 to its root near
    1.81 (|prod - lam| rises from 1 to 23/16 at theta_1 = 1); otherwise a general start."""
    if i % 5 == 0 and not given:
        return {"L": 3, "d1": Fraction(1), "d2": Fraction(1), "lam": Fraction(1),
                "theta1_0": Fraction(0), "theta2_0": Fraction(0), "theta3_0": Fraction(-1)}
    return _general_draw(src, i, given, statement)


def _fig4_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """Figure 4: L = 3, d_1 = 2, d_2 = 5/2, lam = 1; theta_0 = -1 + k/3, k = 0..9 (the figure
    draws 10 starts from U([-1, 2]))."""
    out = {"L": 3, "d1": Fraction(2), "d2": Fraction(5, 2), "lam": Fraction(1),
           "theta1_0": Fraction(-1) + Fraction(i % 10, 3)}
    out.update(given)
    return out


DEPTHS = Domain("(L, d_1..d_{L-1})", (L_PARAM, D_PARAM), _depths_draw,
                description="L = 2..6, d_l > 0 over two decades", cycle=len(DEPTH_CYCLE))
SIGNAL = Domain("(L, d_1..d_{L-1}, lam)", (L_PARAM, D_PARAM, LAM), _signal_draw,
                description="L = 2..6, d_l > 0 over two decades, lam > 0 over three",
                cycle=len(DEPTH_CYCLE))
INIT11 = Domain("initialisation (11): theta_l(0) = C_l theta_0^(2^(l-1))",
                (L_PARAM, D_PARAM, LAM, TH1), _init11_draw,
                description="L = 2..6, d_l, lam > 0 over decades; theta_0 at, next to and far "
                            "from 0 and r", cycle=35)
GENERAL = Domain("independent initial values theta_1(0)..theta_L(0)",
                 (L_PARAM, D_PARAM, LAM, THETAS), _general_draw,
                 description="L = 2..6, d_l, lam > 0 over decades; every layer uniform in a box "
                             "around its size at the (11)-limit, any sign",
                 cycle=len(DEPTH_CYCLE))
DOUBLE = Domain("a double root of theta_1' (L = 3)", (L_PARAM, D_PARAM, LAM, THETAS),
                _double_draw, description="L = 3, d = (1, 1), lam = 1/4, K = (-1, -1/8); theta_1(0) "
                                          "in (-3/2, 1)")
NONMONO = Domain("independent initial values, with a simple non-monotone start",
                 (L_PARAM, D_PARAM, LAM, THETAS), _nonmono_draw,
                 description="as the general domain; every 5th case L = 3, d = (1, 1), lam = 1, "
                             "theta(0) = (0, 0, -1)", cycle=5)
FIG4 = Domain("Figure 4: L = 3, d = (2, 5/2), lam = 1", (L_PARAM, D_PARAM, LAM, TH1), _fig4_draw,
              description="the figure's parameters; theta_0 on a grid of [-1, 2]", cycle=10)

__all__ = ["DEPTHS", "SIGNAL", "INIT11", "GENERAL", "DOUBLE", "NONMONO", "FIG4", "constants_at",
           "r_approx", "L_PARAM", "D_PARAM", "LAM", "TH1", "THETAS"]
