"""Builders and helpers shared by the rule-engine tests (tests/rules).

A case is built as the JSON ``internhost check`` reads, then parsed with
``parse_case``, so every test goes through the same front door as the CLI.
Defaults follow LEGAL.md §5: an FLSA-covered Illinois manufacturer that posts the
notice; the intern (Ava, born 2010-02-14) holds an Illinois employment
certificate, is paid $15.00 an hour, and works office_clerical tasks under a 34-year-old
supervisor.
"""

from __future__ import annotations

import copy
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from internhost import cli
from internhost.core.rules.engine import check
from internhost.core.rules.findings import CheckResult, Finding
from internhost.core.rules.parse import parse_case

CASES = Path(__file__).resolve().parent / "cases"

AVA = "2010-02-14"  # 15 through 2026-02-13
BEN = "2009-11-20"  # turns 16 on 2025-11-20
CRUZ = "2008-07-15"  # turns 18 on 2026-07-15
DANA = "2008-03-02"  # 17 in 2025-26
ELI = "2011-08-01"  # 14 until 2026-07-31
FAY = "2012-05-05"  # 13 in 2025-26
ADULT = "2000-01-01"

SCHOOL_7H = {"start": "08:00", "end": "15:00"}
SCHOOL_5H = {"start": "08:00", "end": "13:00"}


def shift(
    start: str,
    end: str,
    *,
    breaks: Iterable[tuple[str, str]] = (),
    tasks: Sequence[Any] | None = ("office_clerical",),
    supervisor_age: int | None = 34,
    **extra: Any,
) -> dict[str, Any]:
    """A shift; ``start``/``end`` and break times as ``YYYY-MM-DDTHH:MM``.
    A break given as ``("HH:MM", "HH:MM")`` takes the shift's date."""
    day = start[:10]
    out: dict[str, Any] = {"start": start, "end": end}
    if breaks:
        out["breaks"] = [
            {"start": b if "T" in b else f"{day}T{b}", "end": e if "T" in e else f"{day}T{e}"}
            for b, e in breaks
        ]
    if supervisor_age is not None:
        out["supervisor_age"] = supervisor_age
    if tasks is not None:
        out["tasks"] = list(tasks)
    out.update(extra)
    return out


def day_shift(day: str, start: str, end: str, **kw: Any) -> dict[str, Any]:
    """A shift inside one day: ``day_shift("2025-10-14", "15:30", "18:30")``."""
    return shift(f"{day}T{start}", f"{day}T{end}", **kw)


def case(
    shifts: list[dict[str, Any]],
    *,
    birth_date: str = AVA,
    school_days: dict[str, dict[str, str]] | None = None,
    documents: dict[str, bool] | None = None,
    intern: dict[str, Any] | None = None,
    **top: Any,
) -> dict[str, Any]:
    """A whole case as JSON. ``school_days=None`` means "{}" (no school days);
    pass ``top`` keys (``worksite_state``, ``attended_school_days``…) as they are,
    or ``omit_school_days=True`` to leave the calendar out altogether."""
    omit = top.pop("omit_school_days", False)
    data: dict[str, Any] = {
        "worksite_state": "IL",
        "worksite_tz": "America/Chicago",
        "flsa_covered": True,
        "workweek_start": "sun",
        "employer": {"child_labor_notice_posted": True},
        "intern": {
            "birth_date": birth_date,
            "paid": True,
            "hourly_rate": 15.00,
            "hours_this_year_before": 0,
            "program": "employment",
            "employee_status": "employee",
            "documents": (
                {"il_employment_certificate": True} if documents is None else dict(documents)
            ),
        },
        "shifts": shifts,
    }
    if not omit:
        data["school_days"] = dict(school_days or {})
    data["intern"].update(intern or {})
    data.update(top)
    return data


def run(data: dict[str, Any]) -> CheckResult:
    return check(parse_case(copy.deepcopy(data)))


def rule_ids(result: CheckResult, severity: str | None = None) -> set[str]:
    return {f.rule for f in result.findings if severity is None or f.severity == severity}


def violations(result: CheckResult) -> set[str]:
    return rule_ids(result, "violation")


def of_rule(result: CheckResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def describe(result: CheckResult) -> str:
    """For assertion messages: every finding on one line."""
    return "\n".join(f"{f.severity} shift={f.shift} {f.rule}: {f.message}" for f in result.findings)


def sort_key(f: Finding) -> tuple[Any, ...]:
    """The order the issue specifies: null shift first, then shift index, then
    severity (violation, warning, advisory), then rule id."""
    rank = {"violation": 0, "warning": 1, "advisory": 2}
    return (f.shift is not None, -1 if f.shift is None else f.shift, rank[f.severity], f.rule)


def load_scenario(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A scenario file's case (the ``expect`` block stripped) and its expectations."""
    raw = json.loads((CASES / f"{name}.json").read_text("utf-8"))
    return raw["case"], raw["expect"]


def run_cli(capsys: Any, args: Sequence[str], stdin: str | None = None) -> tuple[int, str, str]:
    """``internhost`` in process: (exit code, stdout, stderr)."""
    old = sys.stdin
    sys.stdin = io.StringIO(stdin if stdin is not None else "")
    try:
        code = cli.main(list(args))
    finally:
        sys.stdin = old
    out = capsys.readouterr()
    return code, out.out, out.err
