"""The public Python API, re-exported by :mod:`fa_proofs`: run claims from a notebook or a script
and get typed results back.

    >>> import fa_proofs
    >>> r = fa_proofs.verify("eq126")
    >>> r["eq126"].verdict
    <Verdict.CORRECTED: 'corrected'>
    >>> print(r)                                # the table of ``fa-proofs verify``
    >>> p = fa_proofs.verify_at("thm9", d="1/2", lam=1, eta="3/5", t=1)
    >>> p.counterexample.params                 # exact strings
    {'d': '1/2', 'lam': '1', 'eta': '3/5', 't': '1'}

Importing :mod:`fa_proofs` is cheap: the claims are loaded on the first call.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterator, Mapping, Sequence, overload

from . import report
from .errors import UsageError
from .verdicts import CheckResult, Counterexample, Verdict

__all__ = ["ClaimInfo", "Result", "Results", "list_claims", "verify", "verify_at"]


@dataclass(frozen=True)
class ClaimInfo:
    """A claim of the paper as registered: its id (the paper's label), title, location, the
    statement in words, its aliases, the parameter names ``verify_at`` takes (``[t]``: may be
    left out, then swept), whether a correction is derived, and its erratum (``E1``...)."""

    id: str
    title: str
    location: str
    statement: str
    aliases: tuple[str, ...]
    parameters: str
    has_correction: bool
    erratum: str | None

    def __str__(self) -> str:
        alias = f" (alias {', '.join(self.aliases)})" if self.aliases else ""
        return f"{self.id}: {self.title} -- {self.location}{alias}"


@dataclass(frozen=True, repr=False)
class Result:
    """The result of one claim.

    ``verdict`` is a :class:`~fa_proofs.Verdict` (``holds``, ``refuted``, ``corrected``,
    ``undecided``); ``checks`` and ``corrected_checks`` are the typed results of the printed
    statement's checks and of the correction's (:class:`~fa_proofs.CheckResult`: ``status``,
    ``evidence``, ``points``, ``steps``, ``measure``, ``counterexample``); ``counterexample`` is
    the first certified one (exact ``params``); ``correction`` the corrected statement when the
    verdict is ``corrected`` (``proposed_correction``: whenever one is derived); ``erratum`` the
    entry of ``notes/errata.md``; ``reproduce`` the command that reruns an undecided claim at the
    case that failed.  ``str(result)`` is the verbose table of ``fa-proofs verify -v``."""

    id: str
    title: str
    location: str
    statement: str
    aliases: tuple[str, ...]
    verdict: Verdict
    checks: tuple[CheckResult, ...]
    corrected_checks: tuple[CheckResult, ...]
    correction: str | None
    proposed_correction: str | None
    counterexample: Counterexample | None
    notes: tuple[str, ...]
    erratum: str | None
    at: Mapping[str, str] | None
    outside: bool
    seconds: float
    profile: str
    seed: int
    _raw: Any = field(default=None, compare=False)

    @classmethod
    def _of(cls, raw, profile: str, seed: int) -> "Result":
        v = raw.verdict
        return cls(raw.id, raw.title, raw.location, " ".join(raw.statement.split()),
                   tuple(raw.aliases), v, tuple(raw.checks), tuple(raw.corrected_checks),
                   raw.correction if v is Verdict.CORRECTED else None, raw.correction,
                   raw.counterexample(), tuple(raw.notes), report.erratum(raw.id),
                   None if raw.at is None else dict(raw.at), raw.outside, raw.seconds,
                   profile, seed, raw)

    @property
    def decided(self) -> bool:
        return self.verdict is not Verdict.UNDECIDED

    @property
    def reproduce(self) -> str | None:
        import shlex
        words = report.reproduce(self._raw, self.profile, self.seed) if not self.decided \
            else None
        return None if words is None else shlex.join(words)

    def to_json(self) -> dict[str, Any]:
        """The claim's entry of ``fa-proofs verify --json``."""
        return report.claim_json(self._raw, self.profile, self.seed)

    def __str__(self) -> str:
        width = report.id_width([self.id])
        return "\n".join(report.table_rows(self._raw, width, True, profile=self.profile,
                                           seed=self.seed))

    def __repr__(self) -> str:
        e = f" ({self.erratum})" if self.erratum and self.verdict is not Verdict.HOLDS else ""
        at = "" if self.at is None else " at " + ", ".join(f"{k}={v}" for k, v in self.at.items())
        return f"<Result {self.id}{at}: {self.verdict.value}{e}>"

    def _repr_pretty_(self, p, cycle: bool) -> None:       # IPython / Jupyter
        p.text(repr(self) if cycle else str(self))


class Results(Sequence[Result]):
    """The results of several claims, in the paper's order: a sequence of :class:`Result`,
    also indexed by claim id or alias (``results["thm11"]`` is ``thm2``'s).  ``str(results)``
    is the table of ``fa-proofs verify``; ``to_json()`` its JSON document."""

    def __init__(self, results: Sequence[Result], profile: str, seed: int, seconds: float):
        self._results = tuple(results)
        self.profile = profile
        self.seed = seed
        self.seconds = seconds

    @overload
    def __getitem__(self, key: int | str) -> Result: ...

    @overload
    def __getitem__(self, key: slice) -> Sequence[Result]: ...

    def __getitem__(self, key):
        if isinstance(key, str):
            from .registry import canonical_id
            cid = canonical_id(key)
            for r in self._results:
                if r.id == cid:
                    return r
            raise KeyError(f"{key!r} is not among these results "
                           f"({', '.join(r.id for r in self._results)})")
        return self._results[key]

    def __len__(self) -> int:
        return len(self._results)

    def __iter__(self) -> Iterator[Result]:
        return iter(self._results)

    @property
    def verdicts(self) -> dict[str, Verdict]:
        return {r.id: r.verdict for r in self._results}

    @property
    def counts(self) -> dict[str, int]:
        """Claims per verdict (every verdict named)."""
        return report.counts(self._results)

    @property
    def decided(self) -> bool:
        """True when no verdict is undecided (``fa-proofs verify`` then exits with 0)."""
        return all(r.decided for r in self._results)

    @property
    def undecided(self) -> tuple[Result, ...]:
        return tuple(r for r in self._results if not r.decided)

    def to_json(self) -> dict[str, Any]:
        """The document of ``fa-proofs verify --json``."""
        return report.json_doc([r._raw for r in self._results], self.profile, self.seed,
                               self.seconds)

    def __str__(self) -> str:
        return report.to_table([r._raw for r in self._results], False, self.seconds,
                               self.profile, self.seed)

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {v}" for v, n in self.counts.items() if n)
        return (f"<Results: {report.plural(len(self), 'claim')}"
                f"{': ' + counts if counts else ''} (profile {self.profile}, seed {self.seed})>")

    def _repr_pretty_(self, p, cycle: bool) -> None:
        p.text(repr(self) if cycle else str(self))


def list_claims() -> list[ClaimInfo]:
    """Every claim, in the paper's order."""
    from .registry import all_claims
    return [ClaimInfo(c.id, c.title, c.location, " ".join(c.statement.split()), tuple(c.aliases),
                      c.domain.signature() if c.has_params else "", c.correction is not None,
                      report.erratum(c.id))
            for c in all_claims()]


def verify(*ids: str, profile: str = "ci", seed: int = 0, jobs: int = 1) -> Results:
    """Run the claims ``ids`` (paper labels or aliases; a claim brings its cases, ``thm3`` is
    ``thm3`` and ``thm3.*``; none: every claim) over the profile's sampled points, as
    ``fa-proofs verify`` does, in ``jobs`` worker processes.  Raises :class:`UsageError` for an
    unknown id or profile."""
    from .engine.parallel import run_claims
    from .profiles import get_profile
    from .registry import select
    prof = get_profile(profile)
    seed = _whole(seed, "seed", 0)
    jobs = _whole(jobs, "jobs", 1)
    start = time.perf_counter()
    claims = select(ids)
    raw = run_claims([c.id for c in claims], prof, seed, jobs)
    return Results([Result._of(r, prof.name, seed) for r in raw], prof.name, seed,
                   time.perf_counter() - start)


def verify_at(claim_id: str, *, profile: str = "ci", seed: int = 0, outside: bool = False,
              **params: Any) -> Result:
    """Run every check of one claim at one exact point, as ``fa-proofs verify ID --at ...``.
    Values are exact: strings such as ``"1/3"``, ``"0.6"`` or ``"1e-3"``, ints, Fractions, or
    SymPy numbers and matrices.  The point must satisfy the claim's hypotheses (else
    :class:`UsageError`) unless ``outside``; swept parameters (``t``, ``theta1_0``) may be left
    out."""
    from .engine.run import evaluate_at
    from .profiles import get_profile
    from .registry import canonical_id, get
    prof = get_profile(profile)
    seed = _whole(seed, "seed", 0)
    raw = evaluate_at(get(canonical_id(claim_id)), {k: _exact(k, v) for k, v in params.items()},
                      prof, seed, outside)
    return Result._of(raw, prof.name, seed)


def _whole(value: Any, name: str, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < lo:
        raise UsageError(f"{name} must be a whole number >= {lo}, got {value!r}")
    return value


def _exact(name: str, value: Any) -> str:
    if isinstance(value, float):
        raise UsageError(f"{name}: give an exact value (a string such as '0.1', an int or a "
                         f"Fraction), not the float {value!r}")
    if isinstance(value, (int, Fraction, str)):
        return str(value)
    return str(value)        # SymPy numbers and matrices print as sympify reads them back
