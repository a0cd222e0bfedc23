"""The Set-up screen: what onboarding has covered and what is missing, with the way
back into the wizard (at the page that fixes an item, or where the user left it)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from internhost.core.actor import Permission
from internhost.core.services import onboarding
from internhost.gui.database import Database
from internhost.gui.widgets.basics import PAGE_MARGIN, Card, button, label
from internhost.gui.wizards.onboarding import status_widget


class SetupView(QWidget):
    open_wizard = Signal(str)
    """Open the wizard at a page key ("" resumes where the user left it)."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.database = database
        self.summary = label(role="muted", wrap=True)
        self.wizard_button = button("Open the set-up wizard", "primary", self._open)
        self.wizard_button.setVisible(database.actor.can(Permission.EDIT_RECORDS))
        self.card = Card(margins=20)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.card.body.addWidget(self.scroll_area)
        top = QHBoxLayout()
        top.addWidget(label("Set-up", "title"))
        top.addStretch(1)
        top.addWidget(self.wizard_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.card, 1)
        self.refresh()

    def refresh(self) -> None:
        status = self.database.read(onboarding.onboarding_status, self.database.today())
        position = self.database.read(lambda s, _a: onboarding.wizard_position(s))
        self.wizard_button.setText("Continue set-up" if position else "Open the set-up wizard")
        self.summary.setText(
            "Everything onboarding asks for is in place."
            if status.complete
            else "What the law and the schools need before interns start. "
            "Fix opens the wizard at the page that records it."
        )
        may_edit = self.database.actor.can(Permission.EDIT_RECORDS)
        self.scroll_area.setWidget(
            status_widget(status, lambda page, _field: self.open_wizard.emit(page), fix=may_edit)
        )

    def _open(self) -> None:
        self.open_wizard.emit("")
