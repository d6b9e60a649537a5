"""Proposition 1 and the reductions (3) -> (4) -> (5) -> (6): the matrix flows of Section 2.

Claims: prop1, eq4, eq5, eq6 (registered first: they open Section 2).

The printed flows are written once with ``@`` and :func:`transpose`, so the same definition serves
SymPy matrices (exact checks) and stacked NumPy arrays (simulation); each is a part of its claim's
statement.  The domains are exact matrices:

* :data:`MATRIX_FLOW` -- an instance of (3) in its rotated frame: exact rational orthogonal
  U (o x o), V (d x d), R (h x h) (Cayley transforms times signs), positive diagonal Lxx, Lxy, D
  and diagonal starts W1_bar(0), W2_bar(0), with d = 3, h = o = 2; prop1's adds a finite data set
  X (d x 5), Y (o x 5);
* :data:`ROTATED` -- the same with any weights (eq4);
* :data:`EQ5` -- 2 x 2 matrices D, W1_bar, W2_bar, Lxy, Lxx (diagonal D, Lxy, Lxx > 0), where
  eq5's counterexample lives (Lxx^(1/2) taken exactly by SymPy).
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import sympy as sp

from ...arith import FLOAT, certify_sign
from ...domains import Domain, Hypothesis, Param, Source
from ...engine import Check, Claim, Correction, Part, Statement
from ...registry import register
from ...simulate import integrate_batch
from ...symbolic import identity_check
from .checks import proven_zero as reduce_to_zero
from ...verdicts import (CheckResult, Counterexample, Evidence, Measure, check_all, failed,
                         passed, undecided)
from . import formulas as F

ND, NH, NO = 3, 2, 2          # input, hidden, output sizes of the simulated instances


def transpose(A):
    return np.swapaxes(A, -1, -2) if isinstance(A, np.ndarray) else A.T    # SymPy: also symbols


# --- printed statements -----------------------------------------------------------------------
def printed_eq3(W1, W2, M, Sxx, Sxy):
    """(3): W1' = M (Sxy - W2 W1 Sxx),  W2' = (Sxy - W2 W1 Sxx) W1^T."""
    E = Sxy - W2 @ W1 @ Sxx
    return M @ E, E @ transpose(W1)


def printed_eq4(W1, W2, D, Lxx, Lxy):
    """(4): the flow in the rotated basis."""
    E = Lxy - W2 @ W1 @ Lxx
    return D @ E, E @ transpose(W1)


def printed_eq5(W1, W2, Dt, Lt, D=None, S=None):
    """(5): the isotropic flow W1~' = D~ (L~ - W2~ W1~), W2~' = (L~ - W2~ W1~) W1~^T."""
    E = Lt - W2 @ W1
    return Dt @ E, E @ transpose(W1)


def corrected_eq5(W1, W2, Dt, Lt, D=None, S=None):
    """What (5) is for general (non-diagonal) matrices: the second equation as printed, the first
    W1~' = D S^-1 (L~ - W2~ W1~) S^2 with S = Lxx^(1/2)."""
    E = Lt - W2 @ W1
    return D @ S.inv() @ E @ S @ S, E @ transpose(W1)


# --- exact matrices -----------------------------------------------------------------------------
def Q(v) -> sp.Rational:
    v = Fraction(v)
    return sp.Rational(v.numerator, v.denominator)


def sym_matrix(name: str, rows: int, cols: int, diagonal: bool = False) -> sp.Matrix:
    if diagonal:
        return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}{i}{j}") if i == j else 0)
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}{i}{j}"))


def rect_diag(values, rows: int, cols: int) -> sp.Matrix:
    return sp.Matrix(rows, cols, lambda i, j: Q(values[i]) if i == j and i < len(values) else 0)


def cayley_orthogonal(src: Source, n: int) -> sp.Matrix:
    """An exact rational orthogonal matrix (I - A)(I + A)^-1 diag(+-1), A skew-symmetric."""
    A = sp.zeros(n, n)
    for i in range(n):
        for j in range(i + 1, n):
            v = sp.Rational(src.integer(-9, 9), src.integer(1, 6))
            A[i, j], A[j, i] = v, -v
    eye = sp.eye(n)
    return (eye - A) * (eye + A).inv() * sp.diag(*[src.choice((1, -1)) for _ in range(n)])


