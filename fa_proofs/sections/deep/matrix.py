"""Proposition 4 and the reductions (8) -> (9) -> (10): the L-layer matrix flows of Section 3.

Claims: prop4, eq9, eq10 (registered first: they open Section 3).

The printed flows are written once with ``@`` and :func:`transpose` on lists of layers, so that
the same definition serves SymPy matrices (exact checks) and stacked NumPy arrays (simulation).
Conventions: ``Ws = [W_1, ..., W_L]`` with W_l of shape h_l x h_{l-1} (h_0 = d, h_L = o);
``W[1:l] = W_l ... W_1``; the FA matrices ``Ms = [M_1, ..., M_{L-1}]`` (M_L = I); the legitimate
feedback matrices ``Bs = [B_2, ..., B_L]``, B_k of shape h_{k-1} x h_k replacing W_k^T in
backpropagation.

Domains (exact matrices):

* :data:`FLOW` -- an instance of (8) in its rotated frame: L = 3 or 4, d = 3, every hidden width
  and o = 2; exact rational orthogonal U, V, R_1..R_{L-1} (Cayley), positive diagonal Lxx, Lxy,
  D_1..D_{L-1}, and nonnegative diagonal starts W1..WL of the rotated weights;
* :data:`RESCALE` -- 2 x 2 matrices for the rescaling before (10): L = 2..4, any W1..WL, positive
  diagonal D_l, Lxy and Lxx (perfect squares, so that Lxx^(1/2) is rational).
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache, reduce
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp
from sympy.polys.matrices import DomainMatrix

from ...arith import certify_sign
from ...domains import Domain, Hypothesis, Param, Source
from ...engine import Check, Claim, Correction, Part, Statement
from ...model import symbols as Y
from ...model.dynamics import deep_flow
from ...registry import register
from ...simulate import integrate_batch
from ...symbolic import identity_check
from ...verdicts import (CheckResult, Counterexample, Evidence, Measure, check_all, failed,
                         passed, undecided)
from ..shallow.matrix import Q, cayley_orthogonal, rect_diag, sym_matrix

ND, NH = 3, 2                 # input width; every hidden width and the output width
HORIZON = 4.0                 # the matrix flows are compared on [0, HORIZON]
DEPTHS_SYMBOLIC = (3, 4)


class PM:
    """A matrix over a polynomial ring (SymPy's DomainMatrix) with the operators the printed
    flows use (``@``, ``+``, ``-``, ``.T``): exact symbolic products without expression
    expansion."""

    def __init__(self, dm: DomainMatrix):
        self.dm = dm

    @staticmethod
    def of(M: sp.Matrix, ring) -> "PM":
        return PM(DomainMatrix.from_Matrix(M).convert_to(ring))

    def __matmul__(self, other: "PM") -> "PM":
        return PM(self.dm * other.dm)

    def __add__(self, other: "PM") -> "PM":
        return PM(self.dm + other.dm)

    def __sub__(self, other: "PM") -> "PM":
        return PM(self.dm - other.dm)

    def __neg__(self) -> "PM":
        return PM(-self.dm)

    @property
    def T(self) -> "PM":                                  # noqa: N802
        return PM(self.dm.transpose())

    @property
    def shape(self) -> tuple[int, int]:
        return self.dm.shape

    def inv(self) -> "PM":
        return PM(self.dm.inv())

    def __pow__(self, k: int) -> "PM":
        if k == 0:
            return PM(DomainMatrix.eye(self.dm.shape[0], self.dm.domain))
        base = self if k > 0 else self.inv()
        return reduce(lambda a, b: a @ b, [base] * abs(k))

    def entry(self, i: int, j: int):
        return self.dm[i, j].element

    def is_zero(self) -> bool:
        return self.dm.is_zero_matrix

    def to_Matrix(self) -> sp.Matrix:                     # noqa: N802
        return self.dm.to_Matrix()


def transpose(A):
    return A.T if isinstance(A, (sp.MatrixBase, PM)) else np.swapaxes(A, -1, -2)


def _eye_like(W, n: int):
    if isinstance(W, sp.MatrixBase):
        return sp.eye(n)
    if isinstance(W, PM):
        return PM(DomainMatrix.eye(n, W.dm.domain))
    return np.broadcast_to(np.eye(n), W.shape[:-2] + (n, n))


def chain(Ws: Sequence, l: int):
    """W[1:l] = W_l ... W_1 (the identity of the input width when l = 0)."""
    if l == 0:
        return _eye_like(Ws[0], Ws[0].shape[-1])
    return reduce(lambda acc, W: W @ acc, Ws[1:l], Ws[0])


def product(mats: Sequence):
    return reduce(lambda a, b: a @ b, mats)


# --- printed statements -----------------------------------------------------------------------
def printed_eq8(Ws, Ms, Sxx, Sxy):
    """(8): W_l' = M_l (Sxy - W[1:L] Sxx) W[1:l-1]^T, M_L = I."""
    L = len(Ws)
    E = Sxy - chain(Ws, L) @ Sxx
    out = [Ms[l] @ E @ transpose(chain(Ws, l)) for l in range(L - 1)]
    return out + [E @ transpose(chain(Ws, L - 1))]


def printed_feedback(Bs, l: int):
    """The text's reparametrisation M_l = M_[l+1:L]: the product B_{l+1} ... B_L of the feedback
    matrices of the layers above l (l = 1..L-1); ``Bs = [B_2, ..., B_L]``."""
    return product(Bs[l - 1:])


def legitimate_fa(Ws, Bs, Sxx, Sxy):
    """FA as defined by (2): backpropagation with each W_k^T replaced by a fixed B_k, i.e.
    W_l' = B_{l+1} ... B_L (Sxy - W[1:L] Sxx) W[1:l-1]^T."""
    L = len(Ws)
    E = Sxy - chain(Ws, L) @ Sxx
    out = [product(Bs[l:]) @ E @ transpose(chain(Ws, l)) for l in range(L - 1)]
    return out + [E @ transpose(chain(Ws, L - 1))]


def printed_eq9(Ws, Ds, Lxx, Lxy):
    """(9): W_l_bar' = D_l (Lxy - W_bar[1:L] Lxx) W_bar[1:l-1]^T, D_L = I."""
    return printed_eq8(Ws, Ds, Lxx, Lxy)


def printed_eq10_flow(Ws, Dts, Lt):
    """The flow before (10): W_l~' = D_l~ (L~xy - W~[1:L]) W~[1:l-1]^T (D_L~ = I when
    ``Dts`` has L - 1 entries)."""
    L = len(Ws)
    E = Lt - chain(Ws, L)
    full = list(Dts) + ([] if len(Dts) == L else [None])
    return [(full[l] @ E if full[l] is not None else E) @ transpose(chain(Ws, l))
            for l in range(L)]


def printed_d_powers(L: int) -> tuple:
    """(10) as printed (reading of Section 2's (5)): D_l~ = D_l Lxx^(1/2) for every l in [L]
    (D_L = I, so D_L~ = Lxx^(1/2))."""
    return (sp.Rational(1, 2),) * L


def corrected_d_powers(L: int) -> tuple:
    """Derived: D_1~ = D_1 Lxx^(1/2), D_l~ = D_l Lxx^(-1/2) for 1 < l < L, D_L~ = I."""
    if L == 1:
        return (sp.Integer(0),)
    return (sp.Rational(1, 2),) + (-sp.Rational(1, 2),) * (L - 2) + (sp.Integer(0),)


def corrected_first_layer(Ws, D1, S, Lt):
    """What the first layer obeys for general matrices: W_1~' = D_1 S^-1 (L~ - W~[1:L]) S^2."""
    E = Lt - chain(Ws, len(Ws))
    return D1 @ S.inv() @ E @ S @ S


# --- exact matrices and domains -----------------------------------------------------------------
def _zero_matrix_check(name: str, residual: sp.Matrix, rng, what: str) -> CheckResult:
    return check_all(name, [identity_check(f"{name}[{i},{j}]", residual[i, j], rng, what=what)
                            for i in range(residual.rows) for j in range(residual.cols)],
                     f"{what} = 0 entrywise")


def widths(L: int) -> tuple[int, ...]:
    """(h_0, ..., h_L) of the simulated instances: d = 3, then 2."""
    return (ND,) + (NH,) * L


def _shape_ok(m, rows, cols) -> bool:
    return m is None or (m.rows, m.cols) == (rows, cols)


def _diag_ok(m, positive: bool) -> bool:
    return m is None or all((m[i, j] == 0) if i != j else (not positive or m[i, j] > 0)
                            for i in range(m.rows) for j in range(m.cols))


def _orth_ok(m) -> bool:
    return m is None or (m.rows == m.cols and m.T * m == sp.eye(m.rows))


def _flow_hyps(p, st) -> bool:
    L = int(p["L"])
    h = widths(L)
    ok = _shape_ok(p.get("Lxx"), ND, ND) and _shape_ok(p.get("Lxy"), NH, ND)
    ok = ok and _diag_ok(p.get("Lxx"), True) and _diag_ok(p.get("Lxy"), True)
    for l in range(1, L + 1):
        ok = ok and _shape_ok(p.get(f"W{l}"), h[l], h[l - 1]) and _diag_ok(p.get(f"W{l}"), False)
    for l in range(1, L):
        ok = ok and _shape_ok(p.get(f"D{l}"), NH, NH) and _diag_ok(p.get(f"D{l}"), True)
        ok = ok and _shape_ok(p.get(f"R{l}"), NH, NH) and _orth_ok(p.get(f"R{l}"))
    ok = ok and _shape_ok(p.get("U"), NH, NH) and _orth_ok(p.get("U"))
    return ok and _shape_ok(p.get("V"), ND, ND) and _orth_ok(p.get("V"))


def _mparam(name: str, doc: str, swept: bool = False, count=None) -> Param:
    return Param(name, kind="matrix", swept=swept, doc=doc, count=count)


L_FLOW = Param("L", kind="integer", sign="positive", lo=3, hi=4, doc="number of layers (3 or 4)")
_COUNT_L = lambda p: int(p.get("L", 3))              # noqa: E731
_COUNT_L1 = lambda p: int(p.get("L", 3)) - 1         # noqa: E731


def _flow_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    L = int(given.get("L", (3, 4)[i % 2]))
    h = widths(L)
    k = min(h)
    out: dict[str, Any] = {"L": L}
    out["Lxx"] = rect_diag([src.decimal(-0.5, 0.5, 3) for _ in range(ND)], ND, ND)
    out["Lxy"] = rect_diag([src.decimal(-0.5, 0.5, 3) for _ in range(k)], NH, ND)
    for l in range(1, L):
        out[f"D{l}"] = rect_diag([src.decimal(-0.5, 0.5, 3) for _ in range(k)], NH, NH)
    for l in range(1, L + 1):
        # nonnegative diagonal starts (as Section 2: with a negative entry the diagonal set can
        # be a saddle of the matrix flow, which doubles cannot follow)
        out[f"W{l}"] = rect_diag([src.uniform(Fraction(1, 2), Fraction(3, 2), 1000)
                                  for _ in range(k)], h[l], h[l - 1])
    out["U"], out["V"] = cayley_orthogonal(src, NH), cayley_orthogonal(src, ND)
    for l in range(1, L):
        out[f"R{l}"] = cayley_orthogonal(src, NH)
    out.update(given)
    return out


FLOW = Domain(
    "the matrix flow (8) in its rotated frame, diagonal starts",
    (L_FLOW, _mparam("Lxx", "d x d diagonal > 0"), _mparam("Lxy", "o x d diagonal > 0"),
     _mparam("D", "h_l x o diagonal > 0 (M_l = R_l D_l U^T)", count=_COUNT_L1),
     _mparam("W", "h_l x h_{l-1} diagonal start of the rotated weights", count=_COUNT_L),
     _mparam("U", "o x o orthogonal (Sxy = U Lxy V^T)", True),
     _mparam("V", "d x d orthogonal (Sxx = V Lxx V^T)", True),
     _mparam("R", "h_l x h_l orthogonal", True, count=_COUNT_L1)),
    _flow_draw, (Hypothesis("shapes d = 3, h_l = o = 2; U, V, R_l orthogonal; Lxx, Lxy, D_l "
                            "diagonal > 0; W_l diagonal", _flow_hyps),),
    description="L = 3, 4; d = 3, h_l = o = 2; exact rational orthogonal U, V, R_l; spectra over "
                "a decade; nonnegative diagonal starts", cycle=2)

N10 = 2


def _rescale_hyps(p, st) -> bool:
    L = int(p["L"])
    ok = all(_shape_ok(p.get(n), N10, N10) for n in ["Lxx", "Lxy"] + [f"W{l}" for l in
                                                                      range(1, L + 1)]
             + [f"D{l}" for l in range(1, L)])
    return ok and all(_diag_ok(p.get(n), True) for n in ["Lxx", "Lxy"] + [f"D{l}" for l in
                                                                         range(1, L)])


def _rescale_draw(src: Source, i: int, given: Mapping[str, Any], statement) -> dict:
    L = int(given.get("L", (3, 4)[i % 2]))
    v = lambda: Q(Fraction(src.integer(1, 8), src.integer(1, 3)))       # noqa: E731
    sv = lambda: v() * src.choice((1, -1))                               # noqa: E731
    out: dict[str, Any] = {"L": L, "Lxy": sp.diag(v(), v()),
                           "Lxx": sp.diag(*[src.integer(1, 3) ** 2 for _ in range(N10)])}
    for l in range(1, L):
        out[f"D{l}"] = sp.diag(v(), v())
    for l in range(1, L + 1):
        out[f"W{l}"] = sp.Matrix(N10, N10, lambda a, b: sv())
    out.update(given)
    return out


RESCALE = Domain(
    "2 x 2 instances of (9) -> (10)",
    (Param("L", kind="integer", sign="positive", lo=2, hi=4, doc="number of layers (2 to 4)"),
     _mparam("Lxx", "diagonal > 0 (its square root is taken exactly)"),
     _mparam("Lxy", "diagonal > 0"), _mparam("D", "diagonal > 0", count=_COUNT_L1),
     _mparam("W", "the rotated weights W_bar_l (any)", count=_COUNT_L)),
    _rescale_draw, (Hypothesis("2 x 2 matrices; Lxx, Lxy, D_l diagonal > 0", _rescale_hyps),),
    description="small exact rational entries; Lxx diagonal perfect squares", cycle=2)


# --- Proposition 4 ------------------------------------------------------------------------------
def _sym_layers(L: int, n: int = 2, prefix: str = "w") -> list[sp.Matrix]:
    return [sym_matrix(f"{prefix}{l}_", n, n) for l in range(1, L + 1)]


def _ring(*mats: sp.Matrix, field: bool = False):
    """QQ[symbols of the matrices] (QQ(...) with ``field``)."""
    syms = sorted(set().union(*[m.free_symbols for m in mats]), key=str)
    if not syms:
        return sp.QQ
    return sp.QQ.frac_field(*syms) if field else sp.QQ[tuple(syms)]


def _pm_zero_check(name: str, residual: PM, what: str, note: str = "") -> CheckResult:
    """A residual over a polynomial ring: exactly zero (a proof), or a certified failure is
    left to the caller (this returns a pass or None)."""
    if residual.is_zero():
        return passed(name, Evidence.SYMBOLIC, f"{what} = 0 entrywise", note=note)
    return None


def _moments(statement, points, run) -> list[CheckResult]:
    """(8) with M_l = W[l+1:L]^T (backpropagation) is -grad L for L = 1/2 E||y - W[1:L] x||^2,
    for symbolic moments (any distribution), L = 3 (exact polynomial arithmetic)."""
    L, n = 3, 2
    Ws_s = _sym_layers(L, n)
    Sxx_s = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"s{min(i, j)}{max(i, j)}"))
    Sxy_s, Syy_s = sym_matrix("c", n, n), sym_matrix("e", n, n)
    R = _ring(*Ws_s, Sxx_s, Sxy_s, Syy_s)
    Ws = [PM.of(W, R) for W in Ws_s]
    Sxx, Sxy, Syy = (PM.of(m, R) for m in (Sxx_s, Sxy_s, Syy_s))
    W = chain(Ws, L)
    tr = lambda A: sum((A.entry(i, i) for i in range(A.shape[0])), R.zero)   # noqa: E731
    loss = (tr(Syy) - 2 * tr(W @ Sxy.T) + tr(W.T @ W @ Sxx)) * R.convert(sp.Rational(1, 2))
    Ms = [chain(Ws[l + 1:], L - l - 1).T for l in range(L - 1)]      # W[l+1:L]^T
    fa = statement["flow"](Ws, Ms, Sxx, Sxy)
    out = []
    for l in range(L):
        gen = lambda i, j, l=l: R.convert(Ws_s[l][i, j])                   # noqa: E731
        bad = [(i, j) for i in range(n) for j in range(n)
               if fa[l].entry(i, j) + loss.diff(gen(i, j)) != 0]
        name = f"layer {l + 1}: (8) with M_l = W[l+1:L]^T is -dL/dW_l"
        what = f"(8) layer {l + 1} minus GD"
        if not bad:
            out.append(passed(name, Evidence.SYMBOLIC, f"{what} = 0 entrywise"))
            continue
        i, j = bad[0]
        expr = R.to_sympy(fa[l].entry(i, j) + loss.diff(gen(i, j)))
        out.append(_numeric_refutation(
            name, f"{what}, entry ({i}, {j})", [sp.Matrix([[expr]])], lambda m: m[0],
            run.rng("prop4/moments")))
    return out


