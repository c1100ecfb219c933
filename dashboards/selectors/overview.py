"""The whole overview: its pieces put together, scoped, cached and kept warm."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from accounts.roles import COUNTY_WIDE_ROLES
from accounts.scoping import Level, scope_for
from areas.models import Community, Township
from dashboards.selectors.common import (
    CACHE_VERSION,
    OverviewFilters,
    cache_seconds,
)
from dashboards.selectors.ledger import (
    coverage_figures,
    member_figures,
    organization_figures,
    watch_figures,
)
from dashboards.selectors.monthly import monthly_figures
from dashboards.selectors.ranking import ranking_figures
from dashboards.selectors.utilisation import utilisation_figures
from orgs.models import Membership, Organization
from rollups.models import ActivityMonth, MediationMonth
from venues.models import ServiceCenter

# --- The whole overview --------------------------------------------------------------------


def _in_area(queryset, township: str, filters: OverviewFilters):
    """Rows within the chosen township, else within the chosen county, else all of them
    (`township`: the lookup from the rows to their township)."""
    if filters.township_id:
        return queryset.filter(**{f"{township}_id": filters.township_id})
    if filters.county_id:
        return queryset.filter(**{f"{township}__county_id": filters.county_id})
    return queryset


def _rollups_in_view(rows, user, filters: OverviewFilters):
    """Roll-up rows of the communities whose records the user sees, within the township or
    county chosen.

    The overview's roles see records by community (county-wide: all; township staff: their
    township's communities, as `visible_to` scopes activities and mediation cases); any other
    role sees none.
    """
    scope = scope_for(user)
    if not scope.county_wide and scope.level != Level.TOWNSHIP:
        return rows.none()
    if scope.county_ids is not None:
        rows = rows.filter(community_id__in=Community.objects.visible_to(user).values("pk"))
    if filters.township_id or filters.county_id:
        communities = _in_area(Community.objects.all(), "township", filters)
        rows = rows.filter(community_id__in=communities.values("pk"))
    return rows


def compute_overview(*, user, filters: OverviewFilters) -> dict:
    """Every figure of the overview for the user's scope and the filters (no cache)."""
    organizations = _in_area(Organization.objects.visible_to(user), "community__township", filters)
    return {
        "organizations": organization_figures(organizations=organizations, filters=filters),
        "members": member_figures(
            memberships=_in_area(
                Membership.objects.visible_to(user),
                "organization__community__township",
                filters,
            ),
            filters=filters,
        ),
        "coverage": coverage_figures(user=user, organizations=organizations, filters=filters),
        "monthly": monthly_figures(
            activity_months=_rollups_in_view(ActivityMonth.objects.all(), user, filters),
            mediation_months=_rollups_in_view(MediationMonth.objects.all(), user, filters),
            filters=filters,
        ),
        "utilisation": utilisation_figures(
            centers=_in_area(ServiceCenter.objects.visible_to(user), "township", filters),
            filters=filters,
        ),
        "ranking": ranking_figures(user=user, filters=filters),
        "watch": watch_figures(organizations=organizations, filters=filters),
        "computed_at": timezone.now(),
    }


def _cache_key(user, filters: OverviewFilters) -> str:
    scope = scope_for(user)
    area = f"township-{scope.township_id}"
    if scope.county_wide:
        counties = (
            "all" if scope.county_ids is None else ",".join(map(str, sorted(scope.county_ids)))
        )
        area = f"counties-{counties}"
    return (
        f"dashboards:overview:v{CACHE_VERSION}:{get_language()}:{area}:"
        f"{filters.county_id or 'all'}:{filters.township_id or 'all'}:{filters.year}"
    )


def overview(*, user, filters: OverviewFilters) -> dict:
    """The overview's figures, cached briefly per scope and filters."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute_overview(user=user, filters=filters)
    key = _cache_key(user, filters)
    figures = cache.get(key)
    if figures is None:
        figures = compute_overview(user=user, filters=filters)
        cache.set(key, figures, seconds)
    return figures


def townships_offered(*, user, county_id: int | None = None):
    """Townships the user may pick (county roles: all, or the chosen county's; township staff:
    their own)."""
    townships = Township.objects.visible_to(user).order_by("code")
    return townships.filter(county_id=county_id) if county_id else townships


# The county-wide overview of the current year is what officials open: a periodic task keeps it
# in the cache, so their request renders from it instead of aggregating two years of records.
WARM_SECONDS = 15 * 60


def warm_county_overview() -> bool:
    """Compute the county-wide overview of this year and cache it; False without a county user."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    user = (
        get_user_model()
        .objects.filter(is_active=True, role__in=COUNTY_WIDE_ROLES)
        .order_by("pk")
        .first()
    )
    if user is None:
        return False
    filters = OverviewFilters(township_id=None, year=timezone.localdate().year)
    with translation.override(settings.LANGUAGE_CODE):
        figures = compute_overview(user=user, filters=filters)
        cache.set(_cache_key(user, filters), figures, WARM_SECONDS)
    return True
