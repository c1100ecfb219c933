"""Page-shaped reads of the scoring app: rankings, an organisation's scores, runs, awards.

Rankings are published to every role of the county (`QuarterScore.objects.visible_to`); an
organisation's own score page still follows the organisation's scope. Each county has its
own programme: the reads of a ranking, a quarter's state and its runs name the county (a
city's staff choose among theirs, `areas.selectors.county_for_user`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.quarters import Quarter, quarter_of, shift_quarter
from orgs.models import Organization
from scoring.explain import not_ranked_reason
from scoring.models import QuarterAssessment, QuarterScore, RankingRun, ScoringQuarter

# The ranking tabs: which rank column each one shows and orders by.
SCOPE_COUNTY = "county"
SCOPE_CATEGORY = "category"
SCOPE_TOWNSHIP = "township"
SCOPES = (SCOPE_COUNTY, SCOPE_CATEGORY, SCOPE_TOWNSHIP)
RANK_FIELDS = {
    SCOPE_COUNTY: "rank_county",
    SCOPE_CATEGORY: "rank_category",
    SCOPE_TOWNSHIP: "rank_township",
}

# How many quarters the trend of an organisation shows.
TREND_QUARTERS = 12


def not_ranked_label(score) -> str:
    return str(not_ranked_reason(score) or _("Not ranked"))


def current_quarter() -> Quarter:
    return quarter_of(timezone.localdate())


def quarter_has_ended(quarter: Quarter) -> bool:
    """Only an ended quarter can be finalised."""
    return quarter < current_quarter()


def quarter_choices(*, around: Quarter | None = None, county=None) -> list[Quarter]:
    """Quarters a picker offers: every computed quarter (of the county when given) plus the
    current one, newest first."""
    states = ScoringQuarter.objects.all()
    if county is not None:
        states = states.filter(county=county)
    known = set(states.values_list("year", "quarter"))
    known.add(current_quarter())
    if around is not None:
        known.add(around)
    return sorted(known, reverse=True)


def scoring_quarter(quarter: Quarter, county) -> ScoringQuarter | None:
    """The state row of the county's quarter (None until it was first computed)."""
    year, q = quarter
    return ScoringQuarter.objects.filter(county=county, year=year, quarter=q).first()


