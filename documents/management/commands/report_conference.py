"""python manage.py report_conference EVENT_ID --format docx -o FILE [--with-contacts]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conference.models import Event
from documents import log
from documents.reading import read_trip_report
from documents.trip_report import write_trip_report


class Command(BaseCommand):
    help = (
        "Write a conference's trip-report sections (cover, agenda in Taipei time, one block per session, "
        "annex of speakers and organizations) as a Word file. Protected speakers appear only as "
        "「受保護講者」; no suitability decision, reason or note is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int, help="The conference's id (its number in the admin's address).")
        parser.add_argument("--format", choices=["docx"], default="docx", help="File format (docx).")
        parser.add_argument("-o", "--output", help="The file to write (default: trip-report-EVENT_ID.docx).")
        parser.add_argument(
            "--with-contacts", action="store_true", help="Add the speakers' contact details to the annex."
        )

    def handle(self, *args, **options):
        event = Event.objects.select_related("organizer").filter(pk=options["event_id"]).first()
        if event is None:
            raise CommandError(f"No event with id {options['event_id']}.")
        if event.is_workshop:
            raise CommandError(
                f"Event {event.pk} ({event}) is one of our workshops; "
                "a trip report is written for a conference we attended."
            )
        output = Path(options["output"] or f"trip-report-{event.pk}.docx")
        if not output.parent.is_dir():
            raise CommandError(f"Cannot write {output}: the folder {output.parent} does not exist.")
        report = read_trip_report(event, with_contacts=options["with_contacts"])
        content = write_trip_report(report)
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        log.log_document(
            None,
            format=options["format"],
            kind=log.TRIP_REPORT,
            row_count=len(report.sessions),
            filters={"event": event.pk, "contacts": options["with_contacts"], "via": "command"},
        )
        self.stdout.write(f"Wrote {output}: {len(report.sessions)} sessions, {len(report.people)} speakers.")
