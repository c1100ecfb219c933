"""Pages of the temporary Party branches: list, page, set-up, members, meetings, coverage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from areas.models import Township
from core import quarters
from orgs.models import Category, Organization, Person
from orgs.services.oversight import in_ledger_language
from party_branches import rules, selectors, services
from party_branches.compliance import branch_compliance
from party_branches.filters import BranchFilter
from party_branches.forms import (
    BranchCreateForm,
    DissolveForm,
    FrequencyForm,
    InstructorEndForm,
    InstructorForm,
    MeetingForm,
    MemberAddForm,
    MemberRemoveForm,
)
from party_branches.models import (
    Branch,
    BranchMember,
    Formation,
    InstructorAssignment,
    MeetingKind,
    RequiredFrequency,
)
from party_branches.permissions import (
    can_edit_branch,
    can_manage_frequencies,
    can_manage_instructors,
    can_record_meetings,
    can_set_up_branches,
)

PAGE_SIZE = 25
BOARD_PAGE_SIZE = 50
# Townships per page of the coverage table (each with its categories and subtotal).
COVERAGE_PAGE_SIZE = 25
BOARD_QUARTERS = 8
DEFAULT_BRANCH_NAME = gettext_lazy("%(name)s temporary Party branch")
DEFAULT_PARENT_ORG = gettext_lazy("Party committee of %(community)s")


def _add_service_errors(form, error: ValidationError) -> None:
    """Show a service's errors on the form's visible fields, or above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        visible = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if visible else None, errors)


def _branch_url(branch: Branch) -> str:
    return reverse("party_branches:branch_detail", kwargs={"pk": branch.pk})


def _visible_branch(request, pk: int) -> Branch:
    return get_object_or_404(
        Branch.objects.visible_to(request.user).select_related("township", "secretary"), pk=pk
    )


# --- List and page -------------------------------------------------------------------------


def branch_list(request):
    filterset = BranchFilter(
        request.GET or None, queryset=selectors.branch_list(user=request.user), user=request.user
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "party_branches/partials/_branch_table.html"
        if request.htmx
        else "party_branches/branch_list.html"
    )
    return render(
        request,
        template,
        {"page": page, "filter": filterset, "can_set_up": can_set_up_branches(request.user)},
    )


def branch_detail(request, pk: int):
    branch = _visible_branch(request, pk)
    context = selectors.branch_detail_context(user=request.user, branch=branch)
    return render(request, "party_branches/branch_detail.html", context)


# --- Setting up a branch -------------------------------------------------------------------


def _pick_organization(request):
    """Without an organisation, offer the ones the user may set up a branch in."""
    organizations = (
        Organization.objects.editable_by(request.user)
        .pickable()
        .exclude(Exists(Branch.objects.active().filter(organizations=OuterRef("pk"))))
        .select_related("community")
        .order_by("community__code", "name")
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "party_branches/branch_pick_organization.html", {"page": page})


