"""Tests of the ``fa-proofs`` command line: in process through ``fa_proofs.cli.main``, and once
as ``python -m fa_proofs`` in a subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

from fa_proofs import cli
from fa_proofs.engine import parallel
from fa_proofs.engine.run import ClaimResult
from fa_proofs.registry import all_claims, canonical_id, get, select
from fa_proofs.verdicts import Counterexample, Evidence, Verdict, failed, passed, undecided

ROOT = Path(__file__).resolve().parents[1]


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    rc = cli.main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def exact_readable(s: str) -> bool:
    try:
        Fraction(s)
        return True
    except ValueError:
        pass
    try:
        sp.sympify(s)
        return True
    except (sp.SympifyError, SyntaxError, TypeError):
        return False


def without_timing(text: str) -> str:
    """A JSON document of ``verify --json`` without its timing fields (report.TIMING_FIELDS),
    byte for byte otherwise."""
    from fa_proofs.report import TIMING_FIELDS
    lines = text.splitlines()
    assert sum(l.startswith('  "elapsed_seconds": ') for l in lines) == 1, text[:300]
    assert TIMING_FIELDS == ("elapsed_seconds",)
    return "\n".join(l for l in lines if not l.startswith('  "elapsed_seconds": '))


def python_m(*argv: str, env_extra: dict | None = None, timeout: float = 120):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "fa_proofs", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


# --- list ---------------------------------------------------------------------------------
def test_list_prints_every_claim_id(capsys):
    rc, out, err = run_main(capsys, "list")
    assert rc == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["claim", "last", "verdict"]
    ids = [c.id for c in all_claims()]
    listed = [line.split()[0] for line in lines[1:1 + len(ids)]]
    assert listed == ids
    assert len(set(listed)) == len(listed)
    assert "alias thm11" in out
    assert lines[1 + len(ids)].startswith("no verdicts yet")


# --- verify -------------------------------------------------------------------------------
def test_verify_prints_a_table(capsys):
    rc, out, err = run_main(capsys, "verify", "eq40", "eq55")
    assert rc == 0, out + err
    lines = out.splitlines()
    assert lines[0].split() == ["claim", "verdict", "summary"]
    rows = {line.split()[0]: line.split()[1] for line in lines[2:-2]
            if line and not line.startswith(" ")}
    assert rows == {"eq40": "holds", "eq55": "holds"}
    assert lines[-1].startswith("2 holds, 0 refuted, 0 corrected, 0 undecided  (profile ci, "
                                "seed 0, fa-proofs ")


def test_verify_json(capsys):
    rc, out, err = run_main(capsys, "verify", "--json", "eq40", "eq5")
    assert rc == 0, err
    doc = json.loads(out)                      # ONE JSON object, nothing else on stdout
    assert isinstance(doc, dict) and isinstance(doc["claims"], list)
    by_id = {c["id"]: c for c in doc["claims"]}
    assert set(by_id) == {"eq40", "eq5"}
    for c in doc["claims"]:
        assert {"id", "verdict", "statement", "correction", "counterexample"} <= set(c)
        assert c["verdict"] in {v.value for v in Verdict}
        assert isinstance(c["statement"], str) and c["statement"]
        assert c["correction"] is None or isinstance(c["correction"], str)
        cx = c["counterexample"]
        if cx is not None:
            assert isinstance(cx["params"], dict) and cx["params"]
            for name, value in cx["params"].items():
                assert isinstance(value, str) and exact_readable(value), (name, value)
    assert by_id["eq40"]["verdict"] == "holds"
    assert by_id["eq40"]["correction"] is None and by_id["eq40"]["counterexample"] is None
    eq5 = by_id["eq5"]
    assert eq5["verdict"] == "corrected"
    assert isinstance(eq5["correction"], str) and eq5["correction"].strip()
    assert eq5["counterexample"] is not None and eq5["counterexample"]["certified_by"]


def test_verify_verbose_shows_every_check(capsys):
    rc, out, _ = run_main(capsys, "verify", "-v", "eq40")
    assert rc == 0 and "[  pass   ]" in out


def test_aliases_resolve():
    assert canonical_id("thm11") == "thm2"
    assert canonical_id("THM11") == "thm2"
    assert canonical_id("thm11.lambda_zero") == "thm2.lambda_zero"
    assert [c.id for c in select(["thm11"])] == ["thm2", "thm2.lambda_zero"]
    assert [c.id for c in select(["thm11.lambda_zero"])] == ["thm2.lambda_zero"]


def _fake_run(verdict: Verdict):
    """A stand-in for the engine's run_claims producing results with the given verdict, fast."""
    cx = Counterexample.of({"d": 1}, "x > y", {}, Evidence.BALL)
    f = failed("f", Evidence.BALL, "x <= y", cx)
    p, u = passed("p", Evidence.SYMBOLIC), undecided("u", Evidence.FLOAT, note="why")
    checks = {Verdict.HOLDS: ([p], None, []), Verdict.REFUTED: ([f], None, []),
              Verdict.CORRECTED: ([f], "fixed", [p]), Verdict.UNDECIDED: ([p, u], None, [])}

    def fake(ids, profile, seed=0, jobs=1, on_result=None, on_progress=None, on_done=None):
        out = []
        for i, cid in enumerate(ids):
            c = get(cid)
            cs, corr, cc = checks[verdict]
            r = ClaimResult(c.id, c.title, c.location, c.statement, c.aliases, list(cs), corr,
                            list(cc), [], 0.0)
            out.append(r)
            if on_result is not None:
                on_result(i, r)
        return out
    return fake


