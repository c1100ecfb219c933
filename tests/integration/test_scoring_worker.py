"""The recompute goes through Redis to a real worker process, which writes the ranking."""

import datetime
import time

import pytest
from django.utils import timezone

from core.quarters import quarter_bounds
from scoring.models import QuarterScore, RankingRun
from scoring.services.runs import current_quarter, request_recompute
from tests.activities.factories import ActivityFactory

pytestmark = pytest.mark.integration


def test_recompute_requested_from_the_page_is_run_by_the_worker(
    celery_worker_process, county, county_admin
):
    year, quarter = current_quarter()
    first_day, _last = quarter_bounds((year, quarter))
    start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time(10)))
    ActivityFactory(lead_organization=county.org_b1, status="verified", start=start)

    run = request_recompute(year=year, quarter=quarter, user=county_admin)  # enqueued on commit

    deadline = time.monotonic() + 60
    run.refresh_from_db()
    while run.is_active and time.monotonic() < deadline:
        time.sleep(0.2)
        run.refresh_from_db()
    assert run.status == RankingRun.Status.SUCCEEDED, run.error
    assert run.task_id
    assert run.organizations_scored == 3
    top = QuarterScore.objects.get(year=year, quarter=quarter, rank_county=1)
    assert top.organization == county.org_b1
