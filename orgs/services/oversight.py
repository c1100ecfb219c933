"""Oversight of the ledger: annual inspections, credit listings and the zombie watch.

Inspections are recorded by county admins and by township staff for their own township.
Credit listings are the registration authority's decision: county admins only. The dated
rules of the credit lists live in `orgs.rules`; see its docstring for how a new abnormal
listing restarts the 6-month clock but not the 2-year one.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.scoping import scope_for
from core.history import stamp_change
from core.services import audit_record
from core.text import clean_text
from orgs import contributions, rules
from orgs.models import AnnualInspection, CreditListing, Membership, Organization, ZombieFlag

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

logger = logging.getLogger(__name__)

EARLIEST_INSPECTION_YEAR = 1990

INSPECTION_DUPLICATE_MESSAGE = _(
    "%(name)s already has an annual inspection for %(year)s. Open that one instead."
)
INSPECTION_YEAR_FUTURE_MESSAGE = _("The inspection year cannot be in the future.")
INSPECTION_YEAR_TOO_EARLY_MESSAGE = _("The inspection year cannot be before %(year)s.")
INSPECTION_YEAR_BEFORE_FOUNDED_MESSAGE = _(
    "The inspection year cannot be before the organisation was founded (%(year)s)."
)
INSPECTION_DATE_FUTURE_MESSAGE = _("The inspection date cannot be in the future.")

CREDIT_REASON_REQUIRED_MESSAGE = _("Give the reason for the listing.")
CREDIT_LISTED_FUTURE_MESSAGE = _("The listing date cannot be in the future.")
CREDIT_LISTED_BEFORE_CURRENT_MESSAGE = _(
    "A new abnormal listing cannot start before the one in force (listed on %(listed_on)s)."
)
CREDIT_ALREADY_SERIOUS_MESSAGE = _(
    "%(name)s is already on the serious violation and dishonesty list."
)
CREDIT_ORGANIZATION_INACTIVE_MESSAGE = _(
    "%(name)s is no longer active (merged, deregistered or revoked) and cannot be listed."
)
CREDIT_REMOVAL_REASON_REQUIRED_MESSAGE = _("Give the reason for the removal.")
CREDIT_REMOVED_BEFORE_LISTED_MESSAGE = _(
    "The removal date cannot be before the listing date (%(listed_on)s)."
)
CREDIT_REMOVED_FUTURE_MESSAGE = _("The removal date cannot be in the future.")
CREDIT_ALREADY_REMOVED_MESSAGE = _("This listing was already removed on %(removed_on)s.")
CREDIT_SUPERSEDED_REASON = _("Superseded by a new listing")
CREDIT_EXPIRED_REASON = _("Expired after 6 months without rectification")

ZOMBIE_ACTION_MESSAGE = _("Choose whether to confirm or to clear the flag.")
ZOMBIE_NOTE_REQUIRED_MESSAGE = _("Write a note saying what you checked.")
ZOMBIE_ALREADY_RESOLVED_MESSAGE = _("This flag was already resolved.")
ZOMBIE_ORGANIZATION_INACTIVE_MESSAGE = _(
    "%(name)s is no longer active (merged, deregistered or revoked); clear the flag instead."
)
ZOMBIE_REASON_NOT_INSPECTED = _("No annual inspection in %(first)s and %(second)s")
ZOMBIE_REASON_NO_MEMBERS = _("No current members")
ZOMBIE_REASON_NO_ACTIVITY_SINCE_REGISTRATION = _(
    "No verified activity since registration, more than a year ago"
)
ZOMBIE_REASON_NO_RECENT_ACTIVITY = _("No verified activity in the last two quarters")
ZOMBIE_REASON_NOT_INSPECTED_TWO_YEARS = _("No annual inspection in the last two years")
# Reason codes an older demo seed stored instead of the reason's text, shown in words.
ZOMBIE_REASON_CODES = {
    "no_current_members": ZOMBIE_REASON_NO_MEMBERS,
    "no_inspection_two_years": ZOMBIE_REASON_NOT_INSPECTED_TWO_YEARS,
    "no_activity_since_registration": ZOMBIE_REASON_NO_ACTIVITY_SINCE_REGISTRATION,
    "no_recent_activity": ZOMBIE_REASON_NO_RECENT_ACTIVITY,
}
ZOMBIE_QUIET_DAYS = 183

ZOMBIE_CONFIRM = "confirm"
ZOMBIE_CLEAR = "clear"


def in_ledger_language(message, **params) -> str:
    """Render a message stored in the ledger in the site's language, whoever triggers it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def zombie_reason_label(reason: str) -> str:
    """A stored zombie reason as users read it: the text itself, or a legacy code's words."""
    label = ZOMBIE_REASON_CODES.get(reason)
    return str(label) if label is not None else reason


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict, field: str, message, **params) -> None:
    errors.setdefault(field, []).append(ValidationError(message, params=params or None))


# --- Who may act ---------------------------------------------------------------------------


def can_manage_credit_listings(user) -> bool:
    """Listing and delisting is the registration authority's act: county admins only."""
    scope = scope_for(user)
    return not scope.read_only and (user.is_superuser or scope.role == Role.COUNTY_ADMIN)


def can_record_inspection(user, organization: Organization) -> bool:
    """County admins everywhere, township staff in their township."""
    return Organization.objects.editable_by(user).filter(pk=organization.pk).exists()


def can_resolve_zombie_flag(user, flag: ZombieFlag) -> bool:
    """County admins everywhere, township staff in their township."""
    return ZombieFlag.objects.editable_by(user).filter(pk=flag.pk).exists()


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


