"""Writes for partners: the export log, and importing contact sheets (with the duplicate matcher)."""

import csv
import datetime as dt
import io
import logging
import operator
import uuid
import zipfile
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, CharField, F, ForeignKey, IntegerField, Lookup, Q, TextField, Value
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext
from django_countries.fields import CountryField

from partners.exporters import unescape_formula
from partners.models import (
    Affiliation,
    ContactMethod,
    ExportLog,
    Organization,
    Person,
    PersonExpertise,
    has_cjk,  # noqa: F401 (part of the matcher's API: partners.duplicates imports it from here)
    name_key,
    normalize_name,
)
from partners.resources import ContactSheetResource, ImportLookups, simple_key
from partners.selectors import uuid_text

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
BATCH_SIZE = 500
# Values looked up by one query. Larger lists make PostgreSQL plan longer and scan whole tables.
LOOKUP_CHUNK = 500


# -- the export log -----------------------------------------------------------------------------


def log_export(
    user,
    *,
    format,
    source,
    row_count,
    filters=None,
    included_sensitive=False,
    purpose=None,
    purpose_detail="",
    people=(),
):
    """Record one contact-sheet export (``user`` is ``None`` for the command line); return the entry.

    ``purpose`` (an ``ExportPurpose``) and ``purpose_detail`` say what for: optional here, so older
    callers keep working, but every user-facing export path asks for them (privacy/purposes.py).
    ``people``: the ids of the people included.
    """
    return ExportLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "command",
        format=format,
        source=source,
        row_count=row_count,
        filters=filters or {},
        included_sensitive=included_sensitive,
        purpose=purpose,
        purpose_detail=purpose_detail or "",
        person_ids=ExportLog.person_ids_text(people),
    )


# -- the duplicate matcher ----------------------------------------------------------------------


def normalize_email(value):
    return (value or "").strip().casefold()


@dataclass
class PersonMatch:
    """A stored person who may be the one described: ``certain`` or to be decided by a user."""

    person_id: int
    certain: bool
    reasons: list


class PersonIndex:
    """E-mails, normalised names and organizations of people, held in dicts for matching many rows.

    Build it once per import for the e-mails, names and identifiers of the file
    (``PersonIndex.build``); ``find_person_matches`` reads it.
    """

    def __init__(self):
        self.by_email = {}
        self.by_name = {}
        self.organizations = {}
        self.labels = {}
        self.identifiers = {}
        self.keys = {}

    def key(self, name):
        """``name_key(name)``, remembered: an import asks for each name of the file several times."""
        found = self.keys.get(name)
        if found is None:
            found = self.keys[name] = name_key(name)
        return found

    @classmethod
    def build(cls, people, *, emails=(), names=(), identifiers=()):
        """Index the people of ``people`` (a queryset) who hold one of ``emails``, ``names`` or ``identifiers``.

        Indexed queries only, a few per ``LOOKUP_CHUNK`` values: e-mails through the contact
        values (case-insensitive), names through the stored keys (``Person.name_key``,
        ``name_zh_key``), identifiers through the unique uuid. Everyone else is left out, so the
        index answers ``find_person_matches`` for those values and no others.
        """
        index = cls()
        emails = sorted({normalize_email(email) for email in emails} - {""})
        keys = sorted({index.key(name) for name in names} - {""})
        identifiers = sorted({str(identifier) for identifier in identifiers})
        email_rows, email_people = [], set()
        for chunk in _chunks(emails):
            # What ``value__iexact`` compares, UPPER(value) = UPPER(%s), for many values at once (the
            # UPPER(value) index on PostgreSQL). PostgreSQL's UPPER is Python's; SQLite's folds ASCII
            # letters only, so there the database upper-cases the values too.
            contacts = ContactMethod.objects.filter(kind=ContactMethod.Kind.EMAIL).order_by()
            if connection.vendor == "postgresql":
                contacts = contacts.filter(_TextInList(Upper("value"), [email.upper() for email in chunk]))
            else:
                contacts = contacts.alias(upper_value=Upper("value"))
                contacts = contacts.filter(upper_value__in=[Upper(Value(email)) for email in chunk])
            for person_id, value in contacts.values_list("person_id", "value"):
                email_rows.append((person_id, value))
                email_people.add(person_id)
        if connection.vendor == "postgresql":
            identifiers = [uuid.UUID(identifier) for identifier in identifiers]
        conditions = [
            (_one_of("name_key", chunk) | _one_of("name_zh_key", chunk), len(chunk)) for chunk in _chunks(keys)
        ]
        conditions += [(_one_of("uuid", chunk), len(chunk)) for chunk in _chunks(identifiers)]
        conditions += [(_one_of("pk", chunk), len(chunk)) for chunk in _chunks(sorted(email_people))]
        for condition in _grouped(conditions):
            rows = people.filter(condition).order_by()
            rows = rows.values_list("pk", "uuid", "full_name", "name_zh", "name_key", "name_zh_key")
            for pk, identifier, full_name, name_zh, key, zh_key in rows:
                if pk in index.labels:
                    continue
                index.identifiers[uuid_text(identifier)] = pk
                index.labels[pk] = f"{full_name}（{name_zh}）" if name_zh and name_zh != full_name else full_name
                for found in {key, zh_key} - {""}:
                    index.by_name.setdefault(found, set()).add(pk)
        for person_id, value in email_rows:
            if person_id in index.labels:
                index.by_email.setdefault(normalize_email(value), set()).add(person_id)
        for chunk in _chunks(list(index.labels)):
            jobs = Affiliation.objects.filter(_one_of("person_id", chunk)).order_by()
            for person_id, organization_id in jobs.values_list("person_id", "organization_id"):
                index.organizations.setdefault(person_id, set()).add(organization_id)
        return index


class _EqualsAny(Lookup):
    """``lhs = ANY(%s)``: on PostgreSQL a column against a whole list, sent as one array parameter."""

    lookup_name = "equals_any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


class _TextInList(Lookup):
    """``lhs IN (SELECT unnest(%s::text[]))``: a text expression against a whole list, as one array.

    Not ``= ANY(array)``: on a small table PostgreSQL answered that for ``UPPER(value)`` from the
    trigram index (every e-mail shares "EXA", ".OR", …), 2–5 s for 500 e-mails; as a join on the
    unnested list it looks each one up in the ``UPPER(value)`` index (2 ms), at any table size.
    """

    lookup_name = "text_in_list"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT unnest(%s::text[]))", [*params, list(self.rhs)]


def _one_of(name, values):
    """The condition "field ``name`` is one of ``values``".

    On PostgreSQL ``= ANY(%s)`` with one array parameter: Django's ``IN (%s, %s, …)`` costs a
    parameter each to build and send, which adds up for the thousands of values of an import.
    """
    if connection.vendor == "postgresql":
        return _EqualsAny(F(name), values)
    return Q(**{f"{name}__in": values})


def _chunks(values):
    return [values[start : start + LOOKUP_CHUNK] for start in range(0, len(values), LOOKUP_CHUNK)]


def _grouped(conditions):
    """``(condition, number of values)`` pairs OR-ed together up to ``LOOKUP_CHUNK`` values a query."""
    group, values = None, 0
    for condition, count in conditions:
        if group is not None and values + count > LOOKUP_CHUNK:
            yield group
            group, values = None, 0
        group, values = condition if group is None else group | condition, values + count
    if group is not None:
        yield group


