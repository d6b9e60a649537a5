"""Arithmetic contexts: the one place where SymPy expressions become numbers.

As mpmath has ``mp``, ``iv`` and ``fp``, fa-proofs has four contexts, and every algorithm is
written once against them:

* :data:`EXACT`   exact rationals (python-flint ``fmpq``); algebraic values through SymPy;
* :func:`Ball`    certified enclosures (python-flint ``arb``) at ``prec`` bits;
* :func:`MP`      high precision (a private ``mpmath.MPContext`` at ``dps`` digits);
* :data:`FLOAT`   NumPy double precision, vectorised.

Each offers ``compile(exprs, args)`` (one printer for all four, cached), ``evaluate(expr, env)``,
``convert(value)`` and ``workprec()``.  No context changes global precision for longer than a
call: the MP contexts own a private mpmath context, and python-flint's precision (a process-wide
setting) is only ever set inside :meth:`Ball.workprec`, under a re-entrant lock, and restored
afterwards, so two threads cannot disturb each other's balls.

A comparison made in :data:`EXACT` or :func:`Ball` is a proof for the exact inputs given
(:func:`certify_sign` answers +1, -1, 0 or ``None``); :func:`MP` and :data:`FLOAT` give numerics.
"""
from __future__ import annotations

import contextlib
import threading
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Iterator, Mapping, Sequence

import mpmath
import numpy as np
import sympy as sp
from flint import arb, ctx as _flint_ctx, fmpq
from sympy.printing.pycode import PythonCodePrinter

from .verdicts import Evidence

__all__ = ["EXACT", "FLOAT", "Ball", "MP", "Arithmetic", "to_fraction", "parse_exact", "exact_str",
           "certify_sign", "ball_str", "real_cbrt", "reset_global_state"]


# --- exact numbers --------------------------------------------------------------------------
def to_fraction(value: Any) -> Fraction:
    """An exact number (int, Fraction, fmpq, SymPy Rational, a float taken exactly) as Fraction."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, fmpq):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, (float, np.floating)):
        return Fraction(float(value))
    if isinstance(value, str):
        return parse_exact(value)
    raise TypeError(f"not an exact rational: {value!r}")


def parse_exact(text: str) -> Fraction:
    """'3/5', '0.6', '1e-3', '-2' as an exact Fraction; anything else raises ValueError."""
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError, AttributeError):
        raise ValueError(f"not an exact number: {text!r}") from None


def exact_str(value: Any) -> str:
    """An exact value written so that ``fractions.Fraction`` or SymPy can read it back."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a parameter value")
    if isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer, Fraction, fmpq)):
        return str(to_fraction(value))
    if isinstance(value, (float, np.floating)):
        return str(Fraction(float(value)))
    if isinstance(value, mpmath.ctx_mp_python.mpf):
        man, exp = value.man_exp
        return str(Fraction(int(man)) * Fraction(2) ** int(exp))
    if isinstance(value, sp.MatrixBase):
        return str(value)
    if isinstance(value, sp.Basic) and value.is_number:
        if value.is_Float:
            return str(sp.Rational(value))
        return str(value)                          # Rational, Integer or an exact expression
    raise TypeError(f"cannot write {value!r} ({type(value).__name__}) as an exact value")


def real_cbrt(u: sp.Expr) -> sp.Expr:
    """The real cube root, written so that SymPy and every context agree on negative u."""
    return sp.sign(u) * sp.Abs(u) ** sp.Rational(1, 3)


