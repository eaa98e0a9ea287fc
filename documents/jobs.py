"""Invitation letters as background jobs: the worker writes the batch, its user downloads it.

Every batch of letters is written by the worker, however small: filling a Word template once
per person takes a fraction of a second each, so a shortlist of a few hundred would hold a web
request for minutes. ``start_letters_job`` queues the candidacies the letters page listed with
the user's choices (layout, date, contact officer); the worker writes them (counting letters
done), keeps the file in the job's private folder and logs the document, as a download did.
"""

import datetime as dt

import jinja2
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django_tasks import task

from conference.models import Event
from documents import log
from documents.letters import current_template, letter_file_stem, write_letters_as_zip, write_letters_in_one_file
from documents.reading import letter_context, letter_recipients
from jobs.models import Job
from jobs.progress import JobFailed
from jobs.services import JobOutcome, job_output, run_job, start_job

LETTERS_PERMISSION = "conference.assess_candidacy"  # as the letters page asks
ZIP = "zip"


def start_letters_job(user, workshop, candidacies, *, status, layout, letter_date, contact):
    """Queue the letters of ``candidacies`` (those the page listed) for ``user``; return the job.

    ``layout`` is "docx" (one file) or "zip"; ``contact`` the officer's details the letters name.
    Nothing is written here: the request redirects to the job's page at once.
    """
    ids = [candidacy.pk for candidacy in candidacies]
    description = ngettext("%(workshop)s, %(count)d letter", "%(workshop)s, %(count)d letters", len(ids)) % {
        "workshop": (workshop.name_zh or workshop.name) if _in_chinese() else workshop.name,
        "count": len(ids),
    }
    return start_job(
        user,
        kind=Job.Kind.LETTERS,
        task=write_letters_job,
        description=description,
        params={
            "workshop": workshop.pk,
            "status": status,
            "candidacies": ids,
            "layout": layout,
            "letter_date": letter_date.isoformat(),
            "contact": contact,
            "back_url": f"{reverse('documents:letters', args=[workshop.pk])}?status={status}",
        },
    )


def _in_chinese():
    return (translation.get_language() or "").startswith("zh")


@task()
def write_letters_job(job_id):
    return run_job(job_id, write_letters)


def write_letters(job, progress):
    """The job's work: the letters of the listed candidacies still allowed one, as its user may see them.

    A template that cannot be filled (a Jinja error at a letter) fails the job with the reason;
    the half-written file goes with the job's folder.
    """
    user, params = job.user, job.params
    if not user.is_active or not user.has_perm(LETTERS_PERMISSION):
        raise JobFailed(gettext("You may no longer write invitation letters; nothing was written."))
    workshop = Event.objects.workshops().select_related("organizer").filter(pk=params["workshop"]).first()
    if workshop is None:
        raise JobFailed(gettext("The workshop has been deleted; no letters were written."))
    # Who still gets a letter: the listed candidacies, minus anyone marked do not contact (or
    # protected, or no longer visible to the user) since the page was shown.
    rows = list(letter_recipients(workshop, status=params["status"], user=user).filter(pk__in=params["candidacies"]))
    if not rows:
        raise JobFailed(gettext("None of the listed candidates can get a letter any more; nothing was written."))
    letter_date = dt.date.fromisoformat(params["letter_date"])
    contexts = (letter_context(candidacy, contact=params["contact"], letter_date=letter_date) for candidacy in rows)
    template_name, template = current_template()
    progress(0, len(rows), phase=gettext("Writing the letters"))
    file_format = ZIP if params["layout"] == ZIP else "docx"
    name, path = job_output(job, f".{file_format}")
    writer = write_letters_as_zip if file_format == ZIP else write_letters_in_one_file
    try:
        with path.open("wb") as stream:
            count = writer(template, contexts, stream, progress=progress)
    except jinja2.TemplateError as error:
        # The upload check catches unknown and misspelt placeholders; this is what remains.
        raise JobFailed(
            gettext(
                "The letter template “%(name)s” could not be filled: %(error)s. No letters were written; "
                "correct the template under “Letter templates” (or upload another) and write them again."
            )
            % {"name": template_name or gettext("the default template"), "error": error.message or type(error).__name__}
        ) from None
    log.log_document(
        user,
        format=file_format,
        kind=log.INVITATION_LETTERS,
        row_count=count,
        filters={"workshop": workshop.pk, "status": params["status"]},
    )
    stem = letter_file_stem(slugify(workshop.name) or str(workshop.pk)).replace("invitation-", "invitations-", 1)
    line = ngettext("%(count)d letter written.", "%(count)d letters written.", count) % {"count": count}
    return JobOutcome(summary={"lines": [line]}, result_name=name, result_filename=f"{stem}.{file_format}")
