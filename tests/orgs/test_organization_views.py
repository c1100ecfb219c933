"""Organisation pages: list filters and bounded queries, masked profile, forms, history diff."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.identifiers import (
    CREDIT_CODE_CHECKSUM_MESSAGE,
    MOBILE_PREFIX_MESSAGE,
    credit_code_check_char,
)
from core.models import AuditEvent
from orgs.models import CreditListing, Organization, ZombieFlag
from orgs.services.organizations import GRADE_DATE_REQUIRED_MESSAGE
from tests.accounts.factories import UserFactory
from tests.clock import pinned_clock
from tests.orgs.factories import CategoryFactory, MembershipFactory, OrganizationFactory

# Each test runs at the instant the module was imported (see tests/clock.py).
NOW = timezone.now()
TODAY = timezone.localdate(NOW)
_clock = pinned_clock(NOW)
LIST_URL = reverse("orgs:organization_list")


def detail_url(organization):
    return reverse("orgs:organization_detail", kwargs={"pk": organization.pk})


def update_url(organization):
    return reverse("orgs:organization_update", kwargs={"pk": organization.pk})


def listed_names(response):
    return [organization.name for organization in response.context["page"]]


def form_data(organization, **changes):
    """The edit form's fields as a browser would post them, with some values changed."""
    data = {
        "name": organization.name,
        "short_name": organization.short_name,
        "credit_code": organization.credit_code,
        "registration_status": organization.registration_status,
        "legal_form": organization.legal_form,
        "category": organization.category_id or "",
        "community": organization.community_id,
        "address": organization.address,
        "founded_on": organization.founded_on or "",
        "registered_on": organization.registered_on or "",
        "registration_authority": organization.registration_authority,
        "supervising_unit": organization.supervising_unit,
        "leader_name": organization.leader_name,
        "leader_phone": organization.leader_phone,
        "activity_fields": organization.activity_fields,
        "resources": organization.resources,
        "needs": organization.needs,
        "operating_mechanism": organization.operating_mechanism,
        "bottlenecks": organization.bottlenecks,
        "special_teams": organization.special_teams,
        "grade": organization.grade,
        "grade_awarded_on": organization.grade_awarded_on or "",
        "ledger_keeper": organization.ledger_keeper_id or "",
    }
    if organization.in_party_alliance:
        data["in_party_alliance"] = "on"
    data.update(changes)
    return data


# --- list ---


@pytest.fixture
def many_organizations(county):
    """35 organisations across both townships, with members, listings and flags."""
    keeper = UserFactory(role=Role.TOWNSHIP_STAFF, township=county.township_a)
    for number in range(35):
        organization = OrganizationFactory(
            name=f"批量社团{number:02d}",
            community=county.community_a1 if number % 2 else county.community_b1,
            ledger_keeper=keeper,
            grade="3A" if number % 3 == 0 else "",
            grade_awarded_on=datetime.date(2015, 1, 1) if number % 3 == 0 else None,
        )
        MembershipFactory.create_batch(2, organization=organization)
        if number % 5 == 0:
            CreditListing.objects.create(
                organization=organization,
                list_kind=CreditListing.Kind.ABNORMAL,
                reason="未年检",
                listed_on=TODAY,
            )
        if number % 7 == 0:
            ZombieFlag.objects.create(organization=organization, flagged_on=TODAY)
    return county


def test_list_runs_a_bounded_number_of_queries_at_any_size(
    many_organizations, county_admin, client, django_assert_max_num_queries
):
    client.force_login(county_admin)
    # session, user, count, page rows, the filter form's townships, communities, categories
    # and keepers, and the idle-timeout session save (3); no query per row.
    with django_assert_max_num_queries(11):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 38
    assert len(response.context["page"].object_list) == 25


def test_list_query_count_does_not_grow_with_filters_and_sorting(
    many_organizations, county_admin, client, django_assert_max_num_queries
):
    client.force_login(county_admin)
    with django_assert_max_num_queries(11):
        response = client.get(LIST_URL, {"o": "-members", "credit_list": "any", "page": 1})
    assert response.status_code == 200


