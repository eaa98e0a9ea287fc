"""Contact-sheet files: formula escaping, CSV/XLSX/JSON/vCard output, and no per-row queries."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from contact_sheets.formats import (
    vcard,
    vcard_escape,
    vcard_fold,
    write_contact_sheet,
)
from contact_sheets.rows import contact_sheet_rows
from partners.models import ContactMethod, Language, Person, PersonExpertise
from partners.resources import ContactSheetResource, escape_formula, unescape_formula
from tests.factories import (
    AppearanceFactory,
    CandidacyFactory,
    OrganizationFactory,
    WorkshopFactory,
    make_area,
    make_contact_sheet_person,
)

pytestmark = pytest.mark.django_db

TRIGGER_VALUES = ["=1+2", "+1 202 555 0143", "-3", "@SUM(A1)", "\tTabbed", "\rcarriage", "\nline"]


def export(people, fmt, **kwargs):
    stream = io.BytesIO()
    count = write_contact_sheet(people, fmt, stream, **kwargs)
    return stream.getvalue(), count


def csv_rows(content):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("value", TRIGGER_VALUES)
def test_every_trigger_character_is_escaped_and_comes_back(value):
    assert escape_formula(value) == "'" + value
    assert unescape_formula(escape_formula(value)) == value


@pytest.mark.parametrize("value", ["'=1", "''+2", "'abc", "it's", "plain", "", "'", "0912345678"])
def test_escaping_is_reversible_for_values_that_already_start_with_a_quote(value):
    assert unescape_formula(escape_formula(value)) == value


def test_only_values_that_could_run_are_changed():
    assert escape_formula("Rose Example") == "Rose Example"
    assert escape_formula("0912345678") == "0912345678"
    assert escape_formula("'=1") == "''=1"
    assert unescape_formula("'hello") == "'hello"


def test_csv_cells_beginning_with_a_trigger_are_escaped_in_the_raw_text():
    for value in TRIGGER_VALUES:
        make_contact_sheet_person(full_name=f"Person {ord(value[0])}", source=value)

    content, count = export(Person.objects.all(), "csv")

    rows = csv_rows(content)
    source_column = ContactSheetResource().column_keys().index("source")
    phone_column = ContactSheetResource().column_keys().index("phone")
    assert count == len(TRIGGER_VALUES)
    assert sorted(row[source_column] for row in rows[1:]) == sorted("'" + value for value in TRIGGER_VALUES)
    assert {row[phone_column] for row in rows[1:]} == {"'+12025550143"}


def test_xlsx_cells_are_text_never_formulas_and_keep_plus_and_leading_zeros():
    for value in TRIGGER_VALUES:
        make_contact_sheet_person(full_name=f"Person {ord(value[0])}", source=value)
    person = Person.objects.first()
    ContactMethod.objects.create(person=person, kind="other", value="0012345", label="fax")
    person.honorific = "#N/A"
    person.save()

    content, _count = export(Person.objects.all(), "xlsx")

    sheet = load_workbook(io.BytesIO(content)).active
    keys = ContactSheetResource().column_keys()
    rows = list(sheet.iter_rows(min_row=2))
    source_cells = sorted((row[keys.index("source")] for row in rows), key=lambda cell: cell.value)
    assert [cell.value for cell in source_cells] == sorted(TRIGGER_VALUES)
    # Each trigger cell is a text cell carrying Excel's quote prefix: shown as is, never evaluated.
    assert [cell.quotePrefix for cell in source_cells] == [True] * len(TRIGGER_VALUES)
    for row in rows:
        for cell in row:
            if cell.value is not None:
                assert (cell.data_type, type(cell.value)) == ("s", str), (cell.coordinate, cell.value)
    phones = [row[keys.index("phone")] for row in rows]
    assert {cell.value for cell in phones} == {"+12025550143"}
    assert all(cell.quotePrefix for cell in phones)
    assert not any(row[keys.index("full_name")].quotePrefix for row in rows)
    assert "other (fax): 0012345" in [row[keys.index("other_contacts")].value for row in rows]
    assert "#N/A" in [row[keys.index("honorific")].value for row in rows]


def test_csv_has_a_bom_crlf_and_chinese_text():
    make_contact_sheet_person(full_name='Ana "Quoted", Example', name_zh="安娜", bio="x")

    content, _count = export(Person.objects.all(), "csv")

    assert content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in content
    rows = csv_rows(content)
    assert rows[1][1:3] == ['Ana "Quoted", Example', "安娜"]


def test_headers_follow_the_language_and_workshop_columns_appear_only_for_a_workshop():
    person = make_contact_sheet_person()
    workshop = WorkshopFactory()
    CandidacyFactory(workshop=workshop, person=person, suitability="suitable", reason="Knows T visas", status="invited")

    with translation.override("en"):
        plain = csv_rows(export(Person.objects.all(), "csv")[0])
        for_workshop = csv_rows(export(Person.objects.all(), "csv", workshop=workshop)[0])

    assert plain[0][:3] == ["Identifier", "Name (original)", "Chinese name"]
    assert "Suitability" not in plain[0]
    assert for_workshop[0][-3:] == ["Suitability", "Reason", "Invitation status"]
    assert for_workshop[1][-3:] == ["Suitable", "Knows T visas", "Invited"]


def test_a_row_holds_every_column_of_the_sheet():
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟", code="legal-relief")
    t_visa = make_area("T visa", parent=relief, name_zh="T 簽證", code="t-visa")
    organization = OrganizationFactory(name="Example Relief Network", name_zh="範例救援網絡")
    person = make_contact_sheet_person(
        "Rose Example",
        "範例玫瑰",
        organization=organization,
        country="US",
        source="Programme",
        email="rose@example.org",
    )
    person.last_confirmed = "2022-03-15"
    person.save()
    person.languages.add("es")
    ContactMethod.objects.create(person=person, kind="phone", value="+886223889393", label="office")
    appearance = AppearanceFactory(person=person, session__title="Protecting survivors", session__event__name="FNUSA")
    PersonExpertise.objects.create(person=person, area=t_visa, appearance=appearance)
    PersonExpertise.objects.create(person=person, area=relief, note="noted")

    with translation.override("en"):
        row = next(contact_sheet_rows(Person.objects.all()))

    assert {key: row[key] for key in ContactSheetResource().column_keys()} == {
        "uuid": str(person.uuid),
        "full_name": "Rose Example",
        "name_zh": "範例玫瑰",
        "honorific": "Ms.",
        "title": "Director",
        "title_zh": "主任",
        "organization": "Example Relief Network",
        "organization_zh": "範例救援網絡",
        "country": "US",
        "languages": "en|es",
        "email": "rose@example.org",
        "phone": "+12025550143",
        "other_contacts": "phone (office): +886223889393",
        "expertise": "Legal and immigration relief / 法律及移民救濟|T visa / T 簽證",
        "events": "FNUSA (2022): Protecting survivors (Speaker)",
        "source": "Programme",
        "last_confirmed": "2022-03-15",
    }


def test_json_is_an_array_of_objects_keyed_by_column():
    make_contact_sheet_person(full_name="=cmd", name_zh="中文")

    content, _count = export(Person.objects.all(), "json")

    data = json.loads(content)
    assert [item["full_name"] for item in data] == ["=cmd"]
    assert data[0]["name_zh"] == "中文"
    assert list(data[0]) == ContactSheetResource().column_keys()


def test_vcard_escapes_semicolons_commas_backslashes_and_line_breaks():
    assert vcard_escape("a;b,c\\d\ne\r\nf") == "a\\;b\\,c\\\\d\\ne\\nf"


def test_vcard_has_both_scripts_organization_title_email_and_phone():
    organization = OrganizationFactory(name="Relief; Network, Inc.", name_zh="救援網絡")
    person = make_contact_sheet_person(
        "Rose Example", "範例玫瑰", organization=organization, email="rose@example.org", given_name="Rose"
    )
    person.family_name = "Example"
    person.save()
    row = next(contact_sheet_rows(Person.objects.all()))

    card = vcard(row)

    lines = card.split("\r\n")
    assert lines[:3] == ["BEGIN:VCARD", "VERSION:4.0", f"UID:urn:uuid:{person.uuid}"]
    assert "FN:Rose Example（範例玫瑰）" in lines
    assert "N:Example;Rose;;Ms.;" in lines
    assert "ORG:Relief\\; Network\\, Inc.（救援網絡）" in lines
    assert "TITLE:Director（主任）" in lines
    assert "EMAIL;PREF=1:rose@example.org" in lines
    assert "TEL;TYPE=voice;PREF=1:+12025550143" in lines
    assert lines[-2:] == ["END:VCARD", ""]


def test_vcard_file_has_a_card_per_person_and_long_lines_fold_without_splitting_characters():
    make_contact_sheet_person("Person One", "一")
    make_contact_sheet_person("Person Two", "二" * 60)

    content, count = export(Person.objects.all(), "vcf")

    text = content.decode()
    assert count == 2
    assert text.count("BEGIN:VCARD") == 2
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "FN:Person Two（" + "二" * 60 + "）" in unfolded


def test_fold_keeps_short_lines_and_marks_continuations_with_a_space():
    assert vcard_fold("NOTE:short") == "NOTE:short\r\n"
    folded = vcard_fold("NOTE:" + "x" * 200)
    assert [len(part) for part in folded.split("\r\n")[:-1]] == [75, 75, 57]
    assert folded.split("\r\n")[1].startswith(" ")


def test_sheet_is_ordered_by_name():
    make_contact_sheet_person("Zed Example", "")
    make_contact_sheet_person("Amy Example", "")

    rows = list(contact_sheet_rows(Person.objects.all()))

    assert [row["full_name"] for row in rows] == ["Amy Example", "Zed Example"]


def test_several_current_jobs_are_listed_in_aligned_columns():
    person = make_contact_sheet_person("Rose Example", "", organization=OrganizationFactory(name="First"))
    from partners.models import Affiliation

    Affiliation.objects.create(person=person, organization=OrganizationFactory(name="Second|Part"), title="Adviser")

    row = next(contact_sheet_rows(Person.objects.all()))

    assert row["organization"] == "First|Second\\|Part"
    assert row["title"] == "Director|Adviser"
    assert row["title_zh"] == "主任|"


def build_people(count, *, area, organization, workshop):
    for _number in range(count):
        person = make_contact_sheet_person(f"Person {Person.objects.count()}", "", organization=organization)
        appearance = AppearanceFactory(person=person)
        PersonExpertise.objects.create(person=person, area=area, appearance=appearance)
        CandidacyFactory(workshop=workshop, person=person)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "vcf", "html"])
def test_query_count_is_the_same_for_10_and_100_people(fmt):
    graph = {"area": make_area("Protection", name_zh="保護"), "organization": OrganizationFactory()}
    graph["workshop"] = WorkshopFactory()

    def queries():
        with CaptureQueriesContext(connection) as context:
            export(Person.objects.all(), fmt, workshop=graph["workshop"])
        return len(context.captured_queries)

    build_people(10, **graph)
    with_10 = queries()
    build_people(90, **graph)
    with_100 = queries()

    assert Person.objects.count() == 100
    assert with_100 == with_10


def build_awkward_people():
    """People whose jobs, contacts, areas, languages and talks test every rule of the folds."""
    import datetime as dt

    from tests.factories import AffiliationFactory, ContactMethodFactory, PersonFactory, SessionFactory

    awkward = OrganizationFactory(name="Pipe | and \\ backslash", name_zh="直線|組織")
    separators = OrganizationFactory(name="Unit\x1fsep", name_zh="記錄\x1e分隔")
    plain = OrganizationFactory(name="Plain Org", name_zh="")
    many = PersonFactory(full_name="Many Jobs")
    for organization, start, title in [
        (plain, None, "Undated first"),
        (awkward, dt.date(2020, 1, 1), "Older | title"),
        (plain, dt.date(2023, 5, 1), "Newest \\ title"),
        (awkward, None, "Undated second"),
        (plain, dt.date(2020, 1, 1), "Same day as older"),
    ]:
        AffiliationFactory(person=many, organization=organization, start_date=start, title=title, title_zh="")
    AffiliationFactory(person=many, organization=awkward, title="Past job", is_current=False)
    odd = PersonFactory(full_name="Separator Person")
    AffiliationFactory(person=odd, organization=separators, title="Chief\x1eof\x1fthings", title_zh="長")
    AffiliationFactory(person=odd, organization=plain, title="", title_zh="")
    ContactMethodFactory(person=many, kind="email", value="b@example.org", is_primary=False)
    ContactMethodFactory(person=many, kind="email", value="a@example.org", is_primary=True)
    ContactMethodFactory(person=many, kind="phone", value="+886223456789", is_primary=False, label="office | desk")
    ContactMethodFactory(person=many, kind="website", value="https://example.org/a\\b", is_primary=False)
    ContactMethodFactory(person=odd, kind="phone", value="+12025550143", is_primary=True)
    relief = make_area("Relief", name_zh="救濟")
    t_visa = make_area("T visa", parent=relief, name_zh="T 簽證")
    other = make_area("Other", name_zh="其他")
    make_area("Other", parent=relief, name_zh="其他", code="relief-other")  # a shared label gets its code
    for area in [t_visa, other, relief]:
        PersonExpertise.objects.create(person=many, area=area, note="a note")
    for role in ["speaker", "moderator"]:
        appearance = AppearanceFactory(person=many, role=role, session=SessionFactory(title=f"On | {role}"))
        PersonExpertise.objects.create(person=many, area=t_visa, appearance=appearance)
    workshop_session = SessionFactory(event=WorkshopFactory(start_date=None, end_date=None), title="No date")
    AppearanceFactory(person=odd, session=workshop_session, role="panelist")
    # The languages the migration loads; a flushing (transactional) test before this one may have removed them.
    for code in ["zh", "en", "fr", "es"]:
        Language.objects.get_or_create(code=code, defaults={"name": code})
    many.languages.add("zh", "en", "fr")
    odd.languages.add("es")
    PersonFactory(full_name="Nothing At All")
    AffiliationFactory(person=PersonFactory(full_name="One Job"), organization=plain, title="Officer", title_zh="專員")
    AffiliationFactory(person=PersonFactory(full_name="One Pipe"), organization=awkward, title="A|B", title_zh="")

    return many, odd


def assert_postgresql_folds_give_the_python_folds(many, odd, language):
    from contact_sheets import rows as selectors

    selection = Person.objects.all().values("pk")
    with translation.override(language):
        by_postgresql = selectors._folded_by_postgresql(selection)
        paths = dict(selectors.ExpertiseArea.objects.values_list("pk", "path"))
        by_python = (
            selectors._current_jobs(selection),
            selectors._contacts(selection),
            selectors._expertise(selection, paths),
            selectors._languages(selection),
            selectors._events(selection),
        )
    assert by_postgresql == by_python
    titles = "Newest \\\\ title|Older \\| title|Same day as older|Undated first|Undated second"
    assert by_python[0][many.pk][0] == titles
    assert "\x1e" in by_python[0][odd.pk][0]  # the odd person took the Python way, and came out the same


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL folds exist only there")


@postgresql_only
@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_postgresql_folds_give_exactly_the_python_folds(language):
    many, odd = build_awkward_people()
    assert_postgresql_folds_give_the_python_folds(many, odd, language)
    # An export's chunks give the people as one array parameter (IdSelection): the same folds.
    from contact_sheets import rows

    chunk = rows.IdSelection(Person.objects.values_list("pk", flat=True), "default")
    with translation.override(language):
        assert rows._folded_by_postgresql(chunk) == rows._folded_by_postgresql(Person.objects.values("pk"))


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_two_sessions_fold_the_same(monkeypatch):
    from contact_sheets import rows as sheet_rows

    sessions = []
    fold_in_thread = sheet_rows.ThreadPoolExecutor.submit
    monkeypatch.setattr(
        sheet_rows.ThreadPoolExecutor,
        "submit",
        lambda pool, *args: sessions.append(args) or fold_in_thread(pool, *args),
    )
    many, odd = build_awkward_people()
    assert_postgresql_folds_give_the_python_folds(many, odd, "zh-hant")
    assert len(sessions) == 1 and sessions[0][1] == sheet_rows.BACKGROUND_FOLDS


# -- Red team item 2: a spreadsheet whose list separator is ";" or tab splits cells differently ----

SEPARATOR_ATTACKS = [
    "Ann;=1+1;Lee",
    "Ann\t=HYPERLINK(\"http://x\")\tLee",
    "Ann,@SUM(A1),Lee",
    "Ann;\"=1+1\";Lee",
    "Ann;'=1;Lee",
    "Ann\n=1+1",
    "Ann;-2+3",
    "a;+1,\t@x\r\n=y",
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_cell_begins_with_a_trigger_whatever_separator_the_spreadsheet_splits_on(delimiter):
    for number, value in enumerate(SEPARATOR_ATTACKS):
        make_contact_sheet_person(full_name=f"Person {number}", source=value, bio=value)

    content, _count = export(Person.objects.all(), "csv")

    text = content.decode("utf-8-sig")
    fields = [field for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for field in row]
    assert [field for field in fields if field[:1] in {"=", "+", "-", "@"}] == []


@pytest.mark.parametrize("value", [*SEPARATOR_ATTACKS, ";'", ",''=", "x;\"''@", "\n=\t+"])
def test_escaping_after_a_separator_is_reversible(value):
    assert unescape_formula(escape_formula(value)) == value


def test_a_csv_export_with_separator_attacks_imports_back_to_the_same_text():
    from importing.files import read_contact_file

    for number, value in enumerate(SEPARATOR_ATTACKS):
        make_contact_sheet_person(full_name=f"Person {number}", source=value)

    content, _count = export(Person.objects.all(), "csv")

    rows = read_contact_file(content, filename="sheet.csv")
    resource = ContactSheetResource()
    source_column = rows[0].index(resource.headers()[resource.column_keys().index("source")])
    assert sorted(row[source_column] for row in rows[1:]) == sorted(SEPARATOR_ATTACKS)


# -- Red team item 11: vCard property injection through a language code ---------------------------


@pytest.mark.parametrize("code", ["en", "zh-Hant", "es-419", "zh-Hant-TW", "x-klingon", "fil"])
def test_language_codes_of_bcp47_shape_are_accepted(code):
    Language(code=code, name="Some language").full_clean(validate_unique=False)


@pytest.mark.parametrize("code", ["x\r\nTEL:1", "en;x", "e", "en US", "zh_Hant", "en-", "-en", "en:1", "日本"])
def test_other_language_codes_are_refused(code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        Language(code=code, name="Some language").full_clean(validate_unique=False)
    assert "code" in refused.value.message_dict


def test_the_language_admin_refuses_a_code_carrying_a_line_break(admin_client):
    response = admin_client.post(
        "/admin/partners/language/add/", {"code": "x\r\nTEL:1", "name": "Injected", "name_zh": ""}
    )

    assert response.status_code == 200
    assert "x\r\nTEL:1" not in set(Language.objects.values_list("code", flat=True))


def test_a_language_code_stored_before_validation_cannot_add_a_vcard_property():
    Language.objects.create(code="x\r\nTEL:1", name="Injected")
    person = make_contact_sheet_person("Rose Example", "")
    person.languages.add("x\r\nTEL:1")

    content, _count = export(Person.objects.all(), "vcf")

    lines = content.decode().replace("\r\n ", "").split("\r\n")
    assert [line for line in lines if line.startswith("TEL")] == ["TEL;TYPE=voice;PREF=1:+12025550143"]
    assert "LANG:x\\nTEL:1" in lines


def test_every_vcard_value_stays_on_its_own_line():
    make_contact_sheet_person("Rose Example", "")
    row = next(contact_sheet_rows(Person.objects.all()))
    row["other_contacts"] = "website: https://example.org/a\r\nTEL:1|other (fax\nTEL:2): 1"

    lines = vcard(row).split("\r\n")

    assert [line for line in lines if line.startswith("TEL")] == ["TEL;TYPE=voice;PREF=1:+12025550143"]
    assert "URL:https://example.org/a%0D%0ATEL:1" in lines
