"""Stream ledgers into xlsx workbooks with openpyxl's write-only mode, in constant memory.

A workbook is a list of `Sheet`s; each has `Column`s (header, width, kind) and an iterable of
row tuples that is consumed once, row by row, so a 100,000-row ledger never sits in memory.
Every sheet gets a title line and an "as of" line above a bold, filled header row, frozen
panes under the header, an autofilter over the data and set column widths.

Cells are typed by their column's kind: dates and datetimes are real Excel dates, numbers
stay numbers, and text columns (ID numbers, mobiles, credit codes, names) are always text,
so an 18-digit ID number never turns into 1.10105E+17. Any text that begins with = + - @, a
tab or a carriage return is written as a literal string (an inline string with Excel's quote
prefix), never as a formula: openpyxl alone would store "=HYPERLINK(...)" as a formula.

    write_workbook(path, [Sheet(_("Organisations"), columns, rows)], title=..., as_of=today)

A summary sheet has `blocks` instead of rows: small tables (a heading, a header row and rows)
written one under another, for the figures a reader sees first. Its rows are few and computed
by aggregate queries; the big sheets still stream.
"""

from __future__ import annotations

import datetime
import math
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"
DATE = "date"
DATETIME = "datetime"
BOOLEAN = "boolean"
KINDS = frozenset({TEXT, INTEGER, DECIMAL, DATE, DATETIME, BOOLEAN})

# Characters that make Excel (or a spreadsheet that re-reads a CSV save) start a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Control characters an xlsx file cannot hold (openpyxl refuses them); tab, LF and CR stay.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
SHEET_TITLE_FORBIDDEN_RE = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31
# Rows between two calls of the progress callback.
PROGRESS_EVERY = 2000
HEADER_ROW = 3
# Points per line of 11-point text, and Excel's largest row height.
LINE_HEIGHT = 14
MAX_ROW_HEIGHT = 409

TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
HEADER_BORDER = Border(bottom=Side(style="thin"))
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its (Chinese) header, its width in characters and its kind."""

    header: str
    width: float = 14
    kind: str = TEXT
    # Wrap long text inside the cell (explanations that must read on paper).
    wrap: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}")


@dataclass
class Sheet:
    """A sheet to write: a title, its columns and the rows (tuples, consumed once)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    # Number of rows expected, for progress (or a callable counting them); None when unknown.
    expected_rows: int | Callable[[], int] | None = None
    # Text under the title line (e.g. the filters the ledger was made with).
    subtitle: str = ""
    extra: dict = field(default_factory=dict)
    # Written in the first data row when the sheet has no rows ("no organisation ranked").
    empty_text: str = ""
    # Printed at the left of every page's header (e.g. the county's name).
    header_left: str = ""
    # A summary sheet: small tables one under another; `columns` then only sets the widths.
    blocks: Iterable[Block] | None = None


@dataclass
class Block:
    """One small table of a summary sheet: a bold heading, a header row and its rows."""

    heading: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    # Written under the header row when there are no rows.
    empty_text: str = ""


def sheet_title(text: str, used: set[str] | None = None) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters."""
    base = SHEET_TITLE_FORBIDDEN_RE.sub("_", str(text)).strip("'") or "Sheet"
    base = base[:SHEET_TITLE_MAX]
    used = used if used is not None else set()
    title, n = base, 2
    while title.lower() in used:
        suffix = f"({n})"
        title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def clean_text(value: str) -> str:
    """Drop the control characters an xlsx file cannot hold."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _text_converter(worksheet) -> Callable[[Any], Any]:
    def convert(value):
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            value = str(value)
        value = clean_text(value)
        if value.startswith(FORMULA_PREFIXES):
            # A literal string: inline text, quote-prefixed so Excel keeps it text on edit too.
            cell = WriteOnlyCell(worksheet, value)
            cell.data_type = "s"
            cell.quotePrefix = True
            return cell
        return value

    return convert


def _date(value):
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return _naive_local(value).date()
    return value


def _datetime(value):
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return _naive_local(value)
    return value


def _decimal_converter(worksheet) -> Callable[[Any], Any]:
    """Decimals stay numbers, shown with two decimals ("0.00")."""

    def convert(value):
        if value is None or value == "":
            return None
        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = "0.00"
        return cell

    return convert


def _integer(value):
    return None if value == "" else value


def _boolean(value):
    if value is None or value == "":
        return None
    return _("Yes") if value else _("No")


