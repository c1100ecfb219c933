"""Oversight pages: merges, annual inspections, credit listings and the zombie watch."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from orgs.forms.oversight import (
    CreditListingForm,
    CreditListingRemoveForm,
    InspectionForm,
    MergeForm,
    MergeSelectionForm,
    ZombieResolveForm,
)
from orgs.models import CreditListing, Organization, ZombieFlag
from orgs.permissions import can_merge
from orgs.selectors import oversight as selectors
from orgs.services.merges import merge_preview, organization_merge
from orgs.services.oversight import (
    ZOMBIE_CLEAR,
    can_manage_credit_listings,
    can_record_inspection,
    can_resolve_zombie_flag,
    credit_listing_add,
    credit_listing_remove,
    inspection_record,
    zombie_resolve,
)

PAGE_SIZE = 25
ZOMBIE_STATES = {choice.value for choice in ZombieFlag.State}


def _add_service_errors(form, error: ValidationError) -> None:
    """Show a service's errors on the form's fields, or above the form for other keys."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _organization_url(organization: Organization) -> str:
    return reverse("orgs:organization_detail", kwargs={"pk": organization.pk}) + "#oversight"


# --- Merges --------------------------------------------------------------------------------


def merge_list(request):
    page = Paginator(selectors.merge_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "orgs/merge_list.html", {"page": page, "can_merge": can_merge(request.user)}
    )


def merge_detail(request, pk: int):
    merge = get_object_or_404(selectors.merge_list(user=request.user), pk=pk)
    merged = list(merge.merged.all())
    visible_ids = set(
        Organization.objects.visible_to(request.user)
        .filter(pk__in=[merge.survivor_id, *(organization.pk for organization in merged)])
        .values_list("pk", flat=True)
    )
    counts = {row.get("id"): row for row in merge.summary.get("organizations", [])}
    rows = [
        {
            "organization": organization,
            "visible": organization.pk in visible_ids,
            "moved": counts.get(organization.pk, {}),
        }
        for organization in merged
    ]
    return render(
        request,
        "orgs/merge_detail.html",
        {"merge": merge, "rows": rows, "survivor_visible": merge.survivor_id in visible_ids},
    )


