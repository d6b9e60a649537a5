"""Section 4 and Appendix C: Hypothesis property tests on the claims' domains (the claim id starts
each test's name and docstring).

Default (``ci``): the claims' own certified checks at drawn points, as ``fa-proofs verify ID --at
...`` runs them: the escape time delta T (eq106), the ordering of certified T_i under a shared K
and of T0_i under a shared theta0 (the corrected eq107 and eq114), the vanishing time three ways
(eq112), footnote 2's monotonicity.  Fuzzing (``target``) climbs towards components whose
certified times are nearly tied (the orderings' hardest cases) and towards the largest
three-root probability.  The step-function trajectories (thm7, alpha at delta up to 200) and the
schemes of Theorem 6 with the simulated order are ``slow``.
"""
from __future__ import annotations


import pytest
from hypothesis import given, note, settings, target
from hypothesis import strategies as st

from fa_proofs.registry import get
from fa_proofs.sections.learning import certified as C

from claim_runs import draw_point, checks_at

from conftest import run_slow

slow = pytest.mark.skipif(not run_slow(), reason="slow: FA_PROOFS_SLOW=1 or profile dev/fuzz")


def scaled(n: int) -> settings:
    return settings(max_examples=max(n, settings.default.max_examples * n // 25))




@scaled(6)
@given(st.data())
def test_eq106_escape_time_at_drawn_roots(run_context, data):
    """eq106: at drawn roots r1 < r2 < 0 < r3, the certified escape from r2 + e^-delta takes
    delta T + O(1) (delta 100 and 200, acb.integral and (56) agreeing)."""
    p = draw_point(data, "eq106")
    checks_at(run_context, get("eq106"), p,
              {"delta T is the escape time from r2 + e^-delta, up to O(1) (certified, delta "
               "50-200)"}, require=True)


def _gap_target(times, label: str) -> None:
    gaps = [abs(float((a - b).mid())) / max(abs(float(a.mid())), 1e-300)
            for a, b in zip(times, times[1:])]
    target(-min(gaps), label=label)


@scaled(15)
@given(st.data())
def test_eq107_shared_k_orders_the_learning_times(run_context, data):
    """eq107 (corrected: d and K shared): T_1 > T_2 > T_3 for lambda1 > lambda2 > lambda3,
    certified at drawn (d, lambda_i, K); fuzz towards nearly tied T_i."""
    claim = get("eq107")
    p = draw_point(data, "eq107")
    checks_at(run_context, claim, p, {"certified T_i of k = 3 components are ordered as stated"},
              "corrected", require=True)
    from fa_proofs.sections.learning.claims import _T_times
    _gap_target(_T_times(p, ("d", "K")), "eq107: -min relative gap of T_i")


@scaled(15)
@given(st.data())
def test_eq114_shared_theta0_orders_the_vanishing_times(run_context, data):
    """eq114 (corrected: d and theta0 shared): T0_1 < T0_2 < T0_3, certified at drawn points."""
    claim = get("eq114")
    p = draw_point(data, "eq114")
    checks_at(run_context, claim, p, {"certified T0_i of k = 3 components are ordered as stated"},
              "corrected", require=True)
    from fa_proofs.sections.learning.claims import _T0_times
    _gap_target(_T0_times(p, ("d", "theta0")), "eq114: -min relative gap of T0_i")


@scaled(15)
@given(st.data())
def test_eq112_vanishing_time_three_ways(run_context, data):
    """eq112: (112), acb.integral of 1/theta1' and Section 2's (42) enclose the same T0."""
    p = draw_point(data, "eq112")
    checks_at(run_context, get("eq112"), p, require=True)


@scaled(10)
@given(st.data())
def test_fn2_probability_decreases_in_lambda(run_context, data):
    """fn2: P(three roots) at 2 lambda <= at lambda (certified); the largest P is a target (the
    claim 'improbable' is refuted for large boxes)."""
    p = draw_point(data, "fn2")
    checks_at(run_context, get("fn2"), p,
              {"P(three real roots) decreases as lambda grows (K* decreases; SymPy) and at pairs"},
              require=True)
    from fractions import Fraction
    P = C.prob_three_roots(Fraction(p["d"]), Fraction(p["lam"]), Fraction(p["R"]))
    target(float(P.mid()), label="fn2: P(three roots)")


@slow
@scaled(4)
@given(st.data())
def test_thm7_step_function_at_drawn_roots(run_context, data):
    """thm7, eq101, eq104 (corrected): at drawn roots, theta1(delta t) from r2 +- e^-delta
    converges to the step (delta 50..200) and theta1(delta T) to the certified alpha."""
    p = draw_point(data, "thm7")
    checks_at(run_context, get("thm7"), p, require=True)
    for cid in ("eq101", "eq104"):
        checks_at(run_context, get(cid), p, variant="corrected", require=True)


@slow
@scaled(6)
@given(st.data())
def test_thm6_schemes_and_simulated_order(run_context, data):
    """thm6: at drawn lambda_1 > lambda_2 > lambda_3, d, K: the anti-regularisation scheme
    (shared K, starts r2_i + e^-delta) learns in the order T_1 > T_2 > T_3 and the regularising
    one (K = 0, shared theta0) vanishes in the order T0_1 < T0_2 < T0_3, certified and in a
    double-precision simulation of (6).  Nearly tied T_i need trajectories at delta ~
    2 spread/gap; beyond delta = 2000 (75 s of acb.integral; the fuzz profile found lambda =
    0.11 vs 0.10 at d = 1/10 needing 2066) the scheme's check is undecided by design: such a
    point is recorded as a Hypothesis event, never passed off as a pass or a failure."""
    from dataclasses import replace

    from hypothesis import event

    from fa_proofs.engine.run import run_check
    from fa_proofs.verdicts import Status
    p = draw_point(data, "thm6")
    note(str(p))
    claim = get("thm6")
    at = replace(run_context, at=p, shrink=False)
    results = [r for c in claim.checks for r in run_check(claim, c, claim.parts, "printed", at)]
    assert results, p
    for r in results:
        if r.status is Status.UNDECIDED and "steps too close to separate" in (r.note or ""):
            event("thm6: steps too close to separate below delta = 2000")
            continue
        assert r.status is Status.PASS, (r.name, r.status.value, r.note, p)
