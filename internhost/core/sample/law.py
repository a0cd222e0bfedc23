"""The law the sample's schedules keep to, read from the rule packs of its worksites'
state: a change in the law changes the sample with the checks, and it stays clean but
for its two deliberate slips (``hours``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from internhost.core.rules.ages import band_starts, hours_limited_below
from internhost.core.rules.packs import PackError, RuleSet, load_rules


@dataclass(frozen=True)
class Law:
    """The ages and limits the sample's schedules keep to."""

    rules: RuleSet
    #: Younger interns work short afternoons in the office (no hour limits from here).
    young_below: int
    #: No child-labor rule applies from this age (a forklift is allowed).
    adult_age: int
    #: The birthdays that change an intern's rules.
    rule_changes: tuple[int, ...]
    #: School and work together on a school day.
    school_day_limit: timedelta
    #: Work alone on a school day, for those with hour limits.
    school_day_work: timedelta
    #: The employment certificate the state asks of interns under ``certificate_below``.
    certificate: str
    certificate_below: int

    @classmethod
    def of(cls, state: str) -> Law:
        rules = load_rules(state)
        combined = next(r for r in rules.rules() if r.check == "combined_school_work")
        certificate = next(r for r in rules.rules() if r.check == "certificate")
        return cls(
            rules=rules,
            young_below=hours_limited_below(),
            adult_age=band_starts()[-1],
            rule_changes=band_starts(),
            school_day_limit=timedelta(hours=combined.params["max_hours"]),
            school_day_work=timedelta(
                hours=min(
                    r.params["max_hours"]
                    for r in rules.rules()
                    if r.check == "daily_cap" and r.params.get("day") == "school"
                )
            ),
            certificate=certificate.params["document"],
            certificate_below=certificate.ages[1] + 1,
        )

    def exempt(self, program: str, age: int) -> bool:
        """Whether ``age`` is within the ages of the exemption ``program`` names."""
        low, high = self.rules.exemptions[program].ages
        return low <= age <= high

    def minimum_cents(self, age: int, on: date) -> int:
        """The state's minimum wage on ``on`` for someone of ``age`` (youth or adult)."""
        jurisdiction = (self.rules.state or self.rules.federal).jurisdiction
        if jurisdiction is None:
            raise PackError("the sample's packs name no jurisdiction")
        rate = self.rules.rate_on(jurisdiction, on)
        if rate is None:
            raise PackError(f"the wage pack has no {jurisdiction} rate on {on}")
        if rate.youth(age) and rate.youth_cents is not None:
            return rate.youth_cents
        return rate.adult_cents
