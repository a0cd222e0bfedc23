"""The database key in the app: the passphrase dialog, a new database's key, the
offer to encrypt an unencrypted one, unlocking when no keyring holds the key, and
the recovery sheet (printed to a PDF printer here, and saved)."""

from __future__ import annotations

import shutil
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox
from testkeys import OTHER_KEY, PASSPHRASE, TEST_KEY, remember, stored_key, unencrypted_copy

from internhost.core.actor import SYSTEM
from internhost.core.reports.recovery_sheet import key_lines, sheet_content
from internhost.core.storage import backups, keys
from internhost.core.storage.db import DatabaseKey
from internhost.gui import keychain, unlock
from internhost.gui.dialogs import recovery_sheet
from internhost.gui.dialogs.passphrase import PassphraseDialog


@pytest.fixture(autouse=True)
def fresh_keychain():
    keychain._given.clear()
    yield
    keychain._given.clear()


def _answer(monkeypatch: pytest.MonkeyPatch, *texts: str | None) -> list[dict]:
    """The passphrase dialog answers ``texts`` in turn (checked as the dialog would)."""
    calls: list[dict] = []
    feed = iter(texts)

    def ask(parent, *, path, new, reason, check):
        calls.append({"path": path, "new": new, "reason": reason})
        for text in feed:
            if text is None:
                return None
            problem = check(text)
            calls[-1].setdefault("problems", []).append(problem)
            if problem is None:
                return text
        return None

    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(lambda cls, *a, **k: ask(*a, **k)))
    return calls


# -- the dialog itself ----------------------------------------------------------------


