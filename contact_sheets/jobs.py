"""Large contact-sheet exports as background jobs: the worker writes the file, its user downloads it.

An export of more than ``LIAISON_EXPORT_JOB_PEOPLE`` people (CSV, XLSX, JSON or vCard; the
printable sheet stops at its own limit) is not written in the request: ``start_export_job``
queues it and the request redirects to the job's page. The worker rebuilds the selection as the
user sees it (from the finder's query string, which keeps its ranking, or from the ids an admin
action chose), writes the file into the job's private folder with the same writer as a
download, and records the export in the export log when it is done.
"""

import json

from django.db import connections
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.translation import gettext, ngettext
from django_tasks import task

from conference.models import Event
from contact_sheets.formats import FORMATS, export_filename, write_contact_sheet
from contact_sheets.log import included_ids, log_export
from contact_sheets.selection import contact_sheet_people
from jobs.models import Job
from jobs.progress import JobFailed
from jobs.services import JobOutcome, job_output, run_job, start_job
from partners.models import ExportPurpose, Person

EXPORT_PERMISSION = "partners.export_person"  # as contact_sheets.views asks of a download


def start_export_job(user, people, fmt, *, source, filters, query=None, workshop=None, total, purpose=None):
    """Queue the export of ``people`` as ``fmt`` for ``user``; return the job.

    With ``query`` (the finder's or the contact sheet's query string, urlencoded) the worker selects the
    people again from it; otherwise it exports the ids of ``people``, kept in the job's private
    folder until it ends.
    """
    params = {"format": fmt, "source": source, "filters": filters, "workshop": workshop.pk if workshop else None}
    if purpose is not None:  # the purpose stated for the download (privacy.purposes), logged with the file
        params["purpose"] = purpose.purpose.pk if purpose.purpose else None
        params["purpose_detail"] = purpose.detail
    upload = None
    if query is not None:
        params["query"] = query
    else:
        upload = "\n".join(str(pk) for pk in people.values_list("pk", flat=True).iterator(chunk_size=10_000)).encode()
    description = ngettext("%(format)s, %(count)d person", "%(format)s, %(count)d people", total) % {
        "format": FORMATS[fmt].key.upper(),
        "count": total,
    }
    return start_job(
        user,
        kind=Job.Kind.EXPORT,
        task=export_contact_sheet_job,
        description=description,
        upload=upload,
        upload_suffix=".ids",
        params=params,
    )


@task()
def export_contact_sheet_job(job_id):
    return run_job(job_id, export_file)


def export_file(job, progress):
    """The job's work: the contact sheet of the job's selection, as its user may see it."""
    user = job.user
    if not user.is_active or not user.has_perm(EXPORT_PERMISSION):
        raise JobFailed(gettext("You may no longer export contact sheets; nothing was written."))
    params, fmt = job.params, job.params["format"]
    ranked = False
    workshop = Event.objects.filter(pk=params["workshop"]).first() if params.get("workshop") else None
    if params.get("query") is not None:
        selection = contact_sheet_people(QueryDict(params["query"]), user=user)
        people, workshop, ranked = selection.people, selection.workshop, selection.ranked
    else:
        ids = [int(line) for line in (job.folder / job.upload_name).read_text().split()]
        people = Person.objects.filter(pk__in=_listed(ids, Person.objects.db))
    people = people.filter(pk__in=Person.objects.visible_to(user).values("pk"))
    total = people.count()
    progress(0, total, phase=gettext("Writing the contact sheet"))
    name, path = job_output(job, f".{FORMATS[fmt].extension}")
    with path.open("wb") as stream:
        count = write_contact_sheet(people, fmt, stream, workshop=workshop, ranked=ranked, progress=progress)
    log_export(
        user,
        format=fmt,
        source=params["source"],
        row_count=count,
        filters=params["filters"],
        included_sensitive=people.filter(sensitive=True).exists(),
        people=included_ids(people, ranked=ranked),
        purpose=ExportPurpose.objects.filter(pk=params.get("purpose")).first() if params.get("purpose") else None,
        purpose_detail=params.get("purpose_detail", ""),
    )
    line = ngettext("%(count)s person exported.", "%(count)s people exported.", count) % {"count": f"{count:,}"}
    return JobOutcome(summary={"lines": [line]}, result_name=name, result_filename=export_filename(fmt))


def _listed(ids, database):
    """``SELECT`` of the ids as one parameter (an array or a JSON list), however many there are."""
    if connections[database].vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))
