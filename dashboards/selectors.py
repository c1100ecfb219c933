"""The county overview's figures: aggregate queries over the other apps, scoped and cached.

Every figure is computed by the database (grouped counts and sums) from the user's
`visible_to` querysets, narrowed by the chosen township; a figure's link opens the list behind it
with filter parameters that list's FilterSet understands, so the list's total equals the figure.
The monthly figures and the booked time of the utilisation read the monthly roll-ups (`rollups`:
a few rows per community, room and month, kept by the services) instead of every record of two
years. The whole overview costs a fixed number of queries whatever the size of the county; the
cache (`DASHBOARD_CACHE_SECONDS`, 60 s by default, per scope and filters) only saves repeats.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Min,
    Q,
    Sum,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import scope_for
from areas.models import Community, Township
from core import quarters
from orgs.filters import STATUS_ACTIVE, WATCH_CLEAR, WATCH_ZOMBIE
from orgs.models import CreditListing, Membership, Organization
from orgs.selectors.organizations import (
    open_zombie_flag_set,
    suspected_zombie_condition,
)
from party_branches.selectors import COVERAGE_FIGURES, coverage_totals
from rollups.models import ActivityMonth, MediationMonth, RoomMonth
from scoring.models import QuarterScore
from venues import rules as venue_rules
from venues.models import Room, ServiceCenter
from venues.selectors import open_minutes_by_room

CACHE_VERSION = 1
DEFAULT_CACHE_SECONDS = 60
TOP_COUNT = 10
MOVERS_COUNT = 5
YEARS_OFFERED = 5
# The suspected zombies' row of the standing chart (status "zombie" or an open flag).
STANDING_ZOMBIE = Organization.Status.SUSPECTED_ZOMBIE


def cache_seconds() -> int:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)


def link(url_name: str, **params) -> str:
    """A list page's URL with the filter parameters that narrow it to a figure."""
    return _with_query(reverse(url_name), params)


def _with_query(url: str, params: dict) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return url + (f"?{query}" if query else "")


@dataclass(frozen=True)
class OverviewFilters:
    """What narrows every figure: a township (None for the whole scope) and a year."""

    township_id: int | None
    year: int

    @property
    def quarter(self) -> tuple[int, int]:
        """The ranking quarter: the running one this year, the last one of a past year."""
        current = quarters.quarter_of(timezone.localdate())
        return current if self.year >= current[0] else (self.year, 4)

    @property
    def month(self) -> datetime.date:
        """The utilisation month: this month this year, December of a past year."""
        today = timezone.localdate()
        return today.replace(day=1) if self.year >= today.year else datetime.date(self.year, 12, 1)


def years_offered() -> list[int]:
    this_year = timezone.localdate().year
    return [this_year - offset for offset in range(YEARS_OFFERED)]


def parse_year(value) -> int:
    """The year asked for when it is one of those offered, else this year."""
    offered = years_offered()
    return int(value) if str(value).isdigit() and int(value) in offered else offered[0]


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(
        year, month, calendar.monthrange(year, month)[1]
    )


