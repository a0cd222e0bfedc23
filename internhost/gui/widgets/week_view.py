"""A week of planned shifts, one row per intern and one column per day, drawn with
QPainter: the legal window shaded first, then the shifts with their findings.

One intern's week has a row per day instead, so the hours get the whole width.
Each day cell runs from ``FIRST_HOUR`` to ``LAST_HOUR`` left to right. What the law
does not allow (before the earliest start, after the latest end, school hours, a
day the intern may not work or the plant is closed) is hatched before anything else
is drawn, so a shift drawn into it is seen to be. A finding is painted on its shift
as a symbol and words ("✖ 2 violations"), never as colour alone.

HR draws a shift by dragging across a day, moves one by dragging its body (to
another day too) and resizes it by dragging an edge; the keyboard does the same
(arrows move by 15 minutes, Ctrl+arrows by a day, Shift+arrows resize, Insert adds,
Delete removes, Enter saves, F2 edits the shift's details). The view only reports
edits (``edited``); the planner screen checks them (``schedules.preview``) and
hands the findings back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from internhost.core.dto import PlanDay, PlanFinding, PlanLane, PlanShift, WeekPlan
from internhost.core.services.schedules import moved_breaks
from internhost.gui.formatting import hours
from internhost.gui.widgets.shift_details import Details

FIRST_HOUR, LAST_HOUR = 6, 22
SNAP = timedelta(minutes=15)
HEADER_H = 40
NAME_W = 190
#: The left column of one intern's week (the days' names).
DAY_NAME_W = 118
LANE_H = 66
#: One intern's week: a row per day, the hours across the whole width.
DAY_ROW_H = 58
EDGE = 6  # pixels of a shift's edge that resize it
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SYMBOLS = {"violation": "✖", "warning": "⚠", "advisory": "ℹ"}
PLURALS = {"violation": "violations", "warning": "warnings", "advisory": "advisories"}

_HATCH = QColor(150, 150, 150, 110)
_SHIFT = QColor("#dbe8f7")
_SHIFT_BORDER = QColor("#3b6ea5")
_BLOCKING = QColor("#b3261e")
_WARNING = QColor("#8a5a00")
_GRID = QColor("#c8c8c8")
_TODAY = QColor("#fff8dc")


@dataclass(frozen=True)
class Draft:
    """A shift as the view holds it while HR edits it: a stored one (``shift_id``)
    moved, resized or given other details, or a new one; ``details`` are its area,
    supervisor and tasks as HR set them (None: those of ``base``)."""

    key: str
    intern_id: int
    placement_id: int
    start: datetime
    end: datetime
    shift_id: int | None = None
    base: PlanShift | None = None
    details: Details | None = None

    def current_details(self) -> Details:
        """Its details: as HR set them, or those of the shift it started from (its
        breaks moved along with it; a new shift takes no other day's breaks)."""
        if self.details is not None:
            return self.details
        base = details_of(self.base)
        if self.shift_id is None or self.base is None:
            return replace(base, breaks=())
        moved = moved_breaks(base.breaks, self.base.start, self.base.end, self.start, self.end)
        return replace(base, breaks=moved)

    def spanning(self, start: datetime, end: datetime) -> Draft:
        """This draft at ``start``–``end``, breaks HR set moved as ``move_shift``
        moves a stored shift's."""
        details = self.details
        if details is not None:
            breaks = moved_breaks(details.breaks, self.start, self.end, start, end)
            details = replace(details, breaks=breaks)
        return replace(self, start=start, end=end, details=details)


def details_of(shift: PlanShift | None) -> Details:
    """A stored shift's area, supervisor, tasks and breaks (none for no shift)."""
    if shift is None:
        return Details(None, None, ())
    return Details(shift.area_id, shift.supervisor_staff_id, shift.tasks, shift.breaks)


def summary(findings: tuple[PlanFinding, ...]) -> str:
    """``✖ 2 violations · ⚠ 1 warning``: symbols and words, gravest first."""
    parts = []
    for severity, symbol in SYMBOLS.items():
        n = sum(1 for f in findings if f.severity == severity)
        if n:
            word = PLURALS[severity] if n > 1 else severity
            parts.append(f"{symbol} {n} {word}")
    return " · ".join(parts)


def _minutes(moment: time) -> float:
    return moment.hour * 60 + moment.minute - FIRST_HOUR * 60


class WeekView(QWidget):
    """The painted week. ``set_plan`` shows a ``WeekPlan``; ``set_preview`` the live
    check of one intern's edited plan."""

    #: The key of the shift selected ("shift:12", a draft's "new:1"), or None.
    selected = Signal(object)
    #: A shift was drawn, moved or resized (a ``Draft``): while dragging and at the end.
    edited = Signal(object)
    #: Delete was pressed on the selected shift (its key).
    delete_requested = Signal(object)
    #: Enter was pressed: save the selected shift's edit.
    save_requested = Signal(object)
    #: F2 was pressed: edit the selected shift's area, supervisor and tasks.
    details_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan: WeekPlan | None = None
        self._shifts: dict[str, PlanShift] = {}
        self.drafts: dict[str, Draft] = {}
        self.live: dict[str, tuple[PlanFinding, ...]] = {}
        self.live_days: dict[int, tuple[PlanDay, ...]] = {}
        self.current: str | None = None
        self.today = date.today()
        self._drag: tuple[str, str, float] | None = None  # key, mode, grab offset (min)
        self._new = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    # -- what is shown

    def set_plan(self, plan: WeekPlan, today: date) -> None:
        self.plan, self.today = plan, today
        self._shifts = {sh.key: sh for lane in plan.lanes for sh in lane.shifts}
        self.drafts.clear()
        self.live.clear()
        self.live_days.clear()
        keys = {sh.key for lane in plan.lanes for sh in lane.shifts}
        if self.current not in keys:
            self.current = None
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def set_preview(
        self,
        intern_id: int,
        findings: dict[str, tuple[PlanFinding, ...]],
        days: tuple[PlanDay, ...],
    ) -> None:
        """The live check of an intern's plan: findings by shift key, the week's days."""
        lane = self.lane_of(intern_id)
        if lane is None:
            return
        for sh in lane.shifts:
            self.live[sh.key] = findings.get(sh.key, ())
        for key, draft in self.drafts.items():
            if draft.intern_id == intern_id:
                self.live[key] = findings.get(key, ())
        if days:
            self.live_days[intern_id] = days
        self._update_lane(intern_id)

    def discard(self, key: str | None = None) -> None:
        """Drop one draft (or all), back to what is stored."""
        for k in [key] if key else list(self.drafts):
            self.drafts.pop(k, None)
            self.live.pop(k, None)
        if (
            self.current is not None
            and self.current.startswith("new:")
            and self.current not in self.drafts
        ):
            self.current = None
        self.live_days.clear()
        self.update()

    def findings_of(self, key: str) -> tuple[PlanFinding, ...]:
        if key in self.live:
            return self.live[key]
        shift = self.shift(key)
        return shift.findings if shift else ()

    def shift(self, key: str) -> PlanShift | None:
        return self._shifts.get(key)

    def span_of(self, key: str) -> tuple[datetime, datetime] | None:
        if key in self.drafts:
            return self.drafts[key].start, self.drafts[key].end
        shift = self.shift(key)
        return (shift.start, shift.end) if shift else None

    def select(self, key: str | None) -> None:
        self.current = key
        self.selected.emit(key)
        self.update()

    def lane_of(self, intern_id: int) -> PlanLane | None:
        return (
            next((lane for lane in self.plan.lanes if lane.intern_id == intern_id), None)
            if self.plan
            else None
        )

    def _days(self, lane: PlanLane) -> tuple[PlanDay, ...]:
        return self.live_days.get(lane.intern_id, lane.days)

    # -- geometry

    @property
    def rows_are_days(self) -> bool:
        """One intern: a row per day; several: a row per intern, a column per day."""
        return bool(self.plan and len(self.plan.lanes) == 1)

    @property
    def name_w(self) -> int:
        return DAY_NAME_W if self.rows_are_days else NAME_W

    def lane_height(self) -> int:
        return 7 * DAY_ROW_H if self.rows_are_days else LANE_H

    def sizeHint(self) -> QSize:
        lanes = len(self.plan.lanes) if self.plan else 0
        height = HEADER_H + max(1, lanes) * self.lane_height() + 1
        return QSize(self.name_w + (640 if self.rows_are_days else 7 * 110), height)

    def minimumSizeHint(self) -> QSize:
        wide = 360 if self.rows_are_days else 7 * 60
        return QSize(self.name_w + wide, HEADER_H + self.lane_height())

    def _day_width(self) -> float:
        return (self.width() - self.name_w - 1) / 7

    def _cell(self, lane: int, day: int) -> QRectF:
        if self.rows_are_days:
            return QRectF(
                self.name_w, HEADER_H + day * DAY_ROW_H, self.width() - self.name_w - 1, DAY_ROW_H
            )
        w = self._day_width()
        return QRectF(
            self.name_w + day * w, HEADER_H + lane * self.lane_height(), w, self.lane_height()
        )

    def _x(self, cell: QRectF, minutes: float) -> float:
        span = (LAST_HOUR - FIRST_HOUR) * 60
        return cell.left() + max(0.0, min(span, minutes)) / span * cell.width()

    def _shift_rect(self, lane: int, week_start: date, start: datetime, end: datetime) -> QRectF:
        day = (start.date() - week_start).days
        cell = self._cell(lane, day)
        left = self._x(cell, _minutes(start.time()))
        stop = _minutes(end.time()) if end.date() == start.date() else (LAST_HOUR - FIRST_HOUR) * 60
        right = max(left + 4, self._x(cell, stop))
        pad = 14 if self.rows_are_days else 16
        return QRectF(left, cell.top() + pad, right - left, cell.height() - 2 * pad)

    def _items(self) -> list[tuple[str, int, QRectF]]:
        """Every shift shown (drafts in place of what they edit): key, lane, rect."""
        if self.plan is None:
            return []
        out = []
        week = self.plan.week_start
        for n, lane in enumerate(self.plan.lanes):
            for sh in lane.shifts:
                start, end = self.span_of(sh.key) or (sh.start, sh.end)
                if week <= start.date() < week + timedelta(days=7):
                    out.append((sh.key, n, self._shift_rect(n, week, start, end)))
            for key, d in self.drafts.items():
                if d.shift_id is None and d.intern_id == lane.intern_id:
                    out.append((key, n, self._shift_rect(n, week, d.start, d.end)))
        return out

    def _at(self, point: QPointF) -> tuple[int, int, datetime] | None:
        """Lane, day and snapped time under ``point``, or None outside the days."""
        if self.plan is None or point.x() < self.name_w or point.y() < HEADER_H:
            return None
        if self.rows_are_days:
            lane, day = 0, int((point.y() - HEADER_H) // DAY_ROW_H)
        else:
            lane = int((point.y() - HEADER_H) // self.lane_height())
            day = int((point.x() - self.name_w) // self._day_width())
        if not (0 <= lane < len(self.plan.lanes) and 0 <= day < 7):
            return None
        cell = self._cell(lane, day)
        span = (LAST_HOUR - FIRST_HOUR) * 60
        minutes = (point.x() - cell.left()) / cell.width() * span
        return lane, day, self._moment(day, minutes)

    def _moment(self, day: int, minutes: float) -> datetime:
        assert self.plan is not None
        span = (LAST_HOUR - FIRST_HOUR) * 60
        snapped = round(max(0.0, min(span, minutes)) / 15) * 15
        midnight = datetime.combine(self.plan.week_start + timedelta(days=day), time())
        return midnight + timedelta(minutes=FIRST_HOUR * 60 + snapped)

    # -- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        if self.plan is None:
            painter.end()
            return
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        dirty = QRectF(event.rect())
        if dirty.top() < HEADER_H:
            self._paint_header(painter)
        for n, lane in enumerate(self.plan.lanes):
            if self._lane_rect(n).intersects(dirty):
                self._paint_lane(painter, n, lane, small)
        for key, lane_index, rect in self._items():
            if rect.intersects(dirty):
                self._paint_shift(painter, key, rect, small)
                self._paint_breaks(painter, key, lane_index, rect)
        painter.end()

    def breaks_of(self, key: str) -> tuple[tuple[datetime, datetime], ...]:
        """The breaks of a shift or draft as it stands (a draft's as HR set them)."""
        draft = self.drafts.get(key)
        if draft is not None:
            return draft.current_details().breaks
        shift = self.shift(key)
        return shift.breaks if shift is not None else ()

    def _paint_breaks(self, painter: QPainter, key: str, lane: int, rect: QRectF) -> None:
        """Each break as a gap in the shift, dotted at its edges (time not worked)."""
        assert self.plan is not None
        painter.setPen(QPen(_SHIFT_BORDER, 1, Qt.PenStyle.DotLine))
        painter.setBrush(QBrush(Qt.GlobalColor.white))
        for start, end in self.breaks_of(key):
            gap = self._shift_rect(lane, self.plan.week_start, start, end)
            gap = QRectF(gap.left(), rect.top() + 3, gap.width(), rect.height() - 6)
            painter.drawRect(gap.intersected(rect.adjusted(1, 1, -1, -1)))

    def _lane_rect(self, n: int) -> QRectF:
        """The row of the ``n``-th intern (the whole week, for one intern)."""
        return QRectF(0, HEADER_H + n * self.lane_height(), self.width(), self.lane_height())

    def _update_lane(self, intern_id: int) -> None:
        """Repaint one intern's row: an edit or a live check changes nothing else."""
        if self.plan is None:
            return
        for n, lane in enumerate(self.plan.lanes):
            if lane.intern_id == intern_id:
                self.update(self._lane_rect(n).toAlignedRect())

    def _paint_header(self, painter: QPainter) -> None:
        assert self.plan is not None
        painter.setPen(QPen(Qt.GlobalColor.black))
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        if self.rows_are_days:
            lane = self.plan.lanes[0]
            box = QRectF(8, 2, self.name_w - 12, HEADER_H - 4)
            painter.drawText(box, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, lane.name)
            small = QFont(self.font())
            small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
            painter.setFont(small)
            painter.drawText(
                box,
                Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft,
                f"{lane.age_band} · {hours(self.week_hours(lane))} h",
            )
            painter.setFont(bold)
            cell = self._cell(0, 0)
            for hour in range(FIRST_HOUR + 2, LAST_HOUR, 2):
                x = self._x(cell, (hour - FIRST_HOUR) * 60)
                painter.drawText(
                    QRectF(x - 30, 0, 60, HEADER_H), Qt.AlignmentFlag.AlignCenter, f"{hour}:00"
                )
        else:
            painter.drawText(
                QRectF(8, 0, self.name_w - 8, HEADER_H), Qt.AlignmentFlag.AlignVCenter, "Intern"
            )
            for day in range(7):
                on = self.plan.week_start + timedelta(days=day)
                cell = self._cell(0, day)
                head = QRectF(cell.left(), 0, cell.width(), HEADER_H)
                if on == self.today:
                    painter.fillRect(head, _TODAY)
                painter.drawText(
                    head, Qt.AlignmentFlag.AlignCenter, f"{WEEKDAY_NAMES[day]} {on.month}/{on.day}"
                )
        painter.setFont(self.font())
        painter.setPen(QPen(_GRID))
        painter.drawLine(0, HEADER_H, self.width(), HEADER_H)

    def week_hours(self, lane: PlanLane) -> float:
        """Logged hours of the past days and planned hours ahead, the edit included."""
        days = self._days(lane)
        return round(sum(d.logged_hours if d.past else d.planned_hours for d in days), 2)

    def lane_notes(self, lane: PlanLane) -> list[str]:
        """The intern's week in words: band, hours logged and planned, a rule change."""
        days = self._days(lane)
        planned = sum(d.planned_hours for d in days if not d.past)
        logged = sum(d.logged_hours for d in days if d.past)
        notes = [
            f"{lane.age_band} · week {hours(self.week_hours(lane))} h",
            f"logged {hours(round(logged, 2))} + planned {hours(round(planned, 2))}",
        ]
        if lane.rules_change_this_week:
            notes.append("★ rules change this week")
        return notes

    def _paint_lane(self, painter: QPainter, n: int, lane: PlanLane, small: QFont) -> None:
        if self.rows_are_days:
            for day, info in enumerate(self._days(lane)):
                self._paint_day_row(painter, self._cell(n, day), info, small)
                self._paint_day(painter, self._cell(n, day), info, lane, small)
            return
        top = HEADER_H + n * self.lane_height()
        name = QRectF(8, top + 4, self.name_w - 12, self.lane_height() - 8)
        painter.setPen(QPen(Qt.GlobalColor.black))
        painter.drawText(name, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, lane.name)
        painter.setFont(small)
        painter.setPen(QPen(QColor("#555555")))
        painter.drawText(
            name.adjusted(0, 18, 0, 0),
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
            "\n".join(self.lane_notes(lane)),
        )
        for day, info in enumerate(self._days(lane)):
            self._paint_day(painter, self._cell(n, day), info, lane, small)
        painter.setFont(self.font())
        painter.setPen(QPen(_GRID))
        bottom = int(top + self.lane_height())
        painter.drawLine(0, bottom, self.width(), bottom)

    def _paint_day_row(self, painter: QPainter, cell: QRectF, day: PlanDay, small: QFont) -> None:
        """The left column of a day's row: the day, and its hours."""
        box = QRectF(8, cell.top() + 4, self.name_w - 12, cell.height() - 8)
        if day.day == self.today:
            painter.fillRect(QRectF(0, cell.top(), self.name_w, cell.height()), _TODAY)
        painter.setFont(self.font())
        painter.setPen(QPen(Qt.GlobalColor.black))
        on = day.day
        painter.drawText(
            box,
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
            f"{WEEKDAY_NAMES[on.weekday()]} {on.month}/{on.day}",
        )
        painter.setFont(small)
        painter.setPen(QPen(QColor("#555555")))
        hours_text = (
            f"logged {hours(day.logged_hours)} h"
            if day.past
            else f"planned {hours(day.planned_hours)} h"
        )
        painter.drawText(box, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft, hours_text)
        painter.setPen(QPen(_GRID))
        painter.drawLine(0, int(cell.bottom()), self.width(), int(cell.bottom()))
        for hour in range(FIRST_HOUR, LAST_HOUR + 1, 2):
            x = int(self._x(cell, (hour - FIRST_HOUR) * 60))
            painter.drawLine(x, int(cell.top()), x, int(cell.bottom()))

    def _paint_day(
        self, painter: QPainter, cell: QRectF, day: PlanDay, lane: PlanLane, small: QFont
    ) -> None:
        hatch = QBrush(_HATCH, Qt.BrushStyle.BDiagPattern)
        if day.day == self.today and not self.rows_are_days:
            painter.fillRect(cell, _TODAY)
        if not day.may_work or day.closed:
            painter.fillRect(cell, hatch)
        else:
            if day.earliest is not None:
                painter.fillRect(
                    QRectF(
                        cell.left(),
                        cell.top(),
                        self._x(cell, _minutes(day.earliest)) - cell.left(),
                        cell.height(),
                    ),
                    hatch,
                )
            if day.latest is not None:
                x = self._x(cell, _minutes(day.latest))
                painter.fillRect(QRectF(x, cell.top(), cell.right() - x, cell.height()), hatch)
            if day.blocked is not None:
                a, b = (self._x(cell, _minutes(t)) for t in day.blocked)
                painter.fillRect(QRectF(a, cell.top(), b - a, cell.height()), hatch)
        painter.setPen(QPen(_GRID))
        painter.drawLine(int(cell.left()), int(cell.top()), int(cell.left()), int(cell.bottom()))
        painter.setFont(small)
        painter.setPen(QPen(QColor("#333333")))
        top_line = []
        if not day.may_work:
            top_line.append("may not work")
        elif day.closed:
            top_line.append(f"Closed: {day.closed}")
        if lane.rule_change_on == day.day:
            top_line.append("★ rules change")
        if day.past and day.logged_hours:
            top_line.append(f"logged {hours(day.logged_hours)} h")
        text_box = cell.adjusted(3, 1, -3, -1)
        if top_line:
            painter.drawText(
                text_box,
                Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
                " · ".join(top_line),
            )
        if day.may_work and not day.closed and day.hours_left_day is not None:
            painter.drawText(
                text_box,
                Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft,
                f"{hours(day.hours_left_day)} h left",
            )

    def _paint_shift(self, painter: QPainter, key: str, rect: QRectF, small: QFont) -> None:
        findings = self.findings_of(key)
        blocking = any(f.blocks_plan for f in findings)
        pen = QPen(_BLOCKING if blocking else _SHIFT_BORDER, 3 if key == self.current else 1)
        if key in self.drafts:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(_SHIFT))
        painter.drawRoundedRect(rect, 3, 3)
        span = self.span_of(key)
        painter.setFont(small)
        painter.setPen(QPen(Qt.GlobalColor.black))
        inner = rect.adjusted(3, 1, -2, -1)
        if span:
            painter.drawText(
                inner,
                Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
                f"{span[0]:%H:%M}–{span[1]:%H:%M}",
            )
        text = summary(findings)
        if text:
            painter.setPen(QPen(_BLOCKING if blocking else _WARNING))
            elided = painter.fontMetrics().elidedText(
                text, Qt.TextElideMode.ElideRight, int(inner.width())
            )
            painter.drawText(
                inner, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft, elided
            )

    # -- the mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.plan is None:
            return super().mousePressEvent(event)
        point = event.position()
        for key, _lane, rect in reversed(self._items()):
            if rect.adjusted(-2, 0, 2, 0).contains(point):
                self.select(key)
                if self.plan.can_edit:
                    self._start_drag(key, rect, point)
                return None
        self.select(None)
        spot = self._at(point)
        if spot is not None and self.plan.can_edit:
            lane, _day, moment = spot
            draft = self._new_draft(self.plan.lanes[lane], moment, moment + SNAP)
            if draft is not None:
                self._drag = (draft.key, "end", 0.0)
        return None

    def _start_drag(self, key: str, rect: QRectF, point: QPointF) -> None:
        if point.x() >= rect.right() - EDGE:
            mode = "end"
        elif point.x() <= rect.left() + EDGE:
            mode = "start"
        else:
            mode = "move"
        span = self.span_of(key)
        assert span is not None
        spot = self._at(point)
        grab = (spot[2] - span[0]).total_seconds() / 60 if spot else 0.0
        self._drag = (key, mode, grab)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return super().mouseMoveEvent(event)
        spot = self._at(event.position())
        if spot is None:
            return None
        key, mode, grab = self._drag
        _lane, _day, moment = spot
        span = self.span_of(key)
        assert span is not None
        start, end = span
        if mode == "move":
            new_start = moment - timedelta(minutes=round(grab / 15) * 15)
            start, end = new_start, new_start + (end - start)
        elif mode == "end" and moment.date() == start.date() and moment > start:
            end = moment
        elif mode == "start" and moment.date() == end.date() and moment < end:
            start = moment
        if (start, end) != span:
            self._change(key, start, end)
        return None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            key = self._drag[0]
            self._drag = None
            if key in self.drafts:
                self.edited.emit(self.drafts[key])
            return None
        return super().mouseReleaseEvent(event)

    def _change(self, key: str, start: datetime, end: datetime) -> None:
        """Make ``key`` span ``start``–``end`` as a draft, and say so."""
        draft = self._draft(key)
        if draft is not None:
            self._edit(draft.spanning(start, end))

    def set_details(self, key: str, details: Details) -> None:
        """Give ``key`` another area, supervisor or tasks as a draft, and say so."""
        draft = self._draft(key)
        if draft is not None and self.plan is not None and self.plan.can_edit:
            self._edit(replace(draft, details=details))

    def _draft(self, key: str) -> Draft | None:
        """``key``'s draft, or a new one of the stored shift it names."""
        draft = self.drafts.get(key)
        if draft is None:
            shift = self.shift(key)
            if shift is None:
                return None
            draft = Draft(
                key, shift.intern_id, shift.placement_id, shift.start, shift.end, shift.id, shift
            )
        return draft

    def _edit(self, draft: Draft) -> None:
        self.drafts[draft.key] = draft
        self.edited.emit(draft)
        self._update_lane(draft.intern_id)

    def _new_draft(self, lane: PlanLane, start: datetime, end: datetime) -> Draft | None:
        if not lane.placement_ids:
            return None
        self._new += 1
        base = lane.shifts[-1] if lane.shifts else None
        draft = Draft(
            f"new:{self._new}", lane.intern_id, lane.placement_ids[0], start, end, None, base
        )
        self.drafts[draft.key] = draft
        self.select(draft.key)
        self.edited.emit(draft)
        return draft

    # -- the keyboard

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.plan is None:
            return super().keyPressEvent(event)
        key, mods = Qt.Key(event.key()), event.modifiers()
        arrows: dict[Qt.Key, int] = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
        if key == Qt.Key.Key_Tab or key == Qt.Key.Key_Backtab:
            self._cycle(-1 if key == Qt.Key.Key_Backtab else 1)
        elif key == Qt.Key.Key_Insert and self.plan.can_edit:
            self._insert()
        elif self.current is None:
            return super().keyPressEvent(event)
        elif key in arrows and self.plan.can_edit:
            step = arrows[key]
            span = self.span_of(self.current)
            assert span is not None
            start, end = span
            if mods & Qt.KeyboardModifier.ControlModifier:
                delta = timedelta(days=step)
                start, end = start + delta, end + delta
            elif mods & Qt.KeyboardModifier.ShiftModifier:
                end = max(start + SNAP, end + step * SNAP)
            else:
                start, end = start + step * SNAP, end + step * SNAP
            self._change(self.current, start, end)
        elif key == Qt.Key.Key_Delete and self.plan.can_edit:
            self.delete_requested.emit(self.current)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.plan.can_edit:
            self.save_requested.emit(self.current)
        elif key == Qt.Key.Key_F2 and self.plan.can_edit:
            self.details_requested.emit(self.current)
        else:
            return super().keyPressEvent(event)
        return None

    def focusNextPrevChild(self, next: bool) -> bool:
        return False  # Tab moves between shifts inside the view

    def _cycle(self, step: int) -> None:
        keys = [
            key for key, _lane, _rect in sorted(self._items(), key=lambda i: (i[1], i[2].left()))
        ]
        if not keys:
            return
        at = keys.index(self.current) if self.current in keys else -step
        self.select(keys[(at + step) % len(keys)])

    def _insert(self) -> None:
        """A new one-hour shift on the selected shift's day after it, or on the first
        day of the week the first intern may work, at the window's earliest start."""
        assert self.plan is not None and self.plan.lanes
        lane = self.plan.lanes[0]
        start = None
        if self.current is not None:
            span = self.span_of(self.current)
            owner = next(
                (x for x in self.plan.lanes if any(sh.key == self.current for sh in x.shifts)), None
            )
            if span and owner is not None:
                lane, start = owner, span[1] + SNAP
        if start is None:
            day = next(
                (d for d in self._days(lane) if d.may_work and not d.closed and not d.past), None
            )
            if day is None:
                return
            start = datetime.combine(day.day, day.earliest or time(FIRST_HOUR + 3))
        self._new_draft(lane, start, start + timedelta(hours=1))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()
