"""The intern detail's compliance tabs: stored findings, and the legal checklist.

Both show DTO lists the interns view read in one short session. The findings tab
only displays what the rules engine stored (severity, citation, verification are
the core's); unverified rules always carry their badge, as the product must show
them as such. The checklist tab lets HR set an item's status and note through
``compliance.update_checklist_item``, written on the database worker (``gui.ops``);
the service decides what is valid and who may, and its errors show beside the
fields. Which items the reader may change, and to which statuses, is each row's
``statuses`` (HR every item; a supervising mentor the supervisor's, done or open):
the editor follows it. The write announces "checklist", and the interns view,
which shows it, reads the intern again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QItemSelection, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from internhost.core.dto import ChecklistRow, FindingRow
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models.enums import CHECKLIST_STATUSES
from internhost.core.services import compliance
from internhost.gui.errors import report
from internhost.gui.formatting import DASH, relative_days, short_date
from internhost.gui.forms.ui_checklist_item import Ui_ChecklistItem
from internhost.gui.forms.ui_finding_detail import Ui_FindingDetail
from internhost.gui.models.compliance_models import (
    FINDING_STATUS_WORDS,
    PLACEMENT_COLUMN,
    SOURCE_WORDS,
    ChecklistModel,
    FindingsModel,
    decision_text,
    owner_word,
    severity_word,
    status_word,
    verification_badge,
    verification_short,
    verification_text,
)
from internhost.gui.theme import SEVERITY_COLORS, set_role
from internhost.gui.widgets.basics import label
from internhost.gui.widgets.tables import fit_columns, plain_table

if TYPE_CHECKING:
    from internhost.gui.ops import Ops

NO_FINDINGS = "No findings — the last checks found nothing to flag."
NO_CHECKLIST = "No checklist items yet: they come with a placement."
TABLE_MIN_ROWS = 3
#: Rows the table keeps in view before the details box below it may grow (the box
#: scrolls inside when it gets less than its content).
TABLE_ROWS = 6
DETAILS_MIN_HEIGHT = 90
READ_ONLY_ITEM = "Only HR changes this item (a supervising mentor, the supervisor's items)."
FIELD_WORDS = {"status": "Status", "note": "Note", "evidence_document_id": "Evidence"}


def _table(model: QAbstractItemModel) -> QTableView:
    view = plain_table()
    rows = view.verticalHeader().defaultSectionSize()
    view.setMinimumHeight(rows * (TABLE_MIN_ROWS + 1) + 4)  # the header and a few rows
    view.setIconSize(QSize(10, 10))
    view.setModel(model)
    fit_columns(view)
    return view


class TablePage(QWidget):
    """A tab's table above the selected row's ``DetailsBox``: the table keeps
    ``TABLE_ROWS`` rows in view, the box takes what is left up to its content."""

    def __init__(self, table: QTableView, box: DetailsBox, spacing: int) -> None:
        super().__init__()
        self.table, self.box = table, box
        fit_columns(table).fitted.connect(self.fit)  # the rows' heights changed
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 12, 0, 0)
        self.column.setSpacing(spacing)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Cap the box so the table keeps its first rows (after a resize or new rows)."""
        rows = self.table.verticalHeader()
        first = [rows.sectionSize(r) for r in range(min(rows.count(), TABLE_ROWS))]
        first += [rows.defaultSectionSize()] * (TABLE_ROWS - len(first))
        wanted = self.table.horizontalHeader().height() + sum(first) + 4
        room = self.height() - self.table.geometry().top() - self.column.spacing()
        self.box.setMaximumHeight(max(DETAILS_MIN_HEIGHT, room - wanted))


def _empty_state(text: str) -> QLabel:
    empty = label(text, "empty", wrap=True)
    empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return empty


