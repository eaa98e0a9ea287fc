"""Apply: bulk inserts and updates, each with its history row, all rows or none.

Row dicts in (from ``new_rows``), ids back. Inserts and updates both go through ``COPY`` on
PostgreSQL (updates into a temporary table, then one ``UPDATE … FROM``); the history rows of the
rows written are copied from them by the database (``copy_history``, ``copy_m2m_history``: one
``INSERT … SELECT`` per table and chunk of ids, on either database). On PostgreSQL the people an
import changes can also be written with array parameters in pipeline mode
(``send_update_with_history``: one statement with their history), answered while Python goes on.
``apply_in_one_transaction`` runs an import's writes in one transaction and turns a database
refusal, or a record changed by someone else meanwhile, into a file error: nothing half-written.
"""

import datetime as dt
import decimal
import logging
import operator
import uuid

from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, CharField, ForeignKey, IntegerField, TextField
from django.utils.translation import gettext, ngettext
from django_countries.fields import CountryField

from importing.matching import array_parameter, id_chunks, one_of

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


class ImportRefused(Exception):
    """Raised inside ``write()`` when the stored records changed so the plan cannot be written;
    the message, for the user, says which rows and why. Everything is rolled back."""


class RowsRefused(Exception):
    """Raised inside ``write()`` when rows compared after writing began have errors (their own
    messages say which): everything is rolled back, and no file error is added."""


def apply_in_one_transaction(result, write, *, filename):
    """Run ``write()`` in one transaction: every row or none. Return whether it committed.

    A database error rolls everything back, is logged, and is reported to the user in
    ``result.file_errors`` (an ``ImportResult``) with the database's reason; so is an
    ``ImportRefused``. On success ``result.committed`` is set.
    """
    try:
        with transaction.atomic():
            write()
    except RecordsChangedMeanwhile as changed:
        logger.info("Import of %s refused: %s changed meanwhile", filename, changed)
        result.file_errors.append(
            ngettext(
                "%(count)d record was changed by someone else while %(file)s was being imported; nothing "
                "was written. Import the file again: it will be compared with the record as it is now.",
                "%(count)d records were changed by someone else while %(file)s was being imported; nothing "
                "was written. Import the file again: they will be compared with the records as they are now.",
                len(changed.pks),
            )
            % {"count": len(changed.pks), "file": filename}
        )
        return False
    except ImportRefused as refusal:
        result.file_errors.append(str(refusal))
        return False
    except RowsRefused:
        return False
    # The bulk COPY goes through psycopg's own cursor, past Django's error wrapper: its errors
    # are the driver's (``connection.Database.Error``), not ``django.db.DatabaseError``.
    except (DatabaseError, connection.Database.Error) as error:
        logger.exception("Import of %s failed in the database; rolled back", filename)
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        result.file_errors.append(
            gettext("The database refused the import of %(file)s; nothing was written. The reason: %(reason)s")
            % {"file": filename, "reason": reason}
        )
        return False
    result.committed = True
    return True


def new_rows(model, now):
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


def _history_columns(history_model, history, history_type):
    """The columns every history row of one write shares: date, reason (cut to fit), type and user."""
    reason = history["reason"]
    limit = history_model._meta.get_field("history_change_reason").max_length
    if limit and len(reason) > limit:
        reason = reason[: limit - 1] + "…"
    user = history["user"]
    return {
        "history_date": history["date"],
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }


