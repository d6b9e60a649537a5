"""The parameter domains of Section 2's scalar claims, each defined once (exact values throughout).

Every draw builds a point from integer draws (:class:`~fa_proofs.domains.Source`), keeps the
values the user fixed (``given``), and returns exact parameter values.  Derived quantities (K of
the initialisation, the roots of the cubic) are not in the points: the checks compute them.
Families that need exact roots are parametrised by their roots:

* Delta > 0: roots r1 < r2 < 0 < r3 = -(r1 + r2) of the depressed cubic, lambda = r1 r2 r3/(2d);
* Delta < 0: the real root r > 0 and w > 1, lambda = w r^3/(8d) (w -> 1 is the boundary Delta = 0);
* Delta = 0: c != 0, lambda = c^3/d, K = -(3/2) c^2/d, r_s = 2c, r_d = -c (c < 0: r_s < r_d).

Initial values are drawn around the equilibria (:func:`around`): next to each of them, on both
sides, at relative offsets 1, 1e-1, 1e-3, 1e-6 and 1e-9, and far beyond the outer ones.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping

from ...domains import Domain, Hypothesis, Param, Source
from ...model import symbols as Y
from . import formulas as F

# the decades covered by "every d > 0 and lambda > 0 in wide ranges"
D_EXP = (-2.0, 2.0)
LAM_EXP = (-2.0, 2.0)
OFFSET_EXPONENTS = (0, 1, 3, 6, 9)


def cbrt_q(q: Fraction) -> Fraction:
    """A rational approximation of the real cube root (exact for exact cubes of small
    rationals): a horizon/regime heuristic for samples, never used in a proof."""
    v = math.copysign(abs(float(q)) ** (1 / 3), float(q))
    return Fraction(v).limit_denominator(10**12)


def around(src: Source, points: list[Fraction], scale: Fraction, zero: bool = False
           ) -> Fraction:
    """An initial value next to one of ``points`` (either side, relative offset 10^-k, k in
    0, 1, 3, 6, 9, times a factor in [1/2, 2]) or far beyond the outer ones (10 scales); with
    ``zero``, 0 is one more choice."""
    pts = sorted(points)
    n = 10 * len(pts) + 2 + (1 if zero else 0)
    k = src.integer(0, n - 1)
    if k == 10 * len(pts) + 2:
        return Fraction(0)
    if k >= 10 * len(pts):
        return pts[0] - 10 * scale if k == 10 * len(pts) else pts[-1] + 10 * scale
    p = pts[k // 10]
    e = OFFSET_EXPONENTS[(k % 10) // 2]
    off = scale * Fraction(1, 10**e) * src.uniform(Fraction(1, 2), Fraction(2), 1000)
    return p - off if k % 2 else p + off


def _pos(src: Source, given: Mapping[str, Any], name: str, lo: float, hi: float,
         digits: int = 3) -> Fraction:
    v = given.get(name)
    return src.decimal(lo, hi, digits) if v is None else v


_NOT_R = Hypothesis("theta1 != r (theta1 = r is the constant solution)",
                    lambda p, st: "theta1" not in p or p["theta1"] != p["r"])

# --- parameters ---------------------------------------------------------------------------------
D = Param("d", sign="positive", symbol=Y.d, doc="FA constant")
LAM = Param("lam", sign="positive", symbol=Y.lam, doc="signal lambda")
LAM_NZ = Param("lam", sign="nonzero", symbol=Y.lam, doc="signal lambda (any sign)")
D_NZ = Param("d", sign="nonzero", symbol=Y.d, doc="FA constant (any sign, Remark 13)")
KP = Param("K", sign="real", symbol=Y.K, doc="the conserved K = theta2 - theta1^2/(2d) (37)")
TH1 = Param("theta1_0", sign="real", swept=True, symbol=Y.theta1, doc="theta1(0)")
TH1_NZ = Param("theta1_0", sign="nonzero", swept=True, symbol=Y.theta1, doc="theta1(0) != 0")
TH2 = Param("theta2_0", sign="real", swept=True, symbol=Y.theta2, doc="theta2(0)")
THETA = Param("theta1", sign="real", swept=True, symbol=Y.theta1,
              doc="a value of theta1 (the start of a trajectory)")
R_POS = Param("r", sign="positive", symbol=Y.r, doc="r = (2 d lambda)^(1/3)")
R_NZ = Param("r", sign="nonzero", symbol=Y.r, doc="r = (2 d lambda)^(1/3), any sign")
R1 = Param("r1", symbol=Y.r1, doc="smallest root")
R2 = Param("r2", symbol=Y.r2, doc="middle root")
R3 = Param("r3", symbol=Y.r3, doc="largest root")
RS = Param("rs", symbol=Y.rs, doc="simple root")
RD = Param("rd", symbol=Y.rd, doc="double root")


def K_of(point: Mapping[str, Any]) -> Fraction:
    """K of a point: given, from (theta1_0, theta2_0) by (37), or 0 (initialisation (7))."""
    if "K" in point:
        return Fraction(point["K"])
    if "theta2_0" in point:
        return Fraction(point["theta2_0"]) - Fraction(point["theta1_0"]) ** 2 / (2 * point["d"])
    return Fraction(0)


def lam_of(point: Mapping[str, Any]) -> Fraction:
    return Fraction(point.get("lam", 0))


def roots_of(point: Mapping[str, Any]):
    """The exact real roots of the cubic at the point (see :func:`formulas.real_roots`)."""
    return F.real_roots(Fraction(point["d"]), lam_of(point), K_of(point))


def _sign_delta(point) -> int:
    return F.discriminant_sign(Fraction(point["d"]), lam_of(point), K_of(point))


def _delta(sign: int, text: str) -> Hypothesis:
    return Hypothesis(text, lambda p, st: _sign_delta(p) == sign)


# --- K = 0: initialisation (7) -------------------------------------------------------------------
def _k0_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """d, lambda over four decades; every 7th case has 2 d lambda = c^3 (r rational) and starts
    exactly at r; otherwise theta1(0) around 0 and r (or 0 itself)."""
    out = dict(given)
    if i % 7 == 0 and "lam" not in given:
        c = src.decimal(-1, 1, 2)
        dd = _pos(src, given, "d", *D_EXP)
        out.update(d=dd, lam=c**3 / (2 * dd))
        out.setdefault("theta1_0", c)
        return out
    dd = _pos(src, given, "d", *D_EXP)
    ll = _pos(src, given, "lam", *LAM_EXP)
    out.update(d=dd, lam=ll)
    if "theta1_0" not in given:
        rr = cbrt_q(2 * dd * ll)
        out["theta1_0"] = around(src, [Fraction(0), rr], rr, zero=True)
    return out


K0 = Domain("initialisation (7): theta2(0) = theta1(0)^2/(2d), K = 0", (D, LAM, TH1),
            _k0_draw, description="d, lam > 0 over four decades; theta1(0) at, next to and far "
                                  "from 0 and r = (2 d lam)^(1/3)", cycle=7)


def _signs_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """Remark 13: the four sign cases of (d, lambda) in turn; theta1(0) around 0 and r."""
    sd, sl = (1, 1, -1, -1)[i % 4], (1, -1, 1, -1)[i % 4]
    out = dict(given)
    dd = given.get("d")
    dd = sd * src.decimal(*D_EXP) if dd is None else dd
    ll = given.get("lam")
    ll = sl * src.decimal(*LAM_EXP) if ll is None else ll
    out.update(d=dd, lam=ll)
    if "theta1_0" not in given:
        rr = cbrt_q(2 * dd * ll)
        out["theta1_0"] = around(src, [Fraction(0), rr], abs(rr))
    return out


K0_SIGNS = Domain("initialisation (7), d and lambda of any sign (Remark 13)",
                  (D_NZ, LAM_NZ, TH1), _signs_draw,
                  description="the four sign cases of (d, lam), four decades each; theta1(0) "
                              "around 0 and r", cycle=4)


def _dl_draw(src: Source, i: int, given, statement) -> dict:
    return {"d": _pos(src, given, "d", *D_EXP), "lam": _pos(src, given, "lam", *LAM_EXP)}


D_LAM = Domain("(d, lambda)", (D, LAM), _dl_draw, description="d, lam > 0 over four decades")


# --- independent initial values (Theorem 3) ------------------------------------------------------
def _general_draw(src: Source, i: int, given: Mapping[str, Any], statement,
                  lam_zero: bool = False) -> dict:
    """theta1(0), theta2(0) uniform in boxes of 10^-1/2 .. 10 times the scales r and lambda/r of
    the K = 0 root (1 when lambda = 0)."""
    out = dict(given)
    dd = _pos(src, given, "d", *D_EXP)
    out["d"] = dd
    if lam_zero:
        ll = Fraction(0)
        scale = Fraction(1)
    else:
        ll = _pos(src, given, "lam", *LAM_EXP)
        out["lam"] = ll
        scale = abs(cbrt_q(2 * dd * ll))
    R = scale * src.decimal(-0.5, 1.0, 3)
    th1 = src.uniform(-R, R, 10**6)
    th2 = src.uniform(-R, R, 10**6) * ((ll / scale).limit_denominator(10**6) if ll else 1)
    out.setdefault("theta1_0", th1)
    out.setdefault("theta2_0", th2)
    return out


GENERAL = Domain("independent initial values theta1(0), theta2(0) (Theorem 3)",
                 (D, LAM, TH1, TH2), _general_draw,
                 description="d, lam > 0 over four decades; theta1(0), theta2(0) anywhere in boxes "
                             "of several sizes")


def _fig1a_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """Figure 1a: d = 0.2, lambda = 3 and the grid theta1(0) in -4..4, theta2(0) in -4..4 (step
    2), point i of the 45."""
    a, b = -4 + (i % 45) // 5, -4 + 2 * ((i % 45) % 5)
    out = {"d": Fraction(1, 5), "lam": Fraction(3), "theta1_0": Fraction(a),
           "theta2_0": Fraction(b)}
    out.update(given)
    return out


FIG1A = Domain("Figure 1a: d = 0.2, lambda = 3, a grid of starts", (D, LAM, TH1, TH2),
               _fig1a_draw, description="the figure's d and lam; 45 grid starts", cycle=45)


# --- lambda = 0 ----------------------------------------------------------------------------------
def _lambda0_k_draw(src, i, given, statement) -> dict:
    return _general_draw(src, i, given, statement, lam_zero=True)


LAMBDA0 = Domain("lambda = 0, any theta1(0), theta2(0)", (D, TH1, TH2), _lambda0_k_draw,
                 description="d over four decades, lam = 0, independent theta1(0), theta2(0)")


def _lambda0_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    th = given.get("theta1_0")
    if th is None:
        th = src.decimal(-1.5, 1.5, 3) * src.choice((1, -1))
    out = {"d": _pos(src, given, "d", *D_EXP), "theta1_0": th}
    if "theta2_0" in given:
        out["theta2_0"] = given["theta2_0"]
    return out


def _lambda0_k0_draw(src: Source, i: int, given, statement) -> dict:
    """lambda = 0 under (7): theta2(0) = theta1(0)^2/(2d) (as a point of :data:`LAMBDA0`)."""
    p = _lambda0_draw(src, i, {k: v for k, v in given.items() if k != "theta2_0"}, statement)
    p["theta2_0"] = p["theta1_0"] ** 2 / (2 * p["d"])
    return p


LAMBDA0_K0 = Domain("lambda = 0, K = 0", (D, TH1, TH2), _lambda0_k0_draw,
                    description="d over four decades, lam = K = 0, theta1(0) != 0")
LAMBDA0_INIT = Domain("lambda = 0 under (7) (K = 0)", (D, TH1_NZ), _lambda0_draw,
                      description="d over four decades, theta1(0) != 0 over three decades")


def is_k0(point: Mapping[str, Any]) -> bool:
    return K_of(point) == 0


# --- Delta > 0 -------------------------------------------------------------------------------------
def delta_pos_family(src: Source, given: Mapping[str, Any], spread: float = 1.5) -> dict:
    """``spread``: decades covered by the root scale a and the gap ratio b/a."""
    dd = _pos(src, given, "d", *D_EXP)
    a = src.decimal(-spread, spread, 3)
    b = src.decimal(-spread, spread, 3) * a
    rr2, rr1 = -a, -a - b
    rr3 = -(rr1 + rr2)
    return {"d": dd, "lam": rr1 * rr2 * rr3 / (2 * dd),
            "K": (rr1 * rr2 + rr1 * rr3 + rr2 * rr3) / (2 * dd), "_roots": (rr1, rr2, rr3)}


def _family_with_start(src: Source, given: Mapping[str, Any], fam: dict, scale) -> dict:
    """The family's (d, lam, K) unless the user fixed lam or K (then the point's own roots),
    and theta1(0) around the roots unless given."""
    roots = fam.pop("_roots")
    out = dict(given)
    if "lam" in given or "K" in given:
        out.setdefault("d", fam["d"])
        out.setdefault("lam", fam["lam"])
        out.setdefault("K", fam["K"])
        roots = tuple(Fraction(float(v)) for v in roots_of(out)) or (Fraction(0),)
    else:
        out.update({k: v for k, v in fam.items() if k not in given})
    if "theta1_0" not in given:
        out["theta1_0"] = around(src, list(roots), scale(roots) or Fraction(1))
    return out


def _delta_pos_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    fam = delta_pos_family(src, given)
    return _family_with_start(src, given, fam, lambda rts: rts[2] - rts[0])


def _delta_pos_hp_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """A well-conditioned family (roots within a decade), started exactly at r2."""
    fam = delta_pos_family(src, given, spread=0.5)
    roots = fam.pop("_roots")
    return {**fam, "theta1_0": roots[1], **given}


DELTA_POS = Domain("Delta > 0: three real roots", (D, LAM, KP, TH1), _delta_pos_draw,
                   (_delta(1, "Delta > 0"),),
                   description="families with roots r1 < r2 < 0 < r3 exact, roots over three "
                               "decades; theta1(0) next to and far from the roots")
DELTA_POS_HP = Domain("Delta > 0, started at r2", (D, LAM, KP, TH1), _delta_pos_hp_draw,
                      (_delta(1, "Delta > 0"),))


def _roots3_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    fam = delta_pos_family(src, {})
    rr1, rr2, rr3 = fam["_roots"]
    out = {"r1": rr1, "r2": rr2, "r3": rr3}
    out.update(given)
    if "theta1" not in given:
        out["theta1"] = around(src, [out["r1"], out["r2"], out["r3"]], out["r3"] - out["r1"])
    return out


def _ordered(names):
    def holds(p, st):
        vals = [p[n] for n in names]
        return all(a < b for a, b in zip(vals, vals[1:]))
    return holds


ROOTS3 = Domain("three real roots r1 < r2 < r3 of (54)", (R1, R2, R3, THETA), _roots3_draw,
                (Hypothesis("r1 < r2 < r3", _ordered(("r1", "r2", "r3"))),
                 Hypothesis("r1 + r2 + r3 = 0 (roots of x^3 + 2dKx - 2d lambda)",
                            lambda p, st: p["r1"] + p["r2"] + p["r3"] == 0),
                 Hypothesis("theta1 is not a root (the constant solutions)",
                            lambda p, st: "theta1" not in p
                            or p["theta1"] not in (p["r1"], p["r2"], p["r3"]))),
                description="the roots of the Delta > 0 families")


# --- Delta < 0 -------------------------------------------------------------------------------------
def delta_neg_family(src: Source, given: Mapping[str, Any]) -> dict:
    dd = _pos(src, given, "d", *D_EXP)
    rr = src.decimal(-1.5, 1.5, 3)
    w = 1 + src.decimal(-6, 2, 7)
    return {"d": dd, "lam": w * rr**3 / (8 * dd), "K": rr**2 * (w - 4) / (8 * dd),
            "_roots": (rr,)}


def _delta_neg_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    fam = delta_neg_family(src, given)
    return _family_with_start(src, given, fam, lambda rts: rts[0])


DELTA_NEG = Domain("Delta < 0: one real root", (D, LAM, KP, TH1), _delta_neg_draw,
                   (_delta(-1, "Delta < 0"),),
                   description="families with the real root r exact, w = 8 d lam/r^3 from "
                               "1 + 1e-6 to 100; theta1(0) next to and far from r")


def _root1_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    fam = delta_neg_family(src, {})
    out = {"d": fam["d"], "lam": fam["lam"], "r": fam["_roots"][0]}
    out.update(given)
    if "theta1" not in given:
        out["theta1"] = around(src, [out["r"]], out["r"])
    return out


ROOT1 = Domain("the real root r of (54) when Delta < 0", (D, LAM, R_POS, THETA), _root1_draw,
               (Hypothesis("r^3 < 8 d lambda (Delta < 0 on the parabola through r)",
                           lambda p, st: p["r"] ** 3 < 8 * p["d"] * p["lam"]),
                _NOT_R),
               description="d, r, w = 8 d lam/r^3 > 1 as in the Delta < 0 families")


# --- Delta = 0 -------------------------------------------------------------------------------------
def delta_zero_family(src: Source, given: Mapping[str, Any], sign: int = 1) -> dict:
    dd = _pos(src, given, "d", *D_EXP)
    c = sign * src.decimal(-1.5, 1.5, 3)
    return {"d": dd, "lam": c**3 / dd, "K": -Fraction(3, 2) * c**2 / dd, "_roots": (2 * c, -c)}


def _delta_zero_draw(src: Source, i: int, given: Mapping[str, Any], statement,
                     signs=(1,)) -> dict:
    fam = delta_zero_family(src, given, signs[i % len(signs)])
    return _family_with_start(src, given, fam, lambda rts: abs(rts[0] - rts[1]))


DELTA_ZERO = Domain("Delta = 0 (K = K*), lambda > 0", (D, LAM, KP, TH1), _delta_zero_draw,
                    (_delta(0, "Delta = 0"),),
                    description="c over three decades, lam = c^3/d, K = -(3/2) c^2/d; theta1(0) "
                                "next to and far from rs = 2c and rd = -c")
DELTA_ZERO_SIGNED = Domain(
    "Delta = 0 (K = K*), lambda of either sign", (D, LAM_NZ, KP, TH1),
    lambda src, i, given, st: _delta_zero_draw(src, i, given, st, signs=(1, -1)),
    (_delta(0, "Delta = 0"),),
    description="as Delta = 0, with c < 0 (lam < 0, rs < rd) every second case", cycle=2)


def _double_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    fam = delta_zero_family(src, {}, (1, -1)[i % 2])
    a_s, a_d = fam["_roots"]
    out = {"rs": a_s, "rd": a_d}
    out.update(given)
    if "theta1" not in given:
        out["theta1"] = around(src, [out["rs"], out["rd"]], abs(out["rs"] - out["rd"]))
    return out


DOUBLE = Domain("a simple root rs and a double root rd of (54)", (RS, RD, THETA), _double_draw,
                (Hypothesis("rs != rd", lambda p, st: p["rs"] != p["rd"]),
                 Hypothesis("theta1 is not a root (the constant solutions)",
                            lambda p, st: "theta1" not in p or p["theta1"] not in (p["rs"], p["rd"]))),
                cycle=2)


# --- the discriminant --------------------------------------------------------------------------------
def _dlk_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """Six in seven: (d, lambda, K) of independent initial values; one in seven: Delta = 0."""
    if i % 7 == 6:
        fam = delta_zero_family(src, given)
        fam.pop("_roots")
        return {**fam, **given}
    p = _general_draw(src, i, given, statement)
    return {"d": p["d"], "lam": p["lam"], "K": given.get("K", K_of(p))}


DLK = Domain("(d, lambda, K)", (D, LAM, KP), _dlk_draw,
             description="(d, lam, K) of independent initial values, and Delta = 0 every 7th",
             cycle=7)


# --- r alone (implicit solutions under (7)) ------------------------------------------------------------
def _r_draw(src: Source, i: int, given: Mapping[str, Any], statement, signed: bool = False
            ) -> dict:
    rr = given.get("r")
    if rr is None:
        rr = src.decimal(-2 / 3, 2 / 3, 3)
        if signed and i % 2:
            rr = -rr
    th = given.get("theta1")
    if th is None:
        th = around(src, [Fraction(0), rr], abs(rr), zero=True)
        if th == rr:
            th = rr + abs(rr)
    return {"r": rr, "theta1": th}


def _r_hp_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """High-precision starts: theta1(0) = 3r and -3r in turn."""
    rr = given.get("r")
    rr = src.decimal(-0.2, 0.4, 3) if rr is None else rr
    return {"r": rr, "theta1": given.get("theta1", (3, -3)[i % 2] * rr)}


R_THETA = Domain("r > 0 and theta1 (under (7))", (R_POS, THETA), _r_draw, (_NOT_R,),
                 description="r over 4/3 decades, theta1 next to and far from 0 and r")
R_THETA_HP = Domain("r > 0, theta1(0) = +-3r", (R_POS, THETA), _r_hp_draw, (_NOT_R,), cycle=2)
R_SIGNED = Domain("r != 0 of either sign and theta1 (Remark 13)", (R_NZ, THETA),
                  lambda src, i, given, st: _r_draw(src, i, given, st, signed=True), (_NOT_R,),
                  cycle=2)
