"""Starting, running, cancelling and tidying background jobs (the worker is django-tasks' ``db_worker``).

A kind of job is a django-tasks task taking the job's id, whose body is
``run_job(job_id, work)``: ``work(job, progress)`` does the operation, reports through
``progress`` (``jobs.progress.Progress``), writes its result file with ``job_output``, and
returns a ``JobOutcome``. ``run_job`` does everything around it that every kind needs: the
state, the times, the language of the user who started it, the cancel, the failure message, and
removing the uploaded file whatever happens.
"""

import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from jobs.models import Job
from jobs.progress import Cancelled, JobFailed, Progress

logger = logging.getLogger(__name__)


@dataclass
class JobOutcome:
    """What a job's work hands back: numbers for its page, and its file (in the job's folder)."""

    summary: dict = field(default_factory=dict)
    result_name: str = ""
    result_filename: str = ""


def start_job(user, *, kind, task, description="", upload=None, upload_suffix="", params=None, language=None):
    """Create a job for ``user``, keep its uploaded file privately and queue ``task``; return the job.

    The work is not done here: the request that calls this returns at once, and the worker picks
    the job up. ``upload`` (an uploaded file or bytes) is written to the job's private folder,
    readable only by the server's user, and deleted when the job ends, whatever the outcome.
    """
    job = Job(
        user=user,
        kind=kind,
        description=description[:300],
        params=params or {},
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
    )
    folder = job.folder
    folder.mkdir(mode=0o700, parents=True, exist_ok=False)
    try:
        if upload is not None:
            job.upload_name = f"upload{upload_suffix}"
            _write_private(folder / job.upload_name, upload)
        with transaction.atomic():
            job.save()
            job.task_id = str(task.enqueue(str(job.pk)).id)
            job.save(update_fields=["task_id"])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return job


def _write_private(path, upload):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        if isinstance(upload, bytes):
            stream.write(upload)
        else:
            for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b""):
                stream.write(chunk)


def job_output(job, suffix):
    """A new file in the job's private folder for its result: ``(name, path)``, created 0600."""
    name = f"result{suffix}"
    path = job.folder / name
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    return name, path


def request_cancel(job):
    """Ask ``job`` to stop. A job still waiting is cancelled at once; a running one stops at its next
    progress report, writing nothing. Returns whether there was anything to cancel."""
    now = timezone.now()
    if Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
        state=Job.State.CANCELLED, cancel_requested=True, finished_at=now
    ):
        job.refresh_from_db()
        _remove_files(job, keep_result=False)
        return True
    return bool(Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(cancel_requested=True))


def run_job(job_id, work):
    """Run ``work(job, progress)`` for the job ``job_id`` in the worker; record how it ended.

    A job cancelled before it started is skipped. ``Cancelled`` (from ``progress``) ends it as
    cancelled, ``JobFailed`` as failed with its message; any other exception as failed with a
    short reason (the traceback goes to the log and to the task's result) and is raised again so
    the worker records it too. The operation itself must be all or nothing (one transaction),
    so that a job that did not succeed leaves nothing written; a result file it began is
    deleted. The uploaded file is deleted in every case.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    prune_finished_jobs()
    fail_abandoned_jobs()
    now = timezone.now()
    if not Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=now, progress_at=now
    ):
        return "skipped"
    job.refresh_from_db()
    keep_result = False
    try:
        with translation.override(job.language):
            progress = Progress(job)
            progress.check()
            outcome = work(job, progress)
    except Cancelled:
        _finish(job, Job.State.CANCELLED)
        return Job.State.CANCELLED
    except JobFailed as error:
        _finish(job, Job.State.FAILED, error=str(error), summary={"errors": error.details} if error.details else None)
        return Job.State.FAILED
    except BaseException as error:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        with translation.override(job.language):
            message = gettext("An unexpected error stopped the job (%(error)s); nothing was saved.") % {
                "error": type(error).__name__
            }
        _finish(job, Job.State.FAILED, error=message)
        raise
    else:
        _finish(job, Job.State.SUCCEEDED, outcome=outcome)
        keep_result = bool(outcome.result_name)
        return Job.State.SUCCEEDED
    finally:
        _remove_files(job, keep_result=keep_result)


def _finish(job, state, *, error="", outcome=None, summary=None):
    fields = {"state": state, "finished_at": timezone.now(), "error": error}
    if summary is not None:
        fields["summary"] = summary
    if outcome is not None:
        fields.update(
            summary=outcome.summary, result_name=outcome.result_name, result_filename=outcome.result_filename
        )
        job.refresh_from_db(fields=["total"])
        if job.total is not None:
            fields["done"] = job.total
    Job.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()


def _remove_files(job, *, keep_result):
    """Delete the job's upload always, and everything else unless its result is to be kept."""
    folder = job.folder
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if keep_result and path.name == job.result_name:
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if not keep_result:
        shutil.rmtree(folder, ignore_errors=True)


def prune_finished_jobs(*, now=None):
    """Delete result files older than ``LIAISON_JOB_RESULTS_HOURS`` and folders with no job; return
    how many folders went. Finished jobs stay listed (without their file)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.LIAISON_JOB_RESULTS_HOURS)
    root = Path(settings.LIAISON_JOBS_ROOT)
    removed = 0
    expired = Job.objects.filter(finished_at__lt=cutoff).exclude(result_name="")
    for job in expired:
        shutil.rmtree(job.folder, ignore_errors=True)
        removed += 1
    expired.update(result_name="")
    if root.is_dir():
        known = {str(pk) for pk in Job.objects.values_list("pk", flat=True)}
        for path in root.iterdir():
            if path.is_dir() and path.name not in known and _older_than(path, cutoff):
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
    return removed


def fail_abandoned_jobs(*, now=None):
    """Mark as failed the running jobs that reported nothing for ``LIAISON_JOB_STALLED_MINUTES``:
    their worker was killed (a job's transaction then rolls back, so they wrote nothing)."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.LIAISON_JOB_STALLED_MINUTES)
    abandoned = list(Job.objects.filter(state=Job.State.RUNNING, progress_at__lt=cutoff))
    for job in abandoned:
        with translation.override(job.language):
            message = gettext("The worker stopped while running this job; nothing was saved. Start it again.")
        if Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.FAILED, finished_at=now, error=message
        ):
            _remove_files(job, keep_result=False)
    return len(abandoned)


def _older_than(path, cutoff):
    return path.stat().st_mtime < cutoff.timestamp()
