"""Create the staff roles (groups Viewer, Editor, Coordinator, Administrator) with their permissions.

The roles are defined in partners/roles.py; ``python manage.py sync_roles``
applies later changes to them.
"""

from django.db import migrations


def create_roles(apps, schema_editor):
    from partners.roles import sync_roles

    sync_roles(apps, using=schema_editor.connection.alias)


def delete_roles(apps, schema_editor):
    from partners.roles import remove_roles

    remove_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("partners", "0002_languages"),
        ("conference", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
