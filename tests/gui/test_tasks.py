"""The task runner: work off the GUI thread, results on it, progress only when slow."""

from __future__ import annotations

import threading

import pytest

from internhost.gui.tasks import PROGRESS_DELAY_MS, TaskRunner


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait()


def test_result_arrives_on_the_gui_thread(runner: TaskRunner, qtbot) -> None:
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def work(a: int, b: int) -> int:
        seen["worker"] = threading.get_ident()
        return a + b

    def done(result: int) -> None:
        seen["result"], seen["callback"] = result, threading.get_ident()

    runner.submit(work, 2, b=3, on_done=done)
    assert runner.busy
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 5 and seen["callback"] == gui and seen["worker"] != gui
    assert not runner.busy


def test_a_finished_task_lets_go_of_what_its_function_held(runner: TaskRunner) -> None:
    """The pool keeps every runnable it started; a task's function and its arguments
    (a dialog's bound method, a page of ids) must not live as long."""
    import gc
    import weakref

    class Held:
        pass

    held = Held()
    gone = weakref.ref(held)
    runner.submit(lambda value: value, held, on_done=lambda _result: None)
    assert runner.settle()
    del held
    gc.collect()
    assert gone() is None


def test_errors_arrive_as_values(runner: TaskRunner, qtbot) -> None:
    errors: list[BaseException] = []

    def fail() -> None:
        raise ValueError("nope")

    runner.submit(fail, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)


def test_tasks_run_one_at_a_time_in_order(runner: TaskRunner, qtbot) -> None:
    order: list[int] = []
    for i in range(5):
        runner.submit(order.append, i)
    qtbot.waitUntil(lambda: not runner.busy)
    assert order == [0, 1, 2, 3, 4]


def test_progress_shows_only_for_slow_work(runner: TaskRunner, qtbot) -> None:
    release = threading.Event()
    results: list[str] = []
    runner.submit(lambda: "quick", label="Quick", on_done=results.append)
    qtbot.waitUntil(lambda: results == ["quick"])
    qtbot.wait(PROGRESS_DELAY_MS + 100)
    assert not runner.progress_visible

    runner.submit(lambda: release.wait(10) and "slow", label="Slow", on_done=results.append)
    qtbot.wait(PROGRESS_DELAY_MS // 3)
    assert not runner.progress_visible
    qtbot.waitUntil(lambda: runner.progress_visible, timeout=PROGRESS_DELAY_MS * 4)
    release.set()
    qtbot.waitUntil(lambda: results == ["quick", "slow"])
    assert not runner.progress_visible


def test_steps_show_in_the_dialog_and_cancel_stops_the_work(runner: TaskRunner, qtbot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from internhost.core.progress import Cancelled, Progress

    second_step = threading.Event()
    errors: list[BaseException] = []

    def work(progress: Progress) -> str:
        progress.step(0, 3, "first")
        progress.step(1, 3, "second")
        second_step.set()
        for _ in range(200):  # waits to be cancelled, as long work is between steps
            if progress.cancelled():
                break
            threading.Event().wait(0.05)
        progress.step(2, 3, "third")  # raises: the user cancelled
        return "finished"

    runner.submit(work, label="Working", steps=True, on_error=errors.append)
    qtbot.waitUntil(lambda: runner.progress_visible, timeout=PROGRESS_DELAY_MS * 4)
    qtbot.waitUntil(second_step.is_set)
    dialog = runner._dialog
    qtbot.waitUntil(lambda: dialog.value() == 1 and dialog.maximum() == 3)
    assert dialog.labelText() == "Working\nsecond"
    [cancel] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel"]
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert dialog.labelText() == "Working\nCancelling…"
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], Cancelled)
    assert not runner.progress_visible


def test_work_without_steps_offers_no_cancel(runner: TaskRunner, qtbot) -> None:
    from PySide6.QtWidgets import QPushButton

    release = threading.Event()
    runner.submit(lambda: release.wait(10), label="Busy")
    qtbot.waitUntil(lambda: runner.progress_visible, timeout=PROGRESS_DELAY_MS * 4)
    dialog = runner._dialog
    assert dialog.maximum() == 0  # busy: no steps to show
    assert not [b for b in dialog.findChildren(QPushButton) if b.isVisible()]
    release.set()
    qtbot.waitUntil(lambda: not runner.busy)


def test_a_runner_deleted_with_answers_pending_turns_the_collector_back_on(qtbot) -> None:
    """The collector is off while a task is under way; a runner deleted before its
    answer arrived (its window closed) must not leave it off for good."""
    import gc

    import shiboken6

    assert gc.isenabled()
    runner = TaskRunner()
    started = threading.Event()
    release = threading.Event()

    def work() -> None:
        started.set()
        release.wait(5)

    runner.submit(work, on_done=lambda _result: None)
    assert started.wait(5) and not gc.isenabled()
    release.set()
    shiboken6.delete(runner)  # before the answer is handled
    assert gc.isenabled()
