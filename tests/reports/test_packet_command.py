"""``internhost packet``: files named by intern, placement and ASCII slug; kept unless
--force; the output guard before --force; batches that go on past a failure and say
so in the issue's JSON; a mentor's other intern is not found (2), the binder is HR's
alone (4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clikit import message
from packetkit import TODAY, opened, prepare, syntax_ok, text
from sqlalchemy import select

from internhost import cli
from internhost.commands import packet as command
from internhost.core.models import Placement
from internhost.core.storage import db


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)
    monkeypatch.setattr(command, "_today", lambda: TODAY)


@pytest.fixture
def case(demo_path: Path):
    with opened(demo_path) as factory:
        yield prepare(factory, demo_path)


def run(capsys, path: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(path), "packet", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def as_user(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setenv("INTERNHOST_USER", user)


def test_one_intern_to_a_file_then_kept_then_forced(capsys, case, tmp_path: Path) -> None:
    out = tmp_path / "one.pdf"
    args = ("--intern", str(case.intern_id), "--out", str(out), "--format", "json")
    code, stdout, err = run(capsys, case.path, *args)
    assert (code, err) == (0, "")
    assert json.loads(stdout) == {"written": [str(out)], "kept": [], "failed": []}
    syntax_ok(out.read_bytes())
    assert "Nguyễn Thị Ánh" in text(out.read_bytes())
    code, stdout, _ = run(capsys, case.path, *args)
    assert code == 0 and json.loads(stdout)["kept"] == [str(out)]
    code, stdout, _ = run(capsys, case.path, *args, "--force")
    assert code == 0 and json.loads(stdout)["written"] == [str(out)]


def test_the_guard_refuses_the_database_even_with_force(capsys, case) -> None:
    before = case.path.read_bytes()
    for extra in ((), ("--force",)):
        code, _, err = run(
            capsys, case.path, "--intern", str(case.intern_id), "--out", str(case.path), *extra
        )
        assert code == 2 and "--out" in message(err)
    assert case.path.read_bytes() == before


def test_a_school_batch_writes_one_file_per_placement(capsys, case, tmp_path: Path) -> None:
    from sqlalchemy import select

    from internhost.core.models import Placement

    with db.read_session(case.factory, case.hr) as s:
        school = s.scalar(select(Placement.school_id).where(Placement.id == case.placement_id))
        expected = set(
            s.scalars(
                select(Placement.id).where(
                    Placement.school_id == school, Placement.archived_at.is_(None)
                )
            )
        )
    folder = tmp_path / "batch"
    code, stdout, err = run(
        capsys, case.path, "--school", str(school), "--out", str(folder), "--format", "json"
    )
    result = json.loads(stdout)
    assert (code, err, result["failed"], result["kept"]) == (0, "", [], [])
    names = sorted(Path(p).name for p in result["written"])
    assert {int(n.split("-")[1]) for n in names} == expected
    assert f"{case.intern_id}-{case.placement_id}-nguyen-thi-anh.pdf" in names
    assert sorted(p.name for p in folder.iterdir()) == names

    code, stdout, _ = run(
        capsys,
        case.path,
        "--school",
        str(school),
        "--combined",
        "--out",
        str(folder),
        "--format",
        "json",
    )
    combined = json.loads(stdout)["written"]
    assert (
        code == 0 and len(combined) == 1 and Path(combined[0]).name.startswith(f"school-{school}-")
    )
    syntax_ok(Path(combined[0]).read_bytes())


def test_a_batch_goes_on_past_a_failure(capsys, case, tmp_path: Path, monkeypatch) -> None:
    from internhost.core.services import packets

    real = packets.render_school_packet

    def failing(s, actor, intern_id, placement_id, today):
        if intern_id == case.intern_id:
            raise RuntimeError("the printer caught fire")
        return real(s, actor, intern_id, placement_id, today)

    monkeypatch.setattr(packets, "render_school_packet", failing)
    from sqlalchemy import select

    from internhost.core.models import Placement

    with db.read_session(case.factory, case.hr) as s:
        school = s.scalar(select(Placement.school_id).where(Placement.id == case.placement_id))
    code, stdout, _ = run(
        capsys, case.path, "--school", str(school), "--out", str(tmp_path / "b"), "--format", "json"
    )
    result = json.loads(stdout)
    assert code == 1 and result["written"]
    failed = result["failed"]
    assert failed and {f["intern_id"] for f in failed} == {case.intern_id}
    assert case.placement_id in {f["placement_id"] for f in failed}
    assert {f["error"] for f in failed} == {"the printer caught fire"}
    assert not any(f"/{case.intern_id}-" in p for p in result["written"])


def test_roles(capsys, case, tmp_path: Path, monkeypatch) -> None:
    as_user(monkeypatch, "mentor")
    code, _, err = run(
        capsys, case.path, "--intern", str(case.other_intern_id), "--out", str(tmp_path / "x.pdf")
    )
    assert code == 2 and "no intern with id" in message(err) and not (tmp_path / "x.pdf").exists()
    code, _, err = run(
        capsys, case.path, "--intern", str(case.intern_id), "--out", str(tmp_path / "m.pdf")
    )
    assert (code, err) == (0, "") and (tmp_path / "m.pdf").exists()
    code, _, err = run(
        capsys,
        case.path,
        "--intern",
        str(case.intern_id),
        "--kind",
        "hr",
        "--out",
        str(tmp_path / "hr.pdf"),
    )
    assert code == 4 and "binder" in message(err) and not (tmp_path / "hr.pdf").exists()
    as_user(monkeypatch, "viewer")
    code, _, err = run(
        capsys, case.path, "--intern", str(case.intern_id), "--out", str(tmp_path / "v.pdf")
    )
    assert (code, err) == (0, "")


def test_binders_per_intern_and_combined_per_school(capsys, case, tmp_path: Path) -> None:
    from sqlalchemy import select

    from internhost.core.models import Placement

    with db.read_session(case.factory, case.hr) as s:
        school = s.scalar(select(Placement.school_id).where(Placement.id == case.placement_id))
        interns = set(
            s.scalars(
                select(Placement.intern_id).where(
                    Placement.school_id == school, Placement.archived_at.is_(None)
                )
            )
        )
    code, stdout, err = run(
        capsys,
        case.path,
        "--school",
        str(school),
        "--kind",
        "hr",
        "--out",
        str(tmp_path / "hr"),
        "--format",
        "json",
    )
    written = json.loads(stdout)["written"]
    assert (code, err) == (0, "")
    assert {int(Path(p).name.split("-")[0]) for p in written} == interns
    code, stdout, _ = run(
        capsys,
        case.path,
        "--school",
        str(school),
        "--kind",
        "hr",
        "--combined",
        "--out",
        str(tmp_path / "hr2"),
    )
    assert code == 0 and "1 written, 0 kept, 0 failed." in stdout
    (path,) = (tmp_path / "hr2").iterdir()
    assert path.name.startswith(f"school-{school}-")
    body = text(path.read_bytes())
    assert body.count("HR compliance binder\nHR compliance binder") == len(interns)


@pytest.mark.slow
def test_a_big_batch_runs_over_worker_processes(capsys, case, tmp_path: Path, monkeypatch) -> None:
    # Worker processes from 3 files on, so one school's placements go over them.
    monkeypatch.setattr(command, "WORKERS_FROM", 3)
    with db.read_session(case.factory, case.hr) as s:
        school = s.scalar(select(Placement.school_id).where(Placement.id == case.placement_id))
    folder = tmp_path / "all"
    code, stdout, err = run(
        capsys, case.path, "--school", str(school), "--out", str(folder), "--format", "json"
    )
    result = json.loads(stdout)
    assert (code, err, result["failed"], result["kept"]) == (0, "", [], [])
    assert len(result["written"]) > 3 and sorted(p.name for p in folder.iterdir()) == sorted(
        Path(p).name for p in result["written"]
    )
    code, stdout, _ = run(
        capsys, case.path, "--school", str(school), "--out", str(folder), "--format", "json"
    )
    assert code == 0 and len(json.loads(stdout)["kept"]) == len(result["written"])


def test_all_writes_every_placement_not_archived(capsys, case, tmp_path: Path) -> None:
    """``--all`` on a database made tiny: every placement but two (at two schools) is
    archived, so the batch is two packets, written in this process."""
    from datetime import UTC, datetime

    from internhost.core.trail import audit

    with db.read_session(case.factory, case.hr) as s:
        school = s.scalar(select(Placement.school_id).where(Placement.id == case.placement_id))
        other = s.scalar(
            select(Placement.id).where(Placement.school_id != school).order_by(Placement.id)
        )
    keep = {case.placement_id, other}
    with db.unit_of_work(case.factory, case.hr) as s:
        now = datetime.now(UTC)
        others = s.scalars(select(Placement.id).where(Placement.id.not_in(keep)))
        audit.bulk_update(s, Placement, [{"id": i, "archived_at": now} for i in others])
    folder = tmp_path / "all"
    code, stdout, err = run(capsys, case.path, "--all", "--out", str(folder), "--format", "json")
    result = json.loads(stdout)
    assert (code, err, result["failed"], result["kept"]) == (0, "", [], [])
    written = {int(Path(p).name.split("-")[1]) for p in result["written"]}
    assert written == keep and len(list(folder.iterdir())) == 2
    for path in result["written"]:
        syntax_ok(Path(path).read_bytes())
