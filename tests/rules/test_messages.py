"""A finding's message is rendered when it is read, for the reader: a mentor gets the
age band where HR gets the age, however a template words it.

The sentinel: every template of every rule pack, found in the pack files (not listed
here), filled for an intern aged 97 and born 1901-02-03. A mentor's text must hold
neither; HR's holds the age wherever the template names it. Then the engine's own
findings over every boundary and scenario case, and what revision 0004 reads back
from the texts stored before it.
"""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from functools import cache
from pathlib import Path
from string import Formatter
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from rulecase import case, day_shift, run
from test_boundaries import ONCE_PER_SHIFT, ROWS

from internhost.core.rules.findings import Finding
from internhost.core.rules.messages import ALSO, NOTE, WITHHELD_TEXT, render
from internhost.core.rules.packs import all_templates
from internhost.core.rules.templates import AGE, BIRTH_DATE, WITHHELD, View, fill
from internhost.paths import migrations_dir, rules_dir

SENTINEL_AGE = 97
SENTINEL_BIRTH = "1901-02-03"
#: What a mentor must never read of the sentinel intern.
SENTINEL_TRACES = ("97", "1901", "February 3", "Feb 3", "02-03", "2/3/")

#: A plausible value for every other placeholder the packs use: none holds a trace
#: of the sentinel. A new placeholder must be added here, after asking whether it
#: could carry the intern's age or birth date (then it belongs under AGE/BIRTH_DATE).
PLAUSIBLE: dict[str, Any] = {
    "adult": "$15.00",
    "citation": "820 ILCS 105/4",
    "city": "Rockford",
    "continuous": "5.5 h",
    "cycle": 4,
    "date": "2025-10-14",
    "days": 3,
    "earliest": "7 a.m.",
    "exempt_hours": "20 h",
    "extra": "4.5 h",
    "factors": "1, 4",
    "items": "6, 11",
    "jurisdiction": "US-IL",
    "latest": "7 p.m.",
    "limit": "3 h",
    "meal": "30 min",
    "min_age": 14,
    "minimum": "$13.00",
    "minutes": 75,
    "deducted": "30 min",
    "missing": "they hold a valid state driver's license",
    "most": 3,
    "overlap": "1.5 h",
    "problem": "No meal period of 20 min or more",
    "rate": "$12.50",
    "reason": " (the student-learner exemption needs a signed agreement on file)",
    "school": "7 h",
    "school_hours": "08:00–15:00",
    "start_by": "5 h",
    "state": "WI",
    "stated": "tue: 15:30–18:30",
    "task": "Band saw",
    "threshold": "7.5 h",
    "total": "10 h",
    "week_start": "2025-10-12",
    "when": "16:00–21:30",
    "window_start": "2025-10-14 15:00",
    "worked": "4 h",
    "year": 2025,
}


