"""The hours: a term of planned shifts (with their breaks and tasks) inside the law
but for two deliberate slips, and the plants' closures they skip; the hours logged
against them are ``logged``'s."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from internhost.core.calendars import Calendar
from internhost.core.dates import age_on
from internhost.core.models import PlantClosure, Shift, WorkBreak, WorkTask
from internhost.core.sample.company import Site
from internhost.core.sample.generator import Generator
from internhost.core.sample.placements import PlacementPlan
from internhost.core.trail import audit

if TYPE_CHECKING:
    from internhost.core.sample import logged

SATURDAY = 5
#: Days every plant closes each year (month, day): written as closure records, which
#: the shifts planned here skip as the planner's recurring shifts do.
PLANT_CLOSED = {
    (11, 26): "Thanksgiving break",
    (11, 27): "Thanksgiving break",
    (11, 28): "Thanksgiving break",
    (12, 24): "Christmas Eve",
    (12, 25): "Christmas Day",
    (12, 31): "New Year's Eve",
    (1, 1): "New Year's Day",
}
BALER_CONDITIONS = {
    "paper_baler": True,
    "ansi_compliant": True,
    "key_lock_held_by_adult": True,
    "off_when_idle": True,
    "warning_posted": True,
}

#: A shift's (or time entry's) breaks and tasks, as rows to insert.
_Extras = tuple[list[dict[str, Any]], list[dict[str, Any]]]


@dataclass
class PlannedShift:
    placement: PlacementPlan
    #: The shift's columns.
    row: dict[str, Any]
    breaks: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    #: Whether the intern's school is in session that day.
    school_day: bool = False

    @property
    def extras(self) -> _Extras:
        return self.breaks, self.tasks


def add_work(
    gen: Generator,
    placements: list[PlacementPlan],
    sites: dict[str, Site],
    calendars: dict[str, list[Calendar]],
) -> tuple[list[PlannedShift], list[logged.Decision]]:
    """The shifts of every placement, then the hours logged for them; returns the
    shifts and HR's decisions to take on the logged hours' findings."""
    from internhost.core.sample import logged

    closed = _add_closures(gen, placements)
    planner = _Planner(gen, sites, calendars, closed)
    shifts = [shift for index, p in enumerate(placements) for shift in planner.shifts_for(p, index)]
    ids = audit.bulk_insert(gen.s, Shift, [shift.row for shift in shifts])
    add_children(gen, ids, [shift.extras for shift in shifts], "shift_id")
    gen.count("shifts", len(ids))
    return shifts, logged.add_logged_hours(gen, shifts, ids, sites)


def _add_closures(gen: Generator, placements: list[PlacementPlan]) -> set[date]:
    """The plants' closures (every worksite's) in each year the placements span."""
    if not placements:
        return set()
    first = min(p.start for p in placements).year
    last = max(p.end for p in placements).year
    closed = {
        date(year, month, day): reason
        for year in range(first, last + 1)
        for (month, day), reason in sorted(PLANT_CLOSED.items())
    }
    rows = [{"worksite_id": None, "day": day, "reason": why} for day, why in closed.items()]
    audit.bulk_insert(gen.s, PlantClosure, rows)
    gen.count("plant closures", len(rows))
    return set(closed)


@dataclass
class _Planner:
    """Plans each placement's shifts: after school on its two weekdays and on Saturday,
    in the office and short for the youngest, on the floor for the others."""

    gen: Generator
    sites: dict[str, Site]
    #: Each district's calendars, by the district's name.
    calendars: dict[str, list[Calendar]]
    #: The days the plants are closed.
    closed: set[date]
    #: The deliberate slips made so far (each is made once).
    slips: set[str] = field(default_factory=set)

    def shifts_for(self, p: PlacementPlan, index: int) -> Iterator[PlannedShift]:
        days = (*p.weekdays, SATURDAY) if p.saturday else p.weekdays
        for monday in self._weeks(p):
            for offset in days:
                day = monday + timedelta(days=offset)
                if not p.start <= day <= p.end:
                    continue
                if day in self.closed:
                    continue
                planned = self._plan_day(p, day, index)
                if planned is not None:
                    yield planned

    def _weeks(self, p: PlacementPlan) -> Iterator[date]:
        """Mondays of the weeks planned for a placement."""
        monday = p.start - timedelta(days=p.start.weekday())
        weeks = 0
        limit = self.gen.sizes.weeks
        while monday <= p.end and (limit is None or weeks < limit):
            yield monday
            monday += timedelta(days=7)
            weeks += 1

    def _school_hours(self, district: str, day: date) -> tuple[time, time] | None:
        for cal in self.calendars[district]:
            hours = cal.hours_on(day)
            if hours is not None:
                return hours
        return None

    def _plan_day(self, p: PlacementPlan, day: date, index: int) -> PlannedShift | None:
        age = age_on(p.birth_date, day)
        school = self._school_hours(p.district, day)
        site = self.sites[p.site]
        if age < self.gen.law.young_below:
            start, end = self._young_hours(day, school, p.at_the_limits)
            area = site.office_area
        elif day.weekday() == SATURDAY:
            start, end = datetime.combine(day, time(7)), datetime.combine(day, time(13, 30))
            area = site.production_area
        else:
            after = school[1] if school else time(14, 15)
            start = _round_up(datetime.combine(day, after) + timedelta(minutes=45))
            end = datetime.combine(day, time(19))
            area = site.production_area
        if end <= start:
            return None
        breaks = []
        if end - start > timedelta(hours=5):
            mid = _round_up(start + (end - start) / 2 - timedelta(minutes=15))
            breaks.append({"start_local": mid, "end_local": mid + timedelta(minutes=30)})
        row = {
            "placement_id": p.id,
            "work_date": day,
            "start_local": start,
            "end_local": end,
            "area_id": area,
            "supervisor_staff_id": p.mentor_id,
            "supervisor_21_or_older": True,
        }
        shift = PlannedShift(p, row, breaks, self._tasks(p, age, site), school is not None)
        self._deliberate_slip(shift, day)
        return shift

    def _young_hours(
        self, day: date, school: tuple[time, time] | None, at_the_limits: bool
    ) -> tuple[datetime, datetime]:
        """Short afternoons: within the school-and-work limit on a school day, up to
        it (and the school-day limit on work) for ``at_the_limits``, an hour at most
        for the others."""
        law = self.gen.law
        if day.weekday() == SATURDAY:
            return datetime.combine(day, time(9)), datetime.combine(day, time(13))
        if school is None:
            return datetime.combine(day, time(13)), datetime.combine(day, time(16))
        school_len = datetime.combine(day, school[1]) - datetime.combine(day, school[0])
        most = law.school_day_work if at_the_limits else timedelta(hours=1)
        allowed = min(most, law.school_day_limit - school_len)
        allowed = timedelta(minutes=15 * (allowed // timedelta(minutes=15)))
        start = _round_up(datetime.combine(day, school[1]) + timedelta(minutes=30))
        return start, start + allowed

    def _tasks(self, p: PlacementPlan, age: int, site: Site) -> list[dict[str, Any]]:
        """Clerical work for the youngest; the floor, and what the program or age
        allows at the site, for the others."""
        law = self.gen.law
        if age < law.young_below:
            return [_task(site, "office_clerical")]
        tasks = [_task(site, "production_floor")]
        if p.program == "student_learner":
            tasks.append(_task(site, "press_brake", 25, direct_supervision=True))
            tasks.append(_task(site, "baler_load", 10, **BALER_CONDITIONS))
        elif p.program == "apprentice":
            tasks.append(_task(site, "welding", 60))
        elif age >= law.adult_age:
            tasks.append(_task(site, "forklift", 30))
        elif "cnc_operation" in site.equipment:
            tasks.append(_task(site, "cnc_operation", 60))
        return tasks

    def _deliberate_slip(self, shift: PlannedShift, day: date) -> None:
        """Two realistic mistakes, each made once, so the compliance screens have
        something to show: in the spec's ``slips_week`` (October 13, 2025, as written),
        a 15-year-old is kept past 7 p.m. and a 17-year-old drives a forklift."""
        monday = self.gen.date("slips_week")
        if not monday <= day <= monday + timedelta(days=4):
            return
        p = shift.placement
        age = age_on(p.birth_date, day)
        if age == 15 and "late" not in self.slips:
            self.slips.add("late")
            shift.row["start_local"] = datetime.combine(day, time(17))
            shift.row["end_local"] = datetime.combine(day, time(19, 30))
        elif age == 17 and p.program == "employment" and "forklift" not in self.slips:
            self.slips.add("forklift")
            shift.tasks.append(_task(self.sites[p.site], "forklift", 20))


def _task(site: Site, key: str, minutes: int | None = None, **details: Any) -> dict[str, Any]:
    """A task row, on the site's equipment for it if it has any."""
    return {
        "task_key": key,
        "minutes": minutes,
        "equipment_id": site.equipment.get(key),
        "details": details,
    }


def add_children(gen: Generator, parent_ids: list[int], extras: list[_Extras], column: str) -> None:
    """The breaks and tasks of shifts or time entries (``column`` names the parent)."""
    breaks, tasks = [], []
    for parent_id, (b_rows, t_rows) in zip(parent_ids, extras, strict=True):
        breaks += [{**b, column: parent_id} for b in b_rows]
        tasks += [{**t, column: parent_id} for t in t_rows]
    audit.bulk_insert(gen.s, WorkBreak, breaks, root=_span_root(column))
    audit.bulk_insert(gen.s, WorkTask, tasks, root=_span_root(column))


def _span_root(column: str) -> audit.Root:
    kind = "shifts" if column == "shift_id" else "time_entries"
    return lambda row: (kind, row[column])


def _round_up(moment: datetime, minutes: int = 15) -> datetime:
    extra = -(moment.minute % minutes) % minutes
    return (moment + timedelta(minutes=extra)).replace(second=0, microsecond=0)
