"""Ledgers for export: what each domain app contributes to the exports feature.

Each app defines its ledgers next to its models (`orgs/sheets.py`, `party_branches/sheets.py`,
`venues/sheets.py`, `activities/sheets.py`, `scoring/sheets.py`) and registers them in its
`AppConfig.ready()` with `register`, so that the exports app (above them) finds them here and
none of them imports exports. A ledger function takes the requesting user, the list page's
query string and whether identifiers are shown in full, and returns a `Ledger` whose sheets
stream rows from `.iterator(chunk_size=...)` querysets that start from `visible_to(user)`: an
export never holds more than the user may see on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.quarters import parse_quarter
from core.xlsx import Sheet

# Rows fetched per round trip: the database cursor streams, memory stays flat.
CHUNK_SIZE = 2000

QUARTER_INVALID = gettext_lazy("Write the quarter as 2026Q3 (a year and a quarter 1 to 4).")
YEAR_INVALID = gettext_lazy("Write the year as four digits, e.g. 2026.")


@dataclass
class Ledger:
    """What one export writes: the workbook's title, its sheets and the download's name."""

    title: str
    sheets: list[Sheet]
    file_stem: str
    filters_summary: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def expected_rows(self) -> int | None:
        """Rows the sheets will hold (counted by the database when asked), None if unknown."""
        total = 0
        for sheet in self.sheets:
            count = sheet.expected_rows
            if callable(count):
                count = count()
            if count is None:
                return None
            total += count
        return total


LedgerBuilder = Callable[..., Ledger]

# kind -> the function defining the ledger, and kind -> the URL name of its list page (for the
# export page's "back" link), in the order the apps registered them (INSTALLED_APPS order).
BUILDERS: dict[str, LedgerBuilder] = {}
LIST_URLS: dict[str, str] = {}


def register(kind: str, builder: LedgerBuilder, *, list_url: str) -> None:
    """Offer a ledger for export (from an app's `ready()`); a kind is registered once."""
    if BUILDERS.get(kind, builder) is not builder:
        raise ValueError(f"Ledger kind {kind!r} is already registered.")
    BUILDERS[kind] = builder
    LIST_URLS[kind] = list_url


def filterset_summary(filterset) -> str:
    """The filters that narrowed a FilterSet, in words: "镇街: 城关街道; 类别: 文体娱乐类"."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return ""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        form_field = filterset.form.fields[name]
        if hasattr(form_field, "choices") and not hasattr(value, "pk"):
            choices = {str(key): label for key, label in form_field.choices}
            values = value if isinstance(value, list | tuple) else [value]
            shown = "、".join(str(choices.get(str(v), v)) for v in values)
        else:
            shown = str(value)
        parts.append(f"{form_field.label}: {shown}")
    return "; ".join(parts)


def labels(choices) -> dict:
    """A choices list as {value: label}, labels rendered once in the active language."""
    return {value: str(label) for value, label in choices}


def yes_no(value) -> str:
    return _("Yes") if value else _("No")


def parse_year(text: str | None, *, default: int) -> int:
    """A year from the query string, or `default`; a clear Chinese error when malformed."""
    text = (text or "").strip()
    if not text:
        return default
    if not (text.isdigit() and len(text) == 4):
        raise ValidationError({"year": YEAR_INVALID})
    return int(text)


def parse_quarter_param(text: str | None):
    """A (year, quarter) from "2026Q3", or None when empty; a Chinese error when malformed."""
    text = (text or "").strip()
    if not text:
        return None
    quarter = parse_quarter(text)
    if quarter is None:
        raise ValidationError({"quarter": QUARTER_INVALID})
    return quarter