class DetailsBox(QFrame):
    """A light, rounded box under a table for the selected row's details: as tall as
    its content, and scrolling inside (never overlapping) when the window is short."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsBox")
        self.content = content
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 10, 10, 10)
        self.body.addWidget(self.scroll_area)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setMinimumHeight(DETAILS_MIN_HEIGHT)

    def sizeHint(self) -> QSize:
        """The content's height at the box's width (wrapped labels), not a guess."""
        hint = super().sizeHint()
        width = max(self.scroll_area.viewport().width(), 200)
        content = self.content.layout()
        height = (
            content.heightForWidth(width)
            if content is not None and content.hasHeightForWidth()
            else self.content.sizeHint().height()
        )
        margins = self.body.contentsMargins()
        hint.setHeight(height + margins.top() + margins.bottom() + 2 * self.frameWidth())
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.updateGeometry()  # the width changed, so may the wrapped height


def show_verification(verification: str, value: QLabel, badge: QLabel, heading: QLabel) -> None:
    """ "Verified", or the "Unverified (S)" badge and what the marker means."""
    text = verification_badge(verification)
    badge.setVisible(text is not None)
    badge.setText(text or "")
    value.setText("Verified" if text is None else verification_short(verification))
    set_role(value, "" if text is None else "muted")
    for widget in (value, badge, heading):
        widget.setToolTip(verification_text(verification))


# -- findings ------------------------------------------------------------------------


class FindingDetail(QWidget):
    """The Designer form (``ui/finding_detail.ui``), filled from a ``FindingRow``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_FindingDetail()
        self.ui.setupUi(self)

    def show_finding(self, f: FindingRow) -> None:
        ui = self.ui
        color = SEVERITY_COLORS.get(f.severity, "#6b7280")
        ui.severityLabel.setText(
            f'<span style="color:{color}">●</span>&nbsp;<b>{severity_word(f.severity)}</b>'
        )
        ui.ruleLabel.setText(f.rule)
        ui.staleBadge.setVisible(f.stale)
        ui.decisionBadge.setVisible(f.status != "open")
        ui.decisionBadge.setText(FINDING_STATUS_WORDS.get(f.status, f.status))
        ui.messageLabel.setText(f.message)
        ui.citationValue.setText(f.citation or DASH)
        ui.jurisdictionValue.setText(f.jurisdiction or DASH)
        show_verification(
            f.verification, ui.verificationValue, ui.unverifiedBadge, ui.verificationLabel
        )
        source = SOURCE_WORDS.get(f.source, f.source)
        ui.sourceValue.setText(f"{source}, {short_date(f.work_date)}" if f.work_date else source)
        ui.decisionValue.setText(decision_text(f))


