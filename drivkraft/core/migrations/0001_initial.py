# The content revision moved here from `measures` (measures.0005): the table stays as it is,
# only Django's record of which app owns the model changes.
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("measures", "0004_roles"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentRevision",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("number", models.PositiveBigIntegerField(default=1, verbose_name="revisjon")),
                        (
                            "changed_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="sist endret"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "innholdsrevisjon",
                        "verbose_name_plural": "innholdsrevisjoner",
                        "db_table": "measures_contentrevision",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("id", 1)), name="contentrevision_single_row"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
