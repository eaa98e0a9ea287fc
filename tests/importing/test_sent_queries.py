"""Queries asked for now and read later (``importing.matching.SentQuery`` in ``pipelined``): the rows
are those of the queryset, converted as Django converts them, whatever order they are read in."""

import datetime as dt

import pytest
from django.db import connection

from importing.matching import SentQuery, pipelined
from partners.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_sent_queries_read_in_any_order_give_the_querysets_rows():
    confirmed = PersonFactory(full_name="Rose Example", last_confirmed=dt.date(2025, 12, 31))
    PersonFactory(full_name="Ann Example")
    people = Person.objects.order_by("pk")
    dates = people.values_list("pk", "uuid", "last_confirmed")
    names = people.values_list("pk", "full_name")

    with pipelined():
        first, second = SentQuery(dates), SentQuery(names)
        assert Person.objects.count() == 2  # another query meanwhile, answered in turn
        later = list(second.rows())
        earlier = list(first.rows())

    assert earlier == list(dates) and len(earlier) == 2
    assert later == list(names)
    # Converted as a values_list converts: a date and a UUID on every database.
    assert (confirmed.pk, confirmed.uuid, dt.date(2025, 12, 31)) in earlier


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pipeline mode is PostgreSQL's")
def test_on_postgresql_the_block_puts_the_connection_in_pipeline_mode():
    # Without it a sent query would be waited for at once: the import would be right, and slower.
    with pipelined():
        assert connection.connection._pipeline is not None
        answer = SentQuery(Person.objects.values_list("pk"))
        assert list(answer.rows()) == []
    assert connection.connection._pipeline is None
