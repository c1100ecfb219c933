"""Room utilisation: booked hours from the roll-ups against the opening hours."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    F,
    Sum,
)
from django.urls import reverse

from dashboards.selectors.common import (
    OverviewFilters,
    link,
)
from rollups.models import RoomMonth
from venues import rules as venue_rules
from venues.models import Room
from venues.selectors import open_minutes_by_room


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
