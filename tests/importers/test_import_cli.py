"""``internhost import-roster``: exit codes 0/1/2, text and JSON output."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from internhost import cli
from internhost.commands import import_roster

REPO = Path(__file__).resolve().parents[2]
HEADER = "First Name,Last Name,DOB,School,Student ID,Start Date,Worksite\r\n"
GOOD = "Ana,Ruiz,3/4/2008 0:00,Auburn High School,900001,9/8/2025,Rockford Plant\r\n"
YOUNG = "Bo,Lee,2012-01-01,Auburn High School,900002,2025-09-08,Rockford Plant\r\n"
BAD = "Cy,Park,2008-02-30,Auburn High School,900003,,\r\n"


def _args(db: Path, *argv: str) -> argparse.Namespace:
    """Parse as ``internhost --db DB import-roster ...`` would, with the command's own
    ``add_parser`` on a parser of our own (independent of the wiring in cli.py)."""
    parser = argparse.ArgumentParser(prog="internhost")
    parser.add_argument("--db")
    import_roster.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["--db", str(db), "import-roster", *argv])


def _file(tmp_path: Path, text: str, name: str = "roster.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8-sig"))
    return str(path)


def test_exit_0_and_a_text_summary(demo_path, tmp_path, capsys) -> None:
    code = import_roster.run(_args(demo_path, _file(tmp_path, HEADER + GOOD + YOUNG)))
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("roster.csv: 2 rows; 2 imported, 0 updated")
    assert lines[1] == "0 errors, 2 warnings"
    assert lines[2] == (
        "warning: line 3, birth_date: student is 13 on the start date; "
        "federal law bars employing under-14s"
    )
    # Imported all the same, as a draft: the minimum age keeps it one.
    assert lines[3].startswith("warning: line 3, placement_start: imported as a draft.")


def test_exit_1_on_any_row_error_with_json(demo_path, tmp_path, capsys) -> None:
    roster = _file(tmp_path, HEADER + GOOD + BAD)
    code = import_roster.run(_args(demo_path, roster, "--format", "json", "--dry-run"))
    assert code == 1
    assert json.loads(capsys.readouterr().out) == {
        "rows": 2,
        "imported": 0,
        "updated": 0,
        "would_import": 1,
        "dry_run": True,
        "errors": [{"line": 3, "column": "birth_date", "message": "2008-02-30 is not a date"}],
        "warnings": [],
        "errors_not_listed": 0,
        "warnings_not_listed": 0,
    }
    code = import_roster.run(_args(demo_path, roster, "--skip-invalid", "--format", "json"))
    assert code == 1  # whatever was imported
    assert json.loads(capsys.readouterr().out)["imported"] == 1


def test_text_lists_errors_and_says_nothing_was_written(demo_path, tmp_path, capsys) -> None:
    assert import_roster.run(_args(demo_path, _file(tmp_path, HEADER + GOOD + BAD))) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("2 rows; 0 imported, 0 updated (nothing written)")
    assert "error: line 3, birth_date: 2008-02-30 is not a date" in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["missing.csv"], "cannot read missing.csv"),
        (["{roster}", "--school", "Lincoln"], "unknown school 'Lincoln'"),
        (["{nodob}"], "required column birth_date not found"),
        (["{roster}", "--map", "Pupil=pupil"], "'pupil' is not a column"),
        (["{xlsx}"], "Excel workbook"),
    ],
)
def test_exit_2_usage_errors(demo_path, tmp_path, argv, says) -> None:
    files = {
        "roster": _file(tmp_path, HEADER + GOOD),
        "nodob": _file(tmp_path, "First,Last,School\r\nAna,Ruiz,Auburn High School\r\n", "n.csv"),
        "xlsx": str(tmp_path / "roster.xlsx"),
    }
    (tmp_path / "roster.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(cli.UsageError, match=says):
        import_roster.run(_args(demo_path, *[a.format(**files) for a in argv]))


def test_maps_are_remembered_through_the_command(demo_path, tmp_path, capsys) -> None:
    text = "Pupil,First,Last,DOB\r\nP-1,Ana,Ruiz,2008-03-04\r\n"
    argv = [_file(tmp_path, text), "--school", "auburn high school", "--map", "Pupil=student_id"]
    assert import_roster.run(_args(demo_path, *argv)) == 0
    again = "Pupil,First,Last,DOB\r\nP-2,Bo,Ruiz,2008-03-05\r\n"
    argv = [_file(tmp_path, again, "b.csv"), "--school", "Auburn High School", "--format", "json"]
    capsys.readouterr()
    assert import_roster.run(_args(demo_path, *argv)) == 0
    assert json.loads(capsys.readouterr().out)["warnings"] == []


def _internhost(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "internhost", *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_python_m_internhost_import_roster(demo_path, tmp_path) -> None:
    roster = _file(tmp_path, HEADER + GOOD + BAD)
    done = _internhost("--db", str(demo_path), "import-roster", roster, "--format", "json")
    assert (done.returncode, done.stderr) == (1, "")
    assert json.loads(done.stdout)["errors"][0]["line"] == 3
    done = _internhost("--db", str(demo_path), "import-roster", str(tmp_path / "nope.csv"))
    assert done.returncode == 2
    assert done.stderr.startswith("internhost: cannot read") and len(done.stderr.splitlines()) == 1


def test_a_roster_over_the_size_limit_exits_2_in_one_line(demo_path, tmp_path) -> None:
    from clikit import message

    from internhost.core.importers import limits

    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: takes no disk, and is never read
    done = _internhost("--db", str(demo_path), "import-roster", str(big), "--dry-run")
    assert done.returncode == 2 and done.stdout == ""
    assert message(done.stderr) == (
        f"{big}: the file is 64.1 MB, over the 64 MB a roster may be (a roster of interns "
        "is a few thousand rows at most, and the limit keeps an import's memory and time "
        "bounded; split the file)"
    )


def test_standard_input_is_streamed_and_capped_too(demo_path, tmp_path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "internhost", "--db", str(demo_path), "import-roster", "-"],
        input=(HEADER + GOOD).encode(),
        cwd=REPO,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.decode().startswith("-: 1 row; 1 imported")


def test_the_error_list_is_capped_in_text_and_json(demo_path, tmp_path, capsys, monkeypatch):
    from internhost.core.importers import result

    monkeypatch.setattr(result, "MAX_LISTED", 2)
    bad = "".join(f"Cy{i},Park,2008-02-30,Auburn High School,{900100 + i},,\r\n" for i in range(3))
    roster = _file(tmp_path, HEADER + bad)
    assert import_roster.run(_args(demo_path, roster)) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        "3 errors, 0 warnings",
        "error: line 2, birth_date: 2008-02-30 is not a date",
        "error: line 3, birth_date: 2008-02-30 is not a date",
        "1 error more not listed (only the first 2 are)",
    ]
    assert import_roster.run(_args(demo_path, roster, "--format", "json")) == 1
    shown = json.loads(capsys.readouterr().out)
    assert (len(shown["errors"]), shown["errors_not_listed"]) == (2, 1)
