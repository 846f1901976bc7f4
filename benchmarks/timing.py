"""The one timing helper the benchmarks share."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(func: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``func`` over ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def timed(func: Callable[[], object], budget_s: float) -> list[float]:
    """Run ``func`` once to warm up, then repeat it (more often when fast); times in ms."""
    start = time.perf_counter()
    func()
    first = (time.perf_counter() - start) * 1000
    repeat = 9 if first < 20 else 5 if first < 200 else 3 if first < 2000 else 1
    if first / 1000 * repeat > budget_s:
        return [first]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return times
