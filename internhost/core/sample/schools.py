"""The school side: districts with their calendars, and the schools the interns
attend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from internhost.core.calendars import Calendar, DayException
from internhost.core.models import CalendarDay, District, School, SchoolCalendar
from internhost.core.sample.generator import Generator
from internhost.core.sample.spec import as_date, as_time


@dataclass(frozen=True)
class Schools:
    #: Each district's calendars (one per school year), by the district's name.
    calendars: dict[str, list[Calendar]]
    districts: dict[str, District]
    by_name: dict[str, School]


def calendar_from_spec(spec: dict[str, Any]) -> Calendar:
    exceptions: dict[date, DayException] = {
        as_date(day): DayException("no_school") for day in spec.get("no_school", [])
    }
    start, end = as_time(spec["day_start"]), as_time(spec["day_end"])
    for item in spec.get("early_dismissal", []):
        exceptions[as_date(item["day"])] = DayException(
            "early_dismissal", start, as_time(item["end"])
        )
    for item in spec.get("late_start", []):
        exceptions[as_date(item["day"])] = DayException("late_start", as_time(item["start"]), end)
    return Calendar(as_date(spec["first_day"]), as_date(spec["last_day"]), start, end, exceptions)


def add_schools(gen: Generator) -> Schools:
    calendars: dict[str, list[Calendar]] = {}
    districts: dict[str, District] = {}
    for spec in gen.spec["districts"]:
        district = District(name=spec["name"], state=spec["state"])
        cals = []
        for cal_spec in spec["calendars"]:
            cal = calendar_from_spec(cal_spec)
            cals.append(cal)
            district.calendars.append(_school_calendar(cal_spec, cal))
        calendars[district.name] = cals
        districts[district.name] = district
        gen.s.add(district)
    schools: dict[str, School] = {}
    for spec in gen.spec["schools"]:
        school = School(
            district=districts[spec["district"]],
            **{k: v for k, v in spec.items() if k != "district"},
        )
        schools[school.name] = school
        gen.s.add(school)
    gen.count("schools", len(schools))
    return Schools(calendars, districts, schools)


def _school_calendar(cal_spec: dict[str, Any], cal: Calendar) -> SchoolCalendar:
    """The stored calendar: its days without school, with early dismissal or a late start."""
    return SchoolCalendar(
        school_year=cal_spec["school_year"],
        first_day=cal.first_day,
        last_day=cal.last_day,
        day_start=cal.day_start,
        day_end=cal.day_end,
        days=[
            CalendarDay(
                day=day,
                kind=exc.kind,
                start_time=exc.start,
                end_time=exc.end,
                note=_note(cal_spec, day),
            )
            for day, exc in sorted(cal.exceptions.items())
        ],
    )


def _note(cal_spec: dict[str, Any], day: date) -> str:
    for key in ("early_dismissal", "late_start"):
        for item in cal_spec.get(key, []):
            if as_date(item["day"]) == day:
                return item.get("note", "")
    return ""
