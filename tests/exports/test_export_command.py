"""``internhost export``: to --out and to standard output, exit codes 0, 2 and 3.

``cli.py`` wires the subcommand in; until it does, the ``wired`` fixture adds it the
same way (``add_parser`` on the command's subparsers, ``run`` in ``COMMANDS``), so
these tests run through the real ``cli.main`` and its exit-code mapping.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from exportcheck import csv_records

from internhost import cli
from internhost.commands import export
from internhost.core.fileio.exporting import HEADERS


@pytest.fixture
def wired(monkeypatch: pytest.MonkeyPatch) -> None:
    if "export" in cli.COMMANDS:
        return
    original = cli.build_parser

    def build_parser() -> argparse.ArgumentParser:
        parser = original()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        export.add_parser(sub)
        return parser

    monkeypatch.setattr(cli, "build_parser", build_parser)
    monkeypatch.setitem(cli.COMMANDS, "export", export.run)


def main(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_writes_csv_to_out(demo_path: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "interns.csv"
    args = argparse.Namespace(db=str(demo_path), entity="interns", format="csv", out=str(out))
    assert export.run(args) == 0
    assert capsys.readouterr().out == ""
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, rows = csv_records(data.decode("utf-8"))
    assert header == list(HEADERS["interns"])
    assert any(r["last_name"] == "Łukasiewicz" for r in rows)
    assert not list(tmp_path.glob("*.partial"))


def test_run_writes_json_to_stdout(demo_path: Path, capsys) -> None:
    args = argparse.Namespace(db=str(demo_path), entity="worksites", format="json", out=None)
    assert export.run(args) == 0
    records = json.loads(capsys.readouterr().out)
    assert [list(r) for r in records] == [list(HEADERS["worksites"])] * len(records)
    assert records


def test_default_is_csv_on_stdout(wired, demo_path: Path, capsys) -> None:
    code, out, err = main(capsys, "--db", str(demo_path), "export", "staff")
    assert (code, err) == (0, "")
    header, rows = csv_records(out)
    assert header == list(HEADERS["staff"])
    assert rows


def test_out_through_the_command(wired, demo_path: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "schools.json"
    argv = ("--db", str(demo_path), "export", "schools", "--format", "json", "--out", str(out))
    code, stdout, err = main(capsys, *argv)
    assert (code, stdout, err) == (0, "", "")
    records = json.loads(out.read_text("utf-8"))
    assert records and list(records[0]) == list(HEADERS["schools"])


@pytest.mark.parametrize(
    "argv", [("export", "vacations"), ("export", "interns", "--format", "xlsx"), ("export",)]
)
def test_bad_entity_or_format_exits_2(wired, demo_path: Path, capsys, argv) -> None:
    code, out, err = main(capsys, "--db", str(demo_path), *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("internhost: ") and len(err.splitlines()) == 1


def test_unwritable_out_exits_3_and_writes_nothing(
    wired, demo_path: Path, tmp_path: Path, capsys
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    blocker = folder / "a-file"
    blocker.write_text("not a folder", "utf-8")
    argv = ("--db", str(demo_path), "export", "interns", "--out", str(blocker / "x.csv"))
    code, out, err = main(capsys, *argv)
    assert code == 3
    assert out == ""
    assert err.startswith("internhost: ") and len(err.splitlines()) == 1
    assert [p.name for p in folder.iterdir()] == ["a-file"]


def test_missing_out_folder_exits_3(wired, demo_path: Path, tmp_path: Path, capsys) -> None:
    argv = ("--db", str(demo_path), "export", "interns", "--out", str(tmp_path / "no" / "x.csv"))
    code, _, err = main(capsys, *argv)
    assert code == 3
    assert err.startswith("internhost: ")


def test_a_failed_export_keeps_the_previous_file(
    demo_path: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "interns.csv"
    out.write_text("previous", "utf-8")

    def explode(*_args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr("internhost.core.services.exports.write_export", explode)
    args = argparse.Namespace(db=str(demo_path), entity="interns", format="csv", out=str(out))
    with pytest.raises(RuntimeError):
        export.run(args)
    assert out.read_text("utf-8") == "previous"
    assert not list(tmp_path.glob("*.partial"))
