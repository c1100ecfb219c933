"""The import service: validate an uploaded job, and commit it all-or-nothing."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.enqueue import QUEUE_UNAVAILABLE, BrokerUnavailable, enqueue
from core.services import audit_record
from exports.importing import bulk, safety
from exports.importing import rows as row_rules
from exports.importing.progress import JobProgress, progress_key
from exports.importing.reader import ReadRefused, WorkbookReader
from exports.importing.rows import ACTION_CREATE, ACTION_UPDATE, Plan, RowError
from exports.models import ImportJob
from exports.permissions import can_import
from orgs.services import organizations as org_services

logger = logging.getLogger(__name__)

# What the job keeps of the plan's row-by-row preview: the page shows the first 500 rows; a
# city's 100,000 rows would be a 20 MB JSON value read at every page view.
PREVIEW_ROWS = 1000
# A task "running" for longer than this was lost with its worker: a redelivery runs it again
# (the commit's row lock and status check keep it from writing twice).
STALE_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)

NOT_READY_MESSAGE = _(
    "This import cannot be committed: fix every error and map every column first."
)
ALREADY_COMMITTED_MESSAGE = _("This import has already been committed.")
COMMIT_FAILED_MESSAGE = _("Nothing was imported: %(error)s")
CHECK_FAILED_MESSAGE = _(
    "The file could not be checked: the check stopped unexpectedly. Please try again or ask "
    "the administrator."
)
WRITE_FAILED_MESSAGE = _(
    "Nothing was imported: writing to the ledger failed, and every row written before the "
    "failure was undone. Please try again or ask the administrator."
)
REFUSED_FILE_MESSAGE = _(
    "This file was refused and has been deleted; only the reason is kept. Fix the workbook and "
    "upload it again."
)


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


def build_plan(*, actor, stream, mapping: dict | None = None, progress=None):
    """Read and validate a workbook stream; return (sheets, plan).

    The rows are streamed through the checks (each row's cells become its plan values as it
    is read; no row's cells are kept). `progress`, when given, is a `JobProgress` told the
    rows read, then the rows checked.
    """
    try:
        with WorkbookReader(
            stream,
            mapping,
            decide=row_rules.column_decider(),
            progress=progress.read if progress else None,
        ) as reading:
            plan = row_rules.validate_sheets(
                actor=actor,
                sheets=reading,
                progress=progress.checked if progress else None,
                read_done=(lambda total: progress.read(total, done=True)) if progress else None,
            )
    except ReadRefused as refused:
        plan = Plan(refused=True)
        plan.errors.append(RowError("", None, "", "", refused.message))
        return [], plan
    if progress is not None:
        progress.checked(plan.rows)
    return reading.sheets, plan


def _sheet_info(sheets) -> list[dict]:
    return [
        {
            "title": sheet.title,
            "kind": sheet.kind,
            "header_row": sheet.header_row,
            "rows": sheet.row_count,
            "columns": sheet.columns,
        }
        for sheet in sheets
    ]


def import_job_validate(*, actor, job: ImportJob, progress=None) -> ImportJob:
    """Read the job's workbook with its column mapping and store errors, preview and counts.

    Runs in the check task (`import_job_run_check`); callable directly too.
    """
    if job.uploaded_by_id != actor.pk or not can_import(actor):
        raise PermissionDenied
    if job.status == ImportJob.Status.COMMITTED:
        raise ValidationError(ALREADY_COMMITTED_MESSAGE)
    if job.is_refused:
        raise ValidationError(REFUSED_FILE_MESSAGE)
    with _open(job) as stream:
        sheets, plan = build_plan(
            actor=actor, stream=stream, mapping=job.header_mapping, progress=progress
        )
    _store_plan(job, sheets, plan)
    job.status = ImportJob.Status.VALIDATED if sheets else ImportJob.Status.FAILED
    job.validated_at = timezone.now()
    if plan.refused:
        _discard_file(job)
    # only what the check decides: the task's progress fields are the task's
    job.save(
        update_fields=[
            "sheets",
            "errors",
            "warnings",
            "summary",
            "preview",
            "status",
            "validated_at",
            "file",
        ]
    )
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
    job.preview = plan.preview()[:PREVIEW_ROWS]


def import_job_set_mapping(*, actor, job: ImportJob, mapping: dict) -> ImportJob:
    """Store the user's choice for unrecognised columns, then check the file again (a task)."""
    if job.uploaded_by_id != actor.pk or not can_import(actor):
        raise PermissionDenied
    if job.status == ImportJob.Status.COMMITTED:
        raise ValidationError(ALREADY_COMMITTED_MESSAGE)
    if job.is_refused:
        raise ValidationError(REFUSED_FILE_MESSAGE)
    merged = {sheet: dict(columns) for sheet, columns in job.header_mapping.items()}
    for sheet, columns in mapping.items():
        merged.setdefault(sheet, {}).update(columns)
    job.header_mapping = merged
    job.save(update_fields=["header_mapping"])
    return import_job_start(actor=actor, job=job, action=ImportJob.Action.CHECK)


def execute_plan(*, actor, plan: Plan, progress=None) -> dict:
    """Write a validated plan (call inside a transaction).

    Organisations go through the ledger services a row at a time (a ledger holds few); the
    members are written set-wise by `exports.importing.bulk`, a chunk at a time, with the
    same rules, history and audit rows as `membership_add`.
    """
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
    members = [member for member in plan.members if member.action == ACTION_CREATE]
    try:
        bulk.write_members(actor=actor, members=members, progress=progress)
    except bulk.RowRefused as refused:
        member = refused.member
        raise _RowFailed([_commit_error(member.sheet, member.row, refused.error)]) from None
    return plan.summary()


def _commit_error(sheet: str, row: int, error) -> RowError:
    if isinstance(error, PermissionDenied):
        message = str(row_rules.ORG_OUTSIDE_MESSAGE)
    else:
        message = "；".join(error.messages)
    return RowError(sheet, row, "", "", message)


def import_job_commit(*, actor, job: ImportJob, progress=None) -> ImportJob:
    """Validate again and write every row in one transaction, or nothing at all.

    Idempotent: the job row is locked in the transaction and a job already committed (a
    double click, a retried task) is refused before anything is written. Runs in the commit
    task (`import_job_run_commit`); callable directly too.
    """
    if job.uploaded_by_id != actor.pk or not can_import(actor):
        raise PermissionDenied
    if job.status == ImportJob.Status.COMMITTED:
        raise ValidationError(ALREADY_COMMITTED_MESSAGE)
    if not job.ready_to_commit:
        raise ValidationError(NOT_READY_MESSAGE)
    try:
        # Read and checked outside the transaction, so that the progress is seen as it goes;
        # the writes re-read the people and memberships they depend on inside it.
        with _open(job) as stream:
            _sheets, plan = build_plan(
                actor=actor, stream=stream, mapping=job.header_mapping, progress=progress
            )
        if plan.errors:
            raise _RowFailed(plan.errors)
        if progress is not None:
            progress.writing(len(plan.members))
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status == ImportJob.Status.COMMITTED:
                raise ValidationError(ALREADY_COMMITTED_MESSAGE)
            summary = execute_plan(
                actor=actor, plan=plan, progress=progress.written if progress else None
            )
            job.status = ImportJob.Status.COMMITTED
            job.committed_at = timezone.now()
            job.summary = summary
            job.preview = plan.preview()[:PREVIEW_ROWS]
            job.errors = []
            job.warnings = [warning.as_dict() for warning in plan.warnings]
            job.save(
                update_fields=[
                    "status",
                    "committed_at",
                    "summary",
                    "preview",
                    "errors",
                    "warnings",
                ]
            )
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
    return import_job_start(actor=actor, job=job, action=ImportJob.Action.CHECK)


# --- Background tasks: start, progress, run ---


def import_job_start(*, actor, job: ImportJob, action: str) -> ImportJob:
    """Queue a check or a commit of the job (run inline in eager mode); return the job.

    A job already at work is left alone: a second click starts nothing.
    """
    if job.uploaded_by_id != actor.pk or not can_import(actor):
        raise PermissionDenied
    if action == ImportJob.Action.COMMIT:
        if job.status == ImportJob.Status.COMMITTED:
            raise ValidationError(ALREADY_COMMITTED_MESSAGE)
        if not job.ready_to_commit and not job.action:
            raise ValidationError(NOT_READY_MESSAGE)
    claimed = (
        ImportJob.objects.filter(pk=job.pk, action="")
        .exclude(status=ImportJob.Status.COMMITTED)
        .update(
            action=action,
            stage=ImportJob.Stage.QUEUED,
            error="",
            rows_read=0,
            rows_checked=0,
            rows_written=0,
            started_at=None,
            finished_at=None,
        )
    )
    if claimed:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            _send(job.pk, action)
        else:
            transaction.on_commit(lambda: _send(job.pk, action))
    job.refresh_from_db()
    return job


def _send(job_pk: int, action: str) -> None:
    from exports.tasks import check_import_job, commit_import_job

    task = check_import_job if action == ImportJob.Action.CHECK else commit_import_job
    try:
        result = enqueue(task, job_pk)
    except BrokerUnavailable:
        fields = {"action": "", "stage": "", "error": str(QUEUE_UNAVAILABLE)}
        if action == ImportJob.Action.CHECK:
            fields["status"] = ImportJob.Status.FAILED
        ImportJob.objects.filter(pk=job_pk).update(finished_at=timezone.now(), **fields)
        raise
    if result is not None and getattr(result, "id", None):
        ImportJob.objects.filter(pk=job_pk, task_id="").update(task_id=str(result.id)[:50])


def _claim(job_pk: int, action: str) -> ImportJob | None:
    """The job, marked running, if it waits for this task; None if another took it or ended."""
    now = timezone.now()
    waiting = Q(stage=ImportJob.Stage.QUEUED) | Q(started_at__lt=now - STALE_AFTER)
    claimed = ImportJob.objects.filter(waiting, pk=job_pk, action=action).update(
        stage=ImportJob.Stage.READING, started_at=now
    )
    if not claimed:
        return None
    return ImportJob.objects.select_related("uploaded_by").get(pk=job_pk)


def _finish(job_pk: int, **fields) -> None:
    ImportJob.objects.filter(pk=job_pk).update(
        action="", stage="", finished_at=timezone.now(), **fields
    )


def import_job_run_check(*, job_id: int) -> ImportJob | None:
    """The check task: read and validate the file as its uploader, recording progress."""
    job = _claim(job_id, ImportJob.Action.CHECK)
    if job is None:
        return None
    try:
        job = import_job_validate(actor=job.uploaded_by, job=job, progress=JobProgress(job.pk))
    except (PermissionDenied, ValidationError) as error:
        message = " ".join(getattr(error, "messages", [])) or str(CHECK_FAILED_MESSAGE)
        _finish(job_id, error=message)
        # a committed job stays committed; any other one cannot be imported as it is
        ImportJob.objects.filter(pk=job_id).exclude(status=ImportJob.Status.COMMITTED).update(
            status=ImportJob.Status.FAILED
        )
    except Exception:
        logger.exception("import %s: the check failed", job_id)
        _finish(job_id, status=ImportJob.Status.FAILED, error=str(CHECK_FAILED_MESSAGE))
    else:
        rows = job.summary.get("rows", 0)
        _finish(job_id, rows_read=rows, rows_checked=rows)
    return ImportJob.objects.get(pk=job_id)


def import_job_run_commit(*, job_id: int) -> ImportJob | None:
    """The commit task: write the job as its uploader, all or nothing, recording progress.

    A failure that is no row's fault (the database, a bug) rolls everything back and fails
    the job with a message saying nothing was imported.
    """
    job = _claim(job_id, ImportJob.Action.COMMIT)
    if job is None:
        return None
    progress = JobProgress(job.pk)
    try:
        job = import_job_commit(actor=job.uploaded_by, job=job, progress=progress)
    except (PermissionDenied, ValidationError) as error:
        message = " ".join(getattr(error, "messages", [])) or str(NOT_READY_MESSAGE)
        _finish(job_id, error=message)
    except Exception:
        logger.exception("import %s: the commit failed", job_id)
        _finish(job_id, status=ImportJob.Status.FAILED, error=str(WRITE_FAILED_MESSAGE))
    else:
        committed = job.status == ImportJob.Status.COMMITTED
        written = job.summary.get("members", {}).get(ACTION_CREATE, 0) if committed else 0
        _finish(job_id, rows_written=written)
    cache.delete(progress_key(job_id))
    return ImportJob.objects.get(pk=job_id)
