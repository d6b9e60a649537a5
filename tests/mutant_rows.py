"""What the mutant tables of Sections 2-4 share: a row's claim with its mutated parts (and only
the checks that decide it), the certified failures of a result, and the expected outcome.

``expected`` is a verdict, ``"rejected"`` (at least one certified failure whose counterexample
parameters are exact strings that SymPy reads back), ``"rejected:<check>"`` (a failure of that
check) or ``"not corrected"`` (a wrong correction: neither held nor corrected, certified)."""
from __future__ import annotations

from dataclasses import replace

import sympy as sp

from fa_proofs.registry import get
from fa_proofs.verdicts import Status, Verdict


def certified_failures(result, check: str | None = None):
    """The certified failures (printed and corrected checks); each counterexample's parameters
    are exact strings that SymPy reads back."""
    fails = [c for c in result.checks + result.corrected_checks if c.status is Status.FAIL]
    for c in fails:
        assert c.counterexample is not None and c.counterexample.evidence.certified
        assert c.counterexample.params, c.name
        for k, v in c.counterexample.params.items():
            assert isinstance(v, str), (c.name, k, v)
            sp.sympify(v)                   # readable back as an exact value
    return [c for c in fails if check is None or c.name == check]


def describe(result) -> str:
    return "; ".join(f"{c.name}: {c.status.value}" for c in result.checks + result.corrected_checks)


def mutant(cid: str, parts: dict, only=None):
    """``get(cid)`` with ``parts`` replaced; with ``only`` (check names), just those checks and
    no correction, so that a row runs what decides it."""
    claim = get(cid).mutant(**parts)
    if only is not None:
        checks = tuple(c for c in claim.checks if c.name in only)
        assert {c.name for c in checks} == set(only), (cid, only)
        claim = replace(claim, checks=checks, correction=None)
    return claim


def assert_outcome(res, expected) -> None:
    if isinstance(expected, Verdict):
        assert res.verdict is expected, describe(res)
        if expected is Verdict.REFUTED:
            assert certified_failures(res)
    elif expected == "not corrected":
        assert res.verdict not in (Verdict.CORRECTED, Verdict.HOLDS), describe(res)
        assert certified_failures(res)
    else:
        check = expected.partition(":")[2] or None
        assert certified_failures(res, check), describe(res)