def copy_history(model, pks, history, history_type="~"):
    """simple-history's rows for the stored rows ``pks`` of ``model``, copied by the database from
    the table as it is now (``INSERT … SELECT``, after the import's ``UPDATE``): ``{pk: history id}``.

    The history of an update is the row as written, every column of it; the database copies it
    without the rows going through Python (reading 10,000 people's every column back to write
    them out again was a tenth of an update import's time).
    """
    if not pks:
        return {}
    quote = connection.ops.quote_name
    insert, params, returning = _history_insert(model, history, history_type)
    written = {}
    with connection.cursor() as cursor:
        for chunk in id_chunks(list(pks)):
            condition, values = _one_of_ids(f"source.{quote(model._meta.pk.column)}", chunk)
            sql = f"{insert} FROM {quote(model._meta.db_table)} AS source WHERE {condition} {returning}"
            cursor.execute(sql, [*params, *values])
            written.update((row_pk, history_id) for history_id, row_pk in cursor.fetchall())
    missing = set(pks) - set(written)
    if missing:
        raise RecordsChangedMeanwhile(model, missing)
    return written


def _history_insert(model, history, history_type):
    """``(INSERT … SELECT without its FROM, its parameters, RETURNING)`` of ``model``'s history rows:
    each the row of ``source`` (every column of ``model``'s table) with the write's own columns
    (``_history_columns``) as parameters, returning the history row's id and the record's."""
    meta, history_model = model._meta, model.history.model
    quote = connection.ops.quote_name
    constants = _history_columns(history_model, history, history_type)
    source = {field.attname: field for field in meta.concrete_fields}
    columns, cells, params = [], [], []
    for field in history_model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.attname in constants:
            cells.append("%s")
            params.append(field.get_db_prep_save(constants[field.attname], connection))
        else:
            cells.append(f"source.{quote(source[field.attname].column)}")  # a KeyError names a column it lacks
    history_pk, record_pk = history_model._meta.pk, history_model._meta.get_field(meta.pk.attname)
    insert = f"INSERT INTO {quote(history_model._meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(cells)}"
    return insert, params, f"RETURNING {quote(history_pk.column)}, {quote(record_pk.column)}"


def create_rows(model, rows):
    """Insert new ``model`` rows (dicts from ``_new_rows``); each dict gets its id."""
    for row, new_id in zip(rows, insert_rows(model, rows), strict=True):
        row[model._meta.pk.attname] = new_id


def insert_rows(model, rows):
    """Insert ``rows`` (dicts: attribute name → value of every column but the id) into ``model``'s
    table; return their new ids in the order of ``rows``.

    On PostgreSQL the ids come from the table's sequence first and all rows go in one ``COPY``; on
    other databases one ``INSERT`` per row gives its id. No model instances, no signals: callers
    write history rows themselves (``copy_history``).
    """
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    fields = [field for field in meta.concrete_fields if field is not pk]
    names = [field.attname for field in fields]
    countries = [position for position, field in enumerate(fields) if isinstance(field, CountryField)]
    quote = connection.ops.quote_name

    cells_of = operator.itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)

    def values(row):
        cells = list(cells_of(row))
        for position in countries:
            cells[position] = str(cells[position] or "")
        return cells

    new_ids = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence's name found once: as nextval's argument, pg_get_serial_sequence ran
            # for every id (33,000 ids of expertise links: 104–140 ms against 16 ms).
            cursor.execute(
                "WITH sequence AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS name) "
                "SELECT nextval(sequence.name) FROM sequence, generate_series(1, %s)",
                [meta.db_table, pk.column, len(rows)],
            )
            new_ids = sorted(value for (value,) in cursor.fetchall())
            column_list = ", ".join(quote(field.column) for field in [pk, *fields])
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({column_list}) FROM STDIN") as copy:
                for new_id, row in zip(new_ids, rows, strict=True):
                    copy.write_row([new_id, *values(row)])
        else:
            prepare = [_db_value(field) for field in fields]
            column_list = ", ".join(quote(field.column) for field in fields)
            sql = f"INSERT INTO {quote(meta.db_table)} ({column_list}) VALUES ({', '.join(['%s'] * len(fields))})"
            for row in rows:
                cursor.execute(sql, [adapt(value) for adapt, value in zip(prepare, values(row), strict=True)])
                new_ids.append(cursor.lastrowid)
    return new_ids


