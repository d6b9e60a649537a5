"""Mutants of every Section 4 / Appendix C claim, as rows of data (see tests/test_mutants_section3
.py for the conventions): a wrong time, a wrong monotonicity, a wrong alpha, a wrong T0
coefficient, a wrong threshold; each must be rejected by the claim's own checks, certified."""
from __future__ import annotations

from functools import lru_cache

import pytest
import sympy as sp

from fa_proofs.engine import Run, evaluate
from fa_proofs.profiles import get_profile
from fa_proofs.registry import get
from fa_proofs.sections.learning import formulas as L
from fa_proofs.verdicts import Verdict

from mutant_rows import assert_outcome, certified_failures, describe, mutant

CI = get_profile("ci")
r, r1, r2, r3, lam, d, th0 = L.r, L.r1, L.r2, L.r3, L.lam, L.d, L.theta0

SECTION4 = ["sec4.1", "eq106", "eq101", "eq104", "thm7", "eq107", "eq112", "eq113", "eq114",
            "fn2", "thm6"]
PRINTED = {"sec4.1": Verdict.CORRECTED, "eq106": Verdict.HOLDS, "eq101": Verdict.CORRECTED,
           "eq104": Verdict.CORRECTED, "thm7": Verdict.HOLDS, "eq107": Verdict.CORRECTED,
           "eq112": Verdict.HOLDS, "eq113": Verdict.HOLDS, "eq114": Verdict.CORRECTED,
           "fn2": Verdict.CORRECTED, "thm6": Verdict.HOLDS}






STEP_ESCAPE = "delta T is the escape time from r2 + e^-delta, up to O(1) (certified, delta 50-200)"
STEP_PLUS = "theta1(delta t) -> step function (14), start r2 + e^-delta (certified, delta 50-200)"
STEP_MINUS = "theta1(delta t) -> step function (14), start r2 - e^-delta (certified, delta 50-200)"
ORDER_T = "certified T_i of k = 3 components are ordered as stated"
ORDER_T0 = "certified T0_i of k = 3 components are ordered as stated"
DT_SIGN = "dT/dlambda at fixed d and K has the stated sign (implicit differentiation, SymPy)"
ALPHA_PLUS = "theta1(delta T) from r2 + e^-delta -> the stated alpha (certified, delta 50-200)"
ALPHA_MINUS = "theta1(delta T) from r2 - e^-delta -> the stated alpha (certified, delta 50-200)"
T0_CERT = "T0 (112) = certified int_{theta0}^0 dtheta/theta1' = (42)'s F(0) - F(theta0)"
EXP113 = "(113): the expansion's terms up to the remainder (SymPy series)"
EXP17 = "(17): the expansion's terms up to the remainder (SymPy series)"
EXP_NUM = "certified T0 minus (113)'s terms is O(|theta0|^-m) (theta0 = -10^2 .. -10^6)"
FN2_MONO = "P(three real roots) decreases as lambda grows (K* decreases; SymPy) and at pairs"
T_WRONG = 1 / ((r3 - r2) * (r2 - r1))           # half the time
T_WRONG2 = 2 / ((r3 - r1) * (r2 - r1))          # the rate at r1 instead of r2

