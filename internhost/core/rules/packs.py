"""Rule packs: the law as data, loaded from ``resources/rules/*.toml``.

A pack is a version, a review note and a list of rules; a rule names its
evaluator (``check``), the ages and dates it applies to, its numbers, its
citation, LEGAL.md's verification marker and the message template. A pack also
says whom its rules bind (the FLSA's: covered employers and their employees), the
age bands of its law and the citations the screens show outside any finding
(``[references]``). Nothing in the app knows a number, age or citation of the law
that is not read from here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from internhost.paths import rules_dir

NOT_REVIEWED = "not yet reviewed by counsel"


class PackError(Exception):
    """A rule pack is malformed: a bug in shipped data, caught by the tests."""


@dataclass(frozen=True)
class Rule:
    id: str
    check: str
    category: str
    severity: str
    jurisdiction: str
    ages: tuple[int, int]
    citation: str
    verification: str
    explain: str
    pack: str
    params: Mapping[str, Any] = field(default_factory=dict)
    #: Other wordings of ``explain`` for particular cases, by name (the message
    #: template ``<rule id>.<name>``): the minimum wage of a youth, of an adult.
    variants: Mapping[str, str] = field(default_factory=dict)
    effective_from: date | None = None
    effective_to: date | None = None
    programs: frozenset[str] | None = None
    except_programs: frozenset[str] = frozenset()
    tasks: frozenset[str] | None = None
    #: "206" for rules of the Illinois Child Labor Law that 206/20(e) switches off.
    act: str | None = None
    #: Skipped for an employer recorded as not covered (the pack's ``covered_employers_only``).
    needs_covered_employer: bool = False
    #: Violations shown as warnings for an intern HR recorded as not an employee (the
    #: pack's ``employees_only``).
    needs_employee: bool = False

    @cached_property
    def scope(self) -> tuple[Any, ...]:
        """What decides which shifts the rule applies to; rules sharing it share the work
        (asked for every rule of every check: worked out once)."""
        return (
            self.ages,
            self.effective_from,
            self.effective_to,
            self.programs,
            self.except_programs,
            self.act,
        )

    @property
    def unverified(self) -> bool:
        return self.verification != "V"

    def applies(self, age: int, on: date, program: str) -> bool:
        if not self.ages[0] <= age <= self.ages[1]:
            return False
        if self.effective_from and on < self.effective_from:
            return False
        if self.effective_to and on > self.effective_to:
            return False
        if self.programs is not None and program not in self.programs:
            return False
        return program not in self.except_programs

    def names_task(self, key: str) -> bool:
        """Whether the rule lists the task ``key`` (a rule without ``tasks`` lists none)."""
        return self.tasks is not None and key in self.tasks

    @cached_property
    def templates(self) -> Mapping[str, str]:
        """This rule's message templates (``rules/templates.py`` fills them) by id:
        ``<rule id>`` for ``explain``, ``<rule id>.<name>`` for each variant (read for
        every finding: built once)."""
        return MappingProxyType(
            {self.id: self.explain, **{f"{self.id}.{k}": v for k, v in self.variants.items()}}
        )


@dataclass(frozen=True)
class Task:
    key: str
    label: str
    description: str
    production_area: bool
    fed_14_15: str
    ho: int
    il_206_40: tuple[int, ...]
    conditional: str | None = None


@dataclass(frozen=True)
class Exemption:
    key: str
    label: str
    ages: tuple[int, int]
    program: str
    document: str
    task_fact: str
    citation: str
    verification: str


@dataclass(frozen=True)
class WageRate:
    jurisdiction: str
    effective_from: date
    adult_cents: int
    citation: str
    verification: str
    youth_cents: int | None = None
    youth_max_hours_per_year: int | None = None
    #: The oldest a worker may be paid the youth rate at (inclusive, like rules' ages).
    youth_max_age: int | None = None
    #: A local (city or county) overlay: the worksite cities it covers, lower case.
    localities: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.youth_cents is None) != (self.youth_max_age is None):
            raise PackError(
                f"the {self.jurisdiction} rate from {self.effective_from} gives "
                "youth_cents and youth_max_age only together"
            )

    def youth(self, age: int) -> bool:
        """Whether someone of ``age`` may be paid the youth rate at all."""
        return self.youth_max_age is not None and age <= self.youth_max_age


@dataclass(frozen=True)
class Reference:
    """A citation a screen shows outside any one finding: help text, the onboarding
    summary, the equipment register ("29 CFR 570.34" beside an office task)."""

    key: str
    citation: str
    verification: str
    pack: str

    def __str__(self) -> str:
        return self.citation


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    title: str
    reviewed_by: str
    reviewed_on: str
    jurisdiction: str | None
    rules: tuple[Rule, ...]
    raw: Mapping[str, Any]
    #: "Illinois": how the screens name a state pack's jurisdiction.
    state_name: str | None = None
    #: The ages that start each band of this law's regimes (LEGAL.md §0), ascending.
    age_bands: tuple[int, ...] = ()
    references: Mapping[str, Reference] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    """Every pack a case needs: federal, the worksite state's (if any), tasks, wage."""

    federal: Pack
    state: Pack | None
    tasks: Mapping[str, Task]
    task_pack: Pack
    wage: Pack
    rates: tuple[WageRate, ...]
    exemptions: Mapping[str, Exemption]

    @property
    def packs(self) -> tuple[Pack, ...]:
        return tuple(p for p in (self.federal, self.state, self.task_pack, self.wage) if p)

    @property
    def versions(self) -> dict[str, str]:
        return {p.id: p.version for p in self.packs}

    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for p in (self.federal, self.state, self.wage) if p for r in p.rules)

    def rate_on(self, jurisdiction: str, on: date, city: str | None = None) -> WageRate | None:
        """The rate in force on ``on``: a jurisdiction's own, or (with ``city``) the
        local overlay of that jurisdiction covering the city."""
        wanted = city.casefold() if city else None
        current = None
        for rate in self.rates:
            if (
                rate.jurisdiction == jurisdiction
                and rate.effective_from <= on
                and (wanted in rate.localities if wanted else not rate.localities)
                and (current is None or rate.effective_from > current.effective_from)
            ):
                current = rate
        return current


