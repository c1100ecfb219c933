"""The ledger's figures: organisations, members, Party coverage, watch lists."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Q,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import scope_for
from dashboards.selectors.common import (
    STANDING_ZOMBIE,
    OverviewFilters,
    _with_query,
    link,
)
from orgs.filters import STATUS_ACTIVE, WATCH_CLEAR, WATCH_ZOMBIE
from orgs.models import CreditListing, Organization
from orgs.selectors.organizations import (
    open_zombie_flag_set,
    suspected_zombie_condition,
)
from party_branches.selectors import COVERAGE_FIGURES, coverage_totals

GONE_STATUSES = (
    Organization.Status.MERGED,
    Organization.Status.DEREGISTERED,
    Organization.Status.REVOKED,
)


def organization_figures(*, organizations, filters: OverviewFilters) -> dict:
    """Organisations by category, township and standing, from one grouped query.

    The headline, the categories and the townships count the active organisations (not merged,
    deregistered or revoked); those gone are counted apart. The standing chart splits every
    organisation once: normal, suspected zombie (the one definition of the list and the zombie
    watch: `suspected_zombie_condition`), merged, deregistered, revoked.
    """
    township = filters.township_id
    grouped = (
        organizations.order_by()
        .annotate(
            zombie=ExpressionWrapper(
                suspected_zombie_condition(flag=open_zombie_flag_set()), output_field=BooleanField()
            )
        )
        .values(
            "category_id",
            "category__name",
            "category__sort_order",
            "community__township_id",
            "community__township__name",
            "community__township__code",
            "status",
            "zombie",
        )
        .annotate(n=Count("pk"))
    )
    list_url = reverse("orgs:organization_list")
    by_category: dict = {}
    by_township: dict = {}
    by_standing: dict = {}
    total = 0
    for row in grouped:
        standing = STANDING_ZOMBIE if row["zombie"] else row["status"]
        by_standing[standing] = by_standing.get(standing, 0) + row["n"]
        if row["status"] in GONE_STATUSES:
            continue
        total += row["n"]
        # One entry (and one link) per category and township, not per grouped row.
        category = by_category.get(row["category_id"])
        if category is None:
            category = by_category[row["category_id"]] = _category_entry(row, list_url, township)
        category["count"] += row["n"]
        area = by_township.get(row["community__township_id"])
        if area is None:
            area = by_township[row["community__township_id"]] = _township_entry(row, list_url)
        area["count"] += row["n"]
    statuses = _standings(by_standing, township)
    return {
        "total": total,
        "total_url": link("orgs:organization_list", township=township, status=STATUS_ACTIVE),
        "gone": [row for row in statuses if row["key"] in GONE_STATUSES],
        "by_category": sorted(by_category.values(), key=lambda row: row["sort"]),
        "by_township": sorted(by_township.values(), key=lambda row: row["sort"]),
        "by_status": statuses,
    }


def _category_entry(row: dict, list_url: str, township) -> dict:
    return {
        "label": row["category__name"] or _("No category"),
        "count": 0,
        "sort": (row["category__sort_order"] or 0, row["category__name"] or ""),
        "url": _with_query(
            list_url,
            {"category": row["category_id"], "township": township, "status": STATUS_ACTIVE},
        )
        if row["category_id"]
        else "",
    }


def _township_entry(row: dict, list_url: str) -> dict:
    return {
        "label": row["community__township__name"],
        "count": 0,
        "sort": row["community__township__code"],
        "url": _with_query(
            list_url, {"township": row["community__township_id"], "status": STATUS_ACTIVE}
        ),
    }


def _standings(by_standing: dict, township) -> list[dict]:
    """Every organisation once by standing: normal, suspected zombie, and each way of going."""
    labels = dict(Organization.Status.choices)
    standing_params = {
        # A normal organisation with a flag waiting for review counts as a suspected zombie.
        Organization.Status.NORMAL: {"status": Organization.Status.NORMAL, "watch": WATCH_CLEAR},
        STANDING_ZOMBIE: {"watch": WATCH_ZOMBIE},
    }
    return [
        {
            "key": value,
            "label": str(labels[value]),
            "count": by_standing.get(value, 0),
            "url": link(
                "orgs:organization_list",
                township=township,
                **standing_params.get(value, {"status": value}),
            ),
        }
        for value in (Organization.Status.NORMAL, STANDING_ZOMBIE, *GONE_STATUSES)
    ]


def member_figures(*, memberships, filters: OverviewFilters) -> dict:
    """Current memberships of the organisations in view."""
    return {
        "count": memberships.current().count(),
        "url": link("orgs:organization_list", township=filters.township_id, o="-members"),
    }


COVERAGE_LABELS = {
    "total": gettext_lazy("Active organisations"),
    "with_branch": gettext_lazy("With an active branch"),
    "with_instructor": gettext_lazy("With an active instructor"),
    "covered": gettext_lazy("Covered (branch or instructor)"),
    "uncovered": gettext_lazy("Uncovered (neither branch nor instructor)"),
    "eligible": gettext_lazy("Eligible for a branch but without one"),
}


def coverage_figures(*, user, organizations, filters: OverviewFilters) -> dict:
    """两个覆盖 today, from party_branches' one aggregate query."""
    total = coverage_totals(
        organizations.active(),
        on=timezone.localdate(),
        narrow=bool(filters.township_id or filters.county_id) or scope_for(user).narrow,
    )
    rows = [
        {
            "key": figure,
            "label": str(COVERAGE_LABELS[figure]),
            "count": getattr(total, figure),
            "url": link(
                "party_branches:coverage_organizations",
                figure=figure,
                township=filters.township_id,
            ),
        }
        for figure in COVERAGE_FIGURES
    ]
    return {"rows": rows, "covered_percent": total.covered_percent}


def watch_figures(*, organizations, filters: OverviewFilters) -> dict:
    """Organisations on the credit lists today and on the zombie watch, from one query.

    Set conditions (`pk IN` the listings in force, the open flags), which the database answers
    with one hashed subquery each: an EXISTS per organisation cost 0.66 s over the 20,000 of a
    province-sized ledger.
    """
    listed = CreditListing.objects.active_on(timezone.localdate()).order_by()
    abnormal = Q(
        pk__in=listed.filter(list_kind=CreditListing.Kind.ABNORMAL).values("organization_id")
    )
    serious = Q(
        pk__in=listed.filter(list_kind=CreditListing.Kind.SERIOUS).values("organization_id")
    )
    flagged = open_zombie_flag_set()
    counts = organizations.aggregate(
        abnormal=Count("pk", filter=abnormal),
        serious=Count("pk", filter=serious),
        either=Count("pk", filter=abnormal | serious),
        zombie=Count("pk", filter=suspected_zombie_condition(flag=flagged)),
        open_flags=Count("pk", filter=flagged),
    )
    township = filters.township_id
    return {
        "rows": [
            {
                "key": "abnormal",
                "label": _("On the abnormal activity list"),
                "count": counts["abnormal"],
                "url": link("orgs:organization_list", credit_list="abnormal", township=township),
            },
            {
                "key": "serious",
                "label": _("On the serious violation list"),
                "count": counts["serious"],
                "url": link("orgs:organization_list", credit_list="serious", township=township),
            },
            {
                "key": "either",
                "label": _("On either list"),
                "count": counts["either"],
                "url": link("orgs:organization_list", credit_list="any", township=township),
            },
            {
                "key": "zombie",
                "label": _("Suspected zombies or flagged for review"),
                "count": counts["zombie"],
                "url": link("orgs:organization_list", watch="zombie", township=township),
            },
        ],
        "open_flags": counts["open_flags"],
    }
