"""The pure booking arithmetic: opening ranges, closures, open days, gaps, slots, utilisation."""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from venues import rules

TZ = ZoneInfo("Asia/Shanghai")
T = datetime.time
SATURDAY = datetime.date(2026, 5, 16)
WEEKDAYS_ONLY = {day: [(T(8, 30), T(12)), (T(14), T(17, 30))] for day in range(5)}


def closure(kind, first, last=None, opens=None, closes=None, reason="春节"):
    return SimpleNamespace(
        kind=kind, starts_on=first, ends_on=last or first, opens=opens, closes=closes, reason=reason
    )


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, T(hour, minute), tzinfo=TZ)


def test_weekday_hours_apply_and_weekends_are_closed():
    monday = datetime.date(2026, 5, 11)

    assert rules.day_hours(monday, WEEKDAYS_ONLY, []).ranges == (
        (T(8, 30), T(12)),
        (T(14), T(17, 30)),
    )
    assert rules.day_hours(SATURDAY, WEEKDAYS_ONLY, []).is_open is False


@pytest.mark.parametrize(
    ("day", "closed"),
    [
        (datetime.date(2026, 2, 15), False),
        (datetime.date(2026, 2, 16), True),
        (datetime.date(2026, 2, 20), True),
        (datetime.date(2026, 2, 21), False),
    ],
    ids=["day-before", "first-day", "last-day", "day-after"],
)
def test_closure_covers_its_first_and_last_day(day, closed):
    every_day = {weekday: [(T(8), T(21))] for weekday in range(7)}
    spring_festival = closure(rules.CLOSED, datetime.date(2026, 2, 16), datetime.date(2026, 2, 20))

    hours = rules.day_hours(day, every_day, [spring_festival])

    assert hours.is_open is not closed
    assert hours.closed_reason == ("春节" if closed else "")


def test_special_open_day_opens_a_closed_weekday_and_extends_an_open_one():
    open_day = closure(rules.SPECIAL_OPEN, SATURDAY, opens=T(9), closes=T(16), reason="居民开放日")
    late = closure(rules.SPECIAL_OPEN, datetime.date(2026, 5, 11), opens=T(17), closes=T(20))

    assert rules.day_hours(SATURDAY, WEEKDAYS_ONLY, [open_day]).ranges == ((T(9), T(16)),)
    assert rules.day_hours(datetime.date(2026, 5, 11), WEEKDAYS_ONLY, [late]).ranges == (
        (T(8, 30), T(12)),
        (T(14), T(20)),
    )


def test_a_closure_wins_over_a_special_open_day():
    open_day = closure(rules.SPECIAL_OPEN, SATURDAY, opens=T(9), closes=T(16))
    closed = closure(rules.CLOSED, SATURDAY, reason="停电")

    assert rules.day_hours(SATURDAY, WEEKDAYS_ONLY, [open_day, closed]).closed_reason == "停电"


@pytest.mark.parametrize(
    ("start", "end", "fits"),
    [
        (T(8, 30), T(12), True),
        (T(8, 29), T(9), False),
        (T(11), T(12, 1), False),
        (T(11), T(15), False),
        (T(14), T(17, 30), True),
    ],
)
def test_fits_within_one_range(start, end, fits):
    assert rules.fits_within(start, end, WEEKDAYS_ONLY[0]) is fits


def test_merge_joins_touching_and_overlapping_ranges():
    assert rules.merge_ranges([(T(14), T(16)), (T(8), T(12)), (T(12), T(13)), (T(15), T(18))]) == [
        (T(8), T(13)),
        (T(14), T(18)),
    ]


def test_subtract_leaves_the_gaps():
    open_ranges = [(at(SATURDAY, 8), at(SATURDAY, 21))]
    busy = [
        (at(SATURDAY, 9), at(SATURDAY, 10)),
        (at(SATURDAY, 10), at(SATURDAY, 12)),
        (at(SATURDAY, 20), at(SATURDAY, 22)),
    ]

    assert rules.subtract(open_ranges, busy) == [
        (at(SATURDAY, 8), at(SATURDAY, 9)),
        (at(SATURDAY, 12), at(SATURDAY, 20)),
    ]


def test_hour_slots_start_on_full_hours_and_fit():
    free = [(at(SATURDAY, 8, 30), at(SATURDAY, 11, 30))]

    assert rules.hour_slots(free, 60) == [
        (at(SATURDAY, 9), at(SATURDAY, 10)),
        (at(SATURDAY, 10), at(SATURDAY, 11)),
    ]
    assert rules.hour_slots(free, 120) == [(at(SATURDAY, 9), at(SATURDAY, 11))]
    assert rules.hour_slots(free, 60, not_before=at(SATURDAY, 9, 30)) == [
        (at(SATURDAY, 10), at(SATURDAY, 11))
    ]


def test_weekly_dates_find_the_first_weekday_on_or_after_the_start():
    assert rules.weekly_dates(datetime.date(2026, 5, 13), datetime.date(2026, 6, 2), 1) == [
        datetime.date(2026, 5, 19),
        datetime.date(2026, 5, 26),
        datetime.date(2026, 6, 2),
    ]
    assert rules.weekly_dates(datetime.date(2026, 5, 19), datetime.date(2026, 5, 19), 1) == [
        datetime.date(2026, 5, 19)
    ]
    assert rules.weekly_dates(datetime.date(2026, 5, 20), datetime.date(2026, 5, 25), 1) == []


def test_iso_week_runs_monday_to_monday_in_local_time():
    start, stop = rules.iso_week_bounds(datetime.date(2026, 5, 17))

    assert (start, stop) == (at(datetime.date(2026, 5, 11), 0), at(datetime.date(2026, 5, 18), 0))


def test_open_minutes_of_a_month_count_closures_and_open_days():
    # May 2026 has 21 weekdays; 1 May (a Friday) is closed; one Saturday is an open day.
    may_first, june_first = rules.month_bounds(datetime.date(2026, 5, 20))
    closures = [
        closure(rules.CLOSED, datetime.date(2026, 5, 1), reason="劳动节"),
        closure(rules.SPECIAL_OPEN, SATURDAY, opens=T(9), closes=T(12)),
    ]

    minutes = rules.open_minutes(may_first, june_first, WEEKDAYS_ONLY, closures)

    assert (may_first, june_first) == (datetime.date(2026, 5, 1), datetime.date(2026, 6, 1))
    assert minutes == 20 * (210 + 210) + 180


@pytest.mark.parametrize(
    ("booked", "opened", "expected"),
    [
        (0, 600, Decimal("0.000")),
        (90, 600, Decimal("0.150")),
        (600, 600, Decimal("1.000")),
        (10, 0, None),
    ],
)
def test_ratio(booked, opened, expected):
    assert rules.ratio(booked, opened) == expected


def test_hours_round_to_one_decimal():
    assert rules.hours(90) == Decimal("1.5")
    assert rules.hours(100) == Decimal("1.7")
