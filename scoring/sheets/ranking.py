"""The quarter's ranking workbook."""

from __future__ import annotations

from functools import cached_property

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from areas.models import Township
from areas.selectors import county_for_user
from core.ledgers import (
    Ledger,
    filterset_summary,
    parse_quarter_param,
)
from core.quarters import quarter_label
from core.xlsx import Sheet
from orgs.models import Category
from scoring.models import QuarterScore, ScoringQuarter
from scoring.selectors import (
    SCOPE_CATEGORY,
    SCOPE_COUNTY,
    SCOPE_TOWNSHIP,
    SCOPES,
    ranking_queryset,
)
from scoring.sheets.columns import (
    FILTER_PARAMS,
    _detail_rows,
    _filtered,
    _ranking_rows,
    default_quarter,
    detail_columns,
    ranking_columns,
)
from scoring.sheets.summary import SummarySheet


class RankingWorkbook(SummarySheet):
    """What the ranking workbook holds for one user, quarter and set of filters."""

    def __init__(self, *, user, params):
        self.user = user
        self.quarter = parse_quarter_param(params.get("quarter")) or default_quarter()
        scope = params.get("scope")
        self.scope = scope if scope in SCOPES else SCOPE_COUNTY
        self.data = {key: params.get(key) for key in FILTER_PARAMS if params.get(key)}
        year, q = self.quarter
        # One county's ranking (a city's staff name it; their first county otherwise).
        self.county = county_for_user(user, params.get("county"))
        self.state = ScoringQuarter.objects.filter(county=self.county, year=year, quarter=q).first()
        self.rules = self.state.rules if self.state is not None else {}
        self.scores, filterset = _filtered(
            QuarterScore.objects.visible_to(user).filter(county=self.county).of_quarter(year, q),
            self.data,
        )
        self.filters_summary = filterset_summary(filterset)
        # Filters that narrow the rows to a few: then only sheets with rows are written.
        self.narrowed_by_name = bool(self.data.get("q"))
        self.county_name = self.county.name if self.county is not None else ""
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
            ranking_queryset(user=self.user, quarter=self.quarter, scope=scope, county=self.county),
            self.data,
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
        townships = Township.objects.visible_to(self.user).filter(county=self.county)
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
