"""A roster row whose placement its findings block is imported as a draft with a
warning, not refused (issue 13 §1); the badge is a roster column, unique among open
placements and within the file."""

from __future__ import annotations

from sqlalchemy import select

from internhost.core.actor import SYSTEM
from internhost.core.models import Finding, Intern, Placement
from internhost.core.storage import db

HEADER = "First Name,Last Name,DOB,School,Start Date,End Date,Worksite,Rate,Employee ID\r\n"


def _row(first: str, dob: str, rate: str = "$15.50", badge: str = "") -> str:
    return (
        f"{first},Checked,{dob},Auburn High School,9/8/2025,2025-12-18,Rockford Plant,"
        f"{rate},{badge}\r\n"
    )


def _placement(factory, first: str) -> tuple[Placement, list[str]]:
    with db.read_session(factory, SYSTEM) as s:
        placement = s.scalars(
            select(Placement)
            .join(Intern, Intern.id == Placement.intern_id)
            .where(Intern.legal_first_name == first)
        ).one()
        rules = list(
            s.scalars(
                select(Finding.rule_id).where(
                    Finding.placement_id == placement.id, Finding.shift_id.is_(None)
                )
            )
        )
        return placement, rules


def test_an_eleven_year_old_at_nine_dollars_is_imported_as_a_draft(run_import, demo_factory):
    report = run_import(
        HEADER + _row("Eleven", "2014-06-01", "$9.00", "B-9001") + _row("Adult", "2005-01-02")
    )
    assert report.imported == 2 and not report.errors
    (warning,) = [w for w in report.warnings if w.column == "placement_start"]
    assert warning.line == 2 and "imported as a draft" in warning.message
    eleven, rules = _placement(demo_factory, "Eleven")
    assert eleven.status == "draft" and eleven.badge == "B-9001"
    assert "US-FLSA-570.2-min-age" in rules and "US-IL-105-4-min-wage" in rules
    adult, _ = _placement(demo_factory, "Adult")
    assert adult.status == "active" and adult.badge is None


def test_a_badge_given_twice_or_already_open_is_a_row_error(run_import, demo_factory, counts):
    with db.read_session(demo_factory, SYSTEM) as s:
        taken = s.scalar(
            select(Placement.badge).where(
                Placement.badge.is_not(None), Placement.status.in_(("draft", "active"))
            )
        )
    assert taken, "the sample gives every placement a badge"
    before = counts()
    report = run_import(
        HEADER
        + _row("One", "2008-01-02", badge="Z-1")
        + _row("Two", "2008-01-03", badge="Z-1")
        + _row("Three", "2008-01-04", badge=taken)
    )
    problems = {(e.line, e.column): e.message for e in report.errors}
    assert set(problems) == {(3, "badge"), (4, "badge")}
    assert "line 2" in problems[(3, "badge")] and "open placement" in problems[(4, "badge")]
    assert report.imported == 0 and counts() == before
