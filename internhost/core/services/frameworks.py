"""Competency frameworks as data: the shipped ones in ``resources/competencies/``,
installed into every new database (and the sample), and HR's own additions and edits.

A framework is (key, version). HR may edit a shipped framework in place; a newer
shipped version then arrives as a new row beside HR's edited copy, never over it,
and only an older shipped copy HR never edited is retired. A competency that has
ratings is retired, never deleted: the evaluations that rated it keep their meaning.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from internhost.core.actor import Actor, Permission, require
from internhost.core.dto_progress import CompetencyRow, FrameworkRow
from internhost.core.errors import NotFound
from internhost.core.models import Competency, CompetencyFramework, CompetencyRating
from internhost.core.models.base import utcnow
from internhost.core.models.enums import VERIFICATIONS
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id
from internhost.paths import resources_dir

#: A framework's or a competency's key: what exports name it by.
KEY = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
KEY_RULE = (
    "lower-case letters, digits, '_', '.' and '-' (up to 64), starting with a letter or digit"
)
#: Levels run 1..scale_max: a scale of one level rates nothing, more than ten is a typo.
SCALE_MIN, SCALE_MAX = 2, 10
#: The most competencies one framework holds.
MAX_COMPETENCIES = 100


@dataclass(frozen=True)
class CompetencyInput:
    key: str
    name: str
    category: str = ""
    description: str = ""
    #: The competency edited, or None for a new one.
    competency_id: int | None = None
    retired: bool = False


@dataclass(frozen=True)
class FrameworkInput:
    key: str
    name: str
    version: str
    scale_max: int
    source: str = ""
    competencies: tuple[CompetencyInput, ...] = ()
    retired: bool = False


# -- the shipped frameworks


@cache
def shipped_specs() -> tuple[dict[str, Any], ...]:
    """The framework files of ``resources/competencies/``, by file name."""
    specs = []
    for path in sorted((resources_dir() / "competencies").glob("*.toml")):
        with path.open("rb") as fh:
            specs.append(tomllib.load(fh))
    return tuple(specs)


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Versions compare part by part, numbers as numbers ("2025.10" after "2025.9")."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-]", version))


def install_shipped(s: Session, actor: Actor) -> list[FrameworkRow]:
    """Add each shipped framework whose (key, version) the database lacks, and retire
    the older shipped copies of the same key that HR never edited. Returns the ones
    added; installing twice adds nothing."""
    require(actor, Permission.EDIT_RECORDS)
    stored = list(s.scalars(select(CompetencyFramework)))
    have = {(f.key, f.version) for f in stored}
    added = []
    for spec in shipped_specs():
        if (spec["key"], spec["version"]) in have:
            continue
        audit.label(s, "install shipped frameworks")
        framework = CompetencyFramework(
            key=spec["key"],
            name=spec["name"],
            version=spec["version"],
            source=spec.get("source", ""),
            verification=spec["verification"],
            scale_max=spec["scale_max"],
            shipped=True,
            competencies=[
                Competency(
                    position=i,
                    key=c["key"],
                    name=c["name"],
                    category=c.get("category", ""),
                    description=c.get("description", ""),
                    verification=c.get("verification"),
                )
                for i, c in enumerate(spec["competencies"])
            ],
        )
        s.add(framework)
        newer = _version_key(spec["version"])
        for old in stored:
            if (
                old.key == spec["key"]
                and old.shipped
                and old.edited_at is None
                and old.retired_at is None
                and _version_key(old.version) < newer
            ):
                old.retired_at = utcnow()
        added.append(framework)
    s.flush()
    return [_row(s, f) for f in added]


# -- reading


def _rating_counts(s: Session, framework_ids: list[int]) -> dict[int, int]:
    if not framework_ids:
        return {}
    rows = s.execute(
        select(Competency.id, func.count(CompetencyRating.id))
        .join(CompetencyRating, CompetencyRating.competency_id == Competency.id)
        .where(Competency.framework_id.in_(framework_ids))
        .group_by(Competency.id)
    )
    return {cid: n for cid, n in rows}


def _row(s: Session, f: CompetencyFramework, counts: dict[int, int] | None = None) -> FrameworkRow:
    counts = _rating_counts(s, [f.id]) if counts is None else counts
    return FrameworkRow(
        id=f.id,
        key=f.key,
        name=f.name,
        version=f.version,
        source=f.source,
        verification=f.verification,
        scale_max=f.scale_max,
        shipped=f.shipped,
        edited_at=f.edited_at,
        retired_at=f.retired_at,
        competencies=tuple(
            CompetencyRow(
                id=c.id,
                key=c.key,
                name=c.name,
                category=c.category,
                description=c.description,
                verification=c.verification or f.verification,
                retired=c.retired_at is not None,
                ratings=counts.get(c.id, 0),
            )
            for c in f.competencies
        ),
        scale_labels=_scale_labels(f),
    )


def _scale_labels(f: CompetencyFramework) -> tuple[str, ...]:
    """The shipped file's names of the levels, while the framework's scale is the
    file's (HR may change the scale of their copy; the names then no longer fit)."""
    for spec in shipped_specs():
        labels = tuple(spec.get("scale", ()))
        if spec["key"] == f.key and len(labels) == f.scale_max:
            return labels
    return ()


