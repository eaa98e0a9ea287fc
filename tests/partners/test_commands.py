"""export_contacts and import_contacts from the command line."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from partners.models import ExportLog, Person, PersonExpertise
from tests.factories import OrganizationFactory, make_area, make_contact_sheet_person

pytestmark = pytest.mark.django_db


def names_in(path):
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    return sorted(row[1] for row in rows[1:])


def test_export_everyone_to_a_file_is_logged_as_the_command(tmp_path):
    make_contact_sheet_person("Ann Example", email="ann@example.org")
    make_contact_sheet_person("Hidden Example", email="hidden@example.org", sensitive=True)
    target = tmp_path / "sheet.csv"

    call_command("export_contacts", "--purpose", "Test", "--format", "csv", "-o", str(target))

    assert names_in(target) == ["Ann Example"]
    log = ExportLog.objects.get()
    assert (log.user, log.username, log.format, log.source, log.row_count, log.included_sensitive) == (
        None,
        "command",
        "csv",
        "command",
        1,
        False,
    )


def test_sensitive_people_only_when_asked(tmp_path):
    make_contact_sheet_person("Hidden Example", email="hidden@example.org", sensitive=True)
    target = tmp_path / "sheet.csv"

    call_command("export_contacts", "--purpose", "Test", "--include-sensitive", "-o", str(target))

    assert names_in(target) == ["Hidden Example"]
    assert ExportLog.objects.get().included_sensitive is True


def test_filters_by_expertise_name_and_country(tmp_path):
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟", code="legal-relief")
    t_visa = make_area("T visa", parent=relief, name_zh="T 簽證", code="t-visa")
    for name, country, area in [
        ("Match Example", "TW", t_visa),
        ("Abroad Example", "US", t_visa),
        ("No Example", "TW", None),
    ]:
        person = make_contact_sheet_person(
            name,
            email=f"{name.split()[0]}@example.org",
            country=country,
            organization=OrganizationFactory(country=country),
        )
        if area:
            PersonExpertise.objects.create(person=person, area=area, note="invented")
    target = tmp_path / "sheet.json"

    call_command(
        "export_contacts",
        "--purpose",
        "Test",
        "--format",
        "json",
        "--expertise",
        "法律及移民救濟",
        "--country",
        "tw",
        "-o",
        str(target),
    )

    assert [item["full_name"] for item in json.loads(target.read_text())] == ["Match Example"]
    assert ExportLog.objects.get().filters == {"expertise": [str(relief.pk)], "country": ["TW"]}


@pytest.mark.parametrize("fmt", ["xlsx", "vcf", "html"])
def test_every_format_is_written(tmp_path, fmt):
    make_contact_sheet_person("Ann Example", "安範例")
    target = tmp_path / f"sheet.{fmt}"

    call_command("export_contacts", "--purpose", "Test", "--format", fmt, "-o", str(target))

    assert target.stat().st_size > 0
    if fmt != "xlsx":
        assert "安範例" in target.read_text()


def test_an_unknown_area_or_workshop_is_an_error():
    with pytest.raises(CommandError, match="No expertise area called “Astrology”"):
        call_command("export_contacts", "--purpose", "Test", "--expertise", "Astrology")
    with pytest.raises(CommandError, match="No workshop with id 999"):
        call_command("export_contacts", "--purpose", "Test", "--workshop", "999")


def write(tmp_path, text, name="contacts.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_writes_every_row_when_every_row_is_good(tmp_path):
    path = write(tmp_path, "Name (original),Primary e-mail\nAnn Example,ann@example.org\nBob Example,bob@example.org\n")
    out = io.StringIO()

    with translation.override("en"):
        call_command("import_contacts", str(path), stdout=out)

    assert out.getvalue().strip() == (
        "Imported contacts.csv: 2 new, 0 updated, 0 unchanged, 0 possible duplicates, 0 rows with errors."
    )
    assert Person.objects.count() == 2
    assert Person.objects.first().history.get().history_user is None


def test_import_with_a_bad_row_fails_and_writes_nothing(tmp_path):
    path = write(tmp_path, "Name (original),Primary e-mail\nAnn Example,ann@example.org\nBob Example,bob@\n")
    err = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_contacts", str(path), stderr=err)

    assert "Row 3, column “Primary e-mail”: “bob@” is not a valid e-mail address." in err.getvalue()
    assert Person.objects.count() == 0


def test_dry_run_writes_nothing(tmp_path):
    path = write(tmp_path, "Name (original)\nAnn Example\n")
    out = io.StringIO()

    call_command("import_contacts", str(path), "--dry-run", stdout=out)

    assert "nothing written" in out.getvalue()
    assert Person.objects.count() == 0


def test_possible_duplicates_stop_the_import_unless_told_to_add_them(tmp_path):
    make_contact_sheet_person("Rose Mukhar", email="rose@example.org")
    path = write(tmp_path, "Name (original),Primary e-mail\nMukhar Rose,rose.m@example.org\n")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_contacts", str(path), stderr=err)
    call_command("import_contacts", str(path), "--unsure", "new", stdout=io.StringIO())

    assert "may be a stored person: Rose Mukhar" in err.getvalue()
    assert Person.objects.count() == 2


def test_the_commands_round_trip(tmp_path):
    make_contact_sheet_person("Ann Example", "安範例", email="ann@example.org", source="=formula-like")
    first = tmp_path / "first.csv"
    second = tmp_path / "second.csv"
    call_command("export_contacts", "--purpose", "Test", "-o", str(first))

    out = io.StringIO()
    call_command("import_contacts", str(first), stdout=out)
    call_command("export_contacts", "--purpose", "Test", "-o", str(second))

    assert "0 new, 0 updated, 1 unchanged" in out.getvalue()
    assert second.read_bytes() == first.read_bytes()


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_contacts", str(tmp_path / "missing.csv"))
