"""Periodic job of the overview: keep the county-wide figures warm in the cache.

Schedule (CELERY_BEAT_SCHEDULE): "dashboards.warm_overview" every 5 minutes.
"""

from celery import shared_task

from dashboards.selectors import warm_county_overview


@shared_task(name="dashboards.warm_overview", time_limit=5 * 60, soft_time_limit=4 * 60)
def warm_overview() -> bool:
    return warm_county_overview()
