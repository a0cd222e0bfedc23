"""Pausing CPython's automatic cycle collection around work that allocates a lot.

The collector runs when allocations outnumber frees; a full collection walks every
object the process holds (SQLAlchemy's mappers, the rule packs, the Qt wrappers), and
at 50,000 interns one struck every other dashboard refresh, doubling it. Work that
allocates many short-lived objects and makes no cycles of note (an import's batches, a
read of the day's queue) runs with it paused: reference counting frees what it made.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Run the block without automatic cycle collection; it resumes afterwards, unless
    something else had it paused already (then that one resumes it). An import also
    collects the young generations after each batch, so nothing piles up over a long
    file."""
    paused_here = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused_here:
            gc.enable()
