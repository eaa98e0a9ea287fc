"""Their rows: the contact sheet's rows of a selection of people, one plain dict of strings per person.

A Person queryset in (from ``contact_sheets.selection``), rows out in the columns of partners'
``ContactSheetResource``, computed in bulk and in chunks: for each chunk of people (in order,
from a server-side cursor) each related table is read once and folded per person (on
PostgreSQL a second session folds jobs and contacts meanwhile), so memory stays flat however
many people are exported. The formats in ``contact_sheets.formats`` write these rows.
"""

import json
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby
from operator import itemgetter

from django.db import connections
from django.db.models import CharField
from django.db.models.functions import Cast

from conference.models import Appearance, Candidacy
from partners.models import Affiliation, ContactMethod, ExpertiseArea, Person, PersonExpertise
from partners.resources import area_labels, contact_item, join_list
from partners.selectors import uuid_text

# People a chunk: measured at 300,000 people (BENCHMARKS.md, "Constant-memory exports"), 2,000
# gave the most rows/s and a peak 24 MB above the process's own; 5,000 was slower and held more.
EXPORT_CHUNK = 2_000


def contact_sheet_rows(people, *, workshop=None, ranked=False, chunk_size=None):
    """The contact sheet of ``people``: one ``dict`` of cell texts per person, by name (or, with
    ``ranked``, in the queryset's own order: the candidate finder's ranking).

    Keys are ``ContactSheetResource``'s column keys plus ``pk``, ``sensitive``, ``given_name``,
    ``family_name`` and ``organization_key`` (for grouping). With ``workshop``, the keys
    ``suitability``, ``reason`` and ``status`` hold that workshop's candidacy (blank without one).

    Constant memory, whatever the number of people: the people are streamed in order from a
    server-side cursor (``raw_rows``) in chunks of ``chunk_size``, and each chunk's related
    tables are read and folded into a few strings per person (one query per table per chunk,
    ``person_id IN (SELECT …)`` with the chunk's ids; no per-row query) before its rows are
    given out; only one chunk's folds are in memory at a time. Rows are read straight from the
    cursor because Django's per-value conversion would cost more than everything else together
    on 100,000 people. Callers apply ``visible_to`` to ``people`` first.
    """
    chunk_size = chunk_size or EXPORT_CHUNK
    selection = people.values("pk")
    database = people.db
    labels = area_labels(ExpertiseArea.objects.using(database).values_list("pk", "code", "name", "name_zh"))
    paths = dict(ExpertiseArea.objects.using(database).values_list("pk", "path"))
    postgresql = connections[database].vendor == "postgresql"
    # Outside a transaction a second session folds jobs and contacts of each chunk meanwhile.
    pool = ThreadPoolExecutor(max_workers=1) if postgresql and not connections[database].in_atomic_block else None
    # The identifier as text from the database: no UUID object to build and print for each person.
    fields = ["pk", Cast("uuid", CharField()), "full_name", "given_name", "family_name", "name_zh", "honorific"]
    fields += ["country", "source"]
    fields += ["last_confirmed", "sensitive"]
    if ranked:
        ordered = people.values_list(*fields)
    else:
        ordered = Person.objects.filter(pk__in=selection).order_by("full_name", "pk").values_list(*fields)
    # Only a ranked queryset (the finder's joins) can repeat a person; a sorted one cannot.
    seen = set() if ranked else None
    try:
        for chunk in raw_batches(ordered, chunk_size):
            if seen is not None:
                chunk = [row for row in chunk if row[0] not in seen and not seen.add(row[0])]
            ids = [row[0] for row in chunk]
            part = Person.objects.using(database).filter(pk__in=ids).values("pk")
            if postgresql:
                jobs, contacts, expertise, languages, events = _folded_by_postgresql(
                    IdSelection(ids, database), pool=pool, paths=paths
                )
            else:
                jobs, contacts = _current_jobs(part), _contacts(part)
                expertise, languages, events = _expertise(part, paths), _languages(part), _events(part)
            candidacies = _candidacies(part, workshop) if workshop is not None else {}
            yield from _chunk_rows(chunk, jobs, contacts, expertise, languages, events, candidacies, labels, workshop)
    finally:
        if pool is not None:
            pool.submit(_close_connection, database).result()
            pool.shutdown()


class IdSelection:
    """A chunk's people for the PostgreSQL folds as one array parameter (``unnest``), not as a list of
    thousands of placeholders that the driver and the server parse again for each table of each chunk."""

    def __init__(self, ids, db):
        self.ids, self.db = list(ids), db

    def as_sql(self):
        return "SELECT unnest(%s::bigint[])", [self.ids]


def _close_connection(database):
    connections[database].close()  # this thread's own connection