def test_a_new_passphrase_is_typed_twice_and_checked(qtbot, tmp_path: Path, screenshot) -> None:
    seen: list[str] = []

    def check(text: str) -> str | None:
        seen.append(text)
        return "a database passphrase needs at least 10 characters" if len(text) < 10 else None

    dialog = PassphraseDialog(
        None, path=tmp_path / "x.db", new=True, reason=unlock._keyring_reason("no"), check=check
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.first.setText("short")
    dialog.second.setText("shorter")
    dialog.accept()
    assert dialog.error.text() == "The two passphrases differ: type it again."
    assert seen == []
    dialog.second.setText("short")
    dialog.accept()
    assert "at least 10" in dialog.error.text() and dialog.passphrase is None
    dialog.first.setText(PASSPHRASE)
    dialog.second.setText(PASSPHRASE)
    screenshot(dialog, "passphrase-new")
    dialog.accept()
    assert dialog.passphrase == PASSPHRASE and dialog.result() == dialog.DialogCode.Accepted
    assert dialog.first.text() == ""  # not left in the widget


def test_the_unlock_dialog_shows_why(qtbot, db_path: Path, screenshot) -> None:
    keyring.set_keyring(fail.Keyring())
    reason = unlock._unlock_reason(keys.NoKey("x"))
    assert "no keyring works" in reason and "recovery key" in reason
    dialog = PassphraseDialog(
        None, path=db_path, new=False, reason=reason, check=lambda t: "does not open"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.first.setText("guess")
    dialog.accept()
    assert dialog.error.isVisible() and dialog.passphrase is None
    screenshot(dialog, "passphrase-unlock")


# -- before the window ---------------------------------------------------------------


def test_a_new_database_gets_a_keyring_key_and_a_sheet(tmp_path: Path, monkeypatch) -> None:
    calls = _answer(monkeypatch)
    path = tmp_path / "new.db"
    prepared = unlock.before_window(path)
    assert prepared is not None and prepared.key.is_raw and prepared.sheet_due
    assert stored_key(path) == prepared.key
    assert keychain.key_for(path) == prepared.key
    assert calls == []  # no dialog where a keyring works


def test_without_a_keyring_the_user_chooses_a_passphrase(tmp_path: Path, monkeypatch) -> None:
    keyring.set_keyring(fail.Keyring())
    calls = _answer(monkeypatch, "short", PASSPHRASE)
    path = tmp_path / "new.db"
    prepared = unlock.before_window(path)
    assert prepared == unlock.Prepared(DatabaseKey(passphrase=PASSPHRASE), sheet_due=True)
    assert calls[0]["new"] and "no keyring works" in calls[0]["reason"]
    assert calls[0]["problems"][0] and calls[0]["problems"][1] is None
    _answer(monkeypatch, None)
    with pytest.raises(unlock.Cancelled):
        unlock.before_window(tmp_path / "other.db")


def test_a_set_passphrase_needs_no_dialog_and_no_sheet(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)
    prepared = unlock.before_window(tmp_path / "new.db")
    assert prepared == unlock.Prepared(DatabaseKey(passphrase=PASSPHRASE), sheet_due=False)


def test_an_encrypted_database_is_left_to_the_worker(db_path: Path) -> None:
    assert unlock.before_window(db_path) is None


def _unencrypted(demo_path: Path, tmp_path: Path) -> Path:
    return unencrypted_copy(demo_path, tmp_path / "old.db")


def test_an_unencrypted_database_is_offered_the_migration(
    qtbot, demo_path: Path, tmp_path: Path, monkeypatch
) -> None:
    plain = _unencrypted(demo_path, tmp_path)
    backups.make_backup(plain, actor=SYSTEM)
    monkeypatch.setattr(unlock, "_offer_encryption", lambda parent, path: False)
    with pytest.raises(keys.NotEncrypted):
        unlock.before_window(plain)
    assert keys.file_state(plain) == "plain" and stored_key(plain) is None

    monkeypatch.setattr(unlock, "_offer_encryption", lambda parent, path: True)
    prepared = unlock.before_window(plain)
    assert prepared is not None and keys.file_state(plain) == "encrypted"
    assert keys.opens(plain, prepared.key) and stored_key(plain) == prepared.key
    assert all(keys.opens(b.path, prepared.key) for b in backups.list_backups(plain))
    assert prepared.sheet_due and prepared.unencrypted_copy is not None
    assert prepared.unencrypted_copy.exists()  # kept until the key has a way back


def _encrypted_with_a_copy(demo_path: Path, tmp_path: Path, monkeypatch) -> unlock.Prepared:
    plain = _unencrypted(demo_path, tmp_path)
    monkeypatch.setattr(unlock, "_offer_encryption", lambda parent, path: True)
    prepared = unlock.before_window(plain)
    assert prepared is not None and prepared.unencrypted_copy is not None
    return prepared


def test_the_copy_is_offered_for_wiping_once_the_sheet_is_issued(
    qtbot, demo_path: Path, tmp_path: Path, monkeypatch
) -> None:
    prepared = _encrypted_with_a_copy(demo_path, tmp_path, monkeypatch)
    monkeypatch.setattr(recovery_sheet, "offer_recovery_sheet", lambda *a: True)
    told: list[str] = []
    clicker = _click_when_asked("Delete the copy", told)
    unlock._after_first_screen(None, tmp_path / "old.db", prepared)
    assert told and "unencrypted original was kept" in told[0]
    assert not list(tmp_path.glob("*unencrypted*")), "the copy in the clear was not deleted"
    assert not clicker.isActive()


def test_without_a_sheet_the_copy_stays_and_the_user_is_told(
    qtbot, demo_path: Path, tmp_path: Path, monkeypatch
) -> None:
    prepared = _encrypted_with_a_copy(demo_path, tmp_path, monkeypatch)
    monkeypatch.setattr(recovery_sheet, "offer_recovery_sheet", lambda *a: False)
    told: list[str] = []
    clicker = _click_when_asked("OK", told)
    unlock._after_first_screen(None, tmp_path / "old.db", prepared)
    assert told and "stays at" in told[0] and "recovery sheet" in told[0]
    assert prepared.unencrypted_copy is not None and prepared.unencrypted_copy.exists()
    assert not clicker.isActive()


def _click_when_asked(button: str, told: list[str]) -> QTimer:
    """Click ``button`` of the next message box (after the encryption's own event
    loop), recording its text."""
    timer = QTimer()

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            timer.stop()
            told.append(box.text())
            next(b for b in box.buttons() if b.text() == button).click()

    timer.timeout.connect(poll)
    timer.start(20)
    return timer


# -- after the window: no key, or a wrong one ---------------------------------------------


def test_the_window_asks_when_no_keyring_holds_the_key(
    qtbot, open_window, demo_path: Path, tmp_path: Path, monkeypatch
) -> None:
    moved = tmp_path / "moved.db"
    shutil.copyfile(demo_path, moved)
    calls = _answer(monkeypatch, "wrong guess", "\n".join(key_lines(TEST_KEY)))
    window = open_window(moved)
    assert window.database is not None and window.database.key == TEST_KEY
    assert calls[0]["path"] == moved and not calls[0]["new"]
    assert "holds no key for this database" in calls[0]["reason"]
    assert calls[0]["problems"] == ["This passphrase or key does not open the database.", None]
    assert stored_key(moved) == TEST_KEY  # kept in the keyring under the new path


def test_a_wrong_key_in_the_keyring_is_asked_about_too(
    qtbot, open_window, demo_path: Path, monkeypatch
) -> None:
    remember(demo_path, OTHER_KEY)
    calls = _answer(monkeypatch, TEST_KEY.raw_hex)
    window = open_window(demo_path)
    assert window.database is not None and "does not open it" in calls[0]["reason"]
    assert stored_key(demo_path) == TEST_KEY


def test_quitting_the_unlock_dialog_fails_with_the_reason(
    qtbot, demo_path: Path, tmp_path: Path, monkeypatch, ui_settings
) -> None:
    from internhost.gui.main_window import MainWindow

    moved = tmp_path / "moved.db"
    shutil.copyfile(demo_path, moved)
    _answer(monkeypatch, None)
    window = MainWindow(moved, actor=SYSTEM, settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.failed, timeout=20_000) as failed:
        window.open_database()
    assert "no keyring holds its key" in failed.args[0]
    assert window.database is None


# -- the recovery sheet ---------------------------------------------------------------


def test_the_sheet_prints_with_the_key(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    recovery_sheet.print_sheet(printer, sheet_content(tmp_path / "a<b>.db", TEST_KEY))
    reader = PdfReader(out)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) == 1
    for line in key_lines(TEST_KEY):
        assert line in text
    assert "a<b>.db" in text and "What to do with this sheet" in text


def test_the_sheet_dialog_saves_after_a_warning_and_asks_before_closing(
    qtbot, tmp_path: Path, monkeypatch, screenshot
) -> None:
    from PySide6.QtWidgets import QMessageBox

    dialog = recovery_sheet.RecoverySheetDialog(None, tmp_path / "x.db", TEST_KEY)
    qtbot.addWidget(dialog)
    dialog.show()
    screenshot(dialog, "recovery-sheet-dialog")
    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        lambda *a, **k: warned.append(a[2]) or QMessageBox.StandardButton.Save,
    )
    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr(
        recovery_sheet.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "")
    )
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.No
    )
    dialog.reject()  # nothing issued yet: asks, and stays
    assert asked and dialog.isVisible()
    dialog.save()
    assert "delete the file" in warned[0] and target.exists() and dialog.issued
    assert "Print it now" in dialog.status.text()
    dialog.reject()
    assert len(asked) == 1 and not dialog.isVisible()


def test_a_new_key_offers_the_sheet_once_the_window_is_ready(
    qtbot, open_window, db_path: Path, monkeypatch
) -> None:
    offered: list[tuple] = []
    monkeypatch.setattr(recovery_sheet, "offer_recovery_sheet", lambda *a: offered.append(a))
    from internhost.gui.main_window import MainWindow

    window = MainWindow(db_path, actor=SYSTEM)
    qtbot.addWidget(window)
    unlock.when_ready(window, db_path, unlock.Prepared(TEST_KEY, sheet_due=True))
    window.show()
    with qtbot.waitSignal(window.ready, timeout=20_000):
        window.open_database()
    qtbot.waitUntil(lambda: bool(offered))
    assert offered[0][1:] == (db_path, TEST_KEY)
