"""``internhost form``: the list, a blank form, a pre-filled one, and the exit codes
every command uses (2 bad input or not found, 4 refused), with the output guard
refusing the database before anything is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from clikit import message
from pypdf import PdfReader
from sqlalchemy import select
from testkeys import TEST_KEY

from internhost import cli
from internhost.core.actor import SYSTEM
from internhost.core.dates import age_on
from internhost.core.models import Intern, Placement, Staff, UserAccount
from internhost.core.reports.forms.texts import FORM_NAMES
from internhost.core.storage import db


def run(capsys: Any, demo_path: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(demo_path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def as_user(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setenv("INTERNHOST_USER", user)
    monkeypatch.setenv("INTERNHOST_PASSWORD", "demo")


def ids(demo_path: Path) -> dict[str, int]:
    """The demo mentor's intern, another mentor's, and an intern 16 or older."""
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            staff = s.scalar(select(UserAccount.staff_id).where(UserAccount.username == "mentor"))
            assert staff is not None and s.get(Staff, staff) is not None
            mine = select(Placement.intern_id).where(Placement.mentor_id == staff)
            older = next(
                p.intern_id
                for p in s.scalars(select(Placement).order_by(Placement.start_date.desc()))
                if age_on(p.intern.birth_date, p.start_date) >= 16
            )
            return {
                "own": s.scalar(select(Intern.id).where(Intern.id.in_(mine)).limit(1)) or 0,
                "stranger": s.scalar(select(Intern.id).where(Intern.id.not_in(mine)).limit(1)) or 0,
                "older": older,
            }
    finally:
        engine.dispose()


def test_list_names_every_form(capsys: Any, demo_path: Path) -> None:
    code, out, err = run(capsys, demo_path, "form", "--list")
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()] == list(FORM_NAMES)


def test_blank_and_prefilled_forms_are_written(capsys: Any, demo_path: Path, tmp_path: Path):
    who = ids(demo_path)
    blank = tmp_path / "blank.pdf"
    assert run(capsys, demo_path, "form", "parental-consent", "--out", str(blank)) == (0, "", "")
    assert blank.read_bytes().startswith(b"%PDF")
    filled = tmp_path / "filled.pdf"
    code, out, err = run(
        capsys,
        demo_path,
        "form",
        "final-evaluation",
        "--intern",
        str(who["own"]),
        "--out",
        str(filled),
    )
    assert (code, out, err) == (0, "", "")
    assert filled.read_bytes().startswith(b"%PDF")


def test_bad_input_and_refusals_exit_as_everywhere(
    capsys: Any, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    who = ids(demo_path)
    out = str(tmp_path / "f.pdf")
    code, _, err = run(capsys, demo_path, "form", "timesheet", "--out", str(demo_path))
    assert code == 2 and "--out" in message(err)
    code, _, err = run(capsys, demo_path, "form", "w-4", "--out", out)
    assert code == 2 and "invalid choice" in message(err)
    code, _, err = run(capsys, demo_path, "form", "timesheet")
    assert code == 2 and "--out" in message(err)
    code, _, err = run(capsys, demo_path, "form", "timesheet", "--intern", "999999", "--out", out)
    assert code == 2 and "no intern" in message(err)
    code, _, err = run(
        capsys,
        demo_path,
        "form",
        "il-notice-of-intent",
        "--intern",
        str(who["older"]),
        "--out",
        out,
    )
    assert code == 2 and "minors under 16" in message(err)
    as_user(monkeypatch, "mentor")
    code, _, err = run(
        capsys, demo_path, "form", "parental-consent", "--intern", str(who["own"]), "--out", out
    )
    assert code == 4 and message(err).startswith("a mentor may not see")
    code, _, err = run(
        capsys, demo_path, "form", "timesheet", "--intern", str(who["stranger"]), "--out", out
    )
    assert code == 2 and "no intern" in message(err)
    assert not Path(out).exists()
    code, _, err = run(
        capsys, demo_path, "form", "reference-letter", "--intern", str(who["own"]), "--out", out
    )
    assert (code, err) == (0, "") and Path(out).exists()


def test_a_placement_and_a_week_pick_what_is_filled_in(
    capsys: Any, demo_path: Path, tmp_path: Path
) -> None:
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            placement = s.scalars(select(Placement).order_by(Placement.id).limit(1)).one()
            pid, day = placement.id, placement.start_date
    finally:
        engine.dispose()
    out = tmp_path / "week.pdf"
    code, _, err = run(
        capsys,
        demo_path,
        "form",
        "timesheet",
        "--placement",
        str(pid),
        "--week",
        day.isoformat(),
        "--out",
        str(out),
    )
    assert (code, err) == (0, "")
    text = PdfReader(out).pages[0].extract_text()
    assert "Weekly timesheet" in text and f"{day:%m/%d}" in text  # the week holding DATE
    code, _, err = run(
        capsys,
        demo_path,
        "form",
        "reference-letter",
        "--placement",
        str(pid),
        "--week",
        day.isoformat(),
        "--out",
        str(out),
    )
    assert code == 2 and message(err) == "--week is for the timesheet"
