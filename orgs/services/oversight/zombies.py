"""The zombie watch (民发〔2021〕63号): scanning, candidates and resolving flags."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from core.history import stamp_change
from core.services import audit_record
from core.text import clean_text
from orgs import contributions
from orgs.models import AnnualInspection, Membership, Organization, ZombieFlag
from orgs.permissions import can_resolve_zombie_flag
from orgs.services.oversight.common import (
    ZOMBIE_ACTION_MESSAGE,
    ZOMBIE_ALREADY_RESOLVED_MESSAGE,
    ZOMBIE_CLEAR,
    ZOMBIE_CONFIRM,
    ZOMBIE_NOTE_REQUIRED_MESSAGE,
    ZOMBIE_ORGANIZATION_INACTIVE_MESSAGE,
    ZOMBIE_QUIET_DAYS,
    ZOMBIE_REASON_NO_ACTIVITY_SINCE_REGISTRATION,
    ZOMBIE_REASON_NO_MEMBERS,
    ZOMBIE_REASON_NO_RECENT_ACTIVITY,
    ZOMBIE_REASON_NOT_INSPECTED,
    _add,
    _raise_if,
    logger,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# --- Zombie watch (民发〔2021〕63号) --------------------------------------------------------


def no_activity_reasons(*, organization_ids: list[int], on: date) -> dict[int, list[str]]:
    """Reasons from verified activities (民发〔2021〕63号), {organization id: [reason, ...]}.

    An organisation registered (or founded) more than a year before `on` with no verified
    activity at all, or older than two quarters with none in the last two quarters.
    """
    # The activities app builds on the ledger and registers how to read them (contributions).
    last_activity = contributions.last_verified_activity_on(organization_ids)
    started_on = dict(
        Organization.objects.filter(pk__in=organization_ids)
        .annotate(started=Coalesce("registered_on", "founded_on"))
        .values_list("pk", "started")
    )
    year_ago = on - timedelta(days=365)
    two_quarters_ago = on - timedelta(days=ZOMBIE_QUIET_DAYS)
    reasons: dict[int, list[str]] = {}
    for organization_id in organization_ids:
        started = started_on.get(organization_id)
        last = last_activity.get(organization_id)
        if started is None or started > two_quarters_ago:
            continue
        if last is None and started <= year_ago:
            reasons[organization_id] = [str(ZOMBIE_REASON_NO_ACTIVITY_SINCE_REGISTRATION)]
        elif last is not None and last < two_quarters_ago:
            reasons[organization_id] = [str(ZOMBIE_REASON_NO_RECENT_ACTIVITY)]
    return reasons


class _InspectedFigures(TypedDict):
    """What `zombie_candidates` annotates: whether each of the two years had an inspection."""

    inspected_first: bool
    inspected_second: bool


def _inspection_reasons(
    organization: WithAnnotations[Organization, _InspectedFigures], on: date
) -> list[str]:
    first, second = on.year - 2, on.year - 1
    started = organization.founded_on or organization.registered_on
    # Only an organisation that existed in both years could have been inspected for them.
    if started is not None and started.year > first:
        return []
    if organization.inspected_first or organization.inspected_second:
        return []
    return [str(ZOMBIE_REASON_NOT_INSPECTED % {"first": first, "second": second})]


def zombie_candidates(*, on: date):
    """Active organisations annotated with what the zombie criteria look at."""
    inspected = AnnualInspection.objects.filter(organization=OuterRef("pk")).exclude(
        conclusion=AnnualInspection.Conclusion.NOT_INSPECTED
    )
    return (
        Organization.objects.active()
        .exclude(status=Organization.Status.SUSPECTED_ZOMBIE)
        .annotate(
            inspected_first=Exists(inspected.filter(year=on.year - 2)),
            inspected_second=Exists(inspected.filter(year=on.year - 1)),
            has_members=Exists(Membership.objects.current().filter(organization=OuterRef("pk"))),
        )
        .only("pk", "name", "founded_on", "registered_on", "status")
        .order_by("pk")
    )


@transaction.atomic
def zombie_scan(*, on: date) -> int:
    """Flag active organisations that meet a clean-up criterion; return how many flags are new.

    An open flag gets its reasons refreshed. An organisation whose last flag was cleared is not
    flagged again for the same reasons, only when a new reason appears. Organisations already
    confirmed as suspected zombies are left alone.
    """
    with translation.override(settings.LANGUAGE_CODE):
        organizations = list(zombie_candidates(on=on))
        from_activities = no_activity_reasons(
            organization_ids=[organization.pk for organization in organizations], on=on
        )
        reasons_by_org = {}
        for organization in organizations:
            reasons = _inspection_reasons(organization, on)
            if not organization.has_members:
                reasons.append(str(ZOMBIE_REASON_NO_MEMBERS))
            reasons.extend(from_activities.get(organization.pk, []))
            if reasons:
                reasons_by_org[organization.pk] = reasons

    open_flags = {
        flag.organization_id: flag
        for flag in ZombieFlag.objects.select_for_update().filter(state=ZombieFlag.State.OPEN)
    }
    cleared_reasons = {
        organization_id: set(reasons)
        for organization_id, reasons in ZombieFlag.objects.filter(state=ZombieFlag.State.CLEARED)
        .filter(organization_id__in=reasons_by_org)
        .order_by("organization_id", "resolved_on", "pk")
        .values_list("organization_id", "reasons")
    }
    new_flags, changed_flags = [], []
    for organization_id, reasons in reasons_by_org.items():
        flag = open_flags.get(organization_id)
        if flag is not None:
            if flag.reasons != reasons:
                flag.reasons = reasons
                changed_flags.append(flag)
        elif not set(reasons) <= cleared_reasons.get(organization_id, set()):
            new_flags.append(
                ZombieFlag(organization_id=organization_id, reasons=reasons, flagged_on=on)
            )
    ZombieFlag.objects.bulk_create(new_flags)
    ZombieFlag.objects.bulk_update(changed_flags, ["reasons"])
    logger.info(
        "zombie scan",
        extra={"on": str(on), "new": len(new_flags), "updated": len(changed_flags)},
    )
    return len(new_flags)


@transaction.atomic
def zombie_resolve(*, actor, flag: ZombieFlag, action: str, note: str) -> ZombieFlag:
    """Confirm a zombie flag (the organisation becomes 疑似僵尸) or clear it, with a note."""
    if not can_resolve_zombie_flag(actor, flag):
        raise PermissionDenied
    flag = ZombieFlag.objects.select_for_update().select_related("organization").get(pk=flag.pk)
    organization = flag.organization
    note = clean_text(note)
    errors: dict = {}
    if flag.state != ZombieFlag.State.OPEN:
        _add(errors, NON_FIELD_ERRORS, ZOMBIE_ALREADY_RESOLVED_MESSAGE)
    if action not in (ZOMBIE_CONFIRM, ZOMBIE_CLEAR):
        _add(errors, "action", ZOMBIE_ACTION_MESSAGE)
    elif action == ZOMBIE_CONFIRM and not organization.is_active:
        _add(errors, NON_FIELD_ERRORS, ZOMBIE_ORGANIZATION_INACTIVE_MESSAGE, name=organization.name)
    if not note:
        _add(errors, "note", ZOMBIE_NOTE_REQUIRED_MESSAGE)
    _raise_if(errors)

    today = timezone.localdate()
    if action == ZOMBIE_CONFIRM:
        previous_status = organization.status
        organization.status = Organization.Status.SUSPECTED_ZOMBIE
        organization.status_changed_on = today
        stamp_change(organization, user=actor, reason=note)
        organization.full_clean()
        organization.save(update_fields=["status", "status_changed_on", "updated_at"])
        audit_record(
            actor=actor,
            action="organization.status",
            obj=organization,
            summary=f"{organization.name}: {organization.get_status_display()}",
            changes={"status": [previous_status, organization.status]},
        )
    flag.state = (
        ZombieFlag.State.CONFIRMED if action == ZOMBIE_CONFIRM else ZombieFlag.State.CLEARED
    )
    flag.resolved_on = today
    flag.resolved_by = actor
    flag.note = note
    flag.full_clean()
    flag.save(update_fields=["state", "resolved_on", "resolved_by", "note"])
    audit_record(
        actor=actor,
        action=f"zombie_flag.{action}",
        obj=flag,
        summary=f"{organization.name}: {note}",
        changes={"state": [ZombieFlag.State.OPEN, flag.state]},
    )
    return flag
