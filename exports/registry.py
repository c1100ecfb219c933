"""The ledgers that can be exported: kind -> the function that defines its sheets.

Each app defines its ledgers next to its models (`orgs/sheets.py`, `party_branches/sheets.py`,
`venues/sheets.py`, `activities/sheets.py`, `scoring/sheets.py`). A ledger function takes the
requesting user, the list page's query string and whether identifiers are shown in full, and
returns a `Ledger` whose sheets stream rows from `.iterator(chunk_size=...)` querysets that
start from `visible_to(user)`: an export never holds more than the user may see on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exports.xlsx import Sheet

# Rows fetched per round trip: the database cursor streams, memory stays flat.
CHUNK_SIZE = 2000
# Query-string keys that never narrow an export (pagination, htmx).
IGNORED_PARAMS = frozenset({"page", "csrfmiddlewaretoken", "ledger"})

KIND_REQUIRED = gettext_lazy("Choose what to export.")
KIND_UNKNOWN = gettext_lazy(
    "Unknown ledger %(kind)s: choose one of orgs, members, branches, meetings, bookings, "
    "activities, ranking, awards."
)
QUARTER_INVALID = gettext_lazy("Write the quarter as 2026Q3 (a year and a quarter 1 to 4).")
YEAR_INVALID = gettext_lazy("Write the year as four digits, e.g. 2026.")

KINDS: dict[str, str] = {
    "orgs": "orgs.sheets.organizations_ledger",
    "members": "orgs.sheets.members_ledger",
    "branches": "party_branches.sheets.branches_ledger",
    "meetings": "party_branches.sheets.meetings_ledger",
    "bookings": "venues.sheets.bookings_ledger",
    "activities": "activities.sheets.activities_ledger",
    "ranking": "scoring.sheets.ranking_ledger",
    "awards": "scoring.sheets.awards_ledger",
}

# Where each ledger's list page is, for the "back" links.
LIST_URLS: dict[str, str] = {
    "orgs": "orgs:organization_list",
    "members": "orgs:person_list",
    "branches": "party_branches:branch_list",
    "meetings": "party_branches:compliance_board",
    "bookings": "venues:utilisation",
    "activities": "activities:activity_list",
    "ranking": "home",
    "awards": "home",
}


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


def ledger_builder(kind: str) -> LedgerBuilder:
    """The function defining the ledger `kind`; a clear Chinese error for an unknown kind."""
    if not kind:
        raise ValidationError({"ledger": KIND_REQUIRED})
    if kind not in KINDS:
        raise ValidationError({"ledger": KIND_UNKNOWN % {"kind": kind}})
    return import_string(KINDS[kind])


def build_ledger(kind: str, *, user, params: QueryDict | dict, reveal: bool) -> Ledger:
    """Define the ledger `kind` for `user` narrowed by the list page's query `params`."""
    builder = ledger_builder(kind)
    return builder(user=user, params=as_querydict(params), reveal=reveal)


def as_querydict(params: QueryDict | dict | None) -> QueryDict:
    """A QueryDict from a request's GET or a job's stored {name: [values]}."""
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, values in (params or {}).items():
        if key in IGNORED_PARAMS:
            continue
        for value in values if isinstance(values, list | tuple) else [values]:
            query.appendlist(key, str(value))
    query._mutable = False
    return query


def stored_filters(params: QueryDict) -> dict[str, list[str]]:
    """The query string as JSON-able {name: [values]}, without pagination and empty values."""
    return {
        key: [value for value in params.getlist(key) if value != ""]
        for key in params
        if key not in IGNORED_PARAMS and any(value != "" for value in params.getlist(key))
    }


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
    from core.quarters import parse_quarter

    text = (text or "").strip()
    if not text:
        return None
    quarter = parse_quarter(text)
    if quarter is None:
        raise ValidationError({"quarter": QUARTER_INVALID})
    return quarter