def _reparametrised(statement, points, run) -> list[CheckResult]:
    """Legitimate FA (each W_k^T replaced by a fixed B_k) is (8) with M_l = the text's
    M_[l+1:L], for symbolic weights, feedback and moments (L = 3, 4; exact polynomial
    arithmetic)."""
    out = []
    depths = DEPTHS_SYMBOLIC if run.at is None else (int(run.at["L"]),)
    for L in depths:
        n = 2
        Ws_s = _sym_layers(L, n)
        Bs_s = [sym_matrix(f"b{k}_", n, n) for k in range(2, L + 1)]
        Sxx_s, Sxy_s = sym_matrix("s", n, n), sym_matrix("c", n, n)
        R = _ring(*Ws_s, *Bs_s, Sxx_s, Sxy_s)
        Ws, Bs = [PM.of(m, R) for m in Ws_s], [PM.of(m, R) for m in Bs_s]
        Sxx, Sxy = PM.of(Sxx_s, R), PM.of(Sxy_s, R)
        legit = legitimate_fa(Ws, Bs, Sxx, Sxy)
        Ms = [statement["feedback"](Bs, l) for l in range(1, L)]
        got = statement["flow"](Ws, Ms, Sxx, Sxy)
        name = f"L = {L}: legitimate FA = (8) with M_l = M_[l+1:L]"
        what = "(8) minus legitimate FA"
        bad = [l for l in range(L) if not (got[l] - legit[l]).is_zero()]
        if not bad:
            out.append(passed(name, Evidence.SYMBOLIC, f"{what} = 0 entrywise",
                              note=f"layers 1..{L}"))
            continue
        out.append(_numeric_refutation(
            name, f"{what}, layer {bad[0] + 1}", [*Ws_s, *Bs_s, Sxx_s, Sxy_s],
            lambda m: [statement["flow"](m[:L], [statement["feedback"](m[L:2 * L - 1], l)
                                                 for l in range(1, L)], m[-2], m[-1])[bad[0]]
                       - legitimate_fa(m[:L], m[L:2 * L - 1], m[-2], m[-1])[bad[0]]][0],
            run.rng("prop4/reparam")))
    return out


