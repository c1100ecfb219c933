"""The organisation page: members paged and searchable, sections fold, a print view on A4."""

import time_machine
from django.urls import reverse

from orgs.selectors.people import MEMBERS_PAGE_SIZE
from tests.orgs.factories import MembershipFactory, PersonFactory


def add_members(organization, count):
    for n in range(count):
        MembershipFactory(organization=organization, person=PersonFactory(name=f"成员{n:02d}"))


def detail_url(organization):
    return reverse("orgs:organization_detail", kwargs={"pk": organization.pk})


def test_members_are_paged(county, county_admin, client, django_assert_max_num_queries):
    add_members(county.org_a1, MEMBERS_PAGE_SIZE + 5)
    client.force_login(county_admin)

    with django_assert_max_num_queries(40):
        first = client.get(detail_url(county.org_a1))
    second = client.get(detail_url(county.org_a1), {"member_page": 2})

    assert len(first.context["current_members"]) == MEMBERS_PAGE_SIZE
    assert len(second.context["current_members"]) == 5
    assert first.context["member_count"] == MEMBERS_PAGE_SIZE + 5
    assert 'data-testid="member-pages"' in first.content.decode()


def test_members_are_searched_by_name(county, county_admin, client):
    add_members(county.org_a1, 30)
    client.force_login(county_admin)

    response = client.get(detail_url(county.org_a1), {"member_q": "成员 07"})

    assert [m.person.name for m in response.context["current_members"]] == ["成员07"]
    assert 'value="成员 07"' in response.content.decode()


def test_the_sections_fold(county, county_admin, client):
    client.force_login(county_admin)

    page = client.get(detail_url(county.org_a1)).content.decode()

    for section in ("members", "oversight", "party", "activities", "score", "history"):
        assert f'data-testid="fold-{section}"' in page
    assert page.count("<details") >= 6
    assert reverse("orgs:organization_print", kwargs={"pk": county.org_a1.pk}) in page


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_the_print_view_holds_the_whole_record(
    county, county_admin, client, django_assert_max_num_queries
):
    add_members(county.org_a1, MEMBERS_PAGE_SIZE + 5)
    client.force_login(county_admin)
    url = reverse("orgs:organization_print", kwargs={"pk": county.org_a1.pk})

    with django_assert_max_num_queries(40):
        response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["current_members"]) == MEMBERS_PAGE_SIZE + 5
    assert "@page { size: A4" in page
    for testid in ("profile", "org-members", "history"):
        assert f'data-testid="{testid}"' in page
    assert "2026-11-20" in page
    assert "城关街道·幸福社区" in page
    assert "<details" not in page


def test_the_print_view_is_scoped(county, secretary, client):
    client.force_login(secretary)

    response = client.get(reverse("orgs:organization_print", kwargs={"pk": county.org_b1.pk}))

    assert response.status_code == 404
