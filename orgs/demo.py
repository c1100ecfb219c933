"""Demo organisations: a few in the first street (the ledger issue adds the full 140)."""

from areas.models import Community
from orgs.models import Organization

DEMO_ORGANIZATIONS = ["书画协会", "广场舞队", "老年志愿服务队", "邻里互助会"]


def seed_organizations(context) -> None:
    """Create a few organisations in the first street's communities."""
    first_township = context.made["townships"][0]
    communities = list(Community.objects.filter(township=first_township).order_by("code")[:4])
    organizations = [
        Organization(name=f"{community.name}{kind}", short_name=kind, community=community)
        for community in communities
        for kind in DEMO_ORGANIZATIONS
    ]
    Organization.objects.bulk_create(organizations)
    context.made["organizations"] = list(
        Organization.objects.filter(community__in=communities).order_by("pk")
    )
    context.summary.append(f"{len(organizations)} 个社会组织")
