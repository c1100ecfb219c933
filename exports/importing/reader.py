"""Streaming the sheets of a checked workbook into raw rows, bounded while reading.

The rows are not kept: each sheet's rows are a generator the checks consume once, row by row,
keeping only what the plan needs. A cell is openpyxl's read-only cell itself (its value and
data type: formulas, errors and IDs typed as numbers are told apart by the checks). Only a sheet
whose column meaning depends on its values (组织类型: categories or legal forms) is held in
memory until the sheet is read, as plain (value, data type) pairs.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import openpyxl
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from exports import importing
from exports.importing import headers

# Stop reading a sheet after this many blank rows in a row (formatting often runs far below).
BLANK_RUN_LIMIT = 1000

TOO_MANY_ROWS_MESSAGE = _(
    "The file has more than %(limit)s data rows; reading stopped at row %(row)s of sheet "
    "“%(sheet)s”. Split it into files of at most %(limit)s rows each."
)
UNREADABLE_MESSAGE = _(
    "The workbook could not be read. Open it in Excel or WPS, save it as “Excel workbook "
    "(*.xlsx)” and upload it again."
)
NO_SHEET_MESSAGE = _(
    "No sheet with recognisable headers was found. Use the template, or make sure the header "
    "row names at least the organisation (社会组织名称) and its community (所属社区), or for "
    "members the organisation (所属社会组织) and the member's name (姓名)."
)


class ReadRefused(Exception):
    """The workbook is refused as a whole; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class RawCell:
    """A cell held until its sheet is read: its value and openpyxl's data type."""

    value: object
    data_type: str


@dataclass
class Sheet:
    title: str
    kind: str
    header_row: int  # as in Excel, 1-based
    columns: list[dict]  # {"letter", "header", "field"} ("" when not recognised)
    # (row number, {field: cell}) pairs, read as they are consumed (once)
    rows: Iterator = field(default=iter(()), repr=False)
    row_count: int = 0  # the data rows read so far

    def letter_of(self, key: str) -> str:
        for column in self.columns:
            if column["field"] == key:
                return column["letter"]
        return ""

    def header_of(self, key: str) -> str:
        for column in self.columns:
            if column["field"] == key:
                return column["header"]
        return headers.field_label(self.kind, key)


def _values(row) -> tuple:
    return tuple(getattr(cell, "value", None) for cell in row)


def _is_blank(row) -> bool:
    # stops at the first value: a data row is padded to the column cap with empty cells
    for cell in row:
        value = getattr(cell, "value", None)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        return False
    return True


def _header_text(value) -> str:
    return "" if value is None else str(value).strip()[:60]


def _column_list(kind: str, header_values: tuple, found: dict[int, str], mapping: dict):
    """The columns worth reading: named, recognised or mapped; (index, column) pairs."""
    columns = []
    for index, value in enumerate(header_values):
        text = _header_text(value)
        letter = get_column_letter(index + 1)
        unknown = index not in found and letter not in mapping
        if unknown and (not text or headers.is_ignored_header(text)):
            continue
        columns.append(
            (
                index,
                {
                    "letter": letter,
                    "header": text,
                    "field": found.get(index, ""),
                    "recognised": index in found,
                },
            )
        )
    return columns


def _assign_fields(kind, columns, mapping: dict, values_of, decide) -> None:
    """Settle each column's field: the user's mapping overrides anything recognised.

    Then recognised columns keep their field unless the user gave it to another column, and
    an ambiguous header (组织类型, 类别…) takes the field its values point to (category names
    or legal forms), else its default; a field already taken leaves it for the user to map.
    """
    taken: set[str] = set()
    for _index, column in columns:
        if column["letter"] in mapping:
            column["field"] = mapping[column["letter"]]
            column["recognised"] = False
            column["mapped"] = True
            if column["field"] in taken:  # the same field twice: the first column keeps it
                column["field"] = ""
            if column["field"]:
                taken.add(column["field"])
    pending = []
    for index, column in columns:
        if column.get("mapped") or not column["field"]:
            continue
        if headers.is_ambiguous(kind, column["header"]):
            pending.append((index, column))
        elif column["field"] in taken:
            column["field"] = ""
            column["recognised"] = False
        else:
            taken.add(column["field"])
    for index, column in pending:
        chosen = decide(kind, column["header"], values_of(index)) if decide else None
        key = chosen or column["field"]
        if key in taken:
            key = ""
        column["field"] = key
        column["recognised"] = bool(key)
        if key:
            taken.add(key)


PROGRESS_EVERY = 1000


