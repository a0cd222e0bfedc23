"""``internhost export findings``: the issue's columns exactly, the sources and statuses
in its words, HR's decisions, and a mentor's file holding only their interns' findings
worded with age bands."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from exportcheck import csv_records, json_records
from sqlalchemy import func, select

from internhost.commands import export
from internhost.core.actor import SYSTEM, Actor
from internhost.core.models import Finding, Placement
from internhost.core.services import accounts, findings
from internhost.core.storage import db

COLUMNS = [
    "intern_id", "placement_id", "rule_id", "severity", "category", "source", "work_date",
    "message", "citation", "verification", "status", "stale", "decided_by", "reason",
]  # fmt: skip


def test_every_finding_with_the_issues_columns(demo_factory, export_text) -> None:
    header, rows = csv_records(export_text("findings"))
    assert header == COLUMNS
    with db.read_session(demo_factory, SYSTEM) as s:
        assert len(rows) == s.scalar(select(func.count(Finding.id)))
    assert {r["source"] for r in rows} == {"placement", "plan", "logged"}
    # The sample's HR acknowledged one finding of logged hours and overrode another.
    assert sorted(r["status"] for r in rows if r["status"] != "open") == [
        "acknowledged",
        "overridden",
    ]
    assert {r["stale"] for r in rows} == {"no"}
    assert {r["verification"] for r in rows} <= {"V", "S", "M"}
    for row in rows:
        assert row["severity"] in ("violation", "warning", "advisory")
        assert (row["work_date"] == "") is (row["source"] == "placement")
        if row["work_date"]:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d", row["work_date"])
        assert row["message"] and row["citation"]


def test_a_decision_is_exported_with_who_and_why(demo_factory, export_text) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        warning = findings.list_finding_ids(s, SYSTEM, findings.FindingFilter(severity="warning"))[
            0
        ]
        account = next(a for a in accounts.list_accounts(s, SYSTEM) if a.role == "hr_admin")
    hr = accounts.actor_for(account)
    with db.unit_of_work(demo_factory, hr) as s:
        findings.decide_finding(s, hr, warning, "acknowledge", "Notice sent to the school.")
    records = json_records(export_text("findings", "json"))
    assert len([r for r in records if r["status"] != "open"]) == 3  # and the sample's two
    decided = [r for r in records if r["reason"] == "Notice sent to the school."]
    assert len(decided) == 1
    assert decided[0]["status"] == "acknowledged"
    assert decided[0]["reason"] == "Notice sent to the school."
    assert decided[0]["decided_by"] == (account.display_name or account.username)
    assert decided[0]["stale"] is False and list(decided[0]) == COLUMNS


def test_a_mentor_exports_only_their_interns_in_bands(
    demo_factory, export_text, mentor: Actor, demo_path: Path
) -> None:
    _, everyone = csv_records(export_text("findings"))
    _, mine = csv_records(export_text("findings", actor=mentor))
    with db.read_session(demo_factory, SYSTEM) as s:
        own = {
            str(i)
            for i in s.scalars(
                select(Placement.intern_id).where(Placement.mentor_id == mentor.staff_id)
            )
        }
    assert {r["intern_id"] for r in mine} <= own
    assert len(mine) == sum(r["intern_id"] in own for r in everyone)
    for row in mine:
        assert not re.search(r"(?<!–)\b\d{1,2}-year-old\b(?!s)", row["message"]), row


def test_the_command_writes_the_findings(demo_path: Path, capsys) -> None:
    args = argparse.Namespace(db=str(demo_path), entity="findings", format="json", out=None)
    assert export.run(args) == 0
    records = json_records(capsys.readouterr().out)
    assert records and all(list(r) == COLUMNS for r in records)
