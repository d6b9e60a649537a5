"""Whole-domain proofs of the Section 4 / Appendix C claims
(:mod:`fa_proofs.sections.learning.whole_domain`): the corrected statements of sec4.1 (E8), eq107
(E10) and eq114 (E11) and the expansions (17), (113) of eq113 are proved with certificates that
re-check; the printed statements and mutants (a wrong constant in the threshold, a flipped
monotonicity, a wrong coefficient in the expansion) are refuted over the whole domain at a
certified point that replays as a counterexample through the claim's own check."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from fa_proofs.certificates import certify, recheck_document
from fa_proofs.profiles import get_profile
from fa_proofs.registry import get
from fa_proofs.sections.learning import formulas as L
from fa_proofs.sections.learning import whole_domain as W
from fa_proofs.sections.learning.claims import (EQ107_WHOLE, EQ113_WHOLE, EQ114_WHOLE,
                                                FN2_WHOLE, SEC41_WHOLE, alpha_whole_name)
from fa_proofs.verdicts import Evidence, Status

import whole_domain_runs as WR
from whole_domain_runs import no_certificate_cache  # noqa: F401  (autouse)

PROFILE = get_profile("ci")
NAMES = {"sec4.1": SEC41_WHOLE, "eq107": EQ107_WHOLE, "eq114": EQ114_WHOLE,
         "eq101": alpha_whole_name(1), "eq104": alpha_whole_name(-1), "eq113": EQ113_WHOLE,
         "fn2": FN2_WHOLE}
ALL = ["sec4.1", "eq107", "eq114", "eq101", "eq104"]


def whole(claim, variant: str):
    return WR.whole(claim, NAMES[claim.id], variant)


def replays(claim, variant: str, res) -> bool:
    """The counterexample of a whole-domain check replays through the claim's own check."""
    return WR.replays(claim, NAMES[claim.id], variant, res).certified


@pytest.mark.parametrize("cid", ALL)
def test_corrected_statement_is_proved_over_the_whole_domain(cid):
    res = whole(get(cid), "corrected")
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note
    ok, why, _ = recheck_document(res.certificate)
    assert ok, why


@pytest.mark.parametrize("cid", ALL)
def test_printed_statement_is_refuted_over_the_whole_domain_and_replays(cid):
    claim = get(cid)
    res = whole(claim, "printed")
    # exact for the polynomial statements; (101)/(104) have logarithms: a ball excluding 0
    want = Evidence.BALL if cid in ("eq101", "eq104") else Evidence.EXACT
    assert res.status is Status.FAIL and res.counterexample.evidence is want, res.note
    assert replays(claim, "printed", res)


def test_sec41_the_appendix_threshold_alone_is_refuted():
    """E8's appendix half: with the main text corrected, -(3/2) lam^(2/3) at 2d = 1 (c = 1/2)
    still fails below the threshold."""
    claim = get("sec4.1").with_correction(appendix=L.PRINTED_SEC41_APPENDIX)
    proof = W.sec41_proof("corrected")(claim.corrected_parts())
    out = certify(proof, use_cache=False)
    assert out.status == "violated" and out.step.goal.name.endswith("[appendix]")
    assert out.step.t == 0                            # the half K < t, Delta > 0
    res = whole(claim, "corrected")
    assert res.status is Status.FAIL and replays(claim, "corrected", res)


SEC41_MUTANTS = [
    # a threshold 10% below K*: K in (1.1 K*, K*) is above it but has three roots
    (sp.Rational(11, 10), 1),
    # 10% above K*: K in (K*, 0.9 K*) is below it but has one root
    (sp.Rational(9, 10), 0),
]


