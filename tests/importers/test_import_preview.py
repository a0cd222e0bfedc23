"""The mapping step's helper: headers, samples and the proposed column of each, and the
user's choices turned into what ``import_roster`` reads (mappings, ignored headers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import PermissionDenied
from internhost.core.importers import preview
from internhost.core.importers.result import ImportRefused
from internhost.core.storage import db

MESSY = (
    "First Name,last_name,DOB,Pupil Number,School,Surname,id,Notes\r\n"
    "Ana,Ruiz,3/4/2008,900001,Auburn High School,Ruiz,17,likes welding\r\n"
    "\r\n"
    "Ben,Ortiz,2008-02-30,900002,Auburn High School,Ortiz,,\r\n"
    "Cleo,Ng,2008-05-06,900002,Auburn High School,Ng,,likes welding\r\n"
    "Dan,Ames,2008-01-02,900004,Auburn High School,Ames,,paints\r\n"
    "Eve,Bo,2008-01-03,900005,Auburn High School,Bo,,sings\r\n"
)


def _preview(factory, data: str | bytes | Path, actor: Actor = SYSTEM) -> preview.FilePreview:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with db.read_session(factory, actor) as s:
        return preview.preview_file(s, actor, raw)


def test_each_header_gets_its_proposed_column_reason_and_samples(demo_factory) -> None:
    found = _preview(demo_factory, MESSY)
    assert found.rows == 5 and (found.encoding, found.delimiter) == ("utf-8", ",")
    assert [(h.header, h.column, h.source, h.also) for h in found.headers] == [
        ("First Name", "first_name", preview.NAME, None),
        ("last_name", "last_name", preview.NAME, None),
        ("DOB", "birth_date", preview.ALIAS, None),
        ("Pupil Number", None, preview.UNKNOWN, None),
        ("School", "school", preview.NAME, None),
        ("Surname", None, preview.DUPLICATE, "last_name"),
        ("id", None, preview.EXPECTED, None),
        ("Notes", None, preview.UNKNOWN, None),
    ]
    samples = {h.header: h.samples for h in found.headers}
    assert samples["Pupil Number"] == ("900001", "900002", "900004")  # distinct, first three
    assert samples["Notes"] == ("likes welding", "paints", "sings")  # blanks skipped
    assert samples["id"] == ("17",)
    assert found.schools == ("Auburn High School", "Elgin High School", "Jefferson High School")
    assert found.proposed()[:3] == ["first_name", "last_name", "birth_date"]


def test_a_committed_mapping_is_proposed_next_time_as_remembered(run_import, demo_factory) -> None:
    data = "First,Last,DOB,Pupil Number,School\r\nAna,Ruiz,3/4/2008,900001,Auburn High School\r\n"
    report = run_import(data, mappings={"Pupil Number": "student_id"})
    assert report.imported == 1
    [pupil] = [h for h in _preview(demo_factory, data).headers if h.header == "Pupil Number"]
    assert (pupil.column, pupil.source) == ("student_id", preview.REMEMBERED)


def test_unreadable_files_and_other_roles_are_refused(demo_factory) -> None:
    with pytest.raises(ImportRefused, match="Excel workbook"):
        _preview(demo_factory, b"PK\x03\x04rest of a zip")
    with pytest.raises(ImportRefused, match="empty"):
        _preview(demo_factory, "\r\n\r\n")
    with pytest.raises(PermissionDenied):
        _preview(demo_factory, MESSY, Actor(Role.VIEWER, "Viewer"))


def test_missing_columns_name_the_required_ones_without_a_choice() -> None:
    assert preview.missing_columns([None, "last_name"]) == ("first_name", "birth_date", "school")
    chosen = ["first_name", "last_name", "birth_date"]
    assert preview.missing_columns(chosen, default_school=True) == ()
    assert preview.missing_columns(chosen) == ("school",)


def test_choices_become_mappings_and_ignored_headers(run_import, demo_factory, counts) -> None:
    found = _preview(demo_factory, MESSY)
    choices = found.proposed()
    choices[3] = "student_id"  # Pupil Number: the user maps it
    choices[0] = None  # First Name: ignored on purpose…
    choices[5] = "first_name"  # …because "Surname" (sic) holds the first names here
    prepared = preview.apply_choices(found, choices)
    assert prepared.mappings == {"Pupil Number": "student_id", "Surname": "first_name"}
    assert prepared.ignore == {0, 7}  # First Name and Notes; not id, which is expected

    before = counts()
    report = run_import(
        MESSY, mappings=prepared.mappings, ignore=prepared.ignore, digest=found.digest, dry_run=True
    )
    assert counts() == before
    assert report.warnings == []  # no "ignored columns": the user chose to ignore them
    assert [(o.line, o.action, o.label) for o in report.outcomes] == [
        (2, "create", "Ruiz, Ruiz"),
        (4, "invalid", "Ortiz, Ortiz"),
        (5, "invalid", "Ng, Ng"),
        (6, "create", "Ames, Ames"),
        (7, "create", "Bo, Bo"),
    ]
    assert [(e.line, e.column) for e in report.errors] == [(4, "birth_date"), (5, "student_id")]


def test_headers_are_ignored_by_position_not_by_name(run_import, demo_factory) -> None:
    data = (
        "First,Last,DOB,School,Last\r\n"
        "Ana,wrong,2008-03-04,Auburn High School,Ruiz\r\n"
        "Bo,wrong,2008-03-05,Auburn High School,Lee\r\n"
    )
    found = _preview(demo_factory, data)
    assert [h.source for h in found.headers][1:] == [
        preview.ALIAS,
        preview.ALIAS,
        preview.NAME,
        preview.DUPLICATE,
    ]
    choices = found.proposed()
    choices[1], choices[4] = None, "last_name"  # the second "Last" holds the surnames
    prepared = preview.apply_choices(found, choices)
    assert (prepared.mappings, prepared.ignore) == ({"Last": "last_name"}, {1})
    report = run_import(data, mappings=prepared.mappings, ignore=prepared.ignore, dry_run=True)
    assert (report.errors, report.warnings) == ([], [])
    assert [o.label for o in report.outcomes] == ["Ruiz, Ana", "Lee, Bo"]


def test_a_file_changed_since_the_preview_is_refused(run_import, demo_factory, tmp_path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(MESSY, encoding="utf-8")
    found = _preview(demo_factory, path)
    assert found.rows == 5
    path.write_text(MESSY.replace("Ana", "Ann"), encoding="utf-8")
    with pytest.raises(ImportRefused, match="changed since it was checked"):
        run_import(path, digest=found.digest, dry_run=True)


def test_the_same_column_twice_is_refused() -> None:
    found = preview.FilePreview(
        headers=(
            preview.HeaderGuess(0, "First", "first_name", preview.ALIAS, ()),
            preview.HeaderGuess(1, "Given", None, preview.UNKNOWN, ()),
        ),
        rows=0,
        encoding="utf-8",
        delimiter=",",
        warnings=(),
        schools=(),
    )
    with pytest.raises(ImportRefused, match="'First' and 'Given' are both chosen as first_name"):
        preview.apply_choices(found, ["first_name", "first_name"])
    with pytest.raises(ImportRefused, match="not a roster column"):
        preview.apply_choices(found, ["first_name", "nickname"])
    prepared = preview.apply_choices(found, ["first_name", None])
    assert prepared == preview.Prepared({}, frozenset({1}))
