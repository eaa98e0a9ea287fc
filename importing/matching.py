"""Match: which stored people a row may be, by name keys, e-mails and identifiers.

Names and e-mails in, ``PersonMatch`` lists out. ``PersonIndex`` loads the candidates of a
whole file with a few indexed queries; ``find_person_matches`` asks for one person. Used by the
contact import and by any other import that names people (a programme's speakers).
"""

import contextlib
import uuid
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Lookup, Q, Value
from django.db.models.functions import Upper
from django.utils.translation import get_language, gettext

from partners.models import (
    ContactMethod,
    Person,
)
from partners.names import name_key, normalize_email
from partners.selectors import uuid_text

# Values looked up by one query where each value is a parameter of its own (SQLite), and by
# ``chunks`` by default.
LOOKUP_CHUNK = 500
# Ids (primary and foreign keys) looked up by one query on PostgreSQL (``id_chunks``).
ID_CHUNK = 5000
# Names, e-mails and identifiers the matcher looks up by one query on PostgreSQL (``match_chunks``).
MATCH_CHUNK = 50_000
# Up to this many values ``one_in`` compares with ``= ANY``; more are joined as a list.
SHORT_LIST = 1000


@dataclass
class PersonMatch:
    """A stored person who may be the one described: ``certain`` or to be decided by a user."""

    person_id: int
    certain: bool
    reasons: list


