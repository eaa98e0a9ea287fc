"""The export log: one ``ExportLog`` row for each contact sheet that leaves the system."""

from partners.models import (
    ExportLog,
)


def log_export(user, *, format, source, row_count, filters=None, included_sensitive=False):
    """Record one contact-sheet export (``user`` is ``None`` for the command line); return the entry."""
    return ExportLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "command",
        format=format,
        source=source,
        row_count=row_count,
        filters=filters or {},
        included_sensitive=included_sensitive,
    )