def _plain(value):
    return value


def _db_value(field):
    """A column's value as the database driver takes it (``get_db_prep_save``, skipped for plain types)."""
    if isinstance(field, CharField | TextField | BooleanField | IntegerField | ForeignKey):
        return _plain
    return lambda value: field.get_db_prep_save(value, connection)


def create_with_history(model, rows, history):
    """Insert ``rows`` (from ``_new_rows``) and a "+" history row for each, copied by the database
    from the rows written (``copy_history``); the rows get their ids. Returns ``{id: history id}``."""
    if not rows:
        return {}
    create_rows(model, rows)
    return copy_history(model, [row[model._meta.pk.attname] for row in rows], history, "+")


def update_with_history(model, updates, history, *, now=None, bump_version=False, versions=None):
    """Apply ``{pk: {field: value}}`` to ``model`` rows in bulk, with a "~" history row for each.

    With ``bump_version`` the rows' ``version`` goes up by one and ``updated_at`` becomes ``now``;
    with ``versions`` too (``{pk: version read}``) a row changed meanwhile refuses the whole
    write (``RecordsChangedMeanwhile``). A row gone meanwhile (deleted, merged away) refuses it too.
    """
    if not updates:
        return
    fields = sorted({key for changes in updates.values() for key in changes})
    if bump_version:
        fields += ["version", "updated_at"]
    rows = stored_rows(model, list(updates))
    for row in rows:
        row.update(updates[row[model._meta.pk.attname]])
        if bump_version:
            pk = row[model._meta.pk.attname]
            row["version"] = (versions[pk] if versions is not None else row["version"]) + 1
            row["updated_at"] = now
    update_rows(model, rows, fields, versions=versions if bump_version else None)
    copy_history(model, list(updates), history, "~")


def copy_m2m_history(model, field_name, histories):
    """simple-history's rows of the many-to-many field ``field_name`` for the history rows of
    ``model`` in ``histories`` (``{record's pk: its history row's id}``, what ``copy_history``
    returns): one per link each record holds now (after the import's writes), copied by the
    database from the links table (``INSERT … SELECT``).

    On PostgreSQL the pairs go as two arrays and the links are read through their owner's index,
    the history table left unread: joined to it instead, the copy was planned from the history
    table's statistics and, when a large import had made them stale, scanned the whole table
    (100–150 ms a chunk of 5,000 people at 100,000).
    """
    if not histories:
        return
    quote = connection.ops.quote_name
    meta, history_meta = model._meta, model.history.model._meta
    owner, history_id = quote(meta.pk.column), quote(history_meta.pk.column)
    insert, join = _m2m_history_insert(model, field_name)
    with connection.cursor() as cursor:
        for chunk in id_chunks(sorted(histories.items())):
            if connection.vendor == "postgresql":
                types = (meta.pk.rel_db_type(connection), history_meta.pk.rel_db_type(connection))
                pairs = f"unnest(%s::{types[0]}[], %s::{types[1]}[]) AS history({owner}, {history_id})"
                owners, history_ids = zip(*chunk, strict=True)
                cursor.execute(f"{insert} FROM {pairs} {join}", [array_parameter(owners), array_parameter(history_ids)])
            else:
                condition, values = _one_of_ids(f"history.{history_id}", [pk for _owner, pk in chunk])
                table = f"{quote(history_meta.db_table)} AS history"
                cursor.execute(f"{insert} FROM {table} {join} WHERE {condition}", values)


