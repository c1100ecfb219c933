"""Every change to a booking: checked against the rules, saved and audited in one transaction.

No two blocking (pending or confirmed) bookings of a room overlap, under any concurrency. The
overlap check below runs first and names the conflicting slot (a single booking on PostgreSQL
skips it: the constraint's refusal is named the same way); it is not the guarantee:
- PostgreSQL: the exclusion constraint "booking_no_overlap" (migration 0002) refuses the second
  of two concurrent inserts with SQLSTATE 23P01, which we turn into the same BookingConflict.
- SQLite: every transaction is IMMEDIATE (settings), so writers queue for the write lock and
  the check and the insert of one booking run with no other writer in between.
Every write that puts a booking on a room's calendar first takes the room's row lock
(`_lock_room`): writers for one room queue, so the check and the weekly quota see what the
previous writer committed, and concurrent inserts never wait on each other's uncommitted rows
inside the exclusion constraint's check (two such waits can cross, and PostgreSQL then aborts
one with "deadlock detected" instead of a clean conflict).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.services import audit_record
from core.text import clean_text
from orgs.models import Organization
from rollups.services import apply_shares
from venues import rules
from venues.models import Booking, BookingSeries, Closure, OpeningHours, Room
from venues.permissions import (
    can_approve,
    can_cancel,
    can_move,
    organizations_bookable_by,
)
from venues.rollups import booking_shares

EXCLUSION_VIOLATION = "23P01"
CONSTRAINT_NAME = "booking_no_overlap"

# --- Messages (English msgids; Chinese in the catalogue) ---
ROOM_INACTIVE = _("This room is not in use.")
ORGANIZATION_INACTIVE = _("%(organization)s is no longer active and cannot book rooms.")
TIME_NOT_AWARE = _("Give the time with its time zone.")
END_BEFORE_START = _("The end must be after the start.")
NOT_SAME_DAY = _("A booking must start and end on the same day.")
IN_THE_PAST = _("This time has already passed.")
TOO_FAR_AHEAD = _("Rooms can be booked at most %(days)d days ahead.")
CENTER_CLOSED = _("%(center)s is closed on %(date)s (%(reason)s).")
CENTER_NOT_OPEN = _("%(center)s is not open on %(date)s.")
OUTSIDE_OPENING_HOURS = _("Outside the opening hours of %(center)s on %(date)s: %(hours)s.")
OVER_CAPACITY = _("%(room)s holds at most %(capacity)d people.")
ATTENDANCE_TOO_LOW = _("Expect at least one person.")
PURPOSE_REQUIRED = _("Say what the room is booked for.")
QUOTA_EXCEEDED = _(
    "%(organization)s may book %(room)s for at most %(quota)d hours a week; "
    "the week of %(week)s would reach %(hours)s hours."
)
SLOT_TAKEN = _(
    "This slot is already taken: %(room)s %(date)s %(start)s–%(end)s (%(organization)s)."
)
SLOT_TAKEN_UNKNOWN = _("This slot was just taken by another booking of %(room)s.")
SERIES_NO_DATES = _("No %(weekday)s falls between the first and the last date.")
SERIES_CONFLICTS = _("%(count)d of the dates cannot be booked: %(dates)s.")
SERIES_DATE_ORDER = _("The last date must not be before the first date.")
NOT_PENDING = _("Only a pending booking can be approved or rejected.")
NOT_CANCELLABLE = _("Only a pending or confirmed booking can be cancelled.")
NOT_MOVABLE = _("Only a pending or confirmed booking can be moved.")
ALREADY_STARTED = _("The booking has already started.")
REASON_REQUIRED = _("Give a reason.")
NOT_CONFIRMED = _("Only a confirmed booking can be marked used or no-show.")
NOT_ENDED_YET = _("A booking can be marked used or no-show only after it has ended.")
MOVE_ONLY_SERIES = _("Only one occurrence of a weekly series can be moved.")
EXPIRED_REASON = _("Not approved before the booking started.")


class BookingConflict(ValidationError):
    """The slot (or some dates of a series) is held by another pending or confirmed booking.

    `conflicts` lists plain dicts: date, start, end, reason and, when another booking holds
    the slot, its id, organisation name and status. Views and the API answer 409.
    """

    def __init__(self, message, *, conflicts: list[dict], field_name: str = "start"):
        super().__init__({field_name: [message]})
        self.conflicts = conflicts
        self.detail = str(message)


# --- Checks shared by single bookings, series and moves ---


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


# --- Single bookings ---


@transaction.atomic
def booking_create(
    *,
    actor,
    room: Room,
    organization: Organization,
    start: datetime.datetime,
    end: datetime.datetime,
    purpose: str,
    expected_attendance: int,
) -> Booking:
    """Book a room for an organisation: pending if the room needs approval, else confirmed."""
    _check_actor(actor=actor, room=room, organization=organization)
    _lock_room(room.pk)
    purpose = clean_text(purpose)
    _check_shape(
        room=room, start=start, end=end, expected_attendance=expected_attendance, purpose=purpose
    )
    day = rules.to_local(start).date()
    calendar = _RoomCalendar.load(room, day, day)
    problem = _date_problem(calendar, start, end, now=timezone.now())
    if problem is not None:
        raise ValidationError({"start": [problem[1]]})
    quota = _quota_problem(room, organization, start, end)
    if quota is not None:
        raise ValidationError({"start": [quota]})
    booking = Booking(
        room=room,
        organization=organization,
        booked_by=actor,
        purpose=purpose,
        start=start,
        end=end,
        expected_attendance=expected_attendance,
        status=_initial_status(room, actor),
    )
    if connection.vendor != "postgresql" and _first_overlap(room, start, end) is not None:
        # On PostgreSQL the exclusion constraint refuses the overlap on the insert (the room's
        # lock is held, so the holder is committed) and _insert names it as this would: one
        # query less on every booking that does not conflict.
        raise _conflict_for(booking)
    _insert(booking, shape_checked=True)
    audit_record(
        actor=actor,
        action="booking.create",
        obj=booking,
        summary=f"{booking} {organization.name} {booking.get_status_display()}",
    )
    return booking


# --- Weekly series ---


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
        problem = _date_problem(calendar, start, end, now=now)
        if problem is not None:
            conflicts.append(_conflict_dict(day, start, end, problem[1].messages[0]))
            continue
        other = next((b for b in taken if b.start < end and b.end > start), None)
        if other is not None:
            message = _slot_message(other).messages[0]
            conflicts.append(_conflict_dict(day, start, end, message, other))
            continue
        # Each occurrence falls in its own ISO week, so only the existing bookings count.
        quota = _quota_problem(room, organization, start, end)
        if quota is not None:
            conflicts.append(_conflict_dict(day, start, end, quota.messages[0]))
            continue
        free.append((start, end))
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


# --- Decisions and changes ---


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


def _decide(*, actor, booking: Booking, status: str, reason: str, action: str) -> Booking:
    _require(can_approve(actor, booking))
    current = _lock(booking)
    if current.status != Booking.Status.PENDING:
        raise ValidationError({"status": [ValidationError(NOT_PENDING, code="not_pending")]})
    before = booking_shares(current)
    current.status = status
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.decision_reason = reason
    fields = ["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
    current.full_clean(exclude=["room", "organization", "booked_by", "series", "decided_by"])
    current.save(update_fields=fields)
    apply_shares(before=before, after=booking_shares(current))
    audit_record(
        actor=actor,
        action=action,
        obj=current,
        summary=f"{current} {current.organization.name} {reason}".strip(),
        changes={"status": [Booking.Status.PENDING, status]},
    )
    _sync(booking, current, fields)
    return booking


@transaction.atomic
def booking_approve(*, actor, booking: Booking) -> Booking:
    """Confirm a pending booking (its slot stays held)."""
    return _decide(
        actor=actor,
        booking=booking,
        status=Booking.Status.CONFIRMED,
        reason="",
        action="booking.approve",
    )


@transaction.atomic
def booking_reject(*, actor, booking: Booking, reason: str) -> Booking:
    """Refuse a pending booking with a reason; its slot becomes free."""
    _require(can_approve(actor, booking))
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": [ValidationError(REASON_REQUIRED, code="required")]})
    return _decide(
        actor=actor,
        booking=booking,
        status=Booking.Status.REJECTED,
        reason=reason,
        action="booking.reject",
    )


@transaction.atomic
def booking_cancel(*, actor, booking: Booking, reason: str) -> Booking:
    """Cancel a pending or confirmed booking before it starts; its slot becomes free."""
    _require(can_cancel(actor, booking))
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": [ValidationError(REASON_REQUIRED, code="required")]})
    current = _lock(booking)
    if current.status not in Booking.BLOCKING_STATUSES:
        raise ValidationError(
            {"status": [ValidationError(NOT_CANCELLABLE, code="not_cancellable")]}
        )
    if current.start <= timezone.now():
        raise ValidationError({"start": [ValidationError(ALREADY_STARTED, code="started")]})
    previous = current.status
    before = booking_shares(current)
    current.status = Booking.Status.CANCELLED
    current.cancelled_by = actor
    current.cancel_reason = reason
    fields = ["status", "cancelled_by", "cancel_reason", "updated_at"]
    current.save(update_fields=fields)
    apply_shares(before=before, after=booking_shares(current))
    audit_record(
        actor=actor,
        action="booking.cancel",
        obj=current,
        summary=f"{current} {current.organization.name} {reason}",
        changes={"status": [previous, Booking.Status.CANCELLED]},
    )
    _sync(booking, current, fields)
    return booking


@transaction.atomic
def booking_move(
    *, actor, booking: Booking, start: datetime.datetime, end: datetime.datetime
) -> Booking:
    """Move one occurrence of a weekly series to another slot; the rest stay as they are."""
    _require(can_move(actor, booking))
    _lock_room(booking.room_id)
    current = _lock(booking)
    if current.series_id is None:
        raise ValidationError({"start": [ValidationError(MOVE_ONLY_SERIES, code="not_series")]})
    if current.status not in Booking.BLOCKING_STATUSES:
        raise ValidationError({"status": [ValidationError(NOT_MOVABLE, code="not_movable")]})
    if current.start <= timezone.now():
        raise ValidationError({"start": [ValidationError(ALREADY_STARTED, code="started")]})
    room = current.room
    _check_shape(
        room=room,
        start=start,
        end=end,
        expected_attendance=current.expected_attendance,
        purpose=current.purpose,
    )
    day = rules.to_local(start).date()
    problem = _date_problem(_RoomCalendar.load(room, day, day), start, end, now=timezone.now())
    if problem is not None:
        raise ValidationError({"start": [problem[1]]})
    quota = _quota_problem(room, current.organization, start, end, exclude_pk=current.pk)
    if quota is not None:
        raise ValidationError({"start": [quota]})
    old = (current.start.isoformat(), current.end.isoformat())
    before = booking_shares(current)
    current.start, current.end = start, end
    if _first_overlap(room, start, end, exclude_pk=current.pk) is not None:
        raise _conflict_for(current, exclude_pk=current.pk)
    fields = ["start", "end", "updated_at"]
    try:
        with transaction.atomic():
            current.save(update_fields=fields)
    except IntegrityError as error:
        if getattr(error.__cause__, "sqlstate", None) != EXCLUSION_VIOLATION:
            raise
        raise _conflict_for(current, exclude_pk=current.pk) from error
    apply_shares(before=before, after=booking_shares(current))
    audit_record(
        actor=actor,
        action="booking.move",
        obj=current,
        summary=f"{current} {current.organization.name}",
        changes={"start": [old[0], start.isoformat()], "end": [old[1], end.isoformat()]},
    )
    _sync(booking, current, fields)
    return booking


def _mark(*, actor, booking: Booking, status: str, action: str) -> Booking:
    _require(can_approve(actor, booking))
    current = _lock(booking)
    if current.status != Booking.Status.CONFIRMED:
        raise ValidationError({"status": [ValidationError(NOT_CONFIRMED, code="not_confirmed")]})
    if current.end > timezone.now():
        raise ValidationError({"end": [ValidationError(NOT_ENDED_YET, code="not_ended")]})
    before = booking_shares(current)
    current.status = status
    current.decided_by = actor
    current.decided_at = timezone.now()
    fields = ["status", "decided_by", "decided_at", "updated_at"]
    current.save(update_fields=fields)
    apply_shares(before=before, after=booking_shares(current))
    audit_record(
        actor=actor,
        action=action,
        obj=current,
        summary=f"{current} {current.organization.name}",
        changes={"status": [Booking.Status.CONFIRMED, status]},
    )
    _sync(booking, current, fields)
    return booking


@transaction.atomic
def booking_mark_used(*, actor, booking: Booking) -> Booking:
    """Record that a confirmed booking was used, once it has ended."""
    return _mark(actor=actor, booking=booking, status=Booking.Status.USED, action="booking.used")


@transaction.atomic
def booking_mark_no_show(*, actor, booking: Booking) -> Booking:
    """Record that nobody came to a confirmed booking, once it has ended."""
    return _mark(
        actor=actor, booking=booking, status=Booking.Status.NO_SHOW, action="booking.no_show"
    )


@transaction.atomic
def bookings_expire_pending(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Reject pending bookings whose start has passed without a decision; return how many."""
    now = now or timezone.now()
    stale = list(
        Booking.objects.select_for_update()
        .filter(status=Booking.Status.PENDING, start__lte=now)
        .order_by("start")[:limit]
    )
    reason = str(EXPIRED_REASON)
    for booking in stale:
        booking.status = Booking.Status.REJECTED
        booking.decided_at = now
        booking.decision_reason = reason
        booking.save(update_fields=["status", "decided_at", "decision_reason", "updated_at"])
        audit_record(
            actor=None,
            action="booking.expire",
            obj=booking,
            summary=f"{booking} {reason}",
            changes={"status": [Booking.Status.PENDING, Booking.Status.REJECTED]},
        )
    return len(stale)
