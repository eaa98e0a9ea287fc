"""Read a file: the rows of an uploaded CSV or XLSX as lists of strings, header first.

Bytes in, a table of text out, or ``ImportFileError`` naming why the file as a whole cannot be
read (size, rows, columns, encoding, zip bombs). Knows nothing of people: any import reads here.
"""

import csv
import datetime as dt
import io
import logging
import re
import zipfile

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners.resources import unescape_formula

logger = logging.getLogger(__name__)

# A full contact sheet of MAX_ROWS people exported as CSV is ~30 MB (bios, several jobs and contacts
# a row): what is exported can be imported back. Larger files than a request should plan go to the
# background worker (importing/jobs.py); the web server's own limit must allow this (README, nginx).
MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# Cells (and distinct texts) a workbook may hold: a full contact sheet of 50,000 rows × its 25
# columns is 1.25 million. Counted in the raw XML before any parsing, so a workbook built to
# cost memory and minutes (50,001 rows × 200 columns; millions of shared strings) is refused
# in about a second.
MAX_XLSX_CELLS = 1_500_000
MAX_XLSX_SHARED_STRINGS = 1_500_000


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


class Table(list):
    """The rows of a file (lists of strings, header first), with the text encoding a CSV was read
    in (``None`` for a workbook)."""

    encoding = None


# Text encodings a CSV may come in: Excel's "CSV UTF-8", "Unicode text" (UTF-16, tab-separated),
# and plain "CSV" on Traditional-Chinese Windows (Big5, as Microsoft's code page 950) or on
# Western European Windows (1252). Keys are Python codec names; the user may choose one.
CSV_ENCODINGS = {
    "utf-8": _("UTF-8"),
    "utf-16": _("UTF-16 (Excel “Unicode text”)"),
    "cp950": _("Big5 (Traditional Chinese Windows)"),
    "cp1252": _("Windows-1252 (Western European)"),
}
_DETECTED_AS = {"big5": "cp950", "cp950": "cp950", "big5hkscs": "cp950", "cp1252": "cp1252"}


