"""``internhost purge`` and ``internhost retention`` on the command line: the
proposal, the confirmation (asked on a terminal, ``--yes`` without one), JSON, the
period, and the refusals (exit 2 for bad input or no terminal, 4 for other roles)."""

from __future__ import annotations

import json
import sys
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from clikit import Pipe, Terminal, message
from testkeys import TEST_KEY

from internhost import cli
from internhost.commands import retention as command
from internhost.core.storage import db

#: Long enough after the sample's first term that some interns, not all, are due.
LATER = date(2029, 6, 1)
DENIED = "a {} may not back up, restore, rekey, encrypt or purge"


@pytest.fixture(autouse=True)
def no_env_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)


@pytest.fixture(autouse=True)
def later(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(command, "_today", lambda: LATER)
    return LATER


def run(capsys: pytest.CaptureFixture[str], path: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def count(path: Path, table: str, where: str = "") -> int:
    with closing(db.connect_raw(path, TEST_KEY, wal=False)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0]


def as_user(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setenv("INTERNHOST_USER", user)
    monkeypatch.setenv("INTERNHOST_PASSWORD", "demo")


def test_dry_run_lists_the_proposal_and_changes_nothing(capsys, demo_path: Path) -> None:
    interns = count(demo_path, "interns")
    code, out, err = run(capsys, demo_path, "purge", "--dry-run")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].endswith("past the 3-year retention period on 2029-06-01:")
    due = [line for line in lines if line.startswith("  #")]
    assert due and len(due) == int(lines[0].split()[0])
    # The sample's placements end with the term, but one that ended early (weeks before).
    assert "last worked 2025-12-18" in due[1] and "eligible since 2028-12-19" in due[1]
    assert any(line.startswith("In all, ") and "time entries" in line for line in lines)
    assert any("audit entries would lose their values" in line for line in lines)
    assert "Backups taken before the purge" in out
    assert lines[-1].startswith("1 intern past the period is kept (ids ")  # an injury report
    assert count(demo_path, "interns") == interns  # (logging in is all it wrote)
    assert count(demo_path, "audit_events", "WHERE purged_at IS NOT NULL") == 0


def test_dry_run_as_json(capsys, demo_path: Path) -> None:
    code, out, err = run(capsys, demo_path, "purge", "--dry-run", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["purged"] is None
    proposal = data["proposal"]
    assert (proposal["today"], proposal["retention_years"]) == ("2029-06-01", 3)
    first = proposal["interns"][0]
    assert set(first) == {
        "id",
        "name",
        "school",
        "last_worked",
        "last_worked_from",
        "eligible_since",
        "records",
    }
    assert first["records"]["interns"] == 1
    assert proposal["records"]["interns"] == len(proposal["interns"])
    assert proposal["audit_events_blanked"] > 0


def test_purge_with_yes_then_the_audit_chain_verifies(capsys, demo_path: Path) -> None:
    interns = count(demo_path, "interns")
    _, out, _ = run(capsys, demo_path, "purge", "--dry-run", "--format", "json")
    due = len(json.loads(out)["proposal"]["interns"])
    code, out, err = run(capsys, demo_path, "purge", "--yes")
    assert (code, err) == (0, "")
    assert f"Purged {due} interns and " in out and "The purge is in the audit trail." in out
    assert count(demo_path, "interns") == interns - due
    assert count(demo_path, "audit_events", "WHERE operation = 'retention purge'") == 1
    code, out, err = run(capsys, demo_path, "audit", "verify")
    assert (code, err) == (0, ""), out
    # Nobody is left past the period: a second purge has nothing to do.
    code, out, err = run(capsys, demo_path, "purge", "--yes")
    assert (code, err) == (0, "")
    assert out.startswith("Nobody is past the 3-year retention period on 2029-06-01")


def test_purge_with_yes_as_json(capsys, demo_path: Path) -> None:
    code, out, err = run(capsys, demo_path, "purge", "--yes", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    purged = data["purged"]
    assert purged["interns"] == len(data["proposal"]["interns"]) > 0
    assert purged["records"] == data["proposal"]["records"]
    assert purged["retention_years"] == 3


def test_without_yes_and_no_terminal_exits_2_and_purges_nothing(
    capsys, demo_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(sys, "stdin", Pipe("y\n"))
    before = demo_path.read_bytes()
    code, out, err = run(capsys, demo_path, "purge")
    assert code == cli.EXIT_USAGE and out == ""
    assert "pass --yes" in message(err) and "--dry-run" in message(err)
    assert demo_path.read_bytes() == before


@pytest.mark.parametrize(("answer", "code"), [("y\n", 0), ("n\n", 1), ("", 1)])
def test_purge_asks_on_a_terminal(capsys, demo_path: Path, monkeypatch, answer, code) -> None:
    interns = count(demo_path, "interns")
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    got, out, err = run(capsys, demo_path, "purge")
    assert (got, err) == (code, "")
    assert "for good? [y/N]" in out
    if code:
        assert out.rstrip().endswith("Nothing was purged.")
        assert count(demo_path, "interns") == interns
    else:
        assert count(demo_path, "interns") < interns


def test_json_asks_on_standard_error(capsys, demo_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    code, out, err = run(capsys, demo_path, "purge", "--format", "json")
    assert code == 1
    assert json.loads(out)["purged"] is None
    assert "for good? [y/N]" in err and "Nothing was purged." in err


def test_nothing_due_is_said_and_exits_0(capsys, demo_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(command, "_today", lambda: date(2026, 11, 20))
    code, out, err = run(capsys, demo_path, "purge", "--yes")
    assert (code, err) == (0, "")
    assert out.strip() == (
        "Nobody is past the 3-year retention period on 2026-11-20: nothing to purge."
    )


@pytest.mark.parametrize(
    ("user", "argv"),
    [
        ("mentor", ["purge", "--dry-run"]),
        ("viewer", ["purge", "--yes"]),
        ("mentor", ["retention"]),
        ("viewer", ["retention", "--years", "5"]),
    ],
)
def test_other_roles_are_refused_with_exit_4(
    capsys, demo_path: Path, monkeypatch, user, argv
) -> None:
    as_user(monkeypatch, user)
    interns = count(demo_path, "interns")
    code, out, err = run(capsys, demo_path, *argv)
    assert code == cli.EXIT_DENIED and out == ""
    assert message(err) == DENIED.format(user)
    assert count(demo_path, "interns") == interns


def test_the_retention_period(capsys, demo_path: Path) -> None:
    code, out, err = run(capsys, demo_path, "retention")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Records are kept 3 years after an intern last worked."
    assert "past the period: review with internhost purge --dry-run" in lines[1]

    code, out, err = run(capsys, demo_path, "retention", "--years", "5")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Records are now kept 5 years after an intern last worked.",
        "Nobody is past the period.",
    ]
    _, out, _ = run(capsys, demo_path, "purge", "--dry-run")
    assert out.startswith("Nobody is past the 5-year retention period")

    code, out, err = run(capsys, demo_path, "retention", "--years", "2")
    assert code == cli.EXIT_USAGE and out == ""
    assert message(err).startswith("years: may not be less than 3")
    code, out, err = run(capsys, demo_path, "retention", "--years", "three")
    assert code == cli.EXIT_USAGE and "invalid int value" in message(err)
    assert run(capsys, demo_path, "retention")[1].startswith("Records are kept 5 years")
