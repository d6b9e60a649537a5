"""Tests of the LaTeX report (fa_proofs.latex and ``fa-proofs latex``)."""
from __future__ import annotations

import re
import shutil

import pytest
import sympy as sp

from fa_proofs import cli
from fa_proofs.latex import (Equation, _escape, _forms, _is_formula, _section_of, compile_pdf,
                             document, prose, tex, width)
from fa_proofs.registry import all_claims, get
from fa_proofs.report import ERRATA

MATH_ENVS = re.compile(r"\\begin\{(equation|multline)\}(.*?)\\end\{\1\}", re.S)


@pytest.fixture(scope="module")
def tex_doc() -> str:
    return document(all_claims())


def _text_only(doc: str) -> str:
    """The document without its mathematics (display environments and $...$)."""
    body = MATH_ENVS.sub("", doc)
    return re.sub(r"\$[^$]*\$", "", body)


def _subsection(doc: str, cid: str) -> str:
    start = doc.index(f"\\subsection*{{\\texttt{{{_escape(cid)}}}:")
    end = doc.find("\\subsection*", start + 1)
    return doc[start:end if end > 0 else len(doc)]


def test_document_structure(tex_doc):
    assert tex_doc.startswith(r"\documentclass")
    assert tex_doc.count(r"\begin{document}") == 1
    assert tex_doc.rstrip().endswith(r"\end{document}")
    for env in ("equation", "multline", "itemize"):
        assert tex_doc.count(rf"\begin{{{env}}}") == tex_doc.count(rf"\end{{{env}}}")
    assert "arXiv:2110.10815" in tex_doc and "Girotti" in tex_doc


def test_no_date_and_the_same_input_gives_the_same_file(tex_doc):
    assert r"\date{}" in tex_doc and r"\today" not in tex_doc
    assert document(all_claims()) == tex_doc


def test_every_equation_has_a_left_hand_side_and_a_relation(tex_doc):
    bodies = [m.group(2) for m in MATH_ENVS.finditer(tex_doc)]
    assert len(bodies) > 60
    for b in bodies:
        first = b.strip().split("\\\\")[0]
        lhs, rel = re.split(r" (=|\\le|\\ge|<|\\sim) ", first, maxsplit=1)[:2] if re.search(
            r" (=|\\le|\\ge|<|\\sim) ", first) else ("", "")
        assert rel and lhs.strip(), b
        assert "\\tag*{" in b, b                                    # the paper's label


def test_less_and_greater_are_never_in_text_mode(tex_doc):
    text = _text_only(tex_doc)
    assert "<" not in text and ">" not in text


def test_headings_use_the_papers_symbols(tex_doc):
    heads = re.findall(r"\\subsection\*\{(.*)\}\n", tex_doc)
    assert len(heads) == len(all_claims())
    for h in heads:
        words = re.sub(r"\$[^$]*\$|\\texttt\{[^}]*\}", "", h)
        for ascii_name in ("theta", "lambda", "Delta", "eta", "gamma", "ell_", "^"):
            assert ascii_name not in words, h
    assert r"$K = \theta_2 - \theta_1^{2}/(2d)$" in tex_doc
    assert r"Theorem 3, case $\Delta > 0$: three real roots" in tex_doc


def test_every_correction_follows_its_printed_form(tex_doc):
    corrected = [c for c in all_claims() if c.correction is not None]
    assert {c.id for c in corrected} == set(ERRATA)
    for c in corrected:
        sec = _subsection(tex_doc, c.id)
        assert f"erratum {ERRATA[c.id]}" in sec
        assert "corrected}" in sec, c.id                            # a '(label) corrected' tag
        assert sec.index("Corrected") > sec.index("\\tag*{")        # after the printed form
    for cid, label in (("eq126", "(126)"), ("eq138", "(138)"), ("thm9", "(124)"),
                       ("eq188", "(188)")):
        sec = _subsection(tex_doc, cid)
        assert f"\\tag*{{{label}}}" in sec and f"\\tag*{{{label} corrected}}" in sec, cid
    eq126 = _subsection(tex_doc, "eq126")
    assert r"\left|x_t - r\right| \le r \left(1 - \frac{\eta r^{2}}{2}\right)^{t}" in eq126


def test_the_right_hand_sides_come_from_the_statement_parts(tex_doc):
    """Change a part (a mutant) and the document changes with it: nothing is typed twice."""
    claim = get("eq126")
    mutant = claim.mutant(bound=type(claim.parts["bound"])(claim.parts["bound"].const,
                                                           1 - 5 * sp.Symbol("eta")))
    doc = document([mutant])
    assert r"\left(1 - 5 \eta\right)^{t}" in doc


