"""Initial history rows: every history-tracked row has its "+" row, however it was written.

django-simple-history writes a history row on ``save()``; ``bulk_create`` and ``update()`` write
none. A record without its initial row shows its first edit as a change from nothing. The seeder
calls ``write_initial_history`` for every tracked model once its rows are written; the data
migrations call it with the migration's historical models, so an installation seeded earlier
gets the rows too.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

HISTORY_FIELDS = frozenset(
    {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
)


def stamp_change(instance: Model, *, user: Any, reason: str = "") -> None:
    """Who makes the next ``save()`` of ``instance``, and why (when given).

    django-simple-history reads these two attributes into the history row it writes; they are
    not declared on the models, hence the untyped view of the instance.
    """
    tracked: Any = instance
    tracked._history_user = user
    if reason:
        tracked._change_reason = reason


def tracked_models() -> list:
    """Every model of the project with HistoricalRecords, in app order."""
    from django.apps import apps
    from simple_history.models import registered_models

    registered = set(registered_models.values())
    return [model for model in apps.get_models() if model in registered]


def history_model_of(model):
    """The historical model django-simple-history made for ``model``."""
    return model.history.model


def _copied_columns(model, history_model) -> list[str]:
    """The history table's columns that copy a column of the tracked table."""
    source_columns = {field.column for field in model._meta.concrete_fields}
    return [
        field.column
        for field in history_model._meta.concrete_fields
        if field.name not in HISTORY_FIELDS and field.column in source_columns
    ]


def write_initial_history(model, history_model=None, *, when=None) -> int:
    """Give every row of ``model`` that has no history row its initial "+" row; return how many.

    Works with the runtime models and with a migration's historical models (pass both). The
    row's ``created_at`` dates its initial row when the model has one, else ``when`` (now).
    One ``INSERT … SELECT`` in the database: no row passes through Python, so the province
    demo's million memberships get theirs in seconds.
    """
    history_model = history_model or history_model_of(model)
    when = when or timezone.now()
    quote = connection.ops.quote_name
    copied = _copied_columns(model, history_model)
    pk = quote(model._meta.pk.column)
    date = "COALESCE(s.{}, %s)".format(quote("created_at")) if "created_at" in copied else "%s"
    columns = ", ".join(quote(column) for column in copied)
    selected = ", ".join(f"s.{quote(column)}" for column in copied)
    target = quote(history_model._meta.db_table)
    # Only quoted table and column names are formatted in; the one value is a parameter.
    kind_date = f"{quote('history_type')}, {quote('history_date')}"
    missing = f"NOT EXISTS (SELECT 1 FROM {target} h WHERE h.{pk} = s.{pk})"  # noqa: S608
    source = quote(model._meta.db_table)
    sql = f"INSERT INTO {target} ({columns}, {kind_date}) SELECT {selected}, '+', {date} "
    sql += f"FROM {source} s"
    with connection.cursor() as cursor:
        # An empty history table (a new installation, the demo) needs no anti-join: with the
        # table's statistics saying "empty" PostgreSQL planned one scan of it per source row,
        # over the rows this very statement was adding (809,000 people: minutes, not seconds).
        cursor.execute(f"SELECT 1 FROM {target} LIMIT 1")  # noqa: S608
        if cursor.fetchone() is not None:
            sql += f" WHERE {missing}"
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(when)])
        return cursor.rowcount


def write_all_initial_history(*, when=None) -> dict[str, int]:
    """Write the initial history rows of every tracked model; return the counts by model."""
    return {
        model._meta.label: write_initial_history(model, when=when) for model in tracked_models()
    }


def write_history_rows(model, pks, *, user=None, when=None, history_type: str = "+") -> int:
    """Give the rows of ``model`` with these primary keys one history row each; return how many.

    What django-simple-history's ``bulk_create_with_history`` writes for them (every tracked
    field as the row holds it now, ``history_user``, ``history_date`` = ``when`` or now, no
    change reason), but in one ``INSERT … SELECT`` from the rows themselves: no historical
    instance is built in Python. Call after the rows are written, in the same transaction.
    """
    from django.conf import settings

    pks = list(pks)
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    history_model = history_model_of(model)
    when = when or timezone.now()
    quote = connection.ops.quote_name
    copied = _copied_columns(model, history_model)
    user_column = history_model._meta.get_field("history_user").column
    history_columns = ["history_type", "history_date", user_column, "history_change_reason"]
    columns = ", ".join(quote(column) for column in [*copied, *history_columns])
    selected = ", ".join(f"s.{quote(column)}" for column in copied)
    pk = f"s.{quote(model._meta.pk.column)}"
    # Only quoted table and column names are formatted in; every value is a parameter (the
    # keys as one array on PostgreSQL, one JSON list on SQLite).
    if connection.vendor == "postgresql":
        among, keys = f"{pk} = ANY(%s::bigint[])", [pks]
    elif connection.vendor == "sqlite":
        among, keys = f"{pk} IN (SELECT value FROM json_each(%s))", [json.dumps(pks)]  # noqa: S608
    else:
        among, keys = f"{pk} IN ({', '.join(['%s'] * len(pks))})", pks
    sql = (
        f"INSERT INTO {quote(history_model._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {selected}, %s, %s, %s, NULL FROM {quote(model._meta.db_table)} s "
        f"WHERE {among}"
    )
    user_pk = getattr(user, "pk", None) if user is not None and user.is_authenticated else None
    params = [history_type, connection.ops.adapt_datetimefield_value(when), user_pk, *keys]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
