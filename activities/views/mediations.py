"""Mediation cases: the list, recording, editing, deciding."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from activities import permissions, selectors, services
from activities.filters import MediationFilter
from activities.forms import (
    MediationCaseForm,
)
from activities.models import (
    MediationCase,
)
from activities.views import common
from activities.views.common import (
    PAGE_SIZE,
)
from activities.views.verification import _decision
from core.paging import paginate


def mediation_list(request):
    filterset = MediationFilter(
        request.GET or None, queryset=selectors.mediation_list(user=request.user), user=request.user
    )
    page = paginate(filterset.qs, PAGE_SIZE, request.GET.get("page"), cap=common.LIST_CAP)
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
