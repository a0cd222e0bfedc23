"""Findings as readable text: one line per finding, grouped by shift."""

from __future__ import annotations

from itertools import groupby

from internhost.core.rules.findings import CheckResult

MARK = {"violation": "VIOLATION", "warning": "warning  ", "advisory": "advisory "}


def as_text(result: CheckResult) -> str:
    lines: list[str] = []
    for shift, group in groupby(result.findings, key=lambda f: f.shift):
        items = list(group)
        day = items[0].date  # a shift's findings carry its date, the whole case's none
        heading = "Whole case" if day is None else f"Shift {shift} ({day.isoformat()})"
        lines.append(heading)
        for f in items:  # an unverified rule's message already says so
            lines.append(f"  {MARK[f.severity]} {f.rule}: {f.message} ({f.citation})")
    s = result.summary
    lines.append(
        f"{s['violations']} violation(s), {s['warnings']} warning(s), {s['advisories']} "
        f"advisory(ies). Rule packs: "
        + ", ".join(f"{k} {v}" for k, v in sorted(result.rule_packs.items()))
    )
    return "\n".join(lines)
