"""fa-proofs: claim-by-claim verification of *Convergence Analysis and Implicit Regularization of
Feedback Alignment for Deep Linear Networks* (M. Girotti, I. Mitliagkas, G. Gidel;
arXiv:2110.10815).

The public API is what this module exports (``fa_proofs.__all__``)::

    import fa_proofs
    r = fa_proofs.verify("eq126")                         # Results: a sequence of Result
    r["eq126"].verdict, r["eq126"].counterexample
    fa_proofs.verify_at("thm9", d="1/2", lam=1, eta="3/5", t=1)
    fa_proofs.list_claims()

Everything else -- the sub-modules (``fa_proofs.engine``, ``fa_proofs.sections``, ...) -- is the
implementation: usable, documented in the README's layout, but not a stable interface.
"""
__version__ = "0.3.0"

from ._api import ClaimInfo as ClaimInfo
from ._api import Result as Result
from ._api import Results as Results
from ._api import list_claims as list_claims
from ._api import verify as verify
from ._api import verify_at as verify_at
from .errors import UsageError as UsageError
from .verdicts import CheckResult as CheckResult
from .verdicts import Counterexample as Counterexample
from .verdicts import Evidence as Evidence
from .verdicts import Measure as Measure
from .verdicts import Status as Status
from .verdicts import Verdict as Verdict

__all__ = ["__version__", "verify", "verify_at", "list_claims", "Result", "Results", "ClaimInfo",
           "Verdict", "Status", "Evidence", "CheckResult", "Counterexample", "Measure",
           "UsageError"]