def test_list_shows_the_total_count_and_paginates_by_25(many_organizations, county_admin, client):
    client.force_login(county_admin)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert first.context["page"].paginator.count == 38
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 13
    assert not set(listed_names(first)) & set(listed_names(second))
    assert "38" in first.content.decode()


def test_list_of_township_staff_holds_only_their_township(
    many_organizations, township_staff, client
):
    client.force_login(township_staff)

    response = client.get(LIST_URL, {"page": 1})

    assert response.context["page"].paginator.count == 2 + 17
    townships = response.context["filter"].form.fields["township"].queryset
    assert list(townships) == [many_organizations.township_a]


def test_member_count_is_of_current_members_only(county, county_admin, client):
    MembershipFactory.create_batch(3, organization=county.org_a1)
    MembershipFactory(organization=county.org_a1, left_on=datetime.date(2023, 1, 1))
    client.force_login(county_admin)

    response = client.get(LIST_URL, {"q": county.org_a1.name})

    assert [o.member_count for o in response.context["page"]] == [3]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("书画", ["幸福社区书画协会"]),
        ("  书画 ", ["幸福社区书画协会"]),
        ("ＷＸ", ["幸福社区书画协会"]),  # full-width letters of the short name
        ("老李", ["和平社区广场舞队"]),
        ("MA0000007", ["王家村秧歌队"]),
        ("ma0000007", ["王家村秧歌队"]),
        ("不存在", []),
    ],
)
def test_search_covers_name_short_name_credit_code_and_leader(
    query, expected, county, county_admin, client
):
    Organization.objects.filter(pk=county.org_a1.pk).update(short_name="WX书画")
    Organization.objects.filter(pk=county.org_a2.pk).update(leader_name="老李")
    first17 = "51990101MA0000007"
    Organization.objects.filter(pk=county.org_b1.pk).update(
        credit_code=first17 + credit_code_check_char(first17)
    )
    client.force_login(county_admin)

    response = client.get(LIST_URL, {"q": query})

    assert listed_names(response) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"township": "a"}, {"幸福社区书画协会", "和平社区广场舞队"}),
        ({"community": "a2"}, {"和平社区广场舞队"}),
        ({"category": "sport"}, {"王家村秧歌队"}),
        ({"legal_form": "social_group"}, {"和平社区广场舞队"}),
        ({"registration_status": "registered"}, {"和平社区广场舞队"}),
        ({"status": "zombie"}, {"王家村秧歌队"}),
        ({"credit_list": "abnormal"}, {"幸福社区书画协会"}),
        ({"credit_list": "serious"}, {"王家村秧歌队"}),
        ({"credit_list": "any"}, {"幸福社区书画协会", "王家村秧歌队"}),
        ({"grade": "4A"}, {"幸福社区书画协会", "和平社区广场舞队"}),
        ({"grade": "expired"}, {"和平社区广场舞队"}),
        ({"ledger_keeper": "keeper"}, {"幸福社区书画协会"}),
    ],
)
def test_list_filters_narrow_the_rows(params, expected, county, county_admin, client):
    # given: three organisations that differ in each filtered field
    keeper = UserFactory(role=Role.TOWNSHIP_STAFF, township=county.township_a)
    sport = CategoryFactory(name="体育健身类")
    Organization.objects.filter(pk=county.org_a1.pk).update(
        grade="4A", grade_awarded_on=TODAY - datetime.timedelta(days=30), ledger_keeper=keeper
    )
    Organization.objects.filter(pk=county.org_a2.pk).update(
        grade="4A",
        grade_awarded_on=datetime.date(2015, 1, 1),
        legal_form=Organization.LegalForm.SOCIAL_GROUP,
        registration_status=Organization.RegistrationStatus.REGISTERED,
    )
    Organization.objects.filter(pk=county.org_b1.pk).update(
        category=sport, status=Organization.Status.SUSPECTED_ZOMBIE
    )
    CreditListing.objects.create(
        organization=county.org_a1, list_kind="abnormal", reason="未年检", listed_on=TODAY
    )
    CreditListing.objects.create(
        organization=county.org_b1, list_kind="serious", reason="违法", listed_on=TODAY
    )
    # an ended listing no longer counts
    CreditListing.objects.create(
        organization=county.org_a2,
        list_kind="abnormal",
        reason="未年检",
        listed_on=datetime.date(2020, 1, 1),
        removed_on=datetime.date(2020, 7, 1),
        removal_reason="已整改",
    )
    values = {
        "a": county.township_a.pk,
        "a2": county.community_a2.pk,
        "sport": sport.pk,
        "keeper": keeper.pk,
    }
    query = {key: values.get(value, value) for key, value in params.items()}
    client.force_login(county_admin)

    # when
    response = client.get(LIST_URL, query)

    # then
    assert set(listed_names(response)) == expected


