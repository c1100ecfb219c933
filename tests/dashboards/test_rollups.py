"""The overview read from the monthly roll-ups shows what the raw records add up to.

The raw-record version of the monthly and utilisation figures (what the overview computed before
the roll-ups) is kept here, for the comparison only, and run on the seeded demo county.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Min, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from activities.models import Activity, MediationCase
from areas.models import Township
from dashboards import selectors
from dashboards.selectors import OverviewFilters
from rollups.models import ActivityMonth, MediationMonth, RoomMonth
from tests.clock import frozen_clock
from venues.models import ServiceCenter
from venues.selectors import utilisation


def _first_month(queryset, field: str):
    first = queryset.order_by().aggregate(first=Min(field))["first"]
    if first is None:
        return None
    if isinstance(first, datetime.datetime):
        first = timezone.localtime(first).date()
    return first.replace(day=1)


def _by_month(rows, fields):
    table = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month)
        table[(month.year, month.month)] = {field: row[field] or 0 for field in fields}
    return table


def raw_monthly(user, filters: OverviewFilters) -> dict:
    """The monthly figures counted from the records themselves (the pre-roll-up query)."""
    activities = Activity.objects.visible_to(user)
    mediations = MediationCase.objects.visible_to(user)
    if filters.township_id:
        activities = activities.filter(community_served__township_id=filters.township_id)
        mediations = mediations.filter(community__township_id=filters.township_id)
    year, last = filters.year, filters.year - 1
    start = timezone.make_aware(datetime.datetime(last, 1, 1))
    stop = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    activity_rows = (
        activities.verified()
        .filter(start__gte=start, start__lt=stop)
        .annotate(month=TruncMonth("start"))
        .order_by()
        .values("month")
        .annotate(
            count=Count("pk"), beneficiaries=Sum("beneficiaries"), hours=Sum("volunteer_hours")
        )
    )
    mediation_rows = (
        mediations.verified()
        .filter(
            occurred_on__gte=datetime.date(last, 1, 1), occurred_on__lte=datetime.date(year, 12, 31)
        )
        .annotate(month=TruncMonth("occurred_on"))
        .order_by()
        .values("month")
        .annotate(count=Count("pk"))
    )
    return selectors._monthly_series(
        by_activity=_by_month(activity_rows, ["count", "beneficiaries", "hours"]),
        by_mediation=_by_month(mediation_rows, ["count"]),
        activities_since=_first_month(activities.verified(), "start"),
        mediations_since=_first_month(mediations.verified(), "occurred_on"),
        filters=filters,
    )


def raw_utilisation(user, filters: OverviewFilters) -> dict:
    """The centres' utilisation summed from venues' room-by-room table.

    Both read booked time from the rooms' roll-ups (tests/rollups checks those against the
    bookings); this compares the overview's per-centre sums and open hours with the rooms'.
    """
    centers = ServiceCenter.objects.visible_to(user)
    if filters.township_id:
        centers = centers.filter(township_id=filters.township_id)
    rows = [
        {
            "label": row["center"].name,
            "township": row["center"].township.name,
            "booked_hours": float(row["booked_hours"]),
            "open_hours": float(row["open_hours"]),
            "percent": round(float(row["percent"]), 1),
            "url": reverse("venues:center_detail", kwargs={"pk": row["center"].pk}),
        }
        for row in utilisation(centers_qs=centers, month=filters.month)
        if row["room"] is None
    ]
    rows.sort(key=lambda row: (-row["percent"], row["label"]))
    return rows


@pytest.fixture(scope="module")
def county_demo(django_db_setup, django_db_blocker):
    """Seed the demo county once (its roll-ups rebuilt by the seed), rolled back after."""
    with frozen_clock(), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("county_demo")
class TestDemoCountyOverview:
    @pytest.mark.parametrize("username", ["admin", "official", "township"])
    @pytest.mark.parametrize("years_back", [0, 1])
    def test_rollup_figures_equal_the_records_figures(self, db, username, years_back):
        with frozen_clock():
            user = User.objects.get(username=username)
            filters = OverviewFilters(township_id=None, year=timezone.localdate().year - years_back)

            figures = selectors.compute_overview(user=user, filters=filters)

            assert figures["monthly"] == raw_monthly(user, filters)
            assert figures["utilisation"]["rows"] == raw_utilisation(user, filters)

    def test_a_chosen_township_equals_its_records_figures(self, db):
        with frozen_clock():
            user = User.objects.get(username="admin")
            township = Township.objects.order_by("code")[3]
            filters = OverviewFilters(township_id=township.pk, year=timezone.localdate().year)

            figures = selectors.compute_overview(user=user, filters=filters)

            assert figures["monthly"] == raw_monthly(user, filters)
            assert figures["utilisation"]["rows"] == raw_utilisation(user, filters)

    def test_the_demo_has_figures_to_compare(self, db):
        with frozen_clock():
            user = User.objects.get(username="admin")
            # The year of a month ago: the demo's records end yesterday, so on 1 January the
            # new year has none yet, while the comparisons above cover this year and last.
            a_month_ago = timezone.localdate() - datetime.timedelta(days=31)
            filters = OverviewFilters(township_id=None, year=a_month_ago.year)
            figures = selectors.compute_overview(user=user, filters=filters)

        series = figures["monthly"]["series"]
        assert series["activities"]["this_total"] > 0
        assert series["hours"]["this_total"] > 0
        assert series["mediations"]["this_total"] > 0
        assert any(row["booked_hours"] > 0 for row in figures["utilisation"]["rows"])
        assert ActivityMonth.objects.exists() and MediationMonth.objects.exists()
        assert RoomMonth.objects.filter(month=filters.month).exists()