def _zero_matrix_check(name: str, residual: sp.Matrix, rng, what: str) -> CheckResult:
    return check_all(name, [identity_check(f"{name}[{i},{j}]", residual[i, j], rng, what=what)
                            for i in range(residual.rows) for j in range(residual.cols)],
                     f"{what} = 0 entrywise")


# --- domains ------------------------------------------------------------------------------------
def _shape(name: str, rows: int, cols: int):
    def ok(p):
        m = p.get(name)
        return m is None or (m.rows, m.cols) == (rows, cols)
    return ok


def _orthogonal(name: str):
    def ok(p):
        m = p.get(name)
        return m is None or (m.rows == m.cols and m.T * m == sp.eye(m.rows))
    return ok


def _diagonal(name: str, positive: bool):
    def ok(p):
        m = p.get(name)
        if m is None:
            return True
        return all((m[i, j] == 0) if i != j else (not positive or m[i, j] > 0)
                   for i in range(m.rows) for j in range(m.cols))
    return ok


def _hyp(text: str, *tests) -> Hypothesis:
    return Hypothesis(text, lambda p, st: all(t(p) for t in tests))


SHAPES = {"U": (NO, NO), "V": (ND, ND), "R": (NH, NH), "Lxx": (ND, ND), "Lxy": (NO, ND),
          "D": (NH, NO), "W1_bar": (NH, ND), "W2_bar": (NO, NH), "X": (ND, 5), "Y": (NO, 5)}


def _mparam(name: str, doc: str, swept: bool = False) -> Param:
    return Param(name, kind="matrix", swept=swept, doc=doc)


ROT = (_mparam("U", "o x o orthogonal (Sxy = U Lxy V^T)", True),
       _mparam("V", "d x d orthogonal (Sxx = V Lxx V^T)", True),
       _mparam("R", "h x h orthogonal (M = R D U^T)", True))
SPECTRA = (_mparam("Lxx", "d x d diagonal > 0"), _mparam("Lxy", "o x d diagonal > 0"),
           _mparam("D", "h x o diagonal > 0"))


def _hyps(names, diagonal_w: bool) -> tuple[Hypothesis, ...]:
    hyps = [_hyp("matrix shapes d = 3, h = 2, o = 2 (" + ", ".join(
        f"{n} {SHAPES[n][0]}x{SHAPES[n][1]}" for n in names) + ")",
        *[_shape(n, *SHAPES[n]) for n in names])]
    hyps.append(_hyp("U, V, R orthogonal", *[_orthogonal(n) for n in ("U", "V", "R")]))
    hyps.append(_hyp("Lxx, Lxy, D diagonal with positive diagonal",
                     *[_diagonal(n, True) for n in ("Lxx", "Lxy", "D")]))
    if diagonal_w:
        hyps.append(_hyp("W1_bar(0), W2_bar(0) diagonal",
                         *[_diagonal(n, False) for n in ("W1_bar", "W2_bar")]))
    return tuple(hyps)


def _flow_draw(src: Source, i: int, given: Mapping[str, Any], statement, diagonal_w=True,
               data: bool = False) -> dict:
    k = min(ND, NH, NO)
    out: dict[str, Any] = {}
    out["U"], out["V"], out["R"] = (cayley_orthogonal(src, n) for n in (NO, ND, NH))
    out["Lxx"] = rect_diag([src.decimal(-0.5, 0.5, 3) for _ in range(ND)], ND, ND)
    out["Lxy"] = rect_diag([src.decimal(-0.5, 0.5, 3) for _ in range(k)], NO, ND)
    out["D"] = rect_diag([src.decimal(-0.5, 0.5, 3) for _ in range(k)], NH, NO)
    if diagonal_w:
        # nonnegative diagonal starts: where some W2_bar_ii < 0 the diagonal set can be a saddle
        # of (3), so doubles cannot follow it there (its invariance for every sign is eq6's
        # exact identity)
        out["W1_bar"] = rect_diag([src.uniform(0, 2, 1000) for _ in range(k)], NH, ND)
        out["W2_bar"] = rect_diag([src.uniform(0, 2, 1000) for _ in range(k)], NO, NH)
    else:
        rnd = lambda: Q(Fraction(src.integer(-9, 9), src.integer(1, 5)))
        out["W1_bar"] = sp.Matrix(NH, ND, lambda a, b: rnd())
        out["W2_bar"] = sp.Matrix(NO, NH, lambda a, b: rnd())
    if data:
        out["X"] = sp.Matrix(ND, 5, lambda a, b: src.integer(-5, 5))
        out["Y"] = sp.Matrix(NO, 5, lambda a, b: src.integer(-5, 5))
    out.update(given)
    return out