class PersonIndex:
    """E-mails, normalised names and organizations of people, held in dicts for matching many rows.

    Build it once per import for the e-mails, names and identifiers of the file
    (``PersonIndex.build``, or ``ask`` then ``read``); ``find_person_matches`` reads it.
    """

    def __init__(self):
        self.by_email = {}
        self.by_name = {}
        self.organizations = {}
        self.labels = {}
        self.identifiers = {}  # the identifiers asked for that someone holds: {text: person id}
        self.keys = {}
        self.reason_texts = {}
        self.asked = {"emails": set(), "keys": set(), "identifiers": set()}  # by ``ask``, normalised

    def reasons(self):
        """The texts of ``find_person_matches``'s reasons in the active language, translated once
        per index and language (a row of a common name asks for them once per namesake)."""
        language = get_language()
        texts = self.reason_texts.get(language)
        if texts is None:
            texts = self.reason_texts[language] = {
                "email": gettext("same e-mail %(email)s"),
                "name_org": gettext("same name at the same organization"),
                "name": gettext("same name"),
            }
        return texts

    def key(self, name):
        """``name_key(name)``, remembered: an import asks for each name of the file several times."""
        found = self.keys.get(name)
        if found is None:
            found = self.keys[name] = name_key(name)
        return found

    @classmethod
    def build(cls, people, *, emails=(), names=(), identifiers=()):
        """Index the people of ``people`` (a queryset) who hold one of ``emails``, ``names`` or ``identifiers``.

        Indexed queries only, one of each kind per ``match_chunks`` of values: e-mails through the
        contact values (case-insensitive), names through the stored keys (``Person.name_key``,
        ``name_zh_key``), identifiers through the unique uuid. Everyone else is left out, so the
        index answers ``find_person_matches`` for those values and no others.
        """
        index = cls()
        with pipelined():  # the queries sent together: one wait for all of them
            index.read(index.ask(people, emails=emails, names=names, identifiers=identifiers))
        return index

    def ask(self, people, *, emails=(), names=(), identifiers=()):
        """Send ``build``'s queries for the values not asked for before; ``read`` reads their answers.

        They go all at once (``SentQuery``), everyone's jobs a join, not a query waiting for
        another's answer; the query of the people the e-mails find and the names do not goes when
        the names' answers are read (``read``). Inside ``pipelined`` the database answers while the
        caller goes on (an import reads its rows).
        """
        asked = self.asked
        emails = sorted({normalize_email(email) for email in emails} - {""} - asked["emails"])
        keys = sorted({self.key(name) for name in names} - {""} - asked["keys"])
        identifiers = sorted({str(identifier) for identifier in identifiers} - asked["identifiers"])
        asked["emails"].update(emails)
        asked["keys"].update(keys)
        asked["identifiers"].update(identifiers)
        if connection.vendor == "postgresql":
            identifiers = [uuid.UUID(identifier) for identifier in identifiers]
        email_queries = []
        for chunk in match_chunks(emails):
            # What ``value__iexact`` compares, UPPER(value) = UPPER(%s), for many values at once (the
            # UPPER(value) index on PostgreSQL). PostgreSQL's UPPER is Python's; SQLite's folds ASCII
            # letters only, so there the database upper-cases the values too.
            contacts = ContactMethod.objects.filter(kind=ContactMethod.Kind.EMAIL).order_by()
            if connection.vendor == "postgresql":
                contacts = contacts.filter(_TextInList(Upper("value"), [email.upper() for email in chunk]))
            else:
                contacts = contacts.alias(upper_value=Upper("value"))
                contacts = contacts.filter(upper_value__in=[Upper(Value(email)) for email in chunk])
            email_queries.append(contacts.values_list("person_id", "value"))
        # The people of the identifiers with their identifier, and the people of the names, each with
        # the organizations of their jobs joined: a row per job (``add`` keeps each person once).
        named = [(one_in("name_key", chunk) | one_in("name_zh_key", chunk), len(chunk)) for chunk in match_chunks(keys)]
        return {
            "people": people,
            "emails": [SentQuery(query) for query in email_queries],
            "identified": [
                SentQuery(people.filter(one_of("uuid", chunk)).order_by().values_list("uuid", *self.COLUMNS))
                for chunk in match_chunks(identifiers)
            ],
            "named": [
                SentQuery(people.filter(condition).order_by().values_list(*self.COLUMNS))
                for condition in _grouped(named)
            ],
        }

    def read_emails(self, sent):
        """The ``(person id, e-mail as stored)`` that ``ask``'s e-mails found (``sent``), anyone's."""
        if "email_rows" not in sent:
            sent["email_rows"] = [row for answer in sent["emails"] for row in answer.rows()]
        return sent["email_rows"]

    def read(self, sent):
        """Read the answers to ``ask``'s queries (``sent``) into the index; then ask for the people the
        e-mails found that the names and identifiers did not, among ``ask``'s people, and read them.

        Ids, not the e-mails again: as a subquery of the people's, the e-mails were looked up twice
        (80 ms of a 10,000-row import), and OR-ed with the names it made PostgreSQL read the whole
        table for one person's lookup. Asked for after the names are read, not with them: most
        holders of a file's e-mails are found by their names too (all of them in a file of updates,
        whose holders asked for before took the database 120–150 ms).
        """
        email_rows = self.read_emails(sent)
        for answer in sent["identified"]:
            for identifier, pk, *found in answer.rows():
                self.identifiers[uuid_text(identifier)] = pk
                self.add(pk, *found)
        for answer in sent["named"]:
            for found in answer.rows():
                self.add(*found)
        holders = sorted({person_id for person_id, _value in email_rows} - set(self.labels))
        for chunk in match_chunks(holders):
            held = sent["people"].filter(one_in("pk", chunk)).order_by().values_list(*self.COLUMNS)
            for found in SentQuery(held).rows():
                self.add(*found)
        for person_id, value in email_rows:
            if person_id in self.labels:
                self.by_email.setdefault(normalize_email(value), set()).add(person_id)

    NAME_COLUMNS = ("full_name", "name_zh", "name_key", "name_zh_key")
    COLUMNS = ("pk", *NAME_COLUMNS, "affiliations__organization_id")

    def add(self, pk, full_name, name_zh, key, zh_key, organization_id):
        """A person found by ``build``, with an organization they work or worked for (or ``None``):
        their label and name keys (once, however often found) and their organizations."""
        if organization_id is not None:
            self.organizations.setdefault(pk, set()).add(organization_id)
        if pk in self.labels:
            return
        self.labels[pk] = f"{full_name}（{name_zh}）" if name_zh and name_zh != full_name else full_name
        for found in {key, zh_key} - {""}:
            self.by_name.setdefault(found, set()).add(pk)


class _EqualsAny(Lookup):
    """``lhs = ANY(%s)``: on PostgreSQL a column against a whole list, sent as one array parameter."""

    lookup_name = "equals_any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, array_parameter(self.rhs)]


