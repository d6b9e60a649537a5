"""Benchmark: the whole-domain certificates (issue 12), boxes and seconds per certificate.

    PYTHONPATH=. python3 benchmarks/bench_whole_domain.py [--json]

For every claim with a proof over the whole domain (:mod:`fa_proofs.sections.discrete.whole_domain`,
:mod:`~fa_proofs.sections.discrete.euler_whole_domain`, :mod:`fa_proofs.sign_tables`,
:mod:`fa_proofs.sections.shallow.whole_domain`, :mod:`fa_proofs.sections.deep.whole_domain`,
:mod:`fa_proofs.sections.learning.whole_domain`)
it builds the proof from the registered statement (printed, or corrected where the claim is
corrected), certifies it without the certificate cache (``FA_PROOFS_CERTS`` is ignored here), and
re-checks the certificate from scratch as ``fa-proofs replay`` does.  Reported per certificate:
identities, inequalities, boxes (leaf boxes of the bisection trees, plus one per Sturm or linear
sign check), seconds to build the proof (the SymPy reductions), to certify it, and to re-check it.
The budget of the issue is 60 s per certificate in the ci profile.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fa_proofs.certificates import certify, recheck_document  # noqa: E402
from fa_proofs.registry import get  # noqa: E402

CHECKS = [("lem20", "printed"), ("lem21", "printed"), ("eq126", "corrected"),
          ("thm9", "corrected"), ("eq127", "printed"), ("lem25", "printed"),
          ("eq138", "corrected"), ("eq139", "printed"), ("thm10", "corrected"),
          ("lem27", "printed"), ("lem12", "printed"), ("lem14", "printed"), ("lem16", "printed"),
          ("lem18", "printed"), ("thm8.step_size", "printed"),
          # forward Euler (fa_proofs.sections.discrete.euler_whole_domain)
          ("lem28", "printed"), ("thm8", "printed"), ("thm8.limit", "printed"),
          ("rem29", "printed"), ("lem30", "printed"), ("lem31", "printed"), ("lem32", "printed"),
          ("eq188", "corrected"),
          # Section 2 rates (fa_proofs.sections.shallow.whole_domain)
          ("thm2", "printed"), ("eq47", "printed"),
          ("thm3.delta_pos", "printed"), ("eq61", "printed"), ("thm3.delta_neg", "printed"),
          ("eq64", "printed"), ("thm3.delta_zero", "printed"), ("thm3.lambda_zero", "printed"),
          ("thm2.lambda_zero", "printed"), ("eq72", "printed"), ("rem13", "printed"),
          # Section 3 under (11), L = 2..6 (fa_proofs.sections.deep.whole_domain)
          ("thm5", "printed"), ("eq84", "printed"),
          # Section 4 (fa_proofs.sections.learning.whole_domain)
          ("sec4.1", "corrected"), ("eq107", "corrected"), ("eq114", "corrected"),
          ("eq101", "corrected"), ("eq104", "corrected"), ("eq113", "printed"),
          ("fn2", "corrected")]
BUDGET = 60.0


def run() -> list[dict]:
    rows = []
    for cid, variant in CHECKS:
        claim = get(cid)
        checks = claim.checks if variant == "printed" else claim.correction.checks
        check = next(c for c in checks if getattr(c.fn, "build", None) is not None)
        t0 = time.perf_counter()
        proof = check.fn.build(claim.statement_of(variant))
        t1 = time.perf_counter()
        res = certify(proof, use_cache=False)
        t2 = time.perf_counter()
        ok, why, _ = recheck_document(res.document) if res.document else (False, res.reason, 0)
        t3 = time.perf_counter()
        rows.append({"claim": cid, "variant": variant, "status": res.status,
                     "identities": len(proof.identities), "inequalities": len(proof.steps),
                     "boxes": res.boxes, "build_s": round(t1 - t0, 3),
                     "certify_s": round(t2 - t1, 3), "recheck_s": round(t3 - t2, 3),
                     "rechecked": ok, "key": proof.key()})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = run()
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print(f"{'claim':16} {'variant':10} {'status':8} {'idents':>6} {'ineqs':>6} {'boxes':>6} "
              f"{'build s':>8} {'certify s':>9} {'recheck s':>9}")
        for r in rows:
            print(f"{r['claim']:16} {r['variant']:10} {r['status']:8} {r['identities']:6d} "
                  f"{r['inequalities']:6d} {r['boxes']:6d} {r['build_s']:8.2f} "
                  f"{r['certify_s']:9.2f} {r['recheck_s']:9.2f}")
    over = [r for r in rows if r["build_s"] + r["certify_s"] > BUDGET or
            r["recheck_s"] > BUDGET]
    bad = [r for r in rows if r["status"] != "proved" or not r["rechecked"]]
    return 1 if over or bad else 0


if __name__ == "__main__":
    sys.exit(main())