def test_list_shows_badges_for_listings_zombies_and_expired_grades(county, county_admin, client):
    CreditListing.objects.create(
        organization=county.org_a1, list_kind="abnormal", reason="未年检", listed_on=TODAY
    )
    CreditListing.objects.create(
        organization=county.org_a2, list_kind="serious", reason="违法", listed_on=TODAY
    )
    ZombieFlag.objects.create(organization=county.org_b1, flagged_on=TODAY)
    Organization.objects.filter(pk=county.org_b1.pk).update(
        grade="2A", grade_awarded_on=datetime.date(2016, 5, 1)
    )
    client.force_login(county_admin)

    page = client.get(LIST_URL).content.decode()

    assert page.count('data-testid="badge-abnormal"') == 1
    assert page.count('data-testid="badge-serious"') == 1
    assert page.count('data-testid="badge-zombie"') == 1
    assert page.count('data-testid="badge-grade-expired"') == 1


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("name", ["社团1", "社团2", "社团3"]),
        ("-name", ["社团3", "社团2", "社团1"]),
        ("members", ["社团1", "社团2", "社团3"]),
        ("-members", ["社团3", "社团2", "社团1"]),
        ("category", ["社团2", "社团3", "社团1"]),
        ("community", ["社团3", "社团1", "社团2"]),
        ("-community", ["社团2", "社团1", "社团3"]),
        # never verified comes last either way
        ("verified", ["社团2", "社团1", "社团3"]),
        ("-verified", ["社团1", "社团2", "社团3"]),
    ],
)
def test_list_sorts_by_column(order, expected, county, county_admin, client):
    # given: names with digits, so that the order holds under any database collation
    rows = [
        (county.org_a2, "社团1", "类别3", "社区2", 0, TODAY),
        (county.org_a1, "社团2", "类别1", "社区3", 1, TODAY - datetime.timedelta(days=3)),
        (county.org_b1, "社团3", "类别2", "社区1", 2, None),
    ]
    for organization, name, category, community, members, verified in rows:
        Organization.objects.filter(pk=organization.pk).update(
            name=name, category=CategoryFactory(name=category), last_verified_on=verified
        )
        type(organization.community).objects.filter(pk=organization.community_id).update(
            name=community
        )
        MembershipFactory.create_batch(members, organization=organization)
    client.force_login(county_admin)

    response = client.get(LIST_URL, {"o": order})

    assert listed_names(response) == expected


