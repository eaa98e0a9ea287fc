"""Erase one person's identity and contact details on request (privacy.services.erase_person)."""

from django.core.management.base import BaseCommand, CommandError

from partners.models import Person
from privacy.services import ErasureRefused, erase_person


class Command(BaseCommand):
    help = (
        "Erase a person's identity and contact details everywhere, keeping their appearances as an anonymous "
        "speaker of their organization. Exit status 0 only when erased."
    )

    def add_arguments(self, parser):
        parser.add_argument("person_id", type=int, help="The person's id (the number in their admin page's address).")
        parser.add_argument("--reason", required=True, help="Why: e.g. the request's date and reference.")

    def handle(self, *args, person_id, reason, **options):
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise CommandError(f"No person with id {person_id}; nothing erased.")
        try:
            record = erase_person(person, reason=reason, by=None)
        except ErasureRefused as refusal:
            raise CommandError(f"{refusal} Nothing erased.") from None
        self.stdout.write(f"Person #{person_id} erased; erasure record #{record.pk}.")
