"""A format: contact sheets written as CSV, XLSX, JSON, vCard or the printable sheet.

Every writer takes the rows of ``contact_sheets.rows.contact_sheet_rows`` and the columns of
``partners.resources.ContactSheetResource``; ``write_contact_sheet(people, fmt, stream)`` does
both and is what the views, the command and the benchmark call. Spreadsheet cells go through
``partners.resources.escape_formula`` (formula injection).
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from operator import itemgetter

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from contact_sheets.rows import contact_sheet_rows
from partners.resources import (
    CONTROL_CHARACTERS,
    FORMULA_TRIGGERS,
    ContactSheetResource,
    escape_formula,
    needs_formula_escape,
    split_list,
)

CSV_FLUSH_ROWS = 1000


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    content_type: str
    extension: str


FORMATS = {
    "csv": ExportFormat("csv", _("CSV (Excel, UTF-8)"), "text/csv; charset=utf-8", "csv"),
    "xlsx": ExportFormat(
        "xlsx", _("Excel workbook (XLSX)"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
    "json": ExportFormat("json", _("JSON"), "application/json", "json"),
    "vcf": ExportFormat("vcf", _("vCard (phones, address books)"), "text/vcard; charset=utf-8", "vcf"),
    "html": ExportFormat("html", _("Printable sheet"), "text/html; charset=utf-8", "html"),
}


def export_filename(fmt, *, now=None):
    now = timezone.localtime(now)
    return f"contact-sheet-{now:%Y%m%d-%H%M}.{FORMATS[fmt].extension}"


# -- CSV ----------------------------------------------------------------------------------------


def iter_csv(rows, resource):
    """The CSV file as chunks of bytes: UTF-8 with a BOM (so Excel reads Chinese), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([escape_formula(header) for header in resource.headers()])
    cells = itemgetter(*resource.column_keys())
    pending = 0
    for row in rows:
        # Tested first: this loop runs once per cell of the sheet, and most cells need nothing.
        writer.writerow([escape_formula(value) if needs_formula_escape(value) else value for value in cells(row)])
        pending += 1
        if pending == CSV_FLUSH_ROWS:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode()


# -- XLSX ---------------------------------------------------------------------------------------

