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


def read_workbook(
    stream: BinaryIO, mapping: dict | None = None, decide=None, progress=None
) -> tuple[list[Sheet], int]:
    """Read every sheet with a recognised header row; return the sheets and the data-row count.

    Formulas are read as formulas (never evaluated, never their cached value), so validation
    can refuse them. Raises ReadRefused past the row cap, while reading. `mapping` is
    {sheet title: {column letter: field key or ""}} and overrides what was recognised;
    `decide(kind, header, values)` names the field an ambiguous column's values point to;
    `progress(rows)`, when given, is called with the data rows read so far, now and then.
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
            columns = _column_list(kind, _values(head[header_index]), columns_found, sheet_mapping)
            wanted = {index for index, _column in columns}
            raw_rows: list[tuple[int, dict[int, RawCell]]] = []
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
                if progress is not None and total % PROGRESS_EVERY == 0:
                    progress(total)
                if total > limit:
                    raise ReadRefused(
                        str(TOO_MANY_ROWS_MESSAGE)
                        % {"limit": limit, "row": row_number, "sheet": worksheet.title}
                    )
                cells = {}
                for index, cell in enumerate(row):
                    if index not in wanted:
                        continue
                    cells[index] = RawCell(
                        value=cell.value,
                        data_type=getattr(cell, "data_type", "n"),
                        letter=get_column_letter(index + 1),
                        is_date=bool(getattr(cell, "is_date", False)),
                    )
                raw_rows.append((row_number, cells))

            def values_of(index, raw_rows=raw_rows):
                return [cells[index].value for _n, cells in raw_rows if index in cells]

            _assign_fields(kind, columns, sheet_mapping, values_of, decide)
            fields = {index: column["field"] for index, column in columns if column["field"]}
            sheet = Sheet(
                worksheet.title, kind, header_index + 1, [column for _i, column in columns]
            )
            for number, cells in raw_rows:
                sheet.rows.append(
                    (number, {fields[i]: cell for i, cell in cells.items() if i in fields})
                )
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
