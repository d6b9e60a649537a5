"""The whole-domain prover (:mod:`fa_proofs.branch_bound`) and proof certificates
(:mod:`fa_proofs.certificates`): proofs, certified violations, the cases where the only correct
answer is 'undecided', and certificates that are re-checked from scratch (a tampered one fails)."""
from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest
import sympy as sp

from fa_proofs.branch_bound import Goal, box_of, poly_value, poly_of, prove, recheck
from fa_proofs.certificates import Identity, Proof, Step, certify, recheck_document

s, u = sp.symbols("s u", nonnegative=True)
UNIT = box_of([(0, 1), (0, sp.Rational(1, 3))])
PHI = 1 - u * (3 - 3 * s + s**2)          # the scaled contraction factor of (126)


def goal(name, expr, box=UNIT, vars=(s, u), **kw):
    return Goal(name, expr, vars, box, **kw)


def test_factor_with_a_zero_at_the_corner_is_proved_and_rechecks():
    """phi >= 0 vanishes at (s, u) = (0, 1/3): exact Bernstein coefficients close the corner."""
    out = prove(goal("phi >= 0", PHI))
    assert out.proved and out.boxes >= 1
    assert recheck(out.certificate)[0]
    # the certificate survives a JSON round trip
    assert recheck(json.loads(json.dumps(out.certificate)))[0]


def test_vanishing_factor_is_split_off_symbolically():
    """(1 - u) - phi = u (1 - s)(2 - s): zero on two edges; factored, each factor is linear."""
    out = prove(goal("rate - phi", (1 - u) - PHI))
    assert out.proved
    assert out.certificate["method"] == "factor"
    assert {f["proof"]["method"] for f in out.certificate["factors"]} <= {"linear", "sturm"}


def test_wrong_rate_gives_an_exact_violating_point():
    """The printed rate of (126), 1 - 3u, bounds phi from below, not above."""
    g = goal("printed rate - phi", (1 - 3 * u) - PHI, admissible=lambda p: p["u"] > 0)
    out = prove(g)
    assert out.violated and out.by == "exact"
    p = poly_of(g.expr, g.vars)
    assert poly_value(p, [out.point["s"], out.point["u"]]) < 0 and out.point["u"] > 0
    assert Fraction(out.value) < 0


def test_sturm_counts():
    """u^3 - 9u + 2 has its root in (0, 1/3) at 0.2234...: positive on [0, 1/5], not on [0, 1/3]
    (E2's threshold)."""
    ok = prove(goal("E2", u**3 - 9 * u + 2, box_of([(0, sp.Rational(1, 5))]), (u,)))
    assert ok.proved and ok.certificate["factors"][0]["proof"]["method"] == "sturm"
    assert recheck(ok.certificate)[0]
    bad = prove(goal("E2", u**3 - 9 * u + 2, box_of([(0, sp.Rational(1, 3))]), (u,)))
    assert bad.violated and bad.point["u"] == Fraction(1, 3)


def test_arb_bisection_proves_and_finds_violations():
    e = sp.sqrt(1 + s) - 1 + u / 10 + sp.Rational(1, 1000)
    out = prove(goal("arb", e, strict=True))
    assert out.proved and out.certificate["method"] == "arb"
    assert recheck(out.certificate)[0]
    bad = prove(goal("arb bad", sp.sqrt(1 + s) - sp.Rational(6, 5) + u, strict=True))
    assert bad.violated and bad.by == "ball"
    assert sp.sqrt(1 + sp.Rational(bad.point["s"])) - sp.Rational(6, 5) + \
        sp.Rational(bad.point["u"]) < 0


def test_undecided_when_a_true_strict_bound_touches_zero():
    """sqrt(1 + s) - 1 + u/10 > 0 holds on the box minus the corner (0, 0), where it is 0: no box
    around the corner has a positive lower bound and no point violates it, so the only correct
    answer of the interval bisection is 'undecided' (the cure is to factor the zero out)."""
    out = prove(goal("corner", sp.sqrt(1 + s) - 1 + u / 10, strict=True))
    assert out.status == "undecided" and "narrower" in out.reason


def test_undecided_when_out_of_boxes():
    """A true bound that needs more boxes than allowed is undecided, not proved nor refuted."""
    e = (s - sp.Rational(1, 3))**2 + u * (s - sp.Rational(1, 3)) + sp.Rational(1, 10**6)
    out = prove(goal("tight", e, box_of([(0, 1), (0, sp.Rational(1, 1000))]), strict=True),
                method="bernstein", max_boxes=3)
    assert out.status == "undecided" and "boxes" in out.reason


