"""No double booking under concurrency: 50 real requests, each on its own connection.

Runs on whichever database the suite uses (SQLite by default; PostgreSQL with DATABASE_URL).
On PostgreSQL the exclusion constraint "booking_no_overlap" is the guarantee; on SQLite the
service's check runs inside an IMMEDIATE transaction. The negative control shows the test can
fail: with the check and the constraint gone, the same race writes more than one booking.
"""

import datetime
import importlib
import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.areas.factories import CommunityFactory, TownshipFactory
from tests.orgs.factories import OrganizationFactory
from tests.venues.factories import RoomFactory, ServiceCenterFactory, open_every_day
from venues import services
from venues.models import Booking

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 50
no_overlap_migration = importlib.import_module("venues.migrations.0002_booking_no_overlap")


@pytest.fixture
def scene():
    """A room open all day, and one organisation contact per thread's organisation."""
    township = TownshipFactory(name="城关街道", code="990101001")
    community = CommunityFactory(township=township, name="幸福社区", code="990101001001")
    center = ServiceCenterFactory(name="幸福社区党群服务站", community=community, township=township)
    open_every_day(center, datetime.time(8), datetime.time(21))
    room = RoomFactory(center=center, name="多功能厅", capacity=100, needs_approval=False)
    organization = OrganizationFactory(name="幸福社区合唱团", community=community)
    user = UserFactory(role=Role.SECRETARY, community=community)
    day = timezone.localdate() + datetime.timedelta(days=2)
    return {"room": room, "organization": organization, "user": user, "day": day}


def slot(day, start_hour, end_hour):
    tz = timezone.get_default_timezone()
    return (
        datetime.datetime.combine(day, datetime.time(start_hour), tzinfo=tz),
        datetime.datetime.combine(day, datetime.time(end_hour), tzinfo=tz),
    )


def race(scene, slots):
    """POST one booking per slot from its own thread and connection, all at once."""
    barrier = threading.Barrier(len(slots))
    outcomes = [None] * len(slots)

    def request(index, start, end):
        try:
            client = APIClient()
            client.force_authenticate(scene["user"])
            body = {
                "room": scene["room"].pk,
                "organization": scene["organization"].pk,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "purpose": "合唱排练",
                "expected_attendance": 30,
            }
            barrier.wait(timeout=30)
            response = client.post(reverse("booking-list"), body, format="json")
            outcomes[index] = response.status_code
        except Exception as error:  # noqa: BLE001 - every failure is an outcome to count
            outcomes[index] = type(error).__name__
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=request, args=(index, *span)) for index, span in enumerate(slots)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(outcomes)


def test_fifty_concurrent_requests_for_one_slot_book_it_once(scene):
    outcomes = race(scene, [slot(scene["day"], 14, 16)] * THREADS)

    assert outcomes == Counter({201: 1, 409: THREADS - 1})
    assert Booking.objects.count() == 1
    assert Booking.objects.get().status == Booking.Status.CONFIRMED


def test_concurrent_overlapping_but_different_slots_book_one(scene):
    # Everyone wants a slot that overlaps 15:00–16:00, each a little differently.
    spans = [slot(scene["day"], 14 + index % 2, 16 + index % 3) for index in range(THREADS)]

    outcomes = race(scene, spans)

    assert outcomes[201] == 1
    assert outcomes[409] == THREADS - 1
    assert Booking.objects.blocking().count() == 1


def test_concurrent_adjacent_slots_both_succeed(scene):
    spans = [slot(scene["day"], 14, 15), slot(scene["day"], 15, 16)] * (THREADS // 2)

    outcomes = race(scene, spans)

    assert outcomes == Counter({201: 2, 409: THREADS - 2})
    assert sorted(b.start.hour for b in Booking.objects.all()) == [6, 7]  # 14:00, 15:00 UTC+8


def test_a_cancelled_booking_frees_its_slot_for_the_race(scene):
    start, end = slot(scene["day"], 14, 16)
    first = services.booking_create(
        actor=scene["user"],
        room=scene["room"],
        organization=scene["organization"],
        start=start,
        end=end,
        purpose="合唱排练",
        expected_attendance=30,
    )
    services.booking_cancel(actor=scene["user"], booking=first, reason="改期")

    outcomes = race(scene, [(start, end)] * THREADS)

    assert outcomes == Counter({201: 1, 409: THREADS - 1})
    assert Booking.objects.blocking().count() == 1


def test_concurrent_requests_keep_the_weekly_quota(scene):
    # Given a room that lets an organisation book 3 hours a week
    room = scene["room"]
    room.weekly_quota_hours = 3
    room.save(update_fields=["weekly_quota_hours"])

    # When 50 requests for 50 different free quarter-hours of one day arrive at once
    first, _ = slot(scene["day"], 8, 9)
    quarter = datetime.timedelta(minutes=15)
    spans = [(first + index * quarter, first + (index + 1) * quarter) for index in range(THREADS)]
    outcomes = race(scene, spans)

    # Then exactly 12 (3 hours) are booked and the others are told the quota is used up (each
    # request sees what the one before it committed: writers for one room queue on its row)
    assert outcomes == Counter({201: 12, 400: THREADS - 12})
    assert Booking.objects.blocking().count() == 12


@pytest.fixture
def without_the_constraint():
    """Drop the PostgreSQL exclusion constraint for one test, and always put it back."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE venues_booking DROP CONSTRAINT {no_overlap_migration.CONSTRAINT}"
        )
    try:
        yield
    finally:
        Booking.objects.all().delete()
        with connection.schema_editor() as editor:
            no_overlap_migration.add_exclusion_constraint(None, editor)


def test_negative_control_without_check_and_constraint_double_books(
    scene, without_the_constraint, monkeypatch
):
    # Given the service's overlap check is gone (and, on PostgreSQL, the constraint too)
    monkeypatch.setattr(services.checks, "_first_overlap", lambda *args, **kwargs: None)

    outcomes = race(scene, [slot(scene["day"], 14, 16)] * THREADS)

    # Then the same race writes more than one booking: the test above can fail
    assert outcomes[201] > 1
    assert Booking.objects.count() > 1


@pytest.mark.postgresql_only
def test_on_postgresql_the_constraint_alone_refuses_the_double_booking(scene, monkeypatch):
    # Given no application check at all
    monkeypatch.setattr(services.checks, "_first_overlap", lambda *args, **kwargs: None)

    outcomes = race(scene, [slot(scene["day"], 14, 16)] * THREADS)

    # Then the database still admits exactly one, and the others get a clean 409
    assert outcomes == Counter({201: 1, 409: THREADS - 1})
    assert Booking.objects.count() == 1
