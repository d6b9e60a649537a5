"""Scale-out on Dask: a sweep on a local Dask cluster (loopback, two single-threaded worker
processes, no dashboard; one cluster for the module) gives the same certified results as a
local run with -j 1."""
from __future__ import annotations

import json

import pytest

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed "
                                                        "(pip install 'fa-proofs[dask]')")

from fa_proofs import fuzz, scale  # noqa: E402
from fa_proofs.cli import main  # noqa: E402
from fa_proofs.engine.parallel import run_claims  # noqa: E402
from fa_proofs.profiles import get_profile  # noqa: E402
from fa_proofs.report import json_doc, strip_timing  # noqa: E402

IDS = ["eq5", "lem19", "eq56"]


@pytest.fixture(scope="module")
def dask_executor():
    with scale.executor("local", workers=2) as ex:
        yield ex


def _doc(results):
    return strip_timing(json_doc(results, "ci", 0))


def test_a_sweep_on_dask_equals_the_local_run(dask_executor):
    prof = get_profile("ci")
    local = run_claims(IDS, prof, 0, jobs=1)
    remote = run_claims(IDS, prof, 0, executor=dask_executor)
    assert json.dumps(_doc(remote)) == json.dumps(_doc(local))
    assert any(r.counterexample() is not None for r in remote)     # certified results included


def test_fuzz_campaigns_run_on_dask(dask_executor):
    camps = fuzz.run_campaigns(["eq126"], 2.0, 5, executor=dask_executor, first=True)
    assert camps[0].printed_fell and camps[0].agrees


def test_verify_with_an_unreachable_scheduler_is_one_line_and_exit_2(capsys, monkeypatch):
    monkeypatch.setenv("FA_PROOFS_DASK_TIMEOUT", "1")
    assert main(["verify", "eq56", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach the Dask scheduler" in err, err


def test_the_python_api_takes_a_scheduler(monkeypatch, dask_executor):
    import contextlib
    import fa_proofs
    seen = []

    @contextlib.contextmanager
    def fake(address, *a, **k):
        seen.append(address)
        yield dask_executor
    monkeypatch.setattr(scale, "executor", fake)
    r = fa_proofs.verify("eq56", scheduler="local")
    assert seen == ["local"] and r["eq56"].verdict.value == "holds"
