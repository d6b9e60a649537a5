"""Mutants of every Section 3 / Appendix B claim, as rows of data, and the printed verdicts.

A row ``(claim id, {part: mutant value}, expected, only)`` runs the claim's own checks on the
mutated statement, ``evaluate(get(id).mutant(**parts), Run(get_profile("ci"), 0))``; ``only`` (a
set of check names, or None for all) keeps the checks that decide the row, so that a mutant of
Theorem 5 does not integrate trajectories it cannot refute anyway (doubles never refute).  Mutants
run without shrinking (their counterexamples need only be certified); the printed claims run as
``verify`` runs them, and eq10's shrunk counterexample is replayed.

``expected`` is a verdict, ``"rejected"`` (at least one certified failure whose counterexample
parameters are exact strings that SymPy reads back; ``"rejected:<check>"``: a failure of that
check) or ``"not corrected"`` (a wrong correction: the claim is not corrected, certified).
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import pytest
import sympy as sp

from fa_proofs.engine import Run, evaluate
from fa_proofs.engine.replay import Saved, replay_one
from fa_proofs.model import symbols as Y
from fa_proofs.profiles import get_profile
from fa_proofs.registry import get
from fa_proofs.sections.deep import formulas as F
from fa_proofs.sections.deep import matrix as MX
from fa_proofs.verdicts import Status, Verdict

from mutant_rows import assert_outcome, certified_failures, describe, mutant

CI = get_profile("ci")
lam, K, gamma, th, d1 = Y.lam, Y.K_layers, Y.gamma, Y.theta1, Y.d1

SECTION3 = ["prop4", "eq9", "eq10", "thm5", "thm5.any_init", "eq82", "eq83", "eq84", "fig4",
            "eq85", "eq86", "eq87", "eq88", "lem18", "eq92", "sec7"]
PRINTED = {cid: Verdict.HOLDS for cid in SECTION3} | {"eq10": Verdict.CORRECTED}


@lru_cache(maxsize=None)
def printed(cid: str):
    return evaluate(get(cid), Run(CI, 0))






# --- mutants ------------------------------------------------------------------------------------
def _flow8_sign(Ws, Ms, Sxx, Sxy):
    return [-W for W in MX.printed_eq8(Ws, Ms, Sxx, Sxy)]


def _feedback_reversed(Bs, l):
    """M_[l+1:L] read with the paper's W[a:b] convention: B_L ... B_{l+1}."""
    return MX.product(list(reversed(Bs[l - 1:])))


def _eq9_no_lxx(Ws, Ds, Lxx, Lxy):
    return MX.printed_eq8(Ws, Ds, MX._eye_like(Ws[0], Ws[0].shape[-1]), Lxy)


def _no_halving(L):
    """C_l without the 2^-(l-1): the appendix's C_l of (86) used in (11)."""
    return F.appendix_constants(L)


def _eq83_no_halving(L):
    cs = F.appendix_constants(L)
    return tuple(cs[l] * th ** (2**l) for l in range(L))


def _eq86_no_halving(L):
    ds = F.ds_of(L)
    out = [sp.Integer(1)]
    for l in range(2, L + 1):
        out.append(ds[l - 1] / ds[0] * sp.Mul(*out[:l - 1]))
    return tuple(out)


THM5_EXACT = {"(11) is invariant along (10)", "(10) on (11) reduces to theta_1' = d_1 (lam - K "
              "theta_1^gamma)", "lam - K x^gamma has one real root",
              "(11) starts: certified monotone convergence", "C_l > 0 and depends on d_1..d_l only",
              "product increasing for theta_0 < r", "product decreasing for theta_0 > r", "rate"}

