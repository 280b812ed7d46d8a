"""Run a step that can run away (simplify, equals, a whole check...) under a time and memory budget.

SymPy cannot be interrupted from another thread, so the step runs in a forked
child process that is killed when the budget runs out.  The child also gets an
address-space limit (``MEMORY_LIMIT_BYTES`` above what the parent already
uses, ``RLIMIT_AS``), so a step that would exhaust the machine's memory fails
with ``OutOfMemory`` instead; and it dies with its parent (``PR_SET_PDEATHSIG``
on Linux), so killing a check kills every step it started.  The caller gets
the result, ``BudgetExceeded`` or ``OutOfMemory`` and degrades to an honest
"undetermined".
"""
from __future__ import annotations

import math
import multiprocessing as mp
import os
import pickle
import signal
import sys

from .errors import BudgetExceeded, SymdiffError

__all__ = ["run_with_budget", "OutOfMemory", "MEMORY_LIMIT_BYTES", "UNLIMITED_SECONDS", "check_budget"]

MEMORY_LIMIT_BYTES = int(os.environ.get("SYMDIFF_MEMORY_LIMIT_MB", "3072")) * 2 ** 20
UNLIMITED_SECONDS = 10.0 ** 7     # a budget at least this long (or inf) means "no time limit"


class OutOfMemory(SymdiffError, MemoryError):
    """A budgeted step needed more memory than its limit."""


def check_budget(budget) -> float:
    """A budget in seconds as a float: a real number (inf allowed), not NaN, not a bool."""
    import numbers
    if isinstance(budget, bool) or not isinstance(budget, numbers.Real):
        raise SymdiffError(f"budget must be a number of seconds, got {_short(budget)}")
    try:
        value = float(budget)
    except OverflowError:       # an integer or fraction beyond the float range: as good as unlimited
        value = math.inf if budget > 0 else -math.inf
    except (ValueError, TypeError):
        raise SymdiffError(f"budget must be a number of seconds, got {_short(budget)}") from None
    if math.isnan(value):
        raise SymdiffError("budget must be a number of seconds, got nan")
    return value


def _short(value) -> str:
    try:
        text = repr(value)
    except Exception:           # (an int too long to print, a broken __repr__)
        return f"a {type(value).__name__}"
    return text if len(text) <= 80 else text[:77] + "..."


def _die_with_parent():
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except Exception:  # pragma: no cover - not Linux
        pass


def _vm_size() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # pragma: no cover - no /proc
        pass
    return 0


def _limit_memory():
    try:
        import resource
        limit = _vm_size() + MEMORY_LIMIT_BYTES
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except Exception:  # pragma: no cover - no resource module
        pass


def _encode_error(exc: BaseException):
    if isinstance(exc, MemoryError):
        return ("memory", str(exc))
    if isinstance(exc, SymdiffError):
        cls = type(exc)
        return ("symdiff", (cls.__module__, cls.__qualname__, str(exc), dict(getattr(exc, "__dict__", {}))))
    return ("error", f"{type(exc).__name__}: {exc}")


def _decode_symdiff_error(payload) -> SymdiffError:
    module, qualname, message, attrs = payload
    try:
        cls = sys.modules[module]
        for part in qualname.split("."):
            cls = getattr(cls, part)
        exc = cls.__new__(cls)
        Exception.__init__(exc, message)
        exc.__dict__.update(attrs)
        return exc
    except Exception:
        return SymdiffError(message)


def _child(conn, parent_pid, fn, args, kwargs):
    _die_with_parent()
    if os.getppid() != parent_pid:   # the parent died before the line above
        os._exit(1)
    _limit_memory()
    try:
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
        result = ("ok", fn(*args, **kwargs))
    except BaseException as exc:  # reported to the parent, never raised here
        result = _encode_error(exc)
    try:
        data = pickle.dumps(result)
    except MemoryError:
        data = pickle.dumps(("memory", "the result"))
    except Exception as exc:
        data = pickle.dumps(("error", f"result could not be sent back: {exc}"))
    try:
        conn.send_bytes(data)
    finally:
        conn.close()


def run_with_budget(fn, *args, seconds: float, propagate: bool = False, **kwargs):
    """``fn(*args, **kwargs)`` in a child process; ``BudgetExceeded`` after ``seconds``.

    ``seconds`` may be ``inf`` (no time limit).  Running out of memory raises
    ``OutOfMemory``.  With ``propagate``, a ``SymdiffError`` raised by ``fn``
    is raised again here with its own class and message; other errors become a
    ``SymdiffError`` naming the step.
    """
    if seconds is None or not seconds > 0:
        raise BudgetExceeded("no time budget left for this step")
    name = getattr(fn, "__name__", "step")
    if not hasattr(os, "fork"):  # pragma: no cover - symdiff targets Linux and macOS
        return fn(*args, **kwargs)
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, os.getpid(), fn, args, kwargs), daemon=False)
    proc.start()
    child.close()
    timeout = None if seconds >= UNLIMITED_SECONDS else seconds
    try:
        if not parent.poll(timeout):
            raise BudgetExceeded(f"{name} did not finish within {seconds:g} s")
        try:
            status, value = pickle.loads(parent.recv_bytes())
        except EOFError:
            proc.join(1)
            if proc.exitcode == -signal.SIGKILL:
                raise OutOfMemory(f"{name} was killed (out of memory?)") from None
            raise SymdiffError(f"{name} crashed in its worker process") from None
    finally:
        if proc.is_alive():
            proc.kill()
            # a killed child holding gigabytes takes 0.3 s and more to tear down: not waited for
            # (multiprocessing reaps it when the next child starts)
            proc.join(0.05)
        else:
            proc.join(1)
        parent.close()
    if status == "memory":
        raise OutOfMemory(f"{name} ran out of memory (limit {MEMORY_LIMIT_BYTES // 2 ** 20} MB)")
    if status == "symdiff":
        if propagate:
            raise _decode_symdiff_error(value)
        status, value = "error", f"{value[1]}: {value[2]}"
    if status == "error":
        raise SymdiffError(f"{name} failed: {value}")
    return value
