"""The paper's sections, one sub-package each: its formulas (SymPy, each defined once) and claims.

:func:`load_all` imports every section's claims modules, which register their claims.
"""
import importlib

CLAIM_MODULES = (
    "fa_proofs.sections.shallow.matrix",     # Section 2: Proposition 1, (3)-(6)
    "fa_proofs.sections.shallow.theorem2",   # Section 2 and Appendix A.2: Theorem 2
    "fa_proofs.sections.shallow.theorem3",   # Appendix A.3: Theorem 3 and its cases
    "fa_proofs.sections.deep.matrix",        # Section 3: Proposition 4, (8)-(10)
    "fa_proofs.sections.deep.theorem5",      # Section 3 and Appendix B.2: Theorem 5 = 17
    "fa_proofs.sections.discrete.midpoint",  # Section 5.2 and Appendix D.1 (two layers)
    "fa_proofs.sections.discrete.layered",   # Section 5.2 and Appendix D.1 (L layers)
    "fa_proofs.sections.discrete.euler",     # Section 5.1 and Appendix D.2 (forward Euler)
)
_loaded = False


def load_all(modules=CLAIM_MODULES) -> None:
    for name in modules:
        importlib.import_module(name)