def test_aliases_through_the_command_line(capsys, monkeypatch):
    monkeypatch.setattr(parallel, "run_claims", _fake_run(Verdict.HOLDS))
    rc, out, _ = run_main(capsys, "verify", "--json", "thm11")
    assert rc == 0
    assert [c["id"] for c in json.loads(out)["claims"]] == ["thm2", "thm2.lambda_zero"]
    rc, out, _ = run_main(capsys, "verify", "--json", "thm11.lambda_zero")
    assert rc == 0
    assert [c["id"] for c in json.loads(out)["claims"]] == ["thm2.lambda_zero"]


@pytest.mark.parametrize("verdict, code", [(Verdict.HOLDS, 0), (Verdict.REFUTED, 0),
                                           (Verdict.CORRECTED, 0), (Verdict.UNDECIDED, 1)])
def test_exit_code_follows_the_verdicts(capsys, monkeypatch, verdict, code):
    monkeypatch.setattr(parallel, "run_claims", _fake_run(verdict))
    rc, out, err = run_main(capsys, "verify", "eq40", "eq55")
    assert rc == code and err == ""
    assert verdict.value in out


def test_same_seed_same_json(capsys):
    args = ("verify", "-j", "1", "--json", "--seed", "3", "eq40", "eq55", "lem12")
    rc1, out1, _ = run_main(capsys, *args)
    rc2, out2, _ = run_main(capsys, *args)
    assert rc1 == rc2 == 0
    assert without_timing(out1) == without_timing(out2)
    doc = json.loads(out1)
    assert doc["seed"] == 3 and [c["id"] for c in doc["claims"]] == ["lem12", "eq40", "eq55"]


def test_subprocess_python_m_same_output_as_in_process(capsys):
    """``python -m fa_proofs`` in a fresh interpreter (another hash seed) prints the same JSON."""
    args = ("verify", "--json", "--seed", "3", "eq40", "eq55", "lem12")
    rc, out, _ = run_main(capsys, *args)
    proc = python_m(*args, env_extra={"PYTHONHASHSEED": "12345"})
    assert proc.returncode == rc == 0, proc.stderr
    assert without_timing(proc.stdout) == without_timing(out)
    assert "Traceback" not in proc.stderr


