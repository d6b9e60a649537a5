"""Running a claim: in a sampled run (``verify``), at one point (``--at``), or for one check at a
counterexample's point (``replay``, shrinking).  Every mode goes through :func:`evaluate`.

The engine draws the points (a check never samples), runs each check inside the ambient ball
precision (so results do not depend on what ran before in the process), turns an exception
inside a check into ``undecided`` (never a pass), attaches to each counterexample the claim, check
and variant that produced it, and shrinks it to the simplest point the suite can certify
(:mod:`fa_proofs.engine.shrink`).
"""
from __future__ import annotations

import hashlib
import time
import traceback
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

import numpy as np

from ..arith import Ball
from ..domains import Domain, Point, point_str
from ..profiles import Profile
from ..verdicts import (CheckResult, Evidence, Status, Verdict, combine, first_counterexample,
                        undecided)
from .claim import Check, Claim, Finding, Samples, Statement

AMBIENT_PREC = 128     # the ball precision every check starts in


@dataclass
class Run:
    """Everything a check may depend on: the profile, the seed, and the mode.  ``at`` is the
    user's (validated) point in an ``--at`` run, None in a sampled run; ``outside`` marks a point
    beyond the claim's hypotheses."""

    profile: Profile
    seed: int = 0
    at: Point | None = None
    outside: bool = False
    shrink: bool = True
    prec: int | None = None             # a floor for the working precision of certified orbits
    claim: Claim | None = None          # the claim being run (set by the engine)
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def rng(self, key: str) -> np.random.Generator:
        """A generator seeded from (seed, key): a claim's samples do not depend on what else
        runs, nor on the order or process it runs in."""
        digest = hashlib.sha256(f"{self.seed}:{key}".encode()).digest()
        return np.random.default_rng(int.from_bytes(digest[:8], "little"))

    @property
    def sampled(self) -> bool:
        return self.at is None

    def env(self, point: Mapping[str, Any]) -> dict:
        """A point of the running claim's domain as SymPy substitutions."""
        return self.claim.domain.env(point)

    def names(self) -> dict:
        """Symbol -> parameter name of the running claim's domain (for counterexamples)."""
        return self.claim.domain.symbols()

    @property
    def at_env(self) -> dict | None:
        """The user's point as SymPy substitutions (None in a sampled run)."""
        return None if self.at is None else self.env(self.at)

    def count(self, samples: Samples, claim: Claim) -> int:
        if samples is None:
            return claim.samples(self.profile)
        if callable(samples):
            return int(samples(self.profile))
        return int(samples)

    def points(self, claim: Claim, statement: Statement, samples: Samples,
               domain: Domain | None, key: str | None) -> list[Point]:
        """The points a check (or finding) gets: sampled (shared by checks with the same domain,
        key and count), or the user's point with its swept parameters completed."""
        n = self.count(samples, claim)
        if self.at is not None:
            dom = claim.domain
            sweep = min(max(n, 1), 16)
            ck = ("at", claim.id, dom.name, sweep, id(statement),
                  tuple(sorted(point_str(self.at).items())))
            if ck not in self._cache or self._cache[ck][0] is not statement:
                self._cache[ck] = (statement, dom.complete(self.at, self.rng(f"{claim.id}/at"),
                                                           sweep, statement))
            return [dict(p) for p in self._cache[ck][1]]
        if n == 0:
            return []
        dom = domain or claim.domain
        ck = (dom.name, key or claim.id, n, id(statement))
        # the statement is kept with its points: an id is only unique while its object lives
        if ck not in self._cache or self._cache[ck][0] is not statement:
            self._cache[ck] = (statement, dom.sample(self.rng(key or claim.id), n, statement))
        return [dict(p) for p in self._cache[ck][1]]


@dataclass
class ClaimResult:
    """The typed result of one claim (picklable: no functions, so parallel workers return it)."""

    id: str
    title: str
    location: str
    statement: str
    aliases: tuple[str, ...]
    checks: list[CheckResult]
    correction: str | None
    corrected_checks: list[CheckResult]
    notes: list[str]
    seconds: float
    at: dict[str, str] | None = None
    outside: bool = False

    @property
    def verdict(self) -> Verdict:
        return combine(self.checks, self.corrected_checks, self.correction is not None)

    def counterexample(self):
        return first_counterexample(self.checks)

    def to_json(self) -> dict[str, Any]:
        cx = self.counterexample()
        out = {
            "id": self.id, "aliases": list(self.aliases), "title": self.title,
            "location": self.location, "verdict": self.verdict.value,
            "statement": " ".join(self.statement.split()),
            "correction": self.correction if self.verdict is Verdict.CORRECTED else None,
            "proposed_correction": self.correction,
            "counterexample": None if cx is None else cx.to_json(),
            "evidence": strongest_evidence(self.checks),
            "corrected_evidence": strongest_evidence(self.corrected_checks),
            "checks": [c.to_json() for c in self.checks],
            "corrected_checks": [c.to_json() for c in self.corrected_checks],
            "notes": list(self.notes),
        }
        if self.at is not None:
            out["at"] = dict(self.at)
            out["outside"] = self.outside
        return out


