"""iCalendar (RFC 5545) text for planned shifts, with no library beyond zoneinfo.

Each event is written in its worksite's wall-clock time with ``TZID``, and the file
carries a ``VTIMEZONE`` for every zone used, built from zoneinfo's own transitions
(found by scanning the zone's UTC offset day by day, then to the second) over the
years the events span, plus one on each side. A zone without transitions in those
years (Phoenix) gets one ``STANDARD`` block. Lines end in CRLF and are folded at 75
octets; text values are escaped (backslash, semicolon, comma, line breaks).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

PRODID = "-//InternHost//Internship shifts//EN"
FOLD = 75


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    #: Local wall-clock times (naive) in ``time_zone``.
    start: datetime
    end: datetime
    time_zone: str
    summary: str
    location: str = ""
    description: str = ""


@dataclass(frozen=True)
class Transition:
    """The moment a zone's offset changes: ``local`` is the wall-clock time just
    before it, read in the offset it leaves (RFC 5545's ``DTSTART`` of the onset)."""

    local: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool


def transitions(zone: ZoneInfo, first_year: int, last_year: int) -> list[Transition]:
    """Every offset change of ``zone`` from ``first_year`` through ``last_year``."""
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    found = []
    offset = moment.astimezone(zone).utcoffset()
    while moment < end:
        following = moment + timedelta(days=1)
        after = following.astimezone(zone).utcoffset()
        if after != offset:
            low, high = moment, following  # the change lies in (low, high]
            while high - low > timedelta(seconds=1):
                mid = low + (high - low) / 2
                if mid.astimezone(zone).utcoffset() == offset:
                    low = mid
                else:
                    high = mid
            onset = high.replace(microsecond=0).astimezone(zone)
            assert offset is not None and after is not None
            found.append(
                Transition(
                    (high + offset).replace(tzinfo=None, microsecond=0),
                    offset,
                    after,
                    onset.tzname() or "",
                    bool(onset.dst()),
                )
            )
            offset = after
        moment = following
    return found


def _offset(delta: timedelta) -> str:
    total = int(delta.total_seconds())
    sign = "-" if total < 0 else "+"
    hours, rest = divmod(abs(total), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def vtimezone(name: str, first_year: int, last_year: int) -> list[str]:
    """The ``VTIMEZONE`` lines of zone ``name`` for the years given."""
    zone = ZoneInfo(name)
    changes = transitions(zone, first_year - 1, last_year + 1)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    if not changes:
        start = datetime(first_year, 1, 1, tzinfo=zone)
        offset = start.utcoffset() or timedelta(0)
        changes = [Transition(datetime(1970, 1, 1), offset, offset, start.tzname() or "", False)]
    for change in changes:
        kind = "DAYLIGHT" if change.daylight else "STANDARD"
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{_local(change.local)}",
            f"TZOFFSETFROM:{_offset(change.offset_from)}",
            f"TZOFFSETTO:{_offset(change.offset_to)}",
            f"TZNAME:{escape_text(change.name)}",
            f"END:{kind}",
        ]
    return [*lines, "END:VTIMEZONE"]


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as ``\\n``,
    other control characters dropped."""
    out = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    out = out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(c for c in out if c >= " " or c == "\t")


def fold(line: str) -> Iterator[str]:
    """A content line cut into lines of at most 75 octets, never inside a UTF-8
    character; each continuation starts with a space (which counts)."""
    data = line.encode("utf-8")
    limit = FOLD
    lead = ""
    while len(data) > limit:
        cut = limit
        while (data[cut] & 0xC0) == 0x80:  # inside a character: cut before it
            cut -= 1
        yield lead + data[:cut].decode("utf-8")
        data, limit, lead = data[cut:], FOLD - 1, " "
    yield lead + data.decode("utf-8")


def _event(event: CalendarEvent, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={event.time_zone}:{_local(event.start)}",
        f"DTEND;TZID={event.time_zone}:{_local(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    return [*lines, "END:VEVENT"]


def build_calendar(
    events: Sequence[CalendarEvent], *, name: str = "", now: datetime | None = None
) -> str:
    """The events as one iCalendar text (CRLF line ends)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    zones: dict[str, list[int]] = {}
    for event in events:
        years = zones.setdefault(event.time_zone, [event.start.year, event.end.year])
        years[0] = min(years[0], event.start.year)
        years[1] = max(years[1], event.end.year)
    for zone, (first, last) in sorted(zones.items()):
        lines += vtimezone(zone, first, last)
    for event in events:
        lines += _event(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(f"{part}\r\n" for line in lines for part in fold(line))


def unfold(text: str) -> Iterable[str]:
    """The content lines of iCalendar text (continuations joined), for readers and tests."""
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def write_ics(path: os.PathLike[str] | str, db_path: os.PathLike[str] | str, text: str) -> Path:
    """Write iCalendar text to ``path`` through the output guard (never the database
    or its files; written whole, owner-only). Returns the path."""
    from internhost.core.fileio.outputs import output_file

    target = Path(path).expanduser()
    with output_file(target, db_path, op="calendar", mode="w", field="out") as f:
        f.write(text)
    return target
