"""Calendars read back with icalendar: the instants, the zone, the speakers."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from conference.models import Session
from documents.calendars import write_calendar
from documents.reading import PROTECTED_SPEAKER, calendar_entries
from partners.models import ExportLog, Person
from tests.factories import SessionFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def read_back(content):
    return Calendar.from_ical(content)


def test_ten_events_whose_instants_equal_the_sessions(conference):
    calendar = read_back(write_calendar(conference, calendar_entries(conference)))
    events = calendar.walk("VEVENT")

    sessions = Session.objects.filter(event=conference).order_by("starts_at")
    assert len(events) == 10
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [(s.starts_at, s.ends_at) for s in sessions]
    assert {e["dtstart"].params["TZID"] for e in events} == {"America/New_York"}
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "America/New_York"
    assert [str(e["uid"]) for e in events] == [f"{s.uuid}@liaison" for s in sessions]


def test_speakers_are_in_the_descriptions_and_the_protected_one_anonymised(conference):
    content = write_calendar(conference, calendar_entries(conference))
    events = {str(e["summary"]): str(e["description"]) for e in read_back(content).walk("VEVENT")}

    assert "Jean Bruggeman (講者 Speaker) — 自由聯盟執行長" in events["致歡迎詞 / Welcome"]
    humility = events["為外籍倖存者服務時的文化謙遜 / Cultural Humility When Serving Foreign Born Survivors"]
    assert f"{PROTECTED_SPEAKER} Protected speaker (倖存者講者 Survivor speaker)" in humility
    protected = Person.objects.get(sensitive=True)
    text = content.decode()
    for name in (protected.full_name, protected.given_name, protected.family_name):
        assert name not in text


def test_a_workshops_dates_are_one_whole_day_entry():
    workshop = WorkshopFactory(start_date=dt.date(2022, 9, 1), end_date=dt.date(2022, 9, 2), venue="Test Hall")
    SessionFactory(event=workshop, title="Opening")

    events = read_back(write_calendar(workshop, calendar_entries(workshop))).walk("VEVENT")

    assert [str(e["summary"]) for e in events] == [f"{workshop.name_zh} / {workshop.name}", "Opening"]
    assert (events[0].decoded("dtstart"), events[0].decoded("dtend")) == (dt.date(2022, 9, 1), dt.date(2022, 9, 3))
    assert events[0]["dtstart"].params["VALUE"] == "DATE"
    assert "Test Hall" in str(events[0]["location"])


def test_download_for_viewers_logged(client, role_user, conference):
    viewer = role_user("Viewer")
    client.force_login(viewer)

    response = client.get(reverse("documents:calendar", args=[conference.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert len(read_back(response.content).walk("VEVENT")) == 10
    entry = ExportLog.objects.get()
    assert (entry.user, entry.format, entry.source, entry.row_count) == (viewer, "ics", "calendar", 10)


def test_no_calendar_without_the_right_to_view_events(client, make_user, conference):
    client.force_login(make_user("outsider", "partners.view_person"))

    assert client.get(reverse("documents:calendar", args=[conference.pk])).status_code == 403
    assert not ExportLog.objects.exists()


def test_a_workshop_without_dates_or_sessions_has_no_calendar(client, role_user, seed_workshop):
    client.force_login(role_user("Viewer"))

    response = client.get(reverse("documents:calendar", args=[seed_workshop.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:conference_event_change", args=[seed_workshop.pk])
    assert not ExportLog.objects.exists()
