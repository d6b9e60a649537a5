"""Section 3 and Appendix B: Hypothesis property tests on the claims' domains (the claim id
starts each test's name and docstring).

Exact properties (default ``ci`` run): the claims' own checks at drawn points, as
``fa-proofs verify ID --at ...`` runs them: Lemma 18's signs and the product's direction
(certified in ball arithmetic), the unique root (Descartes, exact), the exact one-dimensional
convergence argument from the initialisation (11) and from independent random initial values of
every layer (L = 2..6, every sign), and a stated rate faster than the linearisation refuted at
the drawn point.  A wide strategy (d_l, lam over six decades, initial values up to 10^3 in
modulus) runs the exact argument over the whole stated domain.  Fuzzing (``target``) climbs
towards slow convergence (a small rate at the limit) and towards large increases of
|prod - lam| on the path.

Trajectory properties (``slow``: ``FA_PROOFS_SLOW=1`` or profile dev/fuzz): batches of drawn
starts through the claims' trajectory checks -- convergence of the product, alignment of every
layer, conserved K_l, the monotone product under (11), the estimated rate against the exact one
-- with every measure over its tolerance as a Hypothesis target.
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, note, settings, target
from hypothesis import strategies as st

from fa_proofs.engine.run import run_check
from fa_proofs.registry import get
from fa_proofs.sections.deep import formulas as F
from fa_proofs.sections.deep.numerics import DeepCase, ball_value, limit_of
from fa_proofs.verdicts import Status

from claim_runs import draw_point, checks_at, batch, run_checks


def scaled(n: int) -> settings:
    """n examples under the ci profile, proportionally more under dev and fuzz."""
    return settings(max_examples=max(n, settings.default.max_examples * n // 25))




@scaled(10)
@given(st.data())
def test_thm5_lem18_signs_direction_and_certificate(run_context, data):
    """thm5, lem18, eq84: at a drawn (L, d_l, lam, theta_0) under (11): theta_1'(0) has the sign
    of r - theta_0, the product moves the same way, lam - K x^gamma has one real root (the stated
    limit), and theta_1 converges monotonically to it (exact argument: K_l = 0, F' <= 0)."""
    p = draw_point(data, "thm5")
    checks_at(run_context, "lem18", p)
    checks_at(run_context, "thm5", p, {"product increasing for theta_0 < r",
                                       "product decreasing for theta_0 > r",
                                       "lam - K x^gamma has one real root",
                                       "(11) starts: certified monotone convergence"})


@scaled(10)
@given(st.data())
def test_thm5_a_too_fast_rate_is_refuted(run_context, data):
    """thm5: a stated rate (1 + eps) times the linearisation d_1 gamma K r^(gamma-1) fails,
    certified, at the drawn (L, d_l, lam) (eps from 1e-3 to 1)."""
    p = draw_point(data, "thm5")
    eps = sp.Rational(data.draw(st.integers(1, 1000), label="eps * 1000"), 1000)
    claim = get("thm5").mutant(rate=F.PRINTED_RATE * (1 + eps))
    check, _ = claim.check("rate")
    res = run_check(claim, check, claim.parts, "printed", replace(run_context, at=p, shrink=False))
    assert res and all(r.status is Status.FAIL for r in res), [(r.status, r.note) for r in res]
    assert all(r.counterexample.evidence.certified for r in res)


@scaled(10)
@given(st.data())
def test_any_init_certified_convergence_and_fuzz(run_context, data):
    """thm5.any_init: independent initial values of every layer (L = 2..6, any signs): the exact
    argument certifies theta_1 -> a root of F and prod -> lam.  Targets: slowness (1/rate at the
    limit, relative to d_1) and the rise of |prod - lam| on the path (F' > 0)."""
    p = draw_point(data, "thm5.any_init")
    checks_at(run_context, "thm5.any_init", p,
              {"certified convergence from independent initial values"})
    _fuzz_targets(p)


def _case(p) -> DeepCase:
    L = int(p["L"])
    return DeepCase(L, tuple(Fraction(p[f"d{i}"]) for i in range(1, L)), Fraction(p["lam"]),
                    tuple(Fraction(p[f"theta{l}_0"]) for l in range(1, L + 1)))


def _fuzz_targets(p) -> None:
    lim = limit_of(_case(p))
    if lim.direction != 0 and lim.exponential:
        rate = float(lim.rate.mid()) / float(p["d1"])
        target(-float(np.log10(max(rate, 1e-300))), label="slowness: -log10(rate/d_1)")
    if lim.witness is not None:
        rise = float(ball_value(lim.F.derivative(), lim.witness).mid())
        target(float(np.log10(max(rise, 1e-300))), label="non-monotone: log10 F'(witness)")
    note(f"limit {float(lim.root):.6g} multiplicity {lim.root.multiplicity} rate "
         f"{float(lim.rate.mid()):.3g} witness {lim.witness}")


def _wide_point(draw) -> dict:
    L = draw(st.integers(2, 6), label="L")
    dec = lambda lo, hi: Fraction(draw(st.integers(1, 999))) * Fraction(10) ** draw(  # noqa: E731
        st.integers(lo, hi))
    p = {"L": L, "lam": dec(-6, 0)}
    for i in range(1, L):
        p[f"d{i}"] = dec(-6, 0)
    for l in range(1, L + 1):
        p[f"theta{l}_0"] = Fraction(draw(st.integers(-10**6, 10**6)), draw(st.integers(1, 10**3)))
    return p


@scaled(10)
@given(st.data())
def test_any_init_whole_domain_exact_argument(run_context, data):
    """thm5.any_init over the whole stated domain: d_l, lam in [1e-6, 1e3), every theta_l(0) in
    [-1e6, 1e6] (rationals): the exact argument (K_l exact, F of odd degree with a negative
    leading coefficient, the root ahead isolated) certifies convergence at the drawn start."""
    p = _wide_point(data.draw)
    checks_at(run_context, "thm5.any_init", p,
              {"certified convergence from independent initial values"})
    _fuzz_targets(p)


@scaled(10)
@given(st.data())
def test_init11_whole_domain_exact_argument(run_context, data):
    """thm5 over the whole stated domain: (11) from theta_0 in [-1e6, 1e6] with d_l, lam in
    [1e-6, 1e3): K_l = 0 exactly, theta_1 -> r monotonically (F' <= 0 on the path), certified."""
    p = _wide_point(data.draw)
    p = {k: v for k, v in p.items() if not (k.startswith("theta") and k != "theta1_0")}
    checks_at(run_context, "thm5", p, {"(11) starts: certified monotone convergence",
                                       "lam - K x^gamma has one real root"})


# --- trajectories (slow) ----------------------------------------------------------------------

@pytest.mark.slow
@scaled(6)
@given(st.data())
def test_thm5_trajectories_monotone_rate_alignment(run_context, data):
    """thm5: drawn starts under (11), L = 2..6, theta_0 of every sign at/near/far from 0 and r:
    prod -> lam monotonically, every layer -> C_l r^(2^(l-1)), K_l conserved, the estimated rate
    = the linearisation = the stated rate (2%)."""
    run_checks(run_context, "thm5", {"trajectories of (10) from (11)"}, batch(data, "thm5", max_size=8))


@pytest.mark.slow
@scaled(6)
@given(st.data())
def test_any_init_trajectories(run_context, data):
    """thm5.any_init: independent random initial values of every layer: prod -> lam, theta_1 ->
    the certified root, K_l conserved, the estimated rate = the exact rate at the limit."""
    run_checks(run_context, "thm5.any_init", {"independent initial values"},
               batch(data, "thm5.any_init", max_size=8))


@pytest.mark.slow
@scaled(4)
@given(st.data())
def test_sec7_layer_hierarchy_along_trajectories(run_context, data):
    """sec7: along drawn (11)-trajectories the relative errors are ordered by depth where
    theta_1 > 0, every layer decays at theta_1's rate, e_l/e_1 -> 2^(l-1)."""
    run_checks(run_context, "sec7", {"trajectories: layers"}, batch(data, "sec7", max_size=8))
