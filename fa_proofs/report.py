"""Presenting results: the only module that writes prose.  A check's one-line description, the
verdict table (row by row, so that ``verify`` can stream it), and the JSON document."""
from __future__ import annotations

import json
from typing import Any, Sequence

from .verdicts import CheckResult, Evidence, Status, Verdict

_COVER = {Evidence.SYMBOLIC: "proved symbolically", Evidence.DOMAIN: "certified on the whole domain",
          Evidence.EXACT: "exact", Evidence.BALL: "certified", Evidence.MP: "high precision",
          Evidence.FLOAT: "double precision"}


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.6g}"


def _coverage(c: CheckResult) -> str:
    if c.evidence is Evidence.SYMBOLIC:
        return "proved symbolically" + (" at the point" if c.points == 1 else "")
    if c.steps:
        return (f"{_COVER[c.evidence]} at {c.steps} steps of {c.points} "
                f"orbit{'s' if c.points != 1 else ''}")
    if c.points:
        unit = {Evidence.FLOAT: "trajectories", Evidence.MP: "trajectories"}.get(
            c.evidence, "exact points")
        if c.points == 1:
            unit = {"trajectories": "trajectory", "exact points": "exact point"}[unit]
        return f"{_COVER[c.evidence]} at {c.points} {unit}"
    return _COVER[c.evidence]


def _measure(c: CheckResult) -> str:
    m = c.measure
    if m is None:
        return ""
    at = ""
    if m.at:
        at = " (at " + ", ".join(f"{k} = {v}" if k == "t" else f"{k}={v}"
                                 for k, v in m.at.items()) + ")"
    tol = "" if m.tolerance is None else f", tolerance {m.tolerance:.0e}"
    return f"; {m.quantity} = {_fmt(m.value)}{at}{tol}"


def describe_check(c: CheckResult) -> str:
    """One line: the relation, what happened, on how much, how tight."""
    what = f"{c.what}: " if c.what else ""
    note = f" ({c.note})" if c.note else ""
    if c.status is Status.FAIL and c.counterexample is not None:
        cx = c.counterexample
        t = cx.params.get("t")
        where = f"fails at t = {t}" if t is not None else "fails"
        vals = ", ".join(f"{k} {v}" for k, v in cx.values.items())
        return f"{what}{where}: {vals or cx.relation}{note}"
    if c.status is Status.UNDECIDED:
        return f"{what}undecided{note}" + (f"; {_coverage(c)}" if c.points or c.steps else "") \
            + _measure(c)
    return f"{what}{_coverage(c)}{_measure(c)}{note}"


def counterexample_line(cx) -> str:
    params = ", ".join(f"{k}={v}" for k, v in cx.params.items())
    return f"{params} ({cx.description}; {cx.certified_by})"


def _summary(checks: Sequence[CheckResult]) -> str:
    for status in (Status.FAIL, Status.UNDECIDED):
        for c in checks:
            if c.status is status:
                return f"{c.name}: {describe_check(c)}"
    n = len(checks)
    return f"{n} check{'s' if n != 1 else ''} passed"


def table_header(width: int) -> list[str]:
    return [f"{'claim':<{width}}  {'verdict':<10}  summary", "-" * (width + 60)]


def table_rows(r, width: int, verbose: bool = False) -> list[str]:
    pad = f"{'':<{width}}  {'':<10}  "
    lines = [f"{r.id:<{width}}  {r.verdict.value:<10}  {_summary(r.checks)}"]
    if r.at is not None:
        where = ", ".join(f"{k}={v}" for k, v in r.at.items())
        lines.append(pad + f"at {where}" + (" (outside the stated hypotheses)" if r.outside else ""))
    if r.verdict is Verdict.CORRECTED and r.correction:
        lines.append(pad + f"correction: {r.correction}")
    cx = r.counterexample()
    if cx is not None:
        lines.append(pad + f"counterexample: {counterexample_line(cx)}")
        if cx.found is not None and dict(cx.found) != dict(cx.params):
            lines.append(pad + "  (shrunk from " + ", ".join(f"{k}={v}" for k, v in cx.found.items())
                         + ")")
    if verbose:
        for c in r.checks + r.corrected_checks:
            lines.append(f"{'':<{width}}    [{c.status.value:^9}] {c.name}: {describe_check(c)}")
        for n in r.notes:
            lines.append(f"{'':<{width}}    note: {n}")
    return lines


def table_footer(results: Sequence, width: int, seconds: float) -> list[str]:
    counts = {v: sum(1 for r in results if r.verdict is v) for v in Verdict}
    return ["-" * (width + 60),
            ", ".join(f"{n} {v.value}" for v, n in counts.items()) + f"  ({seconds:.1f} s)"]


def id_width(ids: Sequence[str]) -> int:
    return max([len(i) for i in ids] + [5])


def to_table(results: Sequence, verbose: bool = False, seconds: float | None = None) -> str:
    width = id_width([r.id for r in results])
    lines = table_header(width)
    for r in results:
        lines += table_rows(r, width, verbose)
    total = sum(r.seconds for r in results) if seconds is None else seconds
    return "\n".join(lines + table_footer(results, width, total))


def to_json(results: Sequence, profile: str, seed: int, extra: dict[str, Any] | None = None
            ) -> str:
    doc = {"profile": profile, "seed": seed}
    doc.update(extra or {})
    doc["claims"] = [r.to_json() for r in results]
    return json.dumps(doc, indent=2)


def replay_lines(items) -> list[str]:
    lines = []
    for it in items:
        s = it.saved
        params = ", ".join(f"{k}={v}" for k, v in s.params.items())
        status = "certified" if it.certified else "NOT certified"
        lines.append(f"{s.claim} [{s.variant}] {s.check}: {params}: {status}: {it.reason}")
    n_ok = sum(1 for it in items if it.certified)
    lines.append(f"{n_ok} of {len(items)} counterexamples still certified")
    return lines
