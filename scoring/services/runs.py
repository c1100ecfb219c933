"""Ranking runs: request a recompute, run it (in a Celery worker), finalise and re-open quarters.

A run row is written first and the task enqueued on commit, so the page can show the run at once
and watch its progress. The computation itself is `scoring.services.compute.compute_quarter`;
when it fails half-way, its transaction rolls back (the previous ranking stays) and the run is
marked failed with the error.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import County
from areas.selectors import county_or_sole
from core.enqueue import QUEUE_UNAVAILABLE, BrokerUnavailable, enqueue
from core.quarters import quarter_label, shift_quarter
from core.services import audit_record
from scoring import permissions
from scoring.models import RankingRun, ScoringQuarter
from scoring.selectors import current_quarter, quarter_has_ended
from scoring.services.compute import QuarterFrozen, compute_quarter

logger = logging.getLogger(__name__)

# Longer than the task's hard time limit (scoring.tasks.TIME_LIMIT, 20 minutes).
STALE_AFTER = datetime.timedelta(minutes=30)


def validate_quarter(year: int, quarter: int, *, county=None, finalize: bool = False) -> None:
    """Refuse a quarter that has not begun or is finalised in the county (or, to finalise, has
    not ended), with a Chinese message."""
    county = county_or_sole(county)
    if (year, quarter) > current_quarter():
        raise ValidationError(
            _("%(quarter)s has not begun yet: only past and current quarters can be scored.")
            % {"quarter": quarter_label((year, quarter))}
        )
    if year < 2000:
        raise ValidationError(_("Enter a quarter such as 2026Q3."))
    state = ScoringQuarter.objects.filter(county=county, year=year, quarter=quarter).first()
    if state is not None and state.is_finalized:
        raise ValidationError(
            _("%(quarter)s is finalised and frozen; the county admin must re-open it first.")
            % {"quarter": quarter_label((year, quarter))}
        )
    if finalize and not quarter_has_ended((year, quarter)):
        raise ValidationError(_("Only a quarter that has ended can be finalised."))


def request_recompute(
    *,
    year: int,
    quarter: int,
    user=None,
    trigger: str = RankingRun.Trigger.MANUAL,
    finalize: bool = False,
    county=None,
) -> RankingRun:
    """Create a run for the county's quarter and enqueue it on the scoring queue; the active
    run when one is under way. Each county's run is its own task: the workers of the
    scoring queue compute counties in parallel."""
    if user is not None and not permissions.may_recompute(user):
        raise PermissionDenied
    if finalize and user is not None and not permissions.is_county_admin(user):
        raise PermissionDenied
    county = county_or_sole(county)
    if user is not None and not County.objects.visible_to(user).filter(pk=county.pk).exists():
        raise PermissionDenied
    validate_quarter(year, quarter, county=county, finalize=finalize)
    with transaction.atomic():
        active = (
            RankingRun.objects.select_for_update()
            .filter(
                county=county,
                year=year,
                quarter=quarter,
                status__in=[RankingRun.Status.QUEUED, RankingRun.Status.RUNNING],
                # A run older than the task's time limit is lost (its worker died and the
                # message with it): it no longer blocks a new one.
                created_at__gte=timezone.now() - STALE_AFTER,
            )
            .first()
        )
        if active is not None and not (finalize and not active.finalize):
            return active
        run = RankingRun.objects.create(
            county=county,
            year=year,
            quarter=quarter,
            trigger=trigger,
            requested_by=user if user is not None and user.is_authenticated else None,
            finalize=finalize,
            stage=_("Waiting for a worker"),
        )
        if user is not None:
            audit_record(
                actor=user,
                action="scoring.recompute_requested",
                obj=run,
                summary=f"{county} {quarter_label((year, quarter))}"
                f"{' finalize' if finalize else ''}",
            )
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    """Hand the run to a worker; a dead broker fails the run with the reason and raises
    BrokerUnavailable (the page answers 503)."""
    from scoring.tasks import run_ranking

    try:
        result = enqueue(run_ranking, run_id)
    except BrokerUnavailable:
        RankingRun.objects.filter(pk=run_id, status=RankingRun.Status.QUEUED).update(
            status=RankingRun.Status.FAILED,
            finished_at=timezone.now(),
            error=str(QUEUE_UNAVAILABLE),
        )
        raise
    if result is not None and getattr(result, "id", None):
        RankingRun.objects.filter(pk=run_id, task_id="").update(task_id=result.id[:50])


def execute_run(run_id: int) -> RankingRun:
    """Run a queued run (the Celery task calls this); never raises for a computation error."""
    with transaction.atomic():
        run = RankingRun.objects.select_for_update().get(pk=run_id)
        if run.status not in {RankingRun.Status.QUEUED, RankingRun.Status.RUNNING}:
            return run  # a duplicate delivery of a finished run
        run.status = RankingRun.Status.RUNNING
        run.started_at = timezone.now()
        run.progress = 10
        run.stage = _("Counting the quarter's verified records")
        run.error = ""
        run.save(update_fields=["status", "started_at", "progress", "stage", "error"])
    try:
        result = compute_quarter(
            run.year,
            run.quarter,
            county=run.county_id,
            finalize=run.finalize,
            finalize_by=run.requested_by,
        )
    except QuarterFrozen:
        return _fail(
            run,
            _("%(quarter)s is finalised and frozen; the county admin must re-open it first.")
            % {"quarter": quarter_label((run.year, run.quarter))},
        )
    except Exception as error:
        logger.exception("ranking run %s failed", run.pk)
        return _fail(run, f"{type(error).__name__}: {error}")
    run.status = RankingRun.Status.SUCCEEDED
    run.progress = 100
    run.stage = _("Done")
    run.finished_at = timezone.now()
    run.organizations_scored = result.scored
    run.organizations_ranked = result.ranked
    run.save(
        update_fields=[
            "status",
            "progress",
            "stage",
            "finished_at",
            "organizations_scored",
            "organizations_ranked",
        ]
    )
    logger.info(
        "ranking run %s: county %s %sQ%s scored %s, ranked %s",
        run.pk,
        run.county_id,
        run.year,
        run.quarter,
        result.scored,
        result.ranked,
    )
    return run


def _fail(run: RankingRun, message: str) -> RankingRun:
    run.status = RankingRun.Status.FAILED
    run.finished_at = timezone.now()
    run.stage = _("Failed")
    run.error = message[:2000]
    run.save(update_fields=["status", "finished_at", "stage", "error"])
    return run


def run_now(
    *, year: int, quarter: int, trigger: str, finalize: bool = False, county=None
) -> RankingRun:
    """Create and execute a county's run in this process (the command line)."""
    county = county_or_sole(county)
    validate_quarter(year, quarter, county=county, finalize=finalize)
    run = RankingRun.objects.create(
        county=county, year=year, quarter=quarter, trigger=trigger, finalize=finalize
    )
    return execute_run(run.pk)


