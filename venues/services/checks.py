"""Checks and steps shared by single bookings, series, moves and decisions.

The room's calendar, the shape, date, quota and actor checks, the room lock, the overlap
look-up and the insert that turns the database's refusal of an overlap into a BookingConflict.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.utils import timezone

from orgs.models import Organization
from rollups.services import apply_shares
from venues import rules
from venues.models import Booking, Closure, OpeningHours, Room
from venues.permissions import can_approve, organizations_bookable_by
from venues.rollups import booking_shares
from venues.services.errors import (
    ATTENDANCE_TOO_LOW,
    CENTER_CLOSED,
    CENTER_NOT_OPEN,
    END_BEFORE_START,
    EXCLUSION_VIOLATION,
    IN_THE_PAST,
    NOT_SAME_DAY,
    ORGANIZATION_INACTIVE,
    OUTSIDE_OPENING_HOURS,
    OVER_CAPACITY,
    PURPOSE_REQUIRED,
    QUOTA_EXCEEDED,
    ROOM_INACTIVE,
    SLOT_TAKEN,
    SLOT_TAKEN_UNKNOWN,
    TIME_NOT_AWARE,
    TOO_FAR_AHEAD,
    BookingConflict,
)


@dataclass
class _RoomCalendar:
    """A room's opening hours and the closures that concern it, loaded once."""

    room: Room
    weekly: dict[int, list[tuple[datetime.time, datetime.time]]]
    closures: list[Closure] = field(default_factory=list)

    @classmethod
    def load(cls, room: Room, first: datetime.date, last: datetime.date) -> _RoomCalendar:
        weekly: dict[int, list] = {}
        for opens in OpeningHours.objects.filter(center_id=room.center_id):
            weekly.setdefault(opens.weekday, []).append((opens.opens, opens.closes))
        closures = list(
            Closure.objects.filter(
                center_id=room.center_id, starts_on__lte=last, ends_on__gte=first
            )
            .filter(Q(room__isnull=True) | Q(room=room))
            .order_by("kind", "starts_on")
        )
        return cls(room=room, weekly=weekly, closures=closures)

    def hours_on(self, day: datetime.date) -> rules.DayHours:
        return rules.day_hours(day, self.weekly, self.closures)


def _slot_message(booking: Booking) -> ValidationError:
    start, end = rules.to_local(booking.start), rules.to_local(booking.end)
    return ValidationError(
        SLOT_TAKEN,
        code="conflict",
        params={
            "room": str(booking.room),
            "date": f"{start:%Y-%m-%d}",
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
            "organization": booking.organization.name,
        },
    )


def _conflict_dict(day, start, end, message, other: Booking | None = None) -> dict:
    entry = {
        "date": day.isoformat(),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "reason": str(message),
        "booking": None,
        "organization": None,
        "status": None,
    }
    if other is not None:
        entry.update(booking=other.pk, organization=other.organization.name, status=other.status)
    return entry


def _lock_room(room_pk: int) -> None:
    """Queue behind any other booking write for this room until our transaction ends.

    FOR NO KEY UPDATE: it does not block inserts that merely reference the room (they take
    FOR KEY SHARE), only other writers taking this same lock. A no-op on SQLite, whose
    IMMEDIATE transactions already queue writers.
    """
    list(Room.objects.select_for_update(no_key=True).filter(pk=room_pk).values_list("pk"))


def _first_overlap(room: Room, start, end, exclude_pk=None) -> Booking | None:
    overlapping = Booking.objects.overlapping(room, start, end).select_related(
        "organization", "room__center"
    )
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    return overlapping.order_by("start").first()


def _check_shape(*, room: Room, start, end, expected_attendance: int, purpose: str) -> None:
    """Check what does not depend on the date's calendar: times, capacity, purpose."""
    errors: dict[str, list] = {}
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError({"start": [ValidationError(TIME_NOT_AWARE, code="naive")]})
    if not purpose:
        errors.setdefault("purpose", []).append(ValidationError(PURPOSE_REQUIRED, code="required"))
    if expected_attendance is None or expected_attendance < 1:
        errors.setdefault("expected_attendance", []).append(
            ValidationError(ATTENDANCE_TOO_LOW, code="min")
        )
    elif expected_attendance > room.capacity:
        errors.setdefault("expected_attendance", []).append(
            ValidationError(
                OVER_CAPACITY,
                code="capacity",
                params={"room": str(room), "capacity": room.capacity},
            )
        )
    if start >= end:
        errors.setdefault("end", []).append(ValidationError(END_BEFORE_START, code="order"))
    elif rules.to_local(start).date() != rules.to_local(end).date():
        errors.setdefault("end", []).append(ValidationError(NOT_SAME_DAY, code="same_day"))
    if errors:
        raise ValidationError(errors)


def _date_problem(
    calendar: _RoomCalendar, start, end, *, now
) -> tuple[str, ValidationError] | None:
    """Why the slot's date or hours refuse it (past, too far, closed, outside hours), or None."""
    local_start, local_end = rules.to_local(start), rules.to_local(end)
    day = local_start.date()
    if start < now:
        return "past", ValidationError(IN_THE_PAST, code="past")
    if day > rules.last_bookable_day(now):
        return "ahead", ValidationError(
            TOO_FAR_AHEAD, code="ahead", params={"days": rules.max_days_ahead()}
        )
    hours = calendar.hours_on(day)
    center = calendar.room.center
    if hours.closed_reason:
        return "closed", ValidationError(
            CENTER_CLOSED,
            code="closed",
            params={"center": str(center), "date": day.isoformat(), "reason": hours.closed_reason},
        )
    if not hours.is_open:
        return "closed", ValidationError(
            CENTER_NOT_OPEN, code="closed", params={"center": str(center), "date": day.isoformat()}
        )
    if not rules.fits_within(local_start.time(), local_end.time(), hours.ranges):
        return "hours", ValidationError(
            OUTSIDE_OPENING_HOURS,
            code="hours",
            params={
                "center": str(center),
                "date": day.isoformat(),
                "hours": rules.format_ranges(hours.ranges),
            },
        )
    return None


