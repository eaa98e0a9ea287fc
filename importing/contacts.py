"""The contact-sheet import: a table read by ``importing.files`` → people matched → rows planned → written.

``import_contacts`` is the entry point (admin view and ``import_contacts`` command);
``ImportPlanner`` matches every row in bulk, computes the differences (``importing.contact_diffs``)
and writes them (``importing.contact_writes``, with ``importing.writing``). The columns are
partners' ``ContactSheetResource``, the same as the export's.
"""

import contextlib
import gc
import uuid

from django.db import connection
from django.utils.translation import gettext

from importing.contact_diffs import ContactDiffs
from importing.contact_writes import ContactWrites
from importing.files import ImportFileError, read_contact_file
from importing.matching import (
    LOOKUP_CHUNK,
    PersonIndex,
    SentQuery,
    find_person_matches,
    match_chunks,
    one_in,
    pipelined,
)
from importing.plans import (
    Candidate,
    ImportResult,
    PlannedOrganization,
    RowPlan,
    vanished_message,
)
from importing.writing import (
    ImportRefused,
    RowsRefused,
    apply_in_one_transaction,
)
from partners.models import (
    ContactMethod,
    Organization,
    Person,
)
from partners.names import normalize_email
from partners.resources import (
    CONTACT_ITEM,
    ContactSheetResource,
    ImportLookups,
    in_stored_shape,
    simple_key,
    split_list,
)

PROGRESS_ROWS = 500
# Rows matched and compared at a time: on PostgreSQL each part's changed people are written while
# the next is compared.
COMPARE_ROWS = 2000


def _no_progress(done, total=None, *, phase=None):
    pass


def import_contacts(
    file, *, user, dry_run, decisions=None, filename=None, unsure="ask", progress=None, table=None, encoding=None
):
    """Import people and organizations from a contact sheet (CSV or XLSX): every row or none.

    ``file`` is bytes or a file object. ``user`` (``None`` for the command line) is recorded in
    the history of every record written, and matching only considers the people they may see.
    ``decisions`` maps a row number to ``"new"`` or the id of the person a possible duplicate is;
    ``unsure="new"`` imports undecided possible duplicates as new people instead of stopping.

    With ``dry_run`` nothing is written: the result is the preview. Otherwise the rows are
    written in one transaction, and only when every row is good (``result.ok``); a database
    error rolls everything back and is reported in ``result.file_errors``. A blank cell never
    erases a stored value; lists (languages, contacts, expertise, jobs) only grow.

    ``progress`` (a background job's ``jobs.progress.Progress``) hears how far the planning is,
    and may stop the import by raising before anything is written; writing is one transaction.

    ``encoding`` names a CSV's text encoding (a key of ``importing.files.CSV_ENCODINGS``); by
    default it is detected and reported in ``result.encoding``.

    ``table`` (``result.table`` of an earlier run: the rows as read) replaces ``file``, so the
    confirmation of a preview plans again against the records as they are now without reading
    and parsing the file a second time.
    """
    if hasattr(file, "read"):
        filename = filename or getattr(file, "name", "") or ""
        content = file.read()
    else:
        content = file
    filename = filename or "contacts.csv"
    result = ImportResult(filename=filename, dry_run=dry_run)
    planner = ImportPlanner(user=user, decisions=decisions or {}, unsure=unsure)
    # Paused from reading to writing, not phase by phase: resumed in between, the collector
    # walked every object the reading and planning had made (0.1–0.4 s of a 10,000-row import).
    with garbage_collection_paused():
        if table is None:
            try:
                table = read_contact_file(
                    content, filename=filename, check_header=planner.check_header, encoding=encoding or None
                )
            except ImportFileError as error:
                result.file_errors.append(str(error))
                return result
            result.encoding = table.encoding
        result.table = table
        if dry_run:
            planner.plan(table, result, progress=progress)
            return result
        planner.read_rows(table, result, progress=progress)
        if not result.ok:
            if not result.file_errors:
                planner.compare(result, progress=progress)  # every row's errors are reported
            return result
        reason = gettext("Imported from %(file)s") % {"file": filename}
        if progress is not None:
            # The last moment a cancel is honoured: from here on the rows are compared with the
            # stored records and written as one transaction (the progress would not be seen).
            progress(len(result.rows), len(result.rows), phase=gettext("Comparing with the stored records and writing"))
            progress.check()
        committed = apply_in_one_transaction(
            result, lambda: planner.compare_and_apply(result, reason=reason), filename=filename
        )
    if not committed:
        for row in result.rows:
            if row.status == RowPlan.NEW:
                row.person_id = None  # the ids the rolled-back inserts had handed out
    return result


