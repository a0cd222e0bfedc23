"""The app and an unfit ``INTERNHOST_PASSPHRASE_FILE``: the message names the variable
(exit 3, as for the app's other start-up problems), not a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from internhost.gui import app as gui_app


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_passphrase_file_others_may_read_stops_the_app_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp
) -> None:
    secret = tmp_path / "passphrase"
    secret.write_text("a long enough passphrase")
    secret.chmod(0o644)
    monkeypatch.setenv("INTERNHOST_PASSPHRASE_FILE", str(secret))
    messages: list[str] = []
    monkeypatch.setattr(gui_app, "_fatal", lambda message, parent=None: messages.append(message))
    try:
        assert gui_app.run(str(tmp_path / "new.db")) == gui_app.EXIT_ENVIRONMENT
    finally:  # run() names the shared test QApplication "InternHost"
        qapp.setOrganizationName("InternHost-tests")
        qapp.setApplicationName("InternHost-tests")
    assert messages == [
        f"INTERNHOST_PASSPHRASE_FILE: {secret} may be read by others (mode 0644); "
        "make it owner-only (chmod 600)"
    ]
    assert not (tmp_path / "new.db").exists()
