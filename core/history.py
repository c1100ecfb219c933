"""Initial history rows: every history-tracked row has its "+" row, however it was written.

django-simple-history writes a history row on ``save()``; ``bulk_create`` and ``update()`` write
none. A record without its initial row shows its first edit as a change from nothing. The seeder
calls ``write_initial_history`` for every tracked model once its rows are written; the data
migrations call it with the migration's historical models, so an installation seeded earlier
gets the rows too.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

HISTORY_FIELDS = frozenset(
    {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
)


def tracked_models() -> list:
    """Every model of the project with HistoricalRecords, in app order."""
    from django.apps import apps
    from simple_history.models import registered_models

    registered = set(registered_models.values())
    return [model for model in apps.get_models() if model in registered]


def history_model_of(model):
    """The historical model django-simple-history made for ``model``."""
    return model.history.model


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
    source_columns = {field.column for field in model._meta.concrete_fields}
    copied = [
        field.column
        for field in history_model._meta.concrete_fields
        if field.name not in HISTORY_FIELDS and field.column in source_columns
    ]
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
    sql += f"FROM {source} s WHERE {missing}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(when)])
        return cursor.rowcount


def write_all_initial_history(*, when=None) -> dict[str, int]:
    """Write the initial history rows of every tracked model; return the counts by model."""
    return {
        model._meta.label: write_initial_history(model, when=when) for model in tracked_models()
    }
