"""Leave 15% of each page of people free (PostgreSQL's ``fillfactor``), so that an update that changes no
indexed column (an honorific, a title, the date a record was last confirmed, a version number) is written
beside the old row version as a heap-only tuple: none of the table's 13 indexes — three of them trigram
GIN indexes — is touched. With full pages every changed row went into every index: the people ``UPDATE``
of a 10,000-row import of updates took ~1 s at 100,000 people, 0.13–0.19 s with room on the pages
(BENCHMARKS.md, "Updates written like inserts").

Rows written after this migration get the room at once; rows already stored get it when they are next
moved, or all at once with ``VACUUM FULL partners_person`` in a maintenance window (it locks the table
while it rewrites it; README, "Deployment"). PostgreSQL only: nothing on other databases.
"""

from django.db import migrations

FILLFACTOR = 85


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE partners_person SET (fillfactor = {FILLFACTOR})")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE partners_person RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("partners", "0016_person_bio_trigram_index")]

    operations = [migrations.RunPython(leave_room, fill_pages)]
