"""The ranking workbook's columns and rows: what a leader reads, and the details."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.ledgers import (
    CHUNK_SIZE,
    yes_no,
)
from core.quarters import quarter_of
from core.xlsx import DECIMAL, INTEGER, Column
from scoring.explain import explain_text, not_ranked_reason
from scoring.filters import RankingFilter
from scoring.models import Indicator, QuarterScore, ScoringQuarter
from scoring.selectors import (
    rank_change,
)

TWO = Decimal("0.01")
TOP = 10
# The ranking page's filters the workbook honours (besides quarter and scope).
FILTER_PARAMS = ("q", "category", "township")

# What a ranking sheet reads from each row, in this order.
RANKING_FIELDS = (
    "rank",
    "previous_rank",
    "organization__name",
    "category__name",
    "township__name",
    "activity_points",
    "service_points",
    "satisfaction_points",
    "governance_points",
    "bonus_points",
    "deduction_points",
    "total",
    "ranked",
    "not_ranked_reason",
)
# The figures of the detail sheet, after the organisation's name, category, township and rank.
FIGURE_FIELDS = (
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
BOOLEAN_FIGURES = frozenset(
    {"branch_compliant", "in_alliance", "abnormal_listed", "failed_inspection"}
)
POINT_FIELDS = (
    "activity_points",
    "service_points",
    "satisfaction_points",
    "governance_points",
    "bonus_points",
    "deduction_points",
    "total",
)
DETAIL_FIELDS = (
    "organization__name",
    "category__name",
    "township__name",
    "rank_county",
    "total",
    *FIGURE_FIELDS,
    # Read to render the explanation, not shown as columns.
    "feedback_sum",
    "ranked",
    "not_ranked_reason",
    *POINT_FIELDS[:-1],
)


def ranking_columns() -> list[Column]:
    """The 13 columns of a ranking sheet: one landscape page wide."""
    return [
        Column(_("Rank"), 6, INTEGER),
        Column(pgettext("rank change", "Change"), 7),
        Column(_("Organisation"), 30, wrap=True),
        Column(_("Category"), 11),
        Column(_("Township"), 11),
        Column(str(Indicator.ACTIVITY.label), 9, DECIMAL),
        Column(str(Indicator.SERVICE.label), 9, DECIMAL),
        Column(str(Indicator.SATISFACTION.label), 9, DECIMAL),
        Column(str(Indicator.GOVERNANCE.label), 9, DECIMAL),
        Column(_("Bonus"), 7, DECIMAL),
        Column(_("Deductions"), 7, DECIMAL),
        Column(pgettext("score", "Total"), 8, DECIMAL),
        Column(pgettext("workbook", "Note"), 22, wrap=True),
    ]


def detail_columns() -> list[Column]:
    return [
        Column(_("Organisation"), 24, wrap=True),
        Column(_("Category"), 10),
        Column(_("Township"), 10),
        Column(_("County rank"), 6, INTEGER),
        Column(pgettext("score", "Total"), 8, DECIMAL),
        Column(_("Verified activities led"), 7, INTEGER),
        Column(_("Beneficiaries"), 7, INTEGER),
        Column(_("Volunteer hours"), 7, DECIMAL),
        Column(_("Help cases"), 7, INTEGER),
        Column(_("Ratings"), 7, INTEGER),
        Column(_("Bayesian mean rating"), 7, DECIMAL),
        Column(_("Verified resolved mediations"), 7, INTEGER),
        Column(_("Members with a grid role"), 7, INTEGER),
        Column(_("Community assessment"), 7, INTEGER),
        Column(_("Branch fully compliant"), 7),
        Column(_("Commendations"), 7, INTEGER),
        Column(_("In a Party-building alliance"), 7),
        Column(_("On the abnormal-activity list"), 7),
        Column(_("Failed the annual inspection"), 7),
        Column(_("No-show bookings"), 7, INTEGER),
        Column(_("How the points came about"), 60, wrap=True),
    ]


def default_quarter() -> tuple[int, int]:
    """The latest computed quarter, else the current one."""
    latest = (
        ScoringQuarter.objects.computed()
        .order_by("-year", "-quarter")
        .values_list("year", "quarter")
        .first()
    )
    return latest or quarter_of(timezone.localdate())


def change_text(rank: int | None, previous: int | None) -> str:
    """↑3, ↓2, 新 or — for a ranked row; empty for a row not ranked."""
    change = rank_change(rank, previous)
    if change.kind == "up":
        return f"↑{change.places}"
    if change.kind == "down":
        return f"↓{change.places}"
    if change.kind == "new":
        return pgettext("rank change", "New")
    if change.kind == "same":
        return "—"
    return ""


def _reason(code: str) -> str:
    return str(not_ranked_reason(QuarterScore(ranked=False, not_ranked_reason=code)))


def _ranking_rows(queryset):
    for values in queryset.values_list(*RANKING_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        row = dict(zip(RANKING_FIELDS, values, strict=True))
        ranked = row["ranked"]
        note = (
            ""
            if ranked
            else _("Not ranked: %(reason)s") % {"reason": _reason(row["not_ranked_reason"])}
        )
        yield (
            row["rank"] if ranked else None,
            change_text(row["rank"], row["previous_rank"]) if ranked else "",
            row["organization__name"],
            row["category__name"],
            row["township__name"],
            *(row[name] for name in POINT_FIELDS),
            note,
        )


def _detail_rows(queryset, rules: dict):
    for values in queryset.values_list(*DETAIL_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        row = dict(zip(DETAIL_FIELDS, values, strict=True))
        # The explanation is rendered from the figures and the quarter's rules snapshot.
        score = QuarterScore(**{name: value for name, value in row.items() if "__" not in name})
        yield (
            row["organization__name"],
            row["category__name"],
            row["township__name"],
            row["rank_county"],
            row["total"],
            *(
                yes_no(row[name]) if name in BOOLEAN_FIGURES else row[name]
                for name in FIGURE_FIELDS
            ),
            explain_text(score, rules),
        )


def _filtered(queryset, data: dict):
    """Narrow `queryset` as the ranking page's filter does; a Chinese error when malformed."""
    filterset = RankingFilter(data, queryset=queryset)
    if not filterset.form.is_valid():
        raise ValidationError(filterset.form.errors)
    return filterset.qs, filterset


def _two(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(TWO)
