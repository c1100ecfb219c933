"""The county dimension of the role × area matrix.

The matrix's "far" objects live in township B. Here township B is moved into a second county
of the same city: a county administrator and a county official of county A must then get 404
on every one of them (403 where their role is refused the page anyway), as on a missing row;
a city official sees both counties as the county's own staff did; an account naming neither
a county nor a city (a province's staff) sees every county. Lists, pickers, the API and the
exported ledger leave the other county's rows out.
"""

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.scoping import Level, scope_for
from areas.models import City, County, Township
from orgs.models import Organization, Person
from tests.accounts.factories import UserFactory
from tests.accounts.test_permission_matrix import MATRIX, PUBLIC_URL_NAMES, url_for
from tests.areas.factories import CityFactory, CountyFactory
from tests.conftest import ROLES

WIDE = {"county_admin": ROLES.index("county_admin"), "official": ROLES.index("official")}

FAR_CASES = [
    pytest.param(role, name, target, method, statuses[index], id=f"{role}-{method}-{name}-{target}")
    for (name, target, method), statuses in MATRIX.items()
    if target is not None and target.endswith(":far") and name not in PUBLIC_URL_NAMES
    for role, index in WIDE.items()
]


@pytest.fixture
def two_counties(county):
    """Township B in county 永宁县, beside 平安县 (township A), both in 安宁市."""
    city = CityFactory(name="安宁市", code="990100")
    County.objects.filter(pk=county.county.pk).update(city=city)
    other = CountyFactory(name="永宁县", code="990102", city=city)
    Township.objects.filter(pk=county.township_b.pk).update(county=other)
    county.township_b.refresh_from_db()
    county.city = City.objects.get(pk=city.pk)
    county.other_county = other
    return county


def test_the_far_rows_of_the_matrix_are_many():
    # The walk below covers every page and API operation that opens a record of township B.
    assert len(FAR_CASES) >= 2 * 40


@pytest.mark.parametrize(("role", "name", "target", "method", "same_county"), FAR_CASES)
def test_county_staff_get_404_on_every_record_of_another_county(
    role, name, target, method, same_county, two_counties, client
):
    user = UserFactory(role=getattr(Role, role.upper()), county=two_counties.county)
    client.force_login(user)
    url = url_for(name, target, two_counties)

    response = getattr(client, method)(url)

    # Out of their counties a record does not exist for them; a page their role may not
    # use at all may still say so first (403), never more.
    allowed = {404} if same_county != 403 else {403, 404}
    assert response.status_code in allowed, (url, response.status_code)


@pytest.mark.parametrize(
    ("name", "target", "method", "same_county"),
    [
        pytest.param(name, target, method, statuses[WIDE["official"]], id=f"{name}-{target}")
        for (name, target, method), statuses in MATRIX.items()
        if target is not None
        and target.endswith(":far")
        and method == "get"
        and name not in PUBLIC_URL_NAMES
    ],
)
def test_a_city_official_opens_the_records_of_every_county_of_the_city(
    name, target, method, same_county, two_counties, client
):
    official = UserFactory(role=Role.OFFICIAL, city=two_counties.city)
    client.force_login(official)

    response = client.get(url_for(name, target, two_counties))

    assert response.status_code == same_county


def test_scopes_name_their_level_and_counties(two_counties):
    a, b = two_counties.county.pk, two_counties.other_county.pk
    county_admin = UserFactory(role=Role.COUNTY_ADMIN, county=two_counties.county)
    city_official = UserFactory(role=Role.OFFICIAL, city=two_counties.city)
    province_official = UserFactory(role=Role.OFFICIAL)
    staff_b = UserFactory(role=Role.TOWNSHIP_STAFF, township=two_counties.township_b)
    superuser = UserFactory(role=Role.COUNTY_ADMIN, county=two_counties.county, is_superuser=True)

    assert (scope_for(county_admin).level, scope_for(county_admin).county_ids) == (
        Level.COUNTY,
        frozenset({a}),
    )
    assert (scope_for(city_official).level, scope_for(city_official).county_ids) == (
        Level.CITY,
        frozenset({a, b}),
    )
    assert (scope_for(province_official).level, scope_for(province_official).county_ids) == (
        Level.ALL,
        None,
    )
    assert (scope_for(staff_b).level, scope_for(staff_b).county_ids) == (
        Level.TOWNSHIP,
        frozenset({b}),
    )
    assert scope_for(superuser).level == Level.ALL
    assert county_admin.area_label == "平安县"
    assert city_official.area_label == "安宁市"
    assert province_official.area_label == "全部县（市、区）"


