"""The city's comparison of its counties: each county's figures, never a merged ranking."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from areas.models import County, Township
from tests.accounts.factories import UserFactory
from tests.areas.factories import CityFactory, CountyFactory
from tests.orgs.factories import PersonFactory
from tests.scoring.factories import QuarterScoreFactory, ScoringQuarterFactory

COMPARISON = reverse("scoring:county_comparison")


@pytest.fixture
def city(county):
    """平安县 (township A) and 永宁县 (township B) in 安宁市, each with its 2026Q3 scores."""
    anning = CityFactory(name="安宁市", code="990100")
    County.objects.filter(pk=county.county.pk).update(city=anning)
    other = CountyFactory(name="永宁县", code="990102", city=anning)
    Township.objects.filter(pk=county.township_b.pk).update(county=other)
    county.township_b.refresh_from_db()
    for org, total, activities in ((county.org_a1, 80, 4), (county.org_a2, 60, 0)):
        QuarterScoreFactory(
            organization=org, year=2026, quarter=3, total=Decimal(total), activities=activities
        )
    QuarterScoreFactory(
        organization=county.org_b1,
        township=county.township_b,
        county=other,
        year=2026,
        quarter=3,
        total=Decimal(30),
        activities=2,
    )
    ScoringQuarterFactory(county=county.county, year=2026, quarter=3, state="finalized")
    for _ in range(4):
        PersonFactory(community=county.community_a1)
    PersonFactory(community=county.community_b1)
    county.city = anning
    county.other_county = other
    return county


def test_a_city_official_compares_every_county_of_the_city(
    city, client, django_assert_max_num_queries
):
    official = UserFactory(role=Role.OFFICIAL, city=city.city)
    client.force_login(official)

    with django_assert_max_num_queries(12):
        response = client.get(COMPARISON, {"quarter": "2026Q3"})

    rows = {row.county.name: row for row in response.context["rows"]}
    assert list(rows) == ["平安县", "永宁县"]
    pingan, yongning = rows["平安县"], rows["永宁县"]
    assert (pingan.scored, pingan.ranked, pingan.average) == (2, 2, Decimal("70.00"))
    assert pingan.active_share == Decimal("50.0")
    # 4 verified activities over 4 residents: 10,000 per 10,000 residents.
    assert (pingan.activities, pingan.residents, pingan.activities_per_10k) == (
        4,
        4,
        Decimal("10000.0"),
    )
    assert pingan.finalized and not yongning.finalized
    assert (yongning.scored, yongning.average, yongning.activities_per_10k) == (
        1,
        Decimal("30.00"),
        Decimal("20000.0"),
    )
    content = response.content.decode()
    assert "各县（市、区）对比 · 2026年第三季度" in content
    assert f"county={city.other_county.pk}" in content
    assert "各县对比" in content  # in the menu of a city's staff


def test_a_county_admin_sees_only_their_county_and_no_menu_entry(city, client):
    county_admin = UserFactory(role=Role.COUNTY_ADMIN, county=city.county)
    client.force_login(county_admin)

    response = client.get(COMPARISON, {"quarter": "2026Q3"})
    home = client.get(reverse("home")).content.decode()

    assert [row.county.name for row in response.context["rows"]] == ["平安县"]
    assert "永宁县" not in response.content.decode()
    assert reverse("scoring:county_comparison") not in home


def test_a_city_officials_ranking_is_one_county_at_a_time(city, client):
    official = UserFactory(role=Role.OFFICIAL, city=city.city)
    client.force_login(official)

    first = client.get(reverse("scoring:ranking"), {"quarter": "2026Q3"})
    second = client.get(
        reverse("scoring:ranking"), {"quarter": "2026Q3", "county": city.other_county.pk}
    )

    assert {row.organization for row in first.context["page"]} == {city.org_a1, city.org_a2}
    assert {row.organization for row in second.context["page"]} == {city.org_b1}
    assert 'data-testid="county-picker"' in first.content.decode()


def test_a_county_admin_cannot_open_another_countys_ranking(city, client):
    county_admin = UserFactory(role=Role.COUNTY_ADMIN, county=city.county)
    client.force_login(county_admin)

    response = client.get(
        reverse("scoring:ranking"), {"quarter": "2026Q3", "county": city.other_county.pk}
    )

    # The county asked for is not theirs: they get their own county's ranking.
    assert {row.organization for row in response.context["page"]} == {city.org_a1, city.org_a2}
    assert 'data-testid="county-picker"' not in response.content.decode()
