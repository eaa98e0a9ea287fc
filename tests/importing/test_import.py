"""Importing contact sheets: preview, all or nothing, nothing lost, duplicates matched, round trips exact."""

import datetime as dt
import io
import zipfile

import pytest
from django.db import DatabaseError
from django.utils import translation
from openpyxl import Workbook

from contact_sheets.formats import write_contact_sheet
from importing import contact_writes, files
from importing.contacts import import_contacts
from importing.matching import find_person_matches
from importing.plans import RowPlan
from partners.models import Affiliation, ContactMethod, ExpertiseArea, Organization, Person, PersonExpertise
from partners.names import normalize_name
from partners.resources import ContactSheetResource
from tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    make_area,
    make_contact_sheet_person,
)

pytestmark = pytest.mark.django_db


def export(fmt="csv", people=None):
    stream = io.BytesIO()
    with translation.override("en"):
        write_contact_sheet(Person.objects.all() if people is None else people, fmt, stream)
    return stream.getvalue()


def sheet(*rows, header=None):
    """A CSV file: the English headers of the given column keys, then the rows."""
    with translation.override("en"):
        resource = ContactSheetResource()
        header = header or list(dict.fromkeys(key for row in rows for key in row))
        lines = [[str(resource.fields[key].column_name) for key in header]]
    lines += [[row.get(key, "") for key in header] for row in rows]
    buffer = io.StringIO()
    import csv

    csv.writer(buffer).writerows(lines)
    return buffer.getvalue().encode()


def run(content, *, dry_run=False, user=None, filename="contacts.csv", **kwargs):
    with translation.override("en"):
        return import_contacts(content, user=user, dry_run=dry_run, filename=filename, **kwargs)


@pytest.fixture
def taxonomy():
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟", code="legal-relief")
    t_visa = make_area("T visa", parent=relief, name_zh="T 簽證", code="t-visa")
    protection = make_area("Victim protection", name_zh="被害人保護", code="protection")
    other_relief = make_area("Other", parent=relief, name_zh="其他", code="relief-other")
    other_protection = make_area("Other", parent=protection, name_zh="其他", code="protection-other")
    return [relief, t_visa, protection, other_relief, other_protection]


# -- the duplicate matcher ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Mukhar, Rose", "Rose Mukhar"),
        ("ROSE  MUKHAR", "Rose Mukhar"),
        ("Dr. Rose Mukhár", "rose mukhar"),
        ("Kanesha Jean-Baptiste", "Kanesha Jean Baptiste"),
        ("王 小明", "王小明"),
        ("約翰·史密斯", "約翰史密斯"),
        ("Seán O'Brien", "Sean OBrien"),
    ],
)
def test_name_variants_normalise_to_the_same_key(one, other):
    assert normalize_name(one) == normalize_name(other)


@pytest.mark.parametrize(("one", "other"), [("Rose Mukhar", "Rosa Mukhar"), ("王小明", "小明王"), ("Ann Lee", "Ann")])
def test_different_names_stay_apart(one, other):
    assert normalize_name(one) != normalize_name(other)


def test_same_email_is_the_same_person():
    person = make_contact_sheet_person("Rose Mukhar", email="Rose.Mukhar@example.org")

    matches = find_person_matches(full_name="R. Mukhar", emails=["rose.mukhar@EXAMPLE.org"])

    assert [(m.person_id, m.certain) for m in matches] == [(person.pk, True)]


def test_same_name_at_the_same_organization_is_certain_elsewhere_only_possible():
    organization = OrganizationFactory()
    person = make_contact_sheet_person("Rose Mukhar", organization=organization)

    same_org = find_person_matches(full_name="Mukhar, Rose", organization_ids=[organization.pk])
    no_org = find_person_matches(full_name="MUKHAR Rose")

    assert [(m.person_id, m.certain) for m in same_org] == [(person.pk, True)]
    assert [(m.person_id, m.certain) for m in no_org] == [(person.pk, False)]
    assert find_person_matches(full_name="Rosa Mukhar") == []


