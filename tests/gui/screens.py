"""Getting a main window to a screen the way a user would, for the GUI tests."""

from __future__ import annotations

from typing import Any

from internhost.gui.main_window import MainWindow

#: An intern of the sample with findings, a checklist, guardians and two placements.
SAMPLE_INTERN = "Núñez"


def show_intern(window: MainWindow, name: str = SAMPLE_INTERN) -> Any:
    """The interns screen with the first intern whose name holds ``name`` selected;
    the interns view (its ``detail`` shows them)."""
    window.show_page("interns")
    window.runner.settle()
    view = window.interns_view
    assert view is not None
    model = view.model
    row = next(r for r in range(model.rowCount()) if name in model.row_at(r).name)
    view.table.selectRow(row)
    window.runner.settle()
    return view


def progress_tab(qtbot: Any, ops: Any, intern: int) -> Any:
    """A Progress tab of its own, on screen, showing ``intern`` once read."""
    from internhost.gui.views.progress_tab import ProgressTab

    tab = ProgressTab(ops)
    qtbot.addWidget(tab)
    tab.resize(1000, 1100)
    tab.show()
    tab.show_intern(intern, "Test Intern")
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: tab.data is not None)
    return tab
