"""Contact sheets from the command line.

python manage.py export_contacts --format csv|xlsx|json|vcf|html [--workshop ID] [--expertise NAME]…
    [--country CODE] [-o FILE]
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from contact_sheets.formats import FORMATS, GROUPINGS, PRINT_LIMIT, write_contact_sheet
from contact_sheets.log import log_export
from contact_sheets.selection import ContactSheetSelection, contact_sheet_people, describe_filters
from partners.models import ExpertiseArea, Person
from partners.resources import simple_key


class CommandOperator:
    """Who runs the command: not a user account, allowed to see sensitive people only when told so."""

    is_active = True
    is_authenticated = False
    pk = None

    def __init__(self, *, include_sensitive):
        self.include_sensitive = include_sensitive

    def has_perm(self, perm, obj=None):
        return self.include_sensitive and perm == "partners.view_sensitive_person"

    def get_username(self):
        return "command"


class Command(BaseCommand):
    help = (
        "Write a contact sheet. Without filters: everyone (sensitive people only with --include-sensitive). "
        "With --workshop/--expertise/--country: the candidate finder's people for those filters, best fit first. "
        "Every export is recorded in the export log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=list(FORMATS), default="csv")
        parser.add_argument("--workshop", type=int, help="A workshop's id: its candidates and their suitability.")
        parser.add_argument(
            "--expertise",
            action="append",
            default=[],
            metavar="NAME",
            help="An expertise area (code, English or Chinese name); repeatable; includes the areas below it.",
        )
        parser.add_argument("--country", help="ISO country code, e.g. US.")
        parser.add_argument("--group", choices=GROUPINGS, default=GROUPINGS[0], help="Grouping of the html sheet.")
        parser.add_argument("--include-sensitive", action="store_true", help="Include people marked sensitive.")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        operator = CommandOperator(include_sensitive=options["include_sensitive"])
        params = QueryDict(mutable=True)
        if options["workshop"] is not None:
            params["workshop"] = str(options["workshop"])
        for name in options["expertise"]:
            params.appendlist("expertise", str(self.area(name).pk))
        if options["country"]:
            params["country"] = options["country"].strip().upper()
        if params:
            selection = contact_sheet_people(params, user=operator)
            if options["workshop"] is not None and selection.workshop is None:
                raise CommandError(f"No workshop with id {options['workshop']}.")
        else:
            selection = ContactSheetSelection(Person.objects.visible_to(operator), None, {}, ranked=False)
        fmt = options["format"]
        total = selection.people.count()
        context = {"filters": describe_filters(selection.filters), "group": options["group"], "total": total}
        output = options["output"]
        stream = open(output, "wb") if output else sys.stdout.buffer  # noqa: SIM115 (stdout is not ours to close)
        try:
            count = write_contact_sheet(
                selection.people,
                fmt,
                stream,
                workshop=selection.workshop,
                ranked=selection.ranked,
                context=context,
            )
        finally:
            if output:
                stream.close()
            else:
                stream.flush()
        log_export(
            None,
            format=fmt,
            source="command",
            row_count=count,
            filters=selection.filters,
            included_sensitive=selection.people.filter(sensitive=True).exists(),
        )
        if output:
            note = f" (the printable sheet shows the first {PRINT_LIMIT})" if fmt == "html" and total > count else ""
            self.stderr.write(f"Wrote {count} people to {output}{note}.")

    def area(self, name):
        key = simple_key(name)
        for area in ExpertiseArea.objects.all():
            if key in {simple_key(area.code), simple_key(area.name), simple_key(area.name_zh)}:
                return area
        raise CommandError(f"No expertise area called “{name}” (give its code, English or Chinese name).")
