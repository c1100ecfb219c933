"""The dated rules of the credit lists and evaluation grades, at their boundaries."""

from datetime import date

import pytest

from orgs import rules
from orgs.models import CreditListing, Organization

ABNORMAL = CreditListing.Kind.ABNORMAL
SERIOUS = CreditListing.Kind.SERIOUS


def listing(listed_on, *, kind=ABNORMAL, rectify=False, removed_on=None) -> CreditListing:
    return CreditListing(
        list_kind=kind, listed_on=listed_on, needs_rectification=rectify, removed_on=removed_on
    )


@pytest.mark.parametrize(
    ("listed_on", "ends_on"),
    [
        (date(2024, 1, 10), date(2024, 7, 10)),
        # No 31 February: the period ends on the last day of the month (leap and common years).
        (date(2023, 8, 31), date(2024, 2, 29)),
        (date(2024, 8, 31), date(2025, 2, 28)),
        (date(2024, 12, 31), date(2025, 6, 30)),
    ],
)
def test_abnormal_listing_without_rectification_ends_by_itself_after_6_months(listed_on, ends_on):
    entry = listing(listed_on)

    assert rules.effective_end(entry) == ends_on
    assert rules.auto_end_on(entry) == ends_on


@pytest.mark.parametrize(
    ("on", "in_force", "expired"),
    [
        (date(2024, 1, 9), False, False),
        (date(2024, 1, 10), True, False),
        (date(2024, 7, 9), True, False),
        (date(2024, 7, 10), False, True),
        (date(2024, 7, 11), False, True),
    ],
)
def test_abnormal_listing_is_in_force_until_the_day_before_its_6_months_end(on, in_force, expired):
    entry = listing(date(2024, 1, 10))

    assert rules.is_in_force(entry, on) is in_force
    assert rules.has_expired(entry, on) is expired


@pytest.mark.parametrize(
    "entry",
    [
        listing(date(2024, 1, 10), rectify=True),
        listing(date(2024, 1, 10), kind=SERIOUS),
    ],
    ids=["abnormal-needing-rectification", "serious"],
)
def test_listings_that_need_a_decision_do_not_end_by_themselves(entry):
    assert rules.effective_end(entry) is None
    assert rules.is_in_force(entry, date(2030, 1, 1))
    assert not rules.has_expired(entry, date(2030, 1, 1))


def test_a_removal_before_the_6_months_ends_the_listing_on_the_removal_day():
    entry = listing(date(2024, 1, 10), removed_on=date(2024, 3, 1))

    assert rules.effective_end(entry) == date(2024, 3, 1)
    assert rules.is_in_force(entry, date(2024, 2, 29))
    assert not rules.is_in_force(entry, date(2024, 3, 1))
    assert not rules.has_expired(entry, date(2024, 12, 1))


@pytest.mark.parametrize(
    ("listed_on", "day_before", "first_day"),
    [
        (date(2022, 3, 1), date(2024, 2, 29), date(2024, 3, 1)),
        (date(2022, 6, 15), date(2024, 6, 14), date(2024, 6, 15)),
        # Two years from 29 February end on 28 February.
        (date(2020, 2, 29), date(2022, 2, 27), date(2022, 2, 28)),
    ],
)
def test_two_full_years_on_the_abnormal_list_propose_the_serious_list(
    listed_on, day_before, first_day
):
    listings = [listing(listed_on, rectify=True)]

    assert not rules.serious_list_proposed(listings, day_before)
    assert rules.serious_list_proposed(listings, first_day)
    assert rules.abnormal_since(listings, first_day) == listed_on


def test_a_new_listing_restarts_the_6_months_but_the_2_years_keep_counting():
    # Given a listing superseded by a new one on the day the new one starts (rule c)
    first = listing(date(2022, 1, 1), removed_on=date(2022, 5, 1))
    second = listing(date(2022, 5, 1), rectify=True)

    # Then the organisation has been on the list without a break since the first listing
    assert rules.abnormal_since([first, second], date(2023, 1, 1)) == date(2022, 1, 1)
    assert not rules.serious_list_proposed([first, second], date(2023, 12, 31))
    assert rules.serious_list_proposed([first, second], date(2024, 1, 1))


def test_a_listing_starting_the_day_the_previous_one_ended_by_itself_continues_it():
    first = listing(date(2022, 1, 1))  # ends by itself on 2022-07-01
    second = listing(date(2022, 7, 1), rectify=True)

    assert rules.abnormal_since([second, first], date(2024, 1, 1)) == date(2022, 1, 1)
    assert rules.serious_list_proposed([first, second], date(2024, 1, 1))


def test_a_day_off_the_list_restarts_the_2_years():
    first = listing(date(2022, 1, 1), removed_on=date(2022, 5, 1))
    second = listing(date(2022, 5, 2), rectify=True)

    assert rules.abnormal_since([first, second], date(2024, 1, 1)) == date(2022, 5, 2)
    assert not rules.serious_list_proposed([first, second], date(2024, 5, 1))
    assert rules.serious_list_proposed([first, second], date(2024, 5, 2))


@pytest.mark.parametrize(
    "listings",
    [
        [listing(date(2020, 1, 1), rectify=True, removed_on=date(2023, 1, 1))],
        [listing(date(2020, 1, 1), rectify=True), listing(date(2023, 1, 1), kind=SERIOUS)],
        [listing(date(2020, 1, 1), kind=SERIOUS)],
        [],
    ],
    ids=["removed-before", "already-on-serious-list", "serious-only", "never-listed"],
)
def test_the_serious_list_is_not_proposed_off_the_abnormal_list_or_once_on_it(listings):
    assert not rules.serious_list_proposed(listings, date(2024, 1, 1))


@pytest.mark.parametrize(
    ("awarded_on", "last_valid_day", "expires_on"),
    [
        (date(2021, 6, 15), date(2026, 6, 14), date(2026, 6, 15)),
        (date(2020, 2, 29), date(2025, 2, 27), date(2025, 2, 28)),
        (date(2019, 2, 28), date(2024, 2, 27), date(2024, 2, 28)),
    ],
)
def test_an_evaluation_grade_is_valid_for_5_years(awarded_on, last_valid_day, expires_on):
    organization = Organization(grade=Organization.Grade.A3, grade_awarded_on=awarded_on)

    assert organization.grade_expires_on() == expires_on
    assert organization.grade_is_valid(on=last_valid_day)
    assert not organization.grade_is_valid(on=expires_on)


@pytest.mark.parametrize(
    ("grade", "awarded_on"), [("", date(2024, 1, 1)), (Organization.Grade.A5, None)]
)
def test_a_grade_without_its_award_date_or_a_missing_grade_is_not_valid(grade, awarded_on):
    organization = Organization(grade=grade, grade_awarded_on=awarded_on)

    assert not organization.grade_is_valid(on=date(2024, 6, 1))
