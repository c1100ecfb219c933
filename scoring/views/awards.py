"""Annual awards: proposals from the year's quarters, confirmed or rejected by the county admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.quarters import quarter_name
from scoring import permissions, selectors
from scoring.forms import AwardDecisionForm
from scoring.models import Award, Scheme, ScoringQuarter
from scoring.services.awards import decide_award, propose_awards
from scoring.views._common import county_and_choices, county_param, error_text, year_param


def _export_url(year: int, county) -> str:
    query = urlencode({"ledger": "awards", "year": year, "county": county.pk})
    return f"{reverse('exports:export_create')}?{query}"


def _awards_url(year: int, county) -> str:
    """The awards page of the year and county (a County or its id)."""
    return f"{reverse('scoring:awards')}?year={year}&county={getattr(county, 'pk', county)}"


def awards(request):
    if not permissions.may_read_overview(request.user):
        raise PermissionDenied
    year = year_param(request.GET)
    county, choices = county_and_choices(request)
    quarters = {
        row.quarter: row
        for row in ScoringQuarter.objects.filter(county=county, year=year).order_by("quarter")
    }
    schemes = Scheme.objects.filter(county=county)
    scheme = schemes.filter(year=year).first()
    years = sorted(set(schemes.values_list("year", flat=True)) | {year}, reverse=True)
    return render(
        request,
        "scoring/awards.html",
        {
            "county": county,
            "county_choices": choices,
            "year": year,
            "years": years,
            "awards": selectors.award_list(user=request.user, year=year, county=county),
            "quarters": [(quarter_name(q), quarters.get(q)) for q in (1, 2, 3, 4)],
            "export_url": _export_url(year, county),
            "finalized_count": sum(1 for row in quarters.values() if row.is_finalized),
            "per_category": scheme.awards_per_category if scheme else 1,
            "can_decide": permissions.is_county_admin(request.user),
            "decision_form": AwardDecisionForm(),
        },
    )


@require_POST
def awards_propose(request):
    if not permissions.is_county_admin(request.user):
        raise PermissionDenied
    year = year_param(request.POST)
    county = county_param(request, request.POST)
    proposed = propose_awards(year, request.user, county=county)
    messages.success(
        request,
        _("%(count)s organisations proposed for %(year)s; decided awards were kept.")
        % {"count": len(proposed), "year": year},
    )
    return redirect(_awards_url(year, county))


@require_POST
def award_decide(request, pk: int):
    award = get_object_or_404(Award.objects.visible_to(request.user), pk=pk)
    if not permissions.is_county_admin(request.user):
        raise PermissionDenied
    form = AwardDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to confirm or reject the award."))
        return redirect(_awards_url(award.year, award.organization.community.township.county_id))
    try:
        decide_award(award, request.user, form.cleaned_data["status"], form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Decision saved."))
    return redirect(_awards_url(award.year, award.organization.community.township.county_id))
