"""Page-shaped reads of the venues: week calendars, free slots, queues and utilisation.

Every calendar read costs a fixed number of queries whatever the number of rooms or bookings:
opening hours, closures and bookings are each loaded once and laid out in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.scoping import Level, scope_for
from rollups.models import RoomMonth
from venues import rules
from venues.models import Booking, Closure, OpeningHours, Room, ServiceCenter
from venues.permissions import approvable_condition

WEEK_DAYS = 7


# --- Shared loading ---


def _weekly_hours(center_ids) -> dict[int, dict[int, list]]:
    """{center_id: {weekday: [(opens, closes), ...]}} in one query."""
    weekly: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for center_id, weekday, opens, closes in (
        OpeningHours.objects.filter(center_id__in=center_ids)
        .order_by("weekday", "opens")
        .values_list("center_id", "weekday", "opens", "closes")
    ):
        weekly[center_id][weekday].append((opens, closes))
    return weekly


def _closures(center_ids, first: datetime.date, last: datetime.date) -> list[Closure]:
    return list(
        Closure.objects.filter(center_id__in=center_ids, starts_on__lte=last, ends_on__gte=first)
    )


def _closures_for(room: Room, closures: list[Closure]) -> list[Closure]:
    return [
        closure
        for closure in closures
        if closure.center_id == room.center_id and closure.room_id in (None, room.pk)
    ]


def _blocking_between(room_ids, first: datetime.date, stop: datetime.date) -> QuerySet[Booking]:
    """Blocking bookings of the rooms that overlap the days [first, stop).

    A booking starts and ends on one day (services.booking_create refuses others), so none
    starting a day or more before `first` reaches it: the lower bound on start lets the
    (room, start) index read only those days instead of each room's whole history.
    """
    return Booking.objects.blocking().filter(
        room_id__in=room_ids,
        start__gte=rules.at(first - datetime.timedelta(days=1), datetime.time.min),
        start__lt=rules.at(stop, datetime.time.min),
        end__gt=rules.at(first, datetime.time.min),
    )


def _busy_ranges(room_ids, first: datetime.date, stop: datetime.date) -> dict[int, list]:
    """{room id: [(start, end), ...]} of the blocking bookings, without loading the rows."""
    busy: dict[int, list] = defaultdict(list)
    for room_id, start, end in _blocking_between(room_ids, first, stop).values_list(
        "room_id", "start", "end"
    ):
        busy[room_id].append((start, end))
    return busy


def _blocking_by_room(room_ids, first: datetime.date, stop: datetime.date) -> dict[int, list]:
    bookings = (
        _blocking_between(room_ids, first, stop).select_related("organization").order_by("start")
    )
    by_room: dict[int, list] = defaultdict(list)
    for booking in bookings:
        by_room[booking.room_id].append(booking)
    return by_room


def _visible_ids(user, bookings) -> set[int]:
    ids = [booking.pk for booking in bookings]
    if not ids:
        return set()
    return set(Booking.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def _room_days(
    *,
    user,
    room: Room,
    days: list[datetime.date],
    weekly: dict[int, list],
    closures: list[Closure],
    bookings: list[Booking],
    visible_ids: set[int],
    now: datetime.datetime,
) -> list[dict]:
    """Lay out one room's days: open ranges, blocking bookings, free ranges and hour slots."""
    room_closures = _closures_for(room, closures)
    laid_out = []
    for day in days:
        hours = rules.day_hours(day, weekly, room_closures)
        open_ranges = [
            (rules.at(day, opens), rules.at(day, closes)) for opens, closes in hours.ranges
        ]
        day_start, day_end = (
            rules.at(day, datetime.time.min),
            rules.at(day + datetime.timedelta(days=1), datetime.time.min),
        )
        todays = [b for b in bookings if b.start < day_end and b.end > day_start]
        free = rules.subtract(open_ranges, [(b.start, b.end) for b in todays])
        laid_out.append(
            {
                "date": day,
                "weekday": day.weekday(),
                "is_open": hours.is_open,
                "closed_reason": hours.closed_reason,
                "open_ranges": open_ranges,
                "bookings": [
                    {
                        "booking": booking,
                        "id": booking.pk,
                        "start": booking.start,
                        "end": booking.end,
                        "organization_name": booking.organization.name,
                        "status": booking.status,
                        "status_label": booking.get_status_display(),
                        "is_mine": booking.booked_by_id == user.pk
                        or booking.organization_id == getattr(user, "organization_id", None),
                        "is_visible": booking.pk in visible_ids,
                    }
                    for booking in todays
                ],
                "free_ranges": free,
                "free_slots": rules.hour_slots(free, 60, not_before=now)
                if day <= rules.last_bookable_day(now)
                else [],
            }
        )
    return laid_out


def _week_days(week_start: datetime.date) -> list[datetime.date]:
    monday = rules.week_start_of(week_start)
    return [monday + datetime.timedelta(days=n) for n in range(WEEK_DAYS)]


# --- Calendars ---


