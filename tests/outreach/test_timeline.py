"""A person's timeline: five sources in date order, constant queries, kept through a merge."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conference.models import Candidacy
from conference.services import change_candidacy_status
from duplicates.merging import merge_people
from outreach.timeline import person_timeline
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    CandidacyFactory,
    InteractionFactory,
    OrganizationFactory,
    PersonFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))


def test_the_five_sources_in_date_order(admin_user):
    person = PersonFactory(full_name="Rose Example")
    AffiliationFactory(
        person=person,
        organization=OrganizationFactory(name="Old Org"),
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2021, 6, 30),
        is_current=False,
    )
    AppearanceFactory(person=person, session=SessionFactory(starts_at=aware(2022, 3, 16, 1, 30)))
    InteractionFactory(person=person, occurred_at=aware(2023, 5, 1, 10, 0), summary="Coffee in Miami")
    candidacy = CandidacyFactory(person=person)  # now: created, then invited below
    candidacy.status = Candidacy.Status.SHORTLISTED
    candidacy.save()
    change_candidacy_status(candidacy, status=Candidacy.Status.INVITED, by=admin_user)

    kinds = [(entry.kind, entry.text) for entry in person_timeline(person).entries]

    # Newest first: the candidacy's three history rows and the record's creation (all today), then the past.
    assert [kind for kind, _text in kinds][4:] == ["interaction", "appearance", "job", "job"]
    assert kinds[4][1].startswith("Meeting: Coffee in Miami")
    assert kinds[6][1].startswith("Ended:") and kinds[7][1].startswith("Started:")
    candidacy_texts = [text for kind, text in kinds if kind == "candidacy"]
    assert "status now Invited" in candidacy_texts[0]
    entries = person_timeline(person).entries
    assert [entry.when for entry in entries] == sorted((entry.when for entry in entries), reverse=True)
    invited = entries[0]
    assert invited.who == admin_user.username


def fill(person, count):
    """``count`` entries of each dated source for ``person``."""
    for number in range(count):
        when = aware(2020, 1, 1) + dt.timedelta(days=number)
        AppearanceFactory(person=person, session=SessionFactory(starts_at=when))
        InteractionFactory(person=person, occurred_at=when)
        AffiliationFactory(
            person=person, start_date=when.date(), end_date=when.date() + dt.timedelta(days=1), is_current=False
        )
        CandidacyFactory(person=person)


def count_queries(callable_):
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def test_queries_are_the_same_for_1_and_30_entries(admin_client):
    short, long = PersonFactory(), PersonFactory()
    fill(short, 1)
    fill(long, 30)
    assert count_queries(lambda: person_timeline(short)) == count_queries(lambda: person_timeline(long)) == 6

    def page(person):
        response = admin_client.get(reverse("admin:partners_person_change", args=[person.pk]) + "?timeline_page=2")
        assert response.status_code == 200

    page(short)
    assert count_queries(lambda: page(short)) == count_queries(lambda: page(long))


def test_pages_follow_each_other_without_gaps(admin_user):
    person = PersonFactory()
    fill(person, 15)  # 15 appearances + 15 interactions + 30 job dates + 15 candidacies + 1 record
    first, second = person_timeline(person, page=1), person_timeline(person, page=2)
    everything = person_timeline(person, page=1, page_size=200).entries
    assert len(everything) == 76
    assert first.entries + second.entries == everything[:40]
    assert (first.has_previous, first.has_next, second.has_previous) == (False, True, True)


def test_the_person_page_shows_the_timeline(admin_client):
    person = PersonFactory()
    InteractionFactory(person=person, summary="Talked about visas")
    page = admin_client.get(reverse("admin:partners_person_change", args=[person.pk])).content.decode()
    assert 'id="person-timeline"' in page and "Talked about visas" in page and "America/New_York" in page


def test_a_merge_keeps_both_timelines(admin_user):
    survivor, duplicate = PersonFactory(full_name="Rose Example"), PersonFactory(full_name="Rose Exampel")
    InteractionFactory(person=survivor, summary="Met the survivor record")
    InteractionFactory(person=duplicate, summary="Met the duplicate record")
    AppearanceFactory(person=duplicate)
    AffiliationFactory(
        person=duplicate, organization=OrganizationFactory(name="Dup Org"), start_date=dt.date(2020, 1, 1)
    )
    candidacy = CandidacyFactory(person=duplicate)
    change_candidacy_status(candidacy, status=Candidacy.Status.SHORTLISTED, by=admin_user)

    merge_people(survivor, duplicate, by=admin_user)

    texts = [entry.text for entry in person_timeline(survivor, page_size=100).entries]
    assert any("Met the survivor record" in text for text in texts)
    assert any("Met the duplicate record" in text for text in texts)
    assert any("Dup Org" in text for text in texts)
    assert sum(entry.kind == "appearance" for entry in person_timeline(survivor).entries) == 1
    # The moved candidacy keeps its earlier history (created, shortlisted) besides the move.
    assert sum("status now Shortlisted" in text for text in texts) == 1