def test_two_people_matching_at_once_are_only_possible():
    first = make_contact_sheet_person("Rose Mukhar", email="rose@example.org")
    second = make_contact_sheet_person("Someone Else", email="else@example.org")

    matches = find_person_matches(full_name="Rose Mukhar", emails=["rose@example.org", "else@example.org"])

    assert {m.person_id for m in matches} == {first.pk, second.pk}
    assert not any(m.certain for m in matches)


# -- round trips --------------------------------------------------------------------------------

# Values as the admin stores them: stripped (a leading tab or line break cannot be stored), so
# the formula-like ones begin with =, +, -, @ or quotes.
AWKWARD_TEXTS = [
    'He said "hello", then left',
    "line one\nline two",
    '=HYPERLINK("http://example.org")',
    "+886 2 2388 9393",
    "-minus first",
    "@mention",
    "'already quoted",
    "''=double",
    "back\\slash | pipe",
    "逗號，頓號、引號「」",
    "tab\tinside",
]


def build_awkward_people(count, taxonomy):
    """``count`` invented people with Chinese text, quotes, newlines and formula-like values."""
    languages = ["en", "es", "fr", "zh", "ja"]
    organizations = [
        OrganizationFactory(name=name, name_zh=name_zh)
        for name, name_zh in [
            ("Example Relief Network", "範例救援網絡"),
            ('The "Quoted" Org, Inc.', "引號組織"),
            ("Pipe|Org", ""),
            ("=Formula Org", "公式組織"),
        ]
    ]
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Example{number:04d} {AWKWARD_TEXTS[number % len(AWKWARD_TEXTS)][:30]}".strip(),
                name_zh=f"範例{number}號" if number % 3 else "",
                honorific=["Ms.", "Dr.", "", "-"][number % 4],
                country=["US", "TW", "", "PH"][number % 4],
                source=AWKWARD_TEXTS[(number * 7) % len(AWKWARD_TEXTS)],
                last_confirmed=dt.date(2022, 1, 1) + dt.timedelta(days=number) if number % 2 else None,
            )
            for number in range(count)
        ]
    )
    contacts, jobs, links, language_links = [], [], [], []
    for number, person in enumerate(people):
        contacts.append(ContactMethod(person=person, kind="email", value=f"p{number}@example.org", is_primary=True))
        if number % 2:
            contacts.append(ContactMethod(person=person, kind="phone", value="+12025550143", is_primary=True))
        if number % 5 == 0:
            contacts.append(ContactMethod(person=person, kind="phone", value="+886223889393", label="office"))
            contacts.append(ContactMethod(person=person, kind="website", value=f"https://example.org/{number}"))
            contacts.append(ContactMethod(person=person, kind="other", value=AWKWARD_TEXTS[number % 11], label="note"))
        jobs.append(
            Affiliation(
                person=person,
                organization=organizations[number % 4],
                title=AWKWARD_TEXTS[(number * 3) % len(AWKWARD_TEXTS)] if number % 4 else "",
                title_zh="主任" if number % 2 else "",
                start_date=dt.date(2020, 1, 1) if number % 6 == 0 else None,
            )
        )
        if number % 7 == 0:
            jobs.append(Affiliation(person=person, organization=organizations[(number + 1) % 4], title="Adviser"))
        for area in taxonomy[: number % 6]:
            links.append(PersonExpertise(person=person, area=area, note="invented"))
        for code in languages[: number % 4]:
            language_links.append(Person.languages.through(person=person, language_id=code))
    ContactMethod.objects.bulk_create(contacts)
    Affiliation.objects.bulk_create(jobs)
    PersonExpertise.objects.bulk_create(links)
    Person.languages.through.objects.bulk_create(language_links)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_our_own_export_changes_nothing_and_the_next_export_is_identical(taxonomy, fmt):
    build_awkward_people(1000, taxonomy)
    first = export(fmt)
    history_rows = Person.history.count()

    preview = run(first, dry_run=True, filename=f"sheet.{fmt}")
    result = run(first, filename=f"sheet.{fmt}")

    assert preview.file_errors == [] and preview.errors == []
    assert preview.counts == {"new": 0, "update": 0, "unchanged": 1000, "duplicate": 0, "error": 0}
    assert result.committed
    assert result.counts["unchanged"] == 1000
    assert Person.history.count() == history_rows
    if fmt == "csv":
        assert export(fmt) == first
    else:
        assert export("csv") == export("csv")  # XLSX files carry a timestamp; compare what they hold
        assert read_xlsx(export(fmt)) == read_xlsx(first)


