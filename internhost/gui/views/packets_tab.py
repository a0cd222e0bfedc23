"""An intern's Packets tab: what was printed for them (school packets sent, HR
binders), and printing another — a school packet, the HR binder (HR only) or one of
the nine forms, blank or pre-filled — each previewed before it is saved
(``dialogs/pdf_preview.py``).

The list is ``packets.list_packets`` (read on the worker; binders only for those who
may print them): when, what, which placement, who, the file, its pages, its
verification code and the earlier version it replaces. It reads again when a
packet is saved anywhere (the ``packet`` kind). The intern's id is the one
``internhost packet --intern`` takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from internhost.core.actor import Permission
from internhost.core.dto import InternDetail, PlacementRow
from internhost.core.dto_packets import PacketRow
from internhost.core.reports.packet import shown_code
from internhost.core.services import packets
from internhost.gui import printing
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.dialogs.pdf_preview import preview_form, preview_packet
from internhost.gui.formatting import DASH, date_range, local_time, short_date, text_or_dash
from internhost.gui.models.columns import RIGHT, Column, RowsModel
from internhost.gui.widgets.basics import button, label, shown
from internhost.gui.widgets.refreshing import Refreshing
from internhost.gui.widgets.tables import FittedTable

if TYPE_CHECKING:
    from internhost.gui.ops import Ops

SHOWS = ("packet",)
#: The kinds as the narrow column says them.
SHORT_KINDS = {printing.SCHOOL: "School", printing.HR: "HR binder"}


@dataclass(frozen=True)
class PacketLine:
    """A recorded packet as the tab lists it: the row, its placement's dates and the
    version it replaces, worked out from the other rows."""

    row: PacketRow
    placement: str
    #: The replaced version's code ("—" for none), and when it was printed.
    replaces: str
    replaced_on: str = ""


def packet_lines(rows: list[PacketRow], placements: dict[int, str]) -> list[PacketLine]:
    """The rows with their placement's dates and the code of the version they
    replace, with when it was printed (the replaced row is among them: same intern)."""
    by_id = {r.id: r for r in rows}
    out = []
    for r in rows:
        if r.placement_id is None:
            where = "Every placement"
        else:
            where = placements.get(r.placement_id, f"Placement {r.placement_id}")
        old = by_id.get(r.replaces_id) if r.replaces_id is not None else None
        if old is not None:
            line = PacketLine(
                r,
                where,
                shown_code(old.verification),
                f"Replaces the version printed {short_date(old.created_at.date())}",
            )
        elif r.replaces_id is not None:
            line = PacketLine(r, where, "An earlier version")
        else:
            line = PacketLine(r, where, DASH)
        out.append(line)
    return out


COLUMNS: tuple[Column[PacketLine], ...] = (
    Column(
        "When",
        lambda p: local_time(p.row.created_at).rsplit(" ", 1)[0],
        elide=False,
        sample="Nov 20, 2026",
        tooltip=lambda p: local_time(p.row.created_at),
    ),
    Column(
        "Kind",
        lambda p: SHORT_KINDS.get(p.row.kind, p.row.kind),
        sample="HR binder",
        tooltip=lambda p: printing.KIND_LABELS.get(p.row.kind),
    ),
    Column("Placement", lambda p: p.placement, sample="Sep 2 – Dec 18, 2026", elide=False),
    Column("By", lambda p: text_or_dash(p.row.created_by), sample="Dana Whitfield"),
    Column(
        "File",
        lambda p: p.row.filename,
        long=True,
        sample="17-21-ethan-johnson.pdf",
        tooltip=lambda p: f"{p.row.filename}\nSHA-256 {p.row.sha256}",
    ),
    Column("Pages", lambda p: text_or_dash(p.row.pages), align=RIGHT, elide=False),
    Column(
        "Verification",
        lambda p: shown_code(p.row.verification),
        elide=False,
        sample="ABCD-EFGH-JKLM",
    ),
    Column(
        "Replaces",
        lambda p: p.replaces,
        sample="ABCD-EFGH-JKLM",
        elide=False,
        tooltip=lambda p: p.replaced_on or None,
    ),
)


def _placement_text(p: PlacementRow) -> str:
    parts = [date_range(p.start_date, p.end_date), p.worksite or "", p.status.capitalize()]
    return " · ".join(x for x in parts if x)


class FormDialog(BaseDialog):
    """Pick one of the nine forms, blank or pre-filled for the chosen placement; a
    form the role may not have pre-filled is offered blank, and the dialog says why."""

    def __init__(
        self, parent: QWidget | None, choices: list[printing.FormChoice], placement: str | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("formDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Print a form")
        self.choices = choices
        self.form = QComboBox()
        self.form.setObjectName("formChoice")
        for c in choices:
            self.form.addItem(c.info.title, c.info.name)
        self.blank = QRadioButton("Blank, to fill in by hand")
        self.prefilled = QRadioButton(
            f"Pre-filled for {placement}" if placement else "Pre-filled (no placement yet)"
        )
        group = QButtonGroup(self)
        group.addButton(self.blank)
        group.addButton(self.prefilled)
        self.why = label(role="muted", wrap=True)
        self.why.setObjectName("formWhy")
        self.has_placement = placement is not None
        buttons = QDialogButtonBox()
        self.preview_button = buttons.addButton("Preview…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Form", self.form)
        form.addRow("", self.prefilled)
        form.addRow("", self.blank)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(10)
        layout.addWidget(label("Print a form", "heading"))
        layout.addLayout(form)
        layout.addWidget(self.why)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        #: The user chose Blank (a form forced blank leaves the next one pre-filled).
        self._blank_chosen = False
        self.blank.toggled.connect(self._chosen)
        self.form.currentIndexChanged.connect(self._update)
        self.prefilled.setChecked(True)
        self._update()

    def _chosen(self, blank: bool) -> None:
        """The user's own choice only: a form forced blank does not make it."""
        if self.prefilled.isEnabled():
            self._blank_chosen = blank

    def choice(self) -> printing.FormChoice:
        return self.choices[max(0, self.form.currentIndex())]

    def _update(self, *_args: object) -> None:
        c = self.choice()
        may = c.prefill and self.has_placement
        self.prefilled.setEnabled(may)
        if not may:
            self.blank.setChecked(True)
        elif not self._blank_chosen:  # blank only because the last form had to be
            self.prefilled.setChecked(True)
        self.why.setText(c.why or c.info.subject)

    def picked(self) -> tuple[str, bool]:
        """The form's name, and whether it is pre-filled."""
        return self.choice().info.name, self.prefilled.isChecked() and self.prefilled.isEnabled()

    def state(self) -> Any:
        return ()  # a choice, nothing typed: closing loses nothing


