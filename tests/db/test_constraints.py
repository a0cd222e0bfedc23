"""Every CHECK, UNIQUE and FOREIGN KEY constraint on the metadata rejects a bad row.

The cases run on a copy of the demo database, through Core statements on an
engine connection, each inside a transaction that is rolled back. Every table has
a known-good row (``VALID``); a case changes one thing about it, so the error
must come from the constraint the case is named after (its message is checked
too). A meta-test keeps the case table complete: a new constraint without a case
fails the run.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    CheckConstraint,
    Connection,
    Engine,
    ForeignKeyConstraint,
    Table,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from testkeys import TEST_KEY

from internhost.core.models import Base
from internhost.core.storage import db

MISSING = 987_654  # an id no table holds
NOW = datetime(2025, 10, 1, 12, 0, tzinfo=UTC)
TABLES = Base.metadata.tables
Ids = dict[str, int]


def T(name: str) -> Table:
    return TABLES[name]


# -- a known-good row for every table (parent ids come from the demo) -----------------

VALID: dict[str, Callable[[Ids], dict[str, Any]]] = {
    "audit_events": lambda ids: {
        "occurred_at": NOW,
        "actor_kind": "system",
        "actor_name": "test",
        "operation": "",
        "action": "create",
        "aggregate_type": "interns",
        "payload": '{"interns:1":{}}',
    },
    "competency_frameworks": lambda ids: {"key": "test-fw", "name": "Test framework"},
    # One employer per database: the demo's is the only valid one (see the tests).
    "employer": lambda ids: {"legal_name": "Another Employer, Inc."},
    "districts": lambda ids: {"name": "Test District 1", "state": "IL"},
    "import_mappings": lambda ids: {
        "kind": "roster",
        "header": "given name",
        "column": "legal_first_name",
    },
    "plan_templates": lambda ids: {"name": "Test template"},
    "competencies": lambda ids: {
        "framework_id": ids["competency_frameworks"],
        "key": "test",
        "name": "Test",
    },
    "plan_template_items": lambda ids: {
        "template_id": ids["plan_templates"],
        "phase": "day_one",
        "title": "Tour",
    },
    "school_calendars": lambda ids: {
        "district_id": ids["districts"],
        "school_year": "2030-31",
        "first_day": date(2030, 8, 20),
        "last_day": date(2031, 6, 4),
        "day_start": time(8),
        "day_end": time(15),
    },
    "schools": lambda ids: {"name": "Test High School", "district_id": ids["districts"]},
    "worksites": lambda ids: {
        "employer_id": ids["employer"],
        "name": "Test Site",
        "state": "IL",
        "time_zone": "America/Chicago",
    },
    "areas": lambda ids: {"worksite_id": ids["worksites"], "name": "Test Area", "kind": "office"},
    "calendar_days": lambda ids: {
        "calendar_id": ids["school_calendars"],
        "day": date(2025, 7, 4),
        "kind": "no_school",
    },
    "interns": lambda ids: {
        "legal_first_name": "Test",
        "legal_last_name": "Intern",
        "search_name": "test intern",
        "sort_name": "intern test",
        "birth_date": date(2009, 1, 1),
        "school_id": ids["schools"],
        "student_id": "T-0001",
    },
    "staff": lambda ids: {
        "first_name": "Test",
        "last_name": "Staff",
        "role": "mentor",
        "email": "test.staff@example.com",
    },
    "equipment": lambda ids: {"worksite_id": ids["worksites"], "name": "Test machine"},
    "intern_contacts": lambda ids: {"intern_id": ids["interns"], "kind": "guardian", "name": "Pat"},
    "user_accounts": lambda ids: {"username": "tester", "role": "viewer"},
    "equipment_tasks": lambda ids: {"equipment_id": ids["equipment"], "task_key": "test_task"},
    "finding_overrides": lambda ids: {
        "intern_id": ids["interns"],
        "identity": "rule|shift:1|w",
        "rule_id": "rule",
        "kind": "acknowledge",
        "reason": "seen",
    },
    "login_tokens": lambda ids: {
        "user_id": ids["user_accounts"],
        "token_hash": b"\x01" * 32,
        "created_at": NOW,
        "expires_at": NOW,
    },
    "medical_notes": lambda ids: {"intern_id": ids["interns"], "body": "none"},
    "placements": lambda ids: {
        "intern_id": ids["interns"],
        "school_id": ids["schools"],
        "start_date": date(2030, 1, 7),
        "end_date": date(2030, 5, 29),
    },
    "check_ins": lambda ids: {"placement_id": ids["placements"], "held_on": date(2025, 10, 1)},
    "documents": lambda ids: {"doc_type": "work_permit"},
    "evaluations": lambda ids: {
        "placement_id": ids["placements"],
        "period_label": "Test",
        "evaluated_on": date(2025, 10, 1),
    },
    "goals": lambda ids: {"placement_id": ids["placements"], "title": "A goal"},
    "incidents": lambda ids: {
        "placement_id": ids["placements"],
        "kind": "incident",
        "occurred_at_local": datetime(2025, 10, 1, 16),
        "description": "test",
    },
    "notes": lambda ids: {"intern_id": ids["interns"], "body": "a note"},
    "concerns": lambda ids: {"check_in_id": ids["check_ins"], "category": "safety"},
    "check_in_actions": lambda ids: {"check_in_id": ids["check_ins"], "text": "Read the SOP"},
    "check_in_cadences": lambda ids: {"placement_id": ids["placements"], "every_days": 7},
    "site_visits": lambda ids: {
        "placement_id": ids["placements"],
        "visited_on": date(2025, 10, 1),
        "visitor": "A. Coordinator",
    },
    "placement_outcomes": lambda ids: {
        "placement_id": ids["placements"],
        "kind": "completed",
        "ended_on": date(2030, 5, 29),
    },
    "notice_hours": lambda ids: {
        "placement_id": ids["placements"],
        "weekday": "mon",
        "start_time": time(15),
        "end_time": time(17),
    },
    "student_learner_agreements": lambda ids: {"placement_id": ids["placements"]},
    "packet_exports": lambda ids: {"kind": "school_packet", "sha256": "a" * 64},
    "school_forms": lambda ids: {
        "school_id": ids["schools"],
        "name": "Test form",
        "size_bytes": 9,
        "sha256": "a" * 64,
        "content": b"%PDF-test",
        "flatten": False,
    },
    "school_form_fields": lambda ids: {
        "form_id": ids["school_forms"],
        "field_name": "student_name",
        "value_key": "intern.legal_name",
    },
    "shifts": lambda ids: {
        "placement_id": ids["placements"],
        "work_date": date(2025, 10, 1),
        "start_local": datetime(2025, 10, 1, 16),
        "end_local": datetime(2025, 10, 1, 18),
    },
    "checklist_items": lambda ids: {
        "placement_id": ids["placements"],
        "requirement_key": "C99",
        "title": "Test requirement",
    },
    "competency_ratings": lambda ids: {
        "evaluation_id": ids["evaluations"],
        "competency_id": ids["competencies"],
        "level": 1,
    },
    "plan_items": lambda ids: {
        "placement_id": ids["placements"],
        "phase": "day_one",
        "title": "Tour",
    },
    "record_releases": lambda ids: {
        "intern_id": ids["interns"],
        "record_type": "transcript",
        "released_on": date(2025, 9, 1),
    },
    "time_entries": lambda ids: {
        "placement_id": ids["placements"],
        "work_date": date(2025, 10, 1),
        "start_local": datetime(2025, 10, 1, 16),
        "end_local": datetime(2025, 10, 1, 18),
    },
    "findings": lambda ids: {
        "intern_id": ids["interns"],
        "identity": "rule|shift:1|2025-10-01/2025-10-01",
        "rule_id": "rule",
        "category": "daily_hours",
        "severity": "warning",
        "jurisdiction": "US",
        "citation": "29 CFR 570.35",
        "verification": "V",
        "template": "rule",
        "params": {"age": 15, "worked": "4 h"},
        "input_hash": "0" * 64,
    },
    "work_breaks": lambda ids: {
        "shift_id": ids["shifts"],
        "start_local": datetime(2025, 10, 1, 16),
        "end_local": datetime(2025, 10, 1, 16, 30),
    },
    "work_tasks": lambda ids: {"shift_id": ids["shifts"], "task_key": "office_clerical"},
    "placement_assignments": lambda ids: {
        "placement_id": ids["placements"],
        "task_key": "office_clerical",
    },
    "pay_periods": lambda ids: {
        "start_date": date(2030, 1, 6),
        "end_date": date(2030, 1, 12),
        "closed_at": NOW,
    },
    "absences": lambda ids: {"shift_id": ids["shifts"], "created_at": NOW, "updated_at": NOW},
    "plant_closures": lambda ids: {"worksite_id": ids["worksites"], "day": date(2030, 12, 25)},
    "app_state": lambda ids: {"key": "test", "value": "x"},
}

#: Parents the demo lacks, added (committed) to the copy the cases run on.
EXTRA_PARENTS: dict[str, dict[str, Any]] = {
    "user_accounts": {"username": "parent"},
    "documents": {"doc_type": "parent"},
    "plan_templates": {"name": "Parent template"},
    "plan_template_items": {"title": "Parent item"},
    # A competency the demo's evaluations have no rating for.
    "competencies": {"key": "parent"},
    # The sample registers no school form.
    "school_forms": {"name": "Parent form"},
}


# -- how a case breaks a row --------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """Insert the table's valid row with ``values`` changed."""

    table: str
    values: dict[str, Any] = field(default_factory=dict)

    def run(self, conn: Connection, ids: Ids) -> None:
        conn.execute(insert(T(self.table)).values({**VALID[self.table](ids), **self.values}))


