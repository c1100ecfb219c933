"""No picker offers a merged, deregistered or revoked organisation: booking forms, activity
lead and co-organisers, mediation cases, list and export filters, branches, merge targets."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from activities.filters import ActivityFilter, MediationFilter
from activities.forms import ActivityForm, MediationCaseForm
from orgs.models import Organization
from party_branches.forms import BranchCreateForm
from tests.orgs.factories import OrganizationFactory

GONE = [
    Organization.Status.MERGED,
    Organization.Status.DEREGISTERED,
    Organization.Status.REVOKED,
]


@pytest.fixture
def gone(county):
    """One organisation of community A1 in each state that must never be offered."""
    return [
        OrganizationFactory(
            community=county.community_a1,
            name=f"已注销组织{index}",
            status=status,
            merged_into=county.org_a1 if status == Organization.Status.MERGED else None,
        )
        for index, status in enumerate(GONE)
    ]


def offered(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def check(queryset, county, gone):
    pks = offered(queryset)
    assert county.org_a1.pk in pks
    assert not pks & {organization.pk for organization in gone}


def test_pickable_is_active(county, gone):
    check(Organization.objects.pickable(), county, gone)


@pytest.mark.parametrize("url_name", ["venues:booking_create", "venues:booking_series_create"])
def test_booking_forms(client_as, secretary, county, gone, url_name):
    response = client_as(secretary).get(reverse(url_name))

    check(response.context["form"].fields["organization"].queryset, county, gone)


def test_activity_lead_and_co_organisers(secretary, county, gone):
    form = ActivityForm(user=secretary)

    check(form.fields["lead_organization"].queryset, county, gone)
    check(form.fields["co_organizers"].queryset, county, gone)


def test_mediation_case_organisation(secretary, county, gone):
    check(MediationCaseForm(user=secretary).fields["organization"].queryset, county, gone)


@pytest.mark.parametrize("filterset", [ActivityFilter, MediationFilter])
def test_list_and_export_filters(township_staff, county, gone, filterset):
    request = RequestFactory().get("/")
    filters = filterset(request.GET, queryset=None, user=township_staff)

    check(filters.filters["organization"].queryset, county, gone)


def test_branch_organisations(township_staff, county, gone):
    check(BranchCreateForm(user=township_staff).fields["organizations"].queryset, county, gone)


def test_branch_pick_page(client_as, township_staff, county, gone):
    response = client_as(township_staff).get(reverse("party_branches:branch_create"))

    pks = {organization.pk for organization in response.context["page"]}
    assert county.org_a1.pk in pks
    assert not pks & {organization.pk for organization in gone}


def test_merge_targets(client_as, county_admin, county, gone):
    response = client_as(county_admin).get(reverse("orgs:merge_create"))

    form = response.context["form"]
    check(form.fields["survivor"].queryset, county, gone)
    check(form.fields["merged"].queryset, county, gone)
