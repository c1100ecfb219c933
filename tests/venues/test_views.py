"""Venue pages: calendars with free and taken slots, the booking form, approvals, feeds."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.clock import pinned_clock
from tests.orgs.factories import OrganizationFactory
from tests.venues.factories import (
    BookingFactory,
    RoomFactory,
    ServiceCenterFactory,
    open_every_day,
)
from venues.forms import MONTH_FORMAT_MESSAGE, TIME_ORDER_MESSAGE
from venues.models import Booking, BookingSeries, Closure
from venues.services import SLOT_TAKEN

# Each test runs at the instant the module was imported (see tests/clock.py).
NOW = timezone.now()
TODAY = timezone.localdate(NOW)
_clock = pinned_clock(NOW)
NEXT_MONDAY = TODAY + datetime.timedelta(days=7 - TODAY.weekday())
NEXT_SATURDAY = NEXT_MONDAY + datetime.timedelta(days=5)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def room(county):
    """A room of community A1's station, open 08:00–21:00 every day, confirmed at once."""
    center = ServiceCenterFactory(community=county.community_a1, name="幸福社区党群服务站")
    open_every_day(center)
    return RoomFactory(center=center, name="多功能活动室", capacity=40, needs_approval=False)


def book(room, organization, day, start_hour, end_hour, **fields):
    return BookingFactory(
        room=room,
        organization=organization,
        start=at(day, start_hour),
        end=at(day, end_hour),
        **fields,
    )


def room_url(room, week=NEXT_MONDAY):
    return reverse("venues:room_detail", kwargs={"pk": room.pk}) + f"?week={week.isoformat()}"


def form_data(room, organization, day=NEXT_SATURDAY, start="14:00", end="16:00", **changes):
    data = {
        "room": room.pk,
        "organization": organization.pk,
        "date": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "purpose": "书画练习",
        "expected_attendance": 12,
    }
    return {**data, **changes}


# --- Calendars ------------------------------------------------------------------------------


def test_room_calendar_shows_taken_and_free_slots(client_as, secretary, county, room):
    book(room, county.org_a1, NEXT_SATURDAY, 14, 16)

    response = client_as(secretary).get(room_url(room))

    content = response.content.decode()
    saturday = NEXT_SATURDAY.isoformat()
    assert f'data-testid="taken-slot-{saturday}-14:00"' in content
    assert f'data-testid="taken-slot-{saturday}-15:00"' in content
    assert f'data-testid="free-slot-{saturday}-14:00"' not in content
    assert f'data-testid="free-slot-{saturday}-16:00"' in content
    assert county.org_a1.name in content
    book_link = (
        f"{reverse('venues:booking_create')}?room={room.pk}&amp;date={saturday}"
        "&amp;start=10%3A00&amp;end=11%3A00"
    )
    assert book_link in content


def test_room_calendar_offers_no_slot_in_the_past(client_as, secretary, room):
    response = client_as(secretary).get(room_url(room, week=TODAY - datetime.timedelta(days=14)))

    grid = response.context["grid"]
    assert 'data-testid="free-slot-' not in response.content.decode()
    assert (grid["rows"][0]["hour"], grid["rows"][-1]["hour"]) == (
        datetime.time(8),
        datetime.time(20),
    )


def test_room_calendar_shows_a_closed_day_without_slots(client_as, secretary, room):
    Closure.objects.create(
        center=room.center, starts_on=NEXT_SATURDAY, ends_on=NEXT_SATURDAY, reason="消防检查"
    )

    response = client_as(secretary).get(room_url(room))

    content = response.content.decode()
    assert f'data-testid="free-slot-{NEXT_SATURDAY.isoformat()}-' not in content
    friday = NEXT_SATURDAY - datetime.timedelta(days=1)
    assert f'data-testid="free-slot-{friday.isoformat()}-14:00"' in content
    saturday_cells = [row["cells"][5]["state"] for row in response.context["grid"]["rows"]]
    assert set(saturday_cells) == {"closed"}