def read_xlsx(content):
    from openpyxl import load_workbook

    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]


def test_importing_into_a_database_with_only_the_taxonomy_recreates_the_same_sheet(taxonomy):
    build_awkward_people(1000, taxonomy)
    first = export("csv")
    Person.objects.all().delete()
    Organization.objects.all().delete()

    result = run(first)

    assert result.committed, (result.file_errors, result.errors[:3])
    assert result.counts["new"] == 1000
    assert Organization.objects.count() == 4
    assert export("csv") == first


def test_xlsx_export_imports_into_an_empty_database_too(taxonomy):
    build_awkward_people(60, taxonomy)
    csv_before = export("csv")
    workbook = export("xlsx")
    Person.objects.all().delete()
    Organization.objects.all().delete()

    result = run(workbook, filename="sheet.xlsx")

    assert result.committed, (result.file_errors, result.errors[:3])
    assert export("csv") == csv_before


# -- all or nothing -----------------------------------------------------------------------------


def test_a_bad_row_in_the_middle_writes_nothing_and_is_named(taxonomy):
    content = sheet(
        {"full_name": "First Example", "email": "first@example.org", "country": "US"},
        {"full_name": "Second Example", "email": "not-an-address", "country": "Atlantis", "expertise": "Astrology"},
        {"full_name": "Third Example", "email": "third@example.org", "last_confirmed": "15/03/2022"},
    )

    result = run(content)

    assert not result.committed
    assert Person.objects.count() == 0 and Organization.objects.count() == 0
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "Primary e-mail"),
        (3, "Country"),
        (3, "Expertise"),
        (4, "Last confirmed"),
    ]
    messages = {e.column: e.message for e in result.errors if e.row == 3}
    assert messages["Primary e-mail"] == "“not-an-address” is not a valid e-mail address."
    assert messages["Country"] == "unknown country “Atlantis”"
    assert messages["Expertise"] == "unknown expertise area “Astrology”"
    assert [row.status for row in result.rows] == ["new", "error", "error"]


def test_after_fixing_the_row_everything_is_imported_at_once(taxonomy):
    content = sheet(
        {"full_name": "First Example", "email": "first@example.org", "country": "United States"},
        {"full_name": "Second Example", "email": "second@example.org", "country": "台灣", "expertise": "t-visa"},
    )

    result = run(content)

    assert result.committed
    assert sorted(Person.objects.values_list("full_name", "country")) == [
        ("First Example", "US"),
        ("Second Example", "TW"),
    ]
    second = Person.objects.get(full_name="Second Example")
    assert [link.area.code for link in second.expertise_links.all()] == ["t-visa"]


def test_a_database_error_midway_leaves_the_database_as_it_was(monkeypatch):
    existing = make_contact_sheet_person("Kept Example", email="kept@example.org")
    content = sheet(
        {"full_name": "Kept Example", "email": "kept@example.org", "honorific": "Prof."},
        {"full_name": "New Example", "email": "new@example.org", "organization": "New Org"},
    )
    original = contact_writes.create_with_history

    def failing(model, objects, history):
        if model is Affiliation:
            raise DatabaseError("disk full")
        return original(model, objects, history)

    monkeypatch.setattr(contact_writes, "create_with_history", failing)

    result = run(content)

    assert not result.committed
    assert result.file_errors == [
        "The database refused the import of contacts.csv; nothing was written. The reason: disk full"
    ]
    existing.refresh_from_db()
    assert existing.honorific == "Ms."
    assert list(Person.objects.values_list("full_name", flat=True)) == ["Kept Example"]
    assert not Organization.objects.filter(name="New Org").exists()


