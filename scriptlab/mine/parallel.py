"""Use both cores for the per-text work (masking, normalising, tokenising).

Big inputs are cut into one slice per core and handed to forked worker processes; small
ones, platforms without fork, and any failure of the pool fall back to plain serial work,
which gives the same result.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 20_000  # below this, starting processes costs more than it saves


def workers() -> int:
    """How many processes to use: the cores this process may run on (at most 4)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def map_slices(
    func: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    *,
    min_items: int = MIN_PARALLEL,
) -> list[list[R]]:
    """``[func(slice) for slice in slices(items)]``, the slices run in parallel.

    `func` must be a module-level function (it is sent to the workers by name). Results
    come back in input order.
    """
    n = workers()
    if n < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return [func(items)]
    size = -(-len(items) // n)
    slices = [items[i : i + size] for i in range(0, len(items), size)]
    try:
        with ProcessPoolExecutor(max_workers=n,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(func, slices))
    except (OSError, RuntimeError):  # no processes allowed here: do it serially
        return [func(items)]
