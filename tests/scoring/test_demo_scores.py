"""The demo's rankings follow the current rules: seed_demo recomputes the open quarter."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from scoring.models import QuarterScore, ScoringQuarter

# A fixed day (mid-quarter, mid-morning local time): the seed reads the clock.
DAY = datetime.datetime(2026, 5, 20, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with time_machine.travel(DAY, tick=False), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
def test_demo_open_quarter_gives_no_satisfaction_points_without_a_rating(db):
    open_quarter = ScoringQuarter.objects.get(year=2026, quarter=2)
    assert not open_quarter.is_finalized
    scores = QuarterScore.objects.filter(year=2026, quarter=2)
    unrated = scores.filter(feedback_count=0)
    rated = scores.filter(feedback_count__gt=0)

    assert unrated.exists() and rated.exists()
    assert not unrated.exclude(satisfaction_points=0).exists()
    assert not unrated.filter(satisfaction_mean__isnull=False).exists()
    assert rated.filter(satisfaction_points__gt=0).exists()
