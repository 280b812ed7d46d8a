"""A small process pool for independent checks (a claim each) that may crash their process.

Not ``ProcessPoolExecutor``: there, one dead worker fails every pending task.  Here
each worker runs one task at a time, so a death (a segfault in a native library, the
memory limit of a budget) is charged to that task alone: it is submitted once more,
and if its worker dies again the caller's ``on_death`` gives its result.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from typing import Callable, Sequence

from .errors import SymdiffError

__all__ = ["map_in_processes"]


def _serve(function, conn):
    """A worker: run ``function`` on the arguments it is sent, one task at a time, until None."""
    while True:
        task = conn.recv()
        if task is None:
            return
        index, args = task
        try:
            conn.send((index, "ok", function(*args)))
        except Exception as exc:  # a bug, not a result: the caller raises it
            conn.send((index, "error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, context, function):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(function, child), daemon=False)
        self.process.start()
        child.close()
        self.task: int | None = None

    def stop(self):
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(1)
        self.conn.close()


def map_in_processes(function: Callable, arguments: Sequence[tuple], *, jobs: int,
                     on_death: Callable[[int, int | None], object],
                     describe: Callable[[int], str] = lambda i: f"task {i}",
                     on_result: Callable[[int, object], None] | None = None) -> list:
    """``[function(*args) for args in arguments]`` computed in up to ``jobs`` processes.

    Results are in the order of ``arguments``; ``on_result(i, result)`` is called as each
    arrives (progress bars).  A task whose worker dies twice gets ``on_death(i, exit code)``
    as its result.  An exception inside ``function`` is a bug, not a result: it is raised
    here as a ``SymdiffError`` naming the task (``describe(i)``).
    """
    from multiprocessing.connection import wait

    context = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    results: list = [None] * len(arguments)
    attempts = [0] * len(arguments)
    queue = list(range(len(arguments)))
    workers = [_Worker(context, function) for _ in range(min(jobs, len(arguments)))]
    done = 0

    def finish(i, result):
        nonlocal done
        results[i] = result
        done += 1
        if on_result is not None:
            on_result(i, result)

    try:
        while done < len(arguments):
            for w in workers:
                if w.task is None and queue:
                    w.task = queue.pop(0)
                    w.conn.send((w.task, arguments[w.task]))
            busy = [w for w in workers if w.task is not None]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for w in list(busy):
                if w.conn in ready:
                    try:
                        i, status, value = w.conn.recv()
                    except (EOFError, OSError):
                        pass  # died while answering: handled as a death below
                    else:
                        w.task = None
                        if status == "error":
                            raise SymdiffError(f"checking {describe(i)} failed: {value}")
                        finish(i, value)
                        continue
                if w.process.sentinel in ready or not w.process.is_alive():
                    i = w.task
                    attempts[i] += 1
                    if attempts[i] > 1:
                        finish(i, on_death(i, w.process.exitcode))
                    else:
                        queue.insert(0, i)
                    w.conn.close()
                    workers[workers.index(w)] = _Worker(context, function)
    finally:
        for w in workers:
            w.stop()
    return results
