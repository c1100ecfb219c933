"""Merges carry branch links and active instructors from merged organisations to the survivor."""

from datetime import date

from django.utils.translation import gettext

from orgs.services.merges import merge_preview, organization_merge
from party_branches.models import InstructorAssignment
from tests.orgs.factories import OrganizationFactory
from tests.party_branches.factories import InstructorFactory, make_branch

MERGED_ON = date(2025, 3, 1)


def _party_item(preview):
    [entry] = preview
    label = gettext("Temporary Party branches and instructors that move")
    [item] = [item for item in entry["items"] if item.label == label]
    return item


def test_merge_preview_lists_branches_and_instructors_that_move(county, county_admin):
    merged = OrganizationFactory(community=county.community_a1)
    make_branch([merged], name="书画临时党支部")
    InstructorFactory(organization=merged, instructor_name="王指导")

    item = _party_item(merge_preview(survivor=county.org_a1, merged=[merged]))

    assert item.count == 2
    assert item.sample[0] == "书画临时党支部"
    assert "王指导" in item.sample[1]


def test_merge_moves_a_single_branch_to_the_survivor(county, county_admin):
    merged = OrganizationFactory(community=county.community_a1)
    branch = make_branch([merged])

    merge = organization_merge(
        actor=county_admin,
        survivor=county.org_a1,
        merged=[merged],
        merged_on=MERGED_ON,
        reason="整合重组",
    )

    assert list(branch.organizations.all()) == [county.org_a1]
    assert merge.summary["organizations"][0]["branches_moved"] == 1


def test_joint_branch_of_survivor_and_merged_becomes_single(county, county_admin):
    merged = OrganizationFactory(community=county.community_a1)
    branch = make_branch([county.org_a1, merged])

    organization_merge(
        actor=county_admin,
        survivor=county.org_a1,
        merged=[merged],
        merged_on=MERGED_ON,
        reason="整合重组",
    )

    branch.refresh_from_db()
    assert list(branch.organizations.all()) == [county.org_a1]
    assert branch.formation == "single"


def test_active_instructor_ends_and_continues_at_the_survivor(county, county_admin):
    merged = OrganizationFactory(community=county.community_a1)
    old = InstructorFactory(organization=merged, instructor_name="王指导")
    ended = InstructorFactory(
        organization=merged, instructor_name="已离任", ended_on=date(2024, 6, 1)
    )

    merge = organization_merge(
        actor=county_admin,
        survivor=county.org_a1,
        merged=[merged],
        merged_on=MERGED_ON,
        reason="整合重组",
    )

    old.refresh_from_db()
    assert old.ended_on == MERGED_ON
    moved = InstructorAssignment.objects.get(organization=county.org_a1)
    assert (moved.instructor_name, moved.started_on, moved.ended_on) == ("王指导", MERGED_ON, None)
    ended.refresh_from_db()
    assert ended.ended_on == date(2024, 6, 1)
    assert merge.summary["organizations"][0]["instructors_moved"] == 1


def test_survivor_keeps_its_own_instructor(county, county_admin):
    merged = OrganizationFactory(community=county.community_a1)
    InstructorFactory(organization=county.org_a1, instructor_name="原指导员")
    InstructorFactory(organization=merged, instructor_name="王指导")

    organization_merge(
        actor=county_admin,
        survivor=county.org_a1,
        merged=[merged],
        merged_on=MERGED_ON,
        reason="整合重组",
    )

    active = InstructorAssignment.objects.active(MERGED_ON).filter(organization=county.org_a1)
    assert [assignment.instructor_name for assignment in active] == ["原指导员"]
