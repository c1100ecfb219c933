"""The demo venues: 66 centres at county scale, realistic bookings that never overlap."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone

from accounts.models import User
from core.demo import DemoContext
from tests.clock import frozen_clock
from venues import rules, selectors
from venues.demo import seed_venues
from venues.models import Booking, BookingSeries, Closure, OpeningHours, Room, ServiceCenter


@pytest.fixture(scope="class")
def county_demo(django_db_setup, django_db_blocker):
    """Seed the demo county once for a class of read-only tests, and roll it back after."""
    with frozen_clock(), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def venue_snapshot():
    return (
        list(ServiceCenter.objects.order_by("pk").values_list("name", "kind", "opening_note")),
        list(Room.objects.order_by("pk").values_list("center__name", "name", "capacity")),
        list(
            Booking.objects.order_by("pk").values_list(
                "room__name", "organization_id", "start", "end", "status", "purpose"
            )
        ),
    )


@pytest.mark.usefixtures("county_demo")
class TestCountyVenues:
    def test_has_66_centres_one_per_township_and_46_stations(self, db):
        kinds = Counter(ServiceCenter.objects.values_list("kind", flat=True))

        assert kinds == {ServiceCenter.Kind.CENTER: 20, ServiceCenter.Kind.STATION: 46}
        per_township = Counter(
            ServiceCenter.objects.filter(kind=ServiceCenter.Kind.CENTER).values_list(
                "township", flat=True
            )
        )
        assert set(per_township.values()) == {1}
        assert not ServiceCenter.objects.filter(
            kind=ServiceCenter.Kind.STATION, community__isnull=True
        ).exists()

    def test_every_centre_has_two_to_four_rooms_and_opening_hours(self, db):
        centres = ServiceCenter.objects.annotate(
            rooms_n=Count("rooms", distinct=True), hours_n=Count("opening_hours", distinct=True)
        )

        for centre in centres:
            assert 2 <= centre.rooms_n <= 4, centre.name
            assert centre.hours_n >= 2, centre.name
        assert set(Room.objects.values_list("kind", flat=True)) == set(Room.Kind.values)
        notes = set(ServiceCenter.objects.values_list("opening_note", flat=True))
        assert len(notes) >= 3

    def test_has_closures_and_monthly_open_days(self, db):
        assert (
            Closure.objects.filter(kind=Closure.Kind.SPECIAL_OPEN, reason="居民开放日").count() > 20
        )
        assert Closure.objects.filter(kind=Closure.Kind.CLOSED, room__isnull=False).exists()
        assert Closure.objects.filter(reason="春节假期闭馆").count() >= 66

    def test_no_two_blocking_bookings_of_a_room_overlap(self, db):
        blocking = Booking.objects.blocking()
        clash = blocking.filter(
            room=OuterRef("room"), start__lt=OuterRef("end"), end__gt=OuterRef("start")
        ).exclude(pk=OuterRef("pk"))

        assert blocking.count() > 1_000
        assert not blocking.filter(Exists(clash)).exists()

    def test_every_booking_lies_inside_opening_hours_and_off_closures(self, db):
        weekly = {}
        for row in OpeningHours.objects.all():
            weekly.setdefault(row.center_id, {}).setdefault(row.weekday, []).append(
                (row.opens, row.closes)
            )
        closures = list(Closure.objects.all())
        bookings = Booking.objects.select_related("room").only(
            "start", "end", "room__center_id", "room_id"
        )

        for booking in bookings.iterator(chunk_size=5_000):
            start, end = rules.to_local(booking.start), rules.to_local(booking.end)
            room_closures = [
                c
                for c in closures
                if c.center_id == booking.room.center_id and c.room_id in (None, booking.room_id)
            ]
            hours = rules.day_hours(start.date(), weekly[booking.room.center_id], room_closures)
            assert start.date() == end.date()
            assert rules.fits_within(start.time(), end.time(), hours.ranges), booking.pk

    def test_statuses_fit_the_time(self, db):
        now = timezone.now()
        statuses = Counter(Booking.objects.values_list("status", flat=True))

        assert set(statuses) == set(Booking.Status.values)
        assert statuses[Booking.Status.USED] > statuses[Booking.Status.CANCELLED]
        assert not Booking.objects.filter(status=Booking.Status.PENDING, start__lte=now).exists()
        assert not Booking.objects.filter(
            status__in=[Booking.Status.USED, Booking.Status.NO_SHOW], end__gt=now
        ).exists()
        assert not Booking.objects.filter(expected_attendance__gt=F("room__capacity")).exists()
        assert Booking.objects.filter(start__gte=now + datetime.timedelta(days=21)).exists()
        assert Booking.objects.filter(start__lte=now - datetime.timedelta(days=300)).exists()

    def test_demo_secretary_has_a_station_and_bookings_to_approve(self, db):
        secretary = User.objects.get(username="secretary")
        contact = User.objects.get(username="contact")

        assert ServiceCenter.objects.filter(community=secretary.community).exists()
        assert selectors.approval_queue(user=secretary).count() >= 5
        assert Booking.objects.filter(organization=contact.organization).exists()
        assert BookingSeries.objects.filter(bookings__isnull=False).distinct().count() >= 5

    def test_organisations_stay_within_weekly_quotas(self, db):
        minutes = Counter()
        quotas = dict(
            Room.objects.filter(weekly_quota_hours__isnull=False).values_list(
                "pk", "weekly_quota_hours"
            )
        )
        for room_id, organization_id, start, end in Booking.objects.filter(
            room_id__in=quotas
        ).values_list("room_id", "organization_id", "start", "end"):
            week = rules.week_start_of(rules.to_local(start).date())
            minutes[room_id, organization_id, week] += (end - start).total_seconds() / 60

        assert quotas
        assert all(total <= quotas[key[0]] * 60 for key, total in minutes.items())

    def test_bookings_are_by_organisations_of_the_same_township(self, db):
        assert not Booking.objects.exclude(
            organization__community__township=F("room__center__township")
        ).exists()

    def test_seed_is_deterministic(self, db):
        first = venue_snapshot()
        with transaction.atomic():
            Booking.objects.all().delete()
            BookingSeries.objects.all().delete()
            Closure.objects.all().delete()
            OpeningHours.objects.all().delete()
            Room.objects.all().delete()
            ServiceCenter.objects.all().delete()
            seed_venues(DemoContext(scale="county", seed=2026, password="x"))
            second = venue_snapshot()
            transaction.set_rollback(True)

        assert [rows[1:] for rows in second[0]] == [rows[1:] for rows in first[0]]
        assert second[1] == first[1]
        assert [row[1:] for row in second[2]] == [row[1:] for row in first[2]]
