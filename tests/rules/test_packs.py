"""The rule packs (resources/rules/*.toml) are well-formed law-as-data."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest
from rulecase import SCHOOL_5H, case, day_shift, of_rule, run

from internhost.core.rules import engine
from internhost.core.rules.packs import NOT_REVIEWED, load_pack, load_rules
from internhost.core.rules.templates import View, fill
from internhost.paths import rules_dir

PACK_FILES = sorted(rules_dir().glob("*.toml"))
RULE_PACKS = ("us-federal", "us-il", "wage")
A_SL_HOS = {5, 8, 10, 12, 14, 16, 17}  # LEGAL §1.5: the only HOs with the A/SL exemption
REQUIRED_TASKS = {
    "office_clerical",
    "production_floor",
    "forklift",
    "crane_hoist",
    "punch_press",
    "press_brake",
    "metal_shear",
    "woodworking_machine",
    "band_saw",
    "circular_saw",
    "abrasive_cutoff",
    "baler_load",
    "baler_operate",
    "drive_public_road",
    "roofing",
    "excavation",
    "spray_painting",
    "oiling_machinery",
    "cnc_operation",
    "welding",
}


def raw_rules() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    out = []
    for path in PACK_FILES:
        data = tomllib.loads(path.read_text("utf-8"))
        out += [(path.stem, data["pack"], r) for r in data.get("rules", [])]
    return out


def _rule_id(item: tuple[str, dict[str, Any], dict[str, Any]]) -> str:
    return item[2].get("id", "?")


def test_the_rule_packs_exist() -> None:
    assert {"us-federal", "us-il", "tasks", "wage"} <= {p.stem for p in PACK_FILES}
    assert len(raw_rules()) > 30


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda p: p.stem)
def test_every_pack_has_a_version_and_is_marked_not_reviewed(path) -> None:
    meta = tomllib.loads(path.read_text("utf-8"))["pack"]
    assert meta["id"] == path.stem
    assert isinstance(meta.get("version"), str) and meta["version"]
    assert meta.get("reviewed_by") == "not yet reviewed by counsel" == NOT_REVIEWED
    pack = load_pack(path.stem)
    assert pack.version == meta["version"] and pack.reviewed_by == NOT_REVIEWED


@pytest.mark.parametrize("item", raw_rules(), ids=_rule_id)
def test_every_rule_is_complete(item) -> None:
    _pack_id, meta, raw = item
    jurisdiction = raw.get("jurisdiction") or meta.get("jurisdiction")
    assert isinstance(raw.get("id"), str) and raw["id"]
    assert jurisdiction in ("US", "US-IL"), raw["id"]
    ages = raw.get("ages")
    assert isinstance(ages, list) and len(ages) == 2, raw["id"]
    assert all(isinstance(a, int) for a in ages) and 0 <= ages[0] <= ages[1] <= 99
    assert isinstance(raw.get("citation"), str) and raw["citation"].strip()
    assert raw.get("verification") in ("V", "S", "M"), raw["id"]
    assert raw.get("check") in engine.EVALUATORS, f"{raw['id']}: no evaluator {raw.get('check')!r}"
    assert raw.get("severity") in ("violation", "warning", "advisory")
    assert isinstance(raw.get("category"), str) and raw["category"]
    assert isinstance(raw.get("explain"), str) and raw["explain"]
    if jurisdiction == "US":
        assert raw["id"].startswith("US-") and not raw["id"].startswith("US-IL-"), raw["id"]
    else:
        assert raw["id"].startswith("US-IL-"), raw["id"]


def test_rule_ids_are_unique_across_packs() -> None:
    ids = [r["id"] for _, _, r in raw_rules()]
    assert len(ids) == len(set(ids))


def test_federal_pack_rules_are_federal_and_illinois_pack_rules_illinois() -> None:
    for pack_id, meta, raw in raw_rules():
        jurisdiction = raw.get("jurisdiction") or meta.get("jurisdiction")
        if pack_id == "us-federal":
            assert jurisdiction == "US" and raw["id"].startswith("US-")
        if pack_id == "us-il":
            assert jurisdiction == "US-IL" and raw["id"].startswith("US-IL-")


def test_loaded_rules_match_the_files() -> None:
    rules = load_rules("IL").rules()
    assert {r.id for r in rules} == {r["id"] for _, _, r in raw_rules()}
    assert {r.pack for r in rules} == set(RULE_PACKS)


def test_task_catalog_has_the_required_keys() -> None:
    tasks = load_rules("IL").tasks
    assert set(tasks) >= REQUIRED_TASKS, REQUIRED_TASKS - set(tasks)
    for key, task in tasks.items():
        assert task.fed_14_15 in ("permitted", "prohibited"), key
        assert 0 <= task.ho <= 17, key
        assert all(isinstance(i, int) and i > 0 for i in task.il_206_40), key


def test_task_classification_matches_legal() -> None:
    tasks = load_rules("IL").tasks
    hos = {key: t.ho for key, t in tasks.items()}
    assert hos["forklift"] == hos["crane_hoist"] == 7
    assert hos["punch_press"] == hos["press_brake"] == hos["metal_shear"] == 8
    assert hos["woodworking_machine"] == 5
    assert hos["band_saw"] == hos["circular_saw"] == hos["abrasive_cutoff"] == 14
    assert hos["baler_load"] == hos["baler_operate"] == 12
    assert hos["drive_public_road"] == 2
    assert hos["roofing"] == 16 and hos["excavation"] == 17
    assert tasks["office_clerical"].fed_14_15 == "permitted"
    assert not tasks["office_clerical"].production_area and not tasks["office_clerical"].il_206_40


def test_exemptions_only_for_the_ho_orders_legal_names() -> None:
    ruleset = load_rules("IL")
    for rule in ruleset.rules():
        if rule.check != "hazardous_order":
            continue
        exemptions = rule.params.get("exemptions", ())
        assert set(exemptions) <= set(ruleset.exemptions), rule.id
        if exemptions:
            assert rule.params["ho"] in A_SL_HOS, rule.id
        if rule.params["ho"] in (2, 7):
            assert not exemptions, rule.id
    for ex in ruleset.exemptions.values():
        assert tuple(ex.ages) == (16, 17)


def test_rules_that_name_tasks_name_catalog_tasks() -> None:
    ruleset = load_rules("IL")
    for rule in ruleset.rules():
        assert rule.tasks is None or rule.tasks <= set(ruleset.tasks), rule.id


def test_boundary_advisory_rule_exists_for_each_time_of_day_rule_that_asks_for_one() -> None:
    ids = {r.id for r in load_rules("IL").rules()}
    for rule in load_rules("IL").rules():
        if rule.check == "time_of_day" and rule.params.get("boundary_advisory"):
            assert f"{rule.id}-boundary" in ids


def _unverified_finding():
    # The federal 18-h school week (570.35(a)(3)) is marked M in the pack.
    data = case(
        [
            day_shift("2025-10-12", "09:00", "13:00"),
            *[day_shift(f"2025-10-{d}", "15:00", "18:00") for d in range(13, 18)],
        ],
        school_days={f"2025-10-{d}": SCHOOL_5H for d in range(13, 18)},
    )
    [finding] = of_rule(run(data), "US-FLSA-570.35-a3")
    return finding


def test_a_finding_from_an_unverified_rule_says_so() -> None:
    finding = _unverified_finding()
    assert finding.verification == "M"
    assert "unverified" in finding.message.lower()


def test_a_finding_from_a_verified_rule_does_not_say_unverified() -> None:
    data = case([day_shift("2025-10-18", "16:00", "19:30")])
    for f in run(data).findings:
        if f.verification == "V":
            assert "unverified" not in f.message.lower(), f


def test_every_unverified_rule_message_is_marked() -> None:
    for rule in load_rules("IL").rules():
        for template, explain in rule.templates.items():
            text = fill(explain, {"age": 15, "date": "2025-10-18"}, rule.verification, View.EXACT)
            assert ("unverified" in text.lower()) == (rule.verification != "V"), template


def test_explain_templates_only_use_placeholders_their_evaluator_fills() -> None:
    # Placeholders are plain names; a typo would leave "{name}" in a message.
    for rule in load_rules("IL").rules():
        for template, explain in rule.templates.items():
            for name in re.findall(r"{([^{}]*)}", explain):
                assert re.fullmatch(r"[a-z_]+", name), (template, name)


def test_a_local_overlay_applies_only_in_its_city() -> None:
    """The wage pack can hold city overlays (none ship unverified); the local rule
    applies one by the worksite's city, with the overlay's own citation and marker."""
    from dataclasses import replace
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from internhost.core.rules.engine import check
    from internhost.core.rules.facts import Case, InternFacts, Shift, interval
    from internhost.core.rules.packs import WageRate, load_rules

    rules = load_rules("IL")
    assert not any(r.localities for r in rules.rates)  # nothing unverified ships
    overlay = WageRate(
        "US-IL",
        date(2025, 7, 1),
        1700,
        "Test City Ord. 1-2",
        "S",
        youth_cents=1600,
        youth_max_hours_per_year=650,
        youth_max_age=17,
        localities=("testville",),
    )
    with_overlay = replace(rules, rates=(*rules.rates, overlay))
    zone = ZoneInfo("America/Chicago")
    shift = Shift(
        0, interval(datetime(2025, 10, 18, 9), datetime(2025, 10, 18, 13), zone), supervisor_age=40
    )
    intern = InternFacts(date(2008, 3, 2), hourly_rate_cents=1550)
    elsewhere = check(Case(intern, (shift,), worksite_city="Springfield"), with_overlay)
    assert "US-IL-local-min-wage" not in {f.rule for f in elsewhere.findings}
    there = check(Case(intern, (shift,), worksite_city="TestVille"), with_overlay)
    (finding,) = [f for f in there.findings if f.rule == "US-IL-local-min-wage"]
    assert finding.citation == "Test City Ord. 1-2" and finding.verification == "S"
    assert "$16.00" in finding.message and "unverified" in finding.message


def test_documents_cover_only_the_dates_they_are_valid() -> None:
    """A student-learner agreement signed mid-term covers the press brake from then
    on; an Illinois certificate that expired leaves the later shifts uncovered."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from internhost.core.rules.engine import check
    from internhost.core.rules.facts import Case, InternFacts, Shift, TaskFact, interval

    zone = ZoneInfo("America/Chicago")

    def shift(i: int, day: date, task: TaskFact) -> Shift:
        return Shift(
            i,
            interval(
                datetime.combine(day, datetime.min.time()).replace(hour=9),
                datetime.combine(day, datetime.min.time()).replace(hour=12),
                zone,
            ),
            tasks=(task,),
            supervisor_age=40,
        )

    press = TaskFact("press_brake", 20, {"direct_supervision": True})
    learner = InternFacts(
        date(2008, 3, 2),
        program="student_learner",
        documents=frozenset({"student_learner_agreement"}),
        document_spans={"student_learner_agreement": ((date(2025, 10, 1), None),)},
    )
    result = check(
        Case(learner, (shift(0, date(2025, 9, 20), press), shift(1, date(2025, 10, 4), press)))
    )
    assert [f.shift for f in result.findings if f.rule == "US-FLSA-HO8"] == [0]

    office = TaskFact("office_clerical")
    young = InternFacts(
        date(2010, 2, 14),
        documents=frozenset({"il_employment_certificate"}),
        document_spans={"il_employment_certificate": ((date(2025, 1, 5), date(2025, 9, 30)),)},
    )
    within = check(Case(young, (shift(0, date(2025, 9, 20), office),)))
    after = check(
        Case(young, (shift(0, date(2025, 9, 20), office), shift(1, date(2025, 10, 4), office)))
    )
    assert "US-IL-206-35-a" not in {f.rule for f in within.findings}
    assert "US-IL-206-35-a" in {f.rule for f in after.findings}