@dataclass(frozen=True)
class Twice:
    """Insert the table's valid row twice: the second one is the duplicate."""

    table: str

    def run(self, conn: Connection, ids: Ids) -> None:
        row = VALID[self.table](ids)
        conn.execute(insert(T(self.table)).values(row))
        conn.execute(insert(T(self.table)).values(row))


@dataclass(frozen=True)
class Change:
    """Update one existing row (the lowest id) of ``table``."""

    table: str
    values: dict[str, Any]

    def run(self, conn: Connection, ids: Ids) -> None:
        table = T(self.table)
        first = conn.scalar(select(func.min(table.c.id)))
        assert first is not None, f"the demo has no {self.table} to change"
        conn.execute(update(table).where(table.c.id == first).values(self.values))


@dataclass(frozen=True)
class Repoint:
    """Insert the table's valid row, then update it with ``values``."""

    table: str
    values: dict[str, Any]

    def run(self, conn: Connection, ids: Ids) -> None:
        table = T(self.table)
        new_id = conn.execute(
            insert(table).values(VALID[self.table](ids)).returning(table.c.id)
        ).scalar_one()
        conn.execute(update(table).where(table.c.id == new_id).values(self.values))


def bad(table: str, **values: Any) -> list[Bad]:
    return [Bad(table, values)]


