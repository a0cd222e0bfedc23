"""Alembic glue: is a database behind, and bring it to head (backing it up first).

``HEAD`` is the newest revision, kept here so the app can tell at start whether a
file needs upgrading without importing Alembic; a test keeps it equal to the
migration scripts' head.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from internhost.core.storage import db, dblock
from internhost.paths import migrations_dir

if TYPE_CHECKING:  # Alembic is imported when needed: it is slow to import
    from alembic.config import Config

HEAD = "0009_packets"


def needs_upgrade(path: Path, key: db.DatabaseKey | None = None) -> bool:
    return db.schema_revision(path, key) != HEAD


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def script_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def backup_path_for(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.stem}.pre-{revision}-{stamp}{path.suffix}")


def upgrade_to_head(path: Path, key: db.DatabaseKey | None = None) -> Path | None:
    """Upgrade ``path`` to ``HEAD``; returns the backup taken first (None for a new file).

    The upgrade runs in one transaction (see db.py), so a failure leaves the file at
    its old revision, with the backup beside it as well. It holds the database to
    itself (``core.dblock``): two processes that both found the file behind upgrade
    it once, one after the other, and the second finds nothing left to do.
    """
    current = db.schema_revision(path, key)
    if current == HEAD:
        return None
    _refuse_unknown(path, current)  # before anything is written beside the file
    with dblock.hold(path, "exclusive", what="upgrading the database"):
        return _upgrade(path, key)


def _refuse_unknown(path: Path, current: str | None) -> None:
    """A revision this app's scripts do not know was written by a newer InternHost."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    if current is None:
        return
    try:
        ScriptDirectory.from_config(_alembic_config()).get_revision(current)
    except CommandError:
        raise db.DatabaseError(
            f"{path} was written by a newer InternHost (schema {current}); "
            "update InternHost to open it"
        ) from None


def _upgrade(path: Path, key: db.DatabaseKey | None) -> Path | None:
    from alembic import command

    current = db.schema_revision(path, key)  # again: another process may have done it
    if current == HEAD:
        return None
    cfg = _alembic_config()
    backup = None
    if current is not None:
        backup = backup_path_for(path, current)
        db.backup_to(path, backup, key)
    engine = db.make_engine(path, key, foreign_keys=False)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise db.DatabaseError(
                    f"the upgrade would leave {len(broken)} broken reference(s), first in "
                    f"table {broken[0][0]}; nothing was changed"
                )
    finally:
        engine.dispose()
    return backup
