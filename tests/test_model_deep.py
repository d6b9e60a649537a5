"""The L-layer model (fa_proofs.model.network): the continuous flow's layer constants agree with
the discrete scheme's, the closed forms, and the exact (flint) evaluation of the same recursion;
the reduced equation under (11) is the binomial of (82)."""
from __future__ import annotations

from fractions import Fraction
import random

import numpy as np
import pytest
import sympy as sp
from flint import fmpq

from fa_proofs.arith import EXACT
from fa_proofs.model import network as N
from fa_proofs.model import symbols as Y
from fa_proofs.model.dynamics import deep_flow
from fa_proofs.sections.deep import formulas as F
from fa_proofs.sections.deep.numerics import DeepCase, limit_of

DEPTHS = (2, 3, 4, 5, 6)


def q(v: Fraction) -> fmpq:
    return fmpq(v.numerator, v.denominator)


@pytest.mark.parametrize("L", DEPTHS)
def test_continuous_and_discrete_constants_agree(L):
    """C_l derived from the flow (10) (integration constants 0) = C_l of the midpoint scheme's
    telescoping (Section 5, (136)) = the closed form; K of the flow = K of (137)."""
    flow, scheme, closed = N.flow_layer_constants(L), N.layer_constants(L), F.closed_constants(L)
    for a, b, c in zip(flow, scheme, closed):
        assert sp.simplify(a - b) == 0 and sp.simplify(a - c) == 0
    assert sp.simplify(F.derived_K(L) - N.layers_K(L)) == 0
    assert F.derived_gamma(L) == N.layers_gamma(L) == 2**L - 1


@pytest.mark.parametrize("L", DEPTHS)
def test_exact_recursion_matches_the_symbolic_one(L):
    """The flint evaluation of the layer recursion (K_l from an exact state, theta_1' as an
    fmpq_poly) equals the SymPy statement (92) at the same exact values."""
    rng = random.Random(L)
    ds = [Fraction(rng.randint(1, 20), rng.randint(1, 7)) for _ in range(L - 1)]
    state = [Fraction(rng.randint(-20, 20), rng.randint(1, 9)) for _ in range(L)]
    ks = N.deep_integration_constants_exact(L, [q(v) for v in state], [q(v) for v in ds])
    ks_sym = N.deep_integration_constants(L, EXACT)(*map(q, state), *map(q, ds))
    assert list(ks) == list(ks_sym)
    at = {s: sp.Rational(v.numerator, v.denominator) for s, v in
          zip(Y.layer_symbols(L) + Y.fa_symbols(L), state + ds)}
    assert [e.xreplace(at) for e in N.deep_integration_constant_exprs(L)] == \
        [sp.Rational(int(k.p), int(k.q)) for k in ks]       # Flow.invariants: the same K_l
    Fx = N.deep_field_exact(L, [q(v) for v in ds], fmpq(3, 2), ks)
    sub = {s: sp.Rational(v.numerator, v.denominator) for s, v in zip(Y.fa_symbols(L), ds)}
    sub.update({s: sp.Rational(int(k.p), int(k.q)) for s, k in
                zip(Y.integration_constants(L), ks)})
    sub[Y.lam] = sp.Rational(3, 2)
    P = sp.Poly(N.deep_reduced_poly(L).as_expr().xreplace(sub), Y.theta1)
    assert [sp.Rational(int(c.p), int(c.q)) for c in Fx.coeffs()] == list(reversed(P.all_coeffs()))
    # theta_1' of the flow at the state is F(theta_1(0))
    field = deep_flow(L).field[0].xreplace({**sub, **{s: sp.Rational(v.numerator, v.denominator)
                                                      for s, v in zip(Y.layer_symbols(L), state)}})
    x0 = state[0]
    assert sp.Rational(str(Fraction(int(Fx(q(x0)).p), int(Fx(q(x0)).q)))) == field


def test_the_float_first_integrals_are_constant_along_a_trajectory():
    from fa_proofs.sections.deep.numerics import simulate
    case = DeepCase(3, (Fraction(2), Fraction(5, 2)), Fraction(1),
                    (Fraction(1, 2), Fraction(-1), Fraction(3, 4)))
    lim = limit_of(case)
    tr = simulate([case], np.array([float(lim.rate.mid())]), 60.0)
    ks = tr.integration_constants()[:, :, 0]
    assert np.abs(ks - ks[0]).max() < 1e-9
    assert abs(tr.product[-1, 0] - 1) < 1e-9


def test_general_reduction_degree_and_leading_coefficient():
    for L in DEPTHS:
        P = N.deep_reduced_poly(L)
        assert P.degree() == 2**L - 1
        assert sp.simplify(P.LC() + Y.d1 * N.layers_K(L)) == 0
