"""Ranking runs: requested from a page or the command line, run by Celery (eager here)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from core.models import AuditEvent
from scoring.models import QuarterScore, RankingRun, ScoringQuarter
from scoring.services import compute, runs
from tests.activities.factories import ActivityFactory
from tests.areas.factories import CountyFactory

NOW = datetime.datetime(2025, 5, 20, 10, tzinfo=datetime.UTC)


@pytest.fixture
def may_2025():
    with time_machine.travel(NOW, tick=False):
        yield


def _activity(org, day=datetime.date(2025, 2, 10)):
    from tests.scoring.test_compute import at

    return ActivityFactory(lead_organization=org, start=at(day), status="verified")


def test_requested_recompute_runs_and_records_counts(
    county, county_admin, may_2025, django_capture_on_commit_callbacks
):
    _activity(county.org_a1)

    with django_capture_on_commit_callbacks(execute=True):
        run = runs.request_recompute(year=2025, quarter=1, user=county_admin)

    run.refresh_from_db()
    assert run.status == RankingRun.Status.SUCCEEDED
    assert (run.organizations_scored, run.organizations_ranked, run.progress) == (3, 3, 100)
    assert run.requested_by == county_admin
    assert (
        QuarterScore.objects.get(organization=county.org_a1, year=2025, quarter=1).rank_county == 1
    )
    assert AuditEvent.objects.filter(action="scoring.recompute_requested").count() == 1


def test_only_county_admin_and_township_staff_start_a_recompute(
    county, secretary, official, township_staff, may_2025
):
    for user in (secretary, official):
        with pytest.raises(PermissionDenied):
            runs.request_recompute(year=2025, quarter=1, user=user)
    with pytest.raises(PermissionDenied):  # finalising is the county admin's
        runs.request_recompute(year=2025, quarter=1, user=township_staff, finalize=True)
    assert RankingRun.objects.count() == 0


def test_future_and_finalised_quarters_are_refused_in_chinese(county, county_admin, may_2025):
    with pytest.raises(ValidationError) as error:
        runs.request_recompute(year=2025, quarter=3, user=county_admin)
    assert "尚未开始" in error.value.messages[0]

    ScoringQuarter.objects.create(
        county=CountyFactory(), year=2025, quarter=1, state=ScoringQuarter.State.FINALIZED
    )
    with pytest.raises(ValidationError) as error:
        runs.request_recompute(year=2025, quarter=1, user=county_admin)
    assert "已定稿" in error.value.messages[0]


def test_an_active_run_is_returned_instead_of_a_second_one(county, county_admin, may_2025):
    first = runs.request_recompute(
        year=2025, quarter=2, user=county_admin
    )  # not executed: no commit
    second = runs.request_recompute(year=2025, quarter=2, user=county_admin)
    assert first.pk == second.pk
    assert RankingRun.objects.count() == 1


def test_a_failing_run_is_marked_failed_with_its_error_and_keeps_the_old_ranking(
    county, may_2025, monkeypatch
):
    _activity(county.org_b1)
    runs.run_now(year=2025, quarter=1, trigger=RankingRun.Trigger.COMMAND)
    before = list(QuarterScore.objects.values_list("organization_id", "total", "rank_county"))
    _activity(county.org_a1)
    _activity(county.org_a1)

    def explode(*args, **kwargs):
        raise RuntimeError("注入的故障")

    monkeypatch.setattr(compute, "_finish_quarter", explode)
    run = runs.run_now(year=2025, quarter=1, trigger=RankingRun.Trigger.COMMAND)

    assert run.status == RankingRun.Status.FAILED
    assert "注入的故障" in run.error
    assert run.finished_at is not None
    after = list(QuarterScore.objects.values_list("organization_id", "total", "rank_county"))
    assert after == before


def test_finalise_freezes_and_reopening_is_the_county_admins_logged_act(
    county, county_admin, township_staff, may_2025
):
    run = runs.run_now(year=2025, quarter=1, trigger=RankingRun.Trigger.COMMAND, finalize=True)
    assert run.status == RankingRun.Status.SUCCEEDED
    assert ScoringQuarter.objects.get(year=2025, quarter=1).is_finalized

    with pytest.raises(PermissionDenied):
        runs.reopen_quarter(year=2025, quarter=1, user=township_staff, reason="数据有误需重算")
    with pytest.raises(ValidationError):
        runs.reopen_quarter(year=2025, quarter=1, user=county_admin, reason="")
    runs.reopen_quarter(year=2025, quarter=1, user=county_admin, reason="补录漏报的活动")

    assert not ScoringQuarter.objects.get(year=2025, quarter=1).is_finalized
    event = AuditEvent.objects.get(action="scoring.quarter_reopened")
    assert (event.actor, event.summary) == (county_admin, "补录漏报的活动")


def test_schedule_queues_one_run_per_county_and_finalises_each(
    county, may_2025, django_capture_on_commit_callbacks
):
    from areas.models import Township
    from tests.areas.factories import CountyFactory

    other = CountyFactory(name="永宁县", code="990102")
    Township.objects.filter(pk=county.township_b.pk).update(county=other)

    with django_capture_on_commit_callbacks(execute=True):
        nightly_runs = runs.recompute_current_quarter()
    assert [run.county for run in nightly_runs] == [county.county, other]
    assert {run.status for run in RankingRun.objects.filter(year=2025, quarter=2)} == {
        RankingRun.Status.SUCCEEDED
    }
    assert ScoringQuarter.objects.filter(year=2025, quarter=2, state="open").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        finalising = runs.finalize_previous_quarter()
    assert len(finalising) == 2
    assert ScoringQuarter.objects.filter(year=2025, quarter=1, state="finalized").count() == 2
    assert runs.finalize_previous_quarter() == []  # both frozen: nothing to do

    schedule = settings.CELERY_BEAT_SCHEDULE
    nightly = schedule["scoring-recompute-current-quarter"]
    assert nightly["task"] == "scoring.recompute_current_quarter"
    finalize = schedule["scoring-finalize-previous-quarter"]["schedule"]
    assert finalize.day_of_month == {5}
    assert finalize.month_of_year == {1, 4, 7, 10}


def test_command_recomputes_and_finalises(county, may_2025):
    _activity(county.org_a1)
    out = StringIO()

    call_command("recompute_rankings", "--quarter", "2025Q1", "--finalize", stdout=out)

    assert "已计算 3 个组织" in out.getvalue()
    assert ScoringQuarter.objects.get(year=2025, quarter=1).is_finalized
    assert RankingRun.objects.get().trigger == RankingRun.Trigger.COMMAND
    with pytest.raises(CommandError, match="已定稿"):
        call_command("recompute_rankings", "--quarter", "2025Q1")
    with pytest.raises(CommandError, match="季度格式不正确"):
        call_command("recompute_rankings", "--quarter", "2025Q5")


def test_the_running_quarter_cannot_be_finalised(county, county_admin, may_2025):
    with pytest.raises(ValidationError) as error:
        runs.request_recompute(year=2025, quarter=2, user=county_admin, finalize=True)
    assert "只有已结束的季度才能定稿" in error.value.messages[0]
    with pytest.raises(ValidationError):
        runs.run_now(year=2025, quarter=2, trigger=RankingRun.Trigger.COMMAND, finalize=True)
    assert not ScoringQuarter.objects.filter(state=ScoringQuarter.State.FINALIZED).exists()


def test_a_run_lost_with_its_worker_does_not_block_a_new_one(county, county_admin, may_2025):
    lost = RankingRun.objects.create(
        county=county.county,
        year=2025,
        quarter=1,
        trigger=RankingRun.Trigger.MANUAL,
        status=RankingRun.Status.RUNNING,
    )
    RankingRun.objects.filter(pk=lost.pk).update(created_at=NOW - datetime.timedelta(hours=2))
    recent = RankingRun.objects.create(
        county=county.county,
        year=2025,
        quarter=2,
        trigger=RankingRun.Trigger.MANUAL,
        status=RankingRun.Status.RUNNING,
    )

    assert runs.request_recompute(year=2025, quarter=1, user=county_admin).pk != lost.pk
    assert runs.request_recompute(year=2025, quarter=2, user=county_admin).pk == recent.pk