def test_lists_pickers_and_api_leave_the_other_county_out(two_counties, client):
    county_admin = UserFactory(role=Role.COUNTY_ADMIN, county=two_counties.county)
    far_org = two_counties.org_b1
    client.force_login(county_admin)

    listing = client.get(reverse("orgs:organization_list")).content.decode()
    options = client.get(reverse("orgs:organization_options"), {"q": "秧歌"}).content.decode()
    townships = client.get(reverse("areas:township_list")).content.decode()
    api = client.get("/api/v1/bookings/").json()

    assert two_counties.org_a1.name in listing
    assert far_org.name not in listing
    assert far_org.name not in options
    assert two_counties.township_a.name in townships
    assert two_counties.township_b.name not in townships
    assert all(row["organization"] != far_org.pk for row in api["results"])
    assert set(Organization.objects.visible_to(county_admin)) == {
        two_counties.org_a1,
        two_counties.org_a2,
    }


def test_a_county_admin_cannot_put_a_township_under_another_county(two_counties, client):
    county_admin = UserFactory(role=Role.COUNTY_ADMIN, county=two_counties.county)
    client.force_login(county_admin)

    response = client.post(
        reverse("areas:township_create"),
        {
            "county": two_counties.other_county.pk,
            "name": "新城街道",
            "kind": "street",
            "code": "990102009",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "county" in response.context["form"].errors
    assert not Township.objects.filter(name="新城街道").exists()


def test_the_township_form_offers_the_counties_the_admin_serves(two_counties):
    # The township form offers a city's administrator the counties of the city, and a county's
    # administrator only theirs (the field is then implied and hidden).
    from areas.forms import TownshipForm

    city_admin = UserFactory(role=Role.COUNTY_ADMIN, city=two_counties.city)
    county_admin = UserFactory(role=Role.COUNTY_ADMIN, county=two_counties.county)

    offered = set(TownshipForm(user=city_admin).fields["county"].queryset)
    single = TownshipForm(user=county_admin)

    assert offered == {two_counties.county, two_counties.other_county}
    assert single.single_county == two_counties.county


def test_people_of_another_county_are_not_reached(two_counties):
    from tests.orgs.factories import PersonFactory

    county_admin = UserFactory(role=Role.COUNTY_ADMIN, county=two_counties.county)
    resident_a = PersonFactory(community=two_counties.community_a1)
    resident_b = PersonFactory(community=two_counties.community_b1)
    nowhere = PersonFactory(community=None)
    province = UserFactory(role=Role.COUNTY_ADMIN)

    visible = set(Person.objects.visible_to(county_admin))

    assert resident_a in visible
    assert resident_b not in visible
    assert nowhere not in visible
    assert {resident_a, resident_b, nowhere} <= set(Person.objects.visible_to(province))


def test_an_account_names_a_county_or_a_city_and_only_for_county_roles(two_counties):
    from django.core.exceptions import ValidationError

    both = UserFactory.build(role=Role.OFFICIAL, county=two_counties.county, city=two_counties.city)
    secretary = UserFactory.build(
        role=Role.SECRETARY, community=two_counties.community_a1, county=two_counties.county
    )

    with pytest.raises(ValidationError) as refused_both:
        both.full_clean(exclude=["password"])
    with pytest.raises(ValidationError) as refused_role:
        secretary.full_clean(exclude=["password"])

    assert "请只填写一个县" in str(refused_both.value)
    assert "只有县管理员和县领导" in str(refused_role.value)