def strongest_evidence(checks: Sequence[CheckResult]) -> str | None:
    """The weakest evidence among the passing checks: what the verdict 'holds' rests on.  When
    every check passed, a check that a proof over the whole domain covers (its certificate's
    ``covers``: the sampled checks of the same statement, which then only corroborate it) does
    not count, so a claim proved by symbolic and whole-domain proofs alone gets 'certified over
    the whole domain'."""
    kinds = [c.evidence for c in checks if c.status is Status.PASS]
    if not kinds:
        return None
    if len(kinds) == len(checks):
        covered = {n for c in checks if c.evidence is Evidence.DOMAIN and c.certificate
                   is not None for n in c.certificate.get("covers", ())}

        def is_covered(c: CheckResult) -> bool:
            return any(c.name == n or c.name.startswith(n + ", ") for n in covered)
        kinds = [c.evidence for c in checks if not is_covered(c)]
    return max(kinds, key=lambda e: e.rank).value


def run_check(claim: Claim, check: Check, statement: Statement, variant: str, run: Run,
              points: list[Point] | None = None) -> list[CheckResult]:
    """One check's results, each counterexample located (claim, check, variant)."""
    run.claim = claim
    try:
        if points is None:
            points = run.points(claim, statement, check.samples, check.domain, check.key)
            if run.at is not None and check.applies is not None:
                points = [p for p in points if check.applies(p)]
                if not points:
                    return []
        with Ball(AMBIENT_PREC).workprec():
            out = check.fn(statement, points, run)
    except Exception as exc:  # noqa: BLE001 - reported as undecided, with the reason
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        return [undecided(check.name, Evidence.FLOAT, note=f"the check raised {type(exc).__name__}:"
                          f" {exc} ({tb.filename.rsplit('/', 1)[-1]}:{tb.lineno})")]
    results = [out] if isinstance(out, CheckResult) else list(out)
    return [replace(r, counterexample=r.counterexample.locate(claim.id, check.name, variant))
            if r.counterexample is not None else r for r in results]


def _finding(claim: Claim, f: Finding, statement: Statement, run: Run) -> str | None:
    run.claim = claim
    try:
        pts = run.points(claim, statement, f.samples, f.domain, f.key)
        with Ball(AMBIENT_PREC).workprec():
            return f.fn(statement, pts, run)
    except Exception as exc:  # noqa: BLE001
        return f"{f.name}: not computed ({type(exc).__name__}: {exc})"


def evaluate(claim: Claim, run: Run) -> ClaimResult:
    """Every check of the printed statement and of the correction (if any), then the notes;
    counterexamples shrunk when ``run.shrink``."""
    from .shrink import shrink_result
    start = time.perf_counter()
    checks = [r for c in claim.checks for r in run_check(claim, c, claim.parts, "printed", run)]
    correction, corrected = None, []
    if claim.correction is not None:
        st = claim.corrected_parts()
        correction = claim.correction.describe(st)
        corrected = [r for c in claim.correction.checks
                     for r in run_check(claim, c, st, "corrected", run)]
    if run.at is not None and not checks:
        checks = [undecided("no check applies", Evidence.SYMBOLIC, note="the point lies outside "
                            "every case the statement covers (e.g. at an equilibrium a sign "
                            "table leaves out)")]
    if run.shrink:
        checks = [shrink_result(claim, r, run) for r in checks]
        corrected = [shrink_result(claim, r, run) for r in corrected]
    notes = []
    for n in claim.notes:
        if isinstance(n, str):
            notes.append(n)
        elif run.sampled:
            text = _finding(claim, n, claim.parts, run)
            if text:
                notes.append(text)
    return ClaimResult(claim.id, claim.title, claim.location, claim.statement, claim.aliases,
                       checks, correction, corrected, notes, time.perf_counter() - start,
                       None if run.at is None else point_str(run.at), run.outside)


def evaluate_at(claim: Claim, raw: Mapping[str, str], profile: Profile, seed: int = 0,
                outside: bool = False, shrink: bool = False) -> ClaimResult:
    """``verify ID --at name=value ...``: the point validated against the claim's domain and
    hypotheses (UsageError otherwise, unless ``outside``), then every check at it."""
    from ..errors import UsageError
    if not claim.has_params:
        raise UsageError(f"{claim.id} has no parameters: it is checked as a whole "
                         f"('fa-proofs verify {claim.id}')")
    point = claim.domain.validate(raw, claim.parts, outside=outside)
    # the user asked about this point: a failure is reported there (at its first failing step),
    # not moved to a simpler point
    return evaluate(claim, Run(profile, seed, at=point, outside=outside, shrink=shrink))
