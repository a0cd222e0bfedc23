"""A finding's message, rendered when it is read, for whoever reads it.

A finding (the engine's, or a stored row) holds its message as data: ``template``,
the id of a message template in the rule packs, and ``params``, plain JSON values
(the intern's age as an int under ``templates.AGE``). ``render`` is the one place a
finding becomes text, so a stored finding says the same thing to everyone who may
see it, and no more to someone who may not, whoever's action stored it.

Two parameters carry a finding's other parts: ``ALSO``, the further messages of
the same rule merged into it (one finding per rule and shift), and ``NOTE``, a
sentence the engine appends (a federal finding for an intern HR recorded as not an
employee). A stored row from before templates whose text could not be read back
into one (``template`` None, its old ``message`` kept) is shown only to readers who
may see exact ages, until a re-check replaces it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from internhost.core.rules.packs import all_templates
from internhost.core.rules.templates import View, fill

#: Further messages merged into the finding: a list of {"template", "params"}.
ALSO = "_also"
#: A sentence appended to the whole message.
NOTE = "_note"
#: What a reader who may not see exact ages gets for a row stored as text.
WITHHELD_TEXT = (
    "This finding was stored before its wording was kept per role; HR sees it, "
    "and the intern's next re-check shows it here."
)


class Renderable(Protocol):
    """A finding as the engine returns it or as it is stored."""

    @property
    def template(self) -> str | None: ...
    @property
    def params(self) -> Mapping[str, Any] | None: ...
    @property
    def verification(self) -> str: ...
    @property
    def message(self) -> str | None: ...


def render(finding: Renderable, view: View) -> str:
    """The finding's message as a reader with ``view`` may read it."""
    if finding.template is None:
        return (finding.message or "") if view is View.EXACT else WITHHELD_TEXT
    params = finding.params or {}
    parts = [(finding.template, params)]
    parts += [(p["template"], p["params"]) for p in params.get(ALSO, ())]
    text = " ".join(_part(t, p, finding.verification, view) for t, p in parts)
    note = params.get(NOTE)
    return f"{text} {note}" if note else text


def _part(template: str, params: Mapping[str, Any], verification: str, view: View) -> str:
    text = all_templates().get(template)
    if text is None:  # a template a newer pack dropped: the next re-check replaces it
        return f"{template}: the rule packs installed have no wording for this finding."
    return fill(text, params, verification, view)
