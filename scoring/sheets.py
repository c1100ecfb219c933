"""Excel ledgers of the quarterly ranking and the annual awards (exports app, issue 8).

The ranking has one sheet per scope: the county, each category and each township, each in
its own rank order, with the points per indicator and the figures they were computed from.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from exports.registry import (
    CHUNK_SIZE,
    Ledger,
    labels,
    parse_quarter_param,
    parse_year,
    yes_no,
)
from exports.xlsx import DATETIME, DECIMAL, INTEGER, Column, Sheet
from party_branches.rules import quarter_label, quarter_of
from scoring.explain import explain_text, not_ranked_reason
from scoring.models import Award, QuarterScore, ScoringQuarter

SCORE_FIELDS = (
    "organization__name",
    "category__name",
    "township__name",
    "total",
    "activity_points",
    "service_points",
    "satisfaction_points",
    "governance_points",
    "bonus_points",
    "deduction_points",
    "rank_county",
    "rank_category",
    "rank_township",
    "previous_rank_county",
    "ranked",
    "not_ranked_reason",
    "activities",
    "beneficiaries",
    "volunteer_hours",
    "help_cases",
    "feedback_count",
    "satisfaction_mean",
    "mediations",
    "grid_members",
    "community_assessment",
    "branch_compliant",
    "commendations",
    "in_alliance",
    "abnormal_listed",
    "failed_inspection",
    "no_shows",
)
# Index in SCORE_FIELDS of the rank each scope orders by.
RANK_INDEX = {"county": 10, "category": 11, "township": 12}
BOOLEAN_INDEXES = (25, 27, 28, 29)


def score_columns() -> list[Column]:
    return [
        Column(_("Rank"), 6, INTEGER),
        Column(_("Organisation"), 28),
        Column(_("Category"), 12),
        Column(_("Township"), 12),
        Column(_("Total"), 8, DECIMAL),
        Column(_("Activity frequency"), 8, DECIMAL),
        Column(_("Service effectiveness"), 8, DECIMAL),
        Column(_("Public satisfaction"), 8, DECIMAL),
        Column(_("Contribution to governance"), 8, DECIMAL),
        Column(_("Bonus"), 8, DECIMAL),
        Column(_("Deductions"), 8, DECIMAL),
        Column(_("County rank"), 8, INTEGER),
        Column(_("County rank last quarter"), 8, INTEGER),
        Column(_("Places gained"), 8, INTEGER),
        Column(_("Ranked"), 6),
        Column(_("Why not ranked"), 12),
        Column(_("Verified activities led"), 8, INTEGER),
        Column(_("Beneficiaries"), 8, INTEGER),
        Column(_("Volunteer hours"), 8, DECIMAL),
        Column(_("Help cases"), 8, INTEGER),
        Column(_("Ratings"), 8, INTEGER),
        Column(_("Bayesian mean rating"), 8, DECIMAL),
        Column(_("Verified resolved mediations"), 8, INTEGER),
        Column(_("Members with a grid role"), 8, INTEGER),
        Column(_("Community assessment"), 8, INTEGER),
        Column(_("Branch fully compliant"), 8),
        Column(_("Commendations"), 8, INTEGER),
        Column(_("In a Party-building alliance"), 8),
        Column(_("On the abnormal-activity list"), 8),
        Column(_("Failed the annual inspection"), 8),
        Column(_("No-show bookings"), 8, INTEGER),
        Column(_("How the points came about"), 70),
    ]


def default_quarter() -> tuple[int, int]:
    """The latest computed quarter, else the current one."""
    latest = (
        ScoringQuarter.objects.filter(computed_at__isnull=False)
        .order_by("-year", "-quarter")
        .values_list("year", "quarter")
        .first()
    )
    return latest or quarter_of(timezone.localdate())


# Read besides SCORE_FIELDS to explain each score.
EXPLAIN_FIELDS = ("feedback_sum",)


def _score_rows(queryset, rank_index: int, rules: dict):
    fields = (*SCORE_FIELDS, *EXPLAIN_FIELDS)
    for values in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
        # The explanation is rendered from the figures and the quarter's rules snapshot.
        score = QuarterScore(
            **{name: value for name, value in zip(fields, values, strict=True) if "__" not in name}
        )
        explanation = explain_text(score, rules)
        row = list(values[: len(SCORE_FIELDS)])
        row[15] = not_ranked_reason(score) if row[15] else ""
        change = None
        if row[10] is not None and row[13] is not None:
            change = row[13] - row[10]
        for index in BOOLEAN_INDEXES:
            row[index] = yes_no(row[index])
        ranked = yes_no(row[14])
        yield (
            row[rank_index],
            *row[0:10],
            row[10],
            row[13],
            change,
            ranked,
            *row[15:],
            explanation,
        )


def ranking_ledger(*, user, params, reveal: bool) -> Ledger:
    """The quarter's ranking: the county, then each category, then each township."""
    quarter = parse_quarter_param(params.get("quarter")) or default_quarter()
    year, q = quarter
    scores = QuarterScore.objects.visible_to(user).of_quarter(year, q)
    state = ScoringQuarter.objects.filter(year=year, quarter=q).first()
    rules = state.rules if state is not None else {}
    columns = score_columns()

    def ordered(queryset, rank_field: str):
        return queryset.order_by(
            F(rank_field).asc(nulls_last=True), "-total", "organization__name", "pk"
        )

    sheets = [
        Sheet(
            _("County"),
            columns,
            _score_rows(ordered(scores, "rank_county"), RANK_INDEX["county"], rules),
            expected_rows=scores.count,
        )
    ]
    categories = (
        scores.exclude(category__isnull=True)
        .order_by("category__sort_order", "category__name")
        .values_list("category_id", "category__name")
        .distinct()
    )
    for category_id, name in categories:
        subset = scores.filter(category_id=category_id)
        sheets.append(
            Sheet(
                name,
                columns,
                _score_rows(ordered(subset, "rank_category"), RANK_INDEX["category"], rules),
                expected_rows=subset.count,
            )
        )
    townships = (
        scores.order_by("township__code", "township__name")
        .values_list("township_id", "township__name")
        .distinct()
    )
    for township_id, name in townships:
        subset = scores.filter(township_id=township_id)
        sheets.append(
            Sheet(
                name,
                columns,
                _score_rows(ordered(subset, "rank_township"), RANK_INDEX["township"], rules),
                expected_rows=subset.count,
            )
        )
    label = quarter_label(quarter)
    summary = _("Quarter: %(quarter)s") % {"quarter": label}
    for sheet in sheets:
        sheet.subtitle = summary
    title = _("Ranking of social organisations %(quarter)s") % {"quarter": label}
    return Ledger(title=title, file_stem=title, filters_summary=summary, sheets=sheets)


