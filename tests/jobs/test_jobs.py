import datetime as dt
import stat
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from jobs.progress import Cancelled, Progress
from jobs.services import prune_finished_jobs, request_cancel, start_job
from partners.models import Organization
from tests.factories import UserFactory
from tests.jobs.tasks import export_organizations, import_organizations

pytestmark = pytest.mark.django_db


def in_taipei(moment):
    """``moment`` as the job pages show it to a user in the default zone."""
    return f"{timezone.localtime(moment, ZoneInfo('Asia/Taipei')):%Y-%m-%d %H:%M:%S} (Asia/Taipei)"


def start_import(user, lines, **params):
    return start_job(
        user,
        kind=Job.Kind.IMPORT,
        task=import_organizations,
        description="organizations.txt",
        upload="\n".join(lines).encode(),
        upload_suffix=".txt",
        params=params,
    )


def test_starting_a_job_queues_it_without_doing_the_work(jobs_root):
    user = UserFactory()

    job = start_import(user, ["Polaris", "Hagar"])

    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.started_at) == (Job.State.QUEUED, 0, None, None)
    assert Organization.objects.count() == 0
    assert DBTaskResult.objects.get(id=job.task_id).args_kwargs == {"args": [str(job.pk)], "kwargs": {}}
    upload = job.folder / job.upload_name
    assert upload.read_bytes() == b"Polaris\nHagar"
    assert stat.S_IMODE(upload.stat().st_mode) == 0o600
    assert stat.S_IMODE(job.folder.stat().st_mode) == 0o700


def test_the_worker_runs_the_job_records_progress_and_deletes_the_upload(run_worker):
    job = start_import(UserFactory(), ["Polaris", "Hagar", "Tahirih"])

    run_worker()

    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.error) == (Job.State.SUCCEEDED, 3, 3, "")
    assert job.started_at <= job.finished_at
    assert job.summary == {"lines": ["3 organizations"]}
    assert sorted(Organization.objects.values_list("name", flat=True)) == ["Hagar", "Polaris", "Tahirih"]
    assert not job.folder.exists()  # the upload went with it; this kind has no result file
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_progress_is_recorded_at_most_every_interval_and_at_the_end():
    job = Job.objects.create(user=UserFactory(), kind=Job.Kind.IMPORT, state=Job.State.RUNNING)
    now = [100.0]
    progress = Progress(job, interval=1.0, clock=lambda: now[0])

    progress(0, 10, phase="Matching")
    job.refresh_from_db()
    assert (job.done, job.total, job.phase) == (0, 10, "Matching")
    assert job.phase_started_at is not None

    progress(4)  # within the interval: not written
    job.refresh_from_db()
    assert job.done == 0

    now[0] += 1.5
    progress(5)
    job.refresh_from_db()
    assert job.done == 5

    progress(10)  # complete: written at once
    job.refresh_from_db()
    assert job.done == 10


def test_time_left_from_the_pace_so_far():
    started = timezone.now() - dt.timedelta(seconds=30)
    job = Job(state=Job.State.RUNNING, started_at=started, done=250, total=1000)

    assert job.seconds_left(now=started + dt.timedelta(seconds=30)) == 90
    assert job.percent == 25
    assert Job(state=Job.State.RUNNING, started_at=started, done=0, total=1000).seconds_left() is None
    step = Job(state=Job.State.RUNNING, started_at=started, phase_started_at=started + dt.timedelta(seconds=20))
    step.done, step.total = 500, 1000
    assert step.seconds_left(now=started + dt.timedelta(seconds=30)) == 10  # the current step's pace


def test_cancel_while_running_stops_the_job_and_writes_nothing(run_worker):
    job = start_import(UserFactory(), ["Polaris", "Hagar", "Tahirih", "ECPAT"], cancel_at=2)

    run_worker()

    job.refresh_from_db()
    assert (job.state, job.cancel_requested, job.done) == (Job.State.CANCELLED, True, 2)
    assert Organization.objects.count() == 0
    assert not job.folder.exists()


def test_cancel_before_the_worker_starts_it(run_worker):
    job = start_import(UserFactory(), ["Polaris"])

    assert request_cancel(job) is True
    run_worker()

    job.refresh_from_db()
    assert (job.state, job.started_at) == (Job.State.CANCELLED, None)
    assert Organization.objects.count() == 0
    assert not job.folder.exists()
    assert request_cancel(job) is False  # nothing left to cancel


def test_a_refused_job_says_why_and_writes_nothing(run_worker):
    job = start_import(UserFactory(), ["Polaris", "REFUSE", "Hagar"])

    run_worker()

    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.FAILED, "The file has refused rows; nothing was saved.")
    assert job.summary == {"errors": ["Row 2: refused."]}
    assert Organization.objects.count() == 0
    assert not job.folder.exists()


