"""Calendar quarters: the county's reporting periods, shared by every app that counts by quarter.

A quarter is a local calendar quarter written `(year, q)`, q in 1..4. People read it as
"2026年第四季度" (`quarter_label`); URLs and form values carry its code "2026Q4"
(`format_quarter` / `parse_quarter`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

Quarter = tuple[int, int]

_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*[Qq-]?\s*([1-4])\s*$")


def quarter_of(day: date) -> Quarter:
    """The quarter a day falls in."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(quarter: Quarter) -> tuple[date, date]:
    """The first and last day of a quarter."""
    year, q = quarter
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start, end - timedelta(days=1)


def quarter_datetimes(quarter: Quarter) -> tuple[datetime, datetime]:
    """The quarter as [start, end) aware datetimes in the local time zone: a range on the
    column itself, so an index on it serves (`__date` would wrap the column in a function)."""
    first, last = quarter_bounds(quarter)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return start, end


def parse_quarter(text: str | None) -> Quarter | None:
    """Read "2025Q3" (or "2025-3", "2025 3"); None when it isn't a quarter."""
    match = _QUARTER_RE.match(text or "")
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))


def format_quarter(quarter: Quarter) -> str:
    """The quarter's code, "2025Q3": for URLs and form values, not for people."""
    return f"{quarter[0]}Q{quarter[1]}"


_QUARTER_NAMES = {
    1: gettext_lazy("first quarter"),
    2: gettext_lazy("second quarter"),
    3: gettext_lazy("third quarter"),
    4: gettext_lazy("fourth quarter"),
}


def quarter_name(q: int) -> str:
    """The quarter of a year as a person reads it: "第四季度"."""
    return str(_QUARTER_NAMES[q])


def quarter_label(quarter: Quarter) -> str:
    """The quarter as a person reads it: "2026年第四季度"."""
    return gettext("%(year)s, %(name)s") % {"year": quarter[0], "name": _QUARTER_NAMES[quarter[1]]}


def shift_quarter(quarter: Quarter, by: int) -> Quarter:
    """The quarter `by` quarters later (earlier when negative)."""
    index = quarter[0] * 4 + quarter[1] - 1 + by
    return index // 4, index % 4 + 1
