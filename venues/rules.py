"""Pure booking arithmetic: opening ranges of a day, free gaps, hour slots, utilisation.

Nothing here touches the database: callers pass the centre's weekly opening hours as
`{weekday: [(opens, closes), ...]}` and the closures that concern the room (the centre's and
the room's own) as objects with `kind`, `starts_on`, `ends_on`, `opens`, `closes`, `reason`.
Times are local (Asia/Shanghai) wall-clock times; datetimes are aware.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

CLOSED = "closed"
SPECIAL_OPEN = "open"

TimeRange = tuple[datetime.time, datetime.time]
DateTimeRange = tuple[datetime.datetime, datetime.datetime]


DEFAULT_MAX_DAYS_AHEAD = 60


def max_days_ahead() -> int:
    """How many days ahead a room may be booked (settings.VENUE_BOOKING_MAX_DAYS_AHEAD)."""
    return getattr(settings, "VENUE_BOOKING_MAX_DAYS_AHEAD", DEFAULT_MAX_DAYS_AHEAD)


def last_bookable_day(now: datetime.datetime) -> datetime.date:
    """The last local day a booking may start on: the one horizon of bookings and free slots."""
    return to_local(now).date() + datetime.timedelta(days=max_days_ahead())


def local_zone() -> ZoneInfo:
    """The registry's wall-clock zone (Asia/Shanghai), whatever zone is active."""
    return ZoneInfo(settings.TIME_ZONE)


def to_local(moment: datetime.datetime) -> datetime.datetime:
    """Express an aware datetime in local wall-clock time."""
    return moment.astimezone(local_zone())


def at(day: datetime.date, moment: datetime.time) -> datetime.datetime:
    """Combine a local date and wall-clock time into an aware datetime."""
    return datetime.datetime.combine(day, moment, tzinfo=local_zone())


def week_start_of(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week holding `day`."""
    return day - datetime.timedelta(days=day.weekday())


def iso_week_bounds(day: datetime.date) -> DateTimeRange:
    """Aware [Monday 00:00, next Monday 00:00) of the ISO week holding `day`."""
    monday = week_start_of(day)
    return at(monday, datetime.time.min), at(monday + datetime.timedelta(days=7), datetime.time.min)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First day of the month and first day of the next month."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


def days_between(first: datetime.date, stop: datetime.date) -> list[datetime.date]:
    """Dates from `first` up to, not including, `stop`."""
    return [first + datetime.timedelta(days=n) for n in range((stop - first).days)]


def merge_ranges(ranges: Iterable[TimeRange]) -> list[TimeRange]:
    """Sort ranges and join those that overlap or touch."""
    merged: list[list] = []
    for opens, closes in sorted(ranges):
        if merged and opens <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], closes)
        else:
            merged.append([opens, closes])
    return [(opens, closes) for opens, closes in merged]


def covers(closure, day: datetime.date) -> bool:
    return closure.starts_on <= day <= closure.ends_on


@dataclass(frozen=True)
class DayHours:
    """What a room offers on one date: its open ranges, or why it is closed."""

    day: datetime.date
    ranges: tuple[TimeRange, ...]
    closed_reason: str = ""

    @property
    def is_open(self) -> bool:
        return bool(self.ranges)


def day_hours(
    day: datetime.date, weekly: Mapping[int, Sequence[TimeRange]], closures: Iterable
) -> DayHours:
    """Open ranges of a date: weekday hours plus special open days, none if closed.

    A closure (of the centre or the room) closes the whole day and wins over everything; a
    special open day adds its hours, even on a weekday when the centre is normally closed.
    """
    ranges = list(weekly.get(day.weekday(), ()))
    for closure in closures:
        if not covers(closure, day):
            continue
        if closure.kind == CLOSED:
            return DayHours(day=day, ranges=(), closed_reason=closure.reason)
        if closure.kind == SPECIAL_OPEN and closure.opens and closure.closes:
            ranges.append((closure.opens, closure.closes))
    return DayHours(day=day, ranges=tuple(merge_ranges(ranges)))


def fits_within(start: datetime.time, end: datetime.time, ranges: Iterable[TimeRange]) -> bool:
    """Whether [start, end) lies inside one open range."""
    return any(opens <= start and end <= closes for opens, closes in ranges)


def subtract(ranges: Iterable[DateTimeRange], busy: Iterable[DateTimeRange]) -> list[DateTimeRange]:
    """Parts of `ranges` not covered by any `busy` range."""
    busy = sorted(busy)
    free = []
    for start, end in sorted(ranges):
        cursor = start
        for busy_start, busy_end in busy:
            if busy_end <= cursor or busy_start >= end:
                continue
            if busy_start > cursor:
                free.append((cursor, busy_start))
            cursor = max(cursor, busy_end)
            if cursor >= end:
                break
        if cursor < end:
            free.append((cursor, end))
    return free


def hour_slots(
    free: Iterable[DateTimeRange],
    duration_minutes: int = 60,
    not_before: datetime.datetime | None = None,
) -> list[DateTimeRange]:
    """Slots of `duration_minutes` that start on a full hour and fit inside a free range.

    Starts step by one hour, so longer slots overlap each other: each is one offer.
    """
    duration = datetime.timedelta(minutes=duration_minutes)
    slots = []
    for start, end in free:
        local_start = to_local(start)
        first = local_start.replace(minute=0, second=0, microsecond=0)
        if first < local_start:
            first += datetime.timedelta(hours=1)
        candidate = first
        while candidate + duration <= end:
            if not_before is None or candidate >= not_before:
                slots.append((candidate, candidate + duration))
            candidate += datetime.timedelta(hours=1)
    return slots


def range_minutes(ranges: Iterable[TimeRange]) -> int:
    """Total minutes of wall-clock ranges of one day."""
    total = 0
    for opens, closes in ranges:
        total += (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
    return total


def open_minutes(
    first: datetime.date, stop: datetime.date, weekly: Mapping[int, Sequence[TimeRange]], closures
) -> int:
    """Minutes a room is open from `first` up to `stop`, closures and open days included."""
    closures = list(closures)
    return sum(
        range_minutes(day_hours(day, weekly, closures).ranges) for day in days_between(first, stop)
    )


def hours(minutes: int | float | Decimal) -> Decimal:
    """Minutes as hours with one decimal."""
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def ratio(booked_minutes: int | float, open_minutes_total: int | float) -> Decimal | None:
    """Share of open time that was booked, 0–1 with three decimals; None when never open."""
    if not open_minutes_total:
        return None
    return (Decimal(booked_minutes) / Decimal(open_minutes_total)).quantize(
        Decimal("0.001"), rounding=ROUND_HALF_UP
    )


def weekly_dates(
    first_date: datetime.date, last_date: datetime.date, weekday: int
) -> list[datetime.date]:
    """Every date of the given weekday from `first_date` to `last_date`, both included."""
    first = first_date + datetime.timedelta(days=(weekday - first_date.weekday()) % 7)
    dates = []
    while first <= last_date:
        dates.append(first)
        first += datetime.timedelta(days=7)
    return dates


def format_ranges(ranges: Iterable[TimeRange]) -> str:
    """Ranges as "08:30–12:00, 14:00–21:00"."""
    return ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in ranges)
