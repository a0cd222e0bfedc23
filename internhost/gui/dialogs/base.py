"""The one base of every record and editing dialog (after Picard's ``PicardDialog``
with ``PreserveGeometry``), so each behaves the same way for a new user:

- its size and place are remembered (``UiSettings``, keyed by dialog class);
- the first field has the focus when it opens, so the first keystrokes land;
- Esc, Cancel and closing the window all go through ``reject()``, which asks
  "Discard changes?" when what the fields hold differs from what they held at
  open (an edit typed and then undone is not a change);
- Enter in a table edits the table and never presses a button of the dialog.

Qt's message boxes and file dialogs, and the login and passphrase dialogs (nothing
to discard), are the only dialogs without it (``tests/gui/test_dialog_base.py``).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from internhost.gui.settings import UiSettings
from internhost.gui.widgets.fields import FieldForm

#: Widgets a user types into or picks with: where the first keystroke should land.
FIELD_TYPES = (
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QCheckBox,
    QTableWidget,
)
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def confirm_discard(parent: QWidget | None, what: str = "") -> bool:
    """Ask "Discard changes?"; True only when the user chose Discard (Keep editing is
    the default, and Esc keeps editing too)."""
    box = QMessageBox(parent)
    box.setObjectName("discardChanges")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Discard changes?")
    box.setText("Discard changes?")
    where = f" to {what}" if what else ""
    box.setInformativeText(f"The changes{where} are not saved. Discard them?")
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    discard.setObjectName("discard")
    keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
    keep.setObjectName("keepEditing")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    try:
        box.exec()
        return box.clickedButton() is discard
    finally:
        box.deleteLater()


def first_field(root: QWidget) -> QWidget | None:
    """The first widget in ``root``'s tab order a user can type into or pick with."""
    widget = root.nextInFocusChain()
    while widget is not None and widget is not root:
        if (
            isinstance(widget, FIELD_TYPES)
            and root.isAncestorOf(widget)
            and widget.isVisibleTo(root)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not getattr(widget, "isReadOnly", lambda: False)()
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None


def slug(text: str) -> str:
    """A settings key part: "New worksite" -> "new_worksite"."""
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()


class PreserveGeometry:
    """Remembers a window's size and place between runs, under ``geometry_key()``.

    A mixin for the Qt class it precedes (``class D(PreserveGeometry, QWizard)``):
    restored when the window first shows (the size set in code is the default), saved
    when it closes (``done``)."""

    geometry_settings: UiSettings | None = None

    def geometry_key(self) -> str:
        return f"dialogs/{type(self).__name__}"

    def _ui_settings(self) -> UiSettings:
        if self.geometry_settings is None:
            self.geometry_settings = UiSettings()
        return self.geometry_settings

    def restore_geometry(self) -> bool:
        return self._ui_settings().restore_geometry(self.geometry_key(), self)  # type: ignore[arg-type]

    def save_geometry(self) -> None:
        self._ui_settings().save_geometry(self.geometry_key(), self)  # type: ignore[arg-type]

    def showEvent(self, event: QShowEvent) -> None:
        if not getattr(self, "_geometry_restored", False):
            self._geometry_restored = True
            self.restore_geometry()
        super().showEvent(event)  # type: ignore[misc]

    def done(self, result: int) -> None:
        self.save_geometry()
        super().done(result)  # type: ignore[misc]


class BaseDialog(PreserveGeometry, QDialog):
    """A dialog that remembers its geometry, opens with its first field focused and
    asks before throwing away unsaved edits.

    What counts as an edit is ``state()``: by default the fields of every
    ``FieldForm`` in the dialog as typed; a dialog holding other inputs adds them."""

    def __init__(self, parent: QWidget | None = None, *, settings: UiSettings | None = None):
        super().__init__(parent)
        self.geometry_settings = settings
        self._baseline: Any = None
        self._opened = False

    # -- what the user has entered ---------------------------------------------------

    def state(self) -> Any:
        """What the dialog's inputs hold, comparable with ``==`` (not counting the
        forms of dialogs it opened, which are its children too)."""
        return tuple(form.state() for form in self.findChildren(FieldForm) if form.window() is self)

    def mark_clean(self) -> None:
        """What the inputs hold now is what there is to lose nothing of (after a load
        or a save)."""
        self._baseline = self.state()

    def is_dirty(self) -> bool:
        return self._opened and self.state() != self._baseline

    # -- opening ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._opened:
            self._opened = True
            self.mark_clean()
            self.focus_first_field()

    def focus_first_field(self) -> None:
        widget = first_field(self)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- closing ----------------------------------------------------------------------

    def reject(self) -> None:
        """Esc, Cancel and the window's close button all come here (QDialog's
        ``closeEvent`` calls it): unsaved edits are discarded only when the user says."""
        if self.is_dirty() and not confirm_discard(self, self.windowTitle().lower()):
            return
        super().reject()

    def discard(self) -> None:
        """Close without asking (the session ends, or the dialog saved elsewhere)."""
        self.done(QDialog.DialogCode.Rejected)

    # -- keys -------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in a table (or in an editor open in one of its cells) belongs to the
        table: QDialog would otherwise press the default button, such as "Add area"."""
        if event.key() in ENTER_KEYS and _inside_item_view(self.focusWidget()):
            event.accept()
            return
        super().keyPressEvent(event)


def _inside_item_view(widget: QWidget | None) -> bool:
    while widget is not None:
        if isinstance(widget, QAbstractItemView):
            return True
        widget = widget.parentWidget()
    return False
