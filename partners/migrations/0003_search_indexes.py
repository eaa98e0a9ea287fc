"""Indexes for searching and filtering 100,000 people (see BENCHMARKS.md for what each bought).

On PostgreSQL only (the RunPython steps do nothing on other databases):
- the pg_trgm extension and trigram GIN indexes on the expressions Django compares for
  ``icontains`` (``UPPER(column::text) LIKE UPPER('%word%')``): person names in both scripts,
  organization names and acronyms, contact values — the admin search, the candidate finder's
  text search and the import's duplicate matcher;
- a btree on ``UPPER(value::text)`` of contact methods, for the matcher's ``value__iexact``
  (e-mail) lookups;
- a ``varchar_pattern_ops`` btree on the expertise area path, so ``path LIKE '0001%'`` (a
  subtree) is an index range scan whatever the database's collation.

On every database: people by (full_name, id), the person list's order, so a page of the
changelist reads 100 index entries instead of sorting every person; expertise links by (area,
person), so the people holding the areas of a subtree come from the index alone.
"""

from django.db import migrations, models

TRIGRAM_INDEXES = [
    ("partners_person_full_name_trgm", "partners_person", "full_name"),
    ("partners_person_name_zh_trgm", "partners_person", "name_zh"),
    ("partners_organization_name_trgm", "partners_organization", "name"),
    ("partners_organization_name_zh_trgm", "partners_organization", "name_zh"),
    ("partners_organization_acronym_trgm", "partners_organization", "acronym"),
    ("partners_contactmethod_value_trgm", "partners_contactmethod", "value"),
]
BTREE_INDEXES = [
    ("partners_contactmethod_value_upper", "partners_contactmethod", "(UPPER(value::text))"),
    ("partners_expertisearea_path_pattern", "partners_expertisearea", "(path varchar_pattern_ops)"),
]


def create_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )
    for name, table, expression in BTREE_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {expression}")


def drop_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The pg_trgm extension stays: other objects may use it, and it costs nothing unused.
    for name, _table, _column in [*TRIGRAM_INDEXES, *BTREE_INDEXES]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_languages")]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["full_name", "id"], name="person_name_order_idx"),
        ),
        migrations.AddIndex(
            model_name="personexpertise",
            index=models.Index(fields=["area", "person"], name="expertise_area_person_idx"),
        ),
        migrations.RunPython(create_postgresql_indexes, drop_postgresql_indexes),
    ]