W_DIAG = (_mparam("W1_bar", "h x d diagonal start"), _mparam("W2_bar", "o x h diagonal start"))
MATRIX_FLOW = Domain(
    "the matrix flow (3) in its rotated frame, diagonal starts", SPECTRA + W_DIAG + ROT,
    _flow_draw, _hyps(("U", "V", "R", "Lxx", "Lxy", "D", "W1_bar", "W2_bar"), True),
    description="d = 3, h = o = 2; exact rational orthogonal U, V, R; spectra over a decade; "
                "nonnegative diagonal starts")
PROP1 = Domain(
    "the matrix flow (3) and a finite data set", SPECTRA + W_DIAG + ROT + (
        _mparam("X", "d x 5 inputs", True), _mparam("Y", "o x 5 outputs", True)),
    lambda src, i, given, st: _flow_draw(src, i, given, st, data=True),
    _hyps(tuple(SHAPES), True), description="as the matrix flow, with 5 integer samples (x, y)")
ROTATED = Domain(
    "the rotated basis of (4): any weights", ROT[:0] + (
        Param("U", kind="matrix", doc="o x o orthogonal"),
        Param("V", kind="matrix", doc="d x d orthogonal"),
        Param("R", kind="matrix", doc="h x h orthogonal"))
    + tuple(Param(p.name, kind="matrix", swept=True, doc=p.doc) for p in SPECTRA)
    + (_mparam("W1_bar", "h x d", True), _mparam("W2_bar", "o x h", True)),
    lambda src, i, given, st: _flow_draw(src, i, given, st, diagonal_w=False),
    _hyps(("U", "V", "R", "Lxx", "Lxy", "D", "W1_bar", "W2_bar"), False),
    description="exact rational orthogonal U, V, R; the identity is symbolic in the rest")


# --- Proposition 1 ------------------------------------------------------------------------------
def _moments(statement, points, run) -> list[CheckResult]:
    """(3) is gradient flow of L = 1/2 E||y - W2 W1 x||^2 with W2^T replaced by M in W1's update,
    for symbolic moments (any distribution)."""
    rng = run.rng("prop1/moments")
    W1, W2 = sym_matrix("a", NH, ND), sym_matrix("b", NO, NH)
    Sxx = sp.Matrix(ND, ND, lambda i, j: sp.Symbol(f"s{min(i, j)}{max(i, j)}"))
    Sxy = sym_matrix("c", NO, ND)
    Syy = sym_matrix("e", NO, NO)
    W = W2 * W1
    loss = (Syy.trace() - 2 * (W * Sxy.T).trace() + (W.T * W * Sxx).trace()) / 2
    g1 = -sp.Matrix(NH, ND, lambda i, j: sp.diff(loss, W1[i, j]))
    g2 = -sp.Matrix(NO, NH, lambda i, j: sp.diff(loss, W2[i, j]))
    fa1, fa2 = statement["flow"](W1, W2, W2.T, Sxx, Sxy)       # M = W2^T turns FA back into GD
    return [_zero_matrix_check("W1' with M = W2^T is -dL/dW1 (moments)", fa1 - g1, rng,
                               "(3) first equation minus GD"),
            _zero_matrix_check("W2' is -dL/dW2 (moments)", fa2 - g2, rng,
                               "(3) second equation minus GD")]


def _dataset(which: int):
    name = ("(3) first equation on an exact finite data set",
            "(3) second equation on an exact finite data set")[which]

    def fn(statement, points, run):
        rng = run.rng(f"prop1/data{which}")
        X, Yd = points[0]["X"], points[0]["Y"]
        n = X.cols
        W1, W2 = sym_matrix("a", NH, ND), sym_matrix("b", NO, NH)
        Rm = Yd - W2 * W1 * X
        loss = sum((Rm[:, k].T * Rm[:, k])[0] for k in range(n)) / (2 * n)
        g = (-sp.Matrix(NH, ND, lambda i, j: sp.diff(loss, W1[i, j])),
             -sp.Matrix(NO, NH, lambda i, j: sp.diff(loss, W2[i, j])))
        e = statement["flow"](W1, W2, W2.T, X * X.T / n, Yd * X.T / n)
        res = _zero_matrix_check(name, e[which] - g[which], rng,
                                 ("empirical first equation minus GD",
                                  "empirical second equation minus GD")[which])
        from dataclasses import replace
        return replace(res, points=1)
    return Check(name, fn, samples=1)