CHECKS: dict[str, list] = {
    "ck_audit_events_action_valid": bad("audit_events", action="erase"),
    "ck_audit_events_actor_kind_valid": bad("audit_events", actor_kind="robot"),
    "ck_audit_events_payload_set": bad("audit_events", payload="x"),
    "ck_competency_frameworks_verification_valid": bad("competency_frameworks", verification="X"),
    "ck_districts_state_code": bad("districts", state="ILL"),
    "ck_employer_workweek_start_valid": [Change("employer", {"workweek_start": "fun"})],
    "ck_employer_single_employer": [Bad("employer", {"id": 2})],
    "ck_plan_template_items_phase_valid": bad("plan_template_items", phase="later"),
    "ck_plan_template_items_owner_role_valid": bad("plan_template_items", owner_role="janitor"),
    "ck_school_calendars_end_after_start": bad("school_calendars", day_end=time(8)),
    "ck_school_calendars_last_after_first": bad("school_calendars", last_day=date(2030, 8, 19)),
    "ck_worksites_time_zone_set": bad("worksites", time_zone=""),
    "ck_worksites_state_code": bad("worksites", state="Illinois"),
    "ck_areas_kind_valid": bad("areas", kind="garage"),
    "ck_calendar_days_hours_match_kind": [
        Bad("calendar_days", {"kind": "no_school", "start_time": time(8), "end_time": time(12)}),
        Bad("calendar_days", {"kind": "early_dismissal", "start_time": None, "end_time": None}),
        Bad("calendar_days", {"kind": "late_start", "start_time": time(10), "end_time": time(9)}),
    ],
    "ck_calendar_days_kind_valid": bad(
        "calendar_days", kind="snow_day", start_time=time(8), end_time=time(12)
    ),
    "ck_interns_grade_range": [Bad("interns", {"grade": 13}), Bad("interns", {"grade": 0})],
    "ck_interns_first_name_set": bad("interns", legal_first_name=""),
    "ck_interns_last_name_set": bad("interns", legal_last_name=""),
    "ck_staff_role_valid": bad("staff", role="ceo"),
    "ck_intern_contacts_name_set": bad("intern_contacts", name=""),
    "ck_intern_contacts_kind_valid": bad("intern_contacts", kind="cousin"),
    "ck_user_accounts_role_valid": bad("user_accounts", role="root"),
    "ck_equipment_tasks_task_key_set": bad("equipment_tasks", task_key=""),
    "ck_finding_overrides_kind_valid": bad("finding_overrides", kind="ignore"),
    "ck_placements_employee_status_valid": [
        Change("placements", {"employee_status": "contractor", "employee_status_decided_by": 1})
    ],
    "ck_placements_rate_nonnegative": bad("placements", hourly_rate_cents=-1),
    "ck_placements_program_valid": bad("placements", program="internship"),
    "ck_placements_end_after_start": bad("placements", end_date=date(2030, 1, 6)),
    "ck_placements_not_employee_is_recorded": bad("placements", employee_status="not_employee"),
    "ck_placements_cadence_positive": bad("placements", check_in_every_days=0),
    "ck_placements_hours_nonnegative": bad("placements", required_hours=-1),
    "ck_placements_status_valid": bad("placements", status="paused"),
    "ck_placements_badge_not_empty": bad("placements", badge=""),
    "ck_placement_assignments_one_thing": [
        Bad("placement_assignments", {"task_key": None}),
        Bad("placement_assignments", {"equipment_id": 1}),
    ],
    "ck_pay_periods_end_after_start": bad("pay_periods", end_date=date(2030, 1, 5)),
    "ck_time_entries_auto_break_positive": bad("time_entries", auto_break_minutes=0),
    "ck_check_ins_minutes_positive": bad("check_ins", minutes=0),
    "ck_check_ins_mode_valid": bad("check_ins", mode="phone"),
    "ck_concerns_category_valid": bad("concerns", category="gossip"),
    "ck_check_in_actions_text_not_empty": bad("check_in_actions", text=""),
    "ck_check_in_cadences_every_days_positive": bad("check_in_cadences", every_days=0),
    "ck_check_in_cadences_every_days_or_weekdays": [
        Bad("check_in_cadences", {"weekdays": "mon"}),
        Bad("check_in_cadences", {"every_days": None}),
    ],
    "ck_site_visits_visitor_not_empty": bad("site_visits", visitor=""),
    "ck_placement_outcomes_kind_valid": bad("placement_outcomes", kind="paused"),
    "ck_incidents_status_valid": bad("incidents", status="pending"),
    "ck_evaluations_kind_valid": bad("evaluations", kind="annual"),
    "ck_check_ins_mood_range": [Bad("check_ins", {"mood": 0}), Bad("check_ins", {"mood": 6})],
    "ck_documents_expires_after_issued": bad(
        "documents", issued_on=date(2025, 1, 2), expires_on=date(2025, 1, 1)
    ),
    "ck_documents_content_hashed": bad("documents", sha256="abc"),
    "ck_documents_size_nonnegative": bad("documents", size_bytes=-1),
    "ck_goals_status_valid": bad("goals", status="done"),
    "ck_incidents_kind_valid": bad("incidents", kind="accident"),
    "ck_notes_visibility_valid": bad("notes", visibility="public"),
    "ck_notice_hours_end_after_start": bad("notice_hours", end_time=time(15)),
    "ck_notice_hours_weekday_valid": bad("notice_hours", weekday="monday"),
    "ck_packet_exports_sha256_hex": bad("packet_exports", sha256="x" * 63),
    "ck_packet_exports_pages_positive": bad("packet_exports", page_count=0),
    "ck_school_forms_size_positive": bad("school_forms", size_bytes=0),
    "ck_school_forms_sha256_hex": bad("school_forms", sha256="x" * 63),
    "ck_school_forms_name_not_empty": bad("school_forms", name=""),
    "ck_school_form_fields_field_name_not_empty": bad("school_form_fields", field_name=""),
    "ck_shifts_end_after_start": bad("shifts", end_local=datetime(2025, 10, 1, 16)),
    "ck_checklist_items_owner_role_valid": bad("checklist_items", owner_role="janitor"),
    "ck_checklist_items_status_valid": bad("checklist_items", status="maybe"),
    "ck_checklist_items_verification_valid": bad("checklist_items", verification="Q"),
    "ck_competency_ratings_level_positive": bad("competency_ratings", level=0),
    "ck_plan_items_owner_role_valid": bad("plan_items", owner_role="janitor"),
    "ck_plan_items_phase_valid": bad("plan_items", phase="later"),
    "ck_plan_items_status_valid": bad("plan_items", status="maybe"),
    "ck_time_entries_end_after_start": bad("time_entries", end_local=datetime(2025, 10, 1, 15)),
    "ck_time_entries_lock_after_approval": bad("time_entries", locked_at=NOW),
    "ck_time_entries_source_valid": bad("time_entries", source="fax"),
    "ck_findings_verification_valid": bad("findings", verification="Q"),
    "ck_findings_category_valid": bad("findings", category="vibes"),
    "ck_findings_severity_valid": bad("findings", severity="fatal"),
    "ck_findings_worded": bad("findings", template=None),  # and no message
    "ck_work_breaks_end_after_start": bad("work_breaks", end_local=datetime(2025, 10, 1, 15)),
    "ck_work_breaks_one_parent": [
        Bad("work_breaks", {"shift_id": None}),
        Bad("work_breaks", {"time_entry_id": 1}),
    ],
    "ck_work_tasks_one_parent": [
        Bad("work_tasks", {"shift_id": None}),
        Bad("work_tasks", {"time_entry_id": 1}),
    ],
    "ck_work_tasks_minutes_positive": bad("work_tasks", minutes=0),
}

