"""Stored name keys (Person.name_key, name_zh_key): true after every kind of write, and what the matcher reads."""

import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from duplicates.merging import merge_people
from importing.contacts import import_contacts
from importing.matching import PersonIndex, find_person_matches
from partners.models import Person
from partners.names import name_key, normalize_name
from partners.resources import ContactSheetResource
from tests.admin_forms import change_form_data
from tests.factories import OrganizationFactory, PersonFactory, make_contact_sheet_person

pytestmark = pytest.mark.django_db


def stored_keys():
    """{full name: (name_key, name_zh_key)} as the database holds them."""
    return {full_name: (key, zh_key) for full_name, key, zh_key in Person.objects.values_list(*KEY_COLUMNS)}


KEY_COLUMNS = ("full_name", "name_key", "name_zh_key")


def assert_keys_true():
    for person in Person.objects.all():
        assert (person.name_key, person.name_zh_key) == (
            normalize_name(person.full_name),
            normalize_name(person.name_zh),
        )


def test_saving_a_person_stores_the_normalised_names():
    PersonFactory(full_name="Dr. Rose  Mukhár", name_zh="王 小明")

    assert stored_keys() == {"Dr. Rose  Mukhár": ("mukhar rose", "王小明")}


def test_saving_only_the_name_stores_its_key_too():
    person = PersonFactory(full_name="Rose Mukhar", name_zh="")
    person.full_name = "Mukhar, Rosa"
    person.save(update_fields=["full_name"])

    assert stored_keys() == {"Mukhar, Rosa": ("mukhar rosa", "")}


def test_a_partly_loaded_person_saved_with_a_new_name_stores_its_key():
    PersonFactory(full_name="Rose Mukhar", name_zh="")
    person = Person.objects.only("full_name").get()
    person.full_name = "Ann Example"
    person.save()

    assert stored_keys() == {"Ann Example": ("ann example", "")}


def test_bulk_writes_of_the_queryset_keep_the_keys():
    Person.objects.bulk_create([Person(full_name="Ann Example"), Person(full_name="Rose Mukhar", name_zh="玫瑰")])
    people = list(Person.objects.order_by("full_name"))
    people[0].full_name = "Annie Example"
    Person.objects.bulk_update(people, ["full_name"])
    Person.objects.filter(full_name="Rose Mukhar").update(name_zh="王 玫瑰")

    assert stored_keys() == {"Annie Example": ("annie example", ""), "Rose Mukhar": ("mukhar rose", "王玫瑰")}


def test_a_bulk_update_of_names_by_expression_is_refused():
    from django.db.models.functions import Upper

    PersonFactory(full_name="Ann Example")

    with pytest.raises(TypeError):
        Person.objects.update(full_name=Upper("full_name"))


def test_an_admin_edit_keeps_the_keys(role_user):
    person = make_contact_sheet_person("Rose Example", "範例玫瑰")
    browser = Client()
    browser.force_login(role_user("Editor"))
    url = reverse("admin:partners_person_change", args=[person.pk])

    response = browser.post(url, change_form_data(browser.get(url), full_name="Mukhar, Rose", name_zh="王 小明"))

    assert response.status_code == 302
    assert stored_keys() == {"Mukhar, Rose": ("mukhar rose", "王小明")}


def sheet(*rows):
    with translation.override("en"):
        resource = ContactSheetResource()
        keys = list(dict.fromkeys(key for row in rows for key in row))
        lines = [",".join(str(resource.fields[key].column_name) for key in keys)]
    lines += [",".join(row.get(key, "") for key in keys) for row in rows]
    return "\r\n".join(lines).encode()


def test_an_import_stores_the_keys_of_new_and_renamed_people():
    stored = make_contact_sheet_person("Rose Example", "範例玫瑰", email="rose@example.org")

    result = import_contacts(
        sheet(
            {"uuid": str(stored.uuid), "full_name": "Rosalind Example", "name_zh": "羅莎琳"},
            {"full_name": "Seán O'Brien", "name_zh": "", "email": "sean@example.org"},
        ),
        user=None,
        dry_run=False,
    )

    assert result.committed, result.errors
    assert stored_keys() == {
        "Rosalind Example": ("example rosalind", "羅莎琳"),
        "Seán O'Brien": ("obrien sean", ""),
    }


def test_a_merge_keeps_the_keys_of_the_survivor():
    survivor = make_contact_sheet_person("Rose Example", "範例玫瑰", email="rose@example.org")
    duplicate = make_contact_sheet_person("Mukhar, Rose", "王玫瑰", email="rose.m@example.org")

    merge_people(survivor, duplicate, values={"full_name": "Mukhar, Rose", "name_zh": "王玫瑰"})

    assert stored_keys() == {"Mukhar, Rose": ("mukhar rose", "王玫瑰")}


def test_loading_a_fixture_stores_the_keys(tmp_path):
    fixture = tmp_path / "people.json"
    person = {
        "uuid": "0b7c2c3e-5d0c-4a53-9a43-0f3f3c0d6a11",
        "full_name": "ROSE  MUKHAR",
        "name_zh": "王 小明",
        "created_at": "2026-01-05T10:00:00Z",
        "updated_at": "2026-01-05T10:00:00Z",
    }
    fixture.write_text(json.dumps([{"model": "partners.person", "fields": person}]), encoding="utf-8")

    call_command("loaddata", str(fixture), verbosity=0)

    assert stored_keys() == {"ROSE  MUKHAR": ("mukhar rose", "王小明")}


