"""Chinese names sort by pinyin on SQLite and PostgreSQL alike: 阿 < 北 < 常 < 张.

(ICU's zh collation files 长 under zhǎng, after 张, whatever the word; so the examples use 常.)
"""

from django.urls import reverse

from orgs.models import Organization
from tests.orgs.factories import OrganizationFactory

LIST_URL = reverse("orgs:organization_list")
PINYIN_ORDER = ["阿里巴巴舞蹈队", "北关书画社", "常青太极队", "张庄秧歌队"]


def make_in_code_point_order(community):
    # Code point order is 北 (5317) < 常 (5E38) < 张 (5F20) < 阿 (963F): 阿 sorts last.
    for name in sorted(PINYIN_ORDER):
        OrganizationFactory(name=name, community=community)


def test_the_list_sorts_names_by_pinyin(
    county, county_admin, client, django_assert_max_num_queries
):
    make_in_code_point_order(county.community_b1)
    client.force_login(county_admin)

    with django_assert_max_num_queries(20):
        response = client.get(LIST_URL, {"community": county.community_b1.pk})

    names = [org.name for org in response.context["page"]]
    assert [name for name in names if name in PINYIN_ORDER] == PINYIN_ORDER


def test_sorting_by_name_descending_reverses_the_pinyin_order(county, county_admin, client):
    make_in_code_point_order(county.community_b1)
    client.force_login(county_admin)

    response = client.get(LIST_URL, {"community": county.community_b1.pk, "o": "-name"})

    names = [org.name for org in response.context["page"]]
    assert [name for name in names if name in PINYIN_ORDER] == PINYIN_ORDER[::-1]


def test_the_collation_works_in_any_queryset(county):
    from core.collation import pinyin_order

    make_in_code_point_order(county.community_b1)

    names = list(
        Organization.objects.filter(name__in=PINYIN_ORDER)
        .order_by(pinyin_order("name"))
        .values_list("name", flat=True)
    )

    assert names == PINYIN_ORDER
