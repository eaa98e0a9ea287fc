"""Stored normalised names of people (``Person.name_key``, ``Person.name_zh_key``), indexed.

The duplicate matcher (``partners.services.find_person_matches`` and the import) finds people
with the same normalised name by looking the key up in these indexes instead of reading every
person. The columns are added, filled for the people already stored (in batches of
``BATCH`` people, on any database), and indexed once filled. A later change to
``partners.models.normalize_name`` needs a migration that fills them again the same way.
"""

from django.db import migrations, models

BATCH = 2000


def fill_name_keys(apps, schema_editor):
    from partners.models import name_key

    Person = apps.get_model("partners", "Person")
    connection = schema_editor.connection
    people = Person.objects.using(connection.alias).order_by("pk")
    table = connection.ops.quote_name(Person._meta.db_table)
    sql = f"UPDATE {table} SET name_key = %s, name_zh_key = %s WHERE id = %s"
    last = 0
    while batch := list(people.filter(pk__gt=last).values_list("pk", "full_name", "name_zh")[:BATCH]):
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(name_key(full_name), name_key(name_zh), pk) for pk, full_name, name_zh in batch])
        last = batch[-1][0]
    if connection.vendor == "postgresql":
        # Every row was rewritten: fresh statistics, as autovacuum would gather them a little later.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0005_expertise_evidence_cascade"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="name_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=300),
        ),
        migrations.AddField(
            model_name="person",
            name="name_zh_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=300),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["name_key"], name="person_name_key_idx"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["name_zh_key"], name="person_name_zh_key_idx"),
        ),
    ]