class WorkbookReader:
    """Read every sheet with a recognised header row, a row at a time.

        with WorkbookReader(stream, mapping, decide, progress) as reading:
            for sheet in reading:
                for row_number, cells in sheet.rows:  # consume each sheet before the next
                    ...
        reading.sheets, reading.total

    Formulas are read as formulas (never evaluated, never their cached value), so validation
    can refuse them. Raises ReadRefused past the row cap, while reading, and when the file or
    a sheet cannot be parsed, or no sheet has recognisable headers. `mapping` is
    {sheet title: {column letter: field key or ""}} and overrides what was recognised;
    `decide(kind, header, values)` names the field an ambiguous column's values point to;
    `progress(rows)`, when given, is called with the data rows read so far, now and then.
    """

    def __init__(self, stream: BinaryIO, mapping: dict | None = None, decide=None, progress=None):
        self.mapping = mapping or {}
        self.decide = decide
        self.progress = progress
        self.limit = importing.max_rows()
        self.sheets: list[Sheet] = []
        self.total = 0
        try:
            self.workbook = openpyxl.load_workbook(stream, read_only=True, data_only=False)
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds of errors on bad input
            raise ReadRefused(str(UNREADABLE_MESSAGE)) from None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        self.workbook.close()

    def __iter__(self) -> Iterator[Sheet]:
        for worksheet in self.workbook.worksheets:
            try:
                sheet = self._open_sheet(worksheet)
            except ReadRefused:
                raise
            except Exception:  # noqa: BLE001 - a malformed sheet part fails in many ways
                raise ReadRefused(str(UNREADABLE_MESSAGE)) from None
            if sheet is not None:
                self.sheets.append(sheet)
                yield sheet
        if not self.sheets:
            raise ReadRefused(str(NO_SHEET_MESSAGE))

    def _open_sheet(self, worksheet) -> Sheet | None:
        rows = worksheet.iter_rows(max_col=importing.max_columns())
        head = []
        for row in rows:
            head.append(row)
            if len(head) >= headers.HEADER_SCAN_ROWS:
                break
        found = headers.recognise([_values(row) for row in head])
        if found is None:
            return None
        kind, header_index, columns_found = found
        sheet_mapping = self.mapping.get(worksheet.title, {})
        columns = _column_list(kind, _values(head[header_index]), columns_found, sheet_mapping)
        sheet = Sheet(worksheet.title, kind, header_index + 1, [column for _i, column in columns])
        data_rows = self._data_rows(sheet, head[header_index + 1 :], rows)
        pending = any(
            headers.is_ambiguous(kind, column["header"])
            and column["field"]
            and not column.get("mapped")
            and column["letter"] not in sheet_mapping
            for _index, column in columns
        )
        if pending:
            # the column's meaning depends on its values: hold the sheet's cells until read
            wanted = [index for index, _column in columns]
            held = [
                (
                    number,
                    {i: RawCell(row[i].value, row[i].data_type) for i in wanted if i < len(row)},
                )
                for number, row in data_rows
            ]

            def values_of(index):
                return [cells[index].value for _n, cells in held if index in cells]

            _assign_fields(kind, columns, sheet_mapping, values_of, self.decide)
            sheet.rows = self._by_field(columns, iter(held), raw=False)
        else:
            _assign_fields(kind, columns, sheet_mapping, lambda index: [], None)
            sheet.rows = self._by_field(columns, data_rows, raw=True)
        sheet.columns = [column for _i, column in columns]
        return sheet

    def _data_rows(self, sheet: Sheet, buffered: list, rest) -> Iterator[tuple[int, tuple]]:
        """(row number, openpyxl row) of every non-blank data row, counted against the cap."""
        blank_run = 0
        row_number = sheet.header_row

        def remaining():
            yield from buffered
            yield from rest

        for row in remaining():
            row_number += 1
            if _is_blank(row):
                blank_run += 1
                if blank_run >= BLANK_RUN_LIMIT:
                    break
                continue
            blank_run = 0
            self.total += 1
            sheet.row_count += 1
            if self.progress is not None and self.total % PROGRESS_EVERY == 0:
                self.progress(self.total)
            if self.total > self.limit:
                raise ReadRefused(
                    str(TOO_MANY_ROWS_MESSAGE)
                    % {"limit": self.limit, "row": row_number, "sheet": sheet.title}
                )
            yield row_number, row

    @staticmethod
    def _by_field(columns, data_rows, raw: bool) -> Iterator[tuple[int, dict]]:
        fields = [(index, column["field"]) for index, column in columns if column["field"]]
        rows = iter(data_rows)
        while True:
            try:
                number, row = next(rows)
            except StopIteration:
                return
            except ReadRefused:
                raise
            except Exception:  # noqa: BLE001 - a malformed sheet part fails in many ways
                raise ReadRefused(str(UNREADABLE_MESSAGE)) from None
            if raw:
                width = len(row)
                yield number, {key: row[index] for index, key in fields if index < width}
            else:
                yield number, {key: row[index] for index, key in fields if index in row}


def read_workbook(
    stream: BinaryIO, mapping: dict | None = None, decide=None, progress=None
) -> tuple[list[Sheet], int]:
    """Read every sheet into lists of rows; return the sheets and the data-row count.

    For small files and tests: the checks stream the rows through `WorkbookReader` instead.
    """
    with WorkbookReader(stream, mapping, decide, progress) as reading:
        for sheet in reading:
            sheet.rows = [
                (number, {key: RawCell(cell.value, cell.data_type) for key, cell in cells.items()})
                for number, cells in sheet.rows
            ]
    return reading.sheets, reading.total