# --- the one printer ------------------------------------------------------------------------
class _Printer(PythonCodePrinter):
    """Python code in a context-neutral vocabulary: rationals are ``Q(p, q)``, rational powers
    ``ROOT(b, q)**p``, constants ``PI``/``EXP1``, functions by their bare names.  Each context
    supplies the namespace."""

    def _print_Rational(self, expr: sp.Rational) -> str:
        return f"Q({expr.p}, {expr.q})"

    def _print_Half(self, expr: sp.Rational) -> str:
        return "Q(1, 2)"

    def _print_Integer(self, expr: sp.Integer) -> str:
        return f"Z({expr.p})"

    def _print_Pi(self, expr) -> str:
        return "PI()"

    def _print_Exp1(self, expr) -> str:
        return "EXP1()"

    def _print_sign(self, expr) -> str:
        return f"SIGN({self._print(expr.args[0])})"

    def _print_Abs(self, expr) -> str:
        return f"ABS({self._print(expr.args[0])})"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        base, ex = expr.args
        b = self.parenthesize(base, 60)
        if ex.is_Integer:
            n = int(ex)
            return f"{b}**{n}" if n >= 0 else f"1/({b}**{-n})"
        if ex.is_Rational:
            p, q = int(ex.p), int(ex.q)
            root = f"ROOT({self._print(base)}, {q})"
            if p == 1:
                return root
            return f"{root}**{p}" if p > 0 else f"1/({root}**{-p})"
        return f"EXP(({self._print(ex)})*LOG({self._print(base)}))"

    def _print_Function(self, expr) -> str:
        name = type(expr).__name__
        if name in _FUNCTIONS:
            return f"{name.upper()}({', '.join(self._print(a) for a in expr.args)})"
        raise NotImplementedError(f"no arithmetic rule for {name}: {expr}")

    def _print_Min(self, expr) -> str:
        raise NotImplementedError(f"no arithmetic rule for Min: {expr}")

    _print_Max = _print_Min

    _print_log = _print_exp = _print_atan = _print_acos = _print_cos = _print_sin = \
        _print_tan = _print_Function


_FUNCTIONS = ("log", "exp", "atan", "acos", "cos", "sin", "tan")
for _name in set(getattr(PythonCodePrinter, "_kf", {})) | set(getattr(PythonCodePrinter, "_kc", {})):
    if _name not in _FUNCTIONS and f"_print_{_name}" not in _Printer.__dict__:
        # every other function SymPy's printer knows (gamma, floor, erf, ...) is refused, never
        # handed to Python's float math behind a ball's back
        setattr(_Printer, f"_print_{_name}", _Printer._print_Function)


def _lambdify(exprs: Sequence[sp.Expr], args: Sequence[sp.Symbol], namespace: dict) -> Callable:
    printer = _Printer({"fully_qualified_modules": False, "inline": True})
    return sp.lambdify(list(args), [sp.sympify(e) for e in exprs], modules=[namespace],
                       printer=printer, cse=False)


# --- contexts -------------------------------------------------------------------------------
class Arithmetic:
    """One arithmetic: how to convert, compile and evaluate (see the module doc)."""

    name = "abstract"
    evidence = Evidence.FLOAT

    def namespace(self) -> dict:
        raise NotImplementedError

    def convert(self, value: Any) -> Any:
        raise NotImplementedError

    @contextlib.contextmanager
    def workprec(self) -> Iterator[None]:
        yield

    def compile(self, exprs: Sequence[sp.Expr], args: Sequence[sp.Symbol]) -> Callable[..., tuple]:
        """``f(*values) -> tuple`` evaluating ``exprs`` at ``args = values`` in this context
        (compiled once per expression list and context)."""
        return _compiled(self, tuple(sp.sympify(e) for e in exprs), tuple(args))

    def _wrap(self, fn: Callable) -> Callable[..., tuple]:
        convert, work = self.convert, self.workprec

        def call(*values):
            with work():
                return tuple(fn(*(convert(v) for v in values)))
        return call

    def evaluate(self, expr: sp.Expr, env: Mapping[sp.Symbol, Any]) -> Any:
        """``expr`` at the symbol values ``env`` (which must cover its free symbols)."""
        expr = sp.sympify(expr)
        syms = tuple(sorted(expr.free_symbols, key=lambda s: s.name))
        missing = [s for s in syms if s not in env]
        if missing:
            raise KeyError(f"no value for {', '.join(map(str, missing))} in {expr}")
        return self.compile([expr], syms)(*(env[s] for s in syms))[0]

    def __repr__(self) -> str:
        return self.name


@lru_cache(maxsize=4096)
def _compiled(arith: Arithmetic, exprs: tuple, args: tuple) -> Callable[..., tuple]:
    return arith._wrap(_lambdify(exprs, args, arith.namespace()))


