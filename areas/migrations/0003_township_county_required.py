import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Every township in a county (a migration of its own: on PostgreSQL the rows updated by
    0002 must be committed before the column changes)."""

    dependencies = [
        ("areas", "0002_counties"),
    ]

    operations = [
        migrations.AlterField(
            model_name="township",
            name="county",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="townships",
                to="areas.county",
                verbose_name="county",
            ),
        ),
        migrations.AddConstraint(
            model_name="township",
            constraint=models.UniqueConstraint(
                fields=("county", "name"), name="township_name_unique_in_county"
            ),
        ),
        migrations.AddConstraint(
            model_name="county",
            constraint=models.UniqueConstraint(
                fields=("city", "name"), name="county_name_unique_in_city"
            ),
        ),
    ]