def pack_templates() -> dict[str, tuple[str, str]]:
    """Template id -> (text, verification), read from the pack files themselves."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(rules_dir().glob("*.toml")):
        for rule in tomllib.loads(path.read_text(encoding="utf-8")).get("rules", []):
            found[rule["id"]] = (rule["explain"], rule["verification"])
            for name, text in rule.get("variants", {}).items():
                found[f"{rule['id']}.{name}"] = (text, rule["verification"])
    return found


TEMPLATES = pack_templates()


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in Formatter().parse(text) if name}


def sentinel_finding(template: str) -> SimpleNamespace:
    text, verification = TEMPLATES[template]
    params = {AGE: SENTINEL_AGE, BIRTH_DATE: SENTINEL_BIRTH}
    for name in placeholders(text) - params.keys():
        assert name in PLAUSIBLE, f"{template}: no plausible value for {{{name}}} in this test"
        params[name] = PLAUSIBLE[name]
    return SimpleNamespace(template=template, params=params, verification=verification)


def test_the_templates_found_are_the_ones_the_app_renders() -> None:
    assert set(TEMPLATES) == set(all_templates())
    assert len(TEMPLATES) > 50
    assert any(t.rpartition(".")[0] in TEMPLATES for t in TEMPLATES)  # variants too
    for value in PLAUSIBLE.values():
        assert not any(trace in str(value) for trace in SENTINEL_TRACES), value


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_a_mentor_never_reads_the_sentinel_interns_age_or_birth_date(template: str) -> None:
    finding = sentinel_finding(template)
    text = render(finding, View.BAND)
    assert not any(trace in text for trace in SENTINEL_TRACES), text
    assert not re.search(r"\{[a-z_]+\}", text), f"unfilled placeholder: {text}"
    if AGE in placeholders(TEMPLATES[template][0]):
        assert "18+" in text, text  # the sentinel's band, where the age goes


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_hr_reads_the_sentinel_interns_age_wherever_the_template_names_it(
    template: str,
) -> None:
    finding = sentinel_finding(template)
    text = render(finding, View.EXACT)
    named = AGE in placeholders(TEMPLATES[template][0])
    assert (f"{SENTINEL_AGE}-year-old" in text) is named, text
    assert SENTINEL_BIRTH not in text  # no template shows a birth date today


def test_no_template_spells_an_age_a_mentor_would_read() -> None:
    """An age written into a template ("a 17-year-old may drive") is shown to every
    reader; the intern's age goes in as {age} (LEGAL.md's ages as words: "under 16")."""
    for template, (text, _verification) in TEMPLATES.items():
        assert not re.search(r"\b\d+-year-old(?!s)", text), template


# -- filling: the age, its band, the article, a birth date


@pytest.mark.parametrize(
    ("age", "exact", "band"),
    [
        (15, "A 15-year-old may", "A 14–15-year-old may"),
        (13, "A 13-year-old may", "An under-14-year-old may"),
        (11, "An 11-year-old may", "An under-14-year-old may"),
        (8, "An 8-year-old may", "An under-14-year-old may"),
        (17, "A 17-year-old may", "A 16–17-year-old may"),
        (18, "An 18-year-old may", "An 18+-year-old may"),
    ],
)
def test_the_article_before_the_age_agrees_with_what_is_shown(
    age: int, exact: str, band: str
) -> None:
    assert fill("A {age}-year-old may", {AGE: age}, "V", View.EXACT) == exact
    assert fill("A {age}-year-old may", {AGE: age}, "V", View.BAND) == band
    assert fill("bars a {age}-year-old", {AGE: 11}, "V", View.BAND) == ("bars an under-14-year-old")
    assert fill("Data {age}", {AGE: 11}, "V", View.EXACT) == "Data 11"  # not an article


def test_a_birth_date_parameter_is_withheld_and_a_bad_age_is_too() -> None:
    text = "Born {birth_date}, aged {age}."
    params = {BIRTH_DATE: SENTINEL_BIRTH, AGE: SENTINEL_AGE}
    assert fill(text, params, "V", View.EXACT) == "Born 1901-02-03, aged 97."
    assert fill(text, params, "V", View.BAND) == f"Born {WITHHELD}, aged 18+."
    assert fill(text, {BIRTH_DATE: None, AGE: "97"}, "V", View.BAND) == (
        f"Born {WITHHELD}, aged {WITHHELD}."
    )
    assert fill("{nothing} here", {}, "S", View.BAND) == "{nothing} here [unverified rule: S]"


def _finding(template: str, **params: Any) -> Finding:
    return Finding(
        rule=template,
        category="time_of_day",
        severity="violation",
        shift=0,
        date=None,
        jurisdiction="US",
        citation="29 CFR 570.35(a)(6)",
        verification="V",
        template=template,
        params=params,
    )


def test_merged_messages_and_a_note_are_rendered_for_the_reader() -> None:
    late = _finding(
        "US-FLSA-570.35-a6",
        age=15,
        when="16:00–21:30",
        earliest="7 a.m.",
        latest="7 p.m.",
        date="2025-10-14",
    )
    later = _finding(
        "US-FLSA-570.35-a6",
        age=15,
        when="22:00–23:00",
        earliest="7 a.m.",
        latest="7 p.m.",
        date="2025-10-14",
    )
    merged = late.merge(later).merge(late).as_warning("(A note.)")
    assert merged.merge(merged).params == merged.params  # the same message is not repeated
    assert [p["params"]["when"] for p in merged.params[ALSO]] == ["22:00–23:00", "16:00–21:30"]
    assert merged.params[NOTE] == "(A note.)" and merged.severity == "warning"
    exact = render(merged, View.EXACT)
    assert exact == merged.message
    assert exact.count("a 15-year-old may work") == 3 and exact.endswith(" (A note.)")
    band = render(merged, View.BAND)
    assert band.count("a 14–15-year-old may work") == 3 and "15-year-old" not in band.replace(
        "14–15-year-old", ""
    )
    json.dumps(merged.params)  # stored as JSON as it is


def test_a_row_stored_as_text_is_for_hr_only_and_an_unknown_template_says_so() -> None:
    old = SimpleNamespace(
        template=None,
        params=None,
        verification="V",
        message="Worked 17:00–19:30; a 15-year-old may work only between 7 a.m. and 7 p.m.",
    )
    assert render(old, View.EXACT) == old.message
    assert render(old, View.BAND) == WITHHELD_TEXT
    gone = SimpleNamespace(template="US-XX-gone", params={AGE: 15}, verification="V")
    for view in View:
        text = render(gone, view)
        assert text.startswith("US-XX-gone: ") and "15" not in text


# -- the engine's findings: what it puts in params, and how each reader reads them


def every_case() -> list[dict[str, Any]]:
    cases = [row.data for row in ROWS] + [p.values[0] for p in ONCE_PER_SHIFT]
    for path in sorted((Path(__file__).parent / "cases").glob("*.json")):
        cases.append(json.loads(path.read_text(encoding="utf-8"))["case"])
    cases.append(  # a youth below the federal and the Illinois minimum wage
        case([day_shift("2025-10-18", "09:00", "12:00")], intern={"hourly_rate": 5.0})
    )
    return cases


@cache
def engine_findings() -> tuple[Finding, ...]:
    found = []
    for data in every_case():
        try:
            found.extend(run(data).findings)
        except Exception:  # rows that test bad input
            continue
    return tuple(found)


def test_the_engine_keeps_the_age_in_its_parameter_only() -> None:
    findings = engine_findings()
    assert len(findings) > 100
    aged = [f for f in findings if AGE in f.params]
    assert {f.params[AGE] for f in aged} >= {13, 14, 15, 16, 17, 18}
    for f in aged:
        age = f.params[AGE]
        assert type(age) is int, f
        exact_age = re.compile(rf"(?<![–\d]){age}-year-old(?!s)")
        for name, value in f.params.items():
            if name != AGE:
                assert not exact_age.search(json.dumps(value, ensure_ascii=False)), (name, f)
        assert not exact_age.search(render(f, View.BAND)), f.message
        assert render(f, View.EXACT) == f.message
        assert json.loads(json.dumps(f.params)) == f.params  # stored as JSON as it is


def test_every_wage_variant_and_the_driving_rules_are_exercised() -> None:
    templates = {f.template for f in engine_findings()}
    assert {
        "US-IL-105-4-min-wage.youth",
        "US-IL-105-4-min-wage.past_youth",
        "US-IL-105-4-min-wage",
        "US-FLSA-206-min-wage",
        "US-FLSA-570.52-b",
        "US-FLSA-570.52-b-trips",
    } <= templates


# -- what revision 0004 reads back from texts stored before it


@cache
def revision_0004() -> ModuleType:
    path = migrations_dir() / "versions" / "0004_finding_templates.py"
    spec = importlib.util.spec_from_file_location("revision_0004", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_revision_0004_reads_every_engine_message_back_into_its_template() -> None:
    """Stored text from before templates (merged messages, notes, unverified markers,
    wage variants) is read back so that every reader gets what a re-check would give."""
    revision = revision_0004()
    wordings = revision._wordings()
    texts = {t: text for known in wordings.values() for t, text in known}
    patterns = revision._patterns(wordings)
    kinds = set()
    for f in engine_findings():
        read = revision._read_back(f.message, patterns[f.rule], texts, f.verification)
        assert read is not None, f.message
        template, params = read
        back = SimpleNamespace(template=template, params=params, verification=f.verification)
        assert template == f.template
        for view in View:
            assert render(back, view) == render(f, view), f.message
        kinds |= {k for k in (ALSO, NOTE) if k in params} | {f.verification}
    assert kinds >= {ALSO, NOTE, "V", "S", "M"}


def test_revision_0004_gives_up_on_text_no_template_gives_back() -> None:
    revision = revision_0004()
    wordings = revision._wordings()
    texts = {t: text for known in wordings.values() for t, text in known}
    late = revision._patterns(wordings)["US-FLSA-570.35-a6"]
    good = (
        "Worked 17:00–19:30; a 15-year-old may work only between 7 a.m. and 7 p.m. on 2025-10-14."
    )
    assert revision._read_back(good, late, texts, "V") == (
        "US-FLSA-570.35-a6",
        {
            "when": "17:00–19:30",
            AGE: 15,
            "earliest": "7 a.m.",
            "latest": "7 p.m.",
            "date": "2025-10-14",
        },
    )
    for text, verification in [
        (good.replace("Worked", "Working"), "V"),  # worded otherwise
        (good.replace("15-year-old", "fifteen-year-old"), "V"),  # the age not a number
        (good, "S"),  # an unverified rule's text lacks its marker
        (f"{good} {good.replace('Worked', 'Working')}", "V"),  # {date} would take it all in
        ("", "V"),
    ]:
        assert revision._read_back(text, late, texts, verification) is None, text
    assert revision._read_back(good, [], texts, "V") is None  # a rule no pack has