class _TextInList(Lookup):
    """``lhs IN (SELECT unnest(%s::text[]))``: a text expression against a whole list, as one array.

    Not ``= ANY(array)``: on a small table PostgreSQL answered that for ``UPPER(value)`` from the
    trigram index (every e-mail shares "EXA", ".OR", …), 2–5 s for 500 e-mails; as a join on the
    unnested list it looks each one up in the ``UPPER(value)`` index (2 ms), at any table size.
    """

    lookup_name = "text_in_list"
    prepare_rhs = False
    array_type = "text[]"

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT unnest(%s::{self.array_type}))", [*params, array_parameter(self.rhs)]


class _IdInList(_TextInList):
    lookup_name = "id_in_list"
    array_type = "bigint[]"


def one_in(name, values):
    """The condition "field ``name`` is one of ``values``" for a long list (thousands of texts or ids).

    On PostgreSQL the list is one array the server unnests and joins (``IN (SELECT unnest(…))``):
    it plans that without looking at the values, where ``= ANY(array)`` weighs every value against
    the column's statistics first (planning the 16,000 name keys of a 10,000-row import took
    100 ms, longer than running the query). A short list is ``one_of``'s ``= ANY`` (straight index
    lookups; one person's duplicate check stays a few milliseconds).
    """
    values = list(values)
    kinds = set(map(type, values))
    if connection.vendor != "postgresql" or len(values) <= SHORT_LIST or kinds not in ({int}, {str}):
        return one_of(name, values)
    return (_IdInList if kinds == {int} else _TextInList)(F(name), values)


def array_parameter(values):
    """``values`` as one PostgreSQL array parameter: for whole numbers and texts the array's literal
    text (``{1,2,3}``, ``{"a","b"}``), which the server reads as the array the comparison needs;
    anything else the list itself, for psycopg to adapt.

    psycopg adapts a list element by element in Python: 35 ms for the 16,000 name keys of a
    10,000-row import against 5 ms for the literal, 13 ms against 3 ms for 18,000 ids.
    """
    values = list(values)
    kinds = set(map(type, values))
    if kinds <= {int}:
        return "{" + ",".join(map(str, values)) + "}"
    if kinds == {str}:
        quoted = (value.replace("\\", "\\\\").replace('"', '\\"') for value in values)
        return '{"' + '","'.join(quoted) + '"}' if values else "{}"
    return values


@contextlib.contextmanager
def pipelined():
    """Queries asked for in this block (``SentQuery``) run on the database server while Python goes on.

    On PostgreSQL the connection is in pipeline mode: a query is sent at once and its rows are
    read when asked for, so the server works on the other core meanwhile (reading 10,000 people's
    stored state took 0.2 s of an update import's planning, now done while its rows are matched).
    Any other query in the block is answered in turn, as outside it, with two differences: a
    write's row count is not known (``update()`` returns -1) and server-side cursors
    (``iterator()``) are refused; so only reads belong here. Elsewhere (SQLite, or a libpq without
    pipeline mode) a plain block.
    """
    if connection.vendor != "postgresql":
        yield
        return
    import psycopg

    connection.ensure_connection()
    if not psycopg.Pipeline.is_supported():
        yield
        return
    with connection.connection.pipeline():
        yield


class SentQuery:
    """A queryset's rows asked for now (``values_list`` tuples) and read with ``rows()`` later.

    Inside ``pipelined`` the database answers while the caller does other work; elsewhere the
    query runs at once and its rows wait in the cursor. Django's converters apply as in a
    ``values_list``.
    """

    def __init__(self, queryset):
        self.compiler = queryset.query.get_compiler(connection=connection)
        sql, params = self.compiler.as_sql()
        self.cursor = connection.cursor()
        self.cursor.execute(sql, params)
        self.fetched = None
        if connection.vendor != "postgresql":
            self.read()  # SQLite's cursor reads its rows only as they are fetched: read now, as asked

    def read(self):
        """Read the answer now (in pipeline mode: waiting for it and for everything sent before it)."""
        if self.fetched is None:
            try:
                self.fetched = self.cursor.fetchall()
            finally:
                self.cursor.close()

    def rows(self):
        self.read()
        return self.compiler.results_iter(results=[self.fetched], tuple_expected=True)


