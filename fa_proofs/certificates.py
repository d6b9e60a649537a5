"""Whole-domain proofs as data: a :class:`Proof` is a chain of SymPy identities (the reduction to
finitely many parameters, the one-step recurrence) and inequalities on compact boxes
(:class:`~fa_proofs.branch_bound.Goal`), tied together by an induction stated in words.

:func:`certify` proves every identity (SymPy, to exactly 0) and every inequality
(:func:`fa_proofs.branch_bound.prove`), and returns the certificate: a JSON document with each
identity's residual and each inequality's certificate (factorisation, Sturm counts, bisection
tree), which :func:`recheck_document` re-verifies from scratch, trusting nothing in it but the
statement.  Certificates are cached by the hash of their statement (:meth:`Proof.key`: the
identities, the goals and the induction), and a cached one is re-checked before it is used.

The inequalities of a proof have a *role*:

* ``instance`` -- the statement itself at a given step ``t`` (e.g. ``t = 0, 1``) over the whole
  domain: a violation is a counterexample to the statement, mapped back to a point of the claim's
  domain (it replays through the claim's own check there);
* ``step`` -- an inequality the induction rests on (positivity, one-step contraction): a
  violation shows that the proof does not go through, not that the statement is false, so it is
  reported as undecided with the certified point.

The cache directory is ``$FA_PROOFS_CERTS`` if set (empty: no cache), else the directory
``certificates`` next to the verdict cache of :mod:`fa_proofs._cache` (none when that is
disabled).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Mapping

import sympy as sp

from .branch_bound import (Goal, Outcome, PointQ, certificate_boxes, decode, encode, prove,
                           recheck)
from .symbolic import reduce_to_zero

FORMAT = 1


class NotReducible(Exception):
    """A statement's part does not reduce to the finitely many parameters of its proof."""


def expr_key(expr: Any) -> str:
    """A canonical text of an expression, independent of how SymPy happened to build it: the
    exact coefficients of the numerator and denominator of a rational function of its symbols,
    else its ``srepr``."""
    from .branch_bound import canonical, poly_of
    e = sp.sympify(expr)
    syms = sorted(e.free_symbols, key=lambda t: t.name)
    num, den = sp.fraction(sp.cancel(sp.together(e)))
    if poly_of(num, syms) is None or poly_of(den, syms) is None:
        return sp.srepr(_plain_symbols(e))
    names = ",".join(f"{t.name}{sorted(k for k, v in t.assumptions0.items() if v)}" for t in syms)
    return f"[{names}] {canonical(num, syms)} / {canonical(den, syms)}"


def _plain_symbols(e: sp.Expr) -> sp.Expr:
    """``e`` with every symbol replaced by a plain one named after it and its true assumptions.
    Equal symbols created with different (equivalent) assumption keywords -- e.g. the model's
    ``d`` and the ``d`` a certificate decodes -- are equal, and SymPy's cache may hand back either
    inside a cached expression; their ``srepr`` differ, their plain stand-ins do not."""
    return e.xreplace({t: sp.Symbol(f"{t.name}{sorted(k for k, v in t.assumptions0.items() if v)}")
                       for t in e.free_symbols})


@dataclass(frozen=True)
class Identity:
    """``lhs == rhs``, proven by SymPy (e.g. a reduction: the map in scaled coordinates and its
    reduced form)."""

    name: str
    lhs: sp.Expr
    rhs: sp.Expr = sp.Integer(0)

    @property
    def residual(self) -> sp.Expr:
        return sp.sympify(self.lhs) - sp.sympify(self.rhs)


@dataclass(frozen=True)
class Positive:
    """``expr > 0`` for every value of its symbols, proven by SymPy's assumptions (e.g. a
    product of powers of positive parameters)."""

    name: str
    expr: sp.Expr


@dataclass(frozen=True)
class Step:
    """An inequality of a proof, with its role (module doc) and, for an instance, its step t."""

    goal: Goal
    role: str = "step"
    t: int | None = None


@dataclass(frozen=True)
class Proof:
    """A whole-domain proof of a claim's statement (printed or corrected variant)."""

    claim: str
    variant: str
    identities: tuple[Identity, ...]
    steps: tuple[Step, ...]
    induction: str
    #: a violating point of an instance -> the claim's domain point (exact values, with ``t``)
    to_point: Callable[[PointQ, Step], dict[str, Any]] | None = field(default=None,
                                                                      compare=False)
    positives: tuple[Positive, ...] = ()

    def key(self) -> str:
        doc = {"claim": self.claim, "variant": self.variant, "induction": self.induction,
               "identities": [[i.name, expr_key(i.lhs), expr_key(i.rhs)]
                              for i in self.identities],
               "steps": [[s.goal.name, s.goal.key(), s.role, s.t] for s in self.steps]}
        if self.positives:
            doc["positives"] = [[q.name, expr_key(q.expr)] for q in self.positives]
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:20]


