"""The dated rules of branches and their organisational life, as pure functions.

Sources: 《中国共产党支部工作条例（试行）》 and the county's programme. Every function takes the
days it judges explicitly and touches no database, so each rule is tested at its boundaries.

Quarters are `core.quarters`' local calendar quarters, `(year, q)`.

What a branch owes in a quarter (`required_count`), counted over the days the branch was active
in the quarter up to `as_of` (today for the running quarter, the quarter's last day otherwise):
- monthly kinds: `count` for every calendar month of the quarter that the branch was active on
  at least one day of (so a full quarter owes 3 × count; a branch set up on 20 May owes May's
  and June's; in the running quarter only the months begun by `as_of` are owed yet);
- quarterly kinds: `count` when the branch was active on any day of the quarter;
- yearly kinds (组织生活会, 民主评议党员) are due by the end of the year: they are owed only in the
  fourth quarter, and what is held is counted over the whole year up to the quarter's end, so a
  life meeting held in March satisfies the year. In Q1–Q3 they show what has been held so far.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.quarters import Quarter, quarter_bounds

MIN_FORMAL_MEMBERS = 3
MAX_MEMBERS = 50
JOINT_MIN_ORGANIZATIONS = 2
JOINT_MAX_ORGANIZATIONS = 5

MONTHLY = "monthly"
QUARTERLY = "quarterly"
YEARLY = "yearly"

# kind -> (period, count per period): the defaults seeded by the data migration.
DEFAULT_FREQUENCIES = {
    "committee": (MONTHLY, 1),
    "group": (MONTHLY, 1),
    "theme_day": (MONTHLY, 1),
    "general_meeting": (QUARTERLY, 1),
    "lecture": (QUARTERLY, 1),
    "life_meeting": (YEARLY, 1),
    "appraisal": (YEARLY, 1),
}


def active_span(
    *, established_on: date, dissolved_on: date | None, start: date, end: date
) -> tuple[date, date] | None:
    """The days of [start, end] on which a branch was active, or None.

    A branch is active from the day it is set up until the day before it is dissolved.
    """
    first = max(established_on, start)
    last = end if dissolved_on is None else min(end, dissolved_on - timedelta(days=1))
    return (first, last) if first <= last else None


def months_touched(first: date, last: date) -> int:
    """The number of calendar months with at least one day in [first, last]."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def required_count(
    *,
    period: str,
    count: int,
    quarter: Quarter,
    established_on: date,
    dissolved_on: date | None,
    as_of: date,
) -> int:
    """How many meetings of a kind a branch owes in the quarter (see the module docstring)."""
    start, end = quarter_bounds(quarter)
    span = active_span(
        established_on=established_on,
        dissolved_on=dissolved_on,
        start=start,
        end=min(end, as_of),
    )
    if span is None:
        return 0
    if period == MONTHLY:
        return count * months_touched(*span)
    if period == QUARTERLY:
        return count
    if period == YEARLY:
        return count if quarter[1] == 4 else 0
    return 0


def held_window(*, period: str, quarter: Quarter, as_of: date) -> tuple[date, date]:
    """The days whose meetings count towards the quarter: the year so far for yearly kinds."""
    start, end = quarter_bounds(quarter)
    end = min(end, as_of)
    if period == YEARLY:
        start = date(quarter[0], 1, 1)
    return start, end


def member_on(*, joined_on: date, left_on: date | None, day: date) -> bool:
    """Whether a branch membership is in force on a day (leaving day excluded)."""
    return joined_on <= day and (left_on is None or day < left_on)
