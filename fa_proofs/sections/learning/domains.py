"""The parameter domains of Section 4 / Appendix C's claims (exact values throughout).

* STEP: the roots r1 < r2 < 0 of (13); r3 = -r1 - r2 (sum 0; r2 < 0 iff lambda > 0): r2 = -a,
  r1 = -a - b, a and b over a decade (the delta limit is swept by the checks);
* MULTI: k = 3 components with lambda1 > lambda2 > lambda3, one FA constant d and each
  component's own K_i (all in the three-root regime, K_i < K*(lambda1) <= K*(lambda_i));
* MULTI0: k = 3 components under (7) (K = 0) with each component's own theta0_i < 0;
* T0: r > 0 and theta0 < 0 (K = 0); FN2: (d, lambda, R) for footnote 2's box.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

from ...arith import Ball
from ...domains import Domain, Hypothesis, Param, Source
from ...model import symbols as Y
from ..shallow import domains as DM
from ..shallow import formulas as S
from . import formulas as L

K_COMPONENTS = 3

R1, R2 = DM.R1, DM.R2
D = DM.D
LAM = DM.LAM
LAMS = Param("lam", sign="positive", count=lambda p: K_COMPONENTS,
             doc="signals lambda_i of the components (lambda1 > lambda2 > ...)")
KS = Param("K", sign="real", count=lambda p: K_COMPONENTS,
           doc="K_i = theta2_i(0) - theta1_i(0)^2/(2d) of each component (37)")
TH0S = Param("theta", sign="negative", count=lambda p: K_COMPONENTS, suffix="_0",
             doc="theta1_i(0) < 0 of each component under (7)")
R_POS = DM.R_POS
TH0_NEG = Param("theta0", sign="negative", symbol=Y.theta0, doc="theta1(0) < 0 under (7)")
R_BOX = Param("R", sign="positive", symbol=Y.R_box, doc="footnote 2's box U([-R, R])^2")


def _step_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    a = src.decimal(-0.5, 0.5, 2)
    b = src.decimal(-0.5, 0.5, 2) * a
    out = {"r1": -a - b, "r2": -a}
    out.update(given)
    return out


def roots3(p: Mapping[str, Any]) -> tuple[Fraction, Fraction, Fraction]:
    """(r1, r2, r3) of a STEP point: r3 = -r1 - r2 (the cubic (13) has no x^2 term)."""
    a1, a2 = Fraction(p["r1"]), Fraction(p["r2"])
    return a1, a2, -a1 - a2


STEP = Domain("two roots r1 < r2 < 0 of (13); r3 = -r1 - r2", (R1, R2), _step_draw,
              (Hypothesis("r1 < r2 < 0 (three distinct roots, lambda > 0)",
                          lambda p, st: p["r1"] < p["r2"] < 0),),
              description="r2 = -a, r1 = -a - b (so r3 = 2a + b), a and b/a log-uniform over a "
                          "decade (two digits)")


def kstar_below(dd: Fraction, ll: Fraction) -> Fraction:
    """A rational certified strictly below K*(d, lambda) (the derived threshold)."""
    v = Ball(128).evaluate(L.derived_sec41_threshold(), {L.d: dd, L.lam: ll})
    q = Fraction(float(v.mid())).limit_denominator(1000)
    while not Ball(128).convert(q) < v:
        q -= Fraction(1, 1000)
    return q


def lam_names(p) -> list[str]:
    return [f"lam{i}" for i in range(1, K_COMPONENTS + 1)]


def _lams(src: Source, given) -> dict:
    out = {}
    cur = src.decimal(-1.0, 0.5, 2)
    for i in range(K_COMPONENTS, 0, -1):
        out[f"lam{i}"] = given.get(f"lam{i}", cur)
        cur = out[f"lam{i}"] * (1 + src.decimal(-1.0, 0.5, 2))
    return out


def _multi_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    out = {"d": given.get("d", src.decimal(-1.0, 1.0, 2))}
    out.update(_lams(src, given))
    top = kstar_below(out["d"], out["lam1"])
    for j in range(1, K_COMPONENTS + 1):
        out[f"K{j}"] = given.get(f"K{j}", top - src.decimal(-1.5, 0.5, 2) * abs(top))
    out.update(given)
    return out


def _all_three_roots(p, st) -> bool:
    return all(S.discriminant_sign(Fraction(p["d"]), Fraction(p[f"lam{j}"]),
                                   Fraction(p[f"K{j}"])) > 0
               for j in range(1, K_COMPONENTS + 1))


def _k_below_all(p, st) -> bool:
    """K1 (the shared K of the corrected statement) gives three roots for every component."""
    return all(S.discriminant_sign(Fraction(p["d"]), Fraction(p[f"lam{j}"]),
                                   Fraction(p["K1"])) > 0 for j in range(1, K_COMPONENTS + 1))


_LAM_DEC = Hypothesis("lambda1 > lambda2 > lambda3", lambda p, st: all(
    p[f"lam{j}"] > p[f"lam{j + 1}"] for j in range(1, K_COMPONENTS)))

MULTI = Domain("k = 3 components, lambda1 > lambda2 > lambda3, one d, each its own K_i",
               (D, LAMS, KS), _multi_draw,
               (_LAM_DEC, Hypothesis("Delta_i > 0 for every component", _all_three_roots),
                Hypothesis("K1 < K*(lambda_i) for every i (a K shared by all)", _k_below_all)),
               description="d over two decades, lambda_i decreasing by factors 1.1-4, K_i "
                           "below K*(lambda1)")


def _multi0_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    out = {"d": given.get("d", src.decimal(-1.0, 1.0, 2))}
    out.update(_lams(src, given))
    for j in range(1, K_COMPONENTS + 1):
        out[f"theta{j}_0"] = given.get(f"theta{j}_0", -src.decimal(-2.0, 2.0, 2))
    out.update(given)
    return out


MULTI0 = Domain("k = 3 components under (7), lambda1 > lambda2 > lambda3, one d, each its own "
                "theta0_i < 0", (D, LAMS, TH0S), _multi0_draw, (_LAM_DEC,),
                description="theta0_i = -10^[-2, 2] (two digits)")


def _t0_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    out = {"r": src.decimal(-1.0, 1.0, 3), "theta0": -src.decimal(-2.0, 3.0, 3)}
    out.update(given)
    return out


T0 = Domain("r = (2 d lambda)^(1/3) > 0 and theta1(0) = theta0 < 0 under (7)", (R_POS, TH0_NEG),
            _t0_draw, description="r over two decades, |theta0| over five")


def _fn2_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    out = {"d": src.decimal(-1.0, 1.0, 2), "lam": src.decimal(-1.0, 1.0, 2),
           "R": src.decimal(-0.5, 1.5, 2)}
    out.update(given)
    return out


FN2 = Domain("footnote 2: theta1(0), theta2(0) independent U([-R, R])", (D, LAM, R_BOX), _fn2_draw,
             description="d, lambda over two decades, R over 1/3..30")
