"""finding templates: a stored finding keeps its message's template id and parameters

A finding's message was stored as the text the engine wrote for whoever's action
re-checked the intern, and a mentor was shown it after a regular expression turned
"a 15-year-old" into the age band: a template worded otherwise would have shown the
age. From this revision a finding stores ``template`` (the id of its message
template in the rule packs) and ``params`` (the values that fill it, the intern's
age as an int), and the app renders it for each reader (``rules/messages.py``).

Existing findings are read back: the stored text is matched against the templates
of the finding's rule in the rule packs installed (read from their files: they are
the wordings the app renders from now on). A match counts only if filling the
template again gives the very same text and no placeholder but the age took in an
age: a placeholder can match more than its value (the next message merged into the
finding), and a mentor is shown any other placeholder as it is. Those rows get
``template`` and ``params`` and lose ``message``, and the trail records it (system
events, operation ``OPERATION``). A text no template gives back (a pack worded it
otherwise since) is kept with ``template`` NULL: HR still reads it, a mentor is told
it is withheld, and the app's start-of-day re-check replaces it. The downgrade
writes each message back.

Frozen here, as revisions do not import the app: how the app wrote a message up to
this revision (placeholders filled in, an unverified rule's marker, merged messages
of one rule and shift joined by a space, the note on a federal finding for an
intern HR recorded as not an employee) and the reserved parameters that now carry
the last two. Audit events are appended by 0003's frozen writer.

Revision ID: 0004_finding_templates
Revises: 0003_audit_explains
Create Date: 2026-12-14 09:00:00
"""

import re
import tomllib
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from internhost.paths import rules_dir

revision: str = "0004_finding_templates"
down_revision: str | None = "0003_audit_explains"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPERATION = "upgrade 0004: finding templates"
DOWNGRADE_OPERATION = "downgrade 0004: finding texts"
#: The engine's note on a federal finding for an intern who is not an employee.
NOT_EMPLOYEE_NOTE = "(Applies if the intern is in fact an employee.)"
#: Reserved parameters: the intern's age, merged messages, the appended note.
AGE, ALSO, NOTE = "age", "_also", "_note"

_findings = sa.table(
    "findings",
    sa.column("id", sa.Integer),
    sa.column("intern_id", sa.Integer),
    sa.column("rule_id", sa.String),
    sa.column("verification", sa.String),
    sa.column("message", sa.Text),
    sa.column("template", sa.String),
    sa.column("params", sa.JSON),
)
_FIELD = re.compile(r"\{([a-z_]+)\}")
#: An intern's age as the app wrote it into a message ("a 15-year-old").
_AGED = re.compile(r"[0-9]+-year-old(?!s)")


def _wordings() -> dict[str, list[tuple[str, str]]]:
    """Rule id -> its (template id, text) in the installed packs, ``explain`` first."""
    out: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(rules_dir().glob("*.toml")):
        with path.open("rb") as fh:
            pack = tomllib.load(fh)
        for rule in pack.get("rules", []):
            variants = rule.get("variants", {})
            out[rule["id"]] = [(rule["id"], rule["explain"])] + [
                (f"{rule['id']}.{name}", text) for name, text in variants.items()
            ]
    return out


def _suffix(verification: str) -> str:
    return "" if verification == "V" else f" [unverified rule: {verification}]"


def _fill(text: str, params: dict[str, Any], verification: str) -> str:
    filled = _FIELD.sub(lambda m: str(params.get(m.group(1), m.group(0))), text)
    return filled + _suffix(verification)


def _message(texts: dict[str, str], template: str, params: dict, verification: str) -> str:
    """The text the app wrote for a finding up to this revision."""
    parts = [(template, params), *((p["template"], p["params"]) for p in params.get(ALSO, ()))]
    words = []
    for name, values in parts:
        text = texts.get(name)
        if text is None:
            words.append(f"{name}: the rule packs installed have no wording for this finding.")
        else:
            words.append(_fill(text, values, verification))
    note = params.get(NOTE)
    return " ".join(words) + (f" {note}" if note else "")


def _pattern(text: str) -> re.Pattern[str]:
    """A template as a pattern capturing its placeholders (the age as digits)."""
    out, seen, last = [], set(), 0
    for found in _FIELD.finditer(text):
        out.append(re.escape(text[last : found.start()]))
        name = found.group(1)
        if name in seen:
            out.append(f"(?P={name})")
        else:
            seen.add(name)
            out.append(f"(?P<{name}>[0-9]+)" if name == AGE else f"(?P<{name}>.*?)")
        last = found.end()
    out.append(re.escape(text[last:]))
    return re.compile("".join(out), re.DOTALL)


