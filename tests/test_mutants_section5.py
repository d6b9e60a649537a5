"""Mutants of every Section 5 / Appendix D claim, as rows of data.

A row names a claim, a *variant* of it and the verdict the variant must get.  The variant is the
registered claim with

* a printed part replaced: ``get(id).mutant(part=value)`` -- the same checks run on a wrong
  statement (a hypothesis is a part too: ``eta_max``, ``eta_shares``, ``upper``);
* a wrong correction: ``get(id).with_correction(part=value)``.

Every variant is run exactly as ``fa-proofs verify`` runs the claim, ``evaluate(variant,
Run(get_profile("ci"), 0))`` (default samples, shrinking on), and a rejection must be *certified*:
a ``FAIL`` whose counterexample parameters are exact strings that SymPy reads back as rationals.
A row may also name the check that must fail and the step ``t`` of its counterexample.

The printed statement of every Section 5 claim gets its verdict (holds; or corrected: the
printed statement fails, certified, and every corrected check passes), and every shrunk
counterexample of a corrected claim is certified again by ``replay``.

Results are cached per test session (one evaluation per variant); the certified orbits are cached
by the library, so the printed statement and its mutants share them.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import pytest
import sympy as sp
from flint import arb, fmpq

from fa_proofs.arith import Ball
from fa_proofs.engine import Check, Claim, ClaimResult, Run, evaluate
from fa_proofs.engine.replay import Saved, replay_one
from fa_proofs.engine.run import run_check
from fa_proofs.engine.shrink import complexity
from fa_proofs.profiles import get_profile
from fa_proofs.registry import all_claims, get
from fa_proofs.sections.discrete import formulas as F
from fa_proofs.sections.discrete.common import ball, layered_slow_rate, params_of, steps_for
from fa_proofs.sections.discrete.domains import layered_K
from fa_proofs.sections.discrete.orbits import LayeredOrbit, MidpointOrbit
from fa_proofs.sequences import Comparison, bound_check
from fa_proofs.verdicts import CheckResult, Status, Verdict

PROFILE = get_profile("ci")
d, lam, eta, x, r, S = F.d, F.lam, F.eta, F.x, F.r, F.S
K, d1, gamma, ell_inf = F.K, F.d1, F.gamma, F.ell_inf
R23 = F.C ** sp.Rational(2, 3)              # (2 d lam)^(2/3) = r^2
TINY = sp.Rational(1, 10**60)

# expected outcomes of a variant
REFUTED = "refuted"                          # verdict refuted, certified failures
UNDECIDED = "undecided"                      # e.g. a floating-point ratio: never a certified fail
CORRECTION_REJECTED = "correction rejected"  # not corrected, its corrected checks fail (certified)

_CACHE: dict[str, ClaimResult] = {}


def run(key: str, make: Callable[[], Claim]) -> ClaimResult:
    """``evaluate(variant, Run(ci, 0))``, once per test session."""
    if key not in _CACHE:
        _CACHE[key] = evaluate(make(), Run(PROFILE, 0))
    return _CACHE[key]


def printed(claim_id: str) -> ClaimResult:
    return run(f"printed {claim_id}", lambda: get(claim_id))


def certified_failures(results: list[CheckResult]) -> list[CheckResult]:
    """The failures among ``results``; each carries a counterexample whose parameters are exact
    strings SymPy reads as rationals."""
    fails = [c for c in results if c.status is Status.FAIL]
    for c in fails:
        cx = c.counterexample
        assert cx is not None and cx.evidence.certified, c.name
        for k, v in cx.params.items():
            assert isinstance(v, str), (c.name, k, v)
            assert sp.sympify(v).is_Rational, (c.name, k, v)      # exact, not a float
    return fails


def named(fails: list[CheckResult], check: str) -> list[CheckResult]:
    """The failures of the check ``check`` (a check that returns several results, e.g. one per
    depth, names them ``check, ...``)."""
    return [c for c in fails if c.name == check or c.name.startswith(check + ",")]


def describe(res: ClaimResult) -> list:
    return [(c.name, c.status.value, c.note) for c in res.checks + res.corrected_checks]


# --- the rows ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """``claim``'s variant ``make(get(claim))`` gets ``expect``; each check in ``fails`` has a
    certified failure (in the corrected checks for CORRECTION_REJECTED), the first of them at
    step ``t`` if given, with a non-empty exact point (an empty one for the checks in
    ``parameter_free``: identities without parameters)."""

    label: str
    claim: str
    make: Callable[[Claim], Claim]
    expect: str
    fails: tuple[str, ...] = ()
    t: str | None = None
    parameter_free: tuple[str, ...] = ()

    def result(self) -> ClaimResult:
        return run(self.label, lambda: self.make(get(self.claim)))


def _constants_without_powers_of_two(L: int) -> tuple[sp.Expr, ...]:
    """A wrong (136): C_l = d_l/d_1 prod_{j<l} C_j (the 2^-(l-1) dropped)."""
    ds = list(F.fa_symbols(L)) + [sp.Integer(1)]
    cs: list[sp.Expr] = [sp.Integer(1)]
    for l in range(1, L):
        cs.append(sp.simplify(ds[l] / ds[0] * sp.Mul(*cs)))
    return tuple(cs)


def _constants_with_wrong_C3(L: int) -> tuple[sp.Expr, ...]:
    """A wrong (136): C_3 doubled (everything else as derived)."""
    cs = list(F.layer_constants(L))
    if L >= 3:
        cs[2] = 2 * cs[2]
    return tuple(cs)


LAYERED_RATE_2X = 1 - 2 * eta * d1 * gamma * (K * lam ** (gamma - 1)) ** (1 / gamma)

ROWS = [
    # --- Section 5.2 / D.1: the two-layer midpoint scheme -------------------------------------
    Row("eq119 without d", "eq119", lambda c: c.mutant(reduced=x + eta * lam * (1 - x**3 / F.C)),
        REFUTED, ("(119) = (115) with y = x^2/(2d)",)),
    Row("eq119 with 2 r^3", "eq119",
        lambda c: c.mutant(reduced=x + eta * d * lam * (1 - x**3 / (2 * F.C))),
        REFUTED, ("(119) = (115) with y = x^2/(2d)",)),
    Row("lem19 y = x^2/d", "lem19", lambda c: c.mutant(y=x**2 / d),
        REFUTED, ("exact orbits of (115)-(116)", "induction step of (117)"), t="1"),
    # f'(r) != 0 at 3x the maximum (no parameters), and f maps a grid point out of [0, r]
    Row("lem20 3x the maximum", "lem20", lambda c: c.mutant(eta_max=3 * c.parts["eta_max"]),
        REFUTED, ("f'(r) = 0 at the stated maximum", "f([0, r]) in [0, r]"),
        parameter_free=("f'(r) = 0 at the stated maximum",)),
    Row("lem21 99/100 r", "lem21", lambda c: c.mutant(upper=Fraction(99, 100)),
        REFUTED, ("x_t <= r",)),
    Row("rem23 half the step", "rem23", lambda c: c.mutant(eta=1 / R23), REFUTED, ("x_1 = r",)),
    Row("thm9 faster correction", "thm9",
        lambda c: c.with_correction(bound=F.Geometric(3 * lam, 1 - eta * R23)),
        CORRECTION_REJECTED, ("corrected bound",)),
    Row("thm9 rate 1 - 2 eta r^2", "thm9",
        lambda c: c.mutant(bound=F.Geometric(3 * lam, 1 - 2 * eta * R23)).without_correction(),
        REFUTED, ("stated bound (124)",)),
    Row("eq126 half the constant", "eq126",
        lambda c: c.with_correction(bound=F.Geometric(r / 2, 1 - eta * r**2 / 2)),
        CORRECTION_REJECTED, ("corrected bound",), t="0"),          # |x_0 - r| = r
    Row("eq127 factor r^2/(2d)", "eq127", lambda c: c.mutant(factor=r**2 / (2 * d)),
        REFUTED, ("(127)",)),
    # a floating-point order ratio is never a certified failure
    Row("thm9.continuum order 2", "thm9.continuum", lambda c: c.mutant(order=2), UNDECIDED),
    Row("thm9.continuum flow d (lam - x^3/d)", "thm9.continuum",
        lambda c: c.mutant(flow=d * (lam - x**3 / d)),
        REFUTED, ("(119) is Euler on (40)", "same limit as the flow")),
    # --- Section 5.2 (L layers) / D.1 -----------------------------------------------------------
    Row("eq136 doubled C_3", "eq136", lambda c: c.mutant(constants=_constants_with_wrong_C3),
        REFUTED, ("exact orbits of (128)-(132)", "telescoping"), t="1"),
    Row("eq136 without 2^-(l-1)", "eq136",
        lambda c: c.mutant(constants=_constants_without_powers_of_two),
        REFUTED, ("exact orbits of (128)-(132)", "telescoping"), t="1"),
    Row("eq137 gamma = 2^L", "eq137", lambda c: c.mutant(gamma=lambda L: 2**L),
        REFUTED, ("(137)",)),
    Row("lem25 99/100 r", "lem25", lambda c: c.mutant(upper=Fraction(99, 100)),
        REFUTED, ("theta_t <= r",)),
    Row("eq138 twice as fast correction", "eq138",
        lambda c: c.with_correction(bound=F.Geometric(
            r, 1 - 2 * eta * d1 * (K * lam ** (gamma - 1)) ** (1 / gamma))),
        CORRECTION_REJECTED, ("corrected bound",), t="1"),
    Row("eq139 without gamma", "eq139", lambda c: c.mutant(const=K * r ** (gamma - 1)),
        REFUTED, ("(139)",)),
    Row("thm10 correction keeping gamma", "thm10",
        lambda c: c.with_correction(bound=F.Geometric(gamma * lam, F.PRINTED_THM10_RATE)),
        CORRECTION_REJECTED, ("corrected bound",)),
    Row("thm10 rate twice as fast", "thm10",
        lambda c: c.mutant(rate=LAYERED_RATE_2X).without_correction(),
        REFUTED, ("stated rate vs the exact linear rate",)),
    Row("thm10 rate 1/2", "thm10",
        lambda c: c.mutant(rate=sp.Rational(1, 2)).without_correction(),
        REFUTED, ("stated rate vs the exact linear rate",)),
    # --- Section 5.1 / D.2: forward Euler -------------------------------------------------------
    Row("eq143 + S_t", "eq143", lambda c: c.mutant(y=x**2 / (2 * d) + S / (2 * d)),
        REFUTED, ("exact orbits of (140)-(141)", "induction step of (143)"), t="1"),
    Row("eq144 eta P", "eq144", lambda c: c.mutant(reduced=x + eta * F.P),
        REFUTED, ("(144) from (140) and (143)",)),
    Row("eq159 eta^2/2 P^2", "eq159", lambda c: c.mutant(S=S + eta**2 / 2 * F.P**2),
        REFUTED, ("(160): S_{t+1}",)),
    Row("thm8 limit 2 lam", "thm8", lambda c: c.mutant(limit=2 * lam),
        REFUTED, ("the product's limit",)),
    Row("thm8.step_size max_R P = 2 d lam", "thm8.step_size", lambda c: c.mutant(p_max=2 * d * lam),
        REFUTED, ("P <= max_R P on R",)),
    Row("lem27 3x the step", "lem27", lambda c: c.mutant(eta_max=3 * c.parts["eta_max"]),
        REFUTED, ("x_t <= ell_{alpha_inf}", "x_t increasing")),
    Row("lem28 2x the maximum", "lem28", lambda c: c.mutant(eta_shares=(Fraction(2),)),
        REFUTED, ("S_t <= x_t",), t="1"),                # x_1 - S_1 = eta d lam (1 - eta d lam)
    Row("rem29 upper r", "rem29", lambda c: c.mutant(upper=F.R_OF),
        REFUTED, ("ell_inf <= S*",)),
    Row("lem30 swapped bounds", "lem30",
        lambda c: c.mutant(lower=2 * d * lam / F.R_OF, upper=2 * d * lam / ell_inf),
        REFUTED, ("sandwich (178), lower bound", "sandwich (178), upper bound")),
    # ell_0^2 - S_0 = 2 d lam / r exactly
    Row("lem30 upper (1 - 10^-60) 2 d lam/r", "lem30",
        lambda c: c.mutant(upper=2 * d * lam / F.R_OF * (1 - TINY)),
        REFUTED, ("sandwich (178), upper bound",), t="0"),
    Row("lem31 M/4", "lem31", lambda c: c.mutant(M=F.PRINTED_M / 4), REFUTED, ("(181)",)),
    Row("lem32 C_inf/4", "lem32", lambda c: c.mutant(C_inf=F.PRINTED_C_INF / 4),
        REFUTED, ("(183)",)),
    Row("eq188 doubled linear coefficient", "eq188",
        lambda c: c.with_correction(bound=F.Geometric(
            sp.cbrt(F.C), 1 - 2 * eta * d * lam / ell_inf + eta**2 * F.PRINTED_M_TILDE)),
        CORRECTION_REJECTED, ("corrected bound",)),
    Row("eq188 constant (1 - 10^-60) r", "eq188",                # ell_0 - x_0 = r exactly
        lambda c: c.with_correction(bound=F.Geometric(sp.cbrt(F.C) * (1 - TINY),
                                                      F.CORRECTED_EQ188.rate)),
        CORRECTION_REJECTED, ("corrected bound",), t="0"),
]
BY_LABEL = {row.label: row for row in ROWS}


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.claim}: {row.label}" for row in ROWS])
def test_mutant(row: Row):
    res = row.result()
    verdict = res.verdict
    if row.expect == REFUTED:
        assert verdict is Verdict.REFUTED, describe(res)
        fails = certified_failures(res.checks)
    elif row.expect == UNDECIDED:
        assert verdict is Verdict.UNDECIDED, describe(res)
        fails = certified_failures(res.checks)
        assert not fails, describe(res)
    else:
        assert row.expect == CORRECTION_REJECTED
        assert verdict not in (Verdict.CORRECTED, Verdict.HOLDS), describe(res)
        fails = certified_failures(res.corrected_checks)
        assert fails, describe(res)
    for i, check in enumerate(row.fails):
        mine = named(fails, check)
        assert mine, f"no certified failure of {check!r}: {describe(res)}"
        if check in row.parameter_free:
            assert not mine[0].counterexample.params, mine[0].counterexample
        else:
            assert any(c.counterexample.params for c in mine), f"{check}: no parameter point"
        if i == 0 and row.t is not None:
            assert mine[0].counterexample.params["t"] == row.t, mine[0].counterexample


def _cx(label: str, check: str):
    row = BY_LABEL[label]
    res = row.result()
    results = res.corrected_checks if row.expect == CORRECTION_REJECTED else res.checks
    return named(certified_failures(results), check)[0].counterexample


def _exact(claim_id: str, params) -> dict:
    return get(claim_id).domain.parse(params)


def _q(v) -> fmpq:
    v = Fraction(v)
    return fmpq(v.numerator, v.denominator)


# --- re-certification of counterexamples, independently of the check ----------------------------
def test_lem20_three_times_the_maximum_leaves_0_r_at_an_interior_grid_point():
    """lem20: at 3x the maximum f maps an interior grid point k r/16 (k > 0) above r: f(0) =
    eta d lam stays below r, the failure is inside [0, r]."""
    cx = _cx("lem20 3x the maximum", "f([0, r]) in [0, r]")
    assert int(cx.values["index"]) > 0


def test_lem21_counterexample_recertified_at_256_bits():
    """lem21: x_t > (99/100) r at the counterexample, on an orbit at twice the precision."""
    cx = _cx("lem21 99/100 r", "x_t <= r")
    p = _exact("lem21", cx.params)
    t = int(p["t"])
    o = MidpointOrbit(p["d"], p["lam"], p["eta"], t, prec=256)
    with Ball(256).workprec():
        assert o.x(t) > o.r * arb(fmpq(99, 100))


def test_eq127_counterexample_recertified_at_256_bits():
    """eq127: |x_t y_t - lam| > r^2/(2d) |x_t - r| at the counterexample, at 256 bits."""
    cx = _cx("eq127 factor r^2/(2d)", "(127)")
    p = _exact("eq127", cx.params)
    t = int(p["t"])
    o = MidpointOrbit(p["d"], p["lam"], p["eta"], t, prec=256)
    with Ball(256).workprec():
        assert abs(o.product_error(t)) > o.r**2 / (2 * arb(_q(p["d"]))) * abs(o.e[t])


def test_eq136_wrong_constants_fail_on_the_sampled_depths_3_and_4():
    """eq136: both wrong constants were found on the exact orbit of a sampled L = 3 or 4 point
    at t = 1 (then shrunk, possibly to L = 2 where the missing 2^-(l-1) shows too)."""
    for label in ("eq136 doubled C_3", "eq136 without 2^-(l-1)"):
        cx = _cx(label, "exact orbits of (128)-(132)")
        assert cx.found is not None and cx.found["L"] in ("3", "4"), cx
        assert cx.found["t"] == "1"


def test_eq138_faster_correction_counterexample_recertified_at_256_bits():
    """eq138: e_1 = r - eta d_1 lam > r (1 - 2h), h = eta d_1 K r^(gamma-1), at 256 bits."""
    cx = _cx("eq138 twice as fast correction", "corrected bound")
    p = _exact("eq138", cx.params)
    L = int(p["L"])
    g = F.layered_gamma(L)
    kk = layered_K(p)
    o = LayeredOrbit(kk, p["d1"], p["lam"], p["eta"], g, 1, prec=256)
    with Ball(256).workprec():
        h = arb(_q(p["eta"])) * arb(_q(p["d1"])) * arb(_q(kk)) * o.r ** (g - 1)
        assert o.e[1] > o.r * (1 - 2 * h)


def test_thm8_limit_equal_to_the_flow_limit_refuted():
    """thm8.limit: the Euler limit exceeds the flow's (2 d lam)^(1/3).  The claim has no part for
    the relation (its check states r < ell_{S_T}), so the mutant 'the Euler limit equals the
    flow's' is the comparison 'ell_{S_T} <= (2 d lam)^(1/3)' on the claim's own sampled points
    and orbits, run through the engine: refuted (ell_inf >= ell_{S_T} > r, certified)."""
    from fa_proofs.sections.discrete.euler import orbit_of
    claim = get("thm8.limit")
    ours, _ = claim.check("Euler limit above the flow's")

    def equal_to_flow(statement, points, run):
        comps = [Comparison(params_of(p), [orbit_of(p, run).ell[-1]],
                            [ball(F.R_OF, {d: p["d"], lam: p["lam"]})], index=None)
                 for p in points]
        return bound_check("Euler limit equals the flow's", "ell_{S_T} <= (2 d lam)^(1/3)",
                           comps)

    mutant = Check("Euler limit equals the flow's", equal_to_flow, samples=ours.samples)
    out = run_check(claim, mutant, claim.parts, "printed", Run(PROFILE, 0))
    fails = certified_failures(out)
    assert fails and fails[0].counterexample.params
    assert printed("thm8.limit").verdict is Verdict.HOLDS


def test_lem25_eq138_eq139_thm10_orbits_cover_their_horizon():
    """lem25, eq138, eq139, thm10: every sampled orbit reaches its horizon or has converged
    (e_T/r < 10^-20): the orbits stop early after superlinear convergence, and must not stop
    because the precision ran out (L = 4, gamma = 15, runs at the depth's precision)."""
    from fa_proofs.sections.discrete.layered import orbit_of
    short = []
    for cid in ("lem25", "eq138", "eq139", "thm10"):
        claim = get(cid)
        run_ = Run(PROFILE, 0)
        run_.claim = claim
        checks = [(c, claim.parts) for c in claim.checks]
        if claim.correction is not None:
            checks += [(c, claim.corrected_parts()) for c in claim.correction.checks]
        for check, statement in checks:
            for p in run_.points(claim, statement, check.samples, check.domain, check.key):
                o = orbit_of(p, run_)
                rate = layered_slow_rate(layered_K(p), p["d1"], p["lam"], p["eta"],
                                         F.layered_gamma(int(p["L"])))
                H = steps_for(p, rate, run_)
                T = len(o.e) - 1
                if T < H and not abs(float((o.e[-1] / o.r).mid())) < 1e-20:
                    short.append((cid, p["L"], T, H))
    assert not short, f"(claim, L, steps, horizon) of orbits stopped before converging: {short}"


# --- the printed statements -----------------------------------------------------------------------
CORRECTED = Verdict.CORRECTED
PRINTED = {   # claim id -> (verdict, t of the printed counterexample)
    "eq119": (Verdict.HOLDS, None), "lem19": (Verdict.HOLDS, None),
    "lem20": (Verdict.HOLDS, None), "lem21": (Verdict.HOLDS, None),
    "rem23": (Verdict.HOLDS, None), "thm9": (CORRECTED, "1"), "eq126": (CORRECTED, "1"),
    "eq127": (Verdict.HOLDS, None), "thm9.continuum": (Verdict.HOLDS, None),
    "eq136": (Verdict.HOLDS, None), "eq137": (Verdict.HOLDS, None),
    "lem25": (Verdict.HOLDS, None), "eq138": (CORRECTED, "1"), "eq139": (Verdict.HOLDS, None),
    "thm10": (CORRECTED, "1"), "eq143": (Verdict.HOLDS, None), "eq144": (Verdict.HOLDS, None),
    "eq159": (Verdict.HOLDS, None), "thm8": (Verdict.HOLDS, None),
    "thm8.step_size": (Verdict.HOLDS, None), "thm8.limit": (Verdict.HOLDS, None),
    "lem27": (Verdict.HOLDS, None), "lem28": (Verdict.HOLDS, None),
    "rem29": (Verdict.HOLDS, None), "lem30": (Verdict.HOLDS, None),
    "lem31": (Verdict.HOLDS, None), "lem32": (Verdict.HOLDS, None), "eq188": (CORRECTED, "1"),
}
SHRUNK = [cid for cid, (v, _) in PRINTED.items() if v is CORRECTED]


@pytest.mark.parametrize("claim_id", list(PRINTED))
def test_printed_verdict(claim_id: str):
    """Every Section 5 claim: holds (every check passes), or corrected (a certified failure of
    the printed statement, at step t, and every corrected check passes)."""
    verdict, t = PRINTED[claim_id]
    res = printed(claim_id)
    assert res.verdict is verdict, describe(res)
    if verdict is Verdict.HOLDS:
        assert all(c.status is Status.PASS for c in res.checks), describe(res)
        return
    fails = certified_failures(res.checks)
    assert fails and fails[0].counterexample.params, describe(res)
    assert res.counterexample().params["t"] == t
    assert res.corrected_checks and all(c.status is Status.PASS for c in res.corrected_checks)
    assert res.correction


def test_the_table_lists_every_section_5_claim():
    """Every claim of Section 5 / Appendix D has its printed verdict in the table."""
    ids = {c.id for c in all_claims() if c.location.startswith(("Section 5", "Appendix D"))}
    assert ids == set(PRINTED)


def test_aliases():
    """Theorems 22, 24, 26 restate Theorems 9, 10, 8."""
    assert (get("thm22").id, get("thm24").id, get("thm26").id) == ("thm9", "thm10", "thm8")


@pytest.mark.parametrize("claim_id", SHRUNK)
def test_shrunk_counterexample_replays_and_is_simpler(claim_id: str):
    """The printed statement's counterexample, shrunk, is certified again by replay (the check
    that produced it, at its exact point), as is the original search point kept in
    ``found``; the shrunk point is no later in t and smaller in total size."""
    cx = printed(claim_id).counterexample()
    assert cx.claim == claim_id and cx.check and cx.variant == "printed"
    assert cx.found is not None
    for params in (cx.params, cx.found):
        rp = replay_one(Saved(cx.claim, cx.check, cx.variant, dict(params)), PROFILE)
        assert rp.certified, (params, rp.reason)
    small, found = _exact(claim_id, cx.params), _exact(claim_id, cx.found)
    assert int(small["t"]) <= int(found["t"])
    assert complexity(small)[1] < complexity(found)[1], (cx.params, cx.found)