def _chunk_rows(chunk, jobs, contacts, expertise, languages, events, candidacies, labels, workshop):
    no_jobs, no_contacts = ("", "", "", "", ""), ("", "", "")
    for (
        pk,
        uuid,
        full_name,
        given_name,
        family_name,
        name_zh,
        honorific,
        country,
        source,
        confirmed,
        sensitive,
    ) in chunk:
        titles, titles_zh, organizations, organizations_zh, first_organization = jobs.get(pk, no_jobs)
        email, phone, others = contacts.get(pk, no_contacts)
        row = {
            "pk": pk,
            "sensitive": bool(sensitive),
            "given_name": given_name,
            "family_name": family_name,
            "organization_key": first_organization,
            "uuid": uuid_text(uuid),
            "full_name": full_name,
            "name_zh": name_zh,
            "honorific": honorific,
            "title": titles,
            "title_zh": titles_zh,
            "organization": organizations,
            "organization_zh": organizations_zh,
            "country": country or "",
            "languages": languages.get(pk, ""),
            "email": email,
            "phone": phone,
            "other_contacts": others,
            "expertise": join_list([labels[area_id] for area_id in expertise.get(pk, ())]),
            "events": events.get(pk, ""),
            "source": source,
            "last_confirmed": _date_text(confirmed),
        }
        if workshop is not None:
            row["suitability"], row["reason"], row["status"] = candidacies.get(pk, no_contacts)
        yield row


def raw_rows(queryset):
    """The rows of a ``values_list`` queryset as the database driver returns them, in batches.

    No per-value conversion: SQLite gives dates as ISO text, booleans as 0/1 and UUIDs as 32 hex
    digits, PostgreSQL gives ``date``, ``bool`` and ``UUID``; callers use ``_date_text`` and
    ``uuid_text`` where it matters. ``chunked_cursor`` streams from a server-side cursor on
    PostgreSQL.
    """
    for batch in raw_batches(queryset, 5000):
        yield from batch


def raw_batches(queryset, size):
    """``raw_rows`` in lists of up to ``size`` rows, as the server-side cursor hands them over."""
    connection = connections[queryset.db]
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield rows


def _date_text(value):
    if not value:
        return ""
    return value if isinstance(value, str) else value.isoformat()


def _grouped(queryset):
    """``(person id, [row, …])`` for each person, from a ``values_list`` whose first item is the person id.

    Ordered by the person id alone (the foreign key's index gives that order without a sort on
    SQLite), and streamed: only one person's rows are in memory at a time. Each person's few
    rows are put in their own order by the caller.
    """
    rows = raw_rows(queryset.order_by("person_id"))
    for person_id, items in groupby(rows, key=itemgetter(0)):
        yield person_id, list(items)


def _current_jobs(selection):
    """``{person id: (titles, Chinese titles, organizations, Chinese organizations, first organization)}``.

    Several current jobs are aligned lists: dated ones newest first, then the others in the
    order they were recorded.
    """
    rows = Affiliation.objects.filter(person_id__in=selection, is_current=True).values_list(
        "person_id", "pk", "start_date", "title", "title_zh", "organization__name", "organization__name_zh"
    )
    shared = {}  # one string object per organization name, however many people work there
    jobs = {}
    for person_id, items in _grouped(rows):
        if len(items) > 1:
            items.sort(key=itemgetter(1))
            dated = sorted((item for item in items if item[2]), key=lambda item: _date_text(item[2]), reverse=True)
            items = dated + [item for item in items if not item[2]]
        jobs[person_id] = (
            join_list([item[3] for item in items]),
            join_list([item[4] for item in items]),
            _shared(shared, join_list([item[5] for item in items])),
            _shared(shared, join_list([item[6] for item in items])),
            _shared(shared, items[0][5]),
        )
    return jobs


def _shared(strings, text):
    return strings.setdefault(text, text)


def _contacts(selection):
    """``{person id: (primary e-mail, primary phone, other contact methods)}``."""
    rows = ContactMethod.objects.filter(person_id__in=selection).values_list(
        "person_id", "pk", "kind", "value", "label", "is_primary"
    )
    contacts = {}
    for person_id, items in _grouped(rows):
        if len(items) > 1:
            items.sort(key=lambda item: (item[2], not item[5], item[1]))  # the model's order: kind, primary, id
        email = phone = ""
        others = []
        for _pid, _pk, kind, value, label, is_primary in items:
            if is_primary and kind == "email" and not email:
                email = value
            elif is_primary and kind == "phone" and not phone:
                phone = value
            else:
                others.append(contact_item(kind, value, label))
        contacts[person_id] = (email, phone, join_list(others))
    return contacts


