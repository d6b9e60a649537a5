"""The compiled backend of :func:`fa_proofs.taylor.integrate_taylor`: the same recurrence and the
same step-size rule, generated as C from a :class:`~fa_proofs.taylor.PolynomialField` and
compiled once per field with the system's C compiler (``$CC``, else ``cc``) into a per-user
cache, then called through :mod:`ctypes`.

The kernel keeps ``LANES`` trajectories in flight side by side (the coefficient arrays are laid
out ``[node][order][lane]``, so every inner loop runs over the lanes and the compiler vectorises
it); each lane takes the next pending trajectory as soon as its own is finished or failed, so
the lanes never wait for one another.  Lanes never mix: each trajectory's arithmetic is the same
whichever lane runs it and whatever else is in the batch.  No fast-math: NaN and infinity
propagate as in NumPy, and a non-finite state is a reported failure.

If there is no compiler, or compiling fails, :func:`kernel` returns ``None`` and the NumPy
backend is used instead (same results up to rounding).
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import shutil
import subprocess
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["LANES", "UNROLL_MAX", "c_source", "kernel", "cache_dir"]

LANES = 8
# Orders up to this get a kernel of their own with the recurrence unrolled (its code grows like
# order^2 times the Cauchy products); higher orders share the looped kernel.
UNROLL_MAX = 24
_STATUS = {1: "max_steps", 2: "non-finite", 3: "step underflow"}
_LOCK = threading.Lock()


def c_source(field: Any, order: int | None = None) -> str:
    """C source of the kernel for ``field`` (a PolynomialField).  With ``order`` the Taylor
    order is a compile-time constant and the recurrence is fully unrolled (every index a
    constant: no loop overhead, no address arithmetic); the kernel then refuses another order.
    Without it, one kernel serves every order (loops over the order)."""
    from .taylor import _MAX_GROWTH, _TINY, _Lin, _Mul, _SAFETY
    nv, nn, nc = field.n_vars, field.n_nodes, len(field.consts)
    body: list[str] = []
    emit = body.append

    def X(node: int, k: str) -> str:
        return f"X[{node} * P1 + {k}]"

    # The middle terms sum_{j=1..k-1} a_j b_{k-j} of every Cauchy product use coefficients of
    # orders < k only: one loop over j computes them all first, loading each operand once per
    # j (each product oriented so that operands are shared: for (10), err * P_l and
    # theta_{l+1} * P_l both read P_l[k-j]); then the products are finished in dependency
    # order with their two end terms a_0 b_k + a_k b_0.
    muls = [op for op in field.ops if isinstance(op, _Mul)]
    sides = _orient([(op.a, op.b) for op in muls])
    if muls:
        emit("            /* the middle terms of every Cauchy product */")
        emit("            " + " ".join(f"m{i} = zero;" for i in range(len(muls))))
        emit("            for (j = 1; j < k; j++) {")
        u_nodes = sorted({u for u, _ in sides})
        v_nodes = sorted({v for _, v in sides})
        for u in u_nodes:
            emit(f"                const vd u{u} = {X(u, 'j')};")
        for v in v_nodes:
            emit(f"                const vd v{v} = {X(v, 'k - j')};")
        for i, (u, v) in enumerate(sides):
            emit(f"                m{i} += u{u} * v{v};")
        emit("            }")
    index = {id(op): i for i, op in enumerate(muls)}
    # a linear combination read by nothing but one component of the field is folded into that
    # component's update (never stored)
    used = [src for op in field.ops for src in
            ((op.a, op.b) if isinstance(op, _Mul) else tuple(s for _, s in op.terms))]
    folded = {op.dst: op for op in field.ops if isinstance(op, _Lin) and op.terms
              and op.dst not in used and list(field.rhs).count(op.dst) == 1}

    def lin_expr(op) -> str:
        return " + ".join((f"C[{wt}] * " if wt is not None else "") + X(src, "k")
                          for wt, src in op.terms)

    for op in field.ops:
        if isinstance(op, _Lin) and op.dst in folded:
            continue
        if isinstance(op, _Mul):
            i = index[id(op)]
            a0, b0, ak, bk = X(op.a, "0"), X(op.b, "0"), X(op.a, "k"), X(op.b, "k")
            emit(f"            /* node {op.dst} = node {op.a} * node {op.b} (Cauchy product) */")
            emit(f"            {X(op.dst, 'k')} = k ? m{i} + {a0} * {bk} + {ak} * {b0} "
                 f": {a0} * {b0};")
        elif isinstance(op, _Lin):
            terms = [(f"C[{wt}] * " if wt is not None else "") + X(src, "k")
                     for wt, src in op.terms]
            emit(f"            /* node {op.dst}: linear combination */")
            if terms:
                emit(f"            {X(op.dst, 'k')} = {' + '.join(terms)};")
                if op.const is not None:
                    emit(f"            if (k == 0) {X(op.dst, '0')} += C[{op.const}];")
            else:
                value = f"C[{op.const}]" if op.const is not None else "zero"
                emit(f"            {X(op.dst, 'k')} = (k == 0) ? {value} : zero;")
        else:                                  # pragma: no cover - no other op kinds
            raise TypeError(op)
    accs = ("    vd " + ", ".join(f"m{i}" for i in range(len(muls))) + ";") if muls else ""
    if order is not None:
        accs = ""
    order_k = "\n".join(body)
    updates = []
    for i, node in enumerate(field.rhs):
        if node in folded:
            op = folded[node]
            if op.const is not None:
                updates.append(f"            {X(i, 'k + 1')} = ({lin_expr(op)} + (k == 0 ? "
                               f"C[{op.const}] : zero)) * hk;")
            else:
                updates.append(f"            {X(i, 'k + 1')} = ({lin_expr(op)}) * hk;")
        elif node >= 0:
            updates.append(f"            {X(i, 'k + 1')} = {X(node, 'k')} * hk;")
    for i, j, c in field.squares:
        # x_i = c x_j^2 + const: coefficient k + 1 is c (x_j^2)_{k+1}, a Cauchy square
        weight = f"C[{c}] * " if c is not None else ""
        # (the terms without x_{j,k+1} first, so that the chain of squares is short)
        updates.append(f"""            {{
                vd sq = zero;
                for (j = 1; 2 * j < k + 1; j++) sq += {X(j, 'j')} * {X(j, 'k + 1 - j')};
                sq = sq + sq;
                if ((k + 1) % 2 == 0) sq += {X(j, '(k + 1) / 2')} * {X(j, '(k + 1) / 2')};
                {X(i, 'k + 1')} = {weight}(sq + 2.0 * {X(j, '0')} * {X(j, 'k + 1')});
            }}""")
    update_k = "\n".join(updates)
    init_h1 = """            if (k == 0) {
                /* a lane without a provisional step yet (a new trajectory) gets x_1 = f(x_0)
                   unscaled, and then its own: the time in which the state would change by
                   its own size (at most the whole span) */
                for (w = 0; w < W; w++) h1[w] = hs[w] > 0.0 ? hs[w] : 1.0;
                memcpy(&hv, h1, sizeof hv);
            }"""
    init_new = """            if (k == 0) {
                for (w = 0; w < W; w++)
                    if (!(hs[w] > 0.0)) {
                        double xm = amax, fm = 0.0, q;
                        for (i = 0; i < NV; i++) {
                            xm = fmax(xm, fabs(X[i * P1][w]) + amax);
                            fm = fmax(fm, fabs(X[i * P1 + 1][w]));
                        }
                        q = xm / fm;
                        hs[w] = q < span ? q : span;
                        for (i = 0; i < NV; i++) X[i * P1 + 1][w] *= hs[w];
                    }
                memcpy(&hv, hs, sizeof hv);
            }"""
    if order is None:
        coeff_loop = "\n".join(["        for (k = 0; k < p; k++) {", order_k, init_h1,
                                "            hk = hv * inv[k];", update_k, init_new,
                                "        }"])
        p_decl = "const int64_t P1 = p + 1;\n    const int PO = p;"
        p_check = "if (p < 2 || p > 60) return -2;"
    else:
        coeff_loop = _unrolled(field, int(order), folded, init_h1, init_new)
        p_decl = (f"const int64_t P1 = {int(order) + 1};\n"
                  f"    const int PO = {int(order)};     /* the order, a constant */")
        p_check = f"if (p != {int(order)}) return -2;"

    return f"""/* generated by fa_proofs.taylor_kernel for the field
{_comment(field)} */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define W {LANES}
#define NV {nv}
#define NN {nn}
#define NC {max(nc, 1)}
#define SAFETY {_SAFETY!r}
#define MAX_GROWTH {_MAX_GROWTH!r}
#define TINY {_TINY!r}

