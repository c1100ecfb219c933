"""Quarter assessments: the community's 0–5 assessment and commendations of each organisation."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.quarters import Quarter, quarter_label, quarter_of
from core.services import audit_record
from orgs.models import Organization
from scoring.models import QuarterAssessment, ScoringQuarter
from scoring.permissions import may_assess
from scoring.selectors import assessable_organizations

QUARTER_FINALIZED = _(
    "The ranking of %(quarter)s is finalised, so its assessments can no longer change. "
    "Ask the county administrator to re-open the quarter first."
)
QUARTER_IN_FUTURE = _(
    "%(quarter)s has not begun yet: assessments are entered for the current or a past quarter."
)
OUT_OF_AREA = _("You may only assess organisations of your own area.")
SCORE_OUT_OF_RANGE = _("The community assessment is a whole number from 0 to 5.")
COMMENDATIONS_OUT_OF_RANGE = _("Commendations are a whole number from 0 to 20.")

ASSESSMENT_FIELDS = ("community_score", "commendations", "note")


@dataclass(frozen=True)
class AssessmentEntry:
    organization_id: int
    community_score: int
    commendations: int
    note: str = ""


def check_quarter_open(quarter: Quarter, *, lock: bool = False, counties=None) -> None:
    """Refuse a quarter that has not begun or whose ranking is finalised (in any of the
    counties given; every county when None)."""
    label = quarter_label(quarter)
    if quarter > quarter_of(timezone.localdate()):
        raise ValidationError(QUARTER_IN_FUTURE % {"quarter": label})
    rows = ScoringQuarter.objects.filter(year=quarter[0], quarter=quarter[1])
    if counties is not None:
        rows = rows.filter(county__in=counties)
    if lock:
        rows = rows.select_for_update()
    state = rows.values_list("state", flat=True).first()
    if state == ScoringQuarter.State.FINALIZED:
        raise ValidationError(QUARTER_FINALIZED % {"quarter": label})


@transaction.atomic
def assessments_save(*, actor, quarter: Quarter, entries: list[AssessmentEntry]) -> int:
    """Save the quarter's assessments of the actor's organisations; return how many changed."""
    if not may_assess(actor):
        raise PermissionDenied
    wanted = _checked_organizations(actor, entries)
    counties = (
        Organization.objects.filter(pk__in=wanted).values("community__township__county").distinct()
    )
    check_quarter_open(quarter, lock=True, counties=counties)
    year, q = quarter
    existing = {
        row.organization_id: row
        for row in QuarterAssessment.objects.select_for_update().filter(
            year=year, quarter=q, organization_id__in=wanted
        )
    }
    return sum(
        _save_entry(actor, quarter, entry, existing.get(entry.organization_id)) for entry in entries
    )


def _checked_organizations(actor, entries: list[AssessmentEntry]) -> set[int]:
    """The entries' organisations, each one the actor assesses, each figure in its range."""
    wanted = {entry.organization_id for entry in entries}
    allowed = set(
        assessable_organizations(user=actor).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - allowed:
        raise ValidationError(OUT_OF_AREA)
    for entry in entries:
        if not 0 <= entry.community_score <= 5:
            raise ValidationError({"community_score": SCORE_OUT_OF_RANGE})
        if not 0 <= entry.commendations <= 20:
            raise ValidationError({"commendations": COMMENDATIONS_OUT_OF_RANGE})
    return wanted


def _save_entry(actor, quarter: Quarter, entry: AssessmentEntry, row) -> bool:
    """Write one organisation's assessment when it changed (a first all-zero one is not
    written), with its audit row; whether anything was written."""
    year, q = quarter
    new = {
        "community_score": entry.community_score,
        "commendations": entry.commendations,
        "note": entry.note.strip(),
    }
    if row is None:
        if new == {"community_score": 0, "commendations": 0, "note": ""}:
            return False
        row = QuarterAssessment(
            organization_id=entry.organization_id, year=year, quarter=q, entered_by=actor, **new
        )
        changes = {field: [None, value] for field, value in new.items()}
        row.full_clean()
        row.save()
    else:
        changes = {
            field: [getattr(row, field), value]
            for field, value in new.items()
            if getattr(row, field) != value
        }
        if not changes:
            return False
        for field, value in new.items():
            setattr(row, field, value)
        row.entered_by = actor
        row.full_clean()
        row.save(update_fields=[*ASSESSMENT_FIELDS, "entered_by", "updated_at"])
    audit_record(
        actor=actor,
        action="scoring.assessment_save",
        obj=row,
        summary=f"{quarter_label(quarter)} {entry.organization_id}",
        changes=changes,
    )
    return True
