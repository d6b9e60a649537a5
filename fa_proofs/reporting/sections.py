"""Grouping claims by the paper's sections and each claim's LaTeX (from :mod:`fa_proofs.latex`,
the one place where statements become LaTeX)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _latex_tables():
    from .. import latex
    return latex._forms(), latex._derived()


def claim_latex(cid: str) -> str:
    from .. import latex
    from ..registry import get
    forms, derived = _latex_tables()
    return latex.claim_section(get(cid), forms, derived, None)


def group_by_section(entries):
    from .. import latex
    groups: list[tuple[str, list]] = []
    current = None
    for e in entries:
        n = latex._section_of(e.location)
        if n != current:
            groups.append((latex._section_title(n), []))
            current = n
        groups[-1][1].append(e)
    return groups
