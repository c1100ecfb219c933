from celery import shared_task
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone


@shared_task(name="core.ping")
def ping() -> dict:
    """Answer with the database the worker sees, to prove a worker runs against it."""
    return {"pong": True, "vendor": connection.vendor, "users": get_user_model().objects.count()}


@shared_task(name="core.clear_expired_sessions", time_limit=10 * 60, soft_time_limit=9 * 60)
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry (idle or logged-out users); return how many."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="core.nightly_backup", time_limit=60 * 60, soft_time_limit=55 * 60)
def nightly_backup() -> str:
    """Back up the database and the files to BACKUP_ROOT, keeping the newest BACKUP_KEEP
    (off while BACKUP_ROOT is empty). A failure raises: Celery records it and the log says
    why."""
    import logging
    from pathlib import Path

    from django.conf import settings

    from core.backup import BackupError, backup

    logger = logging.getLogger("core.backup")
    if not settings.BACKUP_ROOT:
        logger.info("nightly backup: off (BACKUP_ROOT is not set)")
        return "off"
    try:
        folder = backup(Path(settings.BACKUP_ROOT), keep=settings.BACKUP_KEEP)
    except BackupError:
        logger.exception("nightly backup failed")
        raise
    logger.info("nightly backup written to %s", folder)
    return str(folder)
