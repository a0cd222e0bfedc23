"""LEGAL.md §5 scenarios S1-S10, as case files under tests/rules/cases.

Each file holds ``{"title", "case", "expect"}``; the case is checked without its
expectations. ``expect`` lists the rule ids that must be violations
(``exact_violations``: and no others), must be advisories or warnings, must be
absent, and on which shift index a rule must fire, plus the CLI exit code.
"""

from __future__ import annotations

import json

import pytest
from rulecase import CASES, describe, load_scenario, of_rule, rule_ids, run, run_cli, violations

SCENARIOS = [f"S{i}" for i in range(1, 11)]


def test_every_scenario_has_a_file() -> None:
    assert sorted(p.stem for p in CASES.glob("S*.json")) == sorted(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario(name: str) -> None:
    data, expect = load_scenario(name)
    assert "expect" not in data
    result = run(data)
    info = describe(result)

    wanted = set(expect.get("violations", []))
    found = violations(result)
    assert wanted <= found, f"{name}: missing violations {wanted - found}\n{info}"
    if expect.get("exact_violations"):
        assert found == wanted, f"{name}: unexpected violations {found - wanted}\n{info}"
    for severity in ("advisory", "warning"):
        key = {"advisory": "advisories", "warning": "warnings"}[severity]
        if key in expect:
            assert set(expect[key]) <= rule_ids(result, severity), f"{name}: {key}\n{info}"
    for rule in expect.get("absent", []):
        assert rule not in rule_ids(result), f"{name}: {rule} should not fire\n{info}"
    for rule, shifts in expect.get("shifts", {}).items():
        assert [f.shift for f in of_rule(result, rule)] == shifts, f"{name}: {rule}\n{info}"
    assert result.has_violation == (expect["exit"] == 1)


@pytest.mark.parametrize("name", ["S1", "S2", "S9", "S10"])
def test_scenario_exit_code_via_cli(name: str, tmp_path, capsys) -> None:
    data, expect = load_scenario(name)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data), "utf-8")
    code, out, err = run_cli(capsys, ["check", str(path), "--format", "json"])
    assert code == expect["exit"], err
    assert err == ""
    body = json.loads(out)
    found = {f["rule"] for f in body["findings"] if f["severity"] == "violation"}
    assert set(expect["violations"]) <= found
    assert body["summary"]["violations"] == len(
        [f for f in body["findings"] if f["severity"] == "violation"]
    )


def test_scenario_file_with_expect_block_is_bad_input(capsys) -> None:
    """The expect block is test metadata: the checker must refuse it (unknown field)."""
    raw = (CASES / "S1.json").read_text("utf-8")
    code, _out, err = run_cli(capsys, ["check", "-"], stdin=raw)
    assert code == 2
    assert err.count("\n") == 1
    assert "title" in err or "case" in err or "expect" in err
