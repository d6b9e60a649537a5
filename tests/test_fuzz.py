"""Fuzz campaigns: every printed statement the suite finds false falls, from a fresh seed, within
the default budget, certified and shrunk; the saved file replays; true claims survive."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from fa_proofs import fuzz
from fa_proofs.cli import main
from fa_proofs.engine.replay import load, replay
from fa_proofs.profiles import get_profile
from fa_proofs.registry import all_claims

def _false_in_snapshot() -> tuple[str, ...]:
    """Every claim whose printed statement the suite finds false (refuted or corrected), from
    the regression snapshot of the ci verdicts."""
    snap = json.loads((Path(__file__).parent / "snapshots" / "claims-ci.json").read_text())
    return tuple(cid for cid, c in snap["claims"].items()
                 if c["verdict"] in ("refuted", "corrected"))


FALSE_AS_PRINTED = _false_in_snapshot()


def test_the_printed_statements_the_suite_finds_false_are_the_expected_ones():
    from fa_proofs.report import ERRATA
    expected = {c.id for c in all_claims() if c.correction is not None} | set(ERRATA)
    assert set(FALSE_AS_PRINTED) == expected
    assert {"eq5", "eq10", "thm9", "eq126", "eq138", "thm10", "eq188"} <= expected


def test_every_false_printed_statement_falls_from_a_fresh_seed_and_replays(tmp_path):
    seed = fuzz.fresh_seed()
    camps = fuzz.run_campaigns(FALSE_AS_PRINTED, fuzz.DEFAULT_BUDGET, seed, first=True, jobs=2)
    for c in camps:
        assert c.printed_fell, f"{c.claim}: no counterexample within {fuzz.DEFAULT_BUDGET} s " \
                               f"(seed {seed})"
        assert c.agrees and not c.uncertified
    path = tmp_path / "cx.json"
    assert fuzz.save(str(path), camps, seed, fuzz.DEFAULT_BUDGET) >= len(FALSE_AS_PRINTED)
    items = replay(load(str(path)), get_profile("ci"))
    assert items and all(it.certified for it in items), [it.reason for it in items]
    for f in (f for c in camps for f in c.found):
        assert f.counterexample.evidence.certified and f.counterexample.claim == f.claim


def test_a_true_claim_survives_its_budget():
    camp = fuzz.campaign("lem19", 1.5, fuzz.fresh_seed())
    assert not camp.found and camp.agrees and camp.points > 0


def test_fuzz_cli_saves_a_file_replay_reads(tmp_path, capsys):
    path = tmp_path / "cx.json"
    assert main(["fuzz", "eq126", "--budget", "2", "--seed", "3", "--first",
                 "--save", str(path)]) == 0
    out = capsys.readouterr().out
    assert "eq126" in out and "certified" in out and "saved 1 certified" in out
    doc = json.loads(path.read_text())
    assert doc["seed"] == 3 and doc["counterexamples"][0]["claim"] == "eq126"
    assert main(["replay", str(path)]) == 0
    assert "1 of 1 counterexample still certified" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["fuzz", "eq126", "--budget", "-1"],
    ["fuzz", "eq126", "--budget", "soon"],
    ["fuzz", "eq126", "--seed", "x"],
    ["fuzz", "nosuchclaim"],
    ["fuzz", "eq126", "--save", "/nonexistent/dir/cx.json"],
])
def test_fuzz_bad_input_is_one_line_and_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("fa-proofs: error:"), err
