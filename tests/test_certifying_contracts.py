"""Contracts of the certifying primitives, on cases built to tell a correct implementation from a
plausible wrong one (issue 14): root and limit enclosures checked for soundness against the same
quantity at higher precision, rate estimation on synthetic data, the cases where the only right
answer is ``undecided``, convergence certificates that must refuse the wrong root, tolerances and
step counts pinned by behaviour."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from flint import arb

from fa_proofs.arith import Ball, certify_sign
from fa_proofs.rates import exp_rate, power_exponent
from fa_proofs.sections.discrete import formulas as DF
from fa_proofs.sections.discrete.domains import euler_max_ball, rational_below_ball
from fa_proofs.sections.discrete.orbits import (EulerOrbit, MidpointOrbit, ell_of, horizon,
                                                interval_newton, sstar)
from fa_proofs.sections.shallow import checks as CH
from fa_proofs.sections.shallow import formulas as SF
from fa_proofs.sections.shallow.numerics import ScalarCase
from fa_proofs.verdicts import Evidence, Status

HALF, ONE = Fraction(1, 2), Fraction(1)


# --- interval Newton and the enclosures built on it ---------------------------------------------
def _square_minus(c: int):
    return lambda v: (v * v - c, 2 * v)


def test_interval_newton_encloses_the_root_soundly_and_tightly():
    with Ball(128).workprec():
        root = interval_newton(_square_minus(2), 1.4, 1.0, 128)
    ref = Ball(1024).evaluate(sp.sqrt(2), {})
    assert root.contains(ref) and root.rad() < 1e-35


def test_interval_newton_refuses_a_function_without_a_root():
    # x^2 + 1 has no real root; a Newton step is still defined away from 0 (f'(X) excludes 0), but
    # it lands outside the interval: an enclosure that skipped the containment test would "find"
    # a root here
    with Ball(128).workprec():
        with pytest.raises(ArithmeticError):
            interval_newton(lambda v: (v * v + 1, 2 * v), 3.0, 1.0, 128)


def test_interval_newton_refuses_an_image_that_only_overlaps_the_interval():
    # x^2 + 1/1000 has no real root; from the seed 3 some widened interval X meets its Newton
    # image N without containing it: only N inside X proves a root
    eps = Ball(128).convert(Fraction(1, 1000))
    with Ball(128).workprec():
        with pytest.raises(ArithmeticError):
            interval_newton(lambda v: (v * v + eps, 2 * v), 3.0, 1.0, 128)


def test_interval_newton_refuses_a_seed_next_to_a_different_root():
    # f = (x - 1)(x - 1.0001): the only enclosure returned must contain a true root
    f = lambda v: ((v - 1) * (v - Ball(128).convert(Fraction(10001, 10000))), 2 * v - 2.0001)
    with Ball(128).workprec():
        try:
            root = interval_newton(f, 1.00005, 1.0, 128)
        except ArithmeticError:
            return
    assert root.contains(1) or root.contains(Ball(128).convert(Fraction(10001, 10000)))


@pytest.mark.parametrize("d, lam", [(HALF, ONE), (Fraction(3, 7), Fraction(11, 5)),
                                    (Fraction(1, 100), Fraction(3))])
def test_sstar_and_ell_enclose_the_roots_at_higher_precision(d, lam):
    x = sp.Symbol("x")
    cubic = sp.Poly(x**3 - x**2 - 2 * sp.Rational(str(d)) * sp.Rational(str(lam)), x)
    (ref,) = [z for z in cubic.real_roots() if z > 0]
    ref_ball = Ball(600).convert(sp.Rational(str(sp.N(ref, 170))))
    s = sstar(d, lam, 128)
    assert s.overlaps(ref_ball) and s.rad() < 1e-30
    S = Fraction(1, 3)
    cubic2 = sp.Poly(x**3 - sp.Rational(1, 3) * x - 2 * sp.Rational(str(d)) * sp.Rational(str(lam)),
                     x)
    (ref2,) = [z for z in cubic2.real_roots() if z > 0]
    ell = ell_of(Ball(128).convert(S), d, lam, float(ref2) * 1.1, 128)
    assert ell.overlaps(Ball(600).convert(sp.Rational(str(sp.N(ref2, 170))))) and ell.rad() < 1e-30


def test_ell_inf_enclosure_contains_the_limit_seen_by_a_longer_sharper_orbit():
    """[ell_{S_T}, upper] must contain ell_inf.  On an orbit converged far below the balls' radii
    (T = 3000 at 0.99 of the maximal step: the defect shrinks like 0.83^t), ell_inf equals
    ell_{S_T} to within 10^-200, which a 600-bit orbit twice as long resolves: an enclosure built
    from the wrong end of a ball (of ell_{S_T}, or of the bound on S_inf) misses it by a radius.
    The comparisons are made at 700 bits (endpoints rounded at a lower precision would hide it)."""
    d, lam = HALF, ONE
    eta = rational_below_ball(euler_max_ball(d, lam), Fraction(99, 100))
    enc = EulerOrbit(d, lam, eta, 3000, 128).ell_inf(sstar(d, lam, 128))
    later = EulerOrbit(d, lam, eta, 6000, 600).ell_at(6000)      # ell_inf to ~10^-180
    with Ball(700).workprec():
        assert enc.lower() <= later.lower()
        assert enc.upper() >= later.upper()
        assert enc.rad() < 1e-35                                 # and it is tight


def test_euler_gap_and_increments_are_certified_positive_and_consistent():
    d, lam = HALF, ONE
    eta = rational_below_ball(euler_max_ball(d, lam), Fraction(9, 10))
    o = EulerOrbit(d, lam, eta, 60, 128)
    for t in range(0, 59, 7):
        gap = o.gap(t)
        assert gap > 0 and gap.overlaps(o.ell_at(t) - o.xs[t])
        inc = o.ell_increment(t)
        assert inc > 0 and inc.overlaps(o.ell_at(t + 1) - o.ell_at(t))


# --- step-size samples, horizons ---------------------------------------------------------------
@pytest.mark.parametrize("share", [Fraction(1, 1000), Fraction(1, 2), 1 - Fraction(1, 10**9)])
def test_rational_below_ball_is_below_every_value_of_the_ball(share):
    bound = Ball(128).evaluate(DF.PRINTED_ETA_MAX_MIDPOINT, {DF.d: Fraction(3, 7),
                                                             DF.lam: Fraction(5, 4)})
    eta = rational_below_ball(bound, share)
    with Ball(512).workprec():
        assert Ball(512).convert(eta) <= bound.lower() * arb(share.numerator) / share.denominator
    # and not absurdly far below: 15 significant digits of the target
    assert float(eta) > float(bound.mid()) * float(share) * (1 - 1e-13)


@pytest.mark.parametrize("share", [Fraction(1, 2), 1 - Fraction(1, 10**9)])
def test_rational_below_a_wide_ball_is_below_its_lower_end(share):
    """A wide ball (radius 1/50 around 1/2): the rational must sit below the lower end, not
    near the midpoint or the upper end."""
    bound = arb(0.5, 0.02)
    eta = rational_below_ball(bound, share)
    with Ball(512).workprec():
        assert Ball(512).convert(eta) <= bound.lower() * arb(share.numerator) / share.denominator
    # close to it (a radius is stored with 30 bits: its lower end is known to about 1e-9)
    assert float(eta) > float(bound.lower()) * float(share) * (1 - 1e-8)


def test_the_step_size_hypothesis_admits_the_maximum_itself():
    """eta <= eta_max (120) holds at eta = eta_max exactly (d = 1/2, lam = 1: eta_max = 2/3),
    and not just above it."""
    from fa_proofs.registry import get
    claim = get("thm9")
    at_max = claim.domain.parse({"d": "1/2", "lam": "1", "eta": "2/3"})
    above = dict(at_max, eta=Fraction(2, 3) + Fraction(1, 10**30))
    assert claim.domain.admits(at_max, claim.parts)
    assert not claim.domain.admits(above, claim.parts)


def test_horizon_counts_the_steps_a_contraction_needs():
    assert horizon(0.5) == math.ceil(25 * math.log(10) / math.log(2))       # 84
    assert horizon(0.5, decades=1) == 50                                   # the floor
    assert horizon(0.999999) == 10_000                                     # the cap
    assert horizon(1.0) == 10_000 and horizon(0.0) == 10_000 and horizon(-0.5) == 10_000
    # an orbit of that many steps has really shrunk its defect that much
    o = MidpointOrbit(HALF, ONE, Fraction(1, 10), horizon(1 - 1 / 20))
    assert float(o.e[-1].mid()) < 1e-25


# --- rate estimation ---------------------------------------------------------------------------
def _profile(t, rate, floor=1e-13, seed=0):
    rng = np.random.default_rng(seed)
    return np.exp(-rate * t) + floor * rng.standard_normal(t.shape)


def test_exp_rate_recovers_rates_inside_its_window_above_the_noise_floor():
    t = np.linspace(0, 40, 4001)
    rates = np.array([0.7, 1.0, 1.9])
    err = np.stack([_profile(t, k, seed=i) for i, k in enumerate(rates)], axis=1)
    est = exp_rate(t, err)
    assert np.all(np.abs(est / rates - 1) < 2e-3)
    # a window reaching down to the noise floor (1e-13) is badly off: the default stays above it
    bad = exp_rate(t, err, lo=1e-13, hi=1e-5)
    assert np.max(np.abs(bad / rates - 1)) > 0.1


def test_exp_rate_only_counts_the_decay_after_the_peak():
    t = np.linspace(0, 60, 6001)
    # a start next to a repelling equilibrium: the error first grows through the window
    err = np.where(t < 15, 1e-10 * np.exp(t), 1e-10 * np.exp(15) * np.exp(-(t - 15)))
    est = exp_rate(t, err[:, None])
    assert abs(est[0] - 1.0) < 1e-6


def test_exp_rate_is_nan_without_two_samples_in_the_window():
    t = np.linspace(0, 1, 11)
    assert np.isnan(exp_rate(t, np.full((11, 1), 1.0))[0])


def test_power_exponent():
    t = np.logspace(0, 6, 601)
    assert abs(power_exponent(t, (t ** -1.5)[:, None], 1e3)[0] - 1.5) < 1e-12


# --- stated rates: proven, refuted, or undecided ----------------------------------------------------
r = sp.Symbol("r", positive=True)
EXACT_RATE = sp.Rational(3, 2) * r**2
ROWS = [({r: Fraction(k, 3)}, {"r": Fraction(k, 3)}) for k in range(1, 6)]


def test_rate_statement_equal_is_proved_faster_is_refuted():
    res = CH.rate_statement_check("rate", EXACT_RATE, EXACT_RATE, ROWS)
    assert res.status is Status.PASS and res.evidence is Evidence.SYMBOLIC
    res = CH.rate_statement_check("rate", EXACT_RATE * sp.Rational(11, 10), EXACT_RATE, ROWS)
    assert res.status is Status.FAIL and res.counterexample.evidence is Evidence.BALL
    res = CH.rate_statement_check("rate", EXACT_RATE / 2, EXACT_RATE, ROWS)
    assert res.status is Status.PASS and res.evidence is Evidence.BALL


SQRT2_1500 = sp.Rational(sp.integer_nthroot(2 * 10**3000, 2)[0], 10**1500)


def test_rate_statement_that_cannot_be_certified_is_undecided_not_a_pass():
    # sqrt(2) - (its 1500-digit truncation) > 0 cancels beyond every precision certify_sign tries
    # (about 5000 bits are needed): the honest answer is undecided, whichever way it is true
    gap = sp.sqrt(2) - SQRT2_1500
    res = CH.rate_statement_check("rate", EXACT_RATE - gap, EXACT_RATE, ROWS)
    assert res.status is Status.UNDECIDED
    res = CH.rate_statement_check("rate", EXACT_RATE + gap, EXACT_RATE, ROWS)
    assert res.status is Status.UNDECIDED


# --- the convergence certificate of slow starts ----------------------------------------------------
def _three_root_case(theta0: Fraction) -> ScalarCase:
    # roots -3, 1, 2: P = (x + 3)(x - 1)(x - 2) = x^3 - 7x + 6 = x^3 + 2dK x - 2 d lam, d = 1/2
    return ScalarCase(HALF, Fraction(-6), Fraction(-7), theta0)


def test_convergence_certificate_accepts_the_root_approached_only():
    case = _three_root_case(Fraction(3, 2))          # between r2 = 1 and r3 = 2: -> 2
    assert CH.certified_convergence(case, 2.0)
    assert not CH.certified_convergence(case, -3.0)   # a root, but not the one approached
    assert not CH.certified_convergence(case, 1.0)    # the repelling root behind the start
    assert not CH.certified_convergence(case, 1.75)   # ahead of the start, but no root there
    below = _three_root_case(Fraction(1, 2))          # between r1 and r2: -> -3, not past 1
    assert CH.certified_convergence(below, -3.0)
    assert not CH.certified_convergence(below, 2.0)


# --- the trajectory cross-check of stated rates ----------------------------------------------------
def _k0_cases():
    return [ScalarCase(d, lam, Fraction(0), th) for d, lam, th in
            ((HALF, ONE, Fraction(0)), (Fraction(2), Fraction(3), Fraction(-1)),
             (Fraction(1, 5), Fraction(7, 2), Fraction(5, 2)))]


@pytest.mark.parametrize("factor, status", [(1.0, Status.PASS), (0.9, Status.PASS),
                                            (1.05, Status.UNDECIDED), (1.5, Status.UNDECIDED)])
def test_stated_rate_faster_than_the_trajectories_is_never_a_pass(factor, status):
    cases = _k0_cases()
    r_num = np.array([float(Ball(128).evaluate(SF.PRINTED_THM2_ROOT, {SF.d: c.d, SF.lam: c.lam})
                            .mid()) for c in cases])
    target, rate = r_num, 1.5 * r_num**2
    res = {c.name.split(": ")[-1]: c for c in
           CH.flow_checks("k0", cases, target, rate, rate * factor, rate)}
    assert res["estimated rate = exact rate"].status is Status.PASS
    assert res["stated rate <= trajectory rate"].status is status
    assert CH.RATE_RTOL <= 0.02


def test_flow_checks_report_failed_integrations_as_undecided():
    bad = [ScalarCase(HALF, ONE, Fraction(0), Fraction(10**150))]   # theta1^3 overflows doubles
    out = CH.flow_checks("huge", bad, np.array([1.0]), np.array([1.5]), None, np.array([1.5]))
    assert out and all(c.status is not Status.PASS for c in out)


# --- arithmetic and verdict invariants (planted-bug survivors) --------------------------------------
def test_certify_sign_tries_max_prec_itself():
    q = sp.Rational(sp.integer_nthroot(2 * 10**200, 2)[0], 10**100)   # needs ~340 bits
    assert certify_sign(sp.sqrt(2) - q, {}, max_prec=512) == 1
    assert certify_sign(sp.sqrt(2) - q, {}, max_prec=511) is None


def test_certify_sign_never_takes_an_unknown_for_zero():
    # atan(1 + 10^-1500) - pi/4 ~ 5e-1501: beyond max_prec, and SymPy cannot decide it either
    e = sp.atan(1 + sp.Rational(1, 10**1500)) - sp.pi / 4
    assert sp.simplify(e).is_zero is None
    assert certify_sign(e, {}) is None


@pytest.mark.parametrize("kind", [Evidence.MP, Evidence.FLOAT])
def test_a_failure_on_numerics_alone_is_refused(kind):
    from fa_proofs.verdicts import Counterexample, failed
    cx = Counterexample.of({"d": 1}, "x > y", {}, kind)
    with pytest.raises(ValueError, match="certified"):
        failed("f", kind, "x <= y", cx)


def test_thm10_rate_failure_needs_phi_certified_above_f_prime_on_the_whole_orbit(monkeypatch):
    """thm10's 'stated rate vs the exact linear rate' fails a rate q < f'(r) only after
    certifying phi_t >= f'(r) along the orbit (then (f'(r)/q)^t is unbounded): an orbit where
    one phi_t is not certified above f'(r) leaves the check undecided, never failed."""
    from fa_proofs.engine.run import Run
    from fa_proofs.profiles import get_profile
    from fa_proofs.registry import get
    from fa_proofs.sections.discrete import layered as LY
    claim = get("thm10").mutant(rate=sp.Rational(1, 2)).without_correction()
    run = Run(get_profile("ci"), 0)
    p = claim.domain.parse({"L": "3", "d1": "1", "d2": "1", "lam": "1/2", "eta": "1/1000"})
    assert LY._linear_rate(claim.parts, [p], run).status is Status.FAIL    # the real orbit

    real = LY.orbit_of

    class Broken:                     # the same orbit, one phi_t below f'(r) (not certified)
        def __init__(self, o):
            self._o = o
            fb = LY._ball(LY.in_r(LY.F_PRIME_R, LY.depth(p)[1]), p, o)
            self.phi = [fb - 1] + list(o.phi[1:])

        def __getattr__(self, name):
            return getattr(self._o, name)

    monkeypatch.setattr(LY, "orbit_of", lambda point, run, prec=None: Broken(real(point, run)))
    assert LY._linear_rate(claim.parts, [p], run).status is Status.UNDECIDED


