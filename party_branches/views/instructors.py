"""Assigning and ending Party-building instructors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from orgs.models import Organization
from party_branches import services
from party_branches.forms import (
    InstructorEndForm,
    InstructorForm,
)
from party_branches.models import (
    InstructorAssignment,
)
from party_branches.permissions import (
    can_manage_instructors,
)
from party_branches.views.common import (
    _add_service_errors,
)

# --- Instructors ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def instructor_assign(request, org_pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)
    if not can_manage_instructors(request.user, organization):
        raise PermissionDenied
    form = InstructorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.instructor_assign(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Instructor assigned to “%(name)s”.") % {"name": organization.name},
            )
            return redirect(
                reverse("orgs:organization_detail", kwargs={"pk": organization.pk}) + "#party"
            )
    return render(
        request,
        "party_branches/simple_form.html",
        {
            "form": form,
            "organization": organization,
            "title": _("Assign a Party-building instructor to %(name)s")
            % {"name": organization.name},
            "testid": "instructor-form",
        },
    )


@require_http_methods(["GET", "POST"])
def instructor_end(request, pk: int):
    assignment = get_object_or_404(
        InstructorAssignment.objects.visible_to(request.user).select_related("organization"),
        pk=pk,
    )
    organization = assignment.organization
    if not can_manage_instructors(request.user, organization):
        raise PermissionDenied
    form = InstructorEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.instructor_end(actor=request.user, assignment=assignment, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The instructor's assignment ended."))
            return redirect(
                reverse("orgs:organization_detail", kwargs={"pk": organization.pk}) + "#party"
            )
    return render(
        request,
        "party_branches/simple_form.html",
        {
            "form": form,
            "organization": organization,
            "title": _("End %(instructor)s's assignment at %(name)s")
            % {"instructor": assignment.instructor_name, "name": organization.name},
            "testid": "instructor-end-form",
        },
    )
