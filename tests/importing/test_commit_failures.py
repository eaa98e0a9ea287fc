"""Red team items 4 and 7: a database refusal during the import's commit (the raw COPY path
included) and a matched person merged away meanwhile are reported, never a 500 or a traceback."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import translation

from importing import contact_writes
from importing.contacts import ImportPlanner, import_contacts
from partners.models import ContactMethod, Person
from tests.factories import ContactMethodFactory, PersonFactory

IMPORT_URL = reverse("admin:partners_person_import")
FILE = b"Name (original),Primary e-mail,Country\nAnn Example,ann@example.org,US\n"


def file_for(person):
    """Rose's row, matched by her identifier, giving her a first (primary) e-mail."""
    return f"Identifier,Name (original),Primary e-mail\n{person.uuid},Rose Mukhar,rose@example.org\n".encode()


def write_between_planning_and_writing(monkeypatch, meanwhile):
    """Run ``meanwhile()`` after the import has read its rows and found the people they may be,
    before it matches and compares them with the stored records and writes."""
    original = ImportPlanner.compare_and_apply

    def compare_and_apply(self, result, *, reason):
        meanwhile()
        return original(self, result, reason=reason)

    monkeypatch.setattr(ImportPlanner, "compare_and_apply", compare_and_apply)


def write_after_reading_the_stored_records(monkeypatch, meanwhile):
    """Run ``meanwhile()`` once the import has read the stored records it compares its rows with,
    before it compares and writes them."""
    original = ImportPlanner.load_people

    def load_people(self, sent):
        original(self, sent)
        meanwhile()

    monkeypatch.setattr(ImportPlanner, "load_people", load_people)


def run(content=FILE):
    with translation.override("en"):
        return import_contacts(content, user=None, dry_run=False, filename="people.csv")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a second connection committing while the import's transaction is open: PostgreSQL only "
    "(SQLite locks the whole file, and only PostgreSQL bulk-writes through psycopg's raw COPY)",
)
def test_a_primary_email_added_by_another_connection_meanwhile_is_reported_not_a_crash(monkeypatch):
    rose = PersonFactory(full_name="Rose Mukhar")

    def other_user_adds_a_primary_email():
        def add():
            try:
                ContactMethod.objects.create(
                    person_id=rose.pk, kind="email", value="rose@other.example", is_primary=True
                )
            finally:
                connections.close_all()

        thread = threading.Thread(target=add)
        thread.start()
        thread.join()

    write_after_reading_the_stored_records(monkeypatch, other_user_adds_a_primary_email)

    result = run(file_for(rose))

    assert not result.committed
    assert len(result.file_errors) == 1
    assert result.file_errors[0].startswith("The database refused the import of people.csv; nothing was written.")
    assert "contact_one_primary_per_kind" in result.file_errors[0]
    assert list(ContactMethod.objects.filter(person=rose).values_list("value", flat=True)) == ["rose@other.example"]


@pytest.mark.django_db
def test_an_error_of_the_database_driver_itself_is_reported_with_its_reason(monkeypatch):
    """What COPY raises on PostgreSQL is the driver's error, not Django's; on SQLite, sqlite3's."""

    def failing(model, rows, history):
        raise connection.Database.IntegrityError("duplicate key value violates unique constraint\nDETAIL: …")

    monkeypatch.setattr(contact_writes, "create_with_history", failing)

    result = run()

    assert result.file_errors == [
        "The database refused the import of people.csv; nothing was written. "
        "The reason: duplicate key value violates unique constraint"
    ]
    assert (Person.objects.count(), ContactMethod.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_the_command_exits_1_with_the_databases_reason(monkeypatch, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(FILE)

    def failing(model, rows, history):
        raise connection.Database.OperationalError("disk full")

    monkeypatch.setattr(contact_writes, "create_with_history", failing)
    stderr = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("import_contacts", str(path), stderr=stderr)

    assert refused.value.returncode == 1
    assert "Nothing was imported from people.csv" in str(refused.value)
    assert (
        "The database refused the import of people.csv; nothing was written. The reason: disk full" in stderr.getvalue()
    )


@pytest.mark.django_db
def test_the_admin_reports_the_refusal_and_removes_the_upload(client, make_user, monkeypatch, tmp_path):
    import os
    import tempfile

    from importing.preview import UPLOAD_PREFIX

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client.force_login(make_user("importer", "partners.view_person", "partners.import_person"))
    client.cookies["django_language"] = "en"
    preview = client.post(IMPORT_URL, {"step": "preview", "file": SimpleUploadedFile("people.csv", FILE)})

    def failing(model, rows, history):
        raise connection.Database.OperationalError("disk full")

    monkeypatch.setattr(contact_writes, "create_with_history", failing)
    response = client.post(IMPORT_URL, {"step": "confirm", "token": preview.context["token"]}, follow=True)

    assert response.status_code == 200
    assert "nothing was written. The reason: disk full" in response.content.decode()
    assert [name for name in os.listdir(tmp_path) if name.startswith(UPLOAD_PREFIX)] == []


@pytest.mark.django_db
@pytest.mark.parametrize("when", ["before her record is read", "after her record is read"])
def test_a_matched_person_merged_away_meanwhile_is_reported_not_a_key_error(monkeypatch, when):
    rose = PersonFactory(full_name="Rose Mukhar")
    ContactMethodFactory(person=rose, value="rose@example.org")
    content = b"Name (original),Primary e-mail,Honorific\nRose Mukhar,rose@example.org,Dr.\n"

    if when == "before her record is read":
        write_between_planning_and_writing(monkeypatch, lambda: Person.objects.filter(pk=rose.pk).delete())
    else:  # compared with her record, then written where she no longer is
        write_after_reading_the_stored_records(monkeypatch, lambda: Person.objects.filter(pk=rose.pk).delete())

    result = run(content)

    assert not result.committed
    assert result.file_errors == [
        "Row 2 matched a person who was merged into another record or deleted meanwhile; nothing was written. "
        "Import the file again to match the records as they are now."
    ]
