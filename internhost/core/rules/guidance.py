"""Who may do a task, in one line, from the rule packs: what the equipment register
shows beside each machine ("never under 18 (HO 7)")."""

from __future__ import annotations

from internhost.core.rules.packs import RuleSet, load_rules


def _ages(low: int, high: int) -> str:
    return f"{low}" if low == high else f"{low}–{high}"


def who_may(task_key: str, rules: RuleSet | None = None) -> str:
    """A plain sentence on the ages and conditions under which ``task_key`` is allowed."""
    rules = rules or load_rules("IL")
    task = rules.tasks[task_key]
    parts: list[str] = []
    all_rules = rules.rules()
    ho_rule = next(
        (r for r in all_rules if r.check == "hazardous_order" and r.params["ho"] == task.ho),
        None,
    )
    conditions = [r for r in all_rules if r.check == "conditions" and task_key in r.tasks]
    if ho_rule is not None:
        exemptions = [rules.exemptions[k] for k in ho_rule.params.get("exemptions", ())]
        if exemptions:
            low = min(e.ages[0] for e in exemptions)
            high = max(e.ages[1] for e in exemptions)
            labels = " or ".join(e.label.removesuffix(" exemption") for e in exemptions)
            parts.append(
                f"{_ages(low, high)} only as a {labels}, intermittently and under direct "
                f"supervision (HO {task.ho})"
            )
        elif not conditions:
            parts.append(f"never under 18 (HO {task.ho})")
        for rule in conditions:
            lead = "or " if exemptions else ""
            parts.append(f"{lead}{_ages(*rule.ages)} under the conditions of {rule.citation}")
        if not exemptions and conditions:
            parts.append(f"otherwise never under 18 (HO {task.ho})")
    elif task.fed_14_15 == "prohibited":
        parts.append("not under 16 (29 CFR 570.33)")
    else:
        where = " away from production areas" if not task.production_area else ""
        parts.append(f"allowed from 14{where} (29 CFR 570.34)")
    if task.il_206_40 and rules.state is not None:
        items = ", ".join(map(str, task.il_206_40))
        word = "items" if len(task.il_206_40) > 1 else "item"
        parts.append(f"not under 16 in Illinois (820 ILCS 206/40(a), {word} {items})")
    return "; ".join(parts)
