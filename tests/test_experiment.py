"""Section 6's autoencoder experiment: the fast path (covariance form, stacked repeats) against the
per-sample reference loop, the interval orbits' enclosures, the readings' behaviour on short runs,
the sec6 claims' checks on a shortened configuration (with mutants they must reject), and the
``experiment`` / ``figures`` commands' bad input (one stderr line, exit 2)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from fa_proofs.cli import main
from fa_proofs.engine import Run, Statement
from fa_proofs.experiment import autoencoder as AE
from fa_proofs.experiment.certify import IMat, orbit_until
from fa_proofs.profiles import get_profile
from fa_proofs.registry import get
from fa_proofs.sections.experiment import sec6
from fa_proofs.verdicts import Status


@pytest.mark.parametrize("depth", [2, 3])
@pytest.mark.parametrize("method,reading", [("fa", "data-normalised"), ("gd", "literal")])
def test_fast_path_equals_the_per_sample_loop(depth, method, reading):
    pb = AE.make_problem(AE.reading(reading), depth, repeats=2, seed=3)
    n = 25
    fast = AE.train(pb, method, n, record=np.arange(n + 1))
    for r in range(2 if method == "fa" else 1):
        plain = AE.train_plain(pb, method, n, repeat=r)[-1]
        scale = max(1.0, np.abs(plain).max())
        assert np.abs(fast.end_to_end[r] - plain).max() <= 1e-10 * scale
        loop = AE.train_plain(pb, method, n, repeat=r, per_sample=False)[-1]
        assert np.abs(loop - plain).max() <= 1e-10 * scale
        tn = np.linalg.svd(plain, compute_uv=False).sum()
        assert abs(fast.trace_norm[r, -1] - tn) <= 1e-10 * max(1.0, tn)


def test_the_literal_reading_diverges_within_five_steps():
    for reading in ("literal", "appendix"):
        pb = AE.make_problem(AE.reading(reading), 2, repeats=15, seed=0)
        c = AE.train(pb, "fa", 20)
        assert np.all((c.diverged >= 0) & (c.diverged <= 5)), c.diverged


def test_interval_products_enclose_the_exact_product():
    rng = np.random.default_rng(1)
    A, B = rng.standard_normal((2, 4, 4))
    A[0, 0] = 1e300                                   # large and small magnitudes together
    got = IMat.exact(A) @ IMat.exact(B) + IMat.exact(B).scale(IMat.scalar(Fraction(1, 100)))
    for i in range(4):
        for j in range(4):
            exact = sum(Fraction(A[i, k]) * Fraction(B[k, j]) for k in range(4)) \
                + Fraction(B[i, j]) / 100
            assert abs(Fraction(got.mid[i, j]) - exact) <= Fraction(got.rad[i, j])


def test_certified_orbit_matches_the_float_run():
    pb = AE.make_problem(AE.reading("data-normalised"), 2, repeats=1, seed=0)
    c = AE.train(pb, "fa", 40, record=np.arange(41))
    t, P = orbit_until(list(pb.W0), pb.sigma, Fraction(1, 100), pb.feedback, lambda *_: False,
                       40)
    assert t == 40 and P.rad.max() < 1e-12
    assert np.abs(P.mid[0] - c.end_to_end[0]).max() < 1e-12 * max(1, np.abs(P.mid).max())


# --- the sec6 checks on a shortened configuration (3000 iterations, 2 repeats) ----------------
@pytest.fixture
def short(monkeypatch):
    monkeypatch.setattr(sec6, "ITERATIONS", 3000)
    monkeypatch.setattr(sec6, "repeats_for", lambda run: 2)
    sec6.curves.cache_clear()
    yield Run(get_profile("ci"), 0)
    sec6.curves.cache_clear()


def _statuses(results):
    return [r.status for r in (results if isinstance(results, list) else [results])]


def test_fa_faster_short(short):
    claim = get("sec6.fa_faster")
    st = claim.parts.replace(levels=(Fraction(1, 2), Fraction(3, 2)))
    fn = claim.correction.checks[0].fn
    assert _statuses(fn(st, [], short)) == [Status.PASS]
    assert _statuses(fn(st.replace(first="gd"), [], short)) != [Status.PASS]
    printed = [r for c in claim.checks for r in c.fn(st, [], short)]     # literal, appendix
    assert [r.status for r in printed] == [Status.FAIL, Status.FAIL]
    assert all(r.counterexample.evidence.certified for r in printed)


def test_gd_not_started_short(short):
    claim = get("sec6.gd3_not_started")
    fn = claim.correction.checks[0].fn
    assert _statuses(fn(claim.parts, [], short)) == [Status.PASS]
    bad = fn(claim.parts.replace(depth=2), [], short)          # GD (2 layers) learns by t = 935
    assert bad[0].status is Status.FAIL and bad[0].counterexample.evidence.certified


def test_incremental_short(short):
    claim = get("sec6.incremental")
    fn = claim.correction.checks[0].fn
    st = claim.parts.replace(components=3)
    assert _statuses(fn(st, [], short)) == [Status.PASS]
    assert _statuses(fn(st.replace(order="smallest first"), [], short)) != [Status.PASS]


def test_fa_converges_rejects_a_tighter_tolerance(short):
    claim = get("sec6.fa_converges")
    fn = claim.correction.checks[0].fn
    st = claim.parts.replace(tol=Fraction(1, 10**12))
    assert all(s is not Status.PASS for s in _statuses(fn(st, [], short)))


def test_a_point_replays_its_own_reading():
    from fa_proofs.engine import evaluate_at
    claim = get("sec6.gd3_not_started")
    res = evaluate_at(claim, {"seed": "0", "t": "3000"}, get_profile("ci"))
    # steps 0..3000: every reading's GD orbit stays below 1/2 there (certified)
    assert [c.status for c in res.checks] == [Status.PASS, Status.PASS]
    assert [c.status for c in res.corrected_checks] == [Status.PASS]
    res = evaluate_at(get("sec6.fa_converges"), {"depth": "3", "seed": "0", "repeat": "2",
                                                  "t": "6"}, get_profile("ci"))
    assert [c.status for c in res.checks] == [Status.FAIL, Status.FAIL]
    assert res.checks[0].counterexample.params == {"seed": "0", "depth": "3", "repeat": "2",
                                                   "t": "3"}
    assert res.verdict.value == "corrected"


def test_setup_claim_is_refuted_exactly():
    claim = get("sec6")
    res = claim.checks[0].fn(claim.parts, [], Run(get_profile("ci"), 0))
    assert res.status is Status.FAIL and res.counterexample.params == {"j": "1"}
    same = claim.parts.replace(appendix_cov=claim.parts["main_cov"])
    assert claim.checks[0].fn(same, [], Run(get_profile("ci"), 0)).status is Status.PASS
    assert isinstance(claim.parts, Statement)


# --- the commands ----------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [
    ["experiment", "autoencoder", "--depth", "4"],
    ["experiment", "autoencoder", "--reading", "nope"],
    ["experiment", "autoencoder", "--iterations", "0"],
    ["experiment", "autoencoder", "--repeats", "x"],
    ["experiment", "autoencoder", "--seed", "-1"],
    ["experiment", "autoencoders"],
    ["figures", "7"],
])
def test_bad_input_is_one_line_and_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("fa-proofs: error:")


def test_out_must_be_a_directory(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("")
    assert main(["figures", "6", "--out", str(f / "sub")]) == 2
    assert main(["experiment", "autoencoder", "--iterations", "5", "--out", str(f)]) == 2
    assert capsys.readouterr().err.count("\n") == 2


def test_experiment_command_writes_curves_and_figure(tmp_path, capsys):
    assert main(["experiment", "autoencoder", "--depth", "2", "--iterations", "60",
                 "--repeats", "2", "--reading", "data-normalised", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2 layers" in out and "FA diverged 0/2" in out
    rows = (tmp_path / "figure2_data-normalised_L2.csv").read_text().splitlines()
    assert rows[0].startswith("iteration,fa_trace_norm_mean") and rows[-1].startswith("60,")
    assert (tmp_path / "figure2_data-normalised.png").stat().st_size > 1000
    assert (tmp_path / "figure2_data-normalised.pdf").exists()


def test_trace_norm_upper_encloses_and_is_tight():
    """certify.trace_norm_upper: an upper bound of the trace norm of every matrix in an interval
    matrix (checked against mpmath's SVD at 40 digits, for the midpoint and for a matrix inside
    the radii), within 1e-8 relative of it; an enclosure with wide radii gives a larger bound."""
    import mpmath as mp

    from fa_proofs.experiment.certify import IMat, trace_norm_upper
    rng = np.random.default_rng(1)
    A = rng.standard_normal((20, 20)) @ np.diag([1.0] * 5 + [1e-6] * 15) @ rng.standard_normal(
        (20, 20))
    rad = np.abs(A) * 1e-10
    ub = trace_norm_upper(IMat(A, rad))
    with mp.workdps(40):
        for B in (A, A + rad * rng.uniform(-1, 1, A.shape)):
            exact = sum(mp.svd_r(mp.matrix(B.tolist()), compute_uv=False))
            assert ub >= exact and (ub - exact) / exact < 1e-8
    assert trace_norm_upper(IMat(A, rad * 1e6)) > ub
    # far tighter than sqrt(d) ||A||_F for a nearly low-rank matrix
    assert ub < 0.6 * np.sqrt(20) * np.linalg.norm(A)