def room_week(*, user, room: Room, week_start: datetime.date) -> dict:
    """A room's week (Monday to Sunday): open ranges, taken and free slots per day.

    The caller fetched `room` from Room.objects.visible_to(user). Four queries.
    """
    days = _week_days(week_start)
    stop = days[-1] + datetime.timedelta(days=1)
    weekly = _weekly_hours([room.center_id])[room.center_id]
    closures = _closures([room.center_id], days[0], days[-1])
    bookings = _blocking_by_room([room.pk], days[0], stop)[room.pk]
    visible_ids = _visible_ids(user, bookings)
    return {
        "room": room,
        "week_start": days[0],
        "previous_week": days[0] - datetime.timedelta(days=7),
        "next_week": days[0] + datetime.timedelta(days=7),
        "days": _room_days(
            user=user,
            room=room,
            days=days,
            weekly=weekly,
            closures=closures,
            bookings=bookings,
            visible_ids=visible_ids,
            now=timezone.now(),
        ),
    }


def center_week(*, user, center: ServiceCenter, week_start: datetime.date) -> dict:
    """Every room of a centre for one week, laid out like room_week. Five queries."""
    days = _week_days(week_start)
    stop = days[-1] + datetime.timedelta(days=1)
    rooms = list(Room.objects.visible_to(user).active().filter(center=center).order_by("name"))
    weekly = _weekly_hours([center.pk])[center.pk]
    closures = _closures([center.pk], days[0], days[-1])
    by_room = _blocking_by_room([room.pk for room in rooms], days[0], stop)
    visible_ids = _visible_ids(user, [b for bookings in by_room.values() for b in bookings])
    now = timezone.now()
    return {
        "center": center,
        "week_start": days[0],
        "previous_week": days[0] - datetime.timedelta(days=7),
        "next_week": days[0] + datetime.timedelta(days=7),
        "days": days,
        "rooms": [
            {
                "room": room,
                "days": _room_days(
                    user=user,
                    room=room,
                    days=days,
                    weekly=weekly,
                    closures=closures,
                    bookings=by_room.get(room.pk, []),
                    visible_ids=visible_ids,
                    now=now,
                ),
            }
            for room in rooms
        ],
    }


def free_slots_for_rooms(
    *, rooms, day: datetime.date, duration_minutes: int = 60
) -> dict[int, list[tuple[datetime.datetime, datetime.datetime]]]:
    """{room id: free hour-aligned slots on `day`} for many rooms in three queries."""
    rooms = list(rooms)
    now = timezone.now()
    if not rules.to_local(now).date() <= day <= rules.last_bookable_day(now):
        # Nothing can be booked in the past or beyond the booking horizon.
        return {room.pk: [] for room in rooms}
    center_ids = {room.center_id for room in rooms}
    weekly = _weekly_hours(center_ids)
    closures = _closures(center_ids, day, day)
    busy_by_room = _busy_ranges([room.pk for room in rooms], day, day + datetime.timedelta(days=1))
    slots = {}
    # Rooms with the same open hours that day and the same bookings (most often none) have the
    # same slots: each distinct day is laid out once, and its rooms share the list.
    laid_out: dict[tuple, list] = {}
    for room in rooms:
        hours = rules.day_hours(day, weekly.get(room.center_id, {}), _closures_for(room, closures))
        busy = tuple(sorted(busy_by_room.get(room.pk, ())))
        key = (hours.ranges, busy)
        if key not in laid_out:
            open_ranges = [(rules.at(day, o), rules.at(day, c)) for o, c in hours.ranges]
            free = rules.subtract(open_ranges, busy)
            laid_out[key] = rules.hour_slots(free, duration_minutes, not_before=now)
        slots[room.pk] = laid_out[key]
    return slots


