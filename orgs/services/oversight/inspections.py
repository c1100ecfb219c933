"""Annual inspections, recorded by county admins and township staff (their township)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.services import audit_record
from core.text import clean_text
from orgs.models import AnnualInspection, Organization
from orgs.permissions import can_record_inspection
from orgs.services.oversight.common import (
    EARLIEST_INSPECTION_YEAR,
    INSPECTION_DATE_FUTURE_MESSAGE,
    INSPECTION_DUPLICATE_MESSAGE,
    INSPECTION_YEAR_BEFORE_FOUNDED_MESSAGE,
    INSPECTION_YEAR_FUTURE_MESSAGE,
    INSPECTION_YEAR_TOO_EARLY_MESSAGE,
    _add,
    _raise_if,
)

# --- Annual inspections --------------------------------------------------------------------


@transaction.atomic
def inspection_record(
    *,
    actor,
    organization: Organization,
    year: int,
    conclusion: str,
    inspected_on: date | None = None,
    notes: str = "",
) -> AnnualInspection:
    """Record an organisation's annual inspection (年检) for a year."""
    if not can_record_inspection(actor, organization):
        raise PermissionDenied
    today = timezone.localdate()
    errors: dict = {}
    if year > today.year:
        _add(errors, "year", INSPECTION_YEAR_FUTURE_MESSAGE)
    elif year < EARLIEST_INSPECTION_YEAR:
        _add(errors, "year", INSPECTION_YEAR_TOO_EARLY_MESSAGE, year=EARLIEST_INSPECTION_YEAR)
    elif organization.founded_on and year < organization.founded_on.year:
        _add(
            errors,
            "year",
            INSPECTION_YEAR_BEFORE_FOUNDED_MESSAGE,
            year=organization.founded_on.year,
        )
    elif AnnualInspection.objects.filter(organization=organization, year=year).exists():
        _add(errors, "year", INSPECTION_DUPLICATE_MESSAGE, name=organization.name, year=year)
    if inspected_on and inspected_on > today:
        _add(errors, "inspected_on", INSPECTION_DATE_FUTURE_MESSAGE)
    _raise_if(errors)
    inspection = AnnualInspection(
        organization=organization,
        year=year,
        conclusion=conclusion,
        inspected_on=inspected_on,
        notes=clean_text(notes),
        recorded_by=actor,
    )
    inspection.full_clean()
    inspection.save()
    audit_record(
        actor=actor,
        action="inspection.record",
        obj=inspection,
        summary=f"{organization.name} {year} {inspection.get_conclusion_display()}",
    )
    return inspection
