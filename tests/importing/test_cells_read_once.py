"""Cells whose value depends on their text alone (titles, organizations, countries, languages,
dates) are read once an import: every row still gets its value, or its error, of its own."""

import pytest

from partners import resources
from partners.resources import ContactSheetResource, ImportLookups
from tests.importing.test_import import run, sheet

pytestmark = pytest.mark.django_db


def test_each_row_gets_the_value_or_error_of_a_repeated_cell(monkeypatch):
    read = []
    original = resources.LanguagesWidget.clean

    def counting(self, value, *args, **kwargs):
        read.append(value)
        return original(self, value, *args, **kwargs)

    monkeypatch.setattr(resources.LanguagesWidget, "clean", counting)
    resource, lookups = ContactSheetResource(), ImportLookups()
    rows = [
        resource.clean_row({"full_name": name, "languages": "en|ja", "country": country}, lookups=lookups)
        for name, country in (("A", "Atlantis"), ("B", "US"), ("C", "Atlantis"))
    ]

    assert read == ["en|ja"]  # read once for three rows
    assert [values["languages"] for values, _errors in rows] == [["en", "ja"]] * 3
    rows[0][0]["languages"].append("de")  # one row's list is its own
    assert rows[1][0]["languages"] == ["en", "ja"]
    assert [errors for _values, errors in rows] == [
        [("country", "unknown country “Atlantis”")],
        [],
        [("country", "unknown country “Atlantis”")],
    ]


def test_an_import_reports_the_repeated_bad_cell_on_every_row():
    content = sheet(*({"full_name": f"Person {number}", "last_confirmed": "yesterday"} for number in range(3)))

    result = run(content)

    assert [error.row for error in result.errors] == [2, 3, 4]
    assert not result.committed
