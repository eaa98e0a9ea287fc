"""Shared DOCX plumbing: A4 pages, fonts on the East Asian slot, page numbers, runs that keep them.

python-docx's ``font.name`` sets only the Latin slots (``w:ascii``/``w:hAnsi``); Word and
LibreOffice draw Chinese from ``w:eastAsia``, so every style and run written here sets it.
"""

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

EAST_ASIAN_FONT = "標楷體"  # DFKai-SB, the font of Taiwanese government documents
LATIN_FONT = "Times New Roman"
EAST_ASIAN_LANGUAGE = "zh-TW"


def set_fonts(rpr_owner, *, east_asian=EAST_ASIAN_FONT, latin=LATIN_FONT):
    """Set all font slots, the East Asian one explicitly, on a run's or a style's ``w:rPr``."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    # Theme fonts would win over the names above; drop them.
    for slot in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(slot), None)
    return rpr


def set_language(style):
    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)


def prepare_document(document, *, title, base_size=12, page_numbers=True):
    """A4 portrait, 2.5 cm margins, styles in the Chinese font (black headings), a page number in the footer."""
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(25)
        section.left_margin = section.right_margin = Mm(25)
        if page_numbers:
            add_page_number(section.footer.paragraphs[0])
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(base_size)
    set_fonts(normal.element)
    set_language(normal)
    sizes = {"Title": 20, "Heading 1": 16, "Heading 2": 14, "Heading 3": 12}
    for name, size in sizes.items():
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(style.element)
        set_language(style)
    for name in ("List Bullet", "Table Grid", "Footer"):
        if name in [s.name for s in styles]:
            set_fonts(styles[name].element)
    properties = document.core_properties
    properties.title = title
    properties.author = "Liaison"
    properties.comments = ""
    properties.keywords = ""
    properties.subject = ""
    properties.last_modified_by = "Liaison"


def add_page_number(paragraph):
    """A PAGE field, centred: Word and LibreOffice print the page's number there."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    set_fonts(run._element)
    begin, instruction, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    run._element.append(begin)
    run._element.append(instruction)
    run._element.append(end)


def write(paragraph, text, *, bold=False, size=None):
    """Add ``text`` to ``paragraph`` as one run with the East Asian font set; return the run."""
    run = paragraph.add_run(text)
    set_fonts(run._element)
    if bold:
        run.bold = True
    if size:
        run.font.size = Pt(size)
    return run


def repeat_as_header(row):
    """Repeat a table's first row on every page it runs onto."""
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def write_cell(cell, text, *, bold=False, size=None):
    """Fill a table cell: one paragraph per line of ``text``."""
    lines = str(text).split("\n") if text else [""]
    first = cell.paragraphs[0]
    write(first, lines[0], bold=bold, size=size)
    for line in lines[1:]:
        write(cell.add_paragraph(), line, bold=bold, size=size)


def set_widths(table, widths):
    """Fix the columns' widths (the grid, which LibreOffice reads, and every cell, which Word reads)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        # The row's own cells (a vertically merged cell is one per row), not ``row.cells``, which
        # works out every merge again for each row; a row with a horizontal span takes that way.
        cells = row._tr.tc_lst if len(row._tr.tc_lst) == len(widths) else [cell._tc for cell in row.cells]
        for tc, width in zip(cells, widths, strict=True):
            tc.width = width
