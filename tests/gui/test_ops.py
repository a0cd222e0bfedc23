"""The one operation pattern (``gui/ops.py``) and the guard that makes it the only one:
app code on the GUI thread that takes a database connection fails the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget

from internhost.core.services import directory, setup
from internhost.gui import database as database_module
from internhost.gui.database import Database, GuiThreadAccess
from internhost.gui.ops import EVERYTHING, KINDS, Ops, kinds, touches
from internhost.gui.tasks import TaskRunner


@pytest.fixture
def ops(qtbot, database: Database) -> Iterator[Ops]:
    window = QWidget()  # held here: the runner and ops are its children
    qtbot.addWidget(window)
    yield Ops(database, TaskRunner(window), window)
    del window


def app_code(source: str, **names: Any) -> Any:
    """Run ``source`` as if it were a module of the app's GUI (``internhost.gui.probe``)."""
    scope = {"__name__": "internhost.gui.probe", **names}
    exec(compile(source, "<probe>", "exec"), scope)
    return scope.get("result")


def test_app_code_on_the_gui_thread_may_not_touch_the_database(database: Database) -> None:
    with pytest.raises(GuiThreadAccess, match=r"internhost\.gui\.probe:1"):
        app_code(
            "result = database.read(directory.list_worksites)", **locals(), directory=directory
        )


def test_the_app_only_logs_it(database: Database, monkeypatch, caplog) -> None:
    monkeypatch.setattr(database_module, "gui_thread_policy", "warn")
    rows = app_code(
        "result = database.read(directory.list_worksites)", **locals(), directory=directory
    )
    assert rows and "the GUI thread touched the database (internhost.gui.probe:1)" in caplog.text


def test_a_test_may_read_what_the_app_wrote(database: Database) -> None:
    assert database.read(directory.list_worksites)  # no app module on the stack


def test_a_read_runs_on_the_worker_and_answers_on_the_gui_thread(qtbot, ops: Ops) -> None:
    got: list[Any] = []
    owner = QWidget()
    qtbot.addWidget(owner)
    ops.read(owner, directory.list_worksites, done=got.append)
    assert not got  # nothing yet: the answer comes by signal
    assert ops.runner.settle()
    assert [w.name for w in got[0]] == [w.name for w in ops.database.read(directory.list_worksites)]


def test_only_the_latest_answer_of_a_kind_is_shown(qtbot, ops: Ops) -> None:
    shown: list[str] = []
    owner = QWidget()
    qtbot.addWidget(owner)
    for needle in ("R", "Ro", "Roc"):
        ops.read(owner, lambda s, a, n=needle: n, done=shown.append, latest="search")
    ops.read(owner, lambda s, a: "other", done=shown.append, latest="count")
    assert ops.runner.settle()
    assert shown == ["Roc", "other"]


def test_an_answer_for_a_closed_widget_is_dropped(qtbot, ops: Ops) -> None:
    shown: list[Any] = []
    owner = QWidget()
    ops.read(owner, directory.list_worksites, done=shown.append)
    shiboken6.delete(owner)  # the screen closed before the answer arrived
    assert ops.runner.settle()
    assert shown == []


def test_a_write_announces_what_it_changed(qtbot, ops: Ops) -> None:
    announced: list[frozenset[str]] = []
    ops.changed.connect(announced.append)
    owner = QWidget()
    qtbot.addWidget(owner)
    company = ops.database.read(directory.employer_input)
    saved: list[Any] = []
    ops.write(owner, setup.save_employer, company, changes={"company"}, done=saved.append)
    assert ops.runner.settle()
    assert announced == [frozenset({"company"})] and saved


def test_a_refused_write_reaches_failed_and_announces_nothing(qtbot, ops: Ops) -> None:
    announced: list[Any] = []
    failed: list[BaseException] = []
    ops.changed.connect(announced.append)
    owner = QWidget()
    qtbot.addWidget(owner)

    def refuse(_s: Any, _a: Any) -> None:
        raise ValueError("no")

    ops.write(owner, refuse, changes={"intern"}, failed=failed.append)
    assert ops.runner.settle()
    assert announced == [] and isinstance(failed[0], ValueError)


def test_kinds_are_checked_so_a_typo_cannot_refresh_nothing() -> None:
    assert kinds(["intern", "placement"]) == {"intern", "placement"}
    with pytest.raises(ValueError, match="interns"):
        kinds(["interns"])
    assert touches(frozenset({"intern"}), ["intern", "school"])
    assert not touches(frozenset({"account"}), ["intern"])
    assert touches(EVERYTHING, ["plan"])
    assert "*" not in KINDS
