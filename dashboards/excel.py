"""The overview's figures as an Excel workbook: one sheet per table of (title, headers, rows),
written with the ledgers' writer (`core.xlsx`: title and "as of" lines, bold filled header,
frozen panes, autofilter, numbers as numbers, text never taken as a formula).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _

from core.xlsx import DECIMAL, INTEGER, TEXT, Column, Sheet, write_workbook


@dataclass
class Table:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]


def _kind(values: list) -> str:
    present = [value for value in values if value is not None and value != ""]
    if present and all(isinstance(value, int) and not isinstance(value, bool) for value in present):
        return INTEGER
    if present and all(isinstance(value, int | float | Decimal) for value in present):
        return DECIMAL
    return TEXT


def workbook_bytes(tables: Iterable[Table], *, title: str, subtitle: str = "") -> bytes:
    """Write the tables, one sheet each, and return the .xlsx file's bytes."""
    sheets = []
    for table in tables:
        rows = [list(row) for row in table.rows]
        columns = [
            Column(
                str(header),
                max(12, min(40, len(str(header)) * 2 + 4)) if index == 0 else 14,
                _kind([row[index] for row in rows if index < len(row)]),
            )
            for index, header in enumerate(table.headers)
        ]
        sheets.append(Sheet(str(table.title), columns, rows, subtitle=subtitle))
    buffer = BytesIO()
    write_workbook(buffer, sheets, title=title)
    return buffer.getvalue()


def overview_tables(figures: dict) -> list[Table]:
    """The overview's figures as tables, in the page's order."""
    return [
        *_ledger_tables(figures),
        _monthly_table(figures["monthly"]),
        _utilisation_table(figures["utilisation"]),
        *_ranking_tables(figures["ranking"]),
        _watch_table(figures["watch"]),
    ]


def _ledger_tables(figures: dict) -> list[Table]:
    """The summary, the organisations by category, township and status, Party coverage."""
    organizations = figures["organizations"]
    return [
        Table(
            _("Summary"),
            [_("Figure"), _("Value")],
            [
                [_("Active organisations"), organizations["total"]],
                *[
                    [_("Not counted: %(status)s") % {"status": row["label"]}, row["count"]]
                    for row in organizations["gone"]
                ],
                [_("Current memberships"), figures["members"]["count"]],
                [_("Covered by Party organisations (%)"), figures["coverage"]["covered_percent"]],
            ],
        ),
        Table(
            _("By category"),
            [_("Category"), _("Organisations")],
            [[row["label"], row["count"]] for row in organizations["by_category"]],
        ),
        Table(
            _("By township"),
            [_("Township"), _("Organisations")],
            [[row["label"], row["count"]] for row in organizations["by_township"]],
        ),
        Table(
            _("By status"),
            [_("Status"), _("Organisations")],
            [[row["label"], row["count"]] for row in organizations["by_status"]],
        ),
        Table(
            _("Party coverage"),
            [_("Figure"), _("Organisations")],
            [[row["label"], row["count"]] for row in figures["coverage"]["rows"]],
        ),
    ]


def _monthly_table(monthly: dict) -> Table:
    """This year's and last year's activities, beneficiaries, hours and mediations by month."""
    year, last = monthly["year"], monthly["last_year"]
    return Table(
        _("By month"),
        [
            _("Month"),
            _("Activities %(year)s") % {"year": year},
            _("Activities %(year)s") % {"year": last},
            _("Beneficiaries %(year)s") % {"year": year},
            _("Beneficiaries %(year)s") % {"year": last},
            _("Volunteer hours %(year)s") % {"year": year},
            _("Volunteer hours %(year)s") % {"year": last},
            _("Mediations %(year)s") % {"year": year},
            _("Mediations %(year)s") % {"year": last},
        ],
        [
            [
                month["label"],
                month["activities_this"],
                month["activities_last"],
                month["beneficiaries_this"],
                month["beneficiaries_last"],
                month["hours_this"],
                month["hours_last"],
                month["mediations_this"],
                month["mediations_last"],
            ]
            for month in monthly["months"]
        ],
    )


def _utilisation_table(utilisation: dict) -> Table:
    return Table(
        _("Room utilisation"),
        [_("Centre"), _("Township"), _("Booked hours"), _("Open hours"), _("Utilisation (%)")],
        [
            [
                row["label"],
                row["township"],
                row["booked_hours"],
                row["open_hours"],
                row["percent"],
            ]
            for row in utilisation["rows"]
        ],
    )


def _ranking_tables(ranking: dict) -> list[Table]:
    """The quarter's top 10 and its biggest movers."""
    return [
        Table(
            _("Top 10 %(quarter)s") % {"quarter": ranking["quarter"]},
            [_("County rank"), _("Organisation"), _("Township"), _("Total"), _("Change")],
            [
                [row["rank"], row["name"], row["township"], row["total"], row["change"]]
                for row in ranking["top"]
            ],
        ),
        Table(
            _("Biggest movers"),
            [_("Organisation"), _("County rank"), _("Last quarter"), _("Change")],
            [
                [row["name"], row["rank"], row["previous_rank"], row["change"]]
                for row in [*ranking["risers"], *ranking["fallers"]]
            ],
        ),
    ]


def _watch_table(watch: dict) -> Table:
    return Table(
        _("Watch lists"),
        [_("Figure"), _("Organisations")],
        [[row["label"], row["count"]] for row in watch["rows"]],
    )
