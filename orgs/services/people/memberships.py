"""Joining, leaving and rejoining an organisation."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from core.services import audit_record, model_update
from core.text import clean_text, match_key
from orgs.models import Membership, Organization, Person
from orgs.services.people.rules import (
    ALREADY_MEMBER_MESSAGE,
    LEFT_BEFORE_JOINED_MESSAGE,
    LEFT_IN_FUTURE_MESSAGE,
    LEFT_REASON_REQUIRED_MESSAGE,
    MEMBERSHIP_ALREADY_ENDED_MESSAGE,
    MEMBERSHIP_NOT_ENDED_MESSAGE,
    NAME_MISMATCH_HIDDEN_MESSAGE,
    NAME_MISMATCH_VISIBLE_MESSAGE,
    REJOIN_BEFORE_LEFT_MESSAGE,
    _check_joined_on,
    _check_organization_active,
    _require_editable_organization,
    _save_history,
    check_person_rules,
    clean_person_data,
    masked_changes,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- Memberships ---


@transaction.atomic
def membership_add(
    *,
    actor,
    organization: Organization,
    person_data: dict[str, Any],
    role: str,
    joined_on: date,
) -> tuple[Membership, bool]:
    """Add a member, reusing the resident already recorded with the same ID number.

    Returns the membership and whether an existing person was reused.
    """
    _require_editable_organization(actor, organization)
    _check_organization_active(organization)
    data = _checked_member_data(organization, person_data, joined_on)
    person, reused = _member_person(actor, data)
    if Membership.objects.current().filter(organization=organization, person=person).exists():
        raise ValidationError(
            {
                NON_FIELD_ERRORS: ALREADY_MEMBER_MESSAGE
                % {"name": person.name, "organization": organization.name}
            }
        )
    membership = Membership(
        organization=organization, person=person, role=role, joined_on=joined_on
    )
    membership.full_clean()
    _save_history(membership, actor)
    audit_record(
        actor=actor,
        action="membership.add",
        obj=membership,
        summary=f"{person.name} → {organization.name}",
        changes={"person": person.pk, "reused": reused, "role": role},
    )
    return membership, reused


def _checked_member_data(organization: Organization, person_data: dict, joined_on: date) -> dict:
    """The person's cleaned fields, or every error of the date and the fields at once."""
    errors: dict[str, list] = {}
    data: dict[str, Any] = {}
    try:
        _check_joined_on(organization, joined_on)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        data = clean_person_data(person_data)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return data


def _member_person(actor, data: dict[str, Any]) -> tuple[Person, bool]:
    """The resident with this ID number (completed from the form), or a new one; reused?"""
    person = None
    if data.get("id_number"):
        person = Person.objects.select_for_update().filter(id_number=data["id_number"]).first()
    if person is None:
        check_person_rules(
            is_party_member=data.get("is_party_member", False),
            party_status=data.get("party_status", ""),
            grid_role=data.get("grid_role", ""),
            grid_community=data.get("grid_community"),
        )
        person = Person(**data)
        person.full_clean()
        _save_history(person, actor)
        audit_record(actor=actor, action="person.create", obj=person, summary=person.name)
        return person, False
    while person.merged_into_id:
        person = person.merged_into
    if match_key(person.name) != match_key(data.get("name", "")):
        visible = Person.objects.visible_to(actor).filter(pk=person.pk).exists()
        message = (
            NAME_MISMATCH_VISIBLE_MESSAGE % {"name": person.name}
            if visible
            else NAME_MISMATCH_HIDDEN_MESSAGE
        )
        raise ValidationError({"name": message})
    _fill_blanks(actor, person, data)
    return person, True


def _fill_blanks(actor, person: Person, data: dict[str, Any]) -> None:
    """Complete a reused person's empty fields from the form; never overwrite stored values."""
    fillable = ("gender", "birth_date", "mobile", "community", "party_relation_place")
    updates = {
        field: data[field] for field in fillable if data.get(field) and not getattr(person, field)
    }
    if data.get("is_party_member") and not person.is_party_member:
        updates["is_party_member"] = True
        updates["party_status"] = data.get("party_status", "")
    if not updates:
        return
    model_update(
        person,
        updates,
        actor=actor,
        action="person.update",
        summary=person.name,
        describe=masked_changes,
    )


@transaction.atomic
def membership_end(*, actor, membership: Membership, left_on: date, reason: str) -> Membership:
    """Record that a member left; the row stays, closed."""
    _require_editable_organization(actor, membership.organization)
    if not membership.is_current:
        raise ValidationError({NON_FIELD_ERRORS: MEMBERSHIP_ALREADY_ENDED_MESSAGE})
    reason = clean_text(reason)
    errors: dict[str, StrOrPromise] = {}
    if left_on > timezone.localdate():
        errors["left_on"] = LEFT_IN_FUTURE_MESSAGE
    elif left_on < membership.joined_on:
        errors["left_on"] = LEFT_BEFORE_JOINED_MESSAGE % {"date": date_format(membership.joined_on)}
    if not reason:
        errors["reason"] = LEFT_REASON_REQUIRED_MESSAGE
    if errors:
        raise ValidationError(errors)
    membership.left_on = left_on
    membership.left_reason = reason
    membership.full_clean()
    _save_history(membership, actor, reason=reason, update_fields=["left_on", "left_reason"])
    audit_record(
        actor=actor,
        action="membership.end",
        obj=membership,
        summary=f"{membership.person.name} ← {membership.organization.name}: {reason}",
        changes={"left_on": [None, str(left_on)], "left_reason": ["", reason]},
    )
    return membership


@transaction.atomic
def membership_rejoin(*, actor, membership: Membership, joined_on: date) -> Membership:
    """Start a new membership for someone who left; the old row stays closed."""
    organization = membership.organization
    _require_editable_organization(actor, organization)
    left_on = membership.left_on
    if left_on is None:  # still current
        raise ValidationError({NON_FIELD_ERRORS: MEMBERSHIP_NOT_ENDED_MESSAGE})
    _check_organization_active(organization)
    _check_joined_on(organization, joined_on)
    if joined_on < left_on:
        raise ValidationError(
            {"joined_on": REJOIN_BEFORE_LEFT_MESSAGE % {"date": date_format(left_on)}}
        )
    person = membership.person
    if Membership.objects.current().filter(organization=organization, person=person).exists():
        raise ValidationError(
            {
                NON_FIELD_ERRORS: ALREADY_MEMBER_MESSAGE
                % {"name": person.name, "organization": organization.name}
            }
        )
    rejoined = Membership(
        organization=organization, person=person, role=membership.role, joined_on=joined_on
    )
    rejoined.full_clean()
    _save_history(rejoined, actor)
    audit_record(
        actor=actor,
        action="membership.rejoin",
        obj=rejoined,
        summary=f"{person.name} → {organization.name}",
        changes={"previous": membership.pk},
    )
    return rejoined