def _parts(body: str, start: int, patterns: list, suffix: str) -> list | None:
    """``body[start:]`` as messages of the rule joined by spaces, or None."""
    ends = [i for i in range(start, len(body)) if body[i] == " "] + [len(body)]
    for end in ends:
        piece = body[start:end]
        if not piece.endswith(suffix):
            continue
        piece = piece[: len(piece) - len(suffix)]
        for template, pattern in patterns:
            found = pattern.fullmatch(piece)
            if found is None or any(
                _AGED.search(value) for name, value in found.groupdict().items() if name != AGE
            ):
                continue
            rest = [] if end == len(body) else _parts(body, end + 1, patterns, suffix)
            if rest is not None:
                params = found.groupdict()
                if AGE in params:
                    params[AGE] = int(params[AGE])
                return [(template, params), *rest]
    return None


def _patterns(wordings: dict[str, list[tuple[str, str]]]) -> dict[str, list]:
    """Rule id -> its (template id, pattern)."""
    return {rule: [(t, _pattern(text)) for t, text in known] for rule, known in wordings.items()}


def _read_back(
    message: str, patterns: list, texts: dict[str, str], verification: str
) -> tuple[str, dict] | None:
    """(template, params) of the rule's ``patterns`` that give ``message`` again, or None."""
    body, note = message, None
    if body.endswith(f" {NOT_EMPLOYEE_NOTE}"):
        body, note = body[: -len(NOT_EMPLOYEE_NOTE) - 1], NOT_EMPLOYEE_NOTE
    parts = _parts(body, 0, patterns, _suffix(verification))
    if not parts:
        return None
    (template, params), *more = parts
    if more:
        params[ALSO] = [{"template": t, "params": p} for t, p in more]
    if note:
        params[NOTE] = note
    if _message(texts, template, params, verification) != message:
        return None
    return template, params


def _write_events(bind: Any, pending: dict, operation: str) -> None:
    """Append the system events, with 0003's frozen writer of the chain."""
    context.script.get_revision("0003_audit_explains").module._write(bind, pending, operation)


def _entry(pending: dict, row: Any, before: dict, after: dict) -> None:
    aggregate = ("findings_of_intern", row.intern_id)
    pending.setdefault(aggregate, {})[f"findings:{row.id}"] = {"before": before, "after": after}


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("template", sa.String(length=150), nullable=True))
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))
        batch_op.alter_column("message", existing_type=sa.Text(), nullable=True)
        batch_op.create_check_constraint(
            batch_op.f("ck_findings_worded"), "template IS NOT NULL OR message IS NOT NULL"
        )

    bind = op.get_bind()
    wordings = _wordings()
    texts = {template: text for known in wordings.values() for template, text in known}
    patterns = _patterns(wordings)
    changed, pending = [], {}
    query = sa.select(
        _findings.c.id,
        _findings.c.intern_id,
        _findings.c.rule_id,
        _findings.c.verification,
        _findings.c.message,
    ).order_by(_findings.c.id)
    for row in bind.execute(query).all():
        read = _read_back(row.message, patterns.get(row.rule_id, []), texts, row.verification)
        if read is None:
            continue
        template, params = read
        changed.append({"i": row.id, "t": template, "p": params})
        _entry(
            pending,
            row,
            {"message": row.message, "params": None, "template": None},
            {"message": None, "params": params, "template": template},
        )
    if changed:
        bind.execute(
            _findings.update()
            .where(_findings.c.id == sa.bindparam("i"))
            .values(template=sa.bindparam("t"), params=sa.bindparam("p"), message=None),
            changed,
        )
    _write_events(bind, pending, OPERATION)


def downgrade() -> None:
    bind = op.get_bind()
    texts = {template: text for known in _wordings().values() for template, text in known}
    changed, pending = [], {}
    query = sa.select(
        _findings.c.id,
        _findings.c.intern_id,
        _findings.c.verification,
        _findings.c.template,
        _findings.c.params,
    ).where(_findings.c.template.is_not(None))
    for row in bind.execute(query).all():
        message = _message(texts, row.template, row.params or {}, row.verification)
        changed.append({"i": row.id, "m": message})
        _entry(
            pending,
            row,
            {"message": None, "params": row.params, "template": row.template},
            # The columns go: should they come back, the rows hold nothing in them.
            {"message": message, "params": None, "template": None},
        )
    if changed:
        bind.execute(
            _findings.update()
            .where(_findings.c.id == sa.bindparam("i"))
            .values(message=sa.bindparam("m")),
            changed,
        )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_findings_worded"), type_="check")
        batch_op.alter_column("message", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("params")
        batch_op.drop_column("template")
    _write_events(bind, pending, DOWNGRADE_OPERATION)
