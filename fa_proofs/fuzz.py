"""Fuzz campaigns (``fa-proofs fuzz``): search each chosen claim's domain for counterexamples,
certify, shrink and save them.

A campaign runs every check of a claim (the printed statement's and the correction's) for a
budget of seconds, alternating two searches, both over the claim's exact domain
(:class:`fa_proofs.domains.Domain`, the same draw function ``verify`` samples from):

* **batched sweeps**: a batch of random points (drawn with NumPy from (seed, claim, check,
  round); 1, 2, 4, ... points) handed to the check at once, as ``verify`` does, so that
  vectorised simulators and orbit checks run a batch in one go; orbits are followed to
  ``t`` = 2, 8, 32, ..., 2048 steps first, then to 64 steps and to the check's full horizon in
  turn (so an early failure costs a few steps and a late one is still reached);
* **Hypothesis**: points drawn on integer grids (:meth:`Domain.strategy`), with ``target()`` on
  the check's margin (its largest actual/stated ratio, or its measure over its tolerance), so the
  search climbs towards violations (orbits to 64 steps and to the full horizon in turn).

A check never passes a failure it cannot certify (:mod:`fa_proofs.verdicts`): a failure it
reports is certified (exact, symbolic or ball arithmetic).  The campaign re-certifies it with the
claim's own check at its exact point (as ``replay`` does), shrinks it to the simplest point that
still fails certified (:mod:`fa_proofs.engine.shrink`), re-certifies the shrunk point, and only
then reports it.  A check that ends ``undecided`` at a point is a *candidate* (reported as such,
never as a counterexample).

A claim the suite finds true must survive its budget; the printed statement of a claim the suite
corrects (it has a correction) or refutes (an erratum names it) is expected to fall. The exit code
says whether the campaigns agree with the suite: 0 if they do, 1 if a true statement fell, a false
one survived, or a found failure did not replay. A check that ends ``undecided`` at some points
(e.g. a symbolic residual that one point cannot separate from 0) is printed and counted, not a
disagreement.
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .engine.claim import Check, Claim
from .engine.run import Run, run_check
from .profiles import Profile, get_profile
from .verdicts import CheckResult, Counterexample, Status

DEFAULT_BUDGET = 5.0      # seconds per claim
BATCH = 6                 # points per sweep batch (capped by the check's own sample count)
HYPOTHESIS_BURST = 8      # Hypothesis examples per turn


@dataclass
class Found:
    """A certified counterexample, found, re-certified, shrunk and re-certified."""

    claim: str
    check: str
    variant: str
    counterexample: Counterexample
    seconds: float                   # from the start of the campaign to the first finding
    via: str                         # 'sweep' or 'hypothesis'
    points: int                      # points tried until then

    def to_json(self) -> dict[str, Any]:
        out = self.counterexample.to_json()
        out.update(seconds_to_find=round(self.seconds, 3), found_by=self.via,
                   points_tried=self.points)
        return out


@dataclass
class Campaign:
    """The outcome of one claim's campaign."""

    claim: str
    expect_false: bool
    seconds: float = 0.0
    points: int = 0
    found: list[Found] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    uncertified: list[str] = field(default_factory=list)
    once: list[str] = field(default_factory=list)       # checks with no points (run once)

    @property
    def printed_fell(self) -> bool:
        return any(f.variant == "printed" for f in self.found)

    @property
    def corrected_fell(self) -> bool:
        return any(f.variant == "corrected" for f in self.found)

    @property
    def agrees(self) -> bool:
        if self.corrected_fell or self.uncertified:
            return False
        return self.printed_fell == self.expect_false

    @property
    def first_seconds(self) -> float | None:
        t = [f.seconds for f in self.found if f.variant == "printed"]
        return min(t) if t else None


def _margin(results: Sequence[CheckResult]) -> float | None:
    """How close a check came to failing: its largest actual/stated ratio (a bound), or its
    measure over its tolerance (a numerical check)."""
    best = None
    for r in results:
        m = r.measure
        if m is None or m.value is None:
            continue
        if m.quantity == "max lhs/rhs":
            v = float(m.value)
        elif m.tolerance:
            v = float(m.value) / float(m.tolerance)
        else:
            continue
        best = v if best is None else max(best, v)
    return best


class _Stop(Exception):
    pass


