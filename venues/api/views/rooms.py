"""Rooms the user may see, each with its free slots on a day when asked."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from venues import selectors
from venues.api.serializers import RoomSerializer
from venues.api.views.filtersets import RoomFilter
from venues.api.views.paging import StrictPagination
from venues.api.views.schema import BAD_QUERY, NOT_FOUND, documented
from venues.models import Room

INVALID_DATE = _("Give the date as YYYY-MM-DD.")
INVALID_DURATION = _("Give the duration in minutes, from 30 to 720.")

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
