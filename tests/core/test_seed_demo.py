from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from areas.models import Community, Township
from core.demo import SEEDERS
from core.identifiers import validate_credit_code, validate_id_number, validate_mobile
from orgs.demo import CATEGORIES
from orgs.models import (
    AnnualInspection,
    CreditListing,
    Membership,
    Merge,
    Organization,
    Person,
    ZombieFlag,
)
from tests.clock import frozen_clock


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        list(Township.objects.order_by("code").values_list("name", "code")),
        list(Community.objects.order_by("code").values_list("name", "code", "township__code")),
        list(User.objects.order_by("username").values_list("username", "role", "name")),
        list(
            Organization.objects.order_by("pk").values_list(
                "name",
                "credit_code",
                "community__code",
                "category__name",
                "registration_status",
                "status",
                "leader_name",
                "leader_phone",
                "founded_on",
                "needs",
            )
        ),
        list(
            Person.objects.order_by("pk").values_list(
                "name", "id_number", "mobile", "community__code", "party_status", "grid_role"
            )
        ),
        list(
            Membership.objects.order_by("pk").values_list(
                "organization__name", "person__name", "role", "joined_on", "left_on"
            )
        ),
    )


def seeded_snapshot(*args):
    """Seed, take a snapshot, and roll the seed back."""
    with transaction.atomic():
        seed(*args)
        result = snapshot()
        transaction.set_rollback(True)
    return result


def test_demo_county_has_every_role_and_prints_the_logins(db, caplog):
    with caplog.at_level("INFO", logger="core.demo"):
        output = seed()

    assert Township.objects.count() == 20
    assert 250 <= Community.objects.count() <= 350
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for username in ("admin", "township", "secretary", "official", "contact"):
        assert username in output
    assert "Registry-Demo-2026" in output
    # Each seeder's time is logged (where a large seed's minutes go).
    for path in SEEDERS:
        assert f"seed_demo: {path} took" in caplog.text
    # Quarters in words, never "2026Q4".
    assert "积分排名：" in output and "年第" in output
    assert "Q" not in output.split("积分排名：")[1].splitlines()[0]
    for user in User.objects.all():
        user.full_clean()


def test_demo_is_deterministic_for_a_seed(db):
    with frozen_clock():
        first = seeded_snapshot("--seed", "7")

        second = seeded_snapshot("--seed", "7")

    assert second == first
    assert len(first[3]) > 100  # the ledger is part of the comparison
    assert seeded_snapshot("--seed", "8")[4] != first[4]


def test_demo_refuses_a_database_with_data_but_if_empty_skips(db):
    seed()
    before = snapshot()

    with pytest.raises(CommandError, match="演示数据只能加载到空数据库"):
        seed()
    output = seed("--if-empty")

    assert "跳过" in output
    assert snapshot() == before


@pytest.fixture(scope="class")
def county_demo(django_db_setup, django_db_blocker):
    """Seed the demo county once for a class of read-only tests, and roll it back after."""
    with frozen_clock(), django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


def current_counts():
    """Current member count of every organisation, by pk."""
    return dict(Organization.objects.with_member_counts().values_list("pk", "member_count"))


