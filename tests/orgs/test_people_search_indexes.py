"""The county-wide people list at scale: the last-4 search compares indexed expressions (so a
person is found by their tails whichever path wrote them), and the list counts at most a cap."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from core.bulk import copy_create
from exports.importing import commit
from exports.models import ImportJob
from orgs.models import Person
from orgs.models.people import id_number_tail, mobile_tail
from orgs.selectors.people import person_search
from orgs.services import people as services
from orgs.views import people as people_views
from tests.exports.test_imports import ledger_file, upload
from tests.orgs.factories import MembershipFactory, PersonFactory, make_id_number


def names(response) -> list[str]:
    return [person.name for person in response.context["page"]]


def search(client, query: str) -> list[str]:
    return names(client.get(reverse("orgs:person_list"), {"q": query}))


# --- the tail search reads an index ---


@pytest.mark.parametrize(
    ("tail", "index"),
    [(id_number_tail, "person_id_number_tail_idx"), (mobile_tail, "person_mobile_tail_idx")],
)
def test_the_tail_expressions_are_served_by_their_index(tail, index, county):
    PersonFactory(mobile="13912345678")
    searched = Person.objects.alias(tail=tail()).filter(tail="5678").order_by()

    plan = searched.explain()
    if connection.vendor == "postgresql":
        # A handful of rows: the planner would read the table, or walk any index in full at the
        # same cost (the full suite once saw it walk the name index). Give it 300 people and
        # their statistics, so that the one match is worth the tail's index.
        PersonFactory.create_batch(300)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE orgs_person")
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = searched.explain()

    assert index in plan


def test_the_last_four_digits_compare_the_tail_expressions_not_a_suffix_scan(county, county_admin):
    query = person_search(Person.objects.all(), "5678", user=county_admin)

    where = str(query.query).split(" WHERE ")[1]
    for tail in (id_number_tail, mobile_tail):
        reference = Person.objects.alias(t=tail()).filter(t="5678").order_by()
        condition = str(reference.query).split(" WHERE ")[1]
        assert condition in where
    params = query.query.sql_with_params()[1]
    name_fragment = "%555666777888%" if connection.vendor == "postgresql" else "%5678%"
    assert name_fragment in params
    assert "%5678" not in params  # no suffix match (endswith) any more


def test_on_postgresql_a_name_or_tail_search_can_use_its_three_indexes(county, county_admin):
    PersonFactory(name="李秀英", mobile="13912345678")
    query = person_search(Person.objects.all(), "5678", user=county_admin)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = query.explain()

    if connection.vendor == "postgresql":
        # The name fragment (trigram GIN) or either tail (btree on the expression).
        assert "person_name_trgm_idx" in plan
        assert "person_id_number_tail_idx" in plan
        assert "person_mobile_tail_idx" in plan
    else:
        # SQLite has no trigram index: the name fragment is read from the table.
        assert "person_name_trgm_idx" not in plan
    assert [person.name for person in query] == ["李秀英"]


NAMES = ["李秀英", "秀李", "英秀李", "王小明", "小王", "王", "Anna Li", "ANNE", "秀秀英", "a%b"]


@pytest.mark.parametrize(
    "query", ["秀", "秀英", "李秀", "王", "小明", "an", "NN", "秀秀", "%", "a%b"]
)
def test_the_name_search_finds_exactly_the_names_holding_the_fragment(query, county, county_admin):
    for name in NAMES:
        PersonFactory(name=name)

    found = person_search(Person.objects.all(), query, user=county_admin)

    expected = [name for name in sorted(NAMES) if query.upper() in name.upper()]
    assert [person.name for person in found] == expected


@pytest.mark.parametrize("query", ["谢", "小明", "王小明"])
def test_on_postgresql_name_fragments_of_any_length_use_the_trigram_index(
    query, county, county_admin
):
    PersonFactory(name="王小明")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = person_search(Person.objects.all(), query, user=county_admin).explain()

    assert ("person_name_trgm_idx" in plan) == (connection.vendor == "postgresql")


# --- every write path leaves a person findable by their tails ---


def test_a_member_added_through_the_service_is_found_by_both_tails(county, county_admin, client):
    id_number = make_id_number(7001)
    services.membership_add(
        actor=county_admin,
        organization=county.org_a1,
        person_data={
            "name": "周新",
            "id_number": id_number,
            "mobile": "138 0011 2468",
            "community": county.community_a1,
        },
        role="member",
        joined_on=datetime.date(2021, 6, 1),
    )
    client.force_login(county_admin)

    assert search(client, id_number[-4:]) == ["周新"]
    assert search(client, "2468") == ["周新"]


def test_a_person_edited_through_the_service_is_found_by_the_new_tails_only(
    county, county_admin, client
):
    person = PersonFactory(name="吴平", mobile="13800001111", community=county.community_a1)
    new_id_number = make_id_number(7002)
    services.person_update(
        actor=county_admin,
        person=person,
        name=person.name,
        id_number=new_id_number,
        mobile="13800002222",
    )
    client.force_login(county_admin)

    assert search(client, "2222") == ["吴平"]
    assert search(client, new_id_number[-4:]) == ["吴平"]
    assert search(client, "1111") == []


def test_people_imported_in_bulk_are_found_by_their_tails(
    county, county_admin, client, settings, tmp_path
):
    settings.IMPORTS_ROOT = tmp_path / "imports"
    job = commit.import_job_commit(actor=county_admin, job=upload(county_admin, ledger_file()))
    assert job.status == ImportJob.Status.COMMITTED
    client.force_login(county_admin)

    # member_rows(): 成员7 has ID number make_id_number(507) and mobile 13900130007
    assert search(client, make_id_number(507)[-4:]) == ["成员7"]
    assert search(client, "0007") == ["成员7"]


def test_people_copied_in_bulk_like_the_demo_seed_are_found_by_their_tails(
    county, county_admin, client
):
    id_number = make_id_number(7003)
    copy_create(
        Person,
        [
            Person(
                name="郑和",
                id_number=id_number,
                mobile="13700003579",
                community=county.community_a2,
            )
        ],
    )
    client.force_login(county_admin)

    assert search(client, id_number[-4:]) == ["郑和"]
    assert search(client, "3579") == ["郑和"]


def test_after_a_merge_the_kept_person_is_found_by_the_tails_it_took_over(
    county, county_admin, client
):
    kept = PersonFactory(name="孙丽", id_number="", mobile="", community=county.community_a1)
    duplicate_id = make_id_number(7004)
    merged = PersonFactory(
        name="孙丽", id_number=duplicate_id, mobile="13600004680", community=county.community_a1
    )
    MembershipFactory(person=merged, organization=county.org_a1)
    services.person_merge(actor=county_admin, kept=kept, merged=merged, reason="同一人")
    client.force_login(county_admin)

    for query in (duplicate_id[-4:], "4680"):
        response = client.get(reverse("orgs:person_list"), {"q": query})
        assert [person.pk for person in response.context["page"]] == [kept.pk]


# --- the list counts at most a cap ---


def test_more_people_than_the_cap_say_more_than_and_run_bounded_queries(
    county, county_admin, client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(people_views, "COUNT_CAP", 4)
    monkeypatch.setattr(people_views, "PAGE_SIZE", 2)
    for number in range(6):
        person = PersonFactory(community=county.community_a1, mobile=f"139000000{number:02d}")
        MembershipFactory(person=person, organization=county.org_a1)
    client.force_login(county_admin)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("orgs:person_list"))

    content = response.content.decode()
    assert response.context["page"].paginator.capped
    assert "超过 4 人" in content
    assert 'data-testid="capped-notice"' in content
    assert len(response.context["page"].object_list) == 2


def test_at_most_the_cap_the_list_says_how_many_people(county, county_admin, client, monkeypatch):
    monkeypatch.setattr(people_views, "COUNT_CAP", 5)
    for _ in range(5):
        PersonFactory(community=county.community_a1)
    client.force_login(county_admin)

    response = client.get(reverse("orgs:person_list"))

    content = response.content.decode()
    assert not response.context["page"].paginator.capped
    assert "共5人" in content and "超过" not in content


def test_a_tail_search_runs_as_many_queries_as_the_plain_list(
    county, county_admin, client, django_assert_max_num_queries
):
    for number in range(30):
        person = PersonFactory(community=county.community_a1, mobile=f"1390000{number:04d}")
        MembershipFactory(person=person, organization=county.org_a1)
        MembershipFactory(person=person, organization=county.org_a2)
    client.force_login(county_admin)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("orgs:person_list"), {"q": "0007"})

    assert len(response.context["page"].object_list) == 1
