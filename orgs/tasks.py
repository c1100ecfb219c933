"""Nightly jobs of the ledger: thin wrappers around the oversight services.

Schedule (declared in CELERY_BEAT_SCHEDULE of registry/settings/base.py):
"orgs.expire_credit_listings" nightly at 02:30, "orgs.scan_zombies" nightly at 02:45.
"""

from contextlib import contextmanager
from datetime import date

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from orgs.services.oversight import credit_listings_expire, zombie_scan

LOCK_SECONDS = 30 * 60


@contextmanager
def _single_run(name: str):
    """Skip the job when another run of it holds the lock (yields whether this run may go on)."""
    key = f"orgs.tasks.lock.{name}"
    acquired = cache.add(key, "1", LOCK_SECONDS)
    try:
        yield acquired
    finally:
        if acquired:
            cache.delete(key)


def _day(on: str | None) -> date:
    return date.fromisoformat(on) if on else timezone.localdate()


@shared_task(name="orgs.expire_credit_listings", time_limit=LOCK_SECONDS, soft_time_limit=25 * 60)
def expire_credit_listings(on: str | None = None) -> int | None:
    """Close abnormal listings that ended by themselves; return how many (None when skipped)."""
    with _single_run("expire_credit_listings") as acquired:
        return credit_listings_expire(on=_day(on)) if acquired else None


@shared_task(name="orgs.scan_zombies", time_limit=LOCK_SECONDS, soft_time_limit=25 * 60)
def scan_zombies(on: str | None = None) -> int | None:
    """Flag organisations meeting a zombie criterion; return how many are new (None if skipped)."""
    with _single_run("scan_zombies") as acquired:
        return zombie_scan(on=_day(on)) if acquired else None
