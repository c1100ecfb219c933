"""The ranking workbook's summary sheet (汇总): counts, the top ten, a line per township."""

from __future__ import annotations

from django.db.models import Avg, Count, F, Q, Window
from django.db.models.functions import Rank
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.xlsx import DECIMAL, INTEGER, Block, Column, Sheet
from scoring.sheets.columns import (
    TOP,
    _reason,
    _two,
)


class SummarySheet:
    """The summary sheet of a `RankingWorkbook` (mixed into it)."""

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
        by_category = self.category_tops(ranked, [pk for pk, _name in categories])
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

    @staticmethod
    def category_tops(ranked, category_ids: list[int]) -> dict[int, list]:
        """Each category's top ten (ties included), in one windowed query."""
        by_category: dict[int, list] = {pk: [] for pk in category_ids}
        category_top = (
            ranked.filter(category_id__in=category_ids)
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
        return by_category

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