def _numeric_refutation(name: str, what: str, mats: list[sp.Matrix], residual: Callable,
                        rng, tries: int = 8) -> CheckResult:
    """A symbolic matrix identity that is not zero: refuted at small random rationals for every
    symbol of ``mats`` (exact arithmetic); ``residual(matrices)`` evaluates it."""
    syms = sorted(set().union(*[m.free_symbols for m in mats]), key=str)
    for _ in range(tries):
        env = {s: sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 5))) for s in syms}
        value = residual([m.xreplace(env) for m in mats])
        if any(e != 0 for e in value):
            return failed(name, Evidence.EXACT, f"{what} = 0 entrywise", Counterexample.of(
                {s.name: v for s, v in env.items()}, f"{what} != 0",
                {"residual": str(value.tolist())}, Evidence.EXACT), points=1)
    return undecided(name, Evidence.EXACT, f"{what} = 0 entrywise",
                     note="not zero as a polynomial, but no rational point separated it from 0")


def _floats(m: sp.Matrix) -> np.ndarray:
    return np.array(m.tolist(), dtype=float)


def _stack(points, key):
    return np.stack([_floats(p[key]) for p in points])


def _frames(points, L: int) -> dict:
    """The float matrices of the instances (all of depth L)."""
    st = lambda key: _stack(points, key)                                   # noqa: E731
    U, V = st("U"), st("V")
    Rs = [st(f"R{l}") for l in range(1, L)]
    frame = [V] + Rs + [U]                                                 # R_0 = V, R_L = U
    Lxx, Lxy = st("Lxx"), st("Lxy")
    Ds = [st(f"D{l}") for l in range(1, L)]
    Wb = [st(f"W{l}") for l in range(1, L + 1)]
    return dict(U=U, V=V, frame=frame, Lxx=Lxx, Lxy=Lxy, Ds=Ds, Wb=Wb,
                Sxx=V @ Lxx @ transpose(V), Sxy=U @ Lxy @ transpose(V),
                Ms=[frame[l] @ Ds[l - 1] @ transpose(U) for l in range(1, L)],
                W0=[frame[l + 1] @ Wb[l] @ transpose(frame[l]) for l in range(L)])


