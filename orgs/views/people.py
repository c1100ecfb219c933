"""People and memberships of the e-ledger: list, person page, edits, reveal, merge."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template import engines
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from core.paging import DEFAULT_CAP, paginate
from orgs.forms.people import (
    MembershipAddForm,
    MembershipEndForm,
    MembershipRejoinForm,
    PersonFilter,
    PersonForm,
    PersonMergeForm,
)
from orgs.models import Membership, Organization, Person
from orgs.permissions import can_merge_people, can_see_sensitive
from orgs.selectors import people as selectors
from orgs.services import people as services

PAGE_SIZE = 25
# A county holds hundreds of thousands of people: the list counts at most this many.
COUNT_CAP = DEFAULT_CAP
MERGE_CANDIDATES = 25


def _organization_url(organization: Organization) -> str:
    """The organisation page when it exists yet, else the person list (parallel development)."""
    try:
        return reverse("orgs:organization_detail", kwargs={"pk": organization.pk})
    except NoReverseMatch:
        return reverse("orgs:person_list")


# The masked identifiers of the person page and their revealed form (an htmx fragment) come
# from this one template so that both always show the same fields.
IDENTIFIERS_TEMPLATE = """{% load i18n %}
<dl class="row mb-0" id="person-identifiers" data-testid="person-identifiers">
<dt class="col-sm-4">{% translate "ID number" %}</dt>
<dd class="col-sm-8"><span class="font-monospace" data-testid="id-number">
{% if revealed %}{{ person.id_number|default:"—" }}
{% else %}{{ person.masked_id_number|default:"—" }}{% endif %}</span></dd>
<dt class="col-sm-4">{% translate "Mobile" %}</dt>
<dd class="col-sm-8"><span class="font-monospace" data-testid="mobile">
{% if revealed %}{{ person.mobile|default:"—" }}
{% else %}{{ person.masked_mobile|default:"—" }}{% endif %}</span>
{% if can_reveal and not revealed %}{% if person.id_number or person.mobile %}
<button type="button" class="btn btn-sm btn-outline-secondary ms-2 no-print"
 data-testid="reveal" hx-post="{% url 'orgs:person_reveal' person.pk %}"
 hx-target="#person-identifiers" hx-swap="outerHTML">
{% translate "Show full ID number and mobile (logged)" %}</button>
{% endif %}{% endif %}
{% if revealed %}
<div class="form-text">{% translate "Shown in full for you; this was logged." %}</div>
{% endif %}</dd>
</dl>"""
# makemessages does not read a template held in a Python string: its strings are marked here.
IDENTIFIERS_STRINGS = (
    gettext_noop("ID number"),
    gettext_noop("Mobile"),
    gettext_noop("Show full ID number and mobile (logged)"),
    gettext_noop("Shown in full for you; this was logged."),
)


def _identifiers_html(request, person: Person, *, revealed: bool) -> str:
    template = engines["django"].from_string(IDENTIFIERS_TEMPLATE)
    context = {
        "person": person,
        "revealed": revealed,
        "can_reveal": can_see_sensitive(request.user),
    }
    return template.render(context, request)


def _can_edit_person(user, person: Person) -> bool:
    return Person.objects.editable_by(user).filter(pk=person.pk).exists()


def _editable_membership(request, pk: int) -> Membership:
    """The membership if visible (else 404) and its organisation editable (else 403)."""
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("organization", "person"),
        pk=pk,
    )
    if (
        not Organization.objects.editable_by(request.user)
        .filter(pk=membership.organization_id)
        .exists()
    ):
        raise PermissionDenied
    return membership


def person_list(request):
    people = selectors.person_list(user=request.user)
    filterset = PersonFilter(request.GET or None, queryset=people, user=request.user)
    page = paginate(filterset.qs, PAGE_SIZE, request.GET.get("page"), cap=COUNT_CAP)
    template = "orgs/partials/_person_table.html" if request.htmx else "orgs/person_list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "filter": filterset,
            "can_merge": can_merge_people(request.user),
            "search_refusal": selectors.full_number_refusal(
                user=request.user, query=request.GET.get("q", "")
            ),
        },
    )


def person_detail(request, pk: int):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related(
            "community__township", "grid_community", "merged_into"
        ),
        pk=pk,
    )
    merged_into_visible = (
        person.merged_into_id is not None
        and Person.objects.visible_to(request.user).filter(pk=person.merged_into_id).exists()
    )
    can_edit = _can_edit_person(request.user, person)
    sensitive = can_see_sensitive(request.user)
    return render(
        request,
        "orgs/person_detail.html",
        {
            "person": person,
            "memberships": selectors.person_memberships(user=request.user, person=person),
            "history": selectors.person_history(person, full_birth_date=sensitive),
            "birth_date": selectors.person_birth_date(person, full=sensitive),
            "merged_into_visible": merged_into_visible,
            "can_edit": can_edit and person.merged_into_id is None,
            "can_merge": can_edit
            and person.merged_into_id is None
            and can_merge_people(request.user),
            "identifiers": _identifiers_html(request, person, revealed=False),
        },
    )


@require_http_methods(["GET", "POST"])
def person_update(request, pk: int):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    if not _can_edit_person(request.user, person):
        raise PermissionDenied
    form = PersonForm(
        request.POST or None, instance=Person.objects.get(pk=person.pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": person.name})
            return redirect("orgs:person_detail", pk=person.pk)
    return render(request, "orgs/person_form.html", {"form": form, "person": person})


@require_POST
def person_reveal(request, pk: int):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    services.person_reveal(actor=request.user, person=person)
    return HttpResponse(_identifiers_html(request, person, revealed=True))


@require_http_methods(["GET", "POST"])
def membership_add(request, org_pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)
    if not Organization.objects.editable_by(request.user).filter(pk=organization.pk).exists():
        raise PermissionDenied
    form = MembershipAddForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            membership, reused = services.membership_add(
                actor=request.user,
                organization=organization,
                person_data=form.person_data(),
                role=form.cleaned_data["role"],
                joined_on=form.cleaned_data["joined_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if reused:
                message = _("Existing resident “%(name)s” reused and added to %(organization)s.")
            else:
                message = _("“%(name)s” added to %(organization)s.")
            messages.success(
                request,
                message % {"name": membership.person.name, "organization": organization.name},
            )
            return redirect(_organization_url(organization))
    return render(
        request,
        "orgs/membership_form.html",
        {
            "form": form,
            "organization": organization,
            "cancel_url": _organization_url(organization),
        },
    )


@require_http_methods(["GET", "POST"])
def membership_end(request, pk: int):
    membership = _editable_membership(request, pk)
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                actor=request.user,
                membership=membership,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s left %(organization)s.")
                % {"name": membership.person.name, "organization": membership.organization.name},
            )
            return redirect(_organization_url(membership.organization))
    return render(
        request,
        "orgs/membership_end.html",
        {
            "form": form,
            "membership": membership,
            "cancel_url": _organization_url(membership.organization),
        },
    )


@require_POST
def membership_rejoin(request, pk: int):
    membership = _editable_membership(request, pk)
    form = MembershipRejoinForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    try:
        services.membership_rejoin(
            actor=request.user, membership=membership, joined_on=form.cleaned_data["joined_on"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s rejoined %(organization)s.")
            % {"name": membership.person.name, "organization": membership.organization.name},
        )
    return redirect(_organization_url(membership.organization))


def _merge_person(request, key: str) -> Person | None:
    value = request.GET.get(key, "")
    if not value.isdigit():
        return None
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=int(value))
    if not _can_edit_person(request.user, person):
        raise PermissionDenied
    return person


@require_http_methods(["GET", "POST"])
def person_merge(request):
    if not can_merge_people(request.user):
        raise PermissionDenied
    kept = _merge_person(request, "keep")
    merged = _merge_person(request, "merge")
    context = {"kept": kept, "merged": merged}
    if kept is None or merged is None:
        # Step one: choose the two records (the kept one usually comes from its page).
        candidates = Person.objects.none()
        query = request.GET.get("q", "")
        if query:
            candidates = selectors.person_search(
                Person.objects.editable_by(request.user).current(), query, user=request.user
            ).select_related("community")
            if kept is not None:
                candidates = candidates.exclude(pk=kept.pk)
        context.update({"candidates": candidates[:MERGE_CANDIDATES], "query": query})
        return render(request, "orgs/person_merge.html", context)

    form = PersonMergeForm(request.POST or None)
    error = None
    try:
        services.check_person_merge(kept=kept, merged=merged)
    except ValidationError as refusal:
        error = refusal
    if request.method == "POST" and error is None and form.is_valid():
        try:
            services.person_merge(
                actor=request.user, kept=kept, merged=merged, reason=form.cleaned_data["reason"]
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request,
                _("“%(merged)s” merged into “%(kept)s”.")
                % {"merged": merged.name, "kept": kept.name},
            )
            return redirect("orgs:person_detail", pk=kept.pk)
    context.update(
        {
            "form": form,
            "refusal": error.messages if error is not None else [],
            "plan": services.person_merge_plan(kept=kept, merged=merged),
            "kept_memberships": selectors.person_memberships(user=request.user, person=kept),
            "merged_memberships": selectors.person_memberships(user=request.user, person=merged),
        }
    )
    return render(request, "orgs/person_merge.html", context)


urlpatterns = [
    path("people/", person_list, name="person_list"),
    path("people/merge/", person_merge, name="person_merge"),
    path("people/<int:pk>/", person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", person_update, name="person_update"),
    path("people/<int:pk>/reveal/", person_reveal, name="person_reveal"),
    path("orgs/<int:org_pk>/members/add/", membership_add, name="membership_add"),
    path("members/<int:pk>/end/", membership_end, name="membership_end"),
    path("members/<int:pk>/rejoin/", membership_rejoin, name="membership_rejoin"),
]
