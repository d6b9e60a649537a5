"""The HTML report: one self-contained file (styles inline, the claim graph as inline SVG, the
figures as data URIs, every formula as MathML rendered on the server), readable without a
network."""
from __future__ import annotations

import base64
import html

from ..verdicts import Evidence, Verdict
from . import text
from .graph import AFFECTED_MARK, FILL, anchor
from .model import Entry, Report
from .sections import claim_latex, group_by_section

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:14px;line-height:1.45;margin:0 auto;
max-width:1100px;padding:1em 2em;color:#212529}
h1{font-size:1.6em}h2{border-bottom:1px solid #ced4da;margin-top:2em}
h3{margin-top:1.6em;padding-top:.3em;border-top:1px dotted #dee2e6}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #dee2e6;padding:2px 6px;
vertical-align:top;text-align:left}th{background:#f1f3f5}
code,pre{font-family:"DejaVu Sans Mono",monospace;font-size:.92em;background:#f8f9fa}
pre{padding:.4em;white-space:pre-wrap;word-break:break-all}
.verdict{padding:1px 6px;border-radius:3px;font-weight:bold}
.equation{display:flex;align-items:center;margin:.4em 0}.equation>div.eqlines{flex:1}
.eqline{flex:1;overflow-x:auto;overflow-y:hidden;padding:2px 0}
.eqtag{color:#495057;margin-left:1em;white-space:nowrap}
.graph{overflow:auto;border:1px solid #dee2e6;max-height:900px}
.graph svg{max-width:none}
.affected{color:#c92a2a}.muted{color:#868e96}
figure img{max-width:100%;border:1px solid #dee2e6}
math[display=block]{margin:.2em 0}
"""


def _verdict(v: Verdict, erratum: str | None = None) -> str:
    e = f" {erratum}" if erratum and v is not Verdict.HOLDS else ""
    return f'<span class="verdict" style="background:{FILL[v]}">{v.value}{e}</span>'


def _ev(e: Evidence | None) -> str:
    return "&mdash;" if e is None else html.escape(e.value)


def _tight(entry: Entry) -> str:
    t = entry.tightness
    return "&mdash;" if t is None else f"{t[0]:.3g}"


def _secs(s: float | None) -> str:
    return "&mdash;" if s is None else f"{s:.2f}&nbsp;s"


def _link(cid: str) -> str:
    return f'<a href="#{anchor(cid)}"><code>{html.escape(cid)}</code></a>'


def summary(rep: Report) -> str:
    rows = ["<table id=summary><thead><tr><th>claim</th><th>location</th><th>verdict</th>"
            "<th>strongest evidence</th><th>weakest evidence</th><th>tightness</th>"
            "<th>time</th></tr></thead><tbody>"]
    for e in rep.entries:
        mark = f' <span class="affected" title="rests on {", ".join(e.rests_on)}">' \
               f'{AFFECTED_MARK}</span>' if e.affected else ""
        rows.append(f"<tr><td>{_link(e.id)}{mark}</td><td>{html.escape(e.location)}</td>"
                    f"<td>{_verdict(e.verdict, e.erratum)}</td><td>{_ev(e.evidence)}</td>"
                    f"<td>{_ev(e.weakest_evidence)}</td><td>{_tight(e)}</td>"
                    f"<td>{_secs(e.seconds)}</td></tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _kv_table(d, head=("name", "value")) -> str:
    rows = "".join(f"<tr><td><code>{html.escape(str(k))}</code></td>"
                   f"<td><code>{html.escape(str(v))}</code></td></tr>" for k, v in d.items())
    return f"<table><tr><th>{head[0]}</th><th>{head[1]}</th></tr>{rows}</table>"


def _checks(title: str, checks) -> str:
    if not checks:
        return ""
    rows = []
    for c in checks:
        m = c.get("measure") or {}
        meas = ""
        if m.get("value") is not None:
            meas = f"{html.escape(m['quantity'])} = {m['value']:.4g}"
        rows.append(f"<tr><td>{html.escape(c['name'])}</td><td>{html.escape(c['status'])}</td>"
                    f"<td>{html.escape(c['evidence'])}</td><td>{html.escape(c.get('detail') or '')}"
                    f"</td><td>{meas}</td></tr>")
    return (f"<h4>{title}</h4><table><tr><th>check</th><th>status</th><th>evidence</th>"
            f"<th>detail</th><th>measure</th></tr>{''.join(rows)}</table>")


def _figure(fig) -> str:
    path = fig.path
    mime = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
            ".jpeg": "image/jpeg"}[path.suffix.lower()]
    data = base64.b64encode(path.read_bytes()).decode()
    cap = fig.caption or path.name
    return (f'<figure><img alt="{html.escape(cap)}" src="data:{mime};base64,{data}">'
            f"<figcaption>{html.escape(cap)}</figcaption></figure>")


def claim_section(rep: Report, e: Entry, latex_src: str) -> str:
    out = [f'<h3 id="{anchor(e.id)}"><code>{html.escape(e.id)}</code>: '
           f"{html.escape(e.title)}</h3>",
           f"<p><em>{html.escape(e.location)}</em>"
           + (f" (also <code>{', '.join(e.aliases)}</code>)" if e.aliases else "")
           + f". Verdict: {_verdict(e.verdict, e.erratum)}; strongest evidence: {_ev(e.evidence)}"
           + f"; weakest: {_ev(e.weakest_evidence)}; time {_secs(e.seconds)}.</p>"]
    if e.uses:
        out.append("<p>Its proof uses: " + ", ".join(_link(u) for u in e.uses) + ".</p>")
    if e.used_by:
        out.append("<p>Used by: " + ", ".join(_link(u) for u in e.used_by) + ".</p>")
    if e.affected:
        out.append(f'<p class="affected">{AFFECTED_MARK} Holds by itself, but its proof rests on '
                   + ", ".join(_link(u) for u in e.rests_on)
                   + ", which does not hold as printed.</p>")
    out.append(f"<h4>Statement (as printed)</h4><p>{html.escape(e.statement)}</p>")
    recon = rep.claims_md.get(e.id)
    if recon:
        out.append("<h4>Reconstruction and reading (notes/claims.md)</h4>" + text.markdown(recon))
    if latex_src.strip():
        out.append("<h4>Derivation (LaTeX from SymPy)</h4>" + text.latex_html(latex_src))
    out.append(_checks("Evidence: the printed statement", e.checks))
    out.append(_checks("Evidence: the corrected statement", e.corrected_checks))
    cx = e.counterexample
    if cx:
        out.append("<h4>Counterexample (certified, exact values)</h4>"
                   f"<p>{html.escape(cx.get('relation', ''))} &mdash; certified by "
                   f"{html.escape(cx.get('evidence', ''))}; check <em>"
                   f"{html.escape(str(cx.get('check')))}</em>.</p>"
                   + _kv_table(cx.get("params") or {}, ("parameter", "exact value"))
                   + (_kv_table(cx.get("values") or {}, ("quantity", "certified value"))
                      if cx.get("values") else ""))
        if cx.get("found"):
            out.append("<p class=muted>Shrunk from the search point "
                       + html.escape(", ".join(f"{k}={v}" for k, v in cx["found"].items()))
                       + ".</p>")
        out.append(f"<p>Replay:</p><pre>{html.escape(e.replay_command() or '')}</pre>")
    if e.verdict is Verdict.CORRECTED and e.correction:
        out.append(f"<h4>Corrected statement</h4><p>{html.escape(e.correction)}</p>")
    if e.notes:
        out.append("<h4>Notes</h4><ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in e.notes)
                   + "</ul>")
    for f in rep.figures.get(e.id, []):
        out.append(_figure(f))
    return "\n".join(out)


def document(rep: Report, svg: str | None, dot_source: str) -> str:
    counts = ", ".join(f"{n} {v}" for v, n in rep.counts.items())
    graph = (f'<div class="graph" id="graph">{svg}</div>' if svg else
             "<p>Graphviz <code>dot</code> is not installed: the graph's source follows.</p>"
             f"<pre id=graph-source>{html.escape(dot_source)}</pre>")
    body = ["<h1>Verification report: Convergence Analysis and Implicit Regularization of "
            "Feedback Alignment for Deep Linear Networks</h1>",
            f"<p>M. Girotti, I. Mitliagkas, G. Gidel, arXiv:2110.10815 (ICLR 2022 submission). "
            f"Generated by <code>fa-proofs report</code> {html.escape(rep.version)}, profile "
            f"<code>{html.escape(rep.profile)}</code>, seed {rep.seed}: "
            f"{len(rep.entries)} claims, {counts}.</p>",
            "<h2 id=summary-table>Summary</h2>",
            "<p>Strongest evidence: the strongest kind among the passing checks of the statement "
            "that stands (the correction's when corrected); weakest: what the verdict as a whole "
            "rests on. Tightness: the largest ratio actual/stated of a bound over the sampled "
            f"domain. {AFFECTED_MARK}: holds by itself, but its proof uses a claim that does not "
            "hold as printed.</p>", summary(rep),
            "<h2 id=claim-graph>Claim graph</h2>",
            "<p>An edge goes from a claim to each lemma or equation its proof uses. Fill: "
            "verdict. Border: the evidence the verdict rests on, the weakest kind among its checks "
            "(solid and thicker: stronger certified kinds; dashed: high-precision numerics; "
            "dotted: doubles). A double red border and "
            f"{AFFECTED_MARK}: rests on a claim that does not hold. Click a node for its "
            "section.</p>", graph]
    for title, entries in group_by_section(rep.entries):
        body.append(f"<h2>{html.escape(title)}</h2>")
        for e in entries:
            body.append(claim_section(rep, e, claim_latex(e.id)))
    if rep.loose_figures:
        body.append("<h2 id=figures>Other figures</h2>")
        body += [_figure(f) for f in rep.loose_figures]
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            "<title>fa-proofs verification report</title>"
            f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
