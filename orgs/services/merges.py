"""Merging organisations (社团融合): several fold into a surviving one, in one transaction.

What moves from a merged organisation to the survivor is described by *movers*: each one
previews what it would move (label, count, a sample of names) and, when it moves rows itself,
applies the move. This module registers the members; later apps (branches, bookings...) call
`register_mover` from their `AppConfig.ready()` so that the preview and the merge include them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.history import stamp_change
from core.services import audit_record
from core.text import clean_text
from orgs.models import Membership, Merge, Organization
from orgs.permissions import can_merge
from orgs.services.oversight import in_ledger_language

MERGE_NOTHING_MERGED_MESSAGE = _("Choose at least one organisation to merge into the survivor.")
MERGE_SURVIVOR_IN_MERGED_MESSAGE = _(
    "The surviving organisation cannot also be one of the organisations merged into it."
)
MERGE_SURVIVOR_INACTIVE_MESSAGE = _(
    "%(name)s is no longer active (merged, deregistered or revoked) and cannot take others in."
)
MERGE_MERGED_INACTIVE_MESSAGE = _(
    "%(name)s is no longer active (merged, deregistered or revoked) and cannot be merged."
)
MERGE_DATE_FUTURE_MESSAGE = _("The merge date cannot be in the future.")
MERGE_DATE_BEFORE_FOUNDED_MESSAGE = _(
    "The merge date cannot be before %(name)s was founded (%(founded_on)s)."
)
MERGE_DATE_BEFORE_JOINED_MESSAGE = _(
    "The merge date cannot be before %(person)s joined %(name)s (%(joined_on)s)."
)
MERGE_REASON_REQUIRED_MESSAGE = _("Give the reason for the merge.")
MERGED_INTO_LEFT_REASON = _("Merged into %(name)s")
MERGED_INTO_CHANGE_REASON = "merged into %(name)s"

PREVIEW_SAMPLE_SIZE = 30


class MoverPreview(NamedTuple):
    """What one mover would move out of one merged organisation."""

    label: str
    # Shadows tuple.count on purpose (callers and templates read `.count`): not a stubs error.
    count: int  # type: ignore[assignment]
    sample: list[str]


@dataclass(frozen=True)
class Mover:
    """Something attached to an organisation that follows it into the survivor.

    `preview(*, survivor, organization)` returns a MoverPreview; `apply(*, actor, survivor,
    organization, merged_on)` moves the rows inside the merge's transaction and returns the
    counts to keep in the merge's summary. A mover without `apply` only informs the preview.
    """

    key: str
    preview: Callable[..., MoverPreview]
    apply: Callable[..., dict] | None = None


MOVERS: list[Mover] = []


def register_mover(mover: Mover) -> Mover:
    """Add a mover to every merge preview and merge (a mover with the same key is replaced)."""
    MOVERS[:] = [existing for existing in MOVERS if existing.key != mover.key]
    MOVERS.append(mover)
    return mover


# --- Members -----------------------------------------------------------------------------


def _current_members(organization: Organization):
    return Membership.objects.current().filter(organization=organization)


def _already_in_survivor(survivor: Organization):
    return Exists(
        Membership.objects.current().filter(organization=survivor, person=OuterRef("person"))
    )


def _members_preview(*, survivor: Organization, organization: Organization) -> MoverPreview:
    memberships = _current_members(organization).select_related("person").order_by("person__name")
    names = [membership.person.name for membership in memberships[:PREVIEW_SAMPLE_SIZE]]
    return MoverPreview(gettext("Current members who move"), memberships.count(), names)


def _shared_members_preview(*, survivor: Organization, organization: Organization) -> MoverPreview:
    memberships = (
        _current_members(organization)
        .filter(_already_in_survivor(survivor))
        .select_related("person")
        .order_by("person__name")
    )
    names = [membership.person.name for membership in memberships[:PREVIEW_SAMPLE_SIZE]]
    return MoverPreview(
        gettext("Already current members of the survivor (they keep that membership)"),
        memberships.count(),
        names,
    )


def _move_members(
    *, actor, survivor: Organization, organization: Organization, merged_on: date
) -> dict:
    """Close each current membership and open one in the survivor unless one is current."""
    left_reason = in_ledger_language(MERGED_INTO_LEFT_REASON, name=survivor.name)
    in_survivor = set(
        _current_members(survivor).values_list("person_id", flat=True),
    )
    moved = already = 0
    for membership in _current_members(organization).select_related("person").order_by("pk"):
        membership.left_on = merged_on
        membership.left_reason = left_reason
        stamp_change(membership, user=actor, reason=left_reason)
        membership.full_clean()
        membership.save(update_fields=["left_on", "left_reason"])
        if membership.person_id in in_survivor:
            already += 1
            continue
        joined = Membership(
            organization=survivor,
            person=membership.person,
            role=membership.role,
            joined_on=merged_on,
        )
        stamp_change(joined, user=actor, reason=left_reason)
        joined.full_clean()
        joined.save()
        in_survivor.add(membership.person_id)
        moved += 1
    return {"members_moved": moved, "members_already_in_survivor": already}


register_mover(Mover(key="members", preview=_members_preview, apply=_move_members))
register_mover(Mover(key="shared_members", preview=_shared_members_preview))


# --- Preview and merge -------------------------------------------------------------------


def merge_preview(*, survivor: Organization, merged: list[Organization]) -> list[dict]:
    """Say, for each organisation to merge, what every mover would move into the survivor."""
    return [
        {
            "organization": organization,
            "items": [
                mover.preview(survivor=survivor, organization=organization) for mover in MOVERS
            ],
        }
        for organization in merged
    ]


def _validate_merge(
    *, survivor: Organization, merged: list[Organization], merged_on: date, reason: str
) -> None:
    errors: dict[str, list] = {}

    def add(field: str, message, **params) -> None:
        errors.setdefault(field, []).append(ValidationError(message, params=params or None))

    if not merged:
        add("merged", MERGE_NOTHING_MERGED_MESSAGE)
    if any(organization.pk == survivor.pk for organization in merged):
        add("merged", MERGE_SURVIVOR_IN_MERGED_MESSAGE)
    if not survivor.is_active:
        add("survivor", MERGE_SURVIVOR_INACTIVE_MESSAGE, name=survivor.name)
    for organization in merged:
        if not organization.is_active:
            add("merged", MERGE_MERGED_INACTIVE_MESSAGE, name=organization.name)
    if not reason:
        add("reason", MERGE_REASON_REQUIRED_MESSAGE)
    if merged_on > timezone.localdate():
        add("merged_on", MERGE_DATE_FUTURE_MESSAGE)
    for organization in [survivor, *merged]:
        if organization.founded_on and merged_on < organization.founded_on:
            add(
                "merged_on",
                MERGE_DATE_BEFORE_FOUNDED_MESSAGE,
                name=organization.name,
                founded_on=organization.founded_on.isoformat(),
            )
    late_joiner = (
        Membership.objects.current()
        .filter(organization__in=merged, joined_on__gt=merged_on)
        .select_related("person", "organization")
        .order_by("-joined_on")
        .first()
    )
    if late_joiner is not None:
        add(
            "merged_on",
            MERGE_DATE_BEFORE_JOINED_MESSAGE,
            person=late_joiner.person.name,
            name=late_joiner.organization.name,
            joined_on=late_joiner.joined_on.isoformat(),
        )
    if errors:
        raise ValidationError(errors)


def _mark_merged(
    *, actor, organization: Organization, survivor: Organization, merged_on: date
) -> None:
    """Give the merged organisation status 合并 pointing to the survivor (history kept)."""
    previous_status = organization.status
    organization.status = Organization.Status.MERGED
    organization.merged_into = survivor
    organization.status_changed_on = merged_on
    stamp_change(
        organization, user=actor, reason=MERGED_INTO_CHANGE_REASON % {"name": survivor.name}
    )
    organization.full_clean()
    organization.save(update_fields=["status", "merged_into", "status_changed_on", "updated_at"])
    audit_record(
        actor=actor,
        action="organization.merged",
        obj=organization,
        summary=f"{organization.name} → {survivor.name}",
        changes={
            "status": [previous_status, organization.status],
            "merged_into": [None, survivor.pk],
        },
    )


@transaction.atomic
def organization_merge(
    *,
    actor,
    survivor: Organization,
    merged: list[Organization],
    merged_on: date,
    reason: str,
) -> Merge:
    """Merge organisations into the survivor: their current members move, they point to it."""
    if not can_merge(actor):
        raise PermissionDenied
    reason = clean_text(reason)
    merged_ids = list(dict.fromkeys(organization.pk for organization in merged))
    # Lock the rows so that two merges of the same organisations cannot interleave.
    locked = Organization.objects.select_for_update().in_bulk([survivor.pk, *merged_ids])
    survivor = locked[survivor.pk]
    merged = [locked[pk] for pk in merged_ids]
    _validate_merge(survivor=survivor, merged=merged, merged_on=merged_on, reason=reason)

    moved = []
    for organization in merged:
        counts: dict = {}
        for mover in MOVERS:
            if mover.apply is not None:
                counts.update(
                    mover.apply(
                        actor=actor,
                        survivor=survivor,
                        organization=organization,
                        merged_on=merged_on,
                    )
                )
        _mark_merged(actor=actor, organization=organization, survivor=survivor, merged_on=merged_on)
        moved.append({"id": organization.pk, "name": organization.name, **counts})

    merge = Merge(
        survivor=survivor,
        merged_on=merged_on,
        reason=reason,
        performed_by=actor,
        summary={"survivor": survivor.name, "organizations": moved},
    )
    merge.full_clean()
    merge.save()
    merge.merged.set(merged)
    audit_record(
        actor=actor,
        action="organization.merge",
        obj=merge,
        summary=f"{', '.join(o.name for o in merged)} → {survivor.name}",
        changes={"survivor": survivor.pk, "merged": merged_ids, "merged_on": str(merged_on)},
    )
    return merge
