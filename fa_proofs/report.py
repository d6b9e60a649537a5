"""Presenting results: the only module that writes prose.  A check's one-line description, the
verdict table (row by row, so that ``verify`` can stream it, fitted to the terminal), the JSON
document, and the replay lines.

The default table fits its width: each line is cut at the width with ``...`` (the full text is in
``-v``, which wraps instead of cutting, and in the JSON).  A command that reproduces something is
never cut: it is wrapped into shell continuation lines.
"""
from __future__ import annotations

import json
import shlex
import shutil
import textwrap
from typing import Any, Iterable, Mapping, Sequence

from . import __version__
from .verdicts import CheckResult, Evidence, Status, Verdict

#: The version of the JSON document of ``verify --json`` (its fields are listed in the README).
SCHEMA_VERSION = 2

#: The errata of ``notes/errata.md``: claim id -> entry.
ERRATA: dict[str, str] = {"eq5": "E1", "thm9": "E2", "eq126": "E3", "eq138": "E4",
                          "thm10": "E5", "eq188": "E6", "eq10": "E7"}

#: The fields of the JSON document that depend on the machine, not on the verdicts: a test
#: compares the rest byte for byte across ``-j`` and processes.
TIMING_FIELDS = ("elapsed_seconds",)

VERDICT_WIDTH = 12          # "corrected E3"
MIN_WIDTH = 60

_COVER = {Evidence.SYMBOLIC: "proved symbolically", Evidence.DOMAIN: "certified on the whole domain",
          Evidence.EXACT: "exact", Evidence.BALL: "certified", Evidence.MP: "high precision",
          Evidence.FLOAT: "double precision"}

_IRREGULAR = {"trajectory": "trajectories", "check": "checks", "holds": "holds",
              "was": "were", "is": "are"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 check``, ``2 checks``, ``1 trajectory``, ``3 trajectories``."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {many or _IRREGULAR.get(word, word + 's')}"


def erratum(claim_id: str) -> str | None:
    """The erratum of ``notes/errata.md`` a claim's correction is filed under, if any."""
    return ERRATA.get(claim_id)


def terminal_width() -> int:
    """The width the default table is fitted to: the terminal's when standard output is one,
    else ``$COLUMNS``, else 100 columns."""
    return max(MIN_WIDTH, shutil.get_terminal_size((100, 24)).columns)


def fit(line: str, width: int) -> str:
    """``line`` cut to ``width`` characters with ``...`` (unchanged when it fits)."""
    return line if len(line) <= width else line[:max(width - 3, 0)].rstrip() + "..."


def wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    """``text`` wrapped to ``width`` after the prefix ``first`` (continuations after ``rest``);
    nothing is dropped, and a word longer than the line is split."""
    return textwrap.wrap(text, width=max(width, len(first) + 20), initial_indent=first,
                         subsequent_indent=rest, break_on_hyphens=False,
                         drop_whitespace=True) or [first.rstrip()]


def wrap_command(words: Sequence[str], width: int, indent: str) -> list[str]:
    """A shell command split into lines of at most ``width`` characters (where it can be) with
    backslash continuations, so that it can be pasted as it is."""
    lines: list[str] = []
    cur = indent
    for w in (shlex.quote(w) for w in words):
        if cur.strip() and len(cur) + 1 + len(w) + 2 > width:
            lines.append(cur + " \\")
            cur = indent + "  " + w
        else:
            cur = cur + (" " if cur.strip() else "") + w
    lines.append(cur)
    return lines


# --- one check ----------------------------------------------------------------------------------
def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.6g}"


def _coverage(c: CheckResult) -> str:
    if c.evidence is Evidence.SYMBOLIC:
        return "proved symbolically" + (" at the point" if c.points == 1 else "")
    if c.steps:
        return (f"{_COVER[c.evidence]} at {plural(c.steps, 'step')} of "
                f"{plural(c.points, 'orbit')}")
    if c.points:
        unit = {Evidence.FLOAT: "trajectory", Evidence.MP: "trajectory"}.get(
            c.evidence, "exact point")
        return f"{_COVER[c.evidence]} at {plural(c.points, unit)}"
    return _COVER[c.evidence]


