"""Merging organisations: members move, history stays, all or nothing, county admin only."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from orgs.models import Membership, Merge, Organization
from orgs.services import merges
from orgs.services.merges import (
    MERGE_DATE_BEFORE_JOINED_MESSAGE,
    MERGE_DATE_FUTURE_MESSAGE,
    MERGE_MERGED_INACTIVE_MESSAGE,
    MERGE_NOTHING_MERGED_MESSAGE,
    MERGE_REASON_REQUIRED_MESSAGE,
    MERGE_SURVIVOR_IN_MERGED_MESSAGE,
    MERGED_INTO_LEFT_REASON,
    Mover,
    MoverPreview,
    merge_preview,
    organization_merge,
    register_mover,
)
from orgs.services.oversight import in_ledger_language
from tests.accounts.factories import UserFactory
from tests.orgs.factories import MembershipFactory, OrganizationFactory, PersonFactory

MERGED_ON = date(2024, 6, 1)


@pytest.fixture
def three_into_one(county):
    """Org A1 survives; A2, B1 and a third group of A1 merge into it.

    A2: 张一 (leader) and 李二; B1: 王三 and 李二 (in two groups); the third group: 赵四, who
    is already in A1, and 钱五, who left earlier. A1 has 周零 and 赵四.
    """
    third = OrganizationFactory(name="幸福社区书法小组", community=county.community_a1)
    people = {
        name: PersonFactory(name=name) for name in ("周零", "张一", "李二", "王三", "赵四", "钱五")
    }
    MembershipFactory(organization=county.org_a1, person=people["周零"])
    MembershipFactory(organization=county.org_a1, person=people["赵四"])
    MembershipFactory(
        organization=county.org_a2, person=people["张一"], role=Membership.Role.LEADER
    )
    MembershipFactory(organization=county.org_a2, person=people["李二"])
    MembershipFactory(organization=county.org_b1, person=people["王三"])
    MembershipFactory(organization=county.org_b1, person=people["李二"])
    MembershipFactory(organization=third, person=people["赵四"])
    MembershipFactory(
        organization=third,
        person=people["钱五"],
        left_on=date(2023, 1, 1),
        left_reason="搬家",
    )
    return county.org_a1, [county.org_a2, county.org_b1, third], people


def current_member_names(organization) -> set[str]:
    return set(
        Membership.objects.current()
        .filter(organization=organization)
        .values_list("person__name", flat=True)
    )


def test_merging_three_organisations_moves_members_and_keeps_history(three_into_one, county_admin):
    survivor, merged, people = three_into_one

    # When the county admin merges three organisations into one
    merge = organization_merge(
        actor=county_admin,
        survivor=survivor,
        merged=merged,
        merged_on=MERGED_ON,
        reason=" 书画团队整合 ",
    )

    # Then every current member is a current member of the survivor, once
    assert current_member_names(survivor) == {"周零", "张一", "李二", "王三", "赵四"}
    leader = Membership.objects.current().get(organization=survivor, person=people["张一"])
    assert (leader.role, leader.joined_on) == (Membership.Role.LEADER, MERGED_ON)
    assert Membership.objects.current().filter(person=people["李二"]).count() == 1
    # and their old memberships are closed on the merge day with the reason
    left_reason = in_ledger_language(MERGED_INTO_LEFT_REASON, name=survivor.name)
    for organization in merged:
        assert current_member_names(organization) == set()
        closed = Membership.objects.filter(organization=organization, left_on=MERGED_ON)
        assert set(closed.values_list("left_reason", flat=True)) == {left_reason}
    early_leaver = Membership.objects.get(person=people["钱五"])
    assert early_leaver.left_on == date(2023, 1, 1)
    # and the merged organisations point to the survivor, with their history kept
    for organization in merged:
        organization.refresh_from_db()
        assert organization.status == Organization.Status.MERGED
        assert organization.merged_into == survivor
        assert organization.status_changed_on == MERGED_ON
        latest, previous = organization.history.all()[:2]
        assert latest.status == Organization.Status.MERGED
        assert latest.history_user == county_admin
        assert previous.status == Organization.Status.NORMAL
    # and the merge is recorded with what moved, and audited
    assert merge.reason == "书画团队整合"
    assert set(merge.merged.all()) == set(merged)
    moved = {row["name"]: row for row in merge.summary["organizations"]}
    assert moved["和平社区广场舞队"]["members_moved"] == 2
    assert moved["王家村秧歌队"] == {
        "id": merged[1].pk,
        "name": "王家村秧歌队",
        "members_moved": 1,
        "members_already_in_survivor": 1,
    }
    assert moved["幸福社区书法小组"]["members_already_in_survivor"] == 1
    assert AuditEvent.objects.filter(action="organization.merge", actor=county_admin).count() == 1
    assert AuditEvent.objects.filter(action="organization.merged").count() == 3
    new_membership = Membership.objects.get(
        organization=survivor, person=people["王三"], left_on=None
    )
    assert new_membership.history.get().history_user == county_admin


def test_a_merge_is_visible_from_both_sides(three_into_one, county_admin, client):
    survivor, merged, _people = three_into_one
    merge = organization_merge(
        actor=county_admin, survivor=survivor, merged=merged, merged_on=MERGED_ON, reason="整合"
    )
    client.force_login(county_admin)

    merged_page = client.get(reverse("orgs:organization_detail", kwargs={"pk": merged[0].pk}))
    survivor_page = client.get(reverse("orgs:organization_detail", kwargs={"pk": survivor.pk}))

    assert merged_page.status_code == 200
    assert merged_page.context["merged_into"] == survivor
    assert merged_page.context["merged_by"] == merge
    assert 'data-testid="org-merged-into"' in merged_page.content.decode()
    assert survivor_page.status_code == 200
    assert list(survivor_page.context["merges_received"]) == [merge]
    assert reverse("orgs:merge_detail", kwargs={"pk": merge.pk}) in survivor_page.content.decode()


def test_a_failure_half_way_through_a_merge_changes_nothing(
    three_into_one, county_admin, monkeypatch
):
    # Given a merge that breaks after the first organisation's members have moved
    survivor, merged, _people = three_into_one
    real_mark_merged = merges._mark_merged
    calls = []

    def mark_merged_then_fail(**kwargs):
        calls.append(kwargs["organization"].pk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real_mark_merged(**kwargs)

    monkeypatch.setattr(merges, "_mark_merged", mark_merged_then_fail)
    before = {
        "memberships": list(
            Membership.objects.order_by("pk").values_list("pk", "left_on", "left_reason")
        ),
        "organizations": list(
            Organization.objects.order_by("pk").values_list("pk", "status", "merged_into")
        ),
        "organization_history": Organization.history.count(),
        "membership_history": Membership.history.count(),
        "merges": Merge.objects.count(),
        "audit": AuditEvent.objects.count(),
    }

    # When the merge runs
    with pytest.raises(RuntimeError):
        organization_merge(
            actor=county_admin,
            survivor=survivor,
            merged=merged,
            merged_on=MERGED_ON,
            reason="整合",
        )

    # Then it got half-way, and nothing of it is left
    assert len(calls) == 2
    after = {
        "memberships": list(
            Membership.objects.order_by("pk").values_list("pk", "left_on", "left_reason")
        ),
        "organizations": list(
            Organization.objects.order_by("pk").values_list("pk", "status", "merged_into")
        ),
        "organization_history": Organization.history.count(),
        "membership_history": Membership.history.count(),
        "merges": Merge.objects.count(),
        "audit": AuditEvent.objects.count(),
    }
    assert after == before


@pytest.mark.parametrize(
    "persona", ["township_staff", "secretary", "official", "org_contact"], indirect=True
)
def test_only_the_county_admin_may_merge(persona, county):
    with pytest.raises(PermissionDenied):
        organization_merge(
            actor=persona,
            survivor=county.org_a1,
            merged=[county.org_a2],
            merged_on=MERGED_ON,
            reason="整合",
        )
    assert not Merge.objects.exists()


def _merge_errors(actor, **overrides) -> dict:
    with pytest.raises(ValidationError) as raised:
        organization_merge(actor=actor, **overrides)
    return raised.value.message_dict


def test_a_merge_needs_organisations_other_than_the_survivor(county, county_admin):
    base = {"survivor": county.org_a1, "merged_on": MERGED_ON, "reason": "整合"}

    assert _merge_errors(county_admin, merged=[], **base)["merged"] == [
        str(MERGE_NOTHING_MERGED_MESSAGE)
    ]
    assert _merge_errors(county_admin, merged=[county.org_a1, county.org_a2], **base)["merged"] == [
        str(MERGE_SURVIVOR_IN_MERGED_MESSAGE)
    ]


def test_an_organisation_already_merged_cannot_be_merged_again(county, county_admin):
    organization_merge(
        actor=county_admin,
        survivor=county.org_a1,
        merged=[county.org_a2],
        merged_on=MERGED_ON,
        reason="整合",
    )

    errors = _merge_errors(
        county_admin,
        survivor=county.org_b1,
        merged=[county.org_a2],
        merged_on=MERGED_ON,
        reason="整合",
    )

    assert errors["merged"] == [str(MERGE_MERGED_INACTIVE_MESSAGE) % {"name": "和平社区广场舞队"}]


def test_a_merge_needs_a_reason_and_a_date_not_in_the_future(county, county_admin):
    errors = _merge_errors(
        county_admin,
        survivor=county.org_a1,
        merged=[county.org_a2],
        merged_on=timezone.localdate() + timedelta(days=1),
        reason="　 ",
    )

    assert errors["reason"] == [str(MERGE_REASON_REQUIRED_MESSAGE)]
    assert errors["merged_on"] == [str(MERGE_DATE_FUTURE_MESSAGE)]


def test_a_merge_cannot_date_before_a_moving_member_joined(county, county_admin):
    MembershipFactory(
        organization=county.org_a2, person=PersonFactory(name="孙六"), joined_on=date(2024, 7, 1)
    )

    errors = _merge_errors(
        county_admin,
        survivor=county.org_a1,
        merged=[county.org_a2],
        merged_on=MERGED_ON,
        reason="整合",
    )

    assert errors["merged_on"] == [
        str(MERGE_DATE_BEFORE_JOINED_MESSAGE)
        % {"person": "孙六", "name": "和平社区广场舞队", "joined_on": "2024-07-01"}
    ]


def test_the_preview_lists_the_members_that_move_and_those_already_in_the_survivor(
    three_into_one,
):
    survivor, merged, _people = three_into_one

    preview = merge_preview(survivor=survivor, merged=merged)

    by_org = {entry["organization"]: entry["items"] for entry in preview}
    members, shared = by_org[merged[2]][:2]
    assert (members.count, members.sample) == (1, ["赵四"])
    assert (shared.count, shared.sample) == (1, ["赵四"])
    members, shared = by_org[merged[0]][:2]
    assert (members.count, sorted(members.sample)) == (2, ["张一", "李二"])
    assert shared.count == 0


def test_a_later_app_adds_what_moves_by_registering_a_mover(county, monkeypatch):
    monkeypatch.setattr(merges, "MOVERS", list(merges.MOVERS))
    register_mover(
        Mover(
            key="rooms",
            preview=lambda *, survivor, organization: MoverPreview("Rooms", 2, ["101", "102"]),
        )
    )

    preview = merge_preview(survivor=county.org_a1, merged=[county.org_a2])

    assert preview[0]["items"][-1] == ("Rooms", 2, ["101", "102"])


# --- Views -----------------------------------------------------------------------------------


def test_the_merge_page_previews_the_members_that_move(three_into_one, county_admin, client):
    survivor, merged, _people = three_into_one
    client.force_login(county_admin)

    response = client.get(
        reverse("orgs:merge_create"),
        {"survivor": survivor.pk, "merged": [organization.pk for organization in merged]},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "orgs/merge_preview.html"
    for name in ("张一", "李二", "王三", "赵四"):
        assert name in page
    assert "钱五" not in page
    assert Merge.objects.count() == 0


def test_choosing_the_survivor_among_the_merged_is_refused_before_the_preview(
    county, county_admin, client
):
    client.force_login(county_admin)

    response = client.get(
        reverse("orgs:merge_create"),
        {"survivor": county.org_a1.pk, "merged": [county.org_a1.pk]},
    )

    assert response.templates[0].name == "orgs/merge_form.html"
    assert response.context["form"].errors["merged"] == [str(MERGE_SURVIVOR_IN_MERGED_MESSAGE)]


def test_confirming_the_merge_performs_it_and_shows_it(three_into_one, county_admin, client):
    survivor, merged, _people = three_into_one
    client.force_login(county_admin)

    response = client.post(
        reverse("orgs:merge_create"),
        {
            "survivor": survivor.pk,
            "merged": [organization.pk for organization in merged],
            "merged_on": "2024-06-01",
            "reason": "书画团队整合",
        },
    )

    merge = Merge.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("orgs:merge_detail", kwargs={"pk": merge.pk})
    detail = client.get(response.url)
    assert detail.status_code == 200
    assert "王家村秧歌队" in detail.content.decode()
    assert current_member_names(survivor) == {"周零", "张一", "李二", "王三", "赵四"}


def test_a_refused_merge_shows_the_error_on_the_confirmation_page(county, county_admin, client):
    client.force_login(county_admin)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()

    response = client.post(
        reverse("orgs:merge_create"),
        {
            "survivor": county.org_a1.pk,
            "merged": [county.org_a2.pk],
            "merged_on": future,
            "reason": "整合",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["merged_on"] == [str(MERGE_DATE_FUTURE_MESSAGE)]
    assert not Merge.objects.exists()


def test_township_staff_cannot_open_the_merge_page(township_staff, client):
    client.force_login(township_staff)

    assert client.get(reverse("orgs:merge_create")).status_code == 403


def test_township_staff_does_not_see_merges_into_another_township(
    county, county_admin, township_staff, client
):
    merge = organization_merge(
        actor=county_admin,
        survivor=county.org_b1,
        merged=[county.org_a2],
        merged_on=MERGED_ON,
        reason="整合",
    )
    client.force_login(township_staff)

    detail = client.get(reverse("orgs:merge_detail", kwargs={"pk": merge.pk}))
    listing = client.get(reverse("orgs:merge_list"))

    assert detail.status_code == 404
    assert list(listing.context["page"]) == []


def test_the_merge_list_runs_a_bounded_number_of_queries(
    county, county_admin, client, django_assert_max_num_queries
):
    performer = UserFactory()
    for number in range(30):
        merge = Merge.objects.create(
            survivor=county.org_a1,
            merged_on=MERGED_ON,
            reason=f"整合{number}",
            performed_by=performer,
        )
        merge.merged.add(OrganizationFactory(community=county.community_a2))
    client.force_login(county_admin)

    # session, user, count, page, merged organisations (prefetch), and the idle-timeout
    # session save (savepoint, update, release)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("orgs:merge_list"))

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 30
