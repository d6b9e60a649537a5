"""The regression snapshot of every claim: its verdict and the names of its checks (profile ci,
seed 0), so that no claim can silently change its verdict or lose a check.

    python tests/claims_snapshot.py          # rewrite tests/snapshots/claims-ci.json

Updating it is a deliberate step: run this, read the diff, and commit it with the change that
explains it.  ``tests/test_claims_snapshot.py`` compares a fresh run with the file.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATH = Path(__file__).resolve().parent / "snapshots" / "claims-ci.json"


def compute(jobs: int = 2) -> dict:
    sys.path.insert(0, str(ROOT))
    from fa_proofs.engine.parallel import run_claims
    from fa_proofs.profiles import get_profile
    from fa_proofs.registry import all_claims
    ids = [c.id for c in all_claims()]
    results = run_claims(ids, get_profile("ci"), 0, jobs=jobs)
    return {"profile": "ci", "seed": 0,
            "claims": {r.id: {"verdict": r.verdict.value,
                              "checks": [c.name for c in r.checks],
                              "corrected_checks": [c.name for c in r.corrected_checks]}
                       for r in results}}


def dump(doc: dict) -> str:
    return json.dumps(doc, indent=1, sort_keys=False) + "\n"


def main() -> int:
    PATH.parent.mkdir(parents=True, exist_ok=True)
    PATH.write_text(dump(compute()))
    print(f"wrote {PATH.relative_to(ROOT)}: review the diff (git diff) before committing it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
