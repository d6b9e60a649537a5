"""Section 5 and Appendix D (the discrete schemes): Hypothesis property tests, one per claim family
(the claim ids are in each test's name and docstring).

Every drawn parameter is exact (a Fraction): d and lambda over six decades (three-digit mantissa
times a power of ten), the step size an exact fraction of the stated maximum, from 10^-3 of it up
to and including the maximum itself.  The maximum is hit exactly where it is rational:

* midpoint (120): 2 d lam = c^3 with c rational, maximum 2/(3 c^2);
* L layers (Theorem 10): lam = K r^gamma with r rational, maximum 1/(d_1 gamma K r^(gamma-1));
* forward Euler (145): for 2 d lam large enough that 2/(2 d lam + 4/27) is the smaller bound
  (certified against 2/(3 (S* + 1)^2)), the maximum is that rational.

Elsewhere ``sampling.rational_below`` / ``rational_below_ball`` give a rational certified below
``share x maximum``.  Identities are checked in exact rationals (python-flint fmpq) on exact
orbits; inequalities along the certified orbits of ``orbits.py`` (ball arithmetic in defect
coordinates) with ``sequences.bound_check``, so a failure is a certified counterexample.  Each
test reports ``hypothesis.target()`` on the size of the violation (actual/bound), so that the
``fuzz`` profile searches towards counterexamples.

Observation used in the docstrings: in the scaled variable u = x/r both midpoint maps depend on
(d, lam, eta) only through h = eta r^2 (two layers) or h = eta d_1 K r^(gamma-1) (L layers); the
six decades of (d, lam) exercise the certification at every scale, the dynamics through h.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import pytest
import sympy as sp
from flint import arb, fmpq
from hypothesis import assume, given, settings, target
from hypothesis import strategies as st

from fa_proofs import intervals
from fa_proofs.iterate import compile_map, exact_orbit, precision
from fa_proofs.sections.discrete import euler as EU
from fa_proofs.sections.discrete import formulas as F
from fa_proofs.sections.discrete import layered as LY
from fa_proofs.sections.discrete import midpoint as MP
from fa_proofs.sections.discrete.orbits import EulerOrbit, LayeredOrbit, MidpointOrbit, sstar
from fa_proofs.sections.discrete.sampling import rational_below, rational_below_ball
from fa_proofs.sequences import Comparison, bound_check, domination_margin, geometric, sign_along
from fa_proofs.verdicts import Status

d, lam, eta, x, y, S = F.d, F.lam, F.eta, F.x, F.y, F.S
PREC = 128


def scaled(n: int) -> settings:
    """``n`` examples under ci, proportionally more under dev/fuzz (the heavier tests)."""
    return settings(max_examples=max(n, settings.default.max_examples * n // 25))


# --- exact parameters -----------------------------------------------------------------------------
def decimal(lo: int, hi: int):
    """Exact decimals in [10^lo, 10^hi): a three-digit mantissa times a power of ten."""
    return st.builds(lambda m, k: Fraction(m) * Fraction(10) ** k,
                     st.integers(100, 999), st.integers(lo - 2, hi - 3))


SHARES = st.one_of(
    st.just(Fraction(1)),                                                  # the maximum itself
    st.integers(1, 12).map(lambda k: 1 - Fraction(1, 10**k)),             # next to it
    st.integers(1, 1000).map(lambda m: Fraction(m, 1000)))                # 10^-3 .. 1
STEPS = st.integers(1, 300)


def Q(v: Fraction) -> fmpq:
    v = Fraction(v)
    return fmpq(v.numerator, v.denominator)


def B(v: Fraction) -> arb:
    return arb(Q(v))


def passes(*results) -> None:
    for res in results:
        assert res.status is Status.PASS, f"{res.name}: {res.status.value}: {res.detail}"


def certified_failure(res, t: int | None = None) -> None:
    assert res.status is Status.FAIL, f"{res.name}: expected a certified failure: {res.detail}"
    for v in res.counterexample.params.values():
        assert sp.sympify(v).is_Rational
    if t is not None:
        assert res.counterexample.params["t"] == str(t)


def ratio(a: arb, b: arb) -> float:
    """a/b at the centres (for target(); 0 when b is not positive)."""
    fb = float(b.mid())
    return float(a.mid()) / fb if fb > 0 else 0.0


def max_ratio(lhs, rhs, steps) -> float:
    return max((ratio(lhs[t], rhs[t]) for t in steps), default=0.0)


# --- the two-layer midpoint scheme (115)-(116) ----------------------------------------------------
@dataclass(frozen=True)
class MidCase:
    d: Fraction
    lam: Fraction
    eta: Fraction
    share: Fraction
    r: Fraction | None          # rational when 2 d lam is a perfect cube

    def params(self) -> dict:
        return {"d": self.d, "lam": self.lam, "eta": self.eta}


@st.composite
def midpoint_case(draw, shares=SHARES):
    """(d, lam, eta) with eta = share x 2/(3 (2 d lam)^(2/3)): exactly, when 2 d lam = c^3, else a
    rational certified below share x the (irrational) maximum."""
    share = draw(shares)
    dd = draw(decimal(-3, 3))
    if draw(st.booleans()):
        c = draw(decimal(-2, 2))
        return MidCase(dd, c**3 / (2 * dd), share * Fraction(2, 3) / c**2, share, c)
    ll = draw(decimal(-3, 3))
    return MidCase(dd, ll, rational_below(MP.ETA_MAX, {d: dd, lam: ll}, share), share, None)


_FULL_MID = compile_map([F.MIDPOINT_X, F.MIDPOINT_Y], (x, y, eta, d, lam), "exact")
_EQ119 = compile_map([F.PRINTED_EQ119], (x, eta, d, lam), "exact")
_EQ119_BALL = compile_map([F.PRINTED_EQ119], (x, eta, d, lam))
_MID_PHI = compile_map([F.MIDPOINT_DEFECT_FACTOR], (F.e, F.r, eta))


@scaled(10)
@given(decimal(-3, 3), decimal(-3, 3), st.integers(1, 3000).map(lambda m: Fraction(m, 1000)),
       st.integers(1, 5))
def test_lem19_eq119_exact_identities_on_exact_orbits(dd, ll, share, T):
    """lem19, eq119: along the exact orbit of (115)-(116) from (0, 0) -- fmpq, any eta (up to 3x
    the maximum: the identities do not need the step-size bound) -- y_t = x_t^2/(2d) and
    x_{t+1} = (119)(x_t), exactly."""
    et = rational_below(MP.ETA_MAX, {d: dd, lam: ll}, share)
    orb = exact_orbit(_FULL_MID, (0, 0), T, (Q(et), Q(dd), Q(ll)), max_bits=60_000)
    for t, (xt, yt) in enumerate(orb):
        assert yt == xt * xt / (2 * Q(dd)), f"lem19 fails at t = {t}"
        if t + 1 < len(orb):
            assert orb[t + 1][0] == _EQ119(xt, Q(et), Q(dd), Q(ll))[0], f"eq119 fails at t = {t}"


@given(midpoint_case(), st.integers(0, 1000))
def test_lem20_map_sends_0_r_into_itself(c, k):
    """lem20: for eta up to and including 2/(3 r^2), f = (119) maps x = (k/1000) r in [0, r] into
    [0, r]: certified 0 <= f(x) and r - f(x) = e phi(e) >= 0 (e = r - x, phi the derived defect
    factor, the well-conditioned form of r - f(x))."""
    with precision(PREC):
        rb = B(c.r) if c.r is not None else intervals.evaluate(F.R_OF, {d: c.d, lam: c.lam}, PREC)
        s = B(Fraction(k, 1000))
        xv = rb * s
        ev = rb * (1 - s)
        fx = _EQ119_BALL(xv, B(c.eta), B(c.d), B(c.lam))[0]
        margin = ev * _MID_PHI(ev, rb, B(c.eta))[0]
    res_hi = bound_check("lem20 f(x) <= r", "f(x) <= r",
                         [Comparison(c.params(), [fx], [rb], margin=lambda t: margin)])
    res_lo = bound_check("lem20 f(x) >= 0", "0 <= f(x)", [Comparison(c.params(), [arb(0)], [fx])])
    target(ratio(fx, rb), label="lem20: f(x)/r")
    passes(res_hi, res_lo)


def midpoint_invariants(c: MidCase, T: int, beyond: bool = False):
    """The three comparisons of Lemma 21 along the certified orbit: x_t <= r (margin e_t),
    0 <= x_t, x_t <= x_{t+1} (margin e_t (1 - phi_t))."""
    o = MidpointOrbit(c.d, c.lam, c.eta, T, PREC)
    if not beyond:
        covered(o, T)
    T = len(o.e) - 1
    xs = [o.x(t) for t in range(T + 1)]
    with precision(PREC):
        incs = [o.e[t] * (1 - o.phi[t]) for t in range(T)]
    p = c.params()
    return o, [
        bound_check("lem21 x_t <= r", "x_t <= r",
                    [Comparison(p, xs, [o.r] * (T + 1), margin=lambda t: o.e[t])]),
        bound_check("lem21 x_t >= 0", "0 <= x_t", [Comparison(p, [arb(0)] * (T + 1), xs)]),
        bound_check("lem21 increasing", "x_t <= x_{t+1}",
                    [Comparison(p, xs[:-1], xs[1:], margin=lambda t: incs[t])]),
    ]


@given(midpoint_case(), STEPS)
def test_lem21_positive_increasing_bounded(c, T):
    """lem21: 0 <= x_t <= x_{t+1} <= r along certified orbits, eta up to and including the
    maximum (at the maximum phi(0) = 0 exactly: superlinear convergence)."""
    o, res = midpoint_invariants(c, T)
    target(-min((float(p.mid()) for p in o.phi), default=0.0), label="lem21: -min e_{t+1}/e_t")
    passes(*res)


@given(midpoint_case(shares=st.just(Fraction(1001, 1000))))
def test_lem21_sharpness_just_beyond_the_maximum(c):
    """lem21 / (120) sharpness: at eta = (1 + 10^-3) x 2/(3 r^2) (exactly for 2 d lam = c^3;
    else a rational within 10^-15 below it, certified above the maximum) x_t overshoots r and
    then decreases: both 'x_t <= r' and 'x_t increasing' fail, certified, within 300 steps."""
    if c.r is None:
        with precision(PREC):
            em = intervals.evaluate(MP.ETA_MAX, {d: c.d, lam: c.lam}, PREC)
        assert B(c.eta) > em
    o, (bounded, pos, inc) = midpoint_invariants(c, 300, beyond=True)
    certified_failure(bounded)
    certified_failure(inc)
    passes(pos)
    t = int(inc.counterexample.params["t"])
    target(-ratio(o.x(t) - o.x(t + 1), o.r), label="lem21 beyond: -(x_t - x_{t+1})/r")


@given(midpoint_case(), STEPS)
def test_thm9_eq126_corrected_bounds_hold(c, T):
    """thm9 (= thm22), eq126, corrected: |x_t - r| <= r (1 - eta r^2/2)^t (attained at t = 1) and
    |x_t y_t - lam| <= 3 lam (1 - eta r^2/2)^t, eta up to and including the maximum.  The defect
    bound is backed by the factor-by-factor domination 0 <= phi_t <= rate, with
    rate - phi_t = eta x_t (x_t + r)/2 (no cancellation)."""
    check_thm9_eq126_corrected(c, T)


@pytest.mark.slow
@scaled(10)
@given(midpoint_case(), st.integers(1000, 10_000))
def test_thm9_eq126_corrected_bounds_hold_long_horizon(c, T):
    """thm9 (= thm22), eq126, corrected, over 10^3 - 10^4 steps (the slow approach at small eta)."""
    check_thm9_eq126_corrected(c, T)


def check_thm9_eq126_corrected(c: MidCase, T: int) -> None:
    o = MidpointOrbit(c.d, c.lam, c.eta, T, PREC)
    covered(o, T)
    T = len(o.e) - 1
    with precision(PREC):
        et = B(c.eta)
        rate = 1 - et * o.r * o.r / 2
        gaps = [et * o.x(t) * (o.x(t) + o.r) / 2 for t in range(T)]
        defect_bound = geometric(o.r, rate, T)
        prod_bound = geometric(3 * B(c.lam), rate, T)
        err = [abs(o.product_error(t)) for t in range(T + 1)]
    dom = domination_margin(rate, o.phi[:T], gaps)
    res_e = bound_check("eq126 corrected", "|x_t - r| <= r (1 - eta r^2/2)^t",
                        [Comparison(c.params(), o.e, defect_bound, margin=dom)])
    res_p = bound_check("thm9 corrected", "|x_t y_t - lam| <= 3 lam (1 - eta r^2/2)^t",
                        [Comparison(c.params(), err, prod_bound)])
    target(max_ratio(o.e, defect_bound, range(2, T + 1)), label="eq126: max_{t>=2} actual/bound")
    target(max_ratio(err, prod_bound, range(T + 1)), label="thm9: max actual/bound")
    passes(res_e, res_p)


@given(midpoint_case())
def test_eq126_printed_fails_at_t1(c):
    """eq126 (printed): |x_1 - r| <= r (1 - 3 eta r^2/2) fails for every parameter, certified:
    x_1 = eta d lam exactly, so |x_1 - r| = r (1 - eta r^2/2)."""
    o = MidpointOrbit(c.d, c.lam, c.eta, 1, PREC)
    with precision(PREC):
        bound = o.r * (1 - 3 * B(c.eta) * o.r * o.r / 2)
    res = bound_check("eq126 printed", "|x_t - r| <= r (1 - 3 eta r^2/2)^t",
                      [Comparison(c.params(), o.e, [o.r, bound], steps=[1])])
    target(ratio(bound, o.e[1]), label="eq126 printed: bound/actual at t = 1")
    certified_failure(res, t=1)


@given(midpoint_case(), STEPS)
def test_eq127_product_error_against_defect(c, T):
    """eq127: |x_t y_t - lam| <= (3 r^2/(2d)) |x_t - r| along certified orbits; margin
    (3 r^2/(2d)) e - (lam - x y) = e^2 (3r - e)/(2d) (derived by hand, no cancellation)."""
    o = MidpointOrbit(c.d, c.lam, c.eta, T, PREC)
    covered(o, T)
    T = len(o.e) - 1
    with precision(PREC):
        k = 3 * o.r * o.r / (2 * B(c.d))
        lhs = [abs(o.product_error(t)) for t in range(T + 1)]
        rhs = [k * o.e[t] for t in range(T + 1)]
        mg = [o.e[t] ** 2 * (3 * o.r - o.e[t]) / (2 * B(c.d)) for t in range(T + 1)]
    res = bound_check("eq127", "|x_t y_t - lam| <= 3 r^2/(2d) |x_t - r|",
                      [Comparison(c.params(), lhs, rhs, margin=lambda t: mg[t])])
    target(max_ratio(lhs, rhs, range(T + 1)), label="eq127: max actual/bound")
    passes(res)


@given(decimal(-3, 3), decimal(-2, 2))
def test_rem23_one_step_convergence_exactly(dd, c):
    """rem23: with 2 d lam = c^3 and eta = 2/c^2 = 2/(2 d lam)^(2/3), the full system (115)-(116)
    from (0, 0) reaches (r, r^2/(2d)) at t = 1 and stays there (exact rationals, 5 steps)."""
    ll = c**3 / (2 * dd)
    orb = exact_orbit(_FULL_MID, (0, 0), 5, (Q(2 / c**2), Q(dd), Q(ll)))
    for t, (xt, yt) in enumerate(orb[1:], start=1):
        assert xt == Q(c) and yt == Q(c * c / (2 * dd)), f"rem23 fails at t = {t}"


# --- the L-layer scheme (128)-(132), reduced to (137) ---------------------------------------------
@lru_cache(maxsize=None)
def _K_of(L: int, ds: tuple[Fraction, ...]) -> Fraction:
    return LY.LayeredCase(L, ds, Fraction(1), Fraction(0), Fraction(1)).K


@dataclass(frozen=True)
class LayCase:
    L: int
    ds: tuple[Fraction, ...]
    lam: Fraction
    eta: Fraction
    share: Fraction
    K: Fraction
    exact_r: bool

    @property
    def gamma(self) -> int:
        return 2**self.L - 1

    def params(self) -> dict:
        out: dict = {"L": self.L}
        out.update({f"d{i + 1}": v for i, v in enumerate(self.ds)})
        out.update({"lam": self.lam, "eta": self.eta})
        return out


@st.composite
def layered_case(draw, shares=SHARES):
    """L in {2, 3, 4}, d_1..d_{L-1} over two decades, eta = share x the maximum of Theorem 10:
    exactly when lam = K r^gamma with r rational, else certified below it."""
    L = draw(st.sampled_from([2, 3, 4]))
    ds = tuple(draw(decimal(-1, 1)) for _ in range(L - 1))
    share = draw(shares)
    Kv, g = _K_of(L, ds), 2**L - 1
    if draw(st.booleans()):
        rr = draw(decimal(-1, 1))
        return LayCase(L, ds, Kv * rr**g, share / (ds[0] * g * Kv * rr ** (g - 1)), share, Kv,
                       True)
    ll = draw(decimal(-3, 3))
    env = {F.K: Kv, F.d1: ds[0], lam: ll}
    et = rational_below(F.PRINTED_ETA_MAX_LAYERED.subs(F.gamma, g), env, share)
    return LayCase(L, ds, ll, et, share, Kv, False)


LAYER_STEPS = st.integers(1, 200)
LAYER_PREC = {2: PREC, 3: PREC, 4: 2048}
"""Working precision of the L-layer orbits.  For gamma = 15 the defect factor, a degree-14
polynomial in e evaluated by Horner on the ball e_t ~ r, amplifies the relative radius of e_t by
up to ~2^8 per step: at 128 bits ``LayeredOrbit`` stops after 7-60 steps, long before convergence
(see the strict xfail in ``tests/test_mutants_section5.py``), at 512 bits after 49-250; at 2048
bits it covers 300 steps.  Every test asserts the coverage (:func:`covered`)."""


def layered_orbit(c: LayCase, T: int) -> LayeredOrbit:
    """The certified orbit, which must cover all T steps or have converged (the library stops
    early both after superlinear convergence and when precision runs out: only the first is
    acceptable here)."""
    o = LayeredOrbit(c.K, c.ds[0], c.lam, c.eta, c.gamma, T, LAYER_PREC[c.L])
    covered(o, T)
    return o


def covered(o, T: int) -> None:
    reached = len(o.e) - 1
    assert reached == T or abs(float((o.e[-1] / o.r).mid())) < 1e-20, \
        f"orbit stopped at t = {reached} < {T} before converging (e_t/r = {o.e[-1] / o.r})"


def _power_sums(o: LayeredOrbit, t: int, g: int) -> tuple[arb, arb]:
    """(sum_{j=1}^{g-1} th^j r^(g-1-j), sum_{j=1}^{g-1} r^(g-1-j) sum_{i<j} r^i th^(j-1-i)) at
    th = theta_t: rate - phi_t = eta d_1 K (first), and K gamma r^(g-1) e - (lam - K th^g) =
    K e^2 (second); all terms nonnegative."""
    th, rr = o.theta(t), o.r
    first = sum((th**j * rr ** (g - 1 - j) for j in range(1, g)), arb(0))
    second = sum((rr ** (g - 1 - j) * sum((rr**i * th ** (j - 1 - i) for i in range(j)), arb(0))
                  for j in range(1, g)), arb(0))
    return first, second


@scaled(8)
@given(st.sampled_from([2, 3]), st.data())
def test_eq136_eq137_exact_identities_on_exact_orbits(L, data):
    """eq136, eq137: along the exact orbit of the full L-layer map (128)-(132) from 0 (fmpq,
    3 steps), theta_l = C_l theta_1^(2^(l-1)) and theta_1^{t+1} = (137)(theta_1^t), exactly."""
    ds = tuple(data.draw(decimal(-1, 1)) for _ in range(L - 1))
    ll = data.draw(decimal(-1, 1))
    share = data.draw(st.integers(1, 1000).map(lambda m: Fraction(m, 1000)))
    Kv, g = _K_of(L, ds), 2**L - 1
    env = {F.K: Kv, F.d1: ds[0], lam: ll}
    et = rational_below(F.PRINTED_ETA_MAX_LAYERED.subs(F.gamma, g), env, share, max_den=10**6)
    new, th, dsym = F.layered_map(L)
    step = compile_map(new, tuple(th) + (eta, lam) + tuple(dsym), "exact")
    cs = [sp.Rational(v.subs(dict(zip(dsym, ds)))) for v in F.layer_constants(L)]
    red = compile_map([F.PRINTED_EQ137.subs({F.gamma: g})], (x, eta, F.d1, lam, F.K), "exact")
    orb = exact_orbit(step, [0] * L, 3, [Q(et), Q(ll)] + [Q(v) for v in ds], max_bits=200_000)
    for t, state in enumerate(orb):
        for l in range(1, L):
            assert state[l] == fmpq(int(cs[l].p), int(cs[l].q)) * state[0] ** (2**l), \
                f"eq136 fails at t = {t}, layer {l + 1}"
        if t + 1 < len(orb):
            assert orb[t + 1][0] == red(state[0], Q(et), Q(ds[0]), Q(ll), Q(Kv))[0], \
                f"eq137 fails at t = {t}"


@given(layered_case(), LAYER_STEPS)
def test_lem25_positive_increasing_bounded(c, T):
    """lem25: 0 <= theta_1^t <= theta_1^{t+1} <= r = (lam/K)^(1/gamma), L = 2, 3, 4, eta up to and
    including the maximum."""
    o = layered_orbit(c, T)
    T = len(o.e) - 1
    th = [o.theta(t) for t in range(T + 1)]
    with precision(PREC):
        incs = [o.e[t] * (1 - o.phi[t]) for t in range(T)]
    p = c.params()
    res = [bound_check("lem25 theta <= r", "theta_1^t <= r",
                       [Comparison(p, th, [o.r] * (T + 1), margin=lambda t: o.e[t])]),
           bound_check("lem25 theta >= 0", "0 <= theta_1^t",
                       [Comparison(p, [arb(0)] * (T + 1), th)]),
           bound_check("lem25 increasing", "theta_1^t <= theta_1^{t+1}",
                       [Comparison(p, th[:-1], th[1:], margin=lambda t: incs[t])])]
    target(-min((float(v.mid()) for v in o.phi), default=0.0), label="lem25: -min e_{t+1}/e_t")
    passes(*res)


@given(layered_case(shares=st.just(Fraction(1001, 1000))))
def test_lem25_sharpness_just_beyond_the_maximum(c):
    """lem25 / Theorem 10's step bound, sharpness: at eta = (1 + 10^-3) x the maximum (exactly for
    rational r, else certified above it), f'(r) = -10^-3 and theta_1^t overshoots r and then
    decreases: 'theta <= r' and 'increasing' fail, certified, within 200 steps."""
    if not c.exact_r:
        env = {F.K: c.K, F.d1: c.ds[0], lam: c.lam}
        em = intervals.evaluate(F.PRINTED_ETA_MAX_LAYERED.subs(F.gamma, c.gamma), env, PREC)
        assert B(c.eta) > em
    o = LayeredOrbit(c.K, c.ds[0], c.lam, c.eta, c.gamma, 200, LAYER_PREC[c.L])
    T = len(o.e) - 1
    th = [o.theta(t) for t in range(T + 1)]
    with precision(PREC):
        incs = [o.e[t] * (1 - o.phi[t]) for t in range(T)]
    p = c.params()
    bounded = bound_check("lem25 theta <= r", "theta_1^t <= r",
                          [Comparison(p, th, [o.r] * (T + 1), margin=lambda t: o.e[t])])
    inc = bound_check("lem25 increasing", "theta_1^t <= theta_1^{t+1}",
                      [Comparison(p, th[:-1], th[1:], margin=lambda t: incs[t])])
    certified_failure(bounded)
    certified_failure(inc)
    t = int(inc.counterexample.params["t"])
    target(-ratio(th[t] - th[t + 1], o.r), label="lem25 beyond: -(theta_t - theta_{t+1})/r")


@given(layered_case(), LAYER_STEPS)
def test_eq138_thm10_eq139_corrected_bounds_hold(c, T):
    """eq138, thm10 (= thm24), eq139: with h = eta d_1 K r^(gamma-1) (= eta d_1 (K lam^(gamma-1))
    ^(1/gamma)): |theta_1^t - r| <= r (1 - h)^t (corrected (138), attained at t = 1),
    |prod - lam| <= gamma lam (1 - h)^t (corrected Theorem 10) and
    |prod - lam| <= K gamma r^(gamma-1) |theta_1^t - r| ((139)), eta up to the maximum."""
    o = layered_orbit(c, T)
    T, g = len(o.e) - 1, c.gamma
    with precision(PREC):
        h = B(c.eta) * B(c.ds[0]) * B(c.K) * o.r ** (g - 1)
        rate = 1 - h
        sums = [_power_sums(o, t, g) for t in range(T + 1)]
        gaps = [B(c.eta) * B(c.ds[0]) * B(c.K) * sums[t][0] for t in range(T)]
        defect_bound = geometric(o.r, rate, T)
        err = [abs(o.product_error(t)) for t in range(T + 1)]
        prod_bound = geometric(g * B(c.lam), rate, T)
        c139 = [B(c.K) * g * o.r ** (g - 1) * o.e[t] for t in range(T + 1)]
        m139 = [B(c.K) * o.e[t] ** 2 * sums[t][1] for t in range(T + 1)]
    p = c.params()
    res = [bound_check("eq138 corrected", "|theta - r| <= r (1 - h)^t",
                       [Comparison(p, o.e, defect_bound,
                                   margin=domination_margin(rate, o.phi[:T], gaps))]),
           bound_check("thm10 corrected", "|prod - lam| <= gamma lam (1 - h)^t",
                       [Comparison(p, err, prod_bound)]),
           bound_check("eq139", "|prod - lam| <= K gamma r^(gamma-1) |theta - r|",
                       [Comparison(p, err, c139, margin=lambda t: m139[t])])]
    target(max_ratio(o.e, defect_bound, range(2, T + 1)), label="eq138: max_{t>=2} actual/bound")
    target(max_ratio(err, prod_bound, range(T + 1)), label="thm10: max actual/bound")
    target(max_ratio(err, c139, range(T + 1)), label="eq139: max actual/bound")
    passes(*res)


@given(layered_case())
def test_eq138_printed_fails_at_t1(c):
    """eq138 (printed): |theta_1^1 - r| <= r (1 - gamma h) fails for every parameter, certified:
    theta_1^1 = eta d_1 lam, so |theta_1^1 - r| = r (1 - h) and gamma >= 3."""
    o = layered_orbit(c, 1)
    g = c.gamma
    with precision(PREC):
        bound = o.r * (1 - g * B(c.eta) * B(c.ds[0]) * B(c.K) * o.r ** (g - 1))
    res = bound_check("eq138 printed", "|theta - r| <= r (1 - gamma h)^t",
                      [Comparison(c.params(), o.e, [o.r, bound], steps=[1])])
    target(ratio(bound, o.e[1]), label="eq138 printed: bound/actual at t = 1")
    certified_failure(res, t=1)


# --- forward Euler (140)-(141), (159)-(160) -------------------------------------------------------
_FULL_EULER = compile_map([F.EULER_X, F.EULER_Y], (x, y, eta, d, lam), "exact")
_EQ144 = compile_map([F.PRINTED_EQ144, F.PRINTED_EQ160], (x, S, eta, d, lam), "exact")
_P_FACTOR = compile_map([F.EULER_P_FACTOR], (x, S, F.P_t, eta), "exact")
_P_EXACT = compile_map([F.P], (x, S, d, lam), "exact")


@dataclass(frozen=True)
class EulerCase:
    d: Fraction
    lam: Fraction
    eta: Fraction
    share: Fraction
    at_rational_max: bool

    def params(self) -> dict:
        return {"d": self.d, "lam": self.lam, "eta": self.eta}


@lru_cache(maxsize=4096)
def _sstar(dd: Fraction, ll: Fraction) -> arb:
    return sstar(dd, ll, PREC)


@st.composite
def euler_case(draw, shares=SHARES):
    """eta = share x min{2/(3 (S*+1)^2), 2/(2 d lam + 4/27)} of (145): d, lam over six decades and
    eta certified below; or 2 d lam in [10^3, 10^6) where the second, rational bound is the
    smaller (certified) and eta = share x it exactly."""
    share = draw(shares)
    dd = draw(decimal(-3, 3))
    if draw(st.booleans()):
        ll = draw(decimal(3, 6)) / (2 * dd)
        second = 2 / (2 * dd * ll + Fraction(4, 27))
        with precision(PREC):
            first = 2 / (3 * (_sstar(dd, ll) + 1) ** 2)
        assert first > B(second), "the rational bound of (145) is the active one for 2dlam >= 1e3"
        return EulerCase(dd, ll, share * second, share, True)
    ll = draw(decimal(-3, 3))
    return EulerCase(dd, ll, rational_below_ball(EU.eta_max_ball(dd, ll), share), share, False)


@scaled(10)
@given(euler_case(), st.integers(1, 4))
def test_eq143_eq144_eq159_exact_identities_on_exact_orbits(c, T):
    """eq143, eq144, eq159: along the exact orbit of (140)-(141) from (0, 0) (fmpq),
    y_t = (x_t^2 - S_t)/(2d) with S_t = sum (x_i - x_{i-1})^2, (x_{t+1}, S_{t+1}) = (159)-(160)
    of (x_t, S_t), and P_{t+1} = P_t phi(x_t, S_t, P_t) (the recurrence the certified orbits
    use), exactly."""
    orb = exact_orbit(_FULL_EULER, (0, 0), T, (Q(c.eta), Q(c.d), Q(c.lam)), max_bits=100_000)
    Sx = fmpq(0)
    for t, (xt, yt) in enumerate(orb):
        if t:
            Sx += (xt - orb[t - 1][0]) ** 2
        assert yt == (xt * xt - Sx) / (2 * Q(c.d)), f"eq143 fails at t = {t}"
        if t + 1 < len(orb):
            xn, Sn = _EQ144(xt, Sx, Q(c.eta), Q(c.d), Q(c.lam))
            assert xn == orb[t + 1][0], f"eq144 fails at t = {t}"
            assert Sn == Sx + (xn - xt) ** 2, f"eq159 fails at t = {t}"
            Pt = _P_EXACT(xt, Sx, Q(c.d), Q(c.lam))[0]
            assert _P_EXACT(xn, Sn, Q(c.d), Q(c.lam))[0] == Pt * _P_FACTOR(xt, Sx, Pt, Q(c.eta))[0]


@given(decimal(-3, 3), decimal(-3, 3), st.integers(0, 10**6), st.integers(0, 1000))
def test_thm8_step_size_max_of_P_over_R(dd, ll, i, j):
    """thm8.step_size: P(x, S) <= 2 d lam + 4/27 = max_R P at exact points of R (x in [0, 2],
    0 <= S <= x, P >= 0), with equality at x = S = 2/3 (always drawn first)."""
    xv = Fraction(2, 3) if i == 0 else Fraction(2 * i, 10**6)
    Sv = xv if j == 0 else xv * Fraction(j, 1000)
    Pv = 2 * dd * ll - xv**3 + xv * Sv
    assume(Pv >= 0)
    Pmax = EU.P_MAX.subs({d: dd, lam: ll})          # derived by SymPy (formulas.max_P_over_R)
    assert sp.Rational(Pmax) == 2 * dd * ll + Fraction(4, 27)
    target(float(Pv / (2 * dd * ll + Fraction(4, 27))), label="thm8.step_size: P/max_R P")
    assert Pv <= 2 * dd * ll + Fraction(4, 27)


@given(euler_case(), STEPS)
def test_lem28_thm8_orbit_stays_in_R_and_error_decreases(c, T):
    """lem28, thm8 (= thm26): under (145), eta up to the maximum (exactly, where it is rational),
    (x_t, S_t) stays in R: S_t <= x_t and P(x_t, S_t) > 0; and lam - x_t y_t = P_t/(2d)
    decreases strictly from t = 1 on (P_t - P_{t+1} = P_t (eta/2 (3x^2 - S) + eta^2 x P/2))."""
    o = EulerOrbit(c.d, c.lam, c.eta, T, PREC, with_ell=False)
    T = len(o.xs) - 1
    with precision(PREC):
        et = B(c.eta)
        dec = [o.Ps[t] * (et / 2 * (3 * o.xs[t] ** 2 - o.Ss[t]) + et**2 * o.xs[t] * o.Ps[t] / 2)
               for t in range(T)]
    p = c.params()
    res = [bound_check("lem28 S_t <= x_t", "S_t <= x_t", [Comparison(p, o.Ss, o.xs)]),
           sign_along("lem28 P_t > 0", "P(x_t, S_t) > 0", [(p, o.Ps)]),
           bound_check("thm8 P decreasing", "P_{t+1} < P_t (t >= 1)",
                       [Comparison(p, o.Ps[1:], o.Ps[:-1], steps=range(1, T), strict=True,
                                   margin=lambda t: dec[t])])]
    target(max_ratio(o.Ss, o.xs, range(1, T + 1)), label="lem28: max S_t/x_t")
    target(-min((ratio(v, o.Ps[0]) for v in o.Ps), default=0.0), label="lem28: -min P_t/P_0")
    passes(*res)


@lru_cache(maxsize=None)
def _increasing(expr) -> bool:
    return EU.increasing_in_ell_inf(expr)


def converged_euler(c: EulerCase, T: int):
    """The orbit with ell_{S_t}, and ell_inf's lower end ell_{S_T}: bounds that increase with
    ell_inf (proven by SymPy, asserted) are checked there, which is sound."""
    o = EulerOrbit(c.d, c.lam, c.eta, T, PREC)
    return o, len(o.xs) - 1, arb(o.ell[-1].lower())


def _at(expr, c: EulerCase, ell_lo: arb) -> arb:
    env = {d: c.d, lam: c.lam, eta: c.eta, F.Sstar: _sstar(c.d, c.lam), F.ell_inf: ell_lo}
    expr = sp.sympify(expr)
    return intervals.evaluate(expr, {k: v for k, v in env.items() if k in expr.free_symbols},
                              prec=PREC)


@scaled(15)
@given(euler_case(), st.integers(1, 200))
def test_eq188_corrected_bound_holds(c, T):
    """eq188, corrected: ell_{S_t} - x_t <= (2 d lam)^(1/3) (1 - eta d lam/ell_inf + eta^2 M~)^t
    for 1 <= t <= T (t = 0: both sides are (2 d lam)^(1/3) = ell_{S_0} exactly); the bound
    increases with ell_inf, so it is evaluated at ell_{S_T} <= ell_inf."""
    check_eq188_corrected(c, T)


@pytest.mark.slow
@scaled(5)
@given(euler_case(), st.integers(1000, 5000))
def test_eq188_corrected_bound_holds_long_horizon(c, T):
    """eq188, corrected, over 10^3 - 5 x 10^3 steps."""
    check_eq188_corrected(c, T)


def check_eq188_corrected(c: EulerCase, T: int) -> None:
    bound = F.CORRECTED_EQ188
    assert _increasing(bound.rate) and _increasing(bound.const)
    o, T, lo = converged_euler(c, T)
    rhs = geometric(_at(bound.const, c, lo), _at(bound.rate, c, lo), T)
    gaps = [o.gap(t) for t in range(T + 1)]
    res = bound_check("eq188 corrected", "ell_t - x_t <= r (corrected rate)^t",
                      [Comparison(c.params(), gaps, rhs, steps=range(1, T + 1))])
    target(max_ratio(gaps, rhs, range(1, T + 1)), label="eq188: max actual/bound")
    passes(res)


@scaled(15)
@given(euler_case(), st.integers(1, 200))
def test_lem30_lem31_lem32_bounds_hold(c, T):
    """lem30, lem31, lem32 along certified orbits, eta up to the maximum:
    2 d lam/ell_inf <= ell_t^2 - S_t <= 2 d lam/(2 d lam)^(1/3) (margins from the certified
    positive increments of ell_{S_t}: 2dlam (ell_T - ell_t)/(ell_t ell_T) and
    2dlam (ell_t - r)/(r ell_t)); x_{t+1} - x_t <= eta M (ell_t - x_t);
    ell_{t+1} - ell_t <= C_inf (x_{t+1} - x_t)^2 (M, C_inf increase with ell_inf: evaluated at
    ell_{S_T})."""
    assert _increasing(F.PRINTED_M) and _increasing(F.PRINTED_C_INF)
    o, T, lo = converged_euler(c, T)
    p = c.params()
    with precision(PREC):
        c2 = 2 * B(c.d) * B(c.lam)
        rb = intervals.evaluate(F.R_OF, {d: c.d, lam: c.lam}, PREC)
        incs = [o.ell_increment(t) for t in range(T)]
        prefix, suffix = [arb(0)], [arb(0)] * (T + 1)
        for t in range(T):
            prefix.append(prefix[-1] + incs[t])
        for t in range(T - 1, -1, -1):
            suffix[t] = suffix[t + 1] + incs[t]
        vals = [o.ell[t] ** 2 - o.Ss[t] for t in range(T + 1)]
        lower = c2 / o.ell[T]              # >= 2 d lam / ell_inf
        upper = c2 / rb
        m_lo = [c2 * suffix[t] / (o.ell[t] * o.ell[T]) for t in range(T + 1)]
        m_up = [c2 * prefix[t] / (rb * o.ell[t]) for t in range(T + 1)]
        et = B(c.eta)
        Mb, Cb = _at(F.PRINTED_M, c, lo), _at(F.PRINTED_C_INF, c, lo)
        steps = [o.step(t) for t in range(T)]
        m31 = [et * Mb * o.gap(t) for t in range(T)]
        m32 = [Cb * steps[t] ** 2 for t in range(T)]
    res = [sign_along("lem30 ell increasing", "ell_{t+1} - ell_t > 0", [(p, incs)]),
           bound_check("lem30 lower", "2dlam/ell_inf <= ell_t^2 - S_t",
                       [Comparison(p, [lower] * (T + 1), vals, margin=lambda t: m_lo[t])]),
           bound_check("lem30 upper", "ell_t^2 - S_t <= 2dlam/r",
                       [Comparison(p, vals, [upper] * (T + 1), margin=lambda t: m_up[t])]),
           bound_check("lem31", "x_{t+1} - x_t <= eta M (ell_t - x_t)",
                       [Comparison(p, steps, m31)]),
           bound_check("lem32", "ell_{t+1} - ell_t <= C_inf (x_{t+1} - x_t)^2",
                       [Comparison(p, incs, m32)])]
    target(max_ratio(steps, m31, range(T)), label="lem31: max actual/bound")
    target(max_ratio(incs, m32, range(T)), label="lem32: max actual/bound")
    passes(*res)