def _where(at: Mapping[str, str]) -> str:
    return ", ".join(f"{k} = {v}" if k == "t" else f"{k}={v}" for k, v in at.items())


def _measure(c: CheckResult) -> str:
    m = c.measure
    if m is None:
        return ""
    at = f" (at {_where(m.at)})" if m.at else ""
    tol = "" if m.tolerance is None else f", tolerance {m.tolerance:.0e}"
    return f"; {m.quantity} = {_fmt(m.value)}{at}{tol}"


def describe_check(c: CheckResult) -> str:
    """One line: the relation, what happened, on how much, how tight (the JSON's ``detail``)."""
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


def check_line(c: CheckResult) -> str:
    """``name: detail``, without saying the relation twice when the name already ends with it."""
    detail = describe_check(c)
    if c.what and (c.name == c.what or c.name.endswith(": " + c.what)):
        detail = detail[len(c.what) + 2:]
    return f"{c.name}: {detail}"


def counterexample_line(cx) -> str:
    params = ", ".join(f"{k}={v}" for k, v in cx.params.items())
    return f"{params} ({cx.description}; {cx.certified_by})"


def short_line(c: CheckResult) -> str:
    """``name: detail`` without the relation (the check's name says which it is); an undecided
    check leads with its measure (the case it names is in the ``reproduce`` command)."""
    if c.status is Status.UNDECIDED:
        return f"{c.name}: undecided"            # the measure and case: undecided_line
    detail = describe_check(c)
    if c.what and detail.startswith(c.what + ": "):
        detail = detail[len(c.what) + 2:]
    return f"{c.name}: {detail}"


def undecided_line(c: CheckResult) -> str:
    """What an undecided check measured, against which tolerance, and at which case."""
    parts = []
    m = c.measure
    if m is not None:
        tol = "" if m.tolerance is None else f" (tolerance {m.tolerance:.0e})"
        parts.append(f"{m.quantity} = {_fmt(m.value)}{tol}")
        if m.at:
            parts.append(f"at {_where(m.at)}")
    if c.note:
        parts.append(c.note)
    if c.points or c.steps:
        parts.append(_coverage(c))
    return "; ".join(parts)


def _tally(checks: Sequence[CheckResult]) -> str:
    """``3 checks passed``, ``1 failed, 2 passed``, ``1 undecided, 13 passed``."""
    n = {st: sum(1 for c in checks if c.status is st) for st in Status}
    if n[Status.FAIL] == n[Status.UNDECIDED] == 0:
        return f"{plural(len(checks), 'check')} passed"
    parts = [f"{n[Status.FAIL]} failed" if n[Status.FAIL] else "",
             f"{n[Status.UNDECIDED]} undecided" if n[Status.UNDECIDED] else "",
             f"{n[Status.PASS]} passed" if n[Status.PASS] else ""]
    return ", ".join(p for p in parts if p)


def _summary(r, verbose: bool = False) -> str:
    """The failing (else undecided) check in one line; with ``verbose``, where every check is
    listed below, the tally of the printed statement's checks and of the correction's."""
    if verbose:
        text = _tally(r.checks)
        if r.corrected_checks:
            text = f"printed: {text}; corrected: {_tally(r.corrected_checks)}"
        return text
    for status in (Status.FAIL, Status.UNDECIDED):
        for c in r.checks:
            if c.status is status:
                return short_line(c)
    return f"{plural(len(r.checks), 'check')} passed"


def first_undecided(r) -> CheckResult | None:
    for c in list(r.checks) + list(r.corrected_checks):
        if c.status is Status.UNDECIDED:
            return c
    return None


def reproduce(r, profile: str = "ci", seed: int = 0) -> list[str] | None:
    """The command (as words) that reruns an undecided claim at the case that failed, when the
    check named it as a point of the claim's domain; else the command that reruns the claim."""
    from .errors import UsageError
    from .registry import get
    c = first_undecided(r)
    if c is None:
        return None
    words = ["fa-proofs", "verify", r.id]
    at = dict(r.at) if r.at is not None else (dict(c.measure.at) if c.measure is not None
                                               and c.measure.at else None)
    if at:
        claim = get(r.id)
        try:
            claim.domain.validate(at, claim.parts, outside=True)
        except (UsageError, KeyError, ValueError, TypeError, ArithmeticError):
            at = None
    if at:
        words += ["--at", *(f"{k}={v}" for k, v in at.items())]
        if r.outside:
            words.append("--outside")
    if profile != "ci":
        words += ["--profile", profile]
    if seed != 0:
        words += ["--seed", str(seed)]
    return words + ["-v"]