@pytest.mark.usefixtures("county_demo")
class TestCountyLedger:
    def test_has_about_140_organisations_in_every_category(self, db):
        per_category = Counter(Organization.objects.values_list("category__name", flat=True))

        assert 130 <= sum(per_category.values()) <= 150
        assert set(per_category) == set(CATEGORIES)
        assert min(per_category.values()) >= 5

    def test_has_about_5700_people_with_valid_unique_id_numbers(self, db):
        people = list(Person.objects.values_list("id_number", "gender", "birth_date", "mobile"))
        numbers = [number for number, *_ in people if number]

        assert 5_400 <= len(people) <= 6_100
        assert 0.85 * len(people) <= len(numbers) < len(people)  # some have no ID number
        assert len(set(numbers)) == len(numbers)
        for number, gender, birth_date, mobile in people:
            if number:
                assert validate_id_number(number) == number
                male = int(number[16]) % 2 == 1
                assert gender == (Person.Gender.MALE if male else Person.Gender.FEMALE)
                assert birth_date is not None
                assert f"{birth_date:%Y%m%d}" == number[6:14]
            if mobile:
                assert validate_mobile(mobile) == mobile

    def test_registered_organisations_have_valid_civil_affairs_credit_codes(self, db):
        organizations = list(Organization.objects.all())
        registered = [
            org
            for org in organizations
            if org.registration_status == Organization.RegistrationStatus.REGISTERED
        ]

        assert 10 <= len(registered) < len(organizations) / 2
        for org in organizations:
            if org in registered:
                assert validate_credit_code(org.credit_code) == org.credit_code
                assert org.credit_code[:2] in {"51", "52", "53"}
            else:
                assert org.credit_code == ""
            assert validate_mobile(org.leader_phone) == org.leader_phone
            assert org.founded_on < timezone.localdate()
            org.full_clean()

    def test_sample_rows_pass_model_validation(self, db):
        for person in Person.objects.order_by("pk")[::25]:
            person.full_clean()
        for membership in Membership.objects.order_by("pk")[::50]:
            membership.full_clean()

    def test_memberships_lie_inside_the_organisations_life(self, db):
        today = timezone.localdate()
        memberships = Membership.objects.select_related("organization")

        assert memberships.count() > 5_500
        for membership in memberships:
            org = membership.organization
            assert org.founded_on <= membership.joined_on <= today
            if membership.left_on:
                assert membership.joined_on <= membership.left_on < today
                assert membership.left_reason
            if org.status == Organization.Status.MERGED:
                assert membership.left_on is not None
                assert membership.left_on <= org.status_changed_on

    def test_active_organisations_have_15_to_110_current_members_and_one_leader(self, db):
        counts = current_counts()
        flagged = {
            org_pk
            for org_pk, reasons in ZombieFlag.objects.values_list("organization", "reasons")
            if "无现有成员" in reasons
        }
        leaders = Counter(
            Membership.objects.current()
            .filter(role=Membership.Role.LEADER)
            .values_list("organization", flat=True)
        )
        active = Organization.objects.active().exclude(pk__in=flagged)

        assert 5_300 <= sum(counts.values()) <= 6_200
        assert flagged and all(counts[pk] == 0 for pk in flagged)
        for org in active:
            assert 15 <= counts[org.pk] <= 110, org.name
            assert leaders[org.pk] == 1, org.name
        assert (
            Person.objects.annotate(
                n=Count("memberships", filter=Q(memberships__left_on__isnull=True))
            )
            .filter(n__gte=2)
            .exists()
        )

    def test_merges_moved_the_merged_groups_members_to_the_survivor(self, db):
        merges = list(Merge.objects.prefetch_related("merged"))

        assert len(merges) == 2
        for merge in merges:
            survivor_members = set(
                merge.survivor.memberships.current().values_list("person", flat=True)
            )
            assert len(merge.merged.all()) >= 2
            assert merge.summary["memberships_moved"] > 0
            for org in merge.merged.all():
                assert org.status == Organization.Status.MERGED
                assert org.merged_into_id == merge.survivor_id
                assert org.status_changed_on == merge.merged_on
                moved = org.memberships.filter(left_on=merge.merged_on)
                assert moved.exists()
                assert set(moved.values_list("person", flat=True)) <= survivor_members
                assert not org.memberships.current().exists()

    def test_demo_logins_see_a_rich_area(self, db):
        township_user = User.objects.get(username="township")
        secretary = User.objects.get(username="secretary")
        contact = User.objects.get(username="contact")
        counts = current_counts()

        in_township = Organization.objects.filter(community__township=township_user.township)
        in_community = Organization.objects.filter(community=secretary.community)
        assert township_user.township.name == "城关街道"
        assert in_township.count() >= 30
        assert set(in_township.values_list("ledger_keeper", flat=True)) == {township_user.pk}
        assert in_community.count() >= 10
        assert sum(counts[pk] for pk in in_community.values_list("pk", flat=True)) >= 300
        assert contact.organization.community == secretary.community
        assert contact.organization.merges_received.exists()
        assert counts[contact.organization.pk] >= 15
        assert Person.objects.filter(community=secretary.community).count() >= 200

    def test_has_inspections_listings_and_zombie_flags(self, db):
        inspected = Organization.objects.filter(inspections__isnull=False).distinct()
        conclusions = set(AnnualInspection.objects.values_list("conclusion", flat=True))

        assert inspected.exists()
        assert not inspected.exclude(
            registration_status=Organization.RegistrationStatus.REGISTERED
        ).exists()
        assert AnnualInspection.Conclusion.PASSED in conclusions
        assert len(conclusions) >= 3
        assert CreditListing.objects.filter(list_kind=CreditListing.Kind.ABNORMAL).count() >= 3
        assert ZombieFlag.objects.filter(state=ZombieFlag.State.OPEN).count() >= 3

    def test_ledger_fields_grades_alliances_and_party_members_look_real(self, db):
        organizations = Organization.objects.all()
        total = organizations.count()
        people = Person.objects.count()
        today = timezone.localdate()

        assert not organizations.filter(Q(activity_fields="") | Q(needs="")).exists()
        assert 0.3 * total <= organizations.filter(in_party_alliance=True).count() <= 0.5 * total
        graded = [org for org in organizations if org.grade]
        assert any(org.grade_is_valid() for org in graded)
        assert any(not org.grade_is_valid() for org in graded)  # some grades expired
        assert organizations.filter(last_verified_on__gte=today.replace(year=today.year - 1))
        assert organizations.exclude(special_teams="").count() >= 5
        party = Person.objects.filter(is_party_member=True)
        assert 0.05 * people <= party.count() <= 0.11 * people
        assert party.filter(party_status=Person.PartyStatus.PROBATIONARY).exists()
        assert not party.filter(party_relation_place="").exists()
        assert Person.objects.exclude(grid_role="").filter(grid_community__isnull=False).count()


@pytest.mark.parametrize("scale", ["county", "city"])
def test_large_seeds_give_postgresql_the_new_rows_statistics(db, monkeypatch, scale):
    """Autovacuum may be off or late: after millions of rows the planner needs ANALYZE."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import demo

    monkeypatch.setattr(
        demo, "seed", lambda **kwargs: demo.DemoContext(scale=scale, seed=1, password="x")
    )
    with CaptureQueriesContext(connection) as queries:
        seed("--scale", scale)

    analyzed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE ")]
    # The project's tables, never a bare ANALYZE (it would lock the shared catalogs).
    assert all('"orgs_person"' in sql for sql in analyzed)
    assert bool(analyzed) == (connection.vendor == "postgresql")
