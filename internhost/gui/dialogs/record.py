"""A dialog that edits one record and saves it through a service.

The save runs when the user presses Save; a ``ValidationError`` keeps the dialog
open with every message beside its field (messages naming no field of the form go
to the banner at the top), and a refused or vanished record says so in the banner.
Nothing is written unless the service returned: its unit of work rolls back whole.
Like every editing dialog it is a ``BaseDialog``: Cancel asks before losing edits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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
from internhost.gui.widgets.basics import label
from internhost.gui.widgets.fields import FieldForm, human

ErrorSink = Callable[[Iterable[FieldError]], list[FieldError]]


class RecordDialog(BaseDialog):
    """``body`` above Save/Cancel; ``save()`` returns the saved result or raises."""

    def __init__(
        self,
        title: str,
        body: QWidget,
        save: Callable[[], Any],
        show_errors: ErrorSink,
        parent: QWidget | None = None,
        *,
        intro: str = "",
        save_text: str = "Save",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("recordDialog")
        self._save = save
        self._show_errors = show_errors
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
        """Save; close only when the service accepted it."""
        self.banner.hide()
        try:
            self.result_value = self._save()
        except ValidationError as exc:
            elsewhere = self._show_errors(exc.errors)
            if elsewhere:
                self.show_banner("\n".join(human(e) for e in elsewhere))
            return
        except (PermissionDenied, NotFound, Conflict) as exc:
            self.show_banner(str(exc)[:1].upper() + str(exc)[1:])
            return
        super().accept()

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
    initial: Any = None,
    intro: str = "",
    size: tuple[int, int] | None = None,
) -> Any:
    """Open ``form`` (filled from ``initial``) in a dialog whose Save calls
    ``save(form.values())``; returns what it returned, or None when cancelled."""
    if initial is not None:
        form.set_values(initial)
    dialog = RecordDialog(
        title, form, lambda: save(form.values()), form.show_errors, parent, intro=intro
    )
    if size is not None:
        dialog.resize(*size)
    return dialog.run()
