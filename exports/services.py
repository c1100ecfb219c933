"""Export jobs: request, run (write the workbook), download, expire."""

from __future__ import annotations

import logging
import os
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.enqueue import QUEUE_UNAVAILABLE, BrokerUnavailable, enqueue
from core.services import audit_record
from core.xlsx import write_workbook
from exports.models import ExportJob, export_scope_key
from exports.registry import Ledger, as_querydict, build_ledger, stored_filters
from orgs.permissions import can_see_sensitive

logger = logging.getLogger(__name__)

EXPORT_FAILED = gettext_lazy("The export failed; please try again or ask the administrator.")
EXPORT_EXPIRED = gettext_lazy(
    "This export has expired and its file was deleted: exports are kept for %(hours)s hours. "
    "Please export again."
)
TOO_MANY_RUNNING = gettext_lazy(
    "You already have %(count)s exports running: wait until one is ready."
)
# Unfinished jobs a user may have at once (each holds a worker).
MAX_ACTIVE_PER_USER = 3
# A job "running" for longer than this was lost with its worker and may be run again.
STALE_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def exports_root() -> Path:
    return Path(settings.EXPORTS_ROOT)


def retention() -> timedelta:
    return timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def export_job_create(*, actor, kind: str, params: QueryDict | dict) -> ExportJob:
    """Record an export request and enqueue its task once the request is committed.

    The filters are checked now (an unknown kind or a malformed quarter is refused with a
    clear message); the rows are read later, by the task, as the same user.
    """
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    params = as_querydict(params)
    reveal = can_see_sensitive(actor)
    ledger = build_ledger(kind, user=actor, params=params, reveal=reveal)
    active = ExportJob.objects.visible_to(actor).unfinished().count()
    if active >= MAX_ACTIVE_PER_USER:
        raise ValidationError({"ledger": TOO_MANY_RUNNING % {"count": active}})
    now = timezone.now()
    with transaction.atomic():
        job = ExportJob(
            kind=kind,
            filters=stored_filters(params),
            filters_summary=ledger.filters_summary[:500],
            requested_by=actor,
            scope_key=export_scope_key(actor, reveal=reveal),
            reveal=reveal,
            expires_at=now + retention(),
        )
        job.full_clean()
        job.save()
        audit_record(
            actor=actor,
            action="export.request",
            obj=job,
            summary=f"{job.get_kind_display()} {job.filters_summary}".strip(),
            changes={"filters": job.filters, "reveal": reveal},
        )
        transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: ExportJob) -> None:
    """Hand the job to a worker (in-process in eager mode); a dead broker fails it cleanly."""
    from exports.tasks import run_export_job

    try:
        result = enqueue(run_export_job, job.pk)
    except BrokerUnavailable:
        # Not left "queued" forever: the job says why it never ran.
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            error=str(QUEUE_UNAVAILABLE),
            finished_at=timezone.now(),
        )
        raise
    if result is not None and getattr(result, "id", None):
        ExportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:50])


def _claim(job_id: int) -> ExportJob | None:
    """Mark the job running unless another worker has it (guards against running twice)."""
    now = timezone.now()
    claimable = Q(status=ExportJob.Status.QUEUED) | Q(
        status=ExportJob.Status.RUNNING, started_at__lt=now - STALE_AFTER
    )
    claimed = (
        ExportJob.objects.filter(claimable, pk=job_id)
        .filter(expires_at__gt=now)
        .update(status=ExportJob.Status.RUNNING, started_at=now, progress=0, error="")
    )
    if not claimed:
        return None
    return ExportJob.objects.select_related("requested_by").get(pk=job_id)


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Write the job's workbook as its requester; record progress, the file and the outcome."""
    job = _claim(job_id)
    if job is None:
        return None
    user = job.requested_by
    target = None
    try:
        if not user.is_active or export_scope_key(user, reveal=job.reveal) != job.scope_key:
            raise PermissionDenied
        ledger = build_ledger(job.kind, user=user, params=job.filters, reveal=job.reveal)
        expected = ledger.expected_rows
        ExportJob.objects.filter(pk=job.pk).update(expected_rows=expected)
        relative = Path(f"{timezone.localdate():%Y%m}") / f"{uuid.uuid4().hex}.xlsx"
        target = exports_root() / relative
        rows = write_ledger(ledger, target, progress=_progress_recorder(job.pk, expected))
    except Exception as error:
        logger.exception("export job %s failed", job.pk)
        if target is not None:
            _remove(target)
        message = str(error.messages[0]) if isinstance(error, ValidationError) else ""
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            error=message or str(EXPORT_FAILED),
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.SUCCEEDED,
        progress=100,
        row_count=rows,
        file_path=str(relative),
        file_name=download_name(ledger, now),
        file_size=target.stat().st_size,
        finished_at=now,
        expires_at=now + retention(),
    )
    job.refresh_from_db()
    return job


def write_ledger(ledger: Ledger, target, *, progress=None) -> int:
    """Write a ledger's workbook to a path (atomically: a temp file renamed) or a binary file."""
    as_of = timezone.localdate()
    if not isinstance(target, str | os.PathLike):
        return write_workbook(
            target, ledger.sheets, title=ledger.title, as_of=as_of, progress=progress
        )
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    try:
        rows = write_workbook(
            partial, ledger.sheets, title=ledger.title, as_of=as_of, progress=progress
        )
        os.replace(partial, target)
    finally:
        _remove(partial)
    return rows


def _progress_recorder(job_id: int, expected: int | None):
    def record(rows: int) -> None:
        percent = min(99, rows * 100 // expected) if expected else 0
        ExportJob.objects.filter(pk=job_id).update(progress=percent, row_count=rows)

    return record


def download_name(ledger: Ledger, when) -> str:
    """The Chinese file name offered to the browser, e.g. 社会组织台账-20260701-0930.xlsx."""
    stem = "".join(ch for ch in ledger.file_stem if ch not in '\\/:*?"<>|').strip() or "export"
    return f"{stem}-{timezone.localtime(when):%Y%m%d-%H%M}.xlsx"


def export_file_path(job: ExportJob) -> Path | None:
    """The job's file on disk, or None when it has none (or the path escapes the root)."""
    if not job.file_path:
        return None
    root = exports_root().resolve()
    path = (root / job.file_path).resolve()
    if root not in path.parents:
        return None
    return path if path.is_file() else None


def export_download_check(*, user, job: ExportJob) -> Path:
    """The file to serve to `user`, audited; PermissionDenied when the scope changed since.

    Raises ExportJob.DoesNotExist when there is no file (yet), and ExportExpired when it is
    past its retention time.
    """
    if export_scope_key(user, reveal=job.reveal) != job.scope_key:
        raise PermissionDenied
    if job.is_expired:
        raise ExportExpired(str(EXPORT_EXPIRED % {"hours": settings.EXPORT_RETENTION_HOURS}))
    path = export_file_path(job) if job.status == ExportJob.Status.SUCCEEDED else None
    if path is None:
        raise ExportJob.DoesNotExist
    audit_record(
        actor=user,
        action="export.download",
        obj=job,
        summary=f"{job.get_kind_display()} {job.file_name} ({job.row_count})",
        changes={"rows": job.row_count, "reveal": job.reveal},
    )
    return path


class ExportExpired(Exception):
    """The file is past its retention time (410 Gone)."""


def export_jobs_expire(*, now=None) -> int:
    """Delete the files of jobs past their retention time and mark them expired."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.expired(now).only("pk", "file_path").iterator(chunk_size=500):
        path = export_file_path(job)
        if path is not None:
            _remove(path)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file_path="")
        count += 1
    return count


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
