"""One definition of the bookings a user sees: pages, the API, calendars and exports agree.

A named approver of a room outside their area decides on its bookings, so they see them
everywhere: before, the API and the bookings page showed them (venues.permissions) while the
queryset the export, the calendar feed and the booking's pages used did not.
"""

import datetime
import io
import zoneinfo

import openpyxl

from exports.registry import build_ledger
from exports.services import write_ledger
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory
from venues.models import Booking
from venues.permissions import bookings_visible_to, can_approve

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _ledger_organisations(user, month: str) -> set:
    ledger = build_ledger("bookings", user=user, params={"month": [month]}, reveal=False)
    buffer = io.BytesIO()
    write_ledger(ledger, buffer)
    buffer.seek(0)
    sheet = openpyxl.load_workbook(buffer).worksheets[0]
    return {cell.value for row in sheet.iter_rows() for cell in row}


def test_a_named_approver_sees_the_bookings_they_decide_on_everywhere(county, secretary):
    # given a room of township B naming A1's secretary as its approver, booked by B's group
    room = RoomFactory(center=ServiceCenterFactory(community=county.community_b1))
    room.approvers.add(secretary)
    start = datetime.datetime(2026, 5, 12, 9, 0, tzinfo=SHANGHAI)
    booking = BookingFactory(
        room=room,
        organization=county.org_b1,
        start=start,
        end=start + datetime.timedelta(hours=2),
        status=Booking.Status.PENDING,
    )
    # and a room of B that the secretary neither sees nor decides on
    other = BookingFactory(
        room=RoomFactory(center=ServiceCenterFactory(community=county.community_b1)),
        organization=county.org_b1,
        start=start,
        end=start + datetime.timedelta(hours=2),
    )

    # then the secretary decides on it and sees it through the one definition
    assert can_approve(secretary, booking)
    seen = set(Booking.objects.visible_to(secretary).values_list("pk", flat=True))
    assert booking.pk in seen
    assert other.pk not in seen
    assert set(bookings_visible_to(secretary).values_list("pk", flat=True)) == seen
    # and their bookings export holds it
    assert county.org_b1.name in _ledger_organisations(secretary, "2026-05")
