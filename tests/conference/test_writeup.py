"""The event page as the place to write a conference up: programme by day, times in the event's
zone with Taipei time beside them, a speaker added in place, expertise from a session's topics."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import Appearance, Event, Session
from conference.writeup import record_speakers_expertise, span_in_zone, zone_choices
from partners.models import Affiliation, Person, PersonExpertise
from tests.factories import (
    AppearanceFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    SessionFactory,
    make_area,
)

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def editor(client, role_user):
    user = role_user("Editor")
    client.force_login(user)
    return user


def event_with_sessions(count):
    event = EventFactory(time_zone="America/New_York")
    for number in range(count):
        start = dt.datetime(2022, 3, 15 + number, 13, 0, tzinfo=UTC)
        session = SessionFactory(event=event, starts_at=start, ends_at=start + dt.timedelta(hours=1))
        AppearanceFactory(session=session, organization=OrganizationFactory())
        AppearanceFactory(session=session, person=None, organization=OrganizationFactory())
    return event


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_event_page_query_count_does_not_grow_with_sessions(client, editor):
    one, three = event_with_sessions(1), event_with_sessions(3)

    url = "/admin/conference/event/{}/change/"
    client.get(url.format(one.pk))
    assert queries(client, url.format(three.pk)) == queries(client, url.format(one.pk))


def test_event_page_shows_the_programme_by_day_with_speakers_and_both_times(client, editor):
    event = EventFactory(time_zone="America/New_York")
    session = SessionFactory(
        event=event,
        title="Opening",
        starts_at=dt.datetime(2022, 3, 15, 13, 0, tzinfo=UTC),
        ends_at=dt.datetime(2022, 3, 15, 14, 0, tzinfo=UTC),
    )
    speaker = AppearanceFactory(session=session, person=PersonFactory(full_name="Avery Invented"))

    page = client.get(f"/admin/conference/event/{event.pk}/change/").content.decode()

    assert "2022-03-15 09:00–10:00 America/New_York (UTC−04:00)" in page
    assert "2022-03-15 21:00–22:00 臺北時間 (UTC+08:00)" in page
    assert "Avery Invented" in page and f"/admin/partners/person/{speaker.person_id}/change/" in page
    assert f"/admin/conference/appearance/?session__event__id__exact={event.pk}" in page
    assert "CST" not in page


def test_session_rows_on_the_event_page_are_typed_in_the_event_zone(client, editor):
    event = EventFactory(time_zone="America/New_York", country="US")
    form = client.get(f"/admin/conference/event/{event.pk}/change/").context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "kind": event.kind,
            "name": event.name,
            "start_date": "2022-03-15",
            "end_date": "2022-03-17",
            "time_zone": "America/New_York",
            "country": "US",
            "format": event.format,
            "sessions-TOTAL_FORMS": "1",
            "sessions-INITIAL_FORMS": "0",
            "sessions-0-kind": "keynote",
            "sessions-0-title": "Opening",
            "sessions-0-starts_at_0": "2022-03-15",
            "sessions-0-starts_at_1": "09:00",
            "sessions-0-ends_at_0": "2022-03-15",
            "sessions-0-ends_at_1": "10:00",
            "attendances-TOTAL_FORMS": "0",
            "attendances-INITIAL_FORMS": "0",
        }
    )
    data.pop("themes", None)
    data["organizer"] = ""

    response = client.post(f"/admin/conference/event/{event.pk}/change/", data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert Session.objects.get().starts_at == dt.datetime(2022, 3, 15, 13, 0, tzinfo=UTC)


def test_a_city_names_its_time_zone(client, editor):
    from conference.forms import TimeZoneField

    field = TimeZoneField(country="TH")
    assert field.clean("Bangkok") == "Asia/Bangkok"
    assert field.clean("New York") == "America/New_York"
    assert "Asia/Bangkok" in field.help_text
    assert zone_choices(country="TH")[0][0] == "Asia/Bangkok"
    assert zone_choices(country="US", city="Los Angeles")[0][0] == "America/Los_Angeles"
    assert zone_choices(country="US")[0][0] == "America/New_York"
    assert re.match(r"Bangkok — .+ · Asia/Bangkok \(UTC\+07:00\)", zone_choices(country="TH")[0][1])


def test_taipei_is_never_cst():
    start = dt.datetime(2022, 3, 15, 16, 0, tzinfo=UTC)
    import zoneinfo

    assert span_in_zone(start, start + dt.timedelta(hours=1), zoneinfo.ZoneInfo("Asia/Taipei")) == (
        "2022-03-16 00:00–01:00 Taipei time (UTC+08:00)"
    )


def test_add_a_new_speaker_from_the_event_page(client, editor):
    event = EventFactory(country="US")
    session = SessionFactory(event=event)
    url = f"/admin/conference/event/{event.pk}/add-appearance/?session={session.pk}"
    assert client.get(url).context["form"].initial["country"] == "US"

    response = client.post(
        url,
        {
            "session": session.pk,
            "full_name": "Dana Notreal",
            "country": "US",
            "new_organization": "Example Youth Org",
            "title": "Trainer",
            "role": "panelist",
        },
    )

    assert response.status_code == 302
    person = Person.objects.get(full_name="Dana Notreal")
    assert person.country.code == "US"
    assert [(a.organization.name, a.title) for a in Affiliation.objects.filter(person=person)] == [
        ("Example Youth Org", "Trainer")
    ]
    appearance = Appearance.objects.get(person=person)
    assert (appearance.session, appearance.role, appearance.affiliation_as_printed) == (
        session,
        "panelist",
        "Trainer, Example Youth Org",
    )


def test_its_speakers_know_its_topics(client, editor):
    area = make_area("Victim services", code="victim-services")
    session = SessionFactory()
    session.topics.add(area)
    appearance = AppearanceFactory(session=session)
    AppearanceFactory(session=session, person=None, organization=OrganizationFactory())

    assert record_speakers_expertise(Session.objects.filter(pk=session.pk)) == 1
    assert record_speakers_expertise(Session.objects.filter(pk=session.pk)) == 0
    link = PersonExpertise.objects.get()
    assert (link.person_id, link.area, link.appearance) == (appearance.person_id, area, appearance)

    response = client.post(
        "/admin/conference/session/", {"action": "speakers_know_topics", "_selected_action": [session.pk]}
    )
    assert response.status_code == 302


def test_the_evidence_picker_offers_only_this_persons_appearances(client, role_user):
    client.force_login(role_user("Administrator"))
    mine = AppearanceFactory()
    AppearanceFactory()  # someone else's

    form = client.get(f"/admin/partners/person/{mine.person_id}/change/").context["inline_admin_formsets"]
    expertise = next(f for f in form if f.formset.model is PersonExpertise)
    choices = [value for value, _label in expertise.formset.empty_form.fields["appearance"].choices if value]
    assert [int(str(value)) for value in choices] == [mine.pk]


def test_event_kind_untouched():
    assert Event.Kind.CONFERENCE == "conference"
