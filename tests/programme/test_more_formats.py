"""Sessionize "All data", Indico and iCalendar imported end to end; each twice without change."""

import datetime as dt
import json

import pytest

from conference.models import Event, Session
from partners.models import Person
from programme.importing import import_programme
from tests.programme.files import ICS, INDICO, SESSIONIZE

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def speakers_of(session):
    return [
        (a.person.full_name, a.organization.name if a.organization else None, a.role)
        for a in session.appearances.order_by("order")
    ]


def test_sessionize_needs_the_zone_and_keeps_ids():
    content = json.dumps(SESSIONIZE).encode()
    plan = import_programme(content, filename="sessionize.json", dry_run=False, time_zone="America/New_York")
    assert plan.file_errors == ["The file names no event; choose the event to import into."]

    event = Event.objects.create(
        name="Invented", start_date=dt.date(2022, 3, 15), end_date=dt.date(2022, 3, 15), time_zone="America/New_York"
    )
    plan = import_programme(content, filename="sessionize.json", dry_run=False, event=event)

    assert plan.ok, plan.errors
    opening, panel = event.sessions.order_by("starts_at")
    assert (opening.external_key, opening.starts_at, opening.ends_at) == (
        "401",
        dt.datetime(2022, 3, 15, 13, 0, tzinfo=UTC),
        dt.datetime(2022, 3, 15, 14, 0, tzinfo=UTC),
    )
    assert speakers_of(panel) == [("Avery Invented", None, "speaker"), ("Blake Madeup", None, "speaker")]
    assert opening.appearances.get().affiliation_as_printed == "Director"
    again = import_programme(content, filename="sessionize.json", dry_run=False, event=event)
    assert again.counts["sessions"]["unchanged"] == 2 and Person.objects.count() == 2


def test_indico_contributions_sessions_and_affiliations():
    content = json.dumps(INDICO).encode()

    plan = import_programme(content, filename="indico.json", dry_run=False)

    assert plan.ok, plan.errors
    event = Event.objects.get()
    assert (event.name, event.time_zone, event.venue) == (
        "Invented Trafficking Conference 2022",
        "Europe/Vienna",
        "Invented Hall",
    )
    opening, panel = Session.objects.order_by("starts_at")
    assert opening.starts_at == dt.datetime(2022, 3, 15, 8, 0, tzinfo=UTC)
    assert speakers_of(opening) == [("Avery Invented", "Example Network", "speaker")]
    assert speakers_of(panel) == [
        ("Blake Madeup", "Example Network", "speaker"),
        ("Cora Pretend", "Example Youth Org", "moderator"),
    ]
    assert Session.objects.filter(title="Unscheduled talk").count() == 0
    again = import_programme(content, filename="indico.json", dry_run=False)
    assert again.counts["sessions"] == {"new": 0, "update": 0, "unchanged": 2}
    assert again.counts["people"]["new"] == 0


def test_icalendar_sessions_only():
    plan = import_programme(ICS.encode(), filename="programme.ics", dry_run=False)

    assert plan.ok, plan.errors
    opening, panel = Session.objects.order_by("starts_at")
    assert (opening.external_key, opening.starts_at, opening.ends_at) == (
        "opening@example.org",
        dt.datetime(2022, 3, 15, 13, 0, tzinfo=UTC),
        dt.datetime(2022, 3, 15, 14, 0, tzinfo=UTC),
    )
    assert (panel.starts_at, panel.ends_at) == (
        dt.datetime(2022, 3, 15, 14, 30, tzinfo=UTC),
        dt.datetime(2022, 3, 15, 16, 0, tzinfo=UTC),
    )
    assert plan.programme.notes == ["1 all-day calendar entries are not sessions and were left out."]
    assert Event.objects.get().time_zone == "America/New_York"
    again = import_programme(ICS.encode(), filename="programme.ics", dry_run=False)
    assert again.counts["sessions"]["unchanged"] == 2


def test_icalendar_cut_short_writes_nothing():
    plan = import_programme(ICS.encode()[:300], filename="programme.ics", dry_run=False)

    assert not plan.committed
    assert Session.objects.count() == 0
    assert plan.file_errors or plan.errors
