"""Programme import, end to end for each format: sessions, instants, speakers, roles, organizations."""

import copy
import datetime as dt
import json
import zoneinfo

import pytest

from conference.models import Appearance, Event, Session
from partners.models import Affiliation, Organization, Person
from programme.importing import import_programme
from programme.models import TopicMapping
from tests.factories import AffiliationFactory, EventFactory, OrganizationFactory, PersonFactory, make_area
from tests.programme.files import AGENDA_ROWS, FRAB_JSON, FRAB_XML, agenda_csv, frab_json

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = dt.UTC


def counts():
    return (
        Event.objects.count(),
        Session.objects.count(),
        Person.objects.count(),
        Organization.objects.count(),
        Appearance.objects.count(),
        Affiliation.objects.count(),
    )


def speakers_of(session):
    return [
        (a.person.full_name if a.person else None, a.organization.name if a.organization else None, a.role)
        for a in session.appearances.order_by("order")
    ]


@pytest.mark.parametrize(("content", "filename"), [(frab_json(), "schedule.json"), (FRAB_XML.encode(), "schedule.xml")])
def test_frab_schedule_imported_session_by_session(content, filename):
    plan = import_programme(content, filename=filename, dry_run=False)

    assert plan.ok, (plan.file_errors, plan.errors)
    event = Event.objects.get()
    assert (event.name, event.time_zone, event.start_date) == (
        "Invented Trafficking Conference 2022",
        "America/New_York",
        dt.date(2022, 3, 15),
    )
    opening, panel = Session.objects.order_by("starts_at")
    assert (opening.title, opening.kind, opening.external_key) == (
        "Opening keynote",
        "keynote",
        "11111111-0000-4000-8000-000000000001",
    )
    assert opening.starts_at == dt.datetime(2022, 3, 15, 13, 0, tzinfo=UTC)
    assert opening.ends_at == dt.datetime(2022, 3, 15, 14, 0, tzinfo=UTC)
    assert panel.starts_at == dt.datetime(2022, 3, 15, 14, 30, tzinfo=UTC)
    assert panel.ends_at == dt.datetime(2022, 3, 15, 16, 0, tzinfo=UTC)
    assert speakers_of(opening) == [("Avery Invented", None, "speaker")]
    assert speakers_of(panel) == [("Avery Invented", None, "speaker"), ("Blake Madeup", None, "speaker")]
    assert Person.objects.count() == 2


@pytest.mark.parametrize(("content", "filename"), [(frab_json(), "schedule.json"), (FRAB_XML.encode(), "schedule.xml")])
def test_the_same_file_twice_changes_nothing(content, filename):
    import_programme(content, filename=filename, dry_run=False)
    before = counts()
    stored = list(Session.objects.values_list("pk", "title", "starts_at", "ends_at"))

    plan = import_programme(content, filename=filename, dry_run=False)

    assert plan.ok
    assert plan.counts["sessions"] == {"new": 0, "update": 0, "unchanged": 2}
    assert plan.counts["people"] == {"new": 0, "matched": 2, "decide": 0}
    assert plan.counts["appearances"] == {"new": 0, "update": 0, "unchanged": 3}
    assert counts() == before
    assert list(Session.objects.values_list("pk", "title", "starts_at", "ends_at")) == stored


def test_an_updated_programme_updates_what_changed():
    import_programme(frab_json(), filename="schedule.json", dry_run=False)
    changed = copy.deepcopy(FRAB_JSON)
    room = changed["schedule"]["conference"]["days"][0]["rooms"]["Hall A"]
    room[1]["date"] = "2022-03-15T11:00:00-04:00"
    room[1]["persons"].append({"code": "CORA3", "public_name": "Cora Pretend"})

    plan = import_programme(frab_json(changed), filename="schedule.json", dry_run=False)

    assert plan.counts["sessions"] == {"new": 0, "update": 1, "unchanged": 1}
    assert plan.counts["appearances"]["new"] == 1
    panel = Session.objects.get(external_key="11111111-0000-4000-8000-000000000002")
    assert panel.starts_at == dt.datetime(2022, 3, 15, 15, 0, tzinfo=UTC)
    assert [name for name, _org, _role in speakers_of(panel)] == ["Avery Invented", "Blake Madeup", "Cora Pretend"]
    assert Session.objects.count() == 2


