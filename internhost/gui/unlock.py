"""The database key in the app: a new database's key, the one-way encryption of an
unencrypted one, and the passphrase dialog when no keyring holds the key.

Before the window (``before_window``, cheap for the usual case): a file that is
missing or empty gets a new key (``INTERNHOST_PASSPHRASE`` or its ``_FILE`` if set,
else a random raw key kept in the keyring, else a passphrase the user chooses in a
dialog that says why); an unencrypted InternHost database is offered the one-way migration (a
verified copy first, ``core.encryption``); an encrypted one is left alone: its key
is read on the worker after the window shows (``gui.keychain``), so neither the
keyring nor SQLCipher's key check delays the first frame.

After the window: when the worker finds no key (or a wrong one), ``ask_again``
shows the passphrase dialog (a passphrase or the recovery sheet's key), keeps what
opened the file in the keyring where one works, and the window opens again. A new
key gets its recovery sheet offered once the first screen shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from internhost.core.storage import keys
from internhost.core.storage import secrets as keystore
from internhost.core.storage.db import DatabaseError, DatabaseKey
from internhost.gui import keychain

APP_NAME = "InternHost"


class Cancelled(Exception):
    """The user quit instead of choosing or typing a key."""


@dataclass(frozen=True)
class Prepared:
    """A key settled before the window: for a database just created or encrypted."""

    key: DatabaseKey
    #: Offer the recovery sheet once the first screen shows (a new key, not one a
    #: script set in ``INTERNHOST_PASSPHRASE``).
    sheet_due: bool
    #: The verified unencrypted copy an encryption kept: offered for wiping only once
    #: the key has a way back (the sheet issued, or a passphrase the script set).
    unencrypted_copy: Path | None = None
    #: A new database (created at the first start), rather than one just encrypted.
    new: bool = True


def _keyring_reason(problem: str) -> str:
    return (
        f"InternHost keeps each database encrypted. Normally this computer's keyring holds "
        f"the key, but {problem}. A passphrase therefore protects the database instead: "
        f"InternHost asks for it at every start. Choose one of at least "
        f"{keys.MIN_PASSPHRASE_LENGTH} characters that you will not forget, and print the "
        "recovery sheet that follows."
    )


def new_key(parent: QWidget | None, path: Path) -> keys.Unlocked:
    """The key for a new (or newly encrypted) database: the core's order, with the
    passphrase dialog as the prompt. ``Cancelled`` when the user quits."""
    from internhost.core.errors import ValidationError
    from internhost.gui.dialogs.passphrase import PassphraseDialog

    problem = keystore.keyring_problem()

    def choose() -> str | None:
        def check(text: str) -> str | None:
            try:
                keys.check_new_passphrase(text)
            except ValidationError as exc:
                return exc.errors[0].message
            return None

        return PassphraseDialog.ask(
            parent, path=path, new=True, reason=_keyring_reason(problem or ""), check=check
        )

    try:
        return keys.key_for_creating(prompt_new=choose)
    except keys.NoKey:
        raise Cancelled from None


def _run_on_worker(label: str, fn: Any, *args: Any) -> Any:
    """Run ``fn(*args)`` on the DB worker with the delayed progress dialog; wait."""
    from internhost.gui.tasks import TaskRunner

    runner = TaskRunner()
    loop = QEventLoop()
    outcome: list[Any] = []

    def done(value: object) -> None:
        outcome.append(value)
        loop.quit()

    runner.submit(fn, *args, label=label, on_done=done, on_error=done)
    loop.exec()
    runner.wait()
    runner.deleteLater()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _ask(parent: QWidget | None, icon: QMessageBox.Icon, text: str, yes: str, no: str) -> bool:
    """True when the user picks ``yes`` (the default button) over ``no``."""
    box = QMessageBox(icon, APP_NAME, text, parent=parent)
    accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(accept)
    box.exec()
    return box.clickedButton() is accept


def _offer_encryption(parent: QWidget | None, path: Path) -> bool:
    return _ask(
        parent,
        QMessageBox.Icon.Warning,
        f"{path} is not encrypted.\n\nInternHost keeps minors' records encrypted at rest. "
        "Encrypt this database now? A verified copy of it is made first, and the change "
        "cannot be undone (older versions of InternHost will not open it).",
        "Encrypt",
        "Quit",
    )


def _encrypt(parent: QWidget | None, path: Path, key: DatabaseKey) -> Path | None:
    from internhost.core.actor import SYSTEM
    from internhost.core.storage import encryption

    # The app's own maintenance runs as the system, as its backups do: nobody has
    # logged in yet, and the file is readable by anyone who can read it today.
    result = _run_on_worker(
        "Encrypting the database…",
        lambda: encryption.encrypt_database(path, key, actor=SYSTEM),
    )
    return result.unencrypted_copy


def _offer_to_discard(parent: QWidget | None, copy: Path, path: Path, key: DatabaseKey) -> None:
    """The encrypted database opens and its key has a way back: offer to wipe the copy
    that holds the records in the clear (kept only so nothing could be lost)."""
    from internhost.core.storage import encryption

    if not _ask(
        parent,
        QMessageBox.Icon.Question,
        "The database is encrypted and verified.\n\nThe unencrypted original was kept as "
        f"{copy} in case anything went wrong. It holds the records in the clear: "
        "delete it now?",
        "Delete the copy",
        "Keep it for now",
    ):
        return
    try:
        encryption.discard_unencrypted_copy(copy, path, key)
    except (OSError, DatabaseError) as exc:
        QMessageBox.warning(parent, APP_NAME, f"The copy could not be deleted: {exc}")


def before_window(path: Path, parent: QWidget | None = None) -> Prepared | None:
    """Settle the key of a database that is new or unencrypted (None: an encrypted
    one, whose key the worker reads). ``Cancelled`` when the user quits;
    ``DatabaseError`` for a file that is not an InternHost database."""
    from internhost.core.storage import db

    state = keys.file_state(path)
    if state == "encrypted":
        return None
    if state == "plain":
        db.schema_revision(path)  # another program's SQLite file: refused, untouched
        if not _offer_encryption(parent, path):
            raise keys.NotEncrypted(path)
    unlocked = new_key(parent, path)
    stored = False
    if unlocked.source == "keyring":
        keystore.store_database_key(path, unlocked.key)
        stored = True
    copy = None
    try:
        if state == "plain":
            copy = _encrypt(parent, path, unlocked.key)
    except BaseException:
        if stored:
            keystore.forget_database_key(path)
        raise
    keychain.provide(path, unlocked.key)
    return Prepared(unlocked.key, unlocked.source != "environment", copy, new=state != "plain")


def when_ready(window: Any, path: Path, prepared: Prepared) -> None:
    """Once the window's first screen shows (the database opened with the key): offer
    the recovery sheet if due, then the wipe of the unencrypted copy if one was kept,
    but only once the key has a way back besides this computer's keyring."""
    if not prepared.sheet_due and prepared.unencrypted_copy is None:
        return

    def ready() -> None:
        window.ready.disconnect(ready)
        QTimer.singleShot(0, lambda: _after_first_screen(window, path, prepared))

    window.ready.connect(ready)


