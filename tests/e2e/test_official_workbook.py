"""A county official's main task, on a desk (1366 × 900) and on a phone (390 × 844): open the
quarter's ranking, narrow it to a township, press 导出 Excel, start the export from a form that
offers the quarter by name, and download the workbook the page described.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.e2e.browser import log_in
from tests.scoring.factories import QuarterScoreFactory, ScoringQuarterFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def third_quarter(county):
    """2026年第三季度 computed: three organisations in two townships."""
    ScoringQuarterFactory(year=2026, quarter=3)
    for org, rank, township_rank, total in (
        (county.org_a1, 1, 1, "61.50"),
        (county.org_b1, 2, 1, "48.25"),
        (county.org_a2, 3, 2, "30.00"),
    ):
        QuarterScoreFactory(
            organization=org,
            year=2026,
            quarter=3,
            total=Decimal(total),
            activity_points=Decimal(total),
            rank_county=rank,
            rank_category=rank,
            rank_township=township_rank,
        )
    return county


def test_official_exports_the_township_ranking_the_page_shows(
    page, live_server, third_quarter, screen, screenshot, tmp_path
):
    county = third_quarter
    UserFactory(username="liu", name="刘主任", role=Role.OFFICIAL)

    # When the official opens the ranking of 2026年第三季度 and narrows it to 青山镇
    log_in(page, live_server, "liu")
    page.goto(live_server.url + reverse("scoring:ranking") + "?quarter=2026Q3")
    expect(page.locator("h1")).to_contain_text("2026年第三季度")
    page.locator("select[name=township]").select_option(str(county.township_b.pk))
    table = page.get_by_test_id("ranking-table")
    expect(table).not_to_contain_text("幸福社区书画协会")
    expect(table).to_contain_text("王家村秧歌队")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(f"official-ranking-{screen}")

    # and presses 导出 Excel: the form offers the quarter by name, with the filters summarised
    page.get_by_test_id("export-ranking").click()
    expect(page.get_by_test_id("export-form")).to_be_visible()
    quarter = page.get_by_test_id("export-quarter")
    expect(quarter.locator("option:checked")).to_have_text("2026年第三季度")
    expect(page.locator("body")).not_to_contain_text("2026Q3")
    expect(page.get_by_test_id("export-summary")).to_contain_text("青山镇")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(f"official-export-form-{screen}")

    # Then the export runs and the workbook downloads under a name a person reads
    page.get_by_test_id("export-start").click()
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-status", "succeeded")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    name = download.value.suggested_filename
    assert "2026年第三季度" in name and name.endswith(".xlsx")
    path = tmp_path / "ranking.xlsx"
    download.value.save_as(path)

    # holding the township the page showed, and not the other township's organisations
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames[0] == "汇总"
    assert "青山镇" in workbook.sheetnames
    text = "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert "王家村秧歌队" in text
    assert "幸福社区书画协会" not in text
    assert "2026年第三季度" in text