def list_frameworks(
    s: Session, actor: Actor, *, include_retired: bool = False
) -> list[FrameworkRow]:
    """The frameworks with their competencies (retired ones too, flagged), by name
    and newest version first."""
    require(actor, Permission.READ_RECORDS)
    stmt = select(CompetencyFramework).options(selectinload(CompetencyFramework.competencies))
    if not include_retired:
        stmt = stmt.where(CompetencyFramework.retired_at.is_(None))
    found = list(s.scalars(stmt))
    counts = _rating_counts(s, [f.id for f in found])
    found.sort(key=lambda f: (f.name.casefold(), [-n for n, _ in _version_key(f.version)]))
    return [_row(s, f, counts) for f in found]


def framework_row(s: Session, actor: Actor, framework_id: int) -> FrameworkRow:
    require(actor, Permission.READ_RECORDS)
    return _row(s, _framework(s, framework_id))


def _framework(s: Session, framework_id: object) -> CompetencyFramework:
    found = by_id(
        s,
        CompetencyFramework,
        framework_id,
        options=[selectinload(CompetencyFramework.competencies)],
    )
    if found is None:
        raise NotFound(f"no competency framework with id {framework_id}")
    return found


# -- HR's edits


def _checked_key(check: Checker, field: str, value: str | None) -> str:
    key = check.text(field, value, required=True, max_len=64)
    if key and not KEY.match(key):
        check.fail(field, f"may hold only {KEY_RULE}")
    return key


def save_framework(
    s: Session, actor: Actor, data: FrameworkInput, framework_id: int | None = None
) -> FrameworkRow:
    """Add a framework, or edit one (a shipped one is marked edited): its name, scale
    and competencies. A competency left out is deleted, or retired if it has ratings."""
    require(actor, Permission.EDIT_RECORDS)
    current = _framework(s, framework_id) if framework_id is not None else None
    counts = _rating_counts(s, [current.id]) if current is not None else {}
    check = Checker()
    key = _checked_key(check, "key", data.key)
    version = check.text("version", data.version, required=True, max_len=40)
    if current is not None and current.shipped and (key, version) != (current.key, current.version):
        check.fail("version", "a shipped framework keeps its key and version (add a new one)")
    elif key and version:
        clash = s.scalar(
            select(CompetencyFramework.id).where(
                CompetencyFramework.key == key,
                CompetencyFramework.version == version,
                CompetencyFramework.id != (current.id if current else 0),
            )
        )
        if clash:
            check.fail("version", f"framework {key!r} already has a version {version!r}")
    name = check.name("name", data.name, required=True)
    source = check.text("source", data.source, max_len=2000, multiline=True)
    scale = check.whole("scale_max", data.scale_max, low=SCALE_MIN, high=SCALE_MAX, required=True)
    if scale is not None and current is not None and not check.failed("scale_max"):
        highest = s.scalar(
            select(func.max(CompetencyRating.level))
            .join(Competency, Competency.id == CompetencyRating.competency_id)
            .where(Competency.framework_id == current.id)
        )
        if highest is not None and highest > scale:
            check.fail("scale_max", f"ratings up to level {highest} exist; keep at least that")
    competencies = _checked_competencies(check, data.competencies, current, counts)
    in_use = [values for _, values in competencies if not values["retired"]]
    if not in_use and not check.failed("competencies"):
        check.fail("competencies", "a framework needs at least one competency in use")
    check.done()
    audit.label(s, "save competency framework")
    if current is None:
        current = CompetencyFramework(key=key, version=version, shipped=False, verification="M")
        s.add(current)
    elif current.shipped:
        current.edited_at = utcnow()
    current.name, current.source, current.scale_max = name, source, scale or current.scale_max
    current.retired_at = (current.retired_at or utcnow()) if data.retired else None
    _write_competencies(s, current, competencies, counts)
    s.flush()
    s.refresh(current, ["competencies"])
    return _row(s, current)


