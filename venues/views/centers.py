"""Centre and room pages: lists, week calendars, iCalendar feeds and utilisation."""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.paging import paginate
from orgs.models import Organization
from venues import ical, permissions, selectors
from venues.filters import ServiceCenterFilter
from venues.forms import MonthForm
from venues.models import Booking, Closure, OpeningHours, Room, ServiceCenter

PAGE_SIZE = 25
# Service centres per page of the utilisation table (each with its rooms).
UTILISATION_PAGE_SIZE = 25
# The calendar's rows when a week has no opening hours at all.
DEFAULT_FIRST_HOUR, DEFAULT_LAST_HOUR = 8, 21
# How far back the .ics feeds reach: calendars need the recent past, not all history.
ICS_PAST_DAYS = 90


# --- Week calendar helpers ------------------------------------------------------------------


def week_start_from(value: str | None) -> datetime.date:
    """The Monday of the week holding ?week=YYYY-MM-DD, or of this week."""
    try:
        day = datetime.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - datetime.timedelta(days=day.weekday())


def week_nav(week_start: datetime.date) -> dict:
    """The dates of the week and of the weeks before and after, for the calendar header."""
    return {
        "start": week_start,
        "end": week_start + datetime.timedelta(days=6),
        "previous": week_start - datetime.timedelta(days=7),
        "next": week_start + datetime.timedelta(days=7),
        "this": week_start_from(None),
        "today": timezone.localdate(),
    }


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value)


def _touches(ranges, start, end) -> bool:
    return any(low < end and start < high for low, high in ranges)


def book_url(room_pk: int, start: datetime.datetime, end: datetime.datetime) -> str:
    """The booking form prefilled with the room, the date and the times."""
    query = {
        "room": room_pk,
        "date": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }
    return f"{reverse('venues:booking_create')}?{urlencode(query)}"


def week_grid(days: list[dict], room_pk: int, *, can_book: bool = True) -> dict:
    """Lay a room's week out as hour rows × day columns for the calendar table.

    `days` come from selectors.room_week. A cell is free when its whole hour is one of the
    day's free slots (never in the past), taken when a blocking booking overlaps it, and
    closed outside the opening ranges.
    """
    opening = [
        (_local(low).hour, _local(high).hour + (1 if _local(high).minute else 0))
        for day in days
        for low, high in day["open_ranges"]
    ]
    first = min((low for low, _high in opening), default=DEFAULT_FIRST_HOUR)
    last = max((high for _low, high in opening), default=DEFAULT_LAST_HOUR)
    rows = []
    for hour in range(first, last):
        cells = []
        for day in days:
            start = timezone.make_aware(datetime.datetime.combine(day["date"], datetime.time(hour)))
            end = start + datetime.timedelta(hours=1)
            bookings = [
                _calendar_booking(item, first_in_cell=item["start"] >= start or hour == first)
                for item in day["bookings"]
                if item["start"] < end and item["end"] > start
            ]
            if bookings:
                state = "taken"
            elif (start, end) in day["free_slots"]:
                state = "free"
            elif _touches(day["open_ranges"], start, end):
                state = "open"
            else:
                state = "closed"
            cells.append(
                {
                    "state": state,
                    "bookings": bookings,
                    "start": start,
                    "end": end,
                    "testid": f"{day['date'].isoformat()}-{hour:02d}:00",
                    "book_url": book_url(room_pk, start, end)
                    if state == "free" and can_book
                    else "",
                }
            )
        rows.append({"hour": datetime.time(hour), "cells": cells})
    return {"days": [day["date"] for day in days], "rows": rows}


def _calendar_booking(item: dict, *, first_in_cell: bool) -> dict:
    """A booking as the calendar shows it: other organisations' names only to those who see them."""
    return {
        "booking": item["booking"],
        "label": item["organization_name"] if item["is_visible"] else _("Taken"),
        "link": item["is_visible"],
        "first": first_in_cell,
    }


def center_calendar(calendar: dict) -> list[dict]:
    """Lay the centre's week out as room rows × day columns."""
    return [
        {
            "room": entry["room"],
            "days": [
                {
                    "date": day["date"],
                    "is_open": day["is_open"],
                    "closed_reason": day["closed_reason"],
                    "bookings": [
                        _calendar_booking(item, first_in_cell=True) for item in day["bookings"]
                    ],
                    "free_count": len(day["free_slots"]),
                }
                for day in entry["days"]
            ],
        }
        for entry in calendar["rooms"]
    ]


# --- Centres --------------------------------------------------------------------------------


def center_list(request):
    centers = (
        ServiceCenter.objects.visible_to(request.user)
        .select_related("township", "community")
        .annotate(room_count=Count("rooms", filter=Q(rooms__is_active=True)))
        .order_by("township__code", "name")
    )
    filterset = ServiceCenterFilter(request.GET or None, queryset=centers, user=request.user)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "venues/partials/_center_table.html" if request.htmx else "venues/center_list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "filter": filterset,
            "can_see_utilisation": permissions.can_see_utilisation(request.user),
        },
    )