def find_person_matches(*, full_name="", name_zh="", emails=(), organization_ids=(), index=None, people=None):
    """Stored people who may be the person described, most certain first.

    Certain: the same e-mail address (case-insensitive), or the same normalised name (see
    ``normalize_name``, either script) at an organization the person works or worked for. Not
    certain: the same name without a shared organization, or several people matching at once.
    ``index`` (a ``PersonIndex``) serves an import's many rows; without it the candidates are read
    from ``people`` (default: everyone) with a few indexed queries. Returns a list of ``PersonMatch``.
    """
    if index is None:
        people = people if people is not None else Person.objects.all()
        index = PersonIndex.build(people, emails=emails, names=[full_name, name_zh])
    reasons = {}
    for email in {normalize_email(email) for email in emails} - {""}:
        for pk in index.by_email.get(email, ()):
            reasons.setdefault(pk, []).append(("email", gettext("same e-mail %(email)s") % {"email": email}))
    organization_ids = set(organization_ids)
    for name in (full_name, name_zh):
        key = index.key(name)
        for pk in index.by_name.get(key, ()) if key else ():
            if organization_ids & index.organizations.get(pk, set()):
                reasons.setdefault(pk, []).append(("name_org", gettext("same name at the same organization")))
            else:
                reasons.setdefault(pk, []).append(("name", gettext("same name")))
    matches = []
    for pk, found in reasons.items():
        kinds = {kind for kind, _text in found}
        texts = list(dict.fromkeys(text for _kind, text in found))
        matches.append(PersonMatch(pk, certain=bool(kinds & {"email", "name_org"}), reasons=texts))
    certain = [match for match in matches if match.certain]
    if len(certain) > 1:
        for match in certain:
            match.certain = False
    matches.sort(key=lambda match: (not match.certain, -len(match.reasons), index.labels.get(match.person_id, "")))
    return matches


# -- reading files ------------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