MUTANTS = [
    # (claim, parts, expected, only)
    ("prop4", {"flow": _flow8_sign}, "rejected", {"(8) with M_l = W[l+1:L]^T is gradient flow "
                                                  "(moments)"}),
    ("prop4", {"feedback": _feedback_reversed},
     "rejected:L = 3: legitimate FA = (8) with M_l = M_[l+1:L]",
     {"legitimate FA is (8) with M_l = M_[l+1:L]"}),
    ("eq9", {"flow": _eq9_no_lxx}, "rejected", None),
    # the other OCR reading D_l~ = D_l Lxx^(-1/2) fails at the first layer, even for diagonal W
    ("eq10", {"d_powers": lambda L: (-sp.Rational(1, 2),) * L},
     "rejected:first layer, diagonal weights", None),
    ("thm5", {"gamma": lambda L: 2**L}, Verdict.REFUTED, THM5_EXACT),           # wrong gamma
    ("thm5", {"gamma": lambda L: 2**L - 2}, "rejected:lam - K x^gamma has one real root",
     {"lam - K x^gamma has one real root"}),                                  # even: two roots
    ("thm5", {"constants": _no_halving}, Verdict.REFUTED, THM5_EXACT),         # wrong C_l
    ("thm5", {"rate": F.PRINTED_RATE * sp.Rational(11, 10)}, Verdict.REFUTED, {"rate"}),
    ("thm5", {"limit": (lam / K) ** (1 / (gamma + 1))}, Verdict.REFUTED,       # wrong root
     {"lam - K x^gamma has one real root", "(11) starts: certified monotone convergence"}),
    ("thm5", {"increasing": False}, Verdict.REFUTED,
     {"product increasing for theta_0 < r", "product decreasing for theta_0 > r"}),
    ("lem18", {"signs": (-1, +1)}, Verdict.REFUTED, None),
    ("eq82", {"gamma": lambda L: 2**L - 2}, Verdict.REFUTED, None),
    ("eq82", {"reduced": d1 * (lam - K * th ** (gamma + 1))}, Verdict.REFUTED, None),
    ("eq83", {"layers": _eq83_no_halving}, Verdict.REFUTED, None),
    ("eq84", {"limit": (lam * K) ** (1 / gamma)}, Verdict.REFUTED, None),
    ("fig4", {"constants": _no_halving}, Verdict.REFUTED,
     {"(11) starts: certified monotone convergence"}),
    ("eq85", {"theta2": sp.Symbol("d2", positive=True) / d1 * th**2
              + Y.integration_constants(3)[0]}, Verdict.REFUTED, None),
    ("eq86", {"constants": _eq86_no_halving}, Verdict.REFUTED, None),
    ("eq87", {"K": lambda L: sp.Mul(*F.appendix_constants(L))}, Verdict.REFUTED, None),
    ("eq87", {"gamma": lambda L: 2**L}, Verdict.REFUTED, None),
    ("eq88", {"r": (lam * K) ** (1 / gamma)}, Verdict.REFUTED, None),
    ("eq92", {"degree": lambda L: 2**L - 2}, Verdict.REFUTED,
     {"degree of theta_1' (every K_l kept)"}),
    ("thm5.any_init", {"monotone": True}, Verdict.REFUTED, {"monotonicity may be lost"}),
    ("thm5.any_init", {"exponential": True}, Verdict.REFUTED,
     {"exponential convergence may be lost"}),
    ("thm5.any_init", {"degree": lambda L: 2**L}, Verdict.REFUTED,
     {"degree of theta_1' (every K_l kept)"}),
    # Section 7 read as "every layer at its own exponential rate": refuted
    ("sec7", {"rate_ratio": lambda L, l: 2 ** (l - 1)}, Verdict.REFUTED,
     {"per-layer exponential rates"}),
    ("sec7", {"power": lambda L, l: 2**l}, Verdict.REFUTED,
     {"layer l is C_l theta_1^power along (10)"}),
]
CORRECTION_MUTANTS = [
    # a correction with one power of Lxx for every layer but the last does not pass
    ("eq10", {"d_powers": lambda L: (sp.Rational(1, 2),) * (L - 1) + (sp.Integer(0),)}),
]


def _id(row) -> str:
    cid, parts, expected, only = row
    return f"{cid}-{','.join(parts)}-{str(expected)[:20]}"


@pytest.mark.parametrize("row", MUTANTS, ids=[_id(m) for m in MUTANTS])
def test_mutant(row):
    """Every mutant goes through its claim's own checks and gets the expected outcome."""
    cid, parts, expected, only = row
    assert_outcome(evaluate(mutant(cid, parts, only), Run(CI, 0, shrink=False)), expected)


@pytest.mark.parametrize("row", CORRECTION_MUTANTS, ids=[r[0] for r in CORRECTION_MUTANTS])
def test_wrong_correction_is_not_accepted(row):
    cid, parts = row
    claim = get(cid).with_correction(**parts)
    claim = replace(claim, correction=replace(claim.correction, checks=tuple(
        c for c in claim.correction.checks if "matrix flow" not in c.name)))
    res = evaluate(claim, Run(CI, 0))
    assert res.verdict not in (Verdict.CORRECTED, Verdict.HOLDS), describe(res)
    assert certified_failures(res)


def test_printed_verdicts_are_in_the_snapshot():
    """The printed verdicts of Section 3 (all hold but eq10, corrected) are pinned by the claims
    snapshot (tests/test_claims_snapshot.py runs every claim); here: they are listed there."""
    import json
    from pathlib import Path
    snap = json.loads((Path(__file__).parent / "snapshots" / "claims-ci.json").read_text())
    for cid, verdict in PRINTED.items():
        assert snap["claims"][cid]["verdict"] == verdict.value, cid


def test_eq10_counterexample_is_diagonal_and_replays():
    """eq10: the middle layer fails for diagonal weights (exact counterexample, shrunk, certified
    again on replay, also at the search point); the first layer holds for diagonal weights."""
    res = printed("eq10")
    by_name = {c.name: c for c in res.checks}
    assert by_name["first layer, diagonal weights"].status is Status.PASS
    assert by_name["middle layers, diagonal weights"].status is Status.FAIL
    cx = res.counterexample()
    assert cx.check == "middle layers, diagonal weights" and cx.found is not None
    assert cx.evidence.value == "exact rational arithmetic"
    for params in (cx.params, cx.found):
        again = replay_one(Saved(cx.claim, cx.check, cx.variant, dict(params)), CI)
        assert again.certified, again.reason


def test_thm17_is_thm5():
    assert get("thm17") is get("thm5")
    assert get("thm17.any_init") is get("thm5.any_init")


def test_any_init_witnesses_are_the_simple_ones():
    """The certified witnesses reported for 'may be lost' are the simple exact starts."""
    claim = get("thm5.any_init")
    claim = replace(claim, checks=tuple(c for c in claim.checks if "may be lost" in c.name))
    res = evaluate(claim, Run(CI, 0))
    notes = {c.name: c.note for c in res.checks}
    assert "theta1_0=0, theta2_0=0, theta3_0=-1" in notes["monotonicity may be lost"]
    assert "F' 17/16" in notes["monotonicity may be lost"]
    assert "theta2_0=-1, theta3_0=-1/8" in notes["exponential convergence may be lost"]
    assert "multiplicity 2" in notes["exponential convergence may be lost"]
