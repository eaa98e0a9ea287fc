"""Large imports and exports run through the job runner: the request returns at once, the worker
does the work, the user gets the result (and only they do)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from importing import contacts
from importing.contacts import ImportPlanner
from importing.jobs import estimated_rows
from jobs.models import Job
from jobs.services import request_cancel
from partners.models import ExportLog, Person
from tests.factories import make_contact_sheet_person

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:partners_person_import")
EXPORT_URL = reverse("contact-sheet-export")


def login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def people_file(*names, extra=()):
    lines = [["Name (original)", "Primary e-mail"]]
    lines += [[name, f"{name.split()[0].lower()}@example.org"] for name in names]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([*lines, *extra])
    return buffer.getvalue().encode()


@pytest.fixture
def editor(client, make_user, settings):
    settings.LIAISON_IMPORT_JOB_ROWS = 2
    return login(client, make_user("editor", "partners.view_person", "partners.add_person", "partners.import_person"))


def upload(client, content, **options):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("people.csv", content, "text/csv"), **options})


def test_a_large_import_returns_at_once_and_the_worker_imports_it(editor, run_worker):
    response = upload(editor, people_file("Avery Example", "Blake Sample", "Casey Placeholder"))

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.state, job.description) == (Job.Kind.IMPORT, Job.State.QUEUED, "people.csv")
    assert Person.objects.count() == 0  # the request did not do the work

    run_worker()

    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.SUCCEEDED, "")
    assert job.summary == {"lines": ["3 new, 0 updated, 0 unchanged."]}
    assert sorted(Person.objects.values_list("full_name", flat=True)) == [
        "Avery Example",
        "Blake Sample",
        "Casey Placeholder",
    ]
    assert not job.folder.exists()  # the upload is gone
    assert editor.get(job.get_absolute_url()).status_code == 200


def test_a_small_import_is_still_previewed_in_the_request(editor):
    response = upload(editor, people_file("Avery Example"))

    assert response.status_code == 200
    assert response.context["counts"]["new"] == 1
    assert not Job.objects.exists()


def test_a_large_file_with_a_bad_row_writes_nothing_and_lists_it(editor, run_worker):
    upload(editor, people_file("Avery Example", "Blake Sample", extra=[["Dana Example", "not-an-address"]]))

    run_worker()

    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert job.error == "The file has 1 problem; nothing was saved. Correct it and upload it again."
    assert len(job.summary["errors"]) == 1 and job.summary["errors"][0].startswith("Row 4")
    assert Person.objects.count() == 0
    assert not job.folder.exists()


def test_a_large_file_can_be_checked_only(editor, run_worker):
    upload(editor, people_file("Avery Example", "Blake Sample", "Casey Placeholder"), check_only="on")

    run_worker()

    job = Job.objects.get()
    assert job.state == Job.State.SUCCEEDED
    assert job.summary == {"lines": ["Checked only; nothing was saved.", "3 new, 0 updated, 0 unchanged."]}
    assert Person.objects.count() == 0


def test_a_large_files_counts_are_written_as_the_job_page_writes_its_numbers(editor, run_worker):
    upload(editor, people_file(*(f"Person{number} Example" for number in range(1200))), check_only="on")

    run_worker()

    job = Job.objects.get()
    assert job.summary == {"lines": ["Checked only; nothing was saved.", "1,200 new, 0 updated, 0 unchanged."]}


def test_a_cancelled_import_writes_nothing(editor, run_worker, monkeypatch):
    monkeypatch.setattr(contacts, "PROGRESS_ROWS", 1)
    upload(editor, people_file("Avery Example", "Blake Sample", "Casey Placeholder"))
    job = Job.objects.get()
    load_organizations = ImportPlanner.load_organizations

    def user_cancels_meanwhile(planner):
        # The user's click, while the worker plans the import. (Not while it matches the rows: there
        # the worker's connection is in pipeline mode, where an UPDATE's row count is unknown, and
        # ``request_cancel`` — run here on the worker's own connection — needs it.)
        request_cancel(job)
        return load_organizations(planner)

    monkeypatch.setattr(ImportPlanner, "load_organizations", user_cancels_meanwhile)

    run_worker()

    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED
    assert Person.objects.count() == 0
    assert not job.folder.exists()


CHINESE_NAMES = ["陳美玲", "林志明", "王小華"]


def chinese_file(codec, delimiter=","):
    """Three Chinese names (Big5 bytes that also read, wrongly, as Windows-1252) in ``codec``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["Name (original)", "Primary e-mail"])
    writer.writerows([name, f"person{number}@example.org"] for number, name in enumerate(CHINESE_NAMES))
    return buffer.getvalue().encode(codec)


