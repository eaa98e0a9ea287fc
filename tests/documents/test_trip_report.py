"""The seed conference's trip report, read back with python-docx as a user's Word would read it."""

import io
import re
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.oxml.ns import qn

from conference.models import Appearance, Candidacy, Session
from documents.reading import PROTECTED_SPEAKER, chinese_number, read_trip_report
from documents.trip_report import AGENDA_HEADER, CONTACT_HEADER, write_trip_report
from partners.models import ContactMethod, ExpertiseArea, Organization, Person, PersonExpertise
from tests.documents.conftest import xml_parts
from tests.factories import ContactMethodFactory, PersonExpertiseFactory

pytestmark = pytest.mark.django_db

TAIPEI = ZoneInfo("Asia/Taipei")
CJK = re.compile("[\u3000-\u9fff\uff00-\uffef]")

# The report's 「視訊會議議程」: date (Taipei), time (Taipei), session — in the report's order.
AGENDA = [
    ("3月15日－16日", "23:45–00:00", "Welcome"),
    ("3月15日－16日", "00:00–01:00", "Equity and Engaging Youth Impacted by CSE"),
    ("3月15日－16日", "01:30–03:00", "Widening the Frame: Labor Trafficking of U.S. Adults and Minors"),
    ("3月15日－16日", "03:30–05:00", "Crime Victims' Rights and Immigration Relief Intersections"),
    ("3月17日", "00:00–01:00", "Training and Technical Assistance Round Table"),
    ("3月17日", "01:30–03:00", "USCIS Panel"),
    ("3月17日", "03:30–05:00", "Coding New Pathways to Careers"),
    ("3月18日", "00:00–01:00", "Trafficking During Crises: Centering Race, Gender, & Disability"),
    ("3月18日", "01:30–03:00", "Ask A Fed: Federal Response to Human Trafficking"),
    ("3月18日", "03:30–05:00", "Cultural Humility When Serving Foreign Born Survivors"),
]


def report_of(conference, **options):
    return write_trip_report(read_trip_report(conference, **options))


def table_with_header(document, header):
    for table in document.tables:
        if [cell.text for cell in table.rows[0].cells] == header:
            return table
    raise AssertionError(f"no table headed {header}")


def paragraphs(document):
    return [p.text for p in document.paragraphs]


def test_agenda_lists_the_ten_sessions_in_taipei_time_grouped_by_programme_day(conference):
    document = Document(io.BytesIO(report_of(conference)))

    rows = table_with_header(document, AGENDA_HEADER).rows[1:]

    assert [(row.cells[0].text, row.cells[1].text, row.cells[2].text.splitlines()[-1]) for row in rows] == AGENDA
    # Each row shows the Chinese title above the original one.
    first = Session.objects.get(event=conference, title=AGENDA[1][2])
    assert rows[1].cells[2].text.splitlines() == [f"主題演講：{first.title_zh}", first.title]


def test_the_welcome_runs_from_2345_on_15_march_to_midnight_taipei_time(conference):
    welcome = Session.objects.get(event=conference, kind=Session.Kind.WELCOME)
    assert welcome.starts_at.astimezone(TAIPEI).strftime("%m-%d %H:%M") == "03-15 23:45"
    assert welcome.ends_at.astimezone(TAIPEI).strftime("%m-%d %H:%M") == "03-16 00:00"

    texts = paragraphs(Document(io.BytesIO(report_of(conference))))

    assert "時間：臺灣時間 3月15日 23:45 至 3月16日 00:00（當地時間 3月15日 11:45 至 12:00，America/New_York）" in texts
    # The programme day's heading, then its first session.
    day = texts.index("3月15日－16日")
    assert texts[day + 1] == "（一）致歡迎詞（Welcome）"


def test_every_speaker_with_their_organization_and_the_protected_one_by_role_only(conference):
    document = Document(io.BytesIO(report_of(conference)))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]

    named = Appearance.objects.filter(session__event=conference, person__sensitive=False).select_related(
        "person", "organization"
    )
    assert named.count() == 19
    for appearance in named:
        [line] = [text for text in bullets if text.startswith(appearance.person.full_name)]
        where = appearance.organization.name_zh if appearance.organization else appearance.affiliation_as_printed
        assert where in line, line
    assert bullets.count(f"{PROTECTED_SPEAKER}（倖存者講者）") == 1
    # 19 named people, the protected speaker, and the six agencies of "Ask A Fed".
    assert len(bullets) == 26

    annex = table_with_header(document, ["姓名", "角色及場次", "機構", "國家", "會中所示專長"])
    names = [row.cells[0].text.splitlines()[0] for row in annex.rows[1:]]
    assert len(names) == 20
    assert set(names) == {a.person.full_name for a in named} | {PROTECTED_SPEAKER}
    bruggeman = next(row for row in annex.rows[1:] if row.cells[0].text.startswith("Jean Bruggeman"))
    assert "美國防制人口販運自由聯盟" in bruggeman.cells[2].text
    assert CONTACT_HEADER not in [cell.text for cell in annex.rows[0].cells]


