"""A community secretary's main tasks on a phone (390 × 844) and on a desk (1366 × 900):
approving several bookings at once, booking a free slot from the room's calendar, and
working through the verification queue. On the phone: cards, not tables; no horizontal
scrolling; no card taller than 200 px.
"""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.roles import Role
from activities.models import ActivityPhoto, VerificationStatus
from tests.accounts.factories import UserFactory
from tests.activities.factories import ActivityFactory
from tests.e2e.browser import log_in
from tests.venues.factories import (
    BookingFactory,
    RoomFactory,
    ServiceCenterFactory,
    open_every_day,
)
from venues.models import Booking

pytestmark = pytest.mark.e2e

TODAY = timezone.localdate()
NEXT_MONDAY = TODAY + datetime.timedelta(days=7 - TODAY.weekday())
NEXT_SATURDAY = NEXT_MONDAY + datetime.timedelta(days=5)
MAX_CARD_HEIGHT = 200


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def assert_no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def assert_cards_fit(cards):
    assert cards.count() > 0
    for index in range(cards.count()):
        box = cards.nth(index).bounding_box()
        assert box is not None and box["height"] <= MAX_CARD_HEIGHT, box


@pytest.fixture
def secretary_user(county):
    return UserFactory(
        username="zhang", name="张丽华", role=Role.SECRETARY, community=county.community_a1
    )


@pytest.fixture
def station(county):
    center = ServiceCenterFactory(community=county.community_a1, name="幸福社区党群服务站")
    open_every_day(center)
    return center


def test_approving_several_bookings_at_once(
    page, live_server, county, station, secretary_user, screen, screenshot
):
    room = RoomFactory(center=station, name="会议室", needs_approval=True)
    bookings = [
        BookingFactory(
            room=room,
            organization=county.org_a1,
            start=at(NEXT_SATURDAY, hour),
            end=at(NEXT_SATURDAY, hour + 2),
            purpose="老年合唱团排练及节目编排讨论",
            status=Booking.Status.PENDING,
        )
        for hour in (8, 10, 14, 16)
    ]

    log_in(page, live_server, "zhang")
    page.goto(f"{live_server.url}{reverse('venues:approval_queue')}")

    if screen == "phone":
        expect(page.get_by_test_id("approval-queue")).to_be_hidden()
        cards = page.locator("[data-testid^=pending-card-]")
        expect(cards).to_have_count(4)
        assert_cards_fit(cards)
    else:
        expect(page.get_by_test_id("approval-cards")).to_be_hidden()
        expect(page.get_by_test_id("approval-queue")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(f"secretary-approvals-{screen}")

    page.get_by_test_id("select-all").check()
    page.get_by_test_id("bulk-approve").click()

    expect(page.locator(".alert")).to_contain_text("已通过 4 项。")
    statuses = set(
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).values_list("status", flat=True)
    )
    assert statuses == {Booking.Status.CONFIRMED}
    assert_no_horizontal_scroll(page)
    screenshot(f"secretary-approvals-done-{screen}")


def test_booking_a_free_slot_from_the_room_calendar(
    page, live_server, county, station, secretary_user, screen, screenshot
):
    room = RoomFactory(center=station, name="多功能活动室", needs_approval=True)
    BookingFactory(
        room=room,
        organization=county.org_a2,
        start=at(NEXT_SATURDAY, 9),
        end=at(NEXT_SATURDAY, 11),
    )
    friday = (NEXT_SATURDAY - datetime.timedelta(days=1)).isoformat()
    saturday = NEXT_SATURDAY.isoformat()
    url = reverse("venues:room_detail", kwargs={"pk": room.pk})

    log_in(page, live_server, "zhang")
    if screen == "phone":
        # Step from Friday to Saturday with the day buttons.
        page.goto(f"{live_server.url}{url}?day={friday}")
        expect(page.get_by_test_id("room-week")).to_be_hidden()
        page.get_by_test_id("next-day").click()
        expect(page.get_by_test_id("day-label")).to_contain_text(NEXT_SATURDAY.strftime("%m-%d"))
        expect(page.get_by_test_id(f"day-taken-slot-{saturday}-09:00")).to_be_visible()
        assert_no_horizontal_scroll(page)
        screenshot("secretary-room-day-phone")
        page.get_by_test_id(f"day-free-slot-{saturday}-14:00").click()
    else:
        page.goto(f"{live_server.url}{url}?week={NEXT_MONDAY.isoformat()}")
        expect(page.get_by_test_id("room-day")).to_be_hidden()
        screenshot("secretary-room-week-desk")
        page.get_by_test_id(f"free-slot-{saturday}-14:00").click()

    form = page.get_by_test_id("booking-form")
    expect(form.locator("input[name=date]")).to_have_value(saturday)
    expect(form.locator("input[name=start_time]")).to_have_value("14:00")
    form.locator("input[name=end_time]").fill("16:00")
    form.locator("input[name=purpose]").fill("社区议事会")
    form.locator("input[name=expected_attendance]").fill("12")
    assert_no_horizontal_scroll(page)
    page.get_by_test_id("booking-submit").click()

    # The secretary decides on her own centre's rooms: confirmed at once, not queued.
    expect(page.locator(".alert")).to_contain_text("预约成功")
    booking = Booking.objects.get(purpose="社区议事会")
    assert booking.status == Booking.Status.CONFIRMED
    prefix = "day-taken-slot" if screen == "phone" else "taken-slot"
    expect(page.get_by_test_id(f"{prefix}-{saturday}-14:00")).to_contain_text(county.org_a1.name)
    assert_no_horizontal_scroll(page)
    screenshot(f"secretary-room-after-booking-{screen}")


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "orange").save(buffer, format="PNG")
    return buffer.getvalue()


