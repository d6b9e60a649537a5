"""Run the planted bugs of ``mutation/plants.py`` against the test suite (issue 14).

For each plant: copy the repository (its tracked files, as they are in the working tree) to a
temporary directory, apply the one replacement there, and run the default test command in the copy
with ``CI=true`` and ``PYTHONPATH`` pointing at the copy, so that the copy's ``fa_proofs`` is the
one imported (checked before any plant runs).  A plant is

* ``killed``   the suite went red (pytest exit code 1-4),
* ``SURVIVED`` the suite stayed green,
* ``timeout``  the run exceeded the per-plant timeout,
* ``error``    anything else (e.g. pytest collected no tests).

Usage (from the repository root)::

    python -m mutation.run                      # every plant, 2 at a time
    python -m mutation.run -j 4 --only seq-strict-ignored orbits-gap-sign
    python -m mutation.run --tests "tests/test_sequences.py"   # a subset of the suite, quickly
    python -m mutation.run --list               # the plants
    python -m mutation.run --self-check         # a planted syntax error must turn the suite red

Two stages (``--no-fast-first`` turns it off): each plant first runs, with ``-x``, the test
files of the default run that name the mutated module (and the contract and snapshot tests);
a red stage 1 is a kill by a test of the default run.  A plant that survives stage 1 then runs
the whole default suite, which alone can call it ``SURVIVED``.  (A test that fails alone fails
in the default run too, as long as tests do not depend on each other's side effects; the suite
keeps them independent: no shared state but read-only caches.)

The repository is copied once at the start (a snapshot), so edits made while the run goes on do
not mix into it.  The unmutated suite is run first on the snapshot (``--no-baseline`` skips it):
if it is red, no plant can be judged and the run stops.  One line per plant is printed as it
finishes, then a summary; the report is written to ``mutation/last-run.json``.

Exit code: 0 when every plant that should be killed (kind ``verdict``, ``unsound`` or ``report``)
was killed or timed out, 1 if one survived, 2 on a problem of the run itself (a plant whose
``old`` snippet is not found exactly once, a red baseline, the copy's package not imported, a
plant that ended in ``error``).
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as _dt
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):                      # python mutation/run.py
    sys.path.insert(0, str(ROOT))
from mutation.plants import KINDS, PLANTS, Plant, PlantError, apply, check  # noqa: E402

PYTEST = ["-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
MUST_DIE = ("verdict", "unsound", "report")
REPORT = ROOT / "mutation" / "last-run.json"

SYNTAX_ERROR = Plant("self-check-syntax-error", "fa_proofs/verdicts.py",
                     "class Verdict(str, enum.Enum):\n",
                     "class Verdict(str, enum.Enum)    # planted syntax error\n",
                     "a syntax error in the copy's package: must turn the suite red", "verdict")


# --- the copy ------------------------------------------------------------------------------------
def repo_files(untracked: bool) -> list[str]:
    cmd = ["git", "-C", str(ROOT), "ls-files", "-z", "--cached"]
    if untracked:
        cmd += ["--others", "--exclude-standard"]
    out = subprocess.run(cmd, check=True, capture_output=True).stdout.decode()
    return sorted({f for f in out.split("\0") if f})


def snapshot(dest: Path, files: list[str]) -> int:
    """Copy ``files`` (repo-relative) from the working tree to ``dest``; the number copied
    (tracked files deleted in the working tree are skipped)."""
    n = 0
    for rel in files:
        src = ROOT / rel
        if not src.is_file():
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
        n += 1
    return n


def env_for(copy: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["CI"] = "true"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    old = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(copy) + (os.pathsep + old if old else "")
    return env


def imported_from(copy: Path) -> str:
    """Where ``fa_proofs`` is imported from, run as the tests are run in ``copy``."""
    out = subprocess.run([sys.executable, "-c", "import fa_proofs; print(fa_proofs.__file__)"],
                         cwd=copy, env=env_for(copy), capture_output=True, text=True, timeout=300)
    return out.stdout.strip() or out.stderr.strip()


# --- stage 1: the tests that name the mutated module --------------------------------------------
TEST_DIRS = ("tests", "property_tests")


def first_tests(plant: Plant, copy: Path) -> list[str]:
    """The default run's test files that mention the module ``plant`` mutates (by its dotted
    name or its bare module name as an imported word), then the contract and snapshot tests."""
    rel = Path(plant.file).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    dotted = ".".join(parts)
    stem = parts[-1]
    word = re.compile(rf"(\b{re.escape(dotted)}\b|\bimport\b[^\n]*\b{re.escape(stem)}\b|"
                      rf"\.{re.escape(stem)}\b\s+import\b)")
    named = [f"{d}/{f.name}" for d in TEST_DIRS for f in sorted((copy / d).glob("test_*.py"))
             if word.search(f.read_text())]
    own = [t for t in named if Path(t).stem == f"test_{stem}"]
    # cheapest and most specific first (pytest runs the files in this order and -x stops at
    # the first failure): the module's own tests, the contracts, the other unit tests, the
    # snapshot (every claim), then the property tests
    order = own + ["tests/test_certifying_contracts.py"] + \
        [t for t in named if t.startswith("tests/")] + ["tests/test_claims_snapshot.py"] + \
        [t for t in named if not t.startswith("tests/")]
    return [t for t in dict.fromkeys(order) if (copy / t).is_file()]


# --- one run -------------------------------------------------------------------------------------
@dataclass
class Outcome:
    plant: Plant
    status: str = "error"
    seconds: float = 0.0
    rc: int | None = None
    failure: str | None = None
    tail: list[str] = field(default_factory=list)
    stage: int = 2             # 1: killed by the tests naming the module; 2: the whole suite

    def to_json(self) -> dict:
        return {**self.plant.to_json(), "status": self.status, "seconds": round(self.seconds, 1),
                "rc": self.rc, "first_failure": self.failure, "stage": self.stage,
                "tail": self.tail}


_RUNNING: set[subprocess.Popen] = set()
_LOCK = threading.Lock()


def first_failure(output: str) -> str | None:
    """The first failing test (or collection error) named in pytest's output."""
    m = re.search(r"^(?:FAILED|ERROR) (\S+)", output, re.M)
    if m:
        return m.group(1)
    if "while loading conftest" in output or "ImportError" in output or "SyntaxError" in output:
        errs = [ln.strip() for ln in output.splitlines() if ln.startswith("E ")]
        return "import error: " + (errs[-1][2:].strip() if errs else "(see tail)")
    m = re.search(r"^_{3,} (\S.*?) _{3,}$", output, re.M)
    return m.group(1) if m else None