def read_contact_file(content, *, filename):
    """The rows of a CSV or XLSX file as lists of strings (header first), refusing hostile files.

    Limits: ``MAX_FILE_BYTES`` (10 MB), ``MAX_ROWS`` data rows (50,000), ``MAX_COLUMNS`` columns;
    an XLSX may not unpack to more than 200 MB (zip bombs), its XML is parsed with defusedxml (by
    openpyxl); a CSV must be UTF-8 text without NUL bytes. Raises ``ImportFileError``.
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
        rows = _read_xlsx(content)
    elif extension in {"csv", "txt", ""}:
        # Only a CSV carries the escape quote in its text; an XLSX keeps the exact text in its cells.
        rows = [[unescape_formula(cell) for cell in row] for row in _read_csv(content)]
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


def _read_csv(content):
    if b"\x00" in content:
        raise ImportFileError(gettext("The file contains NUL bytes: it is not a text (CSV) file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            gettext("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”, or import the .xlsx file.")
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            if len(row) > MAX_COLUMNS:
                raise ImportFileError(gettext("The file has more than %(limit)d columns.") % {"limit": MAX_COLUMNS})
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise ImportFileError(
            gettext("The CSV file is malformed near row %(row)d: %(reason)s") % {"row": len(rows) + 1, "reason": error}
        ) from None
    return rows


def _read_xlsx(content):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_XLSX_UNCOMPRESSED_BYTES:
                raise ImportFileError(gettext("The workbook unpacks to too much data to be a contact sheet."))
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportFileError(gettext("The file is not an Excel workbook (.xlsx)."))
    except zipfile.BadZipFile:
        raise ImportFileError(gettext("The .xlsx file is damaged or not an Excel workbook.")) from None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = []
            for values in sheet.iter_rows(values_only=True):
                if len(values) > MAX_COLUMNS:
                    values = values[:MAX_COLUMNS]
                    if any(value is not None for value in values[MAX_COLUMNS:]):
                        raise ImportFileError(
                            gettext("The file has more than %(limit)d columns.") % {"limit": MAX_COLUMNS}
                        )
                rows.append([_xlsx_text(value) for value in values])
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


# -- planning and applying an import ------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return gettext("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class Candidate:
    person_id: int
    label: str
    reasons: list


class PlannedOrganization:
    """An organization the import will create, shared by every row that names it."""

    def __init__(self, name, name_zh="", country=""):
        self.name, self.name_zh, self.country = name, name_zh, country
        self.claimed_by_row = None
        self.record = None  # its row, once written

    @property
    def pk(self):
        return self.record["id"] if self.record is not None else None


@dataclass
class RowPlan:
    """What the import will do with one row of the file."""

    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"
    DUPLICATE = "duplicate"  # a possible duplicate the user has to decide on

    number: int
    kind: str = "person"
    label: str = ""
    status: str = UNCHANGED
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    candidates: list = field(default_factory=list)
    note: str = ""
    person_id: int | None = None
    organization_id: int | None = None
    values: dict = field(default_factory=dict)
    # Working state of the planner.
    jobs: list = field(default_factory=list)
    writes: dict | None = None
    planned_organization: PlannedOrganization | None = None
    organization_updates: dict = field(default_factory=dict)

    def error(self, column, message):
        self.errors.append(RowError(self.number, column, str(message)))
        self.status = self.ERROR


@dataclass
class ImportResult:
    """The outcome of ``import_contacts``: one ``RowPlan`` per data row, or file-level errors."""

    filename: str = ""
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    committed: bool = False
    dry_run: bool = True

    def count(self, status):
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self):
        statuses = (RowPlan.NEW, RowPlan.UPDATE, RowPlan.UNCHANGED, RowPlan.DUPLICATE, RowPlan.ERROR)
        return {status: self.count(status) for status in statuses}

    @property
    def errors(self):
        return [error for row in self.rows for error in row.errors]

    @property
    def needs_decisions(self):
        return any(row.status == RowPlan.DUPLICATE for row in self.rows)

    @property
    def ok(self):
        """Every row is good: no file error, no row error, no undecided duplicate."""
        return not self.file_errors and not self.errors and not self.needs_decisions


def import_contacts(file, *, user, dry_run, decisions=None, filename=None, unsure="ask"):
    """Import people and organizations from a contact sheet (CSV or XLSX): every row or none.

    ``file`` is bytes or a file object. ``user`` (``None`` for the command line) is recorded in
    the history of every record written, and matching only considers the people they may see.
    ``decisions`` maps a row number to ``"new"`` or the id of the person a possible duplicate is;
    ``unsure="new"`` imports undecided possible duplicates as new people instead of stopping.

    With ``dry_run`` nothing is written: the result is the preview. Otherwise the rows are
    written in one transaction, and only when every row is good (``result.ok``); a database
    error rolls everything back and is reported in ``result.file_errors``. A blank cell never
    erases a stored value; lists (languages, contacts, expertise, jobs) only grow.
    """
    if hasattr(file, "read"):
        filename = filename or getattr(file, "name", "") or ""
        content = file.read()
    else:
        content = file
    filename = filename or "contacts.csv"
    result = ImportResult(filename=filename, dry_run=dry_run)
    try:
        table = read_contact_file(content, filename=filename)
    except ImportFileError as error:
        result.file_errors.append(str(error))
        return result
    planner = ImportPlanner(user=user, decisions=decisions or {}, unsure=unsure)
    planner.plan(table, result)
    if dry_run or not result.ok:
        return result
    try:
        with transaction.atomic():
            planner.apply(result, reason=gettext("Imported from %(file)s") % {"file": filename})
    except DatabaseError:
        logger.exception("Import of %s failed in the database; rolled back", filename)
        result.file_errors.append(
            gettext("The database refused the import of %(file)s; nothing was written. Try again.") % {"file": filename}
        )
        for row in result.rows:
            if row.status == RowPlan.NEW:
                row.person_id = None
        return result
    result.committed = True
    return result


def _lines(text):
    text = text or ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def same_text(stored, new):
    """Equal but for the line endings and surrounding spaces that spreadsheets change."""
    return _lines(stored) == _lines(new)


class ImportPlanner:
    """Matches every row of a table to stored records in bulk and computes the changes.

    ``plan`` fills an ``ImportResult`` reading each table once (a few queries in all, however
    many rows); ``apply`` writes it with bulk queries, each write with its history row.
    """

    PERSON_FIELDS = ("full_name", "name_zh", "honorific", "country", "source", "last_confirmed")

    def __init__(self, *, user, decisions, unsure="ask"):
        self.user = user
        self.decisions = {int(key): str(value) for key, value in decisions.items()}
        self.unsure = unsure
        self.resource = ContactSheetResource()
        self.visible = Person.objects.visible_to(user)
        self.people = {}
        self.headers = {}

    def header(self, key):
        # Asked for every change of every row: translated once per import.
        if key not in self.headers:
            self.headers[key] = self.resource.column_header(key)
        return self.headers[key]

    # -- planning --

    def plan(self, table, result):
        columns = self.read_header(table[0], result)
        if result.file_errors:
            return
        lookups = ImportLookups()
        self.area_count = gettext("%(count)d area(s)")
        for offset, cells in enumerate(table[1:]):
            raw = {key: cell for key, cell in zip(columns, cells, strict=False) if key is not None}
            if not any(text.strip() for text in raw.values()):
                continue
            row = RowPlan(number=offset + 2)
            row.values, errors = self.resource.clean_row(raw, lookups=lookups)
            for key, message in errors:
                row.error(self.header(key), message)
            result.rows.append(row)
        self.load_organizations()
        self.match(result.rows)
        self.load_people([row.person_id for row in result.rows if row.person_id])
        for row in result.rows:
            if row.status in (RowPlan.ERROR, RowPlan.DUPLICATE):
                continue
            if row.kind == "organization":
                self.diff_organization(row)
            else:
                self.diff_person(row)

    def read_header(self, cells, result):
        """Column keys by position (``None`` for a column the sheet does not know)."""
        header_map = self.resource.header_map()
        columns, seen = [], {}
        for position, header in enumerate(cells):
            key = header_map.get(simple_key(header))
            if key is None:
                if header.strip():
                    result.ignored_columns.append(header.strip())
            elif key in seen:
                result.file_errors.append(
                    gettext("The column “%(column)s” appears twice (columns %(first)d and %(second)d).")
                    % {"column": header, "first": seen[key] + 1, "second": position + 1}
                )
            else:
                seen[key] = position
            columns.append(key)
        if not set(seen) & {"full_name", "name_zh", "uuid", "organization", "organization_zh"}:
            result.file_errors.append(
                gettext(
                    "The first row must name the contact sheet's columns; none of them was found "
                    "(e.g. “%(name)s”, “%(email)s”)."
                )
                % {"name": self.header("full_name"), "email": self.header("email")}
            )
        return columns

    def load_organizations(self):
        self.organizations = {}
        self.organization_keys = {}
        for pk, name, name_zh, acronym, country in Organization.objects.values_list(
            "pk", "name", "name_zh", "acronym", "country"
        ).iterator(chunk_size=5000):
            self.organizations[pk] = {"name": name, "name_zh": name_zh, "country": country}
            for kind, key in (("name", name), ("name_zh", name_zh), ("acronym", acronym)):
                if key:
                    self.organization_keys.setdefault((kind, simple_key(key)), []).append(pk)
        self.planned_organizations = {}
        self.organization_changes = {}

    def find_organization(self, name, name_zh, country, row, *, strict_country=False):
        """The organization a row names: a stored one (its id), a planned one, or several ids.

        Looked up by original name, acronym, then Chinese name; several of one name are told
        apart by the Chinese name. Still several: a list of ids, for ``resolve_jobs`` to choose
        the one the person works for. ``strict_country`` (organization rows): one of the same
        name in another country is a different organization, and several is an error.
        """
        found = []
        for kind, text in (("name", name), ("acronym", name), ("name_zh", name_zh)):
            found = self.organization_keys.get((kind, simple_key(text)), []) if text else []
            if found:
                break
        if strict_country and country:
            found = [pk for pk in found if self.organizations[pk]["country"] in (country, "")]
        if len(found) > 1 and name and name_zh:
            key = simple_key(name_zh)
            found = [pk for pk in found if simple_key(self.organizations[pk]["name_zh"]) == key] or found
        if len(found) > 1 and strict_country:
            found = [pk for pk in found if self.organizations[pk]["country"] == country] or found
        if len(found) == 1:
            return found[0]
        if found:
            if strict_country:
                self.ambiguous_organization(row, name or name_zh, found)
                return None
            return list(found)
        key = simple_key(name or name_zh)
        planned = self.planned_organizations.get(key)
        if planned is None:
            planned = PlannedOrganization(name or name_zh, name_zh if name else "")
            self.planned_organizations[key] = planned
        elif name_zh and name and not planned.name_zh:
            planned.name_zh = name_zh
        return planned

    def ambiguous_organization(self, row, name, candidates):
        countries = sorted(self.organizations[pk]["country"] or "—" for pk in candidates)
        row.error(
            self.header("organization"),
            gettext("several organizations are called “%(name)s” (%(countries)s); give the country")
            % {"name": name, "countries": ", ".join(countries)},
        )

    def resolve_jobs(self, row):
        """Choose among same-named organizations: the one the person works or worked for, else
        the one in the row's country; otherwise the row is an error."""
        person_organizations = self.index.organizations.get(row.person_id, set()) if row.person_id else set()
        country = row.values.get("country", "")
        resolved = []
        for organization, *rest in row.jobs:
            if isinstance(organization, list):
                chosen = [pk for pk in organization if pk in person_organizations]
                if len(chosen) != 1:
                    chosen = [pk for pk in organization if self.organizations[pk]["country"] == country]
                if len(chosen) != 1:
                    self.ambiguous_organization(row, rest[3] or rest[2], organization)
                    continue
                organization = chosen[0]
            resolved.append((organization, *rest))
        row.jobs = resolved

    def read_jobs(self, row):
        """The ``(organization, title, title_zh, organization_zh, name)`` of a person row's current jobs."""
        values = row.values
        lists = [values.get(key, []) for key in ("organization", "organization_zh", "title", "title_zh")]
        for position in range(max(len(items) for items in lists)):
            name, name_zh, title, title_zh = (items[position] if position < len(items) else "" for items in lists)
            if not name and not name_zh:
                if title or title_zh:
                    row.error(self.header("organization"), gettext("a title is given without its organization"))
                continue
            organization = self.find_organization(name, name_zh, values.get("country", ""), row)
            if organization is not None:
                row.jobs.append((organization, title, title_zh, name_zh, name))

    def match(self, rows):
        emails, names, identifiers = [], [], []
        for row in rows:
            values = row.values
            emails += self.emails_of(values)
            names += [values.get("full_name", ""), values.get("name_zh", "")]
            if "uuid" in values:
                identifiers.append(values["uuid"])
        # Only the people the file's e-mails, names and identifiers can match (among those the user may see).
        self.index = PersonIndex.build(self.visible, emails=emails, names=names, identifiers=identifiers)
        self.identifiers = self.index.identifiers
        # Identifiers of people the user may not see: only those not found among the visible.
        unknown = [
            row.values["uuid"] for row in rows if "uuid" in row.values and row.values["uuid"] not in self.identifiers
        ]
        hidden = set()
        for start in range(0, len(unknown), LOOKUP_CHUNK):
            chunk = unknown[start : start + LOOKUP_CHUNK]
            hidden.update(str(value) for value in Person.objects.filter(uuid__in=chunk).values_list("uuid", flat=True))
        seen_identifiers, seen_emails, seen_people = {}, {}, {}
        for row in rows:
            values = row.values
            if not any(key in values for key in ("full_name", "name_zh", "uuid")):
                if row.status == RowPlan.ERROR:
                    continue
                if "organization" in values or "organization_zh" in values:
                    row.kind = "organization"
                    self.match_organization(row)
                else:
                    row.error(self.header("full_name"), gettext("a row needs a name (or an organization)"))
                continue
            row.label = values.get("full_name") or values.get("name_zh") or str(values["uuid"])
            self.read_jobs(row)
            identifier = values.get("uuid")
            if "full_name" not in values and "name_zh" not in values and identifier not in self.identifiers:
                row.error(self.header("full_name"), gettext("a new person needs a name"))
            emails = self.emails_of(values)
            for email in emails:
                key = normalize_email(email)
                if key in seen_emails:
                    row.error(
                        self.header("email"),
                        gettext("the same e-mail %(email)s is on row %(row)d; combine the two rows")
                        % {"email": email, "row": seen_emails[key]},
                    )
                seen_emails.setdefault(key, row.number)
            if identifier is not None:
                if identifier in seen_identifiers:
                    row.error(
                        self.header("uuid"),
                        gettext("the same identifier is on row %(row)d") % {"row": seen_identifiers[identifier]},
                    )
                seen_identifiers.setdefault(identifier, row.number)
                if identifier in hidden:
                    row.error(self.header("uuid"), gettext("this identifier belongs to a record you cannot change"))
            if row.status == RowPlan.ERROR:
                continue
            if identifier in self.identifiers:
                row.person_id = self.identifiers[identifier]
                row.note = gettext("same identifier")
            else:
                self.match_person(row, emails)
            self.resolve_jobs(row)
            if row.status == RowPlan.ERROR:
                continue
            if row.person_id is not None:
                if row.person_id in seen_people:
                    row.error(
                        self.header("full_name"),
                        gettext("row %(row)d already updates this person; combine the two rows")
                        % {"row": seen_people[row.person_id]},
                    )
                seen_people.setdefault(row.person_id, row.number)

    @staticmethod
    def emails_of(values):
        emails = [values["email"]] if "email" in values else []
        emails += [value for kind, value, _label in values.get("other_contacts", []) if kind == "email"]
        return list(dict.fromkeys(emails))

    def match_person(self, row, emails):
        values = row.values
        matches = find_person_matches(
            full_name=values.get("full_name", ""),
            name_zh=values.get("name_zh", ""),
            emails=emails,
            organization_ids=[pk for job in row.jobs for pk in (job[0] if isinstance(job[0], list) else [job[0]])],
            index=self.index,
        )
        if not matches:
            return
        if matches[0].certain:
            row.person_id = matches[0].person_id
            row.note = "; ".join(matches[0].reasons)
            return
        row.candidates = [Candidate(m.person_id, self.index.labels.get(m.person_id, ""), m.reasons) for m in matches]
        decision = self.decisions.get(row.number, "")
        chosen = [candidate for candidate in row.candidates if str(candidate.person_id) == decision]
        if chosen:
            row.person_id = chosen[0].person_id
            row.note = gettext("the same person, as you chose")
        elif decision == "new" or (not decision and self.unsure == "new"):
            row.note = gettext("a possible duplicate, imported as a new person")
        else:
            row.status = RowPlan.DUPLICATE

    def match_organization(self, row):
        values = row.values
        names, names_zh = values.get("organization", []), values.get("organization_zh", [])
        if len(names) > 1 or len(names_zh) > 1:
            row.error(self.header("organization"), gettext("an organization row names one organization"))
            return
        name, name_zh = (names or [""])[0], (names_zh or [""])[0]
        row.label = name or name_zh
        country = values.get("country", "")
        found = self.find_organization(name, name_zh, country, row, strict_country=True)
        if found is None:
            return
        if isinstance(found, int):
            row.organization_id = found
            return
        if found.claimed_by_row is not None:
            row.error(
                self.header("organization"),
                gettext("this organization is already on row %(row)d") % {"row": found.claimed_by_row},
            )
            return
        found.claimed_by_row = row.number
        found.country = country
        if name_zh and name:
            found.name_zh = name_zh
        row.planned_organization = found

    # -- differences --

    def load_people(self, person_ids):
        """The stored state of every matched person: a query per table per 500 people."""
        self.people = {}
        for start in range(0, len(person_ids), LOOKUP_CHUNK):
            chunk = person_ids[start : start + LOOKUP_CHUNK]
            for values in Person.objects.filter(pk__in=chunk).order_by().values("pk", *self.PERSON_FIELDS):
                values.update(languages=set(), links=[], contacts=[], jobs=[], areas=set())
                self.people[values["pk"]] = values
            for pk, person_id, language in (
                Person.languages.through.objects.filter(person_id__in=chunk)
                .order_by("pk")
                .values_list("pk", "person_id", "language_id")
            ):
                self.people[person_id]["languages"].add(language)
                self.people[person_id]["links"].append((pk, language))
            for contact in (
                ContactMethod.objects.filter(person_id__in=chunk)
                .order_by("pk")
                .values("pk", "person_id", "kind", "value", "label", "is_primary")
            ):
                self.people[contact["person_id"]]["contacts"].append(contact)
            for job in (
                Affiliation.objects.filter(person_id__in=chunk, is_current=True)
                .order_by("pk")
                .values("pk", "person_id", "organization_id", "title", "title_zh")
            ):
                self.people[job["person_id"]]["jobs"].append(job)
            for person_id, area_id in (
                PersonExpertise.objects.filter(person_id__in=chunk).order_by().values_list("person_id", "area_id")
            ):
                self.people[person_id]["areas"].add(area_id)

    def diff_person(self, row):
        values = row.values
        stored = self.people.get(row.person_id) if row.person_id else None
        state = stored or {"languages": set(), "contacts": [], "jobs": [], "areas": set()}
        writes = {"fields": {}, "languages": [], "contacts": [], "jobs": [], "titles": [], "areas": []}
        for key in self.PERSON_FIELDS:
            if key not in values:
                continue
            new, old = values[key], (stored or {}).get(key)
            if key == "last_confirmed":
                changed, old_text, new_text = new != old, (old.isoformat() if old else ""), new.isoformat()
            elif stored is None:
                changed, old_text, new_text = bool(_lines(new)), "", new
            elif key in ("full_name", "name_zh") and normalize_name(old) == normalize_name(new):
                # "ROSE MUKHAR" or "Mukhar, Rose" for "Rose Mukhar": the stored spelling stays.
                continue
            else:
                changed, old_text, new_text = not same_text(old, new), old or "", new
            if changed:
                writes["fields"][key] = new
                row.changes.append(Change(self.header(key), old_text, new_text))
        if stored is None:
            if "uuid" in values:
                writes["fields"]["uuid"] = values["uuid"]
            writes["fields"].setdefault("full_name", values.get("name_zh", ""))
        added = [code for code in values.get("languages", []) if code not in state["languages"]]
        if added:
            writes["languages"] = added
            old = sorted(state["languages"])
            row.changes.append(Change(self.header("languages"), "|".join(old), "|".join(sorted([*old, *added]))))
        self.diff_contacts(row, state, writes)
        self.diff_jobs(row, state, writes)
        new_areas = [area for area in values.get("expertise", []) if area not in state["areas"]]
        if new_areas:
            writes["areas"] = new_areas
            row.changes.append(
                Change(
                    self.header("expertise"),
                    self.area_count % {"count": len(state["areas"])},
                    self.area_count % {"count": len(state["areas"]) + len(new_areas)},
                )
            )
        row.writes = writes
        if stored is None:
            row.status = RowPlan.NEW
        else:
            row.status = RowPlan.UPDATE if row.changes else RowPlan.UNCHANGED

    def diff_contacts(self, row, state, writes):
        values, contacts = row.values, state["contacts"]

        def stored_contact(kind, value):
            key = normalize_email(value) if kind == ContactMethod.Kind.EMAIL else value
            for contact in contacts:
                stored = contact["value"].strip()
                if contact["kind"] == kind and (normalize_email(stored) if kind == "email" else stored) == key:
                    return contact
            return None

        listed = set()
        for key, kind in (("email", ContactMethod.Kind.EMAIL), ("phone", ContactMethod.Kind.PHONE)):
            if key not in values:
                continue
            value = values[key]
            listed.add((kind, normalize_email(value)))
            primary = next((c for c in contacts if c["kind"] == kind and c["is_primary"]), None)
            match = stored_contact(kind, value)
            if primary is not None and match is primary:
                continue
            writes["contacts"].append(("primary", kind, value, "", primary, match))
            row.changes.append(Change(self.header(key), primary["value"] if primary else "", value))
        for kind, value, label in values.get("other_contacts", []):
            if (kind, normalize_email(value)) in listed:
                continue
            listed.add((kind, normalize_email(value)))
            match = stored_contact(kind, value)
            if match is None:
                writes["contacts"].append(("add", kind, value, label, None, None))
                row.changes.append(Change(self.header("other_contacts"), "", f"{kind}: {value}"))
            elif label and label != match["label"]:
                writes["contacts"].append(("label", kind, value, label, None, match))
                row.changes.append(Change(self.header("other_contacts"), match["label"], label))

    def diff_jobs(self, row, state, writes):
        for organization, title, title_zh, organization_zh, _name in row.jobs:
            if isinstance(organization, PlannedOrganization):
                writes["jobs"].append((organization, title, title_zh))
                row.changes.append(Change(self.header("organization"), "", organization.name))
                continue
            stored_organization = self.organizations[organization]
            renamed = organization_zh and not same_text(stored_organization["name_zh"], organization_zh)
            if renamed and self.organization_changes.get(organization) != organization_zh:
                self.organization_changes[organization] = organization_zh
                row.changes.append(
                    Change(self.header("organization_zh"), stored_organization["name_zh"], organization_zh)
                )
            job = next((job for job in state["jobs"] if job["organization_id"] == organization), None)
            if job is None:
                writes["jobs"].append((organization, title, title_zh))
                row.changes.append(Change(self.header("organization"), "", stored_organization["name"]))
                continue
            updates = {}
            for key, new in (("title", title), ("title_zh", title_zh)):
                if new and not same_text(job[key], new):
                    updates[key] = new
                    row.changes.append(Change(self.header(key), job[key], new))
            if updates:
                writes["titles"].append((job["pk"], updates))

    def diff_organization(self, row):
        planned = row.planned_organization
        if planned is not None:
            row.status = RowPlan.NEW
            for key, value in (("organization", planned.name), ("organization_zh", planned.name_zh)):
                if value:
                    row.changes.append(Change(self.header(key), "", value))
            if planned.country:
                row.changes.append(Change(self.header("country"), "", planned.country))
            return
        stored = self.organizations[row.organization_id]
        name_zh = (row.values.get("organization_zh") or [""])[0]
        country = row.values.get("country", "")
        if name_zh and not same_text(stored["name_zh"], name_zh):
            row.organization_updates["name_zh"] = name_zh
            row.changes.append(Change(self.header("organization_zh"), stored["name_zh"], name_zh))
        if country and not stored["country"]:
            row.organization_updates["country"] = country
            row.changes.append(Change(self.header("country"), "", country))
        row.status = RowPlan.UPDATE if row.changes else RowPlan.UNCHANGED

    # -- writing --

    def apply(self, result, *, reason):
        """Write the plan: bulk inserts and updates, each with its history row (user, reason, date)."""
        now = timezone.now()
        user = self.user if self.user is not None and self.user.is_authenticated else None
        history = {"user": user, "reason": reason, "date": now}
        self.write_organizations(result, history, now)
        person_rows = [
            row for row in result.rows if row.kind == "person" and row.status in (RowPlan.NEW, RowPlan.UPDATE)
        ]
        self.write_people(person_rows, history, now)
        note = gettext("From an imported contact sheet (%(file)s, %(date)s)") % {
            "file": result.filename,
            "date": timezone.localdate(now).isoformat(),
        }
        new_contact, new_job, new_link = (
            _new_rows(model, now) for model in (ContactMethod, Affiliation, PersonExpertise)
        )
        demote, promote, relabel, new_contacts, new_jobs, titles, new_links = [], [], {}, [], [], {}, []
        for row in person_rows:
            person_id = row.person_id
            for action, kind, value, label, primary, match in row.writes["contacts"]:
                if action == "primary":
                    if primary is not None:
                        demote.append(primary["pk"])
                    if match is not None:
                        promote.append(match["pk"])
                    else:
                        new_contacts.append(new_contact(person_id=person_id, kind=kind, value=value, is_primary=True))
                elif action == "add":
                    new_contacts.append(new_contact(person_id=person_id, kind=kind, value=value, label=label))
                else:
                    relabel[match["pk"]] = label
            for organization, title, title_zh in row.writes["jobs"]:
                organization_id = organization.pk if isinstance(organization, PlannedOrganization) else organization
                new_jobs.append(
                    new_job(person_id=person_id, organization_id=organization_id, title=title, title_zh=title_zh)
                )
            titles.update(row.writes["titles"])
            new_links += [new_link(person_id=person_id, area_id=area, note=note) for area in row.writes["areas"]]
        # Demote before promoting: one primary per kind holds after every statement.
        _update_with_history(ContactMethod, {pk: {"is_primary": False} for pk in demote}, history)
        _update_with_history(ContactMethod, {pk: {"is_primary": True} for pk in promote}, history)
        _update_with_history(ContactMethod, {pk: {"label": label} for pk, label in relabel.items()}, history)
        _create_with_history(ContactMethod, new_contacts, history)
        _update_with_history(Affiliation, titles, history)
        _create_with_history(Affiliation, new_jobs, history)
        _create_with_history(PersonExpertise, new_links, history)

    def write_organizations(self, result, history, now):
        planned = list(self.planned_organizations.values())
        new_organization = _new_rows(Organization, now)
        for organization in planned:
            organization.record = new_organization(
                name=organization.name, name_zh=organization.name_zh, country=organization.country
            )
        _create_with_history(Organization, [organization.record for organization in planned], history)
        updates = {pk: {"name_zh": name_zh} for pk, name_zh in self.organization_changes.items()}
        for row in result.rows:
            if row.kind == "organization" and row.organization_updates:
                updates.setdefault(row.organization_id, {}).update(row.organization_updates)
        _update_with_history(Organization, updates, history, now=now, bump_version=True)

    def write_people(self, person_rows, history, now):
        """New people, changed people and added languages, with history rows holding the languages afterwards."""
        stored = {}
        updated_ids = [row.person_id for row in person_rows if row.status == RowPlan.UPDATE]
        for chunk in _chunks(updated_ids):
            for person in Person.objects.filter(_one_of("pk", chunk)):
                stored[person.pk] = person
        new_person = _new_rows(Person, now)
        new_people, changed_people, new_rows_of = [], [], []
        for row in person_rows:
            if row.status == RowPlan.NEW:
                record = new_person(**row.writes["fields"])
                record["name_key"], record["name_zh_key"] = (
                    self.index.key(record["full_name"]),
                    self.index.key(record["name_zh"]),
                )
                new_people.append(record)
                new_rows_of.append((row, record))
            else:
                person = stored[row.person_id]
                for key, value in row.writes["fields"].items():
                    setattr(person, key, value)
                person.version += 1
                person.updated_at = now
                changed_people.append(person)
        _create(Person, new_people)
        for row, record in new_rows_of:
            row.person_id = record["id"]
        if changed_people:
            fields = [*self.PERSON_FIELDS, "version", "updated_at"]
            Person.objects.bulk_update(changed_people, fields, batch_size=BATCH_SIZE)
        through = Person.languages.through
        links = [
            {"person_id": row.person_id, "language_id": code} for row in person_rows for code in row.writes["languages"]
        ]
        _create(through, links)
        # simple-history keeps a person's languages in a table of its own: for each history row of
        # the person, one row per language held afterwards (the link's id, person and language).
        held = {}
        for person_id, state in self.people.items():
            held[person_id] = [{"id": pk, "person_id": person_id, "language_id": code} for pk, code in state["links"]]
        for link in links:
            held.setdefault(link["person_id"], []).append(link)
        people = [*new_people, *(_row_of(person) for person in changed_people)]
        history_ids = _insert_history(Person, new_people, history, "+", ids=True)
        history_ids += _insert_history(Person, people[len(new_people) :], history, "~", ids=True)
        m2m_model = Person.history.model._meta.get_field("historicalperson_languages").related_model
        _insert(
            m2m_model,
            [
                {**link, "history_id": history_id}
                for person, history_id in zip(people, history_ids, strict=True)
                for link in held.get(person["id"], [])
            ],
        )


