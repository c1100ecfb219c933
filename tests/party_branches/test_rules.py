"""The pure rules: quarters, what a branch owes in a quarter, membership on a day."""

from datetime import date

import pytest

from core import quarters
from party_branches import rules


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2025, 1, 1), (2025, 1)),
        (date(2025, 3, 31), (2025, 1)),
        (date(2025, 4, 1), (2025, 2)),
        (date(2025, 9, 30), (2025, 3)),
        (date(2025, 10, 1), (2025, 4)),
        (date(2025, 12, 31), (2025, 4)),
    ],
)
def test_quarter_of_day_at_boundaries(day, quarter):
    assert quarters.quarter_of(day) == quarter
    start, end = quarters.quarter_bounds(quarter)
    assert start <= day <= end


@pytest.mark.parametrize(
    ("quarter", "bounds"),
    [
        ((2024, 1), (date(2024, 1, 1), date(2024, 3, 31))),
        ((2024, 2), (date(2024, 4, 1), date(2024, 6, 30))),
        ((2024, 4), (date(2024, 10, 1), date(2024, 12, 31))),
    ],
)
def test_quarter_bounds(quarter, bounds):
    assert quarters.quarter_bounds(quarter) == bounds


@pytest.mark.parametrize(
    ("text", "quarter"),
    [
        ("2025Q3", (2025, 3)),
        ("2025q1", (2025, 1)),
        ("2025-4", (2025, 4)),
        ("2025Q5", None),
        ("", None),
        (None, None),
        ("abc", None),
    ],
)
def test_parse_quarter(text, quarter):
    assert quarters.parse_quarter(text) == quarter


def test_shift_quarter_crosses_years():
    assert quarters.shift_quarter((2025, 1), -1) == (2024, 4)
    assert quarters.shift_quarter((2024, 4), 1) == (2025, 1)
    assert quarters.shift_quarter((2025, 3), -7) == (2023, 4)


Q3 = (2025, 3)
END_Q3 = date(2025, 9, 30)


@pytest.mark.parametrize(
    ("period", "established", "dissolved", "as_of", "required"),
    [
        # A full quarter owes three monthly meetings.
        ("monthly", date(2024, 1, 1), None, END_Q3, 3),
        # Set up on the last day of the quarter: that month is owed.
        ("monthly", date(2025, 9, 30), None, END_Q3, 1),
        # Set up the day after the quarter: nothing.
        ("monthly", date(2025, 10, 1), None, END_Q3, 0),
        # Set up mid-August: August and September.
        ("monthly", date(2025, 8, 15), None, END_Q3, 2),
        # Dissolved on 1 August: active in July only.
        ("monthly", date(2024, 1, 1), date(2025, 8, 1), END_Q3, 1),
        # Dissolved on 2 August: active on 1 August too.
        ("monthly", date(2024, 1, 1), date(2025, 8, 2), END_Q3, 2),
        # Dissolved on 1 July: never active in the quarter.
        ("monthly", date(2024, 1, 1), date(2025, 7, 1), END_Q3, 0),
        # The running quarter on 31 July: only July is owed yet.
        ("monthly", date(2024, 1, 1), None, date(2025, 7, 31), 1),
        ("monthly", date(2024, 1, 1), None, date(2025, 8, 1), 2),
        ("quarterly", date(2024, 1, 1), None, END_Q3, 1),
        ("quarterly", date(2025, 9, 30), None, END_Q3, 1),
        ("quarterly", date(2024, 1, 1), date(2025, 7, 1), END_Q3, 0),
        # Yearly kinds are owed in Q4 only.
        ("yearly", date(2024, 1, 1), None, END_Q3, 0),
    ],
)
def test_required_count_in_third_quarter(period, established, dissolved, as_of, required):
    assert (
        rules.required_count(
            period=period,
            count=1,
            quarter=Q3,
            established_on=established,
            dissolved_on=dissolved,
            as_of=as_of,
        )
        == required
    )


def test_yearly_kinds_are_owed_in_the_fourth_quarter_and_count_the_whole_year():
    assert (
        rules.required_count(
            period="yearly",
            count=1,
            quarter=(2025, 4),
            established_on=date(2024, 1, 1),
            dissolved_on=None,
            as_of=date(2025, 12, 31),
        )
        == 1
    )
    assert rules.held_window(period="yearly", quarter=(2025, 4), as_of=date(2026, 2, 1)) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    assert rules.held_window(period="monthly", quarter=(2025, 4), as_of=date(2025, 11, 5)) == (
        date(2025, 10, 1),
        date(2025, 11, 5),
    )


def test_a_count_of_two_per_month_doubles_what_is_owed():
    assert (
        rules.required_count(
            period="monthly",
            count=2,
            quarter=Q3,
            established_on=date(2024, 1, 1),
            dissolved_on=None,
            as_of=END_Q3,
        )
        == 6
    )


@pytest.mark.parametrize(
    ("day", "member"),
    [
        (date(2025, 1, 9), False),
        (date(2025, 1, 10), True),
        (date(2025, 5, 31), True),
        (date(2025, 6, 1), False),
    ],
)
def test_member_on_day_excludes_the_leaving_day(day, member):
    assert rules.member_on(joined_on=date(2025, 1, 10), left_on=date(2025, 6, 1), day=day) is member
