"""Running claims and presenting verdicts: a text table and a JSON document."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Iterable

from .registry import Claim, RunContext
from .verdicts import CheckResult, Outcome, Status, Verdict, undecided


@dataclass
class ClaimReport:
    claim: Claim
    outcome: Outcome
    verdict: Verdict
    seconds: float

    def to_json(self) -> dict[str, Any]:
        cx = self.outcome.counterexample()
        return {
            "id": self.claim.id,
            "aliases": list(self.claim.aliases),
            "title": self.claim.title,
            "location": self.claim.location,
            "verdict": self.verdict.value,
            "statement": " ".join(self.claim.statement.split()),
            "correction": self.outcome.correction if self.verdict is Verdict.CORRECTED
            else None,
            "counterexample": None if cx is None else cx.to_json(),
            "checks": [c.to_json() for c in self.outcome.checks],
            "corrected_checks": [c.to_json() for c in self.outcome.corrected_checks],
            "notes": list(self.outcome.notes),
        }


def run_claim(claim: Claim, ctx: RunContext) -> ClaimReport:
    """Run one claim; an exception inside a check is an ``undecided`` verdict, never a pass."""
    start = time.perf_counter()
    try:
        outcome = claim.verify(ctx)
    except Exception as exc:  # noqa: BLE001 - reported as undecided with the reason
        outcome = Outcome([undecided("verification raised", f"{type(exc).__name__}: {exc}")])
    return ClaimReport(claim, outcome, outcome.verdict(), time.perf_counter() - start)


def run(claims: Iterable[Claim], ctx: RunContext) -> list[ClaimReport]:
    return [run_claim(c, ctx) for c in claims]


def to_json(reports: list[ClaimReport], ctx: RunContext) -> str:
    return json.dumps({"profile": ctx.profile.name, "seed": ctx.seed,
                       "claims": [r.to_json() for r in reports]}, indent=2)


def _first_problem(checks: list[CheckResult]) -> str:
    for status in (Status.FAIL, Status.UNDECIDED):
        for c in checks:
            if c.status is status:
                return f"{c.name}: {c.detail}"
    return f"{len(checks)} checks passed"


def to_table(reports: list[ClaimReport], verbose: bool = False) -> str:
    width = max([len(r.claim.id) for r in reports] + [5])
    lines = [f"{'claim':<{width}}  {'verdict':<10}  summary", "-" * (width + 60)]
    for r in reports:
        lines.append(f"{r.claim.id:<{width}}  {r.verdict.value:<10}  "
                     f"{_first_problem(r.outcome.checks)}")
        if r.verdict is Verdict.CORRECTED and r.outcome.correction:
            lines.append(f"{'':<{width}}  {'':<10}  correction: {r.outcome.correction}")
        cx = r.outcome.counterexample()
        if cx is not None:
            params = ", ".join(f"{k}={v}" for k, v in cx.params.items())
            lines.append(f"{'':<{width}}  {'':<10}  counterexample: {params} ({cx.description}; "
                         f"{cx.certified_by})")
        if verbose:
            for c in r.outcome.checks + r.outcome.corrected_checks:
                lines.append(f"{'':<{width}}    [{c.status.value:^9}] {c.name}: {c.detail}")
            for n in r.outcome.notes:
                lines.append(f"{'':<{width}}    note: {n}")
    counts = {v: sum(1 for r in reports if r.verdict is v) for v in Verdict}
    lines.append("-" * (width + 60))
    lines.append(", ".join(f"{n} {v.value}" for v, n in counts.items()) +
                 f"  ({sum(r.seconds for r in reports):.1f} s)")
    return "\n".join(lines)
