"""``internhost export check-ins|evaluations|incidents`` (issue 14, "Command line and
exports"): the issue's columns, lists in JSON and ``;`` or ``author: text`` lines in
CSV, masked by role (a mentor: their interns and the internal notes they wrote; a
viewer: no internal notes at all), never an incident's treatment, and through the
output guard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from exportcheck import csv_records
from sqlalchemy import func, select

from internhost import cli
from internhost.core.actor import SYSTEM
from internhost.core.fileio.exporting import HEADERS, csv_cell, json_value
from internhost.core.models import (
    CheckIn,
    Evaluation,
    Incident,
    Note,
    Placement,
    UserAccount,
)
from internhost.core.storage import db

ENTITIES = ("check-ins", "evaluations", "incidents")
ROLES = ("hr", "mentor", "viewer")


def export(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    path: Path,
    entity: str,
    fmt: str,
    user: str = "hr",
) -> str:
    monkeypatch.setenv("INTERNHOST_USER", user)
    code = cli.main(["--db", str(path), "export", entity, "--format", fmt])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return out


def _facts(demo_factory: Any) -> dict[str, Any]:
    """What the sample holds, read as the system: whose interns, whose notes."""
    with db.read_session(demo_factory, SYSTEM) as s:
        accounts = {u.username: u for u in s.scalars(select(UserAccount))}
        own = set(
            s.scalars(
                select(Placement.intern_id).where(
                    Placement.mentor_id == accounts["mentor"].staff_id
                )
            )
        )
        notes = {
            tuple(row)
            for row in s.execute(
                select(Note.check_in_id, UserAccount.username, Note.body).join(
                    UserAccount, UserAccount.id == Note.author_user_id
                )
            )
        }
        return {
            "own": own,
            "notes": notes,
            **{
                entity.replace("-", "_"): s.scalar(select(func.count(model.id)))
                for entity, model in zip(ENTITIES, (CheckIn, Evaluation, Incident), strict=True)
            },
            "treatments": [t for t in s.scalars(select(Incident.treatment)) if t],
        }


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("entity", ENTITIES)
@pytest.mark.parametrize("user", ROLES)
def test_every_role_exports_the_issue_s_columns(
    capsys, monkeypatch, demo_path: Path, demo_factory, entity: str, fmt: str, user: str
) -> None:
    facts = _facts(demo_factory)
    text = export(capsys, monkeypatch, demo_path, entity, fmt, user)
    expected = list(HEADERS[entity])
    if user == "viewer" and entity == "check-ins":
        expected.remove("internal_notes")
    if fmt == "csv":
        header, rows = csv_records(text)
        assert header == list(HEADERS[entity])  # a hidden column is there, empty
        if user == "viewer":
            assert all(r.get("internal_notes", "") == "" for r in rows)
    else:
        rows = json.loads(text)
        assert all(list(r) == expected for r in rows)
    interns = {int(r["intern_id"]) for r in rows}
    if user == "mentor":
        assert rows and interns <= facts["own"]
    else:
        assert len(rows) == facts[entity.replace("-", "_")] and not interns <= facts["own"]
    for treatment in facts["treatments"]:
        assert treatment not in text


def test_internal_notes_hr_all_a_mentor_their_own(
    capsys, monkeypatch, demo_path: Path, demo_factory
) -> None:
    facts = _facts(demo_factory)
    authors = {author for _, author, _ in facts["notes"]}
    assert authors == {"hr", "mentor"}
    own_notes = {n for n in facts["notes"] if n[1] == "mentor"}
    for user, seen in (("hr", facts["notes"]), ("mentor", own_notes)):
        rows = json.loads(export(capsys, monkeypatch, demo_path, "check-ins", "json", user))
        exported = {(r["id"], n["author"], n["text"]) for r in rows for n in r["internal_notes"]}
        assert exported == seen, user
        text = export(capsys, monkeypatch, demo_path, "check-ins", "csv", user)
        _, csv_rows = csv_records(text)
        lines = {
            (int(r["id"]), line) for r in csv_rows for line in r["internal_notes"].splitlines()
        }
        assert lines == {(cid, f"{author}: {body}") for cid, author, body in seen}
    viewer = export(capsys, monkeypatch, demo_path, "check-ins", "json", "viewer")
    assert all("internal_notes" not in r for r in json.loads(viewer))
    for _, _, body in facts["notes"]:
        assert body not in viewer


def test_topics_concern_and_author(capsys, monkeypatch, demo_path: Path) -> None:
    rows = json.loads(export(capsys, monkeypatch, demo_path, "check-ins", "json"))
    assert all(isinstance(r["topics"], list) and r["topics"] for r in rows)
    assert {r["mode"] for r in rows} == {"in_person", "remote"}
    concerns = [r for r in rows if r["concern"]]
    assert [r["concern"] for r in concerns] == ["wellbeing"]
    assert concerns[0]["author"] == "mentor"  # the demo mentor logged it
    assert any(r["author"] and r["author"] != "mentor" for r in rows)  # a mentor's name
    _, csv_rows = csv_records(export(capsys, monkeypatch, demo_path, "check-ins", "csv"))
    by_id = {int(r["id"]): r for r in csv_rows}
    for row in rows:
        assert by_id[row["id"]]["topics"] == ";".join(row["topics"])
        assert by_id[row["id"]]["concern"] == (row["concern"] or "")


def test_evaluations_carry_their_ratings_and_the_school_s_signature(
    capsys, monkeypatch, demo_path: Path
) -> None:
    rows = json.loads(export(capsys, monkeypatch, demo_path, "evaluations", "json"))
    assert {r["kind"] for r in rows} == {"midpoint", "final"}
    assert all(isinstance(r["ratings"], dict) and r["ratings"] for r in rows)
    assert all(all(isinstance(v, int) for v in r["ratings"].values()) for r in rows)
    (verified,) = [r for r in rows if r["school_verified_on"]]
    assert verified["kind"] == "midpoint" and verified["school_verified_by"]
    _, csv_rows = csv_records(export(capsys, monkeypatch, demo_path, "evaluations", "csv"))
    (same,) = [r for r in csv_rows if int(r["id"]) == verified["id"]]
    assert same["ratings"].splitlines() == [f"{k}: {v}" for k, v in verified["ratings"].items()]
    assert same["school_verified_on"] == verified["school_verified_on"]


def test_incidents_say_where_and_who_was_told(capsys, monkeypatch, demo_path: Path) -> None:
    rows = json.loads(export(capsys, monkeypatch, demo_path, "incidents", "json"))
    assert [(r["kind"], r["status"]) for r in rows] == [("near_miss", "closed"), ("injury", "open")]
    assert all(r["worksite"] and r["area"] for r in rows)
    assert rows[0]["occurred_at"].startswith(rows[0]["guardian_notified_on"])
    assert rows[1]["idol_reported_on"] is None


def test_the_output_guard_refuses_the_database(capsys, demo_path: Path) -> None:
    code = cli.main(["--db", str(demo_path), "export", "check-ins", "--out", str(demo_path)])
    _, err = capsys.readouterr()
    assert code == 2 and "--out" in err


def test_lists_in_cells_are_guarded_and_kept_in_json() -> None:
    assert csv_cell("topics", ["=cmd", "safety"]) == "'=cmd;safety"
    notes = [{"author": "hr", "text": "@once"}, {"author": "mentor", "text": "two"}]
    assert csv_cell("internal_notes", notes) == "hr: @once\nmentor: two"
    assert csv_cell("internal_notes", [{"author": "-x", "text": "t"}]) == "'-x: t"
    assert csv_cell("ratings", {"teamwork": 3, "communication": 4}) == (
        "teamwork: 3\ncommunication: 4"
    )
    assert csv_cell("topics", []) == ""
    assert json_value("internal_notes", notes) == notes
