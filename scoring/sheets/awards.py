"""The year's awards workbook: a summary by category, then every award with its decision."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from areas.selectors import county_for_user
from core.ledgers import (
    CHUNK_SIZE,
    Ledger,
    labels,
    parse_year,
)
from core.xlsx import DATETIME, DECIMAL, INTEGER, Block, Column, Sheet
from scoring.models import Award


def _award_columns() -> list[tuple[str, Column]]:
    """The awards sheet's columns: the field each is read from, its heading and format."""
    return [
        ("category__name", Column(_("Category"), 11)),
        ("rank_in_category", Column(_("Rank in category"), 7, INTEGER)),
        ("organization__name", Column(_("Organisation"), 28, wrap=True)),
        ("organization__community__township__name", Column(_("Township"), 11)),
        ("title", Column(pgettext("award", "Title"), 18, wrap=True)),
        ("annual_total", Column(_("Sum of four quarters"), 9, DECIMAL)),
        ("quarters_counted", Column(_("Quarters counted"), 7, INTEGER)),
        ("status", Column(_("Status"), 8)),
        ("decided_by__name", Column(_("Decided by"), 9)),
        ("decided_at", Column(_("Decided at"), 16, DATETIME)),
        ("note", Column(pgettext("workbook", "Note"), 24, wrap=True)),
    ]


def _award_rows(awards, fields, statuses: dict):
    status_at = fields.index("status")
    for row in awards.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
        row = list(row)
        row[status_at] = statuses.get(row[status_at], row[status_at])
        yield row


def _summary_blocks(awards, statuses: dict):
    """The summary's tables: the year's counts by status, then each category's awards. A
    generator, so its queries run when the workbook is written."""
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


def awards_ledger(*, user, params, reveal: bool) -> Ledger:
    """The year's annual awards: a summary by category, then every award with its decision."""
    year = parse_year(params.get("year"), default=timezone.localdate().year)
    county = county_for_user(user, params.get("county"))
    awards = (
        Award.objects.visible_to(user)
        .in_county(county)
        .filter(year=year)
        .order_by("category__sort_order", "category__name", "rank_in_category", "pk")
    )
    statuses = labels(Award.Status.choices)
    county_name = county.name if county is not None else ""
    fields, columns = zip(*_award_columns(), strict=True)
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
            blocks=_summary_blocks(awards, statuses),
        ),
        Sheet(
            _("Awards"),
            list(columns),
            _award_rows(awards, fields, statuses),
            expected_rows=awards.count,
            subtitle=summary,
            header_left=county_name,
            empty_text=_("No award this year"),
        ),
    ]
    return Ledger(title=title, file_stem=title, filters_summary=summary, sheets=sheets)
