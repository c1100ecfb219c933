"""The overview of a city's staff: all their counties, or one chosen; ranks never mixed."""

import datetime
from io import BytesIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from areas.models import County
from tests.accounts.factories import UserFactory
from tests.areas.factories import CityFactory, CommunityFactory, CountyFactory, TownshipFactory
from tests.dashboards.factories import QuarterScoreFactory
from tests.orgs.factories import OrganizationFactory

MOMENT = datetime.datetime(2026, 6, 15, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
OVERVIEW = reverse("dashboards:overview")


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(MOMENT, tick=True):
        yield


@pytest.fixture
def city(county):
    """平安县 (the `county` fixture: three organisations) and 永宁县 (two) in 安宁市, each
    with its own ranking of the running quarter."""
    anning = CityFactory(name="安宁市", code="990100")
    County.objects.filter(pk=county.county.pk).update(city=anning)
    yongning = CountyFactory(name="永宁县", code="990102", city=anning)
    township = TownshipFactory(name="永宁镇", code="990102001", county=yongning)
    community = CommunityFactory(township=township, name="永宁社区", code="990102001001")
    yong_1 = OrganizationFactory(name="永宁社区腰鼓队", community=community)
    yong_2 = OrganizationFactory(name="永宁社区读书会", community=community)
    for rank, org in enumerate((county.org_a1, county.org_a2, county.org_b1), start=1):
        QuarterScoreFactory(organization=org, total=90 - rank, rank_county=rank)
    for rank, org in enumerate((yong_1, yong_2), start=1):
        QuarterScoreFactory(organization=org, total=70 - rank, rank_county=rank)
    return SimpleNamespace(
        city=anning,
        pingan=county,
        yongning=yongning,
        yongning_township=township,
        official=UserFactory(role=Role.OFFICIAL, city=anning),
    )


def test_a_city_official_sees_every_county_and_is_asked_to_choose_one_for_the_ranking(city, client):
    client.force_login(city.official)

    response = client.get(OVERVIEW)

    figures = response.context["figures"]
    assert figures["organizations"]["total"] == 5
    assert figures["ranking"]["choose_county"] is True
    assert figures["ranking"]["top"] == []
    content = response.content.decode()
    assert "全部县（市、区）概览" in content
    assert 'data-testid="filter-county"' in content
    assert "请在上方选择一个县（市、区）查看其前10名" in content
    assert [c.name for c in response.context["county_choices"]] == ["平安县", "永宁县"]


def test_choosing_a_county_narrows_every_figure_and_shows_that_countys_ranking(city, client):
    client.force_login(city.official)

    response = client.get(OVERVIEW, {"county": city.yongning.pk})

    figures = response.context["figures"]
    assert figures["organizations"]["total"] == 2
    assert figures["members"]["count"] == 0
    top = figures["ranking"]["top"]
    assert [(row["rank"], row["name"]) for row in top] == [
        (1, "永宁社区腰鼓队"),
        (2, "永宁社区读书会"),
    ]
    assert list(response.context["townships"]) == [city.yongning_township]
    assert "永宁县概览" in response.content.decode()
    assert f"county={city.yongning.pk}" in response.context["xlsx_url"]


def test_a_township_of_another_county_than_the_one_chosen_is_left_behind(city, client):
    client.force_login(city.official)

    response = client.get(
        OVERVIEW, {"county": city.yongning.pk, "township": city.pingan.township_a.pk}
    )

    assert response.status_code == 200
    assert response.context["county"] == city.yongning
    assert response.context["township"] is None


def test_a_township_of_the_chosen_county_opens_its_view(city, client):
    client.force_login(city.official)

    response = client.get(
        OVERVIEW, {"county": city.pingan.county.pk, "township": city.pingan.township_a.pk}
    )

    assert response.status_code == 302
    township_url = reverse("dashboards:township_overview", kwargs={"pk": city.pingan.township_a.pk})
    assert response["Location"].startswith(township_url)
    page = client.get(response["Location"])
    assert [row["name"] for row in page.context["figures"]["ranking"]["top"]] == [
        "幸福社区书画协会",
        "和平社区广场舞队",
    ]
    assert page.context["county"] == city.pingan.county


def test_a_county_outside_the_officials_city_is_not_chosen(city, client):
    elsewhere = CountyFactory(name="远方县", code="980101")
    client.force_login(city.official)

    response = client.get(OVERVIEW, {"county": elsewhere.pk})

    assert response.context["county"] is None
    assert response.context["figures"]["organizations"]["total"] == 5


def test_a_county_admin_has_no_county_picker_and_their_own_ranking(city, county_admin, client):
    client.force_login(county_admin)

    response = client.get(OVERVIEW, {"county": city.yongning.pk})

    assert response.context["county_choices"] == []
    figures = response.context["figures"]
    assert figures["organizations"]["total"] == 3
    assert figures["ranking"]["choose_county"] is False
    assert [row["rank"] for row in figures["ranking"]["top"]] == [1, 2, 3]
    assert 'data-testid="filter-county"' not in response.content.decode()


def test_the_workbook_names_the_chosen_county_or_all_counties(city, client):
    client.force_login(city.official)

    one = client.get(reverse("dashboards:overview_xlsx"), {"county": city.yongning.pk})
    every = client.get(reverse("dashboards:overview_xlsx"))

    assert "overview-990102-2026-" in one["Content-Disposition"]
    first_sheet = load_workbook(BytesIO(one.content)).worksheets[0]
    assert any("永宁县" in str(cell.value) for row in first_sheet.iter_rows() for cell in row)
    sheet = load_workbook(BytesIO(every.content)).worksheets[0]
    assert any("全部县（市、区）" in str(cell.value) for row in sheet.iter_rows() for cell in row)


def test_a_city_officials_home_page_asks_for_a_county_before_ranking(city, client):
    client.force_login(city.official)

    response = client.get(reverse("home"))

    assert response.context["figures"]["ranking"]["choose_county"] is True
    assert response.context["figures"]["organizations"]["total"] == 5
