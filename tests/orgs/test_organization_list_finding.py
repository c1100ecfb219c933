"""Finding organisations: several words, labelled filters, 请选择, dates as 年-月-日."""

import datetime

import pytest
from django import forms
from django.urls import reverse

from orgs.forms.organizations import OrganizationForm
from orgs.models import Organization
from tests.orgs.factories import OrganizationFactory

LIST_URL = reverse("orgs:organization_list")


def listed_names(response):
    return {org.name for org in response.context["page"]}


def test_several_words_must_all_appear(county, county_admin, client, django_assert_max_num_queries):
    OrganizationFactory(name="桂花社区书画协会", community=county.community_a1)
    OrganizationFactory(name="桂花社区舞蹈队", community=county.community_a1)
    OrganizationFactory(name="青山舞蹈队", short_name="桂花队", community=county.community_b1)
    client.force_login(county_admin)

    with django_assert_max_num_queries(20):
        response = client.get(LIST_URL, {"q": "桂花 书画"})

    assert listed_names(response) == {"桂花社区书画协会"}


def test_words_split_on_a_full_width_space_and_match_the_short_name(county, county_admin, client):
    OrganizationFactory(name="青山书画社", short_name="桂花书社", community=county.community_b1)
    client.force_login(county_admin)

    response = client.get(LIST_URL, {"q": "桂花\u3000书画"})

    assert listed_names(response) == {"青山书画社"}


def test_filters_stay_in_the_url_of_a_get_form(county, county_admin, client):
    client.force_login(county_admin)

    response = client.get(LIST_URL, {"q": "书画", "township": county.township_a.pk})

    page = response.content.decode()
    assert 'method="get"' in page
    assert 'hx-push-url="true"' in page
    assert 'value="书画"' in page
    assert f'<option value="{county.township_a.pk}" selected>' in page


def test_every_filter_has_a_visible_label(county, county_admin, client):
    client.force_login(county_admin)

    response = client.get(LIST_URL)

    page = response.content.decode()
    form = response.context["filter"].form
    for name, field in form.fields.items():
        if name == "o":
            continue
        assert f'<label class="form-label small mb-0" for="id_{name}">{field.label}</label>' in page


def test_the_date_filter_is_a_chinese_date_picker(county, county_admin, client):
    client.force_login(county_admin)

    page = client.get(LIST_URL).content.decode()

    assert 'type="date"' in page
    assert 'lang="zh-CN"' in page


def test_the_list_shows_dates_as_year_month_day(county, county_admin, client):
    Organization.objects.filter(pk=county.org_a1.pk).update(
        last_verified_on=datetime.date(2026, 3, 9)
    )
    client.force_login(county_admin)

    page = client.get(LIST_URL).content.decode()

    assert "2026-03-09" in page


def test_selects_offer_please_choose_not_dashes(county, county_admin):
    form = OrganizationForm(user=county_admin)

    selects = [f for f in form.fields.values() if isinstance(f.widget, forms.Select)]
    rendered = "".join(str(form[name]) for name, f in form.fields.items() if f in selects)
    assert selects
    assert "---------" not in rendered
    assert "请选择" in rendered


@pytest.mark.parametrize("url_name", ["orgs:organization_create", "orgs:merge_create"])
def test_pages_with_selects_never_show_dashes(url_name, county, county_admin, client):
    client.force_login(county_admin)

    page = client.get(reverse(url_name)).content.decode()

    assert "---------" not in page
