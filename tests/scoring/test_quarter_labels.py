"""Quarters read "2026年第四季度" wherever a person sees them; run durations are real or absent."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

from party_branches.rules import quarter_label
from scoring.models import RankingRun
from tests.scoring.factories import RankingRunFactory, ScoringQuarterFactory

RANKING = reverse("scoring:ranking")
STARTED = datetime(2026, 10, 9, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_quarter_label_reads_in_chinese():
    assert quarter_label((2026, 4)) == "2026年第四季度"
    assert quarter_label((2025, 1)) == "2025年第一季度"


def test_ranking_page_shows_the_quarter_label_not_its_code(county, client_as, official):
    ScoringQuarterFactory(year=2026, quarter=3)

    response = client_as(official).get(RANKING, {"quarter": "2026Q3"})

    content = response.content.decode()
    assert "2026年第三季度" in content
    assert ">2026Q3<" not in content
    assert "2026Q3 " not in content
    assert ("2026Q3", "2026年第三季度") in response.context["quarter_choices"]


def test_run_panel_hides_a_zero_duration_and_shows_a_real_one(county, client_as, official):
    RankingRunFactory(
        year=2026,
        quarter=3,
        status=RankingRun.Status.SUCCEEDED,
        started_at=STARTED,
        finished_at=STARTED,
    )
    content = client_as(official).get(RANKING, {"quarter": "2026Q3"}).content.decode()
    assert "0.0" not in content

    RankingRunFactory(
        year=2026,
        quarter=3,
        status=RankingRun.Status.SUCCEEDED,
        started_at=STARTED,
        finished_at=STARTED + timedelta(seconds=12, milliseconds=300),
    )
    content = client_as(official).get(RANKING, {"quarter": "2026Q3"}).content.decode()
    assert "12.3" in content
