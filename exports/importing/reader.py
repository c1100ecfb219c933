"""Streaming the sheets of a checked workbook into raw rows, bounded while reading."""

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


@dataclass
class RawCell:
    value: object
    data_type: str
    letter: str
    is_date: bool = False


@dataclass
class Sheet:
    title: str
    kind: str
    header_row: int  # as in Excel, 1-based
    columns: list[dict]  # {"letter", "header", "field"} ("" when not recognised)
    rows: list[tuple[int, dict[str, RawCell]]] = field(default_factory=list)

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
    return all(
        value is None or (isinstance(value, str) and not value.strip()) for value in _values(row)
    )


def _header_text(value) -> str:
    return "" if value is None else str(value).strip()[:60]


def _columns(kind: str, header_values: tuple, found: dict[int, str], mapping: dict) -> list[dict]:
    columns = []
    for index, value in enumerate(header_values):
        text = _header_text(value)
        letter = get_column_letter(index + 1)
        key = found.get(index, "")
        if not key and letter in mapping:
            key = mapping[letter]
        if not text and not key:
            continue
        if not key and headers.is_ignored_header(text):
            continue
        columns.append(
            {"letter": letter, "header": text, "field": key, "recognised": index in found}
        )
    return columns


def read_workbook(stream: BinaryIO, mapping: dict | None = None) -> tuple[list[Sheet], int]:
    """Read every sheet with a recognised header row; return the sheets and the data-row count.

    Formulas are read as formulas (never evaluated, never their cached value), so validation
    can refuse them. Raises ReadRefused past the row cap, while reading.
    """
    mapping = mapping or {}
    limit = importing.max_rows()
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of errors on bad input
        raise ReadRefused(str(UNREADABLE_MESSAGE)) from None
    sheets: list[Sheet] = []
    total = 0
    try:
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(max_col=importing.max_columns())
            head = []
            for row in rows:
                head.append(row)
                if len(head) >= headers.HEADER_SCAN_ROWS:
                    break
            found = headers.recognise([_values(row) for row in head])
            if found is None:
                continue
            kind, header_index, columns_found = found
            sheet_mapping = mapping.get(worksheet.title, {})
            columns = _columns(kind, _values(head[header_index]), columns_found, sheet_mapping)
            by_index = {}
            for column in columns:
                if column["field"]:
                    by_index[_column_index(column["letter"])] = column
            sheet = Sheet(worksheet.title, kind, header_index + 1, columns)
            blank_run = 0
            row_number = header_index + 1

            def remaining(buffered=head[header_index + 1 :], rest=rows):
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
                total += 1
                if total > limit:
                    raise ReadRefused(
                        str(TOO_MANY_ROWS_MESSAGE)
                        % {"limit": limit, "row": row_number, "sheet": worksheet.title}
                    )
                cells = {}
                for index, cell in enumerate(row):
                    column = by_index.get(index)
                    if column is None:
                        continue
                    cells[column["field"]] = RawCell(
                        value=cell.value,
                        data_type=getattr(cell, "data_type", "n"),
                        letter=column["letter"],
                        is_date=bool(getattr(cell, "is_date", False)),
                    )
                sheet.rows.append((row_number, cells))
            sheets.append(sheet)
    except ReadRefused:
        raise
    except Exception:  # noqa: BLE001 - a malformed sheet part fails in many ways
        raise ReadRefused(str(UNREADABLE_MESSAGE)) from None
    finally:
        workbook.close()
    if not sheets:
        raise ReadRefused(str(NO_SHEET_MESSAGE))
    return sheets, total


def _column_index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter) - 1
