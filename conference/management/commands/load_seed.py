"""Load the seed record once: skipped when it is already in the database."""

import json

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the seed record (fixtures/<LIAISON_SEED_FIXTURE>.json) unless it is already loaded."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load it again, resetting the seed rows.")

    def handle(self, *args, force=False, **options):
        name = settings.LIAISON_SEED_FIXTURE
        path = settings.BASE_DIR / "fixtures" / f"{name}.json"
        if not path.exists():
            self.stdout.write(f"No seed record yet ({path.name} does not exist); nothing loaded.")
            return
        if not force and self.already_loaded(path):
            self.stdout.write(f"Seed record {name} already loaded; left as it is (use --force to reload).")
            return
        call_command("loaddata", name, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Loaded the seed record {name}."))

    def already_loaded(self, path):
        """True when the fixture's events are in the database (edits to them are kept)."""
        objects = json.loads(path.read_text(encoding="utf-8"))
        Event = apps.get_model("conference", "Event")
        keys = [o["fields"]["uuid"] for o in objects if o["model"] == "conference.event"]
        return bool(keys) and Event.objects.filter(uuid__in=keys).count() == len(keys)
