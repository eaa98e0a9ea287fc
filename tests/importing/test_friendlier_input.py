"""Issue 15, friendlier input: a phone without its country code takes the person's country; the
preview shows countries and languages by name."""

import pytest
from django.urls import reverse
from django.utils import translation

from importing.contacts import import_contacts
from partners.models import ContactMethod
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:partners_person_import")


def run(text):
    with translation.override("en"):
        return import_contacts(text.encode(), user=None, dry_run=True, filename="people.csv")


def test_a_phone_without_country_code_takes_the_rows_country_else_taiwan():
    result = run(
        "Name (original),Country,Primary phone,Other contact methods\n"
        "Ann Example,US,(202) 555-0143,phone (office): 202 555 0100\n"
        "Kenji Example,Japan,03-1234-5678,\n"
        "Mei Example,,02 2345 6789,\n"
        "Bob Example,US,+44 20 7946 0018,\n"
    )

    assert result.file_errors == [] and result.errors == []
    assert [row.values["phone"] for row in result.rows] == [
        "+12025550143",
        "+81312345678",
        "+886223456789",
        "+442079460018",
    ]
    assert result.rows[0].values["other_contacts"] == [("phone", "+12025550100", "office")]


def test_a_phone_entered_in_the_admin_takes_the_persons_country():
    person = PersonFactory(country="US")
    method = ContactMethod(person=person, kind=ContactMethod.Kind.PHONE, value="(202) 555-0143")

    method.full_clean()

    assert method.value == "+12025550143"


def test_the_preview_shows_countries_and_languages_by_name(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partners.models import Language

    Language.objects.update_or_create(code="es", defaults={"name": "Spanish", "name_zh": "西班牙語"})
    Language.objects.update_or_create(code="en", defaults={"name": "English", "name_zh": "英語"})
    stored = PersonFactory(full_name="Rose Mukhar", country="")
    stored.languages.add("en")
    client.force_login(make_user("importer", "partners.view_person", "partners.import_person"))
    text = f"Identifier,Name (original),Country,Languages\n{stored.uuid},Rose Mukhar,US,es\n"

    pages = {}
    for language in ("en", "zh-hant"):
        client.cookies["django_language"] = language
        response = client.post(IMPORT_URL, {"step": "preview", "file": SimpleUploadedFile("people.csv", text.encode())})
        (row,) = response.context["rows"]
        pages[language] = [(change.column, change.old, change.new) for change in row.changes]

    assert ("Country", "", "United States of America (US)") in pages["en"]
    assert ("Languages", "English", "English; Spanish") in pages["en"]
    assert ("國家", "", "美國 (US)") in pages["zh-hant"]
    assert ("語言", "英語", "英語; 西班牙語") in pages["zh-hant"]