@require_http_methods(["GET", "POST"])
def merge_create(request):
    """Choose (GET), preview what moves (GET with a choice), then confirm (POST)."""
    if not can_merge(request.user):
        raise PermissionDenied
    organizations = selectors.merge_candidates(user=request.user)
    if request.method == "POST":
        form = MergeForm(request.POST, organizations=organizations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                merge = organization_merge(
                    actor=request.user,
                    survivor=data["survivor"],
                    merged=list(data["merged"]),
                    merged_on=data["merged_on"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(count)s organisations were merged into “%(name)s”.")
                    % {"count": merge.merged.count(), "name": merge.survivor.name},
                )
                return redirect("orgs:merge_detail", pk=merge.pk)
        return _render_preview(request, form)

    selection = MergeSelectionForm(request.GET or None, organizations=organizations)
    if selection.is_bound and selection.is_valid():
        form = MergeForm(
            organizations=organizations,
            initial={
                "survivor": selection.cleaned_data["survivor"],
                "merged": list(selection.cleaned_data["merged"]),
                "merged_on": timezone.localdate(),
            },
        )
        form.selection = selection.cleaned_data
        return _render_preview(request, form)
    return render(request, "orgs/merge_form.html", {"form": selection})


def _render_preview(request, form: MergeForm):
    chosen = getattr(form, "selection", None) or getattr(form, "cleaned_data", {})
    survivor, merged = chosen.get("survivor"), list(chosen.get("merged") or [])
    preview = []
    if survivor is not None and merged:
        preview = merge_preview(
            survivor=survivor,
            merged=[organization for organization in merged if organization != survivor],
        )
    return render(
        request,
        "orgs/merge_preview.html",
        {"form": form, "survivor": survivor, "preview": preview},
    )


# --- Inspections and credit listings -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def inspection_add(request, org_pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)
    if not can_record_inspection(request.user, organization):
        raise PermissionDenied
    initial = {"year": timezone.localdate().year - 1}
    form = InspectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = inspection_record(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Annual inspection %(year)s of “%(name)s” recorded.")
                % {"year": inspection.year, "name": organization.name},
            )
            return redirect(_organization_url(organization))
    return render(
        request, "orgs/inspection_form.html", {"form": form, "organization": organization}
    )


@require_http_methods(["GET", "POST"])
def credit_listing_add_view(request, org_pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)
    if not can_manage_credit_listings(request.user):
        raise PermissionDenied
    form = CreditListingForm(request.POST or None, initial={"listed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            listing = credit_listing_add(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(name)s” was put on the %(list)s.")
                % {"name": organization.name, "list": listing.get_list_kind_display()},
            )
            return redirect(_organization_url(organization))
    return render(
        request, "orgs/credit_listing_form.html", {"form": form, "organization": organization}
    )


@require_http_methods(["GET", "POST"])
def credit_listing_remove_view(request, pk: int):
    listing = get_object_or_404(
        CreditListing.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    if not can_manage_credit_listings(request.user):
        raise PermissionDenied
    form = CreditListingRemoveForm(
        request.POST or None, initial={"removed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            credit_listing_remove(
                actor=request.user,
                listing=listing,
                removed_on=form.cleaned_data["removed_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(name)s” was taken off the %(list)s.")
                % {"name": listing.organization.name, "list": listing.get_list_kind_display()},
            )
            return redirect(_organization_url(listing.organization))
    return render(request, "orgs/credit_listing_remove.html", {"form": form, "listing": listing})


# --- Zombie watch --------------------------------------------------------------------------


def zombie_list(request):
    state = request.GET.get("state", ZombieFlag.State.OPEN)
    if state not in ZOMBIE_STATES:
        state = ""
    flags = selectors.zombie_flag_list(user=request.user, state=state or None)
    page = Paginator(flags, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/zombie_list.html",
        {
            "page": page,
            "state": state,
            "states": ZombieFlag.State.choices,
            "resolvable_ids": selectors.resolvable_flag_ids(user=request.user, flags=page),
        },
    )


@require_POST
def zombie_resolve_view(request, pk: int):
    flag = get_object_or_404(
        ZombieFlag.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    if not can_resolve_zombie_flag(request.user, flag):
        raise PermissionDenied
    form = ZombieResolveForm(request.POST)
    if form.is_valid():
        try:
            zombie_resolve(actor=request.user, flag=flag, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            done = (
                _("The flag on “%(name)s” was cleared.")
                if form.cleaned_data["action"] == ZOMBIE_CLEAR
                else _("“%(name)s” is now marked as a suspected zombie.")
            )
            messages.success(request, done % {"name": flag.organization.name})
    else:
        messages.error(
            request,
            _("“%(name)s”: %(errors)s")
            % {
                "name": flag.organization.name,
                "errors": " ".join(str(e) for errors in form.errors.values() for e in errors),
            },
        )
    return redirect("orgs:zombie_list")


urlpatterns = [
    path("merges/", merge_list, name="merge_list"),
    path("merges/new/", merge_create, name="merge_create"),
    path("merges/<int:pk>/", merge_detail, name="merge_detail"),
    path("orgs/<int:org_pk>/inspections/add/", inspection_add, name="inspection_add"),
    path("orgs/<int:org_pk>/credit/add/", credit_listing_add_view, name="credit_listing_add"),
    path("credit/<int:pk>/remove/", credit_listing_remove_view, name="credit_listing_remove"),
    path("zombies/", zombie_list, name="zombie_list"),
    path("zombies/<int:pk>/resolve/", zombie_resolve_view, name="zombie_resolve"),
]
