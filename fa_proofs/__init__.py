"""fa-proofs: claim-by-claim verification of "Convergence Analysis and Implicit Regularization of
Feedback Alignment for Deep Linear Networks" (ICLR 2022 submission).

Shared machinery, each module usable alone:

* :mod:`fa_proofs.symbolic`   identities proven by simplification (SymPy), certified otherwise;
* :mod:`fa_proofs.intervals`  certified ball arithmetic (python-flint ``arb``);
* :mod:`fa_proofs.pointwise`  certified signs and inequalities at exact sample points;
* :mod:`fa_proofs.simulate`   vectorised batch ODE integration (DOP853) and an mpmath reference;
* :mod:`fa_proofs.rates`      convergence-rate estimates from trajectories;
* :mod:`fa_proofs.verdicts`   check results and how they combine into a verdict;
* :mod:`fa_proofs.registry`   the claims under the paper's labels;
* :mod:`fa_proofs.report`     tables and JSON; :mod:`fa_proofs.latex` the LaTeX report;
* :mod:`fa_proofs.cli`        the ``fa-proofs`` command.

The paper's sections live in :mod:`fa_proofs.sections` (one sub-package each).
"""
__version__ = "0.1.0"