def _expertise(selection, paths):
    """``{person id: (area id, …)}``, areas in taxonomy order, each once.

    Ids rather than labels: the same area objects are shared by everyone holding them, so 100,000
    people cost a tuple each; the cell text is joined when the row is written.
    """
    areas = {pk: pk for pk in paths}  # one int object per area, shared by every tuple
    rows = PersonExpertise.objects.filter(person_id__in=selection).values_list("person_id", "area_id")
    return {
        person_id: tuple(sorted({areas[item[1]] for item in items}, key=paths.get))
        for person_id, items in _grouped(rows)
    }


def _languages(selection):
    rows = Person.languages.through.objects.filter(person_id__in=selection).values_list("person_id", "language_id")
    shared = {}
    return {
        person_id: _shared(shared, "|".join(sorted(item[1] for item in items))) for person_id, items in _grouped(rows)
    }


def _events(selection):
    """``{person id: "Event (2022): Session title (Role)|…"}`` in the order the sessions took place."""
    roles = {value: str(label) for value, label in Appearance.Role.choices}
    rows = Appearance.objects.filter(person_id__in=selection).values_list(
        "person_id",
        "session__starts_at",
        "pk",
        "role",
        "session__title",
        "session__event__name",
        "session__event__start_date",
    )
    events = {}
    for person_id, items in _grouped(rows):
        items.sort(key=lambda item: (str(item[1]), item[2]))
        events[person_id] = join_list(
            [
                f"{event} ({_date_text(start)[:4]}): {title} ({roles.get(role, role)})"
                for *_key, role, title, event, start in items
            ]
        )
    return events


# -- the same folds, with PostgreSQL doing the heavy part ----------------------------------------
#
# On PostgreSQL each table is folded per person in the database, so Python receives one short
# row per person and table instead of every job, contact and link: about half the Python time
# of a 100,000-person sheet. The queries avoid what PostgreSQL 15 does slowly (several ordered
# aggregates in one query sort each person's rows once for each): a person's current jobs come
# as one ordered text of fields and records between ASCII separator characters; areas and
# languages come unordered and are put in order here. Both ways give the same texts;
# tests/contact_sheets/test_formats.py compares them on PostgreSQL.

FIELD, RECORD = "\x1f", "\x1e"  # ASCII unit and record separators
FOLDING_QUERIES = {
    "jobs": """
        SELECT a.person_id, count(*),
               string_agg(a.title || chr(31) || a.title_zh || chr(31) || o.name || chr(31) || o.name_zh, chr(30)
                          ORDER BY a.start_date IS NULL, a.start_date DESC, a.id)
        FROM partners_affiliation a JOIN partners_organization o ON o.id = a.organization_id
        WHERE a.is_current AND a.person_id IN ({selection})
        GROUP BY a.person_id""",
    "contacts": """
        SELECT c.person_id,
               coalesce(max(c.value) FILTER (WHERE c.is_primary AND c.kind = 'email'), ''),
               coalesce(max(c.value) FILTER (WHERE c.is_primary AND c.kind = 'phone'), ''),
               coalesce(string_agg(
                   replace(replace(c.kind || CASE WHEN c.label <> '' THEN ' (' || c.label || ')' ELSE '' END
                                   || ': ' || c.value, '\\', '\\\\'), '|', '\\|'),
                   '|' ORDER BY c.kind, c.is_primary DESC, c.id
               ) FILTER (WHERE NOT (c.is_primary AND c.kind IN ('email', 'phone'))), '')
        FROM partners_contactmethod c
        WHERE c.person_id IN ({selection})
        GROUP BY c.person_id""",
    "expertise": """
        SELECT person_id, string_agg(area_id::text, ',')
        FROM partners_personexpertise
        WHERE person_id IN ({selection})
        GROUP BY person_id""",
    "languages": """
        SELECT person_id, string_agg(language_id, '|')
        FROM partners_person_languages
        WHERE person_id IN ({selection})
        GROUP BY person_id""",
    "events": """
        SELECT ap.person_id,
               string_agg(replace(replace(
                   ev.name || ' (' || coalesce(to_char(ev.start_date, 'YYYY'), '') || '): ' || s.title
                   || ' (' || coalesce(roles.label, ap.role) || ')', '\\', '\\\\'), '|', '\\|'),
                   '|' ORDER BY s.starts_at, ap.id)
        FROM conference_appearance ap
        JOIN conference_session s ON s.id = ap.session_id
        JOIN conference_event ev ON ev.id = s.event_id
        LEFT JOIN jsonb_each_text(%s::jsonb) AS roles (role, label) ON roles.role = ap.role
        WHERE ap.person_id IN ({selection})
        GROUP BY ap.person_id""",
}


# Folded by a second database session at the same time as the others (outside a transaction).
BACKGROUND_FOLDS = ("jobs", "contacts")


