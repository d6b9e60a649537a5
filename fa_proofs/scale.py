"""Scale-out on Dask: the claims of ``verify``, ``report`` and ``fuzz`` are written against the
standard :class:`concurrent.futures.Executor` interface (local worker processes by default);
``--scheduler ADDRESS`` (or ``--dask [ADDRESS]``) sends them to a ``dask.distributed`` cluster.

* ``ADDRESS`` a scheduler's address (``tcp://host:8786``): an existing cluster; its workers need
  ``fa-proofs`` installed, at the same version;
* ``local``: a :class:`distributed.LocalCluster` on loopback, started for the run and stopped
  after it (one single-threaded worker process per core: the checks set the ball arithmetic's
  working precision, a per-process state, so a worker runs one claim at a time), no dashboard.

Results are identical to a local run (``-j 1``): a claim's samples are keyed by (seed, claim)
and every check starts from the same precision, whatever the worker.  ``dask[distributed]`` is
an optional extra: ``pip install 'fa-proofs[dask]'``.
"""
from __future__ import annotations

import contextlib
import os
from typing import Iterator

from .errors import UsageError

LOCAL = "local"


def _distributed():
    try:
        import distributed
    except ImportError:
        raise UsageError("--scheduler needs dask.distributed: pip install 'fa-proofs[dask]' "
                         "(or 'dask[distributed]')") from None
    return distributed


def check_address(address: str) -> str:
    address = address.strip()
    if address == LOCAL:
        return address
    if "://" not in address and ":" not in address:
        raise UsageError(f"--scheduler takes 'local' or a scheduler address such as "
                         f"tcp://127.0.0.1:8786, got {address!r}")
    return address


@contextlib.contextmanager
def executor(address: str, workers: int | None = None, timeout: float | None = None
             ) -> Iterator[object]:
    """A :class:`concurrent.futures.Executor` on the Dask cluster at ``address`` (``local``:
    a new LocalCluster of ``workers`` processes, default the number of cores).  ``timeout``:
    seconds to reach the scheduler (default ``$FA_PROOFS_DASK_TIMEOUT``, else 20)."""
    distributed = _distributed()
    if timeout is None:
        try:
            timeout = float(os.environ.get("FA_PROOFS_DASK_TIMEOUT", "") or 20)
        except ValueError:
            raise UsageError("FA_PROOFS_DASK_TIMEOUT takes seconds") from None
    address = check_address(address)
    import logging
    for name in ("distributed", "distributed.worker", "distributed.scheduler",
                 "distributed.nanny", "distributed.core"):
        logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    try:
        if address == LOCAL:
            from .engine.parallel import default_jobs
            cluster = distributed.LocalCluster(
                n_workers=workers or default_jobs(), threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR)
            client = distributed.Client(cluster, timeout=timeout)
        else:
            try:
                client = distributed.Client(address, timeout=timeout)
            except (OSError, TimeoutError) as exc:
                raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    except UsageError:
        if cluster is not None:
            cluster.close()
        raise
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