def _checked_competencies(
    check: Checker,
    given: tuple[CompetencyInput, ...],
    current: CompetencyFramework | None,
    counts: dict[int, int],
) -> list[tuple[Competency | None, dict[str, Any]]]:
    if not isinstance(given, tuple | list):
        check.fail("competencies", "is not a list")
        return []
    if len(given) > MAX_COMPETENCIES:
        check.fail("competencies", f"may hold at most {MAX_COMPETENCIES}")
        return []
    own = {c.id: c for c in current.competencies} if current is not None else {}
    seen_keys: set[str] = set()
    seen_ids: set[int] = set()
    out: list[tuple[Competency | None, dict[str, Any]]] = []
    for i, item in enumerate(given):
        at = f"competencies[{i}]"
        if not isinstance(item, CompetencyInput):
            check.fail(at, "is not a competency")
            continue
        existing = None
        given_id: object = item.competency_id  # any value may come in
        if given_id is not None:
            existing = own.get(given_id) if isinstance(given_id, int) else None
            if existing is None or given_id in seen_ids:
                check.fail(f"{at}.competency_id", "is not a competency of this framework")
            else:
                seen_ids.add(existing.id)
        key = _checked_key(check, f"{at}.key", item.key)
        if key in seen_keys:
            check.fail(f"{at}.key", f"{key!r} is listed twice")
        seen_keys.add(key)
        values = {
            "key": key,
            "name": check.name(f"{at}.name", item.name, required=True),
            "category": check.text(f"{at}.category", item.category, max_len=100),
            "description": check.text(
                f"{at}.description", item.description, max_len=2000, multiline=True
            ),
            "retired": item.retired is True,
            "position": i,
        }
        out.append((existing, values))
    # A rated competency left out stays (retired) and keeps its key.
    kept = {c.key for c in own.values() if c.id not in seen_ids and counts.get(c.id)}
    for i, (_, values) in enumerate(out):
        if values["key"] in kept:
            check.fail(f"competencies[{i}].key", f"{values['key']!r} is a retired competency's key")
    return out


def _write_competencies(
    s: Session,
    framework: CompetencyFramework,
    checked: list[tuple[Competency | None, dict[str, Any]]],
    counts: dict[int, int],
) -> None:
    kept = {c.id for c, _ in checked if c is not None}
    now = utcnow()
    for c in list(framework.competencies):
        if c.id in kept:
            continue
        if counts.get(c.id):
            c.retired_at = c.retired_at or now  # rated: kept, retired
        else:
            framework.competencies.remove(c)
    s.flush()  # a freed key may be taken by a new competency below
    for existing, values in checked:
        retired = values.pop("retired")
        competency = existing or Competency()
        for column, value in values.items():
            setattr(competency, column, value)
        competency.retired_at = (competency.retired_at or now) if retired else None
        if existing is None:
            framework.competencies.append(competency)


def verification_label(marker: str) -> str:
    """A marker in words, for the editor (the markers of LEGAL.md)."""
    return {
        "V": "verified",
        "S": "from a secondary source",
        "M": "unverified",
    }.get(marker if marker in VERIFICATIONS else "M", "unverified")