def _after_first_screen(window: Any, path: Path, prepared: Prepared) -> None:
    from internhost.gui.dialogs.recovery_sheet import offer_recovery_sheet

    recoverable = not prepared.sheet_due or offer_recovery_sheet(window, path, prepared.key)
    copy = prepared.unencrypted_copy
    if copy is None:
        return
    if recoverable:
        _offer_to_discard(window, copy, path, prepared.key)
    else:
        QMessageBox.information(
            window,
            APP_NAME,
            f"The unencrypted original stays at {copy} while the key has no recovery "
            "sheet: print or save it (Backups screen, Recovery sheet…), then delete that file, "
            "which holds the records in the clear.",
        )


def _unlock_reason(exc: BaseException) -> str:
    problem = keystore.keyring_problem()
    if isinstance(exc, keys.WrongKey):
        return (
            "The key InternHost has for this database does not open it (it may have been "
            "rekeyed, or replaced by another file). Type its passphrase, or the recovery "
            "key from its recovery sheet."
        )
    if problem is not None:
        return (
            f"This database is encrypted with a passphrase, and {problem}, so "
            "InternHost cannot keep the key for you. Type the passphrase, or the recovery "
            "key from the database's recovery sheet."
        )
    return (
        "This computer's keyring holds no key for this database (it may have been moved "
        "or copied here). Type its passphrase, or the recovery key from its recovery "
        "sheet; InternHost then keeps it in the keyring."
    )


def ask_again(parent: QWidget | None, path: Path, exc: BaseException) -> bool:
    """When opening failed for want of a key: ask for one; True when one opens the
    file (it is then provided for the next try, and kept in a working keyring)."""
    from internhost.gui.dialogs.passphrase import PassphraseDialog

    if not isinstance(exc, keys.NoKey | keys.WrongKey):
        return False
    found: list[DatabaseKey] = []

    def check(text: str) -> str | None:
        for candidate in keys.candidates(text):
            if keys.opens(path, candidate):
                found.append(candidate)
                return None
        return "This passphrase or key does not open the database."

    if (
        PassphraseDialog.ask(parent, path=path, new=False, reason=_unlock_reason(exc), check=check)
        is None
    ):
        return False
    keys.remember(path, found[-1])
    keychain.provide(path, found[-1])
    return True