def _booked_minutes_in_week(room: Room, organization: Organization, start, exclude_pk=None) -> int:
    week_start, week_end = rules.iso_week_bounds(rules.to_local(start).date())
    bookings = Booking.objects.blocking().filter(
        room=room, organization=organization, start__gte=week_start, start__lt=week_end
    )
    if exclude_pk is not None:
        bookings = bookings.exclude(pk=exclude_pk)
    total = bookings.aggregate(
        total=Sum(ExpressionWrapper(F("end") - F("start"), output_field=DurationField()))
    )["total"]
    return int(total.total_seconds() // 60) if total else 0


def _quota_problem(
    room: Room, organization: Organization, start, end, *, extra_minutes=0, exclude_pk=None
) -> ValidationError | None:
    """Whether the booking would take the organisation over the room's weekly quota."""
    if not room.weekly_quota_hours:
        return None
    minutes = (
        _booked_minutes_in_week(room, organization, start, exclude_pk)
        + extra_minutes
        + int((end - start).total_seconds() // 60)
    )
    if minutes <= room.weekly_quota_hours * 60:
        return None
    return ValidationError(
        QUOTA_EXCEEDED,
        code="quota",
        params={
            "organization": organization.name,
            "room": str(room),
            "quota": room.weekly_quota_hours,
            "week": rules.week_start_of(rules.to_local(start).date()).isoformat(),
            "hours": f"{rules.hours(minutes):f}".removesuffix(".0"),
        },
    )


def _check_actor(*, actor, room: Room, organization: Organization) -> None:
    """Refuse a room the actor cannot see, an organisation they cannot book for (403), and
    a room or organisation no longer active (400), in that order.

    The four answers are read in one query (four EXISTS subqueries), not four round trips.
    """
    flags = (
        Room.objects.filter(pk=room.pk)
        .annotate(
            visible=Exists(Room.objects.visible_to(actor).filter(pk=OuterRef("pk"))),
            bookable=Exists(organizations_bookable_by(actor).filter(pk=organization.pk).order_by()),
            room_active=Exists(Room.objects.active().filter(pk=OuterRef("pk"))),
            organization_active=Exists(
                Organization.objects.active().filter(pk=organization.pk).order_by()
            ),
        )
        .values_list("visible", "bookable", "room_active", "organization_active")
        .first()
    )
    visible, bookable, room_active, organization_active = flags or (False,) * 4
    if not visible or not bookable:
        raise PermissionDenied
    if not room_active:
        raise ValidationError({"room": [ValidationError(ROOM_INACTIVE, code="inactive")]})
    if not organization_active:
        raise ValidationError(
            {
                "organization": [
                    ValidationError(
                        ORGANIZATION_INACTIVE,
                        code="inactive",
                        params={"organization": organization.name},
                    )
                ]
            }
        )


def _insert(booking: Booking, *, shape_checked: bool = False) -> None:
    """Save a new booking; the database's refusal of an overlap becomes a BookingConflict.

    shape_checked: the caller ran _check_shape on this booking, which covers the model's
    check constraints (start before end, attendance at least one), so full_clean does not
    ask the database to evaluate them again (two queries, each in a savepoint); the
    constraints still hold in the database on the insert.
    """
    booking.full_clean(
        exclude=["room", "organization", "booked_by", "series"],
        validate_constraints=not shape_checked,
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if getattr(error.__cause__, "sqlstate", None) != EXCLUSION_VIOLATION:
            raise
        raise _conflict_for(booking) from error
    apply_shares(after=booking_shares(booking))


def _conflict_for(booking: Booking, exclude_pk=None) -> BookingConflict:
    """The conflict error naming whichever booking holds the slot now."""
    local_start = rules.to_local(booking.start)
    other = _first_overlap(booking.room, booking.start, booking.end, exclude_pk=exclude_pk)
    if other is None:
        error = ValidationError(
            SLOT_TAKEN_UNKNOWN, code="conflict", params={"room": str(booking.room)}
        )
    else:
        error = _slot_message(other)
    message = error.messages[0]
    return BookingConflict(
        message,
        conflicts=[_conflict_dict(local_start.date(), booking.start, booking.end, message, other)],
    )


def _initial_status(room: Room, actor=None) -> str:
    """Pending when the room needs approval, unless the booker is one who would approve it.

    A secretary (or a named approver) booking a room she decides on is not asked to approve
    her own booking: it is confirmed at once.
    """
    if not room.needs_approval:
        return Booking.Status.CONFIRMED
    if actor is not None and can_approve(actor, Booking(room=room)):
        return Booking.Status.CONFIRMED
    return Booking.Status.PENDING


# --- Steps of a change to an existing booking ---


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _lock(booking: Booking) -> Booking:
    """Re-read the booking under a row lock, so two decisions cannot cross."""
    return (
        Booking.objects.select_for_update()
        .select_related("room__center", "organization")
        .get(pk=booking.pk)
    )


def _sync(target: Booking, source: Booking, fields: list[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))
