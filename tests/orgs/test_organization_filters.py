"""The community filter stays small at city and province scale."""

import datetime

import pytest
from django.urls import reverse

from orgs import filters
from tests.party_branches.factories import make_branch

LIST_URL = reverse("orgs:organization_list")


def offered_communities(response):
    field = response.context["filter"].form.fields["community"]
    return [label for value, label in field.widget.choices if value != ""]


def test_all_visible_communities_are_offered_when_there_are_few(county, county_admin, client):
    client.force_login(county_admin)

    response = client.get(LIST_URL)

    assert offered_communities(response) == ["幸福社区", "和平社区", "王家村"]


def test_too_many_communities_wait_for_a_township(county, county_admin, client, monkeypatch):
    monkeypatch.setattr(filters, "COMMUNITY_CHOICES_LIMIT", 2)
    client.force_login(county_admin)

    unfiltered = client.get(LIST_URL)
    in_township = client.get(LIST_URL, {"township": county.township_a.pk})

    assert offered_communities(unfiltered) == []
    assert "请先选择街道/乡镇" in unfiltered.content.decode()
    assert offered_communities(in_township) == ["幸福社区", "和平社区"]


def test_a_community_outside_the_offered_choices_still_filters(
    county, county_admin, client, monkeypatch
):
    monkeypatch.setattr(filters, "COMMUNITY_CHOICES_LIMIT", 2)
    client.force_login(county_admin)

    response = client.get(LIST_URL, {"community": county.community_b1.pk})

    names = {org.name for org in response.context["page"]}
    assert names == {"王家村秧歌队"}


def test_htmx_table_refresh_also_swaps_the_community_choices(county, county_admin, client):
    client.force_login(county_admin)

    response = client.get(LIST_URL, {"township": county.township_b.pk}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert 'id="community-filter" hx-swap-oob="true"' in page
    assert "王家村" in page
    assert "幸福社区</option>" not in page


@pytest.mark.parametrize(
    ("value", "expected"),
    [("branch", {"幸福社区书画协会"}), ("no_branch", {"和平社区广场舞队", "王家村秧歌队"})],
)
def test_list_filters_by_active_party_branch(value, expected, county, county_admin, client):
    # given an active branch in org A1 and a dissolved one in org A2
    make_branch([county.org_a1])
    dissolved = make_branch([county.org_a2])
    dissolved.dissolved_on = datetime.date(2025, 6, 1)
    dissolved.save()
    client.force_login(county_admin)

    response = client.get(LIST_URL, {"party_coverage": value})

    assert {org.name for org in response.context["page"]} == expected
