"""Preview: an uploaded file waits, behind a signed token, between its preview and the user's confirmation.

Bytes and the user in, a token out (``stash_upload``); the token back, the bytes out
(``read_upload``) or gone (``discard_upload``). Any import's admin view can use it; the file
sits in django-import-export's temporary storage, never in the session.
"""

import contextlib
import gzip
import io
import json
import os
import re
import tempfile
import time
import uuid

from django.conf import settings
from django.core import signing
from django.utils.module_loading import import_string
from import_export.tmp_storages import TempFolderStorage

PREVIEW_ROW_LIMIT = 500


def tmp_storage_class():
    """Where an upload waits between preview and confirmation: django-import-export's storage
    (``IMPORT_EXPORT_TMP_STORAGE_CLASS``; use ``MediaStorage`` when several servers share the work)."""
    name = getattr(settings, "IMPORT_EXPORT_TMP_STORAGE_CLASS", "import_export.tmp_storages.TempFolderStorage")
    return import_string(name) if isinstance(name, str) else name


TOKEN_SALT = "partners.import-contacts"
TOKEN_MAX_AGE = 24 * 60 * 60
# The token names an upload by an opaque id only, never by a path: even a token signed with a
# leaked key can then name nothing but one of our own uploads.
UPLOAD_PREFIX = "liaison-import-"
UPLOAD_ID = re.compile(r"[0-9a-f]{32}")


def _storage(upload_id):
    return tmp_storage_class()(name=UPLOAD_PREFIX + upload_id, read_mode="rb")


def stash_upload(content, *, filename, user, salt=TOKEN_SALT):
    """Keep ``content`` until the confirmation; return the signed token naming it (valid for ``user`` only).

    Uploads older than the token's lifetime are removed first (``remove_expired_uploads``).
    """
    remove_expired_uploads()
    upload_id = uuid.uuid4().hex
    storage = _storage(upload_id)
    if isinstance(storage, TempFolderStorage):
        # TempFolderStorage.save opens its file in text mode; the upload is bytes, kept private (0600).
        descriptor = os.open(storage.get_full_path(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
    else:
        storage.save(content)
    return signing.dumps({"id": upload_id, "filename": filename, "user": user.pk}, salt=salt)


def read_token(token, request, *, salt=TOKEN_SALT):
    """The token's data (``id``, ``filename``, ``user``), or ``None`` when forged, expired, another
    user's, or naming anything but an upload id."""
    try:
        data = signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("user") != request.user.pk:
        return None
    if not isinstance(data.get("id"), str) or not UPLOAD_ID.fullmatch(data["id"]):
        return None
    return data


def read_upload(token, request, *, salt=TOKEN_SALT):
    """``(data, content)`` of a stashed upload; ``content`` is ``None`` when the token or the file is gone."""
    data = read_token(token, request, salt=salt)
    if data is None:
        return None, None
    try:
        return data, _storage(data["id"]).read()
    except OSError:
        return data, None


def discard_upload(token, request, *, salt=TOKEN_SALT):
    """Remove the upload a token names (after the import, on cancel, on any failure); quiet when gone."""
    data = read_token(token, request, salt=salt)
    if data is None:
        return
    with contextlib.suppress(OSError):
        _storage(data["id"]).remove()


def remove_expired_uploads(*, max_age=TOKEN_MAX_AGE, now=None):
    """Delete uploads in the temporary folder older than ``max_age`` seconds (their token has
    expired, so nobody can confirm them); return how many. Only ``TempFolderStorage`` keeps
    files here; a cache storage expires its own entries, a media storage is the operator's."""
    if not issubclass(tmp_storage_class(), TempFolderStorage):
        return 0
    limit = (now if now is not None else time.time()) - max_age
    removed = 0
    with os.scandir(tempfile.gettempdir()) as entries:
        for entry in entries:
            if not entry.name.startswith(UPLOAD_PREFIX) or not UPLOAD_ID.fullmatch(entry.name[len(UPLOAD_PREFIX) :]):
                continue
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < limit:
                    os.remove(entry.path)
                    removed += 1
    return removed


# The preview keeps the file's rows as read (gzip-compressed JSON), not the file: the confirmation
# plans them again without parsing a workbook a second time.
MAX_TABLE_BYTES = 256 * 1024 * 1024


def stash_table(table, *, filename, user, salt=TOKEN_SALT):
    """Keep the rows ``table`` (lists of strings) until the confirmation; return the token."""
    content = gzip.compress(json.dumps(table, ensure_ascii=False).encode(), compresslevel=1)
    return stash_upload(content, filename=filename, user=user, salt=salt)


def read_table(token, request, *, salt=TOKEN_SALT):
    """``(data, table)`` kept by ``stash_table``; ``table`` is ``None`` when the token or the rows are gone."""
    data, content = read_upload(token, request, salt=salt)
    if content is None:
        return data, None
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
            text = stream.read(MAX_TABLE_BYTES + 1)
        table = json.loads(text) if len(text) <= MAX_TABLE_BYTES else None
    except (OSError, EOFError, ValueError):
        return data, None
    if not isinstance(table, list) or not all(isinstance(row, list) for row in table):
        return data, None
    return data, table
