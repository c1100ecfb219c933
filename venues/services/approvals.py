"""The approver's side: approve or reject a pending booking, mark a confirmed one used or
no-show once it has ended, and reject pending bookings whose start passed undecided."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.services import audit_record
from core.text import clean_text
from rollups.services import apply_shares
from venues.models import Booking
from venues.permissions import can_approve
from venues.rollups import booking_shares
from venues.services.checks import _lock, _require, _sync
from venues.services.errors import (
    EXPIRED_REASON,
    NOT_CONFIRMED,
    NOT_ENDED_YET,
    NOT_PENDING,
    REASON_REQUIRED,
)


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
