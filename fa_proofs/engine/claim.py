"""A claim is data: its statement (named SymPy parts with their paper labels), its domain, its
checks and its correction.

* :class:`Statement` -- the named parts of a printed statement (``Part(value, label)``); a mutant is
  ``claim.mutant(bound=...)``, which replaces a part and runs the *same* checks;
* :class:`Check` -- a function ``fn(statement, points, run)`` returning one or more typed
  :class:`~fa_proofs.verdicts.CheckResult`; it never samples: the engine hands it the points (the
  claim's samples in ``verify``, the user's point with ``--at``, a counterexample's in ``replay``);
* :class:`Correction` -- the parts that replace the printed ones, and the checks of the result;
* :class:`Finding` -- a computed note (e.g. how sharp a step-size bound is), sample runs only.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from ..domains import Domain, Point
from ..profiles import Profile
from ..verdicts import CheckResult

if TYPE_CHECKING:  # pragma: no cover
    from .run import Run


@dataclass(frozen=True)
class Part:
    """One named part of a statement: a SymPy expression (or any value a check reads: a tuple of
    signs, a function building an implicit solution, ...) and its paper label, e.g. '(126)'."""

    value: Any
    label: str = ""
    doc: str = ""


class Statement(Mapping[str, Any]):
    """Named parts; ``statement[name]`` is the part's value."""

    def __init__(self, parts: Mapping[str, Part | Any] | None = None):
        self._parts: dict[str, Part] = {k: v if isinstance(v, Part) else Part(v)
                                        for k, v in (parts or {}).items()}

    def __getitem__(self, name: str) -> Any:
        try:
            return self._parts[name].value
        except KeyError:
            raise KeyError(f"the statement has no part {name!r} (parts: "
                           f"{', '.join(self._parts)})") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)

    def part(self, name: str) -> Part:
        return self._parts[name]

    def replace(self, **values: Any) -> "Statement":
        """A copy with some parts' values replaced (labels kept); unknown names are refused."""
        new = dict(self._parts)
        for k, v in values.items():
            if k not in new:
                raise KeyError(f"the statement has no part {k!r} (parts: {', '.join(new)})")
            new[k] = replace(new[k], value=v.value if isinstance(v, Part) else v)
        return Statement(new)

    def extend(self, **values: Any) -> "Statement":
        """A copy with parts replaced or added (a correction may state what the printed
        statement left implicit, e.g. an explicit constant)."""
        new = dict(self._parts)
        for k, v in values.items():
            new[k] = v if isinstance(v, Part) else (replace(new[k], value=v) if k in new
                                                    else Part(v))
        return Statement(new)

    def __repr__(self) -> str:
        return f"Statement({', '.join(self._parts)})"


Samples = int | Callable[[Profile], int] | None
CheckFn = Callable[[Statement, list[Point], "Run"], "CheckResult | Sequence[CheckResult]"]


@dataclass(frozen=True)
class Check:
    """A check of a statement at points.

    * ``samples``: how many points ``verify`` draws for it (an int, a function of the profile, 0
      when it needs no points, e.g. a symbolic proof; None: the claim's default);
    * ``domain``: a sub-domain to sample from (default: the claim's); ``key``: the name of the
      sample stream (checks with the same domain, key and count share their points; default
      the claim id);
    * ``applies``: where the check applies (with ``--at``, a point outside it skips the check)."""

    name: str
    fn: CheckFn
    samples: Samples = None
    domain: Domain | None = None
    key: str | None = None
    applies: Callable[[Point], bool] | None = None


@dataclass(frozen=True)
class Finding:
    """A computed note, written into the report of a sampled run (not with ``--at``)."""

    name: str
    fn: Callable[[Statement, list[Point], "Run"], str]
    samples: Samples = None
    domain: Domain | None = None
    key: str | None = None


@dataclass(frozen=True)
class Correction:
    """A corrected statement: ``parts`` replace the printed ones; ``checks`` run on the result;
    ``text(statement)`` says what the correction is."""

    text: Callable[[Statement], str] | str
    parts: Mapping[str, Any]
    checks: tuple[Check, ...]

    def describe(self, statement: Statement) -> str:
        return self.text(statement) if callable(self.text) else self.text


@dataclass(frozen=True)
class Formula:
    """A derived formula for the LaTeX report, tied to the paper's equation number."""

    label: str
    description: str
    latex: Callable[[], str]       # sympy.latex of the one SymPy definition


def _default_samples(profile: Profile) -> int:
    return max(12, profile.samples // 25)


@dataclass(frozen=True)
class Claim:
    """A claim of the paper under its label (see the module doc).  ``statement`` is the short
    prose of ``fa-proofs list`` and the JSON; ``parts`` the statement as SymPy; ``uses`` the
    labels of the claims its proof rests on; ``cost`` a rough time in seconds (profile ci), used
    to schedule parallel runs (longest first)."""

    id: str
    title: str
    location: str
    statement: str
    parts: Statement
    domain: Domain
    checks: tuple[Check, ...]
    correction: Correction | None = None
    aliases: tuple[str, ...] = ()
    formulas: tuple[Formula, ...] = ()
    uses: tuple[str, ...] = ()
    notes: tuple[str | Finding, ...] = ()
    samples: Callable[[Profile], int] = _default_samples
    cost: float = 1.0

    def __post_init__(self) -> None:
        names = [c.name for c in self.checks]
        if self.correction is not None:
            names += [c.name for c in self.correction.checks]
        for n in names:
            if not n:
                raise ValueError(f"{self.id}: a check needs a name")

    @property
    def has_params(self) -> bool:
        return bool(self.domain.params)

    def corrected_parts(self) -> Statement:
        if self.correction is None:
            raise ValueError(f"{self.id} has no correction")
        return self.parts.extend(**self.correction.parts)

    # -- variants (mutant tests) ------------------------------------------------------------
    def mutant(self, **parts: Any) -> "Claim":
        """The same claim with some printed parts replaced (the correction keeps its own)."""
        new = self.parts.replace(**parts)
        corr = self.correction
        if corr is not None:
            # the correction overrides only the parts it names; the others follow the mutant
            corr = replace(corr, parts=dict(corr.parts))
        return replace(self, parts=new, correction=corr)

    def with_correction(self, **parts: Any) -> "Claim":
        """The same claim with some of the correction's parts replaced."""
        if self.correction is None:
            raise ValueError(f"{self.id} has no correction")
        new = dict(self.correction.parts)
        for k, v in parts.items():
            if k not in new:
                raise KeyError(f"the correction of {self.id} has no part {k!r}")
            new[k] = v
        return replace(self, correction=replace(self.correction, parts=new))

    def without_correction(self) -> "Claim":
        return replace(self, correction=None)

    def check(self, name: str, variant: str | None = None) -> tuple[Check, str]:
        """The check called ``name`` and its variant ('printed' or 'corrected'; any if None)."""
        if variant in (None, "printed"):
            for c in self.checks:
                if c.name == name:
                    return c, "printed"
        if variant in (None, "corrected") and self.correction is not None:
            for c in self.correction.checks:
                if c.name == name:
                    return c, "corrected"
        raise KeyError(f"{self.id} has no {variant or ''} check {name!r}".replace("  ", " "))

    def statement_of(self, variant: str) -> Statement:
        return self.parts if variant == "printed" else self.corrected_parts()


__all__ = ["Part", "Statement", "Check", "Finding", "Correction", "Formula", "Claim"]