@dataclass
class ProofResult:
    """``status``: 'proved', 'violated' (an instance fails: a counterexample), 'broken' (a step
    fails, certified: the proof does not go through) or 'undecided'."""

    status: str
    proof: Proof
    document: dict[str, Any] | None = None
    step: Step | None = None
    outcome: Outcome | None = None
    boxes: int = 0
    seconds: float = 0.0
    reason: str = ""
    cached: bool = False


# --- cache ---------------------------------------------------------------------------------------
def cache_dir() -> Path | None:
    explicit = os.environ.get("FA_PROOFS_CERTS")
    if explicit is not None:
        return Path(explicit).expanduser() if explicit.strip() else None
    from . import _cache
    p = _cache.path()
    return None if p is None else p.parent / "certificates"


def _load_cached(key: str) -> dict[str, Any] | None:
    d = cache_dir()
    if d is None:
        return None
    try:
        doc = json.loads((d / f"{key}.json").read_text())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and doc.get("key") == key else None


def _save(doc: dict[str, Any]) -> None:
    d = cache_dir()
    if d is None:
        return
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(doc, fh)
        os.replace(tmp, d / f"{doc['key']}.json")
    except OSError:
        pass


# --- proving and re-checking -----------------------------------------------------------------------
def certify(proof: Proof, use_cache: bool = True) -> ProofResult:
    """Prove every identity and inequality of ``proof`` (instances first), or say where it
    stops (module doc)."""
    start = time.perf_counter()
    key = proof.key()
    if use_cache:
        doc = _load_cached(key)
        if doc is not None:
            ok, _, boxes = recheck_document(doc)
            if ok:
                return ProofResult("proved", proof, doc, boxes=boxes,
                                   seconds=time.perf_counter() - start, cached=True)
    idents = []
    for ident in proof.identities:
        if not reduce_to_zero(ident.residual):
            return ProofResult("undecided", proof, seconds=time.perf_counter() - start,
                               reason=f"the identity '{ident.name}' was not proven by SymPy "
                                      f"(residual {sp.simplify(ident.residual)})")
        idents.append({"name": ident.name, "lhs": encode(ident.lhs), "rhs": encode(ident.rhs)})
    pos = []
    for q in proof.positives:
        if sp.sympify(q.expr).is_positive is not True:
            return ProofResult("undecided", proof, seconds=time.perf_counter() - start,
                               reason=f"'{q.name}': SymPy does not prove {q.expr} > 0")
        pos.append({"name": q.name, "expr": encode(q.expr)})
    goals, total = [], 0
    ordered = sorted(proof.steps, key=lambda s: s.role != "instance")
    for st in ordered:
        out = prove(st.goal)
        total += out.boxes
        if out.violated:
            status = "violated" if st.role == "instance" else "broken"
            return ProofResult(status, proof, step=st, outcome=out, boxes=total,
                               seconds=time.perf_counter() - start)
        if not out.proved:
            return ProofResult("undecided", proof, step=st, outcome=out, boxes=total,
                               seconds=time.perf_counter() - start,
                               reason=f"{st.goal.name}: {out.reason}")
        goals.append({"role": st.role, "t": st.t, "certificate": out.certificate,
                      "boxes": certificate_boxes(out.certificate)})
    doc = {"format": FORMAT, "claim": proof.claim, "variant": proof.variant, "key": key,
           "induction": proof.induction, "identities": idents, "goals": goals}
    if pos:
        doc["positives"] = pos
    doc["boxes"] = sum(g["boxes"] for g in goals)     # no timings: the document is deterministic
    if use_cache:
        _save(doc)
    return ProofResult("proved", proof, doc, boxes=doc["boxes"],
                       seconds=time.perf_counter() - start)


def recheck_document(doc: Mapping[str, Any]) -> tuple[bool, str, int]:
    """Re-verify a proof certificate from scratch: every identity by SymPy, every inequality's
    certificate by :func:`fa_proofs.branch_bound.recheck`.  (ok, reason, boxes re-checked)."""
    if doc.get("format") != FORMAT:
        return False, f"unknown certificate format {doc.get('format')!r}", 0
    for ident in doc.get("identities") or []:
        if not reduce_to_zero(decode(ident["lhs"]) - decode(ident["rhs"])):
            return False, f"identity '{ident['name']}' does not reduce to 0", 0
    for q in doc.get("positives") or []:
        if decode(q["expr"]).is_positive is not True:
            return False, f"'{q['name']}' is not proven positive", 0
    boxes = 0
    for g in doc.get("goals") or []:
        ok, why, n = recheck(g["certificate"])
        boxes += n
        if not ok:
            return False, f"{g['certificate']['goal']['name']}: {why}", boxes
    return True, "", boxes