@pytest.mark.parametrize("const_factor, allowed", [
    (1 - sp.Rational(1, 10**45), {Status.FAIL, Status.UNDECIDED}),   # false at t = 0: never a pass
    (sp.Integer(1), {Status.PASS}),                                   # the margin's own premise
])
def test_the_domination_margin_backs_only_a_bound_whose_constant_is_r(const_factor, allowed):
    """(126) corrected, |x_t - r| <= C (1 - eta r^2/2)^t: the factor-by-factor domination margin
    assumes C = r = e_0.  With C = r (1 - 10^-45) (false at t = 0, by less than the balls can
    see) the margin must not be used, so the check cannot pass."""
    from fa_proofs.sections.discrete import midpoint as MP
    from fa_proofs.sequences import bound_check
    bound = DF.Geometric(DF.r * const_factor, DF.CORRECTED_EQ126.rate)
    point = {"d": Fraction(1, 2), "lam": Fraction(1), "eta": Fraction(1, 2)}
    cmp = MP.geometric_comparison(point, bound, MP.defect_at, 40)
    assert bound_check("c", "w", [cmp]).status in allowed


def test_shrinking_a_large_integer_is_bounded_and_simplest_first():
    """A data seed of 10^9 (a fresh fuzz seed): the shrinker proposes the small integers first
    and a logarithmic number of halvings, never all of range(lo, v) (which froze the run)."""
    from fa_proofs.domains import Param
    from fa_proofs.engine.shrink import scalar_candidates
    p = Param("seed", kind="integer", sign="nonnegative", lo=0)
    c = scalar_candidates(p, Fraction(1053272582))
    assert len(c) < 200 and c[:3] == [0, 1, 2] and c[-1] == 1053272581
    assert scalar_candidates(p, Fraction(7)) == [Fraction(k) for k in range(7)]