# --- Credit listings -----------------------------------------------------------------------


def _close_listing(*, actor, listing: CreditListing, removed_on: date, reason: str) -> None:
    listing.removed_on = removed_on
    listing.removal_reason = reason
    listing.removed_by = actor if actor is not None and actor.is_authenticated else None
    listing.full_clean()
    listing.save(update_fields=["removed_on", "removal_reason", "removed_by"])
    audit_record(
        actor=actor,
        action="credit_listing.remove",
        obj=listing,
        summary=f"{listing.organization.name}: {reason}",
        changes={"removed_on": [None, str(removed_on)], "removal_reason": ["", reason]},
    )


@transaction.atomic
def credit_listing_add(
    *,
    actor,
    organization: Organization,
    list_kind: str,
    reason: str,
    listed_on: date,
    needs_rectification: bool = False,
) -> CreditListing:
    """Put an organisation on a credit list; a new abnormal listing supersedes the one in force."""
    if not can_manage_credit_listings(actor):
        raise PermissionDenied
    reason = clean_text(reason)
    errors: dict = {}
    if not organization.is_active:
        _add(errors, NON_FIELD_ERRORS, CREDIT_ORGANIZATION_INACTIVE_MESSAGE, name=organization.name)
    if not reason:
        _add(errors, "reason", CREDIT_REASON_REQUIRED_MESSAGE)
    if listed_on > timezone.localdate():
        _add(errors, "listed_on", CREDIT_LISTED_FUTURE_MESSAGE)
    open_listings = list(
        CreditListing.objects.select_for_update()
        .filter(organization=organization, list_kind=list_kind, removed_on__isnull=True)
        .select_related("organization")
        .order_by("listed_on", "pk")
    )
    if list_kind == CreditListing.Kind.SERIOUS and open_listings:
        _add(errors, "list_kind", CREDIT_ALREADY_SERIOUS_MESSAGE, name=organization.name)
    for older in open_listings:
        if older.listed_on > listed_on:
            _add(
                errors,
                "listed_on",
                CREDIT_LISTED_BEFORE_CURRENT_MESSAGE,
                listed_on=older.listed_on.isoformat(),
            )
            break
    _raise_if(errors)

    # Rule (c): a new listable event restarts the 6-month clock of the abnormal list.
    for older in open_listings:
        ended_on = rules.auto_end_on(older)
        if ended_on is not None and rules.has_expired(older, listed_on):
            _close_listing(
                actor=None,
                listing=older,
                removed_on=ended_on,
                reason=in_ledger_language(CREDIT_EXPIRED_REASON),
            )
        else:
            _close_listing(
                actor=actor,
                listing=older,
                removed_on=listed_on,
                reason=in_ledger_language(CREDIT_SUPERSEDED_REASON),
            )
    listing = CreditListing(
        organization=organization,
        list_kind=list_kind,
        reason=reason,
        listed_on=listed_on,
        needs_rectification=needs_rectification,
        listed_by=actor,
    )
    listing.full_clean()
    listing.save()
    audit_record(
        actor=actor,
        action="credit_listing.add",
        obj=listing,
        summary=f"{organization.name}: {listing.get_list_kind_display()} {reason}",
    )
    return listing


@transaction.atomic
def credit_listing_remove(
    *, actor, listing: CreditListing, removed_on: date, reason: str
) -> CreditListing:
    """Take an organisation off a credit list, with the reason."""
    if not can_manage_credit_listings(actor):
        raise PermissionDenied
    listing = (
        CreditListing.objects.select_for_update().select_related("organization").get(pk=listing.pk)
    )
    reason = clean_text(reason)
    errors: dict = {}
    if listing.removed_on is not None:
        _add(
            errors,
            NON_FIELD_ERRORS,
            CREDIT_ALREADY_REMOVED_MESSAGE,
            removed_on=listing.removed_on.isoformat(),
        )
    if not reason:
        _add(errors, "reason", CREDIT_REMOVAL_REASON_REQUIRED_MESSAGE)
    if removed_on < listing.listed_on:
        _add(
            errors,
            "removed_on",
            CREDIT_REMOVED_BEFORE_LISTED_MESSAGE,
            listed_on=listing.listed_on.isoformat(),
        )
    elif removed_on > timezone.localdate():
        _add(errors, "removed_on", CREDIT_REMOVED_FUTURE_MESSAGE)
    _raise_if(errors)
    _close_listing(actor=actor, listing=listing, removed_on=removed_on, reason=reason)
    return listing


def credit_listings_expire(*, on: date) -> int:
    """Close abnormal listings that ended by themselves 6 months after listing; return how many."""
    # Month-end clamping can end a listing a few days before "on minus 6 months" suggests.
    cutoff = on - relativedelta(months=rules.ABNORMAL_AUTO_END_MONTHS) + timedelta(days=3)
    candidates = (
        CreditListing.objects.filter(
            list_kind=CreditListing.Kind.ABNORMAL,
            needs_rectification=False,
            removed_on__isnull=True,
            listed_on__lte=cutoff,
        )
        .select_related("organization")
        .order_by("pk")
    )
    reason = in_ledger_language(CREDIT_EXPIRED_REASON)
    closed = 0
    for listing in candidates.iterator(chunk_size=500):
        ended_on = rules.auto_end_on(listing)
        if ended_on is None or not rules.has_expired(listing, on):
            continue
        with transaction.atomic():
            _close_listing(actor=None, listing=listing, removed_on=ended_on, reason=reason)
        closed += 1
    logger.info("credit listings expired", extra={"closed": closed, "on": str(on)})
    return closed


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
