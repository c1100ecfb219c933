"""Matrix rows of the oversight pages: merges, inspections, credit listings, zombie watch.

Statuses are for (county_admin, township_staff, secretary, official, org_contact). "own" objects
belong to org A1 (inside every local persona's area), "far" ones to org B1 (township B).
"""

from datetime import date

from orgs.models import CreditListing, Merge, ZombieFlag
from tests.accounts.factories import UserFactory
from tests.orgs.factories import OrganizationFactory


def _merge_into(survivor) -> int:
    merge = Merge.objects.create(
        survivor=survivor,
        merged_on=date(2024, 6, 1),
        reason="整合",
        performed_by=UserFactory(),
    )
    merge.merged.add(
        OrganizationFactory(community=survivor.community, status="merged", merged_into=survivor)
    )
    return merge.pk


def _listing(organization) -> int:
    return CreditListing.objects.create(
        organization=organization,
        list_kind=CreditListing.Kind.ABNORMAL,
        reason="年报未报",
        listed_on=date(2025, 1, 10),
        needs_rectification=True,
    ).pk


def _flag(organization) -> int:
    # One open flag per organisation: a test that opens the URL twice gets the same flag.
    flag, _created = ZombieFlag.objects.get_or_create(
        organization=organization,
        state=ZombieFlag.State.OPEN,
        defaults={"reasons": ["无成员"], "flagged_on": date(2025, 3, 1)},
    )
    return flag.pk


TARGETS = {
    "oversight:org:own": lambda c: {"org_pk": c.org_a1.pk},
    "oversight:org:far": lambda c: {"org_pk": c.org_b1.pk},
    "oversight:merge:own": lambda c: _merge_into(c.org_a1),
    "oversight:merge:far": lambda c: _merge_into(c.org_b1),
    "oversight:listing:own": lambda c: _listing(c.org_a1),
    "oversight:listing:far": lambda c: _listing(c.org_b1),
    "oversight:flag:own": lambda c: _flag(c.org_a1),
    "oversight:flag:far": lambda c: _flag(c.org_b1),
}

ALL_200 = (200, 200, 200, 200, 200)
ADMIN_ONLY = (200, 403, 403, 403, 403)
ADMIN_ONLY_FAR = (200, 404, 404, 403, 404)
AREA_EDITORS = (200, 200, 403, 403, 403)

MATRIX = {
    ("orgs:merge_list", None, "get"): ALL_200,
    ("orgs:merge_create", None, "get"): ADMIN_ONLY,
    ("orgs:merge_create", None, "post"): ADMIN_ONLY,
    ("orgs:merge_detail", "oversight:merge:own", "get"): ALL_200,
    ("orgs:merge_detail", "oversight:merge:far", "get"): (200, 404, 404, 200, 404),
    ("orgs:inspection_add", "oversight:org:own", "get"): AREA_EDITORS,
    ("orgs:inspection_add", "oversight:org:own", "post"): AREA_EDITORS,
    ("orgs:inspection_add", "oversight:org:far", "get"): ADMIN_ONLY_FAR,
    ("orgs:inspection_add", "oversight:org:far", "post"): ADMIN_ONLY_FAR,
    ("orgs:credit_listing_add", "oversight:org:own", "get"): ADMIN_ONLY,
    ("orgs:credit_listing_add", "oversight:org:own", "post"): ADMIN_ONLY,
    ("orgs:credit_listing_add", "oversight:org:far", "get"): ADMIN_ONLY_FAR,
    ("orgs:credit_listing_add", "oversight:org:far", "post"): ADMIN_ONLY_FAR,
    ("orgs:credit_listing_remove", "oversight:listing:own", "get"): ADMIN_ONLY,
    ("orgs:credit_listing_remove", "oversight:listing:own", "post"): ADMIN_ONLY,
    ("orgs:credit_listing_remove", "oversight:listing:far", "get"): ADMIN_ONLY_FAR,
    ("orgs:credit_listing_remove", "oversight:listing:far", "post"): ADMIN_ONLY_FAR,
    ("orgs:zombie_list", None, "get"): ALL_200,
    # The resolve URL takes POSTs from the list's buttons only.
    ("orgs:zombie_resolve", "oversight:flag:own", "get"): (405, 405, 405, 405, 405),
    ("orgs:zombie_resolve", "oversight:flag:own", "post"): (302, 302, 403, 403, 403),
    ("orgs:zombie_resolve", "oversight:flag:far", "post"): (302, 404, 404, 403, 404),
}
