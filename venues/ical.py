"""iCalendar (RFC 5545) feeds of bookings, written by hand: a room's or an organisation's.

Only blocking bookings appear: confirmed as CONFIRMED, pending as TENTATIVE. Times are UTC
("Z"), lines end with CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from venues.models import Booking

PRODUCT_ID = "-//County social-organisation registry//Venues//ZH"
UID_DOMAIN = "venues.registry.local"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets joined by CRLF and a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_OCTETS:
        return line
    parts, current, size, limit = [], [], 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            # Continuation lines start with a space, which counts towards their 75 octets.
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(booking: Booking, stamp: str) -> list[str]:
    status = "CONFIRMED" if booking.status == Booking.Status.CONFIRMED else "TENTATIVE"
    center = booking.room.center
    location = f"{center.name} {booking.room.name}"
    if center.address:
        location = f"{location}，{center.address}"
    return [
        "BEGIN:VEVENT",
        f"UID:booking-{booking.pk}@{UID_DOMAIN}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc_stamp(booking.start)}",
        f"DTEND:{utc_stamp(booking.end)}",
        f"SUMMARY:{escape_text(f'{booking.organization.name}：{booking.purpose}')}",
        f"LOCATION:{escape_text(location)}",
        f"STATUS:{status}",
        f"LAST-MODIFIED:{utc_stamp(booking.updated_at)}",
        "END:VEVENT",
    ]


def bookings_to_ics(bookings: Iterable[Booking], *, name: str) -> str:
    """Render the blocking bookings among `bookings` as one VCALENDAR (select_related first)."""
    stamp = utc_stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for booking in bookings:
        if booking.status in Booking.BLOCKING_STATUSES:
            lines.extend(_event(booking, stamp))
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)