/* one value per lane: GCC/Clang vector extension (plain SIMD registers where available) */
typedef double vd __attribute__((vector_size(W * sizeof(double))));

/* log2 and exp2 to about 1e-9, branch-free so that the lane loops vectorise (a step size needs
   no more): log2 of 0 or a subnormal is -2000, of infinity +2000 */
static inline double log2_fast(double x)
{{
    int64_t b, e;
    double m, z, z2, r;
    int big;
    memcpy(&b, &x, sizeof b);
    e = (b >> 52) - 1023;
    b = (b & 0x000fffffffffffffLL) | 0x3ff0000000000000LL;
    memcpy(&m, &b, sizeof m);                  /* x = m 2^e, m in [1, 2) */
    big = m > 1.4142135623730951;
    m = big ? 0.5 * m : m;
    e = big ? e + 1 : e;
    z = (m - 1.0) / (m + 1.0);
    z2 = z * z;                                /* log2 m = 2 atanh(z) / ln 2, |z| < 0.172 */
    r = (double)e + z * (2.8853900817779268 + z2 * (0.9617966939259756 + z2 * (
            0.5770780163555854 + z2 * (0.41219858311113244 + z2 * (0.3205988979753252
            + z2 * 0.2623081892525388)))));
    r = x < DBL_MIN ? -2000.0 : r;
    return x > DBL_MAX ? 2000.0 : r;
}}

