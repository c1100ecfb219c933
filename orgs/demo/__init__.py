"""Demo ledger: organisations, people and memberships, with merges, inspections and listings.

The county scale follows the programme's figures (about 140 groups and 5,729 members). Rows are
generated in Python a chunk of whole organisations at a time and written with bulk_create, so
that the province scale (20,000 organisations, ~800,000 people, ~1,000,000 memberships) loads in
minutes without holding every instance in memory. Seed data writes no history rows.

One module per part: `pools`, `plan`, `people`, `oversight`, `writer`; the seeders are here.
"""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from areas.models import Community
from core.demo import loading
from orgs.demo.plan import _Group, _Planner
from orgs.demo.pools import BATCH_SIZE, CATEGORIES, CHUNK_ORGANIZATIONS, MERGE_REASON
from orgs.demo.writer import _LedgerWriter
from orgs.models import (
    AnnualInspection,
    Category,
    CreditListing,
    Membership,
    Merge,
    Organization,
    Person,
    ZombieFlag,
)


def _categories() -> dict[str, Category]:
    """Return the default categories, creating those the database lacks."""
    existing = set(Category.objects.filter(name__in=CATEGORIES).values_list("name", flat=True))
    Category.objects.bulk_create(
        Category(name=name, sort_order=order)
        for order, name in enumerate(CATEGORIES, start=1)
        if name not in existing
    )
    return {category.name: category for category in Category.objects.filter(name__in=CATEGORIES)}


def _chunks(groups: list[_Group]):
    """Yield runs of whole groups of about CHUNK_ORGANIZATIONS organisations."""
    run, size = [], 0
    for group in groups:
        run.append(group)
        size += len(group.plans)
        if size >= CHUNK_ORGANIZATIONS:
            yield run
            run, size = [], 0
    if run:
        yield run


def seed_organizations(context) -> None:
    """Create the ledger: organisations, people, memberships, merges, inspections, listings."""
    today = timezone.localdate()
    communities = list(Community.objects.select_related("township__county").order_by("code"))
    groups = _Planner(context).plan(communities, context.made["townships"][0], today)
    writer = _LedgerWriter(context, _categories(), communities, today)
    slots = sum(plan.members * 1.05 for group in groups for plan in group.plans)
    writer.reuse = max(0.0, 1 - context.sizes["people"] / slots)
    loaded = (Organization, Person, Membership, AnnualInspection, CreditListing, ZombieFlag)
    with loading(context, *loaded):
        for run in _chunks(groups):
            writer.write(run)
    # The first is the 书画协会 of the first community, formed by a merge: the contact's group.
    context.made["organizations"] = writer.showcase
    context.made["demo_merges"] = [
        {
            "survivor_id": merge["survivor"].pk,
            "merged_ids": [org.pk for org in merge["merged"]],
            "merged_on": merge["merged_on"],
            "summary": merge["summary"],
        }
        for merge in writer.merges
    ]
    counts = writer.counts
    context.summary += [
        f"{counts['organizations']} 个社会组织（{len(CATEGORIES)} 个类别，"
        f"其中 {len(writer.merges)} 次社团合并）",
        f"{counts['people']} 名人员，{counts['memberships']} 条成员记录"
        f"（在册 {counts['current']} 条）",
        f"{counts['inspections']} 条年检记录，{counts['listings']} 条信用名录记录，"
        f"{counts['flags']} 个疑似僵尸社团待核查",
    ]


def seed_merges_and_keepers(context) -> None:
    """Record the demo merges (done by the county admin) and give the streets' staff their ledger.

    Runs after the demo users exist: a merge needs the user who performed it.
    """
    admin = User.objects.filter(role=Role.COUNTY_ADMIN).order_by("pk").first()
    planned = context.made.get("demo_merges", [])
    merges = Merge.objects.bulk_create(
        Merge(
            survivor_id=item["survivor_id"],
            merged_on=item["merged_on"],
            reason=MERGE_REASON,
            performed_by=admin,
            summary=item["summary"],
        )
        for item in planned
    )
    through = Merge.merged.through
    through.objects.bulk_create(
        (
            through(merge_id=merge.pk, organization_id=organization_id)
            for merge, item in zip(merges, planned, strict=True)
            for organization_id in item["merged_ids"]
        ),
        batch_size=BATCH_SIZE,
    )
    # Seed data has no history to keep: a plain update is enough here.
    for user in User.objects.filter(role=Role.TOWNSHIP_STAFF, township__isnull=False):
        Organization.objects.filter(community__township=user.township_id).update(ledger_keeper=user)
