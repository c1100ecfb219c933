"""A record counts in the quarter of its local (Asia/Shanghai) date, at any hour.

The scores are computed by raw SQL; on SQLite aware datetimes are stored as UTC text, so a
boundary handed over as '+08:00' text would put everything between 00:00 and 08:00 local on a
quarter's first day into the previous quarter. Run on SQLite and on PostgreSQL.
"""

import datetime

import pytest
from django.utils import timezone

from activities.models import VerificationStatus
from scoring.gaps import quarter_figures
from scoring.models import QuarterScore
from scoring.services.compute import compute_quarter
from tests.activities.factories import ActivityFactory, FeedbackFactory
from tests.venues.factories import BookingFactory
from venues.models import Booking

# 2025 Q2 runs from 1 April to 30 June; Q1 ends on 31 March, Q3 starts on 1 July.
MOMENTS = [
    (datetime.date(2025, 3, 31), datetime.time(23, 59), (2025, 1)),
    (datetime.date(2025, 4, 1), datetime.time(0, 0), (2025, 2)),
    (datetime.date(2025, 4, 1), datetime.time(7, 59), (2025, 2)),
    (datetime.date(2025, 4, 1), datetime.time(23, 59), (2025, 2)),
    (datetime.date(2025, 6, 30), datetime.time(0, 0), (2025, 2)),
    (datetime.date(2025, 6, 30), datetime.time(7, 59), (2025, 2)),
    (datetime.date(2025, 6, 30), datetime.time(23, 59), (2025, 2)),
    (datetime.date(2025, 7, 1), datetime.time(0, 0), (2025, 3)),
    (datetime.date(2025, 7, 1), datetime.time(7, 59), (2025, 3)),
]
QUARTERS = ((2025, 1), (2025, 2), (2025, 3))


def _activity(org, moment, **fields):
    return ActivityFactory(
        lead_organization=org,
        start=moment,
        end=moment + datetime.timedelta(minutes=30),
        status=VerificationStatus.VERIFIED,
        beneficiaries=0,
        **fields,
    )


def _make_activity(county, moment):
    _activity(county.org_a1, moment)


def _make_rating(county, moment):
    # The rated activity itself lies mid-quarter elsewhere; only the rating's time matters.
    activity = _activity(
        county.org_a2, timezone.make_aware(datetime.datetime(2025, 5, 15, 10)), title="别的活动"
    )
    FeedbackFactory(activity=activity, organization=county.org_a1, score=4, created_at=moment)


def _make_no_show(county, moment):
    BookingFactory(
        organization=county.org_a1,
        start=moment,
        end=moment + datetime.timedelta(minutes=1),
        status=Booking.Status.NO_SHOW,
    )


KINDS = {
    "activity": (_make_activity, "activities"),
    "rating": (_make_rating, "feedback_count"),
    "no_show": (_make_no_show, "no_shows"),
}

GAP_FIGURES = {"activity": "activities", "rating": "ratings", "no_show": "no_shows"}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize(
    ("day", "clock", "expected"),
    MOMENTS,
    ids=[f"{day:%m%d}-{clock:%H%M}" for day, clock, _q in MOMENTS],
)
def test_a_record_counts_in_the_quarter_of_its_local_date(county, kind, day, clock, expected):
    make, figure = KINDS[kind]
    make(county, timezone.make_aware(datetime.datetime.combine(day, clock)))

    for year, quarter in QUARTERS:
        compute_quarter(year, quarter)

    counted = {
        (row.year, row.quarter): getattr(row, figure)
        for row in QuarterScore.objects.filter(organization=county.org_a1)
    }
    assert counted == {q: (1 if q == expected else 0) for q in QUARTERS}
    # The contact's card counts the same records in the same quarter.
    assert {q: getattr(quarter_figures(county.org_a1, q), GAP_FIGURES[kind]) for q in QUARTERS} == (
        {q: (1 if q == expected else 0) for q in QUARTERS}
    )