def _floats(m: sp.Matrix) -> np.ndarray:
    return np.array(m.tolist(), dtype=float)


def _matrix_flow(statement, points, run) -> CheckResult:
    """Integrate (3) itself at each instance, started diagonal in the rotated frame: it must stay
    diagonal there and follow the scalar systems (6)."""
    name = "matrix flow (3) follows (6)"
    count, horizon = len(points), 6.0
    k = min(ND, NH, NO)
    st = lambda key: np.stack([_floats(p[key]) for p in points])
    U, V, R = st("U"), st("V"), st("R")
    Lxx, Lxy, D, W1b0, W2b0 = st("Lxx"), st("Lxy"), st("D"), st("W1_bar"), st("W2_bar")
    Sxx, Sxy = V @ Lxx @ transpose(V), U @ Lxy @ transpose(V)
    M = R @ D @ transpose(U)
    W1_0, W2_0 = R @ W1b0 @ transpose(V), U @ W2b0 @ transpose(R)
    n1, n2 = NH * ND, NO * NH
    y0 = np.concatenate([W1_0.reshape(count, n1), W2_0.reshape(count, n2)], axis=1).T

    def rhs(_t, y, Mi, Sxxi, Sxyi):
        m = y.shape[1]
        d1, d2 = printed_eq3(y[:n1].T.reshape(m, NH, ND), y[n1:].T.reshape(m, NO, NH), Mi,
                             Sxxi, Sxyi)
        return np.concatenate([d1.reshape(m, n1), d2.reshape(m, n2)], axis=1).T

    times = np.linspace(0.0, horizon, 61)
    what = "rotated weights stay diagonal and follow (6)"
    sol = integrate_batch(rhs, y0, times, args=(M, Sxx, Sxy), rtol=1e-11, atol=1e-13)
    if not sol.success.all():
        return undecided(name, Evidence.FLOAT, what, points=count,
                         note="the matrix flow integration failed")
    W1 = sol.y[:, :n1, :].transpose(0, 2, 1).reshape(len(times), count, NH, ND)
    W2 = sol.y[:, n1:, :].transpose(0, 2, 1).reshape(len(times), count, NO, NH)
    W1b, W2b = transpose(R) @ W1 @ V, transpose(U) @ W2 @ R
    off = max(np.abs(W1b[..., ~np.eye(NH, ND, dtype=bool)]).max(),
              np.abs(W2b[..., ~np.eye(NO, NH, dtype=bool)]).max())
    # the scalar systems (6): theta~ = s theta_bar, d_i = D_ii s_i, s = Lxx_ii^(1/2)
    s = np.sqrt(np.stack([np.diag(x)[:k] for x in Lxx]))
    dd = np.stack([np.diag(x)[:k] for x in D])
    lxy = np.stack([np.diag(x)[:k] for x in Lxy])
    a0 = np.stack([np.diag(x)[:k] for x in W1b0])
    b0 = np.stack([np.diag(x)[:k] for x in W2b0])
    th1 = np.stack([W1b[:, :, i, i] for i in range(k)], axis=-1) * s
    th2 = np.stack([W2b[:, :, i, i] for i in range(k)], axis=-1) * s
    flow = FLOAT.compile(F.FLOW, (F.theta1, F.theta2, F.d, F.lam))
    ssol = integrate_batch(lambda _t, y, a, b: np.stack(flow(y[0], y[1], a, b)),
                           np.stack([(a0 * s).ravel(), (b0 * s).ravel()]), times,
                           args=((dd * s).ravel(), lxy.ravel()), rtol=1e-11, atol=1e-13)
    if not ssol.success.all():
        return undecided(name, Evidence.FLOAT, what, points=count,
                         note="the scalar integration failed")
    dev = max(np.abs(th1.reshape(len(times), -1) - ssol.y[:, 0, :]).max(),
              np.abs(th2.reshape(len(times), -1) - ssol.y[:, 1, :]).max())
    tol = 1e-7
    m = Measure("max(off-diagonal, deviation from (6))", float(max(off, dev)), tolerance=tol)
    return (passed if off <= tol and dev <= tol else undecided)(
        name, Evidence.FLOAT, what, points=count, measure=m,
        note=f"to t = {horizon}; off-diagonal <= {off:.1e}, deviation <= {dev:.1e}")