@pytest.mark.parametrize("drift, status", [(0.0, Status.PASS), (1e-7, Status.UNDECIDED)])
def test_a_drift_of_k_above_1e_8_is_not_a_pass(monkeypatch, drift, status):
    """K = theta2 - theta1^2/(2d) is conserved by (6): a trajectory whose K drifts by 1e-7 (of
    max(|theta2|, 1)) has lost the accuracy the cross-checks rely on."""
    real = CH.simulate

    def drifting(cases, rho, horizon=80.0):
        tr = real(cases, rho, horizon=horizon)
        tr.theta2[-1] += drift * np.maximum(np.abs(tr.theta2).max(axis=0), 1)   # K moves with it
        return tr
    monkeypatch.setattr(CH, "simulate", drifting)
    cases = _k0_cases()
    r_num = np.array([float(Ball(128).evaluate(SF.PRINTED_THM2_ROOT, {SF.d: c.d, SF.lam: c.lam})
                            .mid()) for c in cases])
    res = {c.name.split(": ")[-1]: c for c in
           CH.flow_checks("k0", cases, r_num, 1.5 * r_num**2, None, 1.5 * r_num**2)}
    assert res["K conserved along trajectories"].status is status


@pytest.mark.parametrize("offset, status", [(0.0, Status.PASS), (1e-6, Status.UNDECIDED)])
def test_a_trajectory_ending_1e_6_off_a_point_that_is_no_root_is_not_a_pass(monkeypatch, offset,
                                                                            status):
    """The convergence cross-check accepts doubles only to 1e-7 (relative); beyond that only the
    exact certificate (a root at the target) can pass it.  A trajectory made to end 1e-6 from
    a target 1/100 past the true root (with theta1 theta2 = lambda there) is not a pass."""
    cases = _k0_cases()
    root = np.array([float(Ball(128).evaluate(SF.PRINTED_THM2_ROOT, {SF.d: c.d, SF.lam: c.lam})
                           .mid()) for c in cases])
    target = root + (0.01 if offset else 0.0)
    real = CH.simulate

    def ending_near_target(cases, rho, horizon=80.0):
        tr = real(cases, rho, horizon=horizon)
        if offset:
            tr.theta1[-1] = target * (1 + offset)
            tr.theta2[-1] = tr.lam / tr.theta1[-1]
        return tr
    monkeypatch.setattr(CH, "simulate", ending_near_target)
    res = {c.name.split(": ")[-1]: c for c in
           CH.flow_checks("k0", cases, target, 1.5 * root**2, None, 1.5 * root**2)}
    assert res["theta1 -> root, theta1 theta2 -> lambda"].status is status


