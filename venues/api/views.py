"""The venues API: rooms with free slots for a day, bookings to list, create and cancel.

Scoped like the pages: rows come from visible_to, out-of-area objects answer 404, officials
get 403 on every unsafe method (ReadOnlyRolePermission), a double booking answers 409.
"""

from __future__ import annotations

import binascii
import datetime
from base64 import b64decode, b64encode
from typing import NamedTuple
from urllib import parse

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from venues import selectors, services
from venues.api.serializers import (
    BookingCancelSerializer,
    BookingCreateSerializer,
    BookingSerializer,
    ConflictSerializer,
    ErrorSerializer,
    RoomSerializer,
)
from venues.models import Booking, Room
from venues.permissions import bookings_visible_to

INVALID_DATE = _("Give the date as YYYY-MM-DD.")
INVALID_DURATION = _("Give the duration in minutes, from 30 to 720.")
EMPTY_PARAMETER = _("Give a value, or leave the parameter out.")
INVALID_PAGE = _("No such page.")
INVALID_CURSOR = _("This page link is not valid: start again from the first page.")

MAX_ID = 2**63 - 1
MIN_DURATION, MAX_DURATION = 30, 720

DATE_PARAMETER = OpenApiParameter(
    "date",
    OpenApiTypes.DATE,
    description=(
        "List each room's free slots on this day (YYYY-MM-DD). A day in the past or beyond "
        "the booking horizon (VENUE_BOOKING_MAX_DAYS_AHEAD, 60 days) has none."
    ),
)
DURATION_PARAMETER = OpenApiParameter(
    "duration",
    {"type": "integer", "minimum": MIN_DURATION, "maximum": MAX_DURATION},
    description="Length of the free slots in minutes (default 60).",
)
BAD_QUERY = OpenApiResponse(
    OpenApiTypes.OBJECT, description="A query parameter is malformed: {parameter: [messages]}."
)
UNAUTHENTICATED = OpenApiResponse(
    ErrorSerializer, description="No valid session or token (Authorization: Token <key>)."
)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Not allowed for this user.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Missing or outside the user's area.")
UNSUPPORTED_MEDIA = OpenApiResponse(
    ErrorSerializer, description="The request body is not JSON (Content-Type: application/json)."
)
THROTTLED = OpenApiResponse(
    ErrorSerializer,
    description="Too many requests (per user, or per address without one); see Retry-After.",
)


def documented(responses: dict) -> dict:
    """An operation's responses: its own, and those every operation may give."""
    return {401: UNAUTHENTICATED, 403: FORBIDDEN, 429: THROTTLED, **responses}


