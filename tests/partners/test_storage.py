"""How the people table is stored on PostgreSQL: room on each page for updates that touch no index."""

import pytest
from django.db import connection

from partners.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="fillfactor is PostgreSQL's")
def test_the_people_table_leaves_room_on_each_page_for_updates():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'partners_person'")
        (options,) = cursor.fetchone()
    assert "fillfactor=85" in (options or [])



def indexed_columns(model):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {tuple(found["columns"]) for found in constraints.values() if found["index"] or found["primary_key"]}


def test_the_peoples_history_is_indexed_only_as_it_is_read():
    # By person and by history row (the timeline, the history pages, erasure); an index no query
    # uses costs every history row an import writes.
    history = Person.history.model
    languages = history._meta.get_field("historicalperson_languages").related_model

    assert {("history_id",), ("id",), ("history_user_id",), ("history_date",)} <= indexed_columns(history)
    assert not indexed_columns(history) & {("uuid",), ("consent_changed_by_id",), ("last_confirmed_by_id",)}
    assert {("history_id",), ("person_id",)} <= indexed_columns(languages)
    assert not {columns for columns in indexed_columns(languages) if "language_id" in columns}
