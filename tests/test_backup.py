"""Backups: the seed record and its audit history, dumped as README.md, "Deployment" says, restored into an
empty database, are all there again — every row, every history row, still pointing at its record."""

import json

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from conference.models import Candidacy, Event
from partners.models import ContactMethod, Organization, Person
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

# What the backup leaves out (README.md, "Deployment"): rebuilt by `migrate`, or not worth keeping.
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions", "axes"]
# XML keeps datetimes to the microsecond (JSON rounds them to milliseconds, which would blur
# the order of history rows saved in the same millisecond).
DUMPDATA_OPTIONS = ["--natural-foreign", "--format=xml", *[f"--exclude={name}" for name in NOT_BACKED_UP]]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def backed_up_models():
    for model in apps.get_models():
        label = model._meta.label_lower
        if any(label == name or label.startswith(f"{name}.") for name in NOT_BACKED_UP):
            continue
        if model._meta.proxy:
            continue
        yield model


def snapshot():
    """Every backed-up row, serialized with natural foreign keys (content types and permissions get new ids)."""
    rows = {}
    for model in backed_up_models():
        serialized = serializers.serialize(
            "python", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        rows[model._meta.label_lower] = [json.dumps(row, sort_keys=True, default=str) for row in serialized]
    return rows


@pytest.fixture
def seeded_with_history(role_user):
    """The seed record, then a morning's work in the admin: history rows by a named user, a deleted person."""
    call_command("loaddata", "fnusa_2022", verbosity=0)
    editor = Client()
    editor.force_login(role_user("Coordinator", username="desk-officer"))
    editor.cookies["django_language"] = "en"

    # The report gives no e-mail addresses: an officer adds one, then corrects it on the person's page.
    person = Person.objects.order_by("pk")[1]
    editor.post(
        reverse("admin:partners_contactmethod_add"),
        {"person": person.pk, "kind": "email", "value": "first@example.test", "is_primary": "on"},
    )
    email = ContactMethod.objects.get(value="first@example.test")
    person_url = reverse("admin:partners_person_change", args=[person.pk])
    editor.post(
        person_url, change_form_data(editor.get(person_url), **{"contact_methods-0-value": "moved@example.test"})
    )
    organization = Organization.objects.order_by("pk").first()
    organization_url = reverse("admin:partners_organization_change", args=[organization.pk])
    editor.post(organization_url, change_form_data(editor.get(organization_url), notes="Met again in 2024"))
    # A gap in the primary keys, as real databases have: history must still find the right records.
    gone = (
        Organization.objects.filter(
            affiliations__isnull=True, appearances__isnull=True, organized_events__isnull=True, children__isnull=True
        )
        .order_by("pk")
        .first()
    )
    editor.post(reverse("admin:partners_organization_delete", args=[gone.pk]), {"post": "yes"})
    assert not Organization.objects.filter(pk=gone.pk).exists()
    return {"email": email, "gone": gone.pk}


def test_the_seed_record_and_its_history_survive_a_dump_and_restore(seeded_with_history, tmp_path):
    backup = tmp_path / "liaison-backup.xml"
    before = snapshot()
    assert before["partners.historicalcontactmethod"], "the edits left history rows"
    assert len(before["partners.person"]) > 5 and len(before["conference.session"]) > 5

    call_command("dumpdata", *DUMPDATA_OPTIONS, f"--output={backup}", verbosity=0)
    # Inside the test's transaction PostgreSQL holds the deferred foreign-key checks,
    # and refuses TRUNCATE until they have run.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    emptied = (Person.objects.count(), Event.objects.count(), Person.history.count())
    call_command("loaddata", str(backup), verbosity=0)

    assert emptied == (0, 0, 0)
    assert snapshot() == before
    # Every history row still belongs to its record (primary keys are kept, gaps and all).
    for model in [Person, Organization, ContactMethod, Candidacy]:
        for record in model.history.all():
            current = model.objects.filter(pk=record.id).first()
            assert current is None or current.uuid == record.uuid, (model, record.id)
    latest = ContactMethod.objects.get(pk=seeded_with_history["email"].pk).history.latest("history_date")
    assert (latest.value, latest.history_user.username) == ("moved@example.test", "desk-officer")
    deleted = Organization.history.filter(id=seeded_with_history["gone"]).latest("history_date")
    assert (deleted.history_type, deleted.history_user.username) == ("-", "desk-officer")
