"""Red team item 10: hostile query parameters on the staff pages are answered 400 or ignored, never 500.

A fixed list of hostile values is tried on every parameter each page reads (the admin
changelists: every parameter their filter links carry).
"""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from partners.models import Person
from tests.factories import CandidacyFactory, WorkshopFactory, make_area, make_contact_sheet_person

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [
    "²",
    "١٢",
    "x",
    "-1",
    "1.5",
    "1e3",
    "9" * 20,
    "9" * 5000,
    "\x00",
    "1\x00",
    "a\x00b",
    " ",
    "1,²",
    "%00",
    "'; --",
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
]

FINDER_PARAMETERS = [
    "workshop",
    "expertise",
    "q",
    "country",
    "organization_kind",
    "language",
    "event",
    "suitability",
    "status",
    "page",
]
PAGES = {
    "candidates": [*FINDER_PARAMETERS],
    "contact-sheet": [*FINDER_PARAMETERS, "ids", "group"],
    "contact-sheet-export": [*FINDER_PARAMETERS, "ids", "group", "format"],
    "assess-candidates": ["person", "workshop", "next"],
    "candidates-autocomplete": ["term", "app_label", "model_name", "field_name", "page"],
    "admin:autocomplete": ["term", "app_label", "model_name", "field_name", "page"],
    "admin:partners_person_duplicates": ["p"],
    "admin:partners_person_merge": ["survivor", "duplicate"],
    "admin:partners_organization_merge": ["survivor", "duplicate"],
}
CHANGELISTS = [
    "admin:partners_person_changelist",
    "admin:partners_organization_changelist",
    "admin:partners_exportlog_changelist",
    "admin:conference_event_changelist",
    "admin:conference_candidacy_changelist",
]


@pytest.fixture
def staff_client(client, role_user):
    workshop = WorkshopFactory()
    person = make_contact_sheet_person()
    CandidacyFactory(workshop=workshop, person=person)
    make_area("Labour trafficking")
    client.raise_request_exception = False  # a crash is a 500 response here, collected with its parameter
    client.force_login(role_user("Administrator"))
    client.cookies["django_language"] = "en"
    return client


def assert_no_server_error(client, url, parameters, *, method="get"):
    failures = []
    for name in parameters:
        for value in HOSTILE_VALUES:
            response = getattr(client, method)(url, {name: value})
            if response.status_code >= 500:
                failures.append((name, value[:20], response.status_code))
    assert failures == []


@pytest.mark.parametrize("page", sorted(PAGES))
def test_hostile_values_on_every_parameter_of_a_staff_page_never_give_a_500(staff_client, page):
    assert_no_server_error(staff_client, reverse(page), PAGES[page])


def test_ids_combined_with_hostile_values_never_give_a_500(staff_client):
    person = Person.objects.get()
    for url in (reverse("contact-sheet"), reverse("contact-sheet-export")):
        for value in HOSTILE_VALUES:
            response = staff_client.get(url, {"ids": [person.pk, value], "workshop": value})
            assert response.status_code < 500, (url, value[:20])


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_hostile_values_in_admin_list_filters_never_give_a_500(staff_client, changelist):
    url = reverse(changelist)
    page = staff_client.get(url).content.decode()
    names = {"q", "o", "p"}
    for href in re.findall(r'href="(\?[^"]*)"', page):
        names.update(name for name, _value in parse_qsl(urlsplit(unescape(href)).query))

    assert_no_server_error(staff_client, url, sorted(names))


def test_hostile_decision_fields_on_the_import_confirm_never_give_a_500(staff_client):
    url = reverse("admin:partners_person_import")
    failures = []
    for value in HOSTILE_VALUES:
        for data in (
            {"step": "confirm", "token": value},
            {"step": "confirm", f"decision-{value}": "new"},
            {"step": "confirm", "decision-1": value},
            {"step": "cancel", "token": value},
        ):
            response = staff_client.post(url, data)
            if response.status_code >= 500:
                failures.append((sorted(data), value[:20]))
    assert failures == []


def test_a_nul_byte_is_refused_with_a_400_naming_the_parameter(staff_client):
    response = staff_client.get(reverse("contact-sheet-export"), {"format": "csv", "q": "a\x00b"})

    assert response.status_code == 400
    assert "q" in response.content.decode()


def test_a_non_integer_workshop_is_refused_with_a_400(staff_client):
    response = staff_client.get(reverse("candidates"), {"workshop": "²"})

    assert response.status_code == 400
    assert "workshop" in response.content.decode()