def legitimate_feedback(fr: dict, L: int) -> list:
    """Feedback matrices realising the prescribed M_l = R_l D_l U^T as products
    B_{l+1} ... B_L: B_L = R_{L-1} D_{L-1} U^T, B_l = R_{l-1} D_{l-1} D_l^-1 R_l^T."""
    frame, Ds, U = fr["frame"], fr["Ds"], fr["U"]
    Bs = []
    for k in range(2, L + 1):
        if k == L:
            Bs.append(frame[L - 1] @ Ds[L - 2] @ transpose(U))
        else:
            Bs.append(frame[k - 1] @ Ds[k - 2] @ np.linalg.inv(Ds[k - 1]) @ transpose(frame[k]))
    return Bs


def _integrate_layers(flow_fn: Callable, W0: list, L: int, args: tuple, times: np.ndarray):
    """Integrate a matrix flow ``flow_fn(Ws, *args) -> [W_l']`` of stacked instances."""
    count = W0[0].shape[0]
    shapes = [w.shape[1:] for w in W0]
    sizes = [int(np.prod(s)) for s in shapes]
    offs = np.cumsum([0] + sizes)
    y0 = np.concatenate([w.reshape(count, -1) for w in W0], axis=1).T

    def rhs(_t, y, *a):
        m = y.shape[1]
        Ws = [y[offs[l]:offs[l + 1]].T.reshape((m,) + shapes[l]) for l in range(L)]
        out = flow_fn(Ws, *a)
        return np.concatenate([o.reshape(m, -1) for o in out], axis=1).T

    sol = integrate_batch(rhs, y0, times, args=args, rtol=1e-11, atol=1e-13)
    Ws = [sol.y[:, offs[l]:offs[l + 1], :].transpose(0, 2, 1).reshape((len(times), count)
                                                                       + shapes[l])
          for l in range(L)]
    return sol, Ws


