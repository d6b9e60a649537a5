"""Whole-domain proofs of the Section 5.2 / Appendix D.1 claims
(:mod:`fa_proofs.sections.discrete.whole_domain`): each passes with a certificate that re-checks;
a wrong constant or rate in a corrected statement is refuted over the whole domain at a certified
point that replays as a counterexample; a statement the proof cannot decide stays undecided."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from fa_proofs.certificates import recheck_document
from fa_proofs.engine import Run
from fa_proofs.profiles import get_profile
from fa_proofs.registry import get
from fa_proofs.sections.discrete import formulas as F
from fa_proofs.verdicts import Evidence, Status

import whole_domain_runs as W
from whole_domain_runs import no_certificate_cache  # noqa: F401  (autouse)

ROOT = Path(__file__).resolve().parents[1]
PROFILE = get_profile("ci")
eta, r, lam, gamma = F.eta, F.r, F.lam, F.gamma

#: (claim, variant, check name) of every whole-domain proof
PROOFS = [("lem20", "printed", "f([0, r]) in [0, r] over the whole domain"),
          ("lem21", "printed", "0 <= x_t <= r, increasing, over the whole domain"),
          ("eq126", "corrected", "corrected bound over the whole domain"),
          ("thm9", "corrected", "corrected bound over the whole domain"),
          ("eq127", "printed", "(127) over the whole domain"),
          ("eq138", "corrected", "corrected bound over the whole domain (L = 2..6)"),
          ("thm10", "corrected", "corrected bound over the whole domain (L = 2..6)"),
          ("eq139", "printed", "(139) over the whole domain (L = 2..6)")]


def whole(claim, variant: str, name: str):
    return W.whole(claim, name, variant)


@pytest.mark.parametrize("cid,variant,name", PROOFS[:5])
def test_two_layer_proofs(cid, variant, name):
    res = whole(get(cid), variant, name)
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note
    assert recheck_document(res.certificate)[0]


def test_layered_proof_thm10():
    res = whole(get("thm10"), *PROOFS[6][1:])
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note
    assert {g["certificate"]["goal"]["name"].rsplit("L = ", 1)[-1].rstrip("]")
            for g in res.certificate["goals"]} == {"2", "3", "4", "5", "6"}


MUTANTS = [
    # eq126 with a faster rate than the factor's maximum allows: fails at t = 1
    ("eq126", {"bound": F.Geometric(r, 1 - sp.Rational(11, 20) * eta * r**2)}),
    # eq126 with the printed rate (E3): the correction's proof refutes it too
    ("eq126", {"bound": F.PRINTED_EQ126}),
    # thm9 with the constant lam instead of 3 lam
    ("thm9", {"bound": F.Geometric(lam, F.CORRECTED_THM9.rate)}),
    # eq138 with a rate 1 - 2 eta d1 (K lam^(gamma-1))^(1/gamma)
    ("eq138", {"bound": F.Geometric(r, 1 - 2 * (1 - F.CORRECTED_EQ138.rate))}),
]


@pytest.mark.parametrize("cid,parts", MUTANTS)
def test_wrong_constant_is_refuted_over_the_whole_domain_and_replays(cid, parts):
    claim = get(cid).with_correction(**parts)
    name = next(c.name for c in claim.correction.checks if "whole domain" in c.name)
    res = whole(claim, "corrected", name)
    assert res.status is Status.FAIL
    cx = res.counterexample
    assert cx.evidence is Evidence.EXACT and cx.params["t"] in ("0", "1")
    # the point replays as a counterexample through the claim's own check at that point
    replayed = W.replays(claim, name, "corrected", res)
    assert replayed.certified, replayed.reason


def test_a_constant_the_proof_cannot_reach_is_undecided():
    """thm9 with the constant 2 lam: E(s) <= 2 s fails near s = 0 (the proof's step), but the
    statement itself may hold (the sampled ratio to 3 lam is 0.54): undecided, never refuted."""
    claim = get("thm9").with_correction(bound=F.Geometric(2 * lam, F.CORRECTED_THM9.rate))
    res = whole(claim, "corrected", "corrected bound over the whole domain")
    assert res.status is Status.UNDECIDED and "does not go through" in res.note


def test_a_statement_that_does_not_reduce_is_undecided():
    claim = get("eq126").with_correction(bound=F.Geometric(r * F.d, F.CORRECTED_EQ126.rate))
    res = whole(claim, "corrected", "corrected bound over the whole domain")
    assert res.status is Status.UNDECIDED and "does not reduce" in res.note


def test_replay_rechecks_certificates(tmp_path):
    env = {"PYTHONPATH": str(ROOT), "FA_PROOFS_CERTS": "", "PATH": "/usr/bin:/bin",
           "FA_PROOFS_CACHE": ""}
    out = subprocess.run([sys.executable, "-m", "fa_proofs", "verify", "--json", "eq126"],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    doc = json.loads(out.stdout)
    path = tmp_path / "v.json"
    path.write_text(json.dumps(doc))
    ok = subprocess.run([sys.executable, "-m", "fa_proofs", "replay", str(path)],
                        capture_output=True, text=True, env=env, cwd=ROOT)
    assert ok.returncode == 0 and "1 of 1 certificate re-checked" in ok.stdout, ok.stdout
    entry = next(c for c in doc["claims"][0]["corrected_checks"] if "certificate" in c)
    entry["certificate"]["goals"][-1]["certificate"]["goal"]["box"][1][1] = "1/2"   # u <= 1/2
    path.write_text(json.dumps(doc))
    bad = subprocess.run([sys.executable, "-m", "fa_proofs", "replay", str(path)],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert bad.returncode == 1 and "NOT re-checked" in bad.stdout


SIGN_TABLES = [("lem12", "sign table over the whole domain", {"signs": (1, 1)}),
               ("lem14", "sign table over the whole domain", {"signs": (1, -1, -1, -1)}),
               ("lem16", "sign tables over the whole domain", {"rs_below": (1, 1, -1)}),
               ("lem18", "sign table over the whole domain (L = 2..6)", {"signs": (-1, -1)})]


@pytest.mark.parametrize("cid,name,parts", SIGN_TABLES)
def test_sign_tables_proved_and_a_wrong_sign_replays(cid, name, parts):
    """Lemmas 12, 14, 16, 18: proved on open, unbounded intervals; a wrong sign is refuted at an
    exact interior point that replays through the claim's sampled sign check."""
    res = whole(get(cid), "printed", name)
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note
    assert recheck_document(res.certificate)[0]
    claim = get(cid).mutant(**parts)
    bad = whole(claim, "printed", name)
    assert bad.status is Status.FAIL and bad.counterexample.evidence is Evidence.EXACT
    replayed = W.replays(claim, name, "printed", bad)
    assert replayed.certified, replayed.reason


def test_lemma27_over_the_whole_domain_and_a_larger_step_breaks_the_proof():
    res = whole(get("lem27"), "printed", "0 <= x_t <= x_{t+1} <= ell_{alpha_inf} over the whole "
                "domain")
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note
    from fa_proofs.model.symbols import ell
    big = get("lem27").mutant(eta_max=1 / ell**2)            # w <= 1/2: z may pass 1
    res2 = whole(big, "printed", "0 <= x_t <= x_{t+1} <= ell_{alpha_inf} over the whole domain")
    assert res2.status is Status.UNDECIDED and "does not go through" in res2.note


def test_where_the_printed_theorem_9_fails_at_the_first_step():
    """E2: (124) fails at t = 1 exactly for u^3 - 9u + 2 < 0, u > 0.22346..."""
    from fa_proofs.sections.discrete.whole_domain import first_step_region
    text = first_step_region(get("thm9").parts)
    assert "u**3 - 9*u + 2" in text and "1 root(s)" in text and "0.223462" in text


def test_claim_evidence_counts_only_what_a_proof_covers():
    """A claim is 'certified over the whole domain' only when every check it has is symbolic, a
    whole-domain proof, or a sampled check such a proof covers: thm8.step_size's proof covers
    'P <= max_R P on R' and the uniqueness of S*; a sampled check it does not cover (here a copy
    of the uniqueness check under another name) keeps the claim at 'exact'."""
    import dataclasses

    from fa_proofs.engine import Check
    from fa_proofs.engine.run import evaluate, strongest_evidence
    r = evaluate(get("lem21"), Run(PROFILE, 0))
    assert strongest_evidence(r.checks) == Evidence.DOMAIN.value
    claim = get("thm8.step_size")
    r = evaluate(claim, Run(PROFILE, 0))
    assert strongest_evidence(r.checks) == Evidence.DOMAIN.value
    unique = next(c for c in claim.checks if c.name == "S* unique positive root")
    extra = dataclasses.replace(claim, checks=claim.checks + (
        Check("S* unique, sampled again", lambda st, pts, run: unique.fn(st, pts, run).renamed(
            "S* unique, sampled again"), samples=unique.samples),))
    r = evaluate(extra, Run(PROFILE, 0))
    assert any(c.evidence is Evidence.DOMAIN and c.status is Status.PASS for c in r.checks)
    assert strongest_evidence(r.checks) == Evidence.EXACT.value


def test_a_rate_faster_than_f_prime_is_refuted_even_on_converged_orbits():
    """thm10's 'stated rate vs the exact linear rate': phi >= f'(r) on [0, r] is proved over the
    whole domain (L = 2..6), so a rate just below f'(r) fails at every sampled point, including
    orbits that converge within the horizon (where phi_t and f'(r) overlap as balls)."""
    from fa_proofs.sections.discrete.whole_domain import LAYERS, factor_above_linear_rate
    assert all(factor_above_linear_rate(L) for L in LAYERS)
    rate = F.PRINTED_THM10_RATE - sp.Rational(1, 1000) * (1 - F.PRINTED_THM10_RATE)
    claim = get("thm10").mutant(rate=rate).without_correction()
    check, _ = claim.check("stated rate vs the exact linear rate", "printed")
    st, run = claim.statement_of("printed"), Run(PROFILE, 0)
    points = run.points(claim, st, check.samples, check.domain, check.key)
    assert points and all(check.fn(st, [p], run).status is Status.FAIL for p in points)