class _Hit(Exception):
    def __init__(self, result: CheckResult, point):
        self.result, self.point = result, point


class _Target:
    """One check of one claim under search."""

    def __init__(self, claim: Claim, check: Check, variant: str, profile: Profile, seed: int):
        self.claim, self.check, self.variant = claim, check, variant
        self.statement = claim.statement_of(variant)
        self.run = Run(profile, seed, shrink=False)
        self.count = self.run.count(check.samples, claim)
        self.domain = check.domain or claim.domain
        self.rounds = 0
        self.sweeps = 0
        self.bursts = 0
        self.drawn = 0
        self.done = False
        # a swept step count the checks iterate to themselves (Section 5's orbits)
        self.horizons = any(p.name == "t" and not p.drawn for p in self.domain.params)

    @property
    def label(self) -> str:
        return f"{self.claim.id} [{self.variant}] {self.check.name}"

    def evaluate(self, points) -> list[CheckResult]:
        return run_check(self.claim, self.check, self.statement, self.variant, self.run,
                         points=points)

    def sweep(self) -> tuple[list[CheckResult], list]:
        rng = self.run.rng(f"fuzz/{self.claim.id}/{self.variant}/{self.check.name}/"
                           f"{self.rounds}")
        # batches grow 1, 2, 4, ... up to BATCH: a statement false almost everywhere falls at
        # the cost of one point, a rarer failure gets the throughput of batches
        n = max(1, min(BATCH, self.count, 2 ** self.rounds))
        # the sample index continues across rounds, so that small batches still cycle through
        # the domain's regimes (e.g. step sizes at every share of the maximum)
        from .domains import RngSource
        src = RngSource(rng)
        pts = [self.domain.draw(src, self.drawn + k, {}, self.statement) for k in range(n)]
        self.drawn += n
        t = self.horizon(self.sweeps)
        if t is not None:
            pts = [dict(p, t=t) for p in pts]
        self.sweeps += 1
        self.rounds += 1
        return self.evaluate(pts), pts

    def horizon(self, k: int) -> int | None:
        """The last step an orbit is followed to in the k-th search (None: the check's own
        horizon): 2, 8, 32, ..., 2048 first, then a short and the full one in turn, so that a
        failure early in an orbit costs a few steps and a late one is still reached."""
        if not self.horizons:
            return None
        if k < 6:
            return 2 * 4 ** k
        return 64 if k % 2 == 0 else None

    def hypothesis(self, seed: int, deadline: float) -> tuple[list[CheckResult], list, int]:
        """A burst of Hypothesis examples climbing the margin; the first certified failure."""
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis import seed as hseed
        from hypothesis import target
        tried = [0]
        last: list = [[], []]
        horizon = 64 if self.horizons and self.bursts % 2 == 0 else None
        self.bursts += 1

        @hseed(seed + 7919 * self.rounds)
        @settings(max_examples=HYPOTHESIS_BURST, deadline=None, database=None,
                  phases=[Phase.generate, Phase.target], print_blob=False,
                  suppress_health_check=list(HealthCheck), derandomize=False)
        @given(self.domain.strategy(self.statement))
        def probe(point):
            if time.perf_counter() > deadline:
                raise _Stop
            if horizon is not None:
                point = dict(point, t=horizon)
            tried[0] += 1
            res = self.evaluate([point])
            last[0], last[1] = res, [point]
            if any(r.status is Status.FAIL for r in res):
                raise _Hit(res, point)
            m = _margin(res)
            if m is not None:
                target(m, label="margin")

        self.rounds += 1
        try:
            probe()
        except _Hit as hit:
            return hit.result, [hit.point], tried[0]
        except _Stop:
            pass
        return last[0], last[1], tried[0]


def _certify(t: _Target, result: CheckResult) -> Counterexample | None:
    """Re-certify at the exact point with the claim's own check, shrink, re-certify the shrunk
    point; the shrunk counterexample, or None if it does not replay."""
    from .engine.shrink import recheck, shrink_result
    cx = result.counterexample
    if cx is None:
        return None
    point = t.claim.domain.parse(cx.params)
    again = recheck(t.claim, cx, point, t.run)
    if again is None:
        return None
    shrunk = shrink_result(t.claim, result, t.run).counterexample
    spoint = t.claim.domain.parse(shrunk.params)
    final = recheck(t.claim, shrunk, spoint, t.run)
    if final is None:
        return None
    return shrunk if shrunk.found is not None else cx


