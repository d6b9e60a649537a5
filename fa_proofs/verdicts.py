"""Verdicts: the outcome of one check, and how the checks of a claim combine into one verdict.

A check ends in one of three states: ``PASS``, ``FAIL`` or ``UNDECIDED``.  A ``FAIL`` must carry a
*certified* counterexample (exact rational, symbolic or interval arithmetic); a numerical failure
that could not be certified is ``UNDECIDED``, never a verdict.  A claim's verdict is

* ``holds``      every check passed;
* ``refuted``    a check failed with a certified counterexample and no correction was derived;
* ``corrected``  the printed statement failed (certified) and a corrected statement was derived
                 whose checks all pass; both are reported;
* ``undecided``  anything else (an integration failed, precision was too low, a failure could not
                 be certified, or a correction did not pass).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

import mpmath
import numpy as np
import sympy


class Verdict(str, enum.Enum):
    HOLDS = "holds"
    REFUTED = "refuted"
    CORRECTED = "corrected"
    UNDECIDED = "undecided"


class Status(str, enum.Enum):
    PASS = "pass"
    FAIL = "fail"
    UNDECIDED = "undecided"


def exact_str(value: Any) -> str:
    """An exact value written so that ``fractions.Fraction`` or SymPy can read it back."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a parameter value")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, float):
        return str(Fraction(value))
    if isinstance(value, np.floating):              # float32/float64: exact as a binary fraction
        return str(Fraction(float(value)))
    if isinstance(value, mpmath.mpf):
        man, exp = value.man_exp
        return str(Fraction(int(man)) * Fraction(2) ** int(exp))
    if isinstance(value, sympy.Basic) and value.is_number:
        if value.is_Float:
            return str(sympy.Rational(value))
        return str(value)                          # Rational, Integer or an exact expression
    raise TypeError(f"cannot write {value!r} ({type(value).__name__}) as an exact value")


@dataclass(frozen=True)
class Counterexample:
    """A certified counterexample: exact parameter values and what was certified, and how."""

    params: Mapping[str, str]
    description: str
    certified_by: str

    @staticmethod
    def of(params: Mapping[str, Any], description: str, certified_by: str) -> "Counterexample":
        return Counterexample({k: exact_str(v) for k, v in params.items()}, description, certified_by)

    def to_json(self) -> dict[str, Any]:
        return {"params": dict(self.params), "description": self.description,
                "certified_by": self.certified_by}


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    detail: str
    counterexample: Counterexample | None = None

    def __post_init__(self) -> None:
        if self.status is Status.FAIL and self.counterexample is None:
            raise ValueError(f"check {self.name!r}: a failure needs a certified counterexample")

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status.value, "detail": self.detail,
                "counterexample": None if self.counterexample is None
                else self.counterexample.to_json()}


def passed(name: str, detail: str = "") -> CheckResult:
    return CheckResult(name, Status.PASS, detail)


def failed(name: str, detail: str, counterexample: Counterexample) -> CheckResult:
    return CheckResult(name, Status.FAIL, detail, counterexample)


def undecided(name: str, detail: str) -> CheckResult:
    return CheckResult(name, Status.UNDECIDED, detail)


def check_all(name: str, results: list[CheckResult], detail: str = "") -> CheckResult:
    """Fold several results of one kind into one: the first failure, else the first undecided."""
    for status in (Status.FAIL, Status.UNDECIDED):
        for r in results:
            if r.status is status:
                return CheckResult(name, status, f"{r.name}: {r.detail}", r.counterexample)
    return passed(name, detail or f"{len(results)} cases passed")


@dataclass
class Outcome:
    """What a claim's verification function returns."""

    checks: list[CheckResult]
    correction: str | None = None
    corrected_checks: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def verdict(self) -> Verdict:
        fails = [c for c in self.checks if c.status is Status.FAIL]
        if fails:
            if self.correction is not None and self.corrected_checks and all(
                    c.status is Status.PASS for c in self.corrected_checks):
                return Verdict.CORRECTED
            if self.correction is not None:
                return Verdict.UNDECIDED  # a correction was proposed but did not pass
            return Verdict.REFUTED
        if any(c.status is not Status.PASS for c in self.checks) or not self.checks:
            return Verdict.UNDECIDED
        return Verdict.HOLDS

    def counterexample(self) -> Counterexample | None:
        for c in self.checks:
            if c.status is Status.FAIL:
                return c.counterexample
        return None
