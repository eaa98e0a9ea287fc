"""The trip report's sections as a DOCX: cover block, agenda, one block per session, annex.

Reads ``documents.reading.TripReport`` and writes with python-docx. The text is Traditional
Chinese, as the report filed with the government (出國報告) is; the officer adds 目的 and
心得及建議 around these sections. Headings use Word's own heading styles, so a user restyles
them in one place.
"""

import io

from docx import Document
from docx.shared import Mm

from conference.models import Event
from documents.docx_style import prepare_document, repeat_as_header, set_widths, write, write_cell
from documents.reading import zh_country, zh_label

AGENDA_HEADER = ["日期", "時間（臺灣）", "議程"]
SPEAKER_HEADER = ["姓名", "角色及場次", "機構", "國家", "會中所示專長"]
CONTACT_HEADER = "聯絡方式"
ORGANIZATION_HEADER = ["機構名稱", "類型", "國家"]


def write_trip_report(report):
    """The report as DOCX bytes."""
    event = report.event
    document = Document()
    prepare_document(document, title=event.name_zh or event.name)
    title = document.add_paragraph(style="Title")
    write(title, event.name_zh or event.name)
    if event.name_zh and event.name and event.name != event.name_zh:
        write(document.add_paragraph(), event.name, size=14)

    write(document.add_heading(level=1), "會議概要")
    cover(document, report)

    write(document.add_heading(level=1), "會議議程（臺灣時間）")
    agenda(document, report)

    for day in report.days:
        write(document.add_heading(level=1), day.label)
        for block in day.sessions:
            session_block(document, report, block)

    write(document.add_heading(level=1), "附件：講者及機構名單")
    speakers_annex(document, report)
    organizations_annex(document, report)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def cover(document, report):
    event = report.event
    organizer = event.organizer
    rows = [("會議名稱", "\n".join(dict.fromkeys(filter(None, [event.name_zh, event.name]))))]
    if organizer is not None:
        rows.append(("主辦單位", "\n".join(dict.fromkeys(filter(None, [organizer.name_zh, str(organizer)])))))
    dates = []
    if report.local_dates:
        dates.append(f"當地時間 {report.local_dates}（{report.zone_name}）")
    if report.home_dates:
        dates.append(f"臺灣時間 {report.home_dates}")
    rows.append(("日期", "\n".join(dates)))
    place = "，".join(part for part in (event.venue, event.city, zh_country(event.country)) if part)
    rows.append(("地點及形式", "；".join(filter(None, [place, zh_label(Event.Format(event.format))]))))
    theme = "\n".join(dict.fromkeys(filter(None, [event.theme_zh, event.theme])))
    if theme:
        rows.append(("主題", theme))
    rows.append(("本署與會人員", "\n".join(attendee.line for attendee in report.attendees) or "—"))
    table = document.add_table(rows=0, cols=2, style="Table Grid")
    for label, value in rows:
        cells = table.add_row().cells
        write_cell(cells[0], label, bold=True)
        write_cell(cells[1], value)
    set_widths(table, (Mm(35), Mm(125)))


def agenda(document, report):
    """Date | Taipei time | session, one date cell spanning each programme day, as the report's table."""
    table = document.add_table(rows=1, cols=3, style="Table Grid")
    for cell, label in zip(table.rows[0].cells, AGENDA_HEADER, strict=True):
        write_cell(cell, label, bold=True)
    repeat_as_header(table.rows[0])
    for day in report.days:
        first = last = None
        for block in day.sessions:
            cells = table.add_row().cells
            title = "\n".join(dict.fromkeys(filter(None, [block.label_zh, block.title])))
            write_cell(cells[1], block.home_times)
            write_cell(cells[2], title)
            if first is None:
                first = cells[0]
                write_cell(first, day.label)
            last = cells[0]
        if last is not first:
            # One merge per day: merging row by row walks the growing span each time (a day of
            # 300 sessions took a minute).
            first.merge(last)
    set_widths(table, (Mm(40), Mm(31), Mm(89)))


def session_block(document, report, block):
    write(document.add_heading(level=2), block.heading)
    line(document, "時間", block.when(report.zone_name))
    if block.speakers:
        write(document.add_paragraph(), "講者：", bold=True)
        for speaker in block.speakers:
            write(document.add_paragraph(style="List Bullet"), speaker.line)
    if block.summary:
        write(document.add_paragraph(), "內容摘要：", bold=True)
        for paragraph in block.summary.splitlines():
            if paragraph.strip():
                write(document.add_paragraph(), paragraph.strip())
    line(document, "本署與會人員", "、".join(block.attendees) or "無")


def line(document, label, value):
    paragraph = document.add_paragraph()
    write(paragraph, f"{label}：", bold=True)
    write(paragraph, value)


def speakers_annex(document, report):
    write(document.add_heading(level=2), "講者")
    header = [*SPEAKER_HEADER, CONTACT_HEADER] if report.with_contacts else SPEAKER_HEADER
    table = document.add_table(rows=1, cols=len(header), style="Table Grid")
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        write_cell(cell, label, bold=True, size=10)
    repeat_as_header(table.rows[0])
    for person in report.people:
        cells = table.add_row().cells
        name = "\n".join(dict.fromkeys(filter(None, [person.name, person.name_zh])))
        values = [name, "\n".join(person.roles), person.organization, person.country, "\n".join(person.expertise)]
        if report.with_contacts:
            values.append("\n".join(person.contacts))
        for cell, value in zip(cells, values, strict=True):
            write_cell(cell, value, size=10)
    widths = (Mm(30), Mm(34), Mm(36), Mm(16), Mm(44))
    if report.with_contacts:
        widths = (Mm(26), Mm(28), Mm(30), Mm(14), Mm(32), Mm(30))
    set_widths(table, widths)


def organizations_annex(document, report):
    write(document.add_heading(level=2), "機構")
    table = document.add_table(rows=1, cols=3, style="Table Grid")
    for cell, label in zip(table.rows[0].cells, ORGANIZATION_HEADER, strict=True):
        write_cell(cell, label, bold=True, size=10)
    repeat_as_header(table.rows[0])
    for organization in report.organizations:
        cells = table.add_row().cells
        name = "\n".join(dict.fromkeys(filter(None, [organization.name_zh, organization.name])))
        for cell, value in zip(cells, [name, organization.kind, organization.country], strict=True):
            write_cell(cell, value, size=10)
    set_widths(table, (Mm(100), Mm(35), Mm(25)))