def _new_rows(model, now):
    """A function making the row of a new ``model`` record: every column but the id, defaults filled in.

    Defaults as a model instance gets them: the field's default (called per row when callable,
    e.g. ``uuid4``) and ``now`` for ``auto_now``/``auto_now_add`` dates. Keyword arguments set
    columns by attribute name (``person_id``).
    """
    constant, per_row = {}, []
    for column in model._meta.concrete_fields:
        if column.primary_key:
            continue
        if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False):
            constant[column.attname] = now
        elif column.has_default() and callable(column.default):
            per_row.append((column.attname, column.default))
        else:
            constant[column.attname] = column.get_default()

    def new_row(**values):
        row = dict(constant)
        for name, default in per_row:
            row[name] = default()
        row.update(values)
        return row

    return new_row


def _row_of(instance):
    """A saved model instance as a row: ``{attribute name: value}`` of every column."""
    return {field.attname: instance.__dict__[field.attname] for field in instance._meta.concrete_fields}


def _insert_history(model, rows, history, history_type, *, ids=False):
    """simple-history's rows for ``rows`` of ``model`` (with their ids): their values, the type, user, reason, date."""
    if not rows:
        return []
    history_model = model.history.model
    reason = history["reason"]
    limit = history_model._meta.get_field("history_change_reason").max_length
    if limit and len(reason) > limit:
        reason = reason[: limit - 1] + "…"
    user = history["user"]
    constants = {
        "history_date": history["date"],
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }
    return _insert(history_model, rows, constants=constants, ids=ids)