# --- The pieces ----------------------------------------------------------------------------


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
            category = by_category[row["category_id"]] = {
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
        category["count"] += row["n"]
        area = by_township.get(row["community__township_id"])
        if area is None:
            area = by_township[row["community__township_id"]] = {
                "label": row["community__township__name"],
                "count": 0,
                "sort": row["community__township__code"],
                "url": _with_query(
                    list_url,
                    {"township": row["community__township_id"], "status": STATUS_ACTIVE},
                ),
            }
        area["count"] += row["n"]
    labels = dict(Organization.Status.choices)
    standing_params = {
        # A normal organisation with a flag waiting for review counts as a suspected zombie.
        Organization.Status.NORMAL: {"status": Organization.Status.NORMAL, "watch": WATCH_CLEAR},
        STANDING_ZOMBIE: {"watch": WATCH_ZOMBIE},
    }
    statuses = [
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
    return {
        "total": total,
        "total_url": link("orgs:organization_list", township=township, status=STATUS_ACTIVE),
        "gone": [row for row in statuses if row["key"] in GONE_STATUSES],
        "by_category": sorted(by_category.values(), key=lambda row: row["sort"]),
        "by_township": sorted(by_township.values(), key=lambda row: row["sort"]),
        "by_status": statuses,
    }


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
        narrow=filters.township_id is not None or not scope_for(user).county_wide,
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


def _monthly(rows, *, fields: list[str]) -> dict[tuple[int, int], dict]:
    table = {}
    for row in rows:
        month = row["month"]
        table[(month.year, month.month)] = {field: row[field] or 0 for field in fields}
    return table


def _first_month(rows, figure: str) -> datetime.date | None:
    """The first month with a record (its first day), None without any."""
    return rows.filter(**{f"{figure}__gt": 0}).aggregate(first=Min("month"))["first"]


def monthly_figures(*, activity_months, mediation_months, filters: OverviewFilters) -> dict:
    """Verified activities, beneficiaries, volunteer hours and mediations per month, two years.

    Read from the monthly roll-ups of the communities in view (a few rows per community and
    month, whatever the number of records).
    """
    year, last = filters.year, filters.year - 1
    span = {"month__gte": datetime.date(last, 1, 1), "month__lte": datetime.date(year, 12, 1)}
    activity_rows = (
        activity_months.filter(**span)
        .order_by()
        .values("month")
        .annotate(
            count=Sum("activities"),
            beneficiaries=Sum("beneficiaries"),
            tenths=Sum("volunteer_tenths"),
        )
    )
    mediation_rows = (
        mediation_months.filter(**span).order_by().values("month").annotate(count=Sum("cases"))
    )
    by_activity = _monthly(
        (
            {**row, "hours": Decimal(row["tenths"] or 0) / 10}  # tenths of an hour
            for row in activity_rows
        ),
        fields=["count", "beneficiaries", "hours"],
    )
    by_mediation = _monthly(mediation_rows, fields=["count"])
    activities_since = _first_month(activity_months, "activities")
    mediations_since = _first_month(mediation_months, "cases")
    return _monthly_series(
        by_activity=by_activity,
        by_mediation=by_mediation,
        activities_since=activities_since,
        mediations_since=mediations_since,
        filters=filters,
    )


def _monthly_series(
    *, by_activity, by_mediation, activities_since, mediations_since, filters: OverviewFilters
) -> dict:
    """The monthly table and chart series from the figures of each month of the two years."""
    year, last = filters.year, filters.year - 1
    # A month is plotted when it has happened and the ledger already kept the records then
    # (from the month of the first verified record on): absent data is never drawn as zero.
    current = timezone.localdate().replace(day=1)

    def kept(since, y: int, m: int) -> bool:
        return since is not None and since <= datetime.date(y, m, 1) <= current

    township = filters.township_id
    series: dict[str, dict] = {
        key: {"this": [], "last": [], "this_total": 0, "last_total": 0}
        for key in ("activities", "beneficiaries", "hours", "mediations")
    }
    # The totals count every record of the year (they equal the year's lists).
    for (y, _m), row in by_activity.items():
        which = "this_total" if y == year else "last_total"
        series["activities"][which] += row["count"]
        series["beneficiaries"][which] += row["beneficiaries"]
        series["hours"][which] += float(row["hours"])
    for (y, _m), row in by_mediation.items():
        series["mediations"]["this_total" if y == year else "last_total"] += row["count"]
    months = []
    for month in range(1, 13):
        first, final = _month_bounds(year, month)
        last_first, last_final = _month_bounds(last, month)
        this_a = by_activity.get((year, month), {})
        last_a = by_activity.get((last, month), {})
        this_m = by_mediation.get((year, month), {})
        last_m = by_mediation.get((last, month), {})

        def value(table, name, since, y, m=month, convert=int):
            return convert(table.get(name, 0)) if kept(since, y, m) else None

        values = {
            "activities": (
                value(this_a, "count", activities_since, year),
                value(last_a, "count", activities_since, last),
            ),
            "beneficiaries": (
                value(this_a, "beneficiaries", activities_since, year),
                value(last_a, "beneficiaries", activities_since, last),
            ),
            "hours": (
                value(this_a, "hours", activities_since, year, convert=float),
                value(last_a, "hours", activities_since, last, convert=float),
            ),
            "mediations": (
                value(this_m, "count", mediations_since, year),
                value(last_m, "count", mediations_since, last),
            ),
        }
        for key, (this_value, last_value) in values.items():
            series[key]["this"].append(this_value)
            series[key]["last"].append(last_value)
        activity_params = {"status": "verified", "township": township}
        months.append(
            {
                "label": _("Month %(month)s") % {"month": month},
                **{f"{key}_this": value[0] for key, value in values.items()},
                **{f"{key}_last": value[1] for key, value in values.items()},
                "activities_url": link(
                    "activities:activity_list",
                    date_from=first.isoformat(),
                    date_to=final.isoformat(),
                    **activity_params,
                ),
                "activities_last_url": link(
                    "activities:activity_list",
                    date_from=last_first.isoformat(),
                    date_to=last_final.isoformat(),
                    **activity_params,
                ),
                "mediations_url": link(
                    "activities:mediation_list",
                    date_from=first.isoformat(),
                    date_to=final.isoformat(),
                    **activity_params,
                ),
                "mediations_last_url": link(
                    "activities:mediation_list",
                    date_from=last_first.isoformat(),
                    date_to=last_final.isoformat(),
                    **activity_params,
                ),
            }
        )
    return {
        "year": year,
        "last_year": last,
        "months": months,
        "series": series,
        "year_activities_url": link(
            "activities:activity_list",
            date_from=f"{year}-01-01",
            date_to=f"{year}-12-31",
            status="verified",
            township=township,
        ),
        "year_mediations_url": link(
            "activities:mediation_list",
            date_from=f"{year}-01-01",
            date_to=f"{year}-12-31",
            status="verified",
            township=township,
        ),
    }


def _open_minutes_by_center(centers, first: datetime.date, stop: datetime.date) -> dict:
    """Open minutes of the month summed over each centre's rooms (venues' utilisation rule)."""
    rooms = list(
        Room.objects.filter(center__in=centers.values("pk"))
        .order_by()
        .values_list("pk", "center_id")
    )
    by_room = open_minutes_by_room(rooms, first, stop, centers=centers.values("pk"))
    totals: dict[int, int] = defaultdict(int)
    for room_id, center_id in rooms:
        totals[center_id] += by_room[room_id]
    return dict(totals)


CENTER_PK_MARK = 987654321


def utilisation_figures(*, centers, filters: OverviewFilters) -> dict:
    """Booked against open hours per centre for the month (venues' utilisation, centre rows).

    Booked time comes from the rooms' monthly roll-ups (confirmed and used bookings, whole
    minutes per room), open time from each centre's opening hours and closures.
    """
    month = filters.month
    first, stop = venue_rules.month_bounds(month)
    booked = dict(
        RoomMonth.objects.filter(month=first, center_id__in=centers.values("pk"))
        .order_by()
        .values("center_id")
        .annotate(minutes=Sum(F("booked_seconds") / 60))
        .values_list("center_id", "minutes")
    )
    opened = _open_minutes_by_center(centers, first, stop)
    # One reverse() for every centre's link (a reverse per row cost 0.1 s for 700 centres).
    center_url = reverse("venues:center_detail", kwargs={"pk": CENTER_PK_MARK})
    rows = []
    for pk, name, township_name in centers.order_by("township__code", "name").values_list(
        "pk", "name", "township__name"
    ):
        booked_minutes, open_minutes = booked.get(pk) or 0, opened.get(pk, 0)
        ratio = venue_rules.ratio(booked_minutes, open_minutes)
        rows.append(
            {
                "label": name,
                "township": township_name,
                "booked_hours": float(venue_rules.hours(booked_minutes)),
                "open_hours": float(venue_rules.hours(open_minutes)),
                "percent": round(float((ratio or Decimal(0)) * 100), 1),
                "url": center_url.replace(str(CENTER_PK_MARK), str(pk)),
            }
        )
    rows.sort(key=lambda row: (-row["percent"], row["label"]))
    return {
        "month": month.strftime("%Y-%m"),
        "rows": rows,
        "url": link("venues:utilisation", month=month.strftime("%Y-%m")),
    }


def _score_row(score: QuarterScore) -> dict:
    return {
        "name": score.organization.name,
        "township": score.township.name,
        "total": float(score.total),
        "rank": score.rank_county,
        "rank_township": score.rank_township,
        "previous_rank": score.previous_rank_county,
        "change": score.rank_change,
        "url": reverse("orgs:organization_detail", kwargs={"pk": score.organization_id}),
    }


def ranking_figures(*, user, filters: OverviewFilters) -> dict:
    """The quarter's top ten and biggest movers (by county rank), within the township if chosen."""
    year, quarter = filters.quarter
    scores = (
        QuarterScore.objects.visible_to(user)
        .of_quarter(year, quarter)
        .ranked()
        .filter(rank_county__isnull=False)
        .select_related("organization", "township")
    )
    if filters.township_id:
        scores = scores.filter(township_id=filters.township_id)
    comparable = scores.filter(previous_rank_county__isnull=False)
    gain = F("previous_rank_county") - F("rank_county")
    risers = comparable.annotate(gain=gain).filter(gain__gt=0).order_by("-gain", "rank_county")
    fallers = comparable.annotate(gain=gain).filter(gain__lt=0).order_by("gain", "rank_county")
    return {
        "quarter": quarters.quarter_label((year, quarter)),
        "top": [_score_row(score) for score in scores.order_by("rank_county", "pk")[:TOP_COUNT]],
        "risers": [_score_row(score) for score in risers[:MOVERS_COUNT]],
        "fallers": [_score_row(score) for score in fallers[:MOVERS_COUNT]],
    }


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


# --- The whole overview --------------------------------------------------------------------


def _in_township(queryset, lookup: str, township_id: int | None):
    return queryset.filter(**{lookup: township_id}) if township_id else queryset


def _rollups_in_view(rows, user, township_id: int | None):
    """Roll-up rows of the communities whose records the user sees, within the township.

    The overview's roles see records by community (county-wide: all; township staff: their
    township's communities, as `visible_to` scopes activities and mediation cases); any other
    role sees none.
    """
    scope = scope_for(user)
    if not scope.county_wide:
        if scope.role != Role.TOWNSHIP_STAFF:
            return rows.none()
        rows = rows.filter(community_id__in=Community.objects.visible_to(user).values("pk"))
    if township_id:
        rows = rows.filter(
            community_id__in=Community.objects.filter(township_id=township_id).values("pk")
        )
    return rows


def compute_overview(*, user, filters: OverviewFilters) -> dict:
    """Every figure of the overview for the user's scope and the filters (no cache)."""
    township = filters.township_id
    organizations = _in_township(
        Organization.objects.visible_to(user), "community__township_id", township
    )
    return {
        "organizations": organization_figures(organizations=organizations, filters=filters),
        "members": member_figures(
            memberships=_in_township(
                Membership.objects.visible_to(user),
                "organization__community__township_id",
                township,
            ),
            filters=filters,
        ),
        "coverage": coverage_figures(user=user, organizations=organizations, filters=filters),
        "monthly": monthly_figures(
            activity_months=_rollups_in_view(ActivityMonth.objects.all(), user, township),
            mediation_months=_rollups_in_view(MediationMonth.objects.all(), user, township),
            filters=filters,
        ),
        "utilisation": utilisation_figures(
            centers=_in_township(ServiceCenter.objects.visible_to(user), "township_id", township),
            filters=filters,
        ),
        "ranking": ranking_figures(user=user, filters=filters),
        "watch": watch_figures(organizations=organizations, filters=filters),
        "computed_at": timezone.now(),
    }


def _cache_key(user, filters: OverviewFilters) -> str:
    scope = scope_for(user)
    area = "county" if scope.county_wide else f"township-{scope.township_id}"
    return (
        f"dashboards:overview:v{CACHE_VERSION}:{get_language()}:{area}:"
        f"{filters.township_id or 'all'}:{filters.year}"
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


def townships_offered(*, user):
    """Townships the user may pick (county roles: all; township staff: their own)."""
    return Township.objects.visible_to(user).order_by("code")


# The county-wide overview of the current year is what officials open: a periodic task keeps it
# in the cache, so their request renders from it instead of aggregating two years of records.
WARM_SECONDS = 15 * 60


def warm_county_overview() -> bool:
    """Compute the county-wide overview of this year and cache it; False without a county user."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from accounts.roles import COUNTY_WIDE_ROLES

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
