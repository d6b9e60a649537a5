"""The three schemes of Section 5 as :class:`~fa_proofs.model.dynamics.Scheme` objects: update,
reduced map, fixed point, stated step-size maximum, derived defect factor, the bounds the paper
states along their orbits (each checked by its claim's own check), and the certified sequences
the ``orbit`` command prints."""
from __future__ import annotations

from typing import Any, Mapping

from ...model.dynamics import Bound, Scheme
from . import formulas as F
from .common import euler_orbit, layered_orbit, midpoint_orbit
from .domains import ETA_MAX_EULER, EULER, LAYERED, MIDPOINT, layered_K


def _midpoint_quantities(point: Mapping[str, Any], steps: int, prec: int) -> dict[str, list]:
    o = midpoint_orbit(point["d"], point["lam"], point["eta"], steps, prec)
    T = len(o.e) - 1
    return {"x_t": [o.x(t) for t in range(T + 1)], "|x_t - r|": [abs(v) for v in o.e],
            "|x_t y_t - lam|": [abs(o.product_error(t)) for t in range(T + 1)]}


def _layered_quantities(point: Mapping[str, Any], steps: int, prec: int) -> dict[str, list]:
    from .layered import orbit_prec
    L = int(point["L"])
    g = F.layered_gamma(L)
    o = layered_orbit(layered_K(point), point["d1"], point["lam"], point["eta"], g, steps,
                      max(prec, orbit_prec(g)))
    T = len(o.e) - 1
    return {"theta_1^t": [o.theta(t) for t in range(T + 1)],
            "|theta_1^t - r|": [abs(v) for v in o.e],
            "|prod - lam|": [abs(o.product_error(t)) for t in range(T + 1)]}


def _euler_quantities(point: Mapping[str, Any], steps: int, prec: int) -> dict[str, list]:
    o = euler_orbit(point["d"], point["lam"], point["eta"], steps, prec)
    T = len(o.xs) - 1
    return {"x_t": o.xs, "S_t": o.Ss, "ell_S_t - x_t": [o.gap(t) for t in range(T + 1)],
            "|x_t y_t - lam|": [o.product_error(t) for t in range(T + 1)]}


MIDPOINT_SCHEME = Scheme(
    "midpoint", "(26)-(27) = (115)-(116)", (F.MIDPOINT_X, F.MIDPOINT_Y), F.PRINTED_EQ119,
    F.R_OF, F.PRINTED_ETA_MAX_MIDPOINT, F.MIDPOINT_DEFECT_FACTOR, F.MIDPOINT_PRODUCT_ERROR,
    1 - F.eta * F.R_OF**2 * 3 / 2, MIDPOINT,
    (Bound("(124) printed", "|x_t y_t - lam|", "thm9", "printed", "stated bound (124)"),
     Bound("(124) corrected", "|x_t y_t - lam|", "thm9", "corrected", "corrected bound"),
     Bound("(126) printed", "|x_t - r|", "eq126", "printed", "stated bound (126)"),
     Bound("(126) corrected", "|x_t - r|", "eq126", "corrected", "corrected bound")),
    _midpoint_quantities)

LAYERED_SCHEME = Scheme(
    "layered", "(28) = (128)-(132)", (), F.PRINTED_EQ137, F.PRINTED_LEM25_R,
    F.PRINTED_ETA_MAX_LAYERED, F.layered_defect_factor, F.layered_product_error,
    F.PRINTED_THM10_RATE, LAYERED,
    (Bound("(138) printed", "|theta_1^t - r|", "eq138", "printed", "stated bound (138)"),
     Bound("(138) corrected", "|theta_1^t - r|", "eq138", "corrected", "corrected bound"),
     Bound("(133) corrected", "|prod - lam|", "thm10", "corrected", "corrected bound")),
    _layered_quantities)

EULER_SCHEME = Scheme(
    "euler", "(22)-(23) = (140)-(141)", (F.EULER_X, F.EULER_Y), F.PRINTED_EQ144, None,
    ETA_MAX_EULER, F.EULER_P_FACTOR, F.P / (2 * F.d), F.euler_linear_rate(), EULER,
    (Bound("(188) printed", "ell_S_t - x_t", "eq188", "printed", "stated bound (188)"),
     Bound("(188) corrected", "ell_S_t - x_t", "eq188", "corrected", "corrected bound")),
    _euler_quantities)

SCHEMES = {s.name: s for s in (MIDPOINT_SCHEME, LAYERED_SCHEME, EULER_SCHEME)}

