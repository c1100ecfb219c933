"""No two pending/confirmed bookings of one room overlap: a PostgreSQL exclusion constraint.

Measured: "check, then insert" inside a transaction double-books under concurrency on
PostgreSQL; only the database can refuse the second booking. SQLite has no EXCLUDE, so there
the service's check runs inside an IMMEDIATE (write-locked) transaction instead.
The extension needs a role allowed to create it (or btree_gist installed beforehand).
"""

from django.db import migrations

CONSTRAINT = "booking_no_overlap"


def add_exclusion_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE venues_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(room_id WITH =, tstzrange(\"start\", \"end\", '[)') WITH &&) "
        "WHERE (status IN ('pending', 'confirmed'))"
    )


def drop_exclusion_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE venues_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("venues", "0001_initial")]

    operations = [migrations.RunPython(add_exclusion_constraint, drop_exclusion_constraint)]
