"""No claim changes its verdict or loses (or gains) a check without the snapshot being rewritten
on purpose (``python tests/claims_snapshot.py``, then review and commit the diff)."""
from __future__ import annotations

import difflib
import json

import claims_snapshot


def test_every_claim_matches_the_snapshot():
    want = json.loads(claims_snapshot.PATH.read_text())
    got = claims_snapshot.compute()
    if got != want:
        diff = "\n".join(difflib.unified_diff(
            claims_snapshot.dump(want).splitlines(), claims_snapshot.dump(got).splitlines(),
            "snapshot", "this run", lineterm="", n=2))
        raise AssertionError("the claims differ from tests/snapshots/claims-ci.json; if the change "
                             "is intended, run 'python tests/claims_snapshot.py' and commit the "
                             "diff:\n" + diff)
