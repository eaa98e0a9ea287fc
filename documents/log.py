"""The one place documents reach the export log: every generated document is written there with its kind.

The export log (``partners.ExportLog``) records who exported what; its writer lives with the
contact sheets. Only this module imports it, so moving that writer changes one import.
"""

from conference.models import Appearance
from contact_sheets.log import log_export

# ExportLog.source names the kind of document (max. 40 characters).
TRIP_REPORT = "trip-report"
INVITATION_LETTERS = "invitation-letters"
CALENDAR = "calendar"


def log_document(user, *, format, kind, row_count, filters=None, purpose=None, people=()):
    """Record one generated document (``user`` is ``None`` for the command line); return the log entry.

    ``format`` is the file format ("docx", "zip", "ics"), ``kind`` one of the constants above,
    ``row_count`` what the document holds (sessions, letters, calendar events). Documents never
    name a sensitive person, so ``included_sensitive`` is always false. ``purpose`` (a
    ``privacy.purposes.ExportPurposeChoice``) and ``people`` (ids) are recorded where a document
    carries contact details.
    """
    return log_export(
        user,
        format=format,
        source=kind,
        row_count=row_count,
        filters=filters or {},
        people=people,
        **(purpose.as_log_fields() if purpose is not None else {}),
    )


def annex_people(event):
    """The ids of the people a trip report's annex lists (protected speakers are never named there)."""
    return list(
        Appearance.objects.filter(session__event=event, person__isnull=False, person__sensitive=False)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
