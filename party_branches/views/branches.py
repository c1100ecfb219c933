"""The branch list and page, setting up a branch, its members, dissolving it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from orgs.models import Organization, Person
from orgs.services.oversight import in_ledger_language
from party_branches import rules, selectors, services
from party_branches.filters import BranchFilter
from party_branches.forms import (
    BranchCreateForm,
    DissolveForm,
    MemberAddForm,
    MemberRemoveForm,
)
from party_branches.models import (
    Branch,
    BranchMember,
    Formation,
)
from party_branches.permissions import (
    can_edit_branch,
    can_set_up_branches,
)
from party_branches.views.common import (
    DEFAULT_BRANCH_NAME,
    DEFAULT_PARENT_ORG,
    PAGE_SIZE,
    _add_service_errors,
    _branch_url,
    _visible_branch,
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


def _partners(editable, base: Organization) -> list[Organization]:
    """Organisations of the base's township that may join it in a joint branch."""
    return list(
        editable.filter(community__township_id=base.community.township_id)
        .exclude(pk=base.pk)
        .exclude(Exists(Branch.objects.active().filter(organizations=OuterRef("pk"))))
        .select_related("community")
        .order_by("community__code", "name")
    )


def _create_from(actor, data: dict) -> Branch:
    organizations = list(data["organizations"])
    return services.branch_create(
        actor=actor,
        organizations=organizations,
        formation=Formation.JOINT if len(organizations) > 1 else Formation.SINGLE,
        name=data["name"],
        parent_org=data["parent_org"],
        established_on=data["established_on"],
        member_people=list(data["member_people"]),
        secretary=data["secretary"],
    )


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
    partners = _partners(editable, base)
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
        try:
            branch = _create_from(request.user, form.cleaned_data)
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