@contextlib.contextmanager
def garbage_collection_paused():
    """Python's cycle collector off for the block, back as it was after it.

    Reading and planning a file build hundreds of thousands of small objects (cells, values,
    stored rows) and keep them to the end: each collection of the oldest generation walks every
    one of them again, for nothing (they hold no reference cycles), a quarter of the planning's
    CPU time at 50,000 rows. Reference counting frees memory as usual meanwhile; the few cycles
    made in the block (query objects) wait for the next collection of the oldest generation.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # What the block made goes straight to the oldest generation (through the permanent
            # one): resumed as it was, the collector's next pass walked all of it at once (0.15 s
            # at 10,000 rows), where reference counting soon frees most of it anyway.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


class ImportPlanner(ContactDiffs, ContactWrites):
    """Matches every row of a table to stored records in bulk and computes the changes.

    ``plan`` fills an ``ImportResult`` (the preview) reading each table once (a few queries in
    all, however many rows): ``read_rows``, then ``compare``. A commit reads the rows the same way,
    then ``compare_and_apply`` compares and writes them in one transaction with bulk queries,
    each write with its history row.
    """

    # On PostgreSQL the changed people of each part of the rows are written while the next part is
    # compared (``send_people``); otherwise, or with this off, every write waits for ``apply``.
    WRITE_WHILE_COMPARING = True

    def __init__(self, *, user, decisions, unsure="ask"):
        self.user = user
        self.decisions = {int(key): str(value) for key, value in decisions.items()}
        self.unsure = unsure
        self.resource = ContactSheetResource()
        self.visible = Person.objects.visible_to(user)
        self.people = {}
        self.headers = {}
        self.sent_updates, self.sent_people = [], set()

    def header(self, key):
        # Asked for every change of every row: translated once per import.
        if key not in self.headers:
            self.headers[key] = self.resource.column_header(key)
        return self.headers[key]

    # -- planning --

    def plan(self, table, result, *, progress=None):
        """Plan every row of ``table`` into ``result`` (the preview). ``progress(done, total, phase=…)``
        (a background job's, see ``importing.jobs``) hears of it every ``PROGRESS_ROWS`` rows."""
        self.read_rows(table, result, progress=progress)
        if not result.file_errors:
            self.compare(result, progress=progress)

    def read_rows(self, table, result, *, progress=None):
        """Read and check every row of ``table`` into ``result``, and find the people they may be."""
        progress = progress or _no_progress
        columns = self.read_header(table[0], result)
        if result.file_errors:
            return
        lookups = ImportLookups()
        contacts = list(self.contact_cells(table, columns))
        self.area_count = gettext("%(count)d area(s)")
        self.load_organizations()  # not in ``pipelined``: read through a server-side cursor
        self.index = PersonIndex()
        with pipelined():
            phones = self.ask_for_stored_phones(contacts)
            # The database looks for the people the file's cells name while its rows are read ...
            asked = self.index.ask(self.visible, **self.people_cells(table, columns, contacts))
            self.clean_rows(
                table,
                columns,
                lookups,
                result,
                progress,
                stored_contacts=lambda: self.stored_contacts(contacts, phones, self.index.read_emails(asked)),
            )
            self.index.read(asked)
            self.add_to_index(result.rows)

    def compare(self, result, *, progress=None, send=None):
        """Match ``result``'s rows to stored records and compare them, ``COMPARE_ROWS`` at a time.

        ``send(rows)`` (the commit's, on PostgreSQL: ``ContactWrites.send_people``) is given each part
        once compared, while every row so far is good: the database writes it while the next part
        is compared. Each part's stored state is asked for once it is matched and read after the
        part before it is compared (in pipeline mode a read waits for everything sent before it: the
        database answers, and writes the part before that, while Python compares).
        """
        progress = progress or _no_progress
        comparing = gettext("Comparing with the stored records")
        rows = result.rows
        parts = [rows[start : start + COMPARE_ROWS] for start in range(0, len(rows), COMPARE_ROWS)]
        good = not result.file_errors  # every row so far: ``result.ok`` is the last word
        with pipelined():
            self.start_matching(rows)
            ahead = self.match_part(parts[0]) if parts else []
            for number, part in enumerate(parts):
                progress(number * COMPARE_ROWS, len(rows), phase=comparing)
                asked, ahead = ahead, self.match_part(parts[number + 1]) if number + 1 < len(parts) else []
                self.load_people(asked)
                for row in part:
                    if row.status in (RowPlan.ERROR, RowPlan.DUPLICATE):
                        good = False
                    elif row.kind == "organization":
                        self.diff_organization(row)
                    else:
                        self.diff_person(row)
                for query in (query for queries in ahead for query in queries):
                    query.read()
                if send is not None and good:
                    send(part)

    def match_part(self, rows):
        """``match`` ``rows`` and send for the stored state of the people they are matched to (not
        known yet): the queries, for ``load_people``."""
        self.match(rows)
        return self.ask_for_people({row.person_id for row in rows if row.person_id} - self.people.keys())

    def compare_and_apply(self, result, *, reason):
        """``compare`` and ``apply`` in the caller's transaction (``WRITE_WHILE_COMPARING``);
        ``RowsRefused`` when a row proves bad."""
        self.begin_writing(reason)
        overlapped = self.WRITE_WHILE_COMPARING and connection.vendor == "postgresql"
        self.compare(result, send=self.send_people if overlapped else None)
        # A person matched when the rows were read, gone (merged away, deleted) before their stored
        # state was read here: compared as no one, the row must not become a new person.
        gone = [row for row in result.rows if row.person_id is not None and row.person_id not in self.people]
        if gone:
            raise ImportRefused(vanished_message(gone))
        if not result.ok:
            raise RowsRefused
        self.apply(result)

    def clean_rows(self, table, columns, lookups, result, progress, *, stored_contacts=dict):
        """Read every row's cells (``ContactSheetResource.clean_row``) into a ``RowPlan`` of ``result``.

        In two passes: every cell but the contacts first, while the database says which of the
        file's e-mails and phones are stored (that answer took 0.15–0.25 s of a 10,000-row import);
        then ``lookups.stored_contacts = stored_contacts()`` and the contacts. A row's errors are
        reported in the order of its columns.
        """
        total, checking = len(table) - 1, gettext("Checking the rows")
        progress(0, total, phase=checking)
        later = {key for key in columns if key is not None and self.resource.reads_stored_contacts(key)}
        position = {key: number for number, key in enumerate(columns) if key is not None}
        pending = []
        for offset, cells in enumerate(table[1:]):
            if offset and offset % PROGRESS_ROWS == 0:
                progress(offset, total, phase=checking)
            raw = {key: cell for key, cell in zip(columns, cells, strict=False) if key is not None}
            if not any(text.strip() for text in raw.values()):
                continue
            row = RowPlan(number=offset + 2)
            contacts = [key for key in raw if key in later and raw[key].strip()]
            first = [key for key in raw if key not in later] if contacts else None
            row.values, errors = self.resource.clean_row(raw, lookups=lookups, keys=first)
            if contacts:
                pending.append((row, raw, contacts, errors))
            else:
                self.report(row, errors)
            result.rows.append(row)
        lookups.stored_contacts = stored_contacts()
        for row, raw, contacts, errors in pending:
            values, more = self.resource.clean_row(raw, lookups=lookups, keys=contacts)
            row.values.update(values)
            self.report(row, sorted([*errors, *more], key=lambda error: position[error[0]]))
        progress(total, total, phase=checking)

    def report(self, row, errors):
        for key, message in errors:
            row.error(self.header(key), message)

    @staticmethod
    def people_cells(table, columns, contacts):
        """The e-mails, names and identifiers of ``table``'s cells as written, for ``PersonIndex.ask``
        before the rows are read (``add_to_index`` asks for whatever reading them changes)."""
        named = [position for position, key in enumerate(columns) if key in ("full_name", "name_zh")]
        identified = [position for position, key in enumerate(columns) if key == "uuid"]
        names, identifiers = [], []
        for cells in table[1:]:
            names += [cells[position] for position in named if position < len(cells)]
            for position in identified:
                with contextlib.suppress(IndexError, ValueError):
                    identifiers.append(uuid.UUID(cells[position].strip()))
        return {"emails": [value for value in contacts if "@" in value], "names": names, "identifiers": identifiers}

    @staticmethod
    def ask_for_stored_phones(cells):
        """Send the query of which of ``cells`` (contact texts) someone's phone is stored as, in
        E.164 (``stored_contacts`` reads it): one indexed query per ``match_chunks`` of values."""
        shaped = sorted({value for value in cells if value and value[0] == "+" and in_stored_shape(value)})
        return [
            SentQuery(
                ContactMethod.objects.filter(kind=ContactMethod.Kind.PHONE)
                .filter(one_in("value", chunk))
                .order_by()
                .values_list("value", flat=True)
                .distinct()
            )
            for chunk in match_chunks(shaped)
        ]

    @staticmethod
    def stored_contacts(cells, phones, emails):
        """``{kind: values}``: which of ``cells`` (contact texts) someone's e-mail or phone is stored
        as, written exactly as stored (an e-mail's domain in lower case, a phone in E.164). Such a
        cell is not checked again (``partners.resources.checked_contact``): checking the phones and
        e-mails of a file of 10,000 stored people was a quarter of its planning.

        ``phones``: ``ask_for_stored_phones``'s queries. ``emails``: the ``(person id, e-mail as
        stored)`` the matcher's index found for the cells (``PersonIndex.read_emails``), a superset
        of those stored exactly as written, which need no query of their own.
        """
        shaped = {value for value in cells if value and value[0] != "+" and in_stored_shape(value)}
        return {
            ContactMethod.Kind.PHONE: {value for answer in phones for (value,) in answer.rows()},
            ContactMethod.Kind.EMAIL: {value for _person_id, value in emails if value in shaped},
        }

    @staticmethod
    def contact_cells(table, columns):
        """The texts of every e-mail, phone and other contact in ``table``, as the widgets will read them."""
        simple = [position for position, key in enumerate(columns) if key in ("email", "phone")]
        listed = [position for position, key in enumerate(columns) if key == "other_contacts"]
        for cells in table[1:]:
            for position in simple:
                if position < len(cells):
                    yield cells[position].strip()
            for position in listed:
                if position < len(cells) and cells[position]:
                    for item in split_list(cells[position]):
                        match = CONTACT_ITEM.match(item)
                        if match:
                            yield match["value"]

    def check_header(self, cells):
        """Raise ``ImportFileError`` when the header row is not a contact sheet's: called by the
        reader before it reads the rest of the file."""
        scratch = ImportResult(filename="", dry_run=True)
        self.read_header(cells, scratch)
        if scratch.file_errors:
            raise ImportFileError(scratch.file_errors[0])

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
        for pk, name, name_zh, acronym, country, version in Organization.objects.values_list(
            "pk", "name", "name_zh", "acronym", "country", "version"
        ).iterator(chunk_size=5000):
            zh_key = simple_key(name_zh)  # asked for again when several share a name (find_organization)
            self.organizations[pk] = {
                "name": name,
                "name_zh": name_zh,
                "country": country,
                "version": version,
                "name_zh_key": zh_key,
            }
            for kind, key in (("name", name), ("name_zh", name_zh), ("acronym", acronym)):
                if key:
                    found = zh_key if kind == "name_zh" else simple_key(key)
                    self.organization_keys.setdefault((kind, found), []).append(pk)
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
            found = [pk for pk in found if self.organizations[pk]["name_zh_key"] == key] or found
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

    def add_to_index(self, rows):
        """The people the rows' e-mails, names and identifiers can match, among those the user may see:
        the index holds those the cells found (``people_cells``); asked for now, any a value as read
        finds and the cell as written did not."""
        emails, names, identifiers = [], [], []
        for row in rows:
            values = row.values
            emails += self.emails_of(values)
            names += [values.get("full_name", ""), values.get("name_zh", "")]
            if "uuid" in values:
                identifiers.append(values["uuid"])
        self.index.read(self.index.ask(self.visible, emails=emails, names=names, identifiers=identifiers))
        self.identifiers = self.index.identifiers

    def start_matching(self, rows):
        """What ``match`` needs of all ``rows`` before matching any: the identifiers of people the user
        may not see (only those not found among the visible are looked for)."""
        unknown = [
            row.values["uuid"] for row in rows if "uuid" in row.values and row.values["uuid"] not in self.identifiers
        ]
        self.hidden = set()
        for start in range(0, len(unknown), LOOKUP_CHUNK):
            chunk = unknown[start : start + LOOKUP_CHUNK]
            found = Person.objects.filter(uuid__in=chunk).values_list("uuid", flat=True)
            self.hidden.update(str(value) for value in found)
        self.seen = {"identifiers": {}, "emails": {}, "people": {}}
        self.reasons = self.index.reasons()

    def match(self, rows):
        """Match ``rows`` (after ``start_matching``; those of one file in turn) to stored people and
        organizations, each row against the rows before it too (the same e-mail, identifier, person)."""
        hidden = self.hidden
        seen_identifiers, seen_emails, seen_people = (self.seen[key] for key in ("identifiers", "emails", "people"))
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
            reasons=self.reasons,
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
