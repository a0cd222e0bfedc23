"""An intern's Progress tab: ratings over time as a chart, goals, evaluations, the
count and last date of check-ins, the school coordinator's site visits, and how each
placement ended.

Everything comes from one read (``progress.intern_progress``) through ``ops``; what
the reader may do comes with it (``may``), so a viewer's tab has no buttons, a
mentor's writes goals, evaluations and closing notes, HR's everything. The tab reads
again when progress records or placements change, once it is on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import QHBoxLayout, QMenu, QScrollArea, QVBoxLayout, QWidget

from internhost.core.dto_progress import (
    EvaluationRow,
    GoalRow,
    OutcomeRow,
    ProgressOverview,
    SiteVisitRow,
)
from internhost.core.services import progress
from internhost.gui.formatting import DASH, date_range, short_date
from internhost.gui.models.columns import Column, Pill, RowsModel
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import button, label
from internhost.gui.widgets.ratings_chart import RatingsChart
from internhost.gui.widgets.refreshing import InternTab
from internhost.gui.widgets.tables import FittedTable

SHOWS = ("progress", "placement", "framework")
GOAL_TONES = {"open": "info", "met": "success", "dropped": "muted"}


def _goal_pills(g: GoalRow) -> tuple[Pill, ...]:
    if g.overdue:
        return (Pill("Overdue", "warning"),)
    return (Pill(g.status.capitalize(), GOAL_TONES.get(g.status, "muted")),)


def _signed(e: EvaluationRow) -> str:
    parts = ["submitted" if e.submitted_at else "draft"]
    if e.intern_acknowledged_on:
        parts.append(f"intern acknowledged {short_date(e.intern_acknowledged_on)}")
    if e.school_verified_on:
        parts.append(f"verified by {e.school_verified_by} on {short_date(e.school_verified_on)}")
    return "; ".join(parts).capitalize()


GOAL_COLUMNS: tuple[Column[GoalRow], ...] = (
    Column("Goal", lambda g: g.title, long=True, sample="Run the press unaided"),
    Column("Due", lambda g: short_date(g.target_date), elide=False, sample="Nov 20, 2026"),
    Column("Status", lambda g: "", pills=_goal_pills, sample="Overdue  "),
    Column("Competency", lambda g: g.competency or DASH, sample="Communication"),
)
EVALUATION_COLUMNS: tuple[Column[EvaluationRow], ...] = (
    Column("Date", lambda e: short_date(e.evaluated_on), elide=False, sample="Nov 20, 2026"),
    Column("Kind", lambda e: e.period_label, sample="Mid-point"),
    Column("Overall", lambda e: f"{e.overall} of {e.scale_max}" if e.overall else DASH),
    Column("Evaluator", lambda e: e.evaluator or DASH, sample="Maria Kowalski"),
    Column("Signatures", _signed, long=True, sample="Submitted; verified"),
)
VISIT_COLUMNS: tuple[Column[SiteVisitRow], ...] = (
    Column("Date", lambda v: short_date(v.visited_on), elide=False, sample="Nov 20, 2026"),
    Column("Visitor", lambda v: v.visitor, sample="Ms. Hale (coordinator)"),
    Column("Notes", lambda v: v.notes or DASH, long=True),
)


def outcome_text(o: OutcomeRow) -> str:
    if o.kind == "terminated":
        notice = (
            f" Notice of concerns sent to the school {short_date(o.concerns_notice_sent_on)}."
            if o.concerns_notice_sent_on
            else " No notice of concerns sent to the school yet."
        )
        return f"Ended early on {short_date(o.ended_on)}: {o.termination_reason}{notice}"
    cde = {True: "counts", False: "does not count", None: "not yet decided whether it counts"}
    steps = f" Next steps: {', '.join(o.next_steps)}." if o.next_steps else ""
    reflection = f" Exit reflection: “{o.exit_reflection}”" if o.exit_reflection else ""
    notes = f" Mentor's closing notes: “{o.mentor_notes}”" if o.mentor_notes else ""
    return (
        f"Completed on {short_date(o.ended_on)}; "
        f"{cde[o.counts_toward_cde]} toward the Career Development Experience."
        f"{steps}{reflection}{notes}"
    )


class ProgressTab(InternTab, QWidget):
    def __init__(self, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.intern_id: int | None = None
        self.intern_name = ""
        self.data: ProgressOverview | None = None

        self.goal_button = button("Add goal…", "secondary", self.add_goal)
        self.evaluate_button = button("Evaluate…", "primary", self.add_evaluation)
        self.edit_button = button("Edit…", "secondary", self.edit_selected)
        self.more = QMenu(self)
        self.visit_action = self.more.addAction("Record a site visit…", self.add_visit)
        self.end_action = self.more.addAction("Complete or end the placement…", self.end)
        self.notes_action = self.more.addAction("Closing notes…", self.closing_notes)
        self.more_button = button("More", "secondary", self._show_more)
        self.toolbar = QHBoxLayout()
        for widget in (self.evaluate_button, self.goal_button, self.edit_button, self.more_button):
            self.toolbar.addWidget(widget)
        self.toolbar.addStretch(1)

        self.summary = label(wrap=True)
        self.summary.setObjectName("progressSummary")
        self.chart = RatingsChart()
        self.goals: RowsModel[GoalRow] = RowsModel(GOAL_COLUMNS, self)
        self.goals_view = self._table(self.goals)
        self.goals_note = label("No goals yet.", "muted")
        self.evaluations: RowsModel[EvaluationRow] = RowsModel(EVALUATION_COLUMNS, self)
        self.evaluations_view = self._table(self.evaluations)
        self.evaluations_note = label("No evaluations yet.", "muted")
        self.visits: RowsModel[SiteVisitRow] = RowsModel(VISIT_COLUMNS, self)
        self.visits_view = self._table(self.visits)
        self.visits_note = label("No site visits recorded.", "muted")
        self.completion = label(wrap=True)
        self.letter_button = button("Reference letter…", "secondary", self.reference_letter)
        self.letter_button.setObjectName("referenceLetter")
        self.letter_button.setToolTip(
            "The mentor's draft reference letter, kept with the placement"
        )

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 10, 0, 0)
        column.setSpacing(6)
        column.addLayout(self.toolbar)
        column.addWidget(self.summary)
        column.addSpacing(6)
        column.addWidget(label("Ratings over time", "heading"))
        column.addWidget(self.chart)
        for heading, view, note in (
            ("Goals", self.goals_view, self.goals_note),
            ("Evaluations", self.evaluations_view, self.evaluations_note),
            ("Site visits", self.visits_view, self.visits_note),
        ):
            column.addSpacing(8)
            column.addWidget(label(heading, "heading"))
            column.addWidget(view)
            column.addWidget(note)
        column.addSpacing(8)
        column.addWidget(label("Completion", "heading"))
        column.addWidget(self.completion)
        letter_row = QHBoxLayout()
        letter_row.addWidget(self.letter_button)
        letter_row.addStretch(1)
        column.addLayout(letter_row)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        if ops is not None:
            self.follow(ops, SHOWS)
        self._update_buttons()

    def _table(self, model: RowsModel) -> FittedTable:  # type: ignore[type-arg]
        view = FittedTable()
        view.setModel(model)
        view.selectionModel().selectionChanged.connect(self._selection_changed)
        view.doubleClicked.connect(lambda _index: self.edit_selected())
        return view

    # -- reading ---------------------------------------------------------------------

    def show_intern(self, intern_id: int, name: str) -> None:
        self.intern_name = name
        self.follow_intern(intern_id)

    def forget(self) -> None:
        self.data = None
        for model in (self.goals, self.evaluations, self.visits):
            model.set_rows(())

    def load(self) -> None:
        self.read_intern(progress.intern_progress, self.show_progress)

    def show_progress(self, data: ProgressOverview) -> None:
        if data.intern_id != self.intern_id:
            return
        from internhost.gui.views.intern_detail import _fill  # the pane holds this tab

        self.data = data
        last = f", the last on {short_date(data.last_check_in)}" if data.last_check_in else ""
        placements = "; ".join(
            f"{date_range(p.start_date, p.end_date)} at {p.worksite or 'no worksite'} ({p.status})"
            for p in data.placements
        )
        self.summary.setText(
            f"{data.check_ins} check-in{'s' if data.check_ins != 1 else ''}{last}. "
            f"Placements: {placements or 'none'}."
        )
        self.chart.set_evaluations(data.evaluations)
        _fill(self.goals_view, self.goals_note, self.goals, data.goals)
        newest_first = tuple(reversed(data.evaluations))
        _fill(self.evaluations_view, self.evaluations_note, self.evaluations, newest_first)
        _fill(self.visits_view, self.visits_note, self.visits, data.site_visits)
        self.completion.setText(
            "\n\n".join(outcome_text(o) for o in data.outcomes) or "Not completed or ended yet."
        )
        self._update_buttons()

    # -- actions ---------------------------------------------------------------------

    def _may(self, what: str) -> bool:
        return self.data is not None and what in self.data.may

    def _selection_changed(self, _a: QItemSelection, _b: QItemSelection) -> None:
        self._update_buttons()

    def _selected(self) -> GoalRow | EvaluationRow | SiteVisitRow | None:
        for view, model in (
            (self.goals_view, self.goals),
            (self.evaluations_view, self.evaluations),
            (self.visits_view, self.visits),
        ):
            rows = view.selectionModel().selectedRows()
            if rows and view.hasFocus():
                return model.row_at(rows[0].row())
        for view, model in (
            (self.goals_view, self.goals),
            (self.evaluations_view, self.evaluations),
            (self.visits_view, self.visits),
        ):
            rows = view.selectionModel().selectedRows()
            if rows:
                return model.row_at(rows[0].row())
        return None

    def _update_buttons(self) -> None:
        has_placement = self.data is not None and bool(self.data.placements)
        self.goal_button.setVisible(self._may("goals"))
        self.goal_button.setEnabled(has_placement)
        self.evaluate_button.setVisible(self._may("evaluations"))
        self.evaluate_button.setEnabled(has_placement)
        chosen = self._selected()
        editable = (
            (isinstance(chosen, GoalRow) and self._may("goals"))
            or (isinstance(chosen, EvaluationRow) and self._may("evaluations"))
            or (isinstance(chosen, SiteVisitRow) and self._may("site_visits"))
        )
        self.edit_button.setVisible(self._may("goals") or self._may("evaluations"))
        self.edit_button.setEnabled(bool(editable))
        self.visit_action.setVisible(self._may("site_visits"))
        self.visit_action.setEnabled(has_placement)
        self.end_action.setVisible(self._may("outcome"))
        self.end_action.setEnabled(has_placement)
        ended = self.data is not None and bool(self.data.outcomes)
        self.notes_action.setVisible(self._may("mentor_notes") and not self._may("outcome"))
        self.notes_action.setEnabled(ended)
        self.more_button.setVisible(
            self._may("site_visits") or self._may("outcome") or self._may("mentor_notes")
        )
        self.letter_button.setVisible(self._may("reference_letter"))
        self.letter_button.setEnabled(has_placement)

    def _show_more(self) -> None:
        below = self.more_button.rect().bottomLeft()
        self.more.popup(self.more_button.mapToGlobal(below))

    def add_goal(self) -> None:
        from internhost.gui.dialogs.goal import open_goal

        if self.ops is not None and self.data is not None:
            open_goal(self, self.ops, self.data)

    def add_evaluation(self) -> None:
        from internhost.gui.dialogs.evaluation import open_evaluation

        if self.ops is not None and self.data is not None:
            open_evaluation(self, self.ops, self.data)

    def add_visit(self) -> None:
        from internhost.gui.dialogs.site_visit import open_site_visit

        if self.ops is not None and self.data is not None:
            open_site_visit(self, self.ops, self.data)

    def end(self) -> None:
        from internhost.gui.dialogs.outcome import open_outcome

        if self.ops is not None and self.data is not None:
            open_outcome(self, self.ops, self.data)

    def closing_notes(self) -> None:
        from internhost.gui.dialogs.outcome import open_closing_notes

        if self.ops is not None and self.data is not None and self.data.outcomes:
            open_closing_notes(self, self.ops, self.data.outcomes[-1])

    def reference_letter(self) -> None:
        from internhost.gui.dialogs.reference_letter import open_reference_letter

        if self.ops is not None and self.data is not None and self.data.placements:
            open_reference_letter(self, self.ops, self.data, self.intern_name)

    def edit_selected(self) -> None:
        chosen = self._selected()
        if self.ops is None or self.data is None or chosen is None:
            return
        if isinstance(chosen, GoalRow) and self._may("goals"):
            from internhost.gui.dialogs.goal import open_goal

            open_goal(self, self.ops, self.data, chosen)
        elif isinstance(chosen, EvaluationRow) and self._may("evaluations"):
            from internhost.gui.dialogs.evaluation import open_evaluation

            open_evaluation(self, self.ops, self.data, chosen)
        elif isinstance(chosen, SiteVisitRow) and self._may("site_visits"):
            from internhost.gui.dialogs.site_visit import open_site_visit

            open_site_visit(self, self.ops, self.data, chosen)


def placement_choices(data: ProgressOverview) -> list[tuple[int, str]]:
    """The intern's placements as a dialog's choices, the newest first."""
    return [
        (p.id, f"{date_range(p.start_date, p.end_date)} at {p.worksite or 'no worksite'}")
        for p in reversed(data.placements)
    ]
