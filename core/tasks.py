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
