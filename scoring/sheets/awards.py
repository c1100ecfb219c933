"""The year's awards workbook: a summary by category, then every award with its decision."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.ledgers import (
    CHUNK_SIZE,
    Ledger,
    labels,
    parse_year,
)
from core.xlsx import DATETIME, DECIMAL, INTEGER, Block, Column, Sheet
from scoring.models import Award


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