@pytest.mark.parametrize(
    ("codec", "delimiter", "chosen"),
    [("cp950", ",", "cp950"), ("utf-16", "\t", "utf-16"), ("utf-16", "\t", "")],
)
def test_a_large_import_reads_the_file_in_the_encoding_chosen_on_the_form(editor, run_worker, codec, delimiter, chosen):
    response = upload(editor, chinese_file(codec, delimiter), encoding=chosen)

    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()  # over the threshold: a job
    assert job.params["encoding"] == (chosen or None)
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.SUCCEEDED, "")
    assert sorted(Person.objects.values_list("full_name", flat=True)) == sorted(CHINESE_NAMES)


def test_a_large_import_uses_the_chosen_encoding_even_when_it_is_the_wrong_one(editor, run_worker):
    # Big5 bytes read as Windows-1252 give Latin letters: what the user chose is what is read,
    # exactly as the preview of a small file does (the preview shows it and the user corrects).
    upload(editor, chinese_file("cp950"), encoding="cp1252")

    run_worker()

    assert Job.objects.get().state == Job.State.SUCCEEDED
    assert sorted(Person.objects.values_list("full_name", flat=True)) == sorted(
        name.encode("cp950").decode("cp1252") for name in CHINESE_NAMES
    )


def test_rows_are_estimated_without_reading_the_file():
    assert estimated_rows(people_file("Avery Example", "Blake Sample"), filename="people.csv") == 3
    workbook = io.BytesIO()
    from openpyxl import Workbook

    book = Workbook()
    for number in range(7):
        book.active.append([f"cell {number}"])
    book.save(workbook)
    assert estimated_rows(workbook.getvalue(), filename="people.xlsx") == 7
    assert estimated_rows(b"not a zip", filename="people.xlsx") is None


@pytest.fixture
def officer(client, make_user, settings):
    settings.LIAISON_EXPORT_JOB_PEOPLE = 2
    return login(client, make_user("officer", "partners.view_person", "partners.export_person"))


def test_a_large_export_returns_at_once_and_its_file_is_its_users(officer, client, make_user, run_worker):
    people = [make_contact_sheet_person(name) for name in ("Avery Example", "Blake Sample", "Casey Placeholder")]
    ids = ",".join(str(person.pk) for person in people)

    response = officer.get(EXPORT_URL, {"format": "csv", "ids": ids, "purpose_detail": "Post briefing"})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.state == Job.State.QUEUED
    assert not ExportLog.objects.exists()  # recorded once the file exists

    run_worker()

    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (Job.State.SUCCEEDED, 3, 3)
    assert job.summary == {"lines": ["3 people exported."]}
    download = officer.get(reverse("jobs:download", args=[job.pk]))
    assert "no-store" in download["Cache-Control"]
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert sorted(row[1] for row in rows[1:]) == ["Avery Example", "Blake Sample", "Casey Placeholder"]
    log = ExportLog.objects.get()
    assert (log.format, log.row_count, log.source) == ("csv", 3, "ids")
    assert log.purpose_detail == "Post briefing"  # the purpose stated for the download goes with the job
    assert sorted(int(pk) for pk in log.person_ids.strip(",").split(",")) == sorted(person.pk for person in people)

    login(client, make_user("other", "partners.view_person", "partners.export_person"))
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_large_admin_export_runs_as_a_job_with_the_selected_people(officer, run_worker):
    people = [make_contact_sheet_person(name) for name in ("Avery Example", "Blake Sample", "Casey Placeholder")]
    make_contact_sheet_person("Not Selected")

    response = officer.post(
        reverse("admin:partners_person_changelist"),
        {
            "action": "export_contact_sheet_xlsx",
            "_selected_action": [person.pk for person in people],
            "purpose_detail": "Workshop invitation",
        },
    )

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    sheet = load_workbook(job.result_path).active
    assert sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "Avery Example",
        "Blake Sample",
        "Casey Placeholder",
    ]
    assert not (job.folder / job.upload_name).exists()  # the selection's ids went with the job