# -- nothing lost -------------------------------------------------------------------------------


def test_a_blank_cell_keeps_the_stored_value():
    person = make_contact_sheet_person("Rose Example", "範例玫瑰", email="rose@example.org", source="Programme")
    content = sheet(
        {
            "full_name": "Rose Example",
            "name_zh": "",
            "honorific": "",
            "email": "rose@example.org",
            "phone": "",
            "source": "",
            "languages": "",
            "organization": "",
        }
    )

    result = run(content)

    assert result.counts["unchanged"] == 1
    person.refresh_from_db()
    assert (person.name_zh, person.honorific, person.source) == ("範例玫瑰", "Ms.", "Programme")
    assert person.primary_contact("phone").value == "+12025550143"
    assert list(person.languages.values_list("code", flat=True)) == ["en"]


def test_an_update_shows_differences_keeps_old_contacts_and_records_history(taxonomy):
    user = UserFactory(username="desk-officer")
    organization = OrganizationFactory(name="Example Relief Network", name_zh="")
    person = make_contact_sheet_person("Rose Example", organization=organization, email="rose@example.org")
    version = person.version
    content = sheet(
        {
            "uuid": str(person.uuid),
            "full_name": "Rose Example",
            "honorific": "Dr.",
            "email": "rose.new@example.org",
            "phone": "02 2388 9393",
            "organization": "Example Relief Network",
            "organization_zh": "範例救援網絡",
            "title": "Executive Director",
            "languages": "English|Spanish",
            "expertise": "T visa / T 簽證|Other / 其他 [relief-other]",
            "other_contacts": "website: https://example.org",
        }
    )

    preview = run(content, dry_run=True, user=user)
    result = run(content, user=user)

    assert [row.status for row in preview.rows] == ["update"]
    assert [(c.column, c.old, c.new) for c in preview.rows[0].changes] == [
        ("Honorific", "Ms.", "Dr."),
        ("Languages", "English", "English; Spanish"),
        ("Primary e-mail", "rose@example.org", "rose.new@example.org"),
        ("Primary phone", "+12025550143", "+886223889393"),
        ("Other contact methods", "", "website: https://example.org"),
        ("Organization (Chinese)", "", "範例救援網絡"),
        ("Current title", "Director", "Executive Director"),
        ("Expertise", "0 area(s)", "2 area(s)"),
    ]
    assert result.committed
    person.refresh_from_db()
    assert person.honorific == "Dr."
    assert person.version == version + 1
    assert sorted(person.contact_methods.values_list("kind", "value", "is_primary")) == [
        ("email", "rose.new@example.org", True),
        ("email", "rose@example.org", False),
        ("phone", "+12025550143", False),
        ("phone", "+886223889393", True),
        ("website", "https://example.org", False),
    ]
    assert sorted(person.expertise_links.values_list("area__code", flat=True)) == ["relief-other", "t-visa"]
    organization.refresh_from_db()
    assert organization.name_zh == "範例救援網絡"
    record = person.history.first()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "~",
        user,
        "Imported from contacts.csv",
    )
    assert sorted(record.languages.values_list("language_id", flat=True)) == ["en", "es"]
    assert ContactMethod.history.filter(history_user=user).count() == 5  # 2 demoted, 3 added
    assert organization.history.first().history_user == user


def test_a_new_person_gets_history_with_the_importing_user():
    user = UserFactory(username="importer")

    run(sheet({"full_name": "New Example", "languages": "fr", "email": "new@example.org"}), user=user)

    person = Person.objects.get()
    record = person.history.get()
    assert (record.history_type, record.history_user) == ("+", user)
    assert list(record.languages.values_list("language_id", flat=True)) == ["fr"]
    assert ContactMethod.history.get().history_user == user


# -- duplicates ---------------------------------------------------------------------------------


