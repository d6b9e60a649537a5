"""The ``fa-proofs`` command line: ``list``, ``verify``, ``replay``, ``orbit`` and ``latex``.

Exit codes: 0 when every verdict is decided (every replayed counterexample still certified), 1
when any is ``undecided`` (or not certified), 2 on bad usage (one line on stderr, never a
traceback).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Sequence

from . import latex as latex_mod
from . import report
from .errors import UsageError
from .profiles import PROFILES, get_profile
from .registry import all_claims, canonical_id, get, select
from .verdicts import Verdict


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
    p = _Parser(prog="fa-proofs", description="Verify the claims of the FA deep-linear paper.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    sub.required = True
    sub.add_parser("list", help="every claim id with its title and paper location")
    v = sub.add_parser("verify", help="run the checks and print a verdict per claim")
    v.add_argument("ids", nargs="*", metavar="ID", help="claim ids or aliases (default: all)")
    v.add_argument("--json", action="store_true", help="print one JSON object {claims: [...]}")
    v.add_argument("--profile", default="ci", help=f"one of {', '.join(PROFILES)} (default ci)")
    v.add_argument("--seed", default="0", help="random seed (default 0); same seed, same output")
    v.add_argument("-v", "--verbose", action="store_true", help="show every check")
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
    lx = sub.add_parser("latex", help="a LaTeX document of every derived formula")
    lx.add_argument("-o", "--output", help="write to this file instead of standard output")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "list":
            for c in all_claims():
                alias = f" (alias {', '.join(c.aliases)})" if c.aliases else ""
                print(f"{c.id:<18} {c.title} -- {c.location}{alias}")
            return 0
        if args.command == "latex":
            return _latex(args)
        if args.command == "orbit":
            from .sections.discrete.explore import main as orbit_main
            return orbit_main(args)
        if args.command == "replay":
            return _replay(args)
        return _verify(args)
    except UsageError as exc:
        print(f"fa-proofs: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("fa-proofs: interrupted", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (e.g. '| head'): stop quietly, as other command-line tools do
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0


def _latex(args: argparse.Namespace) -> int:
    tex = latex_mod.document(all_claims())
    if args.output:
        try:
            with open(args.output, "w") as fh:
                fh.write(tex)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    else:
        sys.stdout.write(tex)
    return 0


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


def _verify(args: argparse.Namespace) -> int:
    from .engine.parallel import default_jobs, run_claims
    from .engine.run import evaluate_at
    profile = get_profile(args.profile)
    seed = _int(args.seed, "--seed", 0)
    jobs = default_jobs() if args.jobs is None else _int(args.jobs, "-j", 1, 256)
    if args.outside and not args.at:
        raise UsageError("--outside goes with --at")
    start = time.perf_counter()
    if args.at:
        if len(args.ids) != 1:
            raise UsageError("--at evaluates one claim: give exactly one claim id")
        claim = get(canonical_id(args.ids[0]))
        results = [evaluate_at(claim, _parse_at(args.at), profile, seed, args.outside)]
        if args.json:
            print(report.to_json(results, profile.name, seed))
        else:
            print(report.to_table(results, args.verbose, time.perf_counter() - start))
        return 1 if results[0].verdict is Verdict.UNDECIDED else 0
    claims = select(args.ids)
    ids = [c.id for c in claims]
    width = report.id_width(ids)
    progress = _Progress(sys.stderr.isatty() and not args.json)
    stream = not args.json

    def on_result(i, r) -> None:
        if stream:
            progress.clear()
            print("\n".join(report.table_rows(r, width, args.verbose)), flush=True)

    if stream:
        print("\n".join(report.table_header(width)), flush=True)
    results = run_claims(ids, profile, seed, jobs, on_result=on_result, on_progress=progress)
    progress.clear()
    if args.json:
        print(report.to_json(results, profile.name, seed))
    else:
        print("\n".join(report.table_footer(results, width, time.perf_counter() - start)))
    return 1 if any(r.verdict is Verdict.UNDECIDED for r in results) else 0


def _replay(args: argparse.Namespace) -> int:
    from .engine.replay import load, replay
    saved = load(args.file)
    if not saved:
        print(f"{args.file}: no counterexamples to replay")
        return 0
    items = replay(saved, get_profile(args.profile))
    print("\n".join(report.replay_lines(items)))
    return 0 if all(it.certified for it in items) else 1


if __name__ == "__main__":
    sys.exit(main())
