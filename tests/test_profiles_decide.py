"""Regression tests for the cases the larger profiles left undecided: the checks were fixed, not
the samples.  (The high-precision case of thm3.delta_pos is a slow property test:
``property_tests/test_section2_trajectories.py``.)"""
from __future__ import annotations

from fa_proofs.engine.run import evaluate_at
from fa_proofs.profiles import get_profile
from fa_proofs.registry import get
from fa_proofs.verdicts import Status, Verdict


def test_thm3_lambda_zero_rate_at_the_case_profile_dev_left_undecided():
    """lambda = 0, K = -2.26e-4 (|K| << 1): the limit sqrt(2d|K|) = 0.014 is far below the start,
    and a rate read relative to max(|theta1(0) theta2(0)|, 1) fell in the nonlinear regime
    (estimate off by 26%).  Read in the linear regime it agrees with dK to 1e-5."""
    res = evaluate_at(get("thm3.lambda_zero"), {"d": "433/1000", "theta1_0": "-32123/312500",
                                                "theta2_0": "29939/2500000"}, get_profile("dev"))
    assert res.verdict is Verdict.HOLDS
    rate = next(c for c in res.checks if c.name.endswith("estimated rate = exact rate"))
    assert rate.status is Status.PASS and rate.measure.value < 1e-4
    assert rate.measure.at == {"d": "433/1000", "theta1_0": "-32123/312500",
                               "theta2_0": "29939/2500000"}
