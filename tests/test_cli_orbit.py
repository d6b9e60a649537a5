"""``fa-proofs orbit``: certified orbits at a user's parameters; bad input is one line on stderr
and exit code 2, never a traceback."""
from __future__ import annotations

import pytest

from fa_proofs import cli


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    rc = cli.main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("argv, fragment", [
    (("orbit", "midpoint", "--d", "-1", "--lam", "1", "--eta", "1/10"), "--d must be > 0"),
    (("orbit", "midpoint", "--d", "0", "--lam", "1", "--eta", "1/10"), "--d must be > 0"),
    (("orbit", "midpoint", "--d", "1", "--lam", "abc", "--eta", "1/10"), "exact number"),
    (("orbit", "midpoint", "--d", "1", "--lam", "1", "--eta", "1/0"), "exact number"),
    (("orbit", "midpoint", "--d", "1/2", "--lam", "1", "--eta", "2/3"), "stated maximum"),
    (("orbit", "midpoint", "--d", "1/2", "--lam", "1", "--eta", "1/10", "--steps", "0"),
     "--steps"),
    (("orbit", "midpoint", "--d", "1/2", "--lam", "1", "--eta", "1/10", "--steps", "1.5"),
     "--steps"),
    (("orbit", "midpoint", "--lam", "1", "--eta", "1/10"), "needs --d"),
    (("orbit", "layered", "--lam", "1", "--eta", "1/10"), "--ds"),
    (("orbit", "layered", "--ds", "1,-2", "--lam", "1", "--eta", "1/100"), "--ds must be > 0"),
    (("orbit", "euler", "--d", "1/2", "--lam", "1", "--eta", "1/5"), "Theorem 26 (145)"),
    (("orbit", "heun", "--d", "1", "--lam", "1", "--eta", "1/10"), "unknown scheme"),
])
def test_bad_input_is_a_usage_error(capsys, argv, fragment):
    rc, out, err = run_main(capsys, *argv)
    assert rc == 2 and fragment in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_midpoint_orbit_reports_the_printed_failure_and_the_correction(capsys, monkeypatch):
    """thm9 / eq126 at the hand-checkable point d = 1, lam = 1/2, eta = 3/5 (errata E2)."""
    monkeypatch.setenv("COLUMNS", "100")
    rc, out, _ = run_main(capsys, "orbit", "midpoint", "--d", "1", "--lam", "1/2", "--eta", "3/5",
                          "--steps", "40")
    assert rc == 0
    lines = out.splitlines()
    # the header: the scheme and point, r, the stated maximum step, L, the precision
    assert lines[0] == "midpoint scheme (26)-(27) = (115)-(116), L = 2, at d = 1, lam = 1/2, eta = 3/5"
    assert lines[1].startswith("r = 1  ((2 d lam)^(1/3), the limit of x_t)")
    assert lines[2].startswith("stated maximum step: eta < 2/3 (Theorem 9 (120)); eta is 0.9 x")
    assert lines[3].startswith("ball arithmetic at 128 bits; 40 steps")
    bounds = lines[lines.index("") + 1:]
    assert "(124) printed" in bounds[0] and "VIOLATED at t = 1" in bounds[0]
    assert "(124) corrected" in bounds[1] and "holds at every step 0..40" in bounds[1]
    assert "(126) printed" in bounds[2] and "VIOLATED at t = 1" in bounds[2]
    assert "(126) corrected" in bounds[3] and "holds at every step" in bounds[3]
    assert any(l.split()[:2] == ["1", "0.30000000"] for l in lines)     # x_1 = eta d lam = 3/10
    assert max(len(l) for l in lines) <= 100


def test_layered_and_euler_orbits(capsys):
    rc, out, _ = run_main(capsys, "orbit", "layered", "--ds", "1,2", "--lam", "1", "--eta",
                          "1/100", "--steps", "60")
    assert rc == 0 and "(138) printed" in out and "(133) corrected" in out
    rc, out, _ = run_main(capsys, "orbit", "euler", "--d", "1/2", "--lam", "1", "--eta", "1/20",
                          "--steps", "200")
    assert rc == 0 and "(188) printed      ell_S_t - x_t <= bound: VIOLATED" in out
    assert "(188) corrected    ell_S_t - x_t <= bound: holds" in out


