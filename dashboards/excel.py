"""The overview's figures as an Excel workbook: one sheet per table of (title, headers, rows).

A minimal writer on openpyxl's write-only workbook: bold header row, every string written as a
literal string (openpyxl would otherwise store text beginning with "=" as a formula).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

SHEET_TITLE_MAX = 31  # Excel's limit
FORBIDDEN_IN_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass
class Table:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]


def _cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Literal text, never a formula.
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def workbook_bytes(tables: Iterable[Table]) -> bytes:
    """Write the tables, one sheet each, and return the .xlsx file's bytes."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        title = str(table.title).translate(FORBIDDEN_IN_TITLE)[:SHEET_TITLE_MAX] or "Sheet"
        base, number = title, 2
        while title in used:
            suffix = f" ({number})"
            title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
            number += 1
        used.add(title)
        sheet = workbook.create_sheet(title=title)
        sheet.append([_cell(sheet, str(header), bold=True) for header in table.headers])
        for row in table.rows:
            sheet.append([_cell(sheet, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def overview_tables(figures: dict, *, scope_label: str) -> list[Table]:
    """The overview's figures as tables, in the page's order."""
    organizations = figures["organizations"]
    monthly = figures["monthly"]
    year, last = monthly["year"], monthly["last_year"]
    ranking = figures["ranking"]
    tables = [
        Table(
            _("Summary"),
            [_("Figure"), _("Value")],
            [
                [_("Area"), scope_label],
                [_("Organisations"), organizations["total"]],
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
        Table(
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
        ),
        Table(
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
                for row in figures["utilisation"]["rows"]
            ],
        ),
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
        Table(
            _("Watch lists"),
            [_("Figure"), _("Organisations")],
            [[row["label"], row["count"]] for row in figures["watch"]["rows"]],
        ),
    ]
    return tables
