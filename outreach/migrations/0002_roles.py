"""Give the staff roles the interaction permissions (partners/roles.py lists them)."""

from django.db import migrations


def sync(apps, schema_editor):
    from partners.roles import sync_roles

    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("outreach", "0001_initial"),
        ("conference", "0003_roles"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
