"""Bookings the user may see: list, read, create (409 on a taken slot), cancel."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from venues import services
from venues.api.serializers import (
    BookingCancelSerializer,
    BookingCreateSerializer,
    BookingSerializer,
    ConflictSerializer,
)
from venues.api.views.filtersets import BookingFilter
from venues.api.views.paging import BookingCursorPagination
from venues.api.views.schema import BAD_QUERY, NOT_FOUND, UNSUPPORTED_MEDIA, documented
from venues.models import Booking
from venues.permissions import bookings_visible_to


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
