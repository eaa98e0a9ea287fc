"""Bulk inserts of demo rows, in batches and without per-row history."""

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Max
from django.utils import timezone
from django_countries.fields import CountryField


class BulkWriter:
    """Inserts model instances fast: ids assigned here, then COPY (PostgreSQL) or executemany (others).

    ``bulk_create`` spends most of its time compiling SQL and preparing each
    value through the field; demo data needs none of that. Values are adapted
    per column type once; ``auto_now``/``auto_now_add`` fields get one
    timestamp; sequences are reset at the end (``finish``).
    """

    batch_size = 5000

    def __init__(self, using=DEFAULT_DB_ALIAS):
        self.connection = connections[using]
        self.next_ids = {}
        self.now = timezone.now()

    def insert(self, objects):
        if not objects:
            return
        model = type(objects[0])
        meta = model._meta
        if model not in self.next_ids:
            self.next_ids[model] = (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        for obj in objects:
            if obj.pk is None:
                obj.pk = self.next_ids[model]
                self.next_ids[model] += 1
            else:
                self.next_ids[model] = max(self.next_ids[model], obj.pk + 1)
            obj._state.adding = False
        fields = meta.concrete_fields
        for field in fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                for obj in objects:
                    setattr(obj, field.attname, self.now)
        columns = [(field.attname, self.adapter(field)) for field in fields]
        rows = [tuple(adapt(obj.__dict__[name]) for name, adapt in columns) for obj in objects]
        quote = self.connection.ops.quote_name
        column_list = ", ".join(quote(field.column) for field in fields)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({column_list}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {quote(meta.db_table)} ({column_list}) VALUES ({placeholders})"
                for start in range(0, len(rows), self.batch_size):
                    cursor.executemany(sql, rows[start : start + self.batch_size])

    def adapter(self, field):
        connection = self.connection
        if isinstance(field, CountryField):
            return lambda value: str(value or "")
        if self.connection.vendor == "postgresql" or isinstance(
            field, models.CharField | models.TextField | models.BooleanField | models.IntegerField | models.ForeignKey
        ):
            return lambda value: value
        if isinstance(field, models.DateTimeField):
            return connection.ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return connection.ops.adapt_datefield_value
        return lambda value: field.get_db_prep_save(value, connection)

    def finish(self):
        """Move PostgreSQL's id sequences past the ids assigned here."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
