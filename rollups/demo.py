"""The demo's roll-ups: the seeders write records in bulk, past the services, so rebuild them.

At city and province scale on PostgreSQL the rows ``rollups.services.rebuild`` computes are
written with COPY, the tables' plain indexes built once afterwards (province: ~500,000 rows,
which ``bulk_create`` sent through ``INSERT … UNNEST``). The same rows either way.
"""

from django.db import connection, transaction

from core.bulk import copy_create
from core.demo import loading
from rollups.services import SOURCES, _lock, rebuild

CHUNK = 20_000


def _rebuild_by_copy(context) -> dict[str, int]:
    """``rebuild()``, the rows written with COPY (PostgreSQL)."""
    written = {}
    with transaction.atomic():
        for label, source in sorted(SOURCES.items()):
            _lock(source.model)
            source.model.objects.all().delete()
            count = 0
            with loading(context, source.model):
                batch = []
                for row in source.rows():
                    batch.append(source.model(**row))
                    if len(batch) >= CHUNK:
                        copy_create(source.model, batch)
                        count += len(batch)
                        batch = []
                copy_create(source.model, batch)
            written[label] = count + len(batch)
    return written


def seed_rollups(context) -> None:
    if connection.vendor == "postgresql" and context.scale != "county":
        written = _rebuild_by_copy(context)
    else:
        written = rebuild()
    context.summary.append(f"月度汇总 {sum(written.values())} 行")
