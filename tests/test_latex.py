"""Tests of the LaTeX report (fa_proofs.latex and ``fa-proofs latex``)."""
from __future__ import annotations

import shutil

import pytest

from fa_proofs import cli
from fa_proofs.latex import _escape, compile_pdf, document
from fa_proofs.registry import all_claims


@pytest.fixture(scope="module")
def tex() -> str:
    return document(all_claims())


def test_document_structure(tex):
    assert tex.startswith(r"\documentclass")
    assert tex.count(r"\begin{document}") == 1
    assert tex.rstrip().endswith(r"\end{document}")
    assert tex.count(r"\begin{equation*}") == tex.count(r"\end{equation*}")


def test_every_formula_label_is_in_the_document(tex):
    formulas = [(c, f) for c in all_claims() for f in c.formulas]
    assert formulas, "the registry declares no formulas"
    labels = {f.label for _, f in formulas}
    assert {"(55)", "(62)"} <= labels
    for c, f in formulas:
        assert f"\\paragraph{{{_escape(f.label)} {_escape(f.description)}}}" in tex, f.label
        assert f.latex().strip() in tex, (c.id, f.label)
    for c in {c.id: c for c, _ in formulas}.values():
        assert f"\\section*{{{_escape(c.id)}: {_escape(c.title)}}}" in tex


def test_escape_special_characters():
    assert _escape("a_b & 50% #1 $x$ {y} ~ ^") == (
        r"a\_b \& 50\% \#1 \$x\$ \{y\} \textasciitilde{} \textasciicircum{}")


def test_escape_backslash():
    # regression: the braces of \textbackslash{} used to be escaped again (eq48's title)
    assert _escape("R \\ {0}") == r"R \textbackslash{} \{0\}"


@pytest.mark.skipif(shutil.which("pdflatex") is None,
                    reason="pdflatex not installed (Debian: apt-get install texlive-latex-base)")
def test_document_compiles_with_pdflatex(tex):
    ok, log = compile_pdf(tex)
    assert ok, log


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_broken_document_does_not_compile():
    ok, log = compile_pdf("\\documentclass{article}\\begin{document}\\undefinedmacro"
                          "\\end{document}\n")
    assert not ok and "Undefined control sequence" in log


def test_compile_pdf_without_pdflatex(monkeypatch):
    import fa_proofs.latex as latex_mod
    monkeypatch.setattr(latex_mod.shutil, "which", lambda name: None)
    assert compile_pdf(r"\documentclass{article}") == (False, "pdflatex not found")


def test_cli_latex_writes_the_file(tmp_path, capsys, tex):
    target = tmp_path / "formulas.tex"
    assert cli.main(["latex", "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    assert target.read_text() == tex


def test_cli_latex_to_stdout(capsys, tex):
    assert cli.main(["latex"]) == 0
    assert capsys.readouterr().out == tex