# --- the table ----------------------------------------------------------------------------------
def id_width(ids: Sequence[str]) -> int:
    return max([len(i) for i in ids] + [5])


def verdict_cell(r) -> str:
    e = erratum(r.id)
    return r.verdict.value + (f" {e}" if e and r.verdict is not Verdict.HOLDS else "")


def table_header(width: int, cols: int | None = None) -> list[str]:
    cols = cols or terminal_width()
    return [fit(f"{'claim':<{width}}  {'verdict':<{VERDICT_WIDTH}}  summary", cols),
            "-" * min(cols, width + VERDICT_WIDTH + 64)]


def table_rows(r, width: int, verbose: bool = False, cols: int | None = None,
               profile: str = "ci", seed: int = 0) -> list[str]:
    """The lines of one claim: its verdict and summary; where it was evaluated; its correction,
    counterexample and, if undecided, the command that reproduces it; with ``verbose`` every
    check and note in full (wrapped), else every line cut to ``cols``."""
    cols = cols or terminal_width()
    pad = " " * (width + VERDICT_WIDTH + 4)
    items: list[tuple[str, str, str]] = []        # (first prefix, text, continuation prefix)
    items.append((f"{r.id:<{width}}  {verdict_cell(r):<{VERDICT_WIDTH}}  ",
                  _summary(r, verbose), pad + "  "))
    if r.at is not None:
        where = ", ".join(f"{k}={v}" for k, v in r.at.items())
        items.append((pad, f"at {where}" + (" (outside the stated hypotheses)" if r.outside
                                             else ""), pad + "  "))
    if r.verdict is Verdict.CORRECTED and r.correction:
        items.append((pad, f"correction: {r.correction}", pad + "  "))
    cx = r.counterexample()
    if cx is not None:
        items.append((pad, f"counterexample: {counterexample_line(cx)}", pad + "  "))
        if cx.found is not None and dict(cx.found) != dict(cx.params):
            items.append((pad, "(shrunk from " + ", ".join(f"{k}={v}" for k, v in cx.found.items())
                          + ")", pad + "  "))
    if r.verdict is Verdict.UNDECIDED:
        u = first_undecided(r)
        if u is not None and r.checks and u not in r.checks:
            items.append((pad, "the correction is undecided: "
                          + (check_line(u) if verbose else short_line(u)), pad + "  "))
        if u is not None and not verbose and undecided_line(u):
            items.append((pad, undecided_line(u), pad + "  "))
    lines: list[str] = []
    for first, text, rest in items:
        lines += wrap(text, cols, first, rest) if verbose else [fit(first + text, cols)]
    words = reproduce(r, profile, seed) if r.verdict is Verdict.UNDECIDED else None
    if words:
        lines.append(pad + "reproduce:")
        lines += wrap_command(words, cols, pad + "  ")
    if verbose:
        ind = " " * (width + 4)
        for c in list(r.checks) + list(r.corrected_checks):
            first = f"{ind}[{c.status.value:^9}] "
            lines += wrap(check_line(c), cols, first, " " * len(first))
        for n in dict.fromkeys(r.notes):
            lines += wrap(n, cols, f"{ind}note: ", ind + "      ")
    return lines


def counts(results: Iterable) -> dict[str, int]:
    """Claims per verdict, every verdict named (0 included)."""
    results = list(results)
    return {v.value: sum(1 for r in results if r.verdict is v) for v in Verdict}


def footer_parts(results: Sequence, seconds: float, profile: str | None = None,
                 seed: int | None = None, total: int | None = None) -> tuple[str, str]:
    """(``53 holds, 0 refuted, 6 corrected, 0 undecided``, ``(profile ci, seed 0, fa-proofs
    0.3.0, 16.8 s)``); ``total``: how many claims were asked for, when the run stopped early."""
    text = ", ".join(f"{n} {v}" for v, n in counts(results).items())
    if total is not None and total != len(results):
        text += f" -- interrupted: {len(results)} of {plural(total, 'claim')} decided"
    ctx = []
    if profile is not None:
        ctx.append(f"profile {profile}")
    if seed is not None:
        ctx.append(f"seed {seed}")
    ctx += [f"fa-proofs {__version__}", f"{seconds:.1f} s"]
    return text, f"({', '.join(ctx)})"


