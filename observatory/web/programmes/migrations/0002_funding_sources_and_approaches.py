"""The starting lists of funding sources and intervention approaches (editable later)."""

from django.db import migrations

FUNDING_SOURCES = [
    "Home Office core grant",
    "Safer Streets",
    "Youth Justice Sport Fund",
    "Youth Endowment Fund",
    "Police and Crime Commissioner",
    "Local authority",
    "NHS",
]

APPROACHES = [
    "Mentoring",
    "A&E navigators",
    "Sport",
    "Focused deterrence",
    "Cognitive behavioural therapy (CBT)",
    "Detached youth work",
    "Trauma-informed training",
    "Bystander programmes",
    "Custody navigators",
    "Resettlement support",
    "Parenting support",
    "Safe routes (chaperones)",
]


def load(apps, schema_editor):
    funding_source = apps.get_model("programmes", "FundingSource")
    approach = apps.get_model("programmes", "Approach")
    for name in FUNDING_SOURCES:
        funding_source.objects.get_or_create(name=name)
    for name in APPROACHES:
        approach.objects.get_or_create(name=name)


def unload(apps, schema_editor):
    apps.get_model("programmes", "FundingSource").objects.filter(name__in=FUNDING_SOURCES).delete()
    apps.get_model("programmes", "Approach").objects.filter(name__in=APPROACHES).delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
