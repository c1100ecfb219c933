import datetime

import factory

from orgs.models import Person
from party_branches.models import (
    Branch,
    BranchMember,
    Formation,
    InstructorAssignment,
    Meeting,
    MeetingKind,
    PartyStatus,
)
from tests.orgs.factories import MembershipFactory, PersonFactory

ESTABLISHED = datetime.date(2024, 1, 10)


class PartyMemberFactory(PersonFactory):
    """A resident recorded as a formal Party member."""

    is_party_member = True
    party_status = Person.PartyStatus.FULL
    party_relation_place = "城关街道机关党支部"


class BranchFactory(factory.django.DjangoModelFactory):
    """A branch built directly (no rule checks); pass organizations=[...]."""

    class Meta:
        model = Branch
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试临时党支部{n}")
    formation = Formation.SINGLE
    parent_org = "城关街道党工委"
    established_on = ESTABLISHED
    township = None

    @factory.post_generation
    def organizations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organizations.set(extracted)


class BranchMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BranchMember

    branch = factory.SubFactory(BranchFactory)
    person = factory.SubFactory(PartyMemberFactory)
    party_status = PartyStatus.FULL
    joined_on = factory.LazyAttribute(lambda o: o.branch.established_on)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    branch = factory.SubFactory(BranchFactory)
    kind = MeetingKind.THEME_DAY
    held_on = factory.LazyAttribute(lambda o: o.branch.established_on)
    topic = "学习党章"


class InstructorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstructorAssignment

    instructor_name = factory.Sequence(lambda n: f"指导员{n}")
    instructor_phone = "13800138000"
    unit = "县委组织部"
    started_on = datetime.date(2024, 1, 1)


def party_members(organization, count: int, *, status=Person.PartyStatus.FULL, **membership):
    """Create `count` Party members who are current members of the organisation."""
    people = []
    for _ in range(count):
        person = PartyMemberFactory(party_status=status)
        MembershipFactory(organization=organization, person=person, **membership)
        people.append(person)
    return people


def make_branch(
    organizations,
    *,
    formal: int = 3,
    probationary: int = 0,
    established_on: datetime.date = ESTABLISHED,
    **fields,
) -> Branch:
    """Build a branch with members who are Party members of its first organisation."""
    organizations = list(organizations)
    first = organizations[0]
    branch = BranchFactory(
        organizations=organizations,
        township=first.community.township,
        formation=Formation.JOINT if len(organizations) > 1 else Formation.SINGLE,
        established_on=established_on,
        **fields,
    )
    for person in party_members(first, formal):
        BranchMemberFactory(branch=branch, person=person, joined_on=established_on)
    for person in party_members(first, probationary, status=Person.PartyStatus.PROBATIONARY):
        BranchMemberFactory(
            branch=branch,
            person=person,
            party_status=PartyStatus.PROBATIONARY,
            joined_on=established_on,
        )
    return branch
