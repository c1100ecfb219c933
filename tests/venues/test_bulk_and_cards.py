"""Secretaries on a phone: approving several bookings at once, card lists beside the tables."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory, open_every_day
from venues.models import Booking
from venues.views.bookings import (
    BULK_NOT_IN_QUEUE,
    BULK_NOTHING_CHOSEN,
    BULK_REASON_REQUIRED,
)

TODAY = timezone.localdate()
NEXT_MONDAY = TODAY + datetime.timedelta(days=7 - TODAY.weekday())
NEXT_SATURDAY = NEXT_MONDAY + datetime.timedelta(days=5)
URL = reverse("venues:approval_bulk_decide")


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def room(county):
    center = ServiceCenterFactory(community=county.community_a1, name="幸福社区党群服务站")
    open_every_day(center)
    return RoomFactory(center=center, name="会议室", capacity=40, needs_approval=True)


def pending(room, organization, hour, day=NEXT_SATURDAY):
    return BookingFactory(
        room=room,
        organization=organization,
        start=at(day, hour),
        end=at(day, hour + 1),
        status=Booking.Status.PENDING,
    )


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_approving_several_at_once_audits_each(client_as, secretary, county, room):
    bookings = [pending(room, county.org_a1, hour) for hour in (9, 10, 11)]

    response = client_as(secretary).post(
        URL, {"action": "approve", "booking": [b.pk for b in bookings]}, follow=True
    )

    statuses = set(
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).values_list("status", flat=True)
    )
    assert statuses == {Booking.Status.CONFIRMED}
    audited = AuditEvent.objects.filter(action="booking.approve")
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(
        str(b.pk) for b in bookings
    )
    assert messages_of(response) == ["已通过 3 项。"]


def test_rejecting_several_with_one_reason(client_as, secretary, county, room):
    bookings = [pending(room, county.org_a1, hour) for hour in (9, 10)]

    client_as(secretary).post(
        URL, {"action": "reject", "reason": "场地检修", "booking": [b.pk for b in bookings]}
    )

    rows = Booking.objects.filter(pk__in=[b.pk for b in bookings])
    assert {(b.status, b.decision_reason) for b in rows} == {(Booking.Status.REJECTED, "场地检修")}
    assert AuditEvent.objects.filter(action="booking.reject").count() == 2


def test_bulk_reject_without_a_reason_changes_nothing(client_as, secretary, county, room):
    booking = pending(room, county.org_a1, 9)

    response = client_as(secretary).post(
        URL, {"action": "reject", "reason": " ", "booking": [booking.pk]}, follow=True
    )

    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    assert messages_of(response) == [str(BULK_REASON_REQUIRED)]


def test_bulk_with_nothing_chosen_says_so(client_as, secretary):
    response = client_as(secretary).post(URL, {"action": "approve"}, follow=True)

    assert messages_of(response) == [str(BULK_NOTHING_CHOSEN)]


def test_one_stale_booking_does_not_hold_back_the_others(client_as, secretary, county, room):
    fresh = [pending(room, county.org_a1, hour) for hour in (9, 10)]
    decided = pending(room, county.org_a1, 11)
    # Another approver decided it in the meantime; another is not the secretary's to decide.
    Booking.objects.filter(pk=decided.pk).update(status=Booking.Status.CONFIRMED)
    delegated = RoomFactory(center=room.center, needs_approval=True)
    delegated.approvers.add(UserFactory())
    foreign = pending(delegated, county.org_a1, 12)

    response = client_as(secretary).post(
        URL,
        {"action": "approve", "booking": [b.pk for b in [*fresh, decided, foreign]]},
        follow=True,
    )

    assert set(
        Booking.objects.filter(pk__in=[b.pk for b in fresh]).values_list("status", flat=True)
    ) == {Booking.Status.CONFIRMED}
    assert Booking.objects.get(pk=foreign.pk).status == Booking.Status.PENDING
    assert messages_of(response) == [
        f"已通过 2 项。2 项未能处理：#{decided.pk}：{BULK_NOT_IN_QUEUE}；"
        f"#{foreign.pk}：{BULK_NOT_IN_QUEUE}"
    ]


def test_org_contact_decides_nothing_in_bulk(client_as, org_contact, county, room):
    booking = pending(room, county.org_a1, 9)

    client_as(org_contact).post(URL, {"action": "approve", "booking": [booking.pk]})

    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.PENDING


def test_approval_queue_is_cards_on_a_phone_and_a_table_on_a_desk(
    client_as, secretary, county, room, django_assert_max_num_queries
):
    for hour in range(8, 20):
        pending(room, county.org_a1, hour)
    client = client_as(secretary)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("venues:approval_queue"))

    content = response.content.decode()
    assert 'class="d-md-none vstack gap-2" data-testid="approval-cards"' in content
    assert content.count('data-testid="pending-card-') == 12
    assert 'class="d-none d-md-block table-responsive"' in content
    assert 'data-testid="bulk-approve"' in content and 'data-testid="select-all"' in content


# --- the room's day view (phones) ---


def test_day_view_steps_day_by_day_with_free_slots_as_buttons(
    client_as, secretary, county, room, django_assert_max_num_queries
):
    BookingFactory(
        room=room,
        organization=county.org_a1,
        start=at(NEXT_SATURDAY, 14),
        end=at(NEXT_SATURDAY, 16),
    )
    url = reverse("venues:room_detail", kwargs={"pk": room.pk})
    client = client_as(secretary)

    with django_assert_max_num_queries(14):
        response = client.get(f"{url}?day={NEXT_SATURDAY.isoformat()}")

    view = response.context["day_view"]
    saturday = NEXT_SATURDAY.isoformat()
    assert view["date"] == NEXT_SATURDAY
    content = response.content.decode()
    assert f'data-testid="day-taken-slot-{saturday}-14:00"' in content
    assert f'data-testid="day-free-slot-{saturday}-14:00"' not in content
    book = (
        f"{reverse('venues:booking_create')}?room={room.pk}&amp;date={saturday}"
        f"&amp;start=16%3A00&amp;end=17%3A00"
    )
    assert f'href="{book}" data-testid="day-free-slot-{saturday}-16:00"' in content
    sunday = (NEXT_SATURDAY + datetime.timedelta(days=1)).isoformat()
    friday = (NEXT_SATURDAY - datetime.timedelta(days=1)).isoformat()
    assert f'href="?day={sunday}" data-testid="next-day"' in content
    assert f'href="?day={friday}" data-testid="previous-day"' in content
    # The next day may fall in the next week: the view follows it.
    following = client.get(f"{url}?day={sunday}").context["day_view"]
    assert following["date"].isoformat() == sunday
    monday = client.get(f"{url}?day={NEXT_MONDAY + datetime.timedelta(days=7)}")
    assert monday.context["week"]["start"] == NEXT_MONDAY + datetime.timedelta(days=7)


# --- my bookings and today's bookings (the secretary's home) ---


def test_my_bookings_are_cards_on_a_phone(
    client_as, secretary, county, room, django_assert_max_num_queries
):
    for hour in range(8, 18):
        BookingFactory(
            room=room,
            organization=county.org_a1,
            start=at(NEXT_SATURDAY, hour),
            end=at(NEXT_SATURDAY, hour + 1),
            booked_by=secretary,
        )
    client = client_as(secretary)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("venues:my_bookings"))

    content = response.content.decode()
    assert 'class="d-md-none vstack gap-2" data-testid="upcoming-cards"' in content
    assert content.count('data-testid="booking-card-') == 10
    assert content.count(">取消预约</a>") == 20  # on each card and each table row


def test_todays_bookings_on_the_secretarys_home_link_to_each_booking(
    client_as, secretary, county, room, django_assert_max_num_queries
):
    moment = datetime.datetime(2026, 5, 13, 7, 0, tzinfo=datetime.UTC)  # 15:00 in the county
    with time_machine.travel(moment, tick=False):
        day = timezone.localdate()
        bookings = [
            BookingFactory(
                room=room, organization=county.org_a1, start=at(day, hour), end=at(day, hour + 1)
            )
            for hour in (9, 16, 19)
        ]
        client = client_as(secretary)
        with django_assert_max_num_queries(40):
            response = client.get(reverse("home"))

    content = response.content.decode()
    assert 'data-testid="todays-bookings"' in content
    for booking in bookings:
        url = reverse("venues:booking_detail", kwargs={"pk": booking.pk})
        assert f'data-testid="today-{booking.pk}"><a href="{url}">' in content


def test_an_official_may_not_decide_in_bulk(client_as, official, county, room):
    booking = pending(room, county.org_a1, 9)

    response = client_as(official).post(URL, {"action": "approve", "booking": [booking.pk]})

    assert response.status_code == 403
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.PENDING


def test_the_room_page_tells_the_approver_her_bookings_are_confirmed_at_once(
    client_as, secretary, org_contact, room
):
    url = reverse("venues:room_detail", kwargs={"pk": room.pk})

    mine = client_as(secretary).get(url).content.decode()
    theirs = client_as(org_contact).get(url).content.decode()

    assert 'data-testid="confirmed-at-once"' in mine
    assert 'data-testid="confirmed-at-once"' not in theirs
    assert "预约需经服务中心审核" in theirs
