"""The ranking and awards workbooks a county official hands to a county leader (issue 14).

The ranking workbook opens on a summary (汇总: the counts, the top ten of the county and of
each category, a line per township), then the ranking sheets (the county, each category and
each township the user can see, the exported tab first) with the columns a leader reads, and
a detail sheet (明细) with the figures and the explanation of every score. Every sheet prints
landscape, one page wide, with the county's name and the title in the page header.

The ranking page's query string narrows it: quarter, scope, category, township and q (name).
The summary is computed with a bounded number of aggregate queries; the ranking and detail
sheets stream from `.iterator()`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, Q, Window
from django.db.models.functions import Rank
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from areas.models import Township
from core.ledgers import (
    CHUNK_SIZE,
    Ledger,
    filterset_summary,
    labels,
    parse_quarter_param,
    parse_year,
    yes_no,
)
from core.quarters import quarter_label, quarter_of
from core.xlsx import DATETIME, DECIMAL, INTEGER, Block, Column, Sheet
from orgs.models import Category
from scoring.explain import explain_text, not_ranked_reason
from scoring.filters import RankingFilter
from scoring.models import Award, Indicator, QuarterScore, ScoringQuarter
from scoring.selectors import (
    SCOPE_CATEGORY,
    SCOPE_COUNTY,
    SCOPE_TOWNSHIP,
    SCOPES,
    rank_change,
    ranking_queryset,
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


class RankingWorkbook:
    """What the ranking workbook holds for one user, quarter and set of filters."""

    def __init__(self, *, user, params):
        self.user = user
        self.quarter = parse_quarter_param(params.get("quarter")) or default_quarter()
        scope = params.get("scope")
        self.scope = scope if scope in SCOPES else SCOPE_COUNTY
        self.data = {key: params.get(key) for key in FILTER_PARAMS if params.get(key)}
        year, q = self.quarter
        self.state = ScoringQuarter.objects.filter(year=year, quarter=q).first()
        self.rules = self.state.rules if self.state is not None else {}
        self.scores, filterset = _filtered(
            QuarterScore.objects.visible_to(user).of_quarter(year, q), self.data
        )
        self.filters_summary = filterset_summary(filterset)
        # Filters that narrow the rows to a few: then only sheets with rows are written.
        self.narrowed_by_name = bool(self.data.get("q"))
        self.county_name = settings.COUNTY_NAME
        self.label = quarter_label(self.quarter)
        self.title = " · ".join(
            [
                self.county_name + _("Quarterly points ranking of social organisations"),
                self.label,
            ]
        )

    def ranked_queryset(self, scope: str):
        """Every row of one tab, in its rank order, with its rank and last quarter's."""
        queryset, _filterset = _filtered(
            ranking_queryset(user=self.user, quarter=self.quarter, scope=scope), self.data
        )
        return queryset

    @cached_property
    def categories(self) -> list[tuple[int, str]]:
        """The categories with a sheet: all in use, or those with rows when narrowed."""
        categories = Category.objects.all()
        if self.data.get("category"):
            categories = categories.filter(pk=self.data["category"])
        with_rows = Q(pk__in=self.scores.values("category_id"))
        if self.narrowed_by_name or self.data.get("township"):
            categories = categories.filter(with_rows)
        else:
            categories = categories.filter(Q(is_active=True) | with_rows)
        return list(categories.order_by("sort_order", "name").values_list("pk", "name"))

    @cached_property
    def townships(self) -> list[tuple[int, str]]:
        """The user's townships with a sheet, including those where nobody was ranked."""
        townships = Township.objects.visible_to(self.user)
        if self.data.get("township"):
            townships = townships.filter(pk=self.data["township"])
        with_rows = Q(pk__in=self.scores.values("township_id"))
        if self.narrowed_by_name:
            townships = townships.filter(with_rows)
        else:
            townships = townships.filter(Q(is_active=True) | with_rows)
        return list(townships.order_by("code", "name").values_list("pk", "name"))

    def subtitle(self) -> str:
        parts = [_("Quarter: %(quarter)s") % {"quarter": self.label}]
        parts.append(_("Ranking computed at: %(when)s") % {"when": self.computed_at()})
        if self.filters_summary:
            parts.append(self.filters_summary)
        return "；".join(parts)

    def computed_at(self) -> str:
        if self.state is None or self.state.computed_at is None:
            return _("not computed yet")
        return timezone.localtime(self.state.computed_at).strftime("%Y-%m-%d %H:%M")

    def sheet(self, title: str, columns, rows, **kwargs) -> Sheet:
        return Sheet(
            title,
            columns,
            rows,
            subtitle=self.subtitle(),
            header_left=self.county_name,
            **kwargs,
        )

    def ranking_sheets(self) -> list[Sheet]:
        empty = _("No social organisation was ranked this quarter")
        columns = ranking_columns()
        county = self.ranked_queryset(SCOPE_COUNTY)
        groups = {
            SCOPE_COUNTY: [
                self.sheet(
                    _("County"),
                    columns,
                    _ranking_rows(county),
                    expected_rows=county.count,
                    empty_text=empty,
                )
            ]
        }
        by_category = self.ranked_queryset(SCOPE_CATEGORY)
        groups[SCOPE_CATEGORY] = [
            self._scoped_sheet(name, by_category.filter(category_id=pk), empty)
            for pk, name in self.categories
        ]
        by_township = self.ranked_queryset(SCOPE_TOWNSHIP)
        groups[SCOPE_TOWNSHIP] = [
            self._scoped_sheet(name, by_township.filter(township_id=pk), empty)
            for pk, name in self.townships
        ]
        order = [self.scope, *(scope for scope in SCOPES if scope != self.scope)]
        return [sheet for scope in order for sheet in groups[scope]]

    def _scoped_sheet(self, name: str, queryset, empty: str) -> Sheet:
        return self.sheet(
            name,
            ranking_columns(),
            _ranking_rows(queryset),
            expected_rows=queryset.count,
            empty_text=empty,
        )

    def detail_sheet(self) -> Sheet:
        rows = self.scores.select_related(None).order_by(
            F("rank_county").asc(nulls_last=True), "-total", "organization__name", "pk"
        )
        return self.sheet(
            pgettext("workbook", "Details"),
            detail_columns(),
            _detail_rows(rows, self.rules),
            expected_rows=rows.count,
        )

    def summary_sheet(self) -> Sheet:
        # Column A holds the labels and townships, B the names, E the best organisations.
        widths = [26, 28, 12, 12, 28, 10]
        return self.sheet(
            pgettext("workbook", "Summary"),
            [Column("", width) for width in widths],
            None,
            expected_rows=0,
            blocks=self.summary_blocks(),
        )

    def summary_blocks(self):
        """The summary's tables; a generator, so its queries run when the workbook is written."""
        text = Column(_("Item"))
        yield Block(
            _("This workbook"),
            [text, Column(pgettext("workbook", "Content"))],
            [
                (_("Quarter"), self.label),
                (_("Ranking computed at"), self.computed_at()),
                (_("State of the quarter"), self.state_label()),
                *([(_("Filters"), self.filters_summary)] if self.filters_summary else []),
            ],
        )
        yield Block(
            _("Scored and ranked"), [text, Column(_("Number"), kind=INTEGER)], self.count_rows()
        )
        ranked = self.scores.filter(ranked=True).order_by()
        top_columns = [
            Column(_("Rank"), kind=INTEGER),
            Column(_("Organisation")),
            Column(_("Category")),
            Column(_("Township")),
            Column(pgettext("score", "Total"), kind=DECIMAL),
        ]
        county_top = (
            ranked.annotate(position=Window(Rank(), order_by=F("rank_county").asc()))
            .filter(position__lte=TOP)
            .order_by("rank_county", "organization__name", "pk")
            .values_list(
                "rank_county", "organization__name", "category__name", "township__name", "total"
            )
        )
        empty = _("No social organisation was ranked this quarter")
        yield Block(_("Top ten of the county"), top_columns, list(county_top), empty_text=empty)
        categories = self.categories
        by_category: dict[int, list] = {pk: [] for pk, _name in categories}
        category_top = (
            ranked.filter(category_id__in=list(by_category))
            .annotate(
                position=Window(
                    Rank(), partition_by=F("category_id"), order_by=F("rank_category").asc()
                )
            )
            .filter(position__lte=TOP)
            .order_by("category_id", "rank_category", "organization__name", "pk")
            .values_list(
                "category_id",
                "rank_category",
                "organization__name",
                "category__name",
                "township__name",
                "total",
            )
        )
        for category_id, *row in category_top:
            by_category[category_id].append(row)
        for pk, name in categories:
            yield Block(
                _("Top ten: %(name)s") % {"name": name},
                top_columns,
                by_category[pk],
                empty_text=empty,
            )
        yield Block(
            pgettext("workbook", "By township"), self.township_columns(), self.township_rows(ranked)
        )

    def state_label(self) -> str:
        if self.state is None:
            return _("not computed yet")
        return str(self.state.get_state_display())

    def count_rows(self) -> list[tuple[str, int]]:
        counts = (
            self.scores.order_by()
            .values("ranked", "not_ranked_reason")
            .annotate(number=Count("pk"))
            .order_by("not_ranked_reason")
        )
        scored = ranked = 0
        reasons = []
        for row in counts:
            scored += row["number"]
            if row["ranked"]:
                ranked += row["number"]
            else:
                reason = _("Not ranked: %(reason)s") % {"reason": _reason(row["not_ranked_reason"])}
                reasons.append((reason, row["number"]))
        return [
            (_("Organisations scored"), scored),
            (_("Ranked"), ranked),
            (_("Not ranked"), scored - ranked),
            *reasons,
        ]

    def township_columns(self) -> list[Column]:
        return [
            Column(_("Township")),
            Column(_("Organisations scored"), kind=INTEGER),
            Column(_("Ranked"), kind=INTEGER),
            Column(_("Average total"), kind=DECIMAL),
            Column(_("Best organisation")),
            Column(_("Best total"), kind=DECIMAL),
        ]

    def township_rows(self, ranked) -> list[tuple]:
        townships = self.townships
        ids = [pk for pk, _name in townships]
        figures = {
            row["township_id"]: row
            for row in self.scores.filter(township_id__in=ids)
            .order_by()
            .values("township_id")
            .annotate(
                scored=Count("pk"),
                ranked_count=Count("pk", filter=Q(ranked=True)),
                average=Avg("total", filter=Q(ranked=True)),
            )
        }
        best: dict[int, list] = {}
        leaders = (
            ranked.filter(township_id__in=ids)
            .annotate(
                position=Window(Rank(), partition_by=F("township_id"), order_by=F("total").desc())
            )
            .filter(position=1)
            .order_by("township_id", "organization__name")
            .values_list("township_id", "organization__name", "total")
        )
        for township_id, name, total in leaders:
            best.setdefault(township_id, []).append((name, total))
        rows = []
        for pk, name in townships:
            row = figures.get(pk, {})
            leaders_here = best.get(pk, [])
            rows.append(
                (
                    name,
                    row.get("scored", 0),
                    row.get("ranked_count", 0),
                    _two(row.get("average")),
                    "、".join(leader for leader, _total in leaders_here)
                    or _("No social organisation was ranked this quarter"),
                    leaders_here[0][1] if leaders_here else None,
                )
            )
        return rows

    def ledger(self) -> Ledger:
        sheets = [self.summary_sheet(), *self.ranking_sheets(), self.detail_sheet()]
        return Ledger(
            title=self.title,
            file_stem=self.title,
            filters_summary=self.subtitle(),
            sheets=sheets,
        )


