"""HR closes a pay period: the workweeks of the last half year, open or closed, and a
Close button. Closing is refused while an entry of the week waits for approval; the
refusal, naming those entries, is shown here (``approval.close_pay_period``)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from internhost.core.dto import PayPeriodRow
from internhost.core.services import approval
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.formatting import DASH, date_range, local_time
from internhost.gui.models.columns import RIGHT, Column, RowsModel
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import button, label
from internhost.gui.widgets.tables import columns_table


def _closed(p: PayPeriodRow) -> str:
    if p.closed_at is None:
        return "Open"
    return f"Closed {local_time(p.closed_at)}" + (f" by {p.closed_by}" if p.closed_by else "")


COLUMNS: tuple[Column[PayPeriodRow], ...] = (
    Column("Week", lambda p: date_range(p.start_date, p.end_date), elide=False),
    Column("Entries", lambda p: str(p.entries), align=RIGHT),
    Column(
        "Awaiting approval",
        lambda p: str(p.unapproved) if p.unapproved else DASH,
        align=RIGHT,
    ),
    Column("Status", _closed, long=True, sample="Closed Nov 20, 2026 14:05 by HR Admin"),
)


class PayPeriodsDialog(BaseDialog):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle("Pay periods")
        self.resize(640, 460)
        self.model: RowsModel[PayPeriodRow] = RowsModel(COLUMNS, self)
        self.table = columns_table(self.model)  # scrolls: half a year of weeks
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.message = label(wrap=True)
        self.close_button = button("Close week", "primary", self.close_week)
        self.close_button.setEnabled(False)
        done = button("Done", "secondary", self.accept)
        row = QHBoxLayout()
        row.addWidget(self.close_button)
        row.addStretch(1)
        row.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "A closed week's entries are locked for payroll. A week closes once it is "
                "over and every entry in it is approved.",
                "muted",
                wrap=True,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.load()

    def load(self) -> None:
        self.ops.read(self, approval.list_pay_periods, self.ops.today(), done=self.show_periods)

    def show_periods(self, rows: list[PayPeriodRow]) -> None:
        self.model.set_rows(rows)
        self._selection_changed(QItemSelection(), QItemSelection())

    def selected(self) -> PayPeriodRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, _a: QItemSelection, _b: QItemSelection) -> None:
        period = self.selected()
        self.close_button.setEnabled(period is not None and period.closed_at is None)

    def close_week(self) -> None:
        period = self.selected()
        if period is None:
            return
        self.close_button.setEnabled(False)
        self.ops.write(
            self,
            approval.close_pay_period,
            period.start_date,
            self.ops.today(),
            changes={"time_entry"},
            done=self._closed,
            failed=self.ops.expected(self, self._refused),
        )

    def _closed(self, period: PayPeriodRow) -> None:
        self.message.setText(
            f"Closed the week of {date_range(period.start_date, period.end_date)}."
        )
        self.load()

    def _refused(self, exc: BaseException) -> None:
        text = str(exc)
        self.message.setText(text[:1].upper() + text[1:])
        self._selection_changed(QItemSelection(), QItemSelection())
