"""The ids ``importing.writing.insert_rows`` hands out: the table's own sequence, in the order of the rows."""

import pytest
from django.utils import timezone

from importing.writing import create_rows, new_rows
from partners.models import ContactMethod
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_new_rows_get_the_sequences_next_ids_in_their_order_and_later_writes_follow_them():
    person = PersonFactory()
    before = ContactMethod.objects.create(person=person, kind="email", value="before@example.org")
    new_contact = new_rows(ContactMethod, timezone.now())
    rows = [new_contact(person_id=person.pk, kind="email", value=f"n{number}@example.org") for number in range(5)]

    create_rows(ContactMethod, rows)
    after = ContactMethod.objects.create(person=person, kind="email", value="after@example.org")

    ids = [row["id"] for row in rows]
    assert ids == sorted(ids) and len(set(ids)) == 5 and ids[0] > before.pk
    assert after.pk > ids[-1]  # the sequence moved past them: no id handed out twice
    stored = dict(ContactMethod.objects.filter(pk__in=ids).values_list("pk", "value"))
    assert stored == {row["id"]: row["value"] for row in rows}
