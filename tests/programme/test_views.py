"""The admin page "Import a programme", the agenda template download and the command."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from conference.models import Appearance, Event, Session
from partners.models import Person
from programme.formats.agenda import template_headers
from tests.factories import PersonFactory
from tests.programme.files import agenda_csv, frab_json

pytestmark = pytest.mark.django_db

URL = "/admin/conference/event/import-programme/"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def editor(client, role_user):
    user = role_user("Editor")
    client.force_login(user)
    return user


def upload(client, content, name, **data):
    return client.post(
        URL, {"step": "preview", "file": SimpleUploadedFile(name, content), **data}, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_preview_then_confirm(client, editor):
    preview = upload(client, agenda_csv(), "agenda.csv")

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Nothing has been written yet." in page or "尚未寫入" in page
    assert "2023-03-15 11:45–12:00 America/New_York (UTC−04:00)" in page
    assert "2023-03-15 23:45–2023-03-16 00:00 Taipei time (UTC+08:00)" in page
    assert Session.objects.count() == 0
    token = preview.context["token"]

    done = client.post(URL, {"step": "confirm", "token": token, "event": "", "time_zone": ""})

    event = Event.objects.get()
    assert done.status_code == 302 and done.url == reverse("admin:conference_event_change", args=[event.pk])
    assert Session.objects.count() == 3
    assert Appearance.objects.count() == 4


def test_decisions_in_the_preview(client, editor):
    stored = PersonFactory(full_name="Casey Fictional")
    preview = upload(client, agenda_csv(), "agenda.csv")
    token = preview.context["token"]
    assert [s.label for s in preview.context["speakers_to_decide"]] == ["Casey Fictional"]

    undecided = client.post(URL, {"step": "confirm", "token": token})
    assert undecided.status_code == 200 and Session.objects.count() == 0

    client.post(URL, {"step": "confirm", "token": token, "decision-1": str(stored.pk)})
    assert Appearance.objects.get(session__title="Welcome").person == stored
    assert Person.objects.filter(full_name="Casey Fictional").count() == 1


def test_an_error_shows_where_and_offers_no_confirmation(client, editor):
    content = agenda_csv().replace(b"2023-03-15,13:30", b"2023-03-15,31:30")

    preview = upload(client, content, "agenda.csv")

    page = preview.content.decode()
    assert "row 5" in page or "第 5 列" in page
    assert 'value="confirm"' not in page


def test_a_file_error_is_shown_on_the_form(client, editor):
    response = upload(client, frab_json()[:50], "schedule.json")

    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith("The JSON file is malformed")


def test_cancel_writes_nothing(client, editor):
    token = upload(client, frab_json(), "schedule.json").context["token"]

    response = client.post(URL, {"step": "cancel", "token": token})

    assert response.status_code == 302
    assert Event.objects.count() == 0


def test_only_editors_may_import(client, role_user):
    client.force_login(role_user("Viewer"))

    assert client.get(URL).status_code == 403


def test_event_list_links_to_the_import(client, editor):
    page = client.get("/admin/conference/event/").content.decode()

    assert URL in page


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_agenda_template_downloads_with_its_headers(client, editor, extension):
    response = client.get(f"{URL}agenda-template.{extension}")

    content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert content == (ROOT / "docs" / f"agenda-template.{extension}").read_bytes()
    if extension == "csv":
        assert content.decode("utf-8-sig").strip().split(",") == template_headers()
    else:
        assert [cell.value for cell in load_workbook(io.BytesIO(content)).active[1]] == template_headers()


def test_command_imports_and_exits_zero(tmp_path, capsys):
    path = tmp_path / "agenda.csv"
    path.write_bytes(agenda_csv())

    call_command("import_programme", str(path))

    assert "3 new" in capsys.readouterr().out
    assert Session.objects.get(title="Welcome").starts_at == dt.datetime(2023, 3, 15, 15, 45, tzinfo=dt.UTC)


def test_command_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "schedule.json"
    path.write_bytes(frab_json())

    call_command("import_programme", str(path), "--dry-run")

    assert Event.objects.count() == 0


def test_command_refuses_a_bad_file_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "agenda.csv"
    path.write_bytes(agenda_csv().replace(b"2023-03-15,13:30", b"2023-02-30,13:30"))

    with pytest.raises(CommandError, match="Nothing was imported from agenda.csv"):
        call_command("import_programme", str(path))

    assert "row 5, column “date”: 2023-02-30 is not a date in the calendar" in capsys.readouterr().err
    assert Event.objects.count() == 0


def test_command_event_and_time_zone(tmp_path):
    from tests.factories import EventFactory

    event = EventFactory(name="Named", time_zone="America/New_York")
    path = tmp_path / "agenda.csv"
    # No time zone column: the --time-zone answers.
    path.write_bytes(agenda_csv().replace(b"America/New_York", b""))

    call_command("import_programme", str(path), "--event", str(event.pk), "--time-zone", "Asia/Bangkok")

    assert event.sessions.get(title="Welcome").starts_at == dt.datetime(2023, 3, 15, 4, 45, tzinfo=dt.UTC)
    with pytest.raises(CommandError, match="not an IANA time zone"):
        call_command("import_programme", str(path), "--time-zone", "Bangkok")


def test_confirming_with_its_speakers_know_its_topics(client, editor):
    from partners.models import PersonExpertise
    from tests.factories import make_area

    area = make_area("Victim services", code="victim-services")
    preview = upload(client, agenda_csv(), "agenda.csv")
    assert [(t.label, t.area_id) for t in preview.context["plan"].topics] == [("Victim services", area.pk)]

    client.post(
        URL,
        {"step": "confirm", "token": preview.context["token"], "topic-1": str(area.pk), "expertise_from_topics": "1"},
    )

    links = PersonExpertise.objects.select_related("person", "appearance__session")
    assert sorted((link.person.full_name, link.area_id, link.appearance.session.title) for link in links) == [
        ("Dana Notreal", area.pk, "Keynote"),
        ("Eli Imaginary", area.pk, "Keynote"),
    ]


def test_the_preview_lists_stored_sessions_the_file_no_longer_has(client, editor):
    import copy

    from programme.importing import import_programme
    from tests.programme.files import FRAB_JSON

    import_programme(frab_json(), filename="schedule.json", dry_run=False)
    event = Event.objects.get()
    shorter = copy.deepcopy(FRAB_JSON)
    shorter["schedule"]["conference"]["days"][0]["rooms"]["Hall A"].pop(1)

    preview = upload(client, frab_json(shorter), "schedule.json", event=event.pk)

    page = preview.content.decode()
    section = page.split('id="import-dropped"')[1].split("</table>")[0]
    panel = Session.objects.get(external_key="11111111-0000-4000-8000-000000000002")
    assert section.count('class="dropped-session"') == 1
    assert reverse("admin:conference_session_change", args=[panel.pk]) in section
    assert "America/New_York" in section  # the time says its zone
    assert Session.objects.count() == 2
