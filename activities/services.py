"""Recording, verifying and rating what organisations do: checked, saved and audited."""

import datetime
import hashlib
import re
import secrets
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Activity,
    ActivityPhoto,
    Feedback,
    MediationCase,
    VerificationStatus,
)
from activities.permissions import (
    can_record_for,
    can_record_phone_survey,
    can_verify,
    co_organizer_choices,
    recordable_communities,
)
from activities.photos import (
    MAX_PHOTOS_PER_ACTIVITY,
    PHOTO_LIMIT_REACHED,
    check_photo,
    reencode_without_metadata,
)
from activities.rollups import activity_shares, mediation_shares
from core.services import audit_record, field_changes
from core.text import clean_text
from rollups.services import apply_shares
from venues.models import Booking

ACTIVITY_PLACE_REQUIRED = _("Give the place, or record the activity from its booking.")
ACTIVITY_END_BEFORE_START = _("The end must be after the start.")
ACTIVITY_VERIFIED_LOCKED = _("A verified record can no longer be changed.")
VERIFY_EMPTY_UNCONFIRMED = _(
    "This record has no description and no photo. Confirm that you verify it as it is."
)
NOT_SUBMITTED = _("Only records awaiting verification can be verified or returned.")
RETURN_REASON_REQUIRED = _("Give the reason for returning the record.")
BOOKING_NOT_USED = _("Only a booking marked as used can be recorded as an activity.")
BOOKING_ALREADY_RECORDED = _("This booking has already been recorded as an activity.")
CO_ORGANIZER_OUT_OF_AREA = _("Co-organisers must be organisations of your own area.")
COMMUNITY_OUT_OF_AREA = _(
    "Choose a community of your own area: records can only be made for the area you serve."
)
MEDIATION_NO_ID_NUMBERS = _("Do not enter ID numbers or phone numbers in the summary.")
FEEDBACK_SCORE_RANGE = _("Choose a score from 1 to 5.")
FEEDBACK_CLOSED = _("Rating has closed: this activity could be rated until %(date)s.")
FEEDBACK_RATE_LIMITED = _(
    "Too many ratings from this network in the last minute. Please wait a minute and try again."
)
FEEDBACK_ALREADY_RATED = _("Thank you, this device has already rated this activity.")
FEEDBACK_COMMENT_LINK = _("Links are not accepted in comments.")
FEEDBACK_COMMENT_TOO_LONG = _("Please keep the comment under 500 characters.")
FEEDBACK_COMMENT_REPEATED = _("The comment repeats one character too many times.")

COMMENT_MAX_LENGTH = 500
RATE_LIMIT_PER_MINUTE = 10
RATE_LIMIT_WINDOW = datetime.timedelta(seconds=60)
_LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|cn|net|org|top|xyz|cc)\b)", re.IGNORECASE)
_REPEATED = re.compile(r"(.)\1{7,}")
# 15/18-digit ID numbers and 11-digit mobiles.
_PERSONAL_NUMBER = re.compile(r"\d{15}|\d{17}[\dXx]|1\d{10}")

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
MEDIATION_FIELDS = (
    "organization",
    "occurred_on",
    "kind",
    "parties_summary",
    "outcome",
    "community",
)


def device_fingerprint(*, ip: str, user_agent: str) -> str:
    """A one-way hash of the address and browser: the raw IP is never stored."""
    return hashlib.sha256(f"{ip}|{user_agent}".encode()).hexdigest()


def address_hash(*, ip: str) -> str:
    return hashlib.sha256(f"address|{ip}".encode()).hexdigest()


def _clean_prose(data: dict, *fields: str) -> None:
    """Trim the prose fields in place; their punctuation stays as typed."""
    for field in fields:
        if isinstance(data.get(field), str):
            data[field] = clean_text(data[field])


def _require_recorder(actor, organization) -> None:
    if not can_record_for(actor, organization):
        raise PermissionDenied


def _require_community_in_area(actor, community, *, field: str, current_id=None) -> None:
    """Refuse a community outside the actor's area (one already on the record may stay)."""
    if community is None or community.pk == current_id:
        return
    if not recordable_communities(actor).filter(pk=community.pk).exists():
        raise ValidationError({field: COMMUNITY_OUT_OF_AREA})


def _require_co_organizers_in_area(actor, co_organizers, *, current_ids=()) -> None:
    """Refuse co-organisers outside the actor's area (those already on the record may stay)."""
    wanted = {org.pk for org in co_organizers} - set(current_ids)
    if wanted and co_organizer_choices(actor).filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError({"co_organizers": CO_ORGANIZER_OUT_OF_AREA})


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


def is_empty_record(activity: Activity) -> bool:
    """Whether the activity has neither a description nor a photo."""
    return not activity.description.strip() and not activity.photos.exists()


