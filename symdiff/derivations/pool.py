"""Checking claims in parallel: local processes (``--jobs N``) or a Dask cluster (``--scheduler``).

Every claim is an independent task: the worker loads the claim's file from the
bytes the caller read (so a remote worker needs no shared file system), checks
the one claim with ``check_claim`` (whose symbolic steps keep their own budgets,
forked inside the worker), and sends the ``ClaimResult`` back.  Results come
back in the order of the files and claims, so the table and the JSON are those
of one process.  A task whose worker dies is submitted once more; if that
worker dies too, the claim is reported ``undetermined`` with the reason.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import pathlib
import tempfile

from ..errors import SymdiffError
from ..process_pool import map_in_processes
from .load import load_derivation
from .run import ClaimResult, check_claim

__all__ = ["check_claims", "default_jobs", "SchedulerError"]

_CONNECT_SECONDS = 3


class SchedulerError(SymdiffError):
    """The Dask scheduler cannot be reached or the cluster failed."""


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS
        return os.cpu_count() or 1


# -- the task --------------------------------------------------------------------------------

_LOADED: dict = {}


def _derivation(path: str, raw: bytes):
    """The derivation of ``raw`` (the bytes of ``path`` the caller read), loaded once per process."""
    key = (path, hashlib.sha256(raw).hexdigest())
    d = _LOADED.get(key)
    if d is None:
        local = pathlib.Path(path)
        try:
            same = local.is_file() and local.read_bytes() == raw
        except OSError:
            same = False
        if same:
            d = load_derivation(local)
        else:  # another machine, or the file changed since: load the caller's bytes
            with tempfile.TemporaryDirectory(prefix="symdiff-claim-") as tmp:
                copy = pathlib.Path(tmp) / local.name
                copy.write_bytes(raw)
                d = load_derivation(copy)
            d.path = local
        _LOADED[key] = d
    return d


def check_one(path: str, raw: bytes, index: int, seed: int) -> ClaimResult:
    """One claim of one file: the unit of work of a pool (a picklable module-level function)."""
    # the budget forks a child per symbolic step; a daemonic worker (Dask's default) may not
    _allow_children()
    d = _derivation(path, raw)
    return check_claim(d, d.claims[index], seed=seed)


def _allow_children():
    process = mp.current_process()
    if process.daemon:
        # multiprocessing refuses children of a daemonic process; Dask's worker processes are
        # daemonic by default, and every budgeted step is such a child (killed on time-out, so
        # nothing is left behind when the worker ends)
        process.daemon = False


def _died(d, claim, reason: str) -> ClaimResult:
    return ClaimResult(file=str(d.path), claim=claim.id, title=claim.title, kind=claim.kind, wrt=claim.wrt_text,
                       expected=claim.expect, status="undetermined",
                       explanation=f"The check could not be run: {reason}", counterexample=None, elapsed=0.0,
                       parts=[], note=claim.note, corrects=claim.corrects)


# -- the pools -------------------------------------------------------------------------------

def check_claims(derivations, *, seed: int = 0, jobs: int | None = 1, scheduler: str | None = None,
                 progress=None) -> list[ClaimResult]:
    """Every claim of ``derivations``, in order; ``progress(result)`` as each one finishes."""
    tasks = []
    for d in derivations:
        raw = pathlib.Path(d.path).read_bytes()
        _LOADED[(str(d.path), hashlib.sha256(raw).hexdigest())] = d   # forked workers inherit it
        tasks.extend((d, claim, (str(d.path), raw, k, seed)) for k, claim in enumerate(d.claims))
    if scheduler is not None:
        return _on_dask(tasks, scheduler, progress)
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise SymdiffError(f"--jobs must be at least 1, got {jobs}")
    if jobs == 1 or len(tasks) <= 1:
        results = []
        for _, _, args in tasks:
            results.append(check_one(*args))
            if progress is not None:
                progress(results[-1])
        return results
    return _on_processes(tasks, jobs, progress)


def _on_processes(tasks, jobs: int, progress) -> list[ClaimResult]:
    def died(i, code):
        d, claim, _ = tasks[i]
        return _died(d, claim, f"its worker process died twice (exit code {code})")

    return map_in_processes(check_one, [args for _, _, args in tasks], jobs=jobs, on_death=died,
                            describe=lambda i: f"claim {tasks[i][1].id!r} of {tasks[i][0].path}",
                            on_result=None if progress is None else lambda i, result: progress(result))


def _on_dask(tasks, address: str, progress) -> list[ClaimResult]:
    try:
        from distributed import Client, KilledWorker
        from distributed import as_completed as dask_completed
        from distributed.comm import CommClosedError
    except ImportError:
        raise SchedulerError("--scheduler needs dask.distributed: pip install 'symdiff[dask]'") from None
    from distributed.comm import parse_address, parse_host_port
    try:   # checked before a Client exists: a Client that never connected complains when collected
        scheme, location = parse_address(address)
        if scheme in ("tcp", "tls", "ws", "wss"):
            parse_host_port(location)
    except ValueError as exc:
        raise SchedulerError(f"not a scheduler address: {address!r} ({exc})") from None
    try:
        client = Client(address, timeout=f"{_CONNECT_SECONDS}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"no Dask scheduler answers at {address} within {_CONNECT_SECONDS} s ({exc})") from None
    except ValueError as exc:
        raise SchedulerError(f"not a scheduler address: {address!r} ({exc})") from None
    results: list = [None] * len(tasks)
    try:
        futures = {}
        for i, (_, claim, args) in enumerate(tasks):
            futures[client.submit(check_one, *args, key=f"symdiff-claim-{i}-{claim.id}-0", pure=False)] = (i, 0)
        queue = dask_completed(list(futures), loop=client.loop)
        for future in queue:
            i, attempt = futures[future]
            try:
                results[i] = future.result()
            except (KilledWorker, CommClosedError) as exc:   # the worker died (or its connection did)
                if attempt == 0:
                    retry = client.submit(check_one, *tasks[i][2], key=f"symdiff-claim-{i}-{tasks[i][1].id}-1",
                                          pure=False)
                    futures[retry] = (i, 1)
                    queue.add(retry)
                    continue
                d, claim, _ = tasks[i]
                results[i] = _died(d, claim, f"its Dask worker died twice ({type(exc).__name__}: {exc})")
            except Exception as exc:   # raised by the check itself: a bug, not a verdict
                d, claim, _ = tasks[i]
                raise SymdiffError(f"checking claim {claim.id!r} of {d.path} failed: "
                                   f"{type(exc).__name__}: {exc}") from None
            if progress is not None:
                progress(results[i])
    except OSError as exc:
        raise SchedulerError(f"lost the Dask scheduler at {address} ({exc})") from None
    finally:
        client.close(timeout=_CONNECT_SECONDS)
    return results

