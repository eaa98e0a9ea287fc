"""A contact cell written exactly as someone's e-mail or phone is stored is not checked again
(``partners.resources.checked_contact``); everything else is checked and normalised as before."""

import pytest
from django.utils import translation

from importing.contacts import ImportPlanner
from importing.matching import PersonIndex
from importing.plans import ImportResult
from partners import resources
from partners.models import ContactMethod, Person
from partners.resources import ImportLookups
from tests.factories import ContactMethodFactory, make_contact_sheet_person
from tests.importing.test_import import run, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(monkeypatch):
    """The values ``normalize_contact_value`` was asked to check during the import."""
    values = []
    original = resources.normalize_contact_value

    def counting(kind, value, *, country=None):
        values.append(value)
        return original(kind, value, country=country)

    monkeypatch.setattr(resources, "normalize_contact_value", counting)
    return values


def test_stored_values_are_taken_as_they_are_and_new_ones_are_checked(checked):
    rose = make_contact_sheet_person("Rose Mukhar", "", email="rose@example.org")  # phone +12025550143
    ContactMethodFactory(
        person=rose, kind=ContactMethod.Kind.PHONE, value="+886223456789", label="office", is_primary=False
    )
    content = sheet(
        {
            "full_name": "Rose Mukhar",
            "email": "rose@example.org",
            "phone": "+12025550143",
            "other_contacts": "phone (office): +886223456789|email: rose.second@example.org",
            "honorific": "Dr.",
        },
        {"full_name": "New Person", "email": "new@Example.ORG", "phone": "+1 202 555 0199"},
    )

    result = run(content)

    assert result.ok and result.committed, result.errors
    # Only the values nobody holds were checked, and they were normalised as always.
    assert sorted(checked) == sorted(["rose.second@example.org", "new@Example.ORG", "+1 202 555 0199"])
    assert ContactMethod.objects.filter(value="new@example.org", is_primary=True).exists()
    assert ContactMethod.objects.filter(value="+12025550199", is_primary=True).exists()


def test_a_stored_value_written_otherwise_or_of_another_kind_is_checked(checked):
    make_contact_sheet_person("Rose Mukhar", "", email="rose@example.org")  # phone +12025550143
    ann = make_contact_sheet_person("Ann Example", "")
    ContactMethodFactory(person=ann, kind=ContactMethod.Kind.OTHER, value="+19", is_primary=False)
    content = sheet(
        {"full_name": "Rose Mukhar", "email": " ROSE@Example.org", "phone": "+1 (202) 555-0143"},
        {"full_name": "Ann Example", "phone": "+19"},  # stored, but as an "other" contact: not a phone
    )

    result = run(content)

    assert sorted(checked) == sorted(["ROSE@Example.org", "+1 (202) 555-0143", "+19"])
    assert [(row.number, str(error)) for row in result.rows for error in row.errors] == [
        (
            3,
            "Row 3, column “Primary phone”: “+19” is not a valid phone number; "
            "write it with its country code, e.g. +1 202 555 0100.",
        )
    ]


def test_the_stored_contacts_are_the_matchers_e_mails_and_one_query_for_the_phones(django_assert_num_queries):
    people = [make_contact_sheet_person(f"Person {number}", "", email=f"p{number}@example.org") for number in range(3)]
    make_contact_sheet_person("Rose Mukhar", "", email="Rose@example.org")
    cells = [f"p{number}@example.org" for number in range(3)] + ["+12025550143", "not stored@x", "Upper@EXAMPLE.org"]
    cells.append("ROSE@example.org")  # her address, written otherwise: checked again
    index = PersonIndex()

    # The phones; the e-mails, the matcher's own query (their holders are asked for when the
    # matcher reads its answers, ``PersonIndex.read``).
    with django_assert_num_queries(2):
        phones = ImportPlanner.ask_for_stored_phones(cells)
        asked = index.ask(Person.objects.all(), emails=[cell for cell in cells if "@" in cell])
        found = ImportPlanner.stored_contacts(cells, phones, index.read_emails(asked))

    assert found == {"email": {"p0@example.org", "p1@example.org", "p2@example.org"}, "phone": {"+12025550143"}}
    assert len(people) == 3


def test_the_contacts_are_read_after_every_rows_other_cells_once_the_stored_ones_are_known():
    make_contact_sheet_person("Rose Mukhar", "", email="rose@example.org")
    keys = ["full_name", "email", "country", "honorific"]
    table = [
        keys,  # a column's key is read as its header
        ["Rose Mukhar", "rose@example.org", "US", "Dr."],
        ["Ann Example", "", "TW", ""],
        ["New Person", "new@Example.ORG", "TW", "Ms."],
    ]
    with translation.override("en"):
        planner = ImportPlanner(user=None, decisions={})
        result = ImportResult(filename="c.csv", dry_run=True)
        columns = planner.read_header(table[0], result)
        lookups = ImportLookups()
        seen = []

        def stored_contacts():
            seen.append([dict(row.values) for row in result.rows])
            return {"email": {"rose@example.org"}}

        planner.clean_rows(
            table, columns, lookups, result, lambda *args, **kwargs: None, stored_contacts=stored_contacts
        )

    # Asked for once, when every row's other cells had been read and no contact yet.
    assert seen == [
        [
            {"full_name": "Rose Mukhar", "country": "US", "honorific": "Dr."},
            {"full_name": "Ann Example", "country": "TW"},
            {"full_name": "New Person", "country": "TW", "honorific": "Ms."},
        ]
    ]
    assert [row.values.get("email") for row in result.rows] == ["rose@example.org", None, "new@example.org"]
    assert lookups.stored_contacts == {"email": {"rose@example.org"}}


def test_a_rows_errors_keep_the_order_of_its_columns():
    content = sheet(
        {"full_name": "Ann Example", "country": "Narnia", "email": "not an e-mail", "languages": "Klingon"},
        {"full_name": "Bo Example", "email": "not an e-mail either", "country": "Atlantis"},
        header=["full_name", "email", "country", "languages"],
    )

    result = run(content, dry_run=True)

    columns = [[error.column for error in row.errors] for row in result.rows]
    assert columns == [["Primary e-mail", "Country", "Languages"], ["Primary e-mail", "Country"]]
