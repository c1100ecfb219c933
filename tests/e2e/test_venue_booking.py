"""Tried as a new user would: book a room through its week calendar.

A community secretary books a free Saturday-afternoon slot from the calendar; a group
contact's overlapping attempt is refused with the taken slot named. A group contact's booking
of a room that needs approval waits in the secretary's queue, is approved, and shows in the
room's .ics feed.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.e2e.browser import log_in
from tests.venues.factories import RoomFactory, ServiceCenterFactory, open_every_day
from venues.models import Booking
from venues.services import SLOT_TAKEN

pytestmark = pytest.mark.e2e

TODAY = timezone.localdate()
NEXT_MONDAY = TODAY + datetime.timedelta(days=7 - TODAY.weekday())
NEXT_SATURDAY = NEXT_MONDAY + datetime.timedelta(days=5)


def calendar_url(live_server, room) -> str:
    url = reverse("venues:room_detail", kwargs={"pk": room.pk})
    return f"{live_server.url}{url}?week={NEXT_MONDAY.isoformat()}"


@pytest.fixture
def station(county):
    center = ServiceCenterFactory(community=county.community_a1, name="幸福社区党群服务站")
    open_every_day(center)
    return center


def test_secretary_books_saturday_afternoon_and_an_overlap_is_refused(
    page, live_server, county, station, screenshot
):
    # given a room confirmed at once, a secretary and the contact of another group
    room = RoomFactory(center=station, name="多功能活动室", needs_approval=False)
    UserFactory(username="zhang", name="张丽华", role=Role.SECRETARY, community=county.community_a1)
    UserFactory(username="chen", name="陈明", role=Role.ORG_CONTACT, organization=county.org_a1)
    saturday = NEXT_SATURDAY.isoformat()

    # when the secretary opens next week's calendar and clicks Saturday 14:00
    log_in(page, live_server, "zhang")
    page.goto(calendar_url(live_server, room))
    page.get_by_test_id(f"free-slot-{saturday}-14:00").click()

    # then the booking form is prefilled with the room, the date and the hour
    form = page.get_by_test_id("booking-form")
    expect(form.locator("input[name=date]")).to_have_value(saturday)
    expect(form.locator("input[name=start_time]")).to_have_value("14:00")
    expect(page.get_by_test_id("free-slots")).to_contain_text("14:00")
    form.locator("input[name=end_time]").fill("16:00")
    form.locator("input[name=purpose]").fill("书画展布展")
    form.locator("input[name=expected_attendance]").fill("15")
    screenshot("venue-booking-form")
    page.get_by_test_id("booking-submit").click()

    # then the calendar shows the slot taken by the group, and the booking is confirmed
    expect(page).to_have_url(re.compile(rf"/venues/rooms/{room.pk}/\?week="))
    taken = page.get_by_test_id(f"taken-slot-{saturday}-14:00")
    expect(taken).to_contain_text(county.org_a1.name)
    expect(page.get_by_test_id(f"taken-slot-{saturday}-15:00")).to_be_visible()
    expect(page.get_by_test_id(f"free-slot-{saturday}-16:00")).to_be_visible()
    screenshot("venue-calendar-after-booking")
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.booked_by.username == "zhang"

    # when the group contact tries 15:00–17:00 the same day through the form
    log_in(page, live_server, "chen")
    query = f"room={room.pk}&date={saturday}&start=15:00&end=17:00"
    page.goto(f"{live_server.url}{reverse('venues:booking_create')}?{query}")
    form = page.get_by_test_id("booking-form")
    form.locator("input[name=purpose]").fill("合唱排练")
    form.locator("input[name=expected_attendance]").fill("20")
    page.get_by_test_id("booking-submit").click()

    # then the conflict names the taken slot, the input stays, and nothing is written
    expected = SLOT_TAKEN % {
        "room": str(room),
        "date": saturday,
        "start": "14:00",
        "end": "16:00",
        "organization": county.org_a1.name,
    }
    expect(page.get_by_test_id("booking-conflict")).to_contain_text(expected)
    expect(page.get_by_test_id("booking-form").locator("input[name=purpose]")).to_have_value(
        "合唱排练"
    )
    screenshot("venue-booking-conflict")
    assert Booking.objects.count() == 1


def test_pending_booking_is_approved_and_shows_in_the_feed(
    page, live_server, county, station, screenshot
):
    # given a room that needs approval
    room = RoomFactory(center=station, name="会议室", needs_approval=True)
    UserFactory(username="zhang", name="张丽华", role=Role.SECRETARY, community=county.community_a1)
    UserFactory(username="chen", name="陈明", role=Role.ORG_CONTACT, organization=county.org_a1)
    saturday = NEXT_SATURDAY.isoformat()

    # when the group contact opens Saturday 10:00 from the calendar, looks at Sunday's free
    # times, comes back to Saturday and picks 11:00 in the list of free times
    log_in(page, live_server, "chen")
    page.goto(calendar_url(live_server, room))
    page.get_by_test_id(f"free-slot-{saturday}-10:00").click()
    form = page.get_by_test_id("booking-form")
    sunday = (NEXT_SATURDAY + datetime.timedelta(days=1)).isoformat()
    form.locator("input[name=date]").fill(sunday)
    expect(page.get_by_test_id("free-slots")).to_contain_text(sunday)
    form.locator("input[name=date]").fill(saturday)
    expect(page.get_by_test_id("free-slots")).to_contain_text(saturday)
    page.get_by_test_id("free-slots").get_by_test_id("slot-11:00").click()
    expect(form.locator("input[name=start_time]")).to_have_value("11:00")
    expect(form.locator("input[name=end_time]")).to_have_value("12:00")
    form.locator("input[name=purpose]").fill("理事会")
    form.locator("input[name=expected_attendance]").fill("8")
    page.get_by_test_id("booking-submit").click()

    # then the slot shows as pending
    expect(page.get_by_test_id(f"taken-slot-{saturday}-11:00")).to_contain_text(county.org_a1.name)
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.PENDING

    # when the secretary approves it in the queue
    log_in(page, live_server, "zhang")
    page.goto(f"{live_server.url}{reverse('venues:approval_queue')}")
    row = page.get_by_test_id(f"pending-{booking.pk}")
    expect(row).to_contain_text("理事会")
    screenshot("venue-approval-queue")
    row.locator("form[action$='/approve/'] button").click()

    # then it is confirmed, leaves the queue and shows in the room's calendar feed
    expect(page.get_by_test_id(f"pending-{booking.pk}")).to_have_count(0)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    feed = page.request.get(
        f"{live_server.url}{reverse('venues:room_ics', kwargs={'pk': room.pk})}"
    )
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.text().count("BEGIN:VEVENT") == 1
    assert "理事会" in feed.text() or county.org_a1.name in feed.text()
