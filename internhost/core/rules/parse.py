"""Reading a case from JSON (``internhost check``), naming the first bad field by
its path, e.g. ``shifts[0].breaks[1].end``. Unknown fields are errors: a typo must
never silently drop a fact the law depends on. So are implausible values: a number
beyond its field's limits, a date outside the years work is recorded for, an intern
younger than 10 or older than 25 on a day they work (a typo in a year would
otherwise check a different person, and could turn violations into a pass)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from internhost.core.dates import age_on
from internhost.core.fileio import strict_json
from internhost.core.models.enums import EMPLOYEE_STATUSES, PROGRAMS
from internhost.core.rules.facts import (
    WEEKDAY_KEYS,
    Case,
    CertificateHours,
    Driver,
    InternFacts,
    Interval,
    LocalTimeError,
    Shift,
    TaskFact,
    interval,
)
from internhost.core.rules.packs import default_hourly_rate_cents, load_rules
from internhost.core.validation import (
    FIRST_WORK_YEAR,
    LAST_WORK_YEAR,
    MAX_HOURLY_RATE_CENTS,
    OLDEST_INTERN,
    US_STATES,
    YOUNGEST_INTERN,
)

DOCUMENTS = ("il_employment_certificate", "student_learner_agreement", "apprentice_registration")
DRIVER_FACTS = ("licensed", "driver_ed_completed", "moving_violations")
#: A task's details: true/false, or a number (int: whole) up to a plausible limit.
#: The limits are validation, not law (the law's numbers are rule data): a vehicle of
#: 100 tons or a thousand passengers is a typo, not a fact to check.
TASK_DETAILS: dict[str, type | tuple[type, float]] = {
    "direct_supervision": bool,
    "paper_baler": bool,
    "ansi_compliant": bool,
    "key_lock_held_by_adult": bool,
    "off_when_idle": bool,
    "warning_posted": bool,
    "vehicle_gvw_lb": (float, 200_000),
    "trips": (int, 1_000),
    "passenger_trips": (int, 1_000),
    "passengers": (int, 100),
    "daylight": bool,
    "radius_miles": (float, 10_000),
    "seat_belts": bool,
    "towing": bool,
    "route_or_urgent_delivery": bool,
    "for_hire": bool,
}
#: Plausibility limits of the case's other numbers (validation, not law).
MAX_HOURLY_RATE = MAX_HOURLY_RATE_CENTS / 100
MAX_HOURS_BEFORE = 366 * 24  # every hour of a leap year
SUPERVISOR_AGES = (14, 100)
TZ_NAME_MAX = 64
MAX_TASK_MINUTES = 7 * 24 * 60
#: The largest case read: one intern's facts, a year of daily shifts with breaks and
#: tasks and a school calendar, is well under 1 MB; a bigger input is not a case, and
#: refusing it before it is read keeps memory and time in bounds.
MAX_CASE_BYTES = 4 * 1024 * 1024
#: The longest a case's text is shown back in an error message.
SHOWN_MAX = 40
WEEKDAY_NAMES = {key: key for key in WEEKDAY_KEYS} | {
    full: key
    for full, key in zip(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        WEEKDAY_KEYS,
        strict=True,
    )
}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2})?")
_DATETIME = re.compile(f"{_DATE.pattern}T{_TIME.pattern}")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


class CaseError(ValueError):
    """Bad input; ``path`` names the field."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


def read_case(text: str) -> Case:
    """A ``Case`` from JSON text; ``CaseError`` naming the first bad field, or saying
    where the text is not JSON (line and column)."""
    try:
        data = strict_json.loads(text)
    except strict_json.JSONRefused as exc:
        raise CaseError("", str(exc)) from None
    return parse_case(data)


def _shown(text: str) -> str:
    """``text`` quoted for a one-line message, cut short if long."""
    if len(text) > SHOWN_MAX:
        return f"{text[: SHOWN_MAX - 10]!r}…({len(text):,} characters)"
    return repr(text)


