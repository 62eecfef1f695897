"""Give every agency that existed before this app its default column tree.

Uses the historical models (not the service) so the migration keeps working when the service
changes; the tree itself is the one in ``defaults.py``.
"""

from django.db import migrations

from gongkai.disclosure.defaults import DEFAULT_TREE


def seed(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    Column = apps.get_model("disclosure", "Column")
    AgencySettings = apps.get_model("disclosure", "AgencySettings")

    def make(agency, specs, parent):
        for position, spec in enumerate(specs, start=1):
            column, _ = Column.objects.get_or_create(
                agency=agency,
                parent=parent,
                name=spec.name,
                defaults={
                    "kind": spec.kind,
                    "update_days": spec.update_days,
                    "position": position * 10,
                },
            )
            make(agency, spec.children, column)

    for agency in Agency.objects.all():
        AgencySettings.objects.get_or_create(agency=agency)
        make(agency, DEFAULT_TREE, None)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
