"""Folding a duplicate resident into the record kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.services import audit_record
from core.text import clean_text
from orgs.models import Person, PersonMerge
from orgs.permissions import can_merge_people
from orgs.services.people.rules import (
    DUPLICATE_CLOSED_REASON,
    MERGE_ALREADY_MERGED_MESSAGE,
    MERGE_COPY_GROUPS,
    MERGE_ID_NUMBERS_DIFFER_MESSAGE,
    MERGE_REASON_REQUIRED_MESSAGE,
    MERGE_SAME_PERSON_MESSAGE,
    _require_editable_person,
    _save_history,
)

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
