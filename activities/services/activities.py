"""Recording activities: create (also from a used booking), change, add photos."""

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from activities.models import Activity, ActivityPhoto, VerificationStatus
from activities.photos import (
    MAX_PHOTOS_PER_ACTIVITY,
    PHOTO_LIMIT_REACHED,
    check_photo,
    reencode_without_metadata,
)
from activities.rollups import activity_shares
from activities.services.checks import (
    _clean_prose,
    _require_co_organizers_in_area,
    _require_community_in_area,
    _require_recorder,
)
from activities.services.messages import (
    ACTIVITY_END_BEFORE_START,
    ACTIVITY_PLACE_REQUIRED,
    ACTIVITY_VERIFIED_LOCKED,
    BOOKING_ALREADY_RECORDED,
    BOOKING_NOT_USED,
)
from core.services import audit_record, field_changes
from core.text import clean_text
from rollups.services import apply_shares
from venues.models import Booking

ACTIVITY_FIELDS = (
    "lead_organization",
    "kind",
    "title",
    "start",
    "end",
    "place",
    "community_served",
    "participants",
    "beneficiaries",
    "volunteer_hours",
    "help_cases",
    "description",
)


def _check_times(start, end) -> None:
    if start and end and end <= start:
        raise ValidationError({"end": ACTIVITY_END_BEFORE_START})


@transaction.atomic
def activity_create(
    *,
    actor,
    lead_organization,
    kind: str,
    title: str,
    start: datetime.datetime,
    end: datetime.datetime,
    place: str = "",
    community_served=None,
    co_organizers=(),
    participants: int = 0,
    beneficiaries: int = 0,
    volunteer_hours: Decimal = Decimal(0),
    help_cases: int = 0,
    description: str = "",
    booking: Booking | None = None,
) -> Activity:
    """Record an activity; it waits for the served community's secretary to verify it."""
    _require_recorder(actor, lead_organization)
    if booking is None:
        # A booked room's community is the booking's (approved there), not a choice.
        _require_community_in_area(actor, community_served, field="community_served")
    _require_co_organizers_in_area(actor, co_organizers)
    activity = Activity(
        lead_organization=lead_organization,
        kind=kind,
        title=clean_text(title),
        start=start,
        end=end,
        place=clean_text(place),
        booking=booking,
        community_served=community_served or lead_organization.community,
        participants=participants or 0,
        beneficiaries=beneficiaries or 0,
        volunteer_hours=volunteer_hours or Decimal(0),
        help_cases=help_cases or 0,
        description=clean_text(description),
        status=VerificationStatus.SUBMITTED,
        created_by=actor,
    )
    _check_times(start, end)
    if not activity.place and booking is None:
        raise ValidationError({"place": ACTIVITY_PLACE_REQUIRED})
    activity.feedback_closes_on = activity.default_feedback_closes_on()
    activity.full_clean()
    activity.save()
    activity.co_organizers.set([org for org in co_organizers if org.pk != lead_organization.pk])
    apply_shares(after=activity_shares(activity))
    audit_record(actor=actor, action="activity.create", obj=activity, summary=activity.title)
    return activity


@transaction.atomic
def activity_from_booking(*, actor, booking: Booking) -> Activity:
    """Turn a used booking into an activity in one step (organisation, times, room, community)."""
    booking = Booking.objects.select_related("room__center", "organization").get(pk=booking.pk)
    _require_recorder(actor, booking.organization)
    if booking.status != Booking.Status.USED:
        raise ValidationError(BOOKING_NOT_USED)
    if Activity.objects.filter(booking=booking).exists():
        raise ValidationError(BOOKING_ALREADY_RECORDED)
    center = booking.room.center
    return activity_create(
        actor=actor,
        lead_organization=booking.organization,
        kind=Activity.Kind.CULTURE_SPORTS,
        title=booking.purpose,
        start=booking.start,
        end=booking.end,
        place=f"{center.name} {booking.room.name}",
        community_served=center.community or booking.organization.community,
        participants=booking.expected_attendance,
        booking=booking,
    )


@transaction.atomic
def activity_update(*, actor, activity: Activity, co_organizers=None, **data) -> Activity:
    """Change a record; a returned record goes back to the verification queue."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_recorder(actor, activity.lead_organization)
    if activity.status == VerificationStatus.VERIFIED:
        raise ValidationError(ACTIVITY_VERIFIED_LOCKED)
    data = {key: value for key, value in data.items() if key in ACTIVITY_FIELDS}
    _clean_prose(data, "title", "place", "description")
    if "lead_organization" in data:
        _require_recorder(actor, data["lead_organization"])
    _require_community_in_area(
        actor,
        data.get("community_served"),
        field="community_served",
        current_id=activity.community_served_id,
    )
    if co_organizers is not None:
        _require_co_organizers_in_area(
            actor,
            co_organizers,
            current_ids=activity.co_organizers.values_list("pk", flat=True),
        )
    changes = field_changes(activity, data)
    before = activity_shares(activity)
    for field, value in data.items():
        setattr(activity, field, value)
    _check_times(activity.start, activity.end)
    if not activity.place and activity.booking_id is None:
        raise ValidationError({"place": ACTIVITY_PLACE_REQUIRED})
    if activity.status == VerificationStatus.RETURNED:
        changes["status"] = [activity.status, VerificationStatus.SUBMITTED]
        activity.status = VerificationStatus.SUBMITTED
        activity.return_reason = ""
        activity.submitted_at = timezone.now()
    if "end" in changes:
        activity.feedback_closes_on = activity.default_feedback_closes_on()
    activity.full_clean()
    if changes:
        activity.save(
            update_fields=[*changes, "return_reason", "submitted_at", "feedback_closes_on"]
        )
        apply_shares(before=before, after=activity_shares(activity))
    if co_organizers is not None:
        activity.co_organizers.set(
            [org for org in co_organizers if org.pk != activity.lead_organization_id]
        )
    if changes or co_organizers is not None:
        audit_record(
            actor=actor,
            action="activity.update",
            obj=activity,
            summary=activity.title,
            changes=changes,
        )
    return activity


@transaction.atomic
def activity_photo_add(*, actor, activity: Activity, upload, caption: str = "") -> ActivityPhoto:
    """Attach a checked JPEG or PNG photo to an activity that is not yet verified."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_recorder(actor, activity.lead_organization)
    if activity.status == VerificationStatus.VERIFIED:
        raise ValidationError(ACTIVITY_VERIFIED_LOCKED)
    if activity.photos.count() >= MAX_PHOTOS_PER_ACTIVITY:
        raise ValidationError({"image": PHOTO_LIMIT_REACHED})
    extension = check_photo(upload)
    clean = reencode_without_metadata(upload, extension)
    # The stored name is ours: the uploaded name never reaches the disk.
    clean.name = f"{activity.pk}-{secrets.token_hex(8)}.{extension}"
    photo = ActivityPhoto(
        activity=activity,
        image=clean,
        caption=clean_text(caption)[:100],
        uploaded_by=actor,
    )
    photo.full_clean()
    photo.save()
    audit_record(actor=actor, action="activity.photo_add", obj=activity, summary=clean.name)
    return photo