def read_contact_file(content, *, filename, check_header=None, encoding=None):
    """The rows of a CSV or XLSX file as lists of strings (header first), refusing hostile files.

    Limits: ``MAX_FILE_BYTES`` (40 MB), ``MAX_ROWS`` data rows (50,000), ``MAX_COLUMNS`` columns;
    an XLSX may not unpack to more than 200 MB (zip bombs) nor hold more than ``MAX_XLSX_CELLS``
    cells or ``MAX_XLSX_SHARED_STRINGS`` distinct texts (counted before parsing), its XML is
    parsed with defusedxml (by openpyxl); a CSV must be UTF-8 text without NUL bytes.
    ``check_header(cells)``, when given, is called with the first row as soon as it is read and
    may raise ``ImportFileError``: a file whose header is wrong is refused before the rest is
    read. A CSV's encoding is ``encoding`` (a key of ``CSV_ENCODINGS``) when given, else
    detected (``decode_csv``); the returned ``Table`` names it. Raises ``ImportFileError``.
    """
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            gettext("The file is %(size).1f MB; files up to %(limit)d MB can be imported.")
            % {"size": len(content) / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024}
        )
    if not content:
        raise ImportFileError(gettext("The file is empty."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(gettext("This is an old Excel (.xls) file; save it as .xlsx or CSV UTF-8 first."))
    if content.startswith(b"PK\x03\x04") or extension == "xlsx":
        if extension not in {"xlsx", ""}:
            raise ImportFileError(gettext("Only .csv and .xlsx files can be imported."))
        rows = Table(_read_xlsx(content, check_header=check_header))
    elif extension in {"csv", "txt", ""}:
        # Only a CSV carries the escape quote in its text; an XLSX keeps the exact text in its cells.
        text, encoding = decode_csv(content, encoding=encoding)
        # (only a cell holding a ' can carry the escape: the others are kept without a call each)
        rows = Table(
            [unescape_formula(cell) if "'" in cell else cell for cell in row]
            for row in _read_csv(text, check_header=check_header)
        )
        rows.encoding = encoding
    else:
        raise ImportFileError(gettext("Only .csv and .xlsx files can be imported."))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFileError(gettext("The file has no rows."))
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(
            gettext("The file has more than %(limit)s rows; split it into smaller files.") % {"limit": f"{MAX_ROWS:,}"}
        )
    return rows


def decode_csv(content, *, encoding=None):
    """``(text, encoding)`` of a CSV file's bytes; ``encoding`` a key of ``CSV_ENCODINGS``.

    Given ``encoding`` is used as it is. Otherwise: a byte-order mark decides (UTF-8, UTF-16);
    text that is valid UTF-8 is UTF-8; else ``charset-normalizer`` chooses between Big5 and
    Windows-1252, and when both read the file equally well the user is asked to choose
    (``ImportFileError``) rather than guessed for.
    """
    if encoding is not None:
        codec = "utf-8-sig" if encoding == "utf-8" else encoding
        try:
            text = content.decode(codec)
        except (UnicodeDecodeError, LookupError):
            raise ImportFileError(
                gettext("The file cannot be read as %(encoding)s; choose another encoding, or “Detect automatically”.")
                % {"encoding": CSV_ENCODINGS.get(encoding, encoding)}
            ) from None
        return _no_nul(text), encoding
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _no_nul(content.decode("utf-16")), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in content:
        raise ImportFileError(gettext("The file contains NUL bytes: it is not a text (CSV) file."))
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(content, cp_isolation=["cp950", "cp1252"]))
    readings = {}
    for match in matches:
        codec = _DETECTED_AS.get(match.encoding)
        if codec and codec not in readings:
            readings[codec] = match
    if not readings:
        raise ImportFileError(
            gettext(
                "The file's text encoding was not recognised. In Excel, save it as “CSV UTF-8”, "
                "or import the .xlsx file."
            )
        )
    ranked = sorted(readings.items(), key=lambda item: (item[1].chaos, -item[1].coherence))
    (best, match), rivals = ranked[0], ranked[1:]
    if any(
        abs(other.chaos - match.chaos) < 0.01 and abs(other.coherence - match.coherence) < 0.01 for _c, other in rivals
    ):
        raise ImportFileError(
            gettext(
                "The file reads equally well as %(one)s and as %(other)s; choose its encoding under "
                "“Text encoding” and upload it again."
            )
            % {"one": CSV_ENCODINGS[best], "other": CSV_ENCODINGS[rivals[0][0]]}
        )
    try:
        return content.decode(best), best
    except UnicodeDecodeError:
        raise ImportFileError(
            gettext("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”, or import the .xlsx file.")
        ) from None


def _no_nul(text):
    if "\x00" in text:
        raise ImportFileError(gettext("The file contains NUL bytes: it is not a text (CSV) file."))
    return text


def _read_csv(text, *, check_header=None):
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            if len(row) > MAX_COLUMNS:
                raise ImportFileError(gettext("The file has more than %(limit)d columns.") % {"limit": MAX_COLUMNS})
            rows.append(row)
            if len(rows) == 1 and check_header is not None:
                check_header([unescape_formula(cell) for cell in row])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise ImportFileError(
            gettext("The CSV file is malformed near row %(row)d: %(reason)s") % {"row": len(rows) + 1, "reason": error}
        ) from None
    return rows


def _count_xml_elements(archive, name, *elements):
    """At least how many start tags of each of ``elements`` the archive member ``name`` holds (a
    list, in their order), read in 1 MB chunks: bytes counted at C speed, nothing parsed, memory
    bounded. Any namespace prefix is found from the member's root element. ``<c`` also counts
    the few ``<col …>``-like tags of a sheet: an upper bound, so no spelling (``<c\n``) hides a cell."""
    counts, prefix, tail, tags = [0] * len(elements), None, b"", []
    with archive.open(name) as stream:
        while True:
            chunk = stream.read(1 << 20)
            data = tail + chunk
            if prefix is None:
                root = re.search(rb"<([A-Za-z_][\w.-]*:)?(?:worksheet|sst)[\s>]", data)
                if root is None and chunk:
                    tail = data[-4096:]
                    continue
                prefix = (root.group(1) or b"") if root else b""
                tags = [b"<" + prefix + element for element in elements]
            # Count the tags starting before ``cut`` (even if they end after it); the rest is
            # carried over and counted with the next chunk. The last chunk is counted whole.
            cut = len(data) - 64 if chunk else len(data)
            for index, tag in enumerate(tags):
                counts[index] += data.count(tag, 0, cut + len(tag) - 1)
            if not chunk:
                return counts
            tail = data[cut:]


def _check_xlsx_size(archive):
    """Refuse a workbook holding more rows than allowed, or more cells or distinct texts than any
    contact sheet needs, before anything is parsed."""
    names = set(archive.namelist())
    too_many = gettext(
        "The workbook holds more than %(limit)s cells or texts; a contact sheet of %(rows)s rows "
        "needs far fewer. Delete unused columns and rows, or split the file."
    )
    if "xl/sharedStrings.xml" in names:
        (strings,) = _count_xml_elements(archive, "xl/sharedStrings.xml", b"si")
        if strings > MAX_XLSX_SHARED_STRINGS:
            raise ImportFileError(too_many % {"limit": f"{MAX_XLSX_SHARED_STRINGS:,}", "rows": f"{MAX_ROWS:,}"})
    if "xl/worksheets/sheet1.xml" in names:
        rows, cells = _count_xml_elements(archive, "xl/worksheets/sheet1.xml", b"row", b"c")
        if cells > MAX_XLSX_CELLS:
            raise ImportFileError(too_many % {"limit": f"{MAX_XLSX_CELLS:,}", "rows": f"{MAX_ROWS:,}"})
        if rows - 1 > MAX_ROWS:
            raise ImportFileError(
                gettext("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": f"{MAX_ROWS:,}"}
            )


def _read_xlsx(content, *, check_header=None):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_XLSX_UNCOMPRESSED_BYTES:
                raise ImportFileError(gettext("The workbook unpacks to too much data to be a contact sheet."))
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportFileError(gettext("The file is not an Excel workbook (.xlsx)."))
            _check_xlsx_size(archive)
    except zipfile.BadZipFile:
        raise ImportFileError(gettext("The .xlsx file is damaged or not an Excel workbook.")) from None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = []
            for values in sheet.iter_rows(values_only=True):
                if len(values) > MAX_COLUMNS:
                    # Checked before cutting: empty formatted cells past the limit are harmless.
                    if any(value not in (None, "") for value in values[MAX_COLUMNS:]):
                        raise ImportFileError(
                            gettext("The file has more than %(limit)d columns.") % {"limit": MAX_COLUMNS}
                        )
                    values = values[:MAX_COLUMNS]
                rows.append([_xlsx_text(value) for value in values])
                if len(rows) == 1 and check_header is not None:
                    check_header(rows[0])
                if len(rows) > MAX_ROWS + 1:
                    break
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl and defusedxml raise many kinds; all mean "cannot read"
        logger.info("Unreadable XLSX upload: %r", error)
        raise ImportFileError(
            gettext("The .xlsx file could not be read (damaged, or unsafe content was refused).")
        ) from None
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def _xlsx_text(value):
    """A cell's value as the text the sheet shows (numbers typed into Excel lose nothing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
