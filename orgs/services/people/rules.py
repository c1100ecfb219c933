"""What every change to people and memberships checks: messages, rules, permissions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.history import stamp_change
from core.identifiers import (
    birth_date_and_gender,
    validate_id_number,
    validate_mobile,
)
from core.masking import mask_id_number, mask_mobile
from core.text import clean_name, clean_text
from orgs.models import Organization, Person

# --- Messages ---

PARTY_STATUS_NEEDS_MEMBER_MESSAGE = _("A Party status can only be set for a Party member.")
GRID_ROLE_NEEDS_COMMUNITY_MESSAGE = _("Choose the community where the grid role is held.")
ID_NUMBER_TAKEN_VISIBLE_MESSAGE = _(
    "This ID number is already recorded for %(name)s. Open that resident instead of "
    "entering them twice, or merge the two records."
)
ID_NUMBER_TAKEN_HIDDEN_MESSAGE = _(
    "This ID number is already recorded for a resident outside your area. "
    "Ask the county administrator to check the two records."
)
NAME_MISMATCH_VISIBLE_MESSAGE = _(
    "The resident with this ID number is recorded as “%(name)s”. Check the name and the ID "
    "number; the stored name is not changed here."
)
NAME_MISMATCH_HIDDEN_MESSAGE = _(
    "A resident with this ID number is already recorded under another name. Check the name "
    "and the ID number."
)
ALREADY_MEMBER_MESSAGE = _("%(name)s is already a current member of %(organization)s.")
ORGANIZATION_INACTIVE_MESSAGE = _(
    "%(organization)s is no longer active (%(status)s): members cannot be added or changed."
)
JOINED_IN_FUTURE_MESSAGE = _("The joining date cannot be in the future.")
JOINED_BEFORE_ORGANIZATION_MESSAGE = _(
    "The joining date cannot be before the organisation was founded or registered (%(date)s)."
)
LEFT_IN_FUTURE_MESSAGE = _("The leaving date cannot be in the future.")
LEFT_BEFORE_JOINED_MESSAGE = _("The leaving date cannot be before the joining date (%(date)s).")
LEFT_REASON_REQUIRED_MESSAGE = _("Give the reason for leaving.")
MEMBERSHIP_ALREADY_ENDED_MESSAGE = _("This membership has already ended.")
MEMBERSHIP_NOT_ENDED_MESSAGE = _("This membership has not ended: there is nothing to rejoin.")
REJOIN_BEFORE_LEFT_MESSAGE = _("The new joining date cannot be before the member left (%(date)s).")
MERGE_SAME_PERSON_MESSAGE = _("A person cannot be merged into themselves.")
MERGE_ALREADY_MERGED_MESSAGE = _("%(name)s has already been merged into another record.")
MERGE_ID_NUMBERS_DIFFER_MESSAGE = _(
    "The two records have different ID numbers, so they are two different residents. "
    "Correct the wrong ID number first if one of them was mistyped."
)
MERGE_REASON_REQUIRED_MESSAGE = _("Give the reason for the merge.")
DUPLICATE_CLOSED_REASON = _("Duplicate record closed by a merge of people")

# Fields a person-editing form may set; the rest (merges, history) are set by services.
PERSON_FIELDS = (
    "name",
    "gender",
    "id_number",
    "birth_date",
    "mobile",
    "community",
    "is_party_member",
    "party_status",
    "party_relation_place",
    "grid_role",
    "grid_community",
    "notes",
)
# Names (the person's, the place holding their Party relation) are tidied by clean_name; notes
# are prose and keep what the user typed.
TEXT_FIELDS = ("name", "party_relation_place", "notes")
NAME_FIELDS = frozenset({"name", "party_relation_place"})
# Values never written in clear into the audit log.
SENSITIVE_FIELDS = {"id_number": mask_id_number, "mobile": mask_mobile}
GENDER_FROM_ID = {"男": Person.Gender.MALE, "女": Person.Gender.FEMALE}
# Fields copied onto the kept person of a merge when it lacks them (one-field groups and
# groups that only make sense together).
MERGE_COPY_GROUPS = (
    ("gender",),
    ("birth_date",),
    ("mobile",),
    ("community",),
    ("is_party_member", "party_status", "party_relation_place"),
    ("grid_role", "grid_community"),
)


# --- Permissions ---


def _require_editable_person(actor, person: Person) -> None:
    if not Person.objects.editable_by(actor).filter(pk=person.pk).exists():
        raise PermissionDenied


def _require_editable_organization(actor, organization: Organization) -> None:
    if not Organization.objects.editable_by(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied


# --- Shared checks ---


def masked_changes(changes: dict) -> dict:
    """Mask ID numbers and mobiles in a {field: [old, new]} dict before it is logged."""
    masked = {}
    for field, values in changes.items():
        mask = SENSITIVE_FIELDS.get(field)
        masked[field] = [mask(v or "") for v in values] if mask else values
    return masked


def check_person_rules(
    *, is_party_member: bool, party_status: str, grid_role: str, grid_community
) -> None:
    """Refuse a Party status without membership and a grid role without its community."""
    errors = {}
    if party_status and not is_party_member:
        errors["party_status"] = PARTY_STATUS_NEEDS_MEMBER_MESSAGE
    if grid_role and grid_community is None:
        errors["grid_community"] = GRID_ROLE_NEEDS_COMMUNITY_MESSAGE
    if errors:
        raise ValidationError(errors)


def id_number_taken_error(*, user, id_number: str, exclude_pk: int | None) -> str | None:
    """Say why an ID number cannot be used, naming the holder only if the user may see them."""
    if not id_number:
        return None
    holders = Person.objects.filter(id_number=id_number)
    if exclude_pk is not None:
        holders = holders.exclude(pk=exclude_pk)
    holder = holders.first()
    if holder is None:
        return None
    if Person.objects.visible_to(user).filter(pk=holder.pk).exists():
        return ID_NUMBER_TAKEN_VISIBLE_MESSAGE % {"name": holder.name}
    return str(ID_NUMBER_TAKEN_HIDDEN_MESSAGE)


def clean_person_data(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise text, ID number and mobile; derive birth date and gender from the ID number."""
    data = {key: value for key, value in data.items() if key in PERSON_FIELDS}
    errors: dict[str, list] = {}
    for field in TEXT_FIELDS:
        if field in data:
            clean = clean_name if field in NAME_FIELDS else clean_text
            data[field] = clean(data[field])
    if data.get("id_number"):
        try:
            data["id_number"] = validate_id_number(data["id_number"])
        except ValidationError as error:
            errors["id_number"] = error.messages
        else:
            born, gender = birth_date_and_gender(data["id_number"])
            data["birth_date"] = born
            data["gender"] = GENDER_FROM_ID[gender]
    elif "id_number" in data:
        data["id_number"] = ""
    if data.get("mobile"):
        try:
            data["mobile"] = validate_mobile(data["mobile"])
        except ValidationError as error:
            errors["mobile"] = error.messages
    elif "mobile" in data:
        data["mobile"] = ""
    if errors:
        raise ValidationError(errors)
    return data


def _check_organization_active(organization: Organization) -> None:
    if not organization.is_active:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: ORGANIZATION_INACTIVE_MESSAGE
                % {
                    "organization": organization.name,
                    "status": organization.get_status_display(),
                }
            }
        )


def _check_joined_on(organization: Organization, joined_on: date) -> None:
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": JOINED_IN_FUTURE_MESSAGE})
    start = organization.founded_on or organization.registered_on
    if start is not None and joined_on < start:
        raise ValidationError(
            {"joined_on": JOINED_BEFORE_ORGANIZATION_MESSAGE % {"date": date_format(start)}}
        )


def _save_history(instance, actor, reason: str = "", **save_kwargs) -> None:
    stamp_change(instance, user=actor, reason=reason)
    instance.save(**save_kwargs)