def matrix_vs_scalar(points, d_powers: Callable, horizon: float = HORIZON
                     ) -> tuple[float, float, int, str]:
    """Integrate (8) itself from diagonal rotated starts, and the scalar systems (10) with
    d_l = (D_l)_ii s_i^(2 p_l) (p_l = ``d_powers(L)[l]``, s_i = Lxx_ii^(1/2)),
    lam_i = Lxy_ii, theta_1 = s_i W_bar_1,ii, theta_L = s_i W_bar_L,ii; (max off-diagonal,
    max deviation, instances, failure note)."""
    off = dev = 0.0
    n = 0
    for L in sorted({int(p["L"]) for p in points}):
        pts = [p for p in points if int(p["L"]) == L]
        n += len(pts)
        fr = _frames(pts, L)
        times = np.linspace(0.0, horizon, 41)
        sol, Ws = _integrate_eq8(fr, L, times)
        if not sol.success.all():
            return np.inf, np.inf, n, "the matrix flow integration failed"
        frame = fr["frame"]
        Wb = [transpose(frame[l + 1]) @ Ws[l] @ frame[l] for l in range(L)]
        for l, W in enumerate(Wb):
            mask = ~np.eye(W.shape[-2], W.shape[-1], dtype=bool)
            off = max(off, float(np.abs(W[..., mask]).max()))
        k = min(widths(L))
        s = np.sqrt(np.stack([np.diag(x)[:k] for x in fr["Lxx"]]))          # (count, k)
        pw = [float(v) for v in d_powers(L)]
        dsc = [np.stack([np.diag(x)[:k] for x in fr["Ds"][l]]) * s ** (2 * pw[l])
               for l in range(L - 1)]
        lam_v = np.stack([np.diag(x)[:k] for x in fr["Lxy"]])
        diag = [np.stack([W[:, :, i, i] for i in range(k)], axis=-1) for W in Wb]   # (m, c, k)
        theta = [diag[0] * s] + diag[1:L - 1] + [diag[L - 1] * s]
        th0 = np.stack([t[0].ravel() for t in theta])
        rhs = deep_flow(L).batch_rhs()
        ssol = integrate_batch(lambda _t, y, *a: rhs(_t, y, *a), th0, times,
                               args=tuple(x.ravel() for x in dsc) + (lam_v.ravel(),),
                               rtol=1e-11, atol=1e-13)
        if not ssol.success.all():
            return np.inf, np.inf, n, "the scalar integration failed"
        for l in range(L):
            dev = max(dev, float(np.abs(theta[l].reshape(len(times), -1) - ssol.y[:, l, :]).max()))
    return off, dev, n, ""


def _integrate_eq8(fr: dict, L: int, times: np.ndarray, flow: Callable = printed_eq8,
                   Ms: list | None = None):
    Ms = fr["Ms"] if Ms is None else Ms
    return _integrate_layers(lambda Ws, Sxx, Sxy, *M: flow(Ws, list(M), Sxx, Sxy), fr["W0"], L,
                             (fr["Sxx"], fr["Sxy"]) + tuple(Ms), times)


MATRIX_TOL = 1e-7



def _matrix_flow_check(name: str, d_powers: Callable[[Statement], Callable]) -> Check:
    def fn(statement, points, run) -> CheckResult:
        off, dev, n, fail = matrix_vs_scalar(points, d_powers(statement))
        what = "rotated weights stay diagonal and follow (10)"
        if fail:
            return undecided(name, Evidence.FLOAT, what, points=n, note=fail)
        m = Measure("max(off-diagonal, deviation from (10))", float(max(off, dev)),
                    tolerance=MATRIX_TOL)
        return (passed if max(off, dev) <= MATRIX_TOL else undecided)(
            name, Evidence.FLOAT, what, points=n, measure=m,
            note=f"to t = {HORIZON:g}; off-diagonal <= {off:.1e}, deviation <= {dev:.1e}")
    return Check(name, fn, samples=6, domain=FLOW, key="deep-matrix-flow",
                 applies=lambda p: "U" in p)


def _legitimate_trajectories(statement, points, run) -> CheckResult:
    """Legitimate FA with feedback B_k realising M_l = R_l D_l U^T, against (8) with the text's
    M_l = M_[l+1:L]: the same trajectories; and (reported) with M_l = B_{l+1} alone."""
    name = "legitimate FA and (8) with M_l = M_[l+1:L]: same trajectories"
    what = "max |W_l(t) legitimate - W_l(t) of (8)|"
    dev = wrong = 0.0
    n = 0
    times = np.linspace(0.0, HORIZON, 41)
    stop = int(np.searchsorted(times, 1.0)) + 1
    for L in sorted({int(p["L"]) for p in points}):
        pts = [p for p in points if int(p["L"]) == L]
        n += len(pts)
        fr = _frames(pts, L)
        Bs = legitimate_feedback(fr, L)
        sol_a, Wa = _integrate_layers(lambda Ws, Sxx, Sxy, *B: legitimate_fa(Ws, list(B), Sxx, Sxy),
                                      fr["W0"], L, (fr["Sxx"], fr["Sxy"]) + tuple(Bs), times)
        Ms = [statement["feedback"](Bs, l) for l in range(1, L)]
        sol_b, Wb = _integrate_eq8(fr, L, times, statement["flow"], Ms)
        alone = [Bs[l - 1] for l in range(1, L)]
        sol_c, Wc = _integrate_eq8(fr, L, times[:stop], statement["flow"], alone)
        if not (sol_a.success.all() and sol_b.success.all() and sol_c.success.all()):
            return undecided(name, Evidence.FLOAT, what, points=n, note="an integration failed")
        dev = max(dev, max(float(np.abs(a - b).max()) for a, b in zip(Wa, Wb)))
        wrong = max(wrong, max(float(np.abs(a[:stop] - c).max()) for a, c in zip(Wa, Wc)))
    m = Measure("max deviation", dev, tolerance=MATRIX_TOL)
    note = (f"to t = {HORIZON:g}; with M_l = B_{{l+1}} alone (not the product) the trajectories differ by "
            f"up to {wrong:.2g} already by t = 1")
    return (passed if dev <= MATRIX_TOL else undecided)(name, Evidence.FLOAT, what, points=n,
                                                       measure=m, note=note)


def derived_scalar_powers(statement) -> Callable:
    return corrected_d_powers


