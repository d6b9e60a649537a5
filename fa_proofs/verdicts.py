"""Verdicts: the typed outcome of one check, and how the checks of a claim combine into a verdict.

A check ends in ``PASS``, ``FAIL`` or ``UNDECIDED``.  A ``FAIL`` must carry a *certified*
counterexample (exact rational, symbolic or ball arithmetic); a numerical failure that could not
be certified is ``UNDECIDED``, never a verdict.  Every result says what kind of evidence it is
(:class:`Evidence`, strongest first), how many points and steps it covered, and its measure
(the worst ratio actual/stated, where it occurred, the tolerance if any).  No prose is written
here: :mod:`fa_proofs.report` turns results into text.

A claim's verdict is

* ``holds``      every check passed;
* ``refuted``    a check failed with a certified counterexample and no correction was derived;
* ``corrected``  the printed statement failed (certified) and a corrected statement was derived
                 whose checks all pass; both are reported;
* ``undecided``  anything else (an integration failed, precision was too low, a failure could not
                 be certified, or a correction did not pass).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence


class Verdict(str, enum.Enum):
    HOLDS = "holds"
    REFUTED = "refuted"
    CORRECTED = "corrected"
    UNDECIDED = "undecided"


class Status(str, enum.Enum):
    PASS = "pass"
    FAIL = "fail"
    UNDECIDED = "undecided"


class Evidence(str, enum.Enum):
    """The kind of evidence behind a check, strongest first."""

    SYMBOLIC = "symbolic proof"
    DOMAIN = "certified over the whole domain"
    EXACT = "exact rational arithmetic"
    BALL = "ball arithmetic"
    MP = "high-precision numerics"
    FLOAT = "double-precision numerics"

    @property
    def rank(self) -> int:
        """0 for the strongest kind."""
        return list(Evidence).index(self)

    @property
    def certified(self) -> bool:
        return self.rank <= Evidence.BALL.rank


@dataclass(frozen=True)
class Measure:
    """A number that says how a check went: e.g. ``quantity="max lhs/rhs"`` (a bound's
    tightness), ``"relative error"``, ``"drift"``, with where it occurred (an exact point, maybe
    with ``t``) and the tolerance it was held to (numerical checks only)."""

    quantity: str
    value: float | None
    at: Mapping[str, str] | None = None
    tolerance: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"quantity": self.quantity, "value": self.value,
                "at": None if self.at is None else dict(self.at), "tolerance": self.tolerance}


@dataclass(frozen=True)
class Counterexample:
    """A certified counterexample: the exact parameter point (``params``, exact strings), the
    certified values that show the failure (``values``: e.g. actual and stated, as balls or
    exact numbers), and how it was certified.  ``claim``, ``check`` and ``variant`` ('printed'
    or 'corrected') say what to replay; ``found`` is the search point before shrinking."""

    params: Mapping[str, str]
    relation: str
    values: Mapping[str, str]
    evidence: Evidence
    claim: str | None = None
    check: str | None = None
    variant: str | None = None
    found: Mapping[str, str] | None = None

    @staticmethod
    def of(params: Mapping[str, Any], relation: str, values: Mapping[str, Any] | None = None,
           evidence: Evidence = Evidence.BALL) -> "Counterexample":
        from .arith import exact_str
        return Counterexample({k: exact_str(v) for k, v in params.items()}, relation,
                              {k: str(v) for k, v in (values or {}).items()}, evidence)

    def locate(self, claim: str, check: str, variant: str) -> "Counterexample":
        return replace(self, claim=claim, check=check, variant=variant)

    @property
    def description(self) -> str:
        vals = ", ".join(f"{k} = {v}" for k, v in self.values.items())
        return f"{self.relation}{': ' + vals if vals else ''}"

    @property
    def certified_by(self) -> str:
        return self.evidence.value

    def to_json(self) -> dict[str, Any]:
        return {"params": dict(self.params), "description": self.description,
                "certified_by": self.certified_by, "relation": self.relation,
                "values": dict(self.values), "evidence": self.evidence.value,
                "claim": self.claim, "check": self.check, "variant": self.variant,
                "found": None if self.found is None else dict(self.found)}


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome.  ``what`` is the relation checked (a formula); ``points`` the exact
    points, orbits or trajectories covered (0 for a proof over the whole domain); ``steps`` the
    orbit steps covered; ``note`` a fact that has no typed field; ``certificate`` the data of a
    proof over the whole domain (:mod:`fa_proofs.certificates`), re-checked by ``replay``."""

    name: str
    status: Status
    evidence: Evidence
    what: str = ""
    points: int = 0
    steps: int = 0
    measure: Measure | None = None
    note: str = ""
    counterexample: Counterexample | None = None
    certificate: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.status is Status.FAIL:
            if self.counterexample is None:
                raise ValueError(f"check {self.name!r}: a failure needs a certified "
                                 "counterexample")
            if not self.counterexample.evidence.certified:
                raise ValueError(f"check {self.name!r}: a failure needs certified evidence")

    def renamed(self, name: str) -> "CheckResult":
        return replace(self, name=name)

    def to_json(self) -> dict[str, Any]:
        from .report import describe_check
        return {"name": self.name, "status": self.status.value, "detail": describe_check(self),
                "evidence": self.evidence.value, "what": self.what, "points": self.points,
                "steps": self.steps, "measure": None if self.measure is None
                else self.measure.to_json(), "note": self.note,
                "counterexample": None if self.counterexample is None
                else self.counterexample.to_json(),
                **({} if self.certificate is None else {"certificate": dict(self.certificate)})}


