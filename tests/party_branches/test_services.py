"""Setting up, changing and dissolving branches, recording meetings, assigning instructors."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEvent
from orgs.models import Person
from party_branches import services
from party_branches.models import Branch, BranchMember, Formation, InstructorAssignment, Meeting
from tests.orgs.factories import MembershipFactory, OrganizationFactory, PersonFactory
from tests.party_branches.factories import (
    InstructorFactory,
    MeetingFactory,
    make_branch,
    party_members,
)

DAY = date(2025, 3, 1)


def _message(template, **params) -> str:
    return str(template) % params if params else str(template)


def _create(actor, organizations, people, **overrides):
    data = {
        "actor": actor,
        "organizations": organizations,
        "formation": Formation.JOINT if len(organizations) > 1 else Formation.SINGLE,
        "name": "幸福社区联合临时党支部",
        "parent_org": "幸福社区党委",
        "established_on": DAY,
        "member_people": people,
        "secretary": None,
    }
    data.update(overrides)
    return services.branch_create(**data)


# --- Setting up --------------------------------------------------------------------------


def test_branch_with_three_formal_members_is_set_up_with_its_members(county, township_staff):
    people = party_members(county.org_a1, 3) + party_members(
        county.org_a1, 1, status=Person.PartyStatus.PROBATIONARY
    )

    branch = _create(township_staff, [county.org_a1], people, secretary=people[0])

    assert branch.township == county.township_a
    assert list(branch.organizations.all()) == [county.org_a1]
    members = BranchMember.objects.filter(branch=branch)
    assert members.count() == 4
    assert members.filter(party_status="full").count() == 3
    assert set(members.values_list("joined_on", flat=True)) == {DAY}
    assert branch.secretary == people[0]
    assert AuditEvent.objects.filter(action="branch.create", object_id=str(branch.pk)).exists()
    assert branch.history.count() == 1


def test_branch_with_only_two_formal_members_is_refused_saying_how_many(county, township_staff):
    people = party_members(county.org_a1, 2) + party_members(
        county.org_a1, 3, status=Person.PartyStatus.PROBATIONARY
    )

    with pytest.raises(ValidationError) as error:
        _create(township_staff, [county.org_a1], people)

    assert error.value.message_dict["member_people"] == [
        _message(services.BRANCH_TOO_FEW_FORMAL_MESSAGE, count=2, required=3)
    ]
    assert not Branch.objects.exists()
    assert not BranchMember.objects.exists()


def test_people_who_are_not_current_party_members_of_the_organisations_cannot_join(
    county, township_staff
):
    people = party_members(county.org_a1, 3)
    not_party = PersonFactory(name="非党员")
    MembershipFactory(organization=county.org_a1, person=not_party)
    former = party_members(county.org_a1, 1, left_on=date(2024, 5, 1))[0]
    former.name = "已退会"
    former.save()
    elsewhere = party_members(county.org_a2, 1)[0]
    elsewhere.name = "别的社团"
    elsewhere.save()

    with pytest.raises(ValidationError) as error:
        _create(township_staff, [county.org_a1], [*people, not_party, former, elsewhere])

    assert error.value.message_dict["member_people"] == [
        _message(services.BRANCH_NOT_ELIGIBLE_MESSAGE, names="非党员、已退会、别的社团")
    ]


@pytest.mark.parametrize(
    ("formation", "count", "message", "params"),
    [
        ("single", 2, services.BRANCH_SINGLE_ONE_ORGANIZATION_MESSAGE, {}),
        ("joint", 1, services.BRANCH_JOINT_TOO_FEW_MESSAGE, {"min": 2, "count": 1}),
        ("joint", 6, services.BRANCH_JOINT_TOO_MANY_MESSAGE, {"max": 5, "count": 6}),
    ],
)
def test_number_of_organisations_follows_the_formation(
    county, township_staff, formation, count, message, params
):
    organizations = [county.org_a1] + [
        OrganizationFactory(community=county.community_a1) for _ in range(count - 1)
    ]
    people = party_members(county.org_a1, 3)

    with pytest.raises(ValidationError) as error:
        _create(township_staff, organizations, people, formation=formation)

    assert error.value.message_dict["organizations"] == [_message(message, **params)]


def test_joint_branch_of_five_organisations_is_allowed(county, township_staff):
    organizations = [county.org_a1] + [
        OrganizationFactory(community=county.community_a2) for _ in range(4)
    ]
    branch = _create(township_staff, organizations, party_members(county.org_a1, 3))
    assert branch.organizations.count() == 5
    assert branch.formation == Formation.JOINT


def test_joint_branch_across_townships_is_refused(county, county_admin):
    with pytest.raises(ValidationError) as error:
        _create(county_admin, [county.org_a1, county.org_b1], party_members(county.org_a1, 3))

    assert error.value.message_dict["organizations"] == [
        _message(
            services.BRANCH_ONE_TOWNSHIP_MESSAGE,
            names=county.org_b1.name,
            township=county.township_a.name,
        )
    ]


def test_branch_has_at_most_fifty_members(county, township_staff):
    people = party_members(county.org_a1, 51)

    with pytest.raises(ValidationError) as error:
        _create(township_staff, [county.org_a1], people)

    assert error.value.message_dict["member_people"] == [
        _message(services.BRANCH_TOO_MANY_MEMBERS_MESSAGE, max=50, count=51)
    ]


def test_person_in_an_active_branch_cannot_join_a_second(county, township_staff):
    first = _create(township_staff, [county.org_a1], party_members(county.org_a1, 3))
    busy = first.members.first().person
    MembershipFactory(organization=county.org_a2, person=busy)

    with pytest.raises(ValidationError) as error:
        _create(township_staff, [county.org_a2], [busy, *party_members(county.org_a2, 3)])

    assert error.value.message_dict["member_people"] == [
        _message(services.BRANCH_ALREADY_IN_BRANCH_MESSAGE, person=busy.name, branch=first.name)
    ]


def test_organisation_with_an_active_branch_cannot_get_a_second(county, township_staff):
    first = _create(township_staff, [county.org_a1], party_members(county.org_a1, 3))

    with pytest.raises(ValidationError) as error:
        _create(township_staff, [county.org_a1], party_members(county.org_a1, 3), name="第二")

    assert error.value.message_dict["organizations"] == [
        _message(
            services.BRANCH_ORGANIZATION_HAS_BRANCH_MESSAGE,
            name=county.org_a1.name,
            branch=first.name,
        )
    ]


def test_secretary_must_be_a_formal_member_of_the_branch(county, township_staff):
    people = party_members(county.org_a1, 3)
    outsider = party_members(county.org_a1, 1)[0]

    with pytest.raises(ValidationError) as error:
        _create(township_staff, [county.org_a1], people, secretary=outsider)

    assert error.value.message_dict["secretary"] == [
        str(services.BRANCH_SECRETARY_NOT_FORMAL_MEMBER_MESSAGE)
    ]


def test_set_up_date_cannot_be_in_the_future(county, township_staff):
    with pytest.raises(ValidationError) as error:
        _create(
            township_staff,
            [county.org_a1],
            party_members(county.org_a1, 3),
            established_on=timezone.localdate() + timedelta(days=1),
        )
    assert error.value.message_dict["established_on"] == [str(services.BRANCH_DATE_FUTURE_MESSAGE)]


@pytest.mark.parametrize("persona", ["secretary", "official", "org_contact"], indirect=True)
def test_only_county_admin_and_township_staff_set_up_branches(county, persona):
    with pytest.raises(PermissionDenied):
        _create(persona, [county.org_a1], party_members(county.org_a1, 3))


def test_township_staff_cannot_set_up_a_branch_in_another_township(county, township_staff):
    with pytest.raises(PermissionDenied):
        _create(township_staff, [county.org_b1], party_members(county.org_b1, 3))


# --- Members -----------------------------------------------------------------------------


def test_member_added_and_removed_keeps_the_row(county, township_staff):
    branch = make_branch([county.org_a1], formal=3)
    newcomer = party_members(county.org_a1, 1)[0]

    member = services.branch_add_member(
        actor=township_staff, branch=branch, person=newcomer, joined_on=DAY
    )
    services.branch_remove_member(
        actor=township_staff, branch=branch, member=member, left_on=DAY, reason="迁出"
    )

    member.refresh_from_db()
    assert member.left_on == DAY
    assert member.left_reason == "迁出"
    assert branch.members.count() == 4
    assert member.history.count() == 2


def test_removing_a_formal_member_below_three_is_refused(county, township_staff):
    branch = make_branch([county.org_a1], formal=3, probationary=1)
    member = branch.members.filter(party_status="full").select_related("person").first()

    with pytest.raises(ValidationError) as error:
        services.branch_remove_member(
            actor=township_staff, branch=branch, member=member, left_on=DAY, reason="迁出"
        )

    assert error.value.message_dict["left_on"] == [
        _message(
            services.MEMBER_REMOVAL_TOO_FEW_FORMAL_MESSAGE,
            person=member.person.name,
            count=2,
            required=3,
        )
    ]


def test_non_party_member_cannot_be_added(county, township_staff):
    branch = make_branch([county.org_a1])
    person = PersonFactory(name="群众")
    MembershipFactory(organization=county.org_a1, person=person)

    with pytest.raises(ValidationError) as error:
        services.branch_add_member(
            actor=township_staff, branch=branch, person=person, joined_on=DAY
        )

    assert error.value.message_dict["person"] == [
        _message(services.BRANCH_NOT_ELIGIBLE_MESSAGE, names="群众")
    ]


def test_secretary_cannot_change_members(county, secretary):
    branch = make_branch([county.org_a1])
    with pytest.raises(PermissionDenied):
        services.branch_add_member(
            actor=secretary,
            branch=branch,
            person=party_members(county.org_a1, 1)[0],
            joined_on=DAY,
        )


# --- Dissolving --------------------------------------------------------------------------


def test_dissolved_branch_keeps_its_records_and_members_leave(county, township_staff):
    branch = make_branch([county.org_a1], formal=4)
    MeetingFactory(branch=branch, held_on=date(2024, 6, 1))

    services.branch_dissolve(
        actor=township_staff, branch=branch, dissolved_on=DAY, reason="活动结束"
    )

    branch.refresh_from_db()
    assert branch.dissolved_on == DAY
    assert branch.dissolution_reason == "活动结束"
    assert branch.members.count() == 4
    assert set(branch.members.values_list("left_on", flat=True)) == {DAY}
    assert Meeting.objects.filter(branch=branch).count() == 1
    # Its former members may now join another branch.
    assert not BranchMember.objects.current().exists()


def test_dissolving_before_a_recorded_meeting_is_refused(county, township_staff):
    branch = make_branch([county.org_a1])
    MeetingFactory(branch=branch, held_on=DAY)

    with pytest.raises(ValidationError) as error:
        services.branch_dissolve(actor=township_staff, branch=branch, dissolved_on=DAY, reason="x")

    assert error.value.message_dict["dissolved_on"] == [
        _message(services.DISSOLVE_BEFORE_MEETING_MESSAGE, held_on=DAY.isoformat())
    ]


def test_dissolved_branch_takes_no_more_members(county, township_staff):
    branch = make_branch([county.org_a1], dissolved_on=DAY, dissolution_reason="结束")

    with pytest.raises(ValidationError) as error:
        services.branch_add_member(
            actor=township_staff,
            branch=branch,
            person=party_members(county.org_a1, 1)[0],
            joined_on=DAY,
        )

    assert error.value.message_dict["person"] == [str(services.BRANCH_DISSOLVED_MESSAGE)]


# --- Meetings ----------------------------------------------------------------------------


def test_secretary_records_a_meeting_of_a_branch_in_their_community(county, secretary):
    branch = make_branch([county.org_a1])
    attendees = list(branch.members.all())

    meeting = services.meeting_record(
        actor=secretary,
        branch=branch,
        kind="theme_day",
        held_on=DAY,
        topic="  学习二十大精神 ",
        attendees=attendees,
        minutes="",
    )

    assert meeting.topic == "学习二十大精神"
    assert meeting.attendees.count() == 3
    assert meeting.recorded_by == secretary


def test_meeting_attendees_must_be_members_on_that_day(county, township_staff):
    branch = make_branch([county.org_a1], formal=4)
    late = branch.members.select_related("person").last()
    late.joined_on = date(2025, 2, 1)
    late.save()
    other = make_branch([county.org_a2]).members.select_related("person").first()

    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            actor=township_staff,
            branch=branch,
            kind="committee",
            held_on=date(2025, 1, 15),
            topic="支委会",
            attendees=[*branch.members.all(), other],
        )

    names = "、".join(sorted([late.person.name, other.person.name]))
    assert error.value.message_dict["attendees"] == [
        _message(services.MEETING_ATTENDEE_NOT_MEMBER_MESSAGE, names=names, held_on="2025-01-15")
    ]


@pytest.mark.parametrize(
    ("held_on", "message", "params"),
    [
        (
            date(2024, 1, 9),
            services.MEETING_BEFORE_ESTABLISHED_MESSAGE,
            {"established_on": "2024-01-10"},
        ),
        (
            date(2024, 6, 1),
            services.MEETING_AFTER_DISSOLVED_MESSAGE,
            {"dissolved_on": "2024-06-01"},
        ),
    ],
)
def test_meetings_only_on_days_the_branch_was_active(
    county, township_staff, held_on, message, params
):
    branch = make_branch([county.org_a1], dissolved_on=date(2024, 6, 1), dissolution_reason="x")

    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            actor=township_staff,
            branch=branch,
            kind="committee",
            held_on=held_on,
            topic="支委会",
            attendees=list(branch.members.all()),
        )

    assert _message(message, **params) in error.value.message_dict["held_on"]


def test_meeting_cannot_be_in_the_future(county, township_staff):
    branch = make_branch([county.org_a1])
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            actor=township_staff,
            branch=branch,
            kind="committee",
            held_on=timezone.localdate() + timedelta(days=1),
            topic="支委会",
            attendees=list(branch.members.all()),
        )
    assert error.value.message_dict["held_on"] == [str(services.MEETING_DATE_FUTURE_MESSAGE)]


@pytest.mark.parametrize("persona", ["official", "org_contact"], indirect=True)
def test_officials_and_contacts_cannot_record_meetings(county, persona):
    branch = make_branch([county.org_a1])
    with pytest.raises(PermissionDenied):
        services.meeting_record(
            actor=persona,
            branch=branch,
            kind="committee",
            held_on=DAY,
            topic="支委会",
            attendees=list(branch.members.all()),
        )


def test_secretary_cannot_record_meetings_of_another_community(county, secretary):
    branch = make_branch([county.org_a2])
    with pytest.raises(PermissionDenied):
        services.meeting_record(
            actor=secretary,
            branch=branch,
            kind="committee",
            held_on=DAY,
            topic="支委会",
            attendees=list(branch.members.all()),
        )


# --- Instructors -------------------------------------------------------------------------


def test_instructor_assigned_with_a_normalised_mobile_and_ended(county, township_staff):
    assignment = services.instructor_assign(
        actor=township_staff,
        organization=county.org_a2,
        instructor_name="王指导",
        instructor_phone="+86 138-0013-8000",
        unit="街道党工委",
        started_on=DAY,
    )
    assert assignment.instructor_phone == "13800138000"

    services.instructor_end(actor=township_staff, assignment=assignment, ended_on=DAY, reason="")
    assignment.refresh_from_db()
    assert assignment.ended_on == DAY


def test_instructor_with_a_wrong_mobile_is_refused(county, township_staff):
    with pytest.raises(ValidationError) as error:
        services.instructor_assign(
            actor=township_staff,
            organization=county.org_a2,
            instructor_name="王指导",
            instructor_phone="12345",
            started_on=DAY,
        )
    assert "instructor_phone" in error.value.message_dict
    assert not InstructorAssignment.objects.exists()


def test_second_active_instructor_is_refused(county, township_staff):
    InstructorFactory(organization=county.org_a2, instructor_name="李指导")
    with pytest.raises(ValidationError) as error:
        services.instructor_assign(
            actor=township_staff, organization=county.org_a2, instructor_name="王", started_on=DAY
        )
    assert error.value.message_dict["instructor_name"] == [
        _message(
            services.INSTRUCTOR_ALREADY_ACTIVE_MESSAGE,
            name=county.org_a2.name,
            instructor="李指导",
        )
    ]


def test_township_staff_cannot_assign_instructors_elsewhere(county, township_staff):
    with pytest.raises(PermissionDenied):
        services.instructor_assign(
            actor=township_staff, organization=county.org_b1, instructor_name="王", started_on=DAY
        )
