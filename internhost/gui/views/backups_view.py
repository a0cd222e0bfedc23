"""The Backups screen (HR admins): the automatic and manual backups on record, a
manual backup now or to a file, and restoring one; and record retention.

Restoring asks first, names what happens (the current file is kept as a safety
copy), runs the core's checks, and then every screen reads the restored file.
Everything here runs on the database worker (``gui.ops``): listing the backups,
backing up and restoring (``Database`` methods), and reading the retention period;
the screen waits with a busy note, and a long run shows the busy dialog.

Retention: the period (years after an intern last worked, at least 3), a line
naming how many interns are past it, and "Review purge…", which reads the core's
proposal on the worker, shows it (``dialogs/purge.py``) and, once HR confirms,
purges on the worker. Nothing is ever purged without that confirmation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from internhost.gui.errors import report
from internhost.gui.formatting import short_date
from internhost.gui.models.columns import RIGHT, Column, Pill, RowsModel
from internhost.gui.ops import Done, Failed, Ops
from internhost.gui.theme import set_role
from internhost.gui.widgets.basics import PAGE_MARGIN, Card, button, label, shown
from internhost.gui.widgets.refreshing import Refreshing
from internhost.gui.widgets.tables import columns_table

#: Starts work on the worker, given what to call back when it is done or failed.
Start = Callable[[Done, Failed], None]

KIND_LABELS = {
    "daily": ("Daily", "muted"),
    "manual": ("Manual", "info"),
    "pre-migration": ("Before an update", "warning"),
    "pre-restore": ("Before a restore", "warning"),
}
INTRO = (
    "InternHost backs the database up once a day when it starts (keeping 7 daily and "
    "4 weekly copies) and before every update. Backups sit in a folder beside the "
    "database; copy one to another drive now and then."
)
RETENTION_INTRO = (
    "Records of an intern are kept this many years after the day they last worked: at "
    "least {minimum}, as the law asks for time records, certificates and agreements "
    "({basis}). InternHost never deletes them by itself; past the period it proposes a "
    "purge for you to review."
)


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, n // 1024)} KB"


def _kind(info: Any) -> tuple[Pill, ...]:
    text, tone = KIND_LABELS.get(info.kind, (info.kind, "muted"))
    return (Pill(text, tone),)


COLUMNS = (
    Column("Kind", lambda b: "", pills=_kind, sample="Before an update"),
    Column(
        "Taken",
        lambda b: f"{short_date(b.created.date())} {b.created:%H:%M}",
        sample="Sep 30, 2025 08:30",
        elide=False,
    ),
    Column("Size", lambda b: _size(b.size), align=RIGHT, sample="12.5 MB", elide=False),
    Column(
        "File",
        lambda b: b.path.name,
        sample="internhost.daily.20251015T083000-0400.db",
        long=True,
    ),
)


def _columns(problems: dict[Path, str]) -> tuple[Column[Any], ...]:
    """The table's columns, with a flag on each backup the database's key cannot
    restore (``problems``: filled on the worker, ``backups.key_problem``)."""
    from internhost.core.storage.backups import UNENCRYPTED

    def flag(b: Any) -> tuple[Pill, ...]:
        problem = problems.get(b.path)
        if problem is None:
            return ()
        return (Pill("Unencrypted" if problem == UNENCRYPTED else "Other key", "danger"),)

    return (
        *COLUMNS,
        Column(
            "Key",
            lambda b: "",
            pills=flag,
            tooltip=lambda b: problems.get(b.path),
            sample="Other key",
        ),
    )


class BackupsView(Refreshing, QWidget):
    restored = Signal()
    """The database file was replaced from a backup."""
    purged = Signal()
    """Interns' records were purged (every screen reads the database again, as after
    a restore: ``purged`` is connected to ``restored``)."""

    def __init__(self, ops: Ops, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.ops = ops
        #: Backups the database's key cannot restore, and why (checked on the worker).
        self.problems: dict[Path, str] = {}
        self._listed: list[Any] = []
        columns = _columns(self.problems)
        self.model: RowsModel[Any] = RowsModel(columns, self)
        self.table = columns_table(self.model, columns)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.status = label(role="muted", wrap=True)
        self.folder = label(role="muted", wrap=True)
        self.key_warning = label(wrap=True)
        self.key_warning.setObjectName("warningBar")
        self.key_warning.hide()
        self.backup_button = button("Back up now", "primary", self.back_up)
        self.backup_to_button = button("Back up to…", "secondary", self.back_up_to)
        self.restore_button = button("Restore selected…", "secondary", self.restore_selected)
        self.restore_file_button = button("Restore from file…", "secondary", self.restore_file)
        # The key opens every backup too: its sheet is issued here again at any time.
        self.sheet_button = button("Recovery sheet…", "secondary", self.recovery_sheet)
        self.sheet_button.setToolTip("Print or save the sheet with this database's key")
        shown(self.sheet_button, ops.database.key is not None)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for widget in (self.backup_button, self.backup_to_button, self.sheet_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        for widget in (self.restore_button, self.restore_file_button):
            actions.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
        layout.setSpacing(12)
        layout.addWidget(label("Backups", "title"))
        layout.addWidget(label(INTRO, "muted", wrap=True))
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(self.key_warning)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.folder)
        layout.addWidget(self._retention_card())
        self.purged.connect(self.restored)
        # The list of backups, and the interns past the period (counted from their
        # placements and hours), and the period itself (a setting of the company).
        self.follow(ops, {"backup", "company", "intern", "placement"})
        self.refresh()

    def _retention_card(self) -> Card:
        from internhost.core.services.retention import MAX_YEARS, MIN_YEARS, MIN_YEARS_BASIS

        card = Card()
        self.years = QSpinBox()
        self.years.setRange(MIN_YEARS, MAX_YEARS)
        self.years.setSuffix(" years")
        self.years.setAccessibleName("Retention period")
        #: The period as last read; the box shows it unless the user changed it.
        self.stored_years: int | None = None
        self.save_years_button = button("Save", "secondary", self.save_years)
        self.review_button = button("Review purge…", "secondary", self.review_purge)
        self.due = label(role="badge")
        self.due.hide()
        self.retention_status = label(role="muted", wrap=True)
        self.retention_status.hide()
        #: What "Review purge…" found or did, beside the button.
        self.purge_status = label(role="muted", wrap=True)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(label("Keep records for"))
        row.addWidget(self.years)
        row.addWidget(self.save_years_button)
        row.addStretch(1)
        purge_row = QHBoxLayout()
        purge_row.setSpacing(12)
        purge_row.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignTop)
        purge_row.addWidget(self.due, 0, Qt.AlignmentFlag.AlignVCenter)
        purge_row.addWidget(self.purge_status, 1)
        card.body.addWidget(label("Retention", "heading"))
        intro = RETENTION_INTRO.format(minimum=MIN_YEARS, basis=MIN_YEARS_BASIS)
        card.body.addWidget(label(intro, "muted", wrap=True))
        card.body.addLayout(row)
        card.body.addWidget(self.retention_status)
        card.body.addLayout(purge_row)
        return card

    def load(self) -> None:
        """The backups on record (files: listed on the worker too), then which of them
        this database's key cannot restore; and the retention period."""
        from internhost.core.storage.backups import backup_dir_for

        self.folder.setText(f"Folder: {backup_dir_for(self.ops.database.path)}")
        self.ops.call(self, self.ops.database.backups, done=self._show_backups)
        self.refresh_retention()

    def _show_backups(self, listed: list[Any]) -> None:
        self._listed = list(listed)
        self.model.set_rows(self._listed)
        self._update_buttons()
        self.ops.call(
            self,
            self.ops.database.backup_problems,
            [b.path for b in listed],
            done=self._show_problems,
            failed=lambda exc: None,  # a flag is a courtesy: the list stays as it is
        )

    def _show_problems(self, problems: dict[Path, str]) -> None:
        self.problems.clear()
        self.problems.update(problems)
        self.model.set_rows(self._listed)  # drawn again with the flags
        many = len(problems) != 1
        self.key_warning.setText(
            f"{len(problems)} {'backups' if many else 'backup'} cannot be restored with this "
            "database's key (marked in the Key column): taken before the database was "
            "encrypted, or left by an interrupted encryption or key change, which an HR "
            f"admin's next start finishes. Delete {'those' if many else 'it'} if still marked."
            if problems
            else ""
        )
        self.key_warning.setVisible(bool(problems))

    def _retention_note(self, text: str) -> None:
        self.retention_status.setText(text)
        self.retention_status.setVisible(bool(text))

    def refresh_retention(self) -> None:
        """The stored period, and how many interns are past it (a quick count)."""
        self.ops.read(
            self,
            _retention,
            self.ops.today(),
            done=self._show_retention,
            failed=self.ops.expected(self, lambda exc: self._retention_note(f"Failed: {exc}")),
            latest="retention",
        )

    def _show_retention(self, found: tuple[int, int]) -> None:
        """A period typed but not saved stays in the box (a backup, a restore or coming
        back to the screen reads again) unless the stored period itself changed."""
        stored, due = found
        if self.years.value() == self.stored_years or stored != self.stored_years:
            self.years.setValue(stored)
        self.stored_years = stored
        self.due.setText(
            f"{due:,} {'intern is' if due == 1 else 'interns are'} past the retention "
            "period — review"
        )
        self.due.setVisible(due > 0)
        set_role(self.review_button, "primary" if due else "secondary")

    def _update_buttons(self, *_args: object) -> None:
        self.restore_button.setEnabled(self._selected() is not None and not self._busy())

    def _busy(self) -> bool:
        return not self.backup_button.isEnabled()

    def _selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _run(
        self,
        busy_text: str,
        start: Start,
        done: Callable[[Any], str],
        status: QLabel | None = None,
    ) -> None:
        """Disable the actions, say ``busy_text``, and ``start`` the work on the worker;
        then what ``done`` says of its result (or why it failed) shows in ``status``
        (the screen's status line unless another is given)."""
        status = status if status is not None else self.status
        for widget in (
            self.backup_button,
            self.backup_to_button,
            self.restore_button,
            self.restore_file_button,
        ):
            widget.setEnabled(False)
        self.review_button.setEnabled(False)
        status.setText(busy_text)

        def finish(value: Any) -> None:
            for widget in (
                self.backup_button,
                self.backup_to_button,
                self.restore_file_button,
                self.review_button,
            ):
                widget.setEnabled(True)
            self._update_buttons()
            if isinstance(value, BaseException):
                status.setText(f"Failed: {_describe(value)}")
                self.refresh()  # a failed restore may have kept its safety copy
            else:
                status.setText(done(value))

        start(finish, finish)

    # -- actions -------------------------------------------------------------------

    def back_up(self, dest: Path | None = None) -> None:
        def backed_up(info: Any) -> str:
            self.ops.announce({"backup"})
            return f"Backed up to {info.path} ({_size(info.size)}), checked."

        self._run(
            "Backing up…",
            lambda done, failed: self.ops.call(
                self, self.ops.database.back_up, dest, label="Backing up…", done=done, failed=failed
            ),
            backed_up,
        )

    def back_up_to(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Back up to", "internhost-backup.db", "InternHost databases (*.db)"
        )
        if name:
            self.back_up(Path(name))

    def recovery_sheet(self) -> bool:
        """Print or save the recovery sheet of the database's key; True when issued."""
        from internhost.gui.dialogs.recovery_sheet import offer_recovery_sheet

        return offer_recovery_sheet(self, self.ops.database.path, self.ops.database.key)

    def restore_selected(self) -> None:
        chosen = self._selected()
        if chosen is not None:
            self.restore(chosen.path)

    def restore_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore from", "", "InternHost databases (*.db);;All files (*)"
        )
        if name:
            self.restore(Path(name))

    def restore(self, backup: Path, *, confirmed: bool = False) -> None:
        """Ask, then replace the database with ``backup`` on the worker."""
        if not confirmed:
            answer = QMessageBox.question(
                self,
                "Restore a backup",
                f"Replace the database with {backup.name}?\n\nEverything recorded since "
                "that backup is replaced. The current database is kept first as a "
                "'before a restore' backup, so this can be undone.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return

        def done(info: Any) -> str:
            self.restored.emit()
            self.ops.announce()  # everything: the whole file was replaced
            kept = (
                f" The database as it was is kept as {info.safety_copy.path}."
                if (info.safety_copy)
                else ""
            )
            return f"Restored {backup.name}.{kept}"

        self._run(
            "Restoring…",
            lambda done, failed: self.ops.call(
                self,
                self.ops.database.restore,
                backup,
                label="Restoring…",
                done=done,
                failed=failed,
            ),
            done,
        )

    # -- retention -----------------------------------------------------------------

    def save_years(self) -> None:
        from internhost.core.services.retention import set_retention_years

        self.ops.write(
            self,
            set_retention_years,
            self.years.value(),
            changes={"company"},  # a setting of the company: this screen reads again
            done=lambda years: self._retention_note(
                f"Saved: records are kept {years} years after an intern last worked."
            ),
            failed=self.ops.expected(
                self, lambda exc: self._retention_note(f"Not saved: {_describe(exc)}")
            ),
        )

    def review_purge(self) -> None:
        """Read the proposal on the worker, show it, and purge what HR confirms."""
        from internhost.core.services.retention import propose_purge

        reading = "Reading which interns are past the retention period…"
        self._run(
            reading,
            lambda done, failed: self.ops.read(
                self, propose_purge, self.ops.today(), label=reading, done=done, failed=failed
            ),
            self._show_proposal,
            self.purge_status,
        )

    def _show_proposal(self, proposal: Any) -> str:
        from internhost.gui.dialogs.purge import PurgeDialog

        if not proposal.candidates:
            kept = f" {proposal.held_note}" if proposal.held_for_incidents else ""
            return (
                f"Nobody is past the {proposal.years}-year retention period: nothing to "
                f"purge.{kept}"
            )
        chosen = PurgeDialog.ask(self, proposal)
        if chosen is None:
            return "Nothing was purged."
        self.purge(chosen, proposal.today)
        return self.purge_status.text()

    def purge(self, intern_ids: tuple[int, ...], today: Any) -> None:
        """Purge ``intern_ids`` (which HR confirmed) on the worker."""
        from internhost.core.services.retention import purge

        def done(result: Any) -> str:
            self.purged.emit()  # written, and announced (everything: whole records went)
            return (
                f"Purged {result.interns:,} {'intern' if result.interns == 1 else 'interns'} "
                f"and {result.records:,} records; the values of "
                f"{result.audit_events_blanked:,} audit entries were blanked. The purge is "
                "in the audit trail."
            )

        self._run(
            "Purging…",
            lambda done, failed: self.ops.write(
                self, purge, today, intern_ids, label="Purging…", done=done, failed=failed
            ),
            done,
            self.purge_status,
        )


def _describe(exc: BaseException) -> str:
    """A refusal from the core as it is (it names the problem); anything else reported."""
    from internhost.core.errors import DomainError

    return str(exc) if isinstance(exc, DomainError) else report(exc)


def _retention(s: Any, actor: Any, today: date) -> tuple[int, int]:
    """The stored period and how many interns are past it, in one read."""
    from internhost.core.services.retention import due_count, retention_years

    return retention_years(s, actor), due_count(s, actor, today)