def test_list_answers_htmx_with_the_table_only(county, county_admin, client):
    client.force_login(county_admin)

    response = client.get(LIST_URL, {"q": "书画"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "<table" in page
    assert "<html" not in page
    assert "幸福社区书画协会" in page


# --- profile ---


def test_profile_masks_the_leader_phone_for_a_secretary(county, secretary, client):
    Organization.objects.filter(pk=county.org_a1.pk).update(leader_phone="13800138000")
    client.force_login(secretary)

    page = client.get(detail_url(county.org_a1)).content.decode()

    assert "138****8000" in page
    assert "13800138000" not in page


def test_profile_shows_the_full_leader_phone_to_township_staff(county, township_staff, client):
    Organization.objects.filter(pk=county.org_a1.pk).update(leader_phone="13800138000")
    client.force_login(township_staff)

    response = client.get(detail_url(county.org_a1))

    assert response.context["leader_phone"] == "13800138000"
    assert "13800138000" in response.content.decode()


def test_profile_shows_every_ledger_field(county, county_admin, client):
    Organization.objects.filter(pk=county.org_a1.pk).update(
        activity_fields="书法培训",
        resources="有专业老师",
        needs="缺少场地",
        operating_mechanism="每周例会",
        bottlenecks="资金不足",
        special_teams="志愿服务队",
        supervising_unit="街道办",
        registration_authority="县民政局",
        address="幸福路1号",
        grade="5A",
        grade_awarded_on=datetime.date(2015, 1, 1),
    )
    client.force_login(county_admin)

    response = client.get(detail_url(county.org_a1))

    page = response.content.decode()
    for text in ("书法培训", "有专业老师", "缺少场地", "每周例会", "资金不足", "志愿服务队"):
        assert text in page
    for text in ("街道办", "县民政局", "幸福路1号", 'data-testid="grade-expired"'):
        assert text in page


def test_profile_links_a_merged_organization_to_its_survivor(county, county_admin, client):
    Organization.objects.filter(pk=county.org_a2.pk).update(
        status=Organization.Status.MERGED, merged_into=county.org_a1
    )
    client.force_login(county_admin)

    page = client.get(detail_url(county.org_a2)).content.decode()

    assert f'href="{detail_url(county.org_a1)}" data-testid="merged-into"' in page


@pytest.mark.parametrize(
    ("persona", "shows_buttons"),
    [
        ("county_admin", True),
        ("township_staff", True),
        ("secretary", False),
        ("official", False),
        ("org_contact", False),
    ],
    indirect=["persona"],
)
def test_edit_and_verify_buttons_only_for_those_who_may(persona, shows_buttons, county, client):
    client.force_login(persona)

    page = client.get(detail_url(county.org_a1)).content.decode()

    assert ('data-testid="edit-organization"' in page) is shows_buttons
    assert ('data-testid="verify-organization"' in page) is shows_buttons


def test_profile_out_of_area_answers_404(county, township_staff, client):
    client.force_login(township_staff)

    assert client.get(detail_url(county.org_b1)).status_code == 404
    assert client.get(update_url(county.org_b1)).status_code == 404


# --- editing and history ---


def test_editing_needs_shows_old_and_new_value_in_the_history(county, township_staff, client):
    # given: an organisation with needs on record
    organization = county.org_a1
    organization.needs = "缺少场地"
    organization.save()
    client.force_login(township_staff)

    # when: township staff change its needs through the form
    response = client.post(update_url(organization), form_data(organization, needs="缺少经费"))

    # then: the page's history shows who changed "actual needs" from old to new
    assert response.status_code == 302
    response = client.get(detail_url(organization))
    newest = response.context["history_entries"][0]
    assert newest["who"] == township_staff
    assert newest["kind"] == "changed"
    assert newest["changes"] == [
        {
            "field": str(Organization._meta.get_field("needs").verbose_name),
            "old": "缺少场地",
            "new": "缺少经费",
        }
    ]
    page = response.content.decode()
    assert "缺少场地" in page
    assert "缺少经费" in page


def test_history_shows_choice_labels_and_related_names(county, county_admin, client):
    organization = county.org_a1
    client.force_login(county_admin)

    client.post(
        update_url(organization),
        form_data(organization, legal_form="foundation", community=county.community_a2.pk),
    )

    changes = client.get(detail_url(organization)).context["history_entries"][0]["changes"]
    assert {change["field"]: (change["old"], change["new"]) for change in changes} == {
        str(Organization._meta.get_field("legal_form").verbose_name): (
            str(Organization.LegalForm.COMMUNITY_ORGANIZATION.label),
            str(Organization.LegalForm.FOUNDATION.label),
        ),
        str(Organization._meta.get_field("community").verbose_name): ("幸福社区", "和平社区"),
    }


def test_history_masks_the_phone_for_roles_without_sensitive_rights(
    county, township_staff, secretary, client
):
    client.force_login(township_staff)
    client.post(update_url(county.org_a1), form_data(county.org_a1, leader_phone="138 0013 8000"))
    client.force_login(secretary)

    page = client.get(detail_url(county.org_a1)).content.decode()

    assert "138****8000" in page
    assert "13800138000" not in page


def test_edit_form_offers_only_communities_of_the_staffs_township(county, township_staff, client):
    client.force_login(township_staff)

    form = client.get(update_url(county.org_a1)).context["form"]

    assert set(form.fields["community"].queryset) == {county.community_a1, county.community_a2}
    assert township_staff in form.fields["ledger_keeper"].queryset


def test_wrong_credit_code_check_digit_is_refused_with_a_clear_message(
    county, township_staff, client
):
    client.force_login(township_staff)
    first17 = "51990101MA0000007"
    wrong = first17 + ("0" if credit_code_check_char(first17) != "0" else "1")

    response = client.post(update_url(county.org_a1), form_data(county.org_a1, credit_code=wrong))

    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"] == [CREDIT_CODE_CHECKSUM_MESSAGE]
    assert CREDIT_CODE_CHECKSUM_MESSAGE in response.content.decode()


def test_form_shows_mobile_and_grade_rule_errors(county, township_staff, client):
    client.force_login(township_staff)

    response = client.post(
        update_url(county.org_a1),
        form_data(county.org_a1, leader_phone="12800138000", grade="3A"),
    )

    errors = response.context["form"].errors
    assert errors["leader_phone"] == [MOBILE_PREFIX_MESSAGE]
    assert errors["grade_awarded_on"] == [str(GRADE_DATE_REQUIRED_MESSAGE)]
    assert county.org_a1.history.count() == 1


def test_township_staff_adds_an_organization(county, township_staff, client):
    client.force_login(township_staff)

    response = client.post(
        reverse("orgs:organization_create"),
        {
            "name": "和平社区读书会",
            "community": county.community_a2.pk,
            "registration_status": "filed",
            "legal_form": "community_org",
            "founded_on": "2020-05-01",
            "leader_phone": "+86 139 0013 9000",
        },
    )

    organization = Organization.objects.get(name="和平社区读书会")
    assert response.status_code == 302
    assert response.url == detail_url(organization)
    assert organization.leader_phone == "13900139000"
    assert organization.history.get().history_user == township_staff


def test_posting_a_community_outside_the_area_is_refused(county, township_staff, client):
    client.force_login(township_staff)

    response = client.post(
        reverse("orgs:organization_create"),
        {
            "name": "越界社团",
            "community": county.community_b1.pk,
            "registration_status": "filed",
            "legal_form": "community_org",
        },
    )

    assert response.status_code == 200
    assert "community" in response.context["form"].errors
    assert not Organization.objects.filter(name="越界社团").exists()


# --- verified today ---


def test_verify_post_sets_last_verified_today(county, township_staff, client):
    client.force_login(township_staff)

    response = client.post(reverse("orgs:organization_verify", kwargs={"pk": county.org_a1.pk}))

    assert response.status_code == 302
    county.org_a1.refresh_from_db()
    assert county.org_a1.last_verified_on == TODAY
    assert AuditEvent.objects.filter(action="organization.verify", actor=township_staff).exists()


def test_verify_refuses_get(county, township_staff, client):
    client.force_login(township_staff)

    response = client.get(reverse("orgs:organization_verify", kwargs={"pk": county.org_a1.pk}))

    assert response.status_code == 405
