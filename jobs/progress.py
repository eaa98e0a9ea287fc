"""How a long operation reports its progress and learns that it should stop."""

import time

from django.conf import settings
from django.utils import timezone


class Cancelled(Exception):
    """Raised by ``Progress`` when the job's user asked to cancel: the operation stops, unwritten."""


class JobFailed(Exception):
    """An operation's own refusal (a bad file, a changed record): its message is shown to the user,
    with ``details`` (e.g. the file's row errors) listed below it."""

    def __init__(self, message, details=()):
        super().__init__(message)
        self.details = [str(detail) for detail in details]


class Progress:
    """The callable a job's work is given: ``progress(done, total=None, phase=None)``.

    Records rows done (and the total, once known) on the job at most every
    ``LIAISON_JOB_PROGRESS_SECONDS`` (and whenever the step changes or the work is complete), and
    at each of those moments reads whether a cancel was asked: if so it raises ``Cancelled``.
    Call it between units of work and *outside* the operation's write transaction: inside it the
    progress would be invisible until the commit, and a cancel after writing began could not roll
    anything back that the transaction would not roll back anyway. ``check()`` only looks for a
    cancel (call it just before the writes start).
    """

    def __init__(self, job, *, interval=None, clock=time.monotonic):
        self.job = job
        self.interval = settings.LIAISON_JOB_PROGRESS_SECONDS if interval is None else interval
        self.clock = clock
        self.done = job.done
        self.total = job.total
        self.phase = job.phase
        self.last = None

    def __call__(self, done, total=None, *, phase=None):
        self.done = done
        changed = new_phase = False
        if total is not None and total != self.total:
            self.total, changed = total, True
        if phase is not None and phase != self.phase:
            self.phase, changed, new_phase = phase, True, True
        now = self.clock()
        complete = self.total is not None and done >= self.total
        if changed or complete or self.last is None or now - self.last >= self.interval:
            self.last = now
            self.save(new_phase=new_phase)
            self.check()

    def save(self, *, new_phase=False):
        from jobs.models import Job

        now = timezone.now()
        fields = {"done": self.done, "total": self.total, "phase": self.phase[:200], "progress_at": now}
        if new_phase:
            fields["phase_started_at"] = now  # the time left is the current step's
        Job.objects.filter(pk=self.job.pk).update(**fields)

    def check(self):
        from jobs.models import Job

        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise Cancelled
