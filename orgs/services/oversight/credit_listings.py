"""Credit listings: the registration authority's decision (county admins only).

The dated rules of the credit lists live in `orgs.rules`; see its docstring for how a new
abnormal listing restarts the 6-month clock but not the 2-year one.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.services import audit_record
from core.text import clean_text
from orgs import rules
from orgs.models import CreditListing, Organization
from orgs.permissions import can_manage_credit_listings
from orgs.services.oversight.common import (
    CREDIT_ALREADY_REMOVED_MESSAGE,
    CREDIT_ALREADY_SERIOUS_MESSAGE,
    CREDIT_EXPIRED_REASON,
    CREDIT_LISTED_BEFORE_CURRENT_MESSAGE,
    CREDIT_LISTED_FUTURE_MESSAGE,
    CREDIT_ORGANIZATION_INACTIVE_MESSAGE,
    CREDIT_REASON_REQUIRED_MESSAGE,
    CREDIT_REMOVAL_REASON_REQUIRED_MESSAGE,
    CREDIT_REMOVED_BEFORE_LISTED_MESSAGE,
    CREDIT_REMOVED_FUTURE_MESSAGE,
    CREDIT_SUPERSEDED_REASON,
    _add,
    _raise_if,
    in_ledger_language,
    logger,
)

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
    open_listings = list(
        CreditListing.objects.select_for_update()
        .filter(organization=organization, list_kind=list_kind, removed_on__isnull=True)
        .select_related("organization")
        .order_by("listed_on", "pk")
    )
    _raise_if(
        _listing_errors(
            organization=organization,
            list_kind=list_kind,
            reason=reason,
            listed_on=listed_on,
            open_listings=open_listings,
        )
    )
    _close_superseded(actor=actor, open_listings=open_listings, listed_on=listed_on)
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


def _listing_errors(
    *, organization: Organization, list_kind: str, reason: str, listed_on: date, open_listings
) -> dict:
    """What is wrong with a new listing, by field (empty when it may be written)."""
    errors: dict = {}
    if not organization.is_active:
        _add(errors, NON_FIELD_ERRORS, CREDIT_ORGANIZATION_INACTIVE_MESSAGE, name=organization.name)
    if not reason:
        _add(errors, "reason", CREDIT_REASON_REQUIRED_MESSAGE)
    if listed_on > timezone.localdate():
        _add(errors, "listed_on", CREDIT_LISTED_FUTURE_MESSAGE)
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
    return errors


def _close_superseded(*, actor, open_listings, listed_on: date) -> None:
    """Rule (c): a new listable event restarts the 6-month clock of the abnormal list.

    A listing whose time ran out before the new one ends on its own date, closed by nobody;
    one still in force is superseded by the new listing, closed by the actor.
    """
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
