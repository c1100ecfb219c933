"""Quarter assessments: one page of the user's organisations with their assessment inputs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.models import Community, County
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
    closed_reason = _closed_reason(quarter, request.user)
    formset = AssessmentFormSet(
        request.POST if request.method == "POST" else None,
        initial=_initial(quarter, rows),
        prefix="a",
    )
    if closed_reason:
        for form in formset.forms:
            for field in form.fields.values():
                field.disabled = True
    if request.method == "POST" and not closed_reason and formset.is_valid():
        entries = [_entry(form.cleaned_data) for form in formset.forms]
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


def _initial(quarter, rows) -> list[dict]:
    """The forms' values: each organisation's saved assessment, or zeros."""
    existing = selectors.assessments_by_organization(
        quarter=quarter, organization_ids=[org.pk for org in rows]
    )
    initial = []
    for org in rows:
        saved = existing.get(org.pk)
        initial.append(
            {
                "organization": org.pk,
                "community_score": saved.community_score if saved else 0,
                "commendations": saved.commendations if saved else 0,
                "note": saved.note if saved else "",
            }
        )
    return initial


def _closed_reason(quarter, user) -> str:
    """Why the quarter takes no more assessments ("" while it is open)."""
    try:
        check_quarter_open(quarter, counties=County.objects.visible_to(user))
    except ValidationError as error:
        return error_text(error)
    return ""


def _entry(data: dict) -> AssessmentEntry:
    return AssessmentEntry(
        organization_id=data["organization"],
        community_score=data["community_score"],
        commendations=data["commendations"],
        note=data.get("note", ""),
    )
