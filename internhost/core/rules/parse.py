"""Reading a case from JSON (``internhost check``), naming the first bad field by
its path, e.g. ``shifts[0].breaks[1].end``. Unknown fields are errors: a typo must
never silently drop a fact the law depends on."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
from internhost.core.rules.packs import load_rules

DOCUMENTS = ("il_employment_certificate", "student_learner_agreement", "apprentice_registration")
DRIVER_FACTS = ("licensed", "driver_ed_completed", "moving_violations")
TASK_DETAILS: dict[str, type] = {
    "direct_supervision": bool,
    "paper_baler": bool,
    "ansi_compliant": bool,
    "key_lock_held_by_adult": bool,
    "off_when_idle": bool,
    "warning_posted": bool,
    "vehicle_gvw_lb": float,
    "trips": int,
    "passenger_trips": int,
    "passengers": int,
    "daylight": bool,
    "radius_miles": float,
    "seat_belts": bool,
    "towing": bool,
    "route_or_urgent_delivery": bool,
    "for_hire": bool,
}
WEEKDAY_NAMES = {key: key for key in WEEKDAY_KEYS} | {
    full: key
    for full, key in zip(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        WEEKDAY_KEYS,
        strict=True,
    )
}


class CaseError(ValueError):
    """Bad input; ``path`` names the field."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


def _obj(value: Any, path: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise CaseError(path, "must be an object")
    for key in value:
        if key not in allowed:
            raise CaseError(_join(path, key), "unknown field")
    return value


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise CaseError(path, "must be true or false")
    return value


def _number(value: Any, path: str, *, minimum: float = 0, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CaseError(path, "must be a number")
    if integer and value != int(value):
        raise CaseError(path, "must be a whole number")
    if value < minimum:
        raise CaseError(path, f"must be at least {minimum:g}")
    return value


def _str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise CaseError(path, "must be a string")
    return value


def _date(value: Any, path: str) -> date:
    text = _str(value, path)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CaseError(path, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _time(value: Any, path: str) -> time:
    text = _str(value, path)
    try:
        parsed = time.fromisoformat(text)
    except ValueError:
        raise CaseError(path, f"{text!r} is not a time (HH:MM)") from None
    if parsed.tzinfo is not None:
        raise CaseError(path, "must be a local time without an offset")
    return parsed


def _datetime(value: Any, path: str) -> datetime:
    text = _str(value, path)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise CaseError(path, f"{text!r} is not a local date and time (YYYY-MM-DDTHH:MM)") from None
    if parsed.tzinfo is not None or "T" not in text:
        raise CaseError(path, "must be a local date and time (YYYY-MM-DDTHH:MM) without an offset")
    return parsed


def _weekday(value: Any, path: str) -> str:
    text = _str(value, path).strip().lower()
    if text not in WEEKDAY_NAMES:
        raise CaseError(path, f"{value!r} is not a weekday")
    return WEEKDAY_NAMES[text]


def _choice(value: Any, path: str, allowed: tuple[str, ...]) -> str:
    text = _str(value, path)
    if text not in allowed:
        raise CaseError(path, f"{text!r} is not one of {', '.join(allowed)}")
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
    if not isinstance(value, dict):
        raise CaseError(path, "must be an object of dates")
    out = {}
    for key, hours in value.items():
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
            raise CaseError(path, f"unknown task {value!r}")
        return TaskFact(value)
    spec = _obj(value, path, ("task", "minutes", *TASK_DETAILS))
    if "task" not in spec:
        raise CaseError(_join(path, "task"), "is required")
    key = _str(spec["task"], _join(path, "task"))
    if key not in catalog:
        raise CaseError(_join(path, "task"), f"unknown task {key!r}")
    minutes = None
    if "minutes" in spec:
        minutes = int(_number(spec["minutes"], _join(path, "minutes"), minimum=1, integer=True))
    details: dict[str, Any] = {}
    for name, kind in TASK_DETAILS.items():
        if name in spec:
            where = _join(path, name)
            details[name] = (
                _bool(spec[name], where)
                if kind is bool
                else _number(spec[name], where, integer=kind is int)
            )
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
    breaks = []
    raw_breaks = spec.get("breaks", [])
    if not isinstance(raw_breaks, list):
        raise CaseError(_join(path, "breaks"), "must be a list")
    for b, raw in enumerate(raw_breaks):
        where = _join(_join(path, "breaks"), b)
        _obj(raw, where, ("start", "end"))
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
        age = int(_number(age, _join(path, "supervisor_age"), integer=True))
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
    hours = None
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
    rate = spec.get("hourly_rate", 15.00)
    return InternFacts(
        birth_date=_date(spec["birth_date"], "intern.birth_date"),
        paid=_bool(spec.get("paid", True), "intern.paid"),
        hourly_rate_cents=round(_number(rate, "intern.hourly_rate") * 100),
        hours_this_year_before=_number(
            spec.get("hours_this_year_before", 0), "intern.hours_this_year_before"
        ),
        program=_choice(spec.get("program", "employment"), "intern.program", PROGRAMS),
        employee_status=_choice(
            spec.get("employee_status", "employee"), "intern.employee_status", EMPLOYEE_STATUSES
        ),
        documents=frozenset(k for k, v in docs.items() if _bool(v, f"intern.documents.{k}")),
        certificate_hours=tuple(hours) if hours is not None else None,
        driver=Driver(**{k: _bool(v, f"intern.driver.{k}") for k, v in driver.items()}),
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
    if len(state) != 2 or not state.isalpha():
        raise CaseError("worksite_state", "must be a two-letter state code")
    tz_name = _str(spec.get("worksite_tz", "America/Chicago"), "worksite_tz")
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CaseError("worksite_tz", f"{tz_name!r} is not a known time zone") from None
    employer = _obj(spec.get("employer", {}), "employer", ("child_labor_notice_posted",))
    intern = _intern(spec["intern"])
    if "shifts" not in spec:
        raise CaseError("shifts", "is required")
    if not isinstance(spec["shifts"], list):
        raise CaseError("shifts", "must be a list")
    catalog = load_rules(state).tasks
    shifts = [_shift(raw, i, zone, catalog) for i, raw in enumerate(spec["shifts"])]
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
