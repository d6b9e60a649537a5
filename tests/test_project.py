"""Project hygiene: the README's first screen, license, citation, changelog, version and lint."""
from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import fa_proofs

ROOT = Path(__file__).resolve().parents[1]


def test_the_first_screen_of_the_readme_states_the_result_and_cites_the_paper():
    first = "\n".join((ROOT / "README.md").read_text().splitlines()[:30])
    # the headline's counts are the regression snapshot's (the ci profile's verdicts)
    snap = json.loads((ROOT / "tests" / "snapshots" / "claims-ci.json").read_text())["claims"]
    verdicts = [c["verdict"] for c in snap.values()]
    n_hold, n_corr = verdicts.count("holds"), verdicts.count("corrected")
    assert n_hold + n_corr == len(verdicts)          # otherwise the headline needs more words
    for needle in ("Convergence Analysis and Implicit", "Manuela Girotti", "Ioannis Mitliagkas",
                   "Gauthier Gidel", "arXiv:2110.10815", f"{len(snap)} claims", f"{n_hold} hold",
                   f"{n_corr} are *corrected*", "notes/errata.md", "LICENSE", "CITATION.cff"):
        assert needle in first, needle
    from fa_proofs.report import ERRATA
    for cid in ERRATA:
        assert f"`{cid}`" in first, cid


def test_license_citation_and_changelog():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert "MIT license" in (ROOT / "README.md").read_text()
    cff = (ROOT / "CITATION.cff").read_text()
    assert re.search(r"^cff-version: 1\.2\.0$", cff, re.M)
    assert re.search(rf"^version: {re.escape(fa_proofs.__version__)}$", cff, re.M)
    assert "2110.10815" in cff and "Girotti" in cff and "license: MIT" in cff
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## {fa_proofs.__version__} -- " in changelog


def test_the_version_has_one_source():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = {attr = "fa_proofs.__version__"}' in pyproject
    assert 'fa_proofs = ["py.typed"]' in pyproject


def test_the_notes_cite_the_paper_not_a_path_outside_the_repository():
    for name in ("claims.md", "errata.md"):
        text = (ROOT / "notes" / name).read_text()
        assert "arXiv:2110.10815" in text and "Girotti" in text, name
        assert "../" not in text and "shared/paper" not in text, name


def _ruff() -> list[str] | None:
    if importlib.util.find_spec("ruff") is not None:
        return [sys.executable, "-m", "ruff"]
    exe = shutil.which("ruff")
    return [exe] if exe else None


@pytest.mark.skipif(_ruff() is None, reason="ruff not installed (pip install '.[test]')")
def test_ruff_passes():
    proc = subprocess.run([*_ruff(), "check", "--no-cache", "."], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
