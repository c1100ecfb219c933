"""The ledgers that can be exported, as the apps registered them in `core.ledgers`.

The exports feature (this app: the export page, jobs, the command) reads the registry; the
ledgers themselves and their helpers live with the domain apps and `core.ledgers`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from core.ledgers import (
    BUILDERS,
    LIST_URLS,
    Ledger,
    LedgerBuilder,
    parse_quarter_param,
    parse_year,
)

# The registered kinds, in order (filled by the apps' ready(), before any request).
KINDS = BUILDERS
# Query-string keys that never narrow an export (pagination, htmx).
IGNORED_PARAMS = frozenset({"page", "csrfmiddlewaretoken", "ledger"})

KIND_REQUIRED = gettext_lazy("Choose what to export.")
KIND_UNKNOWN = gettext_lazy(
    "Unknown ledger %(kind)s: choose one of orgs, members, branches, meetings, bookings, "
    "activities, ranking, awards."
)

__all__ = [
    "KINDS",
    "LIST_URLS",
    "Ledger",
    "as_querydict",
    "build_ledger",
    "ledger_builder",
    "parse_quarter_param",
    "parse_year",
    "stored_filters",
]


def ledger_builder(kind: str) -> LedgerBuilder:
    """The function defining the ledger `kind`; a clear Chinese error for an unknown kind."""
    if not kind:
        raise ValidationError({"ledger": KIND_REQUIRED})
    if kind not in KINDS:
        raise ValidationError({"ledger": KIND_UNKNOWN % {"kind": kind}})
    return KINDS[kind]


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