def test_calendar_hides_other_organisations_from_an_org_contact(
    client_as, org_contact, county, room
):
    book(room, county.org_a2, NEXT_SATURDAY, 9, 10)

    response = client_as(org_contact).get(room_url(room))

    content = response.content.decode()
    assert f'data-testid="taken-slot-{NEXT_SATURDAY.isoformat()}-09:00"' in content
    assert county.org_a2.name not in content


def test_week_navigation_links_to_previous_and_next_week(client_as, secretary, room):
    response = client_as(secretary).get(room_url(room))

    content = response.content.decode()
    previous = NEXT_MONDAY - datetime.timedelta(days=7)
    following = NEXT_MONDAY + datetime.timedelta(days=7)
    assert f'href="?week={previous.isoformat()}" data-testid="previous-week"' in content
    assert f'href="?week={following.isoformat()}" data-testid="next-week"' in content


def test_center_page_shows_rooms_hours_and_the_week(client_as, secretary, county, room):
    book(room, county.org_a1, NEXT_SATURDAY, 14, 16)
    url = reverse("venues:center_detail", kwargs={"pk": room.center_id})

    response = client_as(secretary).get(f"{url}?week={NEXT_SATURDAY.isoformat()}")

    content = response.content.decode()
    assert response.context["week"]["start"] == NEXT_MONDAY
    assert room.name in content
    assert "08:00–21:00" in content
    assert county.org_a1.name in content


def test_room_of_another_township_answers_404(client_as, secretary, county):
    far = RoomFactory(center=ServiceCenterFactory(community=county.community_b1))

    response = client_as(secretary).get(reverse("venues:room_detail", kwargs={"pk": far.pk}))

    assert response.status_code == 404


def test_center_list_filters_by_community(client_as, township_staff, county):
    ServiceCenterFactory(community=county.community_a1, name="幸福社区党群服务站")
    ServiceCenterFactory(community=county.community_a2, name="和平社区党群服务站")
    ServiceCenterFactory(community=county.community_b1, name="王家村党群服务站")

    response = client_as(township_staff).get(
        reverse("venues:center_list"), {"community": county.community_a2.pk}
    )

    assert [center.name for center in response.context["page"]] == ["和平社区党群服务站"]


# --- Booking through the form ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("needs_approval", "someone_else_approves", "status"),
    [
        (False, False, Booking.Status.CONFIRMED),
        # The secretary decides on her own centre's rooms: her booking needs no approval.
        (True, False, Booking.Status.CONFIRMED),
        (True, True, Booking.Status.PENDING),
    ],
)
def test_booking_through_the_form(
    client_as, secretary, county, room, needs_approval, someone_else_approves, status
):
    room.needs_approval = needs_approval
    room.save()
    if someone_else_approves:
        room.approvers.add(UserFactory())

    response = client_as(secretary).post(
        reverse("venues:booking_create"), form_data(room, county.org_a1)
    )

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == f"{room_url(room, week=NEXT_SATURDAY)}&day={NEXT_SATURDAY}"
    assert (booking.status, booking.organization, booking.booked_by) == (
        status,
        county.org_a1,
        secretary,
    )
    assert (booking.start, booking.end) == (at(NEXT_SATURDAY, 14), at(NEXT_SATURDAY, 16))


def test_booking_form_is_prefilled_from_a_free_slot(client_as, secretary, room):
    query = {"room": room.pk, "date": NEXT_SATURDAY.isoformat(), "start": "14:00", "end": "15:00"}

    response = client_as(secretary).get(reverse("venues:booking_create"), query)

    form = response.context["form"]
    assert (form["room"].value(), form["start_time"].value(), form["end_time"].value()) == (
        str(room.pk),
        "14:00",
        "15:00",
    )
    assert at(NEXT_SATURDAY, 14) in [start for start, _end in response.context["slots"]]


def test_booking_form_offers_only_organisations_the_user_may_book_for(
    client_as, org_contact, county, room
):
    response = client_as(org_contact).get(reverse("venues:booking_create"))

    assert list(response.context["form"].fields["organization"].queryset) == [county.org_a1]


