"""The schedule planner: a week of shifts for one intern or one worksite, checked
live as HR draws them.

The screen reads the week (``schedules.week_plan``) and shows it in a
``WeekView``. Each edit (a drawn, moved or resized shift) is checked at once on the
database worker (``schedules.preview``, read with ``latest=`` so only the last
edit's answer is painted); the panel on the right shows the selected shift's
findings with their explanation, citation and what the decisions table says to do.
Save (or Enter) stores the edit; when a finding blocks it the refusal says why and
how to fix it, and the draft stays to be fixed.
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from internhost.core import dto
from internhost.core.errors import DomainError, ValidationError
from internhost.core.services import directory, placements, schedules
from internhost.gui.formatting import long_date, short_date
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import PAGE_MARGIN, button, label
from internhost.gui.widgets.refreshing import Refreshing
from internhost.gui.widgets.shift_details import Details, ShiftDetailsPanel
from internhost.gui.widgets.week_view import SYMBOLS, Draft, WeekView, details_of

PANEL_W = 310
SEVERITY_WORDS = {"violation": "Violation", "warning": "Warning", "advisory": "Advisory"}
SAVED = {"shift", "finding"}
OVERRIDE_HELP = (
    "Say why the shift may be worked anyway, in words HR and an inspector can read later."
)


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def finding_html(f: dto.PlanFinding) -> str:
    """One finding for the panel: its symbol and severity in words, the explanation,
    the citation and its verification, and what may be done about it."""
    head = f"{SYMBOLS[f.severity]} {SEVERITY_WORDS[f.severity]}"
    if f.blocks_plan:
        head += " — blocks saving"
    if f.decision:
        head += f" — {f.decision}d by HR"
    return (
        f"<p><b>{html.escape(head)}</b><br>{html.escape(f.message)}<br>"
        f"<i>{html.escape(f.citation)} [{html.escape(f.verification)}]</i><br>"
        f"<span style='color:#555'>{html.escape(f.advice)}</span></p>"
    )


class PlannerView(Refreshing, QWidget):
    """The planner screen."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.week = week_of(ops.today())
        self.plan: dto.WeekPlan | None = None
        self.mode = QComboBox()
        self.mode.addItem("Intern", "intern")
        self.mode.addItem("Worksite", "worksite")
        self.subject = QComboBox()
        self.subject.setMinimumContentsLength(18)
        self.week_label = label(role="heading")
        self.view = WeekView()
        self.heading = label(wrap=True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.problem = label(role="error", wrap=True)
        self.shift_details = ShiftDetailsPanel()
        self.save_button = button("Save", "primary", self.save)
        self.discard_button = button("Discard", "secondary", self.discard)
        self.delete_button = button("Remove", "secondary", self.delete)
        self.override_button = button("Override with a reason…", "secondary", self.override)
        self.override_button.hide()
        self.more_button = QPushButton("More")
        self.more_button.setProperty("role", "secondary")
        more = QMenu(self.more_button)
        self.series_action = more.addAction("Recurring shifts…", self.plan_series)
        self.closures_action = more.addAction("Plant closures…", self.edit_closures)
        self.more_button.setMenu(more)
        self._choices: dict[str, list[tuple[str, int]]] = {}
        #: The placements of the interns listed, for a pattern's default dates.
        self.placements: dict[int, dto.PlacementRow] = {}
        #: What a shift's details may name, by worksite (read once per worksite).
        self.shift_choices: dict[int, dto.ShiftChoices] = {}
        #: What ``show_subject``/``show_shift`` asked for, until the answers come.
        self._wanted_subject: int | None = None
        self._select_when_shown: str | None = None
        self._build()
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.subject.currentIndexChanged.connect(lambda _i: self.load())
        self.view.edited.connect(self._edited)
        self.view.selected.connect(lambda _key: self._show_selection())
        self.view.save_requested.connect(lambda _key: self.save())
        self.view.delete_requested.connect(lambda _key: self.delete())
        self.view.details_requested.connect(lambda _key: self.shift_details.area.setFocus())
        self.shift_details.changed.connect(self._details_changed)
        self.follow(ops, ("shift", "finding", "placement", "intern", "calendar", "time_entry"))
        self._read_choices()

    def _build(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(label("Plan for", None))
        bar.addWidget(self.mode)
        bar.addWidget(self.subject, 1)
        bar.addSpacing(16)
        bar.addWidget(button("◀ Previous", "secondary", lambda: self._go(-7)))
        bar.addWidget(button("This week", "secondary", self._this_week))
        bar.addWidget(button("Next ▶", "secondary", lambda: self._go(7)))
        bar.addWidget(self.more_button)
        scroll = QScrollArea()
        scroll.setWidget(self.view)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        panel = QFrame()
        panel.setFixedWidth(PANEL_W)
        side = QVBoxLayout(panel)
        side.setContentsMargins(12, 0, 0, 0)
        side.addWidget(self.heading)
        side.addWidget(self.shift_details)
        details = QScrollArea()
        details.setWidget(self.details)
        details.setWidgetResizable(True)
        details.setFrameShape(QFrame.Shape.NoFrame)
        side.addWidget(details, 1)
        side.addWidget(self.problem)
        side.addWidget(self.override_button)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.discard_button)
        row.addWidget(self.delete_button)
        side.addLayout(row)
        side.addWidget(
            label(
                "Drag across a day to draw a shift, drag it to move, drag an edge to "
                "resize. Keys: Tab picks a shift, arrows move it 15 min, Ctrl+arrows a "
                "day, Shift+arrows change its end, Insert adds, Delete removes, Enter saves, "
                "F2 edits its area, supervisor, tasks and breaks. "
                "Hatched: hours the law or the plant does not allow.",
                "muted",
                wrap=True,
            )
        )
        body = QHBoxLayout()
        body.addWidget(scroll, 1)
        body.addWidget(panel)
        page = QVBoxLayout(self)
        page.setContentsMargins(PAGE_MARGIN, 16, PAGE_MARGIN, 12)
        page.addWidget(label("Schedule planner", "title"))
        page.addLayout(bar)
        page.addWidget(self.week_label)
        page.addLayout(body, 1)
        self._show_selection()

    # -- reading

    def _read_choices(self) -> None:
        """The interns with placements and the worksites, for the subject picker."""
        self.ops.read(
            self,
            placements.list_placements,
            include_archived=False,
            done=self._got_placements,
        )
        self.ops.read(self, directory.list_worksites, done=self._got_sites)

    def _got_placements(self, rows: list[dto.PlacementRow]) -> None:
        self.placements = {r.id: r for r in rows}
        seen: dict[int, str] = {}
        for r in rows:
            seen.setdefault(r.intern_id, r.intern_name)
        self._choices["intern"] = sorted(((n, i) for i, n in seen.items()), key=lambda c: c[0])
        self._fill_subjects()

    def _got_sites(self, rows: list[dto.WorksiteRow]) -> None:
        self._choices["worksite"] = [(r.name, r.id) for r in rows if not r.archived]
        self._fill_subjects()

    def _fill_subjects(self) -> None:
        mode = self.mode.currentData()
        if mode not in self._choices:
            return
        current = self.subject.currentData()
        if self._wanted_subject is not None and self.subject_listed(self._wanted_subject, mode):
            current, self._wanted_subject = self._wanted_subject, None
        self.subject.blockSignals(True)
        self.subject.clear()
        for text, value in self._choices[mode]:
            self.subject.addItem(text, value)
        index = self.subject.findData(current)
        self.subject.setCurrentIndex(max(0, index))
        self.subject.blockSignals(False)
        self.load()

    def subject_listed(self, subject_id: int, mode: str) -> bool:
        return any(value == subject_id for _text, value in self._choices.get(mode, ()))

    def _mode_changed(self) -> None:
        self._fill_subjects()

    def show_subject(self, mode: str, subject_id: int, week: date | None = None) -> None:
        """Show one intern's or one worksite's week (from elsewhere in the app), now
        or once the subjects are listed."""
        if week is not None:
            self.week = week_of(week)
        self._wanted_subject = subject_id
        if self.mode.currentData() != mode:
            self.mode.setCurrentIndex(self.mode.findData(mode))  # fills the subjects
        else:
            self._fill_subjects()

    def show_shift(self, intern_id: int, shift_id: int, day: date) -> None:
        """The intern's week of ``day``, that shift selected (a finding's place to fix)."""
        self._select_when_shown = f"shift:{shift_id}"
        self.show_subject("intern", intern_id, day)

    def load(self) -> None:
        subject = self.subject.currentData()
        self.week_label.setText(f"Week of {long_date(self.week)}")
        if subject is None:
            return
        which = {f"{self.mode.currentData()}_id": subject}
        self.ops.read(
            self,
            schedules.week_plan,
            self.week,
            today=self.ops.today(),
            done=self._show_plan,
            latest="week",
            **which,
        )

    def _show_plan(self, plan: dto.WeekPlan) -> None:
        self.plan = plan
        self.view.set_plan(plan, self.ops.today())
        wanted = self._select_when_shown
        if wanted is not None and self.view.shift(wanted) is not None:
            self._select_when_shown = None
            self.view.select(wanted)
            self.view.setFocus()
        self._clear_problem()
        self._show_selection()
        self.more_button.setVisible(plan.can_edit)
        if plan.can_edit:
            for site in {lane.worksite_id for lane in plan.lanes} - self.shift_choices.keys():
                if site is not None:
                    self.ops.read(
                        self,
                        schedules.shift_choices,
                        site,
                        done=partial(self._got_shift_choices, site),
                    )

    def _got_shift_choices(self, site: int, choices: dto.ShiftChoices) -> None:
        self.shift_choices[site] = choices
        self._show_selection()

    def _clear_problem(self) -> None:
        self.problem.clear()
        self.override_button.hide()

    def _go(self, days: int) -> None:
        self.week += timedelta(days=days)
        self.load()

    def _this_week(self) -> None:
        self.week = week_of(self.ops.today())
        self.load()

    # -- the live check

    def _edited(self, draft: Draft) -> None:
        self._clear_problem()
        self._show_selection()
        self.ops.read(
            self,
            schedules.preview,
            draft.intern_id,
            [schedules.ShiftDraft(draft.key, _input(draft), draft.shift_id)],
            week_start=self.week,
            today=self.ops.today(),
            done=partial(self._previewed, draft.key),
            failed=self.ops.expected(self, self._preview_failed),
            latest="preview",
        )

    def _previewed(self, key: str, preview: dto.PlanPreview) -> None:
        if key not in self.view.drafts:
            return
        self.view.set_preview(preview.intern_id, preview.findings, preview.days)
        self._show_selection()

    def _preview_failed(self, exc: BaseException) -> None:
        self.problem.setText(_problems(exc))

    # -- the panel

    def _show_selection(self) -> None:
        key = self.view.current
        editable = bool(self.plan and self.plan.can_edit)
        pending = key is not None and key in self.view.drafts
        self.save_button.setEnabled(editable and pending)
        self.discard_button.setEnabled(editable and bool(self.view.drafts))
        self.delete_button.setEnabled(editable and key is not None and key.startswith("shift:"))
        for widget in (self.save_button, self.discard_button, self.delete_button):
            widget.setVisible(editable)
        self._show_details(key, editable)
        if key is None:
            self.heading.setText("Select a shift to see its findings.")
            self.details.setText("")
            return
        span = self.view.span_of(key)
        where = []
        if span:
            where.append(f"{short_date(span[0].date())}, {span[0]:%H:%M}–{span[1]:%H:%M}")
        shift = self.view.shift(key)
        if shift is not None and not editable:  # the details panel is for editors
            where += [shift.area] if shift.area else []
            where += [f"supervisor {shift.supervisor}"] if shift.supervisor else []
        if shift is not None and shift.series:
            where.append("recurring")
        status = " (not saved)" if pending else ""
        self.heading.setText(" · ".join(where) + status)
        findings = self.view.findings_of(key)
        self.details.setText(
            "".join(finding_html(f) for f in findings) or "<p>No findings: the rules allow it.</p>"
        )

    # -- a shift's details

    def _lane_of(self, key: str) -> dto.PlanLane | None:
        """The row of the intern whose shift (or draft) ``key`` is."""
        draft = self.view.drafts.get(key)
        shift = self.view.shift(key)
        intern_id = draft.intern_id if draft else shift.intern_id if shift else None
        return self.view.lane_of(intern_id) if intern_id is not None else None

    def _worksite_of(self, key: str) -> int | None:
        lane = self._lane_of(key)
        return lane.worksite_id if lane else None

    def _show_details(self, key: str | None, editable: bool) -> None:
        """The selected shift's area, supervisor and tasks, editable once the
        worksite's choices came."""
        site = self._worksite_of(key) if key is not None else None
        choices = self.shift_choices.get(site) if site is not None else None
        self.shift_details.setVisible(editable and key is not None)
        if key is None or choices is None:
            self.shift_details.setEnabled(False)
            return
        self.shift_details.set_choices(choices)
        draft = self.view.drafts.get(key)
        self.shift_details.show_details(
            draft.current_details() if draft else details_of(self.view.shift(key)),
            self.view.span_of(key),
        )
        self.shift_details.setEnabled(True)

    def _details_changed(self, details: Details) -> None:
        key = self.view.current
        if key is not None:
            self.view.set_details(key, details)

    # -- saving

    def save(self) -> None:
        key = self.view.current
        if key is None or key not in self.view.drafts:
            return
        draft = self.view.drafts[key]

        def done(_saved: object) -> None:
            self.view.discard(key)

        failed = self.ops.expected(self, self._save_failed)
        if draft.shift_id is not None and draft.base is not None and draft.base.series:
            whole = _ask_series(self, "Save planned shift")
            if whole is None:
                return
            if whole:
                self.ops.write(
                    self,
                    schedules.save_series,
                    draft.shift_id,
                    _input(draft),
                    today=self.ops.today(),
                    changes=SAVED,
                    done=done,
                    failed=failed,
                )
                return
        self.ops.write(
            self,
            schedules.save_shift,
            _input(draft),
            draft.shift_id,
            today=self.ops.today(),
            changes=SAVED,
            done=done,
            failed=failed,
        )

    def _save_failed(self, exc: BaseException) -> None:
        self.problem.setText(_problems(exc))
        self.override_button.setVisible(self.may_override())

    def may_override(self) -> bool:
        """Whether HR may save the selected draft anyway: every finding that blocks
        it is one the decisions table lets HR override with a reason."""
        key = self.view.current
        if key is None or key not in self.view.drafts or not (self.plan and self.plan.can_edit):
            return False
        blocking = [f for f in self.view.findings_of(key) if f.blocks_plan]
        return bool(blocking) and all(f.may_override for f in blocking)

    def override(self) -> Any:
        """Save the selected draft with its blocking findings overridden, after HR
        wrote why (the reason dialog; the service refuses what the table forbids)."""
        from internhost.gui.dialogs.record import edit_with_form
        from internhost.gui.widgets.fields import FieldForm, text

        key = self.view.current
        if key is None or key not in self.view.drafts:
            return None
        draft = self.view.drafts[key]
        data, today = _input(draft), self.ops.today()
        form = FieldForm([text("override_reason", "Reason", multiline=True, help=OVERRIDE_HELP)])
        blocking = [f for f in self.view.findings_of(key) if f.blocks_plan]
        intro = "Save this shift and override:\n" + "\n".join(
            f"{SYMBOLS[f.severity]} {f.message} [{f.citation}]" for f in blocking
        )

        def save(values: dict[str, Any]) -> dto.PlanShift:
            return self.ops.database.write(
                schedules.save_shift,
                data,
                draft.shift_id,
                today=today,
                override_reason=values["override_reason"] or "",
            )

        saved = edit_with_form(
            self,
            "Override and save shift",
            form,
            save,
            ops=self.ops,
            changes=SAVED,
            intro=intro,
            size=(620, 420),
        )
        if saved is not None:
            self.view.discard(key)
            self._clear_problem()
            self._show_selection()
        return saved

    def discard(self) -> None:
        self.view.discard()
        self._clear_problem()
        self._show_selection()

    def delete(self) -> None:
        key = self.view.current
        if key is None or not key.startswith("shift:"):
            return
        shift = self.view.shift(key)
        whole = False
        if shift is not None and shift.series:
            answer = _ask_series(self, "Remove planned shift")
            if answer is None:
                return
            whole = answer
        self.ops.write(
            self,
            schedules.delete_shift,
            int(key.partition(":")[2]),
            whole_series=whole,
            today=self.ops.today(),
            changes=SAVED,
            failed=self.ops.expected(self, self._save_failed),
        )

    # -- more

    def plan_series(self) -> dto.SeriesResult | None:
        """The recurring-pattern dialog for the selected shift's intern (or the
        first intern shown); the series saved, or None."""
        from internhost.gui.dialogs.shift_series import series_dialog

        if self.plan is None or not self.plan.lanes:
            return None
        key = self.view.current
        lane = (self._lane_of(key) if key is not None else None) or self.plan.lanes[0]
        placement = self.placements.get(lane.placement_ids[0]) if lane.placement_ids else None
        if placement is None:
            return None
        site = lane.worksite_id
        return series_dialog(
            self, self.ops, lane, placement, self.shift_choices.get(site) if site else None
        )

    def edit_closures(self) -> None:
        from internhost.gui.dialogs.closures import ClosuresDialog

        ClosuresDialog(self.ops, self).exec()


def _input(draft: Draft) -> schedules.ShiftInput:
    """What the services take for a drawn shift: its times, and its area, supervisor
    and tasks as HR set them, else those of the shift it edits (or, for a new one, of
    the intern's last shift). A supervisor HR picked is judged by their staff record."""
    base = draft.base
    details = draft.current_details()
    same_supervisor = base is not None and details.supervisor_staff_id == base.supervisor_staff_id
    return schedules.ShiftInput(
        placement_id=draft.placement_id,
        start=draft.start,
        end=draft.end,
        area_id=details.area_id,
        supervisor_staff_id=details.supervisor_staff_id,
        supervisor_21_or_older=base.supervisor_21_or_older if base and same_supervisor else None,
        tasks=details.tasks,
        breaks=details.breaks,
    )


def _ask_series(parent: QWidget, title: str) -> bool | None:
    """ "This shift only" (False) or "the whole series" (True); None: cancelled."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setText("This shift is one of a recurring pattern.")
    only = box.addButton("This shift only", QMessageBox.ButtonRole.AcceptRole)
    whole = box.addButton("The whole series from today", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return True if clicked is whole else False if clicked is only else None


def _problems(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "\n".join(e.message for e in exc.errors)
    if isinstance(exc, DomainError):
        return str(exc)
    return repr(exc)
