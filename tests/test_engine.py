"""Unit tests of the claim engine on a toy claim (no section involved): claims as data, sampled and
``--at`` runs, mutants through the same checks, typed evidence, shrinking, replay, parallel and
threaded runs."""
from __future__ import annotations

import json
import threading
from fractions import Fraction

import pytest
import sympy as sp
from flint import arb
from hypothesis import given, settings
from hypothesis import strategies as st

from fa_proofs.arith import Ball
from fa_proofs.domains import Domain, Hypothesis, Param
from fa_proofs.engine import Check, Claim, Correction, Part, Run, Statement, evaluate, evaluate_at
from fa_proofs.engine.shrink import complexity, recheck
from fa_proofs.errors import UsageError
from fa_proofs.profiles import get_profile
from fa_proofs.sequences import Comparison, bound_check
from fa_proofs.symbolic import identity
from fa_proofs.verdicts import Evidence, Status, Verdict

A = sp.Symbol("a", positive=True)
CI = get_profile("ci")


def _draw(src, i, given, statement):
    return {"a": given["a"] if "a" in given else src.decimal(-1, 1), **given}


TOY = Domain("the toy domain", (Param("a", sign="positive", symbol=A),
                                Param("t", kind="integer", sign="nonnegative", swept=True,
                                      drawn=False, lo=0)),
             _draw, (Hypothesis("a <= 10", lambda p, st: p["a"] <= 10),))


def _bernoulli(statement, points, run):
    """1 + k t a <= (1 + a)^t for t = 2..T (Bernoulli's inequality for k = 1, strict there)."""
    k = Ball(128).convert(statement["k"])
    comps = []
    for p in points:
        a = Ball(128).convert(p["a"])
        T = int(p["t"]) if p.get("t") is not None else 12
        comps.append(Comparison({"a": p["a"]}, lambda t, a=a: 1 + k * t * a,
                                lambda t, a=a: (1 + a) ** t, steps=range(2, T + 1)))
    return bound_check("Bernoulli", f"1 + {statement['k']} t a <= (1 + a)^t", comps)


TOY_CLAIM = Claim(
    "toy1", "Bernoulli's inequality", "a test", "1 + t a <= (1 + a)^t for 0 < a <= 10.",
    Statement({"k": Part(Fraction(1), "(B)"), "square": Part((A + 1) ** 2 - (A**2 + 2 * A + 1))}),
    TOY,
    (identity("binomial square", lambda st: st["square"], "(a + 1)^2 - (a^2 + 2a + 1)"),
     Check("Bernoulli", _bernoulli)))


def run(**kw) -> Run:
    return Run(CI, 0, **kw)


def test_a_claim_is_data_and_holds():
    res = evaluate(TOY_CLAIM, run())
    assert res.verdict is Verdict.HOLDS
    sym, bern = res.checks
    assert sym.evidence is Evidence.SYMBOLIC and sym.points == 0
    assert bern.evidence is Evidence.BALL and bern.points == 12 and bern.steps == 12 * 11
    assert bern.measure.quantity == "max lhs/rhs" and bern.measure.value < 1.0
    js = res.to_json()
    assert js["evidence"] == "ball arithmetic" and js["checks"][1]["points"] == 12


def test_a_mutant_goes_through_the_same_checks_and_is_shrunk():
    res = evaluate(TOY_CLAIM.mutant(k=Fraction(2)), run())
    assert res.verdict is Verdict.REFUTED
    cx = res.counterexample()
    assert (cx.claim, cx.check, cx.variant) == ("toy1", "Bernoulli", "printed")
    assert cx.params == {"a": "1", "t": "2"}              # the simplest certified failure
    assert cx.found is not None and cx.found != cx.params  # the search point is kept
    found = TOY.parse(cx.found)
    assert complexity(TOY.parse(cx.params)) < complexity(found)
    assert int(cx.params["t"]) <= int(cx.found["t"])
    assert set(cx.values) == {"actual", "stated"}
    # re-certified at its point by the same check
    again = recheck(TOY_CLAIM.mutant(k=Fraction(2)), cx, TOY.parse(cx.params), run())
    assert again is not None and again.status is Status.FAIL
    # a symbolic mutant is refuted by a certified point, not a proof
    res = evaluate(TOY_CLAIM.mutant(square=(A + 1) ** 2 - A**2 - 1), run())
    assert res.verdict is Verdict.REFUTED
    assert res.checks[0].counterexample.evidence is Evidence.BALL


def test_a_correction_is_checked_on_its_own_statement():
    claim = Claim("toy2", "t", "l", "s", TOY_CLAIM.mutant(k=Fraction(2)).parts, TOY,
                  TOY_CLAIM.checks, correction=Correction("k = 1", {"k": Fraction(1)},
                                                           TOY_CLAIM.checks))
    res = evaluate(claim, run())
    assert res.verdict is Verdict.CORRECTED and res.correction == "k = 1"
    bad = evaluate(claim.with_correction(k=Fraction(3, 2)), run())
    assert bad.verdict is Verdict.UNDECIDED
    assert any(c.status is Status.FAIL for c in bad.corrected_checks)


def test_at_one_point():
    res = evaluate_at(TOY_CLAIM, {"a": "1/2", "t": "3"}, CI)
    assert res.verdict is Verdict.HOLDS and res.at == {"a": "1/2", "t": "3"}
    sym, bern = res.checks
    assert sym.points == 1 and bern.points == 1 and bern.steps == 2
    # t is swept: left out, the check uses its own horizon
    res = evaluate_at(TOY_CLAIM, {"a": "3"}, CI)
    assert res.checks[1].steps == 11
    assert evaluate_at(TOY_CLAIM.mutant(k=Fraction(2)), {"a": "1/2"}, CI).verdict \
        is Verdict.REFUTED


