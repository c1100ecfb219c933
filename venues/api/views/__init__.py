"""The venues API: rooms with free slots for a day, bookings to list, create and cancel.

Scoped like the pages: rows come from visible_to, out-of-area objects answer 404, officials
get 403 on every unsafe method (ReadOnlyRolePermission), a double booking answers 409.

The package: rooms and bookings (the viewsets), paging, filtersets and schema (the OpenAPI
responses they share). Import from the package: `from venues.api.views import X`.
"""

from venues.api.views.bookings import BookingViewSet
from venues.api.views.filtersets import (
    EMPTY_PARAMETER,
    BookingFilter,
    IdFilter,
    RoomFilter,
    StrictFilterSet,
)
from venues.api.views.paging import (
    INVALID_CURSOR,
    INVALID_PAGE,
    MAX_ID,
    BookingCursorPagination,
    CursorKey,
    StrictPagination,
)
from venues.api.views.rooms import (
    DATE_PARAMETER,
    DURATION_PARAMETER,
    INVALID_DATE,
    INVALID_DURATION,
    MAX_DURATION,
    MIN_DURATION,
    RoomViewSet,
)
from venues.api.views.schema import (
    BAD_QUERY,
    FORBIDDEN,
    NOT_FOUND,
    THROTTLED,
    UNAUTHENTICATED,
    UNSUPPORTED_MEDIA,
    documented,
)

__all__ = [
    "BAD_QUERY",
    "DATE_PARAMETER",
    "DURATION_PARAMETER",
    "EMPTY_PARAMETER",
    "FORBIDDEN",
    "INVALID_CURSOR",
    "INVALID_DATE",
    "INVALID_DURATION",
    "INVALID_PAGE",
    "MAX_DURATION",
    "MAX_ID",
    "MIN_DURATION",
    "NOT_FOUND",
    "THROTTLED",
    "UNAUTHENTICATED",
    "UNSUPPORTED_MEDIA",
    "BookingCursorPagination",
    "BookingFilter",
    "BookingViewSet",
    "CursorKey",
    "IdFilter",
    "RoomFilter",
    "RoomViewSet",
    "StrictFilterSet",
    "StrictPagination",
    "documented",
]
