"""Running many claims, in this process or in worker processes (``verify -j N``).

Results are delivered in registry order as soon as every earlier claim is done (so a table
streams, and is the same for any ``N``); claims are handed to the workers longest first (the
``cost`` hint of each claim), which keeps both cores busy until the end.  A claim's result does
not depend on the worker or the order: its samples are keyed by (seed, claim), and every check
starts from the same ambient precision.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from typing import Callable, Sequence

from ..profiles import Profile
from .run import ClaimResult, Run, evaluate


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _ignore_sigint() -> None:
    """In a worker: an interrupt (Ctrl-C reaches the whole process group) is the parent's to
    handle; it stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(claim_id: str, profile: Profile, seed: int) -> ClaimResult:
    from ..registry import get
    return evaluate(get(claim_id), Run(profile, seed))


def run_claims(ids: Sequence[str], profile: Profile, seed: int = 0, jobs: int = 1,
               on_result: Callable[[int, ClaimResult], None] | None = None,
               on_progress: Callable[[int, int, str], None] | None = None,
               on_done: Callable[[int, ClaimResult], None] | None = None,
               executor: Executor | None = None) -> list[ClaimResult]:
    """Evaluate the claims ``ids`` (canonical ids, registry order); ``on_result(i, result)`` is
    called in order of ``i``, ``on_done(i, result)`` and ``on_progress(done, total, id)`` as
    each claim finishes.  An exception in the caller's callbacks or an interrupt stops the
    workers at once (their claims are abandoned) and is raised again.

    ``executor``: any :class:`concurrent.futures.Executor` to run the claims on instead of local
    worker processes (e.g. a Dask cluster's, :mod:`fa_proofs.scale`); ``jobs`` is then unused.
    Results are the same: a claim's result does not depend on where it ran."""
    results: list[ClaimResult | None] = [None] * len(ids)
    delivered = 0

    def deliver() -> None:
        nonlocal delivered
        while delivered < len(ids) and results[delivered] is not None:
            if on_result is not None:
                on_result(delivered, results[delivered])
            delivered += 1

    if executor is not None:
        return _on_executor(executor, ids, profile, seed, results, deliver, on_done, on_progress)
    if jobs <= 1 or len(ids) <= 1:
        for i, cid in enumerate(ids):
            results[i] = _work(cid, profile, seed)
            if on_done is not None:
                on_done(i, results[i])
            if on_progress is not None:
                on_progress(i + 1, len(ids), cid)
            deliver()
        return results  # type: ignore[return-value]

    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                      else "spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(ids)), mp_context=ctx,
                             initializer=_ignore_sigint) as pool:
        try:
            return _on_executor(pool, ids, profile, seed, results, deliver, on_done, on_progress)
        except BaseException:
            _stop(pool)
            raise


def _on_executor(executor: Executor, ids, profile, seed, results, deliver, on_done, on_progress):
    """The claims on ``executor`` (a process pool, a Dask client's executor), the costliest
    first; results delivered in registry order as they complete."""
    from ..registry import get
    order = sorted(range(len(ids)), key=lambda i: -get(ids[i]).cost)
    futures = {executor.submit(_work, ids[i], profile, seed): i for i in order}
    done = 0
    try:
        for fut in as_completed(futures):
            i = futures[fut]
            results[i] = fut.result()
            done += 1
            if on_done is not None:
                on_done(i, results[i])
            if on_progress is not None:
                on_progress(done, len(ids), ids[i])
            deliver()
    except BaseException:
        for f in futures:
            f.cancel()
        raise
    return results


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers (they ignore SIGINT)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        try:
            proc.terminate()
        except (OSError, ValueError, AttributeError):  # pragma: no cover - already gone
            pass
