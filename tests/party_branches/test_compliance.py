"""Compliance per branch and quarter, at the quarter's boundaries, in bounded queries."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from party_branches.compliance import (
    branch_compliance,
    compliant_branch_ids,
    compliant_organization_ids,
    is_fully_compliant,
)
from party_branches.models import Branch, RequiredFrequency
from tests.orgs.factories import OrganizationFactory
from tests.party_branches.factories import MeetingFactory, make_branch

Q1_2025 = (2025, 1)
MONTHLY = ("committee", "group", "theme_day")
QUARTERLY = ("general_meeting", "lecture")


def _hold_full_quarter(branch, months=(1, 2, 3), year=2025):
    for month in months:
        for kind in MONTHLY:
            MeetingFactory(branch=branch, kind=kind, held_on=date(year, month, 10))
    for kind in QUARTERLY:
        MeetingFactory(branch=branch, kind=kind, held_on=date(year, months[-1], 20))


def _items(row) -> dict:
    return {item.kind: (item.required, item.held, item.missing) for item in row.items}


def test_branch_holding_every_meeting_is_fully_compliant(county):
    branch = make_branch([county.org_a1], established_on=date(2024, 1, 10))
    _hold_full_quarter(branch)

    [row] = branch_compliance(branches_qs=Branch.objects.all(), quarter=Q1_2025)

    assert row.fully_compliant
    assert _items(row)["theme_day"] == (3, 3, 0)
    assert _items(row)["general_meeting"] == (1, 1, 0)
    assert _items(row)["life_meeting"] == (0, 0, 0)
    assert is_fully_compliant(branch, Q1_2025)
    assert compliant_organization_ids(quarter=Q1_2025) == {county.org_a1.pk}


def test_meetings_on_the_quarter_boundaries_count_in_their_own_quarter(county):
    # given a theme day on the last day of Q1 and one on the first day of Q2
    branch = make_branch([county.org_a1], established_on=date(2024, 1, 10))
    MeetingFactory(branch=branch, kind="theme_day", held_on=date(2025, 3, 31))
    MeetingFactory(branch=branch, kind="theme_day", held_on=date(2025, 4, 1))
    MeetingFactory(branch=branch, kind="theme_day", held_on=date(2024, 12, 31))

    # when both quarters are judged after they ended
    [q1] = branch_compliance(
        branches_qs=Branch.objects.all(), quarter=(2025, 1), today=date(2025, 7, 1)
    )
    [q2] = branch_compliance(
        branches_qs=Branch.objects.all(), quarter=(2025, 2), today=date(2025, 7, 1)
    )

    # then each quarter counts exactly its own day
    assert _items(q1)["theme_day"] == (3, 1, 2)
    assert _items(q2)["theme_day"] == (3, 1, 2)


def test_running_quarter_counts_only_months_begun(county):
    branch = make_branch([county.org_a1], established_on=date(2024, 1, 10))
    MeetingFactory(branch=branch, kind="theme_day", held_on=date(2025, 4, 3))

    with time_machine.travel(timezone.make_aware(timezone.datetime(2025, 4, 30, 12)), tick=False):
        [row] = branch_compliance(branches_qs=Branch.objects.all(), quarter=(2025, 2))
    assert _items(row)["theme_day"] == (1, 1, 0)

    with time_machine.travel(timezone.make_aware(timezone.datetime(2025, 5, 1, 9)), tick=False):
        [row] = branch_compliance(branches_qs=Branch.objects.all(), quarter=(2025, 2))
    assert _items(row)["theme_day"] == (2, 1, 1)


def test_branch_set_up_mid_quarter_owes_only_its_months(county):
    branch = make_branch([county.org_a1], established_on=date(2025, 2, 15))
    _hold_full_quarter(branch, months=(2, 3))

    [row] = branch_compliance(branches_qs=Branch.objects.all(), quarter=Q1_2025)

    assert _items(row)["committee"] == (2, 2, 0)
    assert row.fully_compliant


def test_branches_outside_the_quarter_are_left_out(county):
    make_branch([county.org_a1], established_on=date(2025, 4, 1))
    make_branch(
        [county.org_a2],
        established_on=date(2024, 1, 1),
        dissolved_on=date(2025, 1, 1),
        dissolution_reason="结束",
    )

    assert branch_compliance(branches_qs=Branch.objects.all(), quarter=Q1_2025) == []


def test_yearly_kinds_count_meetings_of_the_whole_year_in_the_fourth_quarter(county):
    branch = make_branch([county.org_a1], established_on=date(2024, 1, 10))
    MeetingFactory(branch=branch, kind="life_meeting", held_on=date(2025, 2, 1))

    [q4] = branch_compliance(
        branches_qs=Branch.objects.all(), quarter=(2025, 4), today=date(2026, 1, 5)
    )
    [q1] = branch_compliance(
        branches_qs=Branch.objects.all(), quarter=(2025, 1), today=date(2026, 1, 5)
    )

    assert _items(q4)["life_meeting"] == (1, 1, 0)
    assert _items(q4)["appraisal"] == (1, 0, 1)
    assert _items(q1)["life_meeting"] == (0, 1, 0)


def test_changed_frequency_changes_what_is_required(county):
    make_branch([county.org_a1], established_on=date(2024, 1, 10))
    frequency = RequiredFrequency.objects.get(kind="lecture")
    frequency.period, frequency.count = "monthly", 2
    frequency.save()

    [row] = branch_compliance(branches_qs=Branch.objects.all(), quarter=Q1_2025)

    assert _items(row)["lecture"] == (6, 0, 6)


def test_behind_branches_come_first(county):
    on_track = make_branch([county.org_a1], name="甲支部", established_on=date(2024, 1, 1))
    _hold_full_quarter(on_track)
    slightly = make_branch([county.org_a2], name="乙支部", established_on=date(2024, 1, 1))
    _hold_full_quarter(slightly, months=(1, 2))
    far_behind = make_branch([county.org_b1], name="丙支部", established_on=date(2024, 1, 1))

    rows = branch_compliance(branches_qs=Branch.objects.all(), quarter=Q1_2025)

    assert [row.branch for row in rows] == [far_behind, slightly, on_track]
    assert [row.fully_compliant for row in rows] == [False, False, True]


def test_compliance_takes_the_same_few_queries_for_many_branches(
    county, django_assert_max_num_queries
):
    for _ in range(30):
        organization = OrganizationFactory(community=county.community_a1)
        branch = make_branch([organization], formal=3, established_on=date(2024, 1, 1))
        MeetingFactory(branch=branch, kind="committee", held_on=date(2025, 2, 1))

    with django_assert_max_num_queries(3):
        rows = branch_compliance(branches_qs=Branch.objects.all(), quarter=Q1_2025)
    assert len(rows) == 30


@pytest.mark.parametrize(
    ("persona", "visible"),
    [("township_staff", 2), ("secretary", 1), ("org_contact", 1), ("official", 3)],
    indirect=["persona"],
)
def test_compliance_board_rows_follow_the_user_scope(county, persona, visible):
    make_branch([county.org_a1], established_on=date(2024, 1, 1))
    make_branch([county.org_a2], established_on=date(2024, 1, 1))
    make_branch([county.org_b1], established_on=date(2024, 1, 1))

    rows = branch_compliance(branches_qs=Branch.objects.visible_to(persona), quarter=Q1_2025)

    assert len(rows) == visible


def test_the_fast_set_agrees_with_the_board_rows(county):
    # compliant, behind (no group meeting in March), set up mid-quarter and compliant for its
    # months, set up after the quarter
    full = make_branch([county.org_a1], established_on=date(2024, 1, 10))
    _hold_full_quarter(full)
    behind = make_branch([county.org_a2], established_on=date(2024, 1, 10))
    _hold_full_quarter(behind, months=(1, 2))
    late = make_branch([county.org_b1], established_on=date(2025, 2, 20))
    _hold_full_quarter(late, months=(2, 3))
    make_branch([OrganizationFactory()], established_on=date(2025, 5, 1))

    rows = branch_compliance(branches_qs=Branch.objects.all(), quarter=Q1_2025)
    fast = compliant_branch_ids(branches_qs=Branch.objects.all(), quarter=Q1_2025)

    assert fast == {row.branch.pk for row in rows if row.fully_compliant}
    assert fast == {full.pk, late.pk}