def campaign(claim_id: str, budget: float, seed: int, profile: str = "ci",
             on_event: Callable[[str], None] | None = None, first: bool = False,
             printed_only: bool = False) -> Campaign:
    """One claim's campaign (module doc); ``on_event`` gets a line per finding; ``first``: stop
    at the first certified counterexample; ``printed_only``: leave the correction alone."""
    from .registry import get
    claim = get(claim_id)
    prof = get_profile(profile)
    from .report import ERRATA
    # expected to fall: a printed statement the suite corrects or refutes (an erratum names it)
    camp = Campaign(claim.id, claim.correction is not None or claim.id in ERRATA)
    targets = [_Target(claim, c, "printed", prof, seed) for c in claim.checks]
    if claim.correction is not None and not printed_only:
        targets += [_Target(claim, c, "corrected", prof, seed) for c in claim.correction.checks]
    say = on_event or (lambda s: None)
    start = time.perf_counter()
    deadline = start + budget
    turn = 0
    while time.perf_counter() < deadline and any(not t.done for t in targets):
        for t in targets:
            if t.done or time.perf_counter() >= deadline:
                continue
            if t.count == 0 or not t.claim.has_params:
                results, pts, via = t.evaluate([]), [], "once"
                t.done = True
                camp.once.append(t.check.name)
                n = 0
            elif turn % 2 == 0:
                results, pts = t.sweep()
                via, n = "sweep", len(pts)
            else:
                results, pts, n = t.hypothesis(seed, deadline)
                via = "hypothesis"
            camp.points += n
            fails = [r for r in results if r.status is Status.FAIL]
            if fails:
                found_at = time.perf_counter() - start
                say(f"{t.label}: violation found by {via} after {found_at:.2f} s: "
                    f"{fails[0].counterexample.description}")
                cx = _certify(t, fails[0])
                if cx is None:
                    camp.uncertified.append(f"{t.label}: {fails[0].counterexample.description}")
                    say(f"{t.label}: NOT re-certified at its point: reported as a candidate")
                else:
                    camp.found.append(Found(claim.id, t.check.name, t.variant, cx, found_at, via,
                                            camp.points))
                    pts_s = " ".join(f"{k}={v}" for k, v in cx.params.items())
                    say(f"{t.label}: certified ({cx.evidence.value}), shrunk to {pts_s}")
                t.done = True
                if first and camp.found:
                    for other in targets:
                        other.done = True
            for r in results:
                if r.status is Status.UNDECIDED:
                    line = f"{t.label}: undecided at a point (not a counterexample): " \
                           f"{r.note or r.what}"[:400]
                    if not camp.candidates:
                        say(line)
                    camp.candidates.append(line)
        turn += 1
    camp.seconds = time.perf_counter() - start
    return camp


def _work(claim_id: str, budget: float, seed: int, profile: str, first: bool = False
          ) -> Campaign:
    return campaign(claim_id, budget, seed, profile, first=first)


def run_campaigns(ids: Sequence[str], budget: float, seed: int, profile: str = "ci",
                  jobs: int = 1, executor=None,
                  on_done: Callable[[int, Campaign], None] | None = None,
                  on_event: Callable[[str], None] | None = None,
                  first: bool = False) -> list[Campaign]:
    """Campaigns for the claims ``ids``, here or on an executor (worker processes, a Dask
    cluster); results in the order of ``ids``."""
    out: list[Campaign | None] = [None] * len(ids)
    if executor is None and jobs <= 1:
        for i, cid in enumerate(ids):
            out[i] = campaign(cid, budget, seed, profile, on_event, first=first)
            if on_done:
                on_done(i, out[i])
        return out  # type: ignore[return-value]
    from concurrent.futures import ProcessPoolExecutor, as_completed
    import contextlib
    ctx = contextlib.nullcontext(executor) if executor is not None else ProcessPoolExecutor(jobs)
    with ctx as ex:
        futs = {ex.submit(_work, cid, budget, seed, profile, first): i
                for i, cid in enumerate(ids)}
        for f in as_completed(futs):
            i = futs[f]
            out[i] = f.result()
            if on_event:
                for line in out[i].candidates[:1]:
                    on_event(line)
                for fd in out[i].found:
                    on_event(f"{fd.claim} [{fd.variant}] {fd.check}: certified counterexample "
                             f"after {fd.seconds:.2f} s: "
                             + " ".join(f"{k}={v}" for k, v in fd.counterexample.params.items()))
            if on_done:
                on_done(i, out[i])
    return out  # type: ignore[return-value]


