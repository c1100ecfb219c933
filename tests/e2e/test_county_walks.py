"""Tried as a county's administrator and a city's official would, at both screen sizes.

Two counties of one city: 平安县 (township A: 幸福社区书画协会, 和平社区广场舞队) and 永宁县
(township B: 王家村秧歌队), each with its ranking of 2026Q3. The county administrator of
平安县 sees exactly their county: its organisations, its ranking, and a missing page for the
other county's record. The city's official compares the two counties and reads each one's
ranking, switching county with the picker.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from areas.models import County, Township
from tests.accounts.factories import UserFactory
from tests.areas.factories import CityFactory, CountyFactory
from tests.e2e.browser import log_in
from tests.scoring.factories import QuarterScoreFactory, ScoringQuarterFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_counties(county):
    city = CityFactory(name="安宁市", code="990100")
    County.objects.filter(pk=county.county.pk).update(city=city)
    other = CountyFactory(name="永宁县", code="990102", city=city)
    Township.objects.filter(pk=county.township_b.pk).update(county=other)
    county.township_b.refresh_from_db()
    for each in (county.county, other):
        ScoringQuarterFactory(county=each, year=2026, quarter=3)
    for org, township, home, total in (
        (county.org_a1, county.township_a, county.county, 80),
        (county.org_a2, county.township_a, county.county, 60),
        (county.org_b1, county.township_b, other, 30),
    ):
        QuarterScoreFactory(
            organization=org,
            township=township,
            county=home,
            year=2026,
            quarter=3,
            total=Decimal(total),
        )
    UserFactory(username="sunming", name="孙明", role=Role.COUNTY_ADMIN, county=county.county)
    UserFactory(username="zhouwen", name="周文", role=Role.OFFICIAL, city=city)
    county.other_county = other
    return county


def test_a_county_admin_sees_exactly_their_county(page, live_server, two_counties, screen):
    log_in(page, live_server, "sunming")

    page.goto(live_server.url + reverse("orgs:organization_list"))
    expect(page.locator("body")).to_contain_text("幸福社区书画协会")
    expect(page.locator("body")).not_to_contain_text("王家村秧歌队")

    far = reverse("orgs:organization_detail", kwargs={"pk": two_counties.org_b1.pk})
    response = page.goto(live_server.url + far)
    assert response is not None and response.status == 404
    expect(page.locator("body")).to_contain_text("页面不存在")

    page.goto(live_server.url + reverse("scoring:ranking") + "?quarter=2026Q3")
    table = page.get_by_test_id("ranking-table")
    expect(table).to_contain_text("幸福社区书画协会")
    expect(table).not_to_contain_text("王家村秧歌队")
    expect(page.get_by_test_id("county-picker")).to_have_count(0)
    comparison = page.goto(live_server.url + reverse("scoring:county_comparison"))
    assert comparison is not None and comparison.status == 200
    expect(page.get_by_test_id("county-row")).to_have_count(1)


def test_a_city_official_compares_the_counties_and_reads_each_ranking(
    page, live_server, two_counties, screen, screenshot
):
    log_in(page, live_server, "zhouwen")

    page.goto(live_server.url + reverse("scoring:county_comparison") + "?quarter=2026Q3")
    rows = page.get_by_test_id("county-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("平安县")
    expect(rows.nth(0)).to_contain_text("70.00")
    expect(rows.nth(1)).to_contain_text("永宁县")
    screenshot(f"county-comparison-{screen}")

    # Each county's ranking is its own: 永宁县's lists only its organisation.
    rows.nth(1).get_by_role("link").click()
    table = page.get_by_test_id("ranking-table")
    expect(table).to_contain_text("王家村秧歌队")
    expect(table).not_to_contain_text("幸福社区书画协会")
    expect(page.get_by_test_id("ranking-county")).to_have_text("永宁县")

    # The picker switches back to 平安县.
    page.get_by_test_id("county-picker").select_option(label="平安县")
    expect(page.get_by_test_id("ranking-county")).to_have_text("平安县")
    expect(page.get_by_test_id("ranking-table")).to_contain_text("幸福社区书画协会")
    expect(page.get_by_test_id("ranking-table")).not_to_contain_text("王家村秧歌队")

    # The overview: all the city's counties, the ranking asked per county; then one county.
    page.goto(live_server.url + reverse("dashboards:overview"))
    expect(page.get_by_test_id("overview-title")).to_have_text("全部县（市、区）概览")
    expect(page.get_by_test_id("ranking-choose-county")).to_be_visible()
    page.get_by_test_id("filter-county").select_option(label="永宁县")
    page.get_by_test_id("overview-filters").get_by_role("button", name="查看").click()
    expect(page.get_by_test_id("overview-title")).to_have_text("永宁县概览")
    expect(page.get_by_test_id("ranking-choose-county")).to_have_count(0)
    options = page.get_by_test_id("filter-township").locator("option")
    expect(options).to_have_text(["全县", "青山镇"])
    screenshot(f"county-overview-{screen}")
