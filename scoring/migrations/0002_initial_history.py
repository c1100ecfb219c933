"""Give every scoring record that has no history row its initial "+" row.

Rows written with bulk_create (the demo seeder, before issue 13) have none, so their first edit
showed no before and after. The rows are dated by the record's created_at where it has one.
"""

from django.db import migrations

from core.history import write_initial_history

TRACKED = ("Scheme", "Rule", "QuarterAssessment", "Award",)


def write_initial_rows(apps, schema_editor):
    for name in TRACKED:
        model = apps.get_model("scoring", name)
        history_model = apps.get_model("scoring", f"Historical{name}")
        write_initial_history(model, history_model)


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(write_initial_rows, migrations.RunPython.noop, elidable=True),
    ]
