"""Celery tasks of the exports app: thin wrappers around the services.

Schedule (CELERY_BEAT_SCHEDULE in registry/settings/base.py): "exports.expire_export_jobs"
hourly at :20.
"""

from celery import shared_task

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