def test_demo_data_stores_the_keys():
    from devtools.demo.builder import generate_demo_data

    generate_demo_data(people=30, seed=3, taxonomy_size=60)

    assert Person.objects.count() == 30
    assert_keys_true()


def test_the_migration_fills_the_keys_of_stored_people():
    migration = importlib.import_module("partners.migrations.0006_person_name_keys")
    PersonFactory(full_name="Rose Mukhar", name_zh="王 小明")
    PersonFactory(full_name="Ann Example", name_zh="")
    Person.objects.all().update(name_key="", name_zh_key="")

    migration.fill_name_keys(apps, SimpleNamespace(connection=connection))

    assert stored_keys() == {"Rose Mukhar": ("mukhar rose", "王小明"), "Ann Example": ("ann example", "")}


def test_name_key_is_cut_to_the_column_length():
    long_name = "Ab" * 200

    assert name_key(long_name) == normalize_name(long_name)[: Person._meta.get_field("name_key").max_length]


# -- the matcher reads the keys -----------------------------------------------------------------


def test_a_lookup_is_three_queries_e_mails_namesakes_and_holders_with_their_jobs(django_assert_num_queries):
    organization = OrganizationFactory()
    person = make_contact_sheet_person("Rose Mukhar", organization=organization, email="rose@example.org")
    make_contact_sheet_person("Ann Example", email="ann@example.org")

    with django_assert_num_queries(3):
        matches = find_person_matches(
            full_name="Mukhar, Rose", emails=["ANN@example.org"], organization_ids=[organization.pk]
        )

    assert sorted((m.person_id, m.certain) for m in matches) == sorted(
        [(person.pk, False), (Person.objects.get(full_name="Ann Example").pk, False)]
    )


def test_a_stored_name_with_accents_is_found_by_the_name_without_them():
    person = make_contact_sheet_person("Rose Mukhár", "")

    matches = find_person_matches(full_name="rose mukhar")

    assert [(m.person_id, m.certain, m.reasons) for m in matches] == [(person.pk, False, ["same name"])]


def test_a_chinese_name_in_the_original_name_field_meets_the_chinese_name():
    person = make_contact_sheet_person("Wang Xiaoming", "王小明")

    matches = find_person_matches(full_name="王 小明")

    assert [m.person_id for m in matches] == [person.pk]


def test_the_index_holds_only_the_people_the_values_can_match():
    rose = make_contact_sheet_person("Rose Mukhar", email="rose@example.org")
    ann = make_contact_sheet_person("Ann Example", "", email="ann@example.org")
    make_contact_sheet_person("Someone Else", "", email="else@example.org")

    index = PersonIndex.build(
        Person.objects.all(), emails=["ANN@example.org"], names=["Mukhar Rose"], identifiers=[str(rose.uuid)]
    )

    assert sorted(index.labels) == sorted([rose.pk, ann.pk])
    assert index.by_email == {"ann@example.org": {ann.pk}}
    assert index.identifiers == {str(rose.uuid): rose.pk}  # the identifiers asked for, not everyone's


def test_the_index_leaves_out_people_the_user_may_not_see():
    hidden = make_contact_sheet_person("Hidden Example", "", email="hidden@example.org", sensitive=True)

    index = PersonIndex.build(
        Person.objects.filter(sensitive=False), emails=["hidden@example.org"], names=["Hidden Example"]
    )
    everyone = PersonIndex.build(Person.objects.all(), emails=["hidden@example.org"], names=["Hidden Example"])

    assert index.labels == {}
    assert list(everyone.labels) == [hidden.pk]


def test_an_import_with_a_long_file_name_shortens_the_reason_of_related_history():
    long_name = "contacts " + "x" * 150 + ".csv"

    result = import_contacts(
        sheet({"full_name": "Ann Example", "email": "ann@example.org"}), user=None, dry_run=False, filename=long_name
    )

    assert result.committed, (result.file_errors, result.errors)
    person = Person.objects.get()
    assert person.history.get().history_change_reason == f"Imported from {long_name}"
    reason = person.contact_methods.get().history.get().history_change_reason
    assert len(reason) == 100 and reason.endswith("…")


def test_history_rows_of_an_import_carry_user_reason_date_type_and_languages(role_user):
    user = role_user("Editor", username="importer")
    stored = make_contact_sheet_person("Rose Example", "範例玫瑰", email="rose@example.org")

    with translation.override("en"):
        result = import_contacts(
            sheet(
                {"full_name": "Ann Example", "email": "ann@example.org", "languages": "fr|es"},
                {"full_name": "Rose Example", "email": "rose@example.org", "languages": "de"},
            ),
            user=user,
            dry_run=False,
            filename="people.csv",
        )

    assert result.committed, result.errors
    new = Person.objects.get(full_name="Ann Example")
    created, updated = new.history.get(), stored.history.latest("history_id")
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        user,
        "Imported from people.csv",
    )
    assert (updated.history_type, updated.history_user) == ("~", user)
    assert created.history_date == updated.history_date
    assert sorted(created.languages.values_list("language_id", flat=True)) == ["es", "fr"]
    assert sorted(updated.languages.values_list("language_id", flat=True)) == ["de", "en"]
    assert [record.history_type for record in new.contact_methods.get().history.all()] == ["+"]
