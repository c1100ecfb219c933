"""Celery tasks of the scoring app: thin wrappers around `scoring.services.runs`.

Schedule (CELERY_BEAT_SCHEDULE in registry/settings/base.py): "scoring.recompute_current_quarter"
every night, "scoring.finalize_previous_quarter" on the 5th day of January, April, July and
October.
"""

from celery import shared_task

from scoring.services import runs

TIME_LIMIT = 20 * 60


@shared_task(name="scoring.run_ranking", time_limit=TIME_LIMIT, soft_time_limit=TIME_LIMIT - 60)
def run_ranking(run_id: int) -> str:
    """Execute one requested run; the run row records success or the error."""
    return runs.execute_run(run_id).status


@shared_task(
    name="scoring.recompute_current_quarter",
    time_limit=TIME_LIMIT,
    soft_time_limit=TIME_LIMIT - 60,
)
def recompute_current_quarter() -> str:
    """Queue one run per county (each computed by a worker of the scoring queue)."""
    queued = runs.recompute_current_quarter()
    return f"{len(queued)} county runs queued"


@shared_task(
    name="scoring.finalize_previous_quarter",
    time_limit=TIME_LIMIT,
    soft_time_limit=TIME_LIMIT - 60,
)
def finalize_previous_quarter() -> str:
    queued = runs.finalize_previous_quarter()
    return f"{len(queued)} county runs queued to finalise"