def test_offsets_disagreeing_with_the_declared_zone_keep_the_offsets_instant():
    data = copy.deepcopy(FRAB_JSON)
    # New York is UTC−4 on 15 March 2022; this file says −05:00 (the winter offset), as real files do.
    data["schedule"]["conference"]["days"][0]["rooms"]["Hall A"][0]["date"] = "2022-03-15T09:00:00-05:00"

    plan = import_programme(frab_json(data), filename="schedule.json", dry_run=False)

    assert plan.ok
    assert Session.objects.get(title="Opening keynote").starts_at == dt.datetime(2022, 3, 15, 14, 0, tzinfo=UTC)
    assert len(plan.programme.notes) == 1
    assert "-0500" in plan.programme.notes[0] and "America/New_York" in plan.programme.notes[0]


def test_a_file_without_zone_asks_for_one_and_uses_the_answer():
    data = copy.deepcopy(FRAB_JSON)
    del data["schedule"]["conference"]["time_zone_name"]
    for event in data["schedule"]["conference"]["days"][0]["rooms"]["Hall A"]:
        event["date"] = event["date"][:19]  # wall times, no offset

    refused = import_programme(frab_json(data), filename="schedule.json", dry_run=False)
    assert refused.file_errors == ["The file's times carry no time zone: choose the zone they are in (the venue's)."]
    assert Session.objects.count() == 0

    plan = import_programme(frab_json(data), filename="schedule.json", dry_run=False, time_zone="Asia/Bangkok")
    assert plan.ok
    assert Session.objects.get(title="Opening keynote").starts_at == dt.datetime(2022, 3, 15, 2, 0, tzinfo=UTC)
    assert Event.objects.get().time_zone == "Asia/Bangkok"


def test_a_file_without_zone_takes_the_named_events_zone():
    event = EventFactory(time_zone="Europe/Vienna", name="Vienna Forum")
    data = copy.deepcopy(FRAB_JSON)
    del data["schedule"]["conference"]["time_zone_name"]
    for item in data["schedule"]["conference"]["days"][0]["rooms"]["Hall A"]:
        item["date"] = item["date"][:19]

    plan = import_programme(frab_json(data), filename="schedule.json", dry_run=False, event=event)

    assert plan.ok
    assert list(event.sessions.values_list("starts_at", flat=True)) == [
        dt.datetime(2022, 3, 15, 8, 0, tzinfo=UTC),
        dt.datetime(2022, 3, 15, 9, 30, tzinfo=UTC),
    ]


def test_a_stored_speaker_is_matched_not_duplicated():
    organization = OrganizationFactory(name="Example Youth Org")
    dana = PersonFactory(full_name="Dana Notreal")
    AffiliationFactory(person=dana, organization=organization)

    plan = import_programme(agenda_csv(), filename="agenda.csv", dry_run=False)

    assert plan.ok
    matched = [speaker for speaker in plan.speakers if speaker.status == "matched"]
    assert [(speaker.person_id, speaker.reasons) for speaker in matched] == [
        (dana.pk, ["same name at the same organization"])
    ]
    assert Person.objects.filter(full_name="Dana Notreal").count() == 1
    assert Appearance.objects.filter(person=dana, session__title="Keynote").exists()


def test_a_possible_match_waits_for_a_decision():
    stored = PersonFactory(full_name="Casey Fictional")

    plan = import_programme(agenda_csv(), filename="agenda.csv", dry_run=False)

    assert not plan.committed
    assert [(s.label, [c.person_id for c in s.candidates]) for s in plan.undecided] == [
        ("Casey Fictional", [stored.pk])
    ]
    assert Session.objects.count() == 0

    decided = import_programme(agenda_csv(), filename="agenda.csv", dry_run=False, decisions={1: str(stored.pk)})
    assert decided.committed
    assert Appearance.objects.get(session__title="Welcome").person == stored


def test_agenda_spreadsheet_end_to_end():
    plan = import_programme(agenda_csv(), filename="agenda.csv", dry_run=False)

    assert plan.ok, plan.errors
    event = Event.objects.get()
    assert (event.name, event.name_zh, event.city, event.country.code, event.time_zone) == (
        "Invented Summit 2023",
        "虛構高峰會2023",
        "Miami",
        "US",
        "America/New_York",
    )
    welcome, keynote, fed = Session.objects.order_by("starts_at")
    assert (welcome.title_zh, welcome.kind, welcome.starts_at, welcome.ends_at) == (
        "致歡迎詞",
        "welcome",
        dt.datetime(2023, 3, 15, 15, 45, tzinfo=UTC),
        dt.datetime(2023, 3, 15, 16, 0, tzinfo=UTC),
    )
    assert speakers_of(keynote) == [
        ("Dana Notreal", "Example Youth Org", "speaker"),
        ("Eli Imaginary", "Example Youth Org", "moderator"),
    ]
    assert speakers_of(fed) == [(None, "Office for Invented Crime", "presenter")]
    assert Organization.objects.get(name="Office for Invented Crime").parent.name == "Department of Examples"
    dana = Person.objects.get(full_name="Dana Notreal")
    assert dana.country.code == "US"
    assert [(a.organization.name, a.title) for a in dana.affiliations.all()] == [("Example Youth Org", "Trainer")]
    assert dana.contact_methods.get().value == "dana@example.org"
    assert Appearance.objects.get(person=dana).affiliation_as_printed == "Trainer, Example Youth Org"

    again = import_programme(agenda_csv(), filename="agenda.csv", dry_run=False)
    assert again.counts["sessions"] == {"new": 0, "update": 0, "unchanged": 3}
    assert again.counts["appearances"] == {"new": 0, "update": 0, "unchanged": 4}
    assert Person.objects.count() == 3