def _require_verifier(actor, community) -> None:
    if not can_verify(actor, community):
        raise PermissionDenied


def _decide(*, actor, record, community, verify: bool, reason: str, label: str):
    if not can_verify(actor, community):
        raise PermissionDenied
    if record.status != VerificationStatus.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED)
    if verify:
        record.status = VerificationStatus.VERIFIED
        record.verified_by = actor
        record.verified_at = timezone.now()
        record.return_reason = ""
        action = f"{label}.verify"
    else:
        reason = clean_text(reason)
        if not reason:
            raise ValidationError({"return_reason": RETURN_REASON_REQUIRED})
        record.status = VerificationStatus.RETURNED
        record.return_reason = reason[:200]
        action = f"{label}.return"
    record.save(update_fields=["status", "verified_by", "verified_at", "return_reason"])
    audit_record(actor=actor, action=action, obj=record, summary=reason or str(record))
    return record


@transaction.atomic
def activity_verify(*, actor, activity: Activity, confirm_empty: bool = False) -> Activity:
    """The served community's secretary confirms the activity took place as recorded.

    A record with no description and no photo shows nothing to verify: it is verified only
    when the secretary confirms it as it is (`confirm_empty`).
    """
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not confirm_empty and is_empty_record(activity):
        _require_verifier(actor, activity.community_served)
        raise ValidationError(VERIFY_EMPTY_UNCONFIRMED, code="empty")
    before = activity_shares(activity)
    activity = _decide(
        actor=actor,
        record=activity,
        community=activity.community_served,
        verify=True,
        reason="",
        label="activity",
    )
    apply_shares(before=before, after=activity_shares(activity))
    return activity


@transaction.atomic
def activity_return(*, actor, activity: Activity, reason: str) -> Activity:
    """Send the record back to the organisation with the reason; editing it resubmits it."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    before = activity_shares(activity)
    activity = _decide(
        actor=actor,
        record=activity,
        community=activity.community_served,
        verify=False,
        reason=reason,
        label="activity",
    )
    apply_shares(before=before, after=activity_shares(activity))
    return activity


def _check_summary(summary: str) -> None:
    if _PERSONAL_NUMBER.search(summary.replace(" ", "")):
        raise ValidationError({"parties_summary": MEDIATION_NO_ID_NUMBERS})


@transaction.atomic
def mediation_create(
    *,
    actor,
    organization,
    occurred_on: datetime.date,
    kind: str,
    parties_summary: str,
    outcome: str,
    community=None,
) -> MediationCase:
    """Record a mediated dispute; it waits for the community's secretary to verify it."""
    _require_recorder(actor, organization)
    _require_community_in_area(actor, community, field="community")
    case = MediationCase(
        organization=organization,
        occurred_on=occurred_on,
        kind=kind,
        parties_summary=clean_text(parties_summary),
        outcome=outcome,
        community=community or organization.community,
        status=VerificationStatus.SUBMITTED,
        created_by=actor,
    )
    _check_summary(case.parties_summary)
    case.full_clean()
    case.save()
    apply_shares(after=mediation_shares(case))
    audit_record(actor=actor, action="mediation.create", obj=case, summary=str(case))
    return case


@transaction.atomic
def mediation_update(*, actor, case: MediationCase, **data) -> MediationCase:
    """Change a mediation case; a returned case goes back to the verification queue."""
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    _require_recorder(actor, case.organization)
    if case.status == VerificationStatus.VERIFIED:
        raise ValidationError(ACTIVITY_VERIFIED_LOCKED)
    data = {key: value for key, value in data.items() if key in MEDIATION_FIELDS}
    _clean_prose(data, "parties_summary")
    if "organization" in data:
        _require_recorder(actor, data["organization"])
    _require_community_in_area(
        actor, data.get("community"), field="community", current_id=case.community_id
    )
    changes = field_changes(case, data)
    before = mediation_shares(case)
    for field, value in data.items():
        setattr(case, field, value)
    _check_summary(case.parties_summary)
    update_fields = list(changes)
    if case.status == VerificationStatus.RETURNED:
        changes["status"] = [case.status, VerificationStatus.SUBMITTED]
        case.status = VerificationStatus.SUBMITTED
        case.return_reason = ""
        case.submitted_at = timezone.now()
        update_fields += ["status", "return_reason", "submitted_at"]
    case.full_clean()
    if changes:
        case.save(update_fields=update_fields)
        apply_shares(before=before, after=mediation_shares(case))
        audit_record(
            actor=actor, action="mediation.update", obj=case, summary=str(case), changes=changes
        )
    return case


@transaction.atomic
def mediation_verify(*, actor, case: MediationCase) -> MediationCase:
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    before = mediation_shares(case)
    case = _decide(
        actor=actor,
        record=case,
        community=case.community,
        verify=True,
        reason="",
        label="mediation",
    )
    apply_shares(before=before, after=mediation_shares(case))
    return case


