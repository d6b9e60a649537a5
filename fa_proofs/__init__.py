"""fa-proofs: claim-by-claim verification of "Convergence Analysis and Implicit Regularization of
Feedback Alignment for Deep Linear Networks" (ICLR 2022 submission, arXiv 2110.10815).

Shared machinery, each module usable alone:

* :mod:`fa_proofs.engine`     claims as data; one engine runs them sampled, at a point, replayed,
                              in parallel; counterexamples shrunk to the simplest certified one;
* :mod:`fa_proofs.domains`    parameter spaces: samples, Hypothesis strategies, validation;
* :mod:`fa_proofs.arith`      arithmetic contexts (exact, ball, mp, float): one compiler;
* :mod:`fa_proofs.model`      the paper's symbols, networks, flows and schemes, defined once;
* :mod:`fa_proofs.symbolic`   identities proven by simplification (SymPy), certified otherwise;
* :mod:`fa_proofs.pointwise`  certified signs and inequalities at exact points;
* :mod:`fa_proofs.sequences`  certified comparisons along orbits;
* :mod:`fa_proofs.iterate`    maps iterated exactly, in balls (naive, centred) and in NumPy;
* :mod:`fa_proofs.simulate`   vectorised batch ODE integration (DOP853) and an mpmath reference;
* :mod:`fa_proofs.rates`      convergence-rate estimates from trajectories;
* :mod:`fa_proofs.verdicts`   typed check results (evidence, coverage, measure) and verdicts;
* :mod:`fa_proofs.registry`   the claims under the paper's labels;
* :mod:`fa_proofs.report`     text and JSON (the only module that writes prose);
  :mod:`fa_proofs.latex` the LaTeX report; :mod:`fa_proofs.cli` the ``fa-proofs`` command.

The paper's sections live in :mod:`fa_proofs.sections` (one sub-package each).
"""
__version__ = "0.2.0"