def run_suite(copy: Path, test_args: list[str], timeout: float) -> tuple[int | None, str, float]:
    """pytest in ``copy``: (exit code or None on timeout, output, seconds)."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, *PYTEST, *test_args], cwd=copy, env=env_for(copy),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    with _LOCK:
        _RUNNING.add(proc)
    try:
        out, _ = proc.communicate(timeout=timeout)
        rc: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        _kill(proc)
        out, _ = proc.communicate()
        rc = None
    finally:
        with _LOCK:
            _RUNNING.discard(proc)
    return rc, out or "", time.monotonic() - start


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)        # the session started for this pytest only
    except (ProcessLookupError, PermissionError):
        pass


def run_plant(plant: Plant | None, pristine: Path, base: Path, test_args: list[str],
              timeout: float, keep: bool, fast_first: bool = False) -> Outcome:
    """The suite on a fresh copy of ``pristine`` with ``plant`` applied (None: unmutated);
    with ``fast_first``, the tests naming the mutated module first (see the module's doc)."""
    name = plant.id if plant is not None else "baseline"
    work = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=base))
    out = Outcome(plant or Plant("baseline", "", "", "", "the unmutated suite", "verdict"))
    try:
        shutil.copytree(pristine, work, dirs_exist_ok=True)
        if plant is not None:
            apply(plant, work)
        secs0 = 0.0
        if fast_first and plant is not None and not test_args:
            rc, text, secs0 = run_suite(work, first_tests(plant, work), timeout)
            if rc in (1, 2, 3, 4):
                out.rc, out.seconds, out.stage = rc, secs0, 1
                out.tail = text.rstrip().splitlines()[-20:]
                out.status, out.failure = "killed", first_failure(text)
                return out
        rc, text, secs = run_suite(work, test_args, max(timeout - secs0, 1.0))
        out.rc, out.seconds = rc, secs0 + secs
        lines = text.rstrip().splitlines()
        out.tail = lines[-20:]
        if rc is None:
            out.status = "timeout"
        elif rc == 0:
            out.status = "SURVIVED" if plant is not None else "passed"
        elif rc in (1, 2, 3, 4):
            out.status = "killed" if plant is not None else "failed"
            out.failure = first_failure(text)
        else:
            out.status = "error"
            out.failure = f"pytest exit code {rc}"
    except PlantError as exc:
        out.status, out.failure = "error", str(exc).splitlines()[0]
    except Exception as exc:  # noqa: BLE001 - a harness problem is reported, not raised
        out.status, out.failure = "error", f"{type(exc).__name__}: {exc}"
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    return out


def line(i: int, n: int, o: Outcome) -> str:
    w = len(str(n))
    fail = f"  {o.failure}" if o.failure else ""
    fail += "  (stage 1)" if o.status == "killed" and o.stage == 1 else ""
    return (f"[{i:>{w}}/{n}] {o.status:<8} {o.seconds:6.1f}s  {o.plant.kind:<10} "
            f"{o.plant.id}{fail}")