def matches(doc: Mapping[str, Any], proof: Proof) -> bool:
    """Whether a certificate is one of this proof (the same statement, by hash)."""
    return doc.get("key") == proof.key()


def point_str(p: Mapping[str, Fraction]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in p.items())


def summary(doc: Mapping[str, Any]) -> str:
    """One line: identities, inequalities, boxes."""
    ni, ng, nb = len(doc.get("identities") or []), len(doc.get("goals") or []), doc.get("boxes", 0)
    return (f"{ni} {'identity' if ni == 1 else 'identities'}, {ng} "
            f"{'inequality' if ng == 1 else 'inequalities'}, {nb} {'box' if nb == 1 else 'boxes'} "
            f"(certificate {doc.get('key')})")


# --- the check ------------------------------------------------------------------------------------
WHAT = "every inequality of the proof on the whole compact domain"


def checks_of(at_check: Any) -> list[Any]:
    """The point checks a whole-domain check stands for (none, one, or a tuple)."""
    if at_check is None:
        return []
    return list(at_check) if isinstance(at_check, (list, tuple)) else [at_check]


def whole_domain(name: str, build: Callable[[Any], Proof], at_check: Any = None,
                 what: str = WHAT) -> Any:
    """A :class:`~fa_proofs.engine.Check` proving the statement over the whole domain
    (evidence 'certified over the whole domain', with the certificate).  At a user's point
    (``--at``, ``replay``, shrinking) it runs ``at_check`` there instead (a check, or several:
    those that apply at the point; a proof over the whole domain says nothing more at one
    point)."""
    from .engine import Check
    from .verdicts import Counterexample, Evidence, failed, passed, undecided

    def fn(statement, points, run):
        if run.at is not None:
            checks = checks_of(at_check)
            outs = []
            for c in checks:
                pts = [p for p in points if c.applies is None or c.applies(p)]
                if pts:
                    out = c.fn(statement, pts, run)
                    outs += [out] if not isinstance(out, (list, tuple)) else list(out)
            if not outs:
                # no point check applies here (e.g. theta0 = r in a sign table): as for a check
                # whose 'applies' excludes the point, nothing is reported
                return [] if at_check is not None else undecided(
                    name, Evidence.DOMAIN, what, note="a proof over the whole domain has no "
                    "point check")
            here = ("at a point the claim's own check runs there; the proof over the whole "
                    "domain runs without --at")
            return [replace(o.renamed(name), note=f"{o.note}; {here}" if o.note else here)
                    for o in outs]
        try:
            proof = build(statement)
        except NotReducible as exc:
            return undecided(name, Evidence.DOMAIN, what, note=str(exc))
        res = certify(proof)
        if res.status == "proved":
            doc = res.document
            # no timing or cache state in the result: verify's JSON is deterministic; 'covers'
            # names the sampled checks of the same statement (engine.run.strongest_evidence)
            return passed(name, Evidence.DOMAIN, what, note=summary(doc),
                          certificate={**doc, "covers": [c.name for c in checks_of(at_check)]})
        out, st = res.outcome, res.step
        if res.status == "violated":
            params = proof.to_point(out.point, st)
            relation = f"{st.goal.name}: {st.goal.relation()}"
            values = {"value": out.value, **{k: str(val) for k, val in out.point.items()}}
            cx = Counterexample.of(params, relation, values,
                                   Evidence.EXACT if out.by == "exact" else Evidence.BALL)
            return failed(name, cx.evidence, what, cx,
                          note="the statement fails at a certified point found by the "
                               "whole-domain proof")
        if res.status == "broken":
            pt = ", ".join(f"{k} = {val}" for k, val in out.point.items())
            return undecided(name, Evidence.DOMAIN, what,
                             note=f"the proof does not go through: '{st.goal.name}' fails at "
                                  f"{pt} (value {out.value}, certified); no counterexample to "
                                  "the statement follows from it")
        return undecided(name, Evidence.DOMAIN, what, note=res.reason)
    fn.build = build            # type: ignore[attr-defined]  # replay re-derives the proof
    return Check(name, fn, samples=0)


__all__ = ["whole_domain", "NotReducible", "Identity", "Positive", "Step", "Proof", "ProofResult", "certify",
           "recheck_document", "matches", "cache_dir", "summary"]
