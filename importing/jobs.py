"""Large contact imports as background jobs: the worker plans and writes the file, all or nothing.

An upload of more than ``LIAISON_IMPORT_JOB_ROWS`` rows is not previewed in the request (a
50,000-row file takes longer to plan than a web request may last): the upload page starts a job
(``start_import_job``) and shows its progress page. The job imports the file when every row is
good (or only checks it), and otherwise writes nothing and lists the problems on its page.
"""

import io
import re
import zipfile

from django.utils.translation import gettext, ngettext
from django_tasks import task

from importing.contacts import import_contacts
from importing.plans import RowPlan
from jobs.models import Job
from jobs.progress import JobFailed
from jobs.services import JobOutcome, run_job, start_job

PROBLEMS_SHOWN = 200
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def estimated_rows(content, *, filename):
    """About how many rows a file has, without reading it: lines of a CSV (a cell holding a line
    break counts twice), the sheet's recorded size in an XLSX (or ``None`` when it has none)."""
    if not filename.lower().endswith(".xlsx"):
        return content.count(b"\n")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheets = sorted(name for name in archive.namelist() if name.startswith("xl/worksheets/sheet"))
            if not sheets:
                return None
            with archive.open(sheets[0]) as sheet:
                head = sheet.read(4096)
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    match = _DIMENSION.search(head)
    if match is None:
        return None
    return int(match.group(1) or 1)


def start_import_job(content, *, filename, user, dry_run=False, unsure="ask", encoding=None):
    """Queue the import of ``content`` (the uploaded file's bytes) for ``user``; return the job.

    ``encoding`` is the CSV text encoding the user chose on the upload form (a key of
    ``importing.files.CSV_ENCODINGS``), or ``None`` to detect it, as for a small file.
    """
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return start_job(
        user,
        kind=Job.Kind.IMPORT,
        task=import_contacts_job,
        description=filename,
        upload=content,
        upload_suffix=suffix,
        params={"dry_run": bool(dry_run), "unsure": unsure, "encoding": encoding or None},
    )


@task()
def import_contacts_job(job_id):
    return run_job(job_id, import_file)


def import_file(job, progress):
    """The job's work: ``import_contacts`` on the uploaded file, as the user who uploaded it."""
    content = (job.folder / job.upload_name).read_bytes()
    dry_run = job.params.get("dry_run", False)
    result = import_contacts(
        content,
        user=job.user,
        dry_run=dry_run,
        filename=job.description,
        unsure=job.params.get("unsure", "ask"),
        encoding=job.params.get("encoding") or None,
        progress=progress,
    )
    problems = [*result.file_errors, *(str(error) for error in result.errors)]
    problems += [
        gettext(
            "Row %(row)d may be a stored person (%(who)s): import it in a smaller file to decide, "
            "or import possible duplicates as new people."
        )
        % {"row": row.number, "who": "; ".join(candidate.label for candidate in row.candidates)}
        for row in result.rows
        if row.status == RowPlan.DUPLICATE
    ]
    if problems or (not dry_run and not result.committed):
        shown = problems[:PROBLEMS_SHOWN]
        if len(problems) > len(shown):
            shown.append(gettext("… and %(count)d more.") % {"count": len(problems) - len(shown)})
        raise JobFailed(
            ngettext(
                "The file has %(count)d problem; nothing was saved. Correct it and upload it again.",
                "The file has %(count)d problems; nothing was saved. Correct them and upload it again.",
                len(problems),
            )
            % {"count": len(problems)},
            shown,
        )
    line = gettext("%(new)s new, %(update)s updated, %(unchanged)s unchanged.") % result.grouped_counts
    if dry_run:
        return JobOutcome(summary={"lines": [gettext("Checked only; nothing was saved."), line]})
    return JobOutcome(summary={"lines": [line]})