# ---- what the packs say beyond their rules (issue #12: the law only in the packs) -----


def _age_ranges() -> list[tuple[str, tuple[int, int]]]:
    """Every age range the packs hold: rules, exemptions, checklist items."""
    from internhost.core.rules.packs import law_packs

    ranges = [(f"{p.id} {r.id}", r.ages) for p in law_packs() for r in p.rules]
    ranges += [(f"exemption {e.key}", e.ages) for e in load_rules("IL").exemptions.values()]
    ranges += [
        (f"checklist {i['key']}", (i["ages"][0], i["ages"][1]))
        for i in load_pack("checklist").raw["items"]
    ]
    return ranges


def test_the_age_bands_are_legal_md_s_regimes() -> None:
    from internhost.core.rules.ages import age_band, band_starts

    assert load_pack("us-federal").age_bands == (14, 16, 18)  # LEGAL.md §0
    assert load_pack("us-il").age_bands == (14, 16)
    assert band_starts() == (14, 16, 18)
    assert [age_band(a) for a in (13, 14, 15, 16, 17, 18)] == [
        "under 14",
        "14–15",
        "14–15",
        "16–17",
        "16–17",
        "18+",
    ]


def test_every_band_starts_where_a_rule_of_its_pack_starts_or_stops() -> None:
    """A band a pack declares is where its own rules change: a law change that moves
    the rules but not the band (or the reverse) fails here."""
    from internhost.core.rules.packs import law_packs

    for pack in law_packs():
        edges = {r.ages[0] for r in pack.rules} | {r.ages[1] + 1 for r in pack.rules}
        assert set(pack.age_bands) <= edges, pack.id