@transaction.atomic
def mediation_return(*, actor, case: MediationCase, reason: str) -> MediationCase:
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    before = mediation_shares(case)
    case = _decide(
        actor=actor,
        record=case,
        community=case.community,
        verify=False,
        reason=reason,
        label="mediation",
    )
    apply_shares(before=before, after=mediation_shares(case))
    return case


def _check_score_and_comment(score: int, comment: str) -> str:
    if score not in (1, 2, 3, 4, 5):
        raise ValidationError({"score": FEEDBACK_SCORE_RANGE})
    comment = clean_text(comment)
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": FEEDBACK_COMMENT_TOO_LONG})
    if _LINK.search(comment):
        raise ValidationError({"comment": FEEDBACK_COMMENT_LINK})
    if _REPEATED.search(comment):
        raise ValidationError({"comment": FEEDBACK_COMMENT_REPEATED})
    return comment


def new_device_id() -> str:
    """A random id for the rating page's device cookie (it says nothing about the device)."""
    return secrets.token_urlsafe(24)


def _rate_limit_key(address: str, now: datetime.datetime) -> str:
    minute = int(now.timestamp()) // int(RATE_LIMIT_WINDOW.total_seconds())
    return f"feedback-rate:{address}:{minute}"


def _check_rate_limit(address: str, now: datetime.datetime) -> str:
    """Refuse an address past its ratings this minute; return the cache key to count on."""
    key = _rate_limit_key(address, now)
    if cache.get(key, 0) >= RATE_LIMIT_PER_MINUTE:
        raise ValidationError(FEEDBACK_RATE_LIMITED)
    return key


def _count_rating(key: str) -> None:
    # Kept a little past its minute so a late request still finds the count.
    cache.add(key, 0, timeout=int(RATE_LIMIT_WINDOW.total_seconds()) * 2)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=int(RATE_LIMIT_WINDOW.total_seconds()) * 2)


@transaction.atomic
def feedback_submit_public(
    *,
    activity_token: str,
    score: int,
    comment: str,
    device_id: str,
    now: datetime.datetime,
    address: str = "",
    fingerprint: str = "",
) -> Feedback:
    """A resident's rating through the activity's QR link: no account, rate-limited.

    `device_id` comes from the page's signed device cookie: one rating per device and
    activity, so residents sharing a Wi-Fi or a carrier's address each rate. `address`
    hashes the IP: ten ratings a minute from one address are accepted (counted in the cache,
    per calendar minute), the eleventh told to wait. `fingerprint` hashes IP and user agent.
    """
    if not device_id:
        raise ValueError("A public rating needs the device id of its cookie.")
    activity = Activity.objects.select_related("lead_organization").get(
        feedback_token=activity_token
    )
    closes_on = activity.feedback_closes_on or activity.default_feedback_closes_on()
    if timezone.localdate(now) > closes_on:
        raise ValidationError(FEEDBACK_CLOSED % {"date": closes_on.isoformat()})
    rate_key = _check_rate_limit(address, now) if address else ""
    if Feedback.objects.filter(activity=activity, device_id=device_id).exists():
        raise ValidationError(FEEDBACK_ALREADY_RATED)
    comment = _check_score_and_comment(score, comment)
    feedback = Feedback(
        activity=activity,
        organization=activity.lead_organization,
        score=score,
        comment=comment,
        source=Feedback.Source.RESIDENT_FORM,
        device_id=device_id,
        fingerprint=fingerprint,
        address_hash=address,
        created_at=now,
    )
    feedback.full_clean()
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError as error:
        # The same device rating twice at once: the unique constraint keeps one.
        raise ValidationError(FEEDBACK_ALREADY_RATED) from error
    audit_record(actor=None, action="feedback.public", obj=feedback, summary=str(score))
    if rate_key:
        _count_rating(rate_key)
    return feedback


@transaction.atomic
def feedback_record_phone_survey(
    *, actor, organization, activity: Activity | None = None, score: int, comment: str = ""
) -> Feedback:
    """Staff enter the result of a phone survey of residents."""
    if not can_record_phone_survey(actor, organization):
        raise PermissionDenied
    if activity is not None and activity.lead_organization_id != organization.pk:
        raise PermissionDenied
    comment = _check_score_and_comment(score, comment)
    feedback = Feedback(
        activity=activity,
        organization=organization,
        score=score,
        comment=comment,
        source=Feedback.Source.PHONE_SURVEY,
        recorded_by=actor,
    )
    feedback.full_clean()
    feedback.save()
    audit_record(actor=actor, action="feedback.phone", obj=feedback, summary=str(score))
    return feedback


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