def test_both_officers_attendance(conference):
    document = Document(io.BytesIO(report_of(conference)))
    cover = table_with_header(document, ["會議名稱", document.tables[0].rows[0].cells[1].text])
    attendees = next(row.cells[1].text for row in cover.rows if row.cells[0].text == "本署與會人員")

    assert attendees.splitlines() == [
        "林宜萱（內政部移民署移民事務組專員）：視訊，3月17日",
        "江如晴（內政部移民署移民事務組助理員）：視訊，3月15日－16日、3月18日",
    ]
    texts = paragraphs(document)
    assert texts.count("本署與會人員：江如晴（視訊）") == 7
    assert texts.count("本署與會人員：林宜萱（視訊）") == 3


@pytest.mark.parametrize("with_contacts", [False, True])
def test_no_internal_data_and_no_protected_name_in_any_part_of_the_file(conference, with_contacts):
    protected = Person.objects.get(sensitive=True)
    # Even had an editor typed the name into a summary, it would not get out.
    Session.objects.filter(event=conference, title__startswith="Cultural Humility").update(
        summary=f"{protected.full_name} shared her story."
    )
    ContactMethodFactory(person=protected, value="protected@example.test")
    speaker = Person.objects.get(full_name="Jean Bruggeman")
    PersonExpertiseFactory(person=speaker, area=ExpertiseArea.objects.first(), note="Evidence note: met at dinner")
    Person.objects.filter(pk=speaker.pk).update(notes="Internal note: prefers e-mail")
    internal = {
        *Candidacy.objects.values_list("reason", flat=True),
        *Person.objects.values_list("notes", flat=True),
        *Organization.objects.values_list("notes", flat=True),
        *PersonExpertise.objects.values_list("note", flat=True),
        conference.description,
        protected.full_name,
        protected.given_name,
        protected.family_name,
        protected.bio,
        "protected@example.test",
    }
    internal = {text for text in internal if text}
    assert Candidacy.objects.exclude(reason="").exists() and PersonExpertise.objects.exclude(note="").exists()

    parts = xml_parts(report_of(conference, with_contacts=with_contacts))

    for name, xml in parts.items():
        for text in internal:
            assert escape(text[:40]) not in xml, (name, text[:40])
    assert PROTECTED_SPEAKER in parts["word/document.xml"]


def test_contact_details_only_when_asked(conference):
    person = Person.objects.get(full_name="Jean Bruggeman")
    ContactMethodFactory(person=person, kind=ContactMethod.Kind.EMAIL, value="jean@example.test")

    without = report_of(conference)
    with_contacts = Document(io.BytesIO(report_of(conference, with_contacts=True)))

    assert "jean@example.test" not in xml_parts(without)["word/document.xml"]
    annex = table_with_header(with_contacts, ["姓名", "角色及場次", "機構", "國家", "會中所示專長", CONTACT_HEADER])
    row = next(row for row in annex.rows[1:] if row.cells[0].text.startswith("Jean Bruggeman"))
    assert row.cells[5].text == "電子郵件：jean@example.test"


def test_chinese_runs_carry_the_east_asian_font_and_pages_are_numbered_a4(conference):
    document = Document(io.BytesIO(report_of(conference)))
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [
        run for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs for run in p.runs
    ]
    chinese = [run for run in runs if CJK.search(run.text)]

    assert len(chinese) > 100
    for run in chinese:
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "標楷體", run.text
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        assert document.styles[name].element.rPr.rFonts.get(qn("w:eastAsia")) == "標楷體"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "會議概要",
        "會議議程（臺灣時間）",
        "3月15日－16日",
        "3月17日",
        "3月18日",
        "附件：講者及機構名單",
    ]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "PAGE" in section.footer._element.xml


def test_a_protected_name_is_blanked_as_a_whole_word_only():
    from documents.reading import redactor

    redact = redactor([Person(full_name="Mei Lee", given_name="Mei", family_name="Lee", name_zh="李美")])

    assert redact("Mei Lee and 李美 spoke; people fleeing Leeds met LEE.") == (
        f"{PROTECTED_SPEAKER} and {PROTECTED_SPEAKER} spoke; people fleeing Leeds met {PROTECTED_SPEAKER}."
    )


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (305, "三百零五"),
        (1010, "一千零一十"),
        (10_000, "10000"),
    ],
)
def test_sections_are_numbered_in_chinese_past_ninety_nine(number, text):
    # A conference of more than 99 sessions made the report fail (IndexError): a 500 on download.
    assert chinese_number(number) == text
