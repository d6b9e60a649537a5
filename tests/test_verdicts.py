"""Unit tests of fa_proofs.verdicts: how checks combine into a verdict, exact parameter strings."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fa_proofs.arith import exact_str
from fa_proofs.verdicts import (CheckResult, Counterexample, Evidence, Outcome, Status, Verdict,
                                check_all, failed, passed, undecided)

CX = Counterexample.of({"d": Fraction(1, 3), "lam": 2}, "residual != 0", {"residual": "1"},
                       Evidence.EXACT)
S = Evidence.SYMBOLIC


def fail(name: str = "f") -> CheckResult:
    return failed(name, Evidence.EXACT, "residual = 0", CX)


def ok(name: str) -> CheckResult:
    return passed(name, S)


def unsure(name: str, why: str = "") -> CheckResult:
    return undecided(name, Evidence.FLOAT, note=why)


def test_all_pass_holds():
    assert Outcome([ok("a"), ok("b")]).verdict() is Verdict.HOLDS


def test_no_checks_is_undecided():
    assert Outcome([]).verdict() is Verdict.UNDECIDED


@pytest.mark.parametrize("checks", [
    [unsure("u", "integration failed")],
    [ok("a"), unsure("u", "precision too low")],
    [unsure("u", "x"), ok("a"), ok("b")],
])
def test_any_undecided_is_undecided(checks):
    assert Outcome(checks).verdict() is Verdict.UNDECIDED


@pytest.mark.parametrize("checks", [
    [fail()],
    [ok("a"), fail()],
    [unsure("u", "x"), fail()],          # a certified failure outweighs an undecided check
    [fail("f1"), fail("f2")],
])
def test_certified_failure_is_refuted(checks):
    out = Outcome(checks)
    assert out.verdict() is Verdict.REFUTED
    assert out.counterexample() is CX


def test_failure_with_passing_correction_is_corrected():
    out = Outcome([ok("a"), fail()], correction="the corrected statement",
                  corrected_checks=[ok("c1"), ok("c2")])
    assert out.verdict() is Verdict.CORRECTED
    assert out.counterexample() is CX


@pytest.mark.parametrize("corrected", [
    [],                                          # a correction nobody checked
    [ok("c1"), unsure("c2", "x")],
    [ok("c1"), fail("c2")],
])
def test_correction_that_does_not_pass_is_undecided(corrected):
    out = Outcome([fail()], correction="a proposed correction", corrected_checks=corrected)
    assert out.verdict() is Verdict.UNDECIDED


def test_correction_without_failure_is_not_corrected():
    out = Outcome([ok("a")], correction="not needed", corrected_checks=[ok("c")])
    assert out.verdict() is Verdict.HOLDS
    assert out.counterexample() is None


def test_failure_needs_a_certified_counterexample():
    with pytest.raises(ValueError, match="counterexample"):
        CheckResult("f", Status.FAIL, Evidence.BALL, "uncertified numerical failure")
    with pytest.raises(ValueError):
        failed("f", Evidence.BALL, "no counterexample", None)  # type: ignore[arg-type]
    numerical = Counterexample.of({"d": 1}, "x > y", {}, Evidence.FLOAT)
    with pytest.raises(ValueError, match="certified"):
        failed("f", Evidence.FLOAT, "a double-precision disagreement", numerical)
    # the other states do not need one
    assert CheckResult("p", Status.PASS, S).counterexample is None
    assert CheckResult("u", Status.UNDECIDED, Evidence.FLOAT).counterexample is None


def test_evidence_is_ordered_strongest_first():
    order = list(Evidence)
    assert order[0] is Evidence.SYMBOLIC and order[-1] is Evidence.FLOAT
    assert [e.certified for e in order] == [True, True, True, True, False, False]


def test_check_all_folds_first_failure_then_first_undecided():
    r = check_all("all", [ok("a"), unsure("u", "why"), fail("f1"), fail("f2")])
    assert r.status is Status.FAIL and r.counterexample is CX and r.note.startswith("f1")
    r = check_all("all", [ok("a"), unsure("u1", "one"), unsure("u2", "two")])
    assert r.status is Status.UNDECIDED and r.note == "u1: one"
    r = check_all("all", [ok("a"), passed("b", Evidence.BALL, points=3)])
    assert r.status is Status.PASS and r.evidence is Evidence.BALL and r.points == 3


def test_to_json_shapes():
    js = fail().to_json()
    assert js["status"] == "fail" and js["evidence"] == "exact rational arithmetic"
    cx = js["counterexample"]
    assert cx["params"] == {"d": "1/3", "lam": "2"} and cx["values"] == {"residual": "1"}
    assert cx["certified_by"] == "exact rational arithmetic"
    assert "residual" in cx["description"] and isinstance(js["detail"], str)
    assert ok("p").to_json()["counterexample"] is None


# --- exact strings --------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    (7, Fraction(7)),
    (-3, Fraction(-3)),
    (Fraction(-22, 7), Fraction(-22, 7)),
    (0.1, Fraction(0.1)),                       # the double nearest 0.1, exactly
    (-2.5e-300, Fraction(-2.5e-300)),
    (sp.Rational(5, 12), Fraction(5, 12)),
    (sp.Integer(-4), Fraction(-4)),
])
def test_exact_str_reads_back_with_fraction(value, expected):
    s = exact_str(value)
    assert Fraction(s) == expected
    assert sp.sympify(s) == sp.Rational(expected.numerator, expected.denominator)


@pytest.mark.parametrize("value", [
    sp.sqrt(2), sp.cbrt(3) / 2, 1 - sp.sqrt(5), sp.Rational(3, 4) * sp.pi, sp.log(2),
])
def test_exact_str_of_algebraic_reads_back_with_sympy(value):
    assert sp.simplify(sp.sympify(exact_str(value)) - value) == 0


def test_exact_str_rejects_booleans():
    with pytest.raises(TypeError):
        exact_str(True)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.fractions(), st.integers(),
                 st.floats(allow_nan=False, allow_infinity=False)))
def test_exact_str_round_trip(value):
    assert Fraction(exact_str(value)) == Fraction(value)


def test_counterexample_of_writes_exact_strings():
    cx = Counterexample.of({"d": Fraction(2, 3), "lam": 0.75, "K": -1, "r": sp.sqrt(3),
                            "t": sp.Rational(-1, 9)}, "desc")
    assert all(isinstance(v, str) for v in cx.params.values())
    assert Fraction(cx.params["d"]) == Fraction(2, 3)
    assert Fraction(cx.params["lam"]) == Fraction(3, 4)
    assert Fraction(cx.params["K"]) == -1
    assert Fraction(cx.params["t"]) == Fraction(-1, 9)
    assert sp.sympify(cx.params["r"]) == sp.sqrt(3)
    assert cx.to_json()["params"] == dict(cx.params)
    with pytest.raises(TypeError):
        Counterexample.of({"flag": False}, "desc")


@pytest.mark.parametrize("kind", ["mpf", "float32"])
def test_exact_str_of_binary_floats_is_exact_or_refused(kind):
    # regression: str() rounded an mpf to 15 digits and a float32 to its shortest repr
    import mpmath
    import numpy as np
    if kind == "mpf":
        value = mpmath.mpf(1) / 3
        man, exp = value.man_exp
        exact = Fraction(man) * Fraction(2) ** exp
    else:
        value = np.float32(0.1)
        exact = Fraction(float(value))             # float32 -> float64 is exact
    try:
        s = exact_str(value)
    except TypeError:
        return                                   # refusing an inexact type is fine too
    assert Fraction(sp.Rational(sp.sympify(s))) == exact