def _folded_by_postgresql(selection, *, pool=None, paths=None):
    """``(jobs, contacts, expertise, languages, events)`` exactly as the Python folds above give them.

    Outside a transaction, a second database session folds jobs and contacts while this one
    folds the rest: PostgreSQL works on two cores, and a 100,000-person sheet gets its folds in
    about half the time; ``pool`` (one thread) is that session's, kept for a whole export's chunks,
    or made for this call. Inside a transaction (whose rows another session could not see) one
    session folds everything. ``paths`` (area id → tree path) may be given once for all chunks.
    """
    connection = connections[selection.db]
    if isinstance(selection, IdSelection):
        selection_sql, selection_params = selection.as_sql()
    else:
        selection_sql, selection_params = selection.query.get_compiler(using=selection.db).as_sql()
    roles = json.dumps({value: str(label) for value, label in Appearance.Role.choices})
    if paths is None:
        paths = dict(ExpertiseArea.objects.using(selection.db).values_list("pk", "path"))
    shared = {}
    folders = {
        "jobs": _jobs_from_text,
        "contacts": lambda rows: {person_id: (email, phone, others) for person_id, email, phone, others in rows},
        "expertise": lambda rows: {
            person_id: tuple(sorted({int(area) for area in areas.split(",")}, key=paths.get))
            for person_id, areas in rows
        },
        "languages": lambda rows: {
            person_id: _shared(shared, "|".join(sorted(codes.split("|"))) if "|" in codes else codes)
            for person_id, codes in rows
        },
        "events": dict,
    }

    def fold(names, database):
        folded = {}
        with database.cursor() as cursor:
            for name in names:
                params = (roles, *selection_params) if name == "events" else tuple(selection_params)
                cursor.execute(FOLDING_QUERIES[name].format(selection=selection_sql), params)
                # One table's rows at a time, folded as they arrive: only the folded texts are kept.
                folded[name] = folders[name](_fetched(cursor))
        return folded

    def fold_in_own_session(names, close=True):
        try:
            return fold(names, connections[selection.db])  # this thread's own connection
        finally:
            if close:
                connections[selection.db].close()

    if connection.in_atomic_block:
        folded = fold(FOLDING_QUERIES, connection)
    elif pool is not None:
        background = pool.submit(fold_in_own_session, BACKGROUND_FOLDS, close=False)
        folded = fold([name for name in FOLDING_QUERIES if name not in BACKGROUND_FOLDS], connection)
        folded.update(background.result())
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:
            background = pool.submit(fold_in_own_session, BACKGROUND_FOLDS)
            folded = fold([name for name in FOLDING_QUERIES if name not in BACKGROUND_FOLDS], connection)
            folded.update(background.result())
    jobs, odd = folded["jobs"]
    if odd:  # a separator character inside a name or title: fold those people's jobs in Python
        jobs.update(_current_jobs(Person.objects.using(selection.db).filter(pk__in=odd).values("pk")))
    return jobs, folded["contacts"], folded["expertise"], folded["languages"], folded["events"]


def _fetched(cursor, size=10_000):
    while rows := cursor.fetchmany(size):
        yield from rows


def _jobs_from_text(rows):
    """``_current_jobs``'s tuples from ``(person id, count, "title␟title_zh␟name␟name_zh␞…")`` rows,
    and the ids of people whose text does not split into ``count`` records of four fields."""
    shared, jobs, odd = {}, {}, []
    for person_id, count, text in rows:
        if count == 1 and RECORD not in text and "|" not in text and "\\" not in text:
            fields = text.split(FIELD)  # one job and nothing to escape: most people
            if len(fields) == 4:
                name = _shared(shared, fields[2])
                jobs[person_id] = (fields[0], fields[1], name, _shared(shared, fields[3]), name)
                continue
        records = [record.split(FIELD) for record in text.split(RECORD)]
        if len(records) != count or any(len(fields) != 4 for fields in records):
            odd.append(person_id)
            continue
        titles, titles_zh, organizations, organizations_zh = zip(*records, strict=True)
        jobs[person_id] = (
            join_list(titles),
            join_list(titles_zh),
            _shared(shared, join_list(organizations)),
            _shared(shared, join_list(organizations_zh)),
            _shared(shared, organizations[0]),
        )
    return jobs, odd


def _candidacies(selection, workshop):
    """``{person id: (suitability, reason, status)}`` for ``workshop``, labels in the active language."""
    suitabilities = {value: str(label) for value, label in Candidacy.Suitability.choices}
    statuses = {value: str(label) for value, label in Candidacy.Status.choices}
    return {
        person_id: (suitabilities[suitability], reason, statuses[status])
        for person_id, suitability, reason, status in Candidacy.objects.filter(
            workshop=workshop, person_id__in=selection
        )
        .order_by()
        .values_list("person_id", "suitability", "reason", "status")
    }
