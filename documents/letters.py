"""Invitation letters as DOCX: the agency's template (or the default one) filled once per recipient.

Templates are DOCX files with Jinja placeholders (docxtpl): ``{{ recipient_name }}`` and the
others in ``PLACEHOLDERS``. The default template, written here with python-docx, puts the
English letter first and the Chinese one below. Letters come as one file (each letter on its
own pages) or as a zip of one file per person.
"""

import copy
import io
import re
import zipfile

import jinja2
from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docxtpl import DocxTemplate

from documents.docx_style import prepare_document, write
from documents.models import LetterTemplate

# Placeholder → what it holds (README.md and the template upload page list these).
PLACEHOLDERS = {
    "recipient_name": _("the person's name as written (original script)"),
    "recipient_name_zh": _("the person's Chinese name (the original name when there is none)"),
    "honorific": _("honorific, e.g. Ms., Dr."),
    "salutation": _("“Dear Ms. Bruggeman” (honorific and family name)"),
    "recipient_title": _("job title at the current organization (original)"),
    "recipient_title_zh": _("job title in Chinese"),
    "organization": _("current organization (original name)"),
    "organization_zh": _("current organization's Chinese name"),
    "workshop_name": _("the workshop's name (original)"),
    "workshop_name_zh": _("the workshop's Chinese name"),
    "theme": _("the workshop's theme (original)"),
    "theme_zh": _("the workshop's theme in Chinese"),
    "dates": _("the workshop's dates in English, or “to be announced”"),
    "dates_zh": _("the workshop's dates in Chinese, or 「另行通知」"),
    "venue": _("venue, city and country in English"),
    "venue_zh": _("venue, city and country in Chinese"),
    "format": _("in person, virtual or hybrid (English)"),
    "format_zh": _("in person, virtual or hybrid (Chinese)"),
    "organizer": _("the organizing agency (original name)"),
    "organizer_zh": _("the organizing agency's Chinese name"),
    "contact_name": _("our contact officer's name"),
    "contact_title": _("our contact officer's title"),
    "contact_email": _("our contact officer's e-mail"),
    "contact_phone": _("our contact officer's phone"),
    "letter_date": _("the letter's date in English"),
    "letter_date_zh": _("the letter's date in Chinese"),
}

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


class TemplateProblem(ValueError):
    """The uploaded file cannot serve as a letter template; the message says why."""


DEFAULT_ENGLISH = [
    "{{ letter_date }}",
    "",
    "{% if honorific %}{{ honorific }} {% endif %}{{ recipient_name }}",
    "{{ recipient_title }}",
    "{{ organization }}",
    "",
    "Invitation to speak at the {{ workshop_name }}",
    "{{ salutation }},",
    "On behalf of {{ organizer }}, it is my pleasure to invite you to speak at the {{ workshop_name }}"
    "{% if theme %}, on the theme of {{ theme }}{% endif %}.",
    "Dates: {{ dates }}",
    "Venue: {{ venue }}",
    "Format: {{ format }}",
    "Your experience would be of great value to the participants. We would be grateful if you could let "
    "us know whether you are able to accept this invitation; details of the programme, travel and "
    "arrangements will follow.",
    "Please contact {{ contact_name }}{% if contact_title %}, {{ contact_title }}{% endif %}"
    "{% if contact_email %}, at {{ contact_email }}{% endif %}{% if contact_phone %} or {{ contact_phone }}{% endif %}"
    " with any question.",
    "Yours sincerely,",
    "",
    "{{ contact_name }}",
    "{{ organizer }}",
]

DEFAULT_CHINESE = [
    "{{ letter_date_zh }}",
    "",
    "{{ organization_zh }}",
    "{{ recipient_name_zh }}{% if recipient_title_zh %} {{ recipient_title_zh }}{% endif %} 鈞鑒：",
    "",
    "主旨：敬邀擔任「{{ workshop_name_zh }}」講者。",
    "{{ organizer_zh }}將辦理「{{ workshop_name_zh }}」{% if theme_zh %}，主題為「{{ theme_zh }}」{% endif %}。"
    "素仰台端學養豐富、經驗卓著，特此誠摯邀請擔任講者，分享寶貴經驗。",
    "日期：{{ dates_zh }}",
    "地點：{{ venue_zh }}",
    "形式：{{ format_zh }}",
    "敬請惠予回覆是否應允；議程、行程及相關安排將另行奉告。",
    "聯絡人：{{ contact_name }}{% if contact_title %}（{{ contact_title }}）{% endif %}"
    "{% if contact_email %}，電子郵件：{{ contact_email }}{% endif %}"
    "{% if contact_phone %}，電話：{{ contact_phone }}{% endif %}",
    "",
    "{{ organizer_zh }} 敬邀",
]


