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
    try:
        with open(path) as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not JSON ({exc.msg}, line {exc.lineno})") from None
    return collect(doc)


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
