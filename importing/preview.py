"""Preview: an uploaded file waits, behind a signed token, between its preview and the user's confirmation.

Bytes and the user in, a token out (``stash_upload``); the token back, the bytes out
(``read_upload``) or gone (``discard_upload``). Any import's admin view can use it; the file
sits in django-import-export's temporary storage, never in the session.
"""

import contextlib

from django.conf import settings
from django.core import signing
from django.utils.module_loading import import_string

PREVIEW_ROW_LIMIT = 500


def tmp_storage_class():
    """Where an upload waits between preview and confirmation: django-import-export's storage
    (``IMPORT_EXPORT_TMP_STORAGE_CLASS``; use ``MediaStorage`` when several servers share the work)."""
    name = getattr(settings, "IMPORT_EXPORT_TMP_STORAGE_CLASS", "import_export.tmp_storages.TempFolderStorage")
    return import_string(name) if isinstance(name, str) else name


TOKEN_SALT = "partners.import-contacts"
TOKEN_MAX_AGE = 24 * 60 * 60


def stash_upload(content, *, filename, user, salt=TOKEN_SALT):
    """Keep ``content`` until the confirmation; return the signed token naming it (valid for ``user`` only)."""
    storage = tmp_storage_class()(read_mode="rb")
    storage.save(content)
    return signing.dumps({"name": storage.name, "filename": filename, "user": user.pk}, salt=salt)


def read_token(token, request, *, salt=TOKEN_SALT):
    """The token's data (``name``, ``filename``, ``user``), or ``None`` when forged, expired or another user's."""
    try:
        data = signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != request.user.pk:
        return None
    return data


def read_upload(token, request, *, salt=TOKEN_SALT):
    """``(data, content)`` of a stashed upload; ``content`` is ``None`` when the token or the file is gone."""
    data = read_token(token, request, salt=salt)
    if data is None:
        return None, None
    try:
        return data, tmp_storage_class()(name=data["name"], read_mode="rb").read()
    except OSError:
        return data, None


def discard_upload(token, request, *, salt=TOKEN_SALT):
    data = read_token(token, request, salt=salt)
    if data is None:
        return
    with contextlib.suppress(OSError):
        tmp_storage_class()(name=data["name"], read_mode="rb").remove()
