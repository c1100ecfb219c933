"""Matrix rows of the venue pages: centres, rooms, calendars, feeds and bookings.

Statuses are for (county_admin, township_staff, secretary, official, org_contact). "own" objects
belong to a centre of community A1 (the secretary approves its bookings) and to org A1; "far"
ones to community B1 and org B1 in township B.
"""

import datetime

from django.utils import timezone

from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory
from venues.models import Booking


def _center(community) -> ServiceCenterFactory:
    return ServiceCenterFactory(community=community)


def _room(community) -> int:
    return RoomFactory(center=_center(community), needs_approval=True).pk


def _booking(community, organization) -> int:
    """A pending booking next week, in a room that needs approval."""
    start = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=7), datetime.time(10)
        )
    )
    return BookingFactory(
        room=RoomFactory(center=_center(community), needs_approval=True),
        organization=organization,
        start=start,
        end=start + datetime.timedelta(hours=2),
        status=Booking.Status.PENDING,
    ).pk


TARGETS = {
    "venues:center:own": lambda c: _center(c.community_a1).pk,
    "venues:center:far": lambda c: _center(c.community_b1).pk,
    "venues:room:own": lambda c: _room(c.community_a1),
    "venues:room:far": lambda c: _room(c.community_b1),
    "venues:booking:own": lambda c: _booking(c.community_a1, c.org_a1),
    "venues:booking:far": lambda c: _booking(c.community_b1, c.org_b1),
    "venues:org:own": lambda c: {"org_pk": c.org_a1.pk},
    "venues:org:far": lambda c: {"org_pk": c.org_b1.pk},
}

ALL_200 = (200, 200, 200, 200, 200)
FAR_404 = (200, 404, 404, 200, 404)
# Everyone books except officials, who change nothing.
BOOKERS = (200, 200, 200, 403, 200)
BOOKERS_FAR = (200, 404, 404, 403, 404)
# The secretary of the centre's community decides on its bookings (and the county admin).
DECIDERS = (200, 403, 200, 403, 403)
DECIDERS_REDIRECT = (302, 403, 302, 403, 403)
FAR_DECIDE = (200, 404, 404, 403, 404)
FAR_DECIDE_REDIRECT = (302, 404, 404, 403, 404)
# Deciding several at once: whoever may decide on some booking (a named approver may be anyone
# but an official); each booking is checked by its service call.
BULK_DECIDE_REDIRECT = (302, 302, 302, 403, 302)

MATRIX = {
    ("venues:center_list", None, "get"): ALL_200,
    ("venues:center_detail", "venues:center:own", "get"): ALL_200,
    ("venues:center_detail", "venues:center:far", "get"): FAR_404,
    ("venues:room_detail", "venues:room:own", "get"): ALL_200,
    ("venues:room_detail", "venues:room:far", "get"): FAR_404,
    ("venues:room_ics", "venues:room:own", "get"): ALL_200,
    ("venues:room_ics", "venues:room:far", "get"): FAR_404,
    ("venues:organization_ics", "venues:org:own", "get"): ALL_200,
    ("venues:organization_ics", "venues:org:far", "get"): FAR_404,
    ("venues:utilisation", None, "get"): (200, 200, 403, 200, 403),
    ("venues:booking_create", None, "get"): BOOKERS,
    ("venues:booking_create", None, "post"): BOOKERS,
    ("venues:booking_series_create", None, "get"): BOOKERS,
    ("venues:booking_series_create", None, "post"): BOOKERS,
    ("venues:my_bookings", None, "get"): ALL_200,
    ("venues:approval_queue", None, "get"): ALL_200,
    ("venues:approval_bulk_decide", None, "post"): BULK_DECIDE_REDIRECT,
    ("venues:booking_detail", "venues:booking:own", "get"): ALL_200,
    ("venues:booking_detail", "venues:booking:far", "get"): FAR_404,
    ("venues:booking_cancel", "venues:booking:own", "get"): BOOKERS,
    ("venues:booking_cancel", "venues:booking:own", "post"): BOOKERS,
    ("venues:booking_cancel", "venues:booking:far", "get"): BOOKERS_FAR,
    ("venues:booking_cancel", "venues:booking:far", "post"): BOOKERS_FAR,
    ("venues:booking_approve", "venues:booking:own", "post"): DECIDERS_REDIRECT,
    ("venues:booking_approve", "venues:booking:far", "post"): FAR_DECIDE_REDIRECT,
    ("venues:booking_reject", "venues:booking:own", "get"): DECIDERS,
    ("venues:booking_reject", "venues:booking:own", "post"): DECIDERS,
    ("venues:booking_reject", "venues:booking:far", "get"): FAR_DECIDE,
    ("venues:booking_reject", "venues:booking:far", "post"): FAR_DECIDE,
    ("venues:booking_mark", "venues:booking:own", "post"): DECIDERS_REDIRECT,
    ("venues:booking_mark", "venues:booking:far", "post"): FAR_DECIDE_REDIRECT,
    ("venues:booking_move", "venues:booking:own", "get"): BOOKERS,
    ("venues:booking_move", "venues:booking:own", "post"): BOOKERS,
    ("venues:booking_move", "venues:booking:far", "get"): BOOKERS_FAR,
    ("venues:booking_move", "venues:booking:far", "post"): BOOKERS_FAR,
}


# --- writes naming a room or an organisation (see WRITES in test_permission_matrix) ---


def _open_room(community):
    from tests.venues.factories import open_every_day

    center = _center(community)
    open_every_day(center)
    return RoomFactory(center=center, needs_approval=False)


def _booking_data(room, organization) -> dict:
    return {
        "room": room.pk,
        "organization": organization.pk,
        "date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "purpose": "书法练习",
        "expected_attendance": 10,
    }


PAYLOADS = {
    "booking a room of another township": (
        lambda c: _booking_data(_open_room(c.community_b1), c.org_a1),
        lambda c: Booking.objects.filter(room__center__community=c.community_b1).count(),
    ),
    "booking for another township's organisation": (
        lambda c: _booking_data(_open_room(c.community_a1), c.org_b1),
        lambda c: Booking.objects.filter(organization=c.org_b1).count(),
    ),
}

WRITES = {
    ("venues:booking_create", None, "booking a room of another township"): (
        302,
        200,
        200,
        403,
        200,
    ),
    ("venues:booking_create", None, "booking for another township's organisation"): (
        302,
        200,
        200,
        403,
        200,
    ),
}
