"""Demo branches: 25 temporary Party branches among the county's 140 groups, instructors for
about 15 others, and a year of organisational life with realistic gaps.

Every branch is set up with 3+ formal Party members drawn from the current members of its
organisations who are Party members; where a chosen group has too few, some of its current
members are recorded as formal Party members first (seed data: a plain bulk update). The first
branch is in the demo contact's group, in the secretary's community. Rows are written with
bulk_create (seed data writes no history rows).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from core.bulk import copy_create
from orgs.models import Membership, Organization, Person
from party_branches.models import (
    Branch,
    BranchMember,
    Formation,
    InstructorAssignment,
    Meeting,
    MeetingKind,
    PartyStatus,
)

BATCH_SIZE = 2000
# Branches and instructors per scale (county: the programme's 25 branches in 140 groups).
BRANCHES = {"county": 25, "city": 250, "province": 3_000}
INSTRUCTORS = {"county": 15, "city": 150, "province": 2_000}
JOINT_SHARE = 0.3
INSTRUCTOR_UNITS = ["县委组织部", "县民政局", "街道党工委", "县委社会工作部", "县退役军人事务局"]
TOPICS = {
    MeetingKind.COMMITTEE: ["研究本月工作安排", "讨论发展党员工作", "研究志愿服务活动方案"],
    MeetingKind.GROUP: ["学习党章党规", "交流学习心得", "讨论社团服务项目"],
    MeetingKind.THEME_DAY: [
        "重温入党誓词",
        "走访困难群众",
        "社区环境整治志愿服务",
        "参观红色教育基地",
    ],
    MeetingKind.GENERAL_MEETING: ["通报支部工作", "讨论年度工作计划", "选举支部委员"],
    MeetingKind.LECTURE: ["书记讲党课：发挥党员先锋模范作用", "学习贯彻党的二十大精神"],
    MeetingKind.LIFE_MEETING: ["年度组织生活会：批评与自我批评"],
    MeetingKind.APPRAISAL: ["年度民主评议党员"],
}
MONTHLY_KINDS = (MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.THEME_DAY)
QUARTERLY_KINDS = (MeetingKind.GENERAL_MEETING, MeetingKind.LECTURE)


class _Seeder:
    def __init__(self, context):
        self.rng = context.rng
        self.today = timezone.localdate()
        self.used_people: set[int] = set()
        self.promote: list[int] = []
        self.branches: list[tuple[Branch, list[int]]] = []
        self.members: list[BranchMember] = []

    def current_members(self, organization_ids: list[int]) -> dict[int, list[int]]:
        rows = (
            Membership.objects.filter(organization_id__in=organization_ids, left_on__isnull=True)
            .order_by("organization_id", "pk")
            .values_list("organization_id", "person_id")
        )
        members = defaultdict(list)
        for organization_id, person_id in rows:
            members[organization_id].append(person_id)
        return members

    def plan(self, organizations: list[Organization], showcase: Organization, count: int):
        """Choose which groups get a branch: one single in the showcase group, then a mix."""
        by_township = defaultdict(list)
        for organization in organizations:
            by_township[organization.community.township_id].append(organization)
        chosen: list[list[Organization]] = [[showcase]]
        taken = {showcase.pk}
        townships = sorted(by_township)
        attempts = 0
        while len(chosen) < count and attempts < count * 20:
            attempts += 1
            pool = [o for o in by_township[self.rng.choice(townships)] if o.pk not in taken]
            if not pool:
                continue
            size = 1
            if self.rng.random() < JOINT_SHARE and len(pool) >= 2:
                size = min(len(pool), self.rng.choice([2, 2, 3]))
            group = self.rng.sample(pool, size)
            taken.update(o.pk for o in group)
            chosen.append(sorted(group, key=lambda o: o.pk))
        return chosen, taken

    def branch(self, group: list[Organization], members: dict, party: dict) -> None:
        """Build one branch with 3–8 formal members and a few probationary ones."""
        established = self.today - timedelta(days=self.rng.randrange(60, 3 * 365))
        candidates = [
            person_id
            for organization in group
            for person_id in members.get(organization.pk, [])
            if person_id not in self.used_people
        ]
        candidates = list(dict.fromkeys(candidates))
        formal = [pk for pk in candidates if party.get(pk) == Person.PartyStatus.FULL]
        probationary = [pk for pk in candidates if party.get(pk) == Person.PartyStatus.PROBATIONARY]
        wanted = self.rng.randint(3, 8)
        if len(formal) < wanted:
            others = [pk for pk in candidates if pk not in party]
            extra = others[: wanted - len(formal)]
            self.promote += extra
            for pk in extra:
                party[pk] = Person.PartyStatus.FULL
            formal += extra
        formal = formal[: max(wanted, 3)]
        probationary = probationary[: self.rng.randint(0, 2)]
        if len(formal) < 3:
            return
        name = group[0].short_name or group[0].name
        township = group[0].community.township
        branch = Branch(
            name=f"{name}{'联合' if len(group) > 1 else ''}临时党支部",
            formation=Formation.JOINT if len(group) > 1 else Formation.SINGLE,
            township_id=township.pk,
            parent_org=f"{group[0].community.name}党委",
            established_on=established,
            secretary_id=formal[0],
        )
        people = formal + probationary
        self.used_people.update(people)
        self.branches.append((branch, [o.pk for o in group]))
        for pk in people:
            self.members.append(
                BranchMember(
                    branch=branch,
                    person_id=pk,
                    party_status=PartyStatus.FULL if pk in formal else PartyStatus.PROBATIONARY,
                    relation_place=f"{group[0].community.name}党委",
                    joined_on=established,
                )
            )

    def meetings(self, branch: Branch, member_ids: list[int]) -> list[tuple[Meeting, list[int]]]:
        """A year of meetings; a few branches keep them irregularly (the ones behind)."""
        start = max(branch.established_on, self.today - timedelta(days=365))
        diligence = self.rng.choices([0.97, 0.8, 0.45], weights=[65, 25, 10])[0]
        result = []

        def add(kind, day):
            if start <= day <= self.today and self.rng.random() < diligence:
                attendees = [pk for pk in member_ids if self.rng.random() < 0.85] or member_ids[:1]
                meeting = Meeting(
                    branch=branch,
                    kind=kind,
                    held_on=day,
                    topic=self.rng.choice(TOPICS[kind]),
                    minutes="会议由支部书记主持，参会党员围绕主题进行了学习和讨论。",
                )
                result.append((meeting, attendees))

        month = date(start.year, start.month, 1)
        while month <= self.today:
            for kind in MONTHLY_KINDS:
                add(kind, month + timedelta(days=self.rng.randrange(3, 26)))
            if month.month in (3, 6, 9, 12):
                for kind in QUARTERLY_KINDS:
                    add(kind, month + timedelta(days=self.rng.randrange(5, 25)))
            if month.month == 1:
                add(MeetingKind.LIFE_MEETING, month + timedelta(days=self.rng.randrange(10, 28)))
                add(MeetingKind.APPRAISAL, month + timedelta(days=self.rng.randrange(10, 28)))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return result


def seed_branches(context) -> None:
    """Create the demo branches, their members, instructors and a year of meetings."""
    seeder = _Seeder(context)
    organizations = list(
        Organization.objects.active().select_related("community__township").order_by("pk")
    )
    if not organizations:
        return
    showcase = context.made.get("organizations", [organizations[0]])[0]
    showcase = next((o for o in organizations if o.pk == showcase.pk), organizations[0])
    scale = context.scale
    wanted = BRANCHES.get(scale, 25)
    # Plan more groups than needed: a group with fewer than 3 current members is passed over.
    groups, _planned = seeder.plan(organizations, showcase, wanted * 2)
    members = seeder.current_members([o.pk for group in groups for o in group])
    party = dict(
        Person.objects.filter(
            pk__in={pk for people in members.values() for pk in people}, is_party_member=True
        ).values_list("pk", "party_status")
    )
    for group in groups:
        if len(seeder.branches) >= wanted:
            break
        seeder.branch(group, members, party)
    taken = {pk for _branch, ids in seeder.branches for pk in ids}
    # Seed data: a plain update is enough (no history to keep).
    for start in range(0, len(seeder.promote), BATCH_SIZE):
        Person.objects.filter(pk__in=seeder.promote[start : start + BATCH_SIZE]).update(
            is_party_member=True,
            party_status=Person.PartyStatus.FULL,
            party_relation_place="平安县社会组织综合党委",
        )

    branches, meetings = _write_branches(seeder)
    others = [o for o in organizations if o.pk not in taken]
    assignments = _instructors(seeder, others, min(INSTRUCTORS.get(scale, 15), len(others)))
    copy_create(InstructorAssignment, assignments, batch_size=BATCH_SIZE)
    context.summary.append(
        f"{len(branches)} 个临时党支部（{len(seeder.members)} 名党员），"
        f"{len(assignments)} 名党建指导员，{len(meetings)} 次组织生活记录"
    )


def _write_branches(seeder: _Seeder) -> tuple[list[Branch], list[Meeting]]:
    """The planned branches with their organisations, members, meetings and attendance."""
    branches = Branch.objects.bulk_create([branch for branch, _ids in seeder.branches])
    links = Branch.organizations.through
    links.objects.bulk_create(
        links(branch_id=branch.pk, organization_id=organization_id)
        for branch, (_b, organization_ids) in zip(branches, seeder.branches, strict=True)
        for organization_id in organization_ids
    )
    members = copy_create(BranchMember, seeder.members, batch_size=BATCH_SIZE)
    by_branch = defaultdict(list)
    for member in members:
        by_branch[member.branch_id].append(member.pk)
    planned = [
        item for branch in branches for item in seeder.meetings(branch, by_branch[branch.pk])
    ]
    meetings = copy_create(Meeting, [meeting for meeting, _ in planned], batch_size=BATCH_SIZE)
    attendance = Meeting.attendees.through
    copy_create(
        attendance,
        (
            attendance(meeting_id=meeting.pk, branchmember_id=member_id)
            for meeting, (_m, attendees) in zip(meetings, planned, strict=True)
            for member_id in attendees
        ),
        batch_size=BATCH_SIZE,
    )
    return branches, meetings


def _instructors(seeder: _Seeder, others: list, count: int) -> list[InstructorAssignment]:
    """Instructors for organisations without a branch."""
    assignments = []
    for organization in seeder.rng.sample(others, count):
        surname = seeder.rng.choice("王李张刘陈杨赵黄周吴")
        assignments.append(
            InstructorAssignment(
                organization=organization,
                instructor_name=f"{surname}{seeder.rng.choice(['建华', '秀英', '志强', '丽娟'])}",
                instructor_phone=f"13{seeder.rng.randrange(10**9):09d}",
                unit=seeder.rng.choice(INSTRUCTOR_UNITS),
                started_on=seeder.today - timedelta(days=seeder.rng.randrange(30, 700)),
            )
        )
    return assignments
