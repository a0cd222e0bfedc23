"""``internhost school-form``: HR registers a school's PDF, maps its fields and fills
it for one intern or the whole school; an XFA form is refused (exit 2) in one line; a
mentor fills only their own interns (another's is not found, exit 2); ``--out`` on the
database is refused before anything."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from clikit import message
from formkit import school_form, xfa_form
from pypdf import PdfReader
from sqlalchemy import select

from internhost import cli
from internhost.commands import school_form as command
from internhost.core.actor import SYSTEM
from internhost.core.models import Intern, Placement
from internhost.core.storage import db, secrets

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)
    monkeypatch.setattr(command, "_today", lambda: TODAY)


def run(capsys, path: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _zoe(path: Path) -> tuple[int, int]:
    """(Zoë Łukasiewicz's id, her latest placement's school)."""
    engine = db.make_engine(path, secrets.read_database_key(path))
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            intern = s.scalar(select(Intern.id).where(Intern.legal_last_name == "Łukasiewicz"))
            school = s.scalar(
                select(Placement.school_id)
                .where(Placement.intern_id == intern)
                .order_by(Placement.start_date.desc())
            )
            assert intern is not None and school is not None
            return intern, school
    finally:
        engine.dispose()


def test_register_map_and_fill(capsys, demo_path: Path, tmp_path: Path, monkeypatch) -> None:
    intern, school = _zoe(demo_path)
    pdf = tmp_path / "Lincoln WBL.pdf"
    pdf.write_bytes(school_form())
    code, out, err = run(
        capsys, demo_path, "school-form", "register", "--school", str(school), "--file", str(pdf)
    )
    assert (code, err) == (0, ""), err
    form = out.split()[2].rstrip(":")
    assert "student_name  (text)" in out and "term  (radio buttons) [Fall, Spring]" in out
    for field, key in (("student_name", "intern.legal_name"), ("cde_met", "hours.cde_met")):
        assert run(capsys, demo_path, "school-form", "map", form, field, key)[0] == 0
    code, out, _ = run(capsys, demo_path, "school-form", "fields", form)
    assert "student_name  (text) -> intern.legal_name" in out
    code, out, err = run(capsys, demo_path, "school-form", "map", form, "nope", "intern.grade")
    assert code == 2 and "nope" in message(err)

    one = tmp_path / "zoe.pdf"
    code, out, err = run(
        capsys,
        demo_path,
        "school-form",
        "fill",
        form,
        "--intern",
        str(intern),
        "--out",
        str(one),
        "--format",
        "json",
    )
    assert (code, err) == (0, ""), err
    assert json.loads(out)["written"] == [str(one)]
    assert PdfReader(one).get_fields()["student_name"]["/V"] == "Zoë Łukasiewicz"
    code, out, _ = run(
        capsys, demo_path, "school-form", "fill", form, "--intern", str(intern), "--out", str(one)
    )
    assert code == 0 and out.startswith("kept")

    folder = tmp_path / "all"
    code, out, err = run(
        capsys,
        demo_path,
        "school-form",
        "fill",
        form,
        "--all",
        "--out",
        str(folder),
        "--flatten",
        "--format",
        "json",
    )
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["written"] and not report["failed"]
    assert all(Path(p).name.isascii() and not PdfReader(p).get_fields() for p in report["written"])
    code, _, err = run(
        capsys, demo_path, "school-form", "fill", form, "--all", "--out", str(demo_path)
    )
    assert code == 2 and "--out" in err

    monkeypatch.setenv("INTERNHOST_USER", "mentor")
    monkeypatch.setenv("INTERNHOST_PASSWORD", "demo")
    code, _, err = run(
        capsys,
        demo_path,
        "school-form",
        "fill",
        form,
        "--intern",
        str(intern),
        "--out",
        str(tmp_path / "m.pdf"),
        "--force",
    )
    # A mentor prints for their own interns only: Zoë is another mentor's.
    assert code == 2 and f"no intern with id {intern}" in err


def test_an_xfa_form_is_refused_in_one_line(capsys, demo_path: Path, tmp_path: Path) -> None:
    _intern, school = _zoe(demo_path)
    pdf = tmp_path / "xfa.pdf"
    pdf.write_bytes(xfa_form())
    code, out, err = run(
        capsys, demo_path, "school-form", "register", "--school", str(school), "--file", str(pdf)
    )
    assert code == 2 and "XFA" in message(err) and out == ""
    code, out, _ = run(capsys, demo_path, "school-form", "list")
    assert code == 0 and "No school forms" in out