def table_footer(results: Sequence, width: int, seconds: float, profile: str | None = None,
                 seed: int | None = None, cols: int | None = None, total: int | None = None
                 ) -> list[str]:
    """The rule and the counts with the run's profile, seed, version and time (on a second
    line when one does not fit)."""
    cols = cols or terminal_width()
    text, ctx = footer_parts(results, seconds, profile, seed, total)
    one = f"{text}  {ctx}"
    rule = "-" * min(cols, width + VERDICT_WIDTH + 64)
    if len(one) <= cols:
        return [rule, one]
    return [rule, *wrap(text, cols, "", "  "), *wrap(ctx, cols, "", "  ")]


def to_table(results: Sequence, verbose: bool = False, seconds: float | None = None,
             profile: str | None = None, seed: int | None = None, cols: int | None = None) -> str:
    cols = cols or terminal_width()
    width = id_width([r.id for r in results])
    lines = table_header(width, cols)
    for r in results:
        lines += table_rows(r, width, verbose, cols, profile or "ci", seed or 0)
    total = sum(r.seconds for r in results) if seconds is None else seconds
    return "\n".join(lines + table_footer(results, width, total, profile, seed, cols))


# --- JSON ---------------------------------------------------------------------------------------
def claim_json(r, profile: str = "ci", seed: int = 0) -> dict[str, Any]:
    out = r.to_json()
    out["erratum"] = erratum(r.id)
    words = reproduce(r, profile, seed) if r.verdict is Verdict.UNDECIDED else None
    out["reproduce"] = None if words is None else shlex.join(words)
    return out


def json_doc(results: Sequence, profile: str, seed: int, seconds: float | None = None,
             extra: dict[str, Any] | None = None, total: int | None = None) -> dict[str, Any]:
    """The document of ``verify --json`` (schema :data:`SCHEMA_VERSION`, fields in the README).
    Only the :data:`TIMING_FIELDS` depend on the machine."""
    doc: dict[str, Any] = {"tool": "fa-proofs", "version": __version__,
                           "schema": SCHEMA_VERSION, "profile": profile, "seed": seed}
    doc.update(extra or {})
    doc["summary"] = {"claims": len(results), **counts(results)}
    doc["interrupted"] = total is not None and total != len(results)
    doc["elapsed_seconds"] = None if seconds is None else round(seconds, 3)
    doc["claims"] = [claim_json(r, profile, seed) for r in results]
    return doc


def to_json(results: Sequence, profile: str, seed: int, seconds: float | None = None,
            extra: dict[str, Any] | None = None, total: int | None = None) -> str:
    return json.dumps(json_doc(results, profile, seed, seconds, extra, total), indent=2)


def strip_timing(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without its :data:`TIMING_FIELDS` (what is identical for any ``-j``)."""
    return {k: v for k, v in doc.items() if k not in TIMING_FIELDS}


# --- replay -------------------------------------------------------------------------------------
def replay_lines(items) -> list[str]:
    lines = []
    for it in items:
        s = it.saved
        params = ", ".join(f"{k}={v}" for k, v in s.params.items())
        status = "certified" if it.certified else "NOT certified"
        lines.append(f"{s.claim} [{s.variant}] {s.check}: {params}: {status}: {it.reason}")
    n_ok = sum(1 for it in items if it.certified)
    lines.append(f"{n_ok} of {plural(len(items), 'counterexample')} still certified")
    return lines


# --- writing ------------------------------------------------------------------------------------
class OutputError(Exception):
    """Standard output cannot be written (e.g. ``> /dev/full``); not a closed pipe."""


def emit(text: str) -> None:
    """Write a line (or lines) to standard output now; a write error becomes
    :class:`OutputError` (a closed pipe stays ``BrokenPipeError``)."""
    import sys
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(exc.strerror or str(exc)) from None
