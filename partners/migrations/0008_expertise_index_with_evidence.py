"""The (area, person) index of expertise links gains the evidence's appearance.

The candidate finder groups the links under a workshop's themes by person and counts
their talks; with the appearance in the index it reads those links from the index alone
instead of visiting one table page per link. The new index serves every lookup the old
one did (its first two columns), so the old one goes.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conference", "0004_event_dates_optional"),
        ("partners", "0007_contact_confirmation"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="personexpertise",
            index=models.Index(fields=["area", "person", "appearance"], name="expertise_area_evidence_idx"),
        ),
        migrations.RemoveIndex(
            model_name="personexpertise",
            name="expertise_area_person_idx",
        ),
    ]
