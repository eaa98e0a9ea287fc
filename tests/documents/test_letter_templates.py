"""The agency's own letter template: uploaded from the admin, checked, then used for the letters."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from conference.models import Candidacy
from documents.letters import default_template
from documents.models import LetterTemplate
from jobs.models import Job
from partners.models import ExportLog
from tests.documents.conftest import letters_job_file
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


def parts(content):
    """A DOCX's parts by name: the same document saved a second later differs only in the zip's timestamps."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


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


def test_an_uploaded_template_writes_the_letters(client, coordinator, seed_workshop, run_worker):
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
    _job, _response, content = letters_job_file(client, letters, run_worker)
    assert Document(io.BytesIO(content)).paragraphs[0].text == "AGENCY LETTER for Alice Example / 艾莉絲"


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
    assert parts(default.content) == parts(default_template())


@pytest.mark.parametrize("rows", [1, 3])
def test_changelist_query_count(client, coordinator, rows, django_assert_num_queries):
    for n in range(rows):
        LetterTemplate.objects.create(name=f"Template {n}", file_name="t.docx", content=b"x", uploaded_by=coordinator)
    client.get(CHANGELIST)

    with django_assert_num_queries(8):  # 7 + the two-step device check (accounts)
        response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert [t.is_current for t in response.context["cl"].result_list] == [True] + [False] * (rows - 1)


@pytest.mark.parametrize("layout", ["docx", "zip"])
def test_a_template_failing_while_filled_fails_the_job_with_the_reason_and_leaves_no_file(
    client, coordinator, seed_workshop, run_worker, layout
):
    for name, name_zh in [("Alice Example", "艾莉絲"), ("Bruno Sample", "布魯諾")]:
        person = make_contact_sheet_person(name, name_zh)
        CandidacyFactory(workshop=seed_workshop, person=person, status=Candidacy.Status.SHORTLISTED)
    # Only the second letter fails: the first one is already in the file when it does.
    template = docx_with("Dear {% if recipient_name == 'Bruno Sample' %}{{ recipient_name.missing() }}{% endif %}")
    assert upload(client, template, name="Agency letter").status_code == 302

    response = client.post(
        reverse("documents:letters", args=[seed_workshop.pk]),
        {
            "download": "1",
            "status": "shortlisted",
            "layout": layout,
            "letter_date": "2022-06-01",
            "contact_name": "Lin",
        },
        headers={"accept-language": "en"},
    )
    job = Job.objects.get()
    assert (response.status_code, response["Location"]) == (302, job.get_absolute_url())
    run_worker()

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == (
        "The letter template “Agency letter” could not be filled: 'str object' has no attribute 'missing'. "
        "No letters were written; correct the template under “Letter templates” (or upload another) "
        "and write them again."
    )
    assert (job.result_name, job.folder.exists()) == ("", False)
    assert not ExportLog.objects.exists()
    page = client.get(job.get_absolute_url(), headers={"accept-language": "en"})
    assert "could not be filled: &#x27;str object&#x27; has no attribute &#x27;missing&#x27;" in page.content.decode()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