_VARIANT = re.compile(r"[a-z][a-z0-9_]*")


def _variants(raw: Mapping[str, Any], pack_id: str) -> Mapping[str, str]:
    variants = dict(raw.get("variants", {}))
    for name, text in variants.items():
        if not _VARIANT.fullmatch(name) or not isinstance(text, str):
            raise PackError(f"rule {raw.get('id', '?')} in {pack_id}: bad variant {name!r}")
    return MappingProxyType(variants)


def _rule(raw: Mapping[str, Any], pack: Mapping[str, Any]) -> Rule:
    try:
        ages = raw["ages"]
        bound = raw["category"] not in pack.get("always_applies", ())
        return Rule(
            id=raw["id"],
            check=raw["check"],
            category=raw["category"],
            severity=raw["severity"],
            jurisdiction=raw.get("jurisdiction") or pack.get("jurisdiction") or "US",
            ages=(int(ages[0]), int(ages[1])),
            citation=raw["citation"],
            verification=raw["verification"],
            explain=raw["explain"],
            pack=pack["id"],
            params=MappingProxyType(dict(raw.get("params", {}))),
            variants=_variants(raw, pack["id"]),
            effective_from=raw.get("effective_from"),
            effective_to=raw.get("effective_to"),
            programs=frozenset(raw["programs"]) if "programs" in raw else None,
            except_programs=frozenset(raw.get("except_programs", ())),
            tasks=frozenset(raw["tasks"]) if "tasks" in raw else None,
            act=raw.get("act"),
            needs_covered_employer=bound and pack.get("covered_employers_only", False),
            needs_employee=bound and pack.get("employees_only", False),
        )
    except KeyError as exc:
        raise PackError(f"rule {raw.get('id', '?')} in {pack['id']} lacks {exc}") from exc


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@cache
def load_pack(pack_id: str) -> Pack:
    path = rules_dir() / f"{pack_id}.toml"
    raw = _read(path)
    meta = raw["pack"]
    if meta["id"] != pack_id:
        raise PackError(f"{path.name} says it is pack {meta['id']!r}")
    rules = tuple(_rule(r, meta) for r in raw.get("rules", []))
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise PackError(f"duplicate rule ids in {pack_id}")
    bands = tuple(int(a) for a in meta.get("age_bands", ()))
    if list(bands) != sorted(set(bands)):
        raise PackError(f"the age_bands of {pack_id} are not ascending")
    try:
        references = {
            key: Reference(key, ref["citation"], ref["verification"], pack_id)
            for key, ref in raw.get("references", {}).items()
        }
    except KeyError as exc:
        raise PackError(f"a reference in {pack_id} lacks {exc}") from exc
    return Pack(
        id=pack_id,
        version=meta["version"],
        title=meta["title"],
        reviewed_by=meta.get("reviewed_by") or NOT_REVIEWED,
        reviewed_on=meta.get("reviewed_on", ""),
        jurisdiction=meta.get("jurisdiction"),
        rules=rules,
        raw=MappingProxyType(raw),
        state_name=meta.get("state_name"),
        age_bands=bands,
        references=MappingProxyType(references),
    )


