"""The county overview and the township view: figures, charts, tables and an Excel download."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.scoping import scope_for
from areas.models import County, Township
from areas.selectors import county_narrowing
from dashboards import excel, selectors
from dashboards.home import home_context
from dashboards.permissions import can_see_overview

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows of the township and centre tables (and their charts) the page shows. A county has a
# few dozen townships; a province-sized ledger 1,400 townships and 4,620 centres, which made
# a 1.2 MB page that took longer to render than its figures to compute. The workbook has all.
SHOWN_ROWS = 40


def _authorise(request):
    if not can_see_overview(request.user):
        raise PermissionDenied


def _bar(labels, *datasets) -> dict:
    return {
        "type": "bar",
        "labels": [str(label) for label in labels],
        "datasets": [{"label": str(label), "data": data} for label, data in datasets],
    }


def charts_for(figures: dict) -> dict:
    """Chart.js data for each chart of the overview (the tables under them hold the same)."""
    organizations, monthly = figures["organizations"], figures["monthly"]
    months = [month["label"] for month in monthly["months"]]
    this_year, last_year = str(monthly["year"]), str(monthly["last_year"])

    def per_month(key, *, integer=True):
        # None (a month to come, or before the ledger kept records) is a gap, never a 0.
        series = monthly["series"][key]
        chart = _bar(months, (this_year, series["this"]), (last_year, series["last"]))
        chart["type"] = "line"
        chart["integer"] = integer
        return chart

    def rows(items, label):
        chart = _bar([row["label"] for row in items], (label, [row["count"] for row in items]))
        chart["integer"] = True  # counts: whole-number steps on the axis
        return chart

    utilisation_rows = figures["utilisation"]["rows"][:15]
    top = figures["ranking"]["top"]
    return {
        "category": rows(organizations["by_category"], _("Organisations")),
        "township": rows(shown_rows(figures)["townships"], _("Organisations")),
        "status": rows(organizations["by_status"], _("Organisations")),
        "coverage": rows(figures["coverage"]["rows"], _("Organisations")),
        "activities": per_month("activities"),
        "beneficiaries": per_month("beneficiaries"),
        "hours": per_month("hours", integer=False),
        "mediations": per_month("mediations"),
        "utilisation": _bar(
            [row["label"] for row in utilisation_rows],
            (_("Utilisation (%)"), [row["percent"] for row in utilisation_rows]),
        ),
        "top": _bar([row["name"] for row in top], (_("Total"), [row["total"] for row in top])),
        "watch": rows(figures["watch"]["rows"], _("Organisations")),
    }


def shown_rows(figures: dict) -> dict:
    """The township and centre rows the page shows, and how many there are in all.

    Up to SHOWN_ROWS: every township in code order and every centre, busiest first. Beyond:
    the townships with the most organisations and the busiest centres (the workbook and the
    utilisation page list the rest).
    """
    townships = figures["organizations"]["by_township"]
    if len(townships) > SHOWN_ROWS:
        townships = sorted(townships, key=lambda row: -row["count"])[:SHOWN_ROWS]
    centres = figures["utilisation"]["rows"]
    return {
        "townships": townships,
        "townships_total": len(figures["organizations"]["by_township"]),
        "centres": centres[:SHOWN_ROWS],
        "centres_total": len(centres),
        "limit": SHOWN_ROWS,
    }


def overview_context(
    *,
    user,
    township: Township | None,
    year: int,
    county: County | None = None,
    county_choices: list[County] | None = None,
) -> dict:
    """What the overview page (and the official's home page) shows: the user's whole scope, one
    township, or for the staff of several counties one of them (`county_choices` to pick from).
    """
    county = township.county if township else county
    filters = selectors.OverviewFilters(
        township_id=township.pk if township else None,
        year=year,
        county_id=county.pk if county else None,
    )
    figures = selectors.overview(user=user, filters=filters)
    return {
        "figures": figures,
        "shown": shown_rows(figures),
        "charts": charts_for(figures),
        "township": township,
        "county": county,
        "county_choices": county_choices or [],
        "year": year,
        "years": selectors.years_offered(),
        "townships": selectors.townships_offered(user=user, county_id=filters.county_id),
        "county_wide": scope_for(user).county_wide,
        "xlsx_url": selectors.link(
            "dashboards:overview_xlsx",
            county=filters.county_id if not township else None,
            township=filters.township_id,
            year=year,
        ),
    }


def _counties(request) -> tuple[County | None, list[County]]:
    """The county the overview is narrowed to and the counties to pick from
    (`areas.selectors.county_narrowing`)."""
    return county_narrowing(request.user, request.GET.get("county"))


@require_GET
def overview(request):
    """The county overview; township staff get their township's view here."""
    _authorise(request)
    scope = scope_for(request.user)
    year = selectors.parse_year(request.GET.get("year"))
    if not scope.county_wide:
        township = get_object_or_404(
            Township.objects.visible_to(request.user), pk=scope.township_id
        )
        context = overview_context(user=request.user, township=township, year=year)
        return render(request, "dashboards/overview.html", context)
    county, county_choices = _counties(request)
    township_id = request.GET.get("township", "")
    township = (
        Township.objects.visible_to(request.user).filter(pk=int(township_id)).first()
        if township_id.isdigit()
        else None
    )
    # A township of another county than the one just chosen is left behind (the county
    # picker changed, the township picker still held the old county's township).
    if township is not None and (county is None or township.county_id == county.pk):
        url = reverse("dashboards:township_overview", kwargs={"pk": township.pk})
        return redirect(f"{url}?year={year}")
    if township_id.isdigit() and township is None:
        raise Http404
    context = overview_context(
        user=request.user, township=None, year=year, county=county, county_choices=county_choices
    )
    return render(request, "dashboards/overview.html", context)


@require_GET
def township_overview(request, pk: int):
    """The same figures limited to one township the user may see."""
    _authorise(request)
    township = get_object_or_404(
        Township.objects.visible_to(request.user).select_related("county"), pk=pk
    )
    year = selectors.parse_year(request.GET.get("year"))
    _county, county_choices = _counties(request)
    context = overview_context(
        user=request.user, township=township, year=year, county_choices=county_choices
    )
    return render(request, "dashboards/overview.html", context)


@require_GET
def overview_xlsx(request):
    """Download the figures on screen (same township and year) as an Excel workbook."""
    _authorise(request)
    scope = scope_for(request.user)
    year = selectors.parse_year(request.GET.get("year"))
    township = None
    county, choices = _counties(request)
    township_id = request.GET.get("township", "")
    if not scope.county_wide:
        township_id = str(scope.township_id)
    if township_id.isdigit():
        township = get_object_or_404(Township.objects.visible_to(request.user), pk=int(township_id))
        county = None
    filters = selectors.OverviewFilters(
        township_id=township.pk if township else None,
        year=year,
        county_id=county.pk if county else None,
    )
    figures = selectors.overview(user=request.user, filters=filters)
    # The whole scope: 全县 for one county's staff, 全部县（市、区） for several counties'.
    whole = _("All counties") if choices else _("Whole county")
    label = township.name if township else county.name if county else whole
    content = excel.workbook_bytes(
        excel.overview_tables(figures),
        title=_("Overview of social organisations"),
        subtitle=f"{label} {year}",
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    area = township.code if township else county.code if county else "county"
    filename = f"overview-{area}-{year}-{stamp}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def home(request):
    """The start page: the work waiting for the user's role (officials: the overview)."""
    context = home_context(user=request.user)
    if context["home_page"] == "overview":
        _county, county_choices = _counties(request)
        context.update(
            overview_context(
                user=request.user,
                township=None,
                year=selectors.parse_year(""),
                county_choices=county_choices,
            )
        )
    return render(request, "dashboards/home.html", context)
