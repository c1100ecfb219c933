"""Paging: page numbers for rooms (an empty page refused), an opaque cursor for bookings."""

from __future__ import annotations

import binascii
import datetime
from base64 import b64decode, b64encode
from typing import NamedTuple
from urllib import parse

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

INVALID_PAGE = _("No such page.")
INVALID_CURSOR = _("This page link is not valid: start again from the first page.")

MAX_ID = 2**63 - 1


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