UNIQUES: dict[str, list] = {
    name: [Twice(table)]
    for name, table in {
        "uq_competency_frameworks_key_version": "competency_frameworks",
        "uq_concerns_check_in_id": "concerns",
        "uq_check_in_cadences_placement_id": "check_in_cadences",
        "uq_placement_outcomes_placement_id": "placement_outcomes",
        "uq_districts_name": "districts",
        "uq_import_mappings_kind_header": "import_mappings",
        "uq_plan_templates_name": "plan_templates",
        "uq_competencies_framework_id_key": "competencies",
        "uq_school_calendars_district_id_school_year": "school_calendars",
        "uq_schools_name": "schools",
        "uq_worksites_name": "worksites",
        "uq_areas_worksite_id_name": "areas",
        "uq_calendar_days_calendar_id_day": "calendar_days",
        "uq_interns_school_id_student_id": "interns",
        "uq_staff_email": "staff",
        "uq_equipment_worksite_id_name": "equipment",
        "uq_user_accounts_username": "user_accounts",
        "uq_equipment_tasks_equipment_id_task_key": "equipment_tasks",
        "uq_login_tokens_token_hash": "login_tokens",
        "uq_checklist_items_placement_id_requirement_key": "checklist_items",
        "uq_competency_ratings_evaluation_id_competency_id": "competency_ratings",
        "uq_findings_identity": "findings",
        "uq_pay_periods_start_date": "pay_periods",
        "uq_absences_shift_id": "absences",
        "uq_student_learner_agreements_placement_id": "student_learner_agreements",
        "uq_plant_closures_worksite_id_day": "plant_closures",
        "uq_school_forms_school_id_name": "school_forms",
        "uq_school_form_fields_form_id_field_name": "school_form_fields",
    }.items()
}