def save(path: str, campaigns: Sequence[Campaign], seed: int, budget: float) -> int:
    """Write the certified counterexamples in the format ``fa-proofs replay`` reads."""
    from . import __version__
    cxs = [f.to_json() for c in campaigns for f in c.found]
    doc = {"tool": "fa-proofs", "version": __version__, "kind": "fuzz", "seed": seed,
           "budget_seconds": budget, "counterexamples": cxs}
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=2)
    return len(cxs)


def fresh_seed() -> int:
    return int.from_bytes(os.urandom(4), "little")


def summary_lines(campaigns: Sequence[Campaign]) -> list[str]:
    w = max([len(c.claim) for c in campaigns] + [5])
    lines = [f"{'claim':<{w}}  {'expected':<8}  {'result':<34}  points  seconds"]
    for c in campaigns:
        if c.printed_fell:
            res = f"printed falls (first after {c.first_seconds:.2f} s)"
        else:
            res = "survives" + (" (no parameters: checked once)" if not c.points and c.once
                                else "")
        if c.corrected_fell:
            res += "; CORRECTION FALLS"
        if c.uncertified:
            res += f"; {len(c.uncertified)} uncertified"
        if c.candidates:
            res += f"; {len(c.candidates)} undecided"
        exp = "false" if c.expect_false else "true"
        flag = "" if c.agrees else "   <-- disagrees with the suite"
        lines.append(f"{c.claim:<{w}}  {exp:<8}  {res:<34}  {c.points:>6}  {c.seconds:7.1f}{flag}")
    n_false = sum(1 for c in campaigns if c.printed_fell)
    n_ok = sum(1 for c in campaigns if c.agrees)
    lines.append(f"{n_false} printed statement(s) refuted with certified counterexamples; "
                 f"{n_ok} of {len(campaigns)} campaigns agree with the suite's verdicts")
    return lines


def main(args) -> int:
    """``fa-proofs fuzz`` (see :mod:`fa_proofs.cli`)."""
    from .cli import _executor, _int, _Progress
    from .errors import UsageError
    from .registry import select
    from .report import emit
    if args.budget is None:
        budget = DEFAULT_BUDGET
    else:
        try:
            budget = float(args.budget)
        except ValueError:
            raise UsageError(f"--budget takes seconds, got {args.budget!r}") from None
        if not (0 < budget <= 86400):
            raise UsageError(f"--budget must be between 0 and 86400 seconds, got {args.budget}")
    seed = fresh_seed() if args.seed is None else _int(args.seed, "--seed", 0)
    jobs = 1 if args.jobs is None else _int(args.jobs, "-j", 1, 256)
    get_profile(args.profile)
    if args.save:
        try:
            with open(args.save, "a"):
                pass
        except OSError as exc:
            raise UsageError(f"cannot write {args.save}: {exc.strerror}") from None
    ids = [c.id for c in select(args.ids)]
    print(f"fa-proofs fuzz: {len(ids)} claim(s), {budget:g} s each, seed {seed} "
          f"(--seed {seed} repeats the draws)", file=sys.stderr)
    progress = _Progress(sys.stderr.isatty())
    done = [0]

    def on_done(i, c):
        done[0] += 1
        progress(done[0], len(ids), c.claim)

    def on_event(line):
        progress.clear()
        emit(line)

    with _executor(args, args.jobs is not None) as ex:
        camps = run_campaigns(ids, budget, seed, args.profile, jobs, ex, on_done, on_event,
                              first=args.first)
    progress.clear()
    emit("\n".join(summary_lines(camps)))
    if args.save:
        n = save(args.save, camps, seed, budget)
        emit(f"saved {n} certified counterexample(s) to {args.save}; "
             f"'fa-proofs replay {args.save}' re-certifies them")
    return 0 if all(c.agrees for c in camps) else 1