def test_free_slots_refresh_as_an_htmx_partial(client_as, secretary, county, room):
    book(room, county.org_a1, NEXT_SATURDAY, 8, 20)

    response = client_as(secretary).get(
        reverse("venues:booking_create"),
        {"room": room.pk, "date": NEXT_SATURDAY.isoformat()},
        HTTP_HX_REQUEST="true",
    )

    assert response.templates[0].name == "venues/partials/_free_slots.html"
    assert response.context["slots"] == [(at(NEXT_SATURDAY, 20), at(NEXT_SATURDAY, 21))]


def test_conflict_names_the_slot_and_keeps_the_input(
    client_as, secretary, org_contact, county, room
):
    # Given a confirmed booking on Saturday 14:00–16:00
    book(room, county.org_a2, NEXT_SATURDAY, 14, 16)

    # When the org contact tries 15:00–17:00
    response = client_as(org_contact).post(
        reverse("venues:booking_create"),
        form_data(room, county.org_a1, start="15:00", end="17:00", purpose="合唱排练"),
    )

    # Then the page names the slot taken and keeps what they typed; nothing is written
    expected = SLOT_TAKEN % {
        "room": str(room),
        "date": NEXT_SATURDAY.isoformat(),
        "start": "14:00",
        "end": "16:00",
        "organization": county.org_a2.name,
    }
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["conflict"] == expected
    assert 'data-testid="booking-conflict"' in content
    assert 'value="合唱排练"' in content
    assert Booking.objects.count() == 1


