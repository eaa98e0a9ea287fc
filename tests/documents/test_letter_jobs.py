"""Invitation letters are written by the background worker: the request only queues them, the job
counts letters done, can be cancelled, logs the document when its file is made, and is its user's."""

import io

import pytest
from django.urls import reverse
from docx import Document

from conference.models import Candidacy
from conference.services import change_candidacies_status
from documents import letters
from documents.letters import default_template, write_letters_in_one_file
from jobs.models import Job
from jobs.services import request_cancel
from partners.models import ExportLog, Person
from tests.documents.conftest import letters_job_file
from tests.factories import CandidacyFactory, make_contact_sheet_person

pytestmark = pytest.mark.django_db

SHORTLISTED = Candidacy.Status.SHORTLISTED
NAMES = [("Alice Example", "艾莉絲"), ("Bruno Sample", "布魯諾"), ("Chen Test", "陳測試")]


@pytest.fixture
def shortlist(seed_workshop, make_user):
    candidacies = [
        CandidacyFactory(workshop=seed_workshop, person=make_contact_sheet_person(name, zh)) for name, zh in NAMES
    ]
    change_candidacies_status(candidacies, status=SHORTLISTED, by=make_user("planner-setup"))
    return candidacies


@pytest.fixture
def coordinator(role_user, client):
    user = role_user("Coordinator")
    client.force_login(user)
    return user


def post_letters(client, workshop, layout="docx"):
    return client.post(
        reverse("documents:letters", args=[workshop.pk]),
        {
            "download": "1",
            "status": SHORTLISTED,
            "layout": layout,
            "letter_date": "2022-06-01",
            "contact_name": "Officer Lin",
            "contact_title": "Specialist",
            "contact_email": "officer@example.test",
            "contact_phone": "+886 2 1234 5678",
        },
        headers={"accept-language": "en"},
    )


def test_the_request_queues_the_letters_with_the_users_choices_and_writes_nothing(
    client, coordinator, seed_workshop, shortlist
):
    response = post_letters(client, seed_workshop, layout="zip")

    job = Job.objects.get()
    assert (response.status_code, response["Location"]) == (302, job.get_absolute_url())
    assert (job.user, job.kind, job.state) == (coordinator, Job.Kind.LETTERS, Job.State.QUEUED)
    assert job.description == "2022 International Workshop on Combating Human Trafficking, 3 letters"
    assert job.params == {
        "workshop": seed_workshop.pk,
        "status": SHORTLISTED,
        "candidacies": [c.pk for c in shortlist],  # by name, as the page listed them
        "layout": "zip",
        "letter_date": "2022-06-01",
        "contact": {
            "name": "Officer Lin",
            "title": "Specialist",
            "email": "officer@example.test",
            "phone": "+886 2 1234 5678",
        },
        "back_url": reverse("documents:letters", args=[seed_workshop.pk]) + "?status=shortlisted",
    }
    assert not ExportLog.objects.exists()
    assert not job.folder.exists() or list(job.folder.iterdir()) == []


def test_the_job_counts_letters_and_the_letters_carry_the_date_and_contact_chosen(
    client, coordinator, seed_workshop, shortlist, run_worker
):
    job, response, content = letters_job_file(client, post_letters(client, seed_workshop), run_worker)

    assert (job.done, job.total, job.phase) == (3, 3, "Writing the letters")
    assert job.summary == {"lines": ["3 letters written."]}
    assert response["Content-Disposition"] == (
        'attachment; filename="invitations-2022-international-workshop-on-combating-human-trafficking.docx"'
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert text.count("1 June 2022") == 3 and text.count("2022年6月1日") == 3
    assert text.count("Please contact Officer Lin, Specialist, at officer@example.test or +886 2 1234 5678") == 3
    entry = ExportLog.objects.get()
    assert (entry.user, entry.format, entry.source, entry.row_count) == (coordinator, "docx", "invitation-letters", 3)
    page = client.get(job.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    assert "Letters done" in page
    assert f'href="{reverse("documents:letters", args=[seed_workshop.pk])}?status=shortlisted"' in page


def test_progress_is_reported_after_each_letter():
    done = []
    contexts = [{"recipient_name": name} for name, _zh in NAMES]

    count = write_letters_in_one_file(default_template(), contexts, io.BytesIO(), progress=done.append)

    assert (count, done) == (3, [1, 2, 3])


def test_a_person_marked_do_not_contact_after_the_request_gets_no_letter(
    client, coordinator, seed_workshop, shortlist, run_worker
):
    response = post_letters(client, seed_workshop)
    Person.objects.filter(pk=shortlist[1].person_id).update(do_not_contact=True)

    job, _response, content = letters_job_file(client, response, run_worker)

    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert ("Alice Example" in text, "Bruno Sample" in text, "Chen Test" in text) == (True, False, True)
    assert (job.total, ExportLog.objects.get().row_count) == (2, 2)


def test_cancel_half_way_leaves_no_file_and_no_log(
    client, coordinator, seed_workshop, shortlist, run_worker, monkeypatch
):
    post_letters(client, seed_workshop, layout="zip")
    job = Job.objects.get()
    render = letters.render_letter
    rendered = []

    def render_then_cancel(template, context):
        rendered.append(context["recipient_name"])
        if len(rendered) == 2:
            request_cancel(job)  # as the user's click would, from another request
        return render(template, context)

    monkeypatch.setattr(letters, "render_letter", render_then_cancel)
    run_worker()

    job.refresh_from_db()
    assert (job.state, job.done, rendered) == (Job.State.CANCELLED, 2, ["Alice Example", "Bruno Sample"])
    assert (job.result_name, job.folder.exists()) == ("", False)
    assert not ExportLog.objects.exists()


def test_a_job_cancelled_before_it_starts_writes_nothing(client, coordinator, seed_workshop, shortlist, run_worker):
    post_letters(client, seed_workshop)
    job = Job.objects.get()
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 302

    run_worker()

    job.refresh_from_db()
    assert (job.state, job.started_at, job.folder.exists()) == (Job.State.CANCELLED, None, False)
    assert not ExportLog.objects.exists()


def test_another_coordinator_sees_neither_the_job_nor_its_letters(
    client, coordinator, role_user, seed_workshop, shortlist, run_worker
):
    job, _response, _content = letters_job_file(client, post_letters(client, seed_workshop), run_worker)

    client.force_login(role_user("Coordinator", username="another-coordinator"))

    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 404


def test_a_user_who_lost_the_right_before_the_job_ran_gets_no_letters(
    client, coordinator, seed_workshop, shortlist, run_worker
):
    post_letters(client, seed_workshop)
    coordinator.groups.clear()
    coordinator.user_permissions.clear()

    run_worker()

    job = Job.objects.get()
    assert (job.state, job.error) == (
        Job.State.FAILED,
        "You may no longer write invitation letters; nothing was written.",
    )
    assert not job.folder.exists()
    assert not ExportLog.objects.exists()


def test_in_chinese_the_job_is_named_after_the_workshops_chinese_name_with_a_full_width_colon(
    client, coordinator, seed_workshop, shortlist
):
    client.post(
        reverse("documents:letters", args=[seed_workshop.pk]),
        {"download": "1", "status": SHORTLISTED, "layout": "docx", "letter_date": "2022-06-01", "contact_name": "林"},
        headers={"accept-language": "zh-hant"},
    )
    job = Job.objects.get()

    page = client.get(job.get_absolute_url(), headers={"accept-language": "zh-hant"})

    assert job.description == "2022年防制人口販運國際工作坊，共 3 封"
    assert page.context["title"] == "邀請函：2022年防制人口販運國際工作坊，共 3 封"
