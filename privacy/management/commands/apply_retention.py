"""Apply the retention periods (settings.LIAISON_RETENTION_YEARS): prune old log entries, count people due."""

from django.core.management.base import BaseCommand

from partners.models import Person
from privacy.retention import people_due_for_review, retention_years
from privacy.services import prune_logs


class Command(BaseCommand):
    help = (
        "Delete access- and export-log entries older than their retention period and report how many people are "
        "due for a retention review (people are never deleted here: an administrator reviews them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; delete nothing.")

    def handle(self, *args, dry_run, **options):
        counts = prune_logs(dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        for kind, label in (("accesslog", "access log"), ("exportlog", "export log")):
            self.stdout.write(f"{label}: {counts[kind]} entries older than {retention_years(kind)} years {verb}")
        due = people_due_for_review(Person.objects.all()).count()
        self.stdout.write(
            f"people due for review (nothing recorded in {retention_years('person')} years): {due} "
            "(admin: Personal data › People due for review)"
        )
