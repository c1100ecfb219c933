"""OpenAPI responses the operations share; `documented` adds those every operation may give."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

from venues.api.serializers import ErrorSerializer

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
