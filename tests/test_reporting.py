"""The verification report (``fa-proofs report``), the claim graph and the generated errata.

One run of the claims the errata need (the ones the ci snapshot records as refuted or corrected;
``tests/test_claims_snapshot.py`` vouches for the others) is shared by the tests (about 10 s).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fa_proofs.cli import main
from fa_proofs.registry import all_claims
from fa_proofs.reporting import collect, errata, graph, write
from fa_proofs.reporting.model import build
from fa_proofs.verdicts import Evidence, Verdict

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run_doc():
    ids = errata.claims_to_run() + ["eq6", "lem19"]
    return collect(ids, "ci", 0, jobs=2)


def _fake_doc(verdicts: dict[str, str]) -> dict:
    """A run in which every claim holds (symbolic proof) except those named."""
    claims = []
    for c in all_claims():
        v = verdicts.get(c.id, "holds")
        check = {"name": "c", "status": "pass" if v == "holds" else "fail",
                 "evidence": Evidence.SYMBOLIC.value, "detail": "", "measure": None}
        claims.append({"id": c.id, "verdict": v, "checks": [check], "corrected_checks": [],
                       "counterexample": None, "notes": []})
    return {"profile": "ci", "seed": 0, "claims": claims}


def test_every_dependency_is_a_registered_claim_and_the_graph_is_acyclic():
    claims = {c.id: c for c in all_claims()}
    for c in claims.values():
        for u in c.uses:
            assert u in claims, (c.id, u)
            assert u != c.id
    state: dict[str, int] = {}

    def visit(cid: str) -> None:
        assert state.get(cid) != 1, f"cycle through {cid}"
        if state.get(cid) == 2:
            return
        state[cid] = 1
        for u in claims[cid].uses:
            visit(u)
        state[cid] = 2
    for cid in claims:
        visit(cid)
    # the theorems name the steps of their proofs
    assert {"eq126", "lem21"} <= set(claims["thm9"].uses)
    assert "eq138" in claims["thm10"].uses and "eq188" in claims["thm8"].uses


def test_a_claim_resting_on_a_non_holding_one_is_marked_in_the_graph():
    rep = build(_fake_doc({"eq188": "refuted"}))
    assert rep.by_id["thm8"].affected and rep.by_id["thm8"].rests_on == ["eq188"]
    assert rep.by_id["thm8.limit"].affected                      # through thm8, which holds
    assert not rep.by_id["eq188"].affected and not rep.by_id["thm2"].affected
    src = graph.dot_source(rep)
    line = next(ln for ln in src.splitlines() if ln.strip().startswith('"thm8" ['))
    assert graph.AFFECTED_MARK in line and 'peripheries="2"' in line
    assert f'fillcolor="{graph.FILL[Verdict.REFUTED]}"' in next(
        ln for ln in src.splitlines() if ln.strip().startswith('"eq188" ['))
    assert '"thm8" -> "eq188";' in src and 'URL="#claim-thm8"' in src


def test_every_evidence_kind_has_a_border():
    styles = {str(graph.border(e)) for e in Evidence}
    assert len(styles) == len(Evidence)                 # distinct: a kind added is told apart


def test_the_checked_in_errata_equal_the_generated(run_doc):
    generated = errata.generate(run_doc)
    checked_in = (ROOT / "notes" / "errata.md").read_text()
    assert checked_in == generated, (
        "notes/errata.md differs from what the suite generates: edit notes/errata.in.md and run "
        "'fa-proofs errata'")


def test_the_errata_keep_labels_counterexamples_fixes_and_replay_commands(run_doc):
    text = errata.generate(run_doc)
    for cid, label in {"eq5": "E1", "thm9": "E2", "eq126": "E3", "eq138": "E4", "thm10": "E5",
                       "eq188": "E6", "eq10": "E7"}.items():
        assert f"## {label}. `{cid}`" in text
        assert f"| {label} | `{cid}` |" in text
        assert f"fa-proofs verify {cid} --at" in text
    assert "| `eta` | `1/3` |" in text                  # exact values of the certified points
    n_corrected = sum(c["verdict"] == "corrected" for c in run_doc["claims"])
    assert n_corrected >= 7
    assert text.count("**The correction the suite verifies.**") == n_corrected
    assert "## Noticed, not errata (Section 2)" in text


def test_a_claim_refuted_without_an_entry_gets_a_generated_one(run_doc):
    doc = json.loads(json.dumps(run_doc))
    lem19 = next(c for c in doc["claims"] if c["id"] == "lem19")
    lem19["verdict"] = "refuted"
    lem19["counterexample"] = {"params": {"d": "1", "lam": "2"}, "values": {"x": "3"},
                               "relation": "x < 1", "evidence": "ball arithmetic",
                               "check": "c", "variant": "printed", "found": None}
    text = errata.generate(doc)
    from fa_proofs.report import ERRATA
    nxt = f"E{max(int(v[1:]) for v in ERRATA.values()) + 1}"     # the next free label
    assert f"## {nxt}. `lem19`" in text and "fa-proofs verify lem19 --at d=1 lam=2" in text
    assert text.index(f"## {nxt}.") < text.index("## Possible typos")


def test_report_writes_html_markdown_and_pdf(run_doc, tmp_path):
    msgs = write(run_doc, tmp_path, ["html", "md", "pdf"])
    html = (tmp_path / "report.html").read_text()
    md = (tmp_path / "report.md").read_text()
    for cid in ("eq126", "thm10", "eq6"):
        anchor = "claim-" + cid
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
        assert f'<a id="{anchor}"></a>' in md
    assert "<math" in html and "tex-fallback" not in html
    assert "\\frac" not in re.sub(r"<[^>]+>", "", html.split("<math")[0])
    assert "fa-proofs verify eq126 --at d=1 lam=1 eta=1/3 t=1" in html
    assert "Reconstruction and reading" in html and "$$" in md
    assert "corrected E3" in html and "| [`eq126`](#claim-eq126) |" in md
    if shutil.which("dot"):
        assert "<svg" in html and (tmp_path / "claim-graph.svg").exists()
    if shutil.which("pdflatex"):
        assert (tmp_path / "report.pdf").read_bytes()[:4] == b"%PDF", msgs


def test_report_cli_from_a_saved_run(run_doc, tmp_path, capsys):
    saved = tmp_path / "v.json"
    saved.write_text(json.dumps(run_doc))
    assert main(["report", "--from", str(saved), "--out", str(tmp_path / "r"),
                 "--format", "md"]) == 0
    assert (tmp_path / "r" / "report.md").exists() and not (tmp_path / "r" / "report.html").exists()


@pytest.mark.parametrize("argv", [
    ["report", "--format", "docx"],
    ["report", "--from", "/nonexistent/v.json"],
    ["report", "--from", "x.json", "eq5"],
    ["report", "--profile", "nope"],
    ["errata", "--from", "/nonexistent/v.json"],
    ["verify", "eq5", "--scheduler", "nonsense"],
    ["verify", "eq5", "-j", "2", "--dask"],
    ["verify", "eq5", "--at", "d=1", "--dask"],
])
def test_bad_input_is_one_line_and_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("fa-proofs: error:"), err


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or \
        shutil.which("google-chrome")


PROBE = """<script>
window.addEventListener('load', () => {
  const maths = [...document.querySelectorAll('math')];
  const drawn = maths.filter(m => m.getBoundingClientRect().width > 0).length;
  const nodes = document.querySelectorAll('#graph svg g.node').length;
  const sized = [...document.querySelectorAll('#graph svg g.node')].filter(
      g => g.getBoundingClientRect().width > 0).length;
  const text = document.body.innerText;
  const raw = (text.match(/\\\\(frac|left|right|theta|lambda|eta|le|ge|tag|begin)\\b/g) || []).length;
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({maths: maths.length, drawn, nodes, sized, raw});
  document.body.appendChild(out);
});
</script></body>"""


def test_html_report_renders_in_a_headless_browser(run_doc, tmp_path):
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install chromium; CI installs it)")
    if not shutil.which("dot"):
        pytest.skip("Graphviz dot is not installed (apt-get install graphviz; CI installs it)")
    write(run_doc, tmp_path, ["html"])
    page = tmp_path / "report.html"
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text().replace("</body>", PROBE))
    flags = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(flags + ["--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    m = re.search(r'<pre id="probe">(.*?)</pre>', dom)
    assert m, dom[-2000:]
    got = json.loads(m.group(1).replace("&quot;", '"'))
    assert got["maths"] > 20 and got["drawn"] == got["maths"], got     # every formula drawn
    assert got["raw"] == 0, got                                        # no raw TeX left
    assert got["nodes"] >= len(run_doc["claims"]) and got["sized"] == got["nodes"], got
    shot = tmp_path / "shot.png"
    subprocess.run(flags + ["--window-size=1200,1600", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def _png(w: int = 8, h: int = 4) -> bytes:
    import struct
    import zlib
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * w for _ in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


_PNG = _png()


def test_figures_are_embedded_next_to_their_claims(tmp_path, monkeypatch):
    import sys
    import types
    from fa_proofs.reporting import html as html_mod
    figs = tmp_path / "figs"
    figs.mkdir()
    (figs / "figure1a.png").write_bytes(_PNG)           # the experiment's name for Figure 1a
    (figs / "figure3.png").write_bytes(_PNG)            # a figure no claim names
    (figs / "eq126-orbit.png").write_bytes(_PNG)        # the file convention ID-*.png
    module = types.ModuleType("fa_proofs.figures")
    module.list_figures = lambda out: [
        {"name": "1a", "caption": "the parabolas", "location": "Section 2",
         "files": [Path(out) / "figure1a.png", Path(out) / "figure1a.pdf"]},
        {"name": "3", "caption": "rates", "location": "Section 5",
         "files": [Path(out) / "figure3.png"]}]
    monkeypatch.setitem(sys.modules, "fa_proofs.figures", module)
    monkeypatch.setenv("FA_PROOFS_FIGURES", str(figs))
    rep = build(_fake_doc({}))
    assert [f.caption for f in rep.figures["fig1a"]] == ["Figure 1a: the parabolas"]
    assert [f.path.name for f in rep.figures["eq126"]] == ["eq126-orbit.png"]
    assert [f.path.name for f in rep.loose_figures] == ["figure3.png"]
    page = html_mod.document(rep, None, "digraph {}")
    sec = page[page.index('id="claim-fig1a"'):]
    sec = sec[:sec.index("<h3 ")] if "<h3 " in sec else sec
    assert 'src="data:image/png;base64,' in sec and "Figure 1a: the parabolas" in sec
    assert "Other figures" in page and "Figure 3: rates" in page
    if shutil.which("pdflatex"):
        from fa_proofs.reporting import pdf
        ok, msg = pdf.write(rep, tmp_path / "r.pdf", "digraph {}")
        assert ok, msg
        assert b"/Subtype /Image" in (tmp_path / "r.pdf").read_bytes() or \
            b"/Subtype/Image" in (tmp_path / "r.pdf").read_bytes()