def _create(model, rows):
    """Insert new ``model`` rows (dicts from ``_new_rows``); each dict gets its id."""
    for row, new_id in zip(rows, _insert(model, rows, ids=True), strict=True):
        row[model._meta.pk.attname] = new_id


def _insert(model, rows, *, constants=None, ids=False):
    """Insert ``rows`` (dicts: attribute name → value of every column but the id) into ``model``'s table.

    ``constants`` gives columns the same value in every row. With ``ids`` the new ids are drawn
    and returned in the order of ``rows``. On PostgreSQL the ids come from the table's sequence
    first and all rows go in one ``COPY``; on other databases one ``INSERT`` per row gives its
    id (``executemany`` without ids). No model instances, no signals: callers write history rows
    themselves.
    """
    if not rows:
        return []
    meta, constants = model._meta, constants or {}
    pk = meta.pk
    fields = [field for field in meta.concrete_fields if field is not pk and field.attname not in constants]
    fixed = [field for field in meta.concrete_fields if field.attname in constants]
    fixed_values = [constants[field.attname] for field in fixed]
    names = [field.attname for field in fields]
    countries = [position for position, field in enumerate(fields) if isinstance(field, CountryField)]
    quote = connection.ops.quote_name
    postgresql = connection.vendor == "postgresql"

    cells_of = operator.itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)

    def values(row):
        cells = [*cells_of(row), *fixed_values]
        for position in countries:
            cells[position] = str(cells[position] or "")
        return cells

    new_ids = []
    with connection.cursor() as cursor:
        if postgresql and ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(rows)],
            )
            new_ids = sorted(value for (value,) in cursor.fetchall())
        columns = ([pk] if new_ids else []) + fields + fixed
        column_list = ", ".join(quote(field.column) for field in columns)
        if postgresql:
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({column_list}) FROM STDIN") as copy:
                if new_ids:
                    for new_id, row in zip(new_ids, rows, strict=True):
                        copy.write_row([new_id, *values(row)])
                else:
                    for row in rows:
                        copy.write_row(values(row))
        else:
            prepare = [_db_value(field) for field in columns]
            sql = f"INSERT INTO {quote(meta.db_table)} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))})"
            params = [[adapt(value) for adapt, value in zip(prepare, values(row), strict=True)] for row in rows]
            if ids:
                for cells in params:
                    cursor.execute(sql, cells)
                    new_ids.append(cursor.lastrowid)
            else:
                cursor.executemany(sql, params)
    return new_ids


