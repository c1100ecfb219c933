"""The quarter ranking, its recompute runs, and finalising or re-opening a quarter."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoping import scope_for
from areas.models import Township
from core.quarters import format_quarter, quarter_label
from orgs.models import Category
from scoring import permissions, selectors
from scoring.filters import RankingFilter
from scoring.forms import ReopenForm
from scoring.models import RankingRun
from scoring.services.runs import reopen_quarter, request_recompute
from scoring.views._common import county_and_choices, county_param, error_text, quarter_param

PAGE_SIZE = 50
NOT_RANKED_SHOWN = 100


def _ranking_url(quarter, county, **params) -> str:
    query = {"quarter": format_quarter(quarter), "county": county.pk, **params}
    return f"{reverse('scoring:ranking')}?{urlencode(query)}"


def _tab_defaults(request, scope: str, county):
    """A category or township tab always shows one category or township."""
    data = request.GET.copy()
    if scope == selectors.SCOPE_CATEGORY and not data.get("category"):
        first = Category.objects.order_by("sort_order", "name").values_list("pk", flat=True).first()
        if first is not None:
            data["category"] = str(first)
    if scope == selectors.SCOPE_TOWNSHIP and not data.get("township"):
        own = scope_for(request.user).township_id
        if own is None:
            own = (
                Township.objects.filter(county=county)
                .order_by("code")
                .values_list("pk", flat=True)
                .first()
            )
        if own is not None:
            data["township"] = str(own)
    return data


def _export_url(quarter, scope: str, data, county) -> str:
    """The export form for what the page shows: its county, quarter, tab and filters."""
    query = {
        "ledger": "ranking",
        "quarter": format_quarter(quarter),
        "scope": scope,
        "county": county.pk,
    }
    for key in ("category", "township", "q"):
        if data.get(key):
            query[key] = data[key]
    return f"{reverse('exports:export_create')}?{urlencode(query)}"


def ranking(request):
    quarter = quarter_param(request.GET)
    scope = request.GET.get("scope")
    if scope not in selectors.SCOPES:
        scope = selectors.SCOPE_COUNTY
    county, choices = county_and_choices(request)
    data = _tab_defaults(request, scope, county)
    filterset = RankingFilter(
        data,
        queryset=selectors.ranking_queryset(
            user=request.user, quarter=quarter, scope=scope, county=county
        ),
        county=county,
    )
    rows = filterset.qs
    page = Paginator(rows.filter(ranked=True), PAGE_SIZE).get_page(request.GET.get("page"))
    not_ranked = list(rows.filter(ranked=False)[: NOT_RANKED_SHOWN + 1])
    shown = [*page.object_list, *not_ranked]
    openable = selectors.visible_organization_ids(
        user=request.user, organization_ids={row.organization_id for row in shown}
    )
    for row in shown:
        row.change = selectors.rank_change(row.rank, row.previous_rank)
        row.can_open = row.organization_id in openable
        row.reason_label = selectors.not_ranked_label(row)
    context = {
        "export_url": _export_url(quarter, scope, data, county),
        "county": county,
        "county_choices": choices,
        "page": page,
        "not_ranked": not_ranked[:NOT_RANKED_SHOWN],
        "not_ranked_more": len(not_ranked) > NOT_RANKED_SHOWN,
        "filter": filterset,
        "scope": scope,
        "quarter": quarter,
        "quarter_code": format_quarter(quarter),
        "quarter_label": quarter_label(quarter),
        "quarter_choices": [
            (format_quarter(q), quarter_label(q))
            for q in selectors.quarter_choices(around=quarter, county=county)
        ],
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "scoring/partials/_ranking_table.html", context)
    context.update(_quarter_panel_context(request, quarter, county))
    return render(request, "scoring/ranking.html", context)


def _quarter_panel_context(request, quarter, county) -> dict:
    return {
        "scoring_quarter": selectors.scoring_quarter(quarter, county),
        "run": selectors.latest_run(quarter, county),
        "can_recompute": permissions.may_recompute(request.user),
        "is_county_admin": permissions.is_county_admin(request.user),
        "can_finalize": selectors.quarter_has_ended(quarter),
        "reopen_form": ReopenForm(),
    }


def run_panel(request):
    """The latest run of the quarter; polled every 2 s by htmx while the run is active."""
    quarter = quarter_param(request.GET)
    county = county_param(request)
    run = selectors.latest_run(quarter, county)
    response = render(
        request,
        "scoring/partials/_run_panel.html",
        {
            "run": run,
            "county": county,
            "quarter": quarter,
            "quarter_code": format_quarter(quarter),
            "quarter_label": quarter_label(quarter),
        },
    )
    # The run the page was watching has ended: reload so the new ranking shows.
    if request.GET.get("watching") and (run is None or not run.is_active):
        response["HX-Refresh"] = "true"
    return response


@require_POST
def recompute(request):
    if not permissions.may_recompute(request.user):
        raise PermissionDenied

    quarter = quarter_param(request.POST)
    county = county_param(request, request.POST)
    try:
        run = request_recompute(
            year=quarter[0],
            quarter=quarter[1],
            county=county,
            user=request.user,
            trigger=RankingRun.Trigger.MANUAL,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        run.refresh_from_db()
        if run.is_active:
            messages.info(request, _("The ranking is being recomputed; this page follows it."))
        elif run.status == RankingRun.Status.SUCCEEDED:
            messages.success(request, _("The ranking was recomputed."))
    return redirect(_ranking_url(quarter, county))


@require_POST
def quarter_finalize(request):
    if not permissions.is_county_admin(request.user):
        raise PermissionDenied

    quarter = quarter_param(request.POST)
    county = county_param(request, request.POST)
    try:
        request_recompute(
            year=quarter[0],
            quarter=quarter[1],
            county=county,
            user=request.user,
            trigger=RankingRun.Trigger.MANUAL,
            finalize=True,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("The quarter is computed a last time and then finalised (frozen).")
        )
    return redirect(_ranking_url(quarter, county))


@require_POST
def quarter_reopen(request):
    if not permissions.is_county_admin(request.user):
        raise PermissionDenied

    quarter = quarter_param(request.POST)
    county = county_param(request, request.POST)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the quarter is re-opened."))
        return redirect(_ranking_url(quarter, county))
    try:
        reopen_quarter(
            year=quarter[0],
            quarter=quarter[1],
            county=county,
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The quarter is open again; it is recomputed nightly."))
    return redirect(_ranking_url(quarter, county))
