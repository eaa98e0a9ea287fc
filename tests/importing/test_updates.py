"""Updates written like inserts (on PostgreSQL one UPDATE … FROM per table, from a temporary table
filled by COPY or, for the people written while the rest is compared, from arrays; plain UPDATEs on
SQLite): the same rows, history and versions as Django's bulk_update gave, all or nothing, and
only where the record is still as the import read it."""

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from importing import contact_writes, contacts, writing
from importing.contacts import ImportPlanner
from partners.models import Affiliation, ContactMethod, Organization, Person, PersonExpertise
from partners.names import name_key
from partners.resources import ContactSheetResource, simple_key
from tests.importing.test_import import build_awkward_people, export, run, taxonomy  # noqa: F401

pytestmark = pytest.mark.django_db


def updates_file():
    """Our own export of everyone with cells changed: honorific, date, Chinese name, title,
    Chinese organization name, a new primary e-mail for every third person, a language."""
    table, column = table_of(export("csv"))
    for number, row in enumerate(table[1:]):
        row[column["honorific"]] = "Prof." if row[column["honorific"]] != "Prof." else "Dr."
        row[column["last_confirmed"]] = "2026-11-30"
        if number % 2:
            row[column["name_zh"]] = f"更新{number}號"
        if number % 3 == 0:
            row[column["email"]] = f"new{number}@example.org"
            row[column["title"]] = f"Director {number}" if row[column["organization"]] else ""
        if number % 4 == 1:
            row[column["languages"]] = "|".join(filter(None, [row[column["languages"]], "de"]))
        if number == 4:
            row[column["organization_zh"]] = "新名稱組織"
    return as_file(table)


def table_of(content):
    """A contact sheet's rows (the header first), and each column's position by its key."""
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    with translation.override("en"):
        keys = ContactSheetResource().header_map()
    return table, {keys[simple_key(text.lstrip("'"))]: position for position, text in enumerate(table[0])}


def as_file(table):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return buffer.getvalue().encode()


def everything():
    """Every row the import can touch, without ids the sequences hand out or times of the run."""

    def rows(queryset, *skip):
        names = [field.attname for field in queryset.model._meta.concrete_fields if field.attname not in skip]
        return sorted((tuple(map(str, values)) for values in queryset.values_list(*names)), key=str)

    drawn = ("history_id", "history_date", "updated_at")
    history_languages = Person.history.model._meta.get_field("historicalperson_languages").related_model
    return {
        "people": rows(Person.objects.all(), "updated_at"),
        "people history": rows(Person.history.all(), *drawn),
        "people history languages": rows(history_languages.objects.all(), "id", "history_id", "m2m_history_id"),
        "languages": rows(Person.languages.through.objects.all(), "id"),
        "contacts": rows(ContactMethod.objects.all(), "id", "uuid", "updated_at", "created_at"),
        "contacts history": rows(ContactMethod.history.all(), "id", "uuid", "created_at", *drawn),
        "jobs": rows(Affiliation.objects.all(), "id", "uuid", "updated_at", "created_at"),
        "jobs history": rows(Affiliation.history.all(), "id", "uuid", "created_at", *drawn),
        "organizations": rows(Organization.objects.all(), "updated_at"),
        "organizations history": rows(Organization.history.all(), *drawn),
        "expertise": rows(PersonExpertise.objects.all(), "id", "uuid", "created_at"),
    }


def bulk_update_rows(model, rows, fields, *, versions=None):
    """The way updates were written before: Django's bulk_update (a CASE WHEN per field per row)."""
    pk = model._meta.pk.attname
    stored = model._default_manager.in_bulk([row[pk] for row in rows])
    instances = []
    for row in rows:  # the stored records with the row's fields set, as a model form would
        instance = stored[row[pk]]
        for name in fields:
            setattr(instance, model._meta.get_field(name).attname, row[name])
        instances.append(instance)
    model._default_manager.bulk_update(instances, fields, batch_size=500)


def imported_with(update, monkeypatch, content, *, while_comparing):
    monkeypatch.setattr(writing, "update_rows", update)
    monkeypatch.setattr(contact_writes, "update_rows", update)
    monkeypatch.setattr(ImportPlanner, "WRITE_WHILE_COMPARING", while_comparing)
    with transaction.atomic():
        result = run(content)
        outcome = (result.committed, result.file_errors, result.counts, everything())
        transaction.set_rollback(True)
    monkeypatch.undo()
    return outcome


