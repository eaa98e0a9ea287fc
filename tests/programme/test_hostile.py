"""Broken and hostile programme files: a clear error naming the place, and nothing written."""

import copy

import pytest

from conference.models import Appearance, Event, Session
from importing.files import MAX_FILE_BYTES
from partners.models import Organization, Person
from programme.importing import import_programme
from tests.programme.files import AGENDA_ROWS, FRAB_JSON, FRAB_XML, agenda_csv, frab_json

pytestmark = pytest.mark.django_db


def nothing_written():
    return [model.objects.count() for model in (Event, Session, Person, Organization, Appearance)] == [0] * 5


def test_json_cut_short():
    content = frab_json()
    plan = import_programme(content[: len(content) // 2], filename="schedule.json", dry_run=False)

    assert len(plan.file_errors) == 1
    assert plan.file_errors[0].startswith("The JSON file is malformed or cut short at line 1, column ")
    assert nothing_written()


def test_xml_cut_short():
    plan = import_programme(FRAB_XML.encode()[:700], filename="schedule.xml", dry_run=False)

    assert len(plan.file_errors) == 1
    assert plan.file_errors[0].startswith("The XML file is malformed or cut short at line ")
    assert nothing_written()


def test_impossible_date_names_the_json_path():
    data = copy.deepcopy(FRAB_JSON)
    data["schedule"]["conference"]["days"][0]["rooms"]["Hall A"][1]["date"] = "2022-02-30T10:30:00-05:00"

    plan = import_programme(frab_json(data), filename="schedule.json", dry_run=False)

    assert [error.where for error in plan.errors] == ['$.schedule.conference.days[0].rooms["Hall A"][1].date']
    assert "not a possible date and time" in plan.errors[0].message
    assert not plan.committed
    assert nothing_written()


def test_impossible_date_names_the_xml_path():
    content = FRAB_XML.replace("2022-03-15T10:30:00-04:00", "2022-13-15T10:30:00-04:00").encode()

    plan = import_programme(content, filename="schedule.xml", dry_run=False)

    assert [error.where for error in plan.errors] == ["/schedule/day[1]/room[1]/event[2]/date"]
    assert nothing_written()


def test_xml_entity_expansion_is_refused():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE schedule [\n<!ENTITY a "aaaaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
        "<schedule><conference><title>&c;</title></conference></schedule>"
    )

    plan = import_programme(bomb.encode(), filename="schedule.xml", dry_run=False)

    assert plan.file_errors == [
        "The XML file declares a DTD or entities, which are refused for safety; nothing was read."
    ]
    assert nothing_written()


@pytest.mark.parametrize("filename", ["schedule.json", "agenda.csv", "schedule.xml"])
def test_over_the_size_limit_is_refused_before_reading(filename):
    plan = import_programme(b"{" + b" " * (MAX_FILE_BYTES + 1024 * 1024) + b"}", filename=filename, dry_run=False)

    assert plan.file_errors == ["The file is 41.0 MB; files up to 40 MB can be imported."]
    assert nothing_written()


def test_a_bad_row_midway_names_row_and_column_and_writes_nothing():
    rows = copy.deepcopy(AGENDA_ROWS)
    rows[2][5] = "2023-02-30"

    plan = import_programme(agenda_csv(rows), filename="agenda.csv", dry_run=False)

    assert [(error.where, error.message) for error in plan.errors] == [
        ("row 4, column “date”", "2023-02-30 is not a date in the calendar")
    ]
    assert not plan.committed
    assert nothing_written()


def test_several_bad_cells_are_all_listed():
    rows = copy.deepcopy(AGENDA_ROWS)
    rows[0][6] = "25:00"
    rows[1][17], rows[1][18] = "", "keynote speaker?"
    rows[3][9] = ""

    plan = import_programme(agenda_csv(rows), filename="agenda.csv", dry_run=False)

    assert [error.where for error in plan.errors] == [
        "row 2, column “start”",
        "row 3, column “role”",
        "row 5, column “session title”",
    ]
    assert nothing_written()


def test_a_spreadsheet_that_is_not_the_template():
    plan = import_programme(b"name,email\nAvery,a@example.org\n", filename="people.csv", dry_run=False)

    assert [str(error) for error in plan.errors] == [
        "row 1: this is not the agenda template: the columns “date”, “start”, “end”, “session title” are missing"
    ]
    assert nothing_written()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"%PDF-1.7\n...", "programme.pdf", "This is not a programme file Liaison can read"),
        (b'{"hello": "world"}', "data.json", None),
        (b"", "empty.json", "The file is empty."),
    ],
)
def test_the_wrong_kind_of_file(content, filename, message):
    plan = import_programme(content, filename=filename, dry_run=False)

    if message:
        assert plan.file_errors[0].startswith(message)
    else:
        assert [error.where for error in plan.errors] == ["$"]
    assert not plan.committed
    assert nothing_written()


def test_a_database_refusal_rolls_everything_back(monkeypatch):
    from programme import writing

    def fail(plan):
        from django.db import DatabaseError

        raise DatabaseError("disk full")

    monkeypatch.setattr(writing, "_write_appearances", fail)

    plan = import_programme(agenda_csv(), filename="agenda.csv", dry_run=False)

    assert not plan.committed
    assert plan.file_errors == [  # the database's reason is said since issue 21, item 4
        "The database refused the import of agenda.csv; nothing was written. The reason: disk full"
    ]
    assert nothing_written()
