"""A choice among more records than a drop-down can hold: type, then pick a match.

A combo box over every intern took 7.8 s to open at 50,000 interns (each one read,
then added). ``SearchPicker`` reads nothing until the user types: after a short
pause (``SEARCH_DELAY_MS``) it asks ``search(session, actor, text)`` on the database
worker for the top matches (``ops.read(..., latest=)``: a fast typist sees the last
keystroke's answer) and lists them beneath the box; a click, or Enter on the one
Up and Down moved to, picks one. Its value is the picked record's id, never the
text typed: text that picked nothing is an error of the field, so no name alone
ever becomes a record.

A value set from outside (a stored record, a preset) shows its ``label(session,
actor, value)``, read on the worker as well. ``set_read_only`` shows the choice
without letting it change (a placement stays with its intern).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import label
from internhost.gui.widgets.fields import FieldWidget

#: How long typing rests before the search runs (as the interns screen's search).
SEARCH_DELAY_MS = 200
#: Rows the match list shows before it scrolls.
VISIBLE_MATCHES = 6

#: (value, text) pairs of the matches, best first, and how many matched in all.
Matches = tuple[Sequence[tuple[Any, str]], int]


class SearchPicker(FieldWidget):
    """Pick one record by typing part of its name (``search`` says how matches are
    found; ``label`` names a value set from outside)."""

    def __init__(
        self,
        ops: Ops,
        search: Callable[..., Matches],
        label_of: Callable[..., str | None],
        *,
        placeholder: str,
        noun: str,
    ) -> None:
        super().__init__()
        self.ops, self._search, self._label_of, self.noun = ops, search, label_of, noun
        #: The picked record's id (None: nothing picked yet).
        self._value: Any = None
        self.box = QLineEdit()
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText(placeholder)
        self.box.setClearButtonEnabled(True)
        self.box.textEdited.connect(self._typed)
        self.box.installEventFilter(self)
        #: Names of values known without a read (a preset's, the matches shown).
        self.known: dict[Any, str] = {}
        self.matches = QListWidget()
        self.matches.setObjectName("matches")
        # The keyboard stays in the box: Up, Down and Enter there move and pick.
        self.matches.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.matches.itemClicked.connect(self._pick)
        self.matches.hide()
        self.note = label(role="muted", wrap=True)
        self.note.setObjectName("matchNote")
        self.note.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run_search)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.box)
        column.addWidget(self.matches)
        column.addWidget(self.note)

    # -- the field's value

    def value(self) -> Any:
        if self._value is None:
            if self.box.text().strip():
                raise ValueError(f"choose the {self.noun} from the matches beneath the box")
            raise ValueError(f"type a name or student ID, then choose the {self.noun}")
        return self._value

    def state(self) -> Any:
        """The record picked, or the text typed that picked none yet."""
        return self._value if self._value is not None else self.box.text().strip() or None

    def set_value(self, value: Any) -> None:
        """Pick ``value`` (None: nothing) and show its name (read on the worker unless
        ``known``)."""
        self._value = value
        self._show_matches(None)
        self.box.setText(self.known.get(value, "") if value is not None else "")
        if value is not None and not self.box.text():
            self.ops.read(self, self._label_of, value, done=self._named, latest="label")
        self.changed.emit()

    def set_read_only(self, read_only: bool, why: str = "") -> None:
        """Show the choice without letting it change (greyed, ``why`` as its tooltip)."""
        self.box.setReadOnly(read_only)
        self.box.setEnabled(not read_only)
        self.box.setClearButtonEnabled(not read_only)
        self.box.setToolTip(why if read_only else "")

    def editor(self) -> QLineEdit:
        return self.box

    # -- searching

    def run_search(self) -> None:
        """Ask for the matches of the text now (the pause after typing calls this)."""
        self.timer.stop()
        text = self.box.text().strip()
        if not text:
            self._show_matches(None)
            return
        self.ops.read(self, self._search, text, done=self._found, latest="search")

    def _typed(self, _text: str) -> None:
        if self._value is not None:  # the text no longer names the record picked
            self._value = None
            self.changed.emit()
        self.timer.start()

    def _found(self, found: Matches) -> None:
        if self._value is None and self.box.text().strip():
            self._show_matches(found)

    def _show_matches(self, found: Matches | None) -> None:
        self.matches.clear()
        if found is None:
            self.matches.hide()
            self.note.hide()
            return
        rows, total = found
        for value, text in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, value)
            self.matches.addItem(item)
        self.matches.setVisible(bool(rows))
        if rows:
            self.matches.setCurrentRow(0)
            shown = min(len(rows), VISIBLE_MATCHES)  # as tall as its matches, then scrolls
            frame = 2 * self.matches.frameWidth()
            self.matches.setFixedHeight(self.matches.sizeHintForRow(0) * shown + frame)
        if not rows:
            self.note.setText(f"No {self.noun} matches “{self.box.text().strip()}”.")
        elif total > len(rows):
            self.note.setText(f"The first {len(rows)} of {total:,} matches: type more to narrow.")
        else:
            self.note.setText("")
        self.note.setVisible(bool(self.note.text()))

    def _pick(self, item: QListWidgetItem) -> None:
        self._value = item.data(Qt.ItemDataRole.UserRole)
        self.known[self._value] = item.text()
        self.box.setText(item.text())
        self._show_matches(None)
        self.changed.emit()

    def _named(self, name: str | None) -> None:
        if self._value is not None and not self.box.text():
            self.box.setText(name or f"{self.noun.capitalize()} {self._value}")

    # -- the keyboard: Up and Down move through the matches, Enter picks, Esc closes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._key(event.key()):
                return True
        return super().eventFilter(watched, event)

    def _key(self, key: int) -> bool:
        """Handle a key typed in the box; True when it was the picker's."""
        if not self.matches.isVisible() or not self.matches.count():
            return False
        row = self.matches.currentRow()
        if key == Qt.Key.Key_Escape:  # closes the matches first, then the dialog
            self._show_matches(None)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and row >= 0:
            self._pick(self.matches.item(row))
            return True
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(key))
        if step is not None:
            self.matches.setCurrentRow(max(0, min(self.matches.count() - 1, row + step)))
            return True
        return False
