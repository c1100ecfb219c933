"""Activities: the list, one activity, its print and QR code, recording and editing."""

import io

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from activities import permissions, selectors, services
from activities.filters import ActivityFilter
from activities.forms import (
    ActivityForm,
    ReturnForm,
)
from activities.models import (
    Activity,
    VerificationStatus,
)
from activities.views import common
from activities.views.common import (
    PAGE_SIZE,
    _error_text,
)
from core.paging import paginate
from venues.models import Booking


def activity_list(request):
    filterset = ActivityFilter(
        request.GET or None, queryset=selectors.activity_list(user=request.user), user=request.user
    )
    page = paginate(filterset.qs, PAGE_SIZE, request.GET.get("page"), cap=common.LIST_CAP)
    template = (
        "activities/partials/_activity_table.html"
        if request.htmx
        else "activities/activity_list.html"
    )
    return render(
        request,
        template,
        {"page": page, "filter": filterset, "can_record": permissions.may_record(request.user)},
    )


def _public_url(request, activity: Activity) -> str:
    return request.build_absolute_uri(
        reverse("activities:feedback_public", kwargs={"token": activity.feedback_token})
    )


def _qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def activity_detail(request, pk: int):
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related(
            "lead_organization", "community_served", "booking__room", "verified_by"
        ),
        pk=pk,
    )
    public_url = _public_url(request, activity)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "public_url": public_url,
            "qr_svg": _qr_svg(public_url),
            "can_verify": activity.status == VerificationStatus.SUBMITTED
            and permissions.can_verify(request.user, activity.community_served),
            "can_edit": activity.status != VerificationStatus.VERIFIED
            and permissions.can_record_for(request.user, activity.lead_organization),
            "return_form": ReturnForm(),
            "feedback": selectors.feedback_summary(organization=activity.lead_organization),
            "photos": list(activity.photos.all()),
        },
    )


def activity_print(request, pk: int):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    public_url = _public_url(request, activity)
    return render(
        request,
        "activities/activity_print.html",
        {"activity": activity, "public_url": public_url, "qr_svg": _qr_svg(public_url)},
    )


def activity_qr_svg(request, pk: int):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    return HttpResponse(_qr_svg(_public_url(request, activity)), content_type="image/svg+xml")


def activity_qr_png(request, pk: int):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    buffer = io.BytesIO()
    segno.make(_public_url(request, activity), error="m").save(buffer, kind="png", scale=8)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}-qr.png"'
    return response


def _activity_form_page(request, form, activity=None):
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@require_http_methods(["GET", "POST"])
def activity_create(request):
    if not permissions.may_record(request.user):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["co_organizers"] = list(data["co_organizers"])
        try:
            activity = services.activity_create(actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Activity recorded; it awaits verification."))
            return redirect("activities:activity_detail", pk=activity.pk)
    return _activity_form_page(request, form)


@require_http_methods(["GET", "POST"])
def activity_update(request, pk: int):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    if not permissions.can_record_for(request.user, activity.lead_organization):
        raise PermissionDenied
    form = ActivityForm(
        request.POST or None, instance=Activity.objects.get(pk=activity.pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        co_organizers = list(data.pop("co_organizers"))
        if activity.booking_id:
            data.pop("place", None)
        if data.get("community_served") is None:
            data["community_served"] = data["lead_organization"].community
        try:
            services.activity_update(
                actor=request.user, activity=activity, co_organizers=co_organizers, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("activities:activity_detail", pk=activity.pk)
    return _activity_form_page(request, form, activity)


@require_http_methods(["GET", "POST"])
def activity_from_booking(request, booking_pk: int):
    booking = get_object_or_404(
        Booking.objects.visible_to(request.user).select_related("room__center", "organization"),
        pk=booking_pk,
    )
    if not permissions.can_record_for(request.user, booking.organization):
        raise PermissionDenied
    if request.method == "POST":
        try:
            activity = services.activity_from_booking(actor=request.user, booking=booking)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Activity recorded from the booking; check its details."))
            return redirect("activities:activity_update", pk=activity.pk)
    return render(request, "activities/activity_from_booking.html", {"booking": booking})
