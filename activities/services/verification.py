"""Verification: the served community's secretary verifies a submitted activity or mediation
case, or returns it with a reason."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from activities.models import Activity, MediationCase, VerificationStatus
from activities.permissions import can_verify
from activities.rollups import activity_shares, mediation_shares
from activities.services.messages import (
    NOT_SUBMITTED,
    RETURN_REASON_REQUIRED,
    VERIFY_EMPTY_UNCONFIRMED,
)
from core.services import audit_record
from core.text import clean_text
from rollups.services import apply_shares


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
