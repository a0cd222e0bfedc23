"""The weekly timesheet (PDF) and the intern's shifts as iCalendar, in the core and
through ``internhost timesheet`` and ``internhost calendar``."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost import cli
from internhost.core.actor import SYSTEM
from internhost.core.errors import NotFound
from internhost.core.fileio.icalendar import CalendarEvent, build_calendar, fold, unfold
from internhost.core.models import Placement, Shift, Worksite
from internhost.core.reports.timesheet import render_timesheet
from internhost.core.services import accounts
from internhost.core.services.timesheets import intern_calendar, timesheet_content
from internhost.core.storage import db


@pytest.fixture
def demo_factory(demo_path: Path) -> Any:
    engine = db.make_engine(demo_path, TEST_KEY)
    yield db.make_session_factory(engine)
    engine.dispose()


def _planned_week(s: Any) -> tuple[int, date]:
    """An intern with a shift planned, and the day of their last one."""
    shift = s.scalar(select(Shift).order_by(Shift.work_date.desc()).limit(1))
    intern = s.scalar(select(Placement.intern_id).where(Placement.id == shift.placement_id))
    return intern, shift.work_date


def test_the_timesheet_is_prefilled_from_the_plan(demo_factory: Any) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        intern, day = _planned_week(s)
        content = timesheet_content(s, SYSTEM, intern, day)
        planned = s.scalars(
            select(Shift)
            .join(Placement, Placement.id == Shift.placement_id)
            .where(
                Placement.intern_id == intern,
                Shift.work_date.between(content.week_start, content.week_start + timedelta(6)),
            )
            .order_by(Shift.start_local)
        ).all()
    assert [d.day for d in content.days] == [
        content.week_start + timedelta(days=i) for i in range(7)
    ]
    assert content.week_start <= day < content.week_start + timedelta(days=7)
    spans = [p for d in content.days for p in d.planned]
    assert spans == [f"{x.start_local:%H:%M}–{x.end_local:%H:%M}" for x in planned] and spans
    assert content.planned_minutes > 0 and content.intern and content.worksite


def test_the_timesheet_pdf_has_the_week_and_both_signature_lines(demo_factory: Any) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        intern, day = _planned_week(s)
        content = timesheet_content(s, SYSTEM, intern, day)
    out = io.BytesIO()
    render_timesheet(out, content)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert content.intern in text
    assert "Intern's signature" in text and "Mentor's signature" in text
    assert content.days[0].day.strftime("%m/%d") in text
    first_planned = next(p for d in content.days for p in d.planned)
    assert first_planned in text


def test_a_mentor_gets_no_timesheet_or_calendar_of_another_intern(demo_factory: Any) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        mentor = next(
            accounts.actor_for(r) for r in accounts.list_accounts(s, SYSTEM) if r.role == "mentor"
        )
        own = s.scalar(
            select(Placement.intern_id).where(Placement.mentor_id == mentor.staff_id).limit(1)
        )
        others = select(Placement.intern_id).where(Placement.mentor_id == mentor.staff_id)
        stranger = s.scalar(select(Placement.intern_id).where(Placement.intern_id.not_in(others)))
        with pytest.raises(NotFound):
            timesheet_content(s, mentor, stranger, date(2025, 10, 15))
        with pytest.raises(NotFound):
            intern_calendar(s, mentor, stranger)
        assert "BEGIN:VEVENT" in intern_calendar(s, mentor, own)


def _events(text: str) -> list[dict[str, str]]:
    events, current = [], None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return events


def test_the_calendar_holds_every_shift_in_the_worksite_time_zone(demo_factory: Any) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        intern, _day = _planned_week(s)
        text = intern_calendar(s, SYSTEM, intern)
        shifts = s.execute(
            select(Shift, Worksite.time_zone)
            .join(Placement, Placement.id == Shift.placement_id)
            .join(Worksite, Worksite.id == Placement.worksite_id)
            .where(Placement.intern_id == intern)
            .order_by(Shift.start_local, Shift.id)
        ).all()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    events = _events(text)
    assert len(events) == len(shifts)
    for event, (shift, zone) in zip(events, shifts, strict=True):
        assert event["UID"] == f"shift-{shift.id}@internhost"
        assert event[f"DTSTART;TZID={zone}"] == shift.start_local.strftime("%Y%m%dT%H%M%S")
        assert event[f"DTEND;TZID={zone}"] == shift.end_local.strftime("%Y%m%dT%H%M%S")
    zone = shifts[0][1]
    assert f"TZID:{zone}" in unfold(text)


def _timezone_blocks(text: str) -> list[dict[str, str]]:
    blocks, current = [], None
    for line in unfold(text):
        if line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            current = {"kind": line.partition(":")[2]}
        elif line in ("END:STANDARD", "END:DAYLIGHT"):
            blocks.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return blocks


def _offset(text: str) -> timedelta:
    sign = -1 if text[0] == "-" else 1
    return sign * timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


@pytest.mark.parametrize("zone", ["America/Chicago", "America/Phoenix", "Europe/London"])
def test_the_vtimezone_matches_zoneinfo(zone: str) -> None:
    event = CalendarEvent(
        "x@internhost", datetime(2026, 3, 9, 15, 30), datetime(2026, 3, 9, 17), zone, "Shift"
    )
    text = build_calendar([event])
    blocks = _timezone_blocks(text)
    tz = ZoneInfo(zone)
    assert blocks
    for block in blocks:
        start = datetime.strptime(block["DTSTART"], "%Y%m%dT%H%M%S")
        if start.year == 1970:  # a zone without changes in those years
            assert _offset(block["TZOFFSETTO"]) == datetime(2026, 1, 1, tzinfo=tz).utcoffset()
            continue
        # Onset in the old offset: an hour after it, the new offset rules.
        instant = (start - _offset(block["TZOFFSETFROM"])).replace(tzinfo=ZoneInfo("UTC"))
        after = (instant + timedelta(hours=1)).astimezone(tz)
        before = (instant - timedelta(hours=1)).astimezone(tz)
        assert after.utcoffset() == _offset(block["TZOFFSETTO"])
        assert before.utcoffset() == _offset(block["TZOFFSETFROM"])
        assert (block["kind"] == "DAYLIGHT") is bool(after.dst())
    if zone == "America/Chicago":
        kinds = [b["kind"] for b in blocks]
        assert kinds.count("DAYLIGHT") == kinds.count("STANDARD") == 3  # 2025 to 2027


def test_text_is_escaped_and_folded_on_character_boundaries() -> None:
    event = CalendarEvent(
        "u@internhost",
        datetime(2026, 3, 9, 15),
        datetime(2026, 3, 9, 17),
        "America/Chicago",
        "Plant 2, line; A\\B",
        description="Łódź " * 30 + "\nnext line",
    )
    lines = list(unfold(build_calendar([event])))
    assert "SUMMARY:Plant 2\\, line\\; A\\\\B" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description.endswith("\\nnext line") and "Łódź Łódź" in description
    assert all(len(part.encode()) <= 75 for part in fold("é" * 200))


def _main(capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_commands_write_their_files(demo_path: Path, tmp_path: Path, capsys: Any) -> None:
    engine = db.make_engine(demo_path, TEST_KEY)
    with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
        intern, day = _planned_week(s)
        shifts = s.scalar(
            select(func.count(Shift.id))
            .join(Placement, Placement.id == Shift.placement_id)
            .where(Placement.intern_id == intern)
        )
    engine.dispose()
    base = ("--db", str(demo_path))
    pdf = tmp_path / "week.pdf"
    code, out, err = _main(
        capsys,
        *base,
        "timesheet",
        "--intern",
        str(intern),
        "--week",
        day.isoformat(),
        "--out",
        str(pdf),
    )
    assert (code, out, err) == (0, "", "")
    assert pdf.read_bytes().startswith(b"%PDF")
    ics = tmp_path / "shifts.ics"
    code, out, err = _main(capsys, *base, "calendar", "--intern", str(intern), "--out", str(ics))
    assert (code, out, err) == (0, "", "")
    assert ics.read_bytes().count(b"BEGIN:VEVENT\r\n") == shifts
    # The database itself is never an output, and an unknown intern is bad input.
    code, _, err = _main(
        capsys, *base, "calendar", "--intern", str(intern), "--out", str(demo_path)
    )
    assert code == 2 and err.startswith("internhost: ")
    code, _, err = _main(capsys, *base, "calendar", "--intern", "999999", "--out", str(ics))
    assert code == 2 and "no intern" in err
    code, _, err = _main(
        capsys, *base, "timesheet", "--intern", str(intern), "--week", "soon", "--out", str(pdf)
    )
    assert code == 2
