"""The dated rules of the credit lists and evaluation grades, as pure functions.

Source: 《社会组织信用信息管理办法》 (Ministry of Civil Affairs, 2018). Every function takes the day
it judges (`on`) explicitly and touches no database, so each rule is tested at its boundaries.

A listing is in force on the days `listed_on <= day < end`, where `end` is its effective end
(`effective_end`): the day it was removed, or for an abnormal listing that needed no
rectification, 6 months after it was listed, whichever comes first. This matches
`CreditListing.objects.active_on`, where a listing removed on a day is no longer in force
that day.

Rule (c), a new listable event while an abnormal listing is in force: the new listing restarts
the 6-month clock (the older listing is closed on the day the new one starts), but the
organisation never left the list, so the 2-year clock towards the serious list keeps running:
`serious_list_proposed` counts continuous time on the abnormal list across listings that follow
each other without a gap.
"""

from collections.abc import Iterable
from datetime import date

from dateutil.relativedelta import relativedelta

ABNORMAL_AUTO_END_MONTHS = 6
SERIOUS_LIST_AFTER_YEARS = 2

ABNORMAL = "abnormal"
SERIOUS = "serious"


def add_months(day: date, months: int) -> date:
    """Add calendar months; a day past the end of the target month falls on its last day."""
    return day + relativedelta(months=months)


def auto_end_on(listing) -> date | None:
    """The day an abnormal listing that needed no rectification ends by itself, else None."""
    if listing.list_kind != ABNORMAL or listing.needs_rectification:
        return None
    return add_months(listing.listed_on, ABNORMAL_AUTO_END_MONTHS)


def effective_end(listing) -> date | None:
    """The first day the listing is no longer in force; None while it has no end."""
    ends = [end for end in (listing.removed_on, auto_end_on(listing)) if end is not None]
    return min(ends) if ends else None


def is_in_force(listing, on: date) -> bool:
    """Whether the listing is in force on the day."""
    end = effective_end(listing)
    return listing.listed_on <= on and (end is None or on < end)


def has_expired(listing, on: date) -> bool:
    """Whether a listing still open in the ledger has ended by itself by the day."""
    end = auto_end_on(listing)
    return listing.removed_on is None and end is not None and end <= on


def abnormal_since(listings: Iterable, on: date) -> date | None:
    """The first day of the unbroken stretch on the abnormal list that includes the day."""
    spans = sorted(
        (
            (listing.listed_on, effective_end(listing))
            for listing in listings
            if listing.list_kind == ABNORMAL and listing.listed_on <= on
        ),
        key=lambda span: span[0],
    )
    start = end = None
    for listed_on, ends_on in spans:
        # A listing that starts on (or before) the day the previous one ends continues it.
        if start is None or (end is not None and listed_on > end):
            start, end = listed_on, ends_on
        elif end is not None:
            end = None if ends_on is None else max(end, ends_on)
    if start is None or (end is not None and end <= on):
        return None
    return start


def serious_list_proposed(listings: Iterable, on: date) -> bool:
    """Whether two full years on the abnormal list, unbroken, propose the serious list on the day.

    Not proposed when the organisation is already on the serious list that day.
    """
    listings = list(listings)
    if any(listing.list_kind == SERIOUS and is_in_force(listing, on) for listing in listings):
        return False
    since = abnormal_since(listings, on)
    return since is not None and since + relativedelta(years=SERIOUS_LIST_AFTER_YEARS) <= on
