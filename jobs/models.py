"""A long operation run by the background worker on behalf of one user."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def of(self, user):
        """The jobs ``user`` started: nobody else sees a job, its progress or its file."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unfinished(self):
        return self.filter(state__in=(Job.State.QUEUED, Job.State.RUNNING))


class Job(models.Model):
    """One import, export or batch of letters running (or run) in the background worker.

    The row is the job's whole state: the worker writes its progress here (outside the job's
    own write transaction, so the progress page sees it), the page asks for a cancel here, and
    the files it reads and writes sit in a private folder of its own (``folder``), never under
    the static or media roots.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("Contact import")
        EXPORT = "export", _("Contact sheet export")
        LETTERS = "letters", _("Invitation letters")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    description = models.CharField(
        _("description"), max_length=300, blank=True, help_text=_("The file or selection the job works on.")
    )
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    phase = models.CharField(_("step"), max_length=200, blank=True)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    phase_started_at = models.DateTimeField(_("step started"), null=True, blank=True)
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    upload_name = models.CharField(_("uploaded file"), max_length=100, blank=True)
    result_name = models.CharField(_("result file"), max_length=100, blank=True)
    result_filename = models.CharField(_("download name"), max_length=200, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="jobs_job_user_created_idx")]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self):
        return f"{self.get_kind_display()} {self.description}".strip()

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def folder(self):
        """The job's private folder (``LIAISON_JOBS_ROOT/<id>``): its upload and its result."""
        return Path(settings.LIAISON_JOBS_ROOT) / str(self.pk)

    @property
    def result_path(self):
        return self.folder / self.result_name if self.result_name else None

    @property
    def finished(self):
        return self.state in (self.State.SUCCEEDED, self.State.FAILED, self.State.CANCELLED)

    @property
    def has_result(self):
        return self.state == self.State.SUCCEEDED and bool(self.result_name) and self.result_path.is_file()

    @property
    def title(self):
        """The kind and what it works on, e.g. "Invitation letters: <workshop>, 3 letters"."""
        if not self.description:
            return self.get_kind_display()
        return _("%(kind)s: %(description)s") % {"kind": self.get_kind_display(), "description": self.description}

    @property
    def done_label(self):
        """What the job counts, for its page: rows, or letters."""
        return _("Letters done") if self.kind == self.Kind.LETTERS else _("Rows done")

    @property
    def back_url(self):
        """The page the job was started from (a path on this site), to go back to when it is done."""
        url = self.params.get("back_url", "") if isinstance(self.params, dict) else ""
        return url if url.startswith("/") and not url.startswith("//") else ""

    @property
    def percent(self):
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    def seconds_left(self, now=None):
        """Estimated seconds to the end of the current step, from its pace so far; ``None`` until
        there is a pace."""
        since = self.phase_started_at or self.started_at
        if self.state != self.State.RUNNING or not self.total or not self.done or not since:
            return None
        elapsed = ((now or timezone.now()) - since).total_seconds()
        return max(0, round(elapsed * (self.total - self.done) / self.done))
