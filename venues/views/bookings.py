"""Booking pages: the booking form with free slots, weekly series, my bookings, approvals."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from venues import permissions, selectors, services
from venues.forms import BookingForm, BookingMoveForm, BookingSeriesForm, ReasonForm
from venues.models import Booking, OpeningHours

PAGE_SIZE = 25
# Messages of the bulk decision (module constants so tests assert the exact text).
BULK_NOTHING_CHOSEN = gettext_lazy("Choose at least one booking.")
BULK_REASON_REQUIRED = gettext_lazy("Give one reason for rejecting the chosen bookings.")
BULK_NOT_IN_QUEUE = gettext_lazy("It no longer awaits your approval.")
BULK_APPROVED = gettext_lazy("%(count)d approved.")
BULK_REJECTED = gettext_lazy("%(count)d rejected.")
BULK_FAILED = gettext_lazy("%(count)d could not be decided: %(reasons)s")
MARK_ACTIONS = {"used": services.booking_mark_used, "no_show": services.booking_mark_no_show}
# Service error keys that the booking forms show under another field.
FIELD_ALIASES = {"start": "start_time", "end": "end_time"}


def _add_service_errors(form, error: ValidationError) -> None:
    """Show a service's errors on the form's fields, or above the form for other keys."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = FIELD_ALIASES.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def _bookable_rooms(user):
    return (
        permissions.rooms_bookable_by(user)
        .select_related("center")
        .order_by("center__township", "center__name", "name")
    )


def _bookable_organizations(user):
    """The booking forms' organisation picker: never a merged or deregistered one."""
    return permissions.organizations_bookable_by(user).pickable().order_by("name")


def _visible_booking(user, pk: int) -> Booking:
    return get_object_or_404(
        permissions.bookings_visible_to(user).select_related(
            "room", "room__center", "organization", "booked_by", "series"
        ),
        pk=pk,
    )


def _parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _free_slots_context(user, room_value, date_value) -> dict:
    """The free slots of the chosen room on the chosen day, for the form's side panel."""
    day = _parse_date(date_value)
    room = None
    if room_value and str(room_value).isdigit():
        room = _bookable_rooms(user).filter(pk=room_value).first()
    slots = selectors.free_slots(room=room, day=day) if room and day else []
    return {"slot_room": room, "slot_day": day, "slots": slots}


# --- Creating bookings ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def booking_create(request):
    organizations = _bookable_organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied
    rooms = _bookable_rooms(request.user)
    if request.htmx and request.method == "GET":
        context = _free_slots_context(
            request.user, request.GET.get("room"), request.GET.get("date")
        )
        return render(request, "venues/partials/_free_slots.html", context)
    initial = {
        "room": request.GET.get("room"),
        "date": request.GET.get("date"),
        "start_time": request.GET.get("start"),
        "end_time": request.GET.get("end"),
    }
    form = BookingForm(
        request.POST or None, initial=initial, rooms=rooms, organizations=organizations
    )
    conflict = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_create(
                actor=request.user,
                room=data["room"],
                organization=data["organization"],
                start=data["start"],
                end=data["end"],
                purpose=data["purpose"],
                expected_attendance=data["expected_attendance"],
            )
        except services.BookingConflict as error:
            conflict = error.detail
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if booking.status == Booking.Status.PENDING:
                messages.success(request, _("Booking requested: it now awaits approval."))
            else:
                messages.success(request, _("Booking confirmed."))
            day = timezone.localtime(booking.start).date().isoformat()
            # The week on a desk, the booked day on a phone.
            return redirect(
                f"{reverse('venues:room_detail', kwargs={'pk': booking.room_id})}"
                f"?week={day}&day={day}"
            )
    source = request.POST if request.method == "POST" else request.GET
    context = {
        "form": form,
        "conflict": conflict,
        **_free_slots_context(request.user, source.get("room"), source.get("date")),
    }
    return render(request, "venues/booking_form.html", context)


