"""Turning raw cells into clean values: text, dates, identifiers and choices."""

import re
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _
from openpyxl.utils.datetime import from_excel

from core.text import clean_text, match_key

FORMULA_MESSAGE = _(
    "This cell holds a formula (%(formula)s). Formulas are not imported, neither computed nor "
    "taken as their last value: replace it with the value itself (copy, then paste as values)."
)
ERROR_VALUE_MESSAGE = _("This cell holds the Excel error %(value)s: enter the right value.")
DATE_MESSAGE = _(
    "“%(value)s” is not a date. Write it as 2023-05-01, 2023/5/1, 2023.5.1 or 2023年5月1日, "
    "or use an Excel date."
)
ID_AS_NUMBER_MESSAGE = _(
    "The ID number was stored as a number, so Excel may have dropped its last digits. Set the "
    "ID number column to text format, then type the ID number again."
)
CREDIT_CODE_AS_NUMBER_MESSAGE = _(
    "The credit code was stored as a number, so Excel may have dropped digits: set the credit "
    "code column to text format, then type the code again."
)
CHOICE_MESSAGE = _("“%(value)s” is not one of the allowed values: %(allowed)s.")

EXCEL_SERIAL_MIN = 1
EXCEL_SERIAL_MAX = 2958465  # 9999-12-31
_DATE_PATTERNS = (
    re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_SCIENTIFIC_RE = re.compile(r"\d+(\.\d+)?[eE]\+?\d+")
_SPACE_RE = re.compile(r"\s")


class CellProblem(Exception):
    """A cell's value cannot be used; the message says what to fix."""

    def __init__(self, message: str, *, refuses_file: bool = False):
        super().__init__(message)
        self.message = message
        # a formula refuses the whole file (it is deleted at once), not only its row
        self.refuses_file = refuses_file


def check_cell(cell) -> None:
    """Refuse formulas and Excel error values whatever the column."""
    if cell is None:
        return
    if cell.data_type == "f" or (
        isinstance(cell.value, str) and cell.data_type != "s" and cell.value.startswith("=")
    ):
        formula = str(cell.value)[:40]
        raise CellProblem(str(FORMULA_MESSAGE) % {"formula": formula}, refuses_file=True)
    if not isinstance(cell.value, str | int | float | date | datetime | bool | type(None)):
        # array formulas and data-table formulas come as objects
        raise CellProblem(
            str(FORMULA_MESSAGE) % {"formula": type(cell.value).__name__}, refuses_file=True
        )
    if cell.data_type == "e":
        raise CellProblem(str(ERROR_VALUE_MESSAGE) % {"value": cell.value})


def _number_text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_text(cell) -> str:
    """Return the cell as text, as typed but trimmed ("" when empty).

    Prose keeps its punctuation; names, identifiers and choices are tidied or compared by
    the callers (clean_name, the identifier validators, match_key).
    """
    if cell is None or cell.value is None:
        return ""
    check_cell(cell)
    value = cell.value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return _number_text(value)
    return clean_text(value)


def parse_date_text(text: str) -> date:
    """Parse the common Chinese spellings of a date; raise ValueError otherwise."""
    text = match_key(text)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
    raise ValueError(text)


def as_date(cell, epoch=None) -> date | None:
    """Return the cell as a date: Excel dates and serials, and the common text spellings."""
    if cell is None or cell.value is None or cell.value == "":
        return None
    check_cell(cell)
    value = cell.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value >= 10_000_000 and float(value).is_integer():
            try:
                return parse_date_text(str(int(value)))  # 20230501 typed as a number
            except ValueError:
                pass
        if EXCEL_SERIAL_MIN <= value <= EXCEL_SERIAL_MAX:
            converted = from_excel(value, epoch) if epoch else from_excel(value)
            return converted.date() if isinstance(converted, datetime) else converted
        raise CellProblem(str(DATE_MESSAGE) % {"value": _number_text(value)})
    text = match_key(str(value))
    if not text:
        return None
    try:
        return parse_date_text(text)
    except ValueError:
        raise CellProblem(str(DATE_MESSAGE) % {"value": text[:30]}) from None


def as_identifier(cell, *, numeric_message) -> str:
    """Return an ID number or credit code as text; refuse one Excel stored as a number."""
    if cell is None or cell.value is None:
        return ""
    check_cell(cell)
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellProblem(str(numeric_message))
    text = match_key(str(value))
    if _SCIENTIFIC_RE.fullmatch(text):
        raise CellProblem(str(numeric_message))
    return text


def as_mobile(cell) -> str:
    """Return a mobile as text; a number cell is fine (11 digits fit exactly)."""
    return as_text(cell)


def as_choice(cell, choices: dict[str, str], allowed_label) -> str | None:
    """Map the cell's text to a choice value (None when empty); refuse unknown values.

    `allowed_label` is the text listing the choices, or a function returning it (called only
    for the message, so that a valid cell does not build it).
    """
    text = as_text(cell)
    if not text:
        return None
    key = _SPACE_RE.sub("", match_key(text)).upper()
    if key in choices:
        return choices[key]
    if callable(allowed_label):
        allowed_label = allowed_label()
    raise CellProblem(str(CHOICE_MESSAGE) % {"value": text[:30], "allowed": allowed_label})