def _exact_root(b: fmpq, q: int) -> fmpq:
    out = []
    for part in (int(b.p), int(b.q)):
        if part < 0:
            raise NotImplementedError("root of a negative rational")
        k = round(part ** (1.0 / q)) if part < 2**1000 else None
        k = next((j for j in ((k - 1, k, k + 1) if k is not None else ()) if j >= 0 and j**q == part),
                 None)
        if k is None:
            raise NotImplementedError(f"not a perfect {q}-th power: {b}")
        out.append(k)
    return fmpq(out[0], out[1])


class _Exact(Arithmetic):
    """Exact rationals (fmpq).  Radicals are exact only for perfect powers; otherwise
    :meth:`evaluate` falls back to SymPy's exact algebraic numbers."""

    name = "exact"
    evidence = Evidence.EXACT

    def namespace(self) -> dict:
        def nope(name):
            def f(*a):
                raise NotImplementedError(f"{name} is not rational")
            return f
        ns = {"Q": fmpq, "Z": fmpq, "ROOT": _exact_root, "ABS": abs,
              "SIGN": lambda v: fmpq((v > 0) - (v < 0)), "PI": nope("pi"), "EXP1": nope("e")}
        ns.update({f.upper(): nope(f) for f in _FUNCTIONS})
        return ns

    def convert(self, value: Any) -> fmpq:
        if isinstance(value, fmpq):
            return value
        if isinstance(value, (float, np.floating, arb)):
            raise TypeError(f"not an exact rational: {value!r}")
        f = to_fraction(value)
        return fmpq(f.numerator, f.denominator)

    def evaluate(self, expr: sp.Expr, env: Mapping[sp.Symbol, Any]) -> Any:
        try:
            return super().evaluate(expr, env)
        except NotImplementedError:
            sub = {s: sp.Rational(str(to_fraction(v))) for s, v in env.items()}
            return sp.sympify(expr).xreplace(sub)


def _arb_sign(v: arb) -> arb:
    if v > 0:
        return arb(1)
    if v < 0:
        return arb(-1)
    if v.is_exact() and v == 0:
        return arb(0)
    raise ArithmeticError("sign of a ball that contains zero")


def _arb_root(b: arb, q: int) -> arb:
    return b.sqrt() if q == 2 else b.root(q)


_FLINT_LOCK = threading.RLock()


class _Ball(Arithmetic):
    """Certified balls (python-flint arb) at ``prec`` bits: every result encloses the exact
    value for exact inputs."""

    evidence = Evidence.BALL

    def __init__(self, prec: int):
        self.prec = int(prec)
        self.name = f"ball({self.prec})"

    def namespace(self) -> dict:
        ns = {"Q": lambda p, q: arb(fmpq(p, q)), "Z": arb, "ROOT": _arb_root, "ABS": abs,
              "SIGN": _arb_sign, "PI": arb.pi, "EXP1": lambda: arb(1).exp()}
        ns.update({f.upper(): (lambda name: lambda v: getattr(v, name)())(f) for f in _FUNCTIONS})
        return ns

    def convert(self, value: Any) -> arb:
        """A ball enclosing ``value``, rounded at this context's precision (not the ambient
        one: a rational converted outside :meth:`workprec` keeps ``prec`` bits)."""
        if isinstance(value, arb):
            return value
        if isinstance(value, (float, np.floating)):
            return arb(float(value))
        q = value if isinstance(value, fmpq) else EXACT.convert(value)
        with self.workprec():
            return arb(q)

    @contextlib.contextmanager
    def workprec(self) -> Iterator[None]:
        with _FLINT_LOCK:
            old = _flint_ctx.prec
            _flint_ctx.prec = self.prec
            try:
                yield
            finally:
                _flint_ctx.prec = old

    def evaluate(self, expr: sp.Expr, env: Mapping[sp.Symbol, Any]) -> arb:
        return super().evaluate(expr, env)


