"""An organisation's score: every figure explained, its ranks, and its trend over quarters."""

from django.shortcuts import get_object_or_404, render

from core.quarters import format_quarter, parse_quarter, quarter_label, shift_quarter
from orgs.models import Organization
from scoring import selectors
from scoring.explain import explain
from scoring.models import QuarterScore

# Indicators drawn on the trend chart besides the total: (score field, label key).
TREND_SERIES = (
    "activity_points",
    "service_points",
    "satisfaction_points",
    "governance_points",
)


def _place_change(score, previous, field: str, same: str):
    """Rank change within the category or township, when the organisation stayed in it."""
    if previous is None or getattr(previous, same) != getattr(score, same):
        return selectors.rank_change(getattr(score, field), None)
    return selectors.rank_change(getattr(score, field), getattr(previous, field))


def _chart_data(trend) -> dict:
    return {
        "labels": [row.quarter_label for row in trend],
        "total": [float(row.total) for row in trend],
        "series": {field: [float(getattr(row, field)) for row in trend] for field in TREND_SERIES},
        "ranks": [row.rank_county for row in trend],
        "names": {
            "total": str(QuarterScore._meta.get_field("total").verbose_name),
            **{
                field: str(QuarterScore._meta.get_field(field).verbose_name)
                for field in TREND_SERIES
            },
        },
    }


def organization_score(request, pk: int):
    organization = get_object_or_404(
        Organization.objects.visible_to(request.user).select_related(
            "community", "community__township", "category"
        ),
        pk=pk,
    )
    trend = selectors.organization_scores(user=request.user, organization=organization)
    by_quarter = {(row.year, row.quarter): row for row in trend}
    quarter = parse_quarter(request.GET.get("quarter"))
    if quarter is None:
        quarter = (trend[-1].year, trend[-1].quarter) if trend else selectors.current_quarter()
    score = by_quarter.get(quarter)
    if score is None and trend and quarter < (trend[0].year, trend[0].quarter):
        score = selectors.organization_score(
            user=request.user, organization=organization, quarter=quarter
        )
    previous_quarter = shift_quarter(quarter, -1)
    previous = by_quarter.get(previous_quarter)
    scoring_quarter = selectors.scoring_quarter(quarter, organization.community.township.county_id)
    context = {
        "organization": organization,
        "quarter": quarter,
        "quarter_code": format_quarter(quarter),
        "quarter_label": quarter_label(quarter),
        "quarter_choices": [
            (format_quarter((row.year, row.quarter)), quarter_label((row.year, row.quarter)))
            for row in reversed(trend)
        ],
        "score": score,
        "scoring_quarter": scoring_quarter,
        "trend": trend,
        "chart": _chart_data(trend),
    }
    if score is not None:
        context.update(
            {
                "indicators": explain(score, scoring_quarter.rules if scoring_quarter else {}),
                "sizes": selectors.category_and_township_sizes(score=score),
                "county_change": selectors.rank_change(
                    score.rank_county, score.previous_rank_county
                ),
                "category_change": _place_change(score, previous, "rank_category", "category_id"),
                "township_change": _place_change(score, previous, "rank_township", "township_id"),
                "reason_label": selectors.not_ranked_label(score),
            }
        )
    return render(request, "scoring/organization_score.html", context)
