"""Rows of the role × area matrix for the venues JSON API (/api/v1/).

Statuses are for (county_admin, township_staff, secretary, official, org_contact). "own"
objects are in township A (a station of community A1, bookings of organisation A1), "far"
ones in township B. An empty POST answers 400 to whoever may act, 403 to officials.
"""

import datetime

from django.utils import timezone

from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory, open_every_day


def _room(community):
    center = ServiceCenterFactory(community=community, township=community.township)
    open_every_day(center)
    return RoomFactory(center=center)


def _booking(community, organization):
    day = timezone.localdate() + datetime.timedelta(days=2)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return BookingFactory(
        room=_room(community),
        organization=organization,
        start=start,
        end=start + datetime.timedelta(hours=2),
    )


TARGETS = {
    "api:room:own": lambda c: _room(c.community_a1).pk,
    "api:room:far": lambda c: _room(c.community_b1).pk,
    "api:booking:own": lambda c: _booking(c.community_a1, c.org_a1).pk,
    "api:booking:far": lambda c: _booking(c.community_b1, c.org_b1).pk,
}

ALL = (200, 200, 200, 200, 200)
FAR = (200, 404, 404, 200, 404)
EMPTY_POST = (400, 400, 400, 403, 400)

MATRIX = {
    ("room-list", None, "get"): ALL,
    ("room-list", None, "post"): (405, 405, 405, 403, 405),
    ("room-detail", "api:room:own", "get"): ALL,
    ("room-detail", "api:room:far", "get"): FAR,
    ("booking-list", None, "get"): ALL,
    ("booking-list", None, "post"): EMPTY_POST,
    ("booking-detail", "api:booking:own", "get"): ALL,
    ("booking-detail", "api:booking:far", "get"): FAR,
    ("booking-cancel", "api:booking:own", "post"): EMPTY_POST,
    ("booking-cancel", "api:booking:far", "post"): (400, 404, 404, 403, 404),
}
