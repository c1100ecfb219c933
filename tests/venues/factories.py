import datetime

import factory

from rollups.services import apply_shares
from tests.areas.factories import CommunityFactory
from tests.orgs.factories import OrganizationFactory
from venues.models import Booking, OpeningHours, Room, ServiceCenter
from venues.rollups import booking_shares


class ServiceCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCenter

    name = factory.Sequence(lambda n: f"测试{n}党群服务站")
    community = factory.SubFactory(CommunityFactory)
    township = factory.LazyAttribute(lambda o: o.community.township)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    center = factory.SubFactory(ServiceCenterFactory)
    name = factory.Sequence(lambda n: f"活动室{n}")
    kind = Room.Kind.ACTIVITY
    capacity = 40
    needs_approval = False


def open_every_day(center, opens=datetime.time(8, 0), closes=datetime.time(21, 0)):
    """Give a centre opening hours on all seven weekdays."""
    for weekday in range(7):
        OpeningHours.objects.create(center=center, weekday=weekday, opens=opens, closes=closes)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # A record made here counts in the monthly roll-ups as one made by a service does.
        record = super()._create(model_class, *args, **kwargs)
        apply_shares(after=booking_shares(record))
        return record

    room = factory.SubFactory(RoomFactory)
    organization = factory.SubFactory(OrganizationFactory)
    booked_by = factory.SubFactory("tests.accounts.factories.UserFactory")
    purpose = "排练"
    expected_attendance = 10
    status = Booking.Status.CONFIRMED