def test_eq139_margin_is_the_bound_minus_the_error():
    """(139)'s domination margin is const |theta - r| - |lam - K theta^gamma|: with const = 0
    (a bound that fails wherever theta != r) it must be negative inside (0, r)."""
    from fa_proofs.sections.discrete import layered as LY
    m = LY._eq139_margin(sp.Integer(0), 3)
    val = m.subs({LY.e: sp.Rational(1, 2), LY.r: 1, LY.K: sp.Rational(1, 2)})
    assert val < 0


def test_euler_linear_convergence_needs_q_strictly_below_one(monkeypatch):
    """Forward Euler's 'linear convergence' check needs the largest one-step ratio q < 1: an
    orbit whose ratios are all exactly 1 is not linear convergence."""
    from fa_proofs.engine.run import Run
    from fa_proofs.profiles import get_profile
    from fa_proofs.registry import get
    from fa_proofs.sections.discrete import euler as EU
    claim = get("thm8")
    run = Run(get_profile("ci"), 0)
    p = {"d": Fraction(1, 2), "lam": Fraction(1), "eta": Fraction(1, 10)}
    real = EU.orbit_of

    class Stalled:
        def __init__(self, o):
            self._o = o

        def factor(self, t):
            return arb(1)

        def __getattr__(self, name):
            return getattr(self._o, name)

    assert EU._linear(claim.parts, [p], run).status is Status.PASS
    monkeypatch.setattr(EU, "orbit_of", lambda point, run: Stalled(real(point, run)))
    assert EU._linear(claim.parts, [p], run).status is not Status.PASS


