"""The claim engine: claims as data, one way to run them (sampled, at a point, replayed), typed
results, shrunk counterexamples and parallel runs.

* :mod:`.claim`     Claim, Statement/Part, Check, Correction, Finding, Formula;
* :mod:`.run`       Run (profile, seed, mode), evaluate, evaluate_at, ClaimResult;
* :mod:`.shrink`    the simplest certified counterexample;
* :mod:`.replay`    re-checking saved counterexamples;
* :mod:`.parallel`  many claims in worker processes, results in registry order.
"""
from .claim import Check, Claim, Correction, Finding, Formula, Part, Statement
from .run import ClaimResult, Run, evaluate, evaluate_at

__all__ = ["Check", "Claim", "Correction", "Finding", "Formula", "Part", "Statement",
           "ClaimResult", "Run", "evaluate", "evaluate_at"]
