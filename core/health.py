"""Checks of the parts the registry depends on, for /healthz."""

from django.conf import settings
from django.db import connection

from registry.celery import app as celery_app


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return {"ok": False, "vendor": connection.vendor, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def check_broker() -> dict:
    if celery_app.conf.task_always_eager:
        return {"ok": True, "mode": "eager"}
    timeout = settings.HEALTHZ_TIMEOUT_SECONDS
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "mode": "broker", "error": type(error).__name__}
    return {"ok": True, "mode": "broker"}


def check_workers(broker_ok: bool) -> dict:
    if celery_app.conf.task_always_eager:
        return {"ok": True, "mode": "eager", "count": 0}
    if not broker_ok:
        return {"ok": False, "mode": "broker", "count": 0, "error": "broker unavailable"}
    try:
        replies = celery_app.control.ping(timeout=settings.HEALTHZ_TIMEOUT_SECONDS)
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "mode": "broker", "count": 0, "error": type(error).__name__}
    return {"ok": bool(replies), "mode": "broker", "count": len(replies)}


def health_report() -> tuple[bool, dict]:
    """Return whether everything is healthy, and the state of each part."""
    database = check_database()
    broker = check_broker()
    workers = check_workers(broker["ok"])
    healthy = database["ok"] and broker["ok"] and workers["ok"]
    return healthy, {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "broker": broker,
        "workers": workers,
    }