MATRIX_FLOW_CHECK = Check("matrix flow (3) follows (6)", _matrix_flow, samples=6,
                          domain=MATRIX_FLOW, key="matrix-flow")

register(Claim(
    "prop1", "FA flow of the two-layer linear network", "Section 2, Proposition 1, eq. (3); "
    "proof in Appendix A.1, (29)-(34)",
    """For any distribution of (x, y), FA's continuous dynamics for y_hat = W2 W1 x and the loss
       L = 1/2 E||y - W2 W1 x||^2 is W1' = M (Sxy - W2 W1 Sxx), W2' = (Sxy - W2 W1 Sxx) W1^T, i.e.
       gradient flow W' = -grad L with W2^T replaced by the fixed matrix M in W1's update.""",
    Statement({"flow": Part(printed_eq3, "(3)", "(W1, W2, M, Sxx, Sxy) -> (W1', W2')")}), PROP1,
    (Check("moments", _moments, samples=0), _dataset(0), _dataset(1),
     Check("matrix flow (3) follows (6)", _matrix_flow, samples=6)),
    notes=("(29)-(31) as OCR'd read grad L = W2^T (Sxy - W2 W1 Sxx) with no minus sign; the "
           "gradient is minus that. (3) itself is right.",),
    uses=(), cost=1.5))


# --- (4): the rotated basis ---------------------------------------------------------------------
def _rotated(which: int):
    name = ("(3) -> (4), first layer", "(3) -> (4), second layer")[which]
    what = ("R W1_bar' V^T minus (3)", "U W2_bar' R^T minus (3)")[which]

    def fn(statement, points, run):
        if run.at is not None:
            return _rotated_at(name, what, statement, which, points)
        p = points[0]
        U, V, R = p["U"], p["V"], p["R"]
        Lxx = sp.diag(*[sp.Symbol(f"sigma{i}", positive=True) for i in range(ND)])
        Lxy, D = sym_matrix("l", NO, ND, True), sym_matrix("D", NH, NO, True)
        W1b, W2b = sym_matrix("a", NH, ND), sym_matrix("b", NO, NH)
        residual = _rotation_residual(statement["flow"], which, U, V, R, Lxx, Lxy, D, W1b, W2b)
        if all(reduce_to_zero(e) for e in residual):
            return passed(name, Evidence.SYMBOLIC, f"{what} = 0 entrywise", points=1,
                          note="for the point's U, V, R; symbolic spectra and weights")
        for q in points:
            val = _rotation_residual(statement["flow"], which, q["U"], q["V"], q["R"], q["Lxx"],
                                     q["Lxy"], q["D"], q["W1_bar"], q["W2_bar"])
            if any(e != 0 for e in val):
                return failed(name, Evidence.EXACT, f"{what} = 0 entrywise",
                              Counterexample.of(q, f"{what} != 0",
                                                {"residual": str(val.tolist())}, Evidence.EXACT),
                              points=len(points))
        return undecided(name, Evidence.EXACT, f"{what} = 0 entrywise", points=len(points),
                         note="not simplified to 0 and 0 at every point")
    return Check(name, fn, samples=4)


def _rotated_at(name, what, statement, which, points) -> CheckResult:
    """At given points (--at, replay, shrinking): the residual at the point's exact matrices."""
    for q in points:
        val = _rotation_residual(statement["flow"], which, q["U"], q["V"], q["R"], q["Lxx"],
                                 q["Lxy"], q["D"], q["W1_bar"], q["W2_bar"])
        if any(e != 0 for e in val):
            return failed(name, Evidence.EXACT, f"{what} = 0 entrywise",
                          Counterexample.of(q, f"{what} != 0", {"residual": str(val.tolist())},
                                            Evidence.EXACT), points=len(points))
    return passed(name, Evidence.EXACT, f"{what} = 0 entrywise", points=len(points))