@require_http_methods(["GET", "POST"])
def booking_series_create(request):
    """Step 1 previews the free and conflicting dates; step 2 books the free ones or none."""
    organizations = _bookable_organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = BookingSeriesForm(
        request.POST or None,
        initial={"room": request.GET.get("room")},
        rooms=_bookable_rooms(request.user),
        organizations=organizations,
    )
    action = request.POST.get("action", "preview")
    if request.method == "POST" and action == "book_none":
        messages.info(request, _("Nothing was booked."))
        return redirect("venues:my_bookings")
    if request.method == "POST" and action != "edit" and form.is_valid():
        arguments = {"actor": request.user, **form.cleaned_data}
        try:
            if action == "book_free":
                _series, bookings, skipped = services.booking_series_create(
                    **arguments, skip_conflicts=True
                )
            else:
                preview = services.booking_series_preview(**arguments)
        except services.BookingConflict as error:
            # Nothing was free (any more): show the dates and their reasons again.
            preview = {"free": [], "conflicts": error.conflicts}
            return _series_preview(request, form, preview, conflict=error.detail)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if action != "book_free":
                return _series_preview(request, form, preview)
            messages.success(
                request,
                _("%(booked)d dates booked, %(skipped)d dates left out.")
                % {"booked": len(bookings), "skipped": len(skipped)},
            )
            return redirect("venues:my_bookings")
    return render(request, "venues/booking_series_form.html", {"form": form})


def _series_preview(request, form, preview: dict, conflict: str = ""):
    weekday = OpeningHours.Weekday(form.cleaned_data["weekday"]).label
    return render(
        request,
        "venues/booking_series_preview.html",
        {"form": form, "preview": preview, "conflict": conflict, "weekday_label": weekday},
    )


# --- Lists ----------------------------------------------------------------------------------