def test_a_job_failing_half_way_through_its_writes_leaves_nothing_and_reports(run_worker):
    job = start_import(UserFactory(), ["Polaris", "Hagar", "BREAK", "Tahirih"])

    run_worker()

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "An unexpected error stopped the job (RuntimeError); nothing was saved."
    assert Organization.objects.count() == 0
    assert not job.folder.exists()
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"


def test_the_result_file_is_served_to_its_owner_only(client, run_worker):
    owner, other = UserFactory(username="owner"), UserFactory(username="other")
    Organization.objects.create(name="Polaris")
    Organization.objects.create(name="Hagar")
    job = start_job(owner, kind=Job.Kind.EXPORT, task=export_organizations, description="all")
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (Job.State.SUCCEEDED, 2, 2)
    assert stat.S_IMODE(job.result_path.stat().st_mode) == 0o600
    download = reverse("jobs:download", args=[job.pk])

    client.force_login(owner)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Hagar\nPolaris\n"
    assert "no-store" in response["Cache-Control"]
    assert 'filename="organizations.txt"' in response["Content-Disposition"]

    client.force_login(other)
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 404
    assert list(client.get(reverse("jobs:list")).context["jobs"]) == []
    assert job.result_path.is_file()


def test_the_progress_page_and_its_status(client):
    user = UserFactory()
    started = timezone.now() - dt.timedelta(seconds=60)
    job = Job.objects.create(
        user=user, kind=Job.Kind.IMPORT, state=Job.State.RUNNING, started_at=started, done=100, total=400
    )
    client.force_login(user)

    page = client.get(reverse("jobs:detail", args=[job.pk]))
    status = client.get(reverse("jobs:status", args=[job.pk])).json()

    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="/static/jobs/progress.js"' in html
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
    assert reverse("jobs:cancel", args=[job.pk]) in html
    assert "<script>" not in html  # no inline script (CSP)
    assert status["state"] == "running"
    assert (status["done"], status["total"], status["percent"], status["finished"]) == (100, 400, 25, False)
    assert 175 <= status["seconds_left"] <= 185
    assert status["time_left"] == "約 3 分鐘"  # requests speak Traditional Chinese by default
    # When it started, in the user's zone and saying which: on the page and in what its script reads.
    expected = in_taipei(started)
    assert status["started"] == expected
    assert f'<dd data-job-field="started">{expected}</dd>' in html


def test_a_queued_jobs_status_says_it_has_not_started_until_the_worker_starts_it(client):
    # The page's script shows the start once the worker takes the job (it said "not yet" until reloaded).
    user = UserFactory()
    job = Job.objects.create(user=user, kind=Job.Kind.IMPORT, state=Job.State.QUEUED, total=400)
    client.force_login(user)

    assert client.get(reverse("jobs:status", args=[job.pk])).json()["started"] == "尚未開始：等待背景程式"
    started = timezone.now()
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=started)
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["started"] == in_taipei(started)


def test_the_cancel_button_asks_the_running_job_to_stop(client):
    user = UserFactory()
    job = Job.objects.create(user=user, kind=Job.Kind.IMPORT, state=Job.State.RUNNING, started_at=timezone.now())
    client.force_login(user)

    response = client.post(reverse("jobs:cancel", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.cancel_requested) == (Job.State.RUNNING, True)
    with pytest.raises(Cancelled):
        Progress(job).check()


def test_pages_need_a_login(client):
    job = Job.objects.create(user=UserFactory(), kind=Job.Kind.EXPORT)

    response = client.get(reverse("jobs:detail", args=[job.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_old_result_files_are_deleted(run_worker):
    user = UserFactory()
    job = start_job(user, kind=Job.Kind.EXPORT, task=export_organizations)
    run_worker()
    job.refresh_from_db()
    assert job.has_result

    prune_finished_jobs(now=job.finished_at + dt.timedelta(hours=25))

    job.refresh_from_db()
    assert (job.state, job.result_name, job.has_result) == (Job.State.SUCCEEDED, "", False)
    assert not job.folder.exists()


def test_job_list_query_count(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    for count in (1, 3):
        Job.objects.filter(user=user).delete()
        for _ in range(count):
            Job.objects.create(user=user, kind=Job.Kind.EXPORT)
        # session, user, the jobs, and what the admin's context reads (permissions, two-step sign-in)
        with django_assert_num_queries(6):
            assert client.get(reverse("jobs:list")).status_code == 200


def test_a_job_whose_worker_was_killed_is_marked_failed(jobs_root):
    from jobs.services import fail_abandoned_jobs

    job = start_import(UserFactory(), ["Polaris"])
    silent_since = timezone.now() - dt.timedelta(minutes=31)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=silent_since, progress_at=silent_since)

    assert fail_abandoned_jobs() == 1

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "The worker stopped while running this job; nothing was saved. Start it again."
    assert not job.folder.exists()