MUTANTS = [
    # (claim, parts, expected, only)
    ("eq106", {"T": T_WRONG}, Verdict.REFUTED, None),
    ("eq106", {"T": T_WRONG2}, Verdict.REFUTED, None),
    ("eq106", {"T": T_WRONG}, f"rejected:{STEP_ESCAPE}", {STEP_ESCAPE}),
    ("thm7", {"T": T_WRONG}, f"rejected:{STEP_PLUS}", {STEP_PLUS}),
    ("thm7", {"T": T_WRONG2}, Verdict.REFUTED, {"T f'(r2) = 1: theta1 - r2 ~ e^-delta e^(t/T), "
                                                "the step at t = T"}),
    ("eq106", {"T": T_WRONG2}, "rejected:lim G(r2 + e^-delta) - delta T/2 is finite (56)",
     {"lim G(r2 + e^-delta) - delta T/2 is finite (56)"}),
    ("thm7", {"T": 2 * L.PRINTED_EQ106_T}, f"rejected:{STEP_MINUS}", {STEP_MINUS}),
    ("thm7", {"after": r2}, f"rejected:{STEP_PLUS}", {STEP_PLUS}),
    ("thm7", {"after_mirror": r3}, f"rejected:{STEP_MINUS}", {STEP_MINUS}),
    ("thm7", {"before": r1}, f"rejected:{STEP_PLUS}", {STEP_PLUS}),
    # an alpha inside (r2, r3) but not the limit: only the trajectories can reject it
    ("eq101", {"alpha": (r2 + r3) / 2}, f"rejected:{ALPHA_PLUS}", {ALPHA_PLUS}),
    ("eq104", {"alpha": (r1 + r2) / 2}, f"rejected:{ALPHA_MINUS}", {ALPHA_MINUS}),
    ("eq107", {"monotone": -1}, f"rejected:{DT_SIGN}", {DT_SIGN}),
    ("eq107", {"monotone": -1, "fixed": ("d", "K")}, f"rejected:{ORDER_T}", {ORDER_T}),
    ("eq107", {"r32r21": -L.r2**2 - L.K}, "rejected", {"r32 r21 = -P'(r2) = -3 r2^2 - K (2d = 1)"}),
    ("eq112", {"T0": L.printed_eq112(th0, r) + sp.pi / (6 * sp.sqrt(3) * r**2)},
     f"rejected:{T0_CERT}", {T0_CERT}),
    ("eq112", {"T0": L.printed_eq112(th0, r).subs(sp.log(
        (r - th0)**2 / (th0**2 + r * th0 + r**2)), sp.log((r - th0) / (th0**2 + r * th0 + r**2)))},
     "rejected", None),
    ("eq113", {"terms": {2: sp.Integer(-2)}}, f"rejected:{EXP113}", {EXP113}),
    ("eq113", {"terms": {1: sp.Integer(-1)}, "remainder": 2}, f"rejected:{EXP113}", {EXP113}),
    ("eq113", {"remainder": 6}, f"rejected:{EXP113}", {EXP113}),         # the u^5 term is there
    ("eq113", {"leading": 2 * sp.pi / (3 * sp.sqrt(3) * r**2)}, "rejected", {EXP17, EXP_NUM}),
    ("eq113", {"terms": {2: sp.Integer(-2)}}, f"rejected:{EXP_NUM}", {EXP_NUM}),
    ("eq114", {"monotone": 1, "fixed": ("d", "theta0")}, "rejected", None),
    ("fn2", {"decreasing": 1}, f"rejected:{FN2_MONO}", {FN2_MONO}),
    ("thm6", {"anti": 1}, "rejected", {"certified schemes"}),
    ("thm6", {"reg": -1}, "rejected", {"certified schemes"}),
]

CORRECTION_MUTANTS = [
    ("sec4.1", {"main": L.derived_sec41_threshold() * sp.Rational(11, 10)}),
    ("sec4.1", {"appendix": L.PRINTED_SEC41_APPENDIX}),
    ("eq101", {"alpha": sp.Eq(L.alpha_equation() + sp.Rational(1, 10), 0)}),
    ("eq107", {"fixed": ("d",)}),
    ("eq114", {"fixed": ("d",)}),
    ("fn2", {"R_max": sp.oo}),
]


def _id(row) -> str:
    cid, parts, expected, only = row
    return f"{cid}-{','.join(parts)}-{str(expected)[:24]}"


@pytest.mark.parametrize("row", MUTANTS, ids=[_id(m) for m in MUTANTS])
def test_mutant(row):
    """Every mutant goes through its claim's own checks and gets the expected outcome."""
    cid, parts, expected, only = row
    assert_outcome(evaluate(mutant(cid, parts, only), Run(CI, 0, shrink=False)), expected)


@pytest.mark.parametrize("row", CORRECTION_MUTANTS,
                         ids=[f"{r[0]}-{','.join(r[1])}" for r in CORRECTION_MUTANTS])
def test_wrong_correction_is_not_accepted(row):
    cid, parts = row
    claim = get(cid).with_correction(**parts)
    res = evaluate(claim, Run(CI, 0, shrink=False))
    assert res.verdict not in (Verdict.CORRECTED, Verdict.HOLDS), describe(res)
    assert certified_failures(res)


def test_correct_statements_hold():
    """The derived statements put in place of the printed ones hold (the checks can pass)."""
    for cid, parts in (("sec4.1", {"main": L.derived_sec41_threshold(),
                                   "appendix": L.derived_appendix_threshold()}),
                       ("eq107", {"fixed": ("d", "K")}),
                       ("eq114", {"fixed": ("d", "theta0")})):
        res = evaluate(get(cid).mutant(**parts).without_correction(), Run(CI, 0, shrink=False))
        assert res.verdict is Verdict.HOLDS, (cid, describe(res))


@lru_cache(maxsize=None)
def _snapshot():
    import json
    from pathlib import Path
    return json.loads((Path(__file__).parent / "snapshots" / "claims-ci.json").read_text())


def test_printed_verdicts_are_in_the_snapshot():
    snap = _snapshot()
    for cid, verdict in PRINTED.items():
        assert snap["claims"][cid]["verdict"] == verdict.value, cid


def test_aliases():
    assert get("eq15") is get("eq106")
    assert get("eq16") is get("eq112")
    assert get("eq17") is get("eq113")


def test_simplest_counterexamples():
    """The shrunk counterexamples are the simple exact points of notes/errata.md."""
    res = evaluate(get("eq101"), Run(CI, 0))
    assert dict(res.counterexample().params) == {"r1": "-2", "r2": "-1"}
    res = evaluate(get("sec4.1"), Run(CI, 0))
    assert dict(res.counterexample().params) == {"d": "1/2", "lam": "1"}