def my_bookings(request):
    bookings = selectors.my_bookings(user=request.user)
    now = timezone.now()
    upcoming = bookings.filter(end__gte=now).order_by("start")
    past = Paginator(bookings.filter(end__lt=now).order_by("-start"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "venues/my_bookings.html",
        {"upcoming": upcoming, "page": past},
    )


def approval_queue(request):
    bookings = selectors.approval_queue(user=request.user)
    page = Paginator(bookings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "venues/approval_queue.html", {"page": page})


BULK_ACTIONS = {"approve", "reject"}


def _booking_label(booking: Booking) -> str:
    start = timezone.localtime(booking.start)
    return f"{start:%m-%d %H:%M} {booking.room} {booking.organization.name}"


@require_POST
def approval_bulk_decide(request):
    """Approve or reject the chosen bookings, each by its own service call.

    Each booking is decided in its own transaction: one booking that has meanwhile started,
    been cancelled or been decided by someone else must not hold back the others. The
    secretary sees a summary: how many were decided and, for each one that was not, why.
    """
    if not permissions.may_decide(request.user):
        raise PermissionDenied  # read-only roles decide nothing
    action = request.POST.get("action", "")
    ids = {int(value) for value in request.POST.getlist("booking") if value.isdigit()}
    reason = request.POST.get("reason", "").strip()
    if action not in BULK_ACTIONS or not ids:
        messages.error(request, BULK_NOTHING_CHOSEN)
        return redirect("venues:approval_queue")
    if action == "reject" and not reason:
        messages.error(request, BULK_REASON_REQUIRED)
        return redirect("venues:approval_queue")
    bookings = list(
        selectors.approval_queue(user=request.user)
        .filter(pk__in=ids)
        .prefetch_related("room__approvers")
    )
    failures = [
        f"#{pk}：{BULK_NOT_IN_QUEUE}" for pk in sorted(ids - {booking.pk for booking in bookings})
    ]
    done = 0
    for booking in bookings:
        try:
            if action == "approve":
                services.booking_approve(actor=request.user, booking=booking)
            else:
                services.booking_reject(actor=request.user, booking=booking, reason=reason)
        except (ValidationError, PermissionDenied) as error:
            detail = " ".join(getattr(error, "messages", [])) or str(BULK_NOT_IN_QUEUE)
            failures.append(f"{_booking_label(booking)}：{detail}")
        else:
            done += 1
    summary = (BULK_APPROVED if action == "approve" else BULK_REJECTED) % {"count": done}
    if failures:
        failed = BULK_FAILED % {"count": len(failures), "reasons": "；".join(failures)}
        messages.warning(request, f"{summary}{failed}")
    else:
        messages.success(request, summary)
    return redirect("venues:approval_queue")


# --- One booking ----------------------------------------------------------------------------


def booking_actions(user, booking: Booking) -> dict[str, bool]:
    """Which buttons the booking's page offers the user; the services check again."""
    blocking = booking.is_blocking
    decides = permissions.can_approve(user, booking)
    ended = booking.end <= timezone.now()
    return {
        "approve": decides and booking.status == Booking.Status.PENDING,
        "cancel": blocking and not ended and permissions.can_cancel(user, booking),
        "move": blocking
        and not ended
        and booking.series_id is not None
        and permissions.can_move(user, booking),
        "mark": decides and blocking and ended,
    }


def booking_detail(request, pk: int):
    booking = _visible_booking(request.user, pk)
    return render(
        request,
        "venues/booking_detail.html",
        {"booking": booking, "actions": booking_actions(request.user, booking)},
    )


@require_http_methods(["GET", "POST"])
def booking_cancel(request, pk: int):
    booking = _visible_booking(request.user, pk)
    if not permissions.can_cancel(request.user, booking):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_cancel(
                actor=request.user, booking=booking, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Booking cancelled."))
            return redirect("venues:booking_detail", pk=booking.pk)
    return render(
        request,
        "venues/booking_reason_form.html",
        {"booking": booking, "form": form, "action": "cancel"},
    )


@require_POST
def booking_approve(request, pk: int):
    booking = _visible_booking(request.user, pk)
    if not permissions.can_approve(request.user, booking):
        raise PermissionDenied
    try:
        services.booking_approve(actor=request.user, booking=booking)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Booking approved."))
    return redirect("venues:approval_queue")


@require_http_methods(["GET", "POST"])
def booking_reject(request, pk: int):
    booking = _visible_booking(request.user, pk)
    if not permissions.can_approve(request.user, booking):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_reject(
                actor=request.user, booking=booking, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Booking rejected."))
            return redirect("venues:approval_queue")
    return render(
        request,
        "venues/booking_reason_form.html",
        {"booking": booking, "form": form, "action": "reject"},
    )


@require_POST
def booking_mark(request, pk: int):
    booking = _visible_booking(request.user, pk)
    if not permissions.can_approve(request.user, booking):
        raise PermissionDenied
    mark = MARK_ACTIONS.get(request.POST.get("action", ""))
    if mark is None:
        messages.error(request, _("Choose whether the booking was used or a no-show."))
        return redirect("venues:booking_detail", pk=booking.pk)
    try:
        mark(actor=request.user, booking=booking)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Booking marked as “%(status)s”.") % {"status": booking.get_status_display()}
        )
    return redirect("venues:booking_detail", pk=booking.pk)


@require_http_methods(["GET", "POST"])
def booking_move(request, pk: int):
    booking = _visible_booking(request.user, pk)
    if not permissions.can_move(request.user, booking):
        raise PermissionDenied
    start = timezone.localtime(booking.start)
    initial = {
        "date": start.date(),
        "start_time": start.time(),
        "end_time": timezone.localtime(booking.end).time(),
    }
    form = BookingMoveForm(request.POST or None, initial=initial)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_move(
                actor=request.user,
                booking=booking,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        except services.BookingConflict as error:
            conflict = error.detail
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Booking moved."))
            return redirect("venues:booking_detail", pk=booking.pk)
    return render(
        request,
        "venues/booking_move.html",
        {"booking": booking, "form": form, "conflict": conflict},
    )


urlpatterns = [
    path("bookings/new/", booking_create, name="booking_create"),
    path("bookings/series/new/", booking_series_create, name="booking_series_create"),
    path("bookings/mine/", my_bookings, name="my_bookings"),
    path("bookings/approvals/", approval_queue, name="approval_queue"),
    path("bookings/approvals/decide/", approval_bulk_decide, name="approval_bulk_decide"),
    path("bookings/<int:pk>/", booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/cancel/", booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/approve/", booking_approve, name="booking_approve"),
    path("bookings/<int:pk>/reject/", booking_reject, name="booking_reject"),
    path("bookings/<int:pk>/mark/", booking_mark, name="booking_mark"),
    path("bookings/<int:pk>/move/", booking_move, name="booking_move"),
]