def passed(name: str, evidence: Evidence, what: str = "", **kw) -> CheckResult:
    return CheckResult(name, Status.PASS, evidence, what, **kw)


def failed(name: str, evidence: Evidence, what: str, counterexample: Counterexample,
           **kw) -> CheckResult:
    return CheckResult(name, Status.FAIL, evidence, what, counterexample=counterexample, **kw)


def undecided(name: str, evidence: Evidence, what: str = "", **kw) -> CheckResult:
    return CheckResult(name, Status.UNDECIDED, evidence, what, **kw)


def check_all(name: str, results: Sequence[CheckResult], what: str = "") -> CheckResult:
    """Fold several results of one kind into one: the first failure, else the first undecided,
    else a pass with the weakest evidence and the summed coverage."""
    for status in (Status.FAIL, Status.UNDECIDED):
        for r in results:
            if r.status is status:
                return replace(r, name=name, what=r.what or what,
                               note=(f"{r.name}: {r.note}" if r.note else r.name))
    weakest = max((r.evidence for r in results), key=lambda e: e.rank, default=Evidence.SYMBOLIC)
    return passed(name, weakest, what or "; ".join(dict.fromkeys(r.what for r in results if r.what)),
                  points=sum(r.points for r in results), steps=sum(r.steps for r in results),
                  note=f"{len(results)} parts")


def combine(checks: Sequence[CheckResult], corrected_checks: Sequence[CheckResult],
            has_correction: bool) -> Verdict:
    """The verdict rule of the module doc."""
    if any(c.status is Status.FAIL for c in checks):
        if has_correction:
            if corrected_checks and all(c.status is Status.PASS for c in corrected_checks):
                return Verdict.CORRECTED
            return Verdict.UNDECIDED       # a correction was proposed but did not pass
        return Verdict.REFUTED
    if not checks or any(c.status is not Status.PASS for c in checks):
        return Verdict.UNDECIDED
    return Verdict.HOLDS


def first_counterexample(checks: Sequence[CheckResult]) -> Counterexample | None:
    for c in checks:
        if c.status is Status.FAIL:
            return c.counterexample
    return None


@dataclass
class Outcome:
    """The results of one claim's checks (printed statement and correction)."""

    checks: list[CheckResult]
    correction: str | None = None
    corrected_checks: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def verdict(self) -> Verdict:
        return combine(self.checks, self.corrected_checks, self.correction is not None)

    def counterexample(self) -> Counterexample | None:
        return first_counterexample(self.checks)
