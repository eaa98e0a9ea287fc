"""A trigram GIN index on ``UPPER(bio)``, the expression Django compares for ``bio__icontains``, so that the
candidate finder's text search finds a word of three characters or more in the bio from the index instead of
reading every person (see BENCHMARKS.md, "Candidate finder"). PostgreSQL only: nothing on other databases.

Shorter words have no trigram to look up; the finder reads the people once for them, and compares Chinese
without ``UPPER`` (``conference.selectors.people_with_word``).
"""

from django.db import migrations

INDEX = "partners_person_bio_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON partners_person USING gin ((UPPER(bio::text)) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("partners", "0015_indexes_for_people_outside_a_view_and_wrong_emails")]

    operations = [migrations.RunPython(create_index, drop_index)]
