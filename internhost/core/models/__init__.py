"""All ORM models; importing this package registers every table on ``Base.metadata``."""

from internhost.core.models.audit import AuditEvent
from internhost.core.models.base import Base
from internhost.core.models.checklists import (
    ChecklistItem,
    PlanItem,
    PlanTemplate,
    PlanTemplateItem,
)
from internhost.core.models.documents import Document
from internhost.core.models.employer import Area, Employer, Equipment, EquipmentTask, Worksite
from internhost.core.models.findings import Finding, FindingOverride
from internhost.core.models.interns import (
    Intern,
    InternContact,
    MedicalNote,
    Note,
    NoticeHours,
    Placement,
    PlacementAssignment,
    RecordRelease,
    StudentLearnerAgreement,
)
from internhost.core.models.mentorship import (
    ActionItem,
    CheckIn,
    CheckInCadence,
    Concern,
    Incident,
)
from internhost.core.models.people import LoginToken, Staff, UserAccount
from internhost.core.models.progress import (
    Competency,
    CompetencyFramework,
    CompetencyRating,
    Evaluation,
    Goal,
    PlacementOutcome,
    SiteVisit,
)
from internhost.core.models.records import AppState, ImportMapping, PacketExport
from internhost.core.models.school_forms import SchoolForm, SchoolFormField
from internhost.core.models.schools import CalendarDay, District, School, SchoolCalendar
from internhost.core.models.worktime import (
    Absence,
    PayPeriod,
    PlantClosure,
    Shift,
    TimeEntry,
    WorkBreak,
    WorkTask,
)

__all__ = [
    "Absence",
    "ActionItem",
    "AppState",
    "Area",
    "AuditEvent",
    "Base",
    "CalendarDay",
    "CheckIn",
    "CheckInCadence",
    "ChecklistItem",
    "Competency",
    "CompetencyFramework",
    "CompetencyRating",
    "Concern",
    "District",
    "Document",
    "Employer",
    "Equipment",
    "EquipmentTask",
    "Evaluation",
    "Finding",
    "FindingOverride",
    "Goal",
    "ImportMapping",
    "Incident",
    "Intern",
    "InternContact",
    "LoginToken",
    "MedicalNote",
    "Note",
    "NoticeHours",
    "PacketExport",
    "PayPeriod",
    "Placement",
    "PlacementAssignment",
    "PlacementOutcome",
    "PlanItem",
    "PlanTemplate",
    "PlanTemplateItem",
    "PlantClosure",
    "RecordRelease",
    "School",
    "SchoolCalendar",
    "SchoolForm",
    "SchoolFormField",
    "Shift",
    "SiteVisit",
    "Staff",
    "StudentLearnerAgreement",
    "TimeEntry",
    "UserAccount",
    "WorkBreak",
    "WorkTask",
    "Worksite",
]