#: Columns a row may fill only alone: a case filling one empties the others.
ONE_OF: dict[tuple[str, str], dict[str, None]] = {
    ("work_breaks", "time_entry_id"): {"shift_id": None},
    ("work_tasks", "time_entry_id"): {"shift_id": None},
    ("placement_assignments", "area_id"): {"task_key": None},
    ("placement_assignments", "equipment_id"): {"task_key": None},
}

#: Every foreign key, as (table, column); the case points the column at a missing id.
FOREIGN_KEYS: list[tuple[str, str]] = [
    ("competencies", "framework_id"),
    ("plan_template_items", "template_id"),
    ("school_calendars", "district_id"),
    ("schools", "district_id"),
    ("worksites", "employer_id"),
    ("areas", "worksite_id"),
    ("calendar_days", "calendar_id"),
    ("interns", "residence_district_id"),
    ("interns", "school_id"),
    ("staff", "worksite_id"),
    ("equipment", "area_id"),
    ("equipment", "worksite_id"),
    ("intern_contacts", "intern_id"),
    ("user_accounts", "staff_id"),
    ("equipment_tasks", "equipment_id"),
    ("finding_overrides", "decided_by"),
    ("finding_overrides", "intern_id"),
    ("login_tokens", "user_id"),
    ("medical_notes", "author_user_id"),
    ("medical_notes", "intern_id"),
    ("placements", "mentor_id"),
    ("placements", "worksite_id"),
    ("placements", "employee_status_decided_by"),
    ("placements", "intern_id"),
    ("placements", "school_id"),
    ("check_ins", "mentor_id"),
    ("check_ins", "placement_id"),
    ("check_ins", "author_user_id"),
    ("documents", "uploaded_by"),
    ("documents", "placement_id"),
    ("documents", "intern_id"),
    ("evaluations", "placement_id"),
    ("evaluations", "evaluator_id"),
    ("goals", "competency_id"),
    ("goals", "placement_id"),
    ("incidents", "reported_by"),
    ("incidents", "equipment_id"),
    ("incidents", "placement_id"),
    ("notes", "intern_id"),
    ("notes", "author_user_id"),
    ("notes", "placement_id"),
    ("notice_hours", "placement_id"),
    ("packet_exports", "created_by"),
    ("packet_exports", "placement_id"),
    ("shifts", "placement_id"),
    ("shifts", "supervisor_staff_id"),
    ("shifts", "area_id"),
    ("checklist_items", "placement_id"),
    ("checklist_items", "evidence_document_id"),
    ("checklist_items", "completed_by"),
    ("competency_ratings", "evaluation_id"),
    ("competency_ratings", "competency_id"),
    ("plan_items", "placement_id"),
    ("plan_items", "owner_staff_id"),
    ("plan_items", "template_item_id"),
    ("plan_items", "evidence_document_id"),
    ("record_releases", "document_id"),
    ("record_releases", "intern_id"),
    ("time_entries", "area_id"),
    ("time_entries", "approved_by"),
    ("time_entries", "placement_id"),
    ("time_entries", "supervisor_staff_id"),
    ("time_entries", "shift_id"),
    ("findings", "time_entry_id"),
    ("findings", "placement_id"),
    ("findings", "shift_id"),
    ("findings", "intern_id"),
    ("work_breaks", "time_entry_id"),
    ("work_breaks", "shift_id"),
    ("work_tasks", "time_entry_id"),
    ("work_tasks", "shift_id"),
    ("work_tasks", "equipment_id"),
    ("placement_assignments", "placement_id"),
    ("placement_assignments", "area_id"),
    ("placement_assignments", "equipment_id"),
    ("time_entries", "entered_by"),
    ("pay_periods", "closed_by"),
    ("absences", "shift_id"),
    ("absences", "marked_by"),
    ("plant_closures", "worksite_id"),
    ("notes", "check_in_id"),
    ("concerns", "check_in_id"),
    ("concerns", "resolved_by"),
    ("check_in_actions", "check_in_id"),
    ("check_in_cadences", "placement_id"),
    ("incidents", "worksite_id"),
    ("incidents", "area_id"),
    ("incidents", "closed_by"),
    ("evaluations", "framework_id"),
    ("site_visits", "placement_id"),
    ("site_visits", "recorded_by"),
    ("placement_outcomes", "placement_id"),
    ("school_forms", "school_id"),
    ("school_forms", "registered_by"),
    ("school_form_fields", "form_id"),
    ("student_learner_agreements", "placement_id"),
    ("packet_exports", "intern_id"),
    ("packet_exports", "replaces_id"),
]


