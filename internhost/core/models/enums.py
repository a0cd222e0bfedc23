"""Closed vocabularies stored as text and enforced by CHECK constraints.

Kept as plain tuples (not Enum columns) so migrations stay readable and the
same values serve forms, CSV and JSON unchanged.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint

PROGRAMS = ("employment", "school_wbl", "student_learner", "apprentice", "wecep", "work_study")
PROGRAM_LABELS = {
    "employment": "Employment",
    "school_wbl": "School work-based learning",
    "student_learner": "Student-learner (co-op)",
    "apprentice": "Registered apprentice",
    "wecep": "WECEP",
    "work_study": "Work-study",
}
EMPLOYEE_STATUSES = ("employee", "not_employee")
#: A placement's life: a draft (what its findings block it from, or not yet confirmed),
#: then active, and at its end completed or terminated; archived takes it off the lists.
PLACEMENT_STATUSES = ("draft", "active", "completed", "terminated", "archived")
#: The statuses of a placement still under way or planned: a badge is unique among them.
OPEN_PLACEMENT_STATUSES = ("draft", "active")
AREA_KINDS = ("production", "office")
STAFF_ROLES = ("mentor", "supervisor", "hr")
USER_ROLES = ("hr_admin", "mentor", "viewer")
CONTACT_KINDS = ("guardian", "emergency")
NOTE_VISIBILITIES = ("shared", "internal")
CALENDAR_DAY_KINDS = ("no_school", "early_dismissal", "late_start")
CHECKLIST_STATUSES = ("open", "done", "waived", "not_applicable")
PLAN_PHASES = ("before_day_one", "day_one", "first_weeks")
OWNER_ROLES = ("hr", "mentor", "supervisor", "school", "guardian", "intern")
SEVERITIES = ("violation", "warning", "advisory")
VERIFICATIONS = ("V", "S", "M")
FINDING_CATEGORIES = (
    "min_age",
    "school_hours",
    "daily_hours",
    "weekly_hours",
    "rolling_24h",
    "combined_school_work",
    "time_of_day",
    "meal_break",
    "rest_day",
    "supervision",
    "occupation",
    "hazardous_order",
    "certificate",
    "posting",
    "notice_hours",
    "wage",
    "coverage",
)
OVERRIDE_KINDS = ("override", "acknowledge")
GOAL_STATUSES = ("open", "met", "dropped")
INCIDENT_KINDS = ("incident", "injury", "illness", "near_miss")
INCIDENT_STATUSES = ("open", "closed")
CHECK_IN_MODES = ("in_person", "remote")
#: What a concern raised at a check-in is about; it reaches HR until HR records what was done.
CONCERN_CATEGORIES = ("safety", "wellbeing", "attendance", "conduct", "other")
CONCERN_LABELS = {
    "safety": "Safety",
    "wellbeing": "Wellbeing or possible abuse",
    "attendance": "Attendance",
    "conduct": "Conduct",
    "other": "Other",
}
EVALUATION_KINDS = ("progress", "midpoint", "final")
#: How a placement ended: run its course, or ended early (with its reason).
OUTCOME_KINDS = ("completed", "terminated")
TIME_SOURCES = ("manual", "import", "clock")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def one_of(column: str, values: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    """CHECK that ``column`` holds one of ``values`` (NULL passes; use nullable=False)."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name or f"{column}_valid")
