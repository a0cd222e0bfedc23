"""A small dialog whose Save is one service write on the worker (``ops.write``): the
buttons wait while it runs, a refusal (bad input, a closed week) is said inside the
dialog and leaves it open, success closes it. The absence and correction dialogs of
the Hours tab are two."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from internhost.core.errors import ValidationError
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import label


class ServiceDialog(BaseDialog):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.error: QLabel = label(role="error", wrap=True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def finish(self, layout: QVBoxLayout) -> None:
        """Put the error line and the buttons at the bottom of ``layout``."""
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        raise NotImplementedError

    def write(self, service: Callable[..., Any], *args: Any, changes: Iterable[str]) -> None:
        self.buttons.setEnabled(False)
        self.error.hide()
        self.ops.write(
            self,
            service,
            *args,
            changes=changes,
            done=lambda _result: self.discard(),
            failed=self.ops.expected(self, self._refused),
        )

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            text = "; ".join(f"{e.field.capitalize()}: {e.message}" for e in exc.errors)
        else:
            text = str(exc)
        self.error.setText(text[:1].upper() + text[1:])
        self.error.show()