def test_same_email_or_same_name_at_the_same_organization_update_instead_of_creating():
    organization = OrganizationFactory(name="Example Relief Network")
    by_email = make_contact_sheet_person("Ann Example", email="ann@example.org")
    by_name = make_contact_sheet_person("Rose Mukhar", organization=organization, email="rose@example.org")
    content = sheet(
        {"full_name": "Annie Example", "email": "ANN@example.org"},
        {"full_name": "Mukhar, Rose", "organization": "example relief network", "honorific": "Dr."},
    )

    result = run(content)

    assert [(row.status, row.person_id) for row in result.rows] == [
        ("update", by_email.pk),
        ("update", by_name.pk),
    ]
    assert Person.objects.count() == 2


def test_a_possible_duplicate_waits_for_a_decision():
    stored = make_contact_sheet_person("Rose Mukhar", email="rose@example.org")
    content = sheet(
        {"full_name": "ROSE MUKHAR", "email": "rose.m@example.org", "organization": "Another Org"},
        {"full_name": "Other Example", "email": "other@example.org"},
    )

    undecided = run(content)
    as_new = run(content, dry_run=True, decisions={2: "new"})
    as_same = run(content, decisions={2: str(stored.pk)})

    assert not undecided.committed and undecided.needs_decisions
    assert [row.status for row in undecided.rows] == ["duplicate", "new"]
    assert [(c.person_id, c.reasons) for c in undecided.rows[0].candidates] == [(stored.pk, ["same name"])]
    assert [row.status for row in as_new.rows] == ["new", "new"]
    assert as_same.committed
    assert Person.objects.count() == 2
    assert set(stored.contact_methods.values_list("value", flat=True)) >= {"rose@example.org", "rose.m@example.org"}


def test_the_same_person_twice_in_one_file_is_an_error():
    content = sheet(
        {"full_name": "Ann Example", "email": "ann@example.org"},
        {"full_name": "Ann Example", "email": "Ann@Example.org"},
    )

    result = run(content)

    assert [(e.row, e.column) for e in result.errors] == [(3, "Primary e-mail")]
    assert "row 2" in result.errors[0].message


def test_organization_rows_create_and_update_organizations():
    OrganizationFactory(name="Stored Org", name_zh="", country="US")
    content = sheet(
        {"organization": "New Org", "organization_zh": "新組織", "country": "PH"},
        {"organization": "Stored Org", "organization_zh": "既有組織", "country": "US"},
        {"full_name": "Worker Example", "organization": "New Org", "title": "Officer"},
    )

    result = run(content)

    assert result.committed
    assert [row.status for row in result.rows] == ["new", "update", "new"]
    assert sorted(Organization.objects.values_list("name", "name_zh", "country")) == [
        ("New Org", "新組織", "PH"),
        ("Stored Org", "既有組織", "US"),
    ]
    assert Affiliation.objects.get().organization.name == "New Org"


def test_a_sensitive_person_is_not_matched_for_a_user_who_may_not_see_them():
    hidden = PersonFactory(full_name="Hidden Example", sensitive=True)
    ContactMethod.objects.create(person=hidden, kind="email", value="hidden@example.org", is_primary=True)
    viewer = UserFactory(username="editor-without-sensitive")

    by_email = run(sheet({"full_name": "Hidden Example", "email": "hidden@example.org"}), dry_run=True, user=viewer)
    by_identifier = run(sheet({"uuid": str(hidden.uuid), "full_name": "Hidden Example"}), dry_run=True, user=viewer)

    assert [row.status for row in by_email.rows] == ["new"]
    assert [e.message for e in by_identifier.errors] == ["this identifier belongs to a record you cannot change"]


# -- hostile files ------------------------------------------------------------------------------


def test_files_over_the_size_limit_are_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)

    result = run(b"x" * 101)

    assert result.file_errors == ["The file is 0.0 MB; files up to 0 MB can be imported."]


