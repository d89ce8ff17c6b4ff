"""Load the shipped framework files (inspections/frameworks/*.yaml) into the new tables.

Later changes to the files are loaded by `python manage.py load_frameworks`, which runs the same
sync; it is idempotent, so running both is harmless.
"""

from django.db import migrations


def load_frameworks(apps, schema_editor):
    # Pure modules only: the file loader, and a sync that is handed the migration's own models.
    from inspections.framework_files import load_dir
    from inspections.framework_sync import frameworks_sync

    frameworks_sync(load_dir(), get_model=lambda name: apps.get_model("inspections", name))


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_frameworks_inspections_milestones"),
    ]

    operations = [migrations.RunPython(load_frameworks, migrations.RunPython.noop)]
