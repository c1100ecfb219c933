import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from activities import permissions, selectors, services
from activities.filters import ActivityFilter, MediationFilter
from activities.forms import (
    ActivityForm,
    MediationCaseForm,
    PhoneSurveyForm,
    PublicFeedbackForm,
    ReturnForm,
)
from activities.models import (
    Activity,
    ActivityPhoto,
    Feedback,
    MediationCase,
    VerificationStatus,
)
from core.paging import DEFAULT_CAP, paginate
from orgs.models import Organization
from venues.models import Booking

PAGE_SIZE = 25
# County-wide lists count at most this many rows (and say "more than" beyond it).
LIST_CAP = DEFAULT_CAP


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def activity_list(request):
    filterset = ActivityFilter(
        request.GET or None, queryset=selectors.activity_list(user=request.user), user=request.user
    )
    page = paginate(filterset.qs, PAGE_SIZE, request.GET.get("page"), cap=LIST_CAP)
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


def _decision(request, *, record, verify_service, return_service, keyword):
    if request.POST.get("decision") == "return":
        form = ReturnForm(request.POST)
        reason = form.data.get("reason", "")
        try:
            return_service(actor=request.user, **{keyword: record}, reason=reason)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Record returned with the reason."))
    else:
        try:
            verify_service(actor=request.user, **{keyword: record})
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Record verified."))


@require_POST
def activity_decide(request, pk: int):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    if not permissions.can_verify(request.user, activity.community_served):
        raise PermissionDenied
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("activities:verification_queue")
    confirmed = request.POST.get("confirm_empty") == "1"
    if (
        request.POST.get("decision") != "return"
        and not confirmed
        and activity.status == VerificationStatus.SUBMITTED
        and services.is_empty_record(activity)
    ):
        # Nothing to look at: ask first (the service refuses too without the confirmation).
        return render(
            request,
            "activities/verify_confirm.html",
            {
                "activity": activity,
                "next": next_url,
                "message": services.VERIFY_EMPTY_UNCONFIRMED,
            },
        )

    def verify(*, actor, activity):
        return services.activity_verify(actor=actor, activity=activity, confirm_empty=confirmed)

    _decision(
        request,
        record=activity,
        verify_service=verify,
        return_service=services.activity_return,
        keyword="activity",
    )
    return redirect(next_url)


# A record waiting longer than this in the verification queue is highlighted.
LONG_WAIT_DAYS = 14


def verification_queue(request):
    if not permissions.may_verify(request.user):
        raise PermissionDenied
    activities, cases = selectors.verification_queue(user=request.user)
    now = timezone.now()
    activities, cases = list(activities[:100]), list(cases[:100])
    for record in [*activities, *cases]:
        record.waited_days = (now - record.submitted_at).days
        record.waited_long = record.waited_days > LONG_WAIT_DAYS
    for activity in activities:
        activity.is_empty = not activity.description.strip() and not activity.photos.all()
    return render(
        request,
        "activities/verification_queue.html",
        {"activities": activities, "cases": cases, "long_wait_days": LONG_WAIT_DAYS},
    )


def mediation_list(request):
    filterset = MediationFilter(
        request.GET or None, queryset=selectors.mediation_list(user=request.user), user=request.user
    )
    page = paginate(filterset.qs, PAGE_SIZE, request.GET.get("page"), cap=LIST_CAP)
    return render(
        request,
        "activities/mediation_list.html",
        {"page": page, "filter": filterset, "can_record": permissions.may_record(request.user)},
    )


def _mediation_data(form) -> dict:
    data = dict(form.cleaned_data)
    if data.get("community") is None:
        data["community"] = data["organization"].community
    return data


