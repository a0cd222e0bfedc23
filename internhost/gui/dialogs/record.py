"""A dialog that edits one record and saves it through a service.

When the user presses Save, the form's values are collected here on the GUI thread
and ``save(values)`` runs on the database worker (``gui.ops``); meanwhile the dialog
is busy (a second click or Esc does nothing). A ``ValidationError`` keeps the dialog
open with every message beside its field (messages naming no field of the form go
to the banner at the top), and a refused or vanished record says so in the banner.
Nothing is written unless the service returned: its unit of work rolls back whole.
On success the dialog announces the record kinds it changed (``changes``), so every
screen showing them reads again, and closes.
Like every editing dialog it is a ``BaseDialog``: Cancel asks before losing edits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from internhost.core.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from internhost.gui.dialogs.base import BaseDialog, slug
from internhost.gui.errors import report
from internhost.gui.widgets.basics import label
from internhost.gui.widgets.fields import FieldForm, human

if TYPE_CHECKING:
    from internhost.gui.ops import Ops

ErrorSink = Callable[[Iterable[FieldError]], list[FieldError]]


class RecordDialog(BaseDialog):
    """``body`` above Save/Cancel. Save calls ``collect()`` here, then ``save(values)``
    on the database worker, which returns the saved result or raises."""

    def __init__(
        self,
        title: str,
        body: QWidget,
        collect: Callable[[], Any],
        save: Callable[[Any], Any],
        show_errors: ErrorSink,
        parent: QWidget | None = None,
        *,
        ops: Ops,
        changes: Iterable[str] = (),
        intro: str = "",
        save_text: str = "Save",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("recordDialog")
        self._collect = collect
        self._save = save
        self._show_errors = show_errors
        self.ops = ops
        self._changes = frozenset(changes)
        self._saving = False
        self.result_value: Any = None

        self.banner = label(role="error", wrap=True)
        self.banner.setObjectName("banner")
        self.banner.hide()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setMinimumWidth(body.sizeHint().width() + 24)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(12)
        layout.addWidget(label(title, "heading"))
        if intro:
            layout.addWidget(label(intro, "muted", wrap=True))
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(
            max(560, body.sizeHint().width() + 80), min(body.sizeHint().height() + 170, 760)
        )

    def accept(self) -> None:
        """Save on the worker; close only when the service accepted it."""
        if self._saving:
            return  # a second click while the first save runs
        self.banner.hide()
        self._set_saving(True)
        try:
            values = self._collect()  # a field that cannot be read says so here
        except ValidationError as exc:
            self._refused(exc)
            return
        self.ops.call(self, self._save, values, done=self._saved, failed=self._refused)

    def reject(self) -> None:
        if not self._saving:  # a write under way cannot be called back
            super().reject()

    @property
    def saving(self) -> bool:
        return self._saving

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.buttons.setEnabled(not saving)

    def _saved(self, result: Any) -> None:
        self._set_saving(False)
        self.result_value = result
        if self._changes:
            self.ops.announce(self._changes)
        super().accept()

    def _refused(self, exc: BaseException) -> None:
        self._set_saving(False)
        if isinstance(exc, ValidationError):
            elsewhere = self._show_errors(exc.errors)
            if elsewhere:
                self.show_banner("\n".join(human(e) for e in elsewhere))
        elif isinstance(exc, PermissionDenied | NotFound | Conflict):
            self.show_banner(str(exc)[:1].upper() + str(exc)[1:])
        elif self.ops.raise_unhandled:
            raise exc
        else:
            self.show_banner(report(exc))

    def geometry_key(self) -> str:
        """One dialog class serves many forms: each title keeps its own size."""
        return f"{super().geometry_key()}/{slug(self.windowTitle())}"

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def run(self) -> Any:
        """Show modally; the saved result, or None when cancelled."""
        return self.result_value if self.exec() == QDialog.DialogCode.Accepted else None


def edit_with_form(
    parent: QWidget | None,
    title: str,
    form: FieldForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    ops: Ops,
    changes: Iterable[str] = (),
    initial: Any = None,
    intro: str = "",
    size: tuple[int, int] | None = None,
) -> Any:
    """Open ``form`` (filled from ``initial``) in a dialog whose Save runs
    ``save(form.values())`` on the database worker; returns what it returned, or None
    when cancelled."""
    if initial is not None:
        form.set_values(initial)
    dialog = RecordDialog(
        title,
        form,
        form.values,
        save,
        form.show_errors,
        parent,
        ops=ops,
        changes=changes,
        intro=intro,
    )
    if size is not None:
        dialog.resize(*size)
    return dialog.run()


def refusal(parent: QWidget, ops: Ops, title: str) -> Callable[[BaseException], None]:
    """A ``failed`` for the read before an editor opens: a refusal (a role that may
    not, a record gone meanwhile) is said in a message titled ``title``; anything else
    goes to ``ops`` (the user is told)."""

    def say(exc: BaseException) -> None:
        text = str(exc)
        QMessageBox.warning(parent, title, text[:1].upper() + text[1:])

    return ops.expected(parent, say, PermissionDenied, NotFound, Conflict, ValidationError)
