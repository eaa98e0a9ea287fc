"""Give the Administrator role the personal-data permissions (partners/roles.py): read the access log,
erasure records and retention review, and erase on request."""

from django.db import migrations


def sync(apps, schema_editor):
    from partners.roles import sync_roles

    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0001_initial"),
        ("partners", "0011_person_personal_data"),
        ("conference", "0003_roles"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
