"""Constant-memory exports: the rows come chunk by chunk, the same whatever the chunk size, and
an export's peak of Python allocations does not grow with the number of people."""

import gc
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
    """Rows written and the peak of Python allocations while writing them to a file.

    Garbage left by what ran before is collected first: the peak is then the export's own, the
    same from one run to the next within a few kilobytes (without it, it moves by up to a
    megabyte with the collector's timing).
    """
    with tempfile.TemporaryFile() as stream:
        gc.collect()
        tracemalloc.start()
        try:
            rows = write_contact_sheet(Person.objects.all(), fmt, stream)
            return rows, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def peak_of_holding_ints(count):
    """The peak of Python allocations of a list of ``count`` distinct integers."""
    gc.collect()
    tracemalloc.start()
    try:
        held = list(range(10**9, 10**9 + count))
        return tracemalloc.get_traced_memory()[1] if held else 0
    finally:
        tracemalloc.stop()


# What the peak may grow by from 2,000 to 20,000 people: measured, it grows by about 100 KB (a
# few bytes per person: per-chunk leftovers, not per-person data).
MARGIN = 256 * 1024


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exports_peak_memory_does_not_grow_with_the_people(fmt, monkeypatch):
    # Chunks of 1,000 (2,000 in production): 2 chunks for 2,000 people, 20 for 20,000, so that
    # anything kept from chunk to chunk shows ten times over, at a tenth of the people to make.
    monkeypatch.setattr(sheet_rows, "EXPORT_CHUNK", 1_000)
    add_people(2_000)
    peak_of_export(fmt)  # once to warm up: imports, caches and compiled queries are not the export's
    rows, small = peak_of_export(fmt)
    assert rows == 2_000
    add_people(18_000, start=2_000)

    rows, large = peak_of_export(fmt)

    assert rows == 20_000
    # The test could fail: keeping as little as one integer per added person (an id in a list,
    # say) costs more than the margin, and a whole row per person some 25 MB.
    assert peak_of_holding_ints(18_000) > 2 * MARGIN
    assert large - small <= MARGIN, (small, large)