register(Claim(
    "prop4", "FA flow of the L-layer linear network", "Section 3, Proposition 4, eq. (8); proof "
    "in Appendix B.1, (73)-(76)",
    """For any distribution of (x, y), FA on y_hat = W_L ... W_1 x with L = 1/2 E||y - y_hat||^2
       is W_l' = M_l (Sxy - W[1:L] Sxx) W[1:l-1]^T (l in [L], M_L = I), for some FA matrices M_l:
       the legitimate FA update B_{l+1} ... B_L (Sxy - W[1:L] Sxx) W[1:l-1]^T (each W_k^T of
       backpropagation replaced by a fixed B_k) is (8) with M_l = M_[l+1:L] = B_{l+1} ... B_L.""",
    Statement({"flow": Part(printed_eq8, "(8)", "(Ws, Ms, Sxx, Sxy) -> [W_l']"),
               "feedback": Part(printed_feedback, "Section 3", "(Bs, l) -> M_l = M_[l+1:L]")}),
    FLOW,
    (Check("(8) with M_l = W[l+1:L]^T is gradient flow (moments)", _moments, samples=0),
     Check("legitimate FA is (8) with M_l = M_[l+1:L]", _reparametrised, samples=0),
     _matrix_flow_check("matrix flow (8) follows (10)", derived_scalar_powers),
     Check("legitimate FA and (8) with M_l = M_[l+1:L]: same trajectories",
           _legitimate_trajectories, samples=6, domain=FLOW, key="deep-matrix-flow")),
    notes=("(73)-(75) as OCR'd read grad L = W[l+1:L]^T (Sxy - W[1:L] Sxx) W[1:l-1]^T with no "
           "minus sign, as (29)-(31) of Section 2; the gradient is minus that. (8) is right.",
           "reading of M_[l+1:L]: the product B_{l+1} ... B_L of the feedback matrices of the "
           "layers above l (the FA counterpart of W[l+1:L]^T = W_{l+1}^T ... W_L^T). Read with "
           "the paper's W[a:b] = W_b ... W_a convention, M_L ... M_{l+1} does not even have the "
           "shape h_l x o unless every width is equal.",
           "the converse reparametrisation (independent M_l from legitimate B_k) needs each M_l "
           "to factor through M_{l+1}: M_l = B_{l+1} M_{l+1}. This holds for the M_l = R_l D_l "
           "U^T of (9) with positive diagonals (eq9 checks it exactly), not for arbitrary "
           "full-rank M_l when a hidden width is below o."),
    uses=(), cost=2.5))


# --- (9): the rotated basis ----------------------------------------------------------------------
def _eq9_residual(flow9: Callable, L: int, p: Mapping[str, Any], symbolic: bool) -> list:
    """R_l W_bar_l' R_{l-1}^T from (8) minus the rotation of (9), for the point's frame (and
    symbolic spectra, D_l and weights when ``symbolic``), in exact polynomial arithmetic."""
    h = widths(L)
    if symbolic:
        Lxx = sp.diag(*[sp.Symbol(f"sigma{i}", positive=True) for i in range(ND)])
        Lxy = sym_matrix("l", NH, ND, True)
        Ds = [sym_matrix(f"D{l}_", NH, NH, True) for l in range(1, L)]
        Wb = [sym_matrix(f"a{l}_", h[l], h[l - 1]) for l in range(1, L + 1)]
    else:
        Lxx, Lxy = p["Lxx"], p["Lxy"]
        Ds = [p[f"D{l}"] for l in range(1, L)]
        Wb = [p[f"W{l}"] for l in range(1, L + 1)]
    R = _ring(Lxx, Lxy, *Ds, *Wb)
    P = lambda m: PM.of(m, R)                                              # noqa: E731
    U, V = P(p["U"]), P(p["V"])
    frame = [V] + [P(p[f"R{l}"]) for l in range(1, L)] + [U]
    Lxx, Lxy, Ds, Wb = P(Lxx), P(Lxy), [P(m) for m in Ds], [P(m) for m in Wb]
    Ws = [frame[l + 1] @ Wb[l] @ frame[l].T for l in range(L)]
    Ms = [frame[l] @ Ds[l - 1] @ U.T for l in range(1, L)]
    lhs = printed_eq8(Ws, Ms, V @ Lxx @ V.T, U @ Lxy @ V.T)
    f = flow9(Wb, Ds, Lxx, Lxy)
    return [lhs[l] - frame[l + 1] @ f[l] @ frame[l].T for l in range(L)]


def _eq9_check(statement, points, run) -> list[CheckResult]:
    out = []
    p = points[0]
    L = int(p["L"])
    symbolic = run.at is None
    res = _eq9_residual(statement["flow"], L, p, symbolic)
    what = "R_l W_bar_l' R_{l-1}^T from (8) minus the rotated (9)"
    for l, r in enumerate(res):
        name = f"(8) -> (9), layer {l + 1}"
        if r.is_zero():
            out.append(passed(name, Evidence.SYMBOLIC if symbolic else Evidence.EXACT,
                              f"{what} = 0 entrywise", points=1,
                              note="for the point's U, V, R_l; symbolic spectra, D_l and "
                                   "weights" if symbolic else "at the point"))
            continue
        val = _eq9_residual(statement["flow"], L, p, False)[l].to_Matrix()
        if any(e != 0 for e in val):
            out.append(failed(name, Evidence.EXACT, f"{what} = 0 entrywise",
                              Counterexample.of(p, f"{what} != 0, layer {l + 1}",
                                                {"residual": str(val.tolist())}, Evidence.EXACT),
                              points=1))
        else:
            out.append(undecided(name, Evidence.EXACT, f"{what} = 0 entrywise", points=1,
                                 note="not simplified to 0 and 0 at the point"))
    return out


def _eq9_feedback(statement, points, run) -> CheckResult:
    """The prescribed M_l = R_l D_l U^T are legitimate: with B_L = R_{L-1} D_{L-1} U^T and
    B_l = R_{l-1} D_{l-1} D_l^-1 R_l^T, M_l = B_{l+1} ... B_L exactly."""
    name = "M_l = R_l D_l U^T come from legitimate feedback matrices"
    what = "R_l D_l U^T - B_{l+1} ... B_L"
    for p in points:
        L = int(p["L"])
        U = p["U"]
        frame = [p["V"]] + [p[f"R{l}"] for l in range(1, L)] + [U]
        Ds = [p[f"D{l}"] for l in range(1, L)]
        Bs = [frame[L - 1] * Ds[L - 2] * U.T if k == L else
              frame[k - 1] * Ds[k - 2] * Ds[k - 1].inv() * frame[k].T for k in range(2, L + 1)]
        for l in range(1, L):
            diff = sp.expand(frame[l] * Ds[l - 1] * U.T - statement["feedback"](Bs, l))
            if any(e != 0 for e in diff):
                return failed(name, Evidence.EXACT, f"{what} = 0", Counterexample.of(
                    p, f"{what} != 0 for l = {l}", {"residual": str(diff.tolist())},
                    Evidence.EXACT), points=len(points))
    return passed(name, Evidence.EXACT, f"{what} = 0", points=len(points))