@pytest.mark.parametrize("where,ages", _age_ranges(), ids=[w for w, _ in _age_ranges()])
def test_every_age_range_follows_the_bands_or_lies_inside_one(where, ages) -> None:
    """So the bands a mentor sees and the birthdays that change the rules miss no
    change: a range either starts and ends on band edges, or narrows one band (HO 2's
    conditions for 17-year-olds)."""
    from internhost.core.rules.ages import age_band, band_starts

    low, high = ages
    edges = {0, *band_starts(), 100}
    assert (low in edges and high + 1 in edges) or age_band(low) == age_band(high), where


def test_whom_the_federal_rules_bind_is_the_pack_s_to_say() -> None:
    """The federal pack, not the engine, says its rules need a covered employer and an
    employee, except the categories it always applies; no other pack says so."""
    from internhost.core.rules.packs import law_packs

    federal = load_pack("us-federal")
    always = set(federal.raw["pack"]["always_applies"])
    assert always == {"coverage", "wage"}
    for rule in federal.rules:
        bound = rule.category not in always
        assert rule.needs_covered_employer is bound and rule.needs_employee is bound, rule.id
    others = [r for p in law_packs() if p.id != "us-federal" for r in p.rules]
    assert others and not any(r.needs_covered_employer or r.needs_employee for r in others)


