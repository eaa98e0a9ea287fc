"""Read a programme file of any supported format into a ``Programme`` (see ``base``).

``read_programme(content, filename=…)`` checks the size limit, tells the format from the file's
name and first bytes, and hands it to that format's reader. ``ImportFileError`` means the file as
a whole cannot be read (too big, cut short, unsafe, not a programme); problems in single sessions
are in ``Programme.errors``.
"""

from django.utils.translation import gettext

from programme.formats.agenda import read_agenda
from programme.formats.base import MAX_FILE_BYTES, ImportFileError, Programme
from programme.formats.frab import load_json, load_xml, read_frab_json, read_frab_xml

FORMATS = {
    "agenda": "Agenda spreadsheet (CSV/XLSX)",
    "frab-json": "frab/pretalx schedule.json",
    "frab-xml": "frab/pretalx schedule.xml",
    "indico": "Indico event export (JSON)",
    "sessionize": "Sessionize “All data” (JSON)",
    "ical": "iCalendar (.ics)",
}
EXTENSIONS = {"csv", "xlsx", "json", "xml", "ics"}


def read_programme(content, *, filename):
    """The ``Programme`` in ``content`` (bytes). Raises ``ImportFileError`` for an unreadable file."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            gettext("The file is %(size).1f MB; files up to %(limit)d MB can be imported.")
            % {"size": len(content) / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024}
        )
    if not content.strip():
        raise ImportFileError(gettext("The file is empty."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if extension in {"csv", "xlsx"} or content.startswith(b"PK\x03\x04"):
        return read_agenda(content, filename=filename if extension in {"csv", "xlsx"} else f"{filename}.xlsx")
    if extension == "json" or start[:1] in (b"{", b"["):
        return _read_json(load_json(content))
    if extension == "xml" or start[:1] == b"<":
        return read_frab_xml(load_xml(content))
    if extension == "ics" or start.upper().startswith(b"BEGIN:VCALENDAR"):
        from programme.formats.ical import read_ical

        return read_ical(content)
    raise ImportFileError(
        gettext(
            "This is not a programme file Liaison can read: use the agenda template (.csv, .xlsx), "
            "a frab/pretalx schedule (.json, .xml), an Indico or Sessionize export (.json) or iCalendar (.ics)."
        )
    )


def _read_json(data):
    if isinstance(data, dict) and "schedule" in data:
        return read_frab_json(data)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        from programme.formats.indico import read_indico

        return read_indico(data)
    if isinstance(data, dict) and "sessions" in data and "speakers" in data:
        from programme.formats.sessionize import read_sessionize

        return read_sessionize(data)
    programme = Programme(format="json")
    programme.error(
        "$",
        gettext(
            "this JSON file is not a programme Liaison knows "
            "(frab/pretalx schedule, Indico export, Sessionize “All data”)"
        ),
    )
    return programme