class FindingsTab(QStackedWidget):
    """The findings table with the selected finding's details below; an empty state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty = _empty_state(NO_FINDINGS)
        self.addWidget(self.empty)

        self.model = FindingsModel(self)
        self.table = _table(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail = FindingDetail()
        box = DetailsBox(self.detail)

        page = TablePage(self.table, box, 10)
        page.column.addWidget(self.table, 1)
        page.column.addWidget(box)
        self.details_box = box
        self.table_page = page
        self.addWidget(page)

    def set_findings(self, findings: Sequence[FindingRow], *, select_id: int | None = None) -> None:
        """Show the findings, selecting the one ``select_id`` names (else the first)."""
        self.model.set_rows(findings)
        if findings:
            self.setCurrentWidget(self.table_page)
            ids = [f.id for f in findings]
            self.table.selectRow(ids.index(select_id) if select_id in ids else 0)
        else:
            self.setCurrentWidget(self.empty)

    def selected(self) -> FindingRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, finding_id: int) -> None:
        ids = [f.id for f in self.model.rows]
        if finding_id in ids:
            self.table.selectRow(ids.index(finding_id))
            self.table.scrollTo(self.model.index(ids.index(finding_id), 0))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        finding = self.selected()
        self.details_box.setVisible(finding is not None)
        if finding is not None:
            self.detail.show_finding(finding)


# -- checklist -----------------------------------------------------------------------


class ChecklistEditor(QWidget):
    """The Designer form (``ui/checklist_item.ui``): one item, its status and note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ChecklistItem()
        self.ui.setupUi(self)
        self.ui.readOnlyLabel.setText(READ_ONLY_ITEM)
        self._set_choices(CHECKLIST_STATUSES)
        self.item: ChecklistRow | None = None

    def _set_choices(self, statuses: Sequence[str]) -> None:
        combo = self.ui.statusCombo
        if [combo.itemData(i) for i in range(combo.count())] == list(statuses):
            return
        combo.blockSignals(True)
        combo.clear()
        for status in statuses:
            combo.addItem(status_word(status), status)
        combo.blockSignals(False)

    def show_item(self, item: ChecklistRow, today: date, placement: str | None) -> None:
        ui = self.ui
        self.item = item
        ui.titleLabel.setText(f"{item.key} · {item.title}")
        meta = [f"Owner: {owner_word(item.owner)}"]
        if item.due is not None:
            due = f"due {short_date(item.due)}"
            if item.overdue(today):
                due += f" (overdue, {relative_days(item.due, today)})"
            meta.append(due)
        if placement:
            meta.append(f"placement {placement}")
        if item.retired:
            meta.append("retired")
        ui.metaLabel.setText(" · ".join(meta))
        set_role(ui.metaLabel, "error" if item.overdue(today) else "muted")
        ui.evidenceValue.setText(item.evidence_needed or DASH)
        ui.citationValue.setText(item.citation or DASH)
        show_verification(
            item.verification, ui.verificationValue, ui.unverifiedBadge, ui.verificationLabel
        )
        # The statuses the reader may give it, and the one it has; read only: every one.
        allowed = item.statuses or CHECKLIST_STATUSES
        self._set_choices([s for s in CHECKLIST_STATUSES if s in allowed or s == item.status])
        self.revert()

    def revert(self) -> None:
        """Put the stored status and note back in the fields."""
        if self.item is None:
            return
        ui = self.ui
        index = ui.statusCombo.findData(self.item.status)
        ui.statusCombo.setCurrentIndex(max(index, 0))
        ui.noteEdit.setPlainText(self.item.note or "")
        self.clear_errors()

    def status(self) -> str:
        return str(self.ui.statusCombo.currentData())

    def note(self) -> str:
        return self.ui.noteEdit.toPlainText()

    def dirty(self) -> bool:
        return self.item is not None and (
            self.status() != self.item.status or self.note() != (self.item.note or "")
        )

    def clear_errors(self) -> None:
        ui = self.ui
        for error in (ui.statusError, ui.noteError, ui.messageLabel):
            error.clear()
            error.hide()
        for field in (ui.statusCombo, ui.noteEdit):
            _mark_invalid(field, False)

    def show_error(self, field: str, message: str) -> None:
        """A message beside its field; one about no field (or an unknown one) above Save."""
        ui = self.ui
        targets = {"status": (ui.statusError, ui.statusCombo), "note": (ui.noteError, ui.noteEdit)}
        target, widget = targets.get(field, (ui.messageLabel, None))
        text = f"{FIELD_WORDS.get(field, field.capitalize())} {message}." if field else message
        target.setText(text.replace("..", "."))
        target.show()
        if widget is not None:
            _mark_invalid(widget, True)


