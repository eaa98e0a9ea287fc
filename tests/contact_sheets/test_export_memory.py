"""Constant-memory exports: the rows come chunk by chunk, the same whatever the chunk size, and
an export's peak of Python allocations does not grow with the number of people."""

import tempfile
import tracemalloc

import pytest

from contact_sheets import rows as sheet_rows
from contact_sheets.formats import write_contact_sheet
from contact_sheets.rows import contact_sheet_rows
from partners.models import Affiliation, ContactMethod, Organization, Person
from tests.contact_sheets.test_formats import build_awkward_people

pytestmark = pytest.mark.django_db


def add_people(count, start=0):
    """``count`` invented people, each with an e-mail, a phone and a job (bulk: a few queries)."""
    organization = Organization.objects.first() or Organization.objects.create(name="Example Relief Network")
    people = Person.objects.bulk_create(
        Person(full_name=f"Example Person {start + number:06d}", name_zh=f"範例{start + number}", country="US")
        for number in range(count)
    )
    ContactMethod.objects.bulk_create(
        contact
        for number, person in enumerate(people, start=start)
        for contact in (
            ContactMethod(person=person, kind="email", value=f"person{number}@example.org", is_primary=True),
            ContactMethod(person=person, kind="phone", value="+12025550143", is_primary=True),
        )
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=person, organization=organization, title="Program Officer", title_zh="專員")
        for person in people
    )


def test_the_rows_are_the_same_whatever_the_chunk_size():
    build_awkward_people()
    add_people(25)
    people = Person.objects.all()

    whole = list(contact_sheet_rows(people, chunk_size=10_000))
    assert len(whole) == Person.objects.count()
    for size in (1, 3, 7):
        assert list(contact_sheet_rows(people, chunk_size=size)) == whole


def peak_of_export(fmt):
    """Rows written and the peak of Python allocations while writing them to a file."""
    with tempfile.TemporaryFile() as stream:
        tracemalloc.start()
        try:
            rows = write_contact_sheet(Person.objects.all(), fmt, stream)
            return rows, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exports_peak_memory_does_not_grow_with_the_people(fmt, monkeypatch):
    monkeypatch.setattr(sheet_rows, "EXPORT_CHUNK", 1_000)
    add_people(2_000)
    rows, small = peak_of_export(fmt)
    assert rows == 2_000
    add_people(18_000, start=2_000)

    rows, large = peak_of_export(fmt)

    assert rows == 20_000
    # Ten times the people, the same peak but for a small margin (the folds of one chunk are
    # what is held; a sheet held whole would take ten times as much).
    assert large <= small * 1.2 + 256 * 1024, (small, large)