def test_every_formula_part_of_sections_2_and_5_has_its_left_hand_side():
    """Sections 2 and 5 are written in full: every part that is a formula (with a paper label)
    has a form in latex._forms (later sections fall back to their description)."""
    forms = _forms()
    missing = []
    for c in all_claims():
        if _section_of(c.location) not in (2, 5):
            continue
        for name in c.parts:
            p = c.parts.part(name)
            if p.label and _is_formula(p.value) and (c.id, name) not in forms:
                missing.append((c.id, name))
        for name in (c.correction.parts if c.correction else {}):
            if (c.id, name) not in forms:
                missing.append((c.id, f"corrected {name}"))
    assert missing == []


def test_every_declared_formula_is_in_the_document(tex_doc):
    """A claim's own Formula is either rendered under its label or is one of the claim's
    statement parts (rendered once, from the part)."""
    for c in all_claims():
        sec = _subsection(tex_doc, c.id)
        for f in c.formulas:
            assert f"\\tag*{{{_escape(f.label)}}}" in sec or f.latex().strip() in (
                _plain_keys(c)), (c.id, f.label)


def _plain_keys(c) -> set[str]:
    from fa_proofs.latex import _as_list, _keys
    forms = _forms()
    keys = set()
    parts = {**{n: c.parts[n] for n in c.parts}, **dict(c.correction.parts if c.correction
                                                          else {})}
    for name, v in parts.items():
        form = forms.get((c.id, name))
        if form is not None:
            keys |= _keys(v, _as_list(form(v)))
    return keys


def test_long_equations_are_broken():
    long = Equation("x", "=", sum(sp.Symbol(f"a_{i}") * sp.Symbol("b") ** i for i in range(40)))
    assert width(long.latex()) > 68
    lines = long.lines()
    assert len(lines) > 1 and all(width(l) <= 75 for l in lines)


@pytest.mark.parametrize("text, expected", [
    ("Contraction of x_t towards r", r"Contraction of $x_t$ towards $r$"),
    ("Theorem 2 when lambda = 0: explicit", r"Theorem 2 when $\lambda = 0$: explicit"),
    ("theta1 is monotone (K = 0)", r"$\theta_1$ is monotone $(K = 0)$"),
    ("The midpoint map sends [0, r] into itself", r"The midpoint map sends $[0, r]$ into itself"),
    ("for r, lambda in R \\ {0}", r"for $r, \lambda \in \mathbb{R} \setminus \{0\}$"),
    ("Section 5.2 vs Theorem 2 (K = 0)", r"Section 5.2 vs Theorem 2 $(K = 0)$"),
    ("Appendix D.1, Lemma 19, (117)", r"Appendix D.1, Lemma 19, (117)"),
    ("FA flow of the two-layer linear network", "FA flow of the two-layer linear network"),
    ("Bounds on ell_{S_t}^2 - S_t", r"Bounds on $\ell_{S_t}^{2} - S_t$"),
    ("a < b in text", "a $<$ b in text"),
])
def test_prose(text, expected):
    assert prose(text) == expected


def test_tex_writes_one_before_the_negative_terms_and_matrix_sums_positive_first():
    eta, r = sp.symbols("eta r", positive=True)
    assert tex(1 - 3 * eta * r**2 / 2).startswith("1 - ")
    A, B, C = (sp.MatrixSymbol(n, 2, 2) for n in "ABC")
    assert tex(C - A * B) == "C - A B"


def test_escape_special_characters():
    assert _escape("a_b & 50% #1 $x$ {y} ~ ^") == (
        r"a\_b \& 50\% \#1 \$x\$ \{y\} \textasciitilde{} \textasciicircum{}")
    assert _escape("a < b > c") == "a $<$ b $>$ c"


def test_escape_backslash():
    # regression: the braces of \textbackslash{} used to be escaped again (eq48's title)
    assert _escape("R \\ {0}") == r"R \textbackslash{} \{0\}"


@pytest.mark.skipif(shutil.which("pdflatex") is None,
                    reason="pdflatex not installed (Debian: apt-get install texlive-latex-base)")
def test_document_compiles_with_pdflatex_without_overfull_lines(tex_doc, tmp_path):
    ok, log = compile_pdf(tex_doc, keep=tmp_path / "formulas.pdf")
    assert ok, log[-3000:]
    assert "Overfull \\hbox" not in log, log[log.index("Overfull"):][:500]
    assert (tmp_path / "formulas.pdf").stat().st_size > 10_000


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_broken_document_does_not_compile():
    ok, log = compile_pdf("\\documentclass{article}\\begin{document}\\undefinedmacro"
                          "\\end{document}\n")
    assert not ok and "Undefined control sequence" in log


def test_compile_pdf_without_pdflatex(monkeypatch):
    import fa_proofs.latex as latex_mod
    monkeypatch.setattr(latex_mod.shutil, "which", lambda name: None)
    assert compile_pdf(r"\documentclass{article}") == (False, "pdflatex not found")


def test_cli_latex_writes_the_file(tmp_path, capsys, tex_doc):
    target = tmp_path / "formulas.tex"
    assert cli.main(["latex", "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    assert target.read_text() == tex_doc


def test_cli_latex_to_stdout(capsys, tex_doc):
    assert cli.main(["latex"]) == 0
    assert capsys.readouterr().out == tex_doc