@pytest.mark.parametrize("factor,half", SEC41_MUTANTS)
def test_sec41_a_wrong_constant_is_refuted_and_replays(factor, half):
    claim = get("sec4.1").with_correction(main=factor * L.derived_sec41_threshold())
    proof = W.sec41_proof("corrected")(claim.corrected_parts())
    out = certify(proof, use_cache=False)
    assert out.status == "violated" and out.step.t == half
    assert out.step.goal.name.endswith("[main]")
    res = whole(claim, "corrected")
    assert res.status is Status.FAIL and res.counterexample.evidence is Evidence.EXACT
    assert replays(claim, "corrected", res)


def test_sec41_a_threshold_that_is_not_negative_does_not_reduce():
    claim = get("sec4.1").with_correction(main=-L.derived_sec41_threshold())
    res = whole(claim, "corrected")
    assert res.status is Status.UNDECIDED and "not proven negative" in res.note


@pytest.mark.parametrize("cid,parts", [("eq107", {"monotone": -1}),
                                       ("eq114", {"monotone": 1})])
def test_a_flipped_monotonicity_is_refuted_and_replays(cid, parts):
    """The corrected ordering with the opposite sign: the instance monotone * dT/dlam > 0 fails
    at an exact point; three components built there (shared K, resp. theta0) replay (the
    correction names only what is shared: the sign is the printed part's)."""
    claim = get(cid).mutant(**parts)
    res = whole(claim, "corrected")
    assert res.status is Status.FAIL and res.counterexample.evidence is Evidence.EXACT
    assert replays(claim, "corrected", res)


@pytest.mark.parametrize("cid,parts", [("eq107", {"monotone": -1}),
                                       ("eq114", {"monotone": 1})])
def test_the_printed_reading_with_the_other_sign_is_refuted_too(cid, parts):
    """Own K_i (theta0_i) and the opposite monotonicity: still false (the time depends on the
    unshared quantity); the counterexample shares it instead."""
    claim = get(cid).mutant(**parts)
    res = whole(claim, "printed")
    assert res.status is Status.FAIL and replays(claim, "printed", res)


@pytest.mark.parametrize("cid,fixed", [("eq107", ("d", "K", "lam")),
                                       ("eq114", ("theta0",))])
def test_an_unknown_set_of_shared_quantities_is_undecided(cid, fixed):
    res = whole(get(cid).with_correction(fixed=fixed), "corrected")
    assert res.status is Status.UNDECIDED and "the proof covers" in res.note


def test_the_derivatives_in_the_certificates():
    """The identities name the derived derivatives: dT/dlam = 24 a d/(b^3 (3a + b)^3) at fixed
    (d, K) and H' = 6/(1 - z^3)^2 for T0."""
    p107 = W.eq107_proof("corrected")(get("eq107").corrected_parts())
    assert any(sp.simplify(i.rhs - 24 * L.a_ * L.d / (L.b_**3 * (3 * L.a_ + L.b_)**3)) == 0
               for i in p107.identities)
    p114 = W.eq114_proof("corrected")(get("eq114").corrected_parts())
    assert any("H'(z)" in i.name for i in p114.identities)


def test_alpha_outside_the_interval_is_refuted_exactly_and_replays():
    """A rational alpha above r3 (eq101): the open-orthant polynomial instance fails at an exact
    point, which replays through the sampled interval check."""
    claim = get("eq101").mutant(alpha=L.r3 + (L.r3 - L.r2) / 10)
    res = whole(claim, "printed")
    assert res.status is Status.FAIL and res.counterexample.evidence is Evidence.EXACT
    assert replays(claim, "printed", res)


def test_alpha_inside_the_interval_proves_only_the_interval():
    """(r2 + r3)/2 lies in (r2, r3): the whole-domain check proves that much and covers only the
    sampled interval check; the trajectories still reject it (tests/test_mutants_section4.py)."""
    claim = get("eq101").mutant(alpha=(L.r2 + L.r3) / 2)
    res = whole(claim, "printed")
    assert res.status is Status.PASS and res.certificate["covers"] == ["alpha in (r2, r3)"]


