"""Run a symbolic step that can run away (simplify, equals...) under a time budget.

SymPy cannot be interrupted from another thread, so the step runs in a forked
child process that is killed when the budget runs out.  The caller gets the
result or ``BudgetExceeded`` and degrades to an honest "undetermined".
"""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import sys

from .errors import BudgetExceeded, SymdiffError


def _child(conn, fn, args, kwargs):
    try:
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
        result = ("ok", fn(*args, **kwargs))
    except BaseException as exc:  # reported to the parent, never raised here
        result = ("error", f"{type(exc).__name__}: {exc}")
    try:
        conn.send_bytes(pickle.dumps(result))
    except Exception as exc:
        conn.send_bytes(pickle.dumps(("error", f"result could not be sent back: {exc}")))
    finally:
        conn.close()


def run_with_budget(fn, *args, seconds: float, **kwargs):
    """``fn(*args, **kwargs)`` in a child process; ``BudgetExceeded`` after ``seconds``."""
    if seconds is None or seconds <= 0:
        raise BudgetExceeded("no time budget left for this step")
    if not hasattr(os, "fork"):  # pragma: no cover - symdiff targets Linux and macOS
        return fn(*args, **kwargs)
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise BudgetExceeded(f"{getattr(fn, '__name__', 'step')} did not finish within {seconds:g} s")
        try:
            status, value = pickle.loads(parent.recv_bytes())
        except EOFError:
            raise SymdiffError(f"{getattr(fn, '__name__', 'step')} crashed in its worker process") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()
    if status == "error":
        raise SymdiffError(f"{getattr(fn, '__name__', 'step')} failed: {value}")
    return value
