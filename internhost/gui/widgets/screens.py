"""Which records screen each sidebar key opens."""

from __future__ import annotations

from internhost.gui.database import Database
from internhost.gui.views import directory
from internhost.gui.widgets.records import RecordKind, RecordsView

KINDS: dict[str, RecordKind] = {
    "staff": directory.STAFF,
    "schools": directory.SCHOOLS,
    "worksites": directory.WORKSITES,
    "equipment": directory.EQUIPMENT,
}


def records_view(key: str, database: Database) -> RecordsView:
    if key == "calendars":
        return directory.CalendarsView(database)
    if key == "placements":
        from internhost.gui.views.placements import PlacementsView

        return PlacementsView(database)
    return RecordsView(KINDS[key], database)