def _as_drf_error(error: DjangoValidationError) -> ValidationError:
    """Turn a service's ValidationError into DRF's {field: [messages]}."""
    if hasattr(error, "error_dict"):
        detail = {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    else:
        detail = {"non_field_errors": error.messages}
    return ValidationError(detail)


def _conflict_response(conflict: services.BookingConflict) -> Response:
    return Response(
        {"detail": conflict.detail, "conflicts": conflict.conflicts},
        status=status.HTTP_409_CONFLICT,
    )


class StrictPagination(PageNumberPagination):
    """Pages as DRF numbers them, but a page given empty is refused, not taken for page 1."""

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not raw.strip():
            raise NotFound(str(INVALID_PAGE))
        return super().get_page_number(request, paginator)


class CursorKey(NamedTuple):
    start: datetime.datetime
    pk: int
    reverse: bool


class BookingCursorPagination(CursorPagination):
    """Bookings in (start, id) order, paged by an opaque cursor: no count, no offset.

    Each page is one index range read (start, id) > (the last row's start and id), so a
    later page costs what the first does whatever the number of bookings. The cursor names
    the row to continue after (or, going back, before); a malformed one answers 404.
    """

    ordering = ("start", "pk")
    page_size = 50
    invalid_cursor_message = INVALID_CURSOR
    cursor_query_description = (
        "Opaque position from the `next` or `previous` link of an earlier answer; "
        "leave it out for the first page."
    )
    template = None

    def decode_cursor(self, request) -> CursorKey | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            tokens = parse.parse_qs(
                b64decode(encoded.encode("ascii"), validate=True).decode("ascii"),
                strict_parsing=True,
            )
            start = datetime.datetime.fromisoformat(tokens["s"][0])
            pk = int(tokens["i"][0])
            reverse = tokens.get("r", ["0"])[0] == "1"
        except (KeyError, TypeError, ValueError, UnicodeError, binascii.Error):
            raise NotFound(str(self.invalid_cursor_message)) from None
        if start.tzinfo is None or not 1 <= pk <= MAX_ID or start.year in (1, 9999):
            raise NotFound(str(self.invalid_cursor_message))
        return CursorKey(start=start, pk=pk, reverse=reverse)

    @staticmethod
    def token(key: CursorKey) -> str:
        """The cursor's value: the row to continue after (or, reversed, before)."""
        tokens = {"s": key.start.isoformat(), "i": str(key.pk)}
        if key.reverse:
            tokens["r"] = "1"
        return b64encode(parse.urlencode(tokens).encode("ascii")).decode("ascii")

    def encode_cursor(self, key: CursorKey) -> str:
        return replace_query_param(self.base_url, self.cursor_query_param, self.token(key))

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        key = self.decode_cursor(request)
        size = self.page_size
        if key is None:
            rows = list(queryset.order_by("start", "pk")[: size + 1])
            self.page = rows[:size]
            self.has_previous, self.has_next = False, len(rows) > size
        elif not key.reverse:
            # start >= s narrows the index range; the OR keeps only rows after (s, pk).
            after = Q(start__gt=key.start) | Q(start=key.start, pk__gt=key.pk)
            rows = list(
                queryset.filter(after, start__gte=key.start).order_by("start", "pk")[: size + 1]
            )
            self.page = rows[:size]
            self.has_previous, self.has_next = True, len(rows) > size
        else:
            before = Q(start__lt=key.start) | Q(start=key.start, pk__lt=key.pk)
            rows = list(
                queryset.filter(before, start__lte=key.start).order_by("-start", "-pk")[: size + 1]
            )
            self.page = list(reversed(rows[:size]))
            self.has_previous, self.has_next = len(rows) > size, True
        return self.page

    def get_next_link(self):
        if not self.has_next or not self.page:
            return None
        last = self.page[-1]
        return self.encode_cursor(CursorKey(start=last.start, pk=last.id, reverse=False))

    def get_previous_link(self):
        if not self.has_previous or not self.page:
            return None
        first = self.page[0]
        return self.encode_cursor(CursorKey(start=first.start, pk=first.id, reverse=True))

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )


class StrictFilterSet(filters.FilterSet):
    """A filter given empty is refused: to an API client it is a mistake, not "no filter"."""

    def is_valid(self):
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and not self.data.get(name, "").strip():
                self.form.add_error(name, str(EMPTY_PARAMETER))
                valid = False
        return valid


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """An integer id within the database's range (a huge number is refused, not looked up)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class RoomFilter(StrictFilterSet):
    center = IdFilter(field_name="center_id", help_text="Service centre id.")
    kind = filters.ChoiceFilter(choices=Room.Kind.choices)

    class Meta:
        model = Room
        fields = ["center", "kind"]


class BookingFilter(StrictFilterSet):
    room = IdFilter(field_name="room_id", help_text="Room id.")
    status = filters.ChoiceFilter(choices=Booking.Status.choices)

    class Meta:
        model = Booking
        fields = ["room", "status"]


# "from" is a keyword in Python: declared after the class body.
BookingFilter.base_filters["from"] = filters.DateFilter(
    field_name="start", lookup_expr="date__gte", label="Starting on or after (YYYY-MM-DD)"
)
BookingFilter.base_filters["to"] = filters.DateFilter(
    field_name="start", lookup_expr="date__lte", label="Starting on or before (YYYY-MM-DD)"
)


@extend_schema_view(
    list=extend_schema(
        summary="Rooms the user may see",
        parameters=[DATE_PARAMETER, DURATION_PARAMETER],
        responses=documented({200: RoomSerializer(many=True), 400: BAD_QUERY, 404: NOT_FOUND}),
    ),
    retrieve=extend_schema(
        summary="One room",
        parameters=[DATE_PARAMETER, DURATION_PARAMETER],
        responses=documented({200: RoomSerializer, 400: BAD_QUERY, 404: NOT_FOUND}),
    ),
)
class RoomViewSet(viewsets.ReadOnlyModelViewSet):
    """Rooms in use within the user's area; with ?date= each lists its free slots that day."""

    queryset = Room.objects.none()
    serializer_class = RoomSerializer
    # Page numbers and a count stay: a user sees at most a county's rooms (hundreds), and
    # counting them is one cheap query, unlike the bookings, which grow every day.
    pagination_class = StrictPagination
    filterset_class = RoomFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self):
        return (
            Room.objects.visible_to(self.request.user)
            .active()
            .select_related("center__township")
            .only(
                *(field.name for field in Room._meta.concrete_fields),
                "center__name",
                "center__township_id",
                "center__township__name",
            )
            .order_by("center__township__code", "center__name", "name", "pk")
        )

    def _slot_request(self) -> tuple[datetime.date | None, int]:
        errors = {}
        day = None
        raw_day = self.request.query_params.get("date")
        if raw_day is not None:
            try:
                day = datetime.date.fromisoformat(raw_day)
            except ValueError:
                errors["date"] = [str(INVALID_DATE)]
        duration = 60
        raw_duration = self.request.query_params.get("duration")
        if raw_duration is not None:
            try:
                duration = int(raw_duration)
            except ValueError:
                duration = 0
            if not MIN_DURATION <= duration <= MAX_DURATION:
                errors["duration"] = [str(INVALID_DURATION)]
        if errors:
            raise ValidationError(errors)
        return day, duration

    def _serialize(self, rooms, *, many: bool):
        day, duration = self._slot_request()
        context = self.get_serializer_context()
        if day is not None:
            listed = rooms if many else [rooms]
            context["free_slots"] = selectors.free_slots_for_rooms(
                rooms=listed, day=day, duration_minutes=duration
            )
        return RoomSerializer(rooms, many=many, context=context).data

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._serialize(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialize(self.get_object(), many=False))


