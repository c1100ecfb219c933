"""Area pages: bounded queries at any size, clear Chinese errors, audited changes."""

import pytest
from django.urls import reverse

from areas.models import Community, Township
from core.models import AuditEvent
from tests.areas.factories import CommunityFactory, TownshipFactory


@pytest.fixture
def big_county(county):
    for number in range(30):
        township = TownshipFactory(name=f"大镇{number}", code=f"9901013{number:02d}")
        CommunityFactory.create_batch(3, township=township)
    return county


@pytest.mark.parametrize("url_name", ["areas:township_list", "areas:community_list"])
def test_list_pages_run_a_bounded_number_of_queries(
    url_name, big_county, county_admin, client, django_assert_max_num_queries
):
    client.force_login(county_admin)
    # session, user, count, page, the filter form's townships, and the idle-timeout session save
    with django_assert_max_num_queries(8):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 25


def test_community_list_filters_by_township_and_search(county, county_admin, client):
    client.force_login(county_admin)

    response = client.get(
        reverse("areas:community_list"), {"township": county.township_a.pk, "q": "幸福"}
    )

    assert [c.name for c in response.context["page"]] == ["幸福社区"]


def test_community_list_answers_htmx_with_the_table_only(county, county_admin, client):
    client.force_login(county_admin)

    response = client.get(reverse("areas:community_list"), HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "<table" in page
    assert "<html" not in page


def test_township_staff_list_shows_only_their_communities(county, township_staff, client):
    client.force_login(township_staff)

    response = client.get(reverse("areas:community_list"))

    assert {c.name for c in response.context["page"]} == {"幸福社区", "和平社区"}


def test_county_admin_adds_a_township_and_the_change_is_audited(county_admin, client, county):
    client.force_login(county_admin)

    response = client.post(
        reverse("areas:township_create"),
        {"name": "新城街道", "kind": "street", "code": "990101021", "is_active": "on"},
    )

    township = Township.objects.get(name="新城街道")
    assert response.status_code == 302
    assert response.url == reverse("areas:township_detail", kwargs={"pk": township.pk})
    event = AuditEvent.objects.get(action="township.create")
    assert event.actor == county_admin
    assert event.object_id == str(township.pk)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "99010"}, "code", "街道/乡镇代码应为 9 位统计用区划代码（纯数字）。"),
        ({"code": "99010100A"}, "code", "街道/乡镇代码应为 9 位统计用区划代码（纯数字）。"),
        ({"name": ""}, "name", "该字段是必填项。"),
        ({"name": "城关街道"}, "name", "平安县已有名为“城关街道”的街道/乡镇。"),
    ],
)
def test_township_form_explains_bad_input_in_chinese(
    data, field, message, county_admin, client, county
):
    client.force_login(county_admin)
    form = {"name": "新城街道", "kind": "street", "code": "990101021", **data}

    response = client.post(reverse("areas:township_create"), form)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not AuditEvent.objects.exists()


def test_community_code_must_start_with_its_township_code(county_admin, client, county):
    client.force_login(county_admin)

    response = client.post(
        reverse("areas:community_create"),
        {
            "township": county.township_a.pk,
            "name": "新建社区",
            "kind": "community",
            "code": "990101002009",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "社区/村代码的前 9 位必须是所属街道/乡镇的代码 990101001。"
    ]
    assert not Community.objects.filter(name="新建社区").exists()


def test_editing_a_community_records_what_changed(county_admin, client, county):
    client.force_login(county_admin)
    community = county.community_a1

    response = client.post(
        reverse("areas:community_update", kwargs={"pk": community.pk}),
        {
            "township": community.township_id,
            "name": "幸福里社区",
            "kind": "community",
            "code": community.code,
            "address": "幸福路 1 号",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    community.refresh_from_db()
    assert community.name == "幸福里社区"
    event = AuditEvent.objects.get(action="community.update")
    assert event.changes == {
        "name": ["幸福社区", "幸福里社区"],
        "address": ["", "幸福路 1 号"],
    }


def test_a_city_official_sees_each_townships_county_and_picks_one(county, client):
    from accounts.roles import Role
    from areas.models import County
    from tests.accounts.factories import UserFactory
    from tests.areas.factories import CityFactory, CountyFactory

    city = CityFactory(name="安宁市", code="990100")
    County.objects.filter(pk=county.county.pk).update(city=city)
    yongning = CountyFactory(name="永宁县", code="990102", city=city)
    TownshipFactory(name="永宁镇", code="990102001", county=yongning)
    client.force_login(UserFactory(role=Role.OFFICIAL, city=city))

    every = client.get(reverse("areas:township_list"))
    one = client.get(reverse("areas:township_list"), {"county": yongning.pk})

    assert [(t.name, t.county.name) for t in every.context["page"]] == [
        ("城关街道", "平安县"),
        ("青山镇", "平安县"),
        ("永宁镇", "永宁县"),
    ]
    assert 'data-testid="filter-county"' in every.content.decode()
    assert [t.name for t in one.context["page"]] == ["永宁镇"]


def test_a_county_admin_has_no_county_column(county, county_admin, client):
    client.force_login(county_admin)

    response = client.get(reverse("areas:township_list"))

    assert response.context["counties"] == []
    assert 'data-testid="township-county"' not in response.content.decode()
