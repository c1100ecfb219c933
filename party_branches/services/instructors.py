"""Assigning Party-building instructors (党建指导员) to organisations, and ending it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.identifiers import validate_mobile
from core.services import audit_record
from core.text import clean_name, clean_text
from orgs.models import Organization, Person
from party_branches.models import InstructorAssignment
from party_branches.permissions import can_manage_instructors
from party_branches.services.checks import _add, _check_not_future, _raise_if
from party_branches.services.messages import (
    INSTRUCTOR_ALREADY_ACTIVE_MESSAGE,
    INSTRUCTOR_END_BEFORE_START_MESSAGE,
    INSTRUCTOR_ENDED_MESSAGE,
    INSTRUCTOR_NAME_REQUIRED_MESSAGE,
)


@transaction.atomic
def instructor_assign(
    *,
    actor,
    organization: Organization,
    started_on: date,
    instructor_name: str = "",
    instructor_phone: str = "",
    person: Person | None = None,
    unit: str = "",
) -> InstructorAssignment:
    """Assign a Party-building instructor (党建指导员) to an organisation."""
    if not can_manage_instructors(actor, organization):
        raise PermissionDenied
    instructor_name = clean_name(instructor_name) or (person.name if person else "")
    unit = clean_name(unit)
    errors: dict = {}
    if not instructor_name:
        _add(errors, "instructor_name", INSTRUCTOR_NAME_REQUIRED_MESSAGE)
    phone = clean_text(instructor_phone)
    if phone:
        try:
            phone = validate_mobile(phone)
        except ValidationError as error:
            errors.setdefault("instructor_phone", []).extend(error.error_list)
    _check_not_future(errors, "started_on", started_on)
    current = (
        InstructorAssignment.objects.active(timezone.localdate())
        .filter(organization=organization)
        .first()
    )
    if current is not None:
        _add(
            errors,
            "instructor_name",
            INSTRUCTOR_ALREADY_ACTIVE_MESSAGE,
            name=organization.name,
            instructor=current.instructor_name,
        )
    _raise_if(errors)
    assignment = InstructorAssignment(
        organization=organization,
        person=person,
        instructor_name=instructor_name,
        instructor_phone=phone,
        unit=unit,
        started_on=started_on,
        assigned_by=actor,
    )
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor,
        action="instructor.assign",
        obj=assignment,
        summary=f"{instructor_name} → {organization.name}",
        changes={"organization": organization.pk, "started_on": started_on.isoformat()},
    )
    return assignment


@transaction.atomic
def instructor_end(
    *, actor, assignment: InstructorAssignment, ended_on: date, reason: str
) -> InstructorAssignment:
    """End an instructor's assignment (the row stays)."""
    if not can_manage_instructors(actor, assignment.organization):
        raise PermissionDenied
    assignment = InstructorAssignment.objects.select_for_update().get(pk=assignment.pk)
    reason = clean_text(reason)
    errors: dict = {}
    if assignment.ended_on is not None:
        _add(errors, "ended_on", INSTRUCTOR_ENDED_MESSAGE)
        _raise_if(errors)
    _check_not_future(errors, "ended_on", ended_on)
    if ended_on < assignment.started_on:
        _add(
            errors,
            "ended_on",
            INSTRUCTOR_END_BEFORE_START_MESSAGE,
            started_on=assignment.started_on.isoformat(),
        )
    _raise_if(errors)
    assignment.ended_on = ended_on
    assignment.end_reason = reason
    assignment.full_clean()
    assignment.save(update_fields=["ended_on", "end_reason"])
    audit_record(
        actor=actor,
        action="instructor.end",
        obj=assignment,
        summary=f"{assignment.instructor_name} ← {assignment.organization}",
        changes={"ended_on": ended_on.isoformat()},
    )
    return assignment