def _rotation_residual(flow4, which, U, V, R, Lxx, Lxy, D, W1b, W2b) -> sp.Matrix:
    lhs = printed_eq3(R * W1b * V.T, U * W2b * R.T, R * D * U.T, V * Lxx * V.T, U * Lxy * V.T)
    f = flow4(W1b, W2b, D, Lxx, Lxy)
    rhs = (R * f[0] * V.T, U * f[1] * R.T)
    return sp.expand(lhs[which] - rhs[which])


register(Claim(
    "eq4", "The flow in the rotated basis", "Section 2, eq. (4)",
    """With Sxx = V Lxx V^T, Sxy = U Lxy V^T (SVD), M = R D U^T and W1 = R W1_bar V^T,
       W2 = U W2_bar R^T (U, V, R orthogonal), (3) becomes W1_bar' = D (Lxy - W2_bar W1_bar Lxx),
       W2_bar' = (Lxy - W2_bar W1_bar Lxx) W1_bar^T.""",
    Statement({"flow": Part(printed_eq4, "(4)", "(W1_bar, W2_bar, D, Lxx, Lxy) -> derivatives")}),
    ROTATED, (_rotated(0), _rotated(1)), uses=("prop1",), cost=0.5))


# --- (5): the isotropic rescaling ---------------------------------------------------------------
N5 = 2


@lru_cache(maxsize=32)
def _eq5_setup(w1_power, w2_power, d_power, diagonal: bool) -> dict:
    s = [sp.Symbol(f"s{i}", positive=True) for i in range(N5)]
    S = sp.diag(*s)
    Lxx = S * S
    W1b, W2b = sym_matrix("a", N5, N5, diagonal), sym_matrix("b", N5, N5, diagonal)
    D = sp.diag(*[sp.Symbol(f"D{i}", positive=True) for i in range(N5)])
    Lxy = sp.diag(*[sp.Symbol(f"l{i}", positive=True) for i in range(N5)])
    power = lambda p: sp.diag(*[si ** (2 * p) for si in s])
    W1t, W2t = W1b * power(w1_power), power(w2_power) * W2b
    Dt, Lt = D * power(d_power), S * Lxy * S.inv()
    f1, f2 = printed_eq4(W1b, W2b, D, Lxx, Lxy)
    true = (f1 * power(w1_power), power(w2_power) * f2)
    return dict(S=S, D=D, W1t=W1t, W2t=W2t, Dt=Dt, Lt=Lt, true=true, s=s, W1b=W1b, W2b=W2b,
                Lxy=Lxy)


def _eq5_subs(setup: dict, point: Mapping[str, Any], diagonal: bool) -> dict:
    """The symbols of the setup at the point's matrices (s_i = Lxx_ii^(1/2) exactly)."""
    sub = {}
    for i, si in enumerate(setup["s"]):
        sub[si] = sp.sqrt(point["Lxx"][i, i])
        sub[setup["D"][i, i]] = point["D"][i, i]
        sub[setup["Lxy"][i, i]] = point["Lxy"][i, i]
    for key, name in (("W1b", "W1_bar"), ("W2b", "W2_bar")):
        for i in range(N5):
            for j in range(N5):
                if setup[key][i, j] != 0:
                    sub[setup[key][i, j]] = point[name][i, j]
    return sub


def _diag_part(m: sp.Matrix) -> sp.Matrix:
    return sp.diag(*[m[i, i] for i in range(min(m.rows, m.cols))])