def free_slots(
    *, room: Room, day: datetime.date, duration_minutes: int = 60
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Bookable slots of `duration_minutes` on `day`, starting on full hours, none in the past."""
    return free_slots_for_rooms(rooms=[room], day=day, duration_minutes=duration_minutes)[room.pk]


# --- Lists ---


def _with_related(bookings: QuerySet) -> QuerySet:
    return bookings.select_related(
        "room__center", "organization", "booked_by", "decided_by", "series"
    )


def my_bookings(*, user) -> QuerySet[Booking]:
    """Bookings the user made, or made for the organisation they are the contact of."""
    condition = Q(booked_by=user)
    scope = scope_for(user)
    if scope.level == Level.ORGANIZATION and scope.organization_id:
        condition |= Q(organization_id=scope.organization_id)
    return _with_related(Booking.objects.filter(condition)).order_by("-start")


def approval_queue(*, user) -> QuerySet[Booking]:
    """Pending bookings not yet started that the user may approve or reject, soonest first."""
    condition = approvable_condition(user)
    if condition is None:
        return Booking.objects.none()
    return _with_related(
        Booking.objects.filter(condition, status=Booking.Status.PENDING, start__gt=timezone.now())
    ).order_by("start")


def attendance_queue(*, user) -> QuerySet[Booking]:
    """Confirmed bookings that have ended and wait to be marked used or no-show."""
    condition = approvable_condition(user)
    if condition is None:
        return Booking.objects.none()
    return _with_related(
        Booking.objects.filter(condition, status=Booking.Status.CONFIRMED, end__lte=timezone.now())
    ).order_by("-start")


# --- Utilisation ---

BOOKED_STATUSES = (Booking.Status.CONFIRMED, Booking.Status.USED)


def open_minutes_by_room(
    rooms, first: datetime.date, stop: datetime.date, *, centers=None
) -> dict[int, int]:
    """{room id: minutes open from `first` up to `stop`} for (room id, centre id) pairs.

    Three queries (opening hours, closures) whatever the number of rooms: a room is open when
    its centre is, less the closures of the centre and of the room, so rooms sharing a set of
    opening hours and closures (most rooms of a centre; many centres keep the same hours) share
    one computation. Computing each of the province's 13,000 rooms day by day took 1.5 s.
    `centers`, a queryset of the rooms' centres' ids, reads the hours and closures through a
    subquery instead of a list of thousands of ids.
    """
    rooms = list(rooms)
    center_ids = centers if centers is not None else {center_id for _room_id, center_id in rooms}
    weekly = _weekly_hours(center_ids)
    shared: dict[int, list[Closure]] = defaultdict(list)
    own: dict[int, list[Closure]] = defaultdict(list)
    for closure in sorted(
        _closures(center_ids, first, stop - datetime.timedelta(days=1)), key=lambda c: c.pk
    ):
        (shared[closure.center_id] if closure.room_id is None else own[closure.room_id]).append(
            closure
        )
    hours_keys: dict[int, tuple] = {}
    memo: dict = {}

    def minutes(center_id: int, closures: list[Closure]) -> int:
        hours = weekly.get(center_id, {})
        if center_id not in hours_keys:
            hours_keys[center_id] = tuple(
                (day, tuple(ranges)) for day, ranges in sorted(hours.items())
            )
        key = (
            hours_keys[center_id],
            tuple((c.kind, c.starts_on, c.ends_on, c.opens, c.closes) for c in closures),
        )
        if key not in memo:
            memo[key] = rules.open_minutes(first, stop, hours, closures)
        return memo[key]

    by_center: dict[int, int] = {}  # the rooms without closures of their own share one figure
    opened = {}
    for room_id, center_id in rooms:
        if room_id in own:
            closures = sorted([*shared.get(center_id, ()), *own[room_id]], key=lambda c: c.pk)
            opened[room_id] = minutes(center_id, closures)
            continue
        if center_id not in by_center:
            by_center[center_id] = minutes(center_id, shared.get(center_id, []))
        opened[room_id] = by_center[center_id]
    return opened


def utilisation(*, centers_qs, month: datetime.date) -> list[dict]:
    """Booked hours (confirmed and used) against open hours per room and centre for a month.

    Booked time comes from the rooms' monthly roll-ups (rollups.RoomMonth, kept by the booking
    services); open time from each centre's opening-hours and closure rows. Rows: one per room,
    then one per centre (room None). Six queries whatever the number of centres and rooms.
    """
    first, stop = rules.month_bounds(month)
    centers = list(centers_qs.order_by("township__code", "name").select_related("township"))
    center_ids = [center.pk for center in centers]
    rooms = list(Room.objects.filter(center_id__in=center_ids).order_by("center_id", "name"))
    booked_seconds = dict(
        RoomMonth.objects.filter(month=first, center_id__in=center_ids).values_list(
            "room_id", "booked_seconds"
        )
    )
    opened_by_room = open_minutes_by_room(
        ((room.pk, room.center_id) for room in rooms), first, stop
    )
    rooms_by_center: dict[int, list[Room]] = defaultdict(list)
    for room in rooms:
        rooms_by_center[room.center_id].append(room)
    rows = []
    for center in centers:
        center_booked = center_open = 0
        for room in rooms_by_center.get(center.pk, []):
            booked = booked_seconds.get(room.pk, 0) // 60
            opened = opened_by_room[room.pk]
            center_booked += booked
            center_open += opened
            rows.append(_utilisation_row(center, room, first, booked, opened))
        rows.append(_utilisation_row(center, None, first, center_booked, center_open))
    return rows


def _utilisation_row(center, room, month, booked_minutes, open_minutes) -> dict:
    return {
        "month": month,
        "center": center,
        "room": room,
        "booked_hours": rules.hours(booked_minutes),
        "open_hours": rules.hours(open_minutes),
        "ratio": rules.ratio(booked_minutes, open_minutes),
        "percent": (rules.ratio(booked_minutes, open_minutes) or Decimal(0)) * 100,
    }


# --- Feeds ---

FEED_PAST_DAYS = 90


def feed_bookings(*, room: Room | None = None, organization=None) -> QuerySet[Booking]:
    """Blocking bookings of a room or an organisation for an .ics feed, from 90 days back."""
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    bookings = Booking.objects.blocking().filter(end__gte=since)
    if room is not None:
        bookings = bookings.filter(room=room)
    if organization is not None:
        bookings = bookings.filter(organization=organization)
    return bookings.select_related("room__center", "organization").order_by("start")
