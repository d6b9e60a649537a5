"""The paper's figures 1(a)-(c), 3, 4, 5(a)-(b) and 6, regenerated from the suite's own
simulations (:func:`fa_proofs.simulate.integrate_batch` on the model's flows) with their captions'
parameters, each with a check of what the text says the figure shows.

``FIGURES[name]`` is a :class:`Figure`: ``compute(seed, parts)`` returns the plotted data,
``check(data, parts)`` a list of :class:`FigureCheck` (each ``ok`` or not, with its numbers),
``plot(data, path_stem)`` writes PNG and PDF.  ``parts`` are the figure's statement (the relation it
illustrates, e.g. the parabolas' K of 1(a)); a mutant replaces a part and runs the same check.
:func:`list_figures` is what the report embeds; Figure 2 is
:mod:`fa_proofs.experiment.figure2`.
"""
from __future__ import annotations

from .core import FIGURES, Figure, FigureCheck, list_figures, main, render

__all__ = ["FIGURES", "Figure", "FigureCheck", "list_figures", "main", "render"]
