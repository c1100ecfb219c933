"""The venues API: rooms with free slots for a day, bookings to list, create and cancel.

Scoped like the pages: rows come from visible_to, out-of-area objects answer 404, officials
get 403 on every unsafe method (ReadOnlyRolePermission), a double booking answers 409.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

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
DATE_OUT_OF_RANGE = _("Give a date between %(first)s and %(last)s.")

# Dates the free-slot search accepts; beyond them there is nothing to book.
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2099, 12, 31)
MAX_ID = 2**63 - 1

DATE_PARAMETER = OpenApiParameter(
    "date",
    OpenApiTypes.DATE,
    description="List each room's free slots on this day (YYYY-MM-DD).",
)
DURATION_PARAMETER = OpenApiParameter(
    "duration",
    OpenApiTypes.INT,
    description="Length of the free slots in minutes (default 60).",
)
FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Field errors: {field: [messages]}."
)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Not allowed for this user.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Missing or outside the user's area.")


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


class IdFilter(filters.NumberFilter):
    """An integer id within the database's range (a huge number is refused, not looked up)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class RoomFilter(filters.FilterSet):
    center = IdFilter(field_name="center_id", help_text="Service centre id.")
    kind = filters.ChoiceFilter(choices=Room.Kind.choices)

    class Meta:
        model = Room
        fields = ["center", "kind"]


class BookingFilter(filters.FilterSet):
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
        responses={200: RoomSerializer(many=True), 400: FIELD_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One room",
        parameters=[DATE_PARAMETER, DURATION_PARAMETER],
        responses={200: RoomSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    ),
)
class RoomViewSet(viewsets.ReadOnlyModelViewSet):
    """Rooms in use within the user's area; with ?date= each lists its free slots that day."""

    queryset = Room.objects.none()
    serializer_class = RoomSerializer
    filterset_class = RoomFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self):
        return (
            Room.objects.visible_to(self.request.user)
            .active()
            .select_related("center__township")
            .order_by("center__township__code", "center__name", "name", "pk")
        )

    def _slot_request(self) -> tuple[datetime.date | None, int]:
        errors = {}
        day = None
        raw_day = self.request.query_params.get("date")
        if raw_day:
            try:
                day = datetime.date.fromisoformat(raw_day)
            except ValueError:
                errors["date"] = [str(INVALID_DATE)]
            else:
                if not FIRST_DAY <= day <= LAST_DAY:
                    errors["date"] = [
                        str(DATE_OUT_OF_RANGE) % {"first": FIRST_DAY, "last": LAST_DAY}
                    ]
        duration = 60
        raw_duration = self.request.query_params.get("duration")
        if raw_duration:
            try:
                duration = int(raw_duration)
            except ValueError:
                duration = 0
            if not 30 <= duration <= 720:
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
    list=extend_schema(summary="Bookings the user may see"),
    retrieve=extend_schema(
        summary="One booking", responses={200: BookingSerializer, 404: NOT_FOUND}
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
    filterset_class = BookingFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self):
        return (
            bookings_visible_to(self.request.user)
            .select_related("room__center", "organization")
            .order_by("start", "pk")
        )

    @extend_schema(
        summary="Book a room",
        request=BookingCreateSerializer,
        responses={
            201: BookingSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            409: OpenApiResponse(
                ConflictSerializer,
                description="The slot is taken: the message names the conflicting booking.",
            ),
        },
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
        booking = self.get_queryset().get(pk=booking.pk)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel a booking before it starts",
        request=BookingCancelSerializer,
        responses={200: BookingSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN, 404: NOT_FOUND},
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