def center_detail(request, pk: int):
    center = get_object_or_404(
        ServiceCenter.objects.visible_to(request.user).select_related("township", "community"),
        pk=pk,
    )
    week = week_nav(week_start_from(request.GET.get("week")))
    rooms = list(Room.objects.visible_to(request.user).filter(center=center).order_by("name"))
    opening_hours = OpeningHours.objects.filter(center=center).order_by("weekday", "opens")
    closures = (
        Closure.objects.filter(center=center, ends_on__gte=timezone.localdate())
        .select_related("room")
        .order_by("starts_on")
    )
    calendar = selectors.center_week(user=request.user, center=center, week_start=week["start"])
    context = {
        "center": center,
        "rooms": rooms,
        "opening_hours": opening_hours,
        "closures": closures,
        "week": week,
        "days": calendar["days"],
        "calendar": center_calendar(calendar),
    }
    template = "venues/partials/_center_week.html" if request.htmx else "venues/center_detail.html"
    return render(request, template, context)


# --- Rooms ----------------------------------------------------------------------------------


def _day_from(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def day_view(grid: dict, week: dict, day: datetime.date | None) -> dict:
    """One day of the week grid, for phones: ?day=, else today in this week, else Monday."""
    days = list(grid["days"])
    if day not in days:
        day = week["today"] if week["today"] in days else days[0]
    index = days.index(day)
    return {
        "date": day,
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1),
        "rows": [{"hour": row["hour"], "cell": row["cells"][index]} for row in grid["rows"]],
    }


def room_detail(request, pk: int):
    room = get_object_or_404(
        Room.objects.visible_to(request.user).select_related("center", "center__township"),
        pk=pk,
    )
    day = _day_from(request.GET.get("day"))
    week = week_nav(week_start_from(day.isoformat() if day else request.GET.get("week")))
    calendar = selectors.room_week(user=request.user, room=room, week_start=week["start"])
    can_book = permissions.organizations_bookable_by(request.user).exists()
    grid = week_grid(calendar["days"], room.pk, can_book=can_book)
    context = {
        "room": room,
        "week": week,
        "grid": grid,
        "day_view": day_view(grid, week, day),
        "can_book": can_book,
        # Her own bookings of a room she decides on are confirmed at once.
        "confirmed_at_once": not room.needs_approval
        or (can_book and permissions.can_approve(request.user, Booking(room=room))),
    }
    template = "venues/partials/_room_week.html" if request.htmx else "venues/room_detail.html"
    return render(request, template, context)


def _ics_response(bookings, *, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        ical.bookings_to_ics(bookings, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _feed_bookings(user):
    since = timezone.now() - datetime.timedelta(days=ICS_PAST_DAYS)
    return (
        Booking.objects.visible_to(user)
        .blocking()
        .filter(end__gte=since)
        .select_related("room", "room__center", "organization")
        .order_by("start")
    )


def room_ics(request, pk: int):
    room = get_object_or_404(Room.objects.visible_to(request.user).select_related("center"), pk=pk)
    return _ics_response(
        _feed_bookings(request.user).filter(room=room),
        name=str(room),
        filename=f"room-{room.pk}.ics",
    )


def organization_ics(request, org_pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)
    return _ics_response(
        _feed_bookings(request.user).filter(organization=organization),
        name=organization.name,
        filename=f"organisation-{organization.pk}.ics",
    )


# --- Utilisation ----------------------------------------------------------------------------


def utilisation(request):
    if not permissions.can_see_utilisation(request.user):
        raise PermissionDenied
    form = MonthForm(request.GET or None)
    month = form.cleaned_data.get("month") if form.is_valid() else None
    month = month or timezone.localdate().replace(day=1)
    if not form.is_bound:
        form = MonthForm(initial={"month": month.strftime("%Y-%m")})
    # A page of centres with their rooms: the province's 13,000 rooms on one page took a
    # second to render.
    centers = ServiceCenter.objects.visible_to(request.user).order_by("township__code", "name")
    page = paginate(
        centers.values_list("pk", flat=True), UTILISATION_PAGE_SIZE, request.GET.get("page")
    )
    table = selectors.utilisation(
        centers_qs=ServiceCenter.objects.filter(pk__in=list(page)), month=month
    )
    return render(
        request,
        "venues/utilisation.html",
        {"form": form, "month": month, "table": table, "page": page},
    )


urlpatterns = [
    path("", center_list, name="center_list"),
    path("centers/<int:pk>/", center_detail, name="center_detail"),
    path("rooms/<int:pk>/", room_detail, name="room_detail"),
    path("rooms/<int:pk>/calendar.ics", room_ics, name="room_ics"),
    path("organisations/<int:org_pk>/calendar.ics", organization_ics, name="organization_ics"),
    path("utilisation/", utilisation, name="utilisation"),
]