# --- bad input ----------------------------------------------------------------------------
BAD = [
    ("verify", "no_such_claim"),
    ("verify", "thm11.no_such_case"),
    ("verify", "--profile", "nope", "eq40"),
    ("verify", "--seed", "abc", "eq40"),
    ("verify", "--seed", "-1", "eq40"),
    ("verify", "--seed", "1.5", "eq40"),
    ("verify", "--seed"),
    ("verify", "--no-such-option"),
    ("frobnicate",),
    ("verify", "-v", "--json", "eq40"),                                # -v would be ignored
    ("verify", "eq126", "--at", "d=1/2", "lam=1", "eta=1/3", "-j", "2"),  # -j would be ignored
    ("list", "-v"),
    ("latex", "-o", "/nonexistent/dir/x.tex"),
    ("verify", "-j", "0"),
    ("verify", "-j", "two"),
    ("verify", "--outside", "eq126"),
    ("verify", "eq126", "thm9", "--at", "d=1"),
    ("verify", "eq126", "--at", "d"),
    ("verify", "eq126", "--at", "d=1", "d=2", "lam=1", "eta=1/3"),
    ("verify", "eq126", "--at", "d=1", "lam=1"),                     # eta missing
    ("verify", "eq126", "--at", "d=1", "lam=1", "eta=1/3", "mu=2"),  # unknown name
    ("verify", "eq126", "--at", "d=-1", "lam=1", "eta=1/3"),         # d <= 0
    ("verify", "eq126", "--at", "d=1", "lam=x", "eta=1/3"),          # not a number
    ("verify", "eq126", "--at", "d=1/2", "lam=1", "eta=1"),          # eta above the maximum
    ("verify", "eq126", "--at", "d=1/2", "lam=1", "eta=1/3", "t=1/2"),
    ("verify", "thm10", "--at", "L=3", "d1=1", "lam=1", "eta=1/100"),  # d2 missing
    ("verify", "thm10", "--at", "L=1", "d1=1", "lam=1", "eta=1/100"),
    ("verify", "rem15", "--at", "d=1"),                               # a claim without parameters
    ("replay", "/nonexistent/file.json"),
]


@pytest.mark.parametrize("argv", BAD, ids=lambda a: " ".join(a) or "<none>")
def test_bad_input_exit_2_one_line(capsys, argv):
    rc, out, err = run_main(capsys, *argv)
    assert rc == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("fa-proofs: error: ") and "Traceback" not in err


def test_bad_input_in_a_subprocess():
    proc = python_m("verify", "no_such_claim")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "no_such_claim" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv", [("list",), ("latex",)])
def test_closed_stdout_is_not_a_traceback(argv):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    read_end, write_end = os.pipe()
    os.close(read_end)                         # the reader is gone before anything is written
    try:
        proc = subprocess.run([sys.executable, "-m", "fa_proofs", *argv], cwd=ROOT, env=env,
                              stdout=write_end, stderr=subprocess.PIPE, text=True,
                              stdin=subprocess.DEVNULL, timeout=120)
    finally:
        os.close(write_end)
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 1


# --- --at, replay, -j, streaming ------------------------------------------------------------------
def test_verify_at_a_point(capsys):
    rc, out, err = run_main(capsys, "verify", "eq126", "--at", "d=1/2", "lam=1", "eta=1/3", "--json")
    assert rc == 0, err
    c = json.loads(out)["claims"][0]
    assert c["verdict"] == "corrected" and c["at"] == {"d": "1/2", "lam": "1", "eta": "1/3"}
    assert c["counterexample"]["params"]["t"] == "1"
    assert all(ch["points"] == 1 for ch in c["checks"])
    rc, out, _ = run_main(capsys, "verify", "thm11", "--at", "theta1_0=1/2", "d=2", "lam=3")
    assert rc == 0 and "thm2 " in out and "at " in out


