"""UI state only (window geometry, splitter and header layout): nothing a user would
miss on another PC. Domain state lives in the database, secrets in the keyring.

Tests pass their own ``QSettings`` (an INI file under ``tmp_path``), so they never
touch the user's settings.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget


class UiSettings:
    """Save and restore widget state under stable keys."""

    def __init__(self, settings: QSettings | None = None) -> None:
        # QSettings() uses the application's organization and name (set in app.run).
        self.qsettings = settings if settings is not None else QSettings()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_geometry(self, key: str, widget: QWidget) -> None:
        self.qsettings.setValue(f"{key}/geometry", widget.saveGeometry())

    def restore_geometry(self, key: str, widget: QWidget) -> bool:
        data = self._bytes(f"{key}/geometry")
        return data is not None and widget.restoreGeometry(data)

    def save_state(self, key: str, widget: QSplitter | QHeaderView) -> None:
        self.qsettings.setValue(f"{key}/state", widget.saveState())

    def restore_state(self, key: str, widget: QSplitter | QHeaderView) -> bool:
        data = self._bytes(f"{key}/state")
        return data is not None and widget.restoreState(data)

    def sync(self) -> None:
        self.qsettings.sync()