@pytest.mark.parametrize("cid", ["eq101", "eq104"])
def test_a_wrong_defining_equation_is_not_proved(cid):
    """G(alpha) = c + 1/10 has a root in the interval too, but it is not the derived equation:
    the identity fails, the check stays undecided."""
    claim = get(cid).with_correction(alpha=sp.Eq(L.alpha_equation() + sp.Rational(1, 10), 0))
    res = whole(claim, "corrected")
    assert res.status is Status.UNDECIDED and "not proven by SymPy" in res.note


def test_a_proof_built_after_decoding_a_certificate_has_the_same_key():
    """Decoding a certificate creates symbols equal to the model's (same name, equivalent
    assumptions); SymPy's cache may then hand them back inside the proof's cube roots and
    logarithms, so the key must not depend on which of two equal symbols an expression holds."""
    code = ("import json, sys\n"
            "from fa_proofs.certificates import certify, recheck_document\n"
            "from fa_proofs.sections.learning import whole_domain as W\n"
            "from fa_proofs.registry import get\n"
            "doc = certify(W.sec41_proof('corrected')(get('sec4.1').corrected_parts()), False)"
            ".document\n"
            "print(json.dumps(doc))\n")
    root = Path(__file__).resolve().parents[1]
    env = {"PYTHONPATH": str(root), "FA_PROOFS_CERTS": "", "FA_PROOFS_CACHE": "",
           "PATH": "/usr/bin:/bin"}
    doc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=root, check=True).stdout
    late = ("import json, sys\n"
            "from fa_proofs.certificates import recheck_document\n"
            "doc = json.loads(sys.stdin.read())\n"
            "assert recheck_document(doc)[0]\n"          # decode first, then build
            "from fa_proofs.sections.learning import whole_domain as W\n"
            "from fa_proofs.registry import get\n"
            "print(W.sec41_proof('corrected')(get('sec4.1').corrected_parts()).key() == doc['key'])\n")
    out = subprocess.run([sys.executable, "-c", late], input=doc, capture_output=True, text=True,
                         env=env, cwd=root, check=True).stdout
    assert out.strip() == "True"
    assert json.loads(doc)["key"]


# --- eq113 (= eq17): T0's expansion as theta0 -> -oo -------------------------------------------
def test_eq113_the_stated_expansions_are_proved_with_explicit_constants():
    """(113) with C = 2/5 (|T0 - 4 pi/(3 sqrt3 r^2) + 1/theta0^2| <= (2/5) r |theta0|^-3) and
    (17) with C = 1 (|T0 - 4 pi/(3 sqrt3 r^2)| <= theta0^-2), for every r > 0, theta0 <= -r."""
    res = whole(get("eq113"), "printed")
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note
    ok, why, _ = recheck_document(res.certificate)
    assert ok, why
    names = [g["certificate"]["goal"]["name"] for g in res.certificate["goals"]]
    assert any("C = 2/5 [113]" in n for n in names) and any("C = 1 [17]" in n for n in names)
    assert res.certificate["covers"] == [c.name for c in get("eq113").checks[:2]]


def test_eq113_the_derived_coefficients_are_the_symbolic_check_s():
    """The bracket of the proof integrates to the SymPy series the claim's own check uses."""
    f, T_inf, _ = W._expansion_tail()
    lower, upper = W._bracket(f, 9)
    T_ser, coeffs = L.expansion_coefficients(9)
    assert sp.simplify(T_inf * L.r**-2 - T_ser) == 0
    series = -sp.integrate(lower, (W.v, 0, W.w))
    for k in range(1, 9):
        want = coeffs.get(k, sp.Integer(0)) * L.r ** (2 - k)
        assert sp.simplify(series.coeff(W.w, k) - want) == 0


