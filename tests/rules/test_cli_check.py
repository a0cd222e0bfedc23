"""``internhost check [FILE|-] [--format text|json]``: exit codes, the one-line
error naming the first bad field by its path, stdin, and both output formats."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rulecase import AVA, SCHOOL_5H, SCHOOL_7H, case, day_shift, run_cli, shift

REPO = Path(__file__).resolve().parents[2]

FINDING_KEYS = {
    "rule",
    "category",
    "severity",
    "shift",
    "date",
    "jurisdiction",
    "citation",
    "verification",
    "message",
}

CLEAN = case(
    [day_shift("2025-10-14", "13:30", "16:30")], school_days={"2025-10-14": SCHOOL_5H}
)  # LEGAL S2: allowed
DIRTY = case(
    [day_shift("2025-10-14", "15:30", "18:30")], school_days={"2025-10-14": SCHOOL_7H}
)  # LEGAL S1: one violation
TWO_SHIFTS = case(
    [
        shift(
            "2025-10-18T09:00",
            "2025-10-18T13:00",
            breaks=[("10:00", "10:10"), ("11:00", "11:15")],
            tasks=["office_clerical", {"task": "office_clerical", "minutes": 60}],
        ),
        day_shift("2025-10-19", "09:00", "12:00"),
    ]
)


def write(tmp_path: Path, data: Any, name: str = "case.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), "utf-8")
    return str(path)


def error_path(stderr: str) -> str:
    """The field path of ``internhost: <path>: <message>``."""
    assert stderr.count("\n") == 1, stderr
    line = stderr.strip()
    assert line.startswith("internhost: "), line
    return line.removeprefix("internhost: ").split(": ", 1)[0]


# ---- exit codes -------------------------------------------------------------------------------


def test_exit_0_when_no_violation(tmp_path, capsys) -> None:
    code, out, err = run_cli(capsys, ["check", write(tmp_path, CLEAN)])
    assert (code, err) == (0, "")
    assert "0 violation(s)" in out


def test_exit_1_when_a_violation(tmp_path, capsys) -> None:
    code, out, err = run_cli(capsys, ["check", write(tmp_path, DIRTY)])
    assert (code, err) == (1, "")
    assert "US-IL-206-25-5-combined" in out


def test_exit_1_for_a_violation_of_an_unverified_rule(tmp_path, capsys) -> None:
    # The only violation is the federal 18-h school week (570.35(a)(3), marked M);
    # Illinois allows 22 h under the 206/30(a) weekend exception.
    data = case(
        [
            day_shift("2025-10-12", "08:00", "16:30", breaks=[("12:00", "12:30")]),
            day_shift("2025-10-13", "15:00", "18:00"),
            day_shift("2025-10-14", "15:00", "18:00"),
            day_shift("2025-10-18", "08:00", "16:30", breaks=[("12:00", "12:30")]),
        ],
        school_days={f"2025-10-{d}": SCHOOL_5H for d in range(13, 18)},
    )
    code, out, _err = run_cli(capsys, ["check", write(tmp_path, data), "--format", "json"])
    body = json.loads(out)
    bad = [f for f in body["findings"] if f["severity"] == "violation"]
    assert [(f["rule"], f["verification"]) for f in bad] == [("US-FLSA-570.35-a3", "M")]
    assert code == 1


def test_minimal_case_only_birth_date_and_shifts(tmp_path, capsys) -> None:
    data = {
        "intern": {"birth_date": AVA},
        "shifts": [{"start": "2025-10-18T09:00", "end": "2025-10-18T12:00"}],
    }
    code, out, err = run_cli(capsys, ["check", write(tmp_path, data), "--format", "json"])
    assert err == ""
    rules = {(f["rule"], f["severity"]) for f in json.loads(out)["findings"]}
    # Absent documents count as not held; no supervisor age: cannot be confirmed;
    # no tasks: coverage warning; no calendar at all: coverage warning.
    assert ("US-IL-206-35-a", "violation") in rules
    assert ("US-IL-206-35-c", "warning") in rules
    assert ("US-COVERAGE-no-tasks", "warning") in rules
    assert ("US-COVERAGE-no-calendar", "warning") in rules
    assert code == 1


# ---- bad input: exit 2, one line naming the path ------------------------------------------


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _add_breaks(*breaks: dict[str, str]) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        data["shifts"][0]["breaks"] = list(breaks)

    return mutate


def _overlap(data: dict) -> None:
    data["shifts"][1] = day_shift("2025-10-18", "11:30", "14:00")


def _append_task(task: Any) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        data["shifts"][0]["tasks"] = ["office_clerical", task]

    return mutate


BAD_INPUT = [
    ("unknown-top-level-field", _set(("shift",), []), "shift"),
    ("unknown-intern-field", _set(("intern", "nickname"), "Ava"), "intern.nickname"),
    ("unknown-employer-field", _set(("employer", "posted"), True), "employer.posted"),
    ("invalid-program", _set(("intern", "program"), "intern"), "intern.program"),
    (
        "invalid-employee-status",
        _set(("intern", "employee_status"), "yes"),
        "intern.employee_status",
    ),
    (
        "unknown-document",
        _set(("intern", "documents", "work_permit"), True),
        "intern.documents.work_permit",
    ),
    (
        "break-overlapping-another",
        _add_breaks(
            {"start": "2025-10-18T10:00", "end": "2025-10-18T10:30"},
            {"start": "2025-10-18T10:15", "end": "2025-10-18T10:45"},
        ),
        "shifts[0].breaks[1]",
    ),
    ("shifts-overlap", _overlap, "shifts[1].start"),
    (
        "unknown-task",
        _set(("shifts", 0, "tasks"), ["filing_cabinet_wrangling"]),
        "shifts[0].tasks[0]",
    ),
    (
        "task-minutes-beyond-worked-time",
        _append_task({"task": "office_clerical", "minutes": 181}),
        "shifts[0].tasks[1].minutes",
    ),
    (
        "unknown-task-detail",
        _append_task({"task": "baler_load", "minutes": 10, "key_lock": True}),
        "shifts[0].tasks[1].key_lock",
    ),
    ("impossible-shift-date", _set(("shifts", 0, "start"), "2025-02-30T09:00"), "shifts[0].start"),
    ("impossible-birth-date", _set(("intern", "birth_date"), "2010-02-30"), "intern.birth_date"),
    (
        "impossible-school-date",
        _set(("school_days",), {"2025-02-30": {"start": "08:00", "end": "15:00"}}),
        "school_days.2025-02-30",
    ),
    (
        "shift-ends-before-it-starts",
        _set(("shifts", 0, "end"), "2025-10-18T08:00"),
        "shifts[0].end",
    ),
    ("shift-ends-when-it-starts", _set(("shifts", 0, "end"), "2025-10-18T09:00"), "shifts[0].end"),
    ("bad-weekday", _set(("workweek_start",), "funday"), "workweek_start"),
    ("bad-time-zone", _set(("worksite_tz",), "Mars/Olympus"), "worksite_tz"),
    ("rate-not-a-number", _set(("intern", "hourly_rate"), "15"), "intern.hourly_rate"),
    ("missing-birth-date", _set(("intern",), {"paid": True}), "intern.birth_date"),
    # Implausible facts (issue 11): a typo must not check a different case, or pass.
    ("birth-after-the-shift", _set(("intern", "birth_date"), "2026-01-01"), "intern.birth_date"),
    ("birth-in-2110", _set(("intern", "birth_date"), "2110-02-14"), "intern.birth_date"),
    ("birth-in-year-1", _set(("intern", "birth_date"), "0001-01-01"), "intern.birth_date"),
    ("intern-aged-9", _set(("intern", "birth_date"), "2015-10-19"), "intern.birth_date"),
    ("intern-aged-26", _set(("intern", "birth_date"), "1999-10-18"), "intern.birth_date"),
    (
        "shift-in-9999",
        _set(("shifts", 1), day_shift("9999-12-31", "09:00", "12:00")),
        "shifts[1].start",
    ),
    ("shift-in-1999", _set(("shifts", 0, "start"), "1999-12-31T23:00"), "shifts[0].start"),
    ("shift-ending-in-2101", _set(("shifts", 1, "end"), "2101-01-01T00:00"), "shifts[1].end"),
    (
        "school-day-in-9999",
        _set(("school_days",), {"9999-12-31": {"start": "08:00", "end": "15:00"}}),
        "school_days.9999-12-31",
    ),
    ("week-date", _set(("shifts", 0, "start"), "2025-W42-6T09:00"), "shifts[0].start"),
    ("compact-date", _set(("intern", "birth_date"), "20100214"), "intern.birth_date"),
    (
        "time-with-offset",
        _set(("school_days",), {"2025-10-17": {"start": "08:00+01:00", "end": "15:00"}}),
        "school_days.2025-10-17.start",
    ),
    ("rate-true", _set(("intern", "hourly_rate"), True), "intern.hourly_rate"),
    ("rate-a-list", _set(("intern", "hourly_rate"), [15]), "intern.hourly_rate"),
    ("rate-of-a-million", _set(("intern", "hourly_rate"), 1e6), "intern.hourly_rate"),
    ("rate-negative", _set(("intern", "hourly_rate"), -0.01), "intern.hourly_rate"),
    (
        "hours-before-1e300",
        _set(("intern", "hours_this_year_before"), 1e300),
        "intern.hours_this_year_before",
    ),
    (
        "supervisor-age-false",
        _set(("shifts", 0, "supervisor_age"), False),
        "shifts[0].supervisor_age",
    ),
    (
        "supervisor-age-a-fraction",
        _set(("shifts", 0, "supervisor_age"), 34.5),
        "shifts[0].supervisor_age",
    ),
    ("supervisor-age-200", _set(("shifts", 0, "supervisor_age"), 200), "shifts[0].supervisor_age"),
    (
        "supervisor-age-2**70",
        _set(("shifts", 0, "supervisor_age"), 2**70),
        "shifts[0].supervisor_age",
    ),
    (
        "task-minutes-text",
        _append_task({"task": "office_clerical", "minutes": "60"}),
        "shifts[0].tasks[1].minutes",
    ),
    (
        "task-minutes-1e308",
        _append_task({"task": "office_clerical", "minutes": 1e308}),
        "shifts[0].tasks[1].minutes",
    ),
    (
        "vehicle-of-1e9-lb",
        _append_task({"task": "office_clerical", "vehicle_gvw_lb": 1e9}),
        "shifts[0].tasks[1].vehicle_gvw_lb",
    ),
    (
        "passengers-null",
        _append_task({"task": "office_clerical", "passengers": None}),
        "shifts[0].tasks[1].passengers",
    ),
    ("not-a-us-state", _set(("worksite_state",), "ZZ"), "worksite_state"),
    ("time-zone-of-5000-characters", _set(("worksite_tz",), "x" * 5000), "worksite_tz"),
]


@pytest.mark.parametrize(("mutate", "field"), [pytest.param(m, f, id=i) for i, m, f in BAD_INPUT])
def test_bad_input_names_the_field(mutate, field: str, tmp_path, capsys) -> None:
    data = copy.deepcopy(TWO_SHIFTS)
    data["shifts"][0] = day_shift("2025-10-18", "09:00", "12:00")
    data["shifts"][1] = day_shift("2025-10-18", "13:00", "15:00")
    mutate(data)
    code, out, err = run_cli(capsys, ["check", write(tmp_path, data)])
    assert code == 2 and out == ""
    assert error_path(err) == field


def test_break_ending_after_its_shift_names_breaks_end(tmp_path, capsys) -> None:
    data = copy.deepcopy(TWO_SHIFTS)
    data["shifts"][0] = day_shift(
        "2025-10-18", "09:00", "12:00", breaks=[("10:00", "10:10"), ("11:50", "12:20")]
    )
    code, _out, err = run_cli(capsys, ["check", write(tmp_path, data)])
    assert code == 2
    assert error_path(err) == "shifts[0].breaks[1].end"


def test_break_starting_before_its_shift_names_breaks_start(tmp_path, capsys) -> None:
    data = copy.deepcopy(TWO_SHIFTS)
    data["shifts"][0] = day_shift("2025-10-18", "09:00", "12:00", breaks=[("08:50", "09:20")])
    code, _out, err = run_cli(capsys, ["check", write(tmp_path, data)])
    assert code == 2
    assert error_path(err) == "shifts[0].breaks[0].start"


def test_break_outside_its_shift_is_bad_input(tmp_path, capsys) -> None:
    """Exit 2 and the break named (whatever the last segment)."""
    data = copy.deepcopy(TWO_SHIFTS)
    data["shifts"][0] = day_shift(
        "2025-10-18", "09:00", "12:00", breaks=[("10:00", "10:10"), ("11:50", "12:20")]
    )
    code, _out, err = run_cli(capsys, ["check", write(tmp_path, data)])
    assert code == 2
    assert error_path(err).startswith("shifts[0].breaks[1]")


def test_unknown_task_key_in_object_form(tmp_path, capsys) -> None:
    data = copy.deepcopy(TWO_SHIFTS)
    data["shifts"][0]["tasks"] = [{"task": "teleporter", "minutes": 10}]
    code, _out, err = run_cli(capsys, ["check", write(tmp_path, data)])
    assert code == 2
    assert error_path(err).startswith("shifts[0].tasks[0]")


@pytest.mark.parametrize(
    "text", ["{", "", "not json", '{"intern": {"birth_date": "2010-02-14"}, "shifts": [}', "[1, 2"]
)
def test_malformed_json_is_exit_2_with_one_line(text: str, tmp_path, capsys) -> None:
    code, out, err = run_cli(capsys, ["check", write(tmp_path, text)])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "JSON" in err


@pytest.mark.parametrize("data", [[], "case", 3, None])
def test_json_that_is_not_an_object_is_exit_2(data: Any, tmp_path, capsys) -> None:
    code, _out, err = run_cli(capsys, ["check", write(tmp_path, json.dumps(data))])
    assert code == 2 and err.count("\n") == 1


def test_missing_file_is_exit_2(tmp_path, capsys) -> None:
    code, _out, err = run_cli(capsys, ["check", str(tmp_path / "nope.json")])
    assert code == 2 and err.count("\n") == 1


def test_weekday_names_full_or_short_any_case(tmp_path, capsys) -> None:
    for name in ("Sunday", "SUN", "sun", "monday", "Mon"):
        data = copy.deepcopy(CLEAN) | {"workweek_start": name}
        code, _out, err = run_cli(capsys, ["check", write(tmp_path, data)])
        assert (code, err) == (0, ""), name


# ---- stdin ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["check", "-"], ["check"]], ids=["dash", "no-file"])
def test_reads_stdin(args: list[str], capsys) -> None:
    code, out, err = run_cli(capsys, [*args, "--format", "json"], stdin=json.dumps(DIRTY))
    assert (code, err) == (1, "")
    assert json.loads(out)["summary"]["violations"] == 1
    code, _out, err = run_cli(capsys, args, stdin=json.dumps(CLEAN))
    assert (code, err) == (0, "")
    code, _out, err = run_cli(capsys, args, stdin="{oops")
    assert code == 2 and err.count("\n") == 1


def test_python_dash_m_reads_stdin() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    for data, want in ((DIRTY, 1), (CLEAN, 0)):
        proc = subprocess.run(
            [sys.executable, "-m", "internhost", "check", "-", "--format", "json"],
            input=json.dumps(data),
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == want, proc.stderr
        assert json.loads(proc.stdout)["summary"]["violations"] == want
    proc = subprocess.run(
        [sys.executable, "-m", "internhost", "check"],
        input='{"shifts": []}',
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert error_path(proc.stderr) == "intern"


# ---- output formats -----------------------------------------------------------------------------


def _validate(body: dict[str, Any]) -> None:
    assert set(body) == {"findings", "summary", "rule_packs"}
    for f in body["findings"]:
        assert set(f) == FINDING_KEYS
        assert isinstance(f["rule"], str) and f["rule"].startswith("US-")
        assert f["severity"] in ("violation", "warning", "advisory")
        assert f["shift"] is None or isinstance(f["shift"], int)
        if f["shift"] is None:
            assert f["date"] is None
        else:
            assert isinstance(f["date"], str) and len(f["date"]) == 10
        assert f["jurisdiction"] in ("US", "US-IL")
        assert f["verification"] in ("V", "S", "M")
        for key in ("category", "citation", "message"):
            assert isinstance(f[key], str) and f[key]
    assert set(body["summary"]) == {"violations", "warnings", "advisories"}
    plural = {"violation": "violations", "warning": "warnings", "advisory": "advisories"}
    for severity, key in plural.items():
        assert body["summary"][key] == sum(f["severity"] == severity for f in body["findings"])
    assert {"us-federal", "tasks", "wage"} <= set(body["rule_packs"])
    assert all(isinstance(v, str) and v for v in body["rule_packs"].values())


def test_json_output_shape(tmp_path, capsys) -> None:
    data = case(
        [
            day_shift("2025-06-01", "17:00", "20:30", supervisor_age=None),
            day_shift("2025-10-17", "16:00", "19:30", tasks=None),
        ],
        documents={},
        school_days={"2025-10-17": {"start": "08:00", "end": "12:00"}},
    )
    code, out, err = run_cli(capsys, ["check", write(tmp_path, data), "--format", "json"])
    assert (code, err) == (1, "")
    body = json.loads(out)
    _validate(body)
    assert set(body["rule_packs"]) == {"us-federal", "us-il", "tasks", "wage"}
    severities = {f["severity"] for f in body["findings"]}
    assert severities == {"violation", "warning", "advisory"}
    assert body["findings"][0]["shift"] is None
    code, out, _err = run_cli(capsys, ["check", write(tmp_path, CLEAN), "--format", "json"])
    _validate(json.loads(out))
    assert code == 0


def test_text_output_groups_by_shift(tmp_path, capsys) -> None:
    data = case(
        [
            day_shift("2025-10-17", "16:00", "19:30"),
            day_shift("2025-06-01", "17:00", "20:30", supervisor_age=None),
        ],
        documents={},
        school_days={"2025-10-17": {"start": "08:00", "end": "12:00"}},
    )
    code, out, _err = run_cli(capsys, ["check", write(tmp_path, data), "--format", "json"])
    findings = json.loads(out)["findings"]
    code, text, err = run_cli(capsys, ["check", write(tmp_path, data)])
    assert (code, err) == (1, "")
    lines = text.splitlines()
    headings = [line for line in lines if line and not line.startswith(" ")]
    assert headings[:3] == ["Whole case", "Shift 0 (2025-10-17)", "Shift 1 (2025-06-01)"]
    assert "violation(s)" in headings[-1] and "Rule packs" in headings[-1]
    # Every finding line sits under its own shift's heading, each heading once.
    current = None
    seen: list[Any] = []
    for line in lines[:-1]:
        if not line.startswith(" "):
            current = None if line == "Whole case" else int(line.split()[1])
            assert current not in seen
            seen.append(current)
            continue
        rule = line.split()[1].rstrip(":")
        assert any(f["rule"] == rule and f["shift"] == current for f in findings), line
    body_lines = [line for line in lines[:-1] if line.startswith("  ")]
    assert len(body_lines) == len(findings)
    assert any("VIOLATION" in line for line in body_lines)


# ---- what Python's json lets through: refused with the line and column, or the field -----------

MARK = '"@@"'


def _with(token: str, at: tuple[Any, ...]) -> str:
    """The two-shift case as JSON text with ``token`` (raw, not a JSON string) at ``at``."""
    data = copy.deepcopy(TWO_SHIFTS)
    _set(at, "@@")(data)
    text = json.dumps(data, indent=2)
    assert text.count(MARK) == 1
    return text.replace(MARK, token)


def _line_column(text: str, token: str) -> str:
    before = text[: text.index(token)]
    return f"line {before.count(chr(10)) + 1}, column {len(before) - before.rfind(chr(10))}"


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize(
    "at",
    [("intern", "hourly_rate"), ("shifts", 0, "supervisor_age"), ("shifts", 1, "tasks", 0)],
    ids=["rate", "supervisor-age", "task"],
)
def test_nan_and_infinity_are_not_json(token: str, at: tuple[Any, ...], capsys) -> None:
    text = _with(token, at)
    code, out, err = run_cli(capsys, ["check"], stdin=text)
    assert (code, out) == (2, "")
    assert one_line(err).endswith(
        f"{token} is not a number JSON allows at {_line_column(text, token)}"
    )


@pytest.mark.parametrize(
    ("token", "at", "field"),
    [
        ("1e400", ("intern", "hourly_rate"), "intern.hourly_rate"),
        ("-1e400", ("intern", "hours_this_year_before"), "intern.hours_this_year_before"),
        ("9" * 5000, ("shifts", 0, "supervisor_age"), "shifts[0].supervisor_age"),
        ("-" + "9" * 5000, ("intern", "hourly_rate"), "intern.hourly_rate"),
        ("1" + "0" * 4299, ("intern", "hours_this_year_before"), "intern.hours_this_year_before"),
    ],
    ids=["1e400", "-1e400", "5000-digits", "-5000-digits", "4300-digits"],
)
def test_numbers_too_large_for_python_name_their_field(token, at, field, capsys) -> None:
    code, out, err = run_cli(capsys, ["check"], stdin=_with(token, at))
    assert (code, out) == (2, "")
    assert error_path(err) == field


@pytest.mark.parametrize("depth", [101, 5_000, 100_000])
@pytest.mark.parametrize(("opening", "inside", "closing"), [("[", "", "]"), ('{"a":', "1", "}")])
def test_deep_nesting_is_refused_with_where(depth, opening, inside, closing, capsys) -> None:
    text = _with(opening * depth + inside + closing * depth, ("shifts", 0, "tasks"))
    code, out, err = run_cli(capsys, ["check"], stdin=text)
    assert (code, out) == (2, "")
    message = one_line(err)
    if depth > 1_000:  # beyond what Python's parser takes: the reader says where
        assert "nested too deeply" in message and re.search(r"line \d+, column \d+$", message)
    else:  # read, then refused by the field it stands in
        assert error_path(err).startswith("shifts[0].tasks")


def test_a_repeated_key_names_the_field(capsys) -> None:
    text = _with('"2010-02-14", "birth_date": "2012-02-14"', ("intern", "birth_date"))
    code, _out, err = run_cli(capsys, ["check"], stdin=text)
    assert code == 2 and error_path(err) == "intern.birth_date"
    assert "more than once" in err


def test_a_hostile_key_is_shown_on_one_line(capsys) -> None:
    data = copy.deepcopy(TWO_SHIFTS) | {"a\nb\u2028" + "x" * 10_000: 1}
    code, _out, err = run_cli(capsys, ["check"], stdin=json.dumps(data))
    assert code == 2 and len(one_line(err)) < 200 and "unknown field" in err


def test_a_case_larger_than_the_limit_is_refused_unread(tmp_path, capsys) -> None:
    from internhost.core.rules.parse import MAX_CASE_BYTES

    path = tmp_path / "huge.json"
    path.write_bytes(b" " * MAX_CASE_BYTES + b"{}")
    for args, stdin in ((["check", str(path)], None), (["check"], " " * MAX_CASE_BYTES + "{}")):
        code, out, err = run_cli(capsys, args, stdin=stdin)
        assert (code, out) == (2, "")
        assert "larger than 4 MB" in one_line(err)


def test_a_byte_order_mark_is_read_and_other_bytes_are_not(tmp_path, capsys) -> None:
    path = tmp_path / "case.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(CLEAN).encode())
    assert run_cli(capsys, ["check", str(path)])[0] == 0
    path.write_bytes(json.dumps(CLEAN).encode().replace(b"office", b"\xff\xfeoffice"))
    code, _out, err = run_cli(capsys, ["check", str(path)])
    assert code == 2 and "not UTF-8" in one_line(err)


def one_line(err: str) -> str:
    """The single ``internhost: …`` line of a refusal, never a traceback."""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("internhost: "), err
    return lines[0]
