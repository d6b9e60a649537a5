"""Replay: re-check saved counterexamples.

A file is the JSON of ``verify --json`` (every counterexample of every check, printed and
corrected), or ``{"counterexamples": [...]}`` / a list of counterexample objects in the same format
(each naming its ``claim``, ``check`` and ``variant``).  Each counterexample is re-checked by running
the check that produced it at its exact point; it is *still certified* only if that check fails
there again, certified.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable

from ..errors import UsageError
from ..profiles import Profile
from ..verdicts import Status
from .shrink import recheck


@dataclass(frozen=True)
class Saved:
    claim: str
    check: str
    variant: str
    params: dict[str, str]
    relation: str = ""


@dataclass(frozen=True)
class Replayed:
    saved: Saved
    certified: bool
    reason: str
    values: dict[str, str]


def _from_result(claim_id: str, entry: dict, variant: str) -> Saved | None:
    cx = entry.get("counterexample")
    if not cx:
        return None
    return Saved(cx.get("claim") or claim_id, cx.get("check") or entry.get("name", ""),
                 cx.get("variant") or variant, dict(cx.get("params") or {}),
                 cx.get("relation") or cx.get("description", ""))


def collect(doc: Any) -> list[Saved]:
    """Every counterexample in a parsed file (see the module doc), without repeats."""
    out: list[Saved] = []
    if isinstance(doc, dict) and "claims" in doc:
        for c in doc["claims"]:
            cid = c.get("id", "")
            for key, variant in (("checks", "printed"), ("corrected_checks", "corrected")):
                for entry in c.get(key) or []:
                    s = _from_result(cid, entry, variant)
                    if s is not None:
                        out.append(s)
    elif isinstance(doc, dict) and ("certificates" in doc or ("goals" in doc and "key" in doc)):
        return []
    else:
        items = doc.get("counterexamples") if isinstance(doc, dict) else doc
        if not isinstance(items, list):
            raise UsageError("expected the JSON of 'verify --json', or a list of counterexamples")
        for cx in items:
            if not isinstance(cx, dict) or not cx.get("claim") or not cx.get("check"):
                raise UsageError("every counterexample needs 'claim', 'check' and 'params'")
            out.append(Saved(cx["claim"], cx["check"], cx.get("variant") or "printed",
                             dict(cx.get("params") or {}), cx.get("relation", "")))
    seen, unique = set(), []
    for s in out:
        key = (s.claim, s.check, s.variant, tuple(sorted(s.params.items())))
        if key not in seen:
            seen.add(key)
            unique.append(s)
    return unique


def load(path: str) -> list[Saved]:
    return collect(load_document(path))


def replay_one(saved: Saved, profile: Profile, seed: int = 0) -> Replayed:
    from ..registry import get
    from .claim import Claim
    from ..verdicts import Counterexample, Evidence
    try:
        claim: Claim = get(saved.claim)
        claim.check(saved.check, saved.variant)
        point = claim.domain.parse(saved.params)
    except (UsageError, KeyError, ValueError) as exc:
        return Replayed(saved, False, f"cannot replay: {exc}", {})
    stub = Counterexample(saved.params, saved.relation, {}, Evidence.BALL, claim.id, saved.check,
                          saved.variant)
    from .run import Run
    res = recheck(claim, stub, point, Run(profile, seed, shrink=False))
    if res is None or res.status is not Status.FAIL:
        return Replayed(saved, False, "the check does not fail there (not certified)", {})
    cx = res.counterexample
    return Replayed(saved, True, f"{cx.relation} ({cx.evidence.value})", dict(cx.values))


def replay(saved: Iterable[Saved], profile: Profile, seed: int = 0) -> list[Replayed]:
    return [replay_one(s, profile, seed) for s in saved]


# --- whole-domain certificates ----------------------------------------------------------------
@dataclass(frozen=True)
class SavedCertificate:
    """A proof certificate found in a file: the check that produced it (if known) and its data."""

    claim: str
    check: str
    variant: str
    document: dict


@dataclass(frozen=True)
class RecheckedCertificate:
    saved: SavedCertificate
    ok: bool
    reason: str
    boxes: int
    seconds: float
    current: bool | None     # whether it is the certificate of the registered statement


def collect_certificates(doc: Any) -> list[SavedCertificate]:
    """Every proof certificate in a parsed file: the JSON of ``verify --json`` (each check's
    ``certificate``), one certificate document, or ``{"certificates": [...]}``."""
    out: list[SavedCertificate] = []
    if isinstance(doc, dict) and "claims" in doc:
        for c in doc["claims"]:
            for key, variant in (("checks", "printed"), ("corrected_checks", "corrected")):
                for entry in c.get(key) or []:
                    if isinstance(entry.get("certificate"), dict):
                        out.append(SavedCertificate(c.get("id", ""), entry.get("name", ""),
                                                    variant, entry["certificate"]))
    elif isinstance(doc, dict) and "certificates" in doc:
        for cert in doc["certificates"]:
            out.append(SavedCertificate(cert.get("claim", ""), "", cert.get("variant", ""), cert))
    elif isinstance(doc, dict) and "goals" in doc and "key" in doc:
        out.append(SavedCertificate(doc.get("claim", ""), "", doc.get("variant", ""), doc))
    return out


def _current_key(saved: SavedCertificate) -> str | None:
    """The key of the proof the registered claim builds today (None if it cannot be told)."""
    from ..registry import get
    try:
        claim = get(saved.claim)
        check, variant = claim.check(saved.check, saved.variant or None)
    except (UsageError, KeyError, ValueError):
        return None
    build = getattr(check.fn, "build", None)
    if build is None:
        return None
    try:
        return build(claim.statement_of(variant)).key()
    except Exception:  # noqa: BLE001 - a statement that no longer reduces: not current
        return ""


def recheck_certificates(items: Iterable[SavedCertificate]) -> list[RecheckedCertificate]:
    """Re-verify every certificate from scratch (:func:`fa_proofs.certificates.recheck_document`)
    and say whether it is the certificate of the statement registered today."""
    import time
    from ..certificates import recheck_document
    out = []
    for s in items:
        start = time.perf_counter()
        ok, why, boxes = recheck_document(s.document)
        key = _current_key(s) if s.check else None
        current = None if key is None else key == s.document.get("key")
        out.append(RecheckedCertificate(s, ok, why, boxes, time.perf_counter() - start, current))
    return out


def load_document(path: str) -> Any:
    try:
        with open(path) as fh:
            return json.load(fh)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not JSON ({exc.msg}, line {exc.lineno})") from None
