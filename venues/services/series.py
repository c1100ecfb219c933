"""Weekly series: plan the dates (free or conflicting, with reasons), preview, book."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.services import audit_record
from core.text import clean_text
from orgs.models import Organization
from venues import rules
from venues.models import Booking, BookingSeries, OpeningHours, Room
from venues.services.checks import (
    _check_actor,
    _check_shape,
    _conflict_dict,
    _date_problem,
    _initial_status,
    _insert,
    _lock_room,
    _quota_problem,
    _RoomCalendar,
    _slot_message,
)
from venues.services.errors import (
    SERIES_CONFLICTS,
    SERIES_DATE_ORDER,
    SERIES_NO_DATES,
    BookingConflict,
)


def _series_dates(
    *, weekday: int, first_date: datetime.date, last_date: datetime.date
) -> list[datetime.date]:
    """The series' dates; refuse a last date before the first, or a range without the weekday."""
    if last_date < first_date:
        raise ValidationError({"last_date": [ValidationError(SERIES_DATE_ORDER, code="order")]})
    dates = rules.weekly_dates(first_date, last_date, weekday)
    if not dates:
        raise ValidationError(
            {
                "first_date": [
                    ValidationError(
                        SERIES_NO_DATES,
                        code="empty",
                        params={"weekday": str(OpeningHours.Weekday(weekday).label)},
                    )
                ]
            }
        )
    return dates


def _date_conflict(
    *,
    calendar: _RoomCalendar,
    taken: list[Booking],
    organization: Organization,
    day: datetime.date,
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
) -> dict | None:
    """Why one date of the series cannot be booked (calendar, a booking, the quota), or None."""
    problem = _date_problem(calendar, start, end, now=now)
    if problem is not None:
        return _conflict_dict(day, start, end, problem[1].messages[0])
    other = next((b for b in taken if b.start < end and b.end > start), None)
    if other is not None:
        message = _slot_message(other).messages[0]
        return _conflict_dict(day, start, end, message, other)
    # Each occurrence falls in its own ISO week, so only the existing bookings count.
    quota = _quota_problem(calendar.room, organization, start, end)
    if quota is not None:
        return _conflict_dict(day, start, end, quota.messages[0])
    return None


def _plan_series(
    *,
    room: Room,
    organization: Organization,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    first_date: datetime.date,
    last_date: datetime.date,
    expected_attendance: int,
    purpose: str,
) -> tuple[list[tuple[datetime.datetime, datetime.datetime]], list[dict]]:
    """Split the series' dates into free slots and conflicts (with reasons); no writes."""
    dates = _series_dates(weekday=weekday, first_date=first_date, last_date=last_date)
    probe_start, probe_end = rules.at(dates[0], start_time), rules.at(dates[0], end_time)
    _check_shape(
        room=room,
        start=probe_start,
        end=probe_end,
        expected_attendance=expected_attendance,
        purpose=purpose,
    )
    calendar = _RoomCalendar.load(room, dates[0], dates[-1])
    range_start, range_end = rules.at(dates[0], start_time), rules.at(dates[-1], end_time)
    taken = list(
        Booking.objects.blocking()
        .filter(room=room, start__lt=range_end, end__gt=range_start)
        .select_related("organization", "room__center")
        .order_by("start")
    )
    now = timezone.now()
    free, conflicts = [], []
    for day in dates:
        start, end = rules.at(day, start_time), rules.at(day, end_time)
        conflict = _date_conflict(
            calendar=calendar,
            taken=taken,
            organization=organization,
            day=day,
            start=start,
            end=end,
            now=now,
        )
        if conflict is None:
            free.append((start, end))
        else:
            conflicts.append(conflict)
    return free, conflicts


def booking_series_preview(
    *,
    actor,
    room: Room,
    organization: Organization,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    first_date: datetime.date,
    last_date: datetime.date,
    purpose: str,
    expected_attendance: int,
) -> dict:
    """Say which dates of a weekly series are free and which conflict, writing nothing."""
    _check_actor(actor=actor, room=room, organization=organization)
    free, conflicts = _plan_series(
        room=room,
        organization=organization,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        first_date=first_date,
        last_date=last_date,
        expected_attendance=expected_attendance,
        purpose=clean_text(purpose),
    )
    return {"free": free, "conflicts": conflicts}


def _series_conflict(conflicts: list[dict]) -> BookingConflict:
    message = ValidationError(
        SERIES_CONFLICTS,
        code="conflict",
        params={"count": len(conflicts), "dates": "、".join(c["date"] for c in conflicts)},
    ).messages[0]
    return BookingConflict(message, conflicts=conflicts, field_name="first_date")


def _book_occurrences(
    *,
    actor,
    series: BookingSeries,
    room: Room,
    organization: Organization,
    purpose: str,
    free: list[tuple[datetime.datetime, datetime.datetime]],
    conflicts: list[dict],
    expected_attendance: int,
    skip_conflicts: bool,
) -> list[Booking]:
    """Insert the series' free occurrences; a date taken since the plan joins `conflicts`.

    Without skip_conflicts, such a date refuses the whole series (the caller's transaction
    rolls back what was inserted before it).
    """
    bookings = []
    for start, end in free:
        booking = Booking(
            room=room,
            organization=organization,
            booked_by=actor,
            purpose=purpose,
            start=start,
            end=end,
            expected_attendance=expected_attendance,
            status=_initial_status(room, actor),
            series=series,
        )
        try:
            _insert(booking)
        except BookingConflict as conflict:
            # Taken by a concurrent request between the plan and the insert (PostgreSQL).
            conflicts.extend(conflict.conflicts)
            if not skip_conflicts:
                raise _series_conflict(conflicts) from conflict
            continue
        bookings.append(booking)
    return bookings


@transaction.atomic
def booking_series_create(
    *,
    actor,
    room: Room,
    organization: Organization,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    first_date: datetime.date,
    last_date: datetime.date,
    purpose: str,
    expected_attendance: int,
    skip_conflicts: bool = False,
) -> tuple[BookingSeries, list[Booking], list[dict]]:
    """Book the room every week; with conflicts, book the free dates only or none at all."""
    _check_actor(actor=actor, room=room, organization=organization)
    _lock_room(room.pk)
    purpose = clean_text(purpose)
    free, conflicts = _plan_series(
        room=room,
        organization=organization,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        first_date=first_date,
        last_date=last_date,
        expected_attendance=expected_attendance,
        purpose=purpose,
    )
    if conflicts and not skip_conflicts:
        raise _series_conflict(conflicts)
    if not free:
        raise _series_conflict(conflicts)
    series = BookingSeries(
        room=room,
        organization=organization,
        booked_by=actor,
        purpose=purpose,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        first_date=first_date,
        last_date=last_date,
    )
    series.full_clean(exclude=["room", "organization", "booked_by"])
    series.save()
    bookings = _book_occurrences(
        actor=actor,
        series=series,
        room=room,
        organization=organization,
        purpose=purpose,
        free=free,
        conflicts=conflicts,
        expected_attendance=expected_attendance,
        skip_conflicts=skip_conflicts,
    )
    if not bookings:
        raise _series_conflict(conflicts)
    audit_record(
        actor=actor,
        action="booking_series.create",
        obj=series,
        summary=f"{series} {len(bookings)}",
        changes={"booked": [b.pk for b in bookings], "skipped": [c["date"] for c in conflicts]},
    )
    return series, bookings, conflicts
