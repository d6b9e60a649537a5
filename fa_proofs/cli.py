"""The ``fa-proofs`` command line: ``list``, ``verify``, ``replay``, ``orbit`` and ``latex``.

Exit codes: 0 when every verdict is decided (every replayed counterexample still certified), 1
when any is ``undecided`` (or not certified), 2 on bad usage or when standard output cannot be
written (one line on stderr, never a traceback), 130 when interrupted (after the verdicts
already decided).  A bare ``fa-proofs`` prints the usage and the commands.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Sequence

from . import __version__
from . import _cache
from . import report
from .errors import UsageError
from .profiles import PROFILES, get_profile
from .registry import all_claims, canonical_id, get, select
from .report import OutputError, emit
from .verdicts import Verdict

DESCRIPTION = """Check the claims of 'Convergence Analysis and Implicit Regularization of Feedback
Alignment for Deep Linear Networks' (Girotti, Mitliagkas, Gidel; arXiv:2110.10815), one at a
time: 'holds', 'refuted', 'corrected' (with the correction) or 'undecided'."""

EPILOG = """examples:
  fa-proofs verify                       every claim (exit 0: all decided)
  fa-proofs verify eq126 -v              one claim, every check
  fa-proofs verify eq126 --at d=1/2 lam=1 eta=3/5
  fa-proofs orbit midpoint --d 1/2 --lam 1 --eta 1/2 --steps 40
'fa-proofs COMMAND -h' describes a command; the README describes them all."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        raise UsageError(message)


def _int(text: str, name: str, lo: int, hi: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"{name} takes a whole number, got {text!r}") from None
    if value < lo or (hi is not None and value > hi):
        bound = f">= {lo}" if hi is None else f"between {lo} and {hi}"
        raise UsageError(f"{name} must be {bound}, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="fa-proofs", epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter,
                description=DESCRIPTION)
    p.add_argument("--version", action="version", version=f"fa-proofs {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, title="commands",
                           metavar="COMMAND")
    ls = sub.add_parser("list", help="every claim: id, last verdict, title, location in the paper")
    ls.add_argument("--json", action="store_true", help="print one JSON object {claims: [...]}")
    v = sub.add_parser("verify", help="run the checks and print a verdict per claim")
    v.add_argument("ids", nargs="*", metavar="ID", help="claim ids or aliases (default: all)")
    v.add_argument("--json", action="store_true", help="print one JSON object {claims: [...]}")
    v.add_argument("--profile", default="ci", help=f"one of {', '.join(PROFILES)} (default ci)")
    v.add_argument("--seed", default="0", help="random seed (default 0); same seed, same output")
    v.add_argument("-v", "--verbose", action="store_true",
                   help="show every check and note in full")
    v.add_argument("--at", nargs="+", metavar="NAME=VALUE",
                   help="evaluate one claim at this exact point, e.g. --at d=2 lam=3 eta=1/100")
    v.add_argument("--outside", action="store_true",
                   help="with --at: accept a point beyond the claim's hypotheses (a probe)")
    v.add_argument("-j", "--jobs", default=None,
                   help="worker processes (default: the number of cores)")
    r = sub.add_parser("replay", help="re-check the counterexamples saved in a JSON file")
    r.add_argument("file", help="the output of 'verify --json', or a list of counterexamples")
    r.add_argument("--profile", default="ci", help=f"one of {', '.join(PROFILES)} (default ci)")
    o = sub.add_parser("orbit", help="a certified orbit of a Section 5 scheme at your parameters, "
                                     "with every printed and corrected bound checked per step")
    o.add_argument("scheme", help="midpoint (26)-(27), layered (28) or euler (22)-(23)")
    o.add_argument("--d", help="FA constant d > 0 (midpoint, euler)")
    o.add_argument("--ds", help="d_1,...,d_{L-1} > 0 for L layers (layered), e.g. 1,2")
    o.add_argument("--lam", required=True, help="signal lambda > 0")
    o.add_argument("--eta", required=True, help="step size > 0, below the stated maximum")
    o.add_argument("--steps", default="200", help="iterations (default 200)")
    o.add_argument("--every", default="20", help="print every k-th step (default 20)")
    o.add_argument("--prec", default="128", help="ball arithmetic working precision in bits "
                                                 "(default 128)")
    o.add_argument("--allow-beyond", action="store_true",
                   help="accept a step size at or beyond the stated maximum (to probe sharpness)")
    o.add_argument("--json", action="store_true", help="print one JSON object")
    lx = sub.add_parser("latex", help="a LaTeX document of every statement and correction")
    lx.add_argument("-o", "--output", help="write to this file instead of standard output")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _dispatch(argv)
    except UsageError as exc:
        print(f"fa-proofs: error: {exc}", file=sys.stderr)
        return 2
    except OutputError as exc:
        _silence_stdout()
        print(f"fa-proofs: error: cannot write to standard output: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("fa-proofs: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. '| head'): stop quietly, as other command-line tools do
        _silence_stdout()
        return 0
    except SystemExit as exc:            # --help, --version
        return exc.code if isinstance(exc.code, int) else 0


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush of what is left
    in its buffer cannot fail again (which would print 'Exception ignored ...')."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _dispatch(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        emit(parser.format_help().rstrip())
        return 0
    if args.command == "list":
        return _list(args)
    if args.command == "latex":
        return _latex(args)
    if args.command == "orbit":
        from .sections.discrete.explore import main as orbit_main
        return orbit_main(args)
    if args.command == "replay":
        return _replay(args)
    return _verify(args)


