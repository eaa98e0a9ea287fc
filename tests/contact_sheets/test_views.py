"""Export paths (printable sheet, downloads, admin actions) and the admin import: permissions, logs, selection."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partners.models import ExportLog, Person
from tests.factories import (
    CandidacyFactory,
    OrganizationFactory,
    WorkshopFactory,
    make_area,
    make_contact_sheet_person,
)

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("contact-sheet-export")
SHEET_URL = reverse("contact-sheet")
PEOPLE_URL = reverse("admin:partners_person_changelist")
IMPORT_URL = reverse("admin:partners_person_import")


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def csv_names(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return sorted(row[1] for row in rows[1:])


# -- permissions --------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client):
    for url in (SHEET_URL, EXPORT_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_exporting_without_the_permission_is_refused(client, make_user):
    make_contact_sheet_person()
    login(client, make_user("viewer", "partners.view_person"))

    assert client.get(SHEET_URL).status_code == 403
    assert client.get(EXPORT_URL, {"format": "csv"}).status_code == 403
    assert client.get(EXPORT_URL, {"format": "vcf", "ids": Person.objects.get().pk}).status_code == 403
    assert ExportLog.objects.count() == 0


def test_no_export_action_without_the_permission(client, make_user):
    person = make_contact_sheet_person()
    login(client, make_user("viewer", "partners.view_person"))

    page = client.get(PEOPLE_URL)
    refused = client.post(PEOPLE_URL, {"action": "export_contact_sheet_csv", "_selected_action": [person.pk]})

    action_form = page.context["action_form"]
    actions = [name for name, _label in action_form.fields["action"].choices] if action_form else []
    assert not [name for name in actions if name.startswith("export_")]
    assert "Content-Disposition" not in refused
    assert ExportLog.objects.count() == 0


def test_export_actions_are_offered_with_the_permission(client, make_user):
    make_contact_sheet_person()
    login(client, make_user("officer", "partners.view_person", "partners.export_person"))

    page = client.get(PEOPLE_URL)

    actions = [name for name, _label in page.context["action_form"].fields["action"].choices]
    assert [name for name in actions if name.startswith("export_")] == [
        "export_contact_sheet_csv",
        "export_contact_sheet_xlsx",
        "export_contact_sheet_json",
        "export_contact_sheet_vcf",
        "export_contact_sheet_html",
    ]


def test_no_import_button_or_page_without_the_permission(client, make_user):
    login(client, make_user("viewer", "partners.view_person"))

    page = client.get(PEOPLE_URL)

    assert IMPORT_URL not in page.content.decode()
    assert client.get(IMPORT_URL).status_code == 403


def test_import_button_and_page_with_the_permission(client, make_user):
    login(client, make_user("editor", "partners.view_person", "partners.import_person"))

    page = client.get(PEOPLE_URL)

    assert IMPORT_URL in page.content.decode()
    assert client.get(IMPORT_URL).status_code == 200


# -- what is exported, and the log --------------------------------------------------------------


def test_an_admin_selection_downloads_and_is_logged(client, make_user):
    chosen = make_contact_sheet_person("Chosen Example", email="chosen@example.org")
    make_contact_sheet_person("Other Example", email="other@example.org")
    user = make_user("officer", "partners.view_person", "partners.export_person")
    login(client, user)

    response = client.post(PEOPLE_URL, {"action": "export_contact_sheet_csv", "_selected_action": [chosen.pk]})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="contact-sheet-')
    assert csv_names(response) == ["Chosen Example"]
    log = ExportLog.objects.get()
    assert (log.user, log.username, log.format, log.source, log.row_count, log.included_sensitive) == (
        user,
        "officer",
        "csv",
        "admin-people",
        1,
        False,
    )
    assert log.filters["ids"] == [chosen.pk]


def test_the_filtered_list_exports_with_select_across(client, make_user):
    make_contact_sheet_person("Us Example", country="US")
    make_contact_sheet_person("Tw Example", country="TW", email="tw@example.org")  # admin filter: own country
    login(client, make_user("officer", "partners.view_person", "partners.export_person"))

    response = client.post(
        PEOPLE_URL + "?country__exact=TW",
        {"action": "export_contact_sheet_csv", "_selected_action": [1], "select_across": "1"},
    )

    assert csv_names(response) == ["Tw Example"]
    assert ExportLog.objects.get().filters == {"admin": {"country__exact": ["TW"]}, "select_across": True}


def test_a_tampered_selection_never_reaches_a_sensitive_person(client, make_user):
    visible = make_contact_sheet_person("Visible Example", email="visible@example.org")
    hidden = make_contact_sheet_person("Hidden Example", email="hidden@example.org", sensitive=True)
    login(client, make_user("officer", "partners.export_person"))

    for fmt in ("csv", "json", "vcf", "xlsx", "html"):
        response = client.get(EXPORT_URL, {"format": fmt, "ids": [visible.pk, hidden.pk]})
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(content)).active
            content = repr([cell.value for row in sheet.iter_rows() for cell in row]).encode()
        assert b"Hidden Example" not in content, fmt
        assert b"Visible Example" in content, fmt

    assert set(ExportLog.objects.values_list("row_count", "included_sensitive")) == {(1, False)}


def test_a_user_allowed_to_see_sensitive_people_exports_them_and_the_log_says_so(client, make_user):
    make_contact_sheet_person("Visible Example", email="visible@example.org")
    hidden = make_contact_sheet_person("Hidden Example", email="hidden@example.org", sensitive=True)
    login(client, make_user("officer", "partners.export_person", "partners.view_sensitive_person"))

    response = client.get(EXPORT_URL, {"format": "csv", "ids": [hidden.pk]})

    assert csv_names(response) == ["Hidden Example"]
    assert ExportLog.objects.get().included_sensitive is True


def test_the_finder_query_string_selects_the_same_people(client, make_user):
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟", code="legal-relief")
    t_visa = make_area("T visa", parent=relief, name_zh="T 簽證", code="t-visa")
    from partners.models import PersonExpertise

    for name, country, area, do_not_contact in [
        ("Match Example", "US", t_visa, False),
        ("Elsewhere Example", "TW", t_visa, False),
        ("Other Field Example", "US", None, False),
        ("Declined Example", "US", t_visa, True),
    ]:
        person = make_contact_sheet_person(
            name,
            email=f"{name.split()[0].lower()}@example.org",
            country=country,
            organization=OrganizationFactory(country=country),
        )
        person.do_not_contact = do_not_contact
        person.save()
        if area:
            PersonExpertise.objects.create(person=person, area=area, note="invented")
    login(client, make_user("officer", "partners.export_person"))

    response = client.get(EXPORT_URL, {"format": "csv", "country": "US", "expertise": relief.pk})

    assert csv_names(response) == ["Match Example"]
    assert isinstance(response, StreamingHttpResponse)
    log = ExportLog.objects.get()
    assert (log.source, log.filters) == ("candidate-finder", {"expertise": [str(relief.pk)], "country": ["US"]})


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("json", "application/json"),
        ("vcf", "text/vcard; charset=utf-8"),
    ],
)
def test_each_format_downloads_with_its_type(client, make_user, fmt, content_type):
    person = make_contact_sheet_person()
    login(client, make_user("officer", "partners.export_person"))

    response = client.get(EXPORT_URL, {"format": fmt, "ids": person.pk})

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    assert ExportLog.objects.get().format == fmt


def test_an_unknown_format_is_a_bad_request(client, make_user):
    login(client, make_user("officer", "partners.export_person"))

    assert client.get(EXPORT_URL, {"format": "exe"}).status_code == 400


def test_the_printable_sheet_shows_its_filters_date_and_groups(client, make_user):
    make_contact_sheet_person("Us Example", country="US")
    make_contact_sheet_person(
        "Ph Example", country="PH", email="ph@example.org", organization=OrganizationFactory(country="PH")
    )
    login(client, make_user("officer", "partners.export_person"))

    response = client.get(SHEET_URL, {"country": "US", "group": "country"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Us Example" in content and "Ph Example" not in content
    assert "Country: United States of America (US)" in content
    assert "Name (original)" in content
    assert "partners/contact_sheet.css" in content
    assert response.context["made_at"].date() is not None
    assert [label for label, _people in response.context["groups"]] == ["美國 United States of America"]
    log = ExportLog.objects.get()
    assert (log.format, log.source, log.row_count) == ("html", "contact-sheet", 1)


def test_the_printable_sheet_for_a_workshop_shows_suitability(client, make_user):
    workshop = WorkshopFactory(name="Digital Investigation Workshop")
    person = make_contact_sheet_person("Candidate Example")
    CandidacyFactory(workshop=workshop, person=person, suitability="suitable", reason="Forensics expert")
    login(client, make_user("officer", "partners.export_person"))

    response = client.get(SHEET_URL, {"ids": person.pk, "workshop": workshop.pk})

    content = response.content.decode()
    assert "Forensics expert" in content and "Suitable" in content


def test_a_workshops_candidacies_export_with_suitability_reason_and_status(client, make_user):
    workshop = WorkshopFactory()
    candidacy = CandidacyFactory(
        workshop=workshop, person=make_contact_sheet_person(), suitability="possible", reason="Maybe", status="invited"
    )
    elsewhere = CandidacyFactory(
        workshop=WorkshopFactory(), person=make_contact_sheet_person("Elsewhere", email="e@example.org")
    )
    login(client, make_user("planner", "conference.view_candidacy", "partners.export_person"))
    url = reverse("admin:conference_candidacy_changelist")

    response = client.post(url, {"action": "export_candidates_csv", "_selected_action": [candidacy.pk]})
    mixed = client.post(url, {"action": "export_candidates_csv", "_selected_action": [candidacy.pk, elsewhere.pk]})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"), newline="")))
    assert rows[0][-3:] == ["Suitability", "Reason", "Invitation status"]
    assert rows[1][-3:] == ["Possible", "Maybe", "Invited"]
    assert ExportLog.objects.get().source == "admin-candidacies"
    assert mixed.status_code == 302
    assert ExportLog.objects.count() == 1


def test_export_view_queries_do_not_grow_with_people(client, make_user):
    login(client, make_user("officer", "partners.export_person"))

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(EXPORT_URL, {"format": "csv"})
            b"".join(response.streaming_content)
        return len(context.captured_queries)

    make_contact_sheet_person("One Example", email="one@example.org")
    with_one = queries()
    make_contact_sheet_person("Two Example", email="two@example.org")
    make_contact_sheet_person("Three Example", email="three@example.org")
    assert queries() == with_one


# -- the admin import ---------------------------------------------------------------------------


def upload(client, text, name="colleague.csv"):
    return client.post(IMPORT_URL, {"step": "preview", "file": SimpleUploadedFile(name, text.encode())})


def test_import_preview_flags_a_duplicate_and_names_a_bad_row_then_imports_the_fixed_file(client, make_user):
    stored = make_contact_sheet_person("Rose Mukhar", email="rose@example.org")
    user = make_user("editor", "partners.view_person", "partners.import_person")
    login(client, user)
    header = "Name (original),Primary e-mail,Country\n"
    bad = header + "Ann Example,ann@example.org,US\nROSE MUKHAR,rose.m@example.org,US\nBob Example,bob@,US\n"

    preview = upload(client, bad)

    content = preview.content.decode()
    assert preview.status_code == 200
    assert preview.context["counts"] == {"new": 1, "update": 0, "unchanged": 0, "duplicate": 1, "error": 1}
    assert "“bob@” is not a valid e-mail address." in content
    assert [(e.row, e.column) for e in preview.context["result"].errors] == [(4, "Primary e-mail")]
    assert 'value="confirm"' not in content
    assert Person.objects.count() == 1

    fixed = upload(client, bad.replace("bob@,", "bob@example.org,"))
    token = fixed.context["token"]
    assert 'value="confirm"' in fixed.content.decode()
    assert f'name="decision-3" value="{stored.pk}"' in fixed.content.decode()

    undecided = client.post(IMPORT_URL, {"step": "confirm", "token": token})
    assert undecided.status_code == 200 and Person.objects.count() == 1

    done = client.post(IMPORT_URL, {"step": "confirm", "token": token, "decision-3": str(stored.pk)})

    assert done.status_code == 302
    assert sorted(Person.objects.values_list("full_name", flat=True)) == ["Ann Example", "Bob Example", "Rose Mukhar"]
    assert stored.contact_methods.filter(value="rose.m@example.org", is_primary=True).exists()
    assert Person.objects.get(full_name="Ann Example").history.get().history_user == user


def test_a_token_from_another_user_is_refused(client, make_user):
    login(client, make_user("editor", "partners.import_person"))
    token = upload(client, "Name (original)\nAnn Example\n").context["token"]
    login(client, make_user("other", "partners.import_person"))

    response = client.post(IMPORT_URL, {"step": "confirm", "token": token})

    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert Person.objects.count() == 0


def test_an_oversized_or_wrong_upload_is_refused_on_the_form(client, make_user):
    login(client, make_user("editor", "partners.import_person"))

    response = client.post(IMPORT_URL, {"step": "preview", "file": SimpleUploadedFile("photo.png", b"\x89PNG")})

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["Only .csv and .xlsx files can be imported."]}
