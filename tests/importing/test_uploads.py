"""Red team items 5 (token half) and 13: the import token names an opaque id, never a path;
abandoned uploads are removed on expiry and on every failure path."""

import os
import tempfile
import time

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from importing import preview
from partners.models import Person

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:partners_person_import")


@pytest.fixture(autouse=True)
def own_temporary_folder(tmp_path, monkeypatch):
    """Uploads wait in a folder of this test's own (TempFolderStorage uses ``tempfile.gettempdir()``)."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


def uploads():
    return sorted(name for name in os.listdir(tempfile.gettempdir()) if name.startswith(preview.UPLOAD_PREFIX))


@pytest.fixture
def importer(client, make_user):
    user = make_user("importer", "partners.view_person", "partners.import_person")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    client.user = user
    return client


def upload(client, text="Name (original),Country\nAnn Example,US\n"):
    response = client.post(IMPORT_URL, {"step": "preview", "file": SimpleUploadedFile("people.csv", text.encode())})
    return response.context["token"]


def test_the_token_carries_an_opaque_id_and_no_path(importer):
    token = upload(importer)

    data = signing.loads(token, salt=preview.TOKEN_SALT)

    assert sorted(data) == ["filename", "id", "user"]
    assert preview.UPLOAD_ID.fullmatch(data["id"])
    assert uploads() == [preview.UPLOAD_PREFIX + data["id"]]
    assert oct(os.stat(os.path.join(tempfile.gettempdir(), uploads()[0])).st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("key", ["name", "id"])
def test_a_token_forged_with_the_key_cannot_read_or_delete_another_file(importer, tmp_path, key):
    victim = tmp_path / "secret.txt"
    victim.write_text("Name (original)\nsecret line\n")
    forged = signing.dumps({key: str(victim), "filename": "x.csv", "user": importer.user.pk}, salt=preview.TOKEN_SALT)

    confirm = importer.post(IMPORT_URL, {"step": "confirm", "token": forged})
    importer.post(IMPORT_URL, {"step": "cancel", "token": forged})

    assert confirm.status_code == 302 and confirm["Location"] == IMPORT_URL
    assert victim.read_text() == "Name (original)\nsecret line\n"
    assert Person.objects.count() == 0


def test_uploads_older_than_the_token_are_removed(importer):
    old_token, new_token = upload(importer), upload(importer)
    old_name = preview.UPLOAD_PREFIX + signing.loads(old_token, salt=preview.TOKEN_SALT)["id"]
    a_day_ago = time.time() - preview.TOKEN_MAX_AGE - 60
    os.utime(os.path.join(tempfile.gettempdir(), old_name), (a_day_ago, a_day_ago))
    unrelated = os.path.join(tempfile.gettempdir(), "tmp-someone-elses")  # not ours: never touched
    with open(unrelated, "w") as file:
        file.write("x")
    os.utime(unrelated, (a_day_ago, a_day_ago))

    removed = preview.remove_expired_uploads()

    assert removed == 1
    assert old_name not in uploads() and len(uploads()) == 1
    assert os.path.exists(unrelated)
    importer.post(IMPORT_URL, {"step": "cancel", "token": new_token})
    assert uploads() == []


def test_a_crashed_confirmation_removes_its_upload(importer, monkeypatch):
    token = upload(importer)
    importer.raise_request_exception = False

    def crash(*args, **kwargs):
        raise RuntimeError("simulated crash")

    monkeypatch.setattr("importing.views.import_contacts", crash)
    response = importer.post(IMPORT_URL, {"step": "confirm", "token": token})

    assert response.status_code == 500
    assert uploads() == []


def test_cancel_and_success_remove_the_upload(importer):
    importer.post(IMPORT_URL, {"step": "cancel", "token": upload(importer)})
    assert uploads() == []

    importer.post(IMPORT_URL, {"step": "confirm", "token": upload(importer)})

    assert Person.objects.count() == 1
    assert uploads() == []


def test_the_preview_keeps_the_rows_read_and_the_confirmation_does_not_read_the_file_again(importer, monkeypatch):
    import gzip
    import io
    import json

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Name (original)", "Country"])
    book.active.append(["Ann Example", "US"])
    workbook = io.BytesIO()
    book.save(workbook)
    preview_page = importer.post(
        IMPORT_URL, {"step": "preview", "file": SimpleUploadedFile("people.xlsx", workbook.getvalue())}
    )
    token = preview_page.context["token"]
    (kept,) = uploads()
    with open(os.path.join(tempfile.gettempdir(), kept), "rb") as file:
        assert json.loads(gzip.decompress(file.read())) == [["Name (original)", "Country"], ["Ann Example", "US"]]

    def read_again(*args, **kwargs):
        raise AssertionError("the file was read a second time")

    monkeypatch.setattr("importing.contacts.read_contact_file", read_again)
    response = importer.post(IMPORT_URL, {"step": "confirm", "token": token})

    assert response.status_code == 302
    assert list(Person.objects.values_list("full_name", "country")) == [("Ann Example", "US")]
    assert uploads() == []
