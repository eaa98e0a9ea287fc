"""Journey: a coordinator writes a shortlist's letters and confirms them sent; an officer takes a trip report."""

from unittest import mock

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from docx import Document
from playwright.sync_api import expect

from conference.models import Candidacy, Event
from jobs.models import Job
from tests.e2e.axe import assert_accessible
from tests.factories import (
    AffiliationFactory,
    CandidacyFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Invented test people.
PEOPLE = [("Avery Example", "艾薇範例"), ("Blake Sample", "布雷克樣本"), ("Casey Placeholder", "凱西預留")]


@pytest.fixture
def shortlisted_workshop():
    workshop = WorkshopFactory(name="Example Workshop", name_zh="範例工作坊", venue="Example Hall")
    for name, name_zh in PEOPLE:
        person = PersonFactory(full_name=name, name_zh=name_zh)
        AffiliationFactory(person=person, title="Program Director", title_zh="計畫主任")
        CandidacyFactory(workshop=workshop, person=person, status=Candidacy.Status.SHORTLISTED)
    CandidacyFactory(
        workshop=workshop,
        person=PersonFactory(full_name="Dana Nocontact", do_not_contact=True),
        status=Candidacy.Status.SHORTLISTED,
    )
    return workshop


def run_worker():
    """django-tasks' database worker in this thread until no task is left (the job runs here)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="journey-worker",
            excluded_queue_names=[],
        ).run()


def test_letters_for_a_shortlist_then_marked_invited(page, login, shortlisted_workshop, settings, tmp_path):
    settings.LIAISON_JOBS_ROOT = tmp_path / "jobs"
    login(UserFactory(username="planner", is_superuser=True))
    page.goto(f"/admin/conference/event/{shortlisted_workshop.pk}/change/")
    page.click('.object-tools a:text-is("邀請函")')
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    assert_accessible(page, "the letters page")

    # The letters are written by the background worker: the page that follows is the job's.
    page.click("input[name=download]")
    page.wait_for_url("**/jobs/*/")
    expect(page.locator('[data-job-field="state_label"]')).to_have_text("等待開始")
    assert_accessible(page, "a letters job waiting for the worker")
    run_worker()
    assert Job.objects.get().state == Job.State.SUCCEEDED
    download_link = page.get_by_role("link", name="下載 invitations-example-workshop.docx")
    expect(download_link).to_be_visible(timeout=10_000)  # the page reloaded itself
    assert_accessible(page, "a letters job done")
    with page.expect_download() as download:
        download_link.click()
    text = "\n".join(p.text for p in Document(download.value.path()).paragraphs)
    for name, name_zh in PEOPLE:
        assert name in text and name_zh in text
    assert "Dana Nocontact" not in text
    assert set(Candidacy.objects.values_list("status", flat=True)) == {Candidacy.Status.SHORTLISTED}

    page.click("p.job-back a")  # back to the letters, to confirm them sent
    page.wait_for_url(f"**/documents/workshops/{shortlisted_workshop.pk}/letters/?status=shortlisted")
    page.check("#id_confirm")
    page.click("input[name=mark_invited]")
    page.wait_for_url(f"**/admin/conference/event/{shortlisted_workshop.pk}/change/")
    expect(page.locator(".messagelist")).to_contain_text("3")
    assert sorted(Candidacy.objects.values_list("status", flat=True)) == [
        Candidacy.Status.INVITED,
        Candidacy.Status.INVITED,
        Candidacy.Status.INVITED,
        Candidacy.Status.SHORTLISTED,
    ]


def test_trip_report_from_the_conference_page(page, login):
    session = SessionFactory(title="Opening Plenary", title_zh="開幕全體會議")
    conference = Event.objects.get(pk=session.event_id)
    login(UserFactory(username="officer", is_superuser=True))
    page.goto(f"/admin/conference/event/{conference.pk}/change/")

    with page.expect_download() as download:
        page.click('.object-tools a:text-is("出國報告（.docx）")')

    document = Document(download.value.path())
    assert document.paragraphs[0].text == conference.name_zh
    assert "開幕全體會議" in document.tables[1].rows[1].cells[2].text
