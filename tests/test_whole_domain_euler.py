"""Whole-domain proofs of forward Euler (:mod:`fa_proofs.sections.discrete.euler_whole_domain`):
Lemma 28, Theorem 26 = 8, Remark 29, Lemmas 30-32 and the corrected (188) are proved for every
``d, lam > 0`` and every step up to (145) (``S*`` compactified by ``m = 1/S*``); each proof
re-checks from its certificate; a mutant of each statement is rejected -- refuted at a certified
point that replays where the mutant breaks the statement itself (an instance), else the proof does
not go through (undecided)."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from fa_proofs.certificates import recheck_document
from fa_proofs.profiles import get_profile
from fa_proofs.registry import get
from fa_proofs.sections.discrete import formulas as F
from fa_proofs.sections.discrete.euler_whole_domain import cleared, scale_lengths, step_bounds
from fa_proofs.verdicts import Evidence, Status

import whole_domain_runs as W
from whole_domain_runs import no_certificate_cache  # noqa: F401  (autouse)

PROFILE = get_profile("ci")
d, lam, eta, ell_inf = F.d, F.lam, F.eta, F.ell_inf
TINY = sp.Rational(1, 10**60)

PROOFS = [("lem28", "printed", "(x_t, S_t) in R over the whole domain"),
          ("thm8", "printed", "linear convergence over the whole domain"),
          ("thm8.limit", "printed", "r < ell_inf <= r + eta r^2 S*/4 over the whole domain"),
          ("rem29", "printed", "ell_inf <= S* over the whole domain"),
          ("lem30", "printed", "sandwich (178) over the whole domain"),
          ("lem31", "printed", "(181) over the whole domain"),
          ("lem32", "printed", "(183) over the whole domain"),
          ("eq188", "corrected", "corrected bound over the whole domain")]


def whole(claim, variant: str, name: str):
    return W.whole(claim, name, variant)


@pytest.mark.parametrize("cid,variant,name", PROOFS, ids=[p[0] for p in PROOFS])
def test_proved_over_the_whole_domain(cid, variant, name):
    res = whole(get(cid), variant, name)
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note
    ok, why, _ = recheck_document(res.certificate)
    assert ok, why
    # the chain of Lemma 28 is in every certificate: F >= 0 on the compactified box
    names = [g["certificate"]["goal"]["name"] for g in res.certificate["goals"]]
    assert any(n.startswith("F >= 0 on R") for n in names)


#: (claim, variant, mutant, expected): 'refuted' = an instance fails at a certified point that
#: replays as a counterexample through the claim's own check; 'undecided' = a step of the proof
#: fails (certified), which says nothing about the statement
MUTANTS = [
    ("lem28", "printed", lambda c: c.mutant(eta_shares=(Fraction(2),)), "refuted"),
    ("lem28", "printed", lambda c: c.mutant(eta_max=(10 * F.PRINTED_ETA_MAX_EULER_FIRST,
                                                      c.parts["eta_max"][1])), "undecided"),
    ("thm8", "printed", lambda c: c.mutant(limit=2 * lam), "undecided"),
    ("thm8.limit", "printed", lambda c: c.mutant(eta_shares=(Fraction(2),)), "undecided"),
    ("rem29", "printed", lambda c: c.mutant(upper=F.R_OF), "undecided"),
    ("lem30", "printed", lambda c: c.mutant(lower=2 * d * lam / F.R_OF,
                                            upper=2 * d * lam / ell_inf), "refuted"),
    ("lem30", "printed", lambda c: c.mutant(upper=2 * d * lam / F.R_OF * (1 - TINY)), "refuted"),
    ("lem31", "printed", lambda c: c.mutant(M=F.PRINTED_M / 4), "undecided"),
    ("lem32", "printed", lambda c: c.mutant(C_inf=F.PRINTED_C_INF / 4), "undecided"),
    ("eq188", "corrected", lambda c: c.with_correction(bound=F.Geometric(
        sp.cbrt(F.C), 1 - 2 * eta * d * lam / ell_inf + eta**2 * F.PRINTED_M_TILDE)), "undecided"),
    ("eq188", "corrected", lambda c: c.with_correction(bound=F.Geometric(
        sp.cbrt(F.C) * (1 - TINY), F.CORRECTED_EQ188.rate)), "refuted"),
]


@pytest.mark.parametrize("cid,variant,mutate,expected", MUTANTS,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MUTANTS)])
def test_mutants_are_rejected(cid, variant, mutate, expected):
    name = next(n for c, v, n in PROOFS if c == cid)
    claim = mutate(get(cid))
    res = whole(claim, variant, name)
    if expected == "undecided":
        assert res.status is Status.UNDECIDED, res.note
        return
    assert res.status is Status.FAIL, res.note
    cx = res.counterexample
    assert cx.evidence is Evidence.EXACT and cx.params["t"] in ("0", "1")
    replayed = W.replays(claim, name, variant, res)
    assert replayed.certified, replayed.reason


def test_the_printed_rate_of_188_does_not_go_through():
    """E6: the printed rate 1 - eta M + eta^2 M~ is below the rate the proof derives."""
    claim = get("eq188").with_correction(bound=F.PRINTED_EQ188)
    res = whole(claim, "corrected", "corrected bound over the whole domain")
    assert res.status is Status.UNDECIDED and "stated rate >=" in res.note


def test_step_bounds_reduce_to_S_star():
    e1, e2 = step_bounds(get("lem28").parts)
    s = F.Sstar
    assert sp.simplify(e1 - 2 / (3 * (s + 1) ** 2)) == 0
    assert sp.simplify(e2 - 2 / (s**3 - s**2 + sp.Rational(4, 27))) == 0


def test_a_denominator_that_vanishes_inside_the_box_is_not_cleared_silently():
    """1/(2m - 1) on [0, 1]: the denominator's sign is a strict goal of its own, which fails."""
    from fa_proofs.branch_bound import prove
    from fa_proofs.model.symbols import m_inv as m
    _, den, _ = cleared("probe", 1 / (2 * m - 1), (m,))
    assert not prove(den.goal).proved


