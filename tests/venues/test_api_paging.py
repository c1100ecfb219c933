"""The booking API under load: cursor paging without a count, the same number of queries for
one row as for many (bookings list, rooms with free slots, room and centre calendars), and
bookings_visible_to returning the same rows in its index-friendly shape."""

import datetime
from base64 import b64encode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.scoping import scope_for
from orgs.models import Organization
from tests.accounts.factories import UserFactory
from tests.orgs.factories import OrganizationFactory
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory, open_every_day
from venues.api.views import INVALID_CURSOR
from venues.models import Booking
from venues.permissions import approvable_condition, bookings_visible_to

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 5, 13, 9, 0, tzinfo=TZ)
SATURDAY = datetime.date(2026, 5, 16)
MONDAY = datetime.date(2026, 5, 18)
BAD_CURSOR_TEXT = "翻页链接无效，请从第一页重新开始。"


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def station(county):
    center = ServiceCenterFactory(
        name="幸福社区党群服务站", community=county.community_a1, township=county.township_a
    )
    open_every_day(center, datetime.time(8, 0), datetime.time(21, 0))
    return center


@pytest.fixture
def room(station):
    return RoomFactory(center=station, name="活动室", capacity=30)


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def walk(client, url, params=None):
    """Every page of a list by following `next`: (rows, number of pages)."""
    rows, pages = [], 0
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        rows += body["results"]
        pages += 1
        if body["next"] is None:
            return rows, pages, body
        response = client.get(body["next"])


def _many_bookings(room, county, count, *, same_start=0):
    """`count` bookings over a fortnight, the first `same_start` all at Saturday 09:00
    (cancelled, so they may share the slot), the rest an hour apart across several rooms."""
    organizations = [county.org_a1, county.org_a2]
    rooms = [room] + [RoomFactory(center=room.center, name=f"会议室{n}") for n in range(3)]
    made = []
    for index in range(same_start):
        made.append(
            BookingFactory(
                room=room,
                organization=organizations[index % 2],
                start=at(SATURDAY, 9),
                end=at(SATURDAY, 10),
                status=Booking.Status.CANCELLED,
            )
        )
    for index in range(count - same_start):
        day = SATURDAY + datetime.timedelta(days=index // 40)
        hour = 8 + (index // 4) % 10
        made.append(
            BookingFactory(
                room=rooms[index % 4],
                organization=organizations[index % 2],
                start=at(day, hour),
                end=at(day, hour + 1),
            )
        )
    return made


# --- cursor paging ---


def test_the_cursor_walks_every_booking_once_in_start_order(county_admin, county, room):
    made = _many_bookings(room, county, 170, same_start=70)
    expected = [b.pk for b in sorted(made, key=lambda b: (b.start, b.pk))]
    client = api_as(county_admin)

    rows, pages, last = walk(client, reverse("booking-list"))

    assert [row["id"] for row in rows] == expected
    assert pages == 4  # 50 a page
    # And back again from the last page by `previous`.
    back, response = [], client.get(last["previous"])
    while True:
        body = response.json()
        back = body["results"] + back
        if body["previous"] is None:
            break
        response = client.get(body["previous"])
    assert [row["id"] for row in back + last["results"]] == expected


def test_the_cursor_keeps_the_filters(county_admin, county, room):
    made = _many_bookings(room, county, 120)
    wanted = sorted(
        (b for b in made if b.room_id == room.pk and b.start.date() >= MONDAY),
        key=lambda b: (b.start, b.pk),
    )

    rows, _pages, _last = walk(
        api_as(county_admin), reverse("booking-list"), {"room": room.pk, "from": "2026-05-18"}
    )

    assert [row["id"] for row in rows] == [b.pk for b in wanted]


def test_the_first_page_has_no_count_and_no_previous(county_admin, county, room):
    _many_bookings(room, county, 60)

    body = api_as(county_admin).get(reverse("booking-list")).json()

    assert list(body) == ["next", "previous", "results"]
    assert body["previous"] is None
    assert "cursor=" in body["next"]
    assert len(body["results"]) == 50


def _cursor(text: str) -> str:
    return b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor",
        "%%%",
        _cursor("s=soon&i=1"),
        _cursor("s=2026-05-16T09:00:00&i=1"),  # no time zone
        _cursor("s=2026-05-16T09:00:00+08:00&i=0"),
        _cursor("s=2026-05-16T09:00:00+08:00&i=99999999999999999999999"),
        _cursor("s=0001-01-01T00:00:00+08:00&i=1"),
        _cursor("s=2026-05-16T09:00:00+08:00"),
        _cursor("i=3"),
    ],
)
def test_a_malformed_cursor_answers_404_in_chinese(county_admin, county, room, cursor):
    response = api_as(county_admin).get(reverse("booking-list"), {"cursor": cursor})

    assert response.status_code == 404
    assert response.json() == {"detail": BAD_CURSOR_TEXT}
    assert str(INVALID_CURSOR) == BAD_CURSOR_TEXT