def _eq5_check(name: str, which: int, diagonal: bool, what: str) -> Check:
    """Equation ``which`` of the statement's (5) against the true derivative of the rescaled
    variables: proven symbolically for all (diagonal) matrices, else an exact (or ball)
    nonzero residual at one of the points -- the sampled exact matrices, or the user's."""
    def fn(statement, points, run):
        st = _eq5_setup(sp.sympify(statement["w1_power"]), sp.sympify(statement["w2_power"]),
                        sp.sympify(statement["d_power"]), diagonal)
        got = statement["flow"](st["W1t"], st["W2t"], st["Dt"], st["Lt"], st["D"], st["S"])
        residual = st["true"][which] - got[which]
        nonzero = [(i, j) for i in range(residual.rows) for j in range(residual.cols)
                   if not reduce_to_zero(residual[i, j])]
        if not nonzero:
            return passed(name, Evidence.SYMBOLIC, what, points=0 if run.at is None else 1)
        for p in points:
            if diagonal:
                p = {**p, "W1_bar": _diag_part(p["W1_bar"]), "W2_bar": _diag_part(p["W2_bar"])}
            value = residual.xreplace(_eq5_subs(st, p, diagonal)).applyfunc(sp.radsimp)
            rational = all(v.is_Rational for v in value)
            if rational:
                bad = any(v != 0 for v in value)
            else:
                bad = any(certify_sign(v, {}) in (1, -1) for v in value)
            if bad:
                ev = Evidence.EXACT if rational else Evidence.BALL
                return failed(name, ev, what,
                              Counterexample.of(p, f"{what} != 0",
                                                {"residual": str(value.tolist())}, ev),
                              points=len(points))
        return undecided(name, Evidence.EXACT, what, points=len(points),
                         note="the residual did not simplify and no point separated it from 0")
    return Check(name, fn, samples=20)


def _eq5_hyps() -> tuple[Hypothesis, ...]:
    shapes = [_shape(n, N5, N5) for n in ("D", "W1_bar", "W2_bar", "Lxy", "Lxx")]
    return (_hyp("2 x 2 matrices", *shapes),
            _hyp("D, Lxy, Lxx diagonal with positive diagonal",
                 *[_diagonal(n, True) for n in ("D", "Lxy", "Lxx")]))


def _eq5_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    """Small exact entries (as the counterexample search of the first version): W entries
    +-p/q (p <= 8, q <= 3), D and Lxy diagonal p/q > 0, Lxx = diag(s_i^2), s_i in 1..3."""
    v = lambda: Q(Fraction(src.integer(1, 8), src.integer(1, 3)))
    sv = lambda: v() * src.choice((1, -1))
    out = {"D": sp.diag(v(), v()), "W1_bar": sp.Matrix(2, 2, lambda a, b: sv()),
           "W2_bar": sp.Matrix(2, 2, lambda a, b: sv()), "Lxy": sp.diag(v(), v()),
           "Lxx": sp.diag(*[src.integer(1, 3) ** 2 for _ in range(2)])}
    out.update(given)
    return out


EQ5 = Domain("2 x 2 instances of (4) -> (5)",
             tuple(Param(n, kind="matrix", doc=doc) for n, doc in (
                 ("D", "diagonal > 0"), ("W1_bar", "any"), ("W2_bar", "any"),
                 ("Lxy", "diagonal > 0"), ("Lxx", "diagonal > 0 (its square root is exact)"))),
             _eq5_draw, _eq5_hyps(),
             description="small exact rational entries; Lxx diagonal perfect squares")

EQ5_CHECKS = (
    ("(5) first equation, general matrices", 0, False),
    ("(5) second equation, general matrices", 1, False),
    ("(5) first equation, diagonal W1, W2", 0, True))
EQ5_WHAT = ("W1~' from (4) minus (5)", "W2~' from (4) minus (5)")

register(Claim(
    "eq5", "Isotropic rescaling of the features", "Section 2, eq. (5)",
    """With W1~ = W1_bar Lxx^(1/2), W2~ = Lxx^(1/2) W2_bar, D~ = D Lxx^(1/2) and
       L~xy = Lxx^(1/2) Lxy Lxx^(-1/2), (4) becomes W1~' = D~ (L~xy - W2~ W1~),
       W2~' = (L~xy - W2~ W1~) W1~^T, so that one may assume Sxx = I without loss of generality.""",
    Statement({"flow": Part(printed_eq5, "(5)", "(W1~, W2~, D~, L~, D, S) -> derivatives"),
               "w1_power": Part(sp.Rational(1, 2), "(5)", "W1~ = W1_bar Lxx^(w1_power)"),
               "w2_power": Part(sp.Rational(1, 2), "(5)", "W2~ = Lxx^(w2_power) W2_bar"),
               "d_power": Part(sp.Rational(1, 2), "(5)", "D~ = D Lxx^(d_power)")}),
    EQ5, tuple(_eq5_check(n, w, dg, EQ5_WHAT[w]) for n, w, dg in EQ5_CHECKS),
    correction=Correction(
        "(5) holds for the second layer in general, but the first layer obeys "
        "W1~' = D Lxx^(-1/2) (L~xy - W2~ W1~) Lxx, which equals D~ (L~xy - W2~ W1~) with "
        "D~ = D Lxx^(1/2) only when W1~, W2~ are diagonal (the setting of (6)); 'Sigma_xx = I "
        "without loss of generality' holds for the decoupled system (6), not for the matrix "
        "flow.",
        {"flow": corrected_eq5},
        (_eq5_check("corrected first equation W1~' = D S^-1 (L~ - W2~ W1~) S^2, general "
                    "matrices", 0, False, EQ5_WHAT[0]),
         _eq5_check(*EQ5_CHECKS[1], EQ5_WHAT[1]),
         _eq5_check(*EQ5_CHECKS[2], EQ5_WHAT[0]))),
    notes=("reading: W1~ = W1_bar Lxx^(1/2), W2~ = Lxx^(1/2) W2_bar, D~ = D Lxx^(1/2), "
           "L~xy = Lxx^(1/2) Lxy Lxx^(-1/2) (the only assignment of the OCR's exponents under "
           "which the second equation of (5) holds)",),
    uses=("eq4",), cost=1.0))


