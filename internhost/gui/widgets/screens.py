"""Which records screen each sidebar key opens."""

from __future__ import annotations

from internhost.gui.ops import Ops
from internhost.gui.views import directory
from internhost.gui.widgets.records import RecordKind, RecordsView

KINDS: dict[str, RecordKind] = {
    "staff": directory.STAFF,
    "schools": directory.SCHOOLS,
    "worksites": directory.WORKSITES,
    "equipment": directory.EQUIPMENT,
}


def records_view(key: str, ops: Ops) -> RecordsView:
    if key == "calendars":
        return directory.CalendarsView(ops)
    if key == "schools":
        return directory.SchoolsView(ops)
    if key == "placements":
        from internhost.gui.views.placements import PlacementsView

        return PlacementsView(ops)
    return RecordsView(KINDS[key], ops)