# --- summary -------------------------------------------------------------------------------------
def summarise(outcomes: list[Outcome]) -> list[str]:
    n = len(outcomes)
    count = lambda st, kinds=KINDS: sum(o.status == st and o.plant.kind in kinds for o in outcomes)  # noqa: E731
    must = [o for o in outcomes if o.plant.kind in MUST_DIE]
    eq = [o for o in outcomes if o.plant.kind == "equivalent"]
    out = [f"killed {count('killed')}/{n} plants ({count('SURVIVED')} survived, "
           f"{count('timeout')} timeout, {count('error')} error)"]
    if must:
        out.append(f"  non-equivalent: killed {count('killed', MUST_DIE)}/{len(must)}")
    for kind in KINDS:
        group = [o for o in outcomes if o.plant.kind == kind]
        if group:
            out.append(f"  {kind:<10} {len(group):3d} plants: "
                       f"{sum(o.status == 'killed' for o in group)} killed, "
                       f"{sum(o.status == 'SURVIVED' for o in group)} survived, "
                       f"{sum(o.status == 'timeout' for o in group)} timeout, "
                       f"{sum(o.status == 'error' for o in group)} error")
    surv = [o for o in must if o.status == "SURVIVED"]
    if surv:
        out.append("survivors (should have been killed), by kind:")
        for kind in MUST_DIE:
            for o in surv:
                if o.plant.kind == kind:
                    out.append(f"  {kind:<8} {o.plant.id}  ({o.plant.file}): {o.plant.what}")
    killed_eq = [o for o in eq if o.status == "killed"]
    if killed_eq:
        out.append("equivalent plants that were killed (a test beyond behaviour, or a wrong 'why'):")
        out += [f"  {o.plant.id}: {o.failure}" for o in killed_eq]
    for st in ("timeout", "error"):
        bad = [o for o in outcomes if o.status == st]
        if bad:
            out.append(f"{st}:")
            out += [f"  {o.plant.id}: {o.failure or ''}" for o in bad]
    return out


def merge(old: dict, outcomes: list[Outcome]) -> tuple[list[Outcome], list[dict], str | None]:
    """The report ``old`` with the plants of this run replaced (or added), in the order of
    PLANTS; entries of plants no longer defined, or whose file or snippets changed since, are
    dropped, and every entry takes its plant's current definition (its kind, what, why)."""
    known = {p.id: p for p in PLANTS}
    same = lambda e: (e.get("id") in known and (e.get("file"), e.get("old"), e.get("new")) ==  # noqa: E731
                      (known[e["id"]].file, known[e["id"]].old, known[e["id"]].new))
    by_id = {e["id"]: e for e in old.get("plants", []) if same(e)}   # a changed plant: re-run it
    by_id.update({o.plant.id: o.to_json() for o in outcomes})
    merged = []
    for p in PLANTS:
        if p.id in by_id:
            e = by_id[p.id]
            merged.append(Outcome(p, e["status"], e["seconds"], e["rc"], e["first_failure"],
                                  e.get("tail", []), e.get("stage", 2)))
    return merged, [o.to_json() for o in merged], old.get("date")


def git_state() -> dict:
    def git(*args):
        r = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return r.stdout.strip()
    return {"head": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}


