"""Quarters read "2026年第四季度" wherever a person sees them; run durations are real or absent."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

from core.quarters import quarter_label
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


def test_ranking_page_exports_what_it_shows(county, client_as, official):
    # Given an official on the township tab of 2026年第三季度, filtered by a name
    ScoringQuarterFactory(year=2026, quarter=3)

    response = client_as(official).get(
        RANKING,
        {"quarter": "2026Q3", "scope": "township", "township": county.township_b.pk, "q": "秧歌"},
    )

    # Then 导出 Excel opens the export form with the same quarter, tab and filters
    export_url = response.context["export_url"]
    assert export_url in response.content.decode().replace("&amp;", "&")
    form = client_as(official).get(export_url)
    assert form.status_code == 200
    assert form.context["kind"] == "ranking"
    assert form.context["params"] == {
        "quarter": ["2026Q3"],
        "scope": ["township"],
        "township": [str(county.township_b.pk)],
        "q": ["秧歌"],
        "county": [str(county.county.pk)],
    }
    assert ("2026Q3", "2026年第三季度") in form.context["quarter_choices"]


def test_category_tab_exports_the_category_it_defaulted_to(county, client_as, official):
    ScoringQuarterFactory(year=2026, quarter=3)

    response = client_as(official).get(RANKING, {"quarter": "2026Q3", "scope": "category"})

    shown = response.context["filter"].data["category"]
    assert f"category={shown}" in response.context["export_url"]


def test_export_form_offers_the_computed_quarters_for_the_ranking(county, client_as, official):
    # Given two computed quarters and one row never computed
    ScoringQuarterFactory(year=2026, quarter=1)
    ScoringQuarterFactory(year=2025, quarter=4)
    ScoringQuarterFactory(year=2025, quarter=2, computed_at=None)

    form = client_as(official).get(reverse("exports:export_create"), {"ledger": "ranking"})

    # Then the quarter is chosen from a list of them, read in Chinese, newest first
    assert form.context["quarter_choices"] == [
        ("2026Q1", "2026年第一季度"),
        ("2025Q4", "2025年第四季度"),
    ]
    content = form.content.decode()
    assert '<select class="form-select" id="export-quarter" name="quarter"' in content
    assert 'placeholder="2026Q3"' not in content
    assert 2026 in form.context["year_choices"]


def test_awards_page_reads_quarters_in_words_and_exports_its_year(county, client_as, official):
    ScoringQuarterFactory(year=2026, quarter=2)

    response = client_as(official).get(reverse("scoring:awards"), {"year": 2026})

    content = response.content.decode()
    assert "第一季度" in content
    assert "第二季度" in content
    assert "Q1 " not in content
    assert response.context["export_url"].endswith(
        f"ledger=awards&year=2026&county={county.county.pk}"
    )
