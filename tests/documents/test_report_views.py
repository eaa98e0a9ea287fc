"""The trip report from the conference's page and from the command line: rights, the export log, errors."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document

from partners.models import ExportLog
from tests.factories import ContactMethodFactory

pytestmark = pytest.mark.django_db


def report_url(event, **query):
    url = reverse("documents:trip-report", args=[event.pk])
    return f"{url}?contacts=1" if query.get("contacts") else url


PURPOSE = {"purpose_detail": "Post briefing"}


def test_whoever_may_view_the_conference_downloads_its_report(client, role_user, conference):
    viewer = role_user("Viewer")
    client.force_login(viewer)

    response = client.get(report_url(conference))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="trip-report-2022-freedom-network-usa-2022-annual-conference.docx"'
    )
    assert Document(io.BytesIO(response.content)).paragraphs[0].text == "2022年美國防制人口販運自由聯盟會議"
    entry = ExportLog.objects.get()
    assert (entry.user, entry.username, entry.format, entry.source, entry.row_count) == (
        viewer,
        viewer.username,
        "docx",
        "trip-report",
        10,
    )
    assert entry.filters == {"event": conference.pk, "contacts": False}


def test_no_report_without_the_right_to_view_events(client, make_user, conference):
    client.force_login(make_user("outsider", "partners.view_person"))

    assert client.get(report_url(conference)).status_code == 403
    client.logout()
    assert client.get(report_url(conference)).status_code == 302  # to the log-in page
    assert not ExportLog.objects.exists()


def test_contact_details_need_the_right_to_export(client, make_user, role_user, conference):
    ContactMethodFactory(person__full_name="Listed Example", value="listed@example.test")
    reader = make_user("reader", "conference.view_event")
    client.force_login(reader)
    assert client.get(report_url(conference, contacts=True)).status_code == 403
    assert not ExportLog.objects.exists()

    viewer = role_user("Viewer")  # holds partners.export_person
    client.force_login(viewer)
    response = client.get(report_url(conference), {"contacts": "1", **PURPOSE})

    assert response.status_code == 200
    assert ExportLog.objects.get().filters == {"event": conference.pk, "contacts": True}


def test_contact_details_in_the_annex_need_a_purpose_and_log_the_people(client, role_user, conference):
    client.force_login(role_user("Viewer"))

    asked = client.get(report_url(conference, contacts=True))

    assert asked.status_code == 200 and "attachment" not in asked.get("Content-Disposition", "")
    assert 'name="purpose_detail"' in asked.content.decode()
    assert not ExportLog.objects.exists()

    response = client.get(report_url(conference), {"contacts": "1", **PURPOSE})

    assert response["Content-Disposition"].startswith("attachment;")
    entry = ExportLog.objects.get()
    assert entry.purpose_detail == "Post briefing"
    listed = sorted(int(pk) for pk in entry.person_ids.strip(",").split(","))
    speakers = sorted(
        {
            a.person_id
            for s in conference.sessions.all()
            for a in s.appearances.all()
            if a.person_id and not a.person.sensitive
        }
    )
    assert listed == speakers and len(listed) > 0


def test_a_workshop_has_no_trip_report(client, role_user, seed_workshop):
    client.force_login(role_user("Viewer"))

    assert client.get(report_url(seed_workshop)).status_code == 404


def test_the_event_page_offers_the_documents_it_may(client, role_user, conference, seed_workshop):
    client.force_login(role_user("Viewer"))
    page = client.get(reverse("admin:conference_event_change", args=[conference.pk])).content.decode()
    assert report_url(conference) in page
    assert reverse("documents:calendar", args=[conference.pk]) in page
    workshop_page = client.get(reverse("admin:conference_event_change", args=[seed_workshop.pk])).content.decode()
    assert reverse("documents:letters", args=[seed_workshop.pk]) not in workshop_page

    client.force_login(role_user("Coordinator"))
    workshop_page = client.get(reverse("admin:conference_event_change", args=[seed_workshop.pk])).content.decode()
    assert reverse("documents:letters", args=[seed_workshop.pk]) in workshop_page


def test_command_writes_the_report_and_logs_it(conference, tmp_path):
    output = tmp_path / "report.docx"

    call_command("report_conference", str(conference.pk), "--format", "docx", "-o", str(output), stdout=io.StringIO())

    document = Document(output)
    assert len(document.tables[1].rows) == 11  # the agenda: a header and ten sessions
    entry = ExportLog.objects.get()
    assert (entry.user, entry.username, entry.format, entry.source, entry.row_count) == (
        None,
        "command",
        "docx",
        "trip-report",
        10,
    )


def test_command_refuses_a_workshop_a_missing_event_and_a_missing_folder(conference, seed_workshop, tmp_path):
    with pytest.raises(CommandError, match="one of our workshops"):
        call_command("report_conference", str(seed_workshop.pk), "-o", str(tmp_path / "r.docx"))
    with pytest.raises(CommandError, match="No event with id 999999"):
        call_command("report_conference", "999999", "-o", str(tmp_path / "r.docx"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("report_conference", str(conference.pk), "-o", str(tmp_path / "nowhere" / "r.docx"))
    assert not ExportLog.objects.exists()
