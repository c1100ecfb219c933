"""Pickers and filters never write every organisation or community of a province into a page.

Beyond BOUNDED_CHOICES_LIMIT a select renders only the chosen option, after an empty choice
saying what to do instead (type to search, or choose a township first); validation still
accepts any choice the user may see.
"""

import re

import pytest
from django.urls import reverse

from core import forms as core_forms
from tests.activities.factories import ActivityFactory
from tests.orgs.factories import PersonFactory


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(core_forms, "BOUNDED_CHOICES_LIMIT", 2)


def options(page: str, select_name: str) -> list[str]:
    select = re.search(rf'<select name="{select_name}".*?</select>', page, re.S)
    assert select is not None, select_name
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


def test_within_the_limit_every_organisation_is_offered(county, client_as, county_admin):
    page = client_as(county_admin).get(reverse("activities:activity_list")).content.decode()

    assert len(options(page, "organization")) == 4  # 全部社会组织 and the county's three


def test_beyond_the_limit_only_the_chosen_organisation_is_rendered(
    county, client_as, county_admin, small_limit
):
    # Given more organisations than the limit, and an activity of one of them
    ActivityFactory(lead_organization=county.org_b1, title="秧歌汇演")
    ActivityFactory(lead_organization=county.org_a1, title="书画展")
    client = client_as(county_admin)

    # When the list is opened without a choice, it asks to type instead of listing them all
    page = client.get(reverse("activities:activity_list")).content.decode()
    assert options(page, "organization") == ["在上方输入名称搜索"]

    # And when one is chosen (from the search), it is shown and the list is filtered by it
    response = client.get(reverse("activities:activity_list"), {"organization": county.org_b1.pk})
    page = response.content.decode()
    assert options(page, "organization") == ["在上方输入名称搜索", "王家村秧歌队（青山镇·王家村）"]
    assert "秧歌汇演" in page
    assert "书画展" not in page


def test_beyond_the_limit_communities_follow_the_chosen_township(
    county, client_as, county_admin, small_limit
):
    PersonFactory(name="李秀兰", community=county.community_b1)
    client = client_as(county_admin)

    page = client.get(reverse("orgs:person_list")).content.decode()
    assert options(page, "community") == ["请先选择街道/乡镇"]

    # Choosing a township (htmx) swaps in its communities beside the table
    response = client.get(
        reverse("orgs:person_list"), {"township": county.township_a.pk}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert 'id="community-filter" data-testid="community-filter" hx-swap-oob="true"' in page
    assert options(page, "community") == ["全部社区", "幸福社区", "和平社区"]

    # A community of the township is accepted and filters the people
    response = client.get(
        reverse("orgs:person_list"),
        {"township": county.township_b.pk, "community": county.community_b1.pk},
    )
    assert "李秀兰" in response.content.decode()
