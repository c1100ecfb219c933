"""What every figure of the overview shares: its filters, links, years and cache time."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core import quarters
from orgs.models import Organization

CACHE_VERSION = 1
DEFAULT_CACHE_SECONDS = 60
TOP_COUNT = 10
MOVERS_COUNT = 5
YEARS_OFFERED = 5
# The suspected zombies' row of the standing chart (status "zombie" or an open flag).
STANDING_ZOMBIE = Organization.Status.SUSPECTED_ZOMBIE


def cache_seconds() -> int:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)


def link(url_name: str, **params) -> str:
    """A list page's URL with the filter parameters that narrow it to a figure."""
    return _with_query(reverse(url_name), params)


def _with_query(url: str, params: dict) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return url + (f"?{query}" if query else "")


@dataclass(frozen=True)
class OverviewFilters:
    """What narrows every figure: a township (None for the whole scope), a year, and for the
    staff of several counties one county (None for all of theirs; a township implies its own)."""

    township_id: int | None
    year: int
    county_id: int | None = None

    @property
    def quarter(self) -> tuple[int, int]:
        """The ranking quarter: the running one this year, the last one of a past year."""
        current = quarters.quarter_of(timezone.localdate())
        return current if self.year >= current[0] else (self.year, 4)

    @property
    def month(self) -> datetime.date:
        """The utilisation month: this month this year, December of a past year."""
        today = timezone.localdate()
        return today.replace(day=1) if self.year >= today.year else datetime.date(self.year, 12, 1)


def years_offered() -> list[int]:
    this_year = timezone.localdate().year
    return [this_year - offset for offset in range(YEARS_OFFERED)]


def parse_year(value) -> int:
    """The year asked for when it is one of those offered, else this year."""
    offered = years_offered()
    return int(value) if str(value).isdigit() and int(value) in offered else offered[0]


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(
        year, month, calendar.monthrange(year, month)[1]
    )
