"""Organisation pages of the e-ledger: list, profile, create, edit and "verified today"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.collation import pinyin_order
from core.masking import mask_mobile
from core.text import clean_name
from orgs import contributions
from orgs.filters import SORTABLE_COLUMNS, OrganizationFilter
from orgs.forms.fields import organization_label
from orgs.forms.organizations import OrganizationForm
from orgs.models import Organization
from orgs.permissions import can_create_organization, can_see_sensitive
from orgs.selectors import organizations as selectors
from orgs.services import organizations as services

PAGE_SIZE = 25


def _wants_fragment(request) -> bool:
    """An htmx request for the table, not a history restore that needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def sort_links(current: str) -> dict[str, dict]:
    """For each sortable column: the `o` value its header link sets, and its current direction."""
    links = {}
    for column in SORTABLE_COLUMNS:
        if current == column:
            links[column] = {"next": f"-{column}", "direction": "asc"}
        elif current == f"-{column}":
            links[column] = {"next": column, "direction": "desc"}
        else:
            links[column] = {"next": column, "direction": ""}
    return links


def organization_list(request):
    organizations = selectors.organization_list(user=request.user)
    filterset = OrganizationFilter(request.GET or None, queryset=organizations, user=request.user)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "orgs/partials/_organization_table.html"
        if _wants_fragment(request)
        else "orgs/organization_list.html"
    )
    return render(
        request,
        template,
        {
            "page": page,
            "filter": filterset,
            "sort": sort_links(request.GET.get("o", "")),
            "can_create": can_create_organization(request.user),
        },
    )


MEMBERS_SECTION = "members"


def organization_detail(request, pk: int):
    context = _organization_context(
        request,
        pk,
        member_query=request.GET.get("member_q", ""),
        member_page=request.GET.get("member_page") or 1,
    )
    return render(request, "orgs/organization_detail.html", context)


def organization_print(request, pk: int):
    """The whole record on A4 (一社一档): profile, members, branch, oversight, scores, history."""
    context = _organization_context(request, pk, member_query="", member_page=None)
    context["printed_on"] = timezone.localdate()
    return render(request, "orgs/organization_print.html", context)


def _organization_context(request, pk: int, *, member_query: str, member_page) -> dict:
    organization = get_object_or_404(
        selectors.organization_detail_queryset(user=request.user), pk=pk
    )
    sensitive = can_see_sensitive(request.user)
    leader_phone = organization.leader_phone
    context = {
        "organization": organization,
        "leader_phone": leader_phone if sensitive else mask_mobile(leader_phone),
        "grade_is_valid": organization.grade_is_valid(),
        "grade_expires_on": organization.grade_expires_on(),
        "can_edit": selectors.organization_is_editable(
            user=request.user, organization=organization
        ),
        "can_verify": selectors.organization_is_verifiable(
            user=request.user, organization=organization
        ),
        "history_entries": selectors.organization_history(
            organization=organization, reveal=sensitive
        ),
    }
    # Sections registered by the ledger and the apps built on it (orgs.contributions).
    for section in contributions.sections():
        extra = (
            {"member_query": member_query, "member_page": member_page}
            if section.key == MEMBERS_SECTION
            else {}
        )
        context.update(section.context(user=request.user, organization=organization, **extra))
    return context


@require_http_methods(["GET", "POST"])
def organization_create(request):
    if not can_create_organization(request.user):
        raise PermissionDenied
    initial = {"community": request.GET.get("community"), "ledger_keeper": request.user.pk}
    form = OrganizationForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Organisation “%(name)s” added.") % {"name": organization.name}
            )
            return redirect("orgs:organization_detail", pk=organization.pk)
    return render(request, "orgs/organization_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def organization_update(request, pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not selectors.organization_is_editable(user=request.user, organization=organization):
        raise PermissionDenied
    form = OrganizationForm(
        request.POST or None,
        instance=Organization.objects.get(pk=organization.pk),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Organisation “%(name)s” saved.") % {"name": organization.name}
            )
            return redirect("orgs:organization_detail", pk=organization.pk)
    return render(
        request, "orgs/organization_form.html", {"form": form, "organization": organization}
    )


@require_POST
def organization_verify(request, pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    services.organization_mark_verified(actor=request.user, organization=organization)
    messages.success(
        request,
        _("“%(name)s” marked as verified today.") % {"name": organization.name},
    )
    return redirect("orgs:organization_detail", pk=organization.pk)


ORGANIZATION_OPTIONS_LIMIT = 30


def organization_options(request):
    """Options of an organisation picker matching what was typed (search as you type).

    Scoped by visible_to, never a merged, deregistered or revoked organisation, and bounded:
    the form still validates against its own choices.
    """
    words = clean_name(request.GET.get("organization_q", "")).split()
    organizations = (
        Organization.objects.visible_to(request.user)
        .pickable()
        .select_related("community__township")
    )
    for word in words:
        organizations = organizations.filter(
            Q(name__icontains=word) | Q(short_name__icontains=word)
        )
    organizations = organizations.order_by(pinyin_order("name"), "pk")[:ORGANIZATION_OPTIONS_LIMIT]
    options = [(org.pk, organization_label(org)) for org in organizations]
    return render(request, "orgs/partials/_organization_options.html", {"options": options})


urlpatterns = [
    path("options/", organization_options, name="organization_options"),
    path("", organization_list, name="organization_list"),
    path("new/", organization_create, name="organization_create"),
    path("<int:pk>/", organization_detail, name="organization_detail"),
    path("<int:pk>/print/", organization_print, name="organization_print"),
    path("<int:pk>/edit/", organization_update, name="organization_update"),
    path("<int:pk>/verify/", organization_verify, name="organization_verify"),
]
