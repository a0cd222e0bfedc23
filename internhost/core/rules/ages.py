"""The ages at which the law changes, read from the rule packs.

Each pack that holds law names the ages that start the bands of its regimes
(``age_bands``; LEGAL.md §0: under 14, 14–15, 16–17, 18 and over). Together they
are the birthdays that change an intern's rules and the bands a mentor sees instead
of an age. The other ages here come from the rules that hold them, so a change in
the law is a change in a pack, never in code.
"""

from __future__ import annotations

from functools import cache

from internhost.core.rules.packs import PackError, Rule, law_packs, load_rules

#: Categories of the rules that cap when and how long an intern works.
HOURS_CATEGORIES = frozenset({"daily_hours", "weekly_hours", "rolling_24h", "time_of_day"})


@cache
def band_starts() -> tuple[int, ...]:
    """Every age that starts a band in some pack, ascending: the birthdays on which an
    intern's rules change."""
    starts = tuple(sorted({age for pack in law_packs() for age in pack.age_bands}))
    if not starts:
        raise PackError("no rule pack names its age_bands")
    return starts


def age_band(age: int) -> str:
    """The band a mentor sees instead of an age: "under 14", "14–15", "18+"."""
    starts = band_starts()
    if age < starts[0]:
        return f"under {starts[0]}"
    if age >= starts[-1]:
        return f"{starts[-1]}+"
    low = max(a for a in starts if a <= age)
    high = min(a for a in starts if a > age) - 1
    return str(low) if low == high else f"{low}–{high}"


def age_band_noun(age: int) -> str:
    """How a message names someone of ``age`` by band: "14–15-year-old",
    "under-14-year-old", and from the last band on, "adult"."""
    if age >= band_starts()[-1]:
        return "adult"
    return f"{age_band(age).replace(' ', '-')}-year-old"


@cache
def hours_limited_below() -> int:
    """The age from which no rule of any pack caps an intern's hours (the dashboard
    counts the active interns younger than this)."""
    return 1 + max(
        rule.ages[1]
        for pack in law_packs()
        for rule in pack.rules
        if rule.category in HOURS_CATEGORIES
    )


@cache
def minimum_age(state: str | None = None) -> int:
    """The youngest age at which any work is allowed at a worksite in ``state`` (the
    ``min_age`` rules)."""
    return max(r.params["min_age"] for r in load_rules(state).rules() if r.check == "min_age")


@cache
def _workroom_bans(state: str | None) -> tuple[tuple[int, int], ...]:
    return tuple(r.ages for r in load_rules(state).rules() if r.check == "workroom_ban")


def barred_from_workrooms(age: int, state: str | None = None) -> bool:
    """Whether someone of ``age`` may not set foot in a production workroom at a
    worksite in ``state`` (the ``workroom_ban`` rules)."""
    return any(low <= age <= high for low, high in _workroom_bans(state))


def supervisor_rule() -> Rule:
    """The rule asking for an adult supervisor of a minimum age on site (the oldest
    age any pack asks for)."""
    found = [r for pack in law_packs() for r in pack.rules if r.check == "supervisor_age"]
    if not found:
        raise PackError("no rule pack has a supervisor_age rule")
    return max(found, key=lambda r: r.params["min_age"])
