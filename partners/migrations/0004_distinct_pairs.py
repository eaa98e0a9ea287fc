"""Pairs marked "not a duplicate", and a text change reason on people's and organizations' history.

A merge records the removed record's values in the survivor's change reason (partners/duplicates.py,
``merge_people``), which does not fit simple-history's default of 100 characters.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalorganization",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.CreateModel(
            name="DistinctPair",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("person", "people"), ("organization", "organizations")],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("first_id", models.PositiveBigIntegerField(verbose_name="first record")),
                ("second_id", models.PositiveBigIntegerField(verbose_name="second record")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="marked")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="marked by",
                    ),
                ),
            ],
            options={
                "verbose_name": "pair marked not a duplicate",
                "verbose_name_plural": "pairs marked not duplicates",
                "ordering": ["kind", "first_id", "second_id"],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "first_id", "second_id"), name="distinct_pair_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("first_id__lt", models.F("second_id"))), name="distinct_pair_ordered"
                    ),
                ],
            },
        ),
    ]
