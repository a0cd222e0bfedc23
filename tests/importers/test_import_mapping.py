"""Headers → canonical columns: aliases in any case, user mappings, ignored headers."""

from __future__ import annotations

import pytest

from internhost.core.importers.mapping import header_key, parse_mapping, resolve
from internhost.core.importers.result import ImportRefused
from internhost.core.importers.roster import SPEC


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("DOB", "birth_date"),
        ("Birth Date", "birth_date"),
        ("date of birth", "birth_date"),
        ("  DATE-OF-BIRTH ", "birth_date"),
        ("Last Name", "last_name"),
        ("LAST_NAME", "last_name"),
        ("Student ID", "student_id"),
        ("Student ID#", "student_id"),
        ("Parent/Guardian", "guardian_name"),
        ("Preferred", "preferred_name"),
        ("Start Date", "placement_start"),
        ("End Date", "placement_end"),
        ("École", None),
        ("first_name", "first_name"),
        ("Hourly Rate", "hourly_rate"),
    ],
)
def test_header_aliases_in_any_case(header: str, column: str | None) -> None:
    layout = resolve([header], SPEC, {}, {})
    assert dict(layout.positions) == ({column: 0} if column else {})


def test_unknown_headers_are_named_in_one_file_level_warning() -> None:
    layout = resolve(["First", "Locker #", "Last", "Notes", "id", "Status"], SPEC, {}, {})
    assert dict(layout.positions) == {"first_name": 0, "last_name": 2}
    [warning] = layout.warnings
    assert warning.line is None and warning.column is None
    assert "'Locker #', 'Notes'" in warning.message  # an export's id and status: silent


def test_given_mappings_beat_remembered_ones_which_beat_aliases() -> None:
    headers = ["Pupil No", "DOB", "Kid"]
    stored = {header_key("Kid"): "first_name", header_key("DOB"): "preferred_name"}
    layout = resolve(headers, SPEC, stored, {"DOB": "birth_date"})
    assert dict(layout.positions) == {"birth_date": 1, "first_name": 2}


def test_a_second_header_for_the_same_column_is_ignored_with_a_warning() -> None:
    layout = resolve(["DOB", "Birth Date"], SPEC, {}, {})
    assert dict(layout.positions) == {"birth_date": 0}
    assert "'Birth Date' also means birth_date" in layout.warnings[0].message


def test_a_mapping_for_a_header_not_in_the_file_is_a_warning() -> None:
    layout = resolve(["DOB"], SPEC, {}, {"Pupil": "student_id"})
    assert "'Pupil' is not in the file" in layout.warnings[0].message


def test_parse_mapping() -> None:
    assert parse_mapping("Pupil No = student_id", SPEC) == ("Pupil No", "student_id")
    assert parse_mapping("a=b=grade", SPEC) == ("a=b", "grade")
    with pytest.raises(ImportRefused, match="not Header=column"):
        parse_mapping("student_id", SPEC)
    with pytest.raises(ImportRefused, match="'pupil' is not a column"):
        parse_mapping("Pupil No=pupil", SPEC)