def one_of(name, values):
    """The condition "field ``name`` is one of ``values``".

    On PostgreSQL ``= ANY(%s)`` with one array parameter: Django's ``IN (%s, %s, …)`` costs a
    parameter each to build and send, which adds up for the thousands of values of an import.
    """
    if connection.vendor == "postgresql":
        return _EqualsAny(F(name), values)
    return Q(**{f"{name}__in": values})


def chunks(values, size=LOOKUP_CHUNK):
    return [values[start : start + size] for start in range(0, len(values), size)]


def id_chunks(values):
    """``values`` (ids) in chunks for ``one_of``: ``ID_CHUNK`` a query on PostgreSQL, where the
    ids go as one array parameter and each is one index lookup, so a longer list costs the
    database nothing more while each query saved is a millisecond of Django's compiling;
    ``LOOKUP_CHUNK`` elsewhere (one parameter each)."""
    return chunks(values, ID_CHUNK if connection.vendor == "postgresql" else LOOKUP_CHUNK)


def match_chunks(values):
    """``values`` the matcher looks up, in chunks of one query: ``MATCH_CHUNK`` on PostgreSQL, where
    each list is one array parameter and the server looks each value up in an index (the 16,000
    name keys and 10,000 e-mail holders of a 10,000-row import are one query: 0.25 s, against 0.5 s
    in chunks of 5,000, which find many people twice, and 0.65 s in chunks of 500);
    ``LOOKUP_CHUNK`` elsewhere (one parameter each)."""
    return chunks(values, _match_chunk())


def _match_chunk():
    return MATCH_CHUNK if connection.vendor == "postgresql" else LOOKUP_CHUNK


def _grouped(conditions):
    """``(condition, number of values)`` pairs OR-ed together up to one ``match_chunks`` a query."""
    limit = _match_chunk()
    group, values = None, 0
    for condition, count in conditions:
        if group is not None and values + count > limit:
            yield group
            group, values = None, 0
        group, values = condition if group is None else group | condition, values + count
    if group is not None:
        yield group


def find_person_matches(
    *, full_name="", name_zh="", emails=(), organization_ids=(), index=None, people=None, reasons=None
):
    """Stored people who may be the person described, most certain first.

    Certain: the same e-mail address (case-insensitive), or the same normalised name (see
    ``normalize_name``, either script) at an organization the person works or worked for. Not
    certain: the same name without a shared organization, or several people matching at once.
    ``index`` (a ``PersonIndex``) serves an import's many rows; without it the candidates are read
    from ``people`` (default: everyone) with a few indexed queries. ``reasons``: ``index.reasons()``,
    for a caller matching many rows at once. Returns a list of ``PersonMatch``.
    """
    if index is None:
        people = people if people is not None else Person.objects.all()
        index = PersonIndex.build(people, emails=emails, names=[full_name, name_zh])
    texts = reasons or index.reasons()
    found = {}  # person id → [certain?, the reasons' texts, each once, in order]
    for email in {normalize_email(email) for email in emails} - {""}:
        holders = index.by_email.get(email)
        if holders:
            text = texts["email"] % {"email": email}
            for pk in holders:
                _note(found, pk, True, text)
    organization_ids = set(organization_ids)
    organizations, name_only, name_org = index.organizations, texts["name"], texts["name_org"]
    for name in (full_name, name_zh):
        key = index.key(name)
        for pk in index.by_name.get(key, ()) if key else ():
            shared = pk in organizations and not organization_ids.isdisjoint(organizations[pk])
            _note(found, pk, shared, name_org if shared else name_only)
    matches = [PersonMatch(pk, certain=certain, reasons=reasons) for pk, (certain, reasons) in found.items()]
    certain = [match for match in matches if match.certain]
    if len(certain) > 1:
        for match in certain:
            match.certain = False
    matches.sort(key=lambda match: (not match.certain, -len(match.reasons), index.labels.get(match.person_id, "")))
    return matches


def _note(found, pk, certain, text):
    entry = found.get(pk)
    if entry is None:
        found[pk] = [certain, [text]]
        return
    entry[0] = entry[0] or certain
    if text not in entry[1]:
        entry[1].append(text)
