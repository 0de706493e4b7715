# The content revision is infrastructure now (core.0001 took the same table over).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0004_roles"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContentRevision")],
            database_operations=[],
        ),
    ]
