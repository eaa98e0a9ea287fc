"""The XLSX a user gets, downloaded (streamed from a temporary file) or made by a background job,
opens in openpyxl with exactly the cells the sheet's rows hold: values, text types and styles.

tests/contact_sheets/test_formats.py checks the writer's rules one by one on small sheets; here
every cell of a sheet of awkward people is compared, through both ways a user gets the file.
"""

import io

import pytest
from django.http import FileResponse, QueryDict
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conference.models import Candidacy
from contact_sheets.rows import contact_sheet_rows
from contact_sheets.selection import contact_sheet_people
from jobs.models import Job
from partners.models import ContactMethod, Person
from partners.resources import CONTROL_CHARACTERS, FORMULA_TRIGGERS, ContactSheetResource
from tests.contact_sheets.test_formats import build_awkward_people
from tests.factories import (
    AffiliationFactory,
    CandidacyFactory,
    ContactMethodFactory,
    PersonFactory,
    WorkshopFactory,
    make_contact_sheet_person,
)
from tests.jobs.conftest import jobs_root, run_worker  # noqa: F401 (the background job's worker)

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("contact-sheet-export")
LONG = "A long reason that goes on. " * 400  # 11,200 characters: far over a screen, under Excel's 32,767
# The writer's column widths (characters); every other column is 18 wide.
WIDTHS = {"uuid": 38, "full_name": 28, "email": 30, "other_contacts": 40, "expertise": 50, "events": 50}


def awkward_people(workshop):
    """Invented people whose every column tries to break a spreadsheet."""
    many, odd = build_awkward_people()  # several jobs, separators and control characters in names
    chen = make_contact_sheet_person("陳美玲", "陳美玲", honorific="00123", source='=HYPERLINK("https://example.org")')
    ContactMethod.objects.filter(person=chen, kind="phone").update(value="0912345678")
    handle = make_contact_sheet_person("@Example Handle", "", honorific="", source="-5 days ago")
    ContactMethodFactory(person=handle, kind="other", value="0012345", label="fax", is_primary=False)
    lines = make_contact_sheet_person("Line Break Person", "換行\n測試", source="first line\nsecond line\r\nthird")
    AffiliationFactory(person=lines, title="Long title " * 27, title_zh="很長的職稱" * 60)
    plus = make_contact_sheet_person("+Plus Start", "加號", source="\tTabbed", honorific="+")
    empty = PersonFactory(full_name="Empty Person", name_zh="", honorific="", source="")
    people = [many, odd, chen, handle, lines, plus, empty]
    reasons = ["=1+2", "Line one\nLine two", LONG, "", "@mention", "-", "普通理由"]
    for person, reason in zip(people, reasons, strict=True):
        CandidacyFactory(
            workshop=workshop,
            person=person,
            suitability=Candidacy.Suitability.POSSIBLE,
            reason=reason,
            status=Candidacy.Status.SHORTLISTED,
        )
    return Person.objects.all()


def expected_cells(query, user):
    """The header and the cells the sheet's rows give for ``query``, as a spreadsheet holds them:
    an empty value is no cell; a control character (XML cannot hold one) is U+FFFD."""
    selection = contact_sheet_people(QueryDict(query), user=user)
    resource = ContactSheetResource(workshop=selection.workshop)
    keys = resource.column_keys()
    rows = contact_sheet_rows(selection.people, workshop=selection.workshop, ranked=selection.ranked)
    cells = [[CONTROL_CHARACTERS.sub("\ufffd", row[key]) or None for key in keys] for row in rows]
    return keys, resource.headers(), cells


def assert_sheet_holds(content, keys, headers, cells):
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Contact sheet"
    assert (sheet.max_row, sheet.max_column) == (len(cells) + 1, len(keys))
    header, *body = sheet.iter_rows()

    assert [cell.value for cell in header] == headers
    for cell in header:
        assert (cell.font.b, cell.number_format, cell.quotePrefix, cell.data_type) == (True, "@", False, "s")
    assert [[cell.value for cell in row] for row in body] == cells
    for row in body:
        for cell in row:
            assert cell.font.b is False, cell.coordinate
            if cell.value is None:
                continue
            # Text, shown as text (format "@"), never a number, date or formula; a value Excel would
            # read as a formula carries the quote prefix, exactly those.
            assert (type(cell.value), cell.data_type, cell.number_format) == (str, "s", "@"), cell.coordinate
            assert cell.quotePrefix == (cell.value[0] in FORMULA_TRIGGERS), (cell.coordinate, cell.value)
    widths = {key: sheet.column_dimensions[get_column_letter(n)].width for n, key in enumerate(keys, start=1)}
    assert widths == {key: WIDTHS.get(key, 18) for key in keys}
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(keys))}{len(cells) + 1}"


@pytest.fixture
def officer(client, make_user):
    user = make_user("officer", "partners.view_person", "partners.export_person")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


@pytest.fixture
def sheet_query():
    workshop = WorkshopFactory()
    people = awkward_people(workshop)
    query = QueryDict(mutable=True)
    query.setlist("ids", [str(pk) for pk in people.values_list("pk", flat=True)])
    query["workshop"] = str(workshop.pk)
    return query


def test_the_downloaded_xlsx_holds_exactly_the_rows_cells(client, officer, sheet_query):
    keys, headers, cells = expected_cells(sheet_query.urlencode(), officer)
    # The awkward values are all there to be compared (a fixture that lost them would prove nothing).
    values = {value for row in cells for value in row}
    assert {"陳美玲", "0912345678", "00123", "other (fax): 0012345", "=1+2", "Line one\nLine two", LONG} <= values
    assert "first line\nsecond line\r\nthird" in values and None in values
    assert any("\ufffd" in (value or "") for value in values)

    response = client.get(
        EXPORT_URL,
        {**sheet_query.dict(), "ids": sheet_query.getlist("ids"), "format": "xlsx", "purpose_detail": "Test export"},
    )

    assert response.status_code == 200 and isinstance(response, FileResponse)  # the temporary file, streamed
    assert_sheet_holds(b"".join(response.streaming_content), keys, headers, cells)


def test_the_xlsx_made_by_a_background_job_holds_exactly_the_rows_cells(
    client,
    officer,
    sheet_query,
    settings,
    run_worker,  # noqa: F811
):
    settings.LIAISON_EXPORT_JOB_PEOPLE = 1
    keys, headers, cells = expected_cells(sheet_query.urlencode(), officer)

    response = client.get(
        EXPORT_URL,
        {**sheet_query.dict(), "ids": sheet_query.getlist("ids"), "format": "xlsx", "purpose_detail": "Test export"},
    )
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (Job.State.SUCCEEDED, len(cells), len(cells))

    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert_sheet_holds(b"".join(download.streaming_content), keys, headers, cells)