static inline double exp2_fast(double y)
{{
    double yc = y > 1023.0 ? 1023.0 : (y < -1022.0 ? -1022.0 : y);
    double n = floor(yc + 0.5), g = (yc - n) * 0.6931471805599453, r, s;
    int64_t b = ((int64_t)n + 1023) << 52;
    memcpy(&s, &b, sizeof s);
    r = 1.0 + g * (1.0 + g * (0.5 + g * (1.0 / 6 + g * (1.0 / 24 + g * (1.0 / 120 + g * (
            1.0 / 720 + g * (1.0 / 5040 + g * (1.0 / 40320 + g * (1.0 / 362880
            + g * (1.0 / 3628800))))))))));
    r *= s;
    r = y > 1023.0 ? INFINITY : r;
    return y < -1022.0 ? 0.0 : r;
}}

/* Integrate the trajectories traj[0..n_run-1] (columns of y0 / consts, of n_traj) to every
   time of t_eval; status 0 ok, 1 max_steps, 2 non-finite, 3 step underflow.  The coefficients
   are scaled by a provisional step hs (X[i][k] = x_{{i,k}} hs^k), which keeps them finite
   however fast the field is; the step is then sigma * hs. */
int taylor_run(int64_t n_run, const int64_t *traj, int64_t n_traj, int p, const double *y0,
               int64_t m, const double *t_eval, const double *consts, double rtol,
               const double *atol, int64_t max_steps, double *y_out, int32_t *status,
               int64_t *n_steps, int64_t *n_rej, double *h_min)
{{
    {p_decl}
    const double span = t_eval[m - 1] - t_eval[0];
    double amax = 0.0;
    vd *X = NULL, C[NC], sv, hv, hk, s, zero;
{accs}
    double inv[64], t[W], tnext[W], hmin[W], hs[W], h1[W], hfull[W], sig[W], r_lo[W], r_hi[W];
    double tn[W];
    int64_t lane[W], idx[W], steps[W], rej[W];
    int bad[W], land[W], under[W], ok[W], event[W];
    int64_t next = 0, active = 0, k, j, w, i, c;
    const double e_lo = 1.0 / (PO - 1), e_hi = 1.0 / PO;
    {p_check}
    if (posix_memalign((void **)&X, 64, sizeof(vd) * NN * P1) != 0) return -1;
    memset(X, 0, sizeof(vd) * NN * P1);
    memset(C, 0, sizeof C);
    memset(&zero, 0, sizeof zero);
    memset(&hv, 0, sizeof hv);
    for (k = 0; k < P1; k++) inv[k] = 1.0 / (double)(k + 1);
    for (i = 0; i < NV; i++) amax = fmax(amax, atol[i]);

#define LOAD(w) do {{ \\
        if (next < n_run) {{ \\
            int64_t jj = traj[next++]; \\
            lane[w] = jj; t[w] = t_eval[0]; tnext[w] = t_eval[1]; idx[w] = 1; \\
            steps[w] = 0; rej[w] = 0; hmin[w] = INFINITY; hs[w] = 0.0; active++; \\
            for (i = 0; i < NV; i++) X[i * P1][w] = y0[i * n_traj + jj]; \\
            for (c = 0; c < {nc}; c++) C[c][w] = consts[c * n_traj + jj]; \\
        }} else {{ \\
            lane[w] = -1; hs[w] = 1.0; \\
            for (i = 0; i < NV; i++) X[i * P1][w] = 0.0; \\
            for (c = 0; c < NC; c++) C[c][w] = 0.0; \\
        }} \\
    }} while (0)