def test_service_errors_show_on_the_form(client_as, secretary, county, room):
    response = client_as(secretary).post(
        reverse("venues:booking_create"),
        form_data(room, county.org_a1, expected_attendance=41),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["expected_attendance"]
    assert not Booking.objects.exists()


def test_booking_form_checks_the_time_order(client_as, secretary, county, room):
    response = client_as(secretary).post(
        reverse("venues:booking_create"), form_data(room, county.org_a1, start="16:00", end="14:00")
    )

    assert response.context["form"].errors["end_time"] == [str(TIME_ORDER_MESSAGE)]


def test_official_cannot_open_the_booking_form(client_as, official):
    response = client_as(official).get(reverse("venues:booking_create"))

    assert response.status_code == 403


# --- Weekly series --------------------------------------------------------------------------


def series_data(room, organization, action, **changes):
    data = {
        "room": room.pk,
        "organization": organization.pk,
        "weekday": NEXT_SATURDAY.weekday(),
        "start_time": "14:00",
        "end_time": "16:00",
        "first_date": NEXT_SATURDAY.isoformat(),
        "last_date": (NEXT_SATURDAY + datetime.timedelta(days=21)).isoformat(),
        "purpose": "合唱排练",
        "expected_attendance": 20,
        "action": action,
    }
    return {**data, **changes}


def test_series_preview_lists_free_and_conflicting_dates_and_writes_nothing(
    client_as, secretary, county, room
):
    taken = NEXT_SATURDAY + datetime.timedelta(days=7)
    book(room, county.org_a2, taken, 15, 16)

    response = client_as(secretary).post(
        reverse("venues:booking_series_create"), series_data(room, county.org_a1, "preview")
    )

    preview = response.context["preview"]
    assert len(preview["free"]) == 3
    assert [conflict["date"] for conflict in preview["conflicts"]] == [taken.isoformat()]
    assert Booking.objects.count() == 1
    assert not BookingSeries.objects.exists()


def test_series_books_the_free_dates_only(client_as, secretary, county, room):
    taken = NEXT_SATURDAY + datetime.timedelta(days=7)
    book(room, county.org_a2, taken, 15, 16)

    response = client_as(secretary).post(
        reverse("venues:booking_series_create"), series_data(room, county.org_a1, "book_free")
    )

    assert response.status_code == 302
    series = BookingSeries.objects.get()
    dates = [timezone.localtime(b.start).date() for b in series.bookings.order_by("start")]
    assert taken not in dates
    assert len(dates) == 3


def test_series_book_none_writes_nothing(client_as, secretary, county, room):
    response = client_as(secretary).post(
        reverse("venues:booking_series_create"), series_data(room, county.org_a1, "book_none")
    )

    assert response.status_code == 302
    assert not Booking.objects.exists()


def test_one_occurrence_of_a_series_moves_alone(client_as, secretary, county, room):
    client = client_as(secretary)
    client.post(
        reverse("venues:booking_series_create"), series_data(room, county.org_a1, "book_free")
    )
    first, second = Booking.objects.order_by("start")[:2]

    response = client.post(
        reverse("venues:booking_move", kwargs={"pk": first.pk}),
        {"date": NEXT_SATURDAY.isoformat(), "start_time": "18:00", "end_time": "20:00"},
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.start == at(NEXT_SATURDAY, 18)
    assert second.start == at(NEXT_SATURDAY + datetime.timedelta(days=7), 14)


# --- Approvals, cancelling, marking ---------------------------------------------------------


def pending(room, organization, day=NEXT_SATURDAY, hour=9):
    return book(room, organization, day, hour, hour + 1, status=Booking.Status.PENDING)


def test_approval_queue_shows_only_bookings_the_user_may_approve(
    client_as, secretary, township_staff, county, room
):
    # Given pending bookings at A1's station, A2's station and the township's own centre
    own = pending(room, county.org_a1)
    neighbour_room = RoomFactory(center=ServiceCenterFactory(community=county.community_a2))
    neighbour = pending(neighbour_room, county.org_a2)
    township_center = ServiceCenterFactory(
        community=None, township=county.township_a, kind="center"
    )
    township_booking = pending(RoomFactory(center=township_center), county.org_a2)
    # and a room whose named approver is someone else
    delegated_room = RoomFactory(center=room.center)
    delegated_room.approvers.add(UserFactory())
    pending(delegated_room, county.org_a1)

    # Then each decider sees only their own
    secretary_queue = client_as(secretary).get(reverse("venues:approval_queue"))
    assert list(secretary_queue.context["page"]) == [own]
    staff_queue = client_as(township_staff).get(reverse("venues:approval_queue"))
    assert list(staff_queue.context["page"]) == [township_booking]
    assert neighbour not in staff_queue.context["page"]


def test_approving_confirms_the_booking(client_as, secretary, county, room):
    booking = pending(room, county.org_a1)

    response = client_as(secretary).post(
        reverse("venues:booking_approve", kwargs={"pk": booking.pk})
    )

    booking.refresh_from_db()
    assert response.status_code == 302
    assert (booking.status, booking.decided_by) == (Booking.Status.CONFIRMED, secretary)


def test_org_contact_cannot_approve(client_as, org_contact, county, room):
    booking = pending(room, county.org_a1)

    response = client_as(org_contact).post(
        reverse("venues:booking_approve", kwargs={"pk": booking.pk})
    )

    booking.refresh_from_db()
    assert response.status_code == 403
    assert booking.status == Booking.Status.PENDING


@pytest.mark.parametrize("url_name", ["venues:booking_reject", "venues:booking_cancel"])
def test_reject_and_cancel_need_a_reason(client_as, secretary, county, room, url_name):
    booking = pending(room, county.org_a1)
    url = reverse(url_name, kwargs={"pk": booking.pk})
    client = client_as(secretary)

    refused = client.post(url, {"reason": "  "})
    booking.refresh_from_db()
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"]
    assert booking.status == Booking.Status.PENDING

    accepted = client.post(url, {"reason": "场地检修"})
    booking.refresh_from_db()
    assert accepted.status_code == 302
    assert booking.status in {Booking.Status.REJECTED, Booking.Status.CANCELLED}
    assert "场地检修" in (booking.decision_reason, booking.cancel_reason)


def test_mark_used_only_after_the_slot(client_as, secretary, county, room):
    yesterday = TODAY - datetime.timedelta(days=1)
    ended = book(room, county.org_a1, yesterday, 9, 10)
    upcoming = book(room, county.org_a1, NEXT_SATURDAY, 9, 10)
    client = client_as(secretary)

    for booking in (ended, upcoming):
        client.post(reverse("venues:booking_mark", kwargs={"pk": booking.pk}), {"action": "used"})

    ended.refresh_from_db()
    upcoming.refresh_from_db()
    assert ended.status == Booking.Status.USED
    assert upcoming.status == Booking.Status.CONFIRMED


def test_booking_page_offers_the_actions_the_user_may_take(client_as, secretary, county, room):
    booking = pending(room, county.org_a1)

    response = client_as(secretary).get(reverse("venues:booking_detail", kwargs={"pk": booking.pk}))

    assert response.context["actions"] == {
        "approve": True,
        "cancel": True,
        "move": False,
        "mark": False,
    }


def test_my_bookings_splits_upcoming_and_past(client_as, org_contact, county, room):
    upcoming = book(room, county.org_a1, NEXT_SATURDAY, 9, 10)
    past = book(room, county.org_a1, TODAY - datetime.timedelta(days=3), 9, 10)
    book(room, county.org_a2, NEXT_SATURDAY, 11, 12)

    response = client_as(org_contact).get(reverse("venues:my_bookings"))

    assert list(response.context["upcoming"]) == [upcoming]
    assert list(response.context["page"]) == [past]


# --- Feeds and utilisation ------------------------------------------------------------------


def test_room_feed_has_one_event_per_blocking_booking(client_as, secretary, county, room):
    book(room, county.org_a1, NEXT_SATURDAY, 9, 10)
    book(room, county.org_a2, NEXT_SATURDAY, 11, 12, status=Booking.Status.PENDING)
    book(room, county.org_a1, NEXT_SATURDAY, 13, 14, status=Booking.Status.CANCELLED)

    response = client_as(secretary).get(reverse("venues:room_ics", kwargs={"pk": room.pk}))

    content = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert content.startswith("BEGIN:VCALENDAR")
    assert content.count("BEGIN:VEVENT") == 2


def test_organisation_feed_has_only_its_bookings(client_as, secretary, county, room):
    book(room, county.org_a1, NEXT_SATURDAY, 9, 10)
    book(room, county.org_a2, NEXT_SATURDAY, 11, 12)

    response = client_as(secretary).get(
        reverse("venues:organization_ics", kwargs={"org_pk": county.org_a1.pk})
    )

    assert response.content.decode().count("BEGIN:VEVENT") == 1


def test_utilisation_shows_booked_against_open_hours(client_as, township_staff, county, room):
    book(room, county.org_a1, NEXT_SATURDAY, 9, 12)
    month = NEXT_SATURDAY.strftime("%Y-%m")

    response = client_as(township_staff).get(reverse("venues:utilisation"), {"month": month})

    rows = [row for row in response.context["table"] if row["room"] == room]
    assert rows[0]["booked_hours"] == 3
    assert rows[0]["open_hours"] > 0
    assert response.context["month"] == NEXT_SATURDAY.replace(day=1)


def test_utilisation_with_a_bad_month_shows_the_error_and_this_month(client_as, official):
    response = client_as(official).get(reverse("venues:utilisation"), {"month": "2026-13"})

    assert response.context["form"].errors["month"] == [str(MONTH_FORMAT_MESSAGE)]
    assert response.context["month"] == TODAY.replace(day=1)


def test_official_sees_free_slots_without_booking_links(client_as, official, room):
    response = client_as(official).get(room_url(room))

    content = response.content.decode()
    assert f'data-testid="free-slot-{NEXT_SATURDAY.isoformat()}-14:00"' in content
    assert reverse("venues:booking_create") not in content


def test_utilisation_is_refused_to_secretaries(client_as, secretary):
    assert client_as(secretary).get(reverse("venues:utilisation")).status_code == 403


# --- Bounded queries ------------------------------------------------------------------------


@pytest.fixture
def busy_room(county, room, secretary):
    """Thirty-five bookings around next week, pending and confirmed, of several organisations."""
    organizations = [county.org_a1, county.org_a2] + [
        OrganizationFactory(community=county.community_a1) for _ in range(3)
    ]
    for index in range(35):
        day = NEXT_MONDAY + datetime.timedelta(days=index % 7)
        hour = 8 + index // 7 * 2
        status = Booking.Status.PENDING if index % 2 else Booking.Status.CONFIRMED
        book(
            room, organizations[index % 5], day, hour, hour + 1, status=status, booked_by=secretary
        )
    return room


def test_room_calendar_queries_are_bounded(
    client_as, secretary, busy_room, django_assert_max_num_queries
):
    client = client_as(secretary)
    with django_assert_max_num_queries(14):
        response = client.get(room_url(busy_room))
    assert (
        sum(
            len(cell["bookings"])
            for row in response.context["grid"]["rows"]
            for cell in row["cells"]
        )
        >= 35
    )


def test_center_page_queries_are_bounded(
    client_as, secretary, busy_room, django_assert_max_num_queries
):
    client = client_as(secretary)
    url = reverse("venues:center_detail", kwargs={"pk": busy_room.center_id})
    with django_assert_max_num_queries(16):
        client.get(f"{url}?week={NEXT_MONDAY.isoformat()}")


def test_my_bookings_and_approval_queue_queries_are_bounded(
    client_as, secretary, busy_room, django_assert_max_num_queries
):
    client = client_as(secretary)
    with django_assert_max_num_queries(12):
        mine = client.get(reverse("venues:my_bookings"))
    with django_assert_max_num_queries(12):
        queue = client.get(reverse("venues:approval_queue"))
    assert len(mine.context["upcoming"]) == 35
    assert queue.context["page"].paginator.count == 17


def test_center_list_queries_are_bounded(
    client_as, township_staff, county, django_assert_max_num_queries
):
    for index in range(30):
        center = ServiceCenterFactory(community=county.community_a1, name=f"站{index}")
        RoomFactory(center=center)
        RoomFactory(center=center)
    client = client_as(township_staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("venues:center_list"))
    assert response.context["page"].paginator.count == 30
    assert {center.room_count for center in response.context["page"]} == {2}


def test_audit_rows_follow_page_actions(client_as, secretary, county, room):
    client_as(secretary).post(reverse("venues:booking_create"), form_data(room, county.org_a1))

    assert AuditEvent.objects.filter(action="booking.create").count() == 1


def test_utilisation_pages_centres_with_their_rooms_in_bounded_queries(
    client_as, county_admin, county, django_assert_max_num_queries
):
    # given two centres with two rooms each, one with a room closed for a day and a booking
    def centre(name, closed=False):
        center = ServiceCenterFactory(community=county.community_a1, name=name)
        open_every_day(center)
        rooms = [RoomFactory(center=center, name=f"{name}{n}") for n in (1, 2)]
        if closed:
            Closure.objects.create(
                center=center, room=rooms[0], starts_on=NEXT_SATURDAY, ends_on=NEXT_SATURDAY
            )
        return rooms

    first = centre("甲站", closed=True)
    # another day of the same month, when the room is open
    sunday = NEXT_SATURDAY + datetime.timedelta(days=1)
    other_day = (
        sunday
        if sunday.month == NEXT_SATURDAY.month
        else NEXT_SATURDAY - datetime.timedelta(days=1)
    )
    book(first[0], county.org_a1, other_day, 9, 11)
    client = client_as(county_admin)
    params = {"month": NEXT_SATURDAY.strftime("%Y-%m")}
    url = reverse("venues:utilisation")
    with django_assert_max_num_queries(50) as few:
        response = client.get(url, params)
    rows = {
        (row["center"].name, row["room"] and row["room"].name): row
        for row in response.context["table"]
    }
    # then a room closed for a day is open 13 h less than its neighbour, and booked 2 h
    assert rows[("甲站", "甲站1")]["open_hours"] + 13 == rows[("甲站", "甲站2")]["open_hours"]
    assert rows[("甲站", "甲站1")]["booked_hours"] == 2
    assert rows[("甲站", None)]["booked_hours"] == 2

    # when there are more centres than a page holds, each with rooms and bookings
    for n in range(30):
        rooms = centre(f"乙站{n:02d}", closed=n % 2 == 0)
        book(rooms[1], county.org_a2, NEXT_SATURDAY, 9, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, params)
    with django_assert_max_num_queries(len(few.captured_queries)):
        second = client.get(url, {**params, "page": 2})

    # then the first page shows 25 centres with their rooms, the second the rest
    centres = [row for row in response.context["table"] if row["room"] is None]
    assert len(centres) == 25
    assert len(response.context["table"]) == 25 * 3
    assert response.context["page"].paginator.count == 31
    assert len([row for row in second.context["table"] if row["room"] is None]) == 6
