"""Fill the database with invented, reproducible demo data (people, organizations, events, workshops)."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from devtools.demo.builder import generate_demo_data
from devtools.demo.records import DEMO_MARK, analyze, real_data_counts


class Command(BaseCommand):
    help = (
        "Replace any demo data with N invented people and everything around them "
        "(organizations, events, sessions, workshops). Refuses to run on a database "
        "holding real data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True, help="How many people to invent.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data (default 1).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though the database holds real (non-demo) people, organizations or events.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, people, seed, force, no_progress, **options):
        if people < 1:
            raise CommandError("--people must be at least 1.")
        real = {name: count for name, count in real_data_counts().items() if count}
        if real and not force:
            found = ", ".join(f"{count} {name}" for name, count in real.items())
            raise CommandError(
                f"This database holds real data ({found}) that is not marked “{DEMO_MARK} …)”. "
                "Point DATABASE_URL at a database of its own, or add --force to add demo data beside it."
            )
        started = time.perf_counter()
        with tqdm(
            total=people, unit="people", disable=no_progress or options["verbosity"] < 1, file=self.stderr
        ) as bar:
            summary = generate_demo_data(people=people, seed=seed, progress=bar.update)
        elapsed = time.perf_counter() - started
        # The planner knows nothing of a bulk load until autovacuum gets to it; tell it now.
        analyze()
        counts = ", ".join(
            f"{value} {name.replace('_', ' ')}" for name, value in summary.as_dict().items() if name != "seed"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data (seed {seed}) written in {elapsed:.1f} s: {counts}."))
