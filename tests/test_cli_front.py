"""The command line as a reviewer meets it: version and usage, aliases, output that fits the
terminal, the footer, errata on verdict lines, the JSON document, the verdict cache of ``list``,
undecided verdicts that name their failing case, interrupts and write errors."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fa_proofs import __version__, cli, report
from fa_proofs.engine import parallel
from fa_proofs.engine.run import ClaimResult
from fa_proofs.registry import all_claims, get
from fa_proofs.verdicts import Evidence, Measure, passed, undecided

ROOT = Path(__file__).resolve().parents[1]


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    rc = cli.main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def env_here(**extra: str) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


# --- version, usage, aliases ------------------------------------------------------------------
def test_version(capsys):
    rc, out, err = run_main(capsys, "--version")
    assert rc == 0 and out.strip() == f"fa-proofs {__version__}" and err == ""


def test_bare_command_prints_usage_and_the_commands(capsys):
    rc, out, err = run_main(capsys)
    assert rc == 0 and err == ""
    assert out.startswith("usage: fa-proofs")
    for command in ("list", "verify", "replay", "orbit", "latex"):
        assert f"\n    {command} " in out, command
    assert "arXiv:2110.10815" in out


def _quick_run(ids, profile, seed=0, jobs=1, on_result=None, on_progress=None, on_done=None):
    """A stand-in for the engine's run_claims: every claim holds at once."""
    out = []
    for i, cid in enumerate(ids):
        r = _result(cid, [passed("p", Evidence.SYMBOLIC)])
        out.append(r)
        for cb in (on_done, on_result):
            if cb is not None:
                cb(i, r)
    return out


def test_an_alias_says_which_claim_ran(capsys, monkeypatch):
    monkeypatch.setattr(parallel, "run_claims", _quick_run)
    rc, out, _ = run_main(capsys, "verify", "thm11.lambda_zero")
    assert rc == 0
    assert out.splitlines()[0] == ("thm11.lambda_zero is an alias of thm2.lambda_zero (the paper "
                                   "restates it): ran thm2.lambda_zero")
    rc, out, err = run_main(capsys, "verify", "--json", "thm11.lambda_zero")
    assert json.loads(out)["claims"][0]["id"] == "thm2.lambda_zero"
    assert "alias of thm2.lambda_zero" in err


# --- the table ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corrected_results():
    """Real results of two corrected claims with long corrections and counterexamples."""
    from fa_proofs.engine.run import Run, evaluate
    from fa_proofs.profiles import get_profile
    return [evaluate(get(cid), Run(get_profile("ci"))) for cid in ("eq5", "eq126")]


@pytest.mark.parametrize("cols", [60, 80, 132])
def test_the_default_table_fits_the_terminal(corrected_results, cols):
    text = report.to_table(corrected_results, False, 1.0, "ci", 0, cols)
    lines = text.splitlines()
    assert max(len(l) for l in lines) <= cols
    assert any(l.rstrip().endswith("...") for l in lines)          # long details are cut
    assert lines[2].split()[:3] == ["eq5", "corrected", "E1"]


@pytest.mark.parametrize("cols", [60, 100])
def test_verbose_wraps_the_full_text_to_the_terminal(corrected_results, cols):
    text = report.to_table(corrected_results, True, 1.0, "ci", 0, cols)
    assert max(len(l) for l in text.splitlines()) <= cols
    flat = "".join(text.split())             # (a word longer than a line is split)
    for r in corrected_results:
        assert "".join(r.correction.split()) in flat               # nothing is cut with -v
        for c in r.checks + r.corrected_checks:
            assert "".join(report.check_line(c).split()) in flat


