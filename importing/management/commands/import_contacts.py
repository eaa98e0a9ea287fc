"""python manage.py import_contacts FILE [--dry-run]: the contact sheet's columns, every row or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importing.contacts import import_contacts
from importing.files import MAX_FILE_BYTES


class Command(BaseCommand):
    help = (
        "Import people and organizations from a CSV or XLSX contact sheet. Nothing is written unless every "
        "row is good; the exit status is 0 only then. Possible duplicates stop the import unless --unsure=new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check and preview only; write nothing.")
        parser.add_argument(
            "--unsure",
            choices=["stop", "new"],
            default="stop",
            help="What to do with a possible duplicate nobody decided on: stop (default) or import it as new.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{path} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB.")
        result = import_contacts(
            path.read_bytes(),
            user=None,
            dry_run=options["dry_run"],
            filename=path.name,
            unsure="new" if options["unsure"] == "new" else "ask",
        )
        for message in result.file_errors:
            self.stderr.write(message)
        for error in result.errors:
            self.stderr.write(str(error))
        for row in result.rows:
            if row.status == "duplicate":
                candidates = "; ".join(f"{c.label} (id {c.person_id}: {', '.join(c.reasons)})" for c in row.candidates)
                self.stderr.write(f"Row {row.number}: {row.label} may be a stored person: {candidates}")
        if result.ignored_columns:
            self.stderr.write("Ignored columns: " + ", ".join(result.ignored_columns))
        counts = result.counts
        summary = (
            f"{counts['new']} new, {counts['update']} updated, {counts['unchanged']} unchanged, "
            f"{counts['duplicate']} possible duplicates, {counts['error']} rows with errors"
        )
        if not result.ok:
            raise CommandError(f"Nothing was imported from {path.name}: {summary}.")
        if result.committed:
            self.stdout.write(f"Imported {path.name}: {summary}.")
        else:
            self.stdout.write(f"Dry run of {path.name}, nothing written: {summary}.")
