"""Two small kinds of job for the runner's tests: an "import" that writes organizations in one
transaction and an "export" that writes a file. They use the runner exactly as real kinds do."""

from django.db import transaction
from django_tasks import task

from jobs.progress import JobFailed
from jobs.services import JobOutcome, job_output, request_cancel, run_job
from partners.models import Organization


def _import(job, progress):
    names = (job.folder / job.upload_name).read_text(encoding="utf-8").splitlines()
    progress(0, len(names), phase="Reading")
    for number, name in enumerate(names, start=1):
        if name == "REFUSE":
            raise JobFailed("The file has refused rows; nothing was saved.", [f"Row {number}: refused."])
        if number == job.params.get("cancel_at"):
            request_cancel(job)  # as the user's click would, from another request
        progress(number)
    progress.check()
    with transaction.atomic():
        for name in names:
            if name == "BREAK":
                raise RuntimeError("the database went away half-way")
            Organization.objects.create(name=name)
    return JobOutcome(summary={"lines": [f"{len(names)} organizations"]})


def _export(job, progress):
    names = list(Organization.objects.order_by("name").values_list("name", flat=True))
    name, path = job_output(job, ".txt")
    with path.open("w", encoding="utf-8") as stream:
        for number, organization in enumerate(names, start=1):
            stream.write(organization + "\n")
            progress(number, len(names))
    return JobOutcome(result_name=name, result_filename="organizations.txt")


@task()
def import_organizations(job_id):
    return run_job(job_id, _import)


@task()
def export_organizations(job_id):
    return run_job(job_id, _export)