@pytest.mark.parametrize("parts", [
    {"terms": {2: -2}},                                  # -2/theta0^2: E ~ +w^2
    {"terms": {2: -sp.Rational(1, 2)}},                  # -1/(2 theta0^2): E ~ -w^2/2
    {"remainder": 6},                                    # the u^5 term (2 r^3/5) is missing
    {"terms": {2: -1, 5: -2 * L.r**3 / 5}, "remainder": 8},   # its sign flipped
    {"terms17": {1: -1 / L.r}},                          # (17) with a 1/theta0 term
    {"leading": sp.Rational(101, 100) * L.PRINTED_EQ113_LEADING},   # a wrong limit (pi left)
])
def test_eq113_a_wrong_expansion_is_refuted_and_replays(parts):
    claim = get("eq113").mutant(**parts)
    res = whole(claim, "printed")
    assert res.status is Status.FAIL, res.note
    want = Evidence.BALL if "leading" in parts else Evidence.EXACT
    assert res.counterexample.evidence is want
    assert 0 < sp.Rational(res.counterexample.values["w"]) <= 1
    assert replays(claim, "printed", res)


@pytest.mark.parametrize("parts", [{"remainder": 5},
                                   {"terms": {2: -1, 5: 2 * L.r**3 / 5}, "remainder": 8}])
def test_eq113_the_sharper_remainders_are_proved_too(parts):
    """The u^3 term is 0: (113)'s remainder is O(u^5), and with the u^5 term, O(u^8)."""
    res = whole(get("eq113").mutant(**parts), "printed")
    assert res.status is Status.PASS, res.note


def test_eq113_a_term_that_is_not_scale_free_does_not_reduce():
    """The dimensionless reading -1/theta0 (excluded by dimension, notes) is not r^-2 times a
    function of r/theta0: not reducible (undecided); the symbolic check refutes it."""
    res = whole(get("eq113").mutant(terms={1: sp.Integer(1), 2: -1}), "printed")
    assert res.status is Status.UNDECIDED and "not reducible" in res.note


# --- fn2: the probability of three roots under U([-R, R])^2 ------------------------------------
def test_fn2_corrected_is_proved_with_a_bracket_of_the_half_box():
    """E12: P is nondecreasing in R (strictly where 0 < P < 1), 0 up to R_-, above the bound from
    R_+ on, and decreasing in lambda: R_1/2 exists, is unique and lies in [R_-, R_+]."""
    res = whole(get("fn2"), "corrected")
    assert res.status is Status.PASS and res.evidence is Evidence.DOMAIN, res.note
    ok, why, _ = recheck_document(res.certificate)
    assert ok, why
    names = [i["name"] for i in res.certificate["identities"]]
    assert any(n.startswith("R_-") for n in names) and any(n.startswith("R_+") for n in names)


def test_fn2_printed_is_refuted_at_every_scale_and_replays():
    """'P < 1/2 for every box': phi(1/4) >= 2 for large boxes gives P >= 3/4."""
    claim = get("fn2")
    res = whole(claim, "printed")
    assert res.status is Status.FAIL and res.counterexample.evidence is Evidence.EXACT, res.note
    assert replays(claim, "printed", res)


def test_fn2_the_other_direction_in_lambda_is_refuted_and_replays():
    claim = get("fn2").mutant(decreasing=1)
    res = whole(claim, "corrected")
    assert res.status is Status.FAIL and res.counterexample.evidence is Evidence.EXACT, res.note
    assert replays(claim, "corrected", res)


def test_fn2_a_smaller_bound_is_refuted_too():
    """P < 1/10 for every box: the same instance with x0 = 9/20."""
    claim = get("fn2").mutant(bound=sp.Rational(1, 10))
    res = whole(claim, "printed")
    assert res.status is Status.FAIL and replays(claim, "printed", res)


def test_fn2_a_bound_of_one_does_not_reduce():
    """P < 1 holds for every box (phi(0) < 1), but the proof covers bounds in (0, 1) only."""
    res = whole(get("fn2").mutant(bound=sp.Integer(1)), "printed")
    assert res.status is Status.UNDECIDED and "not a rational number in (0, 1)" in res.note
