"""The quarter's ranking: the top 10 and the biggest movers."""

from __future__ import annotations

from django.db.models import (
    F,
)
from django.urls import reverse

from areas.models import Township
from areas.selectors import counties_and_choice
from core import quarters
from dashboards.selectors.common import (
    MOVERS_COUNT,
    TOP_COUNT,
    OverviewFilters,
)
from scoring.models import QuarterScore


def _score_row(score: QuarterScore) -> dict:
    return {
        "name": score.organization.name,
        "township": score.township.name,
        "total": float(score.total),
        "rank": score.rank_county,
        "rank_township": score.rank_township,
        "previous_rank": score.previous_rank_county,
        "change": score.rank_change,
        "url": reverse("orgs:organization_detail", kwargs={"pk": score.organization_id}),
    }


def ranking_figures(*, user, filters: OverviewFilters) -> dict:
    """The quarter's top ten and biggest movers (by county rank), within the township if chosen.

    Ranks are one county's: the chosen township's county, the chosen county, or the user's
    only one. The staff of several counties who chose none are asked to choose one
    (`choose_county`): two counties' ranks are never mixed (the city comparison page compares
    the counties themselves).
    """
    year, quarter = filters.quarter
    label = quarters.quarter_label((year, quarter))
    county = filters.county_id
    if filters.township_id:
        county = (
            Township.objects.filter(pk=filters.township_id).values_list("county", flat=True).first()
        )
    if county is None:
        _chosen, counties = counties_and_choice(user)
        if len(counties) != 1:
            return {"quarter": label, "top": [], "risers": [], "fallers": [], "choose_county": True}
        county = counties[0].pk
    scores = (
        QuarterScore.objects.visible_to(user)
        .filter(county=county)
        .of_quarter(year, quarter)
        .ranked()
        .filter(rank_county__isnull=False)
        .select_related("organization", "township")
    )
    if filters.township_id:
        scores = scores.filter(township_id=filters.township_id)
    comparable = scores.filter(previous_rank_county__isnull=False)
    gain = F("previous_rank_county") - F("rank_county")
    risers = comparable.annotate(gain=gain).filter(gain__gt=0).order_by("-gain", "rank_county")
    fallers = comparable.annotate(gain=gain).filter(gain__lt=0).order_by("gain", "rank_county")
    return {
        "quarter": label,
        "choose_county": False,
        "top": [_score_row(score) for score in scores.order_by("rank_county", "pk")[:TOP_COUNT]],
        "risers": [_score_row(score) for score in risers[:MOVERS_COUNT]],
        "fallers": [_score_row(score) for score in fallers[:MOVERS_COUNT]],
    }