def test_references_are_unique_cited_and_marked() -> None:
    from internhost.core.rules.packs import law_packs, reference

    seen: dict[str, str] = {}
    for pack in law_packs():
        for key, ref in pack.references.items():
            assert key not in seen, f"{key} in both {seen.get(key)} and {pack.id}"
            seen[key] = pack.id
            assert ref.citation.strip() and ref.verification in ("V", "S", "M"), key
            assert ref.pack == pack.id
    read_by_the_code = {
        "school_hours",
        "residence_district",
        "permitted_occupations",
        "hazardous_orders",
        "flsa_poster",
        "prohibited_occupations",
        "workers_comp",
        "written_consent",
    }
    assert read_by_the_code <= set(seen)
    assert str(reference("permitted_occupations")) == "29 CFR 570.34"


def test_a_youth_rate_names_its_age_as_the_youth_hours_rule_does() -> None:
    from internhost.core.rules.packs import find_rule

    youth_rule = find_rule("US-IL-105-4-youth-650")
    youth = [r for r in load_rules("IL").rates if r.youth_cents is not None]
    assert youth and all(r.youth_max_age == youth_rule.ages[1] == 17 for r in youth)
    assert all(r.youth(17) and not r.youth(18) for r in youth)


def test_a_youth_rate_without_its_age_is_a_pack_error() -> None:
    from datetime import date

    from internhost.core.rules.packs import PackError, WageRate

    with pytest.raises(PackError, match="youth_cents and youth_max_age only together"):
        WageRate("US-IL", date(2025, 1, 1), 1500, "820 ILCS 105/4", "V", youth_cents=1300)
    with pytest.raises(PackError):
        WageRate("US-IL", date(2025, 1, 1), 1500, "820 ILCS 105/4", "V", youth_max_age=17)


def test_a_case_without_a_rate_is_paid_the_pack_s_default() -> None:
    """``internhost check`` takes a case without an hourly rate to be paid the wage
    pack's cited default ($15.00, the Illinois adult minimum from 2025)."""
    from datetime import date

    from internhost.core.rules.facts import InternFacts
    from internhost.core.rules.packs import default_hourly_rate_cents
    from internhost.core.rules.parse import parse_case

    default = load_pack("wage").raw["default_rate"]
    assert default["citation"] == "820 ILCS 105/4" and default["verification"] == "V"
    assert default_hourly_rate_cents() == default["hourly_cents"] == 1500
    data = case([day_shift("2025-10-18", "09:00", "13:00")])
    del data["intern"]["hourly_rate"]
    assert parse_case(data).intern.hourly_rate_cents == 1500
    assert InternFacts(date(2010, 2, 14)).hourly_rate_cents == 1500
