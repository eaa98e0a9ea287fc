"""Journey: the 2022 Freedom Network USA programme typed into the agenda template and imported.

Starts in a database without the seed: download the template from the import page, fill it (here,
from the seed record's sessions and speakers, as an officer would from the report), upload it,
confirm. The clicks are counted (≤ 12) and the sessions, speakers and Taipei times compared with
the seed record's.
"""

import datetime as dt
import io
import json
import zoneinfo
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from conference.models import Appearance, Session
from tests.e2e.axe import assert_accessible
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "fnusa_2022.json"
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
EVENT_UUID = "38cadbeb-8b09-5642-84bd-6cd783a8f2fc"


def seed_programme():
    """The conference's sessions and appearances as the seed record holds them."""
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    by_model = {}
    for record in records:
        if "uuid" in record["fields"]:
            by_model.setdefault(record["model"], {})[record["fields"]["uuid"]] = record["fields"]
    event = by_model["conference.event"][EVENT_UUID]
    sessions = {
        key: fields for key, fields in by_model["conference.session"].items() if fields["event"] == [EVENT_UUID]
    }
    appearances = [fields for fields in by_model["conference.appearance"].values() if fields["session"][0] in sessions]
    return event, sessions, appearances, by_model["partners.person"], by_model["partners.organization"]


def filled_template(template_bytes):
    """The downloaded template with one row per appearance, times as Miami's programme prints them."""
    event, sessions, appearances, people, organizations = seed_programme()
    zone = zoneinfo.ZoneInfo(event["time_zone"])
    workbook = load_workbook(io.BytesIO(template_bytes))
    sheet = workbook.active
    first = True
    for session_key, session in sorted(sessions.items(), key=lambda item: item[1]["starts_at"]):
        start = dt.datetime.fromisoformat(session["starts_at"]).astimezone(zone)
        end = dt.datetime.fromisoformat(session["ends_at"]).astimezone(zone)
        rows = sorted((a for a in appearances if a["session"][0] == session_key), key=lambda a: a["order"]) or [None]
        for appearance in rows:
            person = people[appearance["person"][0]] if appearance and appearance["person"] else None
            organization = (
                organizations[appearance["organization"][0]] if appearance and appearance["organization"] else None
            )
            sheet.append(
                [
                    event["name"] if first else "",
                    event["name_zh"] if first else "",
                    event["city"] if first else "",
                    event["country"] if first else "",
                    event["time_zone"] if first else "",
                    f"{start:%Y-%m-%d}",
                    f"{start:%H:%M}",
                    f"{end:%H:%M}",
                    "",
                    session["title"],
                    session["title_zh"],
                    session["kind"],
                    "",
                    person["full_name"] if person else "",
                    person["name_zh"] if person else "",
                    organization["name"] if organization else "",
                    "",
                    "",
                    appearance["role"] if appearance else "",
                    "",
                ]
            )
            first = False
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def expected():
    event, sessions, appearances, people, _organizations = seed_programme()
    times = sorted(
        (s["title"], dt.datetime.fromisoformat(s["starts_at"]), dt.datetime.fromisoformat(s["ends_at"]))
        for s in sessions.values()
    )
    speakers = sorted(
        (sessions[a["session"][0]]["title"], people[a["person"][0]]["full_name"], a["role"])
        for a in appearances
        if a["person"]
    )
    return times, speakers


def test_the_fnusa_programme_from_the_template_in_twelve_clicks(page, login, tmp_path):
    assert Session.objects.count() == 0  # no seed in this database
    login(UserFactory(username="desk-officer", is_superuser=True))
    clicks = 0

    def click(selector):
        nonlocal clicks
        clicks += 1
        page.click(selector)

    click(".language-switch button[value=en]")
    click("a[href='/admin/conference/event/']")
    click("a.import-programme")
    with page.expect_download() as download_info:
        click("a.agenda-template")
    template = Path(download_info.value.path()).read_bytes()
    filled = tmp_path / "fnusa-2022-agenda.xlsx"
    filled.write_bytes(filled_template(template))

    clicks += 1  # choosing the file
    page.set_input_files("#id_file", str(filled))
    click("input[type=submit].default")
    expect(page.locator("#import-summary .count-sessions-new")).to_have_text("10")
    expect(page.locator("#import-summary .count-people-new")).to_have_text("20")
    expect(page.locator("#import-sessions")).to_contain_text("Taipei time")
    assert_accessible(page, "the programme preview")
    click("button[value=confirm]")
    expect(page.locator(".messagelist .success")).to_contain_text("10 new sessions")

    assert clicks <= 12
    times, speakers = expected()
    stored_times = sorted(Session.objects.values_list("title", "starts_at", "ends_at"))
    assert [(t, s.astimezone(TAIPEI), e.astimezone(TAIPEI)) for t, s, e in stored_times] == [
        (t, s.astimezone(TAIPEI), e.astimezone(TAIPEI)) for t, s, e in times
    ]
    stored_speakers = sorted(
        Appearance.objects.filter(person__isnull=False).values_list("session__title", "person__full_name", "role")
    )
    assert stored_speakers == speakers
    assert len({name for _title, name, _role in stored_speakers}) == 20
    expect(page.locator("#event-programme")).to_contain_text("Taipei time")