@pytest.mark.parametrize("error, status", [(0, Status.PASS), (sp.Rational(1, 10**18),
                                                              Status.UNDECIDED)])
def test_implicit_solution_check_asks_for_dps_minus_8_digits(error, status):
    """implicit(theta1(t)) - implicit(theta0) = factor t along a 30-digit trajectory: a residual
    of 1e-18 is 12 digits short of what 30-digit references give, so it is not a pass."""
    from fa_proofs.arith import MP
    mp = MP(40)
    th = [mp.convert(sp.Integer(0)), mp.convert(1 + error)]
    res = CH.implicit_hp_check("h", SF.theta1, (), (), sp.Integer(1), [0, 1], th, 30, 40, {})
    assert res.status is status


def test_monotone_bounded_margin_is_rhs_minus_lhs():
    """Lemma 21's x_t <= share r: the well-conditioned margin e_t - (1 - share) r must be
    share r - x_t (rhs - lhs), step by step."""
    from fa_proofs.sections.discrete.common import midpoint_orbit, monotone_bounded
    o = midpoint_orbit(Fraction(1, 2), Fraction(1), Fraction(1, 3), 30)
    share = arb(1) / 2
    bounded, _, _ = monotone_bounded({}, o, share)
    for t in range(0, 31, 5):
        assert bounded.margin(t).overlaps(o.r * share - o.position(t))


def test_the_runs_precision_floor_raises_the_orbits_precision():
    """--prec: the working precision of a certified orbit is at least the run's floor."""
    from types import SimpleNamespace
    from fa_proofs.sections.discrete.common import PREC, prec_of
    assert prec_of(SimpleNamespace(prec=None)) == PREC
    assert prec_of(SimpleNamespace(prec=PREC + 300)) == PREC + 300
    assert prec_of(SimpleNamespace(prec=8)) == PREC
