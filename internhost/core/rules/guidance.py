"""The law in words for the screens, from the rule packs: who may do a task, in one
line, as the equipment register shows it beside each machine ("never under 18 (HO
7)"), and the small wording helpers help text uses to name ages from the rules."""

from __future__ import annotations

from collections.abc import Iterable

from internhost.core.rules.packs import (
    Pack,
    RuleSet,
    Task,
    find_rule,
    load_rules,
    reference,
    state_packs,
)


def ages_text(low: int, high: int) -> str:
    """ "14–15", "17", or "under 16" for a band that starts at birth."""
    if low == 0:
        return f"under {high + 1}"
    return f"{low}" if low == high else f"{low}–{high}"


def year_olds(ages: tuple[int, int]) -> str:
    """ "14- and 15-year-olds", "16- to 17-year-olds", "minors under 16"."""
    low, high = ages
    if low == 0:
        return f"minors under {high + 1}"
    if low == high:
        return f"{low}-year-olds"
    return f"{low}- {'and' if high == low + 1 else 'to'} {high}-year-olds"


def or_list(items: Iterable[object]) -> str:
    """ "14, 16 or 18"."""
    words = [str(i) for i in items]
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)


def calendar_ages() -> tuple[int, int]:
    """The ages whose federal hours follow the school calendar of the district where
    the intern lives (the rule keeping their work outside school hours)."""
    return find_rule("US-FLSA-570.35-a1").ages


def who_may(task_key: str, states: Iterable[str] | None = None) -> str:
    """A plain sentence on the ages and conditions under which ``task_key`` is allowed,
    under federal law and that of each state in ``states`` (default: every state
    with a rule pack)."""
    federal = load_rules(None)
    task = federal.tasks[task_key]
    parts = _federal(task, federal)
    for state in sorted(state_packs() if states is None else states):
        pack = load_rules(state).state
        if pack is not None:
            parts += _state(task, pack)
    return "; ".join(parts)


def _federal(task: Task, rules: RuleSet) -> list[str]:
    all_rules = rules.rules()
    ho_rule = next(
        (r for r in all_rules if r.check == "hazardous_order" and r.params["ho"] == task.ho),
        None,
    )
    if ho_rule is None:
        return [_occupations(task, rules)]
    parts: list[str] = []
    conditions = [r for r in all_rules if r.check == "conditions" and r.names_task(task.key)]
    exemptions = [rules.exemptions[k] for k in ho_rule.params.get("exemptions", ())]
    never = f"never under {ho_rule.ages[1] + 1} (HO {task.ho})"
    if exemptions:
        low = min(e.ages[0] for e in exemptions)
        high = max(e.ages[1] for e in exemptions)
        labels = " or ".join(e.label.removesuffix(" exemption") for e in exemptions)
        parts.append(
            f"{ages_text(low, high)} only as a {labels}, intermittently and under direct "
            f"supervision (HO {task.ho})"
        )
    elif not conditions:
        parts.append(never)
    for rule in conditions:
        lead = "or " if exemptions else ""
        parts.append(f"{lead}{ages_text(*rule.ages)} under the conditions of {rule.citation}")
    if not exemptions and conditions:
        parts.append(f"otherwise {never}")
    return parts


def _occupations(task: Task, rules: RuleSet) -> str:
    """The federal occupation lists for the youngest workers (570.33 and 570.34)."""
    listed = next(
        r for r in rules.federal.rules if r.check == "prohibited_tasks" and "value" in r.params
    )
    if getattr(task, listed.params["field"]) == listed.params["value"]:
        return f"not under {listed.ages[1] + 1} ({listed.citation})"
    where = " away from production areas" if not task.production_area else ""
    return f"allowed from {listed.ages[0]}{where} ({reference('permitted_occupations')})"


def _state(task: Task, pack: Pack) -> list[str]:
    """The state's own lists of occupations barred to minors that name the task."""
    parts = []
    for rule in pack.rules:
        if rule.check != "prohibited_tasks" or not rule.params.get("non_empty"):
            continue
        items = getattr(task, rule.params["field"])
        if items:
            word = "items" if len(items) > 1 else "item"
            parts.append(
                f"not under {rule.ages[1] + 1} in {pack.state_name} ({rule.citation}, "
                f"{word} {', '.join(map(str, items))})"
            )
    return parts
