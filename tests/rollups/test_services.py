"""The monthly roll-ups equal a rebuild from the records, whatever the services changed.

Random sequences of changes go through the services (activities and mediation cases recorded,
edited to another month, organisation or community, verified or returned; bookings made,
approved, rejected, cancelled, moved, marked used or no-show) and after each batch every
roll-up table must equal what `rebuild()` computes from the records.
"""

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from activities import services as activities
from activities.models import Activity, MediationCase, VerificationStatus
from rollups import services as rollups
from rollups.models import ActivityMonth, MediationMonth, RoomMonth
from tests.venues.factories import RoomFactory, ServiceCenterFactory, open_every_day
from venues import services as venues
from venues.models import Booking

TZ = ZoneInfo("Asia/Shanghai")
# Wednesday 13 May 2026, 09:00: bookings made now reach into June.
NOW = datetime.datetime(2026, 5, 13, 9, 0, tzinfo=TZ)
MODELS = (ActivityMonth, MediationMonth, RoomMonth)


def _key_and_figures(model):
    key = list(model._meta.constraints[0].fields)
    figures = [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in key
    ]
    return key, figures


def _table(model, rows) -> dict:
    key, figures = _key_and_figures(model)
    table = {}
    for row in rows:
        values = tuple(row[name] for name in figures)
        if any(values):
            table[tuple(row[name] for name in key)] = values
    return table


def rolled_up() -> dict:
    """What the roll-up tables hold now (rows whose figures are all zero count as absent)."""
    return {model: _table(model, model.objects.values()) for model in MODELS}


def recounted() -> dict:
    """What a rebuild would write, counted from the records without touching the tables."""
    sources = {source.model: source for source in rollups.SOURCES.values()}
    return {model: _table(model, sources[model].rows()) for model in MODELS}


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


@pytest.fixture
def venues_of(county):
    station = ServiceCenterFactory(
        name="幸福社区党群服务站", community=county.community_a1, township=county.township_a
    )
    open_every_day(station, datetime.time(8, 0), datetime.time(21, 0))
    return [
        RoomFactory(center=station, name="活动室", needs_approval=False),
        RoomFactory(center=station, name="会议室", needs_approval=True),
    ]