def latest_run(quarter: Quarter, county) -> RankingRun | None:
    year, q = quarter
    return (
        RankingRun.objects.filter(county=county, year=year, quarter=q)
        .select_related("requested_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def _previous_rank(scope: str, quarter: Quarter):
    """Last quarter's rank of the same organisation in the same category or township."""
    year, q = shift_quarter(quarter, -1)
    previous = QuarterScore.objects.filter(
        year=year, quarter=q, organization=OuterRef("organization"), ranked=True
    )
    if scope == SCOPE_CATEGORY:
        previous = previous.filter(category=OuterRef("category"))
    elif scope == SCOPE_TOWNSHIP:
        previous = previous.filter(township=OuterRef("township"))
    return Subquery(previous.values(RANK_FIELDS[scope])[:1], output_field=IntegerField())


def ranking_queryset(*, user, quarter: Quarter, county, scope: str = SCOPE_COUNTY):
    """Every score of the county's quarter the user may see, with what a ranking row shows
    (one county's ranking: a city's counties are never mixed).

    `rank` is the rank of the chosen tab and `previous_rank` the same rank last quarter (the
    county one is stored on the row; the category and township ones come from a subquery).
    """
    year, q = quarter
    rank_field = RANK_FIELDS[scope]
    rows = (
        QuarterScore.objects.visible_to(user)
        .filter(county=county)
        .of_quarter(year, q)
        .select_related("organization", "category", "township")
        .annotate(rank=F(rank_field))
    )
    if scope == SCOPE_COUNTY:
        rows = rows.annotate(previous_rank=F("previous_rank_county"))
    else:
        rows = rows.annotate(previous_rank=_previous_rank(scope, quarter))
    return rows.order_by(F(rank_field).asc(nulls_last=True), "-total", "organization__name")


def visible_organization_ids(*, user, organization_ids) -> set[int]:
    """Which of these organisations the user may open (one query for a page of rows)."""
    return set(
        Organization.objects.visible_to(user)
        .filter(pk__in=list(organization_ids))
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class RankChange:
    kind: str  # "up", "down", "same", "new", "" (not ranked)
    places: int = 0


def rank_change(rank: int | None, previous: int | None) -> RankChange:
    """The arrow of a row: ▲ places gained, ▼ places lost, – unchanged, new when unranked before."""
    if rank is None:
        return RankChange("")
    if previous is None:
        return RankChange("new")
    if previous > rank:
        return RankChange("up", previous - rank)
    if previous < rank:
        return RankChange("down", rank - previous)
    return RankChange("same")


def _organization_score_rows(*, user, organization):
    return (
        QuarterScore.objects.visible_to(user)
        .filter(organization=organization)
        .select_related("category", "township")
    )


def organization_scores(*, user, organization, limit: int = TREND_QUARTERS):
    """The organisation's latest scores, oldest first (its trend)."""
    rows = list(
        _organization_score_rows(user=user, organization=organization).order_by(
            "-year", "-quarter"
        )[:limit]
    )
    rows.reverse()
    return rows


def organization_score(*, user, organization, quarter: Quarter):
    """The organisation's score of one quarter (None when it was not scored)."""
    return (
        _organization_score_rows(user=user, organization=organization)
        .filter(year=quarter[0], quarter=quarter[1])
        .first()
    )


def category_and_township_sizes(*, score) -> dict:
    """How many organisations were ranked county-wide, in the category and in the township."""
    return (
        QuarterScore.objects.of_quarter(score.year, score.quarter)
        .filter(county=score.county_id)
        .ranked()
        .aggregate(
            county=Count("pk"),
            category=Count("pk", filter=Q(category=score.category_id)),
            township=Count("pk", filter=Q(township=score.township_id)),
        )
    )


def assessable_organizations(*, user):
    """Organisations the user enters quarter assessments for (their area, still existing)."""
    from scoring.permissions import may_assess

    if not may_assess(user):
        return Organization.objects.none()
    return (
        Organization.objects.visible_to(user)
        .active()
        .select_related("community", "community__township", "category")
        .order_by("community__township__code", "community__code", "name", "pk")
    )


def assessments_by_organization(*, quarter: Quarter, organization_ids) -> dict:
    year, q = quarter
    return {
        assessment.organization_id: assessment
        for assessment in QuarterAssessment.objects.filter(
            year=year, quarter=q, organization_id__in=list(organization_ids)
        )
    }


def annual_totals(*, year: int, county):
    """Per organisation of the county: the sum of its ranked quarter totals in the year and how
    many quarters."""
    return (
        QuarterScore.objects.filter(county=county, year=year, ranked=True)
        .values("organization")
        .annotate(annual_total=Sum("total"), quarters=Count("pk"))
        .order_by()
    )


def award_list(*, user, year: int, county):
    from scoring.models import Award

    return (
        Award.objects.visible_to(user)
        .in_county(county)
        .filter(year=year)
        .select_related("organization", "organization__community", "category", "decided_by")
        .order_by("category__sort_order", "category__name", "rank_in_category", "pk")
    )


def score_tab_context(*, user, organization) -> dict:
    """What the organisation page's points section shows: its latest quarter score."""
    latest = (
        QuarterScore.objects.visible_to(user)
        .filter(organization=organization)
        .order_by("-year", "-quarter")
        .first()
    )
    return {"scoring_latest_score": latest, "scoring_organization": organization}


@dataclass(frozen=True)
class CountyFigures:
    """One county's row of the city comparison (each county ranked on its own)."""

    county: object
    scored: int
    ranked: int
    average: Decimal | None
    active_share: Decimal | None  # organisations scored that led a verified activity
    activities: int
    residents: int
    activities_per_10k: Decimal | None
    finalized: bool


def county_comparison(*, user, quarter: Quarter) -> list[CountyFigures]:
    """The quarter's figures of every county the user sees, side by side: organisations
    scored and ranked, their average total, the share that led a verified activity, and
    verified activities per 10,000 residents of the ledger. Rankings are never merged: each
    county's ranks stay its own. Three queries whatever the number of counties."""
    from areas.models import County
    from orgs.models import Person

    year, q = quarter
    counties = list(County.objects.visible_to(user).select_related("city").order_by("code"))
    ids = [county.pk for county in counties]
    scores = {
        row["county"]: row
        for row in QuarterScore.objects.filter(county__in=ids, year=year, quarter=q)
        .values("county")
        .annotate(
            n_scored=Count("pk"),
            n_ranked=Count("pk", filter=Q(ranked=True)),
            mean_total=Avg("total", filter=Q(ranked=True)),
            n_active=Count("pk", filter=Q(activities__gt=0)),
            activity_total=Sum("activities"),
        )
        .order_by()
    }
    residents = dict(
        Person.objects.current()
        .filter(community__township__county__in=ids)
        .values_list("community__township__county")
        .annotate(n=Count("pk"))
        .order_by()
    )
    finalized = set(
        ScoringQuarter.objects.filter(
            county__in=ids, year=year, quarter=q, state=ScoringQuarter.State.FINALIZED
        ).values_list("county", flat=True)
    )
    rows = []
    for county in counties:
        row = scores.get(county.pk, {})
        scored, activities = row.get("n_scored", 0), row.get("activity_total") or 0
        people = residents.get(county.pk, 0)
        average = row.get("mean_total")
        rows.append(
            CountyFigures(
                county=county,
                scored=scored,
                ranked=row.get("n_ranked", 0),
                average=None if average is None else Decimal(average).quantize(Decimal("0.01")),
                active_share=_share(row.get("n_active", 0), scored),
                activities=activities,
                residents=people,
                activities_per_10k=(
                    (Decimal(activities) * 10_000 / people).quantize(Decimal("0.1"))
                    if people
                    else None
                ),
                finalized=county.pk in finalized,
            )
        )
    return rows


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None
