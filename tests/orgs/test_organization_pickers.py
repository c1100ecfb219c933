"""Organisation pickers name the township and community, so namesakes are never confused."""

from django.urls import reverse

from activities.forms import ActivityForm, MediationCaseForm
from orgs.forms.fields import organization_label
from orgs.forms.oversight import MergeSelectionForm
from orgs.models import Organization
from tests.areas.factories import CommunityFactory
from tests.orgs.factories import OrganizationFactory


def make_namesakes(county):
    # The same community name in two townships, each with an organisation of the same name.
    other = CommunityFactory(township=county.township_b, name="幸福社区", code="990101002009")
    first = OrganizationFactory(name="幸福社区书画协会", community=county.community_a1)
    second = OrganizationFactory(name="幸福社区书画协会", community=other)
    return first, second


def option_labels(field):
    return [label for value, label in field.choices if value != ""]


def test_the_label_names_township_and_community(county):
    assert organization_label(county.org_a1) == "幸福社区书画协会（城关街道·幸福社区）"


def test_merge_pickers_tell_namesakes_apart(county, django_assert_max_num_queries):
    first, second = make_namesakes(county)
    form = MergeSelectionForm(
        organizations=Organization.objects.filter(pk__in=[first.pk, second.pk])
    )

    with django_assert_max_num_queries(1):
        labels = option_labels(form.fields["survivor"])

    assert sorted(labels) == [
        "幸福社区书画协会（城关街道·幸福社区）",
        "幸福社区书画协会（青山镇·幸福社区）",
    ]
    assert len(set(option_labels(form.fields["merged"]))) == 2


def test_activity_and_mediation_pickers_show_the_areas(county, county_admin):
    activity_form = ActivityForm(user=county_admin)
    mediation_form = MediationCaseForm(user=county_admin)

    expected = "王家村秧歌队（青山镇·王家村）"
    assert expected in option_labels(activity_form.fields["lead_organization"])
    assert expected in option_labels(activity_form.fields["co_organizers"])
    assert expected in option_labels(mediation_form.fields["organization"])


def test_the_activity_list_filter_shows_the_areas(county, county_admin, client):
    client.force_login(county_admin)

    page = client.get(reverse("activities:activity_list")).content.decode()

    assert "王家村秧歌队（青山镇·王家村）" in page


OPTIONS_URL = reverse("orgs:organization_options")


def test_typing_narrows_the_options_to_visible_matches(
    county, township_staff, client, django_assert_max_num_queries
):
    first, second = make_namesakes(county)
    client.force_login(township_staff)

    with django_assert_max_num_queries(12):
        response = client.get(OPTIONS_URL, {"organization_q": "幸福 书画"})

    page = response.content.decode()
    assert f'<option value="{first.pk}">幸福社区书画协会（城关街道·幸福社区）</option>' in page
    # The namesake in another township is outside this user's area.
    assert f'value="{second.pk}"' not in page
    assert "和平社区广场舞队" not in page


def test_the_options_never_offer_a_merged_or_closed_organisation(county, county_admin, client):
    for status in ("merged", "deregistered", "revoked"):
        OrganizationFactory(
            name=f"幸福书画{status}",
            community=county.community_a1,
            status=status,
            merged_into=county.org_a1 if status == "merged" else None,
        )
    client.force_login(county_admin)

    page = client.get(OPTIONS_URL, {"organization_q": "幸福 书画"}).content.decode()

    assert "幸福社区书画协会" in page
    assert "幸福书画" not in page


def test_the_options_are_bounded(county, county_admin, client):
    for n in range(35):
        OrganizationFactory(name=f"书画社{n:02d}", community=county.community_a1)
    client.force_login(county_admin)

    page = client.get(OPTIONS_URL, {"organization_q": "书画社"}).content.decode()

    assert page.count("<option value=") == 31  # the empty choice and thirty matches


def test_single_pickers_carry_the_search_box(county, county_admin):
    form = MediationCaseForm(user=county_admin)

    html = str(form["organization"])

    assert 'data-testid="organization-search"' in html
    assert f'hx-target="#{form["organization"].auto_id}"' in html