@cache
def all_templates() -> Mapping[str, str]:
    """Every message template of every pack shipped, by id: what a stored finding's
    ``template`` names, whichever state's packs its check loaded."""
    out: dict[str, str] = {}
    for path in sorted(rules_dir().glob("*.toml")):
        for rule in load_pack(path.stem).rules:
            for template, text in rule.templates.items():
                if template in out:
                    raise PackError(f"message template {template} is in two packs")
                out[template] = text
    return MappingProxyType(out)


@cache
def state_packs() -> dict[str, str]:
    """State code -> pack id, for every pack that names its ``state``: adding a
    state is adding its file."""
    out = {}
    for path in sorted(rules_dir().glob("*.toml")):
        state = _read(path)["pack"].get("state")
        if state:
            out[state] = path.stem
    return out


@cache
def load_rules(state: str | None) -> RuleSet:
    """The rule set for a worksite in ``state`` (two letters); None or a state
    without a pack gives the federal rules only."""
    task_pack = load_pack("tasks")
    tasks = {
        key: Task(
            key=key,
            label=t["label"],
            description=t["description"],
            production_area=t["production_area"],
            fed_14_15=t["fed_14_15"],
            ho=int(t["ho"]),
            il_206_40=tuple(t["il_206_40"]),
            conditional=t.get("conditional"),
        )
        for key, t in task_pack.raw["tasks"].items()
    }
    federal = load_pack("us-federal")
    exemptions = {
        e["key"]: Exemption(
            key=e["key"],
            label=e["label"],
            ages=tuple(e["ages"]),
            program=e["program"],
            document=e["document"],
            task_fact=e["task_fact"],
            citation=e["citation"],
            verification=e["verification"],
        )
        for e in federal.raw.get("exemptions", [])
    }
    wage = load_pack("wage")
    try:
        rates = tuple(
            WageRate(**{**r, "localities": tuple(c.casefold() for c in r.get("localities", ()))})
            for r in wage.raw.get("rates", [])
        )
    except TypeError as exc:  # a missing or unknown field
        raise PackError(f"a rate in the wage pack: {exc}") from exc
    packs = state_packs()
    state_pack = load_pack(packs[state]) if state in packs else None
    return RuleSet(
        federal,
        state_pack,
        MappingProxyType(tasks),
        task_pack,
        wage,
        rates,
        MappingProxyType(exemptions),
    )


@cache
def law_packs() -> tuple[Pack, ...]:
    """Every pack that holds law: federal, each state's, wage, the checklist and the
    task catalog (for what is not one worksite's: screens, the dashboard, masking)."""
    ids = ("us-federal", *sorted(state_packs().values()), "wage", "checklist", "tasks")
    return tuple(load_pack(i) for i in ids)


def find_rule(rule_id: str) -> Rule:
    """The rule ``rule_id`` of whichever pack holds it."""
    for pack in law_packs():
        for rule in pack.rules:
            if rule.id == rule_id:
                return rule
    raise PackError(f"no rule {rule_id!r} in the rule packs")


def reference(key: str) -> Reference:
    """The citation ``key`` of the ``[references]`` of whichever pack holds it."""
    for pack in law_packs():
        if key in pack.references:
            return pack.references[key]
    raise PackError(f"no reference {key!r} in the rule packs")


@cache
def default_hourly_rate_cents() -> int:
    """What a paid intern is taken to earn an hour when a case gives no rate (the wage
    pack's ``[default_rate]``)."""
    try:
        return int(load_pack("wage").raw["default_rate"]["hourly_cents"])
    except KeyError as exc:
        raise PackError(f"the wage pack's default_rate lacks {exc}") from exc
