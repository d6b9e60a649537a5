"""The public Python API: ``fa_proofs.verify``, ``verify_at``, ``list_claims`` and their result
objects, as a notebook uses them."""
from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import fa_proofs
from fa_proofs import (CheckResult, Counterexample, Evidence, Result, Results, Status,
                       UsageError, Verdict)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def results() -> Results:
    return fa_proofs.verify("eq126", "eq40")


def test_the_public_surface_is_small_and_exported_from_the_root():
    assert fa_proofs.__all__ == ["__version__", "verify", "verify_at", "list_claims", "Result",
                                 "Results", "ClaimInfo", "Verdict", "Status", "Evidence",
                                 "CheckResult", "Counterexample", "Measure", "UsageError"]
    for name in fa_proofs.__all__:
        assert getattr(fa_proofs, name) is not None
    assert (Path(fa_proofs.__file__).parent / "py.typed").exists()


def test_importing_the_package_is_cheap():
    """``import fa_proofs`` loads neither SymPy nor the claims (they load on first use)."""
    code = "import sys, fa_proofs; print('sympy' in sys.modules, 'flint' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.stdout.split() == ["False", "False"], proc.stderr


def test_verify_returns_typed_results(results):
    assert isinstance(results, Results) and len(results) == 2
    assert [r.id for r in results] == ["eq40", "eq126"]          # the paper's order
    r = results["eq126"]
    assert isinstance(r, Result) and r is results[1]
    assert r.verdict is Verdict.CORRECTED and r.decided and r.erratum == "E3"
    assert r.correction and r.correction == r.proposed_correction
    cx = r.counterexample
    assert isinstance(cx, Counterexample)
    assert dict(cx.params) == {"d": "1", "lam": "1", "eta": "1/3", "t": "1"}
    assert all(Fraction(v) for v in cx.params.values())
    assert all(isinstance(c, CheckResult) for c in r.checks + r.corrected_checks)
    passing = [c for c in r.corrected_checks if c.status is Status.PASS]
    assert {c.evidence for c in passing} == {Evidence.SYMBOLIC, Evidence.BALL}
    assert any(c.measure is not None and c.measure.quantity == "max lhs/rhs" for c in passing)
    assert results["eq40"].verdict is Verdict.HOLDS and results["eq40"].correction is None
    assert results.verdicts == {"eq40": Verdict.HOLDS, "eq126": Verdict.CORRECTED}
    assert results.counts == {"holds": 1, "refuted": 0, "corrected": 1, "undecided": 0}
    assert results.decided and results.undecided == ()


def test_results_print_nicely(results):
    text = str(results)
    assert text.splitlines()[0].split() == ["claim", "verdict", "summary"]
    assert "eq126  corrected E3" in text and "(profile ci, seed 0, fa-proofs" in text
    assert repr(results) == "<Results: 2 claims: 1 holds, 1 corrected (profile ci, seed 0)>"
    assert text.splitlines()[2].startswith("eq40 ")
    assert repr(results["eq126"]) == "<Result eq126: corrected (E3)>"
    one = str(results["eq126"])
    assert "[  fail   ] stated bound (126)" in one and "[  pass   ] corrected bound" in one

    class Printer:                     # what IPython hands to _repr_pretty_
        def __init__(self):
            self.out = ""

        def text(self, s):
            self.out += s
    p = Printer()
    results._repr_pretty_(p, False)
    assert p.out == text


def test_results_to_json_is_the_documents_of_the_command_line(results):
    doc = results.to_json()
    assert doc["schema"] == fa_proofs.report.SCHEMA_VERSION
    assert [c["id"] for c in doc["claims"]] == ["eq40", "eq126"]
    assert results["eq126"].to_json() == doc["claims"][1]


def test_results_by_alias():
    r = fa_proofs.verify("thm11.lambda_zero")
    assert r["thm11.lambda_zero"].id == "thm2.lambda_zero"
    with pytest.raises(KeyError):
        r["eq40"]


def test_verify_at_a_point():
    r = fa_proofs.verify_at("eq126", d="1/2", lam=1, eta=Fraction(3, 5))
    assert r.verdict is Verdict.CORRECTED and r.at == {"d": "1/2", "lam": "1", "eta": "3/5"}
    assert dict(r.counterexample.params) == {"d": "1/2", "lam": "1", "eta": "3/5", "t": "1"}
    assert repr(r) == "<Result eq126 at d=1/2, lam=1, eta=3/5: corrected (E3)>"
    assert "at d=1/2, lam=1, eta=3/5" in str(r)


@pytest.mark.parametrize("call, fragment", [
    (lambda: fa_proofs.verify("no_such_claim"), "unknown claim id"),
    (lambda: fa_proofs.verify("eq40", profile="nope"), "unknown profile"),
    (lambda: fa_proofs.verify("eq40", seed=-1), "seed"),
    (lambda: fa_proofs.verify("eq40", jobs=0), "jobs"),
    (lambda: fa_proofs.verify_at("eq126", d="1/2", lam=1, eta=1), "hypothesis"),
    (lambda: fa_proofs.verify_at("eq126", d=0.5, lam=1, eta="1/10"), "not the float"),
    (lambda: fa_proofs.verify_at("eq126", d="1/2", lam=1), "missing parameter"),
])
def test_bad_input_raises_usage_error(call, fragment):
    with pytest.raises(UsageError, match=fragment):
        call()


def test_list_claims():
    claims = fa_proofs.list_claims()
    from fa_proofs.registry import all_claims
    assert [c.id for c in claims] == [c.id for c in all_claims()]
    by_id = {c.id: c for c in claims}
    assert by_id["eq126"].erratum == "E3" and by_id["eq126"].has_correction
    assert by_id["eq126"].parameters == "d lam eta [t]"
    assert by_id["thm2"].aliases == ("thm11",)
    assert str(by_id["thm2"]).startswith("thm2: Two-layer FA") and "(alias thm11)" in str(
        by_id["thm2"])