def _fk(table: str, column: str) -> ForeignKeyConstraint:
    (constraint,) = [
        c for c in T(table).foreign_key_constraints if [col.name for col in c.columns] == [column]
    ]
    return constraint


def _fk_cases() -> dict[str, list]:
    cases: dict[str, list] = {}
    for table, column in FOREIGN_KEYS:
        values: dict[str, Any] = {column: MISSING, **ONE_OF.get((table, column), {})}
        # Inserting a row with a missing parent fails; so does re-pointing a row.
        cases[_fk(table, column).name] = [Bad(table, values), Repoint(table, values)]
    return cases


CASES: dict[str, list] = {**CHECKS, **UNIQUES, **_fk_cases()}


def declared_constraints() -> dict[str, CheckConstraint | UniqueConstraint | ForeignKeyConstraint]:
    out = {}
    for table in Base.metadata.sorted_tables:
        for c in table.constraints:
            if isinstance(c, CheckConstraint | UniqueConstraint | ForeignKeyConstraint):
                assert c.name, f"an unnamed constraint on {table.name}"
                out[str(c.name)] = c
    return out


def expected_message(name: str) -> str:
    constraint = declared_constraints()[name]
    if isinstance(constraint, CheckConstraint):
        return f"CHECK constraint failed: {name}"
    if isinstance(constraint, UniqueConstraint):
        table = constraint.table.name
        return "UNIQUE constraint failed: " + ", ".join(
            f"{table}.{col.name}" for col in constraint.columns
        )
    return "FOREIGN KEY constraint failed"


