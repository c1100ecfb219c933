"""People pages: search, masking for every role, logged reveals, add/end/rejoin, merge."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from core.identifiers import ID_NUMBER_CHECKSUM_MESSAGE
from core.models import AuditEvent
from orgs.models import Membership, Person, PersonMerge
from orgs.permissions import can_see_sensitive
from orgs.selectors.people import members_tab_context
from orgs.services import people as services
from tests.orgs.factories import MembershipFactory, PersonFactory, make_id_number

MOBILE = "13912345678"


@pytest.fixture
def resident(county):
    """A resident of community A1, member of organisation A1, with an ID number and a mobile."""
    person = PersonFactory(
        name="李秀英",
        id_number=make_id_number(42, birth=datetime.date(1958, 7, 3)),
        mobile=MOBILE,
        community=county.community_a1,
    )
    MembershipFactory(person=person, organization=county.org_a1)
    return person


@pytest.fixture
def far_resident(county):
    person = PersonFactory(name="王大山", community=county.community_b1)
    MembershipFactory(person=person, organization=county.org_b1)
    return person


def names(response) -> list[str]:
    return [person.name for person in response.context["page"]]


# --- list and search ---


@pytest.mark.parametrize(
    "query",
    [
        "秀英",
        "{id_number}",
        "{id_number_spaced}",
        "{id_last4}",
        "139 1234 5678",
        "+86 13912345678",
        "5678",
    ],
)
def test_people_are_found_by_name_id_number_mobile_or_their_last_four(
    query, resident, far_resident, county_admin, client
):
    PersonFactory(name="张三", mobile="13800000000", community=resident.community)
    query = query.format(
        id_number=resident.id_number,
        id_number_spaced=f" {resident.id_number[:6]} {resident.id_number[6:]} ".lower(),
        id_last4=resident.id_number[-4:],
    )
    client.force_login(county_admin)

    response = client.get(reverse("orgs:person_list"), {"q": query})

    assert names(response) == ["李秀英"]


def test_search_by_id_number_ending_in_x_accepts_lower_case(county, county_admin, client):
    for n in range(1000):
        id_number = make_id_number(n, birth=datetime.date(1966, 10, 1))
        if id_number.endswith("X"):
            break
    PersonFactory(name="赵敏", id_number=id_number, community=county.community_a1)
    client.force_login(county_admin)

    by_full = client.get(reverse("orgs:person_list"), {"q": id_number.lower()})
    by_last4 = client.get(reverse("orgs:person_list"), {"q": id_number[-4:].lower()})

    assert names(by_full) == ["赵敏"]
    assert names(by_last4) == ["赵敏"]


def test_township_staff_search_does_not_find_people_out_of_area(
    resident, far_resident, township_staff, client
):
    client.force_login(township_staff)

    response = client.get(reverse("orgs:person_list"), {"q": far_resident.id_number})

    assert names(response) == []


# Full numbers confirm whose number it is: only roles that may reveal them search by them.
FULL_ID_REFUSED = "您无权按完整身份证号查询，请输入姓名或身份证号后4位"
FULL_MOBILE_REFUSED = "您无权按完整手机号查询，请输入姓名或手机号后4位"
SEARCH_BY_ROLE = [
    # (persona, query kind, found, refusal shown)
    *[
        (persona, kind, True, None)
        for persona in ("county_admin", "township_staff")
        for kind in ("name", "id_full", "id_last4", "mobile_full", "mobile_last4")
    ],
    *[
        row
        for persona in ("secretary", "official", "org_contact")
        for row in (
            (persona, "name", True, None),
            (persona, "id_last4", True, None),
            (persona, "mobile_last4", True, None),
            (persona, "id_full", False, FULL_ID_REFUSED),
            (persona, "id_full_spaced", False, FULL_ID_REFUSED),
            (persona, "mobile_full", False, FULL_MOBILE_REFUSED),
        )
    ],
]


@pytest.mark.parametrize(
    ("persona", "kind", "found", "refusal"), SEARCH_BY_ROLE, indirect=["persona"]
)
def test_only_roles_that_may_reveal_search_by_a_full_id_number_or_mobile(
    persona, kind, found, refusal, resident, client
):
    query = {
        "name": "秀英",
        "id_full": resident.id_number,
        "id_full_spaced": f"{resident.id_number[:6]} {resident.id_number[6:]}",
        "id_last4": resident.id_number[-4:],
        "mobile_full": MOBILE,
        "mobile_last4": MOBILE[-4:],
    }[kind]
    client.force_login(persona)

    page = client.get(reverse("orgs:person_list"), {"q": query})
    fragment = client.get(reverse("orgs:person_list"), {"q": query}, HTTP_HX_REQUEST="true")

    assert names(page) == (["李秀英"] if found else [])
    for response in (page, fragment):
        content = response.content.decode()
        if refusal:
            assert refusal in content
        else:
            assert 'data-testid="search-refusal"' not in content


def test_people_list_filters_by_community_party_membership_and_grid_role(
    county, county_admin, client
):
    PersonFactory(name="甲", community=county.community_a1, is_party_member=True)
    PersonFactory(
        name="乙",
        community=county.community_a2,
        grid_role=Person.GridRole.BUILDING_HEAD,
        grid_community=county.community_a2,
    )
    PersonFactory(name="丙", community=county.community_a2)
    client.force_login(county_admin)
    url = reverse("orgs:person_list")

    assert names(client.get(url, {"community": county.community_a1.pk})) == ["甲"]
    assert names(client.get(url, {"is_party_member": "true"})) == ["甲"]
    assert names(client.get(url, {"grid_role": "any"})) == ["乙"]
    assert names(client.get(url, {"grid_role": "building_head"})) == ["乙"]
    assert sorted(names(client.get(url, {"is_party_member": "false"}))) == ["丙", "乙"]


def test_people_list_runs_a_bounded_number_of_queries(
    county, county_admin, client, django_assert_max_num_queries
):
    for number in range(32):
        person = PersonFactory(community=county.community_a1, mobile=f"139000000{number:02d}")
        MembershipFactory(person=person, organization=county.org_a1)
        MembershipFactory(person=person, organization=county.org_a2)
    client.force_login(county_admin)

    # session, user, count, page, memberships prefetch, the filter's townships and
    # communities, session save
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orgs:person_list"))

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 32
    assert len(response.context["page"].object_list) == 25


def test_people_list_answers_htmx_with_the_table_only(resident, county_admin, client):
    client.force_login(county_admin)

    response = client.get(reverse("orgs:person_list"), HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "<table" in page
    assert "<html" not in page


def test_merged_people_leave_the_list_but_their_page_points_to_the_kept_record(
    county, resident, township_staff, client
):
    duplicate = PersonFactory(name="李秀英", id_number="", community=county.community_a1)
    duplicate.merged_into = resident
    duplicate.save()
    client.force_login(township_staff)

    listing = client.get(reverse("orgs:person_list"), {"q": "李秀英"})
    page = client.get(reverse("orgs:person_detail", kwargs={"pk": duplicate.pk}))

    assert [p.pk for p in listing.context["page"]] == [resident.pk]
    assert page.status_code == 200
    content = page.content.decode()
    assert 'data-testid="merged-into"' in content
    assert reverse("orgs:person_detail", kwargs={"pk": resident.pk}) in content


# --- masking and reveal ---


@pytest.mark.parametrize(
    "persona",
    ["county_admin", "township_staff", "secretary", "official", "org_contact"],
    indirect=True,
)
def test_every_role_sees_only_masked_id_numbers_and_mobiles_on_list_and_person_page(
    persona, county, resident, client
):
    client.force_login(persona)

    pages = [
        client.get(reverse("orgs:person_list")),
        # search results (the table only: the search box echoes what the user typed); only
        # roles that may reveal numbers search by a full one
        client.get(
            reverse("orgs:person_list"),
            {"q": resident.id_number if can_see_sensitive(persona) else resident.id_number[-4:]},
            HTTP_HX_REQUEST="true",
        ),
        client.get(reverse("orgs:person_detail", kwargs={"pk": resident.pk})),
    ]

    for response in pages:
        content = response.content.decode()
        assert response.status_code == 200
        assert resident.id_number not in content
        assert MOBILE not in content
        assert resident.masked_id_number in content
        assert "139****5678" in content


def test_the_members_section_shows_masked_identifiers(county, resident, county_admin):
    context = members_tab_context(user=county_admin, organization=county.org_a1)

    html = render_to_string(
        "orgs/partials/_org_members.html", {**context, "organization": county.org_a1}
    )

    assert resident.masked_id_number in html
    assert resident.id_number not in html
    assert MOBILE not in html
    assert reverse("orgs:membership_add", kwargs={"org_pk": county.org_a1.pk}) in html


@pytest.mark.parametrize(
    ("persona", "shows_button"),
    [
        ("county_admin", True),
        ("township_staff", True),
        ("secretary", False),
        ("official", False),
        ("org_contact", False),
    ],
    indirect=["persona"],
)
def test_only_sensitive_roles_get_the_reveal_button(persona, shows_button, resident, client):
    client.force_login(persona)

    response = client.get(reverse("orgs:person_detail", kwargs={"pk": resident.pk}))

    assert ('data-testid="reveal"' in response.content.decode()) is shows_button


def test_reveal_shows_the_full_values_and_logs_who_saw_whose(resident, township_staff, client):
    client.force_login(township_staff)

    response = client.post(
        reverse("orgs:person_reveal", kwargs={"pk": resident.pk}), HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert resident.id_number in content
    assert MOBILE in content
    assert "<html" not in content
    event = AuditEvent.objects.get(action="person.reveal")
    assert event.actor == township_staff
    assert event.object_type == "orgs.person"
    assert event.object_id == str(resident.pk)
    assert resident.id_number not in event.summary


@pytest.mark.parametrize("persona", ["secretary", "official", "org_contact"], indirect=True)
def test_reveal_is_refused_to_roles_without_sensitive_access(persona, resident, client):
    client.force_login(persona)

    response = client.post(reverse("orgs:person_reveal", kwargs={"pk": resident.pk}))

    assert response.status_code == 403
    assert resident.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.reveal").exists()


def test_reveal_of_a_person_out_of_area_answers_404(far_resident, township_staff, client):
    client.force_login(township_staff)

    response = client.post(reverse("orgs:person_reveal", kwargs={"pk": far_resident.pk}))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="person.reveal").exists()


# --- person page and edit ---


def test_person_page_lists_only_memberships_in_visible_organisations(
    county, resident, secretary, client
):
    MembershipFactory(person=resident, organization=county.org_b1)
    MembershipFactory(
        person=resident,
        organization=county.org_a2,
        left_on=datetime.date(2022, 5, 1),
        left_reason="搬家",
    )
    client.force_login(secretary)

    response = client.get(reverse("orgs:person_detail", kwargs={"pk": resident.pk}))

    organisations = [m.organization.name for m in response.context["memberships"]]
    assert organisations == [county.org_a1.name]


def test_editing_a_person_fills_birth_date_and_keeps_history_masked(county, township_staff, client):
    person = PersonFactory(name="陈红", id_number="", community=county.community_a1)
    id_number = make_id_number(77, birth=datetime.date(1990, 12, 31))
    client.force_login(township_staff)

    response = client.post(
        reverse("orgs:person_update", kwargs={"pk": person.pk}),
        {
            "name": "陈红",
            "id_number": id_number,
            "mobile": "139 0000 1111",
            "community": county.community_a1.pk,
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.id_number == id_number
    assert person.birth_date == datetime.date(1990, 12, 31)
    assert person.mobile == "13900001111"
    page = client.get(reverse("orgs:person_detail", kwargs={"pk": person.pk})).content.decode()
    assert person.masked_id_number in page
    assert id_number not in page
    assert person.history.first().history_user == township_staff


def test_editing_a_person_with_a_wrong_check_digit_shows_the_chinese_message(
    county, township_staff, client
):
    person = PersonFactory(name="陈红", id_number="", community=county.community_a1)
    valid = make_id_number(78)
    client.force_login(township_staff)

    response = client.post(
        reverse("orgs:person_update", kwargs={"pk": person.pk}),
        {"name": "陈红", "id_number": valid[:-1] + ("1" if valid[-1] != "1" else "2")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [ID_NUMBER_CHECKSUM_MESSAGE]
    person.refresh_from_db()
    assert person.id_number == ""


# --- add, end and rejoin memberships ---


def test_adding_a_member_with_a_wrong_check_digit_writes_nothing(county, township_staff, client):
    valid = make_id_number(90)
    counts = (Person.objects.count(), Membership.objects.count())
    client.force_login(township_staff)

    response = client.post(
        reverse("orgs:membership_add", kwargs={"org_pk": county.org_a1.pk}),
        {
            "id_number": valid[:-1] + ("1" if valid[-1] != "1" else "2"),
            "name": "孙丽",
            "role": "member",
            "joined_on": "2022-01-01",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [ID_NUMBER_CHECKSUM_MESSAGE]
    assert (Person.objects.count(), Membership.objects.count()) == counts


def test_adding_a_member_by_id_number_reuses_the_resident(
    county, far_resident, township_staff, client
):
    people = Person.objects.count()
    client.force_login(township_staff)

    response = client.post(
        reverse("orgs:membership_add", kwargs={"org_pk": county.org_a1.pk}),
        {
            "id_number": far_resident.id_number,
            "name": far_resident.name,
            "role": "core",
            "joined_on": "2022-01-01",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert Person.objects.count() == people
    assert far_resident.memberships.count() == 2
    messages = [str(m) for m in response.context["messages"]]
    assert any(far_resident.name in m for m in messages)


def test_ending_and_rejoining_through_the_pages(county, resident, township_staff, client):
    membership = resident.memberships.get()
    client.force_login(township_staff)

    ended = client.post(
        reverse("orgs:membership_end", kwargs={"pk": membership.pk}),
        {"left_on": "2023-03-01", "reason": "外出务工"},
    )
    rejoined = client.post(reverse("orgs:membership_rejoin", kwargs={"pk": membership.pk}))

    assert ended.status_code == 302
    assert rejoined.status_code == 302
    rows = list(resident.memberships.order_by("pk").values_list("left_on", "left_reason"))
    assert rows == [(datetime.date(2023, 3, 1), "外出务工"), (None, "")]


def test_rejoining_twice_is_refused_with_a_message(county, resident, township_staff, client):
    membership = resident.memberships.get()
    membership.left_on = datetime.date(2023, 3, 1)
    membership.save()
    client.force_login(township_staff)
    url = reverse("orgs:membership_rejoin", kwargs={"pk": membership.pk})

    client.post(url, follow=True)
    response = client.post(url, follow=True)

    assert resident.memberships.count() == 2
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


# --- merge ---


def test_merge_page_previews_both_people_and_what_moves_then_merges(
    county, resident, township_staff, client
):
    duplicate = PersonFactory(name="李秀英", id_number="", community=county.community_a1)
    MembershipFactory(person=duplicate, organization=county.org_a2)
    client.force_login(township_staff)
    url = reverse("orgs:person_merge") + f"?keep={resident.pk}&merge={duplicate.pk}"

    preview = client.get(url)
    confirmed = client.post(url, {"reason": "同一人重复录入"})

    assert preview.status_code == 200
    assert [m.organization for m in preview.context["plan"]["moves"]] == [county.org_a2]
    assert 'data-testid="merge-preview"' in preview.content.decode()
    assert confirmed.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == resident
    assert PersonMerge.objects.get().merged_by == township_staff
    assert resident.memberships.count() == 2


def test_merge_page_shows_the_refusal_for_two_different_id_numbers(
    county, resident, township_staff, client
):
    other = PersonFactory(name="李秀英", community=county.community_a1)
    client.force_login(township_staff)
    url = reverse("orgs:person_merge") + f"?keep={resident.pk}&merge={other.pk}"

    response = client.post(url, {"reason": "重复"})

    assert response.status_code == 200
    assert 'data-testid="merge-refusal"' in response.content.decode()
    other.refresh_from_db()
    assert other.merged_into is None


def test_merge_page_with_a_person_out_of_area_answers_404(
    resident, far_resident, township_staff, client
):
    client.force_login(township_staff)

    response = client.get(
        reverse("orgs:person_merge") + f"?keep={resident.pk}&merge={far_resident.pk}"
    )

    assert response.status_code == 404


def test_merge_search_offers_only_records_the_user_may_change(
    resident, far_resident, township_staff, client
):
    client.force_login(township_staff)

    response = client.get(reverse("orgs:person_merge"), {"keep": resident.pk, "q": "王大山"})

    assert list(response.context["candidates"]) == []


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("township_staff", "1958-07-03"), ("secretary", "1958"), ("org_contact", "1958")],
    indirect=["persona"],
)
def test_birth_date_comes_from_the_id_number_and_is_shown_in_full_only_to_sensitive_roles(
    persona, shown, resident, client
):
    client.force_login(persona)

    response = client.get(reverse("orgs:person_detail", kwargs={"pk": resident.pk}))

    assert response.context["birth_date"] == shown
    assert ("1958-07-03" in response.content.decode()) is (shown == "1958-07-03")


def test_editing_a_person_to_an_id_number_already_used_says_so_on_the_field(
    county, resident, township_staff, client
):
    person = PersonFactory(name="陈红", id_number="", community=county.community_a1)
    client.force_login(township_staff)

    response = client.post(
        reverse("orgs:person_update", kwargs={"pk": person.pk}),
        {"name": "陈红", "id_number": resident.id_number},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [
        services.ID_NUMBER_TAKEN_VISIBLE_MESSAGE % {"name": resident.name}
    ]


@pytest.mark.parametrize(
    ("persona", "birth_date_shown"),
    [("township_staff", "1990-12-31"), ("secretary", "1990")],
    indirect=["persona"],
)
def test_person_history_masks_the_id_and_shows_the_birth_date_by_role(
    persona, birth_date_shown, county, township_staff, client
):
    # given a resident whose ID number and mobile were added later by township staff
    person = PersonFactory(name="陈红", id_number="", community=county.community_a1)
    MembershipFactory(person=person, organization=county.org_a1)
    id_number = make_id_number(78, birth=datetime.date(1990, 12, 31))
    services.person_update(
        actor=township_staff,
        person=person,
        name="陈红",
        id_number=id_number,
        mobile="13900001111",
        community=county.community_a1,
    )
    client.force_login(persona)

    response = client.get(reverse("orgs:person_detail", kwargs={"pk": person.pk}))

    changes = {
        change["field"]: change["new"]
        for entry in response.context["history"]
        for change in entry["changes"]
    }
    assert changes["身份证号"] == person.masked_id_number
    assert changes["手机号"] == "139****1111"
    assert changes["出生日期"] == birth_date_shown
    page = response.content.decode()
    assert id_number not in page
    assert "13900001111" not in page