def _mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class ChecklistTab(QStackedWidget):
    """The checklist table beside the selected item's editor; an empty state."""

    saved = Signal(object)
    """A ``ChecklistRow`` was saved (the screen showing it reads it again)."""
    reverted = Signal()
    """The editor's edits were dropped (the stored item shows again)."""

    def __init__(self, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        #: A save is on its way to the database (its edits are not lost, just unsaved).
        self.saving = False
        self.intern_id: int | None = None
        self.today = date.today()
        self.empty = _empty_state(NO_CHECKLIST)
        self.addWidget(self.empty)

        self.model = ChecklistModel(self)
        self.table = _table(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._update_summary)

        self.summary = label(role="muted")
        self.show_retired = QCheckBox("Show retired")
        self.show_retired.setToolTip(
            "Items the checklist pack no longer requires; their status and note stay as history."
        )
        self.show_retired.toggled.connect(self._show_retired_toggled)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.summary)
        bar.addStretch(1)
        bar.addWidget(self.show_retired)

        self.editor = ChecklistEditor()
        ui = self.editor.ui
        ui.saveButton.clicked.connect(self.save)
        ui.revertButton.clicked.connect(self._revert)
        ui.statusCombo.currentIndexChanged.connect(self._edited)
        ui.noteEdit.textChanged.connect(self._edited)
        self.set_editable(False)  # until an item the reader may change is selected
        self.details_box = DetailsBox(self.editor)

        # The table gets the full width (long requirement titles); the selected item's
        # details and editor sit below it, as a finding's details do on their tab.

        page = TablePage(self.table, self.details_box, 8)
        page.column.addLayout(bar)
        page.column.addWidget(self.table, 1)
        page.column.addSpacing(2)
        page.column.addWidget(self.details_box)
        self.table_page = page
        self.addWidget(page)

    # -- filling -------------------------------------------------------------------

    def set_items(
        self,
        intern_id: int,
        items: Sequence[ChecklistRow],
        today: date,
        placements: Mapping[int, str],
        *,
        select_id: int | None = None,
    ) -> None:
        """Show the items; ``placements`` (id -> dates) names them when there are several."""
        self.intern_id = intern_id
        self.today = today
        self.model.set_items(items, today, placements)
        self.table.setColumnHidden(PLACEMENT_COLUMN, len(placements) < 2)
        self.show_retired.setVisible(self.model.retired_count > 0)
        if not items:
            self.setCurrentWidget(self.empty)
            return
        self.setCurrentWidget(self.table_page)
        self._select(select_id)

    def _select(self, item_id: int | None) -> None:
        row = self.model.row_of(item_id) if item_id is not None else None
        if row is None and self.model.rowCount():
            row = 0
        if row is None:
            self.table.clearSelection()
            self._selection_changed(QItemSelection(), QItemSelection())
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def _update_summary(self) -> None:
        current = [i for i in self.model.all_items if not i.retired]
        open_items = sum(i.status == "open" for i in current)
        overdue = sum(i.overdue(self.today) for i in current)
        parts = [f"{len(current)} items", f"{open_items} open"]
        if overdue:
            parts.append(f"{overdue} overdue")
        self.summary.setText(" · ".join(parts))
        retired = self.model.retired_count
        self.show_retired.setText(f"Show retired ({retired})")

    def _show_retired_toggled(self, show: bool) -> None:
        selected = self.selected()
        self.model.set_show_retired(show)
        self._select(selected.id if selected is not None else None)

    # -- selection and editing -----------------------------------------------------

    def selected(self) -> ChecklistRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        item = self.selected()
        self.details_box.setEnabled(item is not None)
        if item is None:
            self.editor.item = None
            return
        self.editor.show_item(item, self.today, self.model.placements.get(item.placement_id))
        self.set_editable(bool(item.statuses))
        self._edited()

    def set_editable(self, editable: bool) -> None:
        ui = self.editor.ui
        ui.statusCombo.setEnabled(editable)
        ui.noteEdit.setReadOnly(not editable)
        ui.saveButton.setVisible(editable)
        ui.revertButton.setVisible(editable)
        ui.readOnlyLabel.setVisible(not editable)

    def _edited(self) -> None:
        dirty = self.editor.dirty() and not self.saving
        self.editor.ui.saveButton.setEnabled(dirty)
        self.editor.ui.revertButton.setEnabled(dirty)

    def _revert(self) -> None:
        self.editor.revert()
        self._edited()
        self.reverted.emit()

    def unsaved_edits(self) -> bool:
        """Whether the editor holds edits not saved, nor on their way to be."""
        return self.editor.dirty() and not self.saving

    def save(self) -> None:
        """Save the editor's status and note on the worker; errors show beside the
        fields, and the edits stay until the service accepted them."""
        item = self.editor.item
        if item is None or self.ops is None or self.saving:
            return
        self.editor.clear_errors()
        self._set_saving(True)
        self.ops.write(
            self,
            compliance.update_checklist_item,
            item.id,
            status=self.editor.status(),
            note=self.editor.note(),
            changes={"checklist"},
            done=self._saved,
            failed=self._refused,
        )

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self._edited()

    def _saved(self, saved: ChecklistRow) -> None:
        self.editor.item = saved  # what the fields hold is stored now
        self._set_saving(False)
        self.saved.emit(saved)

    def _refused(self, exc: BaseException) -> None:
        self._set_saving(False)
        if isinstance(exc, ValidationError):
            for error in exc.errors:
                self.editor.show_error(error.field, error.message)
        elif isinstance(exc, PermissionDenied):
            self.editor.show_error("", f"Not saved: {exc}.")
        elif isinstance(exc, NotFound):
            self.editor.show_error("", "Not saved: this item no longer exists.")
        else:  # a locked or broken database: say so, keep the edits
            self.editor.show_error("", f"Not saved. {report(exc)}")
