"""Quarter assessments: one page of the user's organisations with their assessment inputs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.models import Community
from core.quarters import format_quarter, quarter_label
from scoring import permissions, selectors
from scoring.forms import AssessmentFormSet
from scoring.services.assessments import AssessmentEntry, assessments_save, check_quarter_open
from scoring.views._common import error_text, quarter_param

PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
def assessments(request):
    if not permissions.may_assess(request.user):
        raise PermissionDenied
    quarter = quarter_param(request.GET)
    communities = Community.objects.visible_to(request.user).order_by("code")
    organizations = selectors.assessable_organizations(user=request.user)
    community_id = request.GET.get("community", "")
    if community_id.isdigit():
        organizations = organizations.filter(community_id=int(community_id))
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    existing = selectors.assessments_by_organization(
        quarter=quarter, organization_ids=[org.pk for org in rows]
    )
    initial = [
        {
            "organization": org.pk,
            "community_score": existing[org.pk].community_score if org.pk in existing else 0,
            "commendations": existing[org.pk].commendations if org.pk in existing else 0,
            "note": existing[org.pk].note if org.pk in existing else "",
        }
        for org in rows
    ]
    try:
        check_quarter_open(quarter)
        closed_reason = ""
    except ValidationError as error:
        closed_reason = error_text(error)
    formset = AssessmentFormSet(
        request.POST if request.method == "POST" else None, initial=initial, prefix="a"
    )
    if closed_reason:
        for form in formset.forms:
            for field in form.fields.values():
                field.disabled = True
    if request.method == "POST" and not closed_reason and formset.is_valid():
        entries = [
            AssessmentEntry(
                organization_id=form.cleaned_data["organization"],
                community_score=form.cleaned_data["community_score"],
                commendations=form.cleaned_data["commendations"],
                note=form.cleaned_data.get("note", ""),
            )
            for form in formset.forms
        ]
        try:
            changed = assessments_save(actor=request.user, quarter=quarter, entries=entries)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("%(count)s assessments saved; the next recompute counts them.")
                % {"count": changed},
            )
            return redirect(request.get_full_path())
    elif request.method == "POST" and closed_reason:
        messages.error(request, closed_reason)
    return render(
        request,
        "scoring/assessments.html",
        {
            "quarter": quarter,
            "quarter_code": format_quarter(quarter),
            "quarter_label": quarter_label(quarter),
            "quarter_choices": [
                (format_quarter(q), quarter_label(q)) for q in selectors.quarter_choices()
            ],
            "communities": communities,
            "community_id": community_id,
            "page": page,
            "rows": list(zip(rows, formset.forms, strict=False)),
            "formset": formset,
            "closed_reason": closed_reason,
        },
    )