def _plain(value):
    return value


def _db_value(field):
    """A column's value as the database driver takes it (``get_db_prep_save``, skipped for plain types)."""
    if isinstance(field, CharField | TextField | BooleanField | IntegerField | ForeignKey):
        return _plain
    return lambda value: field.get_db_prep_save(value, connection)


def _create_with_history(model, rows, history):
    """Insert ``rows`` (from ``_new_rows``) and a "+" history row for each; the rows get their ids."""
    if rows:
        _create(model, rows)
        _insert_history(model, rows, history, "+")


def _update_with_history(model, updates, history, *, now=None, bump_version=False):
    """Apply ``{pk: {field: value}}`` to ``model`` rows in bulk, with a "~" history row for each."""
    if not updates:
        return
    fields = sorted({key for changes in updates.values() for key in changes})
    if bump_version:
        fields += ["version", "updated_at"]
    instances = []
    for chunk in _chunks(list(updates)):
        for instance in model.objects.filter(_one_of("pk", chunk)):
            for key, value in updates[instance.pk].items():
                setattr(instance, key, value)
            if bump_version:
                instance.version += 1
                instance.updated_at = now
            instances.append(instance)
    model.objects.bulk_update(instances, fields, batch_size=BATCH_SIZE)
    _insert_history(model, [_row_of(instance) for instance in instances], history, "~")


# -- merging duplicates (issue 9; finding them: partners/duplicates.py) --------------------------

PERSON_MERGE_FIELDS = [
    "full_name",
    "given_name",
    "family_name",
    "name_zh",
    "honorific",
    "country",
    "bio",
    "source",
    "last_confirmed",
    "consent",
    "notes",
]
# Not fields of Person: which e-mail and phone become the primary ones (a value, or "" for no choice).
PERSON_MERGE_CONTACTS = {"primary_email": ContactMethod.Kind.EMAIL, "primary_phone": ContactMethod.Kind.PHONE}
ORGANIZATION_MERGE_FIELDS = ["name", "name_zh", "acronym", "kind", "country", "parent", "website", "notes"]
REASON_LENGTH = 100  # simple-history's change reason on the related rows' history


class MergeRefused(Exception):
    """The two records cannot be merged as asked; nothing was changed. The message says why."""


