"""Figures 1(a)-(c), 3, 4, 5(a)-(b), 6: each figure's data passes its check, and every mutant of
what the figure is said to show is rejected by the same check (a check that cannot fail is a
defect).  Each figure is computed once (the checks only read the data)."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import pytest

from fa_proofs.figures import FIGURES, list_figures, render
from fa_proofs.figures.core import _load
from fa_proofs.model.symbols import S, d, lam, theta1, theta2, x
from fa_proofs.sections.discrete import formulas as DF

_load()


@lru_cache(maxsize=None)
def data(name: str):
    fig = FIGURES[name]
    return fig.compute(0, fig.parts)


def check(name: str, **mutant):
    fig = FIGURES[name]
    parts = {**fig.parts, **mutant}
    return fig.check(data(name), parts)


@pytest.mark.parametrize("name", ["1a", "1b", "1c", "3", "4", "5a", "5b", "6"])
def test_figure_shows_what_the_text_says(name):
    results = check(name)
    assert results and all(c.ok for c in results), [(c.name, c.detail) for c in results]


MUTANTS = [
    ("1a", {"K": theta2 - theta1**2 / d}, "parabolas"),          # wrong parabola family
    ("1a", {"hyperbola": theta1 * theta2 - 2 * lam}, "hyperbola"),
    ("1b", {"fa_zero_converges": False}, "FA from zero"),
    ("1b", {"gd_zero_moves": True}, "GD from zero"),
    ("1c", {"some_not_monotone": False}, "monotone"),
    ("3", {"direction": "down below r"}, "directions"),
    ("4", {"monotone": False}, "monotone"),
    ("5a", {"T": lambda r1, r2, r3: 1 / ((r3 - r2) * (r2 - r1))}, "T = 2/(r32 r21)"),
    ("5b", {"sooner_for_smaller_lambda": False}, "later for smaller"),
]


@pytest.mark.parametrize("name,mutant,what", MUTANTS, ids=[f"{m[0]}:{m[2]}" for m in MUTANTS])
def test_mutant_is_rejected(name, mutant, what):
    results = check(name, **mutant)
    assert any(not c.ok for c in results), [(c.name, c.detail) for c in results]


def test_figure6_rejects_a_nonconvex_and_an_unbounded_region():
    fig = FIGURES["6"]
    squared = 2 * d * lam - x**3 + x * S**2                     # P with S squared
    _d, res = fig.run(0, constraints=(x, S, x - S, squared))
    assert not res[0].ok, res[0].detail                         # not convex
    _d, res = fig.run(0, constraints=(x, S, x - S, -DF.P))      # P <= 0 instead of >= 0
    assert not res[0].ok and not res[1].ok, (res[0].detail, res[1].detail)
    _d, res = fig.run(0, constraints=(x, S, DF.P))              # S <= x dropped
    assert not res[1].ok, res[1].detail                         # not bounded


def test_deterministic_for_a_seed():
    fig = FIGURES["3"]
    a, b = fig.compute(0, fig.parts), data("3")
    assert (a["y"] == b["y"]).all()
    c = fig.compute(1, fig.parts)["y"]
    assert c.shape == a["y"].shape and not (c == a["y"]).all()   # another seed, other starts


def test_render_png_and_pdf(tmp_path):
    paths, checks = render("6", tmp_path)
    assert [p.suffix for p in paths] == [".png", ".pdf"] and all(p.stat().st_size > 1000
                                                                 for p in paths)
    assert all(c.ok for c in checks)
    again, _ = render("6", tmp_path / "again")
    assert again[1].read_bytes() == paths[1].read_bytes()       # the PDF is reproducible


def test_list_figures_names_every_figure():
    names = [row["name"] for row in list_figures("out")]
    assert names == ["1a", "1b", "1c", "2", "3", "4", "5a", "5b", "6"]
    assert all(str(f).startswith("out") for row in list_figures("out") for f in row["files"])


def test_sstar_bracket_is_exact():
    from fa_proofs.figures.paper import _sstar
    lo, hi = _sstar(Fraction(1))
    f = lambda v: 1 - v**3 + v**2                                # noqa: E731 - P(x, x) at 2 d lam = 1
    assert f(lo) > 0 > f(hi) and hi - lo < Fraction(1, 10**15)
