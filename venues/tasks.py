"""Periodic jobs of the venues: thin wrappers around the booking services.

Schedule to declare in CELERY_BEAT_SCHEDULE (registry/settings/base.py):
"venues.expire_pending_bookings" every 15 minutes.
"""

from contextlib import contextmanager

from celery import shared_task
from django.core.cache import cache

from venues.services import bookings_expire_pending

LOCK_SECONDS = 10 * 60
BATCH = 500


@contextmanager
def _single_run(name: str):
    """Skip the job when another run of it holds the lock (yields whether this run may go on)."""
    key = f"venues.tasks.lock.{name}"
    acquired = cache.add(key, "1", LOCK_SECONDS)
    try:
        yield acquired
    finally:
        if acquired:
            cache.delete(key)


@shared_task(name="venues.expire_pending_bookings", time_limit=LOCK_SECONDS, soft_time_limit=9 * 60)
def expire_pending_bookings() -> int | None:
    """Reject pending bookings whose start passed undecided, in batches; None when skipped."""
    with _single_run("expire_pending_bookings") as acquired:
        if not acquired:
            return None
        total = 0
        while True:
            done = bookings_expire_pending(limit=BATCH)
            total += done
            if done < BATCH:
                return total
