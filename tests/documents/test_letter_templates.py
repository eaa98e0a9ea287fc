"""The agency's own letter template: uploaded from the admin, checked, then used for the letters."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from conference.models import Candidacy
from documents.letters import default_template
from documents.models import LetterTemplate
from partners.models import ExportLog
from tests.factories import CandidacyFactory, make_contact_sheet_person

pytestmark = pytest.mark.django_db

ADD = reverse("admin:documents_lettertemplate_add")
CHANGELIST = reverse("admin:documents_lettertemplate_changelist")


def docx_with(*lines):
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(client, content, name="Agency letter"):
    return client.post(ADD, {"name": name, "upload": SimpleUploadedFile("letter.docx", content)})


@pytest.fixture
def coordinator(client, role_user):
    user = role_user("Coordinator")
    client.force_login(user)
    return user


def test_the_upload_page_lists_the_placeholders(client, coordinator):
    page = client.get(ADD, headers={"accept-language": "en"}).content.decode()

    assert "{{ recipient_name_zh }}" in page
    assert reverse("documents:default-letter-template") in page


def test_an_uploaded_template_writes_the_letters(client, coordinator, seed_workshop):
    person = make_contact_sheet_person("Alice Example", "艾莉絲")
    CandidacyFactory(workshop=seed_workshop, person=person, status=Candidacy.Status.SHORTLISTED)

    response = upload(client, docx_with("AGENCY LETTER for {{ recipient_name }} / {{ recipient_name_zh }}"))
    assert response.status_code == 302
    template = LetterTemplate.objects.get()
    assert (template.name, template.file_name, template.uploaded_by) == ("Agency letter", "letter.docx", coordinator)

    letters = client.post(
        reverse("documents:letters", args=[seed_workshop.pk]),
        {
            "download": "1",
            "status": "shortlisted",
            "layout": "docx",
            "letter_date": "2022-06-01",
            "contact_name": "Officer Lin",
        },
    )
    assert Document(io.BytesIO(letters.content)).paragraphs[0].text == "AGENCY LETTER for Alice Example / 艾莉絲"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"plain text", "This is not a Word document (.docx)."),
        (docx_with("Dear {{ first_name }}"), "Unknown placeholders: {{ first_name }}."),
    ],
)
def test_a_template_that_cannot_work_is_refused(client, coordinator, content, message):
    response = client.post(
        ADD,
        {"name": "Broken", "upload": SimpleUploadedFile("letter.docx", content)},
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["upload"][0]
    assert not LetterTemplate.objects.exists()


def test_templates_are_the_coordinators(client, role_user):
    client.force_login(role_user("Editor"))
    assert client.get(ADD).status_code == 403
    assert client.get(reverse("documents:default-letter-template")).status_code == 403

    client.force_login(role_user("Coordinator"))
    default = client.get(reverse("documents:default-letter-template"))
    assert default.status_code == 200
    assert default.content == default_template()


@pytest.mark.parametrize("rows", [1, 3])
def test_changelist_query_count(client, coordinator, rows, django_assert_num_queries):
    for n in range(rows):
        LetterTemplate.objects.create(name=f"Template {n}", file_name="t.docx", content=b"x", uploaded_by=coordinator)
    client.get(CHANGELIST)

    with django_assert_num_queries(8):  # 7 + the two-step device check (accounts)
        response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert [t.is_current for t in response.context["cl"].result_list] == [True] + [False] * (rows - 1)


def test_a_template_failing_while_filled_says_why_and_writes_nothing(client, coordinator, seed_workshop):
    person = make_contact_sheet_person("Alice Example", "艾莉絲")
    CandidacyFactory(workshop=seed_workshop, person=person, status=Candidacy.Status.SHORTLISTED)
    assert upload(client, docx_with("Dear {{ recipient_name.missing() }}")).status_code == 302

    response = client.post(
        reverse("documents:letters", args=[seed_workshop.pk]),
        {
            "download": "1",
            "status": "shortlisted",
            "layout": "docx",
            "letter_date": "2022-06-01",
            "contact_name": "Lin",
        },
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("The letter template could not be filled:") and "missing" in error
    assert not ExportLog.objects.exists()
