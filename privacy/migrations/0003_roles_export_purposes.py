"""Give the Administrator role the export purposes' permissions (partners/roles.py): keep the list."""

from django.db import migrations


def sync(apps, schema_editor):
    from partners.roles import sync_roles

    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0002_roles"),
        ("partners", "0013_export_purposes_initial"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