# --- main ----------------------------------------------------------------------------------------
def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m mutation.run", description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", metavar="ID", help="run only these plants")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="plants run in parallel (default 2)")
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds per plant (default: 5x the baseline, at least 300; 900 "
                         "without a baseline)")
    ap.add_argument("--tests", default="", metavar="ARGS",
                    help="pytest arguments selecting a subset, e.g. \"tests/test_sequences.py\"")
    ap.add_argument("--no-fast-first", action="store_true",
                    help="run every plant against the whole suite at once (no stage 1)")
    ap.add_argument("--untracked", action="store_true",
                    help="also copy untracked files that git does not ignore (e.g. new tests)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the unmutated run")
    ap.add_argument("--keep", action="store_true", help="keep the copies (under the temp dir)")
    ap.add_argument("--report", type=Path, default=REPORT, help=f"JSON report (default {REPORT})")
    ap.add_argument("--merge", action="store_true",
                    help="update the plants of this run in the existing report (and refresh "
                         "every entry from the current plant definitions) instead of replacing it")
    ap.add_argument("--list", action="store_true", help="list the plants and exit")
    ap.add_argument("--self-check", action="store_true",
                    help="check that the copy is what the tests import: a planted syntax error "
                         "must turn the suite red")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.list:
        for p in PLANTS:
            print(f"{p.kind:<10} {p.id:<48} {p.file}\n{'':<11}{p.what}")
        return 0
    if args.jobs < 1:
        print("-j must be >= 1", file=sys.stderr)
        return 2
    if args.self_check:
        plants = [SYNTAX_ERROR]
    elif args.only:
        known = {p.id: p for p in PLANTS}
        unknown = [i for i in args.only if i not in known]
        if unknown:
            print(f"unknown plant id(s): {', '.join(unknown)} (see --list)", file=sys.stderr)
            return 2
        plants = [known[i] for i in dict.fromkeys(args.only)]
    else:
        plants = list(PLANTS)
    test_args = shlex.split(args.tests)

    base = Path(tempfile.mkdtemp(prefix="fa-mutation-"))
    pristine = base / "pristine"
    pristine.mkdir()
    try:
        files = repo_files(args.untracked)
        ncopied = snapshot(pristine, files)
        print(f"snapshot of {ncopied} files ({'tracked + untracked' if args.untracked else 'tracked'}) "
              f"in {pristine}", flush=True)
        problems = check(plants, pristine, compiles=not args.self_check)
        if problems:
            print("plants that cannot be applied to this checkout:", file=sys.stderr)
            for pr in problems:
                print(f"  {pr}", file=sys.stderr)
            return 2
        where = imported_from(pristine)
        if not where.startswith(str(pristine)):
            print(f"the copy's package is not the one imported: fa_proofs from {where}",
                  file=sys.stderr)
            return 2
        print(f"fa_proofs is imported from the copy ({Path(where).relative_to(base)})", flush=True)
        cmd = " ".join(["python", *PYTEST, *test_args])
        print(f"test command: CI=true PYTHONPATH=<copy> {cmd}", flush=True)

        baseline = None
        timeout = args.timeout
        if not args.no_baseline:
            baseline = run_plant(None, pristine, base, test_args, timeout or 1800, args.keep)
            print(f"baseline: {baseline.status} in {baseline.seconds:.1f}s"
                  + (f" ({baseline.failure})" if baseline.failure else ""), flush=True)
            if baseline.status != "passed":
                print("the unmutated suite is not green: no plant can be judged", file=sys.stderr)
                print("\n".join(baseline.tail), file=sys.stderr)
                return 2
            if timeout is None:
                timeout = max(300.0, 5 * baseline.seconds)
        timeout = timeout or 900.0
        print(f"{len(plants)} plants, {args.jobs} at a time, timeout {timeout:.0f}s per plant",
              flush=True)

        start = time.monotonic()
        outcomes: list[Outcome] = []
        with cf.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futs = [pool.submit(run_plant, p, pristine, base, test_args, timeout, args.keep,
                                not args.no_fast_first) for p in plants]
            try:
                for i, fut in enumerate(cf.as_completed(futs), 1):
                    o = fut.result()
                    outcomes.append(o)
                    print(line(i, len(plants), o), flush=True)
            except KeyboardInterrupt:
                for f in futs:
                    f.cancel()
                with _LOCK:
                    for proc in list(_RUNNING):
                        _kill(proc)
                print("interrupted", file=sys.stderr)
                return 130
        wall = time.monotonic() - start
        order = {p.id: k for k, p in enumerate(plants)}
        outcomes.sort(key=lambda o: order[o.plant.id])

        print("-" * 78)
        summary = summarise(outcomes)
        print("\n".join(summary))
        print(f"wall time {wall / 60:.1f} min")

        if args.self_check:
            ok = outcomes[0].status == "killed"
            print("self-check " + ("passed: the planted syntax error turned the suite red"
                                   if ok else "FAILED: the suite did not go red"))
            return 0 if ok else 2

        entries = [o.to_json() for o in outcomes]
        merged_from = None
        if args.merge and args.report.exists():
            outcomes, entries, merged_from = merge(json.loads(args.report.read_text()), outcomes)
            summary = summarise(outcomes)
            print("-" * 78)
            print(f"merged into {args.report} ({len(outcomes)} of {len(PLANTS)} plants):")
            print("\n".join(summary))
        report = {
            "date": _dt.datetime.now().isoformat(timespec="seconds"),
            "git": git_state(), "files": ncopied, "untracked": args.untracked,
            "command": f"CI=true PYTHONPATH=<copy> {cmd}", "jobs": args.jobs,
            "timeout": timeout, "wall_seconds": round(wall, 1),
            "baseline": None if baseline is None else {
                "status": baseline.status, "seconds": round(baseline.seconds, 1)},
            "merged_from": merged_from,
            "summary": summary,
            "plants": entries,
        }
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, indent=1) + "\n")
        print(f"report: {args.report}")

        if any(o.status == "SURVIVED" and o.plant.kind in MUST_DIE for o in outcomes):
            return 1
        if any(o.status == "error" for o in outcomes):
            return 2
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
