import io
import zipfile

import pytest
from django.core.management import call_command

from conference.models import Event
from tests.jobs.conftest import jobs_root, run_worker  # noqa: F401 (letters are written by the job worker)


@pytest.fixture
def conference(db):
    """The seed record's conference (fixtures/fnusa_2022.json, loaded with loaddata)."""
    call_command("loaddata", "fnusa_2022", verbosity=0)
    return Event.objects.get(kind=Event.Kind.CONFERENCE, organizer__acronym="FNUSA", start_date__year=2022)


@pytest.fixture
def seed_workshop(conference):
    return Event.objects.get(kind=Event.Kind.WORKSHOP, name_zh="2022年防制人口販運國際工作坊")


def xml_parts(content):
    """Every XML part of a DOCX (document, styles, headers, footers, properties …) as text."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml") or name.endswith(".rels")
        }


def letters_job_file(client, response, worker):
    """The letters a POST to the letters page queued: the worker writes them, the user downloads
    them from the job's page. Returns (job, download response, its bytes)."""
    from django.urls import reverse

    from jobs.models import Job

    job = Job.objects.get(kind=Job.Kind.LETTERS)
    assert (response.status_code, response["Location"]) == (302, job.get_absolute_url())
    worker()
    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.SUCCEEDED, "")
    download = client.get(reverse("jobs:download", args=[job.pk]))
    return job, download, b"".join(download.streaming_content)
