"""The compliance board, coverage and the required frequencies."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from areas.models import Township
from core import quarters
from orgs.models import Category, Organization
from party_branches import rules, selectors, services
from party_branches.compliance import branch_compliance
from party_branches.forms import (
    FrequencyForm,
)
from party_branches.models import (
    Branch,
    MeetingKind,
    RequiredFrequency,
)
from party_branches.permissions import (
    can_manage_frequencies,
)
from party_branches.views.common import (
    BOARD_PAGE_SIZE,
    BOARD_QUARTERS,
    COVERAGE_PAGE_SIZE,
    PAGE_SIZE,
)

# --- Compliance, coverage, frequencies -----------------------------------------------------


def compliance_board(request):
    """Each branch's organisational life in a quarter, the branches behind first."""
    today = timezone.localdate()
    current = quarters.quarter_of(today)
    quarter = quarters.parse_quarter(request.GET.get("quarter")) or current
    if quarter > current:
        quarter = current
    branches = Branch.objects.visible_to(request.user)
    township = request.GET.get("township", "")
    if township.isdigit():
        branches = branches.filter(township_id=int(township))
    rows = branch_compliance(branches_qs=branches, quarter=quarter, today=today)
    page = Paginator(rows, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = [item.label for item in rows[0].items] if rows else []
    offered = [quarters.shift_quarter(current, -offset) for offset in range(BOARD_QUARTERS)]
    return render(
        request,
        "party_branches/compliance_board.html",
        {
            "page": page,
            "kinds": kinds,
            "quarter": quarters.format_quarter(quarter),
            "quarters": [quarters.format_quarter(q) for q in offered],
            "behind": sum(1 for row in rows if row.behind),
            "total": len(rows),
            "townships": Township.objects.visible_to(request.user).order_by("code"),
            "township": township,
            "running": quarter == current,
        },
    )


def coverage(request):
    """两个覆盖: organisations with a branch, with an instructor, eligible but without a branch."""
    today = timezone.localdate()
    figures = selectors.coverage_page(
        user=request.user,
        on=today,
        page_number=request.GET.get("page"),
        page_size=COVERAGE_PAGE_SIZE,
    )
    return render(request, "party_branches/coverage.html", figures)


COVERAGE_TITLES = {
    "total": gettext_lazy("All organisations"),
    "with_branch": gettext_lazy("With an active branch"),
    "with_instructor": gettext_lazy("With an active instructor"),
    "covered": gettext_lazy("Covered (branch or instructor)"),
    "uncovered": gettext_lazy("Uncovered (neither branch nor instructor)"),
    "eligible": gettext_lazy("Eligible for a branch but without one"),
}


def coverage_organizations(request):
    """The organisations behind one figure of the coverage page."""
    today = timezone.localdate()
    figure = request.GET.get("figure", "total")
    if figure not in selectors.COVERAGE_FIGURES:
        figure = "total"
    organizations = (
        Organization.objects.visible_to(request.user)
        .active()
        .filter(selectors.coverage_filter(figure, on=today))
    )
    township = request.GET.get("township", "")
    if township.isdigit():
        organizations = organizations.filter(community__township_id=int(township))
    category = request.GET.get("category", "")
    if category == "none":
        organizations = organizations.filter(category__isnull=True)
    elif category.isdigit():
        organizations = organizations.filter(category_id=int(category))
    organizations = organizations.select_related("community__township", "category").order_by(
        "community__township__code", "community__code", "name"
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    # The figures of the page's organisations only (a subquery per row, on 25 rows).
    figures = {
        row[0]: row[1:]
        for row in selectors.with_coverage(
            Organization.objects.filter(pk__in=[organization.pk for organization in page]),
            on=today,
        ).values_list("pk", "has_branch", "has_instructor", "formal_party_members")
    }
    for organization in page:
        (
            organization.has_branch,
            organization.has_instructor,
            organization.formal_party_members,
        ) = figures[organization.pk]
    return render(
        request,
        "party_branches/coverage_organizations.html",
        {
            "page": page,
            "title": COVERAGE_TITLES[figure],
            "township_obj": Township.objects.visible_to(request.user)
            .filter(pk=int(township))
            .first()
            if township.isdigit()
            else None,
            "category_obj": Category.objects.filter(pk=int(category)).first()
            if category.isdigit()
            else None,
            "min_formal": rules.MIN_FORMAL_MEMBERS,
        },
    )


@require_http_methods(["GET", "POST"])
def frequency_list(request):
    """The required frequencies; the county administrator changes them here."""
    can_manage = can_manage_frequencies(request.user)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        frequency = RequiredFrequency.objects.filter(kind=request.POST.get("kind", "")).first()
        form = FrequencyForm(request.POST)
        if frequency is not None and form.is_valid():
            try:
                services.frequency_update(
                    actor=request.user, frequency=frequency, **form.cleaned_data
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Required frequency of %(kind)s saved.")
                    % {"kind": MeetingKind(frequency.kind).label},
                )
                return redirect("party_branches:frequency_list")
        else:
            messages.error(request, _("Check the period and the number of meetings."))
    kinds = list(MeetingKind.values)
    frequencies = sorted(
        RequiredFrequency.objects.all(),
        key=lambda frequency: kinds.index(frequency.kind) if frequency.kind in kinds else 99,
    )
    rows = [
        {
            "frequency": frequency,
            "form": FrequencyForm(
                initial={"period": frequency.period, "count": frequency.count},
                prefix=None,
            ),
        }
        for frequency in frequencies
    ]
    return render(
        request,
        "party_branches/frequency_list.html",
        {"rows": rows, "can_manage": can_manage},
    )
