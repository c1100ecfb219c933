"""Every change to people and memberships: checked, saved, audited and historied together."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.scoping import scope_for
from core.history import stamp_change
from core.identifiers import (
    birth_date_and_gender,
    validate_id_number,
    validate_mobile,
)
from core.masking import mask_id_number, mask_mobile
from core.services import audit_record, field_changes
from core.text import clean_name, clean_text, match_key
from orgs.models import Membership, Organization, Person, PersonMerge
from orgs.permissions import can_see_sensitive

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


def can_merge_people(user) -> bool:
    """County administrators and township staff fold duplicate residents together."""
    scope = scope_for(user)
    if scope.read_only:
        return False
    return user.is_superuser or scope.role in {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF}


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
    changes = field_changes(person, data)
    for field, value in data.items():
        setattr(person, field, value)
    check_person_rules(
        is_party_member=person.is_party_member,
        party_status=person.party_status,
        grid_role=person.grid_role,
        grid_community=person.grid_community,
    )
    person.full_clean()
    if changes:
        _save_history(person, actor, update_fields=list(changes))
        audit_record(
            actor=actor,
            action="person.update",
            obj=person,
            summary=person.name,
            changes=masked_changes(changes),
        )
    return person


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
    errors: dict[str, list] = {}
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
    person = None
    if data.get("id_number"):
        person = Person.objects.select_for_update().filter(id_number=data["id_number"]).first()
    reused = person is not None
    if person is not None:
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
    else:
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
    changes = field_changes(person, updates)
    for field, value in updates.items():
        setattr(person, field, value)
    person.full_clean()
    _save_history(person, actor, update_fields=list(changes))
    audit_record(
        actor=actor,
        action="person.update",
        obj=person,
        summary=person.name,
        changes=masked_changes(changes),
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


# --- Merging duplicate people ---


def person_merge_plan(*, kept: Person, merged: Person) -> dict[str, Any]:
    """Describe what a merge would do: memberships moved, duplicates closed, fields copied."""
    kept_current = {m.organization_id: m for m in kept.memberships.filter(left_on__isnull=True)}
    moves, duplicates = [], []
    for membership in merged.memberships.select_related("organization").order_by("pk"):
        twin = kept_current.get(membership.organization_id) if membership.is_current else None
        if twin is None:
            moves.append(membership)
        else:
            # Both current in one organisation: the earlier joining stays current.
            if membership.joined_on < twin.joined_on:
                duplicates.append((membership, twin))
            else:
                duplicates.append((twin, membership))
    copied: list[str] = []
    for group in MERGE_COPY_GROUPS:
        lead = group[0]
        if not getattr(kept, lead) and getattr(merged, lead):
            copied.extend(group)
    if not kept.id_number and merged.id_number:
        copied.append("id_number")
    if merged.notes and merged.notes not in kept.notes:
        copied.append("notes")
    return {"moves": moves, "duplicates": duplicates, "copied": copied}


def check_person_merge(*, kept: Person, merged: Person) -> None:
    """Refuse merges that cannot be right: into oneself, into merged records, two real IDs."""
    if kept.pk == merged.pk:
        raise ValidationError({NON_FIELD_ERRORS: MERGE_SAME_PERSON_MESSAGE})
    for person in (kept, merged):
        if person.merged_into_id:
            raise ValidationError(
                {NON_FIELD_ERRORS: MERGE_ALREADY_MERGED_MESSAGE % {"name": person.name}}
            )
    if kept.id_number and merged.id_number and kept.id_number != merged.id_number:
        raise ValidationError({NON_FIELD_ERRORS: MERGE_ID_NUMBERS_DIFFER_MESSAGE})


@transaction.atomic
def person_merge(*, actor, kept: Person, merged: Person, reason: str) -> PersonMerge:
    """Fold a duplicate resident into the kept one: memberships move, the duplicate points over."""
    if not can_merge_people(actor):
        raise PermissionDenied
    _require_editable_person(actor, kept)
    _require_editable_person(actor, merged)
    # Re-read both rows under lock so a concurrent merge cannot interleave.
    locked = Person.objects.select_for_update().in_bulk([kept.pk, merged.pk])
    kept, merged = locked[kept.pk], locked[merged.pk]
    check_person_merge(kept=kept, merged=merged)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": MERGE_REASON_REQUIRED_MESSAGE})

    plan = person_merge_plan(kept=kept, merged=merged)
    today = timezone.localdate()
    closed, moved = [], []
    # Close the later of each pair of current twins first, so that the one-current-membership
    # constraint holds at every step of the move.
    for _stays, closes in plan["duplicates"]:
        closes.left_on = max(today, closes.joined_on)
        closes.left_reason = str(DUPLICATE_CLOSED_REASON)
        _save_history(closes, actor, reason=reason, update_fields=["left_on", "left_reason"])
        closed.append(closes.pk)
    pairs = [membership for pair in plan["duplicates"] for membership in pair]
    for membership in [*plan["moves"], *pairs]:
        if membership.person_id == merged.pk:
            membership.person = kept
            _save_history(membership, actor, reason=reason, update_fields=["person"])
            moved.append(membership.pk)

    copied = _copy_merged_fields(actor, kept, merged, plan["copied"], reason)
    merged.merged_into = kept
    merged.full_clean()
    _save_history(merged, actor, reason=reason, update_fields=["merged_into"])

    summary = {
        "moved_memberships": sorted(moved),
        "closed_duplicates": sorted(closed),
        "copied_fields": copied,
    }
    record = PersonMerge(kept=kept, merged=merged, reason=reason, merged_by=actor, summary=summary)
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action="person.merge",
        obj=kept,
        summary=f"{merged.name} (#{merged.pk}) → {kept.name} (#{kept.pk}): {reason}",
        changes=summary,
    )
    return record


def _copy_merged_fields(
    actor, kept: Person, merged: Person, fields: list[str], reason: str
) -> list[str]:
    if not fields:
        return []
    if "id_number" in fields:
        # The ID number is unique: free it on the duplicate before the kept person takes it.
        id_number = merged.id_number
        merged.id_number = ""
        _save_history(merged, actor, reason=reason, update_fields=["id_number"])
        kept.id_number = id_number
    for field in fields:
        if field == "id_number":
            continue
        if field == "notes":
            kept.notes = "\n".join(part for part in (kept.notes, merged.notes) if part)
        else:
            setattr(kept, field, getattr(merged, field))
    kept.full_clean()
    _save_history(kept, actor, reason=reason, update_fields=fields)
    return list(fields)