def test_tampered_certificates_fail():
    out = prove(goal("phi strict", PHI + sp.Rational(1, 100), strict=True), method="bernstein")
    assert out.proved
    bad = copy.deepcopy(out.certificate)
    bad["goal"]["expr"] = sp.srepr(PHI - sp.Rational(1, 100))       # another statement
    assert not recheck(bad)[0]
    bad2 = copy.deepcopy(out.certificate)
    bad2["tree"] = bad2["tree"] + "."                                 # not a tiling
    assert not recheck(bad2)[0]


def test_proof_certificate_cached_and_rechecked(tmp_path, monkeypatch):
    monkeypatch.setenv("FA_PROOFS_CERTS", str(tmp_path))
    proof = Proof("demo", "printed", (Identity("expand", (1 - s) ** 2, 1 - 2 * s + s**2),),
                  (Step(goal("phi >= 0", PHI)), Step(goal("t = 0", u + 1), "instance", 0)),
                  "by induction")
    res = certify(proof)
    assert res.status == "proved" and not res.cached
    assert recheck_document(res.document)[0]
    again = certify(proof)
    assert again.status == "proved" and again.cached
    assert (tmp_path / f"{proof.key()}.json").exists()
    bad = copy.deepcopy(res.document)
    bad["identities"][0]["rhs"] = sp.srepr(1 - s**2)
    assert not recheck_document(bad)[0]


def test_instances_are_violations_steps_are_broken_proofs():
    inst = Proof("demo", "printed", (), (Step(goal("t = 1", u - sp.Rational(1, 6),
                                                   admissible=lambda p: p["u"] > 0),
                                              "instance", 1),), "")
    assert certify(inst, use_cache=False).status == "violated"
    step = Proof("demo", "printed", (), (Step(goal("step", u - sp.Rational(1, 6))),), "")
    assert certify(step, use_cache=False).status == "broken"
    ident = Proof("demo", "printed", (Identity("false", s, s + 1),), (), "")
    assert certify(ident, use_cache=False).status == "undecided"


@pytest.mark.parametrize("L", [2, 3])
def test_identity_keys_do_not_depend_on_construction(L):
    """The hash of a statement does not depend on how SymPy built the expressions."""
    a = Identity("x", sp.expand((1 - s) ** (2 * L)), 0)
    b = Identity("x", (1 - s) ** (2 * L) - 0, 0)
    pa = Proof("k", "printed", (a,), (), "")
    pb = Proof("k", "printed", (b,), (), "")
    assert pa.key() == pb.key()


z = sp.Symbol("z", real=True)
a, b = sp.symbols("a b", positive=True)


def open_goal(name, expr, box, vars=(z,)):
    return Goal(name, expr, vars, box_of(box), strict=True, open=True)


def test_open_unbounded_intervals_by_sturm_at_infinity():
    """1 - z^3 > 0 on (-oo, 1): the zero at the open end is split off (linear factor), and
    1 + z + z^2 has no real root (Sturm signs at -oo and +oo)."""
    out = prove(open_goal("below", 1 - z**3, [(None, 1)]))
    assert out.proved and recheck(out.certificate)[0]
    methods = {f["proof"]["method"] for f in out.certificate["factors"]}
    assert methods == {"linear-open", "sturm-open"}
    assert prove(open_goal("above", 1 - z**3, [(1, None)])).violated


def test_open_interval_with_an_irrational_root_inside_is_refuted_or_undecided_never_proved():
    """z^2 - 2 changes sign at sqrt(2) in (0, oo): the Sturm count sees the root, whichever sign
    the factor has at the probe point z = 1."""
    for e in (z**2 - 2, 2 - z**2):
        assert not prove(open_goal("sqrt2", e, [(0, None)])).proved


def test_open_orthant_by_nonnegative_coefficients():
    out = prove(open_goal("gaps", a * (a + b) ** 2 / 2, [(0, None)] * 2, (a, b)))
    assert out.proved and recheck(out.certificate)[0]
    bad = prove(open_goal("gaps", -a * (a + b) ** 2 / 2, [(0, None)] * 2, (a, b)))
    assert bad.violated and bad.by == "exact"
    # positive on the orthant but not by coefficients: undecided, not proved and not refuted
    und = prove(open_goal("form", a**2 - a * b + b**2, [(0, None)] * 2, (a, b)))
    assert und.status == "undecided"