#define FINISH(w, code) do {{ \\
        int64_t jj = lane[w]; \\
        status[jj] = (code); n_steps[jj] = steps[w]; n_rej[jj] = rej[w]; \\
        h_min[jj] = hmin[w]; active--; \\
        LOAD(w); \\
    }} while (0)

    for (w = 0; w < W; w++) LOAD(w);
    while (active > 0) {{
        /* the scaled Taylor coefficients of every lane, order by order */
{coeff_loop}
        /* the step from the last two coefficients (a zero coefficient sets no limit) */
        for (w = 0; w < W; w++) {{ r_lo[w] = INFINITY; r_hi[w] = INFINITY; bad[w] = 0; }}
        for (i = 0; i < NV; i++) {{
            const double *x0 = (const double *)&X[i * P1], *xa = (const double *)&X[i * P1 + PO - 1];
            const double *xb = (const double *)&X[i * P1 + PO];
            const double ai = atol[i];
            for (w = 0; w < W; w++) {{
                double tol = ai + rtol * fabs(x0[w]);
                double a_lo = fabs(xa[w]), a_hi = fabs(xb[w]);
                double q_lo = tol / a_lo, q_hi = tol / a_hi;
                bad[w] |= (a_lo != a_lo) | (a_hi != a_hi);
                r_lo[w] = q_lo < r_lo[w] ? q_lo : r_lo[w];
                r_hi[w] = q_hi < r_hi[w] ? q_hi : r_hi[w];
            }}
        }}
        for (w = 0; w < W; w++) {{
            double lg_lo = e_lo * log2_fast(r_lo[w]), lg_hi = e_hi * log2_fast(r_hi[w]);
            double sg = SAFETY * exp2_fast(lg_lo < lg_hi ? lg_lo : lg_hi);
            double g = tnext[w] - t[w];
            sg = sg < MAX_GROWTH ? sg : MAX_GROWTH;
            hfull[w] = sg * hs[w];
            land[w] = !(hfull[w] < g);         /* clip to the next output time */
            sig[w] = land[w] ? g / hs[w] : sg;
        }}
        memcpy(&sv, sig, sizeof sv);
        for (i = 0; i < NV; i++) {{              /* Horner, all lanes at once */
            s = X[i * P1 + PO];
            for (k = PO - 1; k >= 0; k--) s = s * sv + X[i * P1 + k];
            X[i * P1 + PO] = s;                  /* the new state, for now */
        }}
        /* the usual case, all lanes at once: accept the step */
        for (i = 0; i < NV; i++) {{
            const double *xn = (const double *)&X[i * P1 + PO];
            for (w = 0; w < W; w++) bad[w] |= !(fabs(xn[w]) <= DBL_MAX);
        }}
        for (w = 0; w < W; w++) {{
            tn[w] = land[w] ? tnext[w] : t[w] + hfull[w];
            /* a step below ~10 ulps of t does not move it: underflow (a blow-up) */
            under[w] = !land[w] & !(tn[w] - t[w] > TINY * fabs(t[w]));
            ok[w] = !bad[w] & !under[w] & (lane[w] >= 0);
            event[w] = (!ok[w]) | land[w] | (steps[w] + 1 >= max_steps);
        }}
        for (i = 0; i < NV; i++) {{
            double *x0 = (double *)&X[i * P1];
            const double *xn = (const double *)&X[i * P1 + PO];
            for (w = 0; w < W; w++) x0[w] = ok[w] ? xn[w] : x0[w];
        }}
        for (w = 0; w < W; w++) {{
            double hn = hfull[w] < span ? hfull[w] : span;
            t[w] = ok[w] ? tn[w] : t[w];
            steps[w] += ok[w];
            hmin[w] = (ok[w] & !land[w] & (hfull[w] < hmin[w])) ? hfull[w] : hmin[w];
            hs[w] = ok[w] ? hn : hs[w];          /* the next provisional step */
        }}
        /* lanes with an event: an output time, a failure, a retry, the last allowed step */
        for (w = 0; w < W; w++) {{
            if (!event[w] || lane[w] < 0) continue;
            if (bad[w]) {{
                /* overflow in the series: retry with a smaller provisional step */
                if (hs[w] * 1e-3 > TINY * fabs(t[w])) {{ hs[w] *= 1e-3; rej[w]++; continue; }}
                FINISH(w, 2); continue;
            }}
            if (under[w]) {{ FINISH(w, 3); continue; }}
            if (land[w]) {{
                int64_t jj = lane[w];
                for (i = 0; i < NV; i++) y_out[(idx[w] * NV + i) * n_traj + jj] = X[i * P1][w];
                idx[w]++;
                if (idx[w] == m) {{ FINISH(w, 0); continue; }}
                tnext[w] = t_eval[idx[w]];
            }}
            if (steps[w] >= max_steps) {{ FINISH(w, 1); continue; }}
        }}
    }}
    free(X);
    return 0;
}}
"""


def _unrolled(field: Any, P: int, folded: dict, init_h1: str, init_new: str) -> str:
    """The coefficient recurrence for orders 0..P-1, unrolled: each Cauchy product of order k
    is the sum ``a_0 b_k + a_1 b_{k-1} + ... + a_k b_0`` with constant indices."""
    from .taylor import _Lin, _Mul
    out: list[str] = []
    emit = out.append

    def X(node: int, k: int) -> str:
        return f"X[{node * (P + 1) + k}]"

    def lin(op, k: int) -> str:
        return " + ".join((f"C[{wt}] * " if wt is not None else "") + X(src, k)
                          for wt, src in op.terms)

    muls = [op for op in field.ops if isinstance(op, _Mul)]
    for k in range(P):
        emit(f"        {{   /* order {k} */")
        emit("            const int64_t k = %d;" % k)
        emit("            (void)k;")
        # the middle terms first, all products independently (orders < k only); then each
        # product finished with its end terms, in dependency order (as the looped kernel)
        for i, op in enumerate(muls):
            if k >= 2:
                terms = [f"{X(op.a, j)} * {X(op.b, k - j)}" for j in range(1, k)]
                emit(f"            const vd m{i} = {' + '.join(terms)};")
        for i, j, c in field.squares:
            # (x_j^2)_{k+1} without its end terms 2 x_{j,0} x_{j,k+1}: orders 1..k only
            k1 = k + 1
            if k1 >= 2:
                terms = [f"{X(j, m)} * {X(j, k1 - m)}" for m in range(1, (k1 + 1) // 2)]
                total = f"2.0 * ({' + '.join(terms)})" if terms else ""
                if k1 % 2 == 0:
                    total += (" + " if total else "") + f"{X(j, k1 // 2)} * {X(j, k1 // 2)}"
                emit(f"            const vd q{i} = {total};")
        index = {id(op): i for i, op in enumerate(muls)}
        for op in field.ops:
            if isinstance(op, _Lin) and op.dst in folded:
                continue
            if isinstance(op, _Mul):
                ends = (f"{X(op.a, 0)} * {X(op.b, k)} + {X(op.a, k)} * {X(op.b, 0)}" if k
                        else f"{X(op.a, 0)} * {X(op.b, 0)}")
                mid = f"m{index[id(op)]} + " if k >= 2 else ""
                emit(f"            {X(op.dst, k)} = {mid}{ends};")
            elif op.terms:
                const = f" + C[{op.const}]" if (op.const is not None and k == 0) else ""
                emit(f"            {X(op.dst, k)} = {lin(op, k)}{const};")
            else:
                value = f"C[{op.const}]" if (op.const is not None and k == 0) else "zero"
                emit(f"            {X(op.dst, k)} = {value};")
        if k == 0:
            emit(init_h1)
        emit(f"            hk = hv * {1.0 / (k + 1)!r};")
        for i, node in enumerate(field.rhs):
            if node in folded:
                op = folded[node]
                const = f" + C[{op.const}]" if (op.const is not None and k == 0) else ""
                emit(f"            {X(i, k + 1)} = ({lin(op, k)}{const}) * hk;")
            elif node >= 0:
                emit(f"            {X(i, k + 1)} = {X(node, k)} * hk;")
        for i, j, c in field.squares:        # x_i = c x_j^2 + const
            weight = f"C[{c}] * " if c is not None else ""
            q = f"q{i} + " if k >= 1 else ""
            emit(f"            {X(i, k + 1)} = {weight}({q}2.0 * {X(j, 0)} * {X(j, k + 1)});")
        if k == 0:
            emit(init_new)
        emit("        }")
    return "\n".join(out)


def _orient(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each product (a, b) as (u, v): u read at index j, v at k - j, so that few distinct
    operands are loaded per j (greedy flips until none helps)."""
    sides = list(pairs)

    def loads(s):
        return len({u for u, _ in s}) + len({v for _, v in s})

    improved = True
    while improved:
        improved = False
        for i, (u, v) in enumerate(sides):
            flipped = sides[:i] + [(v, u)] + sides[i + 1:]
            if loads(flipped) < loads(sides):
                sides, improved = flipped, True
    return sides


