"""The forms' wording, read from ``resources/forms/*.toml``: the law and the texts are
data, not code. Each file names its title, its sections in order and, in ``needs``,
what the pre-filled form shows that a role may not see (``birth_dates``,
``contact_details``)."""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from internhost.paths import resource

#: The forms, in the order ``internhost form --list`` shows them (issue 15's names).
FORM_NAMES = (
    "placement-agreement",
    "student-learner-agreement",
    "parental-consent",
    "il-notice-of-intent",
    "timesheet",
    "midpoint-evaluation",
    "final-evaluation",
    "completion-certificate",
    "reference-letter",
)

#: What a form's ``needs`` entries name: data only some roles may see.
NEEDS = ("birth_dates", "contact_details")


@cache
def form_text(name: str) -> dict[str, Any]:
    """The parsed text of form ``name`` (one of ``FORM_NAMES``); treat as read-only."""
    if name not in FORM_NAMES:
        raise KeyError(name)
    with resource("forms", f"{name}.toml").open("rb") as f:
        text = tomllib.load(f)
    unknown = set(text.get("needs", ())) - set(NEEDS)
    if unknown:
        raise ValueError(f"forms/{name}.toml: unknown needs {sorted(unknown)}")
    return text
