"""The data of the verification report: one :class:`Entry` per claim, built from the claim
registry (statement, location, dependencies, formulas, correction) and from the JSON of a run
(``fa-proofs verify --json``: verdicts, typed checks, counterexamples, measures, times).

Working from the JSON document (not from live results) lets ``fa-proofs report --from FILE``
render a saved run, and keeps every format (HTML, Markdown, PDF, ``notes/errata.md``) on the
same data.  Evidence kinds and verdicts are read from :mod:`fa_proofs.verdicts` generically: a
kind added there appears in the report without a change here.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..verdicts import Evidence, Verdict

#: the measure whose value is a bound's tightness (largest actual/stated over the samples)
TIGHTNESS = "max lhs/rhs"

def _root() -> Path:
    """The source tree whose ``notes/`` the report reads: the package's own (a clone or an
    editable install), else the working directory's (a clone after ``pip install .``)."""
    here = Path(__file__).resolve().parents[2]
    for cand in (here, Path.cwd()):
        if (cand / "notes" / "claims.md").exists():
            return cand
    return here


ROOT = _root()


def evidence_of(value: str | None) -> Evidence | None:
    for e in Evidence:
        if e.value == value:
            return e
    return None


def weakest(kinds: Sequence[Evidence]) -> Evidence | None:
    return max(kinds, key=lambda e: e.rank) if kinds else None


@dataclass
class Entry:
    """One claim of the report (see the module doc)."""

    id: str
    title: str
    location: str
    statement: str
    aliases: tuple[str, ...]
    uses: tuple[str, ...]
    verdict: Verdict
    erratum: str | None
    json: Mapping[str, Any]
    seconds: float | None = None
    used_by: list[str] = field(default_factory=list)
    rests_on: list[str] = field(default_factory=list)   # non-holding claims it depends on

    @property
    def checks(self) -> list[Mapping[str, Any]]:
        return list(self.json.get("checks") or [])

    @property
    def corrected_checks(self) -> list[Mapping[str, Any]]:
        return list(self.json.get("corrected_checks") or [])

    def _kinds(self) -> list[Evidence]:
        if self.verdict is Verdict.REFUTED:
            cx = self.counterexample
            e = evidence_of(cx.get("evidence")) if cx else None
            return [e] if e is not None else []
        if self.verdict is Verdict.UNDECIDED:
            return []
        pool = self.checks if self.verdict is Verdict.HOLDS else self.corrected_checks
        return [e for e in (evidence_of(c.get("evidence")) for c in pool
                            if c.get("status") == "pass") if e is not None]

    @property
    def evidence(self) -> Evidence | None:
        """The strongest kind of evidence behind the verdict: among the passing checks of the
        statement that stands (the printed one when it holds, the correction's when corrected),
        the counterexample's when refuted; None when undecided."""
        kinds = self._kinds()
        return min(kinds, key=lambda e: e.rank) if kinds else None

    @property
    def weakest_evidence(self) -> Evidence | None:
        """The weakest kind among the same checks: what the verdict as a whole rests on."""
        return weakest(self._kinds())

    @property
    def tightness(self) -> tuple[float, Mapping[str, str] | None] | None:
        """The largest actual/stated ratio of the bound that stands, where measured."""
        pool = self.corrected_checks if self.verdict is Verdict.CORRECTED else self.checks
        best = None
        for c in pool:
            m = c.get("measure") or {}
            if m.get("quantity") == TIGHTNESS and m.get("value") is not None:
                if best is None or m["value"] > best[0]:
                    best = (float(m["value"]), m.get("at"))
        return best

    @property
    def counterexample(self) -> Mapping[str, Any] | None:
        return self.json.get("counterexample")

    @property
    def correction(self) -> str | None:
        return self.json.get("correction") or None

    @property
    def notes(self) -> list[str]:
        return list(self.json.get("notes") or [])

    @property
    def affected(self) -> bool:
        """Holds by itself, but rests on a claim that does not hold."""
        return self.verdict is Verdict.HOLDS and bool(self.rests_on)

    def replay_command(self) -> str | None:
        return replay_command(self.id, self.counterexample)


def replay_command(claim_id: str, cx: Mapping[str, Any] | None) -> str | None:
    """The one command that re-runs the claim at the counterexample's exact point (every check
    there, the failing one included); None for a claim without parameters."""
    if not cx:
        return None
    params = cx.get("params") or {}
    if not params:
        return shlex.join(["fa-proofs", "verify", claim_id, "-v"])
    words = ["fa-proofs", "verify", claim_id, "--at"]
    words += [f"{k}={''.join(str(v).split())}" for k, v in params.items()]
    return shlex.join(words)


@dataclass
class Report:
    entries: list[Entry]
    profile: str
    seed: int
    version: str
    claims_md: Mapping[str, str]
    figures: Mapping[str, list[FigureFile]]
    loose_figures: list[FigureFile] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entries}

    @property
    def counts(self) -> dict[str, int]:
        out = {v.value: 0 for v in Verdict}
        for e in self.entries:
            out[e.verdict.value] += 1
        return out


def _rests_on(entries: Mapping[str, Entry]) -> None:
    """Fill ``used_by`` and ``rests_on`` (the nearest non-holding claims below, through holding
    ones: a claim whose proof uses a refuted step is affected even when it holds)."""
    for e in entries.values():
        for u in e.uses:
            if u in entries:
                entries[u].used_by.append(e.id)
    for e in entries.values():
        found: list[str] = []
        seen: set[str] = set()
        stack = list(e.uses)
        while stack:
            u = stack.pop(0)
            if u in seen or u not in entries:
                continue
            seen.add(u)
            if entries[u].verdict is not Verdict.HOLDS:
                found.append(u)
            else:
                stack.extend(entries[u].uses)
        e.rests_on = found


