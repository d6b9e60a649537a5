"""The ``fa-proofs`` command line: ``list``, ``verify``, ``orbit`` and ``latex``.

Exit codes: 0 when every verdict is decided, 1 when any is ``undecided``, 2 on bad usage (one line
on stderr, never a traceback).
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from . import latex as latex_mod
from .errors import UsageError
from .profiles import PROFILES, get_profile
from .registry import RunContext, all_claims, select
from .report import run, to_json, to_table
from .verdicts import Verdict


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        raise UsageError(message)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--seed takes a whole number, got {text!r}") from None
    if value < 0:
        raise UsageError(f"--seed must be >= 0, got {value}")
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
        if args.command == "orbit":
            return _orbit(args)
        ctx = RunContext(get_profile(args.profile), _seed(args.seed))
        claims = select(args.ids)
        reports = run(claims, ctx)
        print(to_json(reports, ctx) if args.json else to_table(reports, args.verbose))
        return 1 if any(r.verdict is Verdict.UNDECIDED for r in reports) else 0
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


def _orbit(args: argparse.Namespace) -> int:
    from .sections.discrete import explore as X
    if args.scheme not in X.SCHEMES:
        raise UsageError(f"unknown scheme {args.scheme!r}; choose one of {', '.join(X.SCHEMES)}")
    lam = X.parse_positive("lam", args.lam)
    eta = X.parse_positive("eta", args.eta)
    steps = X.parse_steps(args.steps)
    every = X.parse_steps(args.every, "every")
    prec = X.parse_prec(args.prec)
    d, ds = None, ()
    if args.scheme == "layered":
        if not args.ds:
            raise UsageError("layered needs --ds d_1,...,d_{L-1} (L >= 2)")
        ds = tuple(X.parse_positive("ds", v) for v in args.ds.split(","))
    else:
        if args.d is None:
            raise UsageError(f"{args.scheme} needs --d")
        d = X.parse_positive("d", args.d)
    try:
        qty, bounds = X.run_orbit(args.scheme, lam, eta, steps, d=d, ds=ds,
                                  allow_beyond=args.allow_beyond, prec=prec)
        text = X.report(qty, bounds, every)
    except UsageError:
        raise
    except (ArithmeticError, ValueError, OverflowError) as exc:
        print(f"fa-proofs: undecided: the orbit could not be certified at these parameters "
              f"({exc})", file=sys.stderr)
        return 1
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
