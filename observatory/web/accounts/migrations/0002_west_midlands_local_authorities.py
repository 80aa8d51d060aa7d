"""The seven West Midlands local authorities, by their ONS codes, so organisations can be
placed in an area from the first run. Geography imports may add others."""

from django.db import migrations

WEST_MIDLANDS = {
    "E08000025": "Birmingham",
    "E08000026": "Coventry",
    "E08000027": "Dudley",
    "E08000028": "Sandwell",
    "E08000029": "Solihull",
    "E08000030": "Walsall",
    "E08000031": "Wolverhampton",
}


def add_local_authorities(apps, schema_editor):
    LocalAuthority = apps.get_model("accounts", "LocalAuthority")
    for code, name in WEST_MIDLANDS.items():
        LocalAuthority.objects.update_or_create(code=code, defaults={"name": name})


def remove_local_authorities(apps, schema_editor):
    apps.get_model("accounts", "LocalAuthority").objects.filter(code__in=WEST_MIDLANDS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(add_local_authorities, remove_local_authorities)]
