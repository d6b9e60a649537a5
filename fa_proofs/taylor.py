"""A batched high-order Taylor integrator for polynomial vector fields.

The flows of the paper are polynomials in the state, so the Taylor coefficients of a solution
follow from the state by a recurrence (automatic differentiation of series): if ``x(t0 + s) =
sum_k x_k s^k`` then a product ``u v`` has the coefficients ``(u v)_k = sum_{j<=k} u_j v_{k-j}``
(a Cauchy product), a linear combination has the linear combination of the coefficients, and
``x_{k+1} = f_k / (k + 1)`` for ``x' = f(x)``.  :func:`polynomial_field` compiles the SymPy
expression of a field (the one definition in :mod:`fa_proofs.model`) into such a recurrence: a
straight-line list of Cauchy products and linear combinations, sharing every repeated
subexpression (for (10): the prefix products theta_1 ... theta_l and the residual
``lam - theta_1 ... theta_L`` once each).  Coefficients that depend on the parameters only are
compiled by :data:`fa_proofs.arith.FLOAT`.

:func:`integrate_taylor` runs the recurrence for many trajectories at once, vectorised over the
trajectories in NumPy, with the same call shape and result as
:func:`fa_proofs.simulate.integrate_batch`.  Each trajectory has its own step size, chosen from
the tail of its series (Jorba and Zou, Experiment. Math. 14 (2005) 99-117): with the tolerance
``tol_i = atol_i + rtol |x_i(t)|`` of component ``i``,

    h = safety * min_i min( (tol_i / |x_{i,p-1}|)^(1/(p-1)), (tol_i / |x_{i,p}|)^(1/p) ),

so the last terms of the series are about ``tol``; the step never exceeds the radius of
convergence the coefficients show, which keeps it stable where the field is stiff (the step then
shrinks like ``1/|Jacobian|``, not to a fixed tiny size).  There are no rejected steps: a step
is accepted as soon as its coefficients are known.  Every trajectory lands exactly on each output
time (its step is clipped to it).  A trajectory whose coefficients or state are not finite, whose
step underflows (a finite-time blow-up), or that needs more than ``max_steps`` steps is marked
failed, and its outputs after the failure are NaN -- never an extrapolated value.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import numpy as np
import sympy as sp

from .errors import UsageError
from .simulate import BatchSolution, _validate

__all__ = ["PolynomialField", "polynomial_field", "integrate_taylor", "default_order"]

# Finished/failed trajectories are dropped from the working arrays once they make up at least
# this fraction of the active set (until then they ride along, masked out).
_COMPACT_FRACTION = 0.125
_SAFETY = 0.9
# A step is at most this multiple of the previous one (of the first estimate |x|/|x'| for the
# first step): the tail of a series can vanish where the solution is not a polynomial (from
# theta = 0, theta_1 = t + O(t^64) for L = 6), and would otherwise allow any step.
_MAX_GROWTH = 10.0
# A step shorter than this fraction of |t| (about 10 ulps) underflows: the trajectory fails.
_TINY = 10.0 * 2.0**-52
_MAX_ORDER = 60


@dataclass(frozen=True)
class _Lin:
    """``dst_k = sum_i w_i src_i,k (+ const if k == 0)``; weights and const index into the
    parameter-only expressions (``None``: weight 1 / no constant)."""

    dst: int
    terms: tuple[tuple[int | None, int], ...]
    const: int | None


@dataclass(frozen=True)
class _Mul:
    """``dst_k = sum_{j<=k} a_j b_{k-j}`` (a Cauchy product)."""

    dst: int
    a: int
    b: int


@dataclass(frozen=True)
class PolynomialField:
    """The Taylor recurrence of ``state' = field(state; params)``, a polynomial in the state.

    ``n_nodes`` series are kept per trajectory: the state variables are nodes ``0..n_vars-1``;
    ``ops`` computes every other node's coefficient ``k`` from coefficients ``<= k`` (in
    order); ``rhs[i]`` is the node holding component ``i`` of the field (-1 for a component
    in ``squares``); ``consts`` are the parameter-only SymPy expressions that ops refer to.

    ``squares`` holds ``(i, j, c)`` for a component whose field is ``2 c x_j x_j'`` (c
    parameter-only, j < i): then ``x_i = c x_j^2 + const`` along every solution, and its
    coefficient ``k + 1`` is ``c (x_j^2)_{k+1}``, a Cauchy square (half a product), computed
    after ``x_j``'s.  For (10), theta_{l+1}' = (d_{l+1}/d_l) theta_l theta_l' (the first
    integrals of the flow), so L - 1 squares replace L - 1 products.
    """

    field: tuple[sp.Expr, ...]
    state: tuple[sp.Symbol, ...]
    params: tuple[sp.Symbol, ...]
    n_nodes: int
    ops: tuple[Any, ...]
    rhs: tuple[int, ...]
    consts: tuple[sp.Expr, ...]
    squares: tuple[tuple[int, int, int | None], ...] = ()

    @property
    def n_vars(self) -> int:
        return len(self.state)

    @property
    def n_products(self) -> int:
        """Cauchy products per order (the cost of one step is about ``(n_products +
        n_squares / 2) p^2 / 2`` multiply-adds per trajectory)."""
        return sum(isinstance(op, _Mul) for op in self.ops)

    @property
    def n_squares(self) -> int:
        """Components computed as Cauchy squares (see ``squares``)."""
        return len(self.squares)

    def constant_values(self, args: Sequence[Any]) -> list[Any]:
        """The parameter-only expressions at ``args`` (floats or per-trajectory arrays)."""
        if not self.consts:
            return []
        from .arith import FLOAT
        out = FLOAT.compile(self.consts, self.params)(*args)
        return [float(v) if np.ndim(v) == 0 else np.asarray(v, dtype=float) for v in out]


def polynomial_field(field: Sequence[Any], state: Sequence[sp.Symbol],
                     params: Sequence[sp.Symbol] = ()) -> PolynomialField:
    """Compile the polynomial vector field ``field`` (SymPy expressions in ``state`` with
    coefficients in ``params``) into its Taylor recurrence.  A field that is not a polynomial in
    the state (a division by, a root or a function of a state variable), or with a free symbol
    that is neither state nor parameter, is a :class:`UsageError`."""
    try:
        exprs = tuple(sp.sympify(e) for e in field)
    except (sp.SympifyError, TypeError) as exc:
        raise UsageError(f"not a SymPy field: {exc}") from None
    return _compile(exprs, tuple(state), tuple(params))


@lru_cache(maxsize=64)
def _compile(exprs: tuple, state: tuple, params: tuple) -> PolynomialField:
    if len(exprs) != len(state) or not state:
        raise UsageError(f"the field has {len(exprs)} components for {len(state)} state "
                         f"variables")
    if len(set(state)) != len(state) or set(state) & set(params):
        raise UsageError("state variables and parameters must be distinct symbols")
    allowed = set(state) | set(params)
    for e in exprs:
        extra = e.free_symbols - allowed
        if extra:
            raise UsageError(f"the field component {e} has free symbols "
                             f"{sorted(map(str, extra))} that are neither state nor parameters")
    state_set = set(state)
    consts: list[sp.Expr] = []
    const_index: dict[sp.Expr, int] = {}
    ops: list[Any] = []
    memo: dict[sp.Expr, int] = {s: i for i, s in enumerate(state)}
    products: dict[tuple[int, int], int] = {}
    n_nodes = [len(state)]

    def const(e: sp.Expr) -> int:
        """Index of a parameter-only expression."""
        if e not in const_index:
            const_index[e] = len(consts)
            consts.append(e)
        return const_index[e]

    def weight(e: sp.Expr) -> int | None:
        """A factor: None for 1, else its constant index."""
        return None if e == 1 else const(e)

    def new_node() -> int:
        n_nodes[0] += 1
        return n_nodes[0] - 1

    def is_const(e: sp.Expr) -> bool:
        return not (e.free_symbols & state_set)

    def mul(a: int, b: int) -> int:
        key = (min(a, b), max(a, b))
        if key not in products:
            dst = new_node()
            ops.append(_Mul(dst, key[0], key[1]))
            products[key] = dst
        return products[key]

    def power(a: int, n: int) -> int:
        if n == 1:
            return a
        half = power(a, n // 2)
        sq = mul(half, half)
        return mul(sq, a) if n % 2 else sq

    def split(e: sp.Expr) -> tuple[sp.Expr, int]:
        """``e = c * s``: the parameter-only factor c and the node of the rest."""
        if e.is_Mul:
            c = sp.Mul(*[f for f in e.args if is_const(f)])
            rest = sp.Mul(*[f for f in e.args if not is_const(f)])
            return c, build(rest)
        return sp.Integer(1), build(e)

    def build(e: sp.Expr) -> int:
        if e in memo:
            return memo[e]
        if is_const(e):
            dst = new_node()
            ops.append(_Lin(dst, (), None if e == 0 else const(e)))
        elif e.is_Add:
            c0 = sp.Add(*[a for a in e.args if is_const(a)])
            terms = []
            for a in e.args:
                if not is_const(a):
                    w, node = split(a)
                    terms.append((weight(w), node))
            dst = new_node()
            ops.append(_Lin(dst, tuple(terms), None if c0 == 0 else const(c0)))
        elif e.is_Mul:
            c = sp.Mul(*[f for f in e.args if is_const(f)])
            factors: list[int] = []
            for f in e.args:
                if not is_const(f):
                    factors.append(build(f))
            node = factors[0]
            for other in factors[1:]:
                node = mul(node, other)
            if c == 1:
                memo[e] = node
                return node
            dst = new_node()
            ops.append(_Lin(dst, ((weight(c), node),), None))
        elif e.is_Pow and e.exp.is_Integer and int(e.exp) >= 1:
            memo[e] = power(build(e.base), int(e.exp))
            return memo[e]
        else:
            raise UsageError(f"not a polynomial in the state {tuple(map(str, state))}: {e}")
        memo[e] = dst
        return dst

    # components that are 2 c x_j x_j' (j < i): x_i = c x_j^2 + const, a Cauchy square
    derived: dict[int, tuple[int, sp.Expr]] = {}
    for i, e in enumerate(exprs):
        for j in range(i):
            if exprs[j] == 0 or e == 0:
                continue
            ratio = sp.cancel(e / (state[j] * exprs[j]))
            if ratio != 0 and is_const(ratio) and not ratio.free_symbols - set(params):
                derived[i] = (j, ratio / 2)
                break
    rhs = tuple(-1 if i in derived else build(e) for i, e in enumerate(exprs))
    squares = tuple((i, j, weight(c)) for i, (j, c) in sorted(derived.items()))
    return PolynomialField(exprs, state, params, n_nodes[0], tuple(ops), rhs, tuple(consts),
                           squares)


def default_order(rtol: float) -> int:
    """Jorba and Zou's order for a tolerance: about -ln(tol)/2 + 1, at least 8, at most 30."""
    return int(min(30, max(8, np.ceil(-0.5 * np.log(rtol) + 1))))