def ranking_ledger(*, user, params, reveal: bool) -> Ledger:
    """The quarter's ranking: a summary, the county, each category and township, the details."""
    return RankingWorkbook(user=user, params=params).ledger()


def awards_ledger(*, user, params, reveal: bool) -> Ledger:
    """The year's annual awards: a summary by category, then every award with its decision."""
    year = parse_year(params.get("year"), default=timezone.localdate().year)
    awards = (
        Award.objects.visible_to(user)
        .filter(year=year)
        .order_by("category__sort_order", "category__name", "rank_in_category", "pk")
    )
    statuses = labels(Award.Status.choices)
    county_name = settings.COUNTY_NAME
    fields = (
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
        Column(_("Category"), 11),
        Column(_("Rank in category"), 7, INTEGER),
        Column(_("Organisation"), 28, wrap=True),
        Column(_("Township"), 11),
        Column(pgettext("award", "Title"), 18, wrap=True),
        Column(_("Sum of four quarters"), 9, DECIMAL),
        Column(_("Quarters counted"), 7, INTEGER),
        Column(_("Status"), 8),
        Column(_("Decided by"), 9),
        Column(_("Decided at"), 16, DATETIME),
        Column(pgettext("workbook", "Note"), 24, wrap=True),
    ]

    def rows():
        for row in awards.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
            row = list(row)
            row[7] = statuses.get(row[7], row[7])
            yield row

    def blocks():
        counts = dict(awards.order_by().values_list("status").annotate(number=Count("pk")))
        yield Block(
            _("Awards of the year"),
            [Column(_("Item")), Column(_("Number"), kind=INTEGER)],
            [
                (_("Awards"), sum(counts.values())),
                *((label, counts.get(value, 0)) for value, label in statuses.items()),
            ],
        )
        award_columns = [
            Column(_("Rank in category"), kind=INTEGER),
            Column(_("Organisation")),
            Column(_("Township")),
            Column(pgettext("award", "Title")),
            Column(_("Sum of four quarters"), kind=DECIMAL),
            Column(_("Status")),
        ]
        by_category: dict[str, list] = {}
        listed = awards.values_list(
            "category__name",
            "rank_in_category",
            "organization__name",
            "organization__community__township__name",
            "title",
            "annual_total",
            "status",
        )
        for category, *row in listed:
            row[-1] = statuses.get(row[-1], row[-1])
            by_category.setdefault(category, []).append(row)
        for category, award_rows in by_category.items():
            yield Block(category, award_columns, award_rows)
        if not by_category:
            yield Block(_("Awards"), award_columns, [], empty_text=_("No award this year"))

    summary = _("Year: %(year)s") % {"year": year}
    title = county_name + _("Annual awards of social organisations %(year)s") % {"year": year}
    sheets = [
        Sheet(
            pgettext("workbook", "Summary"),
            [Column("", width) for width in (16, 30, 12, 18, 10, 10)],
            None,
            expected_rows=0,
            subtitle=summary,
            header_left=county_name,
            blocks=blocks(),
        ),
        Sheet(
            _("Awards"),
            columns,
            rows(),
            expected_rows=awards.count,
            subtitle=summary,
            header_left=county_name,
            empty_text=_("No award this year"),
        ),
    ]
    return Ledger(title=title, file_stem=title, filters_summary=summary, sheets=sheets)
