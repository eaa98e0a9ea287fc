"""``Person.search_text``: both names in search form (``partners.textsearch.fold``), and the
Chinese name keys again, now folded to Traditional with Taiwan's variants.

The column is added and filled for the people already stored (in batches, on any
database), with ``name_key``/``name_zh_key`` refilled as ``normalize_name`` now gives them
(「王晓明」 and 「王曉明」, 「台」 and 「臺」 now share a key). On PostgreSQL a trigram GIN
index on the column serves the finder's and the person list's ``LIKE '%word%'`` for words
of three characters or more; shorter words read the column through a sequential scan
(see BENCHMARKS.md, "Candidate finder").
"""

from django.db import migrations, models

BATCH = 2000


def fill_search_text(apps, schema_editor):
    from partners.models import name_key
    from partners.textsearch import search_text

    Person = apps.get_model("partners", "Person")
    connection = schema_editor.connection
    people = Person.objects.using(connection.alias).order_by("pk")
    table = connection.ops.quote_name(Person._meta.db_table)
    sql = f"UPDATE {table} SET name_key = %s, name_zh_key = %s, search_text = %s WHERE id = %s"
    last = 0
    while batch := list(people.filter(pk__gt=last).values_list("pk", "full_name", "name_zh")[:BATCH]):
        rows = [
            (name_key(full_name), name_key(name_zh), search_text(full_name, name_zh), pk)
            for pk, full_name, name_zh in batch
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        last = batch[-1][0]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS partners_person_search_text_trgm"
                f" ON {table} USING gin (search_text gin_trgm_ops)"
            )
            cursor.execute(f"ANALYZE {table}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS partners_person_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0008_expertise_index_with_evidence"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, drop_index, elidable=True),
    ]