# -- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def case_db(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("constraints") / "demo.db"
    shutil.copyfile(demo_template, path)
    engine = db.make_engine(path, TEST_KEY, create=False)
    with engine.begin() as conn:
        ids = _first_ids(conn)
        for table, values in EXTRA_PARENTS.items():
            conn.execute(insert(T(table)).values({**VALID[table](ids), **values}))
            ids = _first_ids(conn)
    yield engine
    engine.dispose()


def _first_ids(conn: Connection) -> Ids:
    """The lowest id of every table with an ``id`` column (the extra parents last)."""
    ids = {}
    for name, table in TABLES.items():
        if "id" in table.c:
            pick = func.max if name in EXTRA_PARENTS else func.min
            value = conn.scalar(select(pick(table.c.id)))
            if value is not None:
                ids[name] = value
    return ids


@pytest.fixture
def conn(case_db: Engine) -> Iterator[tuple[Connection, Ids]]:
    with case_db.connect() as connection:
        tx = connection.begin()
        try:
            yield connection, _first_ids(connection)
        finally:
            tx.rollback()


# -- the tests ------------------------------------------------------------------------


def test_every_declared_constraint_has_a_case() -> None:
    assert set(CASES) == set(declared_constraints())
    assert sorted(FOREIGN_KEYS) == sorted(
        (t.name, fk.parent.name) for t in Base.metadata.sorted_tables for fk in t.foreign_keys
    )
    assert set(VALID) == set(TABLES)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_the_valid_row_of_every_table_is_accepted(conn, table: str) -> None:
    connection, ids = conn
    if table == "employer":
        Change("employer", {"workweek_start": "mon"}).run(connection, ids)
        return
    result = connection.execute(insert(T(table)).values(VALID[table](ids)))
    assert result.rowcount == 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_constraint_rejects_a_bad_row(conn, name: str) -> None:
    connection, ids = conn
    message = expected_message(name)
    for violation in CASES[name]:
        with connection.begin_nested() as savepoint:
            with pytest.raises(IntegrityError) as caught:
                violation.run(connection, ids)
            savepoint.rollback()
        assert message in str(caught.value.orig), f"{violation} broke another constraint"