def test_files_with_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_ROWS", 2)
    content = sheet(*[{"full_name": f"Person {n}"} for n in range(3)])

    result = run(content)

    assert result.file_errors == ["The file has more than 2 rows; split it into smaller files."]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"Name (original)\nAnn\x00\n", "contacts.csv", "The file contains NUL bytes: it is not a text (CSV) file."),
        (b"Name (original)\n\x81\x8d\x90\x9d\n", "contacts.csv", "The file's text encoding was not recognised."),
        (b"%PDF-1.4", "contacts.pdf", "Only .csv and .xlsx files can be imported."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "contacts.xls", "This is an old Excel (.xls) file"),
        (b"PK\x03\x04garbage", "contacts.xlsx", "The .xlsx file is damaged or not an Excel workbook."),
        (b"", "contacts.csv", "The file is empty."),
        (b"nothing,we,know\n1,2,3\n", "contacts.csv", "The first row must name the contact sheet's columns"),
    ],
)
def test_hostile_or_wrong_files_are_refused_with_a_clear_message(content, filename, message):
    result = run(content, filename=filename)

    assert len(result.file_errors) == 1
    assert result.file_errors[0].startswith(message)
    assert Person.objects.count() == 0


def test_an_xml_bomb_in_a_workbook_is_refused():
    workbook = io.BytesIO()
    book = Workbook()
    book.active.append(["Name (original)"])
    book.active.append(["Ann Example"])
    book.save(workbook)
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    source = zipfile.ZipFile(io.BytesIO(workbook.getvalue()))
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = bomb.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item, data)

    result = run(hostile.getvalue(), filename="bomb.xlsx")

    assert result.file_errors == ["The .xlsx file could not be read (damaged, or unsafe content was refused)."]


def test_a_colleagues_xlsx_with_numbers_and_dates_is_read_as_text():
    book = Workbook()
    book.active.append(["Name (original)", "Primary phone", "Last confirmed", "Honorific"])
    book.active.append(["Ann Example", 886223889393, dt.datetime(2022, 3, 15), None])
    buffer = io.BytesIO()
    book.save(buffer)

    result = run(buffer.getvalue(), filename="colleague.xlsx")

    assert result.committed, result.errors
    person = Person.objects.get()
    assert person.last_confirmed == dt.date(2022, 3, 15)
    assert person.primary_contact("phone").value == "+886223889393"


def test_headers_in_chinese_or_as_column_keys_are_understood():
    with translation.override("zh-hant"):
        resource = ContactSheetResource()
        email_header, country_header = (
            str(resource.fields["email"].column_name),
            str(resource.fields["country"].column_name),
        )
    content = f"full_name,{email_header},{country_header}\nAnn Example,ann@example.org,US\n".encode()

    result = run(content)

    assert result.committed
    assert Person.objects.get().country == "US"


def test_area_lookup_by_chinese_name_and_ambiguous_names_need_a_code(taxonomy):
    result = run(sheet({"full_name": "Ann Example", "expertise": "T 簽證|Other"}), dry_run=True)

    assert [e.message for e in result.errors] == ["the expertise area “Other” is ambiguous; write its code instead"]
    assert ExpertiseArea.objects.count() == 5


def test_export_only_columns_are_ignored_on_import():
    person = make_contact_sheet_person("Ann Example", email="ann@example.org")
    content = sheet({"full_name": "Ann Example", "email": "ann@example.org", "events": "Anything (2022): x"})

    result = run(content)

    assert result.counts["unchanged"] == 1
    assert person.appearances.count() == 0


def test_a_title_without_an_organization_is_an_error():
    result = run(sheet({"full_name": "Ann Example", "title": "Director"}), dry_run=True)

    assert [(e.column, e.message) for e in result.errors] == [
        ("Organization (original)", "a title is given without its organization")
    ]


def test_unknown_columns_are_reported_not_fatal():
    result = run(b"Name (original),Favourite colour\nAnn Example,blue\n", dry_run=True)

    assert result.ignored_columns == ["Favourite colour"]
    assert [row.status for row in result.rows] == [RowPlan.NEW]


def test_affiliation_in_two_organizations_round_trips():
    person = make_contact_sheet_person("Ann Example", email="ann@example.org")
    AffiliationFactory(person=person, organization=OrganizationFactory(name="Second Org"), title="Adviser", title_zh="")
    first = export()

    result = run(first)

    assert result.counts["unchanged"] == 1
    assert export() == first
