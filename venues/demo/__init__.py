"""Demo venues: the county's Party-mass service centres and stations, rooms and bookings.

County scale: one township-level 党群服务中心 per township (20) and a community 党群服务站 in 46
communities: 66 centres, 2–4 rooms each, varied opening hours (all week; weekdays with a
monthly residents' open day; weekends only; evenings and weekends), the Spring Festival week
closed, a few rooms under repair, and a year of bookings plus the next four weeks. City and
province scale the centres with the townships and keep fewer weeks of history.

Bookings are laid out per room by walking each open day's ranges, so no two blocking bookings
of a room ever overlap; rows are written with bulk_create. Deterministic for a seed and a day.

One module per part: `patterns`, `centers`, `bookings`; the seeder is here.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from core.demo import loading
from venues.demo.bookings import _Booker, _Plan, _plan_bookings, _plan_series
from venues.demo.centers import _centers, _hours_and_closures, _rooms
from venues.demo.patterns import DAILY_BOOKINGS, FUTURE_WEEKS, HISTORY_WEEKS
from venues.models import Booking, Closure, OpeningHours, ServiceCenter


def seed_venues(context) -> None:
    """Create the centres, rooms, opening hours, closures and a history of bookings."""
    rng = random.Random(f"venues-{context.seed}")
    now = timezone.now()
    today = timezone.localdate()
    first = today - datetime.timedelta(weeks=HISTORY_WEEKS[context.scale])
    last = today + datetime.timedelta(weeks=FUTURE_WEEKS)
    centers, patterns = _centers(rng)
    rooms = _rooms(centers, rng)
    centers_by_pk = {center.pk: center for center in centers}
    for room in rooms:
        room.center = centers_by_pk[room.center_id]
    _hours_and_closures(centers, patterns, rooms, first, last, rng)

    weekly_by_center: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for row in OpeningHours.objects.order_by("center_id", "weekday", "opens"):
        weekly_by_center[row.center_id][row.weekday].append((row.opens, row.closes))
    closures_by_center: dict[int, list[Closure]] = defaultdict(list)
    for closure in Closure.objects.order_by("pk"):
        closures_by_center[closure.center_id].append(closure)

    booker = _Booker(rng, today, now)
    plan = _Plan()
    taken: dict[int, dict[datetime.date, list]] = defaultdict(lambda: defaultdict(list))
    with loading(context, Booking):
        _plan_series(booker, rooms, weekly_by_center, closures_by_center, first, last, plan, taken)
        _plan_bookings(
            booker,
            rooms,
            weekly_by_center,
            closures_by_center,
            first,
            last,
            DAILY_BOOKINGS[context.scale],
            plan,
            taken,
        )
        plan.flush()

    statuses = plan.statuses
    township_centers = sum(1 for center in centers if center.kind == ServiceCenter.Kind.CENTER)
    context.made["service_centers"] = centers
    context.summary += [
        f"{len(centers)} 个党群服务中心/站（街道/乡镇中心 {township_centers} 个，"
        f"社区/村服务站 {len(centers) - township_centers} 个），{len(rooms)} 个场地",
        f"{plan.total} 条场地预约（其中 {plan.series_count} 个每周固定预约）："
        f"已使用 {statuses[Booking.Status.USED]}，已确认 {statuses[Booking.Status.CONFIRMED]}，"
        f"待审核 {statuses[Booking.Status.PENDING]}，已取消 {statuses[Booking.Status.CANCELLED]}，"
        f"未到场 {statuses[Booking.Status.NO_SHOW]}，已拒绝 {statuses[Booking.Status.REJECTED]}",
    ]
