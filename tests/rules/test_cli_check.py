"""``internhost check [FILE|-] [--format text|json]``: exit codes, the one-line
error naming the first bad field by its path, stdin, and both output formats."""

from __future__ import annotations

import copy
import json
import os
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
