"""Worker processes report progress over their pipe, stop when asked, and run below
the app's priority (issue 12, item 3)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from testkeys import TEST_KEY

from internhost.core import workers
from internhost.core.actor import Actor, Role

TESTS = Path(__file__).resolve().parents[1]
HR = Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=7)


def _start(db_path: Path, **args) -> workers.Worker:
    return workers.start_worker("workertarget:steps", db_path, TEST_KEY, HR, args=args, cwd=TESTS)


def test_progress_arrives_in_order_then_the_result(db_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    result = _start(db_path, steps=4).result(
        timeout=60, on_progress=lambda d, t, s: seen.append((d, t, s))
    )
    assert seen == [
        (0, 4, "step 1"),
        (1, 4, "step 2"),
        (2, 4, "step 3"),
        (3, 4, "step 4"),
        (4, 4, "done"),
    ]
    assert result["steps"] == 4


def test_a_cancelled_worker_stops_at_its_next_step(db_path: Path) -> None:
    worker = _start(db_path, steps=50, wait_for_cancel=True)
    seen: list[int] = []

    def progress(done: int, total: int, step: str) -> None:
        seen.append(done)
        if done == 1:
            worker.cancel()

    with pytest.raises(workers.Cancelled):
        worker.result(timeout=60, on_progress=progress)
    assert seen == [0, 1]  # it stopped at the step after the request, not at the end
    assert worker.process.returncode == workers.EXIT_CANCELLED


def test_a_worker_that_outlives_its_timeout_is_reported(db_path: Path) -> None:
    worker = _start(db_path, steps=5, wait_for_cancel=True)
    with pytest.raises(TimeoutError):
        worker.result(timeout=1.5)
    worker.kill()


@pytest.mark.skipif(sys.platform == "win32", reason="os.nice is POSIX; Windows lowers the class")
def test_a_worker_runs_below_the_app(db_path: Path) -> None:
    result = _start(db_path, steps=1).result(timeout=60)
    assert result["niceness"] == min(os.nice(0) + workers.NICENESS, 19)
