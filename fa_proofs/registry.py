"""The claim registry: every checked statement of the paper, under the paper's own label.

Ids are the paper's labels in lower case (``thm2``, ``lem12``, ``eq55``); a case of a claim is a
suffix after a dot (``thm3.delta_pos``).  Appendix restatements are aliases (``thm11`` is
``thm2``).  Selecting a claim also selects its cases.  Claims register themselves when their
section module is imported (:func:`fa_proofs.sections.load_all`).
"""
from __future__ import annotations

from typing import Iterable

from .engine.claim import Claim
from .errors import UsageError

_CLAIMS: dict[str, Claim] = {}
_ALIASES: dict[str, str] = {}


def register(claim: Claim) -> Claim:
    if claim.id in _CLAIMS or claim.id in _ALIASES:
        raise ValueError(f"claim id {claim.id!r} registered twice")
    _CLAIMS[claim.id] = claim
    for alias in claim.aliases:
        _ALIASES[alias] = claim.id
    return claim


def _load() -> None:
    from .sections import load_all
    load_all()


def all_claims() -> list[Claim]:
    _load()
    return list(_CLAIMS.values())


def canonical_id(name: str) -> str:
    """Resolve an id or alias (also for cases: ``thm11.lambda_zero`` -> ``thm2.lambda_zero``)."""
    _load()
    key = name.strip().lower()
    head, dot, tail = key.partition(".")
    head = _ALIASES.get(head, head)
    key = head + dot + tail
    key = _ALIASES.get(key, key)
    if key not in _CLAIMS:
        raise UsageError(f"unknown claim id {name!r}; 'fa-proofs list' shows the ids")
    return key


def get(name: str) -> Claim:
    return _CLAIMS[canonical_id(name)]


def select(names: Iterable[str]) -> list[Claim]:
    """The claims named (with their cases), in registry order; all claims when none is named."""
    names = list(names)
    claims = all_claims()
    if not names:
        return claims
    wanted = {canonical_id(n) for n in names}
    return [c for c in claims
            if c.id in wanted or c.id.split(".")[0] in wanted]