def test_the_terminal_width_comes_from_columns(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    rc, out, _ = run_main(capsys, "verify", "eq5")
    assert rc == 0 and max(len(l) for l in out.splitlines()) <= 70


def test_counts_agree_in_number_and_the_footer_names_the_run(capsys):
    rc, out, _ = run_main(capsys, "verify", "eq40", "--seed", "2")
    lines = out.splitlines()
    assert "1 check passed" in lines[2] and "1 checks" not in out
    foot = lines[-1]
    assert foot.startswith("1 holds, 0 refuted, 0 corrected, 0 undecided  (profile ci, seed 2, "
                           f"fa-proofs {__version__}, ")
    assert foot.endswith(" s)")
    assert report.plural(1, "trajectory") == "1 trajectory"
    assert report.plural(3, "trajectory") == "3 trajectories"
    assert report.plural(0, "step") == "0 steps"


def test_every_erratum_is_named_on_its_verdict_line_and_in_the_errata_notes():
    errata = (ROOT / "notes" / "errata.md").read_text()
    ids = {c.id for c in all_claims()}
    for cid, entry in report.ERRATA.items():
        assert cid in ids
        assert f"| {entry} | `{cid}` |" in errata, (cid, entry)
        assert get(cid).correction is not None


def _result(cid: str, checks, notes=()):
    c = get(cid)
    return ClaimResult(c.id, c.title, c.location, c.statement, c.aliases, list(checks), None, [],
                       list(notes), 0.0)


def test_notes_are_not_duplicated():
    r = _result("eq40", [passed("p", Evidence.SYMBOLIC)], ["a note", "a note", "another"])
    text = report.to_table([r], True, 0.0, "ci", 0, 100)
    assert text.count("note: a note") == 1 and text.count("note: another") == 1


def test_a_check_name_is_not_repeated_as_its_relation():
    c = passed("(40) has exactly one real root", Evidence.EXACT, "(40) has exactly one real root",
               points=3)
    assert report.check_line(c) == "(40) has exactly one real root: exact at 3 exact points"


def test_an_undecided_verdict_names_its_case_and_the_command_that_reproduces_it(capsys):
    """An undecided check whose measure names a point of the claim's domain: the table and the
    JSON give the command that reruns the claim there (profile and seed included)."""
    u = undecided("lambda = 0, K != 0: estimated rate = exact rate", Evidence.FLOAT, "rate",
                  points=2000, measure=Measure("max |estimate/exact - 1|", 0.26,
                                               {"d": "433/1000", "theta1_0": "-32123/312500",
                                                "theta2_0": "29939/2500000"}, 0.02))
    r = _result("thm3.lambda_zero", [passed("p", Evidence.SYMBOLIC), u])
    cols = 72
    lines = report.table_rows(r, report.id_width([r.id]), False, cols, "dev", 0)
    assert max(len(l) for l in lines) <= cols
    text = "\n".join(lines)
    assert "undecided" in lines[0] and "reproduce:" in text
    command = " ".join(text.split("reproduce:")[1].replace("\\\n", " ").split())
    assert command == ("fa-proofs verify thm3.lambda_zero --at d=433/1000 theta1_0=-32123/312500 "
                       "theta2_0=29939/2500000 --profile dev -v")
    doc = report.json_doc([r], "dev", 0, 1.0)
    assert doc["claims"][0]["reproduce"] == command
    assert doc["summary"]["undecided"] == 1
    # a case the claim's domain cannot take (a trajectory's private start): the claim's command
    u2 = undecided("x", Evidence.MP, "y", measure=Measure("m", 1.0, {"d": "1", "start": "r2"}))
    r2 = _result("thm3.lambda_zero", [u2])
    assert report.reproduce(r2, "dev", 3) == ["fa-proofs", "verify", "thm3.lambda_zero",
                                               "--profile", "dev", "--seed", "3", "-v"]


# --- JSON -----------------------------------------------------------------------------------------
def test_json_document_fields(capsys):
    rc, out, _ = run_main(capsys, "verify", "--json", "eq126", "eq40")
    doc = json.loads(out)
    assert doc["tool"] == "fa-proofs" and doc["version"] == __version__
    assert doc["schema"] == report.SCHEMA_VERSION
    assert doc["profile"] == "ci" and doc["seed"] == 0 and doc["interrupted"] is False
    assert doc["summary"] == {"claims": 2, "holds": 1, "refuted": 0, "corrected": 1,
                              "undecided": 0}
    assert isinstance(doc["elapsed_seconds"], float) and doc["elapsed_seconds"] > 0
    assert set(report.strip_timing(doc)) == set(doc) - set(report.TIMING_FIELDS)
    by_id = {c["id"]: c for c in doc["claims"]}
    assert by_id["eq126"]["erratum"] == "E3" and by_id["eq40"]["erratum"] is None
    assert by_id["eq126"]["reproduce"] is None
    readme = (ROOT / "README.md").read_text()
    for key in list(doc) + list(by_id["eq126"]) + ["detail", "measure", "counterexample"]:
        assert f"`{key}`" in readme, key                  # every field is documented


# --- the verdict cache and list -------------------------------------------------------------------
def test_list_shows_the_verdicts_of_the_last_run(capsys):
    rc, out, _ = run_main(capsys, "list")
    assert "no verdicts yet" in out
    run_main(capsys, "verify", "eq40", "eq126")
    rc, out, _ = run_main(capsys, "list")
    rows = {l.split()[0]: l for l in out.splitlines()[1:]}
    assert rows["eq40"].split()[1] == "holds"
    assert rows["eq126"].split()[1:3] == ["corrected", "E3"]
    assert rows["eq55"].split()[1] == "-"
    assert os.environ["FA_PROOFS_CACHE"] in out.replace("\n  ", " ") or "cached in" in out
    rc, out, _ = run_main(capsys, "list", "--json")
    doc = json.loads(out)
    by_id = {c["id"]: c for c in doc["claims"]}
    assert by_id["eq126"]["last_run"]["verdict"] == "corrected"
    assert by_id["eq126"]["last_run"]["profile"] == "ci"
    assert by_id["eq55"]["last_run"] is None
    assert by_id["eq126"]["erratum"] == "E3" and "eta" in by_id["eq126"]["parameters"]
    assert doc["cache"] == os.environ["FA_PROOFS_CACHE"]


def test_a_run_at_a_point_is_not_cached_and_a_broken_cache_is_ignored(capsys, monkeypatch):
    run_main(capsys, "verify", "eq126", "--at", "d=1/2", "lam=1", "eta=3/5")
    rc, out, _ = run_main(capsys, "list")
    assert "no verdicts yet" in out
    Path(os.environ["FA_PROOFS_CACHE"]).write_text("{not json")
    rc, out, err = run_main(capsys, "list")
    assert rc == 0 and err == "" and "no verdicts yet" in out
    monkeypatch.setenv("FA_PROOFS_CACHE", "")
    assert run_main(capsys, "verify", "eq40")[0] == 0
    rc, out, _ = run_main(capsys, "list")
    assert "the cache is off" in out


def test_an_unwritable_cache_does_not_change_the_run(capsys, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("FA_PROOFS_CACHE", str(blocker / "sub" / "verdicts.json"))
    rc, out, err = run_main(capsys, "verify", "eq40")
    assert rc == 0 and err == "" and "1 holds" in out


# --- interrupts and write errors ----------------------------------------------------------------
def _interrupt(argv: list[str], after_line: str | None) -> tuple[int, str, str]:
    """Start ``fa-proofs argv`` in its own process group, wait for a line of output starting
    with ``after_line`` (None: for its worker processes to start), then press Ctrl-C (SIGINT to
    the whole group, workers included)."""
    proc = subprocess.Popen([sys.executable, "-m", "fa_proofs", *argv], cwd=ROOT,
                            env=env_here(COLUMNS="100"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            stdin=subprocess.DEVNULL)
    seen = []
    deadline = time.time() + 90
    if after_line is None:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        while time.time() < deadline and proc.poll() is None:
            if children.exists() and children.read_text().split():
                break
            time.sleep(0.05)
        time.sleep(0.5)
    else:
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            if line.startswith(after_line):
                break
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return proc.returncode, "".join(seen) + out, err


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX process groups")
def test_an_interrupt_exits_130_after_the_verdicts_already_decided():
    rc, out, err = _interrupt(["verify", "-j", "1", "eq40", "eq126", "thm9", "eq138", "thm10"],
                              "eq40 ")
    assert rc == 130, (out, err)
    assert err.strip() == "fa-proofs: interrupted"
    lines = out.splitlines()
    assert any(l.startswith("eq40 ") and "holds" in l for l in lines)
    assert "interrupted: 1 of 6 claims decided" in out          # thm9 brings thm9.continuum


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="Linux /proc")
def test_an_interrupt_stops_the_workers_without_a_traceback():
    rc, out, err = _interrupt(["verify", "-j", "2", "--json", "eq40", "eq126", "thm9", "eq138",
                               "thm10", "eq188"], None)
    assert rc == 130 and "Traceback" not in err, err
    assert err.strip() == "fa-proofs: interrupted"
    doc = json.loads(out)
    assert doc["interrupted"] is True and doc["summary"]["claims"] < 6


class _FullDisk:
    """A standard output whose writes fail as on a full disk."""

    def write(self, text):
        import errno
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self):
        pass


@pytest.mark.parametrize("argv", [("verify", "eq40"), ("verify", "--json", "eq40"), ("list",),
                                  ("latex",), ("orbit", "midpoint", "--d", "1", "--lam", "1",
                                               "--eta", "1/10", "--steps", "5")])
def test_a_write_error_is_one_line(capsys, monkeypatch, argv):
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    rc = cli.main(list(argv))
    err = capsys.readouterr().err
    assert rc == 2
    assert err.strip().splitlines() == [
        "fa-proofs: error: cannot write to standard output: No space left on device"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_write_error_to_dev_full_is_one_line():
    """Also what the interpreter flushes at exit: no 'Exception ignored' after the message."""
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "fa_proofs", "verify", "eq40"], cwd=ROOT,
                              env=env_here(), stdout=full, stderr=subprocess.PIPE, text=True,
                              stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "fa-proofs: error: cannot write to standard output: No space left on device"]


def test_progress_callbacks_see_every_claim_once(monkeypatch):
    from fa_proofs.profiles import get_profile
    seen = []
    parallel.run_claims(["eq40", "eq55"], get_profile("ci"), 0, 1,
                        on_done=lambda i, r: seen.append((i, r.id)))
    assert seen == [(0, "eq40"), (1, "eq55")]
