"""The venues JSON API: scoped like the pages, 409 for a taken slot, 400 with field errors,
session and token authentication, a valid schema, and no server error under fuzzing."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
import schemathesis
import time_machine
import yaml
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory
from schemathesis import GenerationMode

from accounts.api import AnonThrottle, UserThrottle
from registry.wsgi import application
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory, open_every_day
from venues import services
from venues.api.serializers import BookingSerializer
from venues.api.views import INVALID_DATE
from venues.models import Booking
from venues.permissions import bookings_visible_to

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 5, 13, 9, 0, tzinfo=TZ)
SATURDAY = datetime.date(2026, 5, 16)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


@pytest.fixture
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def station(county):
    center = ServiceCenterFactory(
        name="幸福社区党群服务站", community=county.community_a1, township=county.township_a
    )
    open_every_day(center, datetime.time(8, 30), datetime.time(21, 0))
    return center


@pytest.fixture
def room(station):
    return RoomFactory(center=station, name="活动室", capacity=30, needs_approval=False)


@pytest.fixture
def far_room(county):
    center = ServiceCenterFactory(
        name="王家村党群服务站", community=county.community_b1, township=county.township_b
    )
    open_every_day(center)
    return RoomFactory(center=center, name="活动室", capacity=30)


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def payload(room, organization, start, end, **extra):
    return {
        "room": room.pk,
        "organization": organization.pk,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "purpose": "书法练习",
        "expected_attendance": 10,
    } | extra


# --- creating bookings ---


@pytest.mark.usefixtures("frozen_clock")
def test_post_creates_a_booking(org_contact, county, room):
    response = api_as(org_contact).post(
        reverse("booking-list"),
        payload(room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)),
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["status"] == Booking.Status.CONFIRMED
    assert response.json()["organization_name"] == "幸福社区书画协会"
    assert Booking.objects.get().booked_by == org_contact


@pytest.mark.usefixtures("frozen_clock")
def test_overlapping_post_answers_409_naming_the_slot(secretary, org_contact, county, room):
    # Given the secretary booked Saturday 14:00–17:00 for the calligraphy group
    api_as(secretary).post(
        reverse("booking-list"),
        payload(room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 17)),
        format="json",
    )

    # When the group's contact asks for 16:00–18:00
    response = api_as(org_contact).post(
        reverse("booking-list"),
        payload(room, county.org_a1, at(SATURDAY, 16), at(SATURDAY, 18)),
        format="json",
    )

    # Then 409 names the slot that is taken, and nothing else is written
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == str(services.SLOT_TAKEN) % {
        "room": "幸福社区党群服务站 · 活动室",
        "date": "2026-05-16",
        "start": "14:00",
        "end": "17:00",
        "organization": "幸福社区书画协会",
    }
    assert body["conflicts"][0]["date"] == "2026-05-16"
    assert body["conflicts"][0]["organization"] == "幸福社区书画协会"
    assert Booking.objects.count() == 1


@pytest.mark.usefixtures("frozen_clock")
def test_invalid_input_answers_400_with_field_errors(org_contact, county, room):
    client = api_as(org_contact)

    empty = client.post(reverse("booking-list"), {}, format="json")
    assert empty.status_code == 400
    assert set(empty.json()) == {
        "room",
        "organization",
        "start",
        "end",
        "purpose",
        "expected_attendance",
    }

    too_many = client.post(
        reverse("booking-list"),
        payload(room, county.org_a1, at(SATURDAY, 18), at(SATURDAY, 17), expected_attendance=31),
        format="json",
    )
    assert too_many.status_code == 400
    assert too_many.json() == {
        "expected_attendance": [
            str(services.OVER_CAPACITY) % {"room": "幸福社区党群服务站 · 活动室", "capacity": 30}
        ],
        "end": [str(services.END_BEFORE_START)],
    }
    assert Booking.objects.count() == 0


@pytest.mark.usefixtures("frozen_clock")
def test_room_outside_the_area_is_refused_like_a_missing_one(org_contact, county, far_room):
    response = api_as(org_contact).post(
        reverse("booking-list"),
        payload(far_room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)),
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["room"]
    assert Booking.objects.count() == 0


@pytest.mark.usefixtures("frozen_clock")
def test_booking_for_another_organisation_of_the_area_is_forbidden(org_contact, county, room):
    response = api_as(org_contact).post(
        reverse("booking-list"),
        payload(room, county.org_a2, at(SATURDAY, 14), at(SATURDAY, 16)),
        format="json",
    )

    # The contact sees only their own organisation: org A2 is "missing" to them.
    assert response.status_code == 400
    assert list(response.json()) == ["organization"]


@pytest.mark.usefixtures("frozen_clock")
def test_organisation_outside_the_area_is_refused_like_a_missing_one(township_staff, county, room):
    response = api_as(township_staff).post(
        reverse("booking-list"),
        payload(room, county.org_b1, at(SATURDAY, 14), at(SATURDAY, 16)),
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["organization"]
    assert Booking.objects.count() == 0


# --- authentication ---


@pytest.mark.usefixtures("frozen_clock")
def test_token_authentication_books_and_lists(org_contact, county, room):
    client = token_client(org_contact)

    created = client.post(
        reverse("booking-list"),
        payload(room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)),
        format="json",
    )
    listed = client.get(reverse("booking-list"))

    assert created.status_code == 201
    assert [row["id"] for row in listed.json()["results"]] == [created.json()["id"]]


@pytest.mark.usefixtures("frozen_clock")
def test_official_with_a_token_reads_but_cannot_post(official, county, room):
    client = token_client(official)

    assert client.get(reverse("room-list")).status_code == 200
    response = client.post(
        reverse("booking-list"),
        payload(room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)),
        format="json",
    )
    assert response.status_code == 403
    assert Booking.objects.count() == 0


def test_anonymous_and_bad_tokens_are_refused(county, room):
    # Session authentication comes first, so DRF answers 403 rather than 401.
    anonymous = APIClient().get(reverse("room-list"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    bad_token = client.get(reverse("room-list"))

    assert anonymous.status_code == 403
    assert bad_token.status_code == 403
    assert "results" not in anonymous.json()
    assert "results" not in bad_token.json()


# --- rooms ---


@pytest.mark.usefixtures("frozen_clock")
def test_rooms_list_free_slots_of_a_day(org_contact, county, room, far_room):
    BookingFactory(
        room=room, organization=county.org_a2, start=at(SATURDAY, 9), end=at(SATURDAY, 12)
    )

    response = api_as(org_contact).get(reverse("room-list"), {"date": "2026-05-16"})

    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [room.pk]
    slots = rows[0]["free_slots"]
    assert slots[0] == {"start": "2026-05-16T12:00:00+08:00", "end": "2026-05-16T13:00:00+08:00"}
    assert len(slots) == 9  # 12:00 to 21:00
    assert api_as(org_contact).get(reverse("room-list")).json()["results"][0]["free_slots"] is None


def test_rooms_with_a_bad_date_answer_400(org_contact, room):
    response = api_as(org_contact).get(reverse("room-list"), {"date": "16/05/2026"})

    assert response.status_code == 400
    assert response.json() == {"date": [str(INVALID_DATE)]}


def test_rooms_filter_by_centre(county_admin, room, far_room):
    response = api_as(county_admin).get(reverse("room-list"), {"center": far_room.center_id})

    assert [row["id"] for row in response.json()["results"]] == [far_room.pk]


def test_room_outside_the_area_answers_404(org_contact, far_room, room):
    client = api_as(org_contact)

    assert client.get(reverse("room-detail", kwargs={"pk": room.pk})).status_code == 200
    assert client.get(reverse("room-detail", kwargs={"pk": far_room.pk})).status_code == 404


@pytest.mark.usefixtures("frozen_clock")
def test_rooms_with_free_slots_use_a_bounded_number_of_queries(
    township_staff, station, django_assert_max_num_queries
):
    for n in range(30):
        room = RoomFactory(center=station, name=f"活动室{n}")
        BookingFactory(room=room, start=at(SATURDAY, 9), end=at(SATURDAY, 10))
    client = api_as(township_staff)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("room-list"), {"date": "2026-05-16"})

    assert len(response.json()["results"]) == 30


# --- listing and cancelling bookings ---


@pytest.mark.usefixtures("frozen_clock")
def test_bookings_are_scoped_and_filtered(org_contact, county_admin, county, room, far_room):
    mine = BookingFactory(
        room=room, organization=county.org_a1, start=at(SATURDAY, 9), end=at(SATURDAY, 10)
    )
    neighbours = BookingFactory(
        room=room, organization=county.org_a2, start=at(SATURDAY, 10), end=at(SATURDAY, 11)
    )
    far = BookingFactory(
        room=far_room,
        organization=county.org_b1,
        start=at(SATURDAY + datetime.timedelta(days=1), 10),
        end=at(SATURDAY + datetime.timedelta(days=1), 11),
        status=Booking.Status.PENDING,
    )

    def ids(client, **params):
        return [row["id"] for row in client.get(reverse("booking-list"), params).json()["results"]]

    admin = api_as(county_admin)
    assert ids(api_as(org_contact)) == [mine.pk]
    assert ids(admin) == [mine.pk, neighbours.pk, far.pk]
    assert ids(admin, room=far_room.pk) == [far.pk]
    assert ids(admin, status="pending") == [far.pk]
    assert ids(admin, **{"from": "2026-05-17"}) == [far.pk]
    assert ids(admin, to="2026-05-16") == [mine.pk, neighbours.pk]
    assert (
        api_as(org_contact).get(reverse("booking-detail", kwargs={"pk": neighbours.pk})).status_code
        == 404
    )


@pytest.mark.usefixtures("frozen_clock")
def test_cancel_needs_a_reason_and_frees_the_slot(org_contact, county, room):
    client = api_as(org_contact)
    created = client.post(
        reverse("booking-list"),
        payload(room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)),
        format="json",
    ).json()
    url = reverse("booking-cancel", kwargs={"pk": created["id"]})

    refused = client.post(url, {}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"reason": [str(services.REASON_REQUIRED)]}

    cancelled = client.post(url, {"reason": "天气原因"}, format="json")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == Booking.Status.CANCELLED
    again = client.post(
        reverse("booking-list"),
        payload(room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)),
        format="json",
    )
    assert again.status_code == 201


@pytest.mark.usefixtures("frozen_clock")
def test_cancel_out_of_area_answers_404(township_staff, county, far_room):
    booking = BookingFactory(
        room=far_room, organization=county.org_b1, start=at(SATURDAY, 9), end=at(SATURDAY, 10)
    )

    response = api_as(township_staff).post(
        reverse("booking-cancel", kwargs={"pk": booking.pk}), {"reason": "x"}, format="json"
    )

    assert response.status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


# --- the schema ---


def test_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yml"),
    )

    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/bookings/{id}/cancel/" in schema
    assert "'409'" in schema


@pytest.fixture
def fuzz_token(county, station):
    """A township staff token, with a room they can book, for the fuzzing run."""
    from accounts.roles import Role
    from tests.accounts.factories import UserFactory

    RoomFactory(center=station, name="会议室", capacity=20)
    user = UserFactory(role=Role.TOWNSHIP_STAFF, township=county.township_a)
    return Token.objects.create(user=user).key


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Keep the test's transaction open across raw WSGI requests, as Django's test client does.

    The WSGI handler closes "old" connections at each request's start and end, which would
    close the connection that holds the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(fuzz_token, wsgi_keeps_the_test_connection):
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/", application, headers={"Authorization": f"Token {fuzz_token}"}
    )

    # The token as the schema's declared authentication, so that the auth checks know it is
    # meant to be valid (and probe the API without it and with a wrong one).
    @schema.auth()
    class TokenAuth:
        def get(self, case, context):
            return fuzz_token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    return schema


FUZZED_PATHS = r"^/api/v1/(rooms|bookings)"


def test_api_passes_every_schemathesis_check(api_schema, fuzz_token):
    # schemathesis's pytest plugin does not run under pytest 9 (it reads a removed private
    # attribute), so each operation's strategy is driven by Hypothesis here directly.
    checks = api_schema.config.checks
    checks.update(included_check_names=["all"])
    acceptance = checks.positive_data_acceptance
    queries_accepted = list(acceptance.expected_statuses)
    operations = [
        result.ok() for result in api_schema.include(path_regex=FUZZED_PATHS).get_all_operations()
    ]
    assert {(op.method.upper(), op.path) for op in operations} >= {
        ("GET", "/api/v1/rooms/"),
        ("GET", "/api/v1/rooms/{id}/"),
        ("GET", "/api/v1/bookings/"),
        ("GET", "/api/v1/bookings/{id}/"),
        ("POST", "/api/v1/bookings/"),
        ("POST", "/api/v1/bookings/{id}/cancel/"),
    }
    for operation, mode in itertools.product(operations, GenerationMode):
        # A well-formed query is always answered; a well-formed booking or cancellation may
        # still break a rule no schema can state (a room of the user's area, a start in the
        # future and within opening hours): the documented 400 with field errors.
        acceptance.expected_statuses = (
            [*queries_accepted, "400"] if operation.method.upper() == "POST" else queries_accepted
        )

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def every_check(case):
            response = case.call()
            case.validate_response(response)

        every_check()


@pytest.mark.parametrize(
    "params",
    [
        {"center": "-3.3e+298"},
        {"center": str(2**70)},
        {"center": ""},
        {"date": ""},
        {"duration": "100000"},
        {"duration": ""},
    ],
)
def test_extreme_room_queries_answer_400_not_500(org_contact, room, params):
    response = api_as(org_contact).get(reverse("room-list"), params)

    assert response.status_code == 400


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_extreme_dates_have_no_free_slots(org_contact, room, day):
    response = api_as(org_contact).get(reverse("room-list"), {"date": day})

    assert response.status_code == 200
    assert response.json()["results"][0]["free_slots"] == []


# --- the booking horizon: one limit for the free slots and the POST ---


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.parametrize(("days_ahead", "offered"), [(60, True), (61, False)])
def test_free_slots_stop_at_the_booking_horizon_the_post_enforces(
    org_contact, county, room, days_ahead, offered
):
    day = NOW.date() + datetime.timedelta(days=days_ahead)
    client = api_as(org_contact)

    slots = client.get(reverse("room-list"), {"date": day.isoformat()}).json()["results"][0][
        "free_slots"
    ]
    booked = client.post(
        reverse("booking-list"),
        payload(room, county.org_a1, at(day, 14), at(day, 15)),
        format="json",
    )

    assert bool(slots) is offered
    assert booked.status_code == (201 if offered else 400)
    if not offered:
        assert booked.json()["start"] == [
            str(services.TOO_FAR_AHEAD % {"days": services.rules.max_days_ahead()})
        ]


@pytest.mark.usefixtures("frozen_clock")
@override_settings(VENUE_BOOKING_MAX_DAYS_AHEAD=10)
def test_free_slots_follow_the_configured_horizon(org_contact, room):
    client = api_as(org_contact)

    def slots(days_ahead):
        day = (NOW.date() + datetime.timedelta(days=days_ahead)).isoformat()
        return client.get(reverse("room-list"), {"date": day}).json()["results"][0]["free_slots"]

    assert slots(10)
    assert slots(11) == []


# --- JSON answers: 404 and throttling ---

THROTTLED_AFTER_60_SECONDS = "请求过于频繁，请在 60 秒后重试。"
API_NOT_FOUND_TEXT = "未找到，或不在您负责的区域内。"


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/nothing/", "/api/v1/rooms/1/nothing/", "/api/v1"]
)
def test_unknown_api_paths_answer_json_404(org_contact, client, path):
    client.force_login(org_contact)

    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": API_NOT_FOUND_TEXT}


def test_out_of_area_api_objects_answer_json_404(org_contact, far_room):
    response = api_as(org_contact).get(reverse("room-detail", kwargs={"pk": far_room.pk}))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": API_NOT_FOUND_TEXT}


def test_pages_outside_the_api_keep_the_chinese_404_page(org_contact, client):
    client.force_login(org_contact)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def _rates(user="3/minute", anon="2/minute"):
    return override_settings(
        REST_FRAMEWORK={
            **django_settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"user": user, "anon": anon},
        }
    )


@pytest.mark.usefixtures("frozen_clock")
def test_one_user_past_the_rate_gets_429_in_chinese_and_others_do_not(
    org_contact, township_staff, county, room
):
    client = token_client(org_contact)
    with _rates():
        answers = [client.get(reverse("room-list")).status_code for _ in range(3)]
        flooded = client.post(
            reverse("booking-list"),
            payload(room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)),
            format="json",
        )
        other_user = token_client(township_staff).get(reverse("room-list"))

    assert answers == [200, 200, 200]
    assert flooded.status_code == 429
    assert flooded.json() == {"detail": THROTTLED_AFTER_60_SECONDS}
    assert flooded["Retry-After"] == "60"
    assert Booking.objects.count() == 0
    assert other_user.status_code == 200


def test_the_rate_comes_back_after_the_minute(org_contact, room):
    client = api_as(org_contact)
    with _rates(), time_machine.travel(NOW, tick=False) as clock:
        for _ in range(3):
            client.get(reverse("room-list"))
        assert client.get(reverse("room-list")).status_code == 429
        clock.shift(datetime.timedelta(seconds=61))
        assert client.get(reverse("room-list")).status_code == 200


@pytest.mark.usefixtures("frozen_clock")
def test_requests_without_a_user_are_throttled_per_address():
    factory = APIRequestFactory()
    with _rates():
        throttle_answers = [
            AnonThrottle().allow_request(
                Request(factory.get("/api/v1/rooms/", REMOTE_ADDR="10.5.5.5")), None
            )
            for _ in range(3)
        ]
        other_address = AnonThrottle().allow_request(
            Request(factory.get("/api/v1/rooms/", REMOTE_ADDR="10.6.6.6")), None
        )

    assert throttle_answers == [True, True, False]
    assert other_address is True


def test_every_api_view_is_throttled_per_user_and_per_address():
    from rest_framework.settings import api_settings

    assert [UserThrottle, AnonThrottle] == api_settings.DEFAULT_THROTTLE_CLASSES
    assert set(api_settings.DEFAULT_THROTTLE_RATES) == {"user", "anon"}


def test_schema_documents_every_status_of_each_operation(tmp_path):
    call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yml"))
    schema = yaml.safe_load((tmp_path / "schema.yml").read_text())

    statuses = {
        (method.upper(), path): set(operation["responses"])
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in item.items()
    }

    assert statuses == {
        ("GET", "/api/v1/rooms/"): {"200", "400", "401", "403", "404", "429"},
        ("GET", "/api/v1/rooms/{id}/"): {"200", "400", "401", "403", "404", "429"},
        ("GET", "/api/v1/bookings/"): {"200", "400", "401", "403", "404", "429"},
        ("GET", "/api/v1/bookings/{id}/"): {"200", "401", "403", "404", "429"},
        ("POST", "/api/v1/bookings/"): {"201", "400", "401", "403", "409", "415", "429"},
        ("POST", "/api/v1/bookings/{id}/cancel/"): {
            "200",
            "400",
            "401",
            "403",
            "404",
            "415",
            "429",
        },
    }


def test_extreme_booking_filters_answer_400_not_500(org_contact, room):
    response = api_as(org_contact).get(reverse("booking-list"), {"room": str(2**70)})

    assert response.status_code == 400


def test_a_body_of_an_unsupported_type_answers_415_in_json(org_contact, room):
    response = api_as(org_contact).post(
        reverse("booking-list"), data="room=1", content_type="text/plain"
    )

    assert response.status_code == 415
    assert response["Content-Type"].startswith("application/json")


# --- the cheaper paths of the load benchmark answer what the longer ones did ---


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.parametrize("needs_approval", [False, True])
def test_post_answers_the_booking_as_read_back(org_contact, county, room, needs_approval):
    room.needs_approval = needs_approval
    room.save()

    response = api_as(org_contact).post(
        reverse("booking-list"),
        payload(room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)),
        format="json",
    )

    assert response.status_code == 201
    stored = (
        bookings_visible_to(org_contact)
        .select_related("room__center", "organization")
        .get(pk=response.json()["id"])
    )
    assert response.json() == BookingSerializer(stored).data


@pytest.mark.usefixtures("frozen_clock")
def test_post_uses_a_bounded_number_of_queries(
    org_contact, county, room, django_assert_max_num_queries
):
    room.weekly_quota_hours = 10
    room.save()
    client = api_as(org_contact)

    # Serializer (room, organisation), actor checks, lock, hours, closures, quota, overlap
    # (SQLite only), the insert in a savepoint, roll-up, audit: 25 before (with a token).
    with django_assert_max_num_queries(15):
        response = client.post(
            reverse("booking-list"),
            payload(room, county.org_a1, at(SATURDAY, 14), at(SATURDAY, 16)),
            format="json",
        )

    assert response.status_code == 201


@pytest.mark.usefixtures("frozen_clock")
def test_post_over_a_taken_slot_still_answers_409_naming_it(org_contact, county, room):
    BookingFactory(
        room=room, organization=county.org_a2, start=at(SATURDAY, 14), end=at(SATURDAY, 16)
    )

    response = api_as(org_contact).post(
        reverse("booking-list"),
        payload(room, county.org_a1, at(SATURDAY, 15), at(SATURDAY, 17)),
        format="json",
    )

    assert response.status_code == 409
    assert "14:00" in response.json()["detail"]
    assert response.json()["conflicts"][0]["organization"] == county.org_a2.name
    assert Booking.objects.count() == 1


@pytest.mark.usefixtures("frozen_clock")
def test_rooms_sharing_a_day_and_rooms_with_bookings_get_their_own_slots(
    county_admin, station, room
):
    twin = RoomFactory(center=station, name="活动室二")
    busy = RoomFactory(center=station, name="活动室三")
    BookingFactory(room=busy, start=at(SATURDAY, 9), end=at(SATURDAY, 12))

    rows = api_as(county_admin).get(reverse("room-list"), {"date": SATURDAY.isoformat()}).json()

    slots = {row["id"]: row["free_slots"] for row in rows["results"]}
    assert slots[room.pk] == slots[twin.pk]
    assert slots[room.pk][0] == {
        "start": "2026-05-16T09:00:00+08:00",
        "end": "2026-05-16T10:00:00+08:00",
    }
    assert slots[busy.pk][0]["start"] == "2026-05-16T12:00:00+08:00"
    assert slots[busy.pk] == slots[room.pk][3:]
    assert slots[busy.pk][-1]["end"] == "2026-05-16T21:00:00+08:00"
    assert datetime.date.fromisoformat(slots[busy.pk][-1]["end"][:10]) == SATURDAY
