"""Writing the demo ledger a chunk of whole organisations at a time."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from areas.models import Community, Township
from core.bulk import copy_create, insert_rows
from orgs.demo.oversight import OversightWriter
from orgs.demo.people import PeopleWriter
from orgs.demo.plan import (
    _Chunk,
    _Group,
    _Plan,
)
from orgs.demo.pools import (
    ACTIVITY_FIELDS,
    BATCH_SIZE,
    BOTTLENECKS,
    GRADE_WEIGHTS,
    GRADES,
    LEFT_REASONS,
    LEGAL_FORM_CODES,
    NEEDS,
    NO_CURRENT_MEMBERS,
    NO_INSPECTION_TWO_YEARS,
    OPERATING_MECHANISMS,
    PLACES,
    RESOURCES,
    SHOWCASE_KINDS,
    SPECIAL_TEAMS,
    SUPERVISING_UNITS,
)
from orgs.models import (
    AnnualInspection,
    Category,
    CreditListing,
    Membership,
    Organization,
    Person,
    ZombieFlag,
)


class _LedgerWriter(PeopleWriter, OversightWriter):
    """Build and write the rows of each chunk of planned organisations."""

    def __init__(self, context, categories: dict[str, Category], communities, today: date):
        self.rng = context.rng
        self.today = today
        self.categories = categories
        self.by_township: dict[int, list[Community]] = defaultdict(list)
        for community in communities:
            self.by_township[community.township_id].append(community)
        self.earlier_people: dict[int, list[int]] = defaultdict(list)
        self.used_ids: set[int] = set()
        self.credit_serial = 0
        self.reuse = 0.0
        self.counts: Counter = Counter()
        self.merges: list[dict] = []
        self.showcase: list[Organization] = []
        last_year = today.year - 1 if today >= date(today.year, 3, 1) else today.year - 2
        self.inspection_years = [last_year - 1, last_year]

    def organization(self, plan: _Plan, latest_founding: date) -> Organization:
        rng = self.rng
        community = plan.community
        township = community.township
        founded = self.founded_on(latest_founding)
        org = Organization(
            name=plan.name,
            short_name=plan.kind,
            registration_status=plan.registration,
            category=self.categories[plan.category],
            community=community,
            address=f"{township.county.name}{township.name}{community.name}"
            f"{rng.choice(PLACES[community.kind])}",
            founded_on=founded,
            activity_fields="；".join(rng.sample(ACTIVITY_FIELDS[plan.category], 2)),
            resources="；".join(rng.sample(RESOURCES, rng.randint(1, 3))),
            needs="；".join(rng.sample(NEEDS, rng.randint(1, 3))),
            operating_mechanism="；".join(rng.sample(OPERATING_MECHANISMS, 2)),
            bottlenecks="；".join(rng.sample(BOTTLENECKS, rng.randint(1, 2))),
        )
        if plan.registration != Organization.RegistrationStatus.UNREGISTERED:
            org.registered_on = self.between(
                founded, min(founded + timedelta(days=400), latest_founding)
            )
        if plan.registration == Organization.RegistrationStatus.REGISTERED:
            org.legal_form = rng.choices(list(LEGAL_FORM_CODES), weights=[75, 22, 3])[0]
            org.credit_code = self.credit_code(org.legal_form)
            org.registration_authority = f"{township.county.name}民政局"
            org.supervising_unit = rng.choice(SUPERVISING_UNITS[plan.category])
        elif plan.registration == Organization.RegistrationStatus.FILED:
            office = "办事处" if township.kind == Township.Kind.STREET else "人民政府"
            org.registration_authority = f"{township.name}{office}"
            committee = "居民委员会" if community.kind == Community.Kind.COMMUNITY else "村民委员会"
            org.supervising_unit = f"{community.name}{committee}"
        registered = plan.registration == Organization.RegistrationStatus.REGISTERED
        org.in_party_alliance = rng.random() < (0.6 if registered else 0.36)
        if rng.random() < (0.35 if registered else 0.05) and org.registered_on:
            awarded = self.between(
                org.registered_on + timedelta(days=365), self.today - timedelta(days=30)
            )
            if awarded < self.today:
                org.grade = rng.choices(GRADES, weights=GRADE_WEIGHTS)[0]
                org.grade_awarded_on = awarded
        if rng.random() < 0.93:
            org.last_verified_on = self.today - timedelta(days=rng.randint(0, 364))
        if plan.members >= 60 and rng.random() < 0.8:
            teams = rng.sample(SPECIAL_TEAMS, rng.randint(1, 2))
            org.special_teams = "；".join(f"{team}（{rng.randint(8, 20)}人）" for team in teams)
        return org

    def membership(self, org, ref, **fields) -> tuple:
        return (org, ref, fields)

    def members(self, chunk, org, plan, chunk_people, *, until: date, taken: set[int]) -> list:
        """Add past memberships; return (person, role, joined on) of the members at `until`."""
        rng = self.rng
        founded = org.founded_on
        leader = self.person(plan.community, with_mobile=True)
        chunk_people[plan.community.township_id].append(leader)
        taken.add(id(leader))
        org.leader_name, org.leader_phone = leader.name, leader.mobile
        if plan.zombie == NO_CURRENT_MEMBERS:
            # Everyone, the founder too, left at least a year ago.
            until = self.between(founded + timedelta(days=90), self.today - timedelta(days=365))
            chunk.memberships.append(
                self.membership(
                    org,
                    leader,
                    role=Membership.Role.LEADER,
                    joined_on=founded,
                    left_on=until,
                    left_reason=rng.choice(LEFT_REASONS),
                )
            )
            self.past_members(chunk, org, plan, chunk_people, rng.randint(5, 12), until, taken)
            return []
        current = [(leader, Membership.Role.LEADER, founded)]
        deputies = rng.randint(1, 2)
        for index in range(1, plan.members):
            role = Membership.Role.MEMBER
            if index <= deputies:
                role = Membership.Role.DEPUTY
            elif rng.random() < 0.12:
                role = Membership.Role.CORE
            ref = self.member(plan.community, taken, chunk_people)
            current.append((ref, role, self.between(founded, until - timedelta(days=7))))
        past = sum(rng.random() < 0.05 for _ in range(plan.members))
        self.past_members(chunk, org, plan, chunk_people, past, until, taken)
        return current

    def past_members(self, chunk, org, plan, chunk_people, count, until, taken) -> None:
        """Add `count` members who joined after the founding and left before `until`."""
        for _ in range(count):
            ref = self.member(plan.community, taken, chunk_people)
            joined = self.between(org.founded_on, until - timedelta(days=60))
            left = self.between(joined + timedelta(days=30), until - timedelta(days=1))
            chunk.memberships.append(
                self.membership(
                    org,
                    ref,
                    joined_on=joined,
                    left_on=left,
                    left_reason=self.rng.choice(LEFT_REASONS),
                )
            )

    def write_group(self, chunk: _Chunk, group: _Group, chunk_people) -> None:
        """Build one group; for a merge, move the merged groups' members to the survivor."""
        survivor_plan, *merged_plans = group.plans
        latest = self.today - timedelta(days=200)
        if group.merged_on:
            latest = group.merged_on - timedelta(days=200)
        if survivor_plan.zombie == NO_INSPECTION_TWO_YEARS:
            latest = date(self.inspection_years[0] - 2, 6, 30)
        survivor = self.organization(survivor_plan, latest)
        survivor_taken: set[int] = set()
        current = self.members(
            chunk, survivor, survivor_plan, chunk_people, until=self.today, taken=survivor_taken
        )
        chunk.organizations.append(survivor)
        moved = 0
        merged_names = []
        for plan in merged_plans:
            org = self.organization(plan, group.merged_on - timedelta(days=365))
            org.status = Organization.Status.MERGED
            org.status_changed_on = group.merged_on
            org.merged_into = survivor
            taken: set[int] = set()
            reason = f"社团合并，转入{survivor.name}"
            for ref, role, joined in self.members(
                chunk, org, plan, chunk_people, until=group.merged_on, taken=taken
            ):
                chunk.memberships.append(
                    self.membership(
                        org,
                        ref,
                        role=role,
                        joined_on=joined,
                        left_on=group.merged_on,
                        left_reason=reason,
                    )
                )
                key = ref if isinstance(ref, int) else id(ref)
                if key in survivor_taken:
                    continue
                survivor_taken.add(key)
                moved += 1
                new_role = Membership.Role.MEMBER
                if role in {Membership.Role.LEADER, Membership.Role.DEPUTY}:
                    new_role = Membership.Role.CORE
                current.append((ref, new_role, group.merged_on))
            chunk.merged.append(org)
            merged_names.append(org.name)
        for ref, role, joined in current:
            chunk.memberships.append(self.membership(survivor, ref, role=role, joined_on=joined))
        if merged_plans:
            self.merges.append(
                {
                    "survivor": survivor,
                    "merged": chunk.merged[-len(merged_plans) :],
                    "merged_on": group.merged_on,
                    "summary": {"memberships_moved": moved, "merged": merged_names},
                }
            )
        self.counts["current"] += len(current)
        self.oversight(chunk, survivor, survivor_plan)

    def write(self, groups: list[_Group]) -> None:
        """Build one chunk of groups in memory and write it with bulk inserts."""
        chunk = _Chunk()
        chunk_people: dict[int, list[Person]] = defaultdict(list)
        for group in groups:
            self.write_group(chunk, group, chunk_people)
        if not self.showcase:
            self.showcase = chunk.organizations[: 1 + len(SHOWCASE_KINDS)]
        chunk.people = [person for people in chunk_people.values() for person in people]
        copy_create(Organization, chunk.organizations, batch_size=BATCH_SIZE)
        copy_create(Organization, chunk.merged, batch_size=BATCH_SIZE)
        copy_create(Person, chunk.people, batch_size=BATCH_SIZE)
        # Plain rows: nobody needs the memberships as objects (a million at province scale).
        insert_rows(
            Membership,
            ["organization", "person", "role", "joined_on", "left_on", "left_reason"],
            (
                (
                    org.pk,
                    ref if isinstance(ref, int) else ref.pk,
                    str(fields.get("role", Membership.Role.MEMBER)),
                    fields["joined_on"],
                    fields.get("left_on"),
                    fields.get("left_reason", ""),
                )
                for org, ref, fields in chunk.memberships
            ),
        )
        copy_create(AnnualInspection, chunk.inspections, batch_size=BATCH_SIZE)
        copy_create(CreditListing, chunk.listings, batch_size=BATCH_SIZE)
        copy_create(ZombieFlag, chunk.flags, batch_size=BATCH_SIZE)
        for township_id, people in chunk_people.items():
            self.earlier_people[township_id].extend(person.pk for person in people)
        self.counts["organizations"] += len(chunk.organizations) + len(chunk.merged)
        self.counts["memberships"] += len(chunk.memberships)
        self.counts["inspections"] += len(chunk.inspections)
        self.counts["listings"] += len(chunk.listings)
        self.counts["flags"] += len(chunk.flags)