def test_topics_map_to_areas_and_the_mapping_is_remembered():
    services = make_area("Victim services", code="victim-services")
    other = make_area("Shelters", code="shelters")

    first = import_programme(frab_json(), filename="schedule.json", dry_run=False)
    assert [(t.label, t.area_id) for t in first.topics] == [("Victim services", services.pk)]
    assert list(Session.objects.get(title="Opening keynote").topics.all()) == [services]

    # The user maps the track to another area in a preview; the next file gets that area.
    Event.objects.all().delete()
    Person.objects.all().delete()
    second = import_programme(frab_json(), filename="schedule.json", dry_run=False, topic_choices={1: str(other.pk)})
    assert second.committed
    assert TopicMapping.objects.get().area == other
    plan = import_programme(frab_json(), filename="schedule.json", dry_run=True)
    assert [(t.label, t.area_id, t.remembered) for t in plan.topics] == [("Victim services", other.pk, True)]


def test_dry_run_writes_nothing():
    plan = import_programme(agenda_csv(), filename="agenda.csv", dry_run=True)

    assert plan.ok and not plan.committed
    assert counts() == (0, 0, 0, 0, 0, 0)
    assert plan.counts["sessions"]["new"] == 3


def test_agenda_xlsx_reads_like_the_csv():
    import io

    from openpyxl import load_workbook

    from programme.formats.agenda import write_agenda_template

    workbook = load_workbook(io.BytesIO(write_agenda_template("xlsx")))
    for row in AGENDA_ROWS:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)

    plan = import_programme(stream.getvalue(), filename="agenda.xlsx", dry_run=False)

    assert plan.ok, plan.errors
    assert Session.objects.count() == 3
    assert json.dumps(sorted(Session.objects.values_list("title", flat=True))) == '["Ask a Fed", "Keynote", "Welcome"]'


def test_sessions_typed_by_hand_are_found_by_start_and_title():
    from tests.factories import SessionFactory

    event = EventFactory(name="Invented Trafficking Conference 2022", time_zone="America/New_York")
    typed = SessionFactory(
        event=event,
        title="Opening keynote",
        kind="keynote",
        starts_at=dt.datetime(2022, 3, 15, 13, 0, tzinfo=UTC),
        ends_at=dt.datetime(2022, 3, 15, 14, 0, tzinfo=UTC),
    )

    plan = import_programme(frab_json(), filename="schedule.json", dry_run=False)

    assert plan.ok
    assert event.sessions.count() == 2
    typed.refresh_from_db()
    assert typed.external_key == "11111111-0000-4000-8000-000000000001"
    assert [change.column for change in plan.sessions[0].changes] == ["summary", "id in the imported programme"]


def test_sessions_an_earlier_file_brought_and_this_one_drops_are_listed_and_kept():
    import_programme(frab_json(), filename="schedule.json", dry_run=False)
    event = Event.objects.get()
    typed = Session.objects.create(
        event=event, title="Typed in by hand", starts_at=dt.datetime(2022, 3, 15, 20, 0, tzinfo=UTC),
        ends_at=dt.datetime(2022, 3, 15, 21, 0, tzinfo=UTC),
    )
    shorter = copy.deepcopy(FRAB_JSON)
    room = shorter["schedule"]["conference"]["days"][0]["rooms"]["Hall A"]
    panel_key = room.pop(1)["guid"]

    plan = import_programme(frab_json(shorter), filename="schedule.json", dry_run=False)

    assert plan.ok
    panel = Session.objects.get(external_key=panel_key)
    assert plan.dropped == [panel]  # the hand-typed session came from no file: not listed
    assert plan.dropped[0].speaker_count == 2
    assert Session.objects.filter(pk__in=[panel.pk, typed.pk]).count() == 2  # listed, never deleted
    assert panel.appearances.count() == 2
    again = import_programme(frab_json(), filename="schedule.json", dry_run=True)
    assert again.dropped == []
