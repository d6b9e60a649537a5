"""What the property tests of every section share: points drawn from a claim's own domain, and
the claim's own checks run at them (as ``verify --at`` runs them), where every result must pass."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import note, target
from hypothesis import strategies as st

from fa_proofs.engine.claim import Claim
from fa_proofs.engine.run import run_check
from fa_proofs.registry import get
from fa_proofs.verdicts import Status


def _claim(c: str | Claim) -> Claim:
    return get(c) if isinstance(c, str) else c


def draw_point(data, cid: str, claim: Claim | None = None, domain=None):
    claim = claim or get(cid)
    return data.draw((domain or claim.domain).strategy(claim.parts), label=f"{cid} point")


def checks_at(run, claim: str | Claim, point, names=None, variant: str = "printed",
              require: bool = False) -> list:
    """The claim's checks (those named, or all; of the correction with ``variant="corrected"``)
    at ``point``; each result must pass, and with ``require`` at least one check must apply."""
    claim = _claim(claim)
    at = replace(run, at=point, shrink=False)
    checks = claim.checks if variant == "printed" else claim.correction.checks
    statement = claim.parts if variant == "printed" else claim.corrected_parts()
    out = []
    for check in checks:
        if names is not None and check.name not in names:
            continue
        results = run_check(claim, check, statement, variant, at)
        bad = [r for r in results if r.status is not Status.PASS]
        assert not bad, [(r.name, r.status.value, r.note, r.counterexample) for r in bad] + [point]
        out += results
    assert out or not require, (claim.id, names, point)   # no check applied: nothing tested
    return out


def batch(data, cid: str, max_size: int = 6, where=None) -> list[dict]:
    claim = get(cid)
    pts = claim.domain.strategy(claim.parts)
    if where is not None:
        pts = pts.filter(where)
    return data.draw(st.lists(pts, min_size=1, max_size=max_size), label=f"{cid} points")


def run_checks(run, cid: str, names: set[str], points: list[dict]) -> list:
    """The named checks of the claim on exactly these points (those each check applies to);
    every result must pass, and each measure over its tolerance is a Hypothesis target."""
    claim = get(cid)
    sub = replace(run, shrink=False)
    results = []
    for check in claim.checks:
        if check.name in names:
            pts = [p for p in points if check.applies is None or check.applies(p)]
            if pts:
                results += run_check(claim, check, claim.parts, "printed", sub, points=pts)
    note("; ".join(f"{r.name}: {r.status.value} {r.measure} {r.note}" for r in results))
    for r in results:
        m = r.measure
        if m is not None and m.tolerance and m.value is not None and np.isfinite(m.value):
            target(float(m.value) / m.tolerance, label=f"{cid}: {r.name}: {m.quantity} / tol")
    bad = [r for r in results if r.status is not Status.PASS]
    assert not bad, [(r.name, r.status.value, r.measure, r.note) for r in bad] + [points]
    return results
