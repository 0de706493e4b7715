from django.db import migrations

# The role names are part of the contract with the people who run the portal; see measures/roles.py.
ROLES = ("Prosjektleder", "Tiltaksansvarlig", "Styringsgruppe")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("measures", "0003_history"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