# --- list -------------------------------------------------------------------------------------
def _list(args: argparse.Namespace) -> int:
    from ._api import list_claims
    infos = list_claims()
    cached = _cache.load()
    where = _cache.path()
    if args.json:
        doc = {"tool": "fa-proofs", "version": __version__, "schema": report.SCHEMA_VERSION,
               "cache": None if where is None else str(where),
               "claims": [{"id": c.id, "aliases": list(c.aliases), "title": c.title,
                           "location": c.location, "statement": c.statement,
                           "parameters": c.parameters, "has_correction": c.has_correction,
                           "erratum": c.erratum, "last_run": cached.get(c.id)}
                          for c in infos]}
        emit(json.dumps(doc, indent=2))
        return 0
    cols = report.terminal_width()
    width = report.id_width([c.id for c in infos])

    def last(cid: str) -> str:
        e = cached.get(cid)
        if not e:
            return "-"
        text = str(e.get("verdict", "?"))
        if e.get("erratum") and text != "holds":
            text += f" {e['erratum']}"
        if e.get("profile", "ci") != "ci":
            text += f" ({e['profile']})"
        return text

    vw = max([len(last(c.id)) for c in infos] + [len("last verdict")])
    lines = [report.fit(f"{'claim':<{width}}  {'last verdict':<{vw}}  title -- location", cols)]
    for c in infos:
        alias = f"(alias {', '.join(c.aliases)}) " if c.aliases else ""
        lines.append(report.fit(f"{c.id:<{width}}  {last(c.id):<{vw}}  {alias}{c.title} -- "
                                f"{c.location}", cols))
    if cached:
        foot = (f"last verdict: the latest 'fa-proofs verify' of each claim (profile ci unless "
                f"named), cached in {where}")
    elif where is None:
        foot = "no verdicts: the cache is off (FA_PROOFS_CACHE is empty)"
    else:
        foot = f"no verdicts yet: 'fa-proofs verify' records them in {where}"
    lines += report.wrap(foot, cols, "", "  ")
    emit("\n".join(lines))
    return 0


# --- latex ------------------------------------------------------------------------------------
def _latex(args: argparse.Namespace) -> int:
    from . import latex as latex_mod
    tex = latex_mod.document(all_claims())
    if args.output:
        try:
            with open(args.output, "w") as fh:
                fh.write(tex)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    else:
        try:
            sys.stdout.write(tex)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc.strerror or str(exc)) from None
    return 0


# --- verify -----------------------------------------------------------------------------------
def _parse_at(items: Sequence[str]) -> dict[str, str]:
    raw: dict[str, str] = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip() or not value.strip():
            raise UsageError(f"--at takes NAME=VALUE pairs such as d=2 or eta=1/100, got {item!r}")
        if name.strip() in raw:
            raise UsageError(f"--at gives {name.strip()!r} twice")
        raw[name.strip()] = value.strip()
    return raw


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, done: int, total: int, cid: str) -> None:
        if not self.enabled:
            return
        width = 30
        fill = int(width * done / max(total, 1))
        sys.stderr.write(f"\r[{'#' * fill}{'.' * (width - fill)}] {done}/{total} {cid:<20}")
        sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()


def _alias_notes(names: Sequence[str]) -> list[str]:
    """'thm11 is an alias of thm2: ran thm2' for each requested alias."""
    notes = []
    for n in names:
        cid = canonical_id(n)
        if cid != n.strip().lower():
            notes.append(f"{n.strip()} is an alias of {cid} (the paper restates it): ran {cid}")
    return notes