def awards_ledger(*, user, params, reveal: bool) -> Ledger:
    """The year's annual awards (proposed, confirmed and not confirmed), by category."""
    year = parse_year(params.get("year"), default=timezone.localdate().year)
    awards = (
        Award.objects.visible_to(user)
        .filter(year=year)
        .order_by("category__sort_order", "category__name", "rank_in_category", "pk")
    )
    statuses = labels(Award.Status.choices)
    fields = (
        "year",
        "category__name",
        "rank_in_category",
        "organization__name",
        "organization__community__township__name",
        "title",
        "annual_total",
        "quarters_counted",
        "status",
        "decided_by__name",
        "decided_at",
        "note",
    )
    columns = [
        Column(_("Year"), 6, INTEGER),
        Column(_("Category"), 12),
        Column(_("Rank in category"), 8, INTEGER),
        Column(_("Organisation"), 28),
        Column(_("Township"), 12),
        Column(_("Title"), 20),
        Column(_("Sum of four quarters"), 10, DECIMAL),
        Column(_("Quarters counted"), 8, INTEGER),
        Column(_("Status"), 10),
        Column(_("Decided by"), 10),
        Column(_("Decided at"), 18, DATETIME),
        Column(_("Note"), 24),
    ]

    def rows():
        for row in awards.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
            row = list(row)
            row[8] = statuses.get(row[8], row[8])
            yield row

    summary = _("Year: %(year)s") % {"year": year}
    title = _("Annual awards of social organisations %(year)s") % {"year": year}
    return Ledger(
        title=title,
        file_stem=title,
        filters_summary=summary,
        sheets=[Sheet(_("Awards"), columns, rows(), expected_rows=awards.count, subtitle=summary)],
    )
