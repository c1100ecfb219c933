"""The import service: validate an uploaded job, and commit it all-or-nothing."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.scoping import scope_for
from core.services import audit_record
from exports.importing import rows as row_rules
from exports.importing import safety
from exports.importing.reader import ReadRefused, read_workbook
from exports.importing.rows import ACTION_CREATE, ACTION_UPDATE, Plan, RowError
from exports.models import ImportJob
from orgs.services import organizations as org_services
from orgs.services import people as people_services

logger = logging.getLogger(__name__)

NOT_READY_MESSAGE = _(
    "This import cannot be committed: fix every error and map every column first."
)
ALREADY_COMMITTED_MESSAGE = _("This import has already been committed.")
COMMIT_FAILED_MESSAGE = _("Nothing was imported: %(error)s")
REFUSED_FILE_MESSAGE = _(
    "This file was refused and has been deleted; only the reason is kept. Fix the workbook and "
    "upload it again."
)


def can_import(user) -> bool:
    """County administrators (any township) and township staff (their own) import ledgers."""
    scope = scope_for(user)
    if scope.read_only or not user.is_authenticated:
        return False
    return user.is_superuser or scope.role in {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF}


class _RowFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


@contextmanager
def _open(job: ImportJob):
    job.file.open("rb")
    try:
        yield job.file
    finally:
        job.file.close()


def build_plan(*, actor, stream, mapping: dict | None = None):
    """Read and validate a workbook stream; return (sheets, plan)."""
    try:
        sheets, _total = read_workbook(stream, mapping, decide=row_rules.column_decider())
    except ReadRefused as refused:
        plan = Plan(refused=True)
        plan.errors.append(RowError("", None, "", "", refused.message))
        return [], plan
    return sheets, row_rules.validate_sheets(actor=actor, sheets=sheets)


def _sheet_info(sheets) -> list[dict]:
    return [
        {
            "title": sheet.title,
            "kind": sheet.kind,
            "header_row": sheet.header_row,
            "rows": len(sheet.rows),
            "columns": sheet.columns,
        }
        for sheet in sheets
    ]


def import_job_validate(*, actor, job: ImportJob) -> ImportJob:
    """Read the job's workbook with its column mapping and store errors, preview and counts."""
    if job.uploaded_by_id != actor.pk or not can_import(actor):
        raise PermissionDenied
    if job.status == ImportJob.Status.COMMITTED:
        raise ValidationError(ALREADY_COMMITTED_MESSAGE)
    if job.is_refused:
        raise ValidationError(REFUSED_FILE_MESSAGE)
    with _open(job) as stream:
        sheets, plan = build_plan(actor=actor, stream=stream, mapping=job.header_mapping)
    _store_plan(job, sheets, plan)
    job.status = ImportJob.Status.VALIDATED if sheets else ImportJob.Status.FAILED
    job.validated_at = timezone.now()
    if plan.refused:
        _discard_file(job)
    job.save()
    return job


def _discard_file(job: ImportJob) -> None:
    """Delete a refused upload at once; the job keeps only the reason (its errors)."""
    if job.file:
        job.file.delete(save=False)
    job.file = ""
    job.status = ImportJob.Status.FAILED
    logger.info("import %s refused: file deleted", job.pk)


def _store_plan(job: ImportJob, sheets, plan: Plan) -> None:
    job.sheets = _sheet_info(sheets) if sheets else job.sheets
    job.errors = [error.as_dict() for error in plan.errors]
    job.warnings = [warning.as_dict() for warning in plan.warnings]
    job.summary = plan.summary()
    job.preview = plan.preview()


def import_job_set_mapping(*, actor, job: ImportJob, mapping: dict) -> ImportJob:
    """Store the user's choice for unrecognised columns, then validate again."""
    if job.uploaded_by_id != actor.pk or not can_import(actor):
        raise PermissionDenied
    merged = {sheet: dict(columns) for sheet, columns in job.header_mapping.items()}
    for sheet, columns in mapping.items():
        merged.setdefault(sheet, {}).update(columns)
    job.header_mapping = merged
    return import_job_validate(actor=actor, job=job)


def execute_plan(*, actor, plan: Plan) -> dict:
    """Write a validated plan through the ledger services (call inside a transaction)."""
    for org_row in plan.organizations:
        try:
            if org_row.action == ACTION_CREATE:
                org_row.organization = org_services.organization_create(actor=actor, **org_row.data)
            elif org_row.action == ACTION_UPDATE:
                org_row.organization = org_services.organization_update(
                    actor=actor, organization=org_row.existing, **org_row.changes
                )
            else:
                org_row.organization = org_row.existing
        except (ValidationError, PermissionDenied) as error:
            raise _RowFailed([_commit_error(org_row.sheet, org_row.row, error)]) from error
    for member in plan.members:
        if member.action != ACTION_CREATE:
            continue
        organization = member.organization or member.org_row.organization
        try:
            people_services.membership_add(
                actor=actor,
                organization=organization,
                person_data=member.person_data,
                role=member.role,
                joined_on=member.joined_on,
            )
        except (ValidationError, PermissionDenied) as error:
            raise _RowFailed([_commit_error(member.sheet, member.row, error)]) from error
    return plan.summary()


def _commit_error(sheet: str, row: int, error) -> RowError:
    if isinstance(error, PermissionDenied):
        message = str(row_rules.ORG_OUTSIDE_MESSAGE)
    else:
        message = "；".join(error.messages)
    return RowError(sheet, row, "", "", message)


def import_job_commit(*, actor, job: ImportJob) -> ImportJob:
    """Validate again and write every row in one transaction, or nothing at all."""
    if job.uploaded_by_id != actor.pk or not can_import(actor):
        raise PermissionDenied
    if job.status == ImportJob.Status.COMMITTED:
        raise ValidationError(ALREADY_COMMITTED_MESSAGE)
    if not job.can_commit:
        raise ValidationError(NOT_READY_MESSAGE)
    try:
        with transaction.atomic():
            with _open(job) as stream:
                _sheets, plan = build_plan(actor=actor, stream=stream, mapping=job.header_mapping)
            if plan.errors:
                raise _RowFailed(plan.errors)
            summary = execute_plan(actor=actor, plan=plan)
            job.status = ImportJob.Status.COMMITTED
            job.committed_at = timezone.now()
            job.summary = summary
            job.preview = plan.preview()
            job.errors = []
            job.warnings = [warning.as_dict() for warning in plan.warnings]
            job.save()
            audit_record(
                actor=actor,
                action="import.commit",
                obj=job,
                summary=job.original_name,
                changes=summary,
            )
    except _RowFailed as failure:
        job.refresh_from_db()
        job.errors = [error.as_dict() for error in failure.errors]
        job.status = ImportJob.Status.VALIDATED
        job.save(update_fields=["errors", "status"])
        logger.info("import %s refused at commit: %s errors", job.pk, len(failure.errors))
    return job


def import_job_create(*, actor, upload) -> ImportJob:
    """Store a checked upload privately and validate it at once."""
    if not can_import(actor):
        raise PermissionDenied
    try:  # the upload form checks too; a refused upload is never written to disk
        safety.check_upload(upload.name, upload, upload.size)
    except safety.UploadRefused as refused:
        raise ValidationError(refused.message) from None
    upload.seek(0)
    job = ImportJob(uploaded_by=actor, original_name=upload.name[:200])
    job.file.save(upload.name[-80:], upload, save=False)
    job.full_clean()
    job.save()
    audit_record(actor=actor, action="import.upload", obj=job, summary=job.original_name)
    return import_job_validate(actor=actor, job=job)
