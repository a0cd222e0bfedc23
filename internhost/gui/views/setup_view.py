"""The Set-up screen: what onboarding has covered and what is missing, with the way
back into the wizard (at the page that fixes an item, or where the user left it).

The summary is read on the database worker (``gui.ops``), and again whenever a write
announces a record kind it counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from internhost.core import dto
from internhost.core.actor import Permission
from internhost.core.services import onboarding
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import PAGE_MARGIN, Card, button, label
from internhost.gui.widgets.refreshing import Refreshing
from internhost.gui.wizards.onboarding import status_widget

#: What the onboarding summary counts (the company's settings hold the wizard's place).
SHOWS = frozenset(
    {
        "company",
        "worksite",
        "equipment",
        "staff",
        "school",
        "calendar",
        "intern",
        "placement",
        "checklist",
    }
)


def setup_state(s: Any, actor: Any, today: date) -> tuple[dto.OnboardingStatus, str | None]:
    """The onboarding summary and the wizard's page to resume at, in one read."""
    return onboarding.onboarding_status(s, actor, today), onboarding.wizard_position(s)


class SetupView(Refreshing, QWidget):
    open_wizard = Signal(str)
    """Open the wizard at a page key ("" resumes where the user left it)."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.ops = ops
        self.may_edit = ops.actor.can(Permission.EDIT_RECORDS)
        self.summary = label("Loading…", role="muted", wrap=True)
        self.wizard_button = button("Open the set-up wizard", "primary", self._open)
        self.frameworks_button = button("Competency frameworks…", "secondary", self.frameworks)
        self.topics_button = button("Check-in topics…", "secondary", self.topics)
        self.school_forms_button = button("School forms…", "secondary", self.school_forms)
        self.school_forms_button.setObjectName("schoolFormsButton")
        self.card = Card(margins=20)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.card.body.addWidget(self.scroll_area)
        top = QHBoxLayout()
        top.addWidget(label("Set-up", "title"))
        top.addStretch(1)
        top.addWidget(self.wizard_button)
        # The lists HR keeps besides the wizard's records, on a row of their own: beside
        # the title they clipped each other's labels at 1024 pixels.
        lists = QHBoxLayout()
        lists.setSpacing(8)
        for widget in (self.school_forms_button, self.topics_button, self.frameworks_button):
            lists.addWidget(widget)
        lists.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addLayout(lists)
        layout.addWidget(self.summary)
        layout.addWidget(self.card, 1)
        # Once parented: shown before, a button opens as a window of its own.
        self.wizard_button.setVisible(self.may_edit)
        self.frameworks_button.setVisible(self.may_edit)
        self.topics_button.setVisible(self.may_edit)
        self.school_forms_button.setVisible(
            self.may_edit or ops.actor.can(Permission.PRINT_PACKETS)
        )
        self.follow(ops, SHOWS)
        self.refresh()

    def load(self) -> None:
        self.ops.read(self, setup_state, self.ops.today(), done=self._show, latest="status")

    def _show(self, found: tuple[dto.OnboardingStatus, str | None]) -> None:
        status, position = found
        self.wizard_button.setText("Continue set-up" if position else "Open the set-up wizard")
        self.summary.setText(
            "Everything onboarding asks for is in place."
            if status.complete
            else "What the law and the schools need before interns start. "
            "Fix opens the wizard at the page that records it."
        )
        self.scroll_area.setWidget(
            status_widget(
                status, lambda page, _field: self.open_wizard.emit(page), fix=self.may_edit
            )
        )

    def _open(self) -> None:
        self.open_wizard.emit("")

    def topics(self) -> None:
        from internhost.gui.dialogs.check_in_topics import edit_topics

        edit_topics(self, self.ops)

    def frameworks(self) -> None:
        from internhost.gui.dialogs.frameworks import FrameworksDialog

        FrameworksDialog(self.ops, self).open()

    def school_forms(self) -> None:
        """A school's own fillable PDFs: register, map, fill (``dialogs/school_forms``)."""
        from internhost.gui.dialogs.school_forms import SchoolFormsDialog

        SchoolFormsDialog(self.ops, self).open()
