"""How the people table is stored on PostgreSQL: room on each page for updates that touch no index."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="fillfactor is PostgreSQL's")
def test_the_people_table_leaves_room_on_each_page_for_updates():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'partners_person'")
        (options,) = cursor.fetchone()
    assert "fillfactor=85" in (options or [])

