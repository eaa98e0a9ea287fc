"""The export log: one ``ExportLog`` row for each contact sheet that leaves the system."""

from partners.models import (
    ExportLog,
)


def log_export(
    user,
    *,
    format,
    source,
    row_count,
    filters=None,
    included_sensitive=False,
    purpose=None,
    purpose_detail="",
    people=(),
):
    """Record one contact-sheet export (``user`` is ``None`` for the command line); return the entry.

    ``purpose`` (an ``ExportPurpose``) and ``purpose_detail`` say what for: optional here, so older
    callers keep working, but every user-facing export path asks for them (privacy/purposes.py).
    ``people``: the ids of the people included.
    """
    return ExportLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "command",
        format=format,
        source=source,
        row_count=row_count,
        filters=filters or {},
        included_sensitive=included_sensitive,
        purpose=purpose,
        purpose_detail=purpose_detail or "",
        person_ids=ExportLog.person_ids_text(people),
    )


def included_ids(people, *, ranked=False, limit=None):
    """The ids of the people an export of ``people`` writes, in its order (the first ``limit`` of them:
    the printable sheet prints at most ``PRINT_LIMIT``)."""
    ordered = people if ranked else people.order_by("full_name", "pk")
    ids = ordered.values_list("pk", flat=True)
    return list(ids[:limit] if limit is not None else ids)