def test_the_schema_documents_the_cursor(tmp_path):
    import yaml
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yml"))
    schema = yaml.safe_load((tmp_path / "schema.yml").read_text())
    operation = schema["paths"]["/api/v1/bookings/"]["get"]
    page = schema["components"]["schemas"]["PaginatedBookingList"]

    assert "cursor" in {parameter["name"] for parameter in operation["parameters"]}
    assert "page" not in {parameter["name"] for parameter in operation["parameters"]}
    assert "no total count" in operation["description"]
    assert set(page["properties"]) == {"next", "previous", "results"}
    rooms = schema["paths"]["/api/v1/rooms/"]["get"]
    assert "page" in {parameter["name"] for parameter in rooms["parameters"]}


# --- the same number of queries for one row as for many ---


def queries_of(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("user_fixture", ["county_admin", "township_staff", "org_contact"])
def test_the_bookings_list_costs_the_same_for_one_row_and_many(
    request, county, room, user_fixture, django_assert_num_queries
):
    client = api_as(request.getfixturevalue(user_fixture))
    BookingFactory(
        room=room, organization=county.org_a1, start=at(SATURDAY, 7), end=at(SATURDAY, 8)
    )
    one = queries_of(client, reverse("booking-list"))

    _many_bookings(room, county, 160)
    with django_assert_num_queries(one):
        first = client.get(reverse("booking-list")).json()
    with django_assert_num_queries(one):
        client.get(first["next"])
    assert one <= 5
    assert len(first["results"]) == 50


def test_rooms_with_free_slots_cost_the_same_for_one_room_and_many(
    township_staff, county, station, room, django_assert_num_queries
):
    client = api_as(township_staff)
    BookingFactory(room=room, start=at(SATURDAY, 9), end=at(SATURDAY, 10))
    one = queries_of(client, reverse("room-list"), {"date": "2026-05-16"})

    for index in range(40):
        center = ServiceCenterFactory(community=county.community_a2, name=f"站{index}")
        open_every_day(center)
        extra = RoomFactory(center=center)
        BookingFactory(room=extra, start=at(SATURDAY, 9), end=at(SATURDAY, 11))
    with django_assert_num_queries(one):
        response = client.get(reverse("room-list"), {"date": "2026-05-16"})

    rows = response.json()["results"]
    assert len(rows) == 41
    assert all(row["free_slots"] for row in rows)
    assert one <= 8


def test_free_slots_read_only_the_days_bookings(township_staff, room):
    """A year of history does not reach the day's query: it reads from the day before on."""
    BookingFactory(room=room, start=at(SATURDAY, 9), end=at(SATURDAY, 10))
    with CaptureQueriesContext(connection) as captured:
        api_as(township_staff).get(reverse("room-list"), {"date": "2026-05-16"})

    bookings_sql = [q["sql"] for q in captured if 'FROM "venues_booking"' in q["sql"]]
    assert len(bookings_sql) == 1
    assert '"venues_booking"."start" >=' in bookings_sql[0]


def _web_client(client, user):
    client.force_login(user)
    return client


def test_the_room_calendar_costs_the_same_for_one_booking_and_many(
    client, secretary, county, room, django_assert_num_queries
):
    web = _web_client(client, secretary)
    url = reverse("venues:room_detail", kwargs={"pk": room.pk}) + f"?week={MONDAY.isoformat()}"
    BookingFactory(room=room, organization=county.org_a1, start=at(MONDAY, 9), end=at(MONDAY, 10))
    one = queries_of(web, url)

    for index in range(40):
        day = MONDAY + datetime.timedelta(days=index % 7)
        hour = 10 + index // 7
        organization = OrganizationFactory(community=county.community_a1)
        BookingFactory(
            room=room, organization=organization, start=at(day, hour), end=at(day, hour + 1)
        )
    with django_assert_num_queries(one):
        response = web.get(url)
    taken = sum(
        len(cell["bookings"]) for row in response.context["grid"]["rows"] for cell in row["cells"]
    )
    assert taken == 41


def test_the_centre_calendar_costs_the_same_for_one_room_and_many(
    client, secretary, county, station, room, django_assert_num_queries
):
    web = _web_client(client, secretary)
    url = reverse("venues:center_detail", kwargs={"pk": station.pk}) + f"?week={MONDAY.isoformat()}"
    BookingFactory(room=room, organization=county.org_a1, start=at(MONDAY, 9), end=at(MONDAY, 10))
    one = queries_of(web, url)

    for index in range(12):
        extra = RoomFactory(center=station, name=f"会议室{index}", needs_approval=bool(index % 2))
        for day in range(7):
            organization = OrganizationFactory(community=county.community_a1)
            BookingFactory(
                room=extra,
                organization=organization,
                start=at(MONDAY + datetime.timedelta(days=day), 14),
                end=at(MONDAY + datetime.timedelta(days=day), 16),
                status=Booking.Status.PENDING if day % 2 else Booking.Status.CONFIRMED,
            )
    with django_assert_num_queries(one):
        response = web.get(url)
    assert len(response.context["calendar"]) == 13


# --- bookings_visible_to: the same rows as the plain OR ---


def _visible_by_or(user) -> set[int]:
    """The earlier shape: area bookings OR those the user decides on, as one filter."""
    visible = Booking.objects.visible_to(user)
    condition = approvable_condition(user)
    if condition is None or scope_for(user).county_wide:
        return set(visible.values_list("pk", flat=True))
    return set(
        Booking.objects.filter(Q(pk__in=visible.values("pk")) | condition).values_list(
            "pk", flat=True
        )
    )


def test_bookings_visible_to_sees_the_same_rows_as_the_or_it_replaces(county):
    # Rooms in both townships: township centres (no community), stations, with and
    # without named approvers.
    township_centre_a = ServiceCenterFactory(
        community=None, township=county.township_a, name="城关街道党群服务中心"
    )
    township_centre_b = ServiceCenterFactory(
        community=None, township=county.township_b, name="青山镇党群服务中心"
    )
    station_a1 = ServiceCenterFactory(community=county.community_a1, name="幸福站")
    station_a2 = ServiceCenterFactory(community=county.community_a2, name="和平站")
    station_b1 = ServiceCenterFactory(community=county.community_b1, name="王家站")
    rooms = [
        RoomFactory(center=center, name=f"室{n}")
        for n, center in enumerate(
            [township_centre_a, township_centre_b, station_a1, station_a2, station_b1] * 2
        )
    ]
    users = {
        "admin": UserFactory(role=Role.COUNTY_ADMIN),
        "official": UserFactory(role=Role.OFFICIAL),
        "staff_a": UserFactory(role=Role.TOWNSHIP_STAFF, township=county.township_a),
        "staff_b": UserFactory(role=Role.TOWNSHIP_STAFF, township=county.township_b),
        "secretary_a1": UserFactory(role=Role.SECRETARY, community=county.community_a1),
        "secretary_b1": UserFactory(role=Role.SECRETARY, community=county.community_b1),
        "contact_a1": UserFactory(role=Role.ORG_CONTACT, organization=county.org_a1),
        "contact_b1": UserFactory(role=Role.ORG_CONTACT, organization=county.org_b1),
    }
    # Named approvers across townships: a secretary of A for a room of B, a contact too.
    rooms[1].approvers.add(users["secretary_a1"])
    rooms[4].approvers.add(users["contact_a1"], users["staff_b"])
    rooms[5].approvers.add(users["staff_a"])
    organizations = [*Organization.objects.all(), OrganizationFactory()]
    for index, target in enumerate(rooms * 3):
        BookingFactory(
            room=target,
            organization=organizations[index % len(organizations)],
            start=at(SATURDAY, 8 + index % 12),
            end=at(SATURDAY, 9 + index % 12),
            status=Booking.Status.CANCELLED,
        )

    for name, user in users.items():
        expected = _visible_by_or(user)
        got = set(bookings_visible_to(user).values_list("pk", flat=True))
        assert got == expected, name
        assert expected or name.startswith("contact_b"), name
    # The cross-township approvers do see the bookings of their named rooms.
    assert set(bookings_visible_to(users["secretary_a1"]).values_list("room_id", flat=True)) >= {
        rooms[1].pk
    }
    assert set(bookings_visible_to(users["contact_a1"]).values_list("room_id", flat=True)) >= {
        rooms[4].pk
    }


# --- the serializers' direct reading gives DRF's own answer ---


def test_the_direct_serializers_answer_as_drf_fields_would(county, room):
    from rest_framework.serializers import ModelSerializer

    from venues.api.serializers import BookingSerializer, RoomSerializer
    from venues.selectors import free_slots_for_rooms

    bookings = [
        BookingFactory(
            room=room, organization=county.org_a1, start=at(SATURDAY, 9), end=at(SATURDAY, 10)
        ),
        BookingFactory(
            room=room,
            organization=county.org_a2,
            start=datetime.datetime(2026, 5, 16, 4, 30, 15, 500, tzinfo=datetime.UTC),
            end=datetime.datetime(2026, 5, 16, 5, 0, tzinfo=datetime.UTC),
            status=Booking.Status.CANCELLED,
            cancel_reason="下雨",
        ),
    ]
    for booking in Booking.objects.select_related("room__center", "organization"):
        serializer = BookingSerializer()
        assert serializer.to_representation(booking) == ModelSerializer.to_representation(
            serializer, booking
        )
    assert len(bookings) == 2
    # The list's plain rows (values_list) give the same answers as the model instances.
    ordered = Booking.objects.order_by("start", "pk")
    rows = ordered.values_list(*BookingSerializer.LISTED_VALUES, named=True)
    assert BookingSerializer.listed(rows) == [
        ModelSerializer.to_representation(BookingSerializer(), booking)
        for booking in ordered.select_related("room__center", "organization")
    ]

    context = {"free_slots": free_slots_for_rooms(rooms=[room], day=SATURDAY)}
    for slots_context in (context, {}):
        serializer = RoomSerializer(context=slots_context)
        listed = room.__class__.objects.select_related("center__township").get(pk=room.pk)
        direct = serializer.to_representation(listed)
        assert direct == ModelSerializer.to_representation(serializer, listed)
    assert direct["free_slots"] is None
    assert RoomSerializer(listed, context=context).data["free_slots"][0] == {
        "start": "2026-05-16T08:00:00+08:00",
        "end": "2026-05-16T09:00:00+08:00",
    }
