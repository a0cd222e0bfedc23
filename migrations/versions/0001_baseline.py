"""baseline: every aggregate

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-24 13:38:37.200379
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001_baseline'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('app_state',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_state'))
    )
    op.create_table('audit_events',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('actor_kind', sa.String(length=10), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=100), nullable=False),
    sa.Column('operation', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('aggregate_type', sa.String(length=64), nullable=False),
    sa.Column('aggregate_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('payload_hash', sa.String(length=64), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=True),
    sa.Column('purged_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("action IN ('create', 'update', 'delete')", name=op.f('ck_audit_events_action_valid')),
    sa.CheckConstraint("actor_kind IN ('user', 'system')", name=op.f('ck_audit_events_actor_kind_valid')),
    sa.CheckConstraint('length(payload) > 1', name=op.f('ck_audit_events_payload_set')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_events')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_aggregate', ['aggregate_type', 'aggregate_id'], unique=False)

    op.create_table('competency_frameworks',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('verification', sa.String(length=1), nullable=False),
    sa.Column('scale_max', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("verification IN ('V', 'S', 'M')", name=op.f('ck_competency_frameworks_verification_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competency_frameworks')),
    sa.UniqueConstraint('key', name=op.f('uq_competency_frameworks_key'))
    )
    op.create_table('districts',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('length(state) = 2', name=op.f('ck_districts_state_code')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_districts')),
    sa.UniqueConstraint('name', name=op.f('uq_districts_name'))
    )
    op.create_table('employer',
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('hr_contact_name', sa.String(length=200), nullable=False),
    sa.Column('hr_contact_email', sa.String(length=320), nullable=False),
    sa.Column('hr_contact_phone', sa.String(length=40), nullable=False),
    sa.Column('flsa_covered', sa.Boolean(), nullable=False),
    sa.Column('workweek_start', sa.String(length=3), nullable=False),
    sa.Column('wc_carrier', sa.String(length=200), nullable=False),
    sa.Column('wc_policy_number', sa.String(length=100), nullable=False),
    sa.Column('wc_policy_expires', sa.Date(), nullable=True),
    sa.Column('liability_coi_expires', sa.Date(), nullable=True),
    sa.Column('child_labor_notice_posted_on', sa.Date(), nullable=True),
    sa.Column('federal_poster_posted_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("workweek_start IN ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')", name=op.f('ck_employer_workweek_start_valid')),
    sa.CheckConstraint('id = 1', name=op.f('ck_employer_single_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer'))
    )
    op.create_table('import_mappings',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('header', sa.String(length=200), nullable=False),
    sa.Column('column', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mappings')),
    sa.UniqueConstraint('kind', 'header', name=op.f('uq_import_mappings_kind_header'))
    )
    op.create_table('plan_templates',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_templates')),
    sa.UniqueConstraint('name', name=op.f('uq_plan_templates_name'))
    )
    op.create_table('competencies',
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['competency_frameworks.id'], name=op.f('fk_competencies_framework_id_competency_frameworks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competencies')),
    sa.UniqueConstraint('framework_id', 'key', name=op.f('uq_competencies_framework_id_key'))
    )
    op.create_table('plan_template_items',
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner_role', sa.String(length=20), nullable=False),
    sa.Column('due_offset_days', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("owner_role IN ('hr', 'mentor', 'supervisor', 'school', 'guardian', 'intern')", name=op.f('ck_plan_template_items_owner_role_valid')),
    sa.CheckConstraint("phase IN ('before_day_one', 'day_one', 'first_weeks')", name=op.f('ck_plan_template_items_phase_valid')),
    sa.ForeignKeyConstraint(['template_id'], ['plan_templates.id'], name=op.f('fk_plan_template_items_template_id_plan_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_template_items'))
    )
    op.create_table('school_calendars',
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('day_start', sa.Time(), nullable=False),
    sa.Column('day_end', sa.Time(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('day_end > day_start', name=op.f('ck_school_calendars_end_after_start')),
    sa.CheckConstraint('last_day >= first_day', name=op.f('ck_school_calendars_last_after_first')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_school_calendars_district_id_districts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_calendars')),
    sa.UniqueConstraint('district_id', 'school_year', name=op.f('uq_school_calendars_district_id_school_year'))
    )
    op.create_table('schools',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('coordinator_name', sa.String(length=200), nullable=False),
    sa.Column('coordinator_email', sa.String(length=320), nullable=False),
    sa.Column('coordinator_phone', sa.String(length=40), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_schools_district_id_districts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schools')),
    sa.UniqueConstraint('name', name=op.f('uq_schools_name'))
    )
    op.create_table('worksites',
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('length(state) = 2', name=op.f('ck_worksites_state_code')),
    sa.CheckConstraint('length(time_zone) > 0', name=op.f('ck_worksites_time_zone_set')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_worksites_employer_id_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worksites')),
    sa.UniqueConstraint('name', name=op.f('uq_worksites_name'))
    )
    op.create_table('areas',
    sa.Column('worksite_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('production', 'office')", name=op.f('ck_areas_kind_valid')),
    sa.ForeignKeyConstraint(['worksite_id'], ['worksites.id'], name=op.f('fk_areas_worksite_id_worksites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_areas')),
    sa.UniqueConstraint('worksite_id', 'name', name=op.f('uq_areas_worksite_id_name'))
    )
    op.create_table('calendar_days',
    sa.Column('calendar_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("(kind = 'no_school' AND start_time IS NULL AND end_time IS NULL) OR (kind != 'no_school' AND start_time IS NOT NULL AND end_time > start_time)", name=op.f('ck_calendar_days_hours_match_kind')),
    sa.CheckConstraint("kind IN ('no_school', 'early_dismissal', 'late_start')", name=op.f('ck_calendar_days_kind_valid')),
    sa.ForeignKeyConstraint(['calendar_id'], ['school_calendars.id'], name=op.f('fk_calendar_days_calendar_id_school_calendars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
    sa.UniqueConstraint('calendar_id', 'day', name=op.f('uq_calendar_days_calendar_id_day'))
    )
    op.create_table('interns',
    sa.Column('legal_first_name', sa.String(length=100), nullable=False),
    sa.Column('legal_last_name', sa.String(length=100), nullable=False),
    sa.Column('preferred_name', sa.String(length=100), nullable=False),
    sa.Column('search_name', sa.String(length=400), nullable=False),
    sa.Column('sort_name', sa.String(length=220), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('residence_district_id', sa.Integer(), nullable=True),
    sa.Column('residence_district_confirmed', sa.Boolean(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=True),
    sa.Column('student_id', sa.String(length=64), nullable=True),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('grade IS NULL OR grade BETWEEN 1 AND 12', name=op.f('ck_interns_grade_range')),
    sa.CheckConstraint('length(legal_first_name) > 0', name=op.f('ck_interns_first_name_set')),
    sa.CheckConstraint('length(legal_last_name) > 0', name=op.f('ck_interns_last_name_set')),
    sa.ForeignKeyConstraint(['residence_district_id'], ['districts.id'], name=op.f('fk_interns_residence_district_id_districts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_interns_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interns')),
    sa.UniqueConstraint('school_id', 'student_id', name=op.f('uq_interns_school_id_student_id'))
    )
    with op.batch_alter_table('interns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interns_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interns_search_name'), ['search_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_interns_sort_name'), ['sort_name'], unique=False)

    op.create_table('staff',
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('worksite_id', sa.Integer(), nullable=True),
    sa.Column('is_21_or_older', sa.Boolean(), nullable=False),
    sa.Column('age_attested_on', sa.Date(), nullable=True),
    sa.Column('clearance_date', sa.Date(), nullable=True),
    sa.Column('mentor_training_date', sa.Date(), nullable=True),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("role IN ('mentor', 'supervisor', 'hr')", name=op.f('ck_staff_role_valid')),
    sa.ForeignKeyConstraint(['worksite_id'], ['worksites.id'], name=op.f('fk_staff_worksite_id_worksites'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_email'))
    )
    op.create_table('equipment',
    sa.Column('worksite_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_equipment_area_id_areas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['worksite_id'], ['worksites.id'], name=op.f('fk_equipment_worksite_id_worksites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment')),
    sa.UniqueConstraint('worksite_id', 'name', name=op.f('uq_equipment_worksite_id_name'))
    )
    op.create_table('intern_contacts',
    sa.Column('intern_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('relationship', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('may_authorize_treatment', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('guardian', 'emergency')", name=op.f('ck_intern_contacts_kind_valid')),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_intern_contacts_name_set')),
    sa.ForeignKeyConstraint(['intern_id'], ['interns.id'], name=op.f('fk_intern_contacts_intern_id_interns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intern_contacts'))
    )
    with op.batch_alter_table('intern_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intern_contacts_intern_id'), ['intern_id'], unique=False)

    op.create_table('user_accounts',
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.LargeBinary(), nullable=True),
    sa.Column('password_salt', sa.LargeBinary(), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('disabled_at', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("role IN ('hr_admin', 'mentor', 'viewer')", name=op.f('ck_user_accounts_role_valid')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_user_accounts_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_accounts')),
    sa.UniqueConstraint('username', name=op.f('uq_user_accounts_username'))
    )
    op.create_table('equipment_tasks',
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('task_key', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('length(task_key) > 0', name=op.f('ck_equipment_tasks_task_key_set')),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_equipment_tasks_equipment_id_equipment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment_tasks')),
    sa.UniqueConstraint('equipment_id', 'task_key', name=op.f('uq_equipment_tasks_equipment_id_task_key'))
    )
    op.create_table('finding_overrides',
    sa.Column('intern_id', sa.Integer(), nullable=False),
    sa.Column('identity', sa.String(length=300), nullable=False),
    sa.Column('rule_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('override', 'acknowledge')", name=op.f('ck_finding_overrides_kind_valid')),
    sa.ForeignKeyConstraint(['decided_by'], ['user_accounts.id'], name=op.f('fk_finding_overrides_decided_by_user_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intern_id'], ['interns.id'], name=op.f('fk_finding_overrides_intern_id_interns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_overrides'))
    )
    with op.batch_alter_table('finding_overrides', schema=None) as batch_op:
        batch_op.create_index('ix_finding_overrides_identity', ['identity'], unique=False)

    op.create_table('login_tokens',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.LargeBinary(), nullable=False),
    sa.Column('device_label', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_accounts.id'], name=op.f('fk_login_tokens_user_id_user_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_tokens_token_hash'))
    )
    op.create_table('medical_notes',
    sa.Column('intern_id', sa.Integer(), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['author_user_id'], ['user_accounts.id'], name=op.f('fk_medical_notes_author_user_id_user_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intern_id'], ['interns.id'], name=op.f('fk_medical_notes_intern_id_interns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medical_notes'))
    )
    with op.batch_alter_table('medical_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medical_notes_intern_id'), ['intern_id'], unique=False)

    op.create_table('placements',
    sa.Column('intern_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('worksite_id', sa.Integer(), nullable=True),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('paid', sa.Boolean(), nullable=False),
    sa.Column('hourly_rate_cents', sa.Integer(), nullable=True),
    sa.Column('program', sa.String(length=20), nullable=False),
    sa.Column('required_hours', sa.Integer(), nullable=True),
    sa.Column('check_in_every_days', sa.Integer(), nullable=True),
    sa.Column('pb_no_pay_expected', sa.Boolean(), nullable=True),
    sa.Column('pb_educational_training', sa.Boolean(), nullable=True),
    sa.Column('pb_tied_to_education', sa.Boolean(), nullable=True),
    sa.Column('pb_follows_academic_calendar', sa.Boolean(), nullable=True),
    sa.Column('pb_limited_duration', sa.Boolean(), nullable=True),
    sa.Column('pb_complements_staff', sa.Boolean(), nullable=True),
    sa.Column('pb_no_job_entitlement', sa.Boolean(), nullable=True),
    sa.Column('employee_status', sa.String(length=20), nullable=False),
    sa.Column('employee_status_decided_by', sa.Integer(), nullable=True),
    sa.Column('employee_status_decided_on', sa.Date(), nullable=True),
    sa.Column('employee_status_reason', sa.Text(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("employee_status = 'employee' OR employee_status_decided_by IS NOT NULL", name=op.f('ck_placements_not_employee_is_recorded')),
    sa.CheckConstraint("employee_status IN ('employee', 'not_employee')", name=op.f('ck_placements_employee_status_valid')),
    sa.CheckConstraint("program IN ('employment', 'school_wbl', 'student_learner', 'apprentice', 'wecep', 'work_study')", name=op.f('ck_placements_program_valid')),
    sa.CheckConstraint('check_in_every_days IS NULL OR check_in_every_days > 0', name=op.f('ck_placements_cadence_positive')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_placements_end_after_start')),
    sa.CheckConstraint('hourly_rate_cents IS NULL OR hourly_rate_cents >= 0', name=op.f('ck_placements_rate_nonnegative')),
    sa.CheckConstraint('required_hours IS NULL OR required_hours >= 0', name=op.f('ck_placements_hours_nonnegative')),
    sa.ForeignKeyConstraint(['employee_status_decided_by'], ['user_accounts.id'], name=op.f('fk_placements_employee_status_decided_by_user_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intern_id'], ['interns.id'], name=op.f('fk_placements_intern_id_interns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['staff.id'], name=op.f('fk_placements_mentor_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_placements_school_id_schools')),
    sa.ForeignKeyConstraint(['worksite_id'], ['worksites.id'], name=op.f('fk_placements_worksite_id_worksites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placements'))
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placements_intern_id'), ['intern_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_worksite_id'), ['worksite_id'], unique=False)

    op.create_table('check_ins',
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('mood', sa.Integer(), nullable=True),
    sa.Column('went_well', sa.Text(), nullable=False),
    sa.Column('needs_help', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('safety_concern', sa.Boolean(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("visibility IN ('shared', 'internal')", name=op.f('ck_check_ins_visibility_valid')),
    sa.CheckConstraint('minutes IS NULL OR minutes > 0', name=op.f('ck_check_ins_minutes_positive')),
    sa.CheckConstraint('mood IS NULL OR mood BETWEEN 1 AND 5', name=op.f('ck_check_ins_mood_range')),
    sa.ForeignKeyConstraint(['author_user_id'], ['user_accounts.id'], name=op.f('fk_check_ins_author_user_id_user_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentor_id'], ['staff.id'], name=op.f('fk_check_ins_mentor_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_check_ins_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_ins'))
    )
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_ins_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_ins_placement_id'), ['placement_id'], unique=False)

    op.create_table('documents',
    sa.Column('intern_id', sa.Integer(), nullable=True),
    sa.Column('placement_id', sa.Integer(), nullable=True),
    sa.Column('doc_type', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('expires_on IS NULL OR issued_on IS NULL OR expires_on >= issued_on', name=op.f('ck_documents_expires_after_issued')),
    sa.CheckConstraint('(content IS NULL AND sha256 IS NULL) OR (content IS NOT NULL AND length(sha256) = 64)', name=op.f('ck_documents_content_hashed')),
    sa.CheckConstraint('size_bytes >= 0', name=op.f('ck_documents_size_nonnegative')),
    sa.ForeignKeyConstraint(['intern_id'], ['interns.id'], name=op.f('fk_documents_intern_id_interns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_documents_placement_id_placements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['user_accounts.id'], name=op.f('fk_documents_uploaded_by_user_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_intern_id'), ['intern_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_placement_id'), ['placement_id'], unique=False)

    op.create_table('evaluations',
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=True),
    sa.Column('period_label', sa.String(length=100), nullable=False),
    sa.Column('evaluated_on', sa.Date(), nullable=False),
    sa.Column('overall', sa.Integer(), nullable=True),
    sa.Column('strengths', sa.Text(), nullable=False),
    sa.Column('growth_areas', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('school_verified_by', sa.String(length=200), nullable=False),
    sa.Column('school_verified_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('overall IS NULL OR overall BETWEEN 1 AND 5', name=op.f('ck_evaluations_overall_range')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['staff.id'], name=op.f('fk_evaluations_evaluator_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_evaluations_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations'))
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluations_placement_id'), ['placement_id'], unique=False)

    op.create_table('goals',
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status IN ('open', 'met', 'dropped')", name=op.f('ck_goals_status_valid')),
    sa.ForeignKeyConstraint(['competency_id'], ['competencies.id'], name=op.f('fk_goals_competency_id_competencies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_goals_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goals'))
    )
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goals_placement_id'), ['placement_id'], unique=False)

    op.create_table('incidents',
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('occurred_at_local', sa.DateTime(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('body_part', sa.String(length=100), nullable=False),
    sa.Column('treatment', sa.Text(), nullable=False),
    sa.Column('task_key', sa.String(length=64), nullable=True),
    sa.Column('equipment_id', sa.Integer(), nullable=True),
    sa.Column('reported_by', sa.Integer(), nullable=True),
    sa.Column('guardian_notified_on', sa.Date(), nullable=True),
    sa.Column('school_notified_on', sa.Date(), nullable=True),
    sa.Column('idol_reported_on', sa.Date(), nullable=True),
    sa.Column('osha_recordable', sa.Boolean(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("kind IN ('incident', 'injury', 'illness', 'near_miss')", name=op.f('ck_incidents_kind_valid')),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_incidents_equipment_id_equipment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_incidents_placement_id_placements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by'], ['user_accounts.id'], name=op.f('fk_incidents_reported_by_user_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_placement_id'), ['placement_id'], unique=False)

    op.create_table('notes',
    sa.Column('intern_id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=True),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("visibility IN ('shared', 'internal')", name=op.f('ck_notes_visibility_valid')),
    sa.ForeignKeyConstraint(['author_user_id'], ['user_accounts.id'], name=op.f('fk_notes_author_user_id_user_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intern_id'], ['interns.id'], name=op.f('fk_notes_intern_id_interns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_notes_placement_id_placements'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes'))
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_intern_id'), ['intern_id'], unique=False)

    op.create_table('notice_hours',
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.String(length=3), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("weekday IN ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')", name=op.f('ck_notice_hours_weekday_valid')),
    sa.CheckConstraint('end_time > start_time', name=op.f('ck_notice_hours_end_after_start')),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_notice_hours_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_hours'))
    )
    op.create_table('packet_exports',
    sa.Column('placement_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=True),
    sa.Column('rule_packs', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_packet_exports_sha256_hex')),
    sa.CheckConstraint('page_count IS NULL OR page_count > 0', name=op.f('ck_packet_exports_pages_positive')),
    sa.ForeignKeyConstraint(['created_by'], ['user_accounts.id'], name=op.f('fk_packet_exports_created_by_user_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_packet_exports_placement_id_placements'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_packet_exports'))
    )
    with op.batch_alter_table('packet_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_packet_exports_placement_id'), ['placement_id'], unique=False)

    op.create_table('shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('start_local', sa.DateTime(), nullable=False),
    sa.Column('end_local', sa.DateTime(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_staff_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_name', sa.String(length=200), nullable=False),
    sa.Column('supervisor_21_or_older', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint('end_local > start_local', name=op.f('ck_shifts_end_after_start')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_shifts_area_id_areas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_shifts_placement_id_placements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_staff_id'], ['staff.id'], name=op.f('fk_shifts_supervisor_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shifts'))
    )
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shifts_placement_id'), ['placement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shifts_work_date'), ['work_date'], unique=False)

    op.create_table('checklist_items',
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('requirement_key', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('citation', sa.String(length=300), nullable=False),
    sa.Column('verification', sa.String(length=1), nullable=False),
    sa.Column('evidence_needed', sa.Text(), nullable=False),
    sa.Column('owner_role', sa.String(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('rule_pack_version', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('evidence_document_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('completed_by', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("owner_role IN ('hr', 'mentor', 'supervisor', 'school', 'guardian', 'intern')", name=op.f('ck_checklist_items_owner_role_valid')),
    sa.CheckConstraint("status IN ('open', 'done', 'waived', 'not_applicable')", name=op.f('ck_checklist_items_status_valid')),
    sa.CheckConstraint("verification IN ('V', 'S', 'M')", name=op.f('ck_checklist_items_verification_valid')),
    sa.ForeignKeyConstraint(['completed_by'], ['user_accounts.id'], name=op.f('fk_checklist_items_completed_by_user_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evidence_document_id'], ['documents.id'], name=op.f('fk_checklist_items_evidence_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_checklist_items_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_items')),
    sa.UniqueConstraint('placement_id', 'requirement_key', name=op.f('uq_checklist_items_placement_id_requirement_key'))
    )
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_items_placement_id'), ['placement_id'], unique=False)

    op.create_table('competency_ratings',
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('level >= 1', name=op.f('ck_competency_ratings_level_positive')),
    sa.ForeignKeyConstraint(['competency_id'], ['competencies.id'], name=op.f('fk_competency_ratings_competency_id_competencies')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_competency_ratings_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competency_ratings')),
    sa.UniqueConstraint('evaluation_id', 'competency_id', name=op.f('uq_competency_ratings_evaluation_id_competency_id'))
    )
    op.create_table('plan_items',
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('template_item_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner_role', sa.String(length=20), nullable=False),
    sa.Column('owner_staff_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('evidence_document_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("owner_role IN ('hr', 'mentor', 'supervisor', 'school', 'guardian', 'intern')", name=op.f('ck_plan_items_owner_role_valid')),
    sa.CheckConstraint("phase IN ('before_day_one', 'day_one', 'first_weeks')", name=op.f('ck_plan_items_phase_valid')),
    sa.CheckConstraint("status IN ('open', 'done', 'waived', 'not_applicable')", name=op.f('ck_plan_items_status_valid')),
    sa.ForeignKeyConstraint(['evidence_document_id'], ['documents.id'], name=op.f('fk_plan_items_evidence_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_staff_id'], ['staff.id'], name=op.f('fk_plan_items_owner_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_plan_items_placement_id_placements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['template_item_id'], ['plan_template_items.id'], name=op.f('fk_plan_items_template_item_id_plan_template_items'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_items'))
    )
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_items_placement_id'), ['placement_id'], unique=False)

    op.create_table('record_releases',
    sa.Column('intern_id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=200), nullable=False),
    sa.Column('released_on', sa.Date(), nullable=False),
    sa.Column('consent_basis', sa.String(length=200), nullable=False),
    sa.Column('consent_signed_by', sa.String(length=200), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('redisclosure_notice_received', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_record_releases_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intern_id'], ['interns.id'], name=op.f('fk_record_releases_intern_id_interns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_releases'))
    )
    with op.batch_alter_table('record_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_releases_intern_id'), ['intern_id'], unique=False)

    op.create_table('time_entries',
    sa.Column('shift_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('start_local', sa.DateTime(), nullable=False),
    sa.Column('end_local', sa.DateTime(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_staff_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_name', sa.String(length=200), nullable=False),
    sa.Column('supervisor_21_or_older', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("source IN ('manual', 'import', 'clock')", name=op.f('ck_time_entries_source_valid')),
    sa.CheckConstraint('end_local > start_local', name=op.f('ck_time_entries_end_after_start')),
    sa.CheckConstraint('locked_at IS NULL OR approved_at IS NOT NULL', name=op.f('ck_time_entries_lock_after_approval')),
    sa.ForeignKeyConstraint(['approved_by'], ['user_accounts.id'], name=op.f('fk_time_entries_approved_by_user_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_time_entries_area_id_areas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_time_entries_placement_id_placements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_time_entries_shift_id_shifts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supervisor_staff_id'], ['staff.id'], name=op.f('fk_time_entries_supervisor_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_entries'))
    )
    with op.batch_alter_table('time_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_entries_placement_id'), ['placement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_time_entries_work_date'), ['work_date'], unique=False)

    op.create_table('findings',
    sa.Column('intern_id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=True),
    sa.Column('shift_id', sa.Integer(), nullable=True),
    sa.Column('time_entry_id', sa.Integer(), nullable=True),
    sa.Column('identity', sa.String(length=300), nullable=False),
    sa.Column('rule_id', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('jurisdiction', sa.String(length=10), nullable=False),
    sa.Column('citation', sa.String(length=300), nullable=False),
    sa.Column('verification', sa.String(length=1), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=True),
    sa.Column('window_start', sa.DateTime(), nullable=True),
    sa.Column('window_end', sa.DateTime(), nullable=True),
    sa.Column('rule_packs', sa.JSON(), nullable=False),
    sa.Column('input_hash', sa.String(length=64), nullable=False),
    sa.Column('stale', sa.Boolean(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint("category IN ('min_age', 'school_hours', 'daily_hours', 'weekly_hours', 'rolling_24h', 'combined_school_work', 'time_of_day', 'meal_break', 'rest_day', 'supervision', 'occupation', 'hazardous_order', 'certificate', 'posting', 'notice_hours', 'wage', 'coverage')", name=op.f('ck_findings_category_valid')),
    sa.CheckConstraint("severity IN ('violation', 'warning', 'advisory')", name=op.f('ck_findings_severity_valid')),
    sa.CheckConstraint("verification IN ('V', 'S', 'M')", name=op.f('ck_findings_verification_valid')),
    sa.ForeignKeyConstraint(['intern_id'], ['interns.id'], name=op.f('fk_findings_intern_id_interns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_findings_placement_id_placements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_findings_shift_id_shifts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['time_entry_id'], ['time_entries.id'], name=op.f('fk_findings_time_entry_id_time_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings')),
    sa.UniqueConstraint('identity', name=op.f('uq_findings_identity'))
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index('ix_findings_intern_severity', ['intern_id', 'severity'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_placement_id'), ['placement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_shift_id'), ['shift_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_time_entry_id'), ['time_entry_id'], unique=False)

    op.create_table('work_breaks',
    sa.Column('shift_id', sa.Integer(), nullable=True),
    sa.Column('time_entry_id', sa.Integer(), nullable=True),
    sa.Column('start_local', sa.DateTime(), nullable=False),
    sa.Column('end_local', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(shift_id IS NULL) != (time_entry_id IS NULL)', name=op.f('ck_work_breaks_one_parent')),
    sa.CheckConstraint('end_local > start_local', name=op.f('ck_work_breaks_end_after_start')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_work_breaks_shift_id_shifts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['time_entry_id'], ['time_entries.id'], name=op.f('fk_work_breaks_time_entry_id_time_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_breaks'))
    )
    with op.batch_alter_table('work_breaks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_breaks_shift_id'), ['shift_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_breaks_time_entry_id'), ['time_entry_id'], unique=False)

    op.create_table('work_tasks',
    sa.Column('shift_id', sa.Integer(), nullable=True),
    sa.Column('time_entry_id', sa.Integer(), nullable=True),
    sa.Column('task_key', sa.String(length=64), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(shift_id IS NULL) != (time_entry_id IS NULL)', name=op.f('ck_work_tasks_one_parent')),
    sa.CheckConstraint('minutes IS NULL OR minutes > 0', name=op.f('ck_work_tasks_minutes_positive')),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_work_tasks_equipment_id_equipment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_work_tasks_shift_id_shifts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['time_entry_id'], ['time_entries.id'], name=op.f('fk_work_tasks_time_entry_id_time_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_tasks'))
    )
    with op.batch_alter_table('work_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_tasks_shift_id'), ['shift_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_tasks_time_entry_id'), ['time_entry_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('work_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_tasks_time_entry_id'))
        batch_op.drop_index(batch_op.f('ix_work_tasks_shift_id'))

    op.drop_table('work_tasks')
    with op.batch_alter_table('work_breaks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_breaks_time_entry_id'))
        batch_op.drop_index(batch_op.f('ix_work_breaks_shift_id'))

    op.drop_table('work_breaks')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_time_entry_id'))
        batch_op.drop_index(batch_op.f('ix_findings_shift_id'))
        batch_op.drop_index(batch_op.f('ix_findings_placement_id'))
        batch_op.drop_index('ix_findings_intern_severity')

    op.drop_table('findings')
    with op.batch_alter_table('time_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_entries_work_date'))
        batch_op.drop_index(batch_op.f('ix_time_entries_placement_id'))

    op.drop_table('time_entries')
    with op.batch_alter_table('record_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_releases_intern_id'))

    op.drop_table('record_releases')
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_items_placement_id'))

    op.drop_table('plan_items')
    op.drop_table('competency_ratings')
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_items_placement_id'))

    op.drop_table('checklist_items')
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shifts_work_date'))
        batch_op.drop_index(batch_op.f('ix_shifts_placement_id'))

    op.drop_table('shifts')
    with op.batch_alter_table('packet_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_packet_exports_placement_id'))

    op.drop_table('packet_exports')
    op.drop_table('notice_hours')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_intern_id'))

    op.drop_table('notes')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_placement_id'))

    op.drop_table('incidents')
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goals_placement_id'))

    op.drop_table('goals')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluations_placement_id'))

    op.drop_table('evaluations')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_placement_id'))
        batch_op.drop_index(batch_op.f('ix_documents_intern_id'))

    op.drop_table('documents')
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_ins_placement_id'))
        batch_op.drop_index(batch_op.f('ix_check_ins_held_on'))

    op.drop_table('check_ins')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placements_worksite_id'))
        batch_op.drop_index(batch_op.f('ix_placements_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_placements_intern_id'))

    op.drop_table('placements')
    with op.batch_alter_table('medical_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_medical_notes_intern_id'))

    op.drop_table('medical_notes')
    op.drop_table('login_tokens')
    with op.batch_alter_table('finding_overrides', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_overrides_identity')

    op.drop_table('finding_overrides')
    op.drop_table('equipment_tasks')
    op.drop_table('user_accounts')
    with op.batch_alter_table('intern_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intern_contacts_intern_id'))

    op.drop_table('intern_contacts')
    op.drop_table('equipment')
    op.drop_table('staff')
    with op.batch_alter_table('interns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interns_sort_name'))
        batch_op.drop_index(batch_op.f('ix_interns_search_name'))
        batch_op.drop_index(batch_op.f('ix_interns_school_id'))

    op.drop_table('interns')
    op.drop_table('calendar_days')
    op.drop_table('areas')
    op.drop_table('worksites')
    op.drop_table('schools')
    op.drop_table('school_calendars')
    op.drop_table('plan_template_items')
    op.drop_table('competencies')
    op.drop_table('plan_templates')
    op.drop_table('import_mappings')
    op.drop_table('employer')
    op.drop_table('districts')
    op.drop_table('competency_frameworks')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_aggregate')

    op.drop_table('audit_events')
    op.drop_table('app_state')
