"""The branch pages: setting up, recording, lists in bounded queries, scope answers 404/403."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from orgs.models import Organization, Person
from party_branches import services
from party_branches.models import Branch, Meeting, RequiredFrequency
from party_branches.selectors import party_tab_context
from tests.areas.factories import CommunityFactory
from tests.orgs.factories import OrganizationFactory
from tests.party_branches.factories import (
    InstructorFactory,
    MeetingFactory,
    make_branch,
    party_members,
)


def _post_branch(client, base, organizations, people, **extra):
    data = {
        "base": base.pk,
        "organizations": [organization.pk for organization in organizations],
        "name": "联合临时党支部",
        "parent_org": "幸福社区党委",
        "established_on": timezone.localdate().isoformat(),
        "member_people": [person.pk for person in people],
        **extra,
    }
    return client.post(reverse("party_branches:branch_create"), data)


def test_set_up_page_lists_eligible_party_members_of_the_chosen_organisations(
    county, township_staff, client_as
):
    formal = party_members(county.org_a1, 1)[0]
    probationary = party_members(county.org_a2, 1, status=Person.PartyStatus.PROBATIONARY)[0]
    elsewhere = party_members(county.org_b1, 1)[0]
    client = client_as(township_staff)
    url = reverse("party_branches:branch_create")

    single = client.get(url, {"organization": county.org_a1.pk})
    joint = client.get(url, {"organization": county.org_a1.pk, "also": county.org_a2.pk})

    assert [p.pk for p in single.context["candidates"]] == [formal.pk]
    assert [p.pk for p in joint.context["candidates"]] == [formal.pk, probationary.pk]
    assert joint.context["formation"] == "joint"
    assert elsewhere.pk not in [p.pk for p in joint.context["candidates"]]
    # Organisations of another township are not offered as partners.
    assert county.org_b1 not in joint.context["partners"]


def test_set_up_from_an_organisation_of_another_township_answers_404(
    county, township_staff, client_as
):
    response = client_as(township_staff).get(
        reverse("party_branches:branch_create"), {"organization": county.org_b1.pk}
    )
    assert response.status_code == 404


def test_joint_branch_refused_with_two_formal_members_then_set_up_with_three(
    county, township_staff, client_as
):
    # given two organisations with two and one formal Party members
    first = party_members(county.org_a1, 2)
    second = party_members(county.org_a2, 1)
    client = client_as(township_staff)

    # when only the two of the first organisation are chosen
    refused = _post_branch(client, county.org_a1, [county.org_a1, county.org_a2], first)

    # then the page says how many formal members there are and how many are needed
    expected = str(services.BRANCH_TOO_FEW_FORMAL_MESSAGE) % {"count": 2, "required": 3}
    assert refused.status_code == 200
    assert expected in refused.content.decode()
    assert not Branch.objects.exists()

    # when the third is ticked
    created = _post_branch(client, county.org_a1, [county.org_a1, county.org_a2], first + second)

    # then the joint branch exists with three members
    branch = Branch.objects.get()
    assert created.status_code == 302
    assert created.url == reverse("party_branches:branch_detail", kwargs={"pk": branch.pk})
    assert branch.formation == "joint"
    assert set(branch.organizations.all()) == {county.org_a1, county.org_a2}
    assert branch.members.count() == 3


def test_posting_an_organisation_of_another_township_is_refused(county, county_admin, client_as):
    people = party_members(county.org_a1, 3)
    response = _post_branch(
        client_as(county_admin), county.org_a1, [county.org_a1, county.org_b1], people
    )
    expected = str(services.BRANCH_ONE_TOWNSHIP_MESSAGE) % {
        "names": county.org_b1.name,
        "township": county.township_a.name,
    }
    assert response.status_code == 200
    assert expected in response.context["form"].non_field_errors()
    assert not Branch.objects.exists()


def test_meeting_form_preselects_current_members_and_records(county, secretary, client_as):
    branch = make_branch([county.org_a1], formal=4)
    gone = branch.members.last()
    gone.left_on = date(2024, 6, 1)
    gone.save()
    client = client_as(secretary)
    url = reverse("party_branches:meeting_record", kwargs={"pk": branch.pk})

    form = client.get(url).context["form"]
    assert sorted(form.initial["attendees"]) == sorted(
        branch.members.filter(left_on__isnull=True).values_list("pk", flat=True)
    )
    assert form.initial.get("held_on") is None or form["held_on"].value() == timezone.localdate()

    response = client.post(
        url,
        {
            "kind": "theme_day",
            "held_on": timezone.localdate().isoformat(),
            "topic": "主题党日：学习党章",
            "attendees": form.initial["attendees"],
            "minutes": "",
        },
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.kind == "theme_day"
    assert meeting.attendees.count() == 3


def test_branch_list_takes_the_same_queries_for_thirty_branches(
    county, township_staff, client_as, django_assert_max_num_queries
):
    client = client_as(township_staff)
    make_branch([county.org_a1])
    url = reverse("party_branches:branch_list")
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(29):
        organization = OrganizationFactory(community=county.community_a2)
        make_branch([organization, OrganizationFactory(community=county.community_a1)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 30


def test_compliance_board_and_coverage_take_bounded_queries(
    county, county_admin, client_as, django_assert_max_num_queries
):
    for _ in range(30):
        organization = OrganizationFactory(community=county.community_a1)
        branch = make_branch([organization], established_on=date(2024, 1, 1))
        MeetingFactory(branch=branch, kind="committee", held_on=date(2024, 2, 1))
        InstructorFactory(organization=OrganizationFactory(community=county.community_b1))
    client = client_as(county_admin)

    with django_assert_max_num_queries(12):
        board = client.get(reverse("party_branches:compliance_board"), {"quarter": "2024Q1"})
    with django_assert_max_num_queries(12):
        cover = client.get(reverse("party_branches:coverage"))
    with django_assert_max_num_queries(12):
        listed = client.get(
            reverse("party_branches:coverage_organizations"), {"figure": "with_instructor"}
        )

    assert board.context["total"] == 30
    assert board.context["behind"] == 30
    assert cover.context["total"].with_branch == 30
    assert listed.context["page"].paginator.count == 30


def test_coverage_pages_townships_under_the_total_of_all(
    county, county_admin, client_as, django_assert_max_num_queries
):
    # given 30 more townships, each with an organisation with a branch
    for _ in range(30):
        community = CommunityFactory()
        make_branch([OrganizationFactory(community=community)], established_on=date(2024, 1, 1))
    client = client_as(county_admin)

    with django_assert_max_num_queries(12):
        first = client.get(reverse("party_branches:coverage"))
    second = client.get(reverse("party_branches:coverage"), {"page": 2})

    # then each page lists its townships and both show the total of every township
    assert len(first.context["townships"]) == 25
    assert len(second.context["townships"]) == first.context["page"].paginator.count - 25 > 0
    for response in (first, second):
        assert response.context["total"].with_branch == 30
        assert response.context["total"].total == Organization.objects.active().count()
    shown = {
        entry["subtotal"].township_id
        for response in (first, second)
        for entry in response.context["townships"]
    }
    assert len(shown) == first.context["page"].paginator.count


def test_coverage_list_narrows_to_township_and_category(county, county_admin, client_as):
    make_branch([county.org_a1])
    make_branch([county.org_b1])
    response = client_as(county_admin).get(
        reverse("party_branches:coverage_organizations"),
        {
            "figure": "with_branch",
            "township": county.township_a.pk,
            "category": county.org_a1.category_id,
        },
    )
    assert list(response.context["page"]) == [county.org_a1]


def test_secretary_cannot_open_branch_of_another_community(county, secretary, client_as):
    branch = make_branch([county.org_a2])
    response = client_as(secretary).get(
        reverse("party_branches:branch_detail", kwargs={"pk": branch.pk})
    )
    assert response.status_code == 404


def test_dissolve_page_closes_the_branch(county, township_staff, client_as):
    branch = make_branch([county.org_a1])
    response = client_as(township_staff).post(
        reverse("party_branches:branch_dissolve", kwargs={"pk": branch.pk}),
        {"dissolved_on": "2025-01-01", "reason": "活动结束"},
    )
    branch.refresh_from_db()
    assert response.status_code == 302
    assert branch.dissolved_on == date(2025, 1, 1)
    assert branch.history.first().history_user == township_staff


def test_county_admin_changes_a_required_frequency(county, county_admin, client_as):
    response = client_as(county_admin).post(
        reverse("party_branches:frequency_list"),
        {"kind": "lecture", "period": "monthly", "count": 2},
    )
    frequency = RequiredFrequency.objects.get(kind="lecture")
    assert response.status_code == 302
    assert (frequency.period, frequency.count) == ("monthly", 2)


@pytest.mark.parametrize(
    ("persona", "can_set_up"),
    [("county_admin", True), ("township_staff", True), ("secretary", False), ("official", False)],
    indirect=["persona"],
)
def test_party_tab_offers_set_up_only_to_editors(county, persona, can_set_up):
    party_members(county.org_a1, 3)
    make_branch([county.org_a2])
    context = party_tab_context(user=persona, organization=county.org_a1)
    request = RequestFactory().get("/")
    request.user = persona
    html = render_to_string(
        "party_branches/partials/_org_party.html",
        {**context, "organization": county.org_a1},
        request=request,
    )

    assert context["party_formal_members"] == 3
    assert context["party_eligible"]
    assert context["party_can_set_up"] is can_set_up
    assert ('data-testid="set-up-branch"' in html) is can_set_up


def test_party_tab_shows_the_branch_and_hides_set_up_when_one_is_active(county, township_staff):
    branch = make_branch([county.org_a1, county.org_a2])
    context = party_tab_context(user=township_staff, organization=county.org_a2)
    assert context["party_branches"] == [branch]
    assert context["party_branches"][0].member_count == 3
    assert not context["party_can_set_up"]
