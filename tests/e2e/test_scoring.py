"""Tried as the county admin would: the quarter ranking, a township's tab, one group's score.

The admin opens the published ranking of a past quarter, switches to the township tab, opens
an organisation from its row and sees its points explained and its trend drawn by Chart.js.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.e2e.browser import log_in
from tests.scoring.factories import QuarterScoreFactory, ScoringQuarterFactory

pytestmark = pytest.mark.e2e


def test_admin_reads_the_ranking_by_township_and_an_organisations_score(
    page, live_server, county, screenshot
):
    # given two scored quarters of three organisations in two townships
    UserFactory(username="wang", name="王科长", role=Role.COUNTY_ADMIN)
    for quarter in (1, 2):
        ScoringQuarterFactory(year=2026, quarter=quarter)
    for quarter, ranks in ((1, (2, 1, 3)), (2, (1, 2, 3))):
        for org, rank, township_rank in zip(
            (county.org_a1, county.org_b1, county.org_a2), ranks, (1, 1, 2), strict=True
        ):
            QuarterScoreFactory(
                organization=org,
                year=2026,
                quarter=quarter,
                activities=5 - rank,
                activity_points=Decimal(5 * (5 - rank)),
                rank_county=rank,
                rank_category=rank,
                rank_township=township_rank if quarter == 2 else 1,
                previous_rank_county=None if quarter == 1 else (2, 1, 3)[(1, 2, 3).index(rank)],
            )

    # when the county admin opens the ranking of 2026Q2
    log_in(page, live_server, "wang")
    page.goto(live_server.url + reverse("scoring:ranking") + "?quarter=2026Q2")
    expect(page.get_by_test_id("ranking-table")).to_contain_text("幸福社区书画协会")
    expect(page.get_by_test_id("ranking-table")).to_contain_text("王家村秧歌队")
    expect(page.get_by_test_id("run-panel")).to_be_visible()

    # and switches to the township tab (township A by default)
    page.get_by_test_id("tab-township").click()
    expect(page).to_have_url(re.compile(r"scope=township"))
    table = page.get_by_test_id("ranking-table")
    expect(table).to_contain_text("幸福社区书画协会")
    expect(table).not_to_contain_text("王家村秧歌队")
    screenshot("scoring-ranking-township")

    # and opens the organisation's score page from its row
    table.get_by_role("link", name="幸福社区书画协会").click()
    expect(page).to_have_url(re.compile(rf"/scoring/organizations/{county.org_a1.pk}/"))

    # then every figure is explained and the trend chart is drawn
    explanation = page.get_by_test_id("explanation")
    expect(explanation).to_be_visible()
    expect(page.get_by_test_id("indicator-activity")).to_contain_text("×")
    canvas = page.get_by_test_id("trend-chart")
    expect(canvas).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('score-trend') !== undefined")
    assert page.evaluate("Chart.getChart('score-trend').data.labels") == [
        "2026年第一季度",
        "2026年第二季度",
    ]
    expect(page.get_by_test_id("trend-table")).to_contain_text("2026年第一季度")
    screenshot("scoring-organization-score")
