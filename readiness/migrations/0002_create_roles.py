"""Create the five role groups with their permissions.

Permissions of every app that exists at this point are created first, so the groups start complete;
readiness.roles.sync_after_migrate keeps them complete as later migrations add models.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from readiness.roles import sync_roles  # a plain table of names and patterns: no models imported


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    from readiness.roles import ROLE_NAMES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("readiness", "0001_initial"),
        ("casework", "0001_initial"),
        ("inspections", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
