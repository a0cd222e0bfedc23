"""Import a roster (or a time clock's) CSV: choose the file, match its columns,
preview every row, import (``kinds`` says which import; ``ImportRosterDialog`` runs
either).

One module per step (``file_step``, ``columns_step``, ``review_step``,
``result_step``) and the frame that moves between them (``dialog``); what the
dialog says is in ``wording``, what runs on the database worker in ``work``.
"""

from internhost.gui.dialogs.import_roster.dialog import ImportRosterDialog, Step
from internhost.gui.dialogs.import_roster.file_step import FOLDER_KEY
from internhost.gui.dialogs.import_roster.kinds import HOURS, ROSTER, ImportKind
from internhost.gui.dialogs.import_roster.wording import result_text, summary
from internhost.gui.dialogs.import_roster.work import Options

__all__ = [
    "FOLDER_KEY",
    "HOURS",
    "ROSTER",
    "ImportKind",
    "ImportRosterDialog",
    "Options",
    "Step",
    "result_text",
    "summary",
]