def test_scale_lengths_keeps_the_order():
    """r <= ell <= ell_inf: at mu = 0 ell = r, at mu = 1 ell = ell_inf (= 1)."""
    from fa_proofs.model.symbols import mu_scaled as mu, rho_scaled as rho
    e = scale_lengths(F.ell - F.r, ell_inf)
    assert sp.expand(e.subs(mu, 0)) == 0 and sp.expand(e.subs(mu, 1) - (1 - rho)) == 0


def test_certificates_are_the_current_statement_in_a_fresh_process(tmp_path):
    """The proof's key (hash of its statement) must not depend on what SymPy computed before in
    the process: certificates made in one run are 'the current statement' in another."""
    import json
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    env = {"PYTHONPATH": str(root), "FA_PROOFS_CERTS": "", "PATH": "/usr/bin:/bin",
           "FA_PROOFS_CACHE": ""}
    ids = [p[0] for p in PROOFS]
    out = subprocess.run([sys.executable, "-m", "fa_proofs", "verify", "--json", *ids],
                         capture_output=True, text=True, env=env, cwd=root)
    path = tmp_path / "v.json"
    path.write_text(json.dumps(json.loads(out.stdout)))
    rep = subprocess.run([sys.executable, "-m", "fa_proofs", "replay", str(path)],
                         capture_output=True, text=True, env=env, cwd=root)
    import re
    [(ok, total)] = re.findall(r"(\d+) of (\d+) certificates re-checked", rep.stdout)
    assert ok == total and int(total) >= len(ids), rep.stdout
    assert "NOT" not in rep.stdout.replace("NOT certified", ""), rep.stdout


def test_a_violation_counts_only_within_both_bounds_of_145():
    """A goal parametrised by one bound of (145) (eta = omega e_2) may find a violation beyond the
    other: such a point is not admissible (not a counterexample).  At S* = 2, e_2 = 2/(4 + 4/27)
    exceeds e_1 = 2/27; at S* = 8 it is the smaller."""
    from fa_proofs.sections.discrete.euler_whole_domain import admissible_step
    ok = admissible_step(get("lem28").parts, 1)
    assert not ok({"m": Fraction(1, 2), "omega": Fraction(1)})
    assert ok({"m": Fraction(1, 2), "omega": Fraction(1, 10)})
    assert ok({"m": Fraction(1, 8), "omega": Fraction(1)})
    assert not ok({"m": Fraction(0), "omega": Fraction(1)})          # S* = oo is not a point
