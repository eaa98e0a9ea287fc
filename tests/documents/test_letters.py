"""Invitation letters: who gets one, what it says in both scripts, and the confirmed second step."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from conference.models import Candidacy
from conference.services import change_candidacies_status
from documents.letters import PLACEHOLDERS, TemplateProblem, check_template, default_template
from jobs.models import Job
from partners.models import ExportLog
from tests.documents.conftest import letters_job_file, xml_parts
from tests.factories import CandidacyFactory, make_contact_sheet_person

pytestmark = pytest.mark.django_db

SHORTLISTED = Candidacy.Status.SHORTLISTED

# Invented people (tests/factories.py), shortlisted for the seed's workshop.
INVITED = [("Alice Example", "艾莉絲"), ("Bruno Sample", "布魯諾"), ("Chen Test", "陳測試")]


@pytest.fixture
def shortlist(seed_workshop, make_user):
    """Three people shortlisted for the seed workshop, plus a do-not-contact one and a sensitive one."""
    people = [make_contact_sheet_person(name, zh, honorific="Dr.") for name, zh in INVITED]
    people.append(make_contact_sheet_person("Dana Nocontact", "丁勿擾", do_not_contact=True))
    people.append(make_contact_sheet_person("Eve Protected", "伊芙保密", sensitive=True))
    candidacies = [CandidacyFactory(workshop=seed_workshop, person=person) for person in people]
    change_candidacies_status(candidacies, status=SHORTLISTED, by=make_user("planner-setup"))
    return candidacies


@pytest.fixture
def coordinator(role_user, client):
    user = role_user("Coordinator", sensitive=True)  # even one who may see sensitive people writes them no letter
    client.force_login(user)
    return user


def letters_url(workshop):
    return reverse("documents:letters", args=[workshop.pk])


def post_letters(client, workshop, layout="docx"):
    return client.post(
        letters_url(workshop),
        {
            "download": "1",
            "status": SHORTLISTED,
            "layout": layout,
            "letter_date": "2022-06-01",
            "contact_name": "Officer Lin",
            "contact_title": "Specialist",
            "contact_email": "officer@example.test",
            "contact_phone": "",
        },
    )


@pytest.fixture
def download(run_worker):
    """POST the letters form, run the worker, download the job's file: (download response, bytes)."""

    def post_and_fetch(client, workshop, layout="docx"):
        _job, response, content = letters_job_file(client, post_letters(client, workshop, layout), run_worker)
        return response, content

    return post_and_fetch


def text_of(content):
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def statuses(candidacies):
    return [Candidacy.objects.get(pk=c.pk).status for c in candidacies]


def test_one_file_holds_three_bilingual_letters_and_none_for_do_not_contact_or_sensitive(
    client, coordinator, seed_workshop, shortlist, download
):
    response, content = download(client, seed_workshop)

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    text = text_of(content)
    assert text.count("Invitation to speak at the 2022 International Workshop on Combating Human Trafficking") == 3
    assert text.count("主旨：敬邀擔任「2022年防制人口販運國際工作坊」講者。") == 3
    for name, name_zh in INVITED:
        assert f"Dr. {name}" in text
        assert f"{name_zh} 主任 鈞鑒：" in text
    for absent in ("Dana Nocontact", "丁勿擾", "Eve Protected", "伊芙保密"):
        assert absent not in text
    # English first, Chinese below, each letter on its own pages.
    assert text.index("Dear Dr. Alice Example,") < text.index("艾莉絲 主任 鈞鑒：") < text.index("Dr. Bruno Sample")
    assert xml_parts(content)["word/document.xml"].count('w:type="page"') == 3 + 2
    assert "Dates: to be announced" in text and "日期：另行通知" in text


def test_a_zip_holds_one_letter_per_person(client, coordinator, seed_workshop, shortlist, download):
    response, content = download(client, seed_workshop, layout="zip")

    assert response["Content-Disposition"].endswith('.zip"')
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = sorted(archive.namelist())
        texts = [text_of(archive.read(name)) for name in names]
    assert names == [
        "invitation-Alice-Example.docx",
        "invitation-Bruno-Sample.docx",
        "invitation-Chen-Test.docx",
    ]
    for (name, name_zh), text in zip(INVITED, texts, strict=True):
        assert name in text and name_zh in text