class Changes:
    """Random changes through the services, each refusal by a rule being an outcome too."""

    def __init__(self, rng, county, actors, rooms):
        self.rng, self.county, self.actors, self.rooms = rng, county, actors, rooms
        self.organizations = [county.org_a1, county.org_a2, county.org_b1]
        self.communities = [county.community_a1, county.community_a2, county.community_b1]
        self.applied = 0

    def day(self) -> datetime.date:
        return NOW.date() - datetime.timedelta(days=self.rng.randrange(0, 430))

    def pick(self, queryset):
        rows = list(queryset.order_by("pk"))
        return self.rng.choice(rows) if rows else None

    def activity_create(self):
        day = self.day()
        # Some start late in the evening of a month's last day: local month, not UTC's.
        late = self.rng.random() < 0.3
        start = at(day, 23, 30) if late else at(day, 9)
        activities.activity_create(
            actor=self.actors["county_admin"],
            lead_organization=self.rng.choice(self.organizations),
            kind=Activity.Kind.CULTURE_SPORTS,
            title="广场文艺演出",
            start=start,
            end=start + datetime.timedelta(hours=2),
            place="社区广场",
            community_served=self.rng.choice(self.communities),
            beneficiaries=self.rng.randrange(0, 80),
            volunteer_hours=Decimal(self.rng.randrange(0, 100)) / 10,
            description="居民自编自演文艺节目。",
        )

    def activity_update(self):
        activity = self.pick(Activity.objects.exclude(status=VerificationStatus.VERIFIED))
        if activity is None:
            return
        day = self.day()
        change = self.rng.choice(["start", "lead_organization", "community_served", "figures"])
        data = {
            "start": {"start": at(day, 9), "end": at(day, 11)},
            "lead_organization": {"lead_organization": self.rng.choice(self.organizations)},
            "community_served": {"community_served": self.rng.choice(self.communities)},
            "figures": {
                "beneficiaries": self.rng.randrange(0, 80),
                "volunteer_hours": Decimal(self.rng.randrange(0, 100)) / 10,
            },
        }[change]
        activities.activity_update(actor=self.actors["county_admin"], activity=activity, **data)

    def activity_decide(self):
        activity = self.pick(Activity.objects.submitted())
        if activity is None:
            return
        if self.rng.random() < 0.75:
            activities.activity_verify(
                actor=self.actors["county_admin"], activity=activity, confirm_empty=True
            )
        else:
            activities.activity_return(
                actor=self.actors["county_admin"], activity=activity, reason="请补充照片"
            )

    def mediation_create(self):
        activities.mediation_create(
            actor=self.actors["county_admin"],
            organization=self.rng.choice(self.organizations),
            occurred_on=self.day(),
            kind=MediationCase.Kind.NEIGHBOUR,
            parties_summary="楼上楼下漏水纠纷",
            outcome=MediationCase.Outcome.RESOLVED,
            community=self.rng.choice(self.communities),
        )

    def mediation_update(self):
        case = self.pick(MediationCase.objects.exclude(status=VerificationStatus.VERIFIED))
        if case is None:
            return
        activities.mediation_update(
            actor=self.actors["county_admin"],
            case=case,
            occurred_on=self.day(),
            organization=self.rng.choice(self.organizations),
            community=self.rng.choice(self.communities),
        )

    def mediation_decide(self):
        case = self.pick(MediationCase.objects.submitted())
        if case is None:
            return
        if self.rng.random() < 0.75:
            activities.mediation_verify(actor=self.actors["county_admin"], case=case)
        else:
            activities.mediation_return(
                actor=self.actors["county_admin"], case=case, reason="请补充调解经过"
            )

    def booking_create(self):
        from django.utils import timezone

        day = timezone.localdate() + datetime.timedelta(days=self.rng.randrange(1, 30))
        hour = self.rng.randrange(8, 19)
        venues.booking_create(
            actor=self.actors[self.rng.choice(["org_contact", "county_admin"])],
            room=self.rng.choice(self.rooms),
            organization=self.county.org_a1,
            start=at(day, hour),
            end=at(day, hour + 1, self.rng.choice([0, 30])),
            purpose="书法练习",
            expected_attendance=10,
        )

    def booking_decide(self):
        booking = self.pick(Booking.objects.filter(status=Booking.Status.PENDING))
        if booking is None:
            return
        if self.rng.random() < 0.6:
            venues.booking_approve(actor=self.actors["secretary"], booking=booking)
        else:
            venues.booking_reject(actor=self.actors["secretary"], booking=booking, reason="已占用")

    def booking_cancel(self):
        booking = self.pick(Booking.objects.filter(status__in=Booking.BLOCKING_STATUSES))
        if booking is not None:
            venues.booking_cancel(actor=self.actors["county_admin"], booking=booking, reason="改期")

    def booking_move(self):
        booking = self.pick(
            Booking.objects.filter(status__in=Booking.BLOCKING_STATUSES, series__isnull=False)
        )
        if booking is None:
            return
        day = booking.start.date() + datetime.timedelta(days=self.rng.choice([1, 20]))
        venues.booking_move(
            actor=self.actors["county_admin"],
            booking=booking,
            start=at(day, 19),
            end=at(day, 20, 30),
        )

    def booking_series(self):
        from django.utils import timezone

        first = timezone.localdate() + datetime.timedelta(days=1)
        venues.booking_series_create(
            actor=self.actors["county_admin"],
            room=self.rooms[0],
            organization=self.county.org_b1,
            weekday=first.weekday(),
            start_time=datetime.time(7 + self.rng.randrange(1, 4)),
            end_time=datetime.time(11, 30),
            first_date=first,
            last_date=first + datetime.timedelta(days=35),
            purpose="秧歌排练",
            expected_attendance=12,
            skip_conflicts=True,
        )

    def booking_mark(self):
        from django.utils import timezone

        booking = self.pick(
            Booking.objects.filter(status=Booking.Status.CONFIRMED, end__lte=timezone.now())
        )
        if booking is None:
            return
        mark = venues.booking_mark_used if self.rng.random() < 0.7 else venues.booking_mark_no_show
        mark(actor=self.actors["secretary"], booking=booking)

    def run(self, count: int, names: list[str]):
        for _ in range(count):
            try:
                getattr(self, self.rng.choice(names))()
                self.applied += 1
            except ValidationError:
                pass  # a rule refused it (a taken slot, a quota): nothing may have changed


