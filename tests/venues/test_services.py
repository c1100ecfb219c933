"""The booking rules as the services enforce them: refusals with their exact messages,
who may decide, cancelling, moving and marking attendance."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from accounts.roles import Role
from core.models import AuditEvent
from orgs.models import Organization
from tests.accounts.factories import UserFactory
from tests.orgs.factories import OrganizationFactory
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory, open_every_day
from venues import selectors, services
from venues.ical import bookings_to_ics, escape_text, fold
from venues.models import Booking, Closure
from venues.services import (
    BookingConflict,
    booking_approve,
    booking_cancel,
    booking_create,
    booking_mark_no_show,
    booking_mark_used,
    booking_move,
    booking_reject,
    booking_series_create,
    booking_series_preview,
)
from venues.tasks import expire_pending_bookings

TZ = ZoneInfo("Asia/Shanghai")
# Wednesday 13 May 2026, 09:00 in the county.
NOW = datetime.datetime(2026, 5, 13, 9, 0, tzinfo=TZ)
SATURDAY = datetime.date(2026, 5, 16)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def station(county):
    center = ServiceCenterFactory(
        name="幸福社区党群服务站", community=county.community_a1, township=county.township_a
    )
    open_every_day(center, datetime.time(8, 30), datetime.time(21, 0))
    return center


@pytest.fixture
def room(station):
    return RoomFactory(center=station, name="活动室", capacity=30, needs_approval=False)


@pytest.fixture
def approval_room(station):
    return RoomFactory(center=station, name="会议室", capacity=20, needs_approval=True)


@pytest.fixture
def far_room(county):
    center = ServiceCenterFactory(
        name="王家村党群服务站", community=county.community_b1, township=county.township_b
    )
    open_every_day(center)
    return RoomFactory(center=center, name="活动室", capacity=30)


def book(actor, room, organization, start, end, **extra):
    data = {"purpose": "书法练习", "expected_attendance": 10} | extra
    return booking_create(
        actor=actor, room=room, organization=organization, start=start, end=end, **data
    )


def message(constant, **params):
    return str(constant) % params if params else str(constant)


# --- booking_create: the happy paths ---


def test_room_without_approval_confirms_at_once_and_is_audited(org_contact, county, room):
    booking = book(org_contact, room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16))

    assert booking.status == Booking.Status.CONFIRMED
    assert booking.booked_by == org_contact
    assert AuditEvent.objects.filter(action="booking.create", object_id=str(booking.pk)).exists()


def test_room_needing_approval_starts_pending(org_contact, county, approval_room):
    booking = book(org_contact, approval_room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16))

    assert booking.status == Booking.Status.PENDING


def test_purpose_is_trimmed_and_kept_as_typed(org_contact, county, room):
    purpose = "  \u200b排练，音响；时间：周末（上午）ＡＢ "
    booking = book(
        org_contact, room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 15), purpose=purpose
    )

    assert booking.purpose == "排练，音响；时间：周末（上午）ＡＢ"


# --- who may book for which organisation ---


@pytest.mark.parametrize(
    ("persona", "org", "allowed"),
    [
        ("county_admin", "org_b1", True),
        ("township_staff", "org_a2", True),
        ("township_staff", "org_b1", False),
        ("secretary", "org_a1", True),
        ("secretary", "org_a2", False),
        ("org_contact", "org_a1", True),
        ("org_contact", "org_a2", False),
        ("official", "org_a1", False),
    ],
    indirect=["persona"],
)
def test_who_may_book_for_which_organisation(persona, org, allowed, county, room):
    organization = getattr(county, org)
    if allowed:
        assert book(persona, room, organization, at(SATURDAY, 10), at(SATURDAY, 11)).pk
    else:
        with pytest.raises(PermissionDenied):
            book(persona, room, organization, at(SATURDAY, 10), at(SATURDAY, 11))
    assert Booking.objects.count() == (1 if allowed else 0)


def test_room_outside_the_township_cannot_be_booked(township_staff, county, far_room):
    with pytest.raises(PermissionDenied):
        book(township_staff, far_room, county.org_a1, at(SATURDAY, 10), at(SATURDAY, 11))


def test_inactive_room_is_refused(org_contact, county, room):
    room.is_active = False
    room.save()

    with pytest.raises(ValidationError) as error:
        book(org_contact, room, county.org_a1, at(SATURDAY, 10), at(SATURDAY, 11))

    assert error.value.message_dict == {"room": [message(services.ROOM_INACTIVE)]}


def test_inactive_organisation_is_refused(secretary, county, room):
    Organization.objects.filter(pk=county.org_a1.pk).update(status=Organization.Status.DEREGISTERED)
    county.org_a1.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        book(secretary, room, county.org_a1, at(SATURDAY, 10), at(SATURDAY, 11))

    assert error.value.message_dict == {
        "organization": [message(services.ORGANIZATION_INACTIVE, organization="幸福社区书画协会")]
    }


# --- time rules ---


@pytest.mark.parametrize(
    ("start", "end", "field", "expected"),
    [
        (at(SATURDAY, 15), at(SATURDAY, 14), "end", message(services.END_BEFORE_START)),
        (at(SATURDAY, 15), at(SATURDAY, 15), "end", message(services.END_BEFORE_START)),
        (
            at(SATURDAY, 20),
            at(SATURDAY + datetime.timedelta(days=1), 9),
            "end",
            message(services.NOT_SAME_DAY),
        ),
        (at(NOW.date(), 8, 30), at(NOW.date(), 9, 30), "start", message(services.IN_THE_PAST)),
        (
            datetime.datetime(2026, 5, 16, 14, 0),
            datetime.datetime(2026, 5, 16, 15, 0),
            "start",
            message(services.TIME_NOT_AWARE),
        ),
    ],
    ids=["end-before-start", "empty", "over-midnight", "past", "naive"],
)
def test_time_shape_refusals(org_contact, county, room, start, end, field, expected):
    with pytest.raises(ValidationError) as error:
        book(org_contact, room, county.org_a1, start, end)

    assert error.value.message_dict[field] == [expected]


def test_same_day_is_judged_in_local_time(org_contact, county, room):
    # 14:00–15:00 UTC on the 15th is 22:00–23:00 in Shanghai: same local day, but closed.
    utc = datetime.UTC
    start = datetime.datetime(2026, 5, 16, 1, 0, tzinfo=utc)  # 09:00 local
    end = datetime.datetime(2026, 5, 16, 2, 0, tzinfo=utc)  # 10:00 local

    booking = book(org_contact, room, county.org_a1, start, end)

    assert booking.start == at(SATURDAY, 9)


@override_settings(VENUE_BOOKING_MAX_DAYS_AHEAD=10)
def test_booking_at_most_n_days_ahead(org_contact, county, room):
    last_day = NOW.date() + datetime.timedelta(days=10)

    assert book(org_contact, room, county.org_a1, at(last_day, 20), at(last_day, 21)).pk
    with pytest.raises(ValidationError) as error:
        next_day = last_day + datetime.timedelta(days=1)
        book(org_contact, room, county.org_a1, at(next_day, 9), at(next_day, 10))
    assert error.value.message_dict["start"] == [message(services.TOO_FAR_AHEAD, days=10)]


def test_max_days_ahead_defaults_to_sixty(org_contact, county, room):
    day = NOW.date() + datetime.timedelta(days=61)

    with pytest.raises(ValidationError) as error:
        book(org_contact, room, county.org_a1, at(day, 9), at(day, 10))

    assert error.value.message_dict["start"] == [message(services.TOO_FAR_AHEAD, days=60)]


def test_booking_starting_now_is_accepted(org_contact, county, room):
    assert book(org_contact, room, county.org_a1, NOW, NOW + datetime.timedelta(hours=1)).pk


# --- opening hours and closures ---


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        ((8, 30), (9, 30), True),
        ((20, 0), (21, 0), True),
        ((8, 0), (9, 0), False),
        ((20, 30), (21, 30), False),
        ((8, 29), (9, 0), False),
    ],
    ids=["opening-edge", "closing-edge", "before-opening", "past-closing", "one-minute-early"],
)
def test_inside_opening_hours_at_the_edges(org_contact, county, room, start, end, ok):
    slot = (at(SATURDAY, *start), at(SATURDAY, *end))
    if ok:
        assert book(org_contact, room, county.org_a1, *slot).pk
        return
    with pytest.raises(ValidationError) as error:
        book(org_contact, room, county.org_a1, *slot)
    assert error.value.message_dict["start"] == [
        message(
            services.OUTSIDE_OPENING_HOURS,
            center="幸福社区党群服务站",
            date="2026-05-16",
            hours="08:30–21:00",
        )
    ]


def test_split_opening_hours_refuse_the_lunch_break(org_contact, county, station, room):
    station.opening_hours.all().delete()
    station.opening_hours.create(weekday=5, opens=datetime.time(8, 30), closes=datetime.time(12))
    station.opening_hours.create(weekday=5, opens=datetime.time(14), closes=datetime.time(18))

    with pytest.raises(ValidationError) as error:
        book(org_contact, room, county.org_a1, at(SATURDAY, 11), at(SATURDAY, 15))

    assert error.value.message_dict["start"] == [
        message(
            services.OUTSIDE_OPENING_HOURS,
            center="幸福社区党群服务站",
            date="2026-05-16",
            hours="08:30–12:00, 14:00–18:00",
        )
    ]


def test_closed_weekday_is_refused(org_contact, county, station, room):
    station.opening_hours.filter(weekday=5).delete()

    with pytest.raises(ValidationError) as error:
        book(org_contact, room, county.org_a1, at(SATURDAY, 10), at(SATURDAY, 11))

    assert error.value.message_dict["start"] == [
        message(services.CENTER_NOT_OPEN, center="幸福社区党群服务站", date="2026-05-16")
    ]


@pytest.mark.parametrize("whole_centre", [True, False])
def test_closure_of_centre_or_room_refuses(org_contact, county, station, room, whole_centre):
    Closure.objects.create(
        center=station,
        room=None if whole_centre else room,
        starts_on=SATURDAY,
        ends_on=SATURDAY,
        reason="线路检修",
    )

    with pytest.raises(ValidationError) as error:
        book(org_contact, room, county.org_a1, at(SATURDAY, 10), at(SATURDAY, 11))

    assert error.value.message_dict["start"] == [
        message(
            services.CENTER_CLOSED,
            center="幸福社区党群服务站",
            date="2026-05-16",
            reason="线路检修",
        )
    ]


def test_closure_of_another_room_does_not_refuse(org_contact, county, station, room, approval_room):
    Closure.objects.create(
        center=station, room=approval_room, starts_on=SATURDAY, ends_on=SATURDAY, reason="粉刷"
    )

    assert book(org_contact, room, county.org_a1, at(SATURDAY, 10), at(SATURDAY, 11)).pk


def test_special_open_day_opens_a_closed_weekday(org_contact, county, station, room):
    station.opening_hours.filter(weekday=5).delete()
    Closure.objects.create(
        center=station,
        kind=Closure.Kind.SPECIAL_OPEN,
        starts_on=SATURDAY,
        ends_on=SATURDAY,
        opens=datetime.time(9),
        closes=datetime.time(12),
        reason="居民开放日",
    )

    assert book(org_contact, room, county.org_a1, at(SATURDAY, 9), at(SATURDAY, 12)).pk
    with pytest.raises(ValidationError):
        book(org_contact, room, county.org_a1, at(SATURDAY, 12), at(SATURDAY, 13))


# --- capacity and quota ---


def test_attendance_within_capacity(org_contact, county, room):
    assert book(
        org_contact, room, county.org_a1, at(SATURDAY, 9), at(SATURDAY, 10), expected_attendance=30
    ).pk
    with pytest.raises(ValidationError) as error:
        book(
            org_contact,
            room,
            county.org_a1,
            at(SATURDAY, 10),
            at(SATURDAY, 11),
            expected_attendance=31,
        )
    assert error.value.message_dict["expected_attendance"] == [
        message(services.OVER_CAPACITY, room="幸福社区党群服务站 · 活动室", capacity=30)
    ]


def test_weekly_quota_counts_the_same_iso_week_only(org_contact, county, room):
    # Given a 4-hour weekly quota and 3 hours booked on Thursday
    room.weekly_quota_hours = 4
    room.save()
    thursday = datetime.date(2026, 5, 14)
    book(org_contact, room, county.org_a1, at(thursday, 9), at(thursday, 12))

    # Then one more hour on Sunday fills the week exactly, and the next is refused
    sunday = datetime.date(2026, 5, 17)
    assert book(org_contact, room, county.org_a1, at(sunday, 9), at(sunday, 10)).pk
    with pytest.raises(ValidationError) as error:
        book(org_contact, room, county.org_a1, at(sunday, 10), at(sunday, 11))
    assert error.value.message_dict["start"] == [
        message(
            services.QUOTA_EXCEEDED,
            organization="幸福社区书画协会",
            room="幸福社区党群服务站 · 活动室",
            quota=4,
            week="2026-05-11",
            hours="5",
        )
    ]
    # And Monday starts a new week; other organisations have their own quota
    monday = datetime.date(2026, 5, 18)
    assert book(org_contact, room, county.org_a1, at(monday, 9), at(monday, 12)).pk


def test_cancelled_bookings_do_not_count_against_the_quota(org_contact, county, room):
    room.weekly_quota_hours = 2
    room.save()
    first = book(org_contact, room, county.org_a1, at(SATURDAY, 9), at(SATURDAY, 11))
    booking_cancel(actor=org_contact, booking=first, reason="改期")

    assert book(org_contact, room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)).pk


# --- overlaps ---


def test_overlap_is_refused_naming_the_slot(secretary, org_contact, county, room):
    book(secretary, room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 17))
    other_contact = UserFactory(role=Role.ORG_CONTACT, organization=county.org_a1)

    with pytest.raises(BookingConflict) as error:
        book(other_contact, room, county.org_a1, at(SATURDAY, 16), at(SATURDAY, 18))

    expected = message(
        services.SLOT_TAKEN,
        room="幸福社区党群服务站 · 活动室",
        date="2026-05-16",
        start="14:00",
        end="17:00",
        organization="幸福社区书画协会",
    )
    assert error.value.message_dict == {"start": [expected]}
    assert error.value.conflicts[0]["organization"] == "幸福社区书画协会"
    assert isinstance(error.value, ValidationError)
    assert Booking.objects.count() == 1


def test_adjacent_slots_both_succeed(org_contact, county, room):
    book(org_contact, room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16))

    assert book(org_contact, room, county.org_a1, at(SATURDAY, 16), at(SATURDAY, 18)).pk
    assert book(org_contact, room, county.org_a1, at(SATURDAY, 13), at(SATURDAY, 14)).pk


@pytest.mark.parametrize(
    "status",
    [Booking.Status.REJECTED, Booking.Status.CANCELLED, Booking.Status.NO_SHOW],
)
def test_non_blocking_bookings_free_their_slot(org_contact, county, room, status):
    BookingFactory(
        room=room,
        organization=county.org_a2,
        start=at(SATURDAY, 14),
        end=at(SATURDAY, 16),
        status=status,
    )

    assert book(org_contact, room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)).pk


def test_pending_booking_holds_its_slot(org_contact, county, approval_room):
    BookingFactory(
        room=approval_room,
        organization=county.org_a2,
        start=at(SATURDAY, 14),
        end=at(SATURDAY, 16),
        status=Booking.Status.PENDING,
    )

    with pytest.raises(BookingConflict):
        book(org_contact, approval_room, county.org_a1, at(SATURDAY, 15), at(SATURDAY, 16))


def test_same_slot_in_another_room_is_free(org_contact, county, room, approval_room):
    book(org_contact, room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16))

    assert book(org_contact, approval_room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)).pk


# --- weekly series ---

TUESDAY = 1


def series(actor, room, organization, first, last, skip=False, **extra):
    data = {
        "weekday": TUESDAY,
        "start_time": datetime.time(19),
        "end_time": datetime.time(21),
        "purpose": "合唱排练",
        "expected_attendance": 20,
    } | extra
    return booking_series_create(
        actor=actor,
        room=room,
        organization=organization,
        first_date=first,
        last_date=last,
        skip_conflicts=skip,
        **data,
    )


def test_series_books_every_week(org_contact, county, room):
    made, bookings, conflicts = series(
        org_contact, room, county.org_a1, datetime.date(2026, 5, 13), datetime.date(2026, 6, 10)
    )

    assert [b.start.astimezone(TZ).date().isoformat() for b in bookings] == [
        "2026-05-19",
        "2026-05-26",
        "2026-06-02",
        "2026-06-09",
    ]
    assert conflicts == []
    assert {b.series_id for b in bookings} == {made.pk}


def test_series_with_conflicts_books_none_unless_told_to_skip(org_contact, county, room):
    # Given another group holds the second Tuesday and the centre closes on the third
    BookingFactory(
        room=room,
        organization=county.org_a2,
        start=at(datetime.date(2026, 5, 26), 20),
        end=at(datetime.date(2026, 5, 26), 22),
    )
    Closure.objects.create(
        center=room.center,
        starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 6, 3),
        reason="端午节",
    )
    first, last = datetime.date(2026, 5, 19), datetime.date(2026, 6, 9)

    # When booked without skipping, nothing is written and every date is listed
    with pytest.raises(BookingConflict) as error:
        series(org_contact, room, county.org_a1, first, last)
    assert [c["date"] for c in error.value.conflicts] == ["2026-05-26", "2026-06-02"]
    assert error.value.message_dict["first_date"] == [
        message(services.SERIES_CONFLICTS, count=2, dates="2026-05-26、2026-06-02")
    ]
    assert Booking.objects.count() == 1

    # When told to skip, the free dates are booked
    _series, bookings, conflicts = series(org_contact, room, county.org_a1, first, last, skip=True)
    assert len(bookings) == 2
    assert len(conflicts) == 2
    assert Booking.objects.count() == 3


def test_series_preview_writes_nothing(org_contact, county, room):
    result = booking_series_preview(
        actor=org_contact,
        room=room,
        organization=county.org_a1,
        weekday=TUESDAY,
        start_time=datetime.time(19),
        end_time=datetime.time(21),
        first_date=datetime.date(2026, 5, 13),
        last_date=datetime.date(2026, 5, 31),
        purpose="排练",
        expected_attendance=10,
    )

    assert len(result["free"]) == 2
    assert result["conflicts"] == []
    assert Booking.objects.count() == 0


def test_quota_counts_every_occurrence_of_a_series(org_contact, county, room):
    # Given a 3-hour weekly quota and a series taking 2 hours every Tuesday
    room.weekly_quota_hours = 3
    room.save()
    series(org_contact, room, county.org_a1, datetime.date(2026, 5, 19), datetime.date(2026, 6, 2))

    # Then 2 more hours in the week of the second occurrence go over the quota
    thursday = datetime.date(2026, 5, 28)
    with pytest.raises(ValidationError) as error:
        book(org_contact, room, county.org_a1, at(thursday, 9), at(thursday, 11))
    assert error.value.message_dict["start"] == [
        message(
            services.QUOTA_EXCEEDED,
            organization="幸福社区书画协会",
            room="幸福社区党群服务站 · 活动室",
            quota=3,
            week="2026-05-25",
            hours="4",
        )
    ]
    assert book(org_contact, room, county.org_a1, at(thursday, 9), at(thursday, 10)).pk


def test_series_without_the_weekday_in_range_is_refused(org_contact, county, room):
    with pytest.raises(ValidationError) as error:
        series(
            org_contact, room, county.org_a1, datetime.date(2026, 5, 20), datetime.date(2026, 5, 22)
        )

    assert "first_date" in error.value.message_dict


def test_series_past_the_horizon_lists_the_far_dates(org_contact, county, room):
    _series, bookings, conflicts = series(
        org_contact,
        room,
        county.org_a1,
        datetime.date(2026, 6, 30),
        datetime.date(2026, 7, 21),
        skip=True,
    )

    assert [c["date"] for c in conflicts] == ["2026-07-14", "2026-07-21"]
    assert conflicts[0]["reason"] == message(services.TOO_FAR_AHEAD, days=60)
    assert len(bookings) == 2


# --- approvals ---


@pytest.fixture
def pending(county, approval_room, org_contact):
    return book(org_contact, approval_room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16))


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("county_admin", True),
        ("secretary", True),
        ("township_staff", False),
        ("official", False),
        ("org_contact", False),
    ],
    indirect=["persona"],
)
def test_the_centres_secretary_approves_by_default(persona, allowed, pending):
    if allowed:
        booking_approve(actor=persona, booking=pending)
        pending.refresh_from_db()
        assert pending.status == Booking.Status.CONFIRMED
        assert pending.decided_by == persona
    else:
        with pytest.raises(PermissionDenied):
            booking_approve(actor=persona, booking=pending)


def test_secretary_of_another_community_cannot_approve(county, pending):
    other = UserFactory(role=Role.SECRETARY, community=county.community_a2)

    with pytest.raises(PermissionDenied):
        booking_approve(actor=other, booking=pending)


def test_named_approvers_replace_the_secretary(secretary, county, pending, approval_room):
    approver = UserFactory(role=Role.ORG_CONTACT, organization=county.org_a2)
    approval_room.approvers.add(approver)

    with pytest.raises(PermissionDenied):
        booking_approve(actor=secretary, booking=pending)
    booking_approve(actor=approver, booking=pending)

    assert Booking.objects.get(pk=pending.pk).status == Booking.Status.CONFIRMED


def test_township_staff_approve_at_a_township_level_centre(township_staff, county, org_contact):
    center = ServiceCenterFactory(
        name="城关街道党群服务中心", community=None, township=county.township_a, kind="center"
    )
    open_every_day(center)
    hall = RoomFactory(center=center, name="多功能厅", capacity=100, needs_approval=True)
    booking = book(org_contact, hall, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16))
    secretary = UserFactory(role=Role.SECRETARY, community=county.community_a1)

    with pytest.raises(PermissionDenied):
        booking_approve(actor=secretary, booking=booking)
    booking_approve(actor=township_staff, booking=booking)

    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


def test_only_pending_bookings_are_decided(secretary, pending):
    booking_approve(actor=secretary, booking=pending)

    with pytest.raises(ValidationError) as error:
        booking_reject(actor=secretary, booking=pending, reason="重复")

    assert error.value.message_dict == {"status": [message(services.NOT_PENDING)]}


def test_reject_needs_a_reason_and_frees_the_slot(secretary, org_contact, county, pending):
    with pytest.raises(ValidationError) as error:
        booking_reject(actor=secretary, booking=pending, reason="  ")
    assert error.value.message_dict == {"reason": [message(services.REASON_REQUIRED)]}

    booking_reject(actor=secretary, booking=pending, reason="当天有党员大会")

    pending.refresh_from_db()
    assert pending.status == Booking.Status.REJECTED
    assert pending.decision_reason == "当天有党员大会"
    assert book(org_contact, pending.room, county.org_a1, pending.start, pending.end).pk


# --- cancelling ---


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("county_admin", True),
        ("township_staff", True),
        ("secretary", True),
        ("org_contact", True),
        ("official", False),
    ],
    indirect=["persona"],
)
def test_who_may_cancel(persona, allowed, county, room):
    booking = BookingFactory(
        room=room, organization=county.org_a1, start=at(SATURDAY, 9), end=at(SATURDAY, 10)
    )
    if allowed:
        booking_cancel(actor=persona, booking=booking, reason="天气原因")
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    else:
        with pytest.raises(PermissionDenied):
            booking_cancel(actor=persona, booking=booking, reason="天气原因")


def test_other_organisations_contact_cannot_cancel(county, room):
    booking = BookingFactory(
        room=room, organization=county.org_a1, start=at(SATURDAY, 9), end=at(SATURDAY, 10)
    )
    stranger = UserFactory(role=Role.ORG_CONTACT, organization=county.org_a2)

    with pytest.raises(PermissionDenied):
        booking_cancel(actor=stranger, booking=booking, reason="x")


def test_cancel_rules(org_contact, county, room):
    booking = book(org_contact, room, county.org_a1, at(SATURDAY, 9), at(SATURDAY, 10))
    with pytest.raises(ValidationError) as error:
        booking_cancel(actor=org_contact, booking=booking, reason="")
    assert error.value.message_dict == {"reason": [message(services.REASON_REQUIRED)]}

    with (
        time_machine.travel(at(SATURDAY, 9, 1), tick=False),
        pytest.raises(ValidationError) as late,
    ):
        booking_cancel(actor=org_contact, booking=booking, reason="来不了")
    assert late.value.message_dict == {"start": [message(services.ALREADY_STARTED)]}

    booking_cancel(actor=org_contact, booking=booking, reason="来不了")
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.cancel_reason) == (
        Booking.Status.CANCELLED,
        org_contact,
        "来不了",
    )
    with pytest.raises(ValidationError) as again:
        booking_cancel(actor=org_contact, booking=booking, reason="来不了")
    assert again.value.message_dict == {"status": [message(services.NOT_CANCELLABLE)]}


def test_cancelled_booking_frees_its_slot(org_contact, county, room):
    booking = book(org_contact, room, county.org_a1, at(SATURDAY, 9), at(SATURDAY, 10))
    booking_cancel(actor=org_contact, booking=booking, reason="改期")

    assert book(org_contact, room, county.org_a1, at(SATURDAY, 9), at(SATURDAY, 10)).pk


# --- moving one occurrence ---


def test_move_one_occurrence_leaves_the_rest(org_contact, county, room):
    _series, bookings, _ = series(
        org_contact, room, county.org_a1, datetime.date(2026, 5, 19), datetime.date(2026, 6, 2)
    )
    wednesday = datetime.date(2026, 5, 27)

    booking_move(
        actor=org_contact, booking=bookings[1], start=at(wednesday, 19), end=at(wednesday, 21)
    )

    starts = sorted(b.start for b in Booking.objects.all())
    assert starts == [bookings[0].start, at(wednesday, 19), bookings[2].start]


def test_move_may_overlap_its_own_old_slot_but_not_others(org_contact, county, room):
    _series, bookings, _ = series(
        org_contact, room, county.org_a1, datetime.date(2026, 5, 19), datetime.date(2026, 5, 26)
    )
    day = datetime.date(2026, 5, 19)

    booking_move(actor=org_contact, booking=bookings[0], start=at(day, 18), end=at(day, 20))
    assert Booking.objects.get(pk=bookings[0].pk).start == at(day, 18)

    BookingFactory(room=room, organization=county.org_a2, start=at(day, 9), end=at(day, 11))
    with pytest.raises(BookingConflict):
        booking_move(actor=org_contact, booking=bookings[0], start=at(day, 10), end=at(day, 12))


def test_move_is_for_series_occurrences_only(org_contact, county, room):
    booking = book(org_contact, room, county.org_a1, at(SATURDAY, 9), at(SATURDAY, 10))

    with pytest.raises(ValidationError) as error:
        booking_move(
            actor=org_contact, booking=booking, start=at(SATURDAY, 11), end=at(SATURDAY, 12)
        )

    assert error.value.message_dict == {"start": [message(services.MOVE_ONLY_SERIES)]}


# --- attendance ---


@pytest.mark.parametrize(
    ("mark", "status"),
    [(booking_mark_used, Booking.Status.USED), (booking_mark_no_show, Booking.Status.NO_SHOW)],
)
def test_mark_attendance_after_the_end(secretary, org_contact, county, room, mark, status):
    booking = book(org_contact, room, county.org_a1, at(SATURDAY, 9), at(SATURDAY, 10))

    with pytest.raises(ValidationError) as early:
        mark(actor=secretary, booking=booking)
    assert early.value.message_dict == {"end": [message(services.NOT_ENDED_YET)]}

    with time_machine.travel(at(SATURDAY, 10), tick=False):
        with pytest.raises(PermissionDenied):
            mark(actor=org_contact, booking=booking)
        mark(actor=secretary, booking=booking)
        assert Booking.objects.get(pk=booking.pk).status == status
        with pytest.raises(ValidationError) as again:
            mark(actor=secretary, booking=booking)
        assert again.value.message_dict == {"status": [message(services.NOT_CONFIRMED)]}


def test_pending_booking_cannot_be_marked_used(secretary, pending):
    with time_machine.travel(at(SATURDAY, 17), tick=False), pytest.raises(ValidationError):
        booking_mark_used(actor=secretary, booking=pending)


def test_stale_pending_bookings_expire(pending):
    with time_machine.travel(at(SATURDAY, 15), tick=False):
        assert services.bookings_expire_pending() == 1

    pending.refresh_from_db()
    assert pending.status == Booking.Status.REJECTED
    assert pending.decision_reason == message(services.EXPIRED_REASON)


# --- selectors ---


def test_room_week_lays_out_bookings_free_ranges_and_closures(org_contact, county, station, room):
    # Given a booking on Saturday afternoon and a closure on Sunday
    BookingFactory(
        room=room, organization=county.org_a2, start=at(SATURDAY, 14), end=at(SATURDAY, 16)
    )
    Closure.objects.create(
        center=station,
        starts_on=SATURDAY + datetime.timedelta(days=1),
        ends_on=SATURDAY + datetime.timedelta(days=1),
        reason="停电",
    )

    week = selectors.room_week(user=org_contact, room=room, week_start=datetime.date(2026, 5, 13))

    assert week["week_start"] == datetime.date(2026, 5, 11)
    saturday, sunday = week["days"][5], week["days"][6]
    assert [
        (b["organization_name"], b["status"], b["is_visible"]) for b in saturday["bookings"]
    ] == [("和平社区广场舞队", Booking.Status.CONFIRMED, False)]
    assert saturday["free_ranges"] == [
        (at(SATURDAY, 8, 30), at(SATURDAY, 14)),
        (at(SATURDAY, 16), at(SATURDAY, 21)),
    ]
    assert saturday["free_slots"][0] == (at(SATURDAY, 9), at(SATURDAY, 10))
    assert (at(SATURDAY, 14), at(SATURDAY, 15)) not in saturday["free_slots"]
    assert sunday["is_open"] is False
    assert sunday["closed_reason"] == "停电"


def test_room_and_center_week_queries_are_bounded(
    secretary, county, station, room, approval_room, django_assert_max_num_queries
):
    for day in range(7):
        for hour in (9, 11, 14, 16, 19):
            start = at(datetime.date(2026, 5, 18) + datetime.timedelta(days=day), hour)
            BookingFactory(
                room=room,
                organization=county.org_a1,
                start=start,
                end=start + datetime.timedelta(hours=1),
            )
    monday = datetime.date(2026, 5, 18)

    with django_assert_max_num_queries(4):
        selectors.room_week(user=secretary, room=room, week_start=monday)
    with django_assert_max_num_queries(5):
        week = selectors.center_week(user=secretary, center=station, week_start=monday)
    assert sum(len(d["bookings"]) for r in week["rooms"] for d in r["days"]) == 35


def test_free_slots_are_hour_aligned_and_skip_the_past(org_contact, county, room):
    BookingFactory(
        room=room,
        organization=county.org_a2,
        start=at(NOW.date(), 10, 30),
        end=at(NOW.date(), 12),
    )

    slots = selectors.free_slots(room=room, day=NOW.date(), duration_minutes=60)

    # 09:00 (now) is bookable, 10:00 would overlap 10:30, 12:00 is free again, last 20:00.
    assert slots[0] == (at(NOW.date(), 9), at(NOW.date(), 10))
    assert (at(NOW.date(), 10), at(NOW.date(), 11)) not in slots
    assert slots[1] == (at(NOW.date(), 12), at(NOW.date(), 13))
    assert slots[-1] == (at(NOW.date(), 20), at(NOW.date(), 21))
    two_hours = selectors.free_slots(room=room, day=NOW.date(), duration_minutes=120)
    assert two_hours[-1] == (at(NOW.date(), 19), at(NOW.date(), 21))


def test_approval_queue_holds_what_the_user_may_decide(secretary, township_staff, pending, county):
    assert list(selectors.approval_queue(user=secretary)) == [pending]
    assert list(selectors.approval_queue(user=township_staff)) == []
    other = UserFactory(role=Role.SECRETARY, community=county.community_a2)
    assert list(selectors.approval_queue(user=other)) == []


def test_my_bookings_are_the_users_and_their_organisations(org_contact, secretary, county, room):
    mine = book(secretary, room, county.org_a1, at(SATURDAY, 9), at(SATURDAY, 10))
    neighbours = OrganizationFactory(name="幸福社区合唱团", community=county.community_a1)
    others = book(secretary, room, neighbours, at(SATURDAY, 11), at(SATURDAY, 12))

    assert set(selectors.my_bookings(user=secretary)) == {mine, others}
    assert list(selectors.my_bookings(user=org_contact)) == [mine]


def test_utilisation_sums_booked_against_open_hours(county, station, room, approval_room):
    # Given May 2026 (31 days × 12.5 h) with 3 h confirmed, 1 h used, 2 h cancelled in one room
    may = datetime.date(2026, 5, 1)
    day = datetime.date(2026, 5, 4)
    for start, end, status in [
        (9, 12, Booking.Status.CONFIRMED),
        (14, 15, Booking.Status.USED),
        (16, 18, Booking.Status.CANCELLED),
    ]:
        BookingFactory(
            room=room,
            organization=county.org_a1,
            start=at(day, start),
            end=at(day, end),
            status=status,
        )
    Closure.objects.create(
        center=station,
        room=approval_room,
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 5, 5),
        reason="劳动节",
    )

    rows = selectors.utilisation(centers_qs=type(station).objects.all(), month=may)

    by_room = {row["room"].name if row["room"] else "centre": row for row in rows}
    assert by_room["活动室"]["booked_hours"] == Decimal("4.0")
    assert by_room["活动室"]["open_hours"] == Decimal("387.5")
    assert by_room["活动室"]["ratio"] == Decimal("0.010")
    assert by_room["会议室"]["open_hours"] == Decimal("325.0")
    assert by_room["centre"]["booked_hours"] == Decimal("4.0")
    assert by_room["centre"]["open_hours"] == Decimal("712.5")


def test_expiry_task_rejects_stale_pending_bookings(pending):
    with time_machine.travel(at(SATURDAY, 15), tick=False):
        assert expire_pending_bookings.delay().get() == 1
        assert expire_pending_bookings.delay().get() == 0

    assert Booking.objects.get(pk=pending.pk).status == Booking.Status.REJECTED


# --- iCalendar ---


def test_ics_lists_blocking_bookings_in_utc_with_crlf_and_folding(secretary, county, room):
    # Given a confirmed, a pending and a cancelled booking, one with characters to escape
    long_purpose = "排练；曲目：茉莉花, 歌唱祖国\\新编" + "长" * 40
    confirmed = book(
        secretary, room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16), purpose=long_purpose
    )
    BookingFactory(
        room=room,
        organization=county.org_a2,
        start=at(SATURDAY, 9),
        end=at(SATURDAY, 10),
        status=Booking.Status.PENDING,
    )
    BookingFactory(
        room=room,
        organization=county.org_a2,
        start=at(SATURDAY, 10),
        end=at(SATURDAY, 11),
        status=Booking.Status.CANCELLED,
    )

    text = bookings_to_ics(selectors.feed_bookings(room=room), name="活动室, 幸福社区")

    # Then two events, in UTC, every line CRLF-terminated and at most 75 octets
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    assert "STATUS:TENTATIVE" in text and "STATUS:CONFIRMED" in text
    assert "DTSTART:20260516T060000Z" in text
    assert f"UID:booking-{confirmed.pk}@" in text
    assert "X-WR-CALNAME:活动室\\, 幸福社区" in text
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    assert "排练\\；曲目" not in unfolded  # full-width punctuation is not escaped
    assert "茉莉花\\, 歌唱祖国\\\\新编" in unfolded


def test_ics_escapes_ascii_separators_and_newlines():
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    folded = fold("SUMMARY:" + "汉" * 40)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "汉" * 40


# --- a booking the approver makes herself is confirmed at once ---


def test_the_secretary_booking_her_own_centre_is_confirmed_at_once(
    secretary, county, approval_room
):
    booking = book(secretary, approval_room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16))

    assert booking.status == Booking.Status.CONFIRMED
    assert not selectors.approval_queue(user=secretary).filter(pk=booking.pk).exists()


def test_a_named_approver_booking_her_room_is_confirmed_at_once(county, approval_room):
    approver = UserFactory(role=Role.SECRETARY, community=county.community_a1)
    approval_room.approvers.add(approver)
    booking = book(approver, approval_room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16))

    assert booking.status == Booking.Status.CONFIRMED


def test_the_secretary_is_queued_when_named_approvers_replace_her(secretary, county, approval_room):
    approval_room.approvers.add(UserFactory(role=Role.ORG_CONTACT, organization=county.org_a2))
    booking = book(secretary, approval_room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16))

    assert booking.status == Booking.Status.PENDING


def test_the_secretary_booking_every_week_in_her_centre_is_confirmed(
    secretary, county, approval_room
):
    _made, bookings, _conflicts = series(
        secretary,
        approval_room,
        county.org_a1,
        datetime.date(2026, 5, 13),
        datetime.date(2026, 5, 27),
        expected_attendance=10,
    )

    assert {b.status for b in bookings} == {Booking.Status.CONFIRMED}
