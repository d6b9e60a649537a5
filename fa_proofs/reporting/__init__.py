"""The verification report (``fa-proofs report``) and the generated ``notes/errata.md``.

* :mod:`.model`     the report's data: registry claims + the JSON of a run;
* :mod:`.graph`     the claim graph (Graphviz ``dot``);
* :mod:`.html`      one self-contained HTML file, formulas as server-rendered MathML;
* :mod:`.markdown`  the same in Markdown; :mod:`.pdf` through pdflatex;
* :mod:`.errata`    ``notes/errata.md`` from the same data.

(:mod:`fa_proofs.report`, a module, is the terminal table and JSON of ``verify``.)
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

FORMATS = ("html", "md", "pdf")


def collect(ids: Sequence[str] = (), profile: str = "ci", seed: int = 0, jobs: int = 1,
            executor=None, on_progress: Callable | None = None) -> dict[str, Any]:
    """Run the claims and return the ``verify --json`` document, with each claim's time under
    ``claim_seconds``."""
    from ..engine.parallel import run_claims
    from ..profiles import get_profile
    from ..registry import select
    from ..report import json_doc
    import time
    prof = get_profile(profile)
    start = time.perf_counter()
    claims = select(ids)
    results = run_claims([c.id for c in claims], prof, seed, jobs, on_progress=on_progress,
                         executor=executor)
    doc = json_doc(results, prof.name, seed, time.perf_counter() - start)
    doc["claim_seconds"] = {r.id: round(r.seconds, 3) for r in results}
    return doc


def parse_formats(text: str) -> list[str]:
    from ..errors import UsageError
    out = []
    for f in (x.strip().lower() for x in text.split(",")):
        if f == "markdown":
            f = "md"
        if f not in FORMATS:
            raise UsageError(f"--format takes a comma-separated list of {', '.join(FORMATS)}, "
                             f"got {text!r}")
        if f not in out:
            out.append(f)
    if not out:
        raise UsageError("--format needs at least one of html, md, pdf")
    return out


def write(doc: dict[str, Any], out: Path, formats: Sequence[str]) -> list[str]:
    """Write the report of ``doc`` into the folder ``out``: report.html, report.md (with
    claim-graph.svg beside it), report.pdf (where pdflatex exists), claim-graph.dot always.
    Returns one message per file (or per format skipped)."""
    from . import graph, html, markdown, pdf
    from .model import build
    out.mkdir(parents=True, exist_ok=True)
    rep = build(doc)
    src = graph.dot_source(rep)
    (out / "claim-graph.dot").write_text(src)
    svg = graph.svg(rep)
    msgs = []
    if svg is not None:
        (out / "claim-graph.svg").write_text(svg)
    else:
        msgs.append("Graphviz 'dot' is not installed: the graph is given as its dot source "
                    "(apt-get install graphviz)")
    if "html" in formats:
        (out / "report.html").write_text(html.document(rep, svg, src))
        msgs.append(f"wrote {out / 'report.html'}")
    if "md" in formats:
        (out / "report.md").write_text(markdown.document(
            rep, "claim-graph.svg" if svg is not None else None, src))
        msgs.append(f"wrote {out / 'report.md'}")
    if "pdf" in formats:
        ok, msg = pdf.write(rep, out / "report.pdf", src)
        msgs.append(msg)
    return msgs