XLSX_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    # Style 0: the "Text" number format (@) for every cell, so a phone number typed over stays
    # text; style 1: the same, bold, for the header row.
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="{XLSX_NAMESPACE}">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3">'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>'
        # Style 2: Excel's own "text typed after an apostrophe" (quotePrefix): the cell shows its
        # text as it is (a phone stays "+1 …") and editing it never turns it into a formula.
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
# XML text escaping; a carriage return as a character reference, or XML would read it as a line feed.
XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
NEEDS_XML_CARE = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def column_letter(index):
    """Spreadsheet column name of a 0-based index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def write_xlsx(rows, resource, stream):
    """An XLSX workbook of text cells, streamed: constant memory, whatever the number of rows.

    Every cell is an inline string (never a formula or a number). A cell whose text begins with
    a formula trigger keeps its exact text and gets Excel's quote-prefix style, the mark Excel
    itself sets when one types an apostrophe first: shown as stored, never evaluated, not even
    after an edit. (The CSV has no styles, so there the text itself is escaped.) The header row
    is bold and frozen, with a filter. Written
    directly as SpreadsheetML into the zip (openpyxl's write-only mode formats a few thousand
    rows a second without lxml, too slow for 100,000 people); openpyxl reads it back in tests.
    """
    headers = resource.headers()
    keys = resource.column_keys()
    cells = itemgetter(*keys)
    letters = [column_letter(index) for index in range(len(keys))]
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in XLSX_PARTS.items():
            archive.writestr(name, content)
        sheet_name = _xml_attribute(str(_("Contact sheet"))[:31])
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{XLSX_NAMESPACE}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            widths = "".join(
                f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                for n, width in enumerate((_column_width(key) for key in keys), start=1)
            )
            sheet.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<worksheet xmlns="{XLSX_NAMESPACE}">'
                    '<sheetViews><sheetView workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                    "</sheetView></sheetViews>"
                    f"<cols>{widths}</cols><sheetData>" + _xlsx_row(1, headers, letters, ' s="1"')
                ).encode()
            )
            number = 1
            buffer = []
            for row in rows:
                number += 1
                buffer.append(_xlsx_row(number, cells(row), letters, "", quoted=FORMULA_TRIGGERS))
                if len(buffer) == 500:
                    sheet.write("".join(buffer).encode())
                    buffer = []
            last = f"{letters[-1]}{number}"
            sheet.write(("".join(buffer) + f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>').encode())


def _xlsx_row(number, values, letters, style, *, quoted=frozenset()):
    """One row of inline-string cells; text starting with a character in ``quoted`` gets style 2."""
    styles = [' s="2"' if value and value[0] in quoted else style for value in values]
    if NEEDS_XML_CARE.search("".join(values)):  # one search per row; most rows need no escaping
        values = [_xml_text(value) for value in values]
    cells = "".join(
        f'<c r="{letter}{number}"{cell_style} t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
        for letter, value, cell_style in zip(letters, values, styles, strict=True)
        if value
    )
    return f'<row r="{number}">{cells}</row>'


def _xml_text(value):
    value = value.translate(XML_TEXT)
    return CONTROL_CHARACTERS.sub("\ufffd", value) if CONTROL_CHARACTERS.search(value) else value


def _xml_attribute(text):
    return text.translate(XML_TEXT).replace('"', "&quot;")


def _column_width(key):
    return {"uuid": 38, "full_name": 28, "email": 30, "other_contacts": 40, "expertise": 50, "events": 50}.get(key, 18)


# -- JSON ---------------------------------------------------------------------------------------


def iter_json(rows, resource):
    """A JSON array of objects keyed by column key (values as the sheet shows them, unescaped)."""
    keys = resource.column_keys()
    first = True
    yield b"["
    for row in rows:
        text = json.dumps({key: row[key] for key in keys}, ensure_ascii=False)
        yield (("\n" if first else ",\n") + text).encode()
        first = False
    yield b"\n]\n"


# -- vCard (RFC 6350) ---------------------------------------------------------------------------


def vcard_escape(text):
    """Escape a text value: backslash, comma, semicolon and line breaks (RFC 6350 §3.4)."""
    return (
        text.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def vcard_uri(text):
    """A URI value: no escaping of ``,`` or ``;`` (RFC 6350 §4), but spaces, line breaks and other
    control characters percent-encoded so the value stays on its own line."""
    return re.sub(r"[\x00-\x20\x7f]", lambda match: f"%{ord(match.group()):02X}", text)


def vcard_fold(line):
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 6350 §3.2)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line + "\r\n"
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def both_scripts(original, chinese):
    """ "Rose Mukhar（慕蘿絲）": the original with the Chinese form when there is a different one."""
    if chinese and chinese != original:
        return f"{original}（{chinese}）" if original else chinese
    return original


def name_parts(row):
    """(family, given) for the N property: the stored parts, else read from the full name."""
    family, given = row.get("family_name", ""), row.get("given_name", "")
    if family or given:
        return family, given
    name = row["full_name"].strip() or row["name_zh"].strip()
    if "," in name:
        family, _comma, given = name.partition(",")
        return family.strip(), given.strip()
    words = name.split()
    if len(words) < 2:
        return name, ""
    return words[-1], " ".join(words[:-1])


def vcard(row):
    """One vCard 4.0 for a contact-sheet row."""
    family, given = name_parts(row)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"UID:urn:uuid:{row['uuid']}",
        "FN:" + vcard_escape(both_scripts(row["full_name"], row["name_zh"]) or row["name_zh"]),
        "N:" + ";".join(vcard_escape(part) for part in (family, given, "", row["honorific"], "")),
    ]
    if row["name_zh"] and row["name_zh"] != row["full_name"]:
        lines.append("NICKNAME;LANGUAGE=zh-Hant:" + vcard_escape(row["name_zh"]))
    organizations = split_list(row["organization"], keep_empty=True)
    organizations_zh = split_list(row["organization_zh"], keep_empty=True)
    titles = split_list(row["title"], keep_empty=True)
    titles_zh = split_list(row["title_zh"], keep_empty=True)
    if organizations:
        chinese = organizations_zh[0] if organizations_zh else ""
        lines.append("ORG:" + vcard_escape(both_scripts(organizations[0], chinese)))
    if titles and (titles[0] or (titles_zh and titles_zh[0])):
        chinese = titles_zh[0] if titles_zh else ""
        lines.append("TITLE:" + vcard_escape(both_scripts(titles[0], chinese)))
    if row["email"]:
        lines.append("EMAIL;PREF=1:" + vcard_escape(row["email"]))
    if row["phone"]:
        lines.append("TEL;TYPE=voice;PREF=1:" + vcard_escape(row["phone"]))
    notes = []
    for item in split_list(row["other_contacts"]):
        kind, _colon, value = item.partition(": ")
        kind = kind.split(" (")[0]
        if kind == "email":
            lines.append("EMAIL:" + vcard_escape(value))
        elif kind == "phone":
            lines.append("TEL;TYPE=voice:" + vcard_escape(value))
        elif kind == "website":
            lines.append("URL:" + vcard_uri(value))
        else:
            notes.append(item)
    if row["country"]:
        lines.append("ADR;TYPE=work:;;;;;;" + vcard_escape(row["country"]))
    if row["languages"]:
        for code in split_list(row["languages"]):
            # Codes are validated on the model; one stored before that check is escaped anyway.
            lines.append("LANG:" + vcard_escape(code))
    if row["expertise"]:
        notes.insert(0, "{}: {}".format(_("Expertise"), "; ".join(split_list(row["expertise"]))))
    if notes:
        lines.append("NOTE:" + vcard_escape("\n".join(str(note) for note in notes)))
    lines.append("END:VCARD")
    return "".join(vcard_fold(line) for line in lines)


def iter_vcard(rows, resource=None):
    for row in rows:
        yield vcard(row).encode()


# -- all formats --------------------------------------------------------------------------------


def write_contact_sheet(people, fmt, stream, *, workshop=None, ranked=False, rows=None, context=None, progress=None):
    """Write the contact sheet of ``people`` in ``fmt`` to the binary ``stream``; return the row count.

    ``fmt`` is a key of ``FORMATS``. ``people`` must already be limited with ``visible_to``;
    ``ranked`` keeps its order instead of sorting by name. ``rows`` may be given instead of
    computing them from ``people``; ``context`` holds the printable sheet's options (``filters``,
    ``group``, ``total``). This is what the views, the command, the background job and the
    benchmark call; ``progress(rows written)`` is called every ``PROGRESS_ROWS`` rows (a job's
    ``jobs.progress.Progress``, which may stop the export by raising).
    """
    resource = ContactSheetResource(workshop=workshop)
    rows = rows if rows is not None else contact_sheet_rows(people, workshop=workshop, ranked=ranked)
    counter = _Counter(rows, progress)
    if fmt == "csv":
        for chunk in iter_csv(counter, resource):
            stream.write(chunk)
    elif fmt == "xlsx":
        write_xlsx(counter, resource, stream)
    elif fmt == "json":
        for chunk in iter_json(counter, resource):
            stream.write(chunk)
    elif fmt == "vcf":
        for chunk in iter_vcard(counter):
            stream.write(chunk)
    elif fmt == "html":
        stream.write(render_printable(counter, resource, **(context or {})).encode())
    else:
        raise ValueError(f"Unknown contact sheet format: {fmt!r}")
    return counter.count


PROGRESS_ROWS = 1000


class _Counter:
    def __init__(self, rows, progress=None):
        self.rows, self.count, self.progress = rows, 0, progress

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            if self.progress is not None and self.count % PROGRESS_ROWS == 0:
                self.progress(self.count)
            yield row


PRINT_LIMIT = 2000
GROUPINGS = ("organization", "country")


def bilingual(text):
    """A heading in Chinese and English ("姓名 Name"), once when both read the same."""
    with translation.override("zh-hant"):
        chinese = str(text)
    with translation.override("en"):
        english = str(text)
    return english if chinese == english else f"{chinese} {english}"


def printable_context(rows, resource, *, filters=(), group="organization", limit=PRINT_LIMIT, total=None):
    """Template context of the printable sheet: people grouped by organization or by country.

    ``rows`` come from ``contact_sheet_rows``; at most ``limit`` are shown (``total`` is how many
    the selection holds). ``filters`` are ``(label, value)`` pairs shown on the sheet.
    """
    from django_countries import countries

    group = group if group in GROUPINGS else GROUPINGS[0]
    groups = {}
    shown = 0
    for row in rows:
        if limit is not None and shown >= limit:
            break
        shown += 1
        if group == "country":
            code = row["country"]
            key = (not code, countries.name(code) if code else "", code)
            label = both_scripts_country(code) if code else bilingual(_("No country"))
        else:
            organizations = split_list(row["organization"], keep_empty=True)
            organizations_zh = split_list(row["organization_zh"], keep_empty=True)
            name = organizations[0] if organizations else ""
            key = (not name, name.casefold(), name)
            chinese = organizations_zh[0] if organizations_zh else ""
            label = both_scripts(name, chinese) if name else bilingual(_("No current organization"))
        groups.setdefault(key, (label, []))[1].append(printable_row(row))
    headings = {key: bilingual(resource.fields[key].column_name) for key in resource.column_keys()}
    return {
        "title": bilingual(_("Contact sheet")),
        "groups": [groups[key] for key in sorted(groups)],
        "headings": headings,
        "workshop": resource.workshop,
        "filters": [(bilingual(label), value) for label, value in filters],
        "group": group,
        "shown": shown,
        "total": shown if total is None else total,
        "made_at": timezone.localtime(),
        "labels": {
            "made_on": bilingual(_("Made on")),
            "zone": bilingual(_("Taipei time")),
            "filters": bilingual(_("Filters")),
            "people": bilingual(_("People")),
            "no_filters": bilingual(_("Everyone you may see")),
            "grouped_by": bilingual(_("Grouped by")),
            "group": bilingual(_("Organization") if group == "organization" else _("Country")),
            "truncated": bilingual(_("Only the first people are shown; export the sheet for all of them.")),
            "confidential": bilingual(_("Contains personal data: keep it safe and destroy it when done.")),
        },
    }


def both_scripts_country(code):
    from django_countries import countries

    with translation.override("zh-hant"):
        chinese = str(countries.name(code))
    with translation.override("en"):
        english = str(countries.name(code))
    return english if chinese == english else f"{chinese} {english}"


def printable_row(row):
    titles = split_list(row["title"], keep_empty=True)
    titles_zh = split_list(row["title_zh"], keep_empty=True)
    organizations = split_list(row["organization"], keep_empty=True)
    organizations_zh = split_list(row["organization_zh"], keep_empty=True)
    jobs = []
    for position, organization in enumerate(organizations):
        title = both_scripts(
            titles[position] if position < len(titles) else "",
            titles_zh[position] if position < len(titles_zh) else "",
        )
        chinese = organizations_zh[position] if position < len(organizations_zh) else ""
        jobs.append((title, both_scripts(organization, chinese)))
    return {
        **row,
        "name": both_scripts(row["full_name"], row["name_zh"]),
        "jobs": jobs,
        "language_list": split_list(row["languages"]),
        "contact_list": split_list(row["other_contacts"]),
        "expertise_list": split_list(row["expertise"]),
        "event_list": split_list(row["events"]),
    }


def render_printable(rows, resource, *, request=None, query=None, **options):
    """The printable sheet as HTML (A4, bilingual headings); ``options`` go to ``printable_context``.

    ``query`` is the query string the sheet was made from (without ``group`` and ``format``), for
    its "group by" and download links; ``None`` hides them (a sheet made from an admin selection).
    """
    from django.template.loader import render_to_string

    context = printable_context(rows, resource, **options)
    context["query"] = query
    context["export_formats"] = [(key, f.label) for key, f in FORMATS.items() if key != "html"]
    if request is not None:
        from django.contrib import admin

        context = {**admin.site.each_context(request), **context}
    return render_to_string("partners/contact_sheet.html", context, request=request)