def test_statuses_change_only_after_the_confirmation(client, coordinator, seed_workshop, shortlist, download):
    download(client, seed_workshop)
    assert statuses(shortlist) == [SHORTLISTED] * 5

    page = client.get(letters_url(seed_workshop))
    ids = [str(c.pk) for c in page.context["recipients"]]
    assert len(ids) == 3
    unconfirmed = client.post(
        letters_url(seed_workshop), {"mark_invited": "1", "status": SHORTLISTED, "candidacy": ids}
    )
    assert unconfirmed.status_code == 200
    assert unconfirmed.context["mark_form"].errors["confirm"]
    assert statuses(shortlist) == [SHORTLISTED] * 5

    confirmed = client.post(
        letters_url(seed_workshop), {"mark_invited": "1", "status": SHORTLISTED, "candidacy": ids, "confirm": "on"}
    )

    assert confirmed.status_code == 302
    assert statuses(shortlist) == [Candidacy.Status.INVITED] * 3 + [SHORTLISTED] * 2
    invited = Candidacy.objects.get(pk=shortlist[0].pk)
    assert invited.decided_by == coordinator and invited.decided_at is not None
    assert invited.history.first().history_user == coordinator


def test_a_do_not_contact_candidacy_cannot_be_slipped_into_the_confirmation(
    client, coordinator, seed_workshop, shortlist
):
    response = client.post(
        letters_url(seed_workshop),
        {"mark_invited": "1", "status": SHORTLISTED, "candidacy": [shortlist[3].pk], "confirm": "on"},
    )

    assert response.status_code == 200
    assert response.context["mark_form"].errors["candidacy"]
    assert statuses(shortlist) == [SHORTLISTED] * 5


def test_the_page_lists_who_gets_a_letter(client, coordinator, seed_workshop, shortlist):
    response = client.get(letters_url(seed_workshop), headers={"accept-language": "en"})

    assert [c.person.full_name for c in response.context["recipients"]] == [name for name, _zh in INVITED]
    assert response.context["excluded"] == 1
    assert "Eve Protected" not in response.content.decode()
    assert response.context["can_mark_invited"] is True


def test_letters_need_the_coordinators_right_and_are_logged(client, role_user, seed_workshop, shortlist, download):
    client.force_login(role_user("Editor"))
    assert client.get(letters_url(seed_workshop)).status_code == 403
    assert post_letters(client, seed_workshop).status_code == 403
    assert not ExportLog.objects.exists()
    assert not Job.objects.exists()

    coordinator = role_user("Coordinator")
    client.force_login(coordinator)
    download(client, seed_workshop, layout="zip")

    entry = ExportLog.objects.get()
    assert (entry.user, entry.format, entry.source, entry.row_count) == (coordinator, "zip", "invitation-letters", 3)
    assert entry.filters == {"workshop": seed_workshop.pk, "status": SHORTLISTED}
    assert entry.included_sensitive is False


def test_the_letters_page_reads_the_same_number_of_queries_for_one_and_three_recipients(
    client, coordinator, seed_workshop, shortlist, django_assert_num_queries
):
    Candidacy.objects.filter(pk__in=[shortlist[1].pk, shortlist[2].pk]).update(status=Candidacy.Status.IDENTIFIED)
    client.get(letters_url(seed_workshop))  # warm the session and the permission caches

    with CaptureQueriesContext(connection) as one:
        assert len(client.get(letters_url(seed_workshop)).context["recipients"]) == 1
    Candidacy.objects.filter(pk__in=[shortlist[1].pk, shortlist[2].pk]).update(status=SHORTLISTED)
    with django_assert_num_queries(len(one)):
        assert len(client.get(letters_url(seed_workshop)).context["recipients"]) == 3


def test_the_default_template_uses_only_documented_placeholders():
    used = check_template(default_template())

    assert set(used) == set(PLACEHOLDERS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "not a Word document"),
        (None, "Unknown placeholders: {{ favourite_colour }}"),
        ("broken", "written wrongly"),
    ],
)
def test_a_bad_template_is_refused_with_the_reason(content, message):
    if content is None or content == "broken":
        document = Document()
        document.add_paragraph("{{ favourite_colour }}" if content is None else "{{ recipient_name ")
        buffer = io.BytesIO()
        document.save(buffer)
        content = buffer.getvalue()

    with pytest.raises(TemplateProblem) as problem:
        check_template(content)

    assert message in str(problem.value)
