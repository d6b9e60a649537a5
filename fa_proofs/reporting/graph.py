"""The claim graph, in the manner of a Lean blueprint's dependency graph: one node per claim, an
edge from each claim to every lemma or equation its proof uses (``Claim.uses``), the fill by
verdict, the border by the evidence the verdict rests on (the weakest kind among the checks of
the statement that stands: a claim proved symbolically in part and simulated in doubles for the
rest rests on doubles), and a mark (a warning sign and a
double red outline) on each claim that holds by itself but rests on one that does not.  Each
node links to its claim's section (``#claim-ID``).  Drawn offline by Graphviz ``dot``.
"""
from __future__ import annotations

import shutil
import subprocess

from ..verdicts import Evidence, Verdict
from .model import Report

FILL = {Verdict.HOLDS: "#b7e4c7", Verdict.CORRECTED: "#ffd8a8",
        Verdict.REFUTED: "#ffa8a8", Verdict.UNDECIDED: "#dee2e6"}
AFFECTED_MARK = "\u26a0"      # the warning sign after the id of an affected claim


def border(e: Evidence | None) -> dict[str, str]:
    """Border attributes by strength of evidence, read from the rank of the kind (any kind
    :class:`Evidence` defines gets one): certified kinds solid and thicker the stronger they are,
    high-precision numerics dashed, doubles dotted, none (undecided) thin grey."""
    if e is None:
        return {"color": "#868e96", "penwidth": "1", "style": "filled"}
    kinds = list(Evidence)
    certified = [k for k in kinds if k.certified]
    if e.certified:
        width = 1.2 + 1.8 * (len(certified) - 1 - certified.index(e)) / max(1, len(certified) - 1)
        return {"color": "#1b1b1b", "penwidth": f"{width:.2f}", "style": "filled"}
    style = "filled,dashed" if e.rank == len(certified) else "filled,dotted"
    return {"color": "#1b1b1b", "penwidth": "1.5", "style": style}


def anchor(cid: str) -> str:
    return "claim-" + cid.replace(".", "-")


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_source(rep: Report) -> str:
    lines = ["digraph claims {", '  graph [rankdir=BT, fontname="DejaVu Sans", fontsize=10, '
             'nodesep=0.15, ranksep=0.35, tooltip="claim graph"];',
             '  node [shape=box, fontname="DejaVu Sans", fontsize=10, margin="0.06,0.03", '
             'height=0.25];',
             '  edge [color="#495057", arrowsize=0.5];']
    for e in rep.entries:
        attrs = {"fillcolor": FILL[e.verdict], **border(e.weakest_evidence)}
        label = e.id + (f" {AFFECTED_MARK}" if e.affected else "")
        tip = f"{e.id}: {e.title} - {e.verdict.value}"
        if e.weakest_evidence is not None:
            tip += f" (rests on {e.weakest_evidence.value}; strongest: {e.evidence.value})"
        if e.affected:
            tip += f"; rests on {', '.join(e.rests_on)}, which does not hold"
            attrs["peripheries"] = "2"
            attrs["color"] = "#c92a2a"
        attrs.update(label=label, tooltip=tip, URL=f"#{anchor(e.id)}", target="_top",
                     id=f"node-{anchor(e.id)}")
        lines.append(f"  {_q(e.id)} [{', '.join(f'{k}={_q(v)}' for k, v in attrs.items())}];")
    for e in rep.entries:
        for u in e.uses:
            if u in rep.by_id:
                lines.append(f"  {_q(e.id)} -> {_q(u)};")
    lines += legend(), "}"
    return "\n".join(lines) + "\n"


def legend() -> str:
    rows = []
    for v in Verdict:
        rows.append(f'<tr><td bgcolor="{FILL[v]}">{v.value}</td></tr>')
    rows.append(f"<tr><td>{AFFECTED_MARK} holds, rests on a claim that does not</td></tr>")
    body = "".join(rows)
    kinds = []
    for i, k in enumerate(list(Evidence) + [None]):
        attrs = {**border(k), "fillcolor": "white",
                 "label": k.value if k is not None else "none (undecided)"}
        kinds.append(f"ev{i} [{', '.join(f'{a}={_q(v)}' for a, v in attrs.items())}];")
    chain = " -> ".join(f"ev{i}" for i in range(len(kinds)))
    return ('  subgraph cluster_legend { label="legend: fill by verdict, border by the evidence '
            'the verdict rests on"; fontsize=9; color="#adb5bd"; '
            f'legend [shape=plaintext, label=<<table border="0" cellborder="1" cellspacing="0" '
            f'cellpadding="3">{body}</table>>]; {" ".join(kinds)} '
            f'{chain} [style=invis]; }}')


def dot_exe() -> str | None:
    return shutil.which("dot")


def render(source: str, fmt: str = "svg") -> bytes | None:
    """``dot -T<fmt>`` of the source, or None when Graphviz is not installed."""
    exe = dot_exe()
    if exe is None:
        return None
    proc = subprocess.run([exe, f"-T{fmt}"], input=source.encode(), capture_output=True,
                          timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"dot failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


def svg(rep: Report) -> str | None:
    out = render(dot_source(rep), "svg")
    if out is None:
        return None
    text = out.decode()
    start = text.find("<svg")          # drop the XML prolog and doctype for inline use
    return text[start:] if start >= 0 else text
