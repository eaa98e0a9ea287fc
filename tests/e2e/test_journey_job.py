"""Journey: a background job's page follows the job without a reload, then offers its file."""

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jobs.models import Job
from jobs.services import job_output
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_progress_page_follows_the_job_and_offers_its_file(page, login, settings, tmp_path):
    settings.LIAISON_JOBS_ROOT = tmp_path / "jobs"
    user = UserFactory(username="officer")
    job = Job.objects.create(
        user=user,
        kind=Job.Kind.EXPORT,
        state=Job.State.QUEUED,
        description="CSV, 30,000 people",
        total=30_000,
    )
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    login(user)

    page.goto(f"/jobs/{job.pk}/")
    expect(page.locator('[data-job-field="started"]')).to_have_text("尚未開始：等待背景程式")
    started = timezone.now()
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=started, progress_at=started, done=0)
    expect(page.locator('[data-job-field="state_label"]')).to_have_text("執行中", timeout=10_000)
    # The worker took the job: its start shows without a reload, in the user's zone, saying which.
    shown = f"{timezone.localtime(started, ZoneInfo('Asia/Taipei')):%Y-%m-%d %H:%M:%S} (Asia/Taipei)"
    expect(page.locator('[data-job-field="started"]')).to_have_text(shown)
    Job.objects.filter(pk=job.pk).update(done=12_000, phase="Writing the contact sheet")
    expect(page.locator('[data-job-field="done"]')).to_have_text("12,000", timeout=10_000)
    expect(page.locator('[data-job-field="phase"]')).to_have_text("Writing the contact sheet")
    assert page.locator("#job-progress-bar").get_attribute("max") == "30000"

    job.folder.mkdir(parents=True)
    name, path = job_output(job, ".csv")
    path.write_text("full_name\nAvery Example\n", encoding="utf-8")
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.SUCCEEDED,
        done=30_000,
        finished_at=timezone.now(),
        result_name=name,
        result_filename="contact-sheet.csv",
    )
    download_link = page.get_by_role("link", name="下載 contact-sheet.csv")
    expect(download_link).to_be_visible(timeout=10_000)  # the page reloaded itself
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename == "contact-sheet.csv"
    assert Path(download.value.path()).read_text(encoding="utf-8") == "full_name\nAvery Example\n"
    assert refused == []
