"""The pages of a user's background jobs: the list, a job's progress, its status, cancel, its file."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from jobs.models import Job
from jobs.services import request_cancel
from jobs.templatetags.jobs_tags import local_time

LIST_LIMIT = 50


def _own_job(request, pk):
    # Another user's job is a 404, as if it did not exist: its id says nothing.
    return get_object_or_404(Job.objects.of(request.user), pk=pk)


def time_left_text(seconds):
    if seconds is None:
        return ""
    if seconds < 60:
        return gettext("less than a minute")
    minutes = -(-seconds // 60)
    return ngettext("about %(count)d minute", "about %(count)d minutes", minutes) % {"count": minutes}


def started_text(job):
    """When the worker started ``job``, in the user's time zone and saying which, or that it has not."""
    if job.started_at is None:
        return gettext("not yet: waiting for the worker")
    return local_time(job.started_at)


def job_status(job):
    """The job's state as the progress page shows it, and its script reads it."""
    seconds = job.seconds_left()
    return {
        "state": job.state,
        "state_label": job.get_state_display(),
        "started": started_text(job),
        "finished": job.finished,
        "phase": job.phase,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "seconds_left": seconds,
        "time_left": time_left_text(seconds),
        "cancel_requested": job.cancel_requested,
    }


@login_required
@never_cache
@require_GET
def job_list(request):
    jobs = list(Job.objects.of(request.user)[:LIST_LIMIT])
    context = {**admin.site.each_context(request), "title": _("My background jobs"), "jobs": jobs}
    return TemplateResponse(request, "jobs/job_list.html", context)


@login_required
@never_cache
@require_GET
def job_detail(request, pk):
    job = _own_job(request, pk)
    return TemplateResponse(
        request,
        "jobs/job_detail.html",
        {
            **admin.site.each_context(request),
            "title": job.title,
            "job": job,
            "status": job_status(job),
            "job_results_hours": settings.LIAISON_JOB_RESULTS_HOURS,
        },
    )


@login_required
@never_cache
@require_GET
def job_status_json(request, pk):
    return JsonResponse(job_status(_own_job(request, pk)))


@login_required
@require_POST
def job_cancel(request, pk):
    job = _own_job(request, pk)
    if request_cancel(job):
        messages.info(request, gettext("Cancel requested: the job stops without saving anything."))
    else:
        messages.warning(request, gettext("The job had already ended; there was nothing to cancel."))
    return redirect(job)


@login_required
@never_cache
@require_GET
def job_download(request, pk):
    job = _own_job(request, pk)
    if not job.has_result:
        raise Http404(gettext("This job has no file to download (any more)."))
    response = FileResponse(job.result_path.open("rb"), as_attachment=True, filename=job.result_filename)
    # A contact sheet is personal data: no cache, shared or private, keeps a copy.
    response["Cache-Control"] = "no-store"
    return response
