"""Rebuilding the roll-ups from the records: nightly, after the demo is seeded, and on demand.

Schedule (CELERY_BEAT_SCHEDULE): "rollups.rebuild_rollups" nightly, which also repairs what was
changed outside the services (the admin site, a bulk load).
"""

from celery import shared_task

from rollups.services import rebuild


@shared_task(name="rollups.rebuild_rollups", time_limit=30 * 60, soft_time_limit=25 * 60)
def rebuild_rollups() -> dict[str, int]:
    """Recompute every roll-up table from the records (idempotent)."""
    return rebuild()