@transaction.atomic
def merge_people(survivor, duplicate, *, values=None, by=None, survivor_version=None, duplicate_version=None):
    """Merge ``duplicate`` into ``survivor`` in one transaction and delete ``duplicate``; return the survivor.

    ``values`` maps fields of ``PERSON_MERGE_FIELDS`` to the value to keep (fields left out keep
    the survivor's), and ``primary_email`` / ``primary_phone`` to the contact value to make
    primary. Every link moves: affiliations (identical jobs once), contact methods (one row per
    value, one primary per kind), expertise (evidence kept: notes of a repeated area joined),
    appearances (one per session), candidacies (for the same workshop the later decision wins;
    the other stays in the candidacy's history), languages, "not a duplicate" marks, and any
    other relation to Person. ``sensitive`` and ``do_not_contact`` hold if either record had
    them. The survivor's history gets one row naming the duplicate with all its values (as
    JSON); the duplicate's own history rows stay. With ``survivor_version`` /
    ``duplicate_version`` (optimistic locking) a record changed meanwhile raises
    ``ConcurrentEditError``; the survivor's version moves on.
    """
    from partners.models import DistinctPair

    survivor, duplicate = _lock_pair(Person, survivor, duplicate, survivor_version, duplicate_version)
    values = dict(values or {})
    snapshot = _person_snapshot(duplicate)
    moved = _short(gettext("Moved from %(name)s (merged)") % {"name": duplicate})

    # Appearances first: a session both spoke in keeps the survivor's, and expertise evidence
    # pointing at the duplicate's is re-pointed before that one goes.
    by_session = {appearance.session_id: appearance for appearance in survivor.appearances.all()}
    replaced_appearances, appearance_map = [], {}
    for appearance in duplicate.appearances.all():
        kept = by_session.get(appearance.session_id)
        if kept is None:
            appearance.person = survivor
            appearance.save(update_fields=["person"])
            by_session[appearance.session_id] = appearance
            continue
        changed = [name for name in ("affiliation_as_printed", "organization_id") if not getattr(kept, name)]
        for name in changed:
            setattr(kept, name, getattr(appearance, name))
        if changed:
            kept.save(update_fields=changed)
        appearance_map[appearance.pk] = kept.pk
        replaced_appearances.append(appearance)

    held = {(link.area_id, link.appearance_id): link for link in survivor.expertise_links.all()}
    for link in duplicate.expertise_links.all():
        appearance_id = appearance_map.get(link.appearance_id, link.appearance_id)
        existing = held.get((link.area_id, appearance_id))
        if existing is None:
            link.person, link.appearance_id = survivor, appearance_id
            _save_with_reason(link, by, moved)
            held[(link.area_id, appearance_id)] = link
            continue
        if link.note and link.note not in existing.note:
            existing.note = f"{existing.note}\n{link.note}".strip()
            _save_with_reason(existing, by, moved)
        _delete_with_reason(link, by, moved)
    for appearance in replaced_appearances:
        appearance.delete()

    jobs = {_job_key(job): job for job in survivor.affiliations.all()}
    for job in duplicate.affiliations.all():
        if _job_key(job) in jobs:
            _delete_with_reason(job, by, moved)
        else:
            job.person = survivor
            _save_with_reason(job, by, moved)

    _merge_contact_methods(survivor, duplicate, values, by=by, reason=moved)
    _merge_candidacies(survivor, duplicate, by=by)
    survivor.languages.add(*duplicate.languages.all())
    handled = {"affiliations", "contact_methods", "expertise_links", "appearances", "candidacies"}
    _move_other_relations(Person, survivor, duplicate, handled=handled)
    _move_distinct_pairs(DistinctPair.Kind.PERSON, survivor, duplicate)

    for name in PERSON_MERGE_FIELDS:
        if name in values:
            setattr(survivor, name, values[name])
    survivor.sensitive = survivor.sensitive or duplicate.sensitive
    survivor.do_not_contact = survivor.do_not_contact or duplicate.do_not_contact
    _delete_with_reason(
        duplicate, by, gettext("Merged into %(name)s (%(uuid)s)") % {"name": survivor, "uuid": survivor.uuid}
    )
    return _save_survivor(survivor, by, duplicate, snapshot)


@transaction.atomic
def merge_organizations(survivor, duplicate, *, values=None, by=None, survivor_version=None, duplicate_version=None):
    """Merge organization ``duplicate`` into ``survivor`` in one transaction and delete it; return the survivor.

    ``values`` maps fields of ``ORGANIZATION_MERGE_FIELDS`` to the value to keep (``parent`` an
    Organization or None). Moved: affiliations (identical jobs once), appearances (one per
    session for the organization on its own), children, events organized, focus areas, "not a
    duplicate" marks and any other relation. The survivor's history records the duplicate's
    values; locking as in ``merge_people``.
    """
    from conference.models import Appearance, Event
    from partners.models import DistinctPair

    survivor, duplicate = _lock_pair(Organization, survivor, duplicate, survivor_version, duplicate_version)
    values = dict(values or {})
    snapshot = _organization_snapshot(duplicate)
    moved = _short(gettext("Moved from %(name)s (merged)") % {"name": duplicate})

    jobs = {(job.person_id, *_job_key(job)[1:]): job for job in survivor.affiliations.all()}
    for job in duplicate.affiliations.all():
        if (job.person_id, *_job_key(job)[1:]) in jobs:
            _delete_with_reason(job, by, moved)
        else:
            job.organization = survivor
            _save_with_reason(job, by, moved)

    sessions = set(
        Appearance.objects.filter(organization=survivor, person__isnull=True).values_list("session_id", flat=True)
    )
    for appearance in Appearance.objects.filter(organization=duplicate):
        if appearance.person_id is None and appearance.session_id in sessions:
            appearance.delete()  # the survivor already appears in that session
        else:
            appearance.organization = survivor
            appearance.save(update_fields=["organization"])

    if "parent" in values:
        parent = values["parent"]
        values["parent"] = None if parent is not None and parent.pk in (survivor.pk, duplicate.pk) else parent
    elif survivor.parent_id == duplicate.pk:
        values["parent"] = duplicate.parent if duplicate.parent_id != survivor.pk else None
    ancestor = values.get("parent", survivor.parent)
    seen = set()
    while ancestor is not None and ancestor.pk not in seen:
        if ancestor.pk in (survivor.pk, duplicate.pk):
            raise MergeRefused(gettext("The chosen parent organization sits inside one of the two organizations."))
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    for child in Organization.objects.filter(parent=duplicate).exclude(pk=survivor.pk):
        child.parent = survivor
        child.version += 1
        _save_with_reason(child, by, moved)
    Event.objects.filter(organizer=duplicate).update(organizer=survivor)
    survivor.focus_areas.add(*duplicate.focus_areas.all())
    _move_other_relations(
        Organization, survivor, duplicate, handled={"affiliations", "appearances", "children", "organized_events"}
    )
    _move_distinct_pairs(DistinctPair.Kind.ORGANIZATION, survivor, duplicate)

    for name in ORGANIZATION_MERGE_FIELDS:
        if name in values:
            setattr(survivor, name, values[name])
    # Children and parent of the duplicate are settled; deleting it first frees its name for the survivor.
    Organization.objects.filter(pk=duplicate.pk).update(parent=None)
    _delete_with_reason(
        duplicate, by, gettext("Merged into %(name)s (%(uuid)s)") % {"name": survivor, "uuid": survivor.uuid}
    )
    return _save_survivor(survivor, by, duplicate, snapshot)


@transaction.atomic
def mark_not_duplicates(first, second, *, by=None):
    """Remember that ``first`` and ``second`` (two people or two organizations) are different; return the mark."""
    from partners.models import DistinctPair

    if type(first) is not type(second) or first.pk == second.pk:
        raise MergeRefused(gettext("Choose two different records of the same kind."))
    kind = DistinctPair.Kind.PERSON if isinstance(first, Person) else DistinctPair.Kind.ORGANIZATION
    low, high = sorted([first.pk, second.pk])
    mark, _created = DistinctPair.objects.get_or_create(
        kind=kind, first_id=low, second_id=high, defaults={"created_by": _user_or_none(by)}
    )
    return mark


def _user_or_none(user):
    return user if user is not None and user.is_authenticated else None


def _short(text):
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def _save_with_reason(instance, by, reason):
    instance._history_user = _user_or_none(by)
    instance._change_reason = _short(reason)
    instance.save()


def _delete_with_reason(instance, by, reason):
    instance._history_user = _user_or_none(by)
    instance._change_reason = reason if isinstance(instance, Person | Organization) else _short(reason)
    instance.delete()