register(Claim(
    "eq9", "The L-layer flow in the rotated basis", "Section 3, eq. (9)",
    """With Sxx = V Lxx V^T, Sxy = U Lxy V^T, W_l = R_l W_bar_l R_{l-1}^T (R_0 = V, R_L = U, R_l
       orthogonal) and M_l = R_l D_l U^T (D_l diagonal > 0), (8) becomes
       W_bar_l' = D_l (Lxy - W_bar[1:L] Lxx) W_bar[1:l-1]^T, l in [L] (D_L = I).""",
    Statement({"flow": Part(printed_eq9, "(9)", "(W_bars, Ds, Lxx, Lxy) -> [W_bar_l']"),
               "feedback": Part(printed_feedback, "Section 3", "(Bs, l) -> M_l")}),
    FLOW,
    (Check("(8) -> (9)", _eq9_check, samples=2, key="eq9/rot"),
     Check("M_l = R_l D_l U^T come from legitimate feedback matrices", _eq9_feedback,
           samples=4)),
    uses=("prop4",), cost=1.0))


# --- (10): the rescaling and the decoupling ------------------------------------------------------
@lru_cache(maxsize=16)
def _rescale_setup(L: int, diagonal: bool) -> dict:
    """Symbolic 2 x 2 instances of (9) (s_i = Lxx_ii^(1/2) > 0), as matrices over the field
    QQ(symbols), and the true derivatives of the rescaled variables."""
    s = [sp.Symbol(f"s{i}", positive=True) for i in range(N10)]
    S_s = sp.diag(*s)
    Wb_s = [sym_matrix(f"a{l}_", N10, N10, diagonal) for l in range(1, L + 1)]
    Ds_s = [sp.diag(*[sp.Symbol(f"D{l}_{i}", positive=True) for i in range(N10)])
            for l in range(1, L)]
    Lxy_s = sp.diag(*[sp.Symbol(f"l{i}", positive=True) for i in range(N10)])
    F = _ring(S_s, Lxy_s, *Wb_s, *Ds_s, field=True)
    P = lambda m: PM.of(m, F)                                              # noqa: E731
    S, Wb, Ds, Lxy = P(S_s), [P(m) for m in Wb_s], [P(m) for m in Ds_s], P(Lxy_s)
    true = printed_eq9(Wb, Ds, S @ S, Lxy)
    Wt = [Wb[0] @ S] + Wb[1:L - 1] + [S @ Wb[L - 1]]
    derivs = [true[0] @ S] + true[1:L - 1] + [S @ true[L - 1]]
    return dict(s=s, S=S, Wb=Wb_s, Ds_s=Ds_s, Ds=Ds, Lxy=Lxy_s, Lt=S @ Lxy @ S.inv(), Wt=Wt,
                true=derivs)


def _rescale_subs(st: dict, p: Mapping[str, Any], L: int, diagonal: bool) -> dict:
    sub = {}
    for i, si in enumerate(st["s"]):
        sub[si] = sp.sqrt(p["Lxx"][i, i])
        sub[st["Lxy"][i, i]] = p["Lxy"][i, i]
        for l in range(1, L):
            sub[st["Ds_s"][l - 1][i, i]] = p[f"D{l}"][i, i]
    for l in range(1, L + 1):
        W = p[f"W{l}"]
        for i in range(N10):
            for j in range(N10):
                e = st["Wb"][l - 1][i, j]
                if e != 0:
                    sub[e] = W[i, j] if not diagonal or i == j else 0
    return sub


LAYER_GROUPS = {"first": lambda L: [0], "middle": lambda L: list(range(1, L - 1)),
                "last": lambda L: [L - 1]}


def _rescale_check(name: str, group: str, diagonal: bool, use_general_first: bool = False
                   ) -> Check:
    """The layers of ``group`` of the statement's (10) (D_l~ = D_l Lxx^(p_l)) against the true
    derivative of the rescaled variables (from (9)), at L = 3, 4 (or the user's L): proven
    exactly over QQ(symbols) for all (diagonal) matrices, else an exact nonzero residual at a
    point."""
    what = "W_l~' from (9) minus (10)"

    def fn(statement, points, run):
        depths = DEPTHS_SYMBOLIC if run.at is None else (int(run.at["L"]),)
        depths = [L for L in depths if LAYER_GROUPS[group](L)]
        if not depths:
            return []
        for L in depths:
            st = _rescale_setup(L, diagonal)
            S = st["S"]
            pw = statement["d_powers"](L)
            Dts = [(st["Ds"][l] @ S ** int(2 * pw[l])) if l < L - 1 else S ** int(2 * pw[l])
                   for l in range(L)]
            got = statement["flow10"](st["Wt"], Dts, st["Lt"])
            if use_general_first and group == "first":
                got = [statement["first_layer"](st["Wt"], st["Ds"][0], S, st["Lt"])] + got[1:]
            for l in LAYER_GROUPS[group](L):
                diff = st["true"][l] - got[l]
                if diff.is_zero():
                    continue
                residual = diff.to_Matrix()
                if run.at is not None:            # the user's point: decided there, exactly
                    value = residual.xreplace(_rescale_subs(st, run.at, L, diagonal)).applyfunc(
                        sp.radsimp)
                    if all(v == 0 for v in value):
                        continue
                for p in [q for q in points if int(q["L"]) == L]:
                    value = residual.xreplace(_rescale_subs(st, p, L, diagonal)).applyfunc(
                        sp.radsimp)
                    rational = all(v.is_Rational for v in value)
                    nonzero = (any(v != 0 for v in value) if rational else
                               any(certify_sign(v, {}) in (1, -1) for v in value))
                    if nonzero:
                        ev = Evidence.EXACT if rational else Evidence.BALL
                        cx = dict(p)
                        if diagonal:
                            for k in range(1, L + 1):
                                W = p[f"W{k}"]
                                cx[f"W{k}"] = sp.diag(*[W[i, i] for i in range(N10)])
                        return failed(name, ev, what, Counterexample.of(
                            cx, f"{what} != 0 (layer {l + 1})",
                            {"residual": str(value.tolist())}, ev), points=len(points))
                return undecided(name, Evidence.EXACT, what, points=len(points),
                                 note=f"layer {l + 1}, L = {L}: the residual is not 0, and no "
                                      "point of depth L separated it from 0")
        if run.at is not None:
            return passed(name, Evidence.EXACT, what, points=1, note=f"at the point, L = {L}")
        return passed(name, Evidence.SYMBOLIC, what, note="L = " + ", ".join(map(str, depths)))
    return Check(name, fn, samples=20)


