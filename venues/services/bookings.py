"""Single bookings: book a room, cancel a booking, move one occurrence of a weekly series.

How no two blocking bookings of a room overlap: see the package's docstring (venues.services).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.services import audit_record
from core.text import clean_text
from orgs.models import Organization
from rollups.services import apply_shares
from venues import rules
from venues.models import Booking, Room
from venues.permissions import can_cancel, can_move
from venues.rollups import booking_shares
from venues.services import checks
from venues.services.checks import (
    _check_actor,
    _check_shape,
    _conflict_for,
    _date_problem,
    _initial_status,
    _insert,
    _lock,
    _lock_room,
    _quota_problem,
    _require,
    _RoomCalendar,
    _sync,
)
from venues.services.errors import (
    ALREADY_STARTED,
    EXCLUSION_VIOLATION,
    MOVE_ONLY_SERIES,
    NOT_CANCELLABLE,
    NOT_MOVABLE,
    REASON_REQUIRED,
)


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
    if connection.vendor != "postgresql" and checks._first_overlap(room, start, end) is not None:
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
    if checks._first_overlap(room, start, end, exclude_pk=current.pk) is not None:
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
