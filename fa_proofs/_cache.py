"""The verdict cache: ``fa-proofs verify`` records the verdict of each claim it decides (not of a
run ``--at`` a point), and ``fa-proofs list`` shows them.  Nothing else reads it: it never
affects a verdict.

The file is ``$FA_PROOFS_CACHE`` if set (empty: no cache), else
``$XDG_CACHE_HOME/fa-proofs/verdicts.json`` (``~/.cache/fa-proofs/verdicts.json`` without
``XDG_CACHE_HOME``).  It is written atomically; a cache that cannot be read or written is
ignored.
"""
from __future__ import annotations

import datetime
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Sequence

from . import __version__

FORMAT = 1


def path() -> Path | None:
    explicit = os.environ.get("FA_PROOFS_CACHE")
    if explicit is not None:
        return Path(explicit).expanduser() if explicit.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fa-proofs" / "verdicts.json"


def load() -> dict[str, dict[str, Any]]:
    """Claim id -> {verdict, erratum, profile, seed, version, when}; {} when there is none."""
    p = path()
    if p is None:
        return {}
    try:
        doc = json.loads(p.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return {}
    claims = doc.get("claims")
    return {k: v for k, v in claims.items() if isinstance(v, dict)} \
        if isinstance(claims, dict) else {}


def record(results: Sequence, profile: str, seed: int) -> None:
    """Add the verdicts of ``results`` (ClaimResults of a sampled run) to the cache."""
    from .report import erratum
    p = path()
    if p is None or not results:
        return
    when = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    claims = load()
    for r in results:
        claims[r.id] = {"verdict": r.verdict.value, "erratum": erratum(r.id), "profile": profile,
                        "seed": seed, "version": __version__, "when": when}
    doc = {"format": FORMAT, "claims": claims}
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".verdicts-", dir=p.parent)
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump(doc, fh, indent=1, sort_keys=True)
            os.replace(tmp, p)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
