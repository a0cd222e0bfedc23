"""Review a retention purge: the interns past the retention period, what goes with
each, and a confirmation before anything is deleted.

The dialog only shows a proposal the core made (``retention.propose_purge``) and asks;
it decides nothing. The Backups screen runs the purge on the worker once HR has
ticked the confirmation and pressed "Purge N interns"; the core re-checks every
intern then, so a proposal that went stale is refused whole.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QVBoxLayout,
    QWidget,
)

from internhost.core.dto import PurgeCandidate, PurgeProposal
from internhost.core.services.retention import table_label
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.formatting import short_date
from internhost.gui.models.columns import RIGHT, Column, RowsModel
from internhost.gui.widgets.basics import label
from internhost.gui.widgets.tables import columns_table

BASIS = {
    "time entry": "last time entry",
    "placement end": "placement ended",
    "placement archived": "placement archived",
    "record created": "never placed",
}


def counts_text(counts: dict[str, int]) -> str:
    """``time entries 43, check-ins 15, …`` (the intern's own row left out)."""
    return ", ".join(f"{table_label(t)} {n:,}" for t, n in counts.items() if t != "interns")


COLUMNS = (
    Column("Intern", lambda c: c.name, sample="Nguyễn-Whitfield, Alexandra"),
    Column("School", lambda c: c.school, sample="Jefferson High School"),
    Column(
        "Last worked",
        lambda c: short_date(c.last_worked),
        tooltip=lambda c: BASIS.get(c.basis, c.basis),
        sample="Dec 18, 2025",
        elide=False,
    ),
    Column("From", lambda c: BASIS.get(c.basis, c.basis), sample="placement archived", elide=False),
    Column(
        "Eligible since",
        lambda c: short_date(c.eligible_since),
        sample="Dec 19, 2028",
        elide=False,
    ),
    Column(
        "Records",
        lambda c: f"{c.records:,}",
        align=RIGHT,
        sample="12,345",
        elide=False,
    ),
    Column(
        "What goes",
        lambda c: counts_text(c.counts),
        tooltip=lambda c: "\n".join(f"{table_label(t)}: {n:,}" for t, n in c.counts.items()),
        sample="guardians and contacts 2",
    ),
)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


class PurgeDialog(BaseDialog):
    def __init__(self, proposal: PurgeProposal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proposal = proposal
        self.setWindowTitle("Review purge")
        count = len(proposal.candidates)
        self.model: RowsModel[PurgeCandidate] = RowsModel(COLUMNS, self)
        self.model.set_rows(proposal.candidates)
        self.table = columns_table(self.model, COLUMNS)
        self.totals = label(
            f"In all, {_plural(proposal.records, 'record')}: "
            + ", ".join(f"{table_label(t)} {n:,}" for t, n in proposal.totals.items())
            + ".",
            "muted",
            wrap=True,
        )
        self.warning = label(
            f"The purge deletes these {_plural(count, 'intern')} and everything above for "
            "good: it cannot be undone from InternHost. The audit trail keeps its entries "
            f"but blanks the values of the {_plural(proposal.audit_events, 'entry', 'entries')} "
            "that named them, and records the purge itself. " + proposal.note,
            "error",
            wrap=True,
        )
        self.confirm = QCheckBox(
            f"I have checked the list: delete the records of these {_plural(count, 'intern')}"
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.purge_button = self.buttons.addButton(
            f"Purge {_plural(count, 'intern')}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.purge_button.setEnabled(False)
        self.confirm.toggled.connect(self.purge_button.setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(
            label(
                f"{_plural(count, 'intern is', 'interns are')} past the "
                f"{proposal.years}-year retention period",
                "heading",
            )
        )
        layout.addWidget(
            label(
                f"On {short_date(proposal.today)}, these interns last worked more than "
                f"{proposal.years} years ago and have no placement running or to come. "
                "Their records may now be deleted; nothing is deleted unless you confirm.",
                "muted",
                wrap=True,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        if held := proposal.held_for_incidents:
            kept = label(
                f"Kept: {_plural(len(held), 'more intern')} past the period. " + proposal.held_note,
                "muted",
                wrap=True,
            )
            kept.setObjectName("held")
            layout.addWidget(kept)
        layout.addWidget(self.warning)
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)
        self.confirm.setFocus()  # not the table: no cell looks picked
        self.resize(1120, 600)

    def accept(self) -> None:
        if not self.confirm.isChecked():  # the button is disabled until then
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, proposal: PurgeProposal) -> tuple[int, ...] | None:
        """The interns HR confirmed purging (the proposal's), or None when cancelled."""
        dialog = cls(proposal, parent)
        confirmed = dialog.exec() == QDialog.DialogCode.Accepted
        return proposal.intern_ids if confirmed else None