def _decoupling(statement, points, run) -> list[CheckResult]:
    """With diagonal W_l~ and D_l~ the flow before (10) is diagonal and its i-th entries are the
    scalar system (10) with d_l = (D_l~)_ii, lam = (L~xy)_ii (model: deep_flow(L).field)."""
    rng = run.rng("eq10/decouple")
    out = []
    depths = DEPTHS_SYMBOLIC if run.at is None else (int(run.at["L"]),)
    for L in depths:
        n = 2
        Ws = [sym_matrix(f"a{l}_", n, n, True) for l in range(1, L + 1)]
        Dts = [sp.diag(*[sp.Symbol(f"D{l}_{i}", positive=True) for i in range(n)])
               for l in range(1, L)]
        Lt = sp.diag(*[sp.Symbol(f"l{i}", positive=True) for i in range(n)])
        f = statement["flow10"](Ws, Dts, Lt)
        flow = deep_flow(L)
        parts = []
        for i in range(n):
            sub = {s: Ws[l][i, i] for l, s in enumerate(flow.state)}
            sub.update({s: Dts[l][i, i] for l, s in enumerate(flow.params[:-1])})
            sub[Y.lam] = Lt[i, i]
            for l in range(L):
                parts.append(identity_check(f"L = {L}, entry {i}, layer {l + 1}",
                                            f[l][i, i] - flow.field[l].xreplace(sub), rng))
        off = [f[l][i, j] for l in range(L) for i in range(n) for j in range(n) if i != j]
        parts.append(identity_check(f"L = {L}: off-diagonal derivatives vanish",
                                    sp.Add(*[e**2 for e in off]), rng))
        out.append(check_all(f"L = {L}: diagonal flow decouples into (10)", parts))
    return out


def _corrected_matrix_flow(statement) -> Callable:
    return statement["d_powers"]


EQ10_CHECKS = (
    _rescale_check("middle layers, diagonal weights", "middle", True),
    _rescale_check("middle layers, general matrices", "middle", False),
    _rescale_check("first layer, general matrices", "first", False),
    _rescale_check("first layer, diagonal weights", "first", True),
    _rescale_check("last layer, general matrices", "last", False),
    Check("diagonal flow decouples into (10)", _decoupling, samples=0))

register(Claim(
    "eq10", "Rescaling by Lxx^(1/2) and decoupling into scalar systems", "Section 3, eq. (10)",
    """With W_1~ = W_bar_1 Lxx^(1/2), W_L~ = Lxx^(1/2) W_bar_L, D_l~ = D_l Lxx^(1/2) and
       L~xy = Lxx^(1/2) Lxy Lxx^(-1/2), (9) becomes W_l~' = D_l~ (L~xy - W~[1:L]) W~[1:l-1]^T; for
       diagonal W_l~(0) the system decouples: theta_l' = d_l (lam - theta_L ... theta_1)
       theta_{l-1} ... theta_1 for each entry i <= k = min(d, h_1, ..., o).""",
    Statement({"flow10": Part(printed_eq10_flow, "(10)", "(W~s, D~s, L~) -> [W_l~']"),
               "d_powers": Part(printed_d_powers, "(10)", "L -> the powers p_l in D_l~ = D_l "
                                                          "Lxx^(p_l)"),
               "first_layer": Part(None, "", "the first layer's general form (correction)")}),
    RESCALE, EQ10_CHECKS,
    correction=Correction(
        "the rescaled flow keeps the form of (10) with D_1~ = D_1 Lxx^(1/2), "
        "D_l~ = D_l Lxx^(-1/2) for 1 < l < L and D_L~ = I (so d_L = 1 still); the middle and last "
        "layers hold for all matrices, the first only for diagonal weights (in general "
        "W_1~' = D_1 Lxx^(-1/2) (L~xy - W~[1:L]) Lxx, as Section 2's (5)); a single power of "
        "Lxx for every layer is wrong for L >= 3 even for diagonal weights.",
        {"d_powers": corrected_d_powers, "first_layer": corrected_first_layer},
        (_rescale_check("corrected first layer W_1~' = D_1 S^-1 (L~ - W~[1:L]) S^2, general "
                        "matrices", "first", False, use_general_first=True),
         _rescale_check("first layer, diagonal weights", "first", True),
         _rescale_check("middle layers, general matrices", "middle", False),
         _rescale_check("last layer, general matrices", "last", False),
         Check("diagonal flow decouples into (10)", _decoupling, samples=0),
         _matrix_flow_check("matrix flow (8) follows (10) with the corrected d_l",
                            _corrected_matrix_flow))),
    notes=("reading: W_1~ = W_bar_1 Lxx^(1/2), W_L~ = Lxx^(1/2) W_bar_L, L~xy = Lxx^(1/2) Lxy "
           "Lxx^(-1/2) as in Section 2's (5); the OCR of D_l~ ('D'Λ-x1/2') admits D_l Lxx^(1/2) "
           "(Section 2's reading, checked as printed) and D_l Lxx^(-1/2) (a mutant): each is "
           "right for some layers only.",),
    uses=("eq9", "eq5"), cost=2.0))
