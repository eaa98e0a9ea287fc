"""A first list of export purposes; administrators keep it up to date in the admin."""

from django.db import migrations

PURPOSES = [
    ("Workshop invitation", "工作坊邀請"),
    ("Post briefing", "駐外館處簡報"),
    ("Conference follow-up", "會議後續聯繫"),
    ("Partner meeting", "合作夥伴會談"),
]


def create(apps, schema_editor):
    ExportPurpose = apps.get_model("partners", "ExportPurpose")
    for order, (name, name_zh) in enumerate(PURPOSES, start=1):
        ExportPurpose.objects.using(schema_editor.connection.alias).get_or_create(
            name=name, defaults={"name_zh": name_zh, "order": order}
        )


class Migration(migrations.Migration):

    dependencies = [("partners", "0012_export_purpose")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
