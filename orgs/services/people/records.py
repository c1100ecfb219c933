"""Changes to a resident's own record: details, and revealing the identifiers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.services import audit_record, model_update
from orgs.models import Person
from orgs.permissions import can_see_sensitive
from orgs.services.people.rules import (
    _require_editable_person,
    check_person_rules,
    clean_person_data,
    id_number_taken_error,
    masked_changes,
)

# --- People ---


@transaction.atomic
def person_update(*, actor, person: Person, **data) -> Person:
    """Change a resident's details (ID number, mobile, Party and grid roles...)."""
    _require_editable_person(actor, person)
    data = clean_person_data(data)
    taken = id_number_taken_error(
        user=actor, id_number=data.get("id_number", ""), exclude_pk=person.pk
    )
    if taken:
        raise ValidationError({"id_number": taken})
    model_update(
        person,
        data,
        actor=actor,
        action="person.update",
        summary=person.name,
        validate=_check_person_rules,
        describe=masked_changes,
    )
    return person


def _check_person_rules(person: Person) -> None:
    check_person_rules(
        is_party_member=person.is_party_member,
        party_status=person.party_status,
        grid_role=person.grid_role,
        grid_community=person.grid_community,
    )


def person_reveal(*, actor, person: Person) -> Person:
    """Log that the actor saw a resident's full ID number and mobile."""
    if not can_see_sensitive(actor):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action="person.reveal",
        obj=person,
        summary=f"{actor} → {person.name}",
        changes={"revealed": ["id_number", "mobile"]},
    )
    return person
