"""Planning the demo ledger: which organisations, merges and zombies, in chunks."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from areas.models import Community, Township
from orgs.demo.pools import (
    CATEGORIES,
    CATEGORY_OF_KIND,
    CATEGORY_WEIGHTS,
    KINDS,
    MERGE_TEMPLATES,
    NO_CURRENT_MEMBERS,
    NO_INSPECTION_TWO_YEARS,
    SHOWCASE_KINDS,
)
from orgs.models import (
    AnnualInspection,
    CreditListing,
    Organization,
    Person,
    ZombieFlag,
)


@dataclass
class _Plan:
    """One organisation to build: where, what, how big, and its part in a merge or a flag."""

    community: Community
    kind: str
    category: str
    name: str
    registration: str
    members: int
    zombie: str = ""


@dataclass
class _Group:
    """Organisations built together: one, or a merge's survivor followed by the merged ones."""

    plans: list[_Plan]
    merged_on: date | None = None


@dataclass
class _Chunk:
    """The rows of one chunk, written in dependency order."""

    organizations: list[Organization] = field(default_factory=list)
    merged: list[Organization] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    # (organisation, new person or the pk of an earlier one, fields): made rows once both exist
    memberships: list[tuple] = field(default_factory=list)
    inspections: list[AnnualInspection] = field(default_factory=list)
    listings: list[CreditListing] = field(default_factory=list)
    flags: list[ZombieFlag] = field(default_factory=list)


class _Planner:
    """Decide which organisations exist where, before any row is written."""

    def __init__(self, context):
        self.rng = context.rng
        self.sizes = context.sizes
        mean = self.sizes["current_memberships"] / self.sizes["organizations"]
        self.mode = min(80, max(15, 3 * mean - 95))  # mean of triangular(15, 80, mode)
        self.kinds_used: dict[int, list[str]] = defaultdict(list)

    def members(self) -> int:
        return round(self.rng.triangular(15, 80, self.mode))

    def registration(self) -> str:
        return self.rng.choices(list(Organization.RegistrationStatus), weights=[17, 70, 13])[0]

    def name(self, community: Community, kind: str) -> str:
        township = community.township
        if township.kind == Township.Kind.TOWNSHIP and self.rng.random() < 0.2:
            return f"{township.name}{community.name}{kind}"
        return f"{community.name}{kind}"

    def single(self, community: Community, kind: str | None = None) -> _Group:
        used = self.kinds_used[community.pk]
        if kind is None:
            category = self.rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]
            choices = [k for k in KINDS[category] if k not in used] or KINDS[category]
            kind = self.rng.choice(choices)
        used.append(kind)
        plan = _Plan(
            community=community,
            kind=kind,
            category=CATEGORY_OF_KIND[kind],
            name=self.name(community, kind),
            registration=self.registration(),
            members=self.members(),
        )
        return _Group([plan])

    def merge(self, community: Community, template, today: date) -> _Group:
        survivor_kind, merged_kinds, category = template
        self.kinds_used[community.pk].extend([survivor_kind, *merged_kinds])
        survivor = _Plan(
            community=community,
            kind=survivor_kind,
            category=category,
            name=f"{community.name}{survivor_kind}",
            registration=Organization.RegistrationStatus.REGISTERED,
            members=self.rng.randint(15, 35),
        )
        merged = [
            _Plan(
                community=community,
                kind=kind,
                category=category,
                name=f"{community.name}{kind}",
                registration=Organization.RegistrationStatus.FILED,
                members=self.rng.randint(8, 18),
            )
            for kind in merged_kinds
        ]
        merged_on = today - timedelta(days=self.rng.randint(60, 540))
        return _Group([survivor, *merged], merged_on=merged_on)

    def plan(self, communities: list[Community], first_township: Township, today) -> list[_Group]:
        """Plan every organisation: a rich first street, then the rest spread out."""
        rng = self.rng
        street = [c for c in communities if c.township_id == first_township.pk]
        others = [c for c in communities if c.township_id != first_township.pk] or street
        groups = [self.merge(street[0], MERGE_TEMPLATES[0], today)]
        groups += [self.single(street[0], kind) for kind in SHOWCASE_KINDS]
        if len(street) > 1:
            groups.append(self.merge(street[1], MERGE_TEMPLATES[1], today))
        groups += [self.single(community) for community in street[1:] for _ in range(2)]

        weights = list(
            itertools.accumulate(3 if c.kind == Community.Kind.COMMUNITY else 1 for c in others)
        )
        target = self.sizes["organizations"]
        for community in rng.choices(others, cum_weights=weights, k=max(0, target // 70 - 2)):
            groups.append(self.merge(community, rng.choice(MERGE_TEMPLATES), today))
        remaining = target - sum(len(group.plans) for group in groups)
        spread = rng.choices(others, cum_weights=weights, k=max(0, remaining))
        spread.sort(key=lambda community: community.code)
        singles = [self.single(community) for community in spread]
        self._flag_zombies(singles)
        return groups + singles

    def _flag_zombies(self, singles: list[_Group]) -> None:
        """Pick a few groups with no members left and a few registered ones that skip 年检."""
        count = max(2, len(singles) // 60)
        for group in self.rng.sample(singles, min(count, len(singles))):
            group.plans[0].zombie = NO_CURRENT_MEMBERS
        registered = [
            group
            for group in singles
            if group.plans[0].registration == Organization.RegistrationStatus.REGISTERED
            and not group.plans[0].zombie
        ]
        for group in self.rng.sample(registered, min(max(1, count // 2), len(registered))):
            group.plans[0].zombie = NO_INSPECTION_TWO_YEARS
