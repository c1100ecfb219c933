"""Verifying activities: the decision and the queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import permissions, selectors, services
from activities.forms import (
    ReturnForm,
)
from activities.models import (
    Activity,
    VerificationStatus,
)
from activities.views.common import (
    _error_text,
)


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