class _MP(Arithmetic):
    """mpmath at ``dps`` digits, in a private context (the global ``mpmath.mp`` is untouched)."""

    evidence = Evidence.MP

    def __init__(self, dps: int):
        self.dps = int(dps)
        self.name = f"mp({self.dps})"
        self.ctx = mpmath.MPContext()
        self.ctx.dps = self.dps

    def namespace(self) -> dict:
        c = self.ctx
        ns = {"Q": lambda p, q: c.mpf(p) / q, "Z": c.mpf, "ROOT": c.root, "ABS": c.fabs,
              "SIGN": c.sign, "PI": lambda: +c.pi, "EXP1": lambda: c.e + 0}
        ns.update({f.upper(): getattr(c, f) for f in _FUNCTIONS})
        return ns

    def convert(self, value: Any) -> Any:
        if isinstance(value, (int, float, np.floating, np.integer)):
            return self.ctx.mpf(value)
        if isinstance(value, (mpmath.ctx_mp_python._mpf, mpmath.ctx_mp_python._mpc)):
            return self.ctx.convert(value)
        if isinstance(value, arb):
            man, exp = value.mid().man_exp()
            return self.ctx.ldexp(self.ctx.mpf(int(man)), int(exp))
        f = to_fraction(value)
        return self.ctx.mpf(f.numerator) / f.denominator


class _Float(Arithmetic):
    """NumPy float64, vectorised over arrays of parameter values (numerics, never a proof)."""

    name = "float"
    evidence = Evidence.FLOAT

    def namespace(self) -> dict:
        def root(b, q):
            return np.cbrt(b) if q == 3 else np.power(b, 1.0 / q)
        ns = {"Q": lambda p, q: p / q, "Z": float, "ROOT": root, "ABS": np.abs, "SIGN": np.sign,
              "PI": lambda: np.pi, "EXP1": lambda: np.e,
              "ATAN": np.arctan, "ACOS": np.arccos}
        ns.update({f.upper(): getattr(np, f) for f in ("log", "exp", "cos", "sin", "tan")})
        return ns

    def convert(self, value: Any) -> Any:
        if isinstance(value, np.ndarray):
            return value.astype(float, copy=False)
        if isinstance(value, (list, tuple)):
            return np.asarray([float(to_fraction(v)) if not isinstance(v, float) else v
                               for v in value])
        if isinstance(value, (float, np.floating)):
            return float(value)
        if isinstance(value, arb):
            return float(value.mid())
        return float(to_fraction(value))

    def _wrap(self, fn: Callable) -> Callable[..., tuple]:
        convert = self.convert

        def call(*values):
            with np.errstate(all="ignore"):
                out = fn(*(convert(v) for v in values))
            return tuple(np.broadcast_arrays(*[np.asarray(o, dtype=float) for o in out]))
        return call


EXACT = _Exact()
FLOAT = _Float()


@lru_cache(maxsize=None)
def Ball(prec: int = 128) -> _Ball:               # noqa: N802 - a context constructor
    """The ball context at ``prec`` bits (one instance per precision)."""
    return _Ball(prec)


@lru_cache(maxsize=None)
def MP(dps: int = 30) -> _MP:                      # noqa: N802 - a context constructor
    """The mpmath context at ``dps`` digits (one private context per precision)."""
    return _MP(dps)


# --- certified signs ------------------------------------------------------------------------
def certify_sign(expr: sp.Expr, env: Mapping[sp.Symbol, Any], prec: int = 256,
                 max_prec: int = 4096) -> int | None:
    """+1 / -1 when the sign of ``expr`` at the exact values ``env`` is certified in ball
    arithmetic (raising the precision up to ``max_prec``), 0 when it is exactly zero (a point
    ball, or SymPy proves the exact value 0), else ``None``."""
    expr = sp.sympify(expr)
    while prec <= max_prec:
        try:
            v = Ball(prec).evaluate(expr, env)
        except (ArithmeticError, ZeroDivisionError, ValueError):
            v = None
        if v is not None:
            if v > 0:
                return 1
            if v < 0:
                return -1
            if v.is_exact() and v == 0:
                return 0
        prec *= 2
    try:
        exact = sp.simplify(EXACT.evaluate(expr, env))
        if exact == 0:
            return 0
    except (TypeError, ValueError, NotImplementedError, ZeroDivisionError):
        pass
    return None


def ball_str(v: arb, digits: int = 15) -> str:
    return v.str(digits, radius=True)


def reset_global_state() -> None:
    """Restore the process-wide precisions (python-flint, mpmath) to their defaults (tests)."""
    with _FLINT_LOCK:
        _flint_ctx.prec = 53
    mpmath.mp.dps = 15