_FAILURES = {1: "max_steps", 2: "non-finite", 3: "step underflow"}


def integrate_taylor(field: PolynomialField, y0: np.ndarray, t_eval: np.ndarray,
                     args: Sequence[Any] = (), *, rtol: float = 1e-10, atol: float = 1e-12,
                     order: int | None = None, max_steps: int = 200_000,
                     backend: str = "auto") -> BatchSolution:
    """Integrate ``n_traj`` trajectories of the polynomial field ``field`` with a Taylor method.

    Parameters
    ----------
    field : PolynomialField
        From :func:`polynomial_field` (or ``Flow.taylor()``).
    y0 : array, shape (n_vars, n_traj)
        Initial states (real).
    t_eval : 1-D array, strictly increasing
        Output times; the integration starts at ``t_eval[0]`` and every trajectory lands
        exactly on each of them.
    args : sequence
        The values of ``field.params``, in order: scalars (shared) or arrays of shape
        ``(n_traj,)``.
    rtol, atol : float
        Tolerance for the last terms of each step's series, ``atol + rtol |x_i|`` for component
        ``i`` at the start of the step (``atol`` > 0, a scalar or of shape ``(n_vars,)``).
    order : int, optional
        Degree ``p`` of the Taylor polynomials (2 to 60); by default :func:`default_order`.
    max_steps : int
        Steps allowed per trajectory; one that needs more is marked failed.
    backend : "auto", "c" or "numpy"
        "c": the compiled kernel (:mod:`fa_proofs.taylor_kernel`; a :class:`UsageError` if it
        cannot be built); "numpy": vectorised NumPy; "auto": the kernel when a C compiler is
        available, else NumPy.  Both run the same recurrence and step-size rule; they agree up
        to rounding.

    Returns
    -------
    BatchSolution
        ``n_steps`` counts the accepted steps, ``n_rejected`` the retries after an overflow of
        the series (rare: the coefficients are scaled by the expected step), ``h_min`` each
        trajectory's smallest step that was not clipped to an output time (NaN if none).
        A failed trajectory (``success`` False) has NaN at the output times it did not reach.
    """
    if not isinstance(field, PolynomialField):
        raise UsageError("field must be a PolynomialField (fa_proofs.taylor.polynomial_field)")
    if len(args) != len(field.params):
        raise UsageError(f"the field has parameters {tuple(map(str, field.params))}: "
                         f"{len(field.params)} args expected, got {len(args)}")
    y0, t_eval, full_args, rtol, atol, max_steps, _ = _validate(
        y0, t_eval, args, rtol, atol, max_steps, None)
    n_vars, n_traj = y0.shape
    if n_vars != field.n_vars:
        raise UsageError(f"y0 has {n_vars} rows for {field.n_vars} state variables")
    if not np.all(atol > 0):
        raise UsageError("atol must be > 0 for the Taylor method (a purely relative tolerance "
                         "is undefined at a zero component)")
    p = default_order(rtol) if order is None else order
    if isinstance(p, bool) or not isinstance(p, (int, np.integer)) or not 2 <= p <= _MAX_ORDER:
        raise UsageError(f"order must be an integer in [2, {_MAX_ORDER}], got {order!r}")
    if backend not in ("auto", "c", "numpy"):
        raise UsageError(f"backend must be 'auto', 'c' or 'numpy', got {backend!r}")
    p = int(p)
    m = t_eval.size
    y_out = np.full((m, n_vars, n_traj), np.nan)
    y_out[0] = y0
    status = np.zeros(n_traj, dtype=np.int32)
    n_steps = np.zeros(n_traj, dtype=np.int64)
    n_rejected = np.zeros(n_traj, dtype=np.int64)
    h_min = np.full(n_traj, np.inf)

    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        consts = np.empty((max(len(field.consts), 1), n_traj))
        consts[:] = 0.0
        for c, v in enumerate(field.constant_values(full_args)):
            consts[c] = v
        ok0 = np.isfinite(y0).all(axis=0) & np.isfinite(consts).all(axis=0)
        status[~ok0] = 2
        traj = np.nonzero(ok0)[0].astype(np.int64)
        if m > 1 and traj.size:
            fn = None
            if backend != "numpy":
                from .taylor_kernel import kernel
                fn = kernel(field, p)
                if fn is None and backend == "c":
                    raise UsageError("the compiled Taylor kernel is not available (no working "
                                     "C compiler, or FA_PROOFS_NO_CC is set)")
            atol_v = np.ascontiguousarray(np.broadcast_to(atol.reshape(-1), (n_vars,)),
                                          dtype=float)
            if fn is not None:
                from .taylor_kernel import run
                run(fn, traj, p, np.ascontiguousarray(y0), np.ascontiguousarray(t_eval), consts,
                    rtol, atol_v, max_steps, y_out, status,
                    n_steps, n_rejected, h_min)
            else:
                _run_numpy(field, traj, p, y0, t_eval, consts, rtol, atol_v, max_steps, y_out,
                           status, n_steps, n_rejected, h_min)

    success = status == 0
    h_min[~np.isfinite(h_min)] = np.nan
    n_bad = int(np.count_nonzero(~success))
    if n_bad == 0:
        message = f"all {n_traj} trajectories reached t = {t_eval[-1]:g}"
    else:
        counts = {name: int(np.count_nonzero(status == code))
                  for code, name in _FAILURES.items()}
        detail = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
        message = f"{n_traj - n_bad} of {n_traj} trajectories succeeded; failed: {detail}"
    return BatchSolution(t_eval, y_out, success, n_steps, message, h_min=h_min,
                         n_rejected=n_rejected)