@require_http_methods(["GET", "POST"])
def mediation_create(request):
    if not permissions.may_record(request.user):
        raise PermissionDenied
    form = MediationCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.mediation_create(actor=request.user, **_mediation_data(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Mediation case recorded; it awaits verification."))
            return redirect("activities:mediation_list")
    return render(request, "activities/mediation_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def mediation_update(request, pk: int):
    case = get_object_or_404(MediationCase.objects.visible_to(request.user), pk=pk)
    if not permissions.can_record_for(request.user, case.organization):
        raise PermissionDenied
    form = MediationCaseForm(
        request.POST or None, instance=MediationCase.objects.get(pk=case.pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mediation_update(actor=request.user, case=case, **_mediation_data(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Mediation case saved."))
            return redirect("activities:mediation_list")
    return render(request, "activities/mediation_form.html", {"form": form, "case": case})


@require_POST
def mediation_decide(request, pk: int):
    case = get_object_or_404(MediationCase.objects.visible_to(request.user), pk=pk)
    if not permissions.can_verify(request.user, case.community):
        raise PermissionDenied
    _decision(
        request,
        record=case,
        verify_service=services.mediation_verify,
        return_service=services.mediation_return,
        keyword="case",
    )
    return redirect(request.POST.get("next") or reverse("activities:verification_queue"))


def organization_feedback(request, org_pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)
    entries = (
        Feedback.objects.filter(organization=organization)
        .select_related("activity")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/organization_feedback.html",
        {
            "organization": organization,
            "summary": selectors.feedback_summary(organization=organization),
            "page": page,
            "can_add": permissions.can_record_phone_survey(request.user, organization),
        },
    )


@require_http_methods(["GET", "POST"])
def phone_survey_create(request, org_pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)
    if not permissions.can_record_phone_survey(request.user, organization):
        raise PermissionDenied
    form = PhoneSurveyForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_record_phone_survey(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Phone survey result recorded."))
            return redirect("activities:organization_feedback", org_pk=organization.pk)
    return render(
        request, "activities/phone_survey_form.html", {"form": form, "organization": organization}
    )


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


DEVICE_COOKIE = "rating_device"
DEVICE_COOKIE_SALT = "activities.feedback.device"
DEVICE_COOKIE_MAX_AGE = 2 * 365 * 24 * 60 * 60


def _device_id(request) -> tuple[str, bool]:
    """The device id of the signed rating cookie, or a new one (and whether it is new)."""
    device_id = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_COOKIE_SALT)
    if device_id:
        return device_id, False
    return services.new_device_id(), True


def _with_device_cookie(response, device_id: str):
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device_id,
        salt=DEVICE_COOKIE_SALT,
        max_age=DEVICE_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback_public(request, token: str):
    activity = get_object_or_404(
        Activity.objects.select_related("lead_organization"), feedback_token=token
    )
    device_id, new_device = _device_id(request)
    form = PublicFeedbackForm(request.POST or None)
    response = None
    if request.method == "POST" and form.is_valid():
        ip = _client_ip(request)
        try:
            services.feedback_submit_public(
                activity_token=token,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                device_id=device_id,
                fingerprint=services.device_fingerprint(
                    ip=ip, user_agent=request.META.get("HTTP_USER_AGENT", "")
                ),
                address=services.address_hash(ip=ip),
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = redirect("activities:feedback_thanks", token=token)
    if response is None:
        response = render(
            request, "activities/feedback_public.html", {"activity": activity, "form": form}
        )
    return _with_device_cookie(response, device_id) if new_device else response


@login_not_required
def feedback_thanks(request, token: str):
    activity = get_object_or_404(
        Activity.objects.select_related("lead_organization"), feedback_token=token
    )
    return render(request, "activities/feedback_thanks.html", {"activity": activity})


@require_POST
def activity_photo_add(request, pk: int):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    if not permissions.can_record_for(request.user, activity.lead_organization):
        raise PermissionDenied
    upload = request.FILES.get("image")
    if upload is None:
        messages.error(request, _("Choose a photo to upload."))
        return redirect("activities:activity_detail", pk=activity.pk)
    try:
        services.activity_photo_add(
            actor=request.user,
            activity=activity,
            upload=upload,
            caption=request.POST.get("caption", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(str(message) for message in error.messages))
    else:
        messages.success(request, _("Photo added."))
    return redirect("activities:activity_detail", pk=activity.pk)


def activity_photo(request, pk: int):
    """Serve a photo only to users who may see its activity (never from a public URL)."""
    photo = get_object_or_404(
        ActivityPhoto.objects.filter(activity__in=Activity.objects.visible_to(request.user)),
        pk=pk,
    )
    extension = photo.image.name.rsplit(".", 1)[-1].lower()
    content_type = "image/png" if extension == "png" else "image/jpeg"
    response = FileResponse(photo.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
