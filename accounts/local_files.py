"""Files that `make run` keeps beside the code for one installation: private from the start.

Used by the settings (the development secret key) and by ``ensure_local_login``; both files are
git-ignored. Nothing here is used in production, where the secret key comes from the environment.
"""

import os
import secrets


def write_private(path, text, *, exclusive=False):
    """Write ``text`` to ``path`` readable and writable by its owner only, from the first byte.

    The file is opened with mode 0600 (an existing one is narrowed to 0600 before anything is
    written), so no other account can read it during the write, whatever the umask. With
    ``exclusive``, an existing file is left alone and ``FileExistsError`` raised.
    """
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | (os.O_EXCL if exclusive else os.O_TRUNC)
    descriptor = os.open(path, flags, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(text)


def development_secret_key(path):
    """The secret key of this development installation, generated into ``path`` on first use.

    A key written in the code is public: anyone could sign sessions and tokens for every
    installation using it. Where ``path`` cannot be written, a key for this process only is
    returned (sessions then end when the server restarts).
    """
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = ""
    if len(key) >= 50:
        return key
    if key:  # a truncated file: replace it
        path.unlink(missing_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        write_private(path, key + "\n", exclusive=True)
    except FileExistsError:  # another process (the dev server's reloader) wrote it meanwhile
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        pass
    return key
