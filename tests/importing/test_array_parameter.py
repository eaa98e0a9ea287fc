"""One array parameter for a long list of values (``importing.matching.array_parameter``, and
``importing.writing.array_literal`` for a column of any type): the literal text the import sends
reads back as exactly the values given."""

import datetime as dt
import uuid

import pytest
from django.db import connection

from importing import matching
from importing.matching import array_parameter, one_in, one_of
from importing.writing import array_literal
from partners.models import Person
from tests.factories import PersonFactory

AWKWARD = ['say "hi"', "back\\slash", "", "臺灣 x,y {z}", "NULL", " spaces ", "a'b", "line\nbreak", '\\"']


def test_ids_and_texts_become_their_literal_and_anything_else_stays_a_list():
    assert array_parameter([3, 1, 2]) == "{3,1,2}"
    assert array_parameter(["a", 'b"c']) == '{"a","b\\"c"}'
    assert array_parameter([]) == "{}"
    identifiers = [uuid.uuid4()]
    assert array_parameter(identifiers) == identifiers
    assert array_parameter([True, False]) == [True, False]  # not "{True,False}"
    assert array_parameter([1, "1"]) == [1, "1"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="array parameters are PostgreSQL's")
@pytest.mark.django_db
def test_the_server_reads_back_exactly_the_values():
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[], %s::bigint[]", [array_parameter(AWKWARD), array_parameter([7, -1, 2**40])])
        texts, ids = cursor.fetchone()
    assert texts == AWKWARD
    assert ids == [7, -1, 2**40]


@pytest.mark.django_db
def test_one_of_finds_awkward_names_and_ids():
    people = [PersonFactory(full_name=name or "x") for name in AWKWARD]
    wanted = [person for person in people if person.full_name in ('say "hi"', "back\\slash", "臺灣 x,y {z}", '\\"')]
    found = Person.objects.filter(one_of("full_name", [person.full_name for person in wanted]))
    assert sorted(found.values_list("pk", flat=True)) == sorted(person.pk for person in wanted)
    by_id = Person.objects.filter(one_of("pk", [people[0].pk, people[-1].pk, 0]))
    assert sorted(by_id.values_list("pk", flat=True)) == sorted([people[0].pk, people[-1].pk])


@pytest.mark.django_db
def test_a_long_list_is_joined_and_finds_the_same_rows(monkeypatch):
    people = [PersonFactory(full_name=name or "x") for name in AWKWARD]
    names = [person.full_name for person in people[:5]]
    ids = [person.pk for person in people[3:]] + [0]
    short = (
        sorted(Person.objects.filter(one_in("full_name", names)).values_list("pk", flat=True)),
        sorted(Person.objects.filter(one_in("pk", ids)).values_list("pk", flat=True)),
    )
    monkeypatch.setattr(matching, "SHORT_LIST", 2)  # every list is long now

    condition = one_in("full_name", names)
    if connection.vendor == "postgresql":
        assert "unnest" in str(Person.objects.filter(condition).query)
    found = sorted(Person.objects.filter(condition).values_list("pk", flat=True))
    by_id = sorted(Person.objects.filter(one_in("pk", ids)).values_list("pk", flat=True))

    assert (found, by_id) == short
    assert found == sorted(person.pk for person in people[:5])
    assert by_id == sorted(person.pk for person in people[3:])


def test_an_array_literal_of_any_column_quotes_every_value_but_numbers_and_null():
    day, moment = dt.date(2026, 12, 3), dt.datetime(2026, 12, 3, 6, 30, tzinfo=dt.UTC)
    assert array_literal([1, None, True, False]) == "{1,NULL,t,f}"
    assert array_literal([day, moment]) == "{2026-12-03,2026-12-03T06:30:00+00:00}"  # nothing to quote
    assert array_literal(["NULL", 'a"b', "c\\d", day, moment]) == (
        '{"NULL","a\\"b","c\\\\d","2026-12-03","2026-12-03T06:30:00+00:00"}'
    )
    with pytest.raises(TypeError, match="a dict cannot go in an array parameter"):
        array_literal([{"a": 1}])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="array parameters are PostgreSQL's")
@pytest.mark.django_db
def test_the_server_reads_back_an_array_literal_as_the_values_of_each_type():
    moments = [dt.datetime(2026, 12, 3, 6, 30, 15, 123456, tzinfo=dt.UTC), None]
    identifiers = [uuid.uuid4(), uuid.uuid4()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::date[], %s::timestamptz[], %s::timestamptz[], %s::boolean[], %s::uuid[], "
            "%s::integer[]",
            [
                array_literal([*AWKWARD, None]),
                array_literal([dt.date(2026, 2, 28), None]),
                array_literal(moments),
                array_literal(moments[:1]),
                array_literal([True, False, None]),
                array_literal(identifiers),
                array_literal([0, -5, None]),
            ],
        )
        texts, days, times, only_times, flags, found, numbers = cursor.fetchone()
    assert texts == [*AWKWARD, None]
    assert days == [dt.date(2026, 2, 28), None]
    assert times == moments
    assert only_times == moments[:1]
    assert flags == [True, False, None]
    assert found == identifiers
    assert numbers == [0, -5, None]
