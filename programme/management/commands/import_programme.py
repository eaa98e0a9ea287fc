"""python manage.py import_programme FILE [--event ID] [--time-zone ZONE] [--dry-run]: all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from conference.models import Event
from importing.files import MAX_FILE_BYTES
from programme.formats.base import known_zone
from programme.importing import import_programme


class Command(BaseCommand):
    help = (
        "Import a conference programme (agenda template CSV/XLSX, frab/pretalx JSON or XML, Indico or "
        "Sessionize JSON, iCalendar). Nothing is written unless the whole file is good; exit status 0 only then."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--event", type=int, help="Id of the event to import into (default: the one the file names)."
        )
        parser.add_argument(
            "--time-zone", default="", help="IANA zone of times the file gives without one (default: the event's)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and preview only; write nothing.")
        parser.add_argument(
            "--unsure",
            choices=["stop", "new"],
            default="stop",
            help="A speaker who may be a stored person: stop (default) or import as a new person.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{path} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB.")
        event = None
        if options["event"] is not None:
            event = Event.objects.filter(pk=options["event"]).first()
            if event is None:
                raise CommandError(f"No event with id {options['event']}.")
        if options["time_zone"] and known_zone(options["time_zone"]) is None:
            raise CommandError(f"“{options['time_zone']}” is not an IANA time zone (e.g. America/New_York).")
        plan = import_programme(
            path.read_bytes(),
            filename=path.name,
            dry_run=options["dry_run"],
            event=event,
            time_zone=options["time_zone"],
            unsure="new" if options["unsure"] == "new" else "ask",
        )
        for message in plan.file_errors:
            self.stderr.write(message)
        for error in plan.errors:
            self.stderr.write(str(error))
        for speaker in plan.undecided:
            candidates = "; ".join(f"{c.label} (id {c.person_id}: {', '.join(c.reasons)})" for c in speaker.candidates)
            self.stderr.write(f"{speaker.first.where}: {speaker.label} may be a stored person: {candidates}")
        for note in plan.notes + (plan.programme.notes if plan.programme else []):
            self.stdout.write(note)
        taipei = timezone.get_default_timezone()
        zone = known_zone(plan.zone_name) if plan.zone_name else None
        for session in plan.sessions:
            entry = session.entry
            if options["verbosity"] > 1 and zone is not None:
                self.stdout.write(
                    f"{session.status:9} {entry.starts_at.astimezone(zone):%Y-%m-%d %H:%M} {plan.zone_name} "
                    f"({entry.starts_at.astimezone(taipei):%Y-%m-%d %H:%M} Taipei) {entry.title}"
                )
        for session in plan.dropped:
            self.stdout.write(
                f"not in this file (kept; delete it if it did not take place): session id {session.pk}, "
                f"{session.starts_at.astimezone(taipei):%Y-%m-%d %H:%M} Taipei, {session.title or session.title_zh}"
            )
        counts = plan.counts
        summary = (
            "sessions: {s[new]} new, {s[update]} updated, {s[unchanged]} unchanged; "
            "people: {p[new]} new, {p[matched]} matched, {p[decide]} to decide; "
            "organizations: {o[new]} new, {o[matched]} matched; "
            "appearances: {a[new]} new, {a[update]} updated, {a[unchanged]} unchanged"
        ).format(s=counts["sessions"], p=counts["people"], o=counts["organizations"], a=counts["appearances"])
        if not plan.ok:
            raise CommandError(f"Nothing was imported from {path.name}: {summary}.")
        if plan.committed:
            self.stdout.write(f"Imported {path.name} into “{plan.event}” (id {plan.event.pk}): {summary}.")
        else:
            self.stdout.write(f"Dry run of {path.name}, nothing written: {summary}.")