def test_working_through_the_verification_queue(
    page, live_server, county, station, secretary_user, screen, screenshot
):
    now = timezone.now()
    room = RoomFactory(center=station, name="多功能活动室")
    booking = BookingFactory(
        room=room,
        organization=county.org_a1,
        start=now - datetime.timedelta(days=17),
        end=now - datetime.timedelta(days=17) + datetime.timedelta(hours=2),
        status=Booking.Status.USED,
    )
    waited = ActivityFactory(
        lead_organization=county.org_a1,
        title="重阳敬老文艺演出",
        description="为社区老人表演节目并赠送慰问品，志愿者二十人参与服务。",
        participants=42,
        booking=booking,
        start=booking.start,
        end=booking.end,
        submitted_at=now - datetime.timedelta(days=16),
    )
    for index in range(3):
        ActivityPhoto.objects.create(
            activity=waited,
            image=SimpleUploadedFile(f"p{index}.png", png_bytes()),
            uploaded_by=secretary_user,
        )
    empty = ActivityFactory(
        lead_organization=county.org_a1,
        title="邻里茶话会",
        description="",
        submitted_at=now - datetime.timedelta(days=2),
    )

    log_in(page, live_server, "zhang")
    page.goto(f"{live_server.url}{reverse('activities:verification_queue')}")

    if screen == "phone":
        expect(page.get_by_test_id("queue-activities")).to_be_hidden()
        card = page.get_by_test_id(f"activity-card-{waited.pk}")
        expect(card).to_have_class(re.compile("border-danger"))
        expect(card).to_contain_text("42 人参加")
        expect(card.get_by_test_id(f"activity-booking-{waited.pk}")).to_be_visible()
        expect(card.locator("img")).to_have_count(3)
        assert_cards_fit(page.locator("[data-testid^=activity-card-]"))
        verify = page.get_by_test_id(f"card-verify-activity-{empty.pk}")
    else:
        row = page.get_by_test_id(f"activity-row-{waited.pk}")
        expect(row).to_have_class(re.compile("table-danger"))
        expect(row.locator("img")).to_have_count(3)
        verify = page.get_by_test_id(f"verify-activity-{empty.pk}")
    expect(page.locator(f"[data-testid=waited-{waited.pk}]:visible")).to_have_text("已等待 16 天")
    # Thumbnails really load (served within scope): once every shown image has finished
    # loading (a refused or missing one finishes too, with no width), each has a width.
    shown_images = "Array.from(document.images).filter(i => i.offsetParent)"
    page.wait_for_function(f"{shown_images}.every(i => i.complete)")
    assert page.evaluate(f"{shown_images}.every(i => i.naturalWidth > 0)")
    assert_no_horizontal_scroll(page)
    screenshot(f"secretary-verification-queue-{screen}")

    # Verifying the empty record asks first; confirming verifies it.
    verify.click()
    expect(page.get_by_test_id("verify-empty-warning")).to_be_visible()
    empty.refresh_from_db()
    assert empty.status == VerificationStatus.SUBMITTED
    assert_no_horizontal_scroll(page)
    screenshot(f"secretary-verify-confirm-{screen}")
    page.get_by_test_id(f"confirm-verify-{empty.pk}").click()
    expect(page).to_have_url(re.compile(r"/verify/"))
    empty.refresh_from_db()
    assert empty.status == VerificationStatus.VERIFIED