def default_template():
    """The default letter template as DOCX bytes: English first, Chinese on the page after."""
    document = Document()
    prepare_document(document, title="Invitation letter / 邀請函", base_size=11, page_numbers=False)
    document.styles["Normal"].paragraph_format.space_after = Pt(8)
    for text in DEFAULT_ENGLISH:
        write(document.add_paragraph(), text)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for text in DEFAULT_CHINESE:
        write(document.add_paragraph(), text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def check_template(content):
    """Raise ``TemplateProblem`` unless ``content`` is a DOCX whose placeholders are all known.

    Returns the placeholders it uses.
    """
    if len(content) > MAX_TEMPLATE_BYTES:
        raise TemplateProblem(_("The file is larger than 5 MB."))
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise TemplateProblem(_("This is not a Word document (.docx)."))
    try:
        template = DocxTemplate(io.BytesIO(content))
        template.init_docx()
        used = template.get_undeclared_template_variables()
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(
            _("A placeholder is written wrongly (line %(line)s of the document's text): %(message)s")
            % {"line": error.lineno, "message": error.message}
        ) from None
    except Exception as error:  # python-docx or zipfile: not a readable Word document
        raise TemplateProblem(_("This Word document cannot be read: %(error)s") % {"error": error}) from None
    unknown = sorted(set(used) - set(PLACEHOLDERS))
    if unknown:
        raise TemplateProblem(
            _("Unknown placeholders: %(names)s. Use only those listed on this page.")
            % {"names": ", ".join(f"{{{{ {name} }}}}" for name in unknown)}
        )
    return sorted(used)


def current_template():
    """``(name, DOCX bytes)`` of the template letters are written with: the newest upload, or the
    shipped default (its name ``None``)."""
    template = LetterTemplate.objects.current()
    if template is None:
        return None, default_template()
    return template.name, bytes(template.content)


def render_letter(template_content, context):
    """One letter: the template filled with ``context``, as a python-docx Document."""
    template = DocxTemplate(io.BytesIO(template_content))
    template.render(context, autoescape=True)
    return template.docx


def write_letters_in_one_file(template_content, contexts, stream, *, progress=None):
    """All letters in one DOCX written to ``stream``, each starting on a new page; returns how many.

    Every letter comes from the same template, so styles, numbering and relationships are
    the same in each: the bodies are copied one after the other, the last section settings
    (page size, header, footer) kept once at the end. Each letter is rendered, copied and let go,
    so only the combined document stays in memory. ``progress(done)`` is called after each.
    """
    combined = body = final_section = None
    count = 0
    for count, context in enumerate(contexts, start=1):
        letter = render_letter(template_content, context)
        if combined is None:
            combined = letter
            body = combined.element.body
            final_section = body.find(qn("w:sectPr"))
            if final_section is not None:
                body.remove(final_section)
        else:
            page_break = OxmlElement("w:p")
            run = OxmlElement("w:r")
            brk = OxmlElement("w:br")
            brk.set(qn("w:type"), "page")
            run.append(brk)
            page_break.append(run)
            body.append(page_break)
            for element in letter.element.body:
                if element.tag != qn("w:sectPr"):
                    body.append(copy.deepcopy(element))
        if progress is not None:
            progress(count)
    if combined is None:
        raise ValueError("no letter to write")
    if final_section is not None:
        body.append(final_section)
    combined.save(stream)
    return count


def write_letters_as_zip(template_content, contexts, stream, *, progress=None):
    """A zip of one DOCX per letter, named after the person, written to ``stream``; returns how many.

    ``progress(done)`` is called after each letter.
    """
    seen = set()
    count = 0
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for count, context in enumerate(contexts, start=1):
            stem = letter_file_stem(context["recipient_name"])
            name, n = f"{stem}.docx", 1
            while name in seen:
                n += 1
                name = f"{stem}-{n}.docx"
            seen.add(name)
            buffer = io.BytesIO()
            render_letter(template_content, context).save(buffer)
            archive.writestr(name, buffer.getvalue())
            if progress is not None:
                progress(count)
    return count


def letters_in_one_file(template_content, contexts):
    """All letters in one DOCX; DOCX bytes (``write_letters_in_one_file`` into memory)."""
    output = io.BytesIO()
    write_letters_in_one_file(template_content, contexts, output)
    return output.getvalue()


def letters_as_zip(template_content, contexts):
    """A zip holding one DOCX per letter; zip bytes (``write_letters_as_zip`` into memory)."""
    output = io.BytesIO()
    write_letters_as_zip(template_content, contexts, output)
    return output.getvalue()


def letter_file_stem(name):
    """E.g. "invitation-Jean-Bruggeman": letters and spaces kept, anything a file system dislikes dropped."""
    cleaned = re.sub(r"[^\w-]+", "-", name, flags=re.UNICODE).strip("-") or "letter"
    return f"invitation-{cleaned}"
