"""Residents' ratings of activities: the public QR-link form (rate-limited, one rating per
device) and phone surveys entered by staff."""

import datetime
import hashlib
import re
import secrets

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import Activity, Feedback
from activities.permissions import can_record_phone_survey
from activities.services.messages import (
    FEEDBACK_ALREADY_RATED,
    FEEDBACK_CLOSED,
    FEEDBACK_COMMENT_LINK,
    FEEDBACK_COMMENT_REPEATED,
    FEEDBACK_COMMENT_TOO_LONG,
    FEEDBACK_RATE_LIMITED,
    FEEDBACK_SCORE_RANGE,
)
from core.services import audit_record
from core.text import clean_text

COMMENT_MAX_LENGTH = 500
RATE_LIMIT_PER_MINUTE = 10
RATE_LIMIT_WINDOW = datetime.timedelta(seconds=60)
_LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|cn|net|org|top|xyz|cc)\b)", re.IGNORECASE)
_REPEATED = re.compile(r"(.)\1{7,}")


def device_fingerprint(*, ip: str, user_agent: str) -> str:
    """A one-way hash of the address and browser: the raw IP is never stored."""
    return hashlib.sha256(f"{ip}|{user_agent}".encode()).hexdigest()


def address_hash(*, ip: str) -> str:
    return hashlib.sha256(f"address|{ip}".encode()).hexdigest()


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
