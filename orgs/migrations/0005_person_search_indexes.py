"""Indexes for the county-wide people search.

The last 4 digits of an ID number or mobile: indexes on the expressions ``RIGHT(id_number, 4)``
and ``RIGHT(mobile, 4)`` (``SUBSTR(…, -4)`` on SQLite) that the search compares with
(Person.Meta.indexes, ``orgs.models.people.Tail``), on every database.

The name search, on PostgreSQL: a pg_trgm GIN index on the name with every character written
three times (``orgs.models.people.Tripled``), exactly the expression the search compares
(``UPPER(regexp_replace(name, …)::text) LIKE UPPER('%…%')``), so that fragments of 1 and 2
characters (a surname, a given name) are served too. PostgreSQL only, so it is created here
rather than in Meta.indexes; on SQLite this step does nothing.

Then the table is analysed: the planner chooses these indexes only once it has statistics on
the expressions (without them it keeps reading the name index in order).
"""

from django.db import migrations, models

import orgs.models.people

NAME_TRIGRAM_INDEX = "person_name_trgm_idx"


def create_name_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME_TRIGRAM_INDEX} ON orgs_person USING gin "
        "((UPPER(regexp_replace(\"name\", '(.)', '\\1\\1\\1', 'g')::text)) gin_trgm_ops)"
    )
    schema_editor.execute("ANALYZE orgs_person")


def drop_name_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("orgs", "0004_initial_history"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                orgs.models.people.Tail("id_number", length=4),
                name="person_id_number_tail_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                orgs.models.people.Tail("mobile", length=4),
                name="person_mobile_tail_idx",
            ),
        ),
        migrations.RunPython(
            create_name_trigram_index, drop_name_trigram_index, elidable=False
        ),
    ]
