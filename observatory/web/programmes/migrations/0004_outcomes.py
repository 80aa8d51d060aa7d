"""The starting list of outcomes providers count in their returns (editable later)."""

from django.db import migrations

OUTCOMES = [
    "Re-engaged in education, employment or training",
    "Reduced risk, as assessed by the keyworker",
    "Safety plan in place",
    "Moved on to positive activities",
    "Improved wellbeing score",
    "No further arrest reported in the quarter",
    "Exited exploitation",
]


def load(apps, schema_editor):
    outcome = apps.get_model("programmes", "Outcome")
    for name in OUTCOMES:
        outcome.objects.get_or_create(name=name)


def unload(apps, schema_editor):
    apps.get_model("programmes", "Outcome").objects.filter(name__in=OUTCOMES).delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_quarterly_returns")]

    operations = [migrations.RunPython(load, unload)]
