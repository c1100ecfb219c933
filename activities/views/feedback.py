"""Residents' ratings: the organisation's feedback, phone surveys and the public rating page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from activities import permissions, selectors, services
from activities.forms import (
    PhoneSurveyForm,
    PublicFeedbackForm,
)
from activities.models import (
    Activity,
    Feedback,
)
from activities.views.common import (
    PAGE_SIZE,
)
from orgs.models import Organization


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