@pytest.mark.parametrize("table,column", FOREIGN_KEYS)
def test_deleting_a_parent_follows_on_delete(conn, table: str, column: str) -> None:
    """CASCADE removes the child, SET NULL clears the column, no action refuses."""
    connection, ids = conn
    fk = _fk(table, column)
    (element,) = fk.elements
    parent = element.column.table
    if parent.name == "employer":
        parent_id = ids["employer"]
    else:
        parent_id = connection.execute(
            insert(parent).values(_fresh(parent.name, ids)).returning(parent.c.id)
        ).scalar_one()
    child_row = {**VALID[table](ids), column: parent_id, **ONE_OF.get((table, column), {})}
    child = T(table)
    child_id = connection.execute(
        insert(child).values(child_row).returning(child.c.id)
    ).scalar_one()

    drop = delete(parent).where(parent.c.id == parent_id)
    if fk.ondelete is None:
        with connection.begin_nested() as savepoint:
            with pytest.raises(IntegrityError, match="FOREIGN KEY constraint failed"):
                connection.execute(drop)
            savepoint.rollback()
        return
    connection.execute(drop)
    remaining = connection.execute(
        select(child.c[column]).where(child.c.id == child_id)
    ).one_or_none()
    if fk.ondelete == "CASCADE":
        assert remaining is None
    else:
        assert fk.ondelete == "SET NULL"
        assert remaining == (None,)


def _fresh(table: str, ids: Ids) -> dict[str, Any]:
    """A valid row for ``table`` that clashes with no valid row inserted beside it."""
    row = VALID[table](ids)
    for key in ("name", "key", "username", "identity", "student_id", "email", "title"):
        if key in row and isinstance(row[key], str):
            row[key] = f"fresh {row[key]}"
    if table == "school_calendars":
        row["school_year"] = "2040-41"
    return row


def test_a_badge_is_unique_among_open_placements_only(conn) -> None:
    """The partial unique index: a time clock's badge names one open placement, while
    ended placements may keep the badge a new one reuses."""
    connection, ids = conn
    placements = T("placements")
    row = {**VALID["placements"](ids), "badge": "B-100"}
    connection.execute(insert(placements).values(row))
    with connection.begin_nested() as savepoint:
        with pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: placements\.badge"):
            connection.execute(insert(placements).values({**row, "status": "draft"}))
        savepoint.rollback()
    connection.execute(insert(placements).values({**row, "status": "completed"}))
    connection.execute(insert(placements).values({**row, "status": "archived"}))
