"""The files: BOM, accents, formula guard, money, booleans, JSON keys and hidden fields."""

from __future__ import annotations

import io
from datetime import date

import pytest
from exportcheck import csv_records, json_records, row_by_id
from sqlalchemy import select

from internhost.core.actor import SYSTEM
from internhost.core.fileio.exporting import HEADERS, csv_cell, dollars, json_value, write_csv
from internhost.core.models import Placement
from internhost.core.services.exports import hidden_columns
from internhost.core.storage import db


@pytest.mark.parametrize("entity", list(HEADERS))
def test_csv_starts_with_a_bom_and_the_headers(export_text, entity: str) -> None:
    text = export_text(entity)
    assert text.startswith("\ufeff" + ",".join(HEADERS[entity]) + "\r\n")
    header, rows = csv_records(text)
    assert header == list(HEADERS[entity])
    assert rows


def test_accents_survive_csv_and_json(export_text) -> None:
    for text in (export_text("interns"), export_text("interns", "json")):
        for name in ("Nguyễn", "Thị Ánh", "Łukasiewicz", "Zoë", "李", "小龍"):
            assert name in text
    assert "\\u" not in export_text("interns", "json")


def test_csv_is_utf8_bytes_excel_can_sniff(export_text) -> None:
    data = export_text("interns").encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Łukasiewicz".encode() in data


def test_formula_cells_are_guarded_in_csv_only(export_text, hostile) -> None:
    _, interns = csv_records(export_text("interns"))
    row = row_by_id(interns, hostile["intern"])
    assert row["first_name"] == "'=cmd"
    assert row["last_name"] == "'@Evil"
    assert row["preferred_name"] == "'-dash"
    assert row["address"] == "''=already quoted"
    assert row["school"] == "'=cmd|' /C calc'!A0"
    _, schools = csv_records(export_text("schools"))
    school = row_by_id(schools, hostile["school"])
    assert school["name"] == "'=cmd|' /C calc'!A0"
    assert (school["coordinator_name"], school["coordinator_phone"]) == ("'+Plus", "'-5")
    _, placements = csv_records(export_text("placements"))
    every_cell = [c for r in interns + schools + placements for c in r.values()]
    assert not [c for c in every_cell if c[:1] in ("=", "+", "-", "@")]
    # JSON is not a spreadsheet: the text stays as typed.
    record = row_by_id(json_records(export_text("interns", "json")), hostile["intern"])
    assert record["first_name"] == "=cmd"


def test_money_booleans_and_dates_in_csv(export_text, demo_factory) -> None:
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        unpaid = s.scalar(select(Placement).order_by(Placement.id).limit(1))
        unpaid.paid, unpaid.hourly_rate_cents = False, None
    _, rows = csv_records(export_text("placements"))
    assert row_by_id(rows, unpaid.id)["paid"] == "no"
    rates = [r["hourly_rate"] for r in rows if r["hourly_rate"]]
    assert rates and all(len(r.split(".")[1]) == 2 for r in rates)
    assert {r["paid"] for r in rows} == {"yes", "no"}
    assert all(r["hourly_rate"] == "" for r in rows if r["paid"] == "no")
    assert all(date.fromisoformat(r["placement_start"]) for r in rows)
    _, staff = csv_records(export_text("staff"))
    assert {s["is_21_or_older"] for s in staff} <= {"yes", "no"}


@pytest.mark.parametrize(
    ("cents", "text", "number"),
    [(1325, "13.25", 13.25), (1300, "13.00", 13.0), (5, "0.05", 0.05), (0, "0.00", 0.0)],
)
def test_money_is_dollars_with_two_decimals(cents: int, text: str, number: float) -> None:
    assert dollars(cents) == text
    assert csv_cell("hourly_rate", cents) == text
    assert json_value("hourly_rate", cents) == number
    assert csv_cell("grade", 12) == "12"  # only money columns are dollars


def test_json_values_are_typed(export_text) -> None:
    records = json_records(export_text("placements", "json"))
    assert all(isinstance(r["paid"], bool) for r in records)
    assert all(isinstance(r["hourly_rate"], float) for r in records if r["paid"])
    assert all(r["hourly_rate"] is None for r in records if not r["paid"])
    paid = [r["hourly_rate"] for r in records if r["paid"]]
    assert paid and all(round(rate * 100) / 100 == rate for rate in paid)
    assert all(isinstance(r["placement_start"], str) for r in records)


@pytest.mark.parametrize("entity", list(HEADERS))
def test_json_keys_are_the_headers_in_order(export_text, entity: str) -> None:
    records = json_records(export_text(entity, "json"))
    assert records
    assert all(list(r) == list(HEADERS[entity]) for r in records)


def test_json_leaves_hidden_fields_out_for_a_mentor(export_text, mentor) -> None:
    hidden = hidden_columns(mentor, "interns")
    assert "birth_date" in hidden and "guardian_name" in hidden
    records = json_records(export_text("interns", "json", mentor))
    assert records
    expected = [h for h in HEADERS["interns"] if h not in hidden]
    assert all(list(r) == expected for r in records)
    for record in json_records(export_text("interns", "json", SYSTEM)):
        assert list(record) == list(HEADERS["interns"])
        assert record["birth_date"]


def test_csv_leaves_hidden_cells_empty_for_a_mentor(export_text, mentor) -> None:
    header, rows = csv_records(export_text("interns", "csv", mentor))
    assert header == list(HEADERS["interns"])
    assert rows
    assert all(r[c] == "" for r in rows for c in hidden_columns(mentor, "interns"))
    assert all(r["first_name"] and r["school"] for r in rows)


def test_an_empty_list_is_still_a_valid_file() -> None:
    stream = io.StringIO(newline="")
    write_csv(stream, HEADERS["worksites"], [])
    assert stream.getvalue() == "\ufeffid,name,address,state,time_zone\r\n"
