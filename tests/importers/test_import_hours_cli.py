"""``internhost import-hours``: exit codes as ``import-roster`` (0, 1, 2, 4), text and
JSON output, through the ``internhost`` command's own wiring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hourskit import build

from internhost import cli

GOOD = "Badge,Date,In,Out\r\nB-1,2025-10-13,15:30,17:30\r\n"
BAD = GOOD + "B-1,2025-10-14,17:30,15:30\r\n"


@pytest.fixture
def world_db(db_path: Path, factory) -> Path:
    build(factory)
    return db_path


def _file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "clock.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    return str(path)


def main(db: Path, *argv: str) -> int:
    return cli.main(["--db", str(db), "import-hours", *argv])


def test_exit_0_with_a_text_summary(world_db, tmp_path, capsys) -> None:
    assert main(world_db, _file(tmp_path, GOOD)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("clock.csv: 1 row; 1 imported, 0 updated")
    # Imported again: nothing added, a warning, still exit 0.
    assert main(world_db, _file(tmp_path, GOOD)) == 0
    assert "warning: line 2, in: already imported" in capsys.readouterr().out


def test_exit_1_on_a_row_error_with_json(world_db, tmp_path, capsys) -> None:
    assert main(world_db, _file(tmp_path, BAD), "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["imported"] == 0 and report["would_import"] == 1
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(3, "out")]
    assert main(world_db, _file(tmp_path, BAD), "--skip-invalid", "--format", "json") == 1
    assert json.loads(capsys.readouterr().out)["imported"] == 1


def test_exit_2_for_a_file_without_the_columns_or_a_bad_mapping(world_db, tmp_path, capsys) -> None:
    assert main(world_db, _file(tmp_path, "Name,Date\r\nAna,2025-10-13\r\n")) == 2
    assert "required columns" in capsys.readouterr().err
    assert main(world_db, _file(tmp_path, GOOD), "--map", "Badge=nonsense") == 2


def test_exit_4_for_a_role_that_may_not_import(world_db, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("INTERNHOST_USER", "mentor")
    assert main(world_db, _file(tmp_path, GOOD), "--dry-run") == 4