def _run_numpy(field: PolynomialField, traj: np.ndarray, p: int, y0: np.ndarray,
               t_eval: np.ndarray, consts: np.ndarray, rtol: float, atol: np.ndarray,
               max_steps: int, y_out: np.ndarray, status: np.ndarray, n_steps: np.ndarray,
               n_rejected: np.ndarray, h_min: np.ndarray) -> None:
    """The NumPy backend: all active trajectories step in lock-step iterations (each with its
    own step size); finished ones are dropped from the working arrays.  Same algorithm as the
    kernel (:mod:`fa_proofs.taylor_kernel`): coefficients scaled by a provisional step ``hs``
    (``X[i, k] = x_{i,k} hs^k``, finite however fast the field is), the step ``sigma hs``."""
    n_vars = field.n_vars
    m = t_eval.size
    span = float(t_eval[-1] - t_eval[0])
    act = traj
    n = act.size
    X = np.zeros((field.n_nodes, p + 1, n))
    X[:n_vars, 0] = y0[:, act]
    cv = consts[:, act]
    t = np.full(n, t_eval[0])
    idx = np.ones(n, dtype=np.intp)          # index of the next output time
    t_next = np.full(n, t_eval[1])
    steps = np.zeros(n, dtype=np.int64)
    rej = np.zeros(n, dtype=np.int64)
    hmin = np.full(n, np.inf)
    hs = np.zeros(n)                         # provisional step (0: not set yet)
    code = np.full(n, -1, dtype=np.int32)    # -1 running, else the final status
    n_dead = 0
    atol_col = atol.reshape(n_vars, 1)
    inv = [1.0 / (k + 1) for k in range(p)]
    ops, rhs, squares = field.ops, field.rhs, field.squares
    e_hi, e_lo = 1.0 / p, 1.0 / (p - 1)

    while n > 0:
        # -- the scaled coefficients, order by order
        for k in range(p):
            for op in ops:
                if type(op) is _Mul:
                    np.einsum("jn,jn->n", X[op.a, : k + 1], X[op.b, k::-1], out=X[op.dst, k])
                    continue
                out = X[op.dst, k]
                if not op.terms:
                    out[...] = cv[op.const] if (k == 0 and op.const is not None) else 0.0
                    continue
                (w, src), rest = op.terms[0], op.terms[1:]
                if w is None:
                    out[...] = X[src, k]
                else:
                    np.multiply(X[src, k], cv[w], out=out)
                for w, src in rest:
                    out += X[src, k] if w is None else X[src, k] * cv[w]
                if k == 0 and op.const is not None:
                    out += cv[op.const]
            new = ~(hs > 0) if k == 0 else None
            # a new trajectory (no provisional step yet) gets x_1 = f(x_0) unscaled first
            hk = (np.where(new, 1.0, hs) if k == 0 else hs) * inv[k]
            for i, node in enumerate(rhs):
                if node >= 0:
                    np.multiply(X[node, k], hk, out=X[i, k + 1])
            for i, j, c in squares:            # x_i = c x_j^2 + const
                k1 = k + 1                     # (x_j^2)_{k1}, its end terms last
                acc = np.einsum("jn,jn->n", X[j, 1:(k1 + 1) // 2], X[j, k1 - 1:k1 // 2:-1])
                acc *= 2.0
                if k1 % 2 == 0:
                    acc += X[j, k1 // 2] * X[j, k1 // 2]
                acc += 2.0 * X[j, 0] * X[j, k1]
                X[i, k1] = acc if c is None else acc * cv[c]
            if k == 0 and new.any():   # the time in which the state changes by its own size
                f0 = np.abs(X[:n_vars, 1][:, new]).max(axis=0)
                x0 = np.abs(X[:n_vars, 0][:, new]).max(axis=0) + atol.max()
                q = x0 / f0
                hs[new] = np.where(q < span, q, span)
                X[:n_vars, 1, new] *= hs[new]

        # -- the step from the last two coefficients (a zero coefficient sets no limit)
        running = code < 0
        tol = np.abs(X[:n_vars, 0]) * rtol + atol_col
        sig = np.min((tol / np.abs(X[:n_vars, p - 1])) ** e_lo, axis=0)
        np.minimum(sig, np.min((tol / np.abs(X[:n_vars, p])) ** e_hi, axis=0), out=sig)
        sig *= _SAFETY
        np.minimum(sig, _MAX_GROWTH, out=sig)
        hfull = sig * hs
        gap = t_next - t
        land = ~(hfull < gap)
        sig = np.where(land, gap / hs, sig)

        # -- the new state (Horner) and time
        y_new = X[:n_vars, p].copy()
        for k in range(p - 1, -1, -1):
            y_new *= sig
            y_new += X[:n_vars, k]
        t_new = np.where(land, t_next, t + hfull)
        tiny = _TINY * np.abs(t)
        finite = (np.isfinite(y_new).all(axis=0) & ~np.isnan(X[:n_vars, p - 1:]).any(axis=(0, 1)))
        retry = running & ~finite & (hs * 1e-3 > tiny)         # overflow: a smaller hs
        hs[retry] *= 1e-3
        rej += retry
        under = ~land & ~(t_new - t > tiny)
        ok = running & finite & ~under
        for bad, c in ((running & ~finite & ~retry, 2), (running & finite & under, 3)):
            if bad.any():
                code[bad] = c
                n_dead += int(np.count_nonzero(bad))
        np.copyto(X[:n_vars, 0], y_new, where=ok)
        t = np.where(ok, t_new, t)
        steps += ok
        np.minimum(hmin, np.where(ok & ~land, hfull, np.inf), out=hmin)
        hs = np.where(ok, np.minimum(hfull, span), hs)

        # -- output times reached
        hit = np.nonzero(ok & land)[0]
        if hit.size:
            y_out[idx[hit], :, act[hit]] = X[:n_vars, 0, hit].T
            idx[hit] += 1
            done = hit[idx[hit] == m]
            if done.size:
                code[done] = 0
                n_dead += done.size
            t_next[hit] = t_eval[np.minimum(idx[hit], m - 1)]

        over = (code < 0) & (steps >= max_steps)
        if over.any():
            code[over] = 1
            n_dead += int(np.count_nonzero(over))

        # -- drop finished/failed trajectories from the working set
        if n_dead and (n_dead == n or n_dead >= _COMPACT_FRACTION * n):
            gone = code >= 0
            status[act[gone]], n_steps[act[gone]] = code[gone], steps[gone]
            n_rejected[act[gone]], h_min[act[gone]] = rej[gone], hmin[gone]
            keep = np.nonzero(~gone)[0]
            X = np.ascontiguousarray(X[:, :, keep])
            cv = np.ascontiguousarray(cv[:, keep])
            act, t, idx, t_next = act[keep], t[keep], idx[keep], t_next[keep]
            steps, rej, hmin, hs, code = steps[keep], rej[keep], hmin[keep], hs[keep], code[keep]
            n, n_dead = act.size, 0