def test_beyond_the_maximum_needs_the_flag_and_a_divergent_orbit_is_undecided(capsys):
    rc, out, err = run_main(capsys, "orbit", "euler", "--d", "1/2", "--lam", "1", "--eta", "3",
                            "--steps", "100", "--allow-beyond")
    assert rc == 1 and "could not be certified" in err and "Traceback" not in err


def test_beyond_the_maximum_is_noted(capsys):
    """thm9 / eq126 at 3/2 of the maximum 2/3 of (120) (d = 1, lam = 1/2): the theorems do not
    apply, the output says so first; every bound is still decided (exit 0)."""
    rc, out, _ = run_main(capsys, "orbit", "midpoint", "--d", "1", "--lam", "1/2", "--eta", "1",
                          "--steps", "20", "--allow-beyond")
    lines = out.splitlines()
    assert rc == 0
    assert lines[0].startswith("eta is at or beyond the stated maximum 2/3")
    assert "Theorem 9 (120)" in lines[0] and "do not apply" in lines[0]
    bounds = lines[lines.index("") + 1:]
    assert "(124) printed" in bounds[0] and "VIOLATED at t = 1" in bounds[0]


def test_an_undecided_bound_exits_1(capsys):
    """eq188 beyond the maximum of (145): a bound that cannot be certified is reported as
    undecided and the command exits 1."""
    rc, out, err = run_main(capsys, "orbit", "euler", "--d", "1/2", "--lam", "1", "--eta", "1/2",
                            "--steps", "30", "--allow-beyond")
    assert rc == 1 and "Traceback" not in err
    assert "Theorem 26 (145)" in out.splitlines()[0] and "beyond" in out.splitlines()[0]
    assert any(l.startswith("(188) printed") and "undecided" in l for l in out.splitlines())


def test_a_divergent_orbit_beyond_the_maximum_keeps_its_columns_and_says_where_it_stops(capsys):
    """midpoint at 15/4 of the maximum: the iterates diverge (huge balls); every number is
    printed whole, in its column, and the output says the orbit stopped and why."""
    rc, out, _ = run_main(capsys, "orbit", "midpoint", "--d", "1/2", "--lam", "1", "--eta", "5/2",
                          "--steps", "25", "--every", "5", "--allow-beyond")
    lines = out.splitlines()
    assert lines[0].startswith("eta is at or beyond the stated maximum 2/3")
    rows = [l for l in lines if l[:6].strip().isdigit()]
    assert rows and all(len(l.split()) == 4 for l in rows)
    assert any("e+" in l for l in rows)                   # huge values, printed whole
    assert "..." not in out and "inf" not in out.split("\n\n")[-1]
    assert any(l.startswith("the orbit stops at t = ") for l in lines) or len(rows) == 10


def test_orbit_json(capsys):
    import json
    rc, out, _ = run_main(capsys, "orbit", "midpoint", "--d", "1/2", "--lam", "1", "--eta", "1/2",
                          "--steps", "10", "--every", "5", "--json")
    assert rc == 0
    doc = json.loads(out)
    assert doc["tool"] == "fa-proofs" and doc["scheme"] == "midpoint" and doc["L"] == 2
    assert doc["r"] == "1" and doc["eta_max"] == "2/3" and doc["prec"] == 128
    assert doc["params"] == {"d": "1/2", "lam": "1", "eta": "1/2"}
    assert doc["beyond_stated_maximum"] is False and doc["steps"] == 10
    st = {b["label"]: (b["status"], b["t"]) for b in doc["bounds"]}
    assert st["(126) printed"] == ("fail", "1") and st["(126) corrected"] == ("pass", None)
    assert [row["t"] for row in doc["rows"]] == [0, 1, 2, 3, 4, 5, 10]
    assert doc["rows"][1]["x_t"] == "0.25000000000000000000"      # exact: a ball of radius 0


@pytest.mark.parametrize("argv, fragment", [
    (("orbit", "layered", "--d", "1", "--ds", "1,2", "--lam", "1", "--eta", "1/100"),
     "--d does not apply to layered"),
    (("orbit", "midpoint", "--ds", "1,2", "--d", "1", "--lam", "1", "--eta", "1/100"),
     "--ds does not apply to midpoint"),
    (("orbit", "euler", "--ds", "1", "--d", "1", "--lam", "1", "--eta", "1/100"),
     "--ds does not apply to euler"),
])
def test_options_a_scheme_ignores_are_refused(capsys, argv, fragment):
    rc, out, err = run_main(capsys, *argv)
    assert rc == 2 and out == "" and fragment in err and len(err.strip().splitlines()) == 1