def test_updates_give_exactly_what_bulk_update_gave(taxonomy, monkeypatch):  # noqa: F811
    build_awkward_people(60, taxonomy)
    content = updates_file()
    before = everything()

    # Before: every write once all rows were compared, the people with bulk_update. Now: on
    # PostgreSQL the people written while the rest is compared (update_rows elsewhere).
    reference = imported_with(bulk_update_rows, monkeypatch, content, while_comparing=False)
    new = imported_with(writing.update_rows, monkeypatch, content, while_comparing=True)

    assert reference[:3] == (True, [], {"new": 0, "update": 60, "unchanged": 0, "duplicate": 0, "error": 0})
    assert new[:3] == reference[:3]
    for table in before:
        assert new[3][table] == reference[3][table], table
    assert new[3]["people history"] != before["people history"]  # the file did change them
    versions = sorted(version for (*_, version) in Person.objects.values_list("pk", "version"))
    assert versions == [1] * 60  # both runs were rolled back


def test_updates_bump_versions_and_keep_name_keys_true(taxonomy):  # noqa: F811
    build_awkward_people(9, taxonomy)
    versions = dict(Person.objects.values_list("pk", "version"))

    result = run(updates_file())

    assert result.committed
    columns = ("pk", "version", "full_name", "name_zh", "name_key", "name_zh_key", "search_text")
    for pk, version, full_name, name_zh, key, zh_key, search_text in Person.objects.values_list(*columns):
        assert version == versions[pk] + 1
        assert (key, zh_key) == (name_key(full_name), name_key(name_zh))
        assert search_text == Person.search_text_of(full_name, name_zh)
    assert Person.objects.filter(name_zh="更新1號").count() == 1


def test_a_person_changed_while_the_import_runs_refuses_it_whole(taxonomy, monkeypatch):  # noqa: F811
    build_awkward_people(12, taxonomy)
    content = updates_file()
    history = Person.history.count()
    edited = Person.objects.order_by("pk")[5]
    load_people = ImportPlanner.load_people

    def someone_edits_meanwhile(planner, sent):
        load_people(planner, sent)
        if edited.pk in planner.people and planner.people[edited.pk]["honorific"] != "Rev.":
            # A colleague saves the person between the import's reading them and its writing.
            Person.objects.filter(pk=edited.pk).update(honorific="Rev.", version=F("version") + 1)

    monkeypatch.setattr(ImportPlanner, "load_people", someone_edits_meanwhile)

    result = run(content)

    assert not result.committed
    assert result.file_errors == [
        "1 record was changed by someone else while contacts.csv was being imported; nothing was written. "
        "Import the file again: it will be compared with the record as it is now."
    ]
    assert Person.history.count() == history
    assert set(Person.objects.values_list("version", flat=True)) == {1}  # the colleague's edit rolled back too
    assert not Person.objects.filter(last_confirmed="2026-11-30").exists()


def test_a_failure_half_way_through_the_updates_leaves_everything_as_it_was(taxonomy, monkeypatch):  # noqa: F811
    build_awkward_people(12, taxonomy)
    content = updates_file()
    before = everything()
    original = writing.update_rows

    def failing(model, rows, fields, *, versions=None):
        if model is Affiliation:  # after the people and their contacts were written
            raise DatabaseError("disk full")
        return original(model, rows, fields, versions=versions)

    monkeypatch.setattr(writing, "update_rows", failing)

    result = run(content)

    assert not result.committed
    assert result.file_errors == [  # the database's reason is said since issue 21, item 4
        "The database refused the import of contacts.csv; nothing was written. The reason: disk full"
    ]
    assert everything() == before