def claims_md_sections(path: Path | None = None) -> dict[str, str]:
    """The reconstruction of each claim in ``notes/claims.md`` (the text under its heading
    '### `id`...'), keyed by claim id."""
    path = path or ROOT / "notes" / "claims.md"
    try:
        text = path.read_text()
    except OSError:
        return {}
    out: dict[str, str] = {}
    cur, buf = None, []
    for line in text.splitlines():
        m = re.match(r"^#{1,3} ", line)
        if m:
            if cur is not None:
                out[cur] = "\n".join(buf).strip()
            h = re.match(r"^### `([^`]+)`", line)
            cur, buf = (h.group(1) if h else None), [line]
            continue
        if cur is not None:
            buf.append(line)
    if cur is not None:
        out[cur] = "\n".join(buf).strip()
    # drop the heading line itself (the report writes its own)
    return {k: v.split("\n", 1)[1].strip() if "\n" in v else "" for k, v in out.items()}


FIGURE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class FigureFile:
    path: Path
    caption: str = ""


def figure_dirs() -> list[Path]:
    import os
    dirs = [Path(p) for p in os.environ.get("FA_PROOFS_FIGURES", "").split(os.pathsep) if p]
    return dirs + [Path.cwd() / "figures", ROOT / "figures"]


def _figure_rows(dirs: list[Path]) -> list[dict]:
    """The experiment's figures (``fa_proofs.figures.list_figures``, where that module exists):
    name, caption, location and files, for the first folder that has any of them."""
    try:
        from ..figures import list_figures  # type: ignore[import-not-found]
    except ImportError:
        return []
    for d in dirs:
        try:
            rows = list_figures(d)
        except Exception:  # noqa: BLE001 - the figures module is another issue's; never fatal
            return []
        if any(Path(f).exists() for r in rows for f in r.get("files", ())):
            return rows
    return []


def find_figures(claims) -> tuple[dict[str, list[FigureFile]], list[FigureFile]]:
    """Figures attached to claims, and those attached to none (embedded in a section of their
    own).  Sources: the experiment's :func:`fa_proofs.figures.list_figures` (figure ``1a`` goes
    to claim ``fig1a`` and to every claim whose location names "Figure 1a"), files named
    ``ID.png``, ``ID-*.svg``, ``figure1a.png`` ... in ``$FA_PROOFS_FIGURES`` or ``figures/``, and
    a claim's ``figures`` attribute.  None of it is required: absent figures are left out."""
    import re as _re
    out: dict[str, list[FigureFile]] = {}
    loose: list[FigureFile] = []
    claims = list(claims)
    ids = {c.id for c in claims}
    dirs = figure_dirs()
    seen: set[Path] = set()
    for row in _figure_rows(dirs):
        files = [Path(f) for f in row.get("files", ()) if Path(f).suffix.lower() in
                 FIGURE_SUFFIXES and Path(f).is_file()]
        if not files:
            continue
        name = str(row.get("name", ""))
        caption = f"Figure {name}: {row.get('caption', '')}".strip()
        targets = [f"fig{name}"] if f"fig{name}" in ids else []
        pat = _re.compile(rf"\bFigure {_re.escape(name)}\b", _re.I)
        targets += [c.id for c in claims if pat.search(c.location) and c.id not in targets]
        for f in files:
            seen.add(f.resolve())
            ff = FigureFile(f, caption)
            if targets:
                for t in targets:
                    out.setdefault(t, []).append(ff)
            else:
                loose.append(ff)
    files: list[Path] = []
    for d in dirs:
        if d.is_dir():
            files += sorted(p for p in d.rglob("*") if p.suffix.lower() in FIGURE_SUFFIXES)
    for c in claims:
        found = [FigureFile(Path(p)) for p in (getattr(c, "figures", None) or ())
                 if Path(p).is_file()]
        names = {c.id, *c.aliases}
        for p in files:
            stem = p.stem.lower()
            if stem.startswith("figure"):
                stem = "fig" + stem[len("figure"):]
            if p.resolve() not in seen and any(
                    stem == n or stem.startswith(n + "-") or stem.startswith(n + "_")
                    for n in names):
                found.append(FigureFile(p))
                seen.add(p.resolve())
        if found:
            out.setdefault(c.id, []).extend(found)
    return out, loose


def build(doc: Mapping[str, Any], claims=None) -> Report:
    """The report of a ``verify --json`` document; every registered claim must be in it."""
    from .. import __version__
    from ..registry import all_claims
    from ..report import erratum
    claims = list(claims if claims is not None else all_claims())
    by_json = {c["id"]: c for c in doc.get("claims") or []}
    times = doc.get("claim_seconds") or {}
    entries: dict[str, Entry] = {}
    for c in claims:
        j = by_json.get(c.id)
        if j is None:
            continue
        entries[c.id] = Entry(c.id, c.title, c.location, " ".join(c.statement.split()),
                              tuple(c.aliases), tuple(c.uses), Verdict(j["verdict"]),
                              erratum(c.id), j, times.get(c.id))
    _rests_on(entries)
    figures, loose = find_figures(claims)
    return Report(list(entries.values()), doc.get("profile", "ci"), int(doc.get("seed", 0)),
                  __version__, claims_md_sections(), figures, loose)
