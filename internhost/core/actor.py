"""Who is acting, and what their role lets them do.

Every service takes the actor right after the session and calls ``require``
before it reads or writes. The actor is a small frozen (picklable) value, so a
worker process can act as the user who started it. Until accounts land, the CLI
and the app act as the system; the accounts issue fills in users and refines the
table below, not the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from internhost.core.errors import PermissionDenied


class Role(StrEnum):
    HR_ADMIN = "hr_admin"
    MENTOR = "mentor"
    VIEWER = "viewer"
    SYSTEM = "system"


class Permission(StrEnum):
    READ_RECORDS = "read records"
    EDIT_RECORDS = "create or edit records"
    IMPORT = "import rosters"
    SEE_BIRTH_DATES = "see birth dates"
    SEE_CONTACT_DETAILS = "see home addresses and guardians"
    SEE_MEDICAL = "see medical notes"
    SEE_INTERNAL_NOTES = "see internal notes"
    SEE_SCHOOL_RECORDS = "see school-released records"
    LOG_MENTORING = "log check-ins and time"
    TICK_OWN_STEPS = "tick onboarding steps and checklist items"
    APPROVE_HOURS = "approve hours"
    EXPORT_PAYROLL = "export payroll"
    RUN_CHECKS = "re-check compliance and store the findings"
    PRINT_PACKETS = "print packets"
    #: The HR compliance binder (findings, overrides, documents): HR's alone.
    PRINT_HR_BINDER = "print the HR compliance binder"
    MANAGE_ACCOUNTS = "manage accounts"
    MAINTAIN_DATABASE = "back up, restore, rekey, encrypt or purge"
    READ_AUDIT = "read the audit trail"
    LOAD_SAMPLE_DATA = "load the sample data"


_ALL = frozenset(Permission)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SYSTEM: _ALL,
    Role.HR_ADMIN: _ALL,
    Role.VIEWER: frozenset(
        {
            Permission.READ_RECORDS,
            Permission.SEE_BIRTH_DATES,
            Permission.SEE_CONTACT_DETAILS,
            Permission.SEE_SCHOOL_RECORDS,
            Permission.PRINT_PACKETS,
        }
    ),
    Role.MENTOR: frozenset(
        {
            Permission.READ_RECORDS,
            Permission.LOG_MENTORING,
            # Only the steps a mentor owns, of their own interns (services/step_owners.py).
            Permission.TICK_OWN_STEPS,
            Permission.APPROVE_HOURS,
            # Logging or approving hours re-checks the intern's stored findings.
            Permission.RUN_CHECKS,
            # School packets of their own interns only (services/packets.py).
            Permission.PRINT_PACKETS,
        }
    ),
}


@dataclass(frozen=True)
class Actor:
    """The acting user (or the system) as services see it."""

    role: Role
    name: str
    user_id: int | None = None
    #: For a mentor: their staff id, which limits them to their own interns.
    staff_id: int | None = None

    @property
    def kind(self) -> str:
        return "system" if self.role is Role.SYSTEM else "user"

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    @property
    def sees_only_own_interns(self) -> bool:
        return self.role is Role.MENTOR


SYSTEM = Actor(Role.SYSTEM, "system")


def require(actor: Actor, permission: Permission) -> None:
    """Raise ``PermissionDenied`` naming what the actor's role may not do."""
    if not actor.can(permission):
        role = actor.role.value.replace("_", " ")
        raise PermissionDenied(f"a {role} may not {permission.value}")
