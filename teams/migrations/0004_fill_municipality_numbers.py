"""The kommunenummer of Hålogalandsrådet's eight municipalities, by name, where none is set yet:
the numbers in force since 1 January 2024 (Troms: 55xx; Nordland: 18xx)."""

from django.db import migrations

NUMBERS = {
    "Kvæfjord": "5510",
    "Harstad": "5503",
    "Ibestad": "5514",
    "Tjeldsund": "5512",
    "Evenes": "1853",
    "Gratangen": "5516",
    "Lavangen": "5518",
    "Narvik": "1806",
}


def fill_numbers(apps, schema_editor):
    Municipality = apps.get_model("teams", "Municipality")
    for name, number in NUMBERS.items():
        Municipality.objects.filter(name=name, number="").update(number=number)


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0003_municipality_number"),
    ]

    operations = [
        migrations.RunPython(fill_numbers, migrations.RunPython.noop, elidable=True),
    ]