@require_http_methods(["GET", "POST"])
def branch_create(request):
    """Set up a branch from an organisation, optionally joined by others of its township."""
    if not can_set_up_branches(request.user):
        raise PermissionDenied
    editable = Organization.objects.editable_by(request.user).pickable()
    base_pk = request.GET.get("organization") or request.POST.get("base")
    if not base_pk:
        return _pick_organization(request)
    base = get_object_or_404(
        editable.select_related("community__township"),
        pk=base_pk if str(base_pk).isdigit() else 0,
    )
    partners = list(
        editable.filter(community__township_id=base.community.township_id)
        .exclude(pk=base.pk)
        .exclude(Exists(Branch.objects.active().filter(organizations=OuterRef("pk"))))
        .select_related("community")
        .order_by("community__code", "name")
    )
    if request.method == "POST":
        wanted = set(request.POST.getlist("organizations"))
    else:
        wanted = set(request.GET.getlist("also"))
    chosen = [base] + [partner for partner in partners if str(partner.pk) in wanted]
    form = BranchCreateForm(
        request.POST or None,
        user=request.user,
        initial={
            "organizations": [organization.pk for organization in chosen],
            "name": in_ledger_language(DEFAULT_BRANCH_NAME, name=base.name),
            "parent_org": in_ledger_language(DEFAULT_PARENT_ORG, community=base.community.name),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organizations = list(data["organizations"])
        try:
            branch = services.branch_create(
                actor=request.user,
                organizations=organizations,
                formation=Formation.JOINT if len(organizations) > 1 else Formation.SINGLE,
                name=data["name"],
                parent_org=data["parent_org"],
                established_on=data["established_on"],
                member_people=list(data["member_people"]),
                secretary=data["secretary"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Branch “%(name)s” set up.") % {"name": branch.name})
            return redirect(_branch_url(branch))
    selected = {str(pk) for pk in request.POST.getlist("member_people")}
    candidates = selectors.eligible_candidates(organizations=chosen)
    return render(
        request,
        "party_branches/branch_form.html",
        {
            "form": form,
            "base": base,
            "chosen": chosen,
            "chosen_ids": {organization.pk for organization in chosen},
            "partners": partners,
            "candidates": candidates,
            "selected": selected,
            "formation": Formation.JOINT if len(chosen) > 1 else Formation.SINGLE,
            "formation_label": (Formation.JOINT if len(chosen) > 1 else Formation.SINGLE).label,
            "min_formal": rules.MIN_FORMAL_MEMBERS,
            "max_joint": rules.JOINT_MAX_ORGANIZATIONS,
        },
    )


# --- Members and dissolving ----------------------------------------------------------------


def _editable_branch(request, pk: int) -> Branch:
    branch = _visible_branch(request, pk)
    if not can_edit_branch(request.user, branch):
        raise PermissionDenied
    return branch


@require_http_methods(["GET", "POST"])
def member_add(request, pk: int):
    branch = _editable_branch(request, pk)
    candidates = (
        Person.objects.current()
        .filter(
            pk__in=services.eligible_people(organizations=branch.organizations.all()).values("pk")
        )
        .exclude(Exists(BranchMember.objects.filter(person=OuterRef("pk"), left_on__isnull=True)))
        .order_by("name", "pk")
    )
    form = MemberAddForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.branch_add_member(
                actor=request.user, branch=branch, **form.cleaned_data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s joined the branch.") % {"person": member.person.name},
            )
            return redirect(_branch_url(branch))
    return render(
        request,
        "party_branches/simple_form.html",
        {
            "form": form,
            "branch": branch,
            "title": _("Add a member to %(name)s") % {"name": branch.name},
            "testid": "member-add-form",
        },
    )


@require_http_methods(["GET", "POST"])
def member_remove(request, pk: int, member_pk: int):
    branch = _editable_branch(request, pk)
    member = get_object_or_404(branch.members.select_related("person"), pk=member_pk)
    form = MemberRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.branch_remove_member(
                actor=request.user, branch=branch, member=member, **form.cleaned_data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(person)s left the branch.") % {"person": member.person.name}
            )
            return redirect(_branch_url(branch))
    return render(
        request,
        "party_branches/simple_form.html",
        {
            "form": form,
            "branch": branch,
            "title": _("%(person)s leaves %(name)s")
            % {"person": member.person.name, "name": branch.name},
            "testid": "member-remove-form",
        },
    )


@require_http_methods(["GET", "POST"])
def branch_dissolve(request, pk: int):
    branch = _editable_branch(request, pk)
    form = DissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.branch_dissolve(actor=request.user, branch=branch, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Branch “%(name)s” dissolved.") % {"name": branch.name})
            return redirect(_branch_url(branch))
    return render(
        request,
        "party_branches/simple_form.html",
        {
            "form": form,
            "branch": branch,
            "title": _("Dissolve %(name)s") % {"name": branch.name},
            "testid": "dissolve-form",
            "danger": True,
        },
    )


# --- Meetings ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_record(request, pk: int):
    """Record a meeting in under a minute: kind, day, topic; everyone present is preselected."""
    branch = _visible_branch(request, pk)
    if not can_record_meetings(request.user, branch):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, request.FILES or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(
                actor=request.user,
                branch=branch,
                kind=form.cleaned_data["kind"],
                held_on=form.cleaned_data["held_on"],
                topic=form.cleaned_data["topic"],
                attendees=list(form.cleaned_data["attendees"]),
                minutes=form.cleaned_data["minutes"],
                place=form.cleaned_data["place"],
                chair=form.cleaned_data["chair"],
                note_taker=form.cleaned_data["note_taker"],
                absence_reasons=form.absence_reasons(),
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(kind)s of %(day)s recorded.")
                % {"kind": meeting.get_kind_display(), "day": meeting.held_on.isoformat()},
            )
            return redirect(_branch_url(branch))
    return render(request, "party_branches/meeting_form.html", {"form": form, "branch": branch})


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
