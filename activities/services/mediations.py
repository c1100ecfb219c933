"""Recording mediated disputes: create and change a case."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from activities.models import MediationCase, VerificationStatus
from activities.rollups import mediation_shares
from activities.services.checks import _clean_prose, _require_community_in_area, _require_recorder
from activities.services.messages import ACTIVITY_VERIFIED_LOCKED, MEDIATION_NO_ID_NUMBERS
from core.services import audit_record, field_changes
from core.text import clean_text
from rollups.services import apply_shares

# 15/18-digit ID numbers and 11-digit mobiles.
_PERSONAL_NUMBER = re.compile(r"\d{15}|\d{17}[\dXx]|1\d{10}")

MEDIATION_FIELDS = (
    "organization",
    "occurred_on",
    "kind",
    "parties_summary",
    "outcome",
    "community",
)


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
