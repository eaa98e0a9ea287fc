"""Red team items 14 and 3: the column limit is checked before cutting; a workbook's cells and
shared strings are counted before parsing; a wrong header is refused before the rest is read."""

import io
import zipfile

import openpyxl
import pytest
from django.utils import translation
from openpyxl import Workbook

from importing import files
from importing.contacts import import_contacts
from partners.models import Person

pytestmark = pytest.mark.django_db

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def raw_workbook(rows, *, shared=(), prefix=""):
    """An .xlsx written by hand: ``rows`` of inline texts, ``shared`` strings in the table."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    sheet_rows = "".join(
        f'<{p}row r="{number}">'
        + "".join(f'<{p}c t="inlineStr"><{p}is><{p}t>{text}</{p}t></{p}is></{p}c>' for text in row)
        + f"</{p}row>"
        for number, row in enumerate(rows, start=1)
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": f"<{p}worksheet {xmlns}><{p}sheetData>{sheet_rows}</{p}sheetData></{p}worksheet>",
    }
    if shared:
        items = "".join(f"<si><t>{text}</t></si>" for text in shared)
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}" count="{len(shared)}">{items}</sst>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def run(content):
    with translation.override("en"):
        return import_contacts(content, user=None, dry_run=True, filename="people.xlsx")


def test_a_workbook_of_300_filled_columns_is_refused():
    book = Workbook()
    book.active.append(["Name (original)", *[f"Extra {n}" for n in range(299)]])
    book.active.append(["Ann Example", *["x"] * 299])
    content = io.BytesIO()
    book.save(content)

    result = run(content.getvalue())

    assert result.file_errors == ["The file has more than 200 columns."]


def test_empty_formatted_cells_past_the_limit_are_harmless():
    book = Workbook()
    book.active.append(["Name (original)"])
    book.active.append(["Ann Example"])
    book.active.cell(row=2, column=260).number_format = "@"  # formatted, empty
    content = io.BytesIO()
    book.save(content)

    result = run(content.getvalue())

    assert result.file_errors == []
    assert [row.status for row in result.rows] == ["new"]


@pytest.mark.parametrize("prefix", ["", "x"])
def test_too_many_cells_are_refused_before_the_workbook_is_parsed(monkeypatch, prefix):
    monkeypatch.setattr(files, "MAX_XLSX_CELLS", 50)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *args, **kwargs: pytest.fail("parsed"))
    content = raw_workbook([["Name (original)", "Country"]] + [["Ann", "US"]] * 30, prefix=prefix)

    result = run(content)

    assert result.file_errors == [
        "The workbook holds more than 50 cells or texts; a contact sheet of 50,000 rows needs far fewer. "
        "Delete unused columns and rows, or split the file."
    ]


def test_too_many_shared_strings_are_refused_before_the_workbook_is_parsed(monkeypatch):
    monkeypatch.setattr(files, "MAX_XLSX_SHARED_STRINGS", 10)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *args, **kwargs: pytest.fail("parsed"))
    content = raw_workbook([["Name (original)"], ["Ann"]], shared=[f"text {n}" for n in range(11)])

    result = run(content)

    assert result.file_errors[0].startswith("The workbook holds more than 10 cells or texts")


def test_counting_spans_chunk_boundaries_exactly():
    cells = 300_000  # about 5 MB of XML: five 1 MB chunks, tags cut at every boundary
    body = '<c r="A1" t="inlineStr"><is><t>x</t></is></c>' * cells
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sheet.xml", f'<worksheet xmlns="{MAIN}"><sheetData><row>{body}</row></sheetData></worksheet>')

    with zipfile.ZipFile(buffer) as archive:
        assert files._count_xml_elements(archive, "sheet.xml", b"row", b"c") == [1, cells]


def test_too_many_rows_are_refused_before_the_workbook_is_parsed(monkeypatch):
    monkeypatch.setattr(files, "MAX_ROWS", 5)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *args, **kwargs: pytest.fail("parsed"))
    content = raw_workbook([["Name (original)"]] + [["Ann"]] * 6)

    result = run(content)

    assert result.file_errors == ["The file has more than 5 rows; split it into smaller files."]


def test_a_wrong_header_is_refused_before_the_other_rows_are_read(monkeypatch):
    read = []
    original = files._xlsx_text
    monkeypatch.setattr(files, "_xlsx_text", lambda value: read.append(value) or original(value))
    content = raw_workbook([["nothing", "we", "know"]] + [["1", "2", "3"]] * 1000)

    result = run(content)

    assert result.file_errors[0].startswith("The first row must name the contact sheet's columns")
    assert read == ["nothing", "we", "know"]
    assert Person.objects.count() == 0


def test_a_csv_with_a_wrong_header_is_refused_the_same_way():
    result = run_csv(b"nothing,we,know\n" + b"1,2,3\n" * 1000)

    assert result.file_errors[0].startswith("The first row must name the contact sheet's columns")


def run_csv(content):
    with translation.override("en"):
        return import_contacts(content, user=None, dry_run=True, filename="people.csv")
