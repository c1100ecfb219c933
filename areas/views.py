from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas import selectors, services
from areas.filters import CommunityFilter
from areas.forms import CommunityForm, TownshipForm
from areas.models import Community, Township
from areas.permissions import can_manage_areas

PAGE_SIZE = 25


def township_list(request):
    townships = selectors.township_list(user=request.user)
    query = request.GET.get("q", "").strip()
    if query:
        townships = townships.filter(name__icontains=query)
    # The staff of several counties see each township's county and may pick one.
    county, counties = selectors.county_narrowing(request.user, request.GET.get("county"))
    if county is not None:
        townships = townships.filter(county=county)
    page = Paginator(townships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "areas/township_list.html",
        {
            "page": page,
            "query": query,
            "county": county,
            "counties": counties,
            "can_manage": can_manage_areas(request.user),
        },
    )


def township_detail(request, pk: int):
    township = get_object_or_404(Township.objects.visible_to(request.user), pk=pk)
    communities = selectors.community_list(user=request.user).filter(township=township)
    return render(
        request,
        "areas/township_detail.html",
        {
            "township": township,
            "communities": communities,
            "can_manage": can_manage_areas(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def township_create(request):
    if not can_manage_areas(request.user):
        raise PermissionDenied
    form = TownshipForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            township = services.township_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Township “%(name)s” added.") % {"name": township.name})
            return redirect("areas:township_detail", pk=township.pk)
    return render(request, "areas/township_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def township_update(request, pk: int):
    township = get_object_or_404(Township.objects.visible_to(request.user), pk=pk)
    if not can_manage_areas(request.user):
        raise PermissionDenied
    form = TownshipForm(
        request.POST or None, instance=Township.objects.get(pk=township.pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.township_update(actor=request.user, township=township, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Township “%(name)s” saved.") % {"name": township.name})
            return redirect("areas:township_detail", pk=township.pk)
    return render(request, "areas/township_form.html", {"form": form, "township": township})


def community_list(request):
    communities = selectors.community_list(user=request.user)
    filterset = CommunityFilter(request.GET or None, queryset=communities, user=request.user)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "areas/partials/_community_table.html" if request.htmx else "areas/community_list.html"
    )
    return render(
        request,
        template,
        {"page": page, "filter": filterset, "can_manage": can_manage_areas(request.user)},
    )


def community_detail(request, pk: int):
    community = get_object_or_404(
        Community.objects.visible_to(request.user).select_related("township"), pk=pk
    )
    return render(
        request,
        "areas/community_detail.html",
        {"community": community, "can_manage": can_manage_areas(request.user)},
    )


@require_http_methods(["GET", "POST"])
def community_create(request):
    if not can_manage_areas(request.user):
        raise PermissionDenied
    initial = {"township": request.GET.get("township")}
    form = CommunityForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Community “%(name)s” added.") % {"name": community.name})
            return redirect("areas:community_detail", pk=community.pk)
    return render(request, "areas/community_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def community_update(request, pk: int):
    community = get_object_or_404(Community.objects.visible_to(request.user), pk=pk)
    if not can_manage_areas(request.user):
        raise PermissionDenied
    form = CommunityForm(
        request.POST or None, instance=Community.objects.get(pk=community.pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.community_update(actor=request.user, community=community, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Community “%(name)s” saved.") % {"name": community.name})
            return redirect("areas:community_detail", pk=community.pk)
    return render(request, "areas/community_form.html", {"form": form, "community": community})