def test_each_history_row_of_the_import_holds_the_languages_and_values_written(taxonomy):  # noqa: F811
    build_awkward_people(6, taxonomy)
    table, column = table_of(updates_file())
    new = [""] * len(table[0])
    new[column["full_name"]], new[column["languages"]] = "New Person Example", "en|ja"
    new[column["email"]], new[column["expertise"]] = "new.person@example.org", "t-visa"
    result = run(as_file([*table, new]))

    assert result.committed, (result.file_errors, result.errors)
    assert result.counts["new"] == 1 and result.counts["update"] == 6
    for person in Person.objects.all():
        latest = person.history.order_by("-history_id").first()
        assert latest.history_change_reason == "Imported from contacts.csv"
        assert latest.history_type == ("+" if person.full_name == "New Person Example" else "~")
        # simple-history's own view of the row: every value and every language as written
        assert sorted(link.language_id for link in latest.languages.all()) == sorted(
            person.languages.values_list("code", flat=True)
        )
        assert (latest.honorific, latest.name_zh, latest.version) == (person.honorific, person.name_zh, person.version)
    newcomer = Person.objects.get(full_name="New Person Example")
    written = [
        *ContactMethod.objects.filter(value__startswith="new"),  # the new e-mails, the newcomer's too
        *newcomer.expertise_links.all(),
    ]
    assert len(written) >= 3
    for record in written:
        latest = record.history.order_by("-history_id").first()  # the "+" row of this import
        fields = [field.attname for field in type(record)._meta.concrete_fields if field.attname != "updated_at"]
        assert [getattr(latest, name) for name in fields] == [getattr(record, name) for name in fields]
        assert (latest.history_type, latest.history_change_reason) == ("+", "Imported from contacts.csv")
    assert newcomer.contact_methods.get().history.get().history_type == "+"
    assert newcomer.expertise_links.get().history.get().history_change_reason == "Imported from contacts.csv"
    assert sorted(Person.objects.get(full_name="New Person Example").languages.values_list("code", flat=True)) == [
        "en",
        "ja",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statements")
def test_the_language_history_is_copied_from_the_links_without_reading_the_history_table(taxonomy):  # noqa: F811
    # Its rows come from the history rows just written (the pairs of person and history row, or
    # the statement's own): planned from the history table's statistics instead, a large import's
    # copy scanned the whole table.
    build_awkward_people(6, taxonomy)
    table, column = table_of(updates_file())
    new = [""] * len(table[0])
    new[column["full_name"]], new[column["languages"]] = "New Person Example", "en|ja"
    history_table = connection.ops.quote_name(Person.history.model._meta.db_table)
    languages_table = Person.history.model._meta.get_field("historicalperson_languages").related_model._meta.db_table

    with CaptureQueriesContext(connection) as queries:
        result = run(as_file([*table, new]))

    assert result.committed
    assert result.counts["new"] == 1 and result.counts["update"] == 6
    copies = [query["sql"] for query in queries if f'INSERT INTO "{languages_table}"' in query["sql"]]
    # The new person's, and the changed people's with their updates (one for each set of columns).
    assert {sql.split(" ", 1)[0] for sql in copies} == {"INSERT", "WITH"}
    for sql in copies:
        assert f"FROM {history_table}" not in sql and f"JOIN {history_table}" not in sql
    history = Person.history.model
    links = Person.languages.through.objects
    for person in Person.objects.all():
        latest = history.objects.filter(id=person.pk).latest("history_id")
        # Each row names the link it copies (its id), for the links held and those the import added.
        assert sorted((link.id, link.language_id) for link in latest.languages.all()) == sorted(
            links.filter(person=person).values_list("id", "language_id")
        )
    assert links.filter(language_id="de").exists() and links.exclude(language_id="de").exists()  # added, held


@pytest.mark.skipif(connection.vendor != "postgresql", reason="written while comparing on PostgreSQL only")
def test_a_refusal_of_a_write_sent_while_comparing_is_reported_and_nothing_is_written(taxonomy, monkeypatch):  # noqa: F811
    # The database answers a write sent while the next rows are compared later; its refusal still
    # rolls everything back and is said with its reason.
    build_awkward_people(12, taxonomy)
    content = updates_file()
    before = everything()
    changed_records = ImportPlanner.changed_records

    def too_long(planner, rows, now):
        records, versions = changed_records(planner, rows, now)
        for group in records.values():
            for record in group:
                if "honorific" in record:
                    record["honorific"] = "Dr." * 100  # longer than the column
        return records, versions

    monkeypatch.setattr(ImportPlanner, "changed_records", too_long)

    with CaptureQueriesContext(connection) as queries:
        result = run(content)

    assert any(query["sql"].startswith("WITH written AS (UPDATE") for query in queries)  # the write was sent
    assert not result.committed
    assert len(result.file_errors) == 1
    assert result.file_errors[0].startswith(
        "The database refused the import of contacts.csv; nothing was written. The reason: value too long"
    )
    assert everything() == before


def test_a_bad_row_found_after_earlier_rows_were_written_leaves_everything_as_it_was(taxonomy, monkeypatch):  # noqa: F811
    # Compared and written a few rows at a time: a row further down with the same e-mail as the
    # first (an error found only when it is matched) undoes what was written before it.
    monkeypatch.setattr(contacts, "COMPARE_ROWS", 3)
    build_awkward_people(12, taxonomy)
    table, column = table_of(updates_file())
    table[-1][column["email"]] = table[1][column["email"]]
    before = everything()

    with CaptureQueriesContext(connection) as queries:
        result = run(as_file(table))

    if connection.vendor == "postgresql":  # the first parts' people were written before the bad row was read
        assert len([query for query in queries if query["sql"].startswith("WITH written AS (UPDATE")]) >= 3
    assert not result.committed
    assert [error.row for error in result.errors] == [len(table)]
    assert "combine the two rows" in result.errors[0].message
    assert everything() == before