def _comment(field: Any) -> str:
    lines = [f"   {s}' = {e}" for s, e in zip(field.state, field.field)]
    return "\n".join(line.replace("*/", "* /") for line in lines)


def cache_dir() -> Path:
    """Where compiled kernels live: the directory ``$FA_PROOFS_KERNEL_CACHE``, else
    ``$XDG_CACHE_HOME/fa-proofs`` (``~/.cache/fa-proofs``), next to the verdict cache; if it
    cannot be written, a temporary directory.  (``$FA_PROOFS_CACHE`` names the verdict cache's
    file, :mod:`fa_proofs._cache`, and is not read here.)"""
    env = os.environ.get("FA_PROOFS_KERNEL_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fa-proofs"


def _cpu_key() -> str:
    """The compiled code targets this CPU (-march=native): key the cache on its model."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            info = "".join(line for line in fh if line.startswith(("model name", "flags")))
    except OSError:
        info = ""
    return platform.machine() + platform.processor() + info


def _compile(src: str) -> Path | None:
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        return None
    flag_sets = (["-O2", "-march=native", "-fno-math-errno", "-fno-trapping-math"],
                 ["-O2", "-fno-math-errno", "-fno-trapping-math"], ["-O2"])
    key = hashlib.sha256(repr((src, cc, flag_sets, _cpu_key())).encode()).hexdigest()[:24]
    for base in (cache_dir(), Path(tempfile.gettempdir()) / "fa-proofs"):
        target = base / f"taylor_{key}.so"
        if target.exists():
            return target
        try:
            base.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        with tempfile.TemporaryDirectory(dir=base) as tmp:
            c_file = Path(tmp) / "kernel.c"
            c_file.write_text(src)
            for flags in flag_sets:
                out = Path(tmp) / "kernel.so"
                try:
                    r = subprocess.run([cc, *flags, "-fPIC", "-shared", "-o", str(out),
                                        str(c_file), "-lm"], capture_output=True, timeout=120)
                except (OSError, subprocess.SubprocessError):
                    return None
                if r.returncode == 0:
                    try:
                        os.replace(out, target)          # atomic: concurrent builds are fine
                    except OSError:
                        break
                    return target
        # compiling failed in this directory with every flag set: give up
        return None
    return None


@lru_cache(maxsize=64)
def _load(src: str):
    path = _compile(src)
    if path is None:
        return None
    try:
        lib = ctypes.CDLL(str(path))
    except OSError:
        return None
    fn = lib.taylor_run
    dp = ctypes.POINTER(ctypes.c_double)
    lp = ctypes.POINTER(ctypes.c_int64)
    ip = ctypes.POINTER(ctypes.c_int32)
    fn.argtypes = [ctypes.c_int64, lp, ctypes.c_int64, ctypes.c_int, dp, ctypes.c_int64, dp, dp,
                   ctypes.c_double, dp, ctypes.c_int64, dp, ip, lp, lp, dp]
    fn.restype = ctypes.c_int
    fn._fa_lib = lib          # keep the library alive with the function
    return fn


def kernel(field: Any, order: int | None = None):
    """The compiled kernel of ``field`` (a ctypes function), or ``None`` without a working C
    compiler or with ``FA_PROOFS_NO_CC`` set.  With ``order`` (at most :data:`UNROLL_MAX`) the
    kernel is built for that Taylor order only, with the recurrence unrolled (about 1.5 times
    faster at L = 6, order 13); otherwise it takes the order as an argument."""
    if os.environ.get("FA_PROOFS_NO_CC"):
        return None
    if order is not None and not 2 <= order <= UNROLL_MAX:
        order = None
    with _LOCK:
        return _kernel_of(field, order)


@lru_cache(maxsize=64)
def _kernel_of(field: Any, order: int | None):
    return _load(c_source(field, order))


def run(fn, traj: np.ndarray, p: int, y0: np.ndarray, t_eval: np.ndarray, consts: np.ndarray,
        rtol: float, atol: np.ndarray, max_steps: int, y_out: np.ndarray, status: np.ndarray,
        n_steps: np.ndarray, n_rejected: np.ndarray, h_min: np.ndarray) -> None:
    """Call the kernel (arrays already of the right dtype, C-contiguous)."""
    def ptr(a, t):
        return a.ctypes.data_as(ctypes.POINTER(t))
    n_vars, n_traj = y0.shape
    for a, dt in ((traj, np.int64), (y0, np.float64), (t_eval, np.float64),
                  (consts, np.float64), (atol, np.float64), (y_out, np.float64),
                  (status, np.int32), (n_steps, np.int64), (n_rejected, np.int64),
                  (h_min, np.float64)):
        if a.dtype != dt or not a.flags.c_contiguous:
            raise TypeError("kernel arrays must be C-contiguous with the kernel's dtypes")
    rc = fn(traj.size, ptr(traj, ctypes.c_int64), n_traj, p, ptr(y0, ctypes.c_double),
            t_eval.size, ptr(t_eval, ctypes.c_double), ptr(consts, ctypes.c_double),
            float(rtol), ptr(atol, ctypes.c_double), int(max_steps),
            ptr(y_out, ctypes.c_double), ptr(status, ctypes.c_int32),
            ptr(n_steps, ctypes.c_int64), ptr(n_rejected, ctypes.c_int64),
            ptr(h_min, ctypes.c_double))
    if rc != 0:
        raise MemoryError("the Taylor kernel could not allocate its work arrays")


def status_name(code: int) -> str:
    return _STATUS[code]
