"""``internhost due``: the acting user's queue as text or the issue's JSON; a mentor
gets their interns only; a bad --limit exits 2 with one line naming it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from clikit import message

from internhost import cli
from internhost.commands import due as command
from internhost.core import dto
from internhost.core.storage import db

#: Inside the sample's first term: work is due for every role.
TODAY = date(2025, 10, 15)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)
    monkeypatch.setattr(command, "_today", lambda: TODAY)


def run(capsys, path: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def as_user(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setenv("INTERNHOST_USER", user)
    monkeypatch.setenv("INTERNHOST_PASSWORD", "demo")


def test_json_is_counts_and_items_most_urgent_first(capsys, demo_path: Path) -> None:
    code, out, err = run(capsys, demo_path, "due", "--format", "json", "--limit", "25")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["counts", "items"]
    assert list(data["counts"]) == list(dto.QUEUE_KINDS)
    # The sample's open wellbeing concern and open injury head it, undated.
    assert data["counts"]["concern"] >= 1 and data["counts"]["incident"] >= 1
    items = data["items"]
    assert {i["kind"] for i in items[:2]} == {"concern", "incident"}
    assert items[0]["due"] is None and items[1]["due"] is None
    assert 0 < len(items) <= 25
    for item in items:
        assert list(item) == ["kind", "intern_id", "placement_id", "due", "title"]
        assert item["kind"] in dto.QUEUE_KINDS
        assert item["due"] is None or date.fromisoformat(item["due"])
    # One item per intern per kind.
    assert len({(i["kind"], i["intern_id"]) for i in items}) == len(items)
    dated = [date.fromisoformat(i["due"]) for i in items if i["due"]]
    assert dated == sorted(dated)


def test_a_mentor_gets_their_interns_only(capsys, demo_path: Path, monkeypatch) -> None:
    code, out, _ = run(capsys, demo_path, "due", "--format", "json", "--limit", "10000")
    everyone = json.loads(out)
    as_user(monkeypatch, "mentor")
    code, out, _ = run(capsys, demo_path, "due", "--format", "json", "--limit", "10000")
    mine = json.loads(out)
    assert code == 0 and mine["items"]
    assert {i["intern_id"] for i in mine["items"]} < {i["intern_id"] for i in everyone["items"]}
    assert mine["counts"]["document_expiring"] == 0
    for item in mine["items"]:
        if item["kind"] == "rule_change":
            assert item["title"].endswith(": Rules change soon")


def test_text_names_the_counts_then_one_line_per_item(capsys, demo_path: Path) -> None:
    code, out, _ = run(capsys, demo_path, "due", "--limit", "3")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("Due as of 2025-10-15: ")
    assert "concern 1" in lines[0] and "entries to approve" in lines[0]
    assert len(lines) == 4
    assert lines[1].split()[0] == "now"  # the concern, at once
    assert all(
        line.split()[0] == "now" or date.fromisoformat(line.split()[0]) for line in lines[1:]
    )


@pytest.mark.parametrize("limit", ["0", "-1", "100001", "ten"])
def test_a_bad_limit_exits_2_naming_it(capsys, demo_path: Path, limit: str) -> None:
    code, out, err = run(capsys, demo_path, "due", "--limit", limit)
    assert code == 2 and out == ""
    assert "limit" in message(err)
