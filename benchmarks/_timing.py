"""Timing helpers shared by the benchmark modules: medians, never single runs."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field


def median_time(fn, *, repeat: int = 7, number: int = 1, min_time: float = 0.0) -> float:
    """Median wall time of ``number`` calls of fn over ``repeat`` runs (seconds per call)."""
    fn()  # warm up (imports, caches, BLAS threads)
    if min_time:
        t0 = time.perf_counter()
        fn()
        one = max(time.perf_counter() - t0, 1e-9)
        number = max(number, int(min_time / one) + 1)
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - t0) / number)
    return statistics.median(samples)


@dataclass
class Row:
    """One line of the benchmark table: a measured ratio against a reference of the same run."""

    bench: str
    case: str
    measured: float          # seconds (or a count, see unit)
    reference: float | None  # the reference measured in the same run, or None
    reference_name: str = ""
    target: float | None = None   # ratio target: measured/reference must be <= target
    unit: str = "s"
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.reference in (None, 0):
            return None
        return self.measured / self.reference

    @property
    def ok(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        return self.ratio <= self.target


def paired_times(fns, *, repeat: int = 9, min_time: float = 0.02,
                 clock=time.process_time) -> tuple[list[float], list[float]]:
    """Per-call times of several functions measured in alternating rounds, and the median ratio
    of each to the first, round by round: a shared machine's drift moves both sides of a pair.

    The default clock is this process's CPU time: on a machine shared by more runnable
    processes than cores, wall time mostly measures the wait for a core (single-threaded
    code only; limit BLAS threads around the call).
    Returns (median time of each, median of each one's per-round ratio to fns[0]).
    """
    for fn in fns:
        fn()  # warm up
    numbers = []
    for fn in fns:
        t0 = clock()
        fn()
        numbers.append(max(1, int(min_time / max(clock() - t0, 1e-9)) + 1))
    samples = [[] for _ in fns]
    for _ in range(repeat):
        for fn, number, out in zip(fns, numbers, samples):
            t0 = clock()
            for _ in range(number):
                fn()
            out.append((clock() - t0) / number)
    ratios = [statistics.median(s / r for s, r in zip(times, samples[0])) for times in samples]
    return [statistics.median(s) for s in samples], ratios