RECORDS = [
    "activity_create",
    "activity_create",
    "activity_update",
    "activity_decide",
    "activity_decide",
    "mediation_create",
    "mediation_update",
    "mediation_decide",
]
BOOKINGS = ["booking_create", "booking_create", "booking_decide", "booking_cancel", "booking_move"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_a_rebuild_after_random_changes_through_the_services(
    seed, county, county_admin, secretary, org_contact, venues_of
):
    # given the county's personas and a station with a room booked at once and one to approve
    actors = {"county_admin": county_admin, "secretary": secretary, "org_contact": org_contact}
    changes = Changes(random.Random(seed), county, actors, venues_of)
    with time_machine.travel(NOW, tick=False):
        changes.booking_series()
        for _batch in range(3):
            # when a batch of random changes goes through the services
            changes.run(15, RECORDS + BOOKINGS)
            # then every roll-up equals the records counted afresh
            assert rolled_up() == recounted()
    # and once the bookings have ended, marking attendance keeps them equal too
    with time_machine.travel(NOW + datetime.timedelta(days=45), tick=False):
        for _batch in range(2):
            changes.run(15, [*RECORDS, "booking_mark", "booking_mark", "booking_create"])
            assert rolled_up() == recounted()
    assert changes.applied >= 40
    assert ActivityMonth.objects.filter(activities__gt=0).exists()
    assert MediationMonth.objects.filter(cases__gt=0).exists()
    assert RoomMonth.objects.filter(booked_seconds__gt=0).count() >= 2


def test_rebuild_is_idempotent_and_repairs_what_bypassed_the_services(
    county, county_admin, venues_of
):
    # given records written past the services (the admin, a bulk load)
    with time_machine.travel(NOW, tick=False):
        for hour in (9, 10, 23):
            Activity.objects.create(
                lead_organization=county.org_a1,
                kind=Activity.Kind.CULTURE_SPORTS,
                title="送戏下乡",
                start=at(datetime.date(2026, 4, 30), hour),
                end=at(datetime.date(2026, 4, 30), hour, 50),
                community_served=county.community_a2,
                beneficiaries=5,
                volunteer_hours=Decimal("1.5"),
                status=VerificationStatus.VERIFIED,
            )
        # 01:00 local on 1 June is 31 May in UTC: the booking counts in June.
        Booking.objects.create(
            room=venues_of[0],
            organization=county.org_a1,
            booked_by=county_admin,
            purpose="排练",
            expected_attendance=10,
            start=at(datetime.date(2026, 6, 1), 1),
            end=at(datetime.date(2026, 6, 1), 2, 45),
            status=Booking.Status.USED,
        )
    assert rolled_up() != recounted()

    # when the roll-ups are rebuilt, twice
    first = rollups.rebuild()
    after_first = rolled_up()
    second = rollups.rebuild()

    # then they equal the records and the second rebuild changes nothing
    assert after_first == recounted() == rolled_up()
    assert first == second
    # 23:00 local on 30 April is still April (the month is local, not UTC)
    assert after_first[ActivityMonth] == {
        (county.org_a1.pk, county.community_a2.pk, datetime.date(2026, 4, 1)): (3, 15, 45)
    }
    assert after_first[RoomMonth] == {
        (venues_of[0].pk, venues_of[0].center_id, datetime.date(2026, 6, 1)): (6300, 1)
    }