def _lock_pair(model, survivor, duplicate, survivor_version, duplicate_version):
    """Both rows, fresh and locked until the merge commits; checks the versions the user saw."""
    from partners.locking import ConcurrentEditError

    if survivor.pk == duplicate.pk:
        raise MergeRefused(gettext("A record cannot be merged with itself."))
    locked = model._default_manager.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])
    rows = {row.pk: row for row in locked}
    for instance, expected in ((survivor, survivor_version), (duplicate, duplicate_version)):
        row = rows.get(instance.pk)
        if row is None or (expected is not None and row.version != expected):
            raise ConcurrentEditError(instance, expected)
    return rows[survivor.pk], rows[duplicate.pk]


def _save_survivor(survivor, by, duplicate, snapshot):
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    class SnapshotEncoder(DjangoJSONEncoder):
        def default(self, o):
            try:
                return super().default(o)
            except TypeError:
                return str(o)  # e.g. a Country: its code

    survivor.version += 1
    survivor._history_user = _user_or_none(by)
    survivor._change_reason = gettext("Merged with %(name)s (%(uuid)s): %(values)s") % {
        "name": duplicate,
        "uuid": duplicate.uuid,
        "values": json.dumps(snapshot, cls=SnapshotEncoder, ensure_ascii=False, sort_keys=True),
    }
    survivor.full_clean(exclude=["parent"] if isinstance(survivor, Organization) else None, validate_unique=False)
    survivor.save()
    return survivor


def _field_values(instance, exclude=("id", "created_at", "updated_at", "version")):
    return {
        field.attname: field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if field.attname not in exclude
    }


def _person_snapshot(person):
    """Everything the duplicate held, for the survivor's history: its fields and the rows that hang off it."""
    from conference.models import Candidacy

    return {
        "id": person.pk,
        **_field_values(person),
        "created_at": person.created_at,
        "languages": sorted(person.languages.values_list("code", flat=True)),
        "contact_methods": [
            {"kind": c.kind, "value": c.value, "label": c.label, "is_primary": c.is_primary}
            for c in person.contact_methods.all()
        ],
        "affiliations": [
            {"organization": str(a.organization), "title": a.title, "title_zh": a.title_zh, "current": a.is_current}
            for a in person.affiliations.select_related("organization")
        ],
        "expertise": [
            {"area": link.area.code, "appearance": link.appearance_id, "note": link.note}
            for link in person.expertise_links.select_related("area")
        ],
        "appearances": list(person.appearances.values_list("session_id", flat=True)),
        "candidacies": [
            {
                "workshop": c.workshop_id,
                "suitability": c.suitability,
                "status": c.status,
                "reason": c.reason,
                "decided_by": c.decided_by_name,
                "decided_at": c.decided_at,
            }
            for c in Candidacy.objects.filter(person=person)
        ],
    }


def _organization_snapshot(organization):
    return {
        "id": organization.pk,
        **_field_values(organization),
        "created_at": organization.created_at,
        "focus_areas": sorted(organization.focus_areas.values_list("code", flat=True)),
        "affiliations": list(organization.affiliations.values_list("person_id", flat=True)),
        "children": list(organization.children.values_list("pk", flat=True)),
    }


def _job_key(job):
    return (
        job.organization_id,
        " ".join(job.title.casefold().split()),
        " ".join(job.title_zh.split()),
        job.start_date,
        job.end_date,
        job.is_current,
    )


def _contact_key(kind, value):
    value = value.strip()
    return normalize_email(value) if kind == ContactMethod.Kind.EMAIL else value


def _merge_contact_methods(survivor, duplicate, values, *, by, reason):
    """One row per contact value; primaries: the chosen value, else the survivor's, else the duplicate's."""
    held = {(c.kind, _contact_key(c.kind, c.value)): c for c in survivor.contact_methods.all()}
    former_primaries = {}
    for method in duplicate.contact_methods.all():
        key = (method.kind, _contact_key(method.kind, method.value))
        existing = held.get(key)
        if method.is_primary:
            former_primaries.setdefault(method.kind, key)
        if existing is not None:
            changed = False
            if method.last_confirmed and (existing.last_confirmed or dt.date.min) < method.last_confirmed:
                existing.last_confirmed, changed = method.last_confirmed, True
            for name in ("label", "source"):
                if not getattr(existing, name) and getattr(method, name):
                    setattr(existing, name, getattr(method, name))
                    changed = True
            if changed:
                _save_with_reason(existing, by, reason)
            _delete_with_reason(method, by, reason)
            continue
        method.person, method.is_primary = survivor, False
        _save_with_reason(method, by, reason)
        held[key] = method
    for choice, kind in PERSON_MERGE_CONTACTS.items():
        kind_methods = {key: method for key, method in held.items() if key[0] == kind}
        chosen = (kind, _contact_key(kind, values.get(choice) or ""))
        current = next((key for key, method in kind_methods.items() if method.is_primary), None)
        wanted = next((key for key in (chosen, current, former_primaries.get(kind)) if key in kind_methods), None)
        # Demote before promoting: one primary per kind holds after every statement.
        for key, method in kind_methods.items():
            if method.is_primary and key != wanted:
                method.is_primary = False
                _save_with_reason(method, by, reason)
        if wanted is not None and not kind_methods[wanted].is_primary:
            kind_methods[wanted].is_primary = True
            _save_with_reason(kind_methods[wanted], by, reason)


def _decision_order(candidacy):
    """Later decisions sort higher: a decided candidacy over an undecided one, then by when."""
    return (candidacy.decided_at is not None, candidacy.decided_at or candidacy.updated_at, candidacy.updated_at)


def _merge_candidacies(survivor, duplicate, *, by):
    from conference.models import Candidacy

    decision = ["suitability", "reason", "status", "decided_by_id", "decided_by_name", "decided_at"]
    held = {candidacy.workshop_id: candidacy for candidacy in Candidacy.objects.filter(person=survivor)}
    for candidacy in Candidacy.objects.filter(person=duplicate):
        kept = held.get(candidacy.workshop_id)
        if kept is None:
            candidacy.person = survivor
            candidacy.version += 1
            _save_with_reason(candidacy, by, gettext("Moved from %(name)s (merged)") % {"name": duplicate})
            continue
        later, earlier = (candidacy, kept) if _decision_order(candidacy) > _decision_order(kept) else (kept, candidacy)
        reason = gettext("Merged; the later decision kept; the other: %(suitability)s, %(status)s, %(when)s") % {
            "suitability": earlier.get_suitability_display(),
            "status": earlier.get_status_display(),
            "when": earlier.decided_at.date().isoformat() if earlier.decided_at else "—",
        }
        for name in decision:
            setattr(kept, name, getattr(later, name))
        kept.version += 1
        _save_with_reason(kept, by, reason)
        # Its own history keeps every decision it held, deletion included.
        _delete_with_reason(candidacy, by, gettext("Merged into the candidacy of %(name)s") % {"name": survivor})


def _move_other_relations(model, survivor, duplicate, *, handled):
    """Relations to ``model`` added by other code than the merge knows: moved as they are."""
    for relation in model._meta.related_objects:
        if relation.get_accessor_name() in handled:
            continue
        related = relation.related_model._base_manager
        if relation.many_to_many:
            getattr(survivor, relation.get_accessor_name()).add(*getattr(duplicate, relation.get_accessor_name()).all())
        else:
            related.filter(**{relation.field.name: duplicate}).update(**{relation.field.name: survivor})


def _move_distinct_pairs(kind, survivor, duplicate):
    """ "Not a duplicate" marks of the duplicate hold for the merged record too."""
    from django.db.models import Q

    from partners.models import DistinctPair

    marks = DistinctPair.objects.filter(Q(first_id=duplicate.pk) | Q(second_id=duplicate.pk), kind=kind)
    for mark in list(marks):
        other = mark.second_id if mark.first_id == duplicate.pk else mark.first_id
        mark.delete()
        if other != survivor.pk:
            low, high = sorted([other, survivor.pk])
            DistinctPair.objects.get_or_create(kind=kind, first_id=low, second_id=high)