# --- (6): decoupling --------------------------------------------------------------------------
def _eq6_identities(statement, points, run) -> list[CheckResult]:
    """With diagonal W1~ (h x d), W2~ (o x h), D~ and L~, (5) is diagonal and its i-th entries
    are the scalar flow (6) with d_i = D~_ii, lambda_i = L~_ii."""
    rng = run.rng("eq6")
    nd, nh, no = 2, 3, 2
    W1, W2 = sym_matrix("a", nh, nd, True), sym_matrix("b", no, nh, True)
    Dt = sp.Matrix(nh, no, lambda i, j: sp.Symbol(f"D{i}", positive=True) if i == j else 0)
    Lt = sp.diag(*[sp.Symbol(f"l{i}", positive=True) for i in range(min(no, nd))])
    f1, f2 = statement["flow"](W1, W2, Dt, Lt)
    out = []
    for i in range(min(nd, nh, no)):
        scalar = [e.subs({F.theta1: W1[i, i], F.theta2: W2[i, i], F.d: Dt[i, i],
                          F.lam: Lt[i, i]}, simultaneous=True) for e in F.FLOW]
        out.append(identity_check(f"entry {i}: theta1' is (6)", f1[i, i] - scalar[0], rng))
        out.append(identity_check(f"entry {i}: theta2' is (6)", f2[i, i] - scalar[1], rng))
    off = [f1[i, j] for i in range(nh) for j in range(nd) if i != j]
    off += [f2[i, j] for i in range(no) for j in range(nh) if i != j]
    out.append(identity_check("off-diagonal derivatives vanish", sp.Add(*[e**2 for e in off]),
                              rng))
    return out


register(Claim(
    "eq6", "Decoupling into scalar systems", "Section 2, eq. (6)",
    """If W1~(0), W2~(0) are diagonal they stay diagonal, and for each i <= k = min(d, h, o) the
       pair (theta1, theta2) = ((W1~)_ii, (W2~)_ii) solves theta1' = d_i (lambda_i - theta2 theta1),
       theta2' = (lambda_i - theta2 theta1) theta1 with lambda_i = (L~xy)_ii, d_i = (D~)_ii.""",
    Statement({"flow": Part(printed_eq5, "(5)", "the isotropic flow (W1~, W2~, D~, L~)")}),
    MATRIX_FLOW, (Check("(5) decouples into (6)", _eq6_identities, samples=0),
                  Check("matrix flow (3) follows (6)", _matrix_flow, samples=6)),
    notes=("The diagonal set is invariant for every sign (the identity above), but not always "
           "attracting: near a diagonal equilibrium with W2_bar_ii < 0 an off-diagonal entry "
           "(i, j) grows at rate -Lxx_jj (D_ii W2_bar_ii + W1_bar_jj^2), so with an unused input "
           "direction Theorem 3's attractor r1 (theta2 = lambda/r1 < 0) is a saddle of the "
           "matrix flow (3): any off-diagonal perturbation leaves it for r3 (the product still "
           "tends to lambda). The simulation therefore starts from nonnegative diagonals, where "
           "doubles can follow the invariant set (property_tests/test_section2_trajectories.py "
           "pins the saddle).",),
    uses=("eq5",), cost=1.5))
