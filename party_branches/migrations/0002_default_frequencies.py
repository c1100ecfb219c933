"""Seed the required frequencies of organisational life (editable afterwards)."""

from django.db import migrations

DEFAULTS = {
    "committee": ("monthly", 1),
    "group": ("monthly", 1),
    "theme_day": ("monthly", 1),
    "general_meeting": ("quarterly", 1),
    "lecture": ("quarterly", 1),
    "life_meeting": ("yearly", 1),
    "appraisal": ("yearly", 1),
}


def seed(apps, schema_editor):
    RequiredFrequency = apps.get_model("party_branches", "RequiredFrequency")
    for kind, (period, count) in DEFAULTS.items():
        RequiredFrequency.objects.get_or_create(
            kind=kind, defaults={"period": period, "count": count}
        )


class Migration(migrations.Migration):
    dependencies = [("party_branches", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