class PacketsTab(Refreshing, QWidget):
    """The packets printed for an intern, and printing another."""

    def __init__(self, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.detail: InternDetail | None = None
        self.rows: list[PacketRow] = []
        actor = ops.actor if ops is not None else None
        self.may_print = actor is not None and actor.can(Permission.PRINT_PACKETS)
        self.may_bind = actor is not None and actor.can(Permission.PRINT_HR_BINDER)

        self.id_label = label(role="muted", wrap=True)
        self.id_label.setObjectName("packetsInternId")
        self.placement = QComboBox()
        self.placement.setObjectName("packetPlacement")
        # As wide as its longest placement, within reason: not stretched across a
        # wide screen, and elided on a narrow one.
        self.placement.setMinimumContentsLength(12)
        self.placement.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.placement.setMaximumWidth(460)
        self.school_button = button("School packet…", "primary", self.print_school_packet)
        self.binder_button = button("HR binder…", "secondary", self.print_binder)
        self.form_button = button("Form…", "secondary", self.print_form)
        toolbar = QHBoxLayout()
        toolbar.setSpacing(8)
        toolbar.addWidget(label("Placement"))
        toolbar.addWidget(self.placement, 1)
        toolbar.addStretch(0)  # what the picker, at its widest, leaves
        toolbar.addSpacing(8)
        toolbar.addWidget(self.school_button)
        toolbar.addWidget(self.binder_button)
        toolbar.addWidget(self.form_button)
        self.model: RowsModel[PacketLine] = RowsModel(COLUMNS, self)
        self.view = FittedTable()
        self.view.setObjectName("packetsTable")
        self.view.setModel(self.model)
        self.note = label("Nothing printed for this intern yet.", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(toolbar)
        layout.addWidget(self.id_label)
        layout.addWidget(label("Printed", "heading"))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addStretch(0)
        shown(self.binder_button, self.may_bind)
        shown(self.school_button, self.may_print)
        if ops is not None:
            self.follow(ops, SHOWS)
        self._update_buttons()

    # -- reading

    def show_intern(self, detail: InternDetail) -> None:
        """Show ``detail``'s placements (newest first) and read their packets."""
        keep = self.placement.currentData() if self.detail and self.detail.id == detail.id else None
        if self.detail is None or self.detail.id != detail.id:
            self.rows = []
            self.model.set_rows(())
        self.detail = detail
        self.placement.clear()
        for p in sorted(detail.placements, key=lambda p: p.start_date, reverse=True):
            self.placement.addItem(_placement_text(p), p.id)
        if keep is not None and self.placement.findData(keep) >= 0:
            self.placement.setCurrentIndex(self.placement.findData(keep))
        self.id_label.setText(
            f"Intern ID {detail.id} (the id of internhost export and internhost packet --intern)."
        )
        self._update_buttons()
        self.refresh_when_shown()

    def load(self) -> None:
        if self.ops is None or self.detail is None:
            return
        self.ops.read(
            self, packets.list_packets, self.detail.id, done=self.show_rows, latest="packets"
        )

    def show_rows(self, rows: list[PacketRow]) -> None:
        self.rows = list(rows)
        placements = {
            p.id: date_range(p.start_date, p.end_date)
            for p in (self.detail.placements if self.detail else ())
        }
        self.model.set_rows(packet_lines(self.rows, placements))
        self.view.setVisible(bool(rows))
        self.note.setVisible(not rows)
        self.view.refit()

    def placement_id(self) -> int | None:
        found = self.placement.currentData()
        return found if isinstance(found, int) else None

    def _update_buttons(self) -> None:
        placed = self.placement_id() is not None
        self.school_button.setEnabled(self.may_print and placed)
        self.binder_button.setEnabled(self.may_bind and placed)
        self.form_button.setEnabled(self.detail is not None)
        self.placement.setEnabled(placed)
        tip = "" if placed else "No placement yet: only blank forms can be printed."
        for widget in (self.school_button, self.binder_button):
            widget.setToolTip(tip)

    # -- printing

    def print_school_packet(self) -> None:
        if self.ops is not None and self.detail is not None and self.placement_id() is not None:
            preview_packet(self, self.ops, printing.SCHOOL, self.detail.id, self.placement_id())

    def print_binder(self) -> None:
        """The HR binder holds every placement of the intern."""
        if self.ops is not None and self.detail is not None and self.may_bind:
            preview_packet(self, self.ops, printing.HR, self.detail.id, self.placement_id())

    def print_form(self) -> None:
        if self.ops is None or self.detail is None:
            return
        dialog = FormDialog(self, printing.form_choices(self.ops.actor), self._placement_label())
        dialog.accepted.connect(lambda: self._form_chosen(dialog))
        dialog.open()

    def _placement_label(self) -> str | None:
        if self.placement_id() is None:
            return None
        return f"the placement {self.placement.currentText().split(' · ')[0]}"

    def _form_chosen(self, dialog: FormDialog) -> None:
        if self.ops is None or self.detail is None:
            return
        name, prefilled = dialog.picked()
        if prefilled:
            preview_form(self, self.ops, name, self.detail.id, self.placement_id())
        else:
            preview_form(self, self.ops, name, None, None)
