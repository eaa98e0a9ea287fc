"""Every export path asks its purpose first and logs it with the people included: the finder's downloads,
the printable sheet, the admin's export actions on people and on candidacies, and export_contacts."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from conference.models import Candidacy
from contact_sheets.formats import FORMATS
from partners.models import ExportLog, ExportPurpose
from partners.roles import ADMINISTRATOR, VIEWER
from tests.factories import CandidacyFactory, WorkshopFactory, make_contact_sheet_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people():
    return [
        make_contact_sheet_person("Rose Example", "範例玫瑰", country="US"),
        make_contact_sheet_person("Ivy Example", "範例長春藤", country="US", email="ivy@example.org"),
    ]


@pytest.fixture
def viewer(role_user):
    client = Client()
    client.force_login(role_user(VIEWER))
    client.cookies["django_language"] = "en"
    return client


def invitation():
    return ExportPurpose.objects.get(name="Workshop invitation")


def is_purpose_form(response):
    templates = [template.name for template in response.templates]
    return response.status_code == 200 and templates[:1] == ["privacy/export_purpose.html"]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_finder_download_asks_the_purpose_then_logs_it_with_the_people(viewer, people, fmt):
    url = reverse("contact-sheet-export")
    query = {"format": fmt, "ids": [person.pk for person in people]}

    asked = viewer.get(url, query)
    assert is_purpose_form(asked)
    assert ExportLog.objects.count() == 0
    # The form sends the same request again, every parameter kept.
    assert {name for name, _value in asked.context["kept"]} == {"format", "ids"}
    assert asked.context["method"] == "GET"
    refused = viewer.get(url, {**query, "purpose": "", "purpose_detail": " "})
    assert is_purpose_form(refused) and refused.context["form"].errors

    done = viewer.get(url, {**query, "purpose": invitation().pk, "purpose_detail": "Workshop 2027"})

    assert done.status_code == 200 and not is_purpose_form(done)
    entry = ExportLog.objects.get()
    assert (entry.purpose, entry.purpose_detail, entry.row_count) == (invitation(), "Workshop 2027", 2)
    assert entry.people_ids == sorted(person.pk for person in people)


def test_the_printable_sheet_asks_the_purpose_and_logs_the_people_printed(viewer, people):
    asked = viewer.get(reverse("contact-sheet"), {"country": "US"})
    assert is_purpose_form(asked)

    done = viewer.get(reverse("contact-sheet"), {"country": "US", "purpose_detail": "Post briefing in Manila"})

    assert "Rose Example" in done.content.decode()
    entry = ExportLog.objects.get()
    assert (entry.format, entry.purpose, entry.purpose_detail) == ("html", None, "Post briefing in Manila")
    assert entry.people_ids == sorted(person.pk for person in people)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_admin_export_action_asks_the_purpose_then_exports_the_selection(viewer, people, fmt):
    url = reverse("admin:partners_person_changelist") + "?country__exact=US"
    data = {"action": f"export_contact_sheet_{fmt}", "_selected_action": [people[0].pk], "index": "0"}

    asked = viewer.post(url, data)
    assert is_purpose_form(asked)
    assert (asked.context["method"], asked.context["action"]) == ("POST", url)
    kept = dict(asked.context["kept"])
    assert (kept["action"], kept["_selected_action"]) == (f"export_contact_sheet_{fmt}", str(people[0].pk))
    assert ExportLog.objects.count() == 0

    done = viewer.post(url, {**data, "purpose": invitation().pk})

    assert done.status_code == 200 and not is_purpose_form(done)
    entry = ExportLog.objects.get()
    assert (entry.source, entry.purpose, entry.people_ids) == ("admin-people", invitation(), [people[0].pk])


def test_the_candidacy_export_action_asks_the_purpose(role_user, people):
    workshop = WorkshopFactory()
    candidacy = CandidacyFactory(workshop=workshop, person=people[1], suitability=Candidacy.Suitability.SUITABLE)
    client = Client()
    client.force_login(role_user(ADMINISTRATOR))
    url = reverse("admin:conference_candidacy_changelist")
    data = {"action": "export_candidates_csv", "_selected_action": [candidacy.pk], "index": "0"}

    assert is_purpose_form(client.post(url, data))
    done = client.post(url, {**data, "purpose_detail": "Invitations for the workshop"})

    assert done["Content-Type"].startswith("text/csv")
    entry = ExportLog.objects.get()
    assert (entry.source, entry.purpose_detail, entry.people_ids) == (
        "admin-candidacies",
        "Invitations for the workshop",
        [people[1].pk],
    )


def test_export_contacts_needs_a_purpose_exit_status_2_and_nothing_written(people, tmp_path):
    target = tmp_path / "sheet.csv"
    run = subprocess.run(
        [sys.executable, "manage.py", "export_contacts", "--format", "csv", "-o", str(target)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:////nonexistent/never-opened.sqlite3"},
    )
    assert run.returncode == 2
    assert "--purpose" in run.stderr
    assert not target.exists()

    with pytest.raises(CommandError, match="purpose") as refused:
        call_command("export_contacts", "--purpose", "  ", "-o", str(target))
    assert refused.value.returncode == 2
    assert not target.exists()
    assert ExportLog.objects.count() == 0


def test_export_contacts_logs_its_purpose_and_people(people, tmp_path):
    target = tmp_path / "sheet.csv"

    call_command("export_contacts", "--purpose", "工作坊邀請", "-o", str(target), stderr=None)
    call_command("export_contacts", "--purpose", "Briefing the Manila post", "--country", "US", "-o", str(target))

    first, second = ExportLog.objects.order_by("pk")
    assert (first.username, first.purpose, first.purpose_detail) == ("command", invitation(), "")
    assert (second.purpose, second.purpose_detail) == (None, "Briefing the Manila post")
    assert first.people_ids == second.people_ids == sorted(person.pk for person in people)