def _open_counties(year: int, quarter: int) -> list[County]:
    """The counties whose quarter is not finalised."""
    frozen = ScoringQuarter.objects.filter(
        year=year, quarter=quarter, state=ScoringQuarter.State.FINALIZED
    ).values("county_id")
    return list(County.objects.exclude(pk__in=frozen).order_by("code"))


def recompute_current_quarter() -> list[RankingRun]:
    """The nightly job: one run per county whose running quarter is not finalised, each
    queued to the scoring queue (computed in parallel by its workers; in this process when
    Celery runs eagerly)."""
    year, quarter = current_quarter()
    return [
        request_recompute(
            year=year, quarter=quarter, county=county, trigger=RankingRun.Trigger.SCHEDULE
        )
        for county in _open_counties(year, quarter)
    ]


def finalize_previous_quarter() -> list[RankingRun]:
    """On the 5th day of a quarter: compute each county's previous quarter a last time and
    freeze it (one queued run per county)."""
    year, quarter = shift_quarter(current_quarter(), -1)
    return [
        request_recompute(
            year=year,
            quarter=quarter,
            county=county,
            trigger=RankingRun.Trigger.SCHEDULE,
            finalize=True,
        )
        for county in _open_counties(year, quarter)
    ]


def reopen_quarter(*, year: int, quarter: int, user, reason: str, county=None) -> ScoringQuarter:
    """Unfreeze a county's finalised quarter: the county admin's explicit, logged act."""
    if not permissions.is_county_admin(user):
        raise PermissionDenied
    county = county_or_sole(county)
    if not County.objects.visible_to(user).filter(pk=county.pk).exists():
        raise PermissionDenied
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError(_("Say why the quarter is re-opened (at least 4 characters)."))
    with transaction.atomic():
        state = (
            ScoringQuarter.objects.select_for_update()
            .filter(county=county, year=year, quarter=quarter)
            .first()
        )
        if state is None or not state.is_finalized:
            raise ValidationError(
                _("%(quarter)s is not finalised.") % {"quarter": quarter_label((year, quarter))}
            )
        state.state = ScoringQuarter.State.OPEN
        state.save(update_fields=["state"])
        audit_record(
            actor=user,
            action="scoring.quarter_reopened",
            obj=state,
            summary=reason[:300],
            changes={"state": [ScoringQuarter.State.FINALIZED, ScoringQuarter.State.OPEN]},
        )
    logger.warning("quarter %s re-opened by user %s", state, user.pk)
    return state