def _obj(value: Any, path: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
    mapping = _mapping(value, path, "must be an object")
    for key in mapping:
        if key not in allowed:
            raise CaseError(_join(path, key), "unknown field")
    return mapping


def _mapping(value: Any, path: str, wrong_type: str) -> Mapping[str, Any]:
    """An object whose keys are each given once (JSON keeps the last of two silently)."""
    if not isinstance(value, dict):
        raise CaseError(path, wrong_type if path else "the case must be a JSON object ({…})")
    if isinstance(value, strict_json.Repeated):
        raise CaseError(_join(path, value.key), "is given more than once")
    return value


def _join(path: str, key: str | int) -> str:
    """``path.key``, ``path[3]``, or ``path['odd key']`` for a key that is not a plain
    word (quoted and cut short: the message stays one short line)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if not _PLAIN_KEY.fullmatch(key):
        return f"{path}[{_shown(key)}]"
    return f"{path}.{key}" if path else key


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise CaseError(path, "must be true or false")
    return value


def _number(value: Any, path: str, *, high: float, low: float = 0, integer: bool = False) -> float:
    """A number from ``low`` to ``high``; true/false, text and infinity are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CaseError(path, "must be a number")
    if isinstance(value, float) and not math.isfinite(value):  # 1e400, or 5,000 digits
        raise CaseError(path, f"is far too {'large' if value > 0 else 'small'} a number")
    if integer and isinstance(value, float) and not value.is_integer():
        raise CaseError(path, "must be a whole number")
    if value < low:
        raise CaseError(path, f"must be at least {low:,g}")
    if value > high:
        raise CaseError(path, f"may not be more than {high:,g}")
    return value


def _str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise CaseError(path, "must be a string")
    return value


def _in_work_years(day: date, path: str) -> None:
    if not FIRST_WORK_YEAR <= day.year <= LAST_WORK_YEAR:
        raise CaseError(
            path,
            f"{day.isoformat()} is not between {FIRST_WORK_YEAR} and {LAST_WORK_YEAR}; "
            "check the year",
        )


def _date(value: Any, path: str, *, work: bool = True) -> date:
    """A date ``YYYY-MM-DD``; a day work or school happens on (``work``) falls within
    ``FIRST_WORK_YEAR``–``LAST_WORK_YEAR``."""
    text = _str(value, path)
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise CaseError(path, f"{_shown(text)} is not a date (YYYY-MM-DD)") from None
    if work:
        _in_work_years(day, path)
    return day


def _time(value: Any, path: str) -> time:
    text = _str(value, path)
    try:
        if not _TIME.fullmatch(text):
            raise ValueError(text)
        return time.fromisoformat(text)
    except ValueError:
        raise CaseError(path, f"{_shown(text)} is not a local time (HH:MM)") from None


def _datetime(value: Any, path: str) -> datetime:
    """A local date and time work happens at, in the years work is recorded for."""
    text = _str(value, path)
    try:
        if not _DATETIME.fullmatch(text):
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CaseError(
            path, f"{_shown(text)} is not a local date and time (YYYY-MM-DDTHH:MM)"
        ) from None
    _in_work_years(moment.date(), path)
    return moment


def _weekday(value: Any, path: str) -> str:
    text = _str(value, path).strip().lower()
    if text not in WEEKDAY_NAMES:
        raise CaseError(path, f"{_shown(text)} is not a weekday")
    return WEEKDAY_NAMES[text]


def _choice(value: Any, path: str, allowed: tuple[str, ...]) -> str:
    text = _str(value, path)
    if text not in allowed:
        raise CaseError(path, f"{_shown(text)} is not one of {', '.join(allowed)}")
    return text


def _span(start: Any, end: Any, path: str, zone: ZoneInfo) -> Interval:
    first, last = _datetime(start, _join(path, "start")), _datetime(end, _join(path, "end"))
    if last <= first:
        raise CaseError(_join(path, "end"), "must be after start")
    for which, moment in (("start", first), ("end", last)):
        try:
            interval(moment, moment, zone)
        except LocalTimeError as exc:
            raise CaseError(_join(path, which), str(exc)) from None
    return interval(first, last, zone)


def _school_days(value: Any, path: str) -> dict[date, tuple[time, time]]:
    out = {}
    for key, hours in _mapping(value, path, "must be an object of dates").items():
        where = _join(path, key)
        day = _date(key, where)
        spec = _obj(hours, where, ("start", "end"))
        if "start" not in spec or "end" not in spec:
            raise CaseError(where, "needs start and end")
        start, end = (
            _time(spec["start"], _join(where, "start")),
            _time(spec["end"], _join(where, "end")),
        )
        if end <= start:
            raise CaseError(_join(where, "end"), "must be after start")
        out[day] = (start, end)
    return out


def _task(value: Any, path: str, catalog: Mapping[str, Any]) -> TaskFact:
    if isinstance(value, str):
        if value not in catalog:
            raise CaseError(path, f"unknown task {_shown(value)}")
        return TaskFact(value)
    spec = _obj(value, path, ("task", "minutes", *TASK_DETAILS))
    if "task" not in spec:
        raise CaseError(_join(path, "task"), "is required")
    key = _str(spec["task"], _join(path, "task"))
    if key not in catalog:
        raise CaseError(_join(path, "task"), f"unknown task {_shown(key)}")
    minutes = None
    if "minutes" in spec:
        where = _join(path, "minutes")
        minutes = int(_number(spec["minutes"], where, low=1, high=MAX_TASK_MINUTES, integer=True))
    details: dict[str, Any] = {}
    for name, kind in TASK_DETAILS.items():
        if name in spec:
            where = _join(path, name)
            if isinstance(kind, tuple):
                number, high = kind
                details[name] = _number(spec[name], where, high=high, integer=number is int)
            else:
                details[name] = _bool(spec[name], where)
    return TaskFact(key, minutes, details)


def _shift(value: Any, index: int, zone: ZoneInfo, catalog: Mapping[str, Any]) -> Shift:
    path = f"shifts[{index}]"
    spec = _obj(
        value, path, ("start", "end", "breaks", "supervisor_age", "supervisor_21_or_older", "tasks")
    )
    for required in ("start", "end"):
        if required not in spec:
            raise CaseError(_join(path, required), "is required")
    span = _span(spec["start"], spec["end"], path, zone)
    breaks: list[Interval] = []
    raw_breaks = spec.get("breaks", [])
    if not isinstance(raw_breaks, list):
        raise CaseError(_join(path, "breaks"), "must be a list")
    for b, raw in enumerate(raw_breaks):
        where = _join(_join(path, "breaks"), b)
        raw = _obj(raw, where, ("start", "end"))
        if "start" not in raw or "end" not in raw:
            raise CaseError(where, "needs start and end")
        brk = _span(raw["start"], raw["end"], where, zone)
        if brk.start < span.start:
            raise CaseError(_join(where, "start"), "is before its shift starts")
        if brk.end > span.end:
            raise CaseError(_join(where, "end"), "is after its shift ends")
        for other_index, other in enumerate(breaks):
            if brk.start < other.end and other.start < brk.end:
                raise CaseError(where, f"overlaps breaks[{other_index}]")
        breaks.append(brk)
    age = spec.get("supervisor_age")
    if age is not None:
        low, high = SUPERVISOR_AGES
        where = _join(path, "supervisor_age")
        age = int(_number(age, where, low=low, high=high, integer=True))
    over_21 = spec.get("supervisor_21_or_older")
    if over_21 is not None:
        over_21 = _bool(over_21, _join(path, "supervisor_21_or_older"))
    raw_tasks = spec.get("tasks", [])
    if not isinstance(raw_tasks, list):
        raise CaseError(_join(path, "tasks"), "must be a list")
    shift = Shift(index, span, tuple(breaks), (), age, over_21)
    tasks = []
    for t, raw in enumerate(raw_tasks):
        where = _join(_join(path, "tasks"), t)
        task = _task(raw, where, catalog)
        if task.minutes is not None and task.minutes > shift.worked_minutes + 1e-9:
            raise CaseError(
                _join(where, "minutes"),
                f"{task.minutes} min is more than the shift's {shift.worked_minutes:g} min worked",
            )
        tasks.append(task)
    return Shift(index, span, tuple(breaks), tuple(tasks), age, over_21)


def _intern(value: Any) -> InternFacts:
    spec = _obj(
        value,
        "intern",
        (
            "birth_date",
            "paid",
            "hourly_rate",
            "hours_this_year_before",
            "program",
            "employee_status",
            "documents",
            "certificate_hours",
            "driver",
        ),
    )
    if "birth_date" not in spec:
        raise CaseError("intern.birth_date", "is required")
    docs = _obj(spec.get("documents", {}), "intern.documents", DOCUMENTS)
    driver = _obj(spec.get("driver", {}), "intern.driver", DRIVER_FACTS)
    hours: list[CertificateHours] | None = None
    if "certificate_hours" in spec:
        raw = spec["certificate_hours"]
        if not isinstance(raw, list):
            raise CaseError("intern.certificate_hours", "must be a list")
        hours = []
        for i, item in enumerate(raw):
            where = f"intern.certificate_hours[{i}]"
            entry = _obj(item, where, ("days", "start", "end"))
            if not {"days", "start", "end"} <= entry.keys():
                raise CaseError(where, "needs days, start and end")
            if not isinstance(entry["days"], list) or not entry["days"]:
                raise CaseError(_join(where, "days"), "must be a non-empty list of weekdays")
            days = frozenset(_weekday(d, f"{where}.days[{j}]") for j, d in enumerate(entry["days"]))
            start, end = (
                _time(entry["start"], f"{where}.start"),
                _time(entry["end"], f"{where}.end"),
            )
            if end <= start:
                raise CaseError(f"{where}.end", "must be after start")
            hours.append(CertificateHours(days, start, end))
    rate = (
        round(_number(spec["hourly_rate"], "intern.hourly_rate", high=MAX_HOURLY_RATE) * 100)
        if "hourly_rate" in spec
        else default_hourly_rate_cents()
    )
    return InternFacts(
        birth_date=_birth_date(spec["birth_date"]),
        paid=_bool(spec.get("paid", True), "intern.paid"),
        hourly_rate_cents=rate,
        hours_this_year_before=_number(
            spec.get("hours_this_year_before", 0),
            "intern.hours_this_year_before",
            high=MAX_HOURS_BEFORE,
        ),
        program=_choice(spec.get("program", "employment"), "intern.program", PROGRAMS),
        employee_status=_choice(
            spec.get("employee_status", "employee"), "intern.employee_status", EMPLOYEE_STATUSES
        ),
        documents=frozenset(k for k, v in docs.items() if _bool(v, _join("intern.documents", k))),
        certificate_hours=tuple(hours) if hours is not None else None,
        driver=Driver(**{k: _bool(v, _join("intern.driver", k)) for k, v in driver.items()}),
    )


def _birth_date(value: Any) -> date:
    """A birth date that makes the intern ``YOUNGEST_INTERN`` to ``OLDEST_INTERN`` in
    some year work is recorded for (each shift's date is checked too)."""
    path = "intern.birth_date"
    born = _date(value, path, work=False)
    first, last = FIRST_WORK_YEAR - OLDEST_INTERN - 1, LAST_WORK_YEAR - YOUNGEST_INTERN
    if not first <= born.year <= last:
        raise CaseError(
            path, f"{born.isoformat()} is not between {first} and {last}; check the year"
        )
    return born


def _plausible_ages(born: date, shifts: list[Shift]) -> None:
    """An intern younger than ``YOUNGEST_INTERN`` or older than ``OLDEST_INTERN`` on a
    day they work is a typo in a year, not a case to check (it could pass clean)."""
    for shift in shifts:
        age = age_on(born, shift.date)
        if not YOUNGEST_INTERN <= age <= OLDEST_INTERN:
            raise CaseError(
                "intern.birth_date",
                f"{born.isoformat()} makes the intern {age} on {shift.date.isoformat()} "
                f"(shifts[{shift.index}]), not {YOUNGEST_INTERN} to {OLDEST_INTERN}; "
                "check the years",
            )


def parse_case(data: Any) -> Case:
    """A ``Case`` from decoded JSON; raises ``CaseError`` naming the first bad field."""
    spec = _obj(
        data,
        "",
        (
            "worksite_state",
            "worksite_tz",
            "flsa_covered",
            "workweek_start",
            "employer",
            "intern",
            "school_days",
            "attended_school_days",
            "shifts",
        ),
    )
    if "intern" not in spec:
        raise CaseError("intern", "is required")
    state = _str(spec.get("worksite_state", "IL"), "worksite_state").strip().upper()
    if state not in US_STATES:
        raise CaseError("worksite_state", f"{_shown(state)} is not a US state code (e.g. IL)")
    tz_name = _str(spec.get("worksite_tz", "America/Chicago"), "worksite_tz")
    try:
        if len(tz_name) > TZ_NAME_MAX:
            raise ValueError(tz_name)
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name no file can have
        raise CaseError("worksite_tz", f"{_shown(tz_name)} is not a known time zone") from None
    employer = _obj(spec.get("employer", {}), "employer", ("child_labor_notice_posted",))
    intern = _intern(spec["intern"])
    if "shifts" not in spec:
        raise CaseError("shifts", "is required")
    if not isinstance(spec["shifts"], list):
        raise CaseError("shifts", "must be a list")
    catalog = load_rules(state).tasks
    shifts = [_shift(raw, i, zone, catalog) for i, raw in enumerate(spec["shifts"])]
    _plausible_ages(intern.birth_date, shifts)
    ordered = sorted(shifts, key=lambda s: s.span.start_utc)
    for earlier, later in pairwise(ordered):
        if later.span.start_utc < earlier.span.end_utc:
            raise CaseError(f"shifts[{later.index}].start", f"overlaps shifts[{earlier.index}]")
    school = _school_days(spec["school_days"], "school_days") if "school_days" in spec else None
    attended = (
        _school_days(spec["attended_school_days"], "attended_school_days")
        if "attended_school_days" in spec
        else None
    )
    return Case(
        intern=intern,
        shifts=tuple(shifts),
        worksite_state=state,
        worksite_tz=tz_name,
        flsa_covered=_bool(spec.get("flsa_covered", True), "flsa_covered"),
        workweek_start=WEEKDAY_KEYS.index(
            _weekday(spec.get("workweek_start", "sun"), "workweek_start")
        ),
        child_labor_notice_posted=_bool(
            employer.get("child_labor_notice_posted", True), "employer.child_labor_notice_posted"
        ),
        school_days=school,
        attended_school_days=attended,
    )