@pytest.mark.parametrize("raw, fragment", [
    ({"a": "1", "b": "2"}, "unknown parameter 'b'"),
    ({"t": "2"}, "missing parameter a"),
    ({"a": "abc"}, "exact number"),
    ({"a": "1/0"}, "exact number"),
    ({"a": "-1"}, "must be positive"),
    ({"a": "0"}, "must be positive"),
    ({"a": "11"}, "hypothesis a <= 10"),
    ({"a": "1", "t": "1/2"}, "whole number"),
    ({"a": "1", "t": "-1"}, "t must be"),
])
def test_bad_points_are_one_line_usage_errors(raw, fragment):
    with pytest.raises(UsageError) as err:
        evaluate_at(TOY_CLAIM, raw, CI)
    msg = str(err.value)
    assert fragment in msg and "\n" not in msg


def test_outside_probes_beyond_the_hypotheses():
    res = evaluate_at(TOY_CLAIM, {"a": "11"}, CI, outside=True)
    assert res.outside and res.to_json()["outside"] is True


def test_a_raising_check_is_undecided_never_a_pass():
    def boom(statement, points, run):
        raise ZeroDivisionError("inside a check")
    claim = Claim("toy3", "t", "l", "s", TOY_CLAIM.parts, TOY, (Check("boom", boom),))
    res = evaluate(claim, run())
    assert res.verdict is Verdict.UNDECIDED
    assert "ZeroDivisionError" in res.checks[0].note


def test_checks_with_the_same_stream_share_their_points():
    seen = []

    def spy(statement, points, run):
        seen.append([p["a"] for p in points])
        return bound_check("x", "0 <= 1", [Comparison({}, [arb(0)], [arb(1)])])
    claim = Claim("toy4", "t", "l", "s", TOY_CLAIM.parts, TOY,
                  (Check("one", spy), Check("two", spy), Check("other", spy, key="elsewhere")))
    evaluate(claim, run())
    assert seen[0] == seen[1] and seen[0] != seen[2]
    # and a second run with the same seed draws the same points
    evaluate(claim, run())
    assert seen[3] == seen[0]


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_the_domain_is_a_hypothesis_strategy(data):
    point = data.draw(TOY.strategy(TOY_CLAIM.parts))
    assert TOY.admits(point, TOY_CLAIM.parts)
    res = evaluate(TOY_CLAIM, run(at=point))
    assert res.verdict is Verdict.HOLDS


def test_threads_do_not_disturb_each_other():
    want = json.dumps(evaluate(TOY_CLAIM.mutant(k=Fraction(2)), run()).to_json())
    out = []

    def work():
        out.append(json.dumps(evaluate(TOY_CLAIM.mutant(k=Fraction(2)), run()).to_json()))
    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == [want] * 3


def test_shrunk_values_are_certified_where_they_are_reported():
    res = evaluate(TOY_CLAIM.mutant(k=Fraction(2)), run())
    cx = res.counterexample()
    again = recheck(TOY_CLAIM.mutant(k=Fraction(2)), cx, TOY.parse(cx.params), run())
    assert dict(again.counterexample.values) == dict(cx.values)
    assert dict(again.counterexample.params) == dict(cx.params)


def test_shrinking_stays_inside_the_hypotheses():
    """The simplest value a = 1 is excluded by a hypothesis: neither phase may report it."""
    not_one = Domain("a != 1", TOY.params, _draw,
                     TOY.hypotheses + (Hypothesis("a != 1", lambda p, st: p["a"] != 1),))
    claim = Claim("toy5", "t", "l", "s", TOY_CLAIM.mutant(k=Fraction(2)).parts, not_one,
                  TOY_CLAIM.checks)
    cx = evaluate(claim, run()).counterexample()
    point = not_one.parse(cx.params)
    assert point["a"] != 1 and not_one.admits(point, claim.parts)


def test_results_do_not_depend_on_the_precision_a_caller_left_behind():
    from flint import ctx as flint_ctx
    want = json.dumps(evaluate(TOY_CLAIM.mutant(k=Fraction(2)), run(shrink=False)).to_json())
    flint_ctx.prec = 20                      # e.g. a notebook that lowered it
    try:
        got = json.dumps(evaluate(TOY_CLAIM.mutant(k=Fraction(2)), run(shrink=False)).to_json())
    finally:
        flint_ctx.prec = 53
    assert got == want


def test_replay_keeps_every_distinct_counterexample_of_a_check():
    from fa_proofs.engine.replay import collect
    cx = lambda a: {"claim": "eq126", "check": "stated bound (126)", "variant": "printed",
                    "params": {"d": "1", "lam": "1", "eta": a, "t": "1"}}
    saved = collect({"counterexamples": [cx("1/3"), cx("1/4"), cx("1/3")]})
    assert [s.params["eta"] for s in saved] == ["1/3", "1/4"]


def test_a_hypothesis_that_cannot_be_certified_does_not_admit_the_point():
    unsure = Domain("undecidable", TOY.params, _draw,
                    (Hypothesis("cannot be decided", lambda p, st: None),))
    assert not unsure.admits({"a": Fraction(1)}, TOY_CLAIM.parts)
    with pytest.raises(UsageError, match="cannot certify"):
        unsure.validate({"a": "1"}, TOY_CLAIM.parts)