def test_verify_outside_is_reported(capsys):
    rc, out, _ = run_main(capsys, "verify", "eq126", "--at", "d=1/2", "lam=1", "eta=1",
                          "--outside")
    assert "outside the stated hypotheses" in out


def test_replay_recertifies_what_verify_emits(tmp_path, capsys):
    rc, out, _ = run_main(capsys, "verify", "-j", "1", "--json", "eq126", "thm10", "eq5")
    path = tmp_path / "v.json"
    path.write_text(out)
    rc, out, err = run_main(capsys, "replay", str(path))
    assert rc == 0, out + err
    assert out.splitlines()[-1].startswith("3 of 3 counterexamples still certified")
    # a tampered counterexample is not certified: exit 1
    doc = json.loads(path.read_text())
    for c in doc["claims"]:
        if c["id"] == "eq126":
            c["checks"][0]["counterexample"]["params"]["eta"] = "1/1000000"
            c["checks"][0]["counterexample"]["params"]["t"] = "0"
    path.write_text(json.dumps(doc))
    rc, out, _ = run_main(capsys, "replay", str(path))
    assert rc == 1 and "NOT certified" in out


def test_replay_of_a_file_that_is_not_json_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    rc, out, err = run_main(capsys, "replay", str(path))
    assert rc == 2 and len(err.strip().splitlines()) == 1


def test_parallel_json_is_byte_identical(capsys):
    ids = ("eq40", "eq126", "lem12", "eq136", "thm9", "eq55")
    rc1, out1, _ = run_main(capsys, "verify", "-j", "1", "--json", *ids)
    rc2, out2, _ = run_main(capsys, "verify", "-j", "2", "--json", *ids)
    assert rc1 == rc2 == 0 and without_timing(out1) == without_timing(out2)
    # the timing fields are the only difference, and they are only at the top level
    diff = [(a, b) for a, b in zip(out1.splitlines(), out2.splitlines()) if a != b]
    assert len(out1.splitlines()) == len(out2.splitlines())
    assert all(a.startswith('  "elapsed_seconds": ') for a, _ in diff), diff


def test_verify_streams_rows_in_registry_order(capsys):
    rc, out, _ = run_main(capsys, "verify", "-j", "2", "eq55", "eq40", "lem12")
    rows = [line.split()[0] for line in out.splitlines()[2:-2] if line and line[0] != " "]
    assert rows == [c.id for c in select(["eq55", "eq40", "lem12"])]


def test_every_claim_with_parameters_runs_at_a_point_of_its_domain():
    """verify --at works for every claim that has parameters: a point of the claim's own domain,
    written as the exact strings a user would type, is validated and every check runs there."""
    from fa_proofs.arith import exact_str
    from fa_proofs.engine.run import evaluate_at
    from fa_proofs.profiles import get_profile
    import numpy as np
    swept_free = 0
    for claim in all_claims():
        if not claim.has_params:
            with pytest.raises(cli.UsageError):
                evaluate_at(claim, {"d": "1"}, get_profile("ci"))
            continue
        point = claim.domain.sample(np.random.default_rng(1), 1, claim.parts)[0]
        raw = {k: exact_str(v) for k, v in point.items()}
        res = evaluate_at(claim, raw, get_profile("ci"))
        assert res.at is not None and res.checks, claim.id
        assert res.verdict in (Verdict.HOLDS, Verdict.CORRECTED, Verdict.REFUTED,
                               Verdict.UNDECIDED), claim.id
        swept_free += 1
    assert swept_free >= 50


def test_progress_bar_only_on_a_terminal(capsys):
    cli._Progress(False)(1, 2, "eq5")
    assert capsys.readouterr().err == ""
    bar = cli._Progress(True)
    bar(1, 2, "eq5")
    bar.clear()
    err = capsys.readouterr().err
    assert "1/2" in err and "eq5" in err and "#" in err