def _naive_local(value: datetime.datetime) -> datetime.datetime:
    """Excel has no time zones: write local (Asia/Shanghai) wall-clock time."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _converters(worksheet, columns: Sequence[Column]) -> list[Callable[[Any], Any]]:
    # Dates and numbers are passed as Python values: openpyxl types them and gives dates
    # a date number format (yyyy-mm-dd, or yyyy-mm-dd h:mm:ss for datetimes).
    simple = {
        INTEGER: _integer,
        DECIMAL: _decimal_converter(worksheet),
        DATE: _date,
        DATETIME: _datetime,
        BOOLEAN: _boolean,
    }
    text = _text_converter(worksheet)
    converters = [text if column.kind == TEXT else simple[column.kind] for column in columns]
    if not any(column.wrap for column in columns):
        return converters
    # Rows with wrapped text are tall: every cell reads from the top, next to the text.
    return [
        _aligned(worksheet, convert, WRAP_ALIGNMENT if column.wrap else TOP_ALIGNMENT)
        for convert, column in zip(converters, columns, strict=True)
    ]


WRAP_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
TOP_ALIGNMENT = Alignment(vertical="top")


def _aligned(worksheet, convert: Callable[[Any], Any], alignment) -> Callable[[Any], Any]:
    def aligned(value):
        value = convert(value)
        if value is None:
            return None
        cell = value if isinstance(value, Cell) else WriteOnlyCell(worksheet, value)
        cell.alignment = alignment
        return cell

    return aligned


def _styled(worksheet, value, *, font=None, fill=None, border=None, alignment=None):
    cell = WriteOnlyCell(worksheet, clean_text(value))
    cell.data_type = "s"
    if value.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if border:
        cell.border = border
    if alignment:
        cell.alignment = alignment
    return cell


def _print_setup(worksheet, *, title: str, header_left: str = "") -> None:
    """Landscape, one page wide, the head rows on every page, the title and page numbers."""
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_title_rows = f"1:{HEADER_ROW}"
    if header_left:
        worksheet.oddHeader.left.text = header_left.replace("&", "&&")
    worksheet.oddHeader.center.text = title.replace("&", "&&")
    worksheet.oddFooter.center.text = str(_("Page &P of &N"))


def _header_cells(worksheet, columns: Sequence[Column]) -> list:
    return [
        _styled(
            worksheet,
            str(column.header),
            font=HEADER_FONT,
            fill=HEADER_FILL,
            border=HEADER_BORDER,
            alignment=HEADER_ALIGNMENT,
        )
        for column in columns
    ]


def _write_head(worksheet, sheet: Sheet, *, title: str, as_of: datetime.date) -> None:
    """Widths, print set-up, the title line and the "as of" line (written before any row)."""
    for index, column in enumerate(sheet.columns, 1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    if sheet.blocks is None:
        worksheet.freeze_panes = f"A{HEADER_ROW + 1}"
    _print_setup(worksheet, title=title, header_left=sheet.header_left)
    worksheet.append([_styled(worksheet, f"{title} · {sheet.title}", font=TITLE_FONT)])
    as_of_line = _("As of %(date)s") % {"date": as_of.isoformat()}
    if sheet.subtitle:
        as_of_line = f"{as_of_line}    {sheet.subtitle}"
    worksheet.append([_styled(worksheet, as_of_line)])


def _write_rows(worksheet, sheet: Sheet, progress: Callable[[int], None] | None, done: int) -> int:
    """The header row, frozen under it, then the rows streamed; return the rows written."""
    columns = list(sheet.columns)
    wrapped = [(index, column.width) for index, column in enumerate(columns) if column.wrap]
    if wrapped:
        # A sheet read on paper: its narrow columns' headers take the lines they need.
        headers = [str(column.header) for column in columns]
        _fit_height(worksheet, HEADER_ROW, headers, list(enumerate(c.width for c in columns)))
    worksheet.append(_header_cells(worksheet, columns))
    converters = _converters(worksheet, columns)
    pairs = list(zip(converters, range(len(columns)), strict=True))
    written = 0
    append = worksheet.append
    for row in sheet.rows:
        if wrapped:
            _fit_height(worksheet, HEADER_ROW + written + 1, row, wrapped)
        append([convert(row[index]) for convert, index in pairs])
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(done + written)
    if not written and sheet.empty_text:
        append([_styled(worksheet, str(sheet.empty_text))])
    last_row = HEADER_ROW + max(written, 1)
    worksheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{last_row}"
    return written


def text_lines(value, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (CJK count double)."""
    lines = 0
    for line in str(value).split("\n"):
        size = sum(2 if ord(ch) > 0x2E7F else 1 for ch in line)
        lines += max(1, math.ceil(size / max(width - 1, 1)))
    return lines


def _fit_height(worksheet, row_index: int, row: Sequence[Any], wrapped) -> None:
    """Give a row with wrapped text the height of its lines: no spreadsheet does on opening.

    The row's dimension is written with the row itself (write-only mode); it is dropped again
    once written, so that a long sheet does not keep one object per row.
    """
    worksheet.row_dimensions.pop(row_index - 1, None)
    lines = max(
        (text_lines(row[index], width) for index, width in wrapped if row[index]), default=1
    )
    if lines > 1:
        worksheet.row_dimensions[row_index].height = min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT)


def _write_blocks(worksheet, blocks: Iterable[Block]) -> None:
    """The small tables of a summary sheet, one under another with a blank row between."""
    # The head rows repeated on every page are the title, the "as of" line and this blank one.
    worksheet.append([])
    for number, block in enumerate(blocks):
        if number:
            worksheet.append([])
        worksheet.append([_styled(worksheet, str(block.heading), font=HEADER_FONT)])
        worksheet.append(_header_cells(worksheet, block.columns))
        converters = _converters(worksheet, block.columns)
        for row in block.rows:
            worksheet.append(
                [convert(value) for convert, value in zip(converters, row, strict=True)]
            )
        if not block.rows and block.empty_text:
            worksheet.append([_styled(worksheet, str(block.empty_text))])


def write_workbook(
    target: str | os.PathLike | IO[bytes],
    sheets: Iterable[Sheet],
    *,
    title: str,
    as_of: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the sheets to `target` (a path or a binary file) and return the data rows written.

    `progress(rows_so_far)` is called every PROGRESS_EVERY rows and at the end of each sheet.
    The rows of summary blocks are not data rows: they are not counted.
    """
    as_of = as_of or timezone.localdate()
    workbook = Workbook(write_only=True)
    used_titles: set[str] = set()
    total = 0
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet_title(sheet.title, used_titles))
        _write_head(worksheet, sheet, title=title, as_of=as_of)
        if sheet.blocks is not None:
            _write_blocks(worksheet, sheet.blocks)
            continue
        total += _write_rows(worksheet, sheet, progress, total)
        if progress is not None:
            progress(total)
    if not workbook.worksheets:
        workbook.create_sheet(_("Empty"))
    if isinstance(target, str | os.PathLike):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return total