@extend_schema_view(
    list=extend_schema(
        summary="Bookings the user may see",
        description=(
            "In (start, id) order, 50 a page, paged by cursor: follow `next` (and `previous`) "
            "as given; there is no page number and no total count, so every page costs the "
            "same however many bookings there are. A cursor that was not given by the API "
            "answers 404."
        ),
        responses=documented({200: BookingSerializer(many=True), 400: BAD_QUERY, 404: NOT_FOUND}),
    ),
    retrieve=extend_schema(
        summary="One booking", responses=documented({200: BookingSerializer, 404: NOT_FOUND})
    ),
)
class BookingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Bookings within the user's area (an organisation's contact: their own)."""

    queryset = Booking.objects.none()
    serializer_class = BookingSerializer
    pagination_class = BookingCursorPagination
    filterset_class = BookingFilter
    filter_backends = [filters.DjangoFilterBackend]

    # The columns a listed booking shows (BookingSerializer.listed), read as plain rows: a
    # page of 50 bookings builds no model instances for them, their rooms, centres and
    # organisations.
    LISTED_VALUES = BookingSerializer.LISTED_VALUES

    def get_queryset(self):
        return (
            bookings_visible_to(self.request.user)
            .select_related("room__center", "organization")
            .order_by("start", "pk")
        )

    def list(self, request, *args, **kwargs):
        bookings = self.filter_queryset(self.get_queryset()).values_list(
            *self.LISTED_VALUES, named=True
        )
        page = self.paginate_queryset(bookings)
        return self.get_paginated_response(BookingSerializer.listed(page))

    @extend_schema(
        summary="Book a room",
        request=BookingCreateSerializer,
        responses=documented(
            {
                201: BookingSerializer,
                400: OpenApiResponse(
                    OpenApiTypes.OBJECT,
                    description=(
                        "Field errors, {field: [messages]}: a room or organisation missing or "
                        "outside the user's area, a start in the past or beyond the booking "
                        "horizon, outside opening hours, over the weekly quota."
                    ),
                ),
                409: OpenApiResponse(
                    ConflictSerializer,
                    description="The slot is taken: the message names the conflicting booking.",
                ),
                415: UNSUPPORTED_MEDIA,
            }
        ),
    )
    def create(self, request, *args, **kwargs):
        data = BookingCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            booking = services.booking_create(actor=request.user, **data.validated_data)
        except services.BookingConflict as conflict:
            return _conflict_response(conflict)
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        # The new booking as saved, with the room (and its centre) and the organisation the
        # request named: what re-reading it would give, without the query.
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel a booking before it starts",
        request=BookingCancelSerializer,
        responses=documented(
            {
                200: BookingSerializer,
                400: OpenApiResponse(
                    OpenApiTypes.OBJECT,
                    description="Field errors: the booking has started, or a reason is missing.",
                ),
                404: NOT_FOUND,
                415: UNSUPPORTED_MEDIA,
            }
        ),
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = self.get_object()
        data = BookingCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.booking_cancel(
                actor=request.user, booking=booking, reason=data.validated_data["reason"]
            )
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        return Response(BookingSerializer(self.get_queryset().get(pk=booking.pk)).data)