def _check_options(args: argparse.Namespace) -> None:
    """Options that would be ignored are refused."""
    if args.outside and not args.at:
        raise UsageError("--outside goes with --at")
    if args.verbose and args.json:
        raise UsageError("-v does not apply to --json (the JSON has every check in full)")
    if args.at and args.jobs is not None:
        raise UsageError("-j does not apply to --at (one claim at one point, in this process)")


def _verify(args: argparse.Namespace) -> int:
    from .engine.parallel import default_jobs, run_claims
    from .engine.run import evaluate_at
    _check_options(args)
    profile = get_profile(args.profile)
    seed = _int(args.seed, "--seed", 0)
    jobs = default_jobs() if args.jobs is None else _int(args.jobs, "-j", 1, 256)
    cols = report.terminal_width()
    start = time.perf_counter()
    if args.at:
        if len(args.ids) != 1:
            raise UsageError("--at evaluates one claim: give exactly one claim id")
        notes = _alias_notes(args.ids)
        claim = get(canonical_id(args.ids[0]))
        results = [evaluate_at(claim, _parse_at(args.at), profile, seed, args.outside)]
        seconds = time.perf_counter() - start
        if args.json:
            for n in notes:
                print(f"fa-proofs: {n}", file=sys.stderr)
            emit(report.to_json(results, profile.name, seed, seconds))
        else:
            emit("\n".join(notes + [report.to_table(results, args.verbose, seconds,
                                                    profile.name, seed, cols)]))
        return 1 if results[0].verdict is Verdict.UNDECIDED else 0
    claims = select(args.ids)
    notes = _alias_notes(args.ids)
    ids = [c.id for c in claims]
    width = report.id_width(ids)
    progress = _Progress(sys.stderr.isatty() and not args.json)
    stream = not args.json
    finished: dict[int, object] = {}
    shown: set[int] = set()

    def on_result(i, r) -> None:
        if stream:
            progress.clear()
            emit("\n".join(report.table_rows(r, width, args.verbose, cols, profile.name, seed)))
        shown.add(i)

    def on_done(i, r) -> None:
        finished[i] = r

    if args.json:
        for n in notes:
            print(f"fa-proofs: {n}", file=sys.stderr)
    else:
        emit("\n".join(notes + report.table_header(width, cols)))
    try:
        results = run_claims(ids, profile, seed, jobs, on_result=on_result,
                             on_progress=progress, on_done=on_done)
    except KeyboardInterrupt:
        progress.clear()
        done = [finished[i] for i in sorted(finished)]
        if stream:
            rest = [finished[i] for i in sorted(finished) if i not in shown]
            lines = ["(decided while an earlier claim was still running:)"] if rest else []
            for r in rest:
                lines += report.table_rows(r, width, args.verbose, cols, profile.name, seed)
            emit("\n".join(lines + report.table_footer(
                done, width, time.perf_counter() - start, profile.name, seed, cols, len(ids))))
        else:
            emit(report.to_json(done, profile.name, seed, time.perf_counter() - start,
                                total=len(ids)))
        _cache.record(done, profile.name, seed)
        raise
    progress.clear()
    seconds = time.perf_counter() - start
    _cache.record(results, profile.name, seed)
    if args.json:
        emit(report.to_json(results, profile.name, seed, seconds))
    else:
        emit("\n".join(report.table_footer(results, width, seconds, profile.name, seed, cols)))
    return 1 if any(r.verdict is Verdict.UNDECIDED for r in results) else 0


# --- replay -----------------------------------------------------------------------------------
def _replay(args: argparse.Namespace) -> int:
    from .engine.replay import load, replay
    saved = load(args.file)
    if not saved:
        emit(f"{args.file}: no counterexamples to replay")
        return 0
    items = replay(saved, get_profile(args.profile))
    emit("\n".join(report.replay_lines(items)))
    return 0 if all(it.certified for it in items) else 1


def run() -> None:
    """The ``fa-proofs`` executable: :func:`main`, then exit with its code.  After an interrupt
    the process exits with 130 at once: the interpreter would otherwise end an interrupted run by
    killing itself with SIGINT (when the interrupt passed through certain C frames), which shells
    also report as 130, but which is not an exit code."""
    code = main()
    if code == 130:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(130)
    sys.exit(code)


if __name__ == "__main__":
    run()