def _m2m_history_insert(model, field_name, *, source=None):
    """``(INSERT … SELECT without its FROM, the JOIN of the links)`` of the history rows of ``model``'s
    many-to-many field ``field_name``: one per link its records hold now (or of ``source``, a
    subquery with the links table's columns), for each row of ``history`` (whose columns are named
    as the history table's id and the record's)."""
    meta, history_meta = model._meta, model.history.model._meta
    through = meta.get_field(field_name).remote_field.through
    m2m_history = history_meta.get_field(f"historical{meta.model_name}_{field_name}").related_model
    quote = connection.ops.quote_name
    links = {field.attname: field.column for field in through._meta.concrete_fields}
    columns, cells = [], []
    for field in m2m_history._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.attname == "history_id":
            cells.append(f"history.{quote(history_meta.pk.column)}")
        else:
            cells.append(f"link.{quote(links[field.attname])}")  # a KeyError names a column it lacks
    link_owner = quote(through._meta.get_field(meta.model_name).column)
    source = source or quote(through._meta.db_table)
    return (
        f"INSERT INTO {quote(m2m_history._meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(cells)}",
        f"JOIN {source} AS link ON link.{link_owner} = history.{quote(meta.pk.column)}",
    )


def _one_of_ids(column, ids):
    """``column`` is one of ``ids``, as raw SQL and its parameters (``one_of``'s condition)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [array_parameter(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def stored_rows(model, pks):
    """The stored rows of ``pks`` as ``{attribute name: value}`` of every column; refuses (with
    ``RecordsChangedMeanwhile``) when one is gone."""
    names = [field.attname for field in model._meta.concrete_fields]
    rows = []
    for chunk in id_chunks(pks):
        rows += model.objects.filter(one_of("pk", chunk)).order_by().values(*names)
    missing = set(pks) - {row[model._meta.pk.attname] for row in rows}
    if missing:
        raise RecordsChangedMeanwhile(model, missing)
    return rows


class RecordsChangedMeanwhile(Exception):
    """Some records were changed by someone else between reading them and writing the import."""

    def __init__(self, model, pks):
        super().__init__(f"{model._meta.label}: {sorted(pks)[:10]}")
        self.model, self.pks = model, sorted(pks)


def update_rows(model, rows, fields, *, versions=None):
    """Write ``fields`` of ``rows`` (dicts: attribute name → value, the primary key included) to
    ``model``'s table, in bulk, inside the caller's transaction.

    On PostgreSQL the rows go to a temporary table with one ``COPY`` and the table is updated with
    one ``UPDATE … FROM`` (Django's ``bulk_update`` builds a ``CASE WHEN`` per field per row, which
    made updates 8× slower than inserts); elsewhere one ``executemany`` of a plain ``UPDATE``.
    With ``versions`` (``{pk: version}``) a row is written only where its ``version`` is still the
    one given (the one the import read); if any is not, ``RecordsChangedMeanwhile`` is raised
    (the caller's transaction then rolls everything back).
    """
    if not rows:
        return
    meta = model._meta
    pk = meta.pk
    columns = [meta.get_field(name) for name in fields]
    countries = [position for position, field in enumerate(columns, start=1) if isinstance(field, CountryField)]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    keys = [pk.attname, *(field.attname for field in columns)]
    cells_of = operator.itemgetter(*keys)

    def values(row):
        cells = list(cells_of(row))
        for position in countries:
            cells[position] = str(cells[position] or "")
        if versions is not None:
            cells.append(versions[row[pk.attname]])
        return cells

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            temporary = quote(f"import_{meta.db_table}")
            column_list = ", ".join(quote(field.column) for field in [pk, *columns])
            cursor.execute(f"CREATE TEMPORARY TABLE {temporary} AS SELECT {column_list} FROM {table} WITH NO DATA")
            if versions is not None:
                cursor.execute(f"ALTER TABLE {temporary} ADD COLUMN read_version integer")
                column_list += ", read_version"
            with cursor.cursor.copy(f"COPY {temporary} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
            assignments = ", ".join(f"{quote(field.column)} = new.{quote(field.column)}" for field in columns)
            # The ids again as an array: PostgreSQL then reads the rows to update through the primary
            # key (10,000 of 100,000 people: 28 ms) instead of hashing the whole table (90 ms).
            condition = f"{table}.{quote(pk.column)} = new.{quote(pk.column)} AND {table}.{quote(pk.column)} = ANY(%s)"
            if versions is not None:
                condition += f" AND {table}.{quote('version')} = new.read_version"
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM {temporary} AS new WHERE {condition} "
                f"RETURNING {table}.{quote(pk.column)}",
                [array_parameter([row[pk.attname] for row in rows])],
            )
            written = {pk_value for (pk_value,) in cursor.fetchall()}
            cursor.execute(f"DROP TABLE {temporary}")
        else:
            prepare = [_db_value(field) for field in [pk, *columns]]
            assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
            condition = f"{quote(pk.column)} = %s" + (f" AND {quote('version')} = %s" if versions is not None else "")
            sql = f"UPDATE {table} SET {assignments} WHERE {condition}"
            written = set()
            for row in rows:
                raw = values(row)  # the primary key, the fields, then the version read (if any)
                cells = [adapt(value) for adapt, value in zip(prepare, raw[: len(prepare)], strict=True)]
                cursor.execute(sql, [*cells[1:], cells[0], *raw[len(prepare) :]])
                if cursor.rowcount:
                    written.add(row[pk.attname])
    missing = {row[pk.attname] for row in rows} - written
    if missing:
        raise RecordsChangedMeanwhile(model, missing)


# -- Writes sent in pipeline mode (PostgreSQL) --
#
# ``COPY`` cannot run in a pipeline; these statements can: their rows go as array parameters, and
# what they return is read once the pipeline has synced (``SentUpdate.histories``), so the database
# writes one part of an import while Python compares the next (``ImportPlanner.compare_and_apply``).


class SentUpdate:
    """A ``send_update_with_history`` of the rows ``pks`` of ``model``, sent (inside
    ``importing.matching.pipelined``: answered later); ``histories()`` reads what it returned."""

    def __init__(self, sql, params, *, model, pks):
        self.cursor = connection.cursor()
        self.cursor.execute(sql, params)
        self.model, self.pks = model, pks

    def histories(self):
        """``{pk: history id}``; ``RecordsChangedMeanwhile`` when a row was not written (changed or
        gone since it was read)."""
        try:
            returned = self.cursor.fetchall()
        finally:
            self.cursor.close()
        histories = {pk: history_id for history_id, pk in returned}
        missing = set(self.pks) - set(histories)
        if missing:
            raise RecordsChangedMeanwhile(self.model, missing)
        return histories


def array_literal(values):
    """``values`` as the text of a PostgreSQL array, for a parameter cast to its column's array type
    (``%s::date[]``): ``None`` as NULL, whole numbers as written, anything else quoted (dates and
    times in ISO form, which the server reads back): ``array_parameter`` for any column's values."""
    kinds = set(map(type, values))
    if kinds <= {int} or kinds == {str}:
        return array_parameter(values)
    if kinds <= {dt.date, dt.datetime}:  # nothing in an ISO date or time needs quoting
        return "{" + ",".join(value.isoformat() for value in values) + "}"
    cells = []
    for value in values:
        if value is None:
            cells.append("NULL")
        elif isinstance(value, bool):
            cells.append("t" if value else "f")
        elif isinstance(value, int):
            cells.append(str(value))
        elif isinstance(value, str | dt.date | uuid.UUID | decimal.Decimal):
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            cells.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
        else:
            raise TypeError(f"a {type(value).__name__} cannot go in an array parameter")
    return "{" + ",".join(cells) + "}"


def _array_type(field):
    """The array type a column's values are sent as: texts as ``text`` (a cast to ``varchar(n)``
    would cut a value too long, where writing it to the column refuses it), others as the column."""
    kind = field.db_type(connection)
    return "text" if kind.startswith(("varchar", "char")) else kind


def send_update_with_history(model, rows, fields, history, *, versions, m2m=None):
    """``update_rows`` with ``versions``, each row's history row as written (type "~") and its
    many-to-many history, in one statement: a ``SentUpdate``.

    The history rows are copied from the ``UPDATE``'s own rows (``RETURNING``). ``m2m`` maps a
    many-to-many field's name to ``(held, added)``: the links the rows hold as read with the
    versions given (dicts of every column of the links table; whoever changes a record's links moves
    its version on, see ``partners.locking``) and the links to add (every column but the id, which
    the table gives). The added links are inserted by the same statement; each history row gets a
    row of many-to-many history per link held or added, from these arrays, the links table unread.
    """
    meta = model._meta
    pk = meta.pk
    columns = [pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = ", ".join(quote(field.column) for field in columns)
    params = [_array_of(field, [row[field.attname] for row in rows]) for field in columns]
    params.append(array_literal([versions[row[pk.attname]] for row in rows]))
    assignments = ", ".join(f"{quote(field.column)} = new.{quote(field.column)}" for field in columns[1:])
    condition = (
        f"{table}.{quote(pk.column)} = new.{quote(pk.column)} AND {table}.{quote(pk.column)} = ANY(%s) "
        f"AND {table}.{quote('version')} = new.read_version"
    )
    params.append(array_literal([row[pk.attname] for row in rows]))
    insert, history_params, returning = _history_insert(model, history, "~")
    parts = [
        f"written AS (UPDATE {table} SET {assignments} FROM unnest({_arrays(columns)}, %s::integer[]) "
        f"AS new({names}, read_version) WHERE {condition} RETURNING {table}.*)",
        f"history AS ({insert} FROM written AS source {returning})",
    ]
    params += history_params
    for number, (name, (held, added)) in enumerate((m2m or {}).items()):
        m2m_parts, m2m_params = _m2m_history_from_arrays(model, name, held, added, number)
        parts += m2m_parts
        params += m2m_params
    history_id, record_id = (quote(field.column) for field in (model.history.model._meta.pk, pk))
    sql = f"WITH {', '.join(parts)} SELECT {history_id}, {record_id} FROM history"
    return SentUpdate(sql, params, model=model, pks=[row[pk.attname] for row in rows])


def _m2m_history_from_arrays(model, field_name, held, added, number):
    """The parts of ``send_update_with_history``'s ``WITH`` for the many-to-many field ``field_name``
    and their parameters: the insert of the ``added`` links, then the history of every link ``held``
    or added, for the rows of ``history`` (the history rows just written)."""
    through = model._meta.get_field(field_name).remote_field.through
    quote = connection.ops.quote_name
    fields = through._meta.concrete_fields
    every = ", ".join(quote(field.column) for field in fields)
    links, parts, params = [f"SELECT * FROM unnest({_arrays(fields)}) AS held({every})"], [], []
    if added:
        new = [field for field in fields if not field.primary_key]
        listed = ", ".join(quote(field.column) for field in new)
        parts.append(
            f"added_{number} AS (INSERT INTO {quote(through._meta.db_table)} ({listed}) "
            f"SELECT * FROM unnest({_arrays(new)}) RETURNING {every})"
        )
        params += [_array_of(field, [link[field.attname] for link in added]) for field in new]
        links.append(f"SELECT * FROM added_{number}")
    params += [_array_of(field, [link[field.attname] for link in held]) for field in fields]
    insert, join = _m2m_history_insert(model, field_name, source=f"({' UNION ALL '.join(links)})")
    parts.append(f"m2m_{number} AS ({insert} FROM history {join})")
    return parts, params


def _arrays(fields):
    """``%s::type[]`` for each of ``fields``: the array parameters ``unnest`` reads their values from."""
    return ", ".join(f"%s::{_array_type(field)}[]" for field in fields)


def _array_of(field, values):
    """``array_literal`` of a column's ``values`` (a country as its code, blank when none)."""
    if isinstance(field, CountryField):
        values = [str(value or "") for value in values]
    return array_literal(values)
