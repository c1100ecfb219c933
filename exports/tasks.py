"""Celery tasks of the exports app: thin wrappers around the services.

Schedule (CELERY_BEAT_SCHEDULE in registry/settings/base.py): "exports.expire_export_jobs"
hourly at :20.
"""

from celery import shared_task

from exports.importing.commit import import_job_run_check, import_job_run_commit
from exports.services import export_job_run, export_jobs_expire


@shared_task(name="exports.run_export_job", acks_late=True)
def run_export_job(job_id: int) -> str:
    """Write one export job's workbook (idempotent: a finished or running job is skipped)."""
    job = export_job_run(job_id=job_id)
    return job.status if job is not None else "skipped"


@shared_task(name="exports.expire_export_jobs")
def expire_export_jobs() -> int:
    """Delete export files past their retention time."""
    return export_jobs_expire()


@shared_task(name="exports.check_import_job", acks_late=True)
def check_import_job(job_id: int) -> str:
    """Read and check an uploaded ledger (a job not waiting for its check is skipped)."""
    job = import_job_run_check(job_id=job_id)
    return job.status if job is not None else "skipped"


@shared_task(name="exports.commit_import_job", acks_late=True)
def commit_import_job(job_id: int) -> str:
    """Write an import into the ledger, all or nothing (idempotent: committed once)."""
    job = import_job_run_commit(job_id=job_id)
    return job.status if job is not None else "skipped"
