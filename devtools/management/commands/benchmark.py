"""Measure Liaison at scale on the database DATABASE_URL names; print a table and write JSON."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from tqdm import tqdm

from devtools.benchmarking.data import LOOP_ITERATIONS, LOOP_TRIES
from devtools.benchmarking.figures import PARTS
from devtools.benchmarking.measuring import Benchmark


class Command(BaseCommand):
    help = (
        "Build (or reuse) a demo database of N people on the current DATABASE_URL and measure the "
        "person changelist, the candidate finder, contact-sheet exports, the import and the duplicate "
        "matcher. Use a database of its own: it migrates it and replaces its demo data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000, help="Demo people to measure with (default 10,000).")
        parser.add_argument("--json", dest="json_file", help="Write the figures as JSON to this file.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the demo data (default 1).")
        parser.add_argument("--repeat", type=int, default=7, help="Repetitions of each page figure (default 7).")
        parser.add_argument(
            "--export-repeat", type=int, default=3, help="Repetitions of each export and import figure (default 3)."
        )
        parser.add_argument("--import-rows", type=int, default=10_000, help="Rows in the import file (default 10,000).")
        parser.add_argument(
            "--untuned-rows",
            type=int,
            default=1_000,
            help="People exported by the untuned reference resource (default 1,000: it makes queries per row).",
        )
        parser.add_argument(
            "--memory",
            choices=["auto", "subprocess", "tracemalloc"],
            default="auto",
            help="How to measure an export's peak memory (default: a separate process when it can see the data).",
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=list(PARTS),
            help="Measure only this part (repeatable; default: every part).",
        )
        parser.add_argument("--force", action="store_true", help="Run even on a database holding real data.")
        parser.add_argument(
            "--no-migrate", action="store_true", help="Measure the schema as it is (do not apply pending migrations)."
        )

    def handle(self, *args, **options):
        if options["people"] < 1 or options["repeat"] < 1 or options["export_repeat"] < 1:
            raise CommandError("--people, --repeat and --export-repeat must be at least 1.")
        quiet = options["verbosity"] < 1
        with tqdm(total=options["people"], unit="people", disable=quiet, file=self.stderr, leave=False) as bar:
            benchmark = Benchmark(
                people=options["people"],
                seed=options["seed"],
                repeat=options["repeat"],
                export_repeat=options["export_repeat"],
                import_rows=options["import_rows"],
                untuned_rows=options["untuned_rows"],
                force=options["force"],
                migrate=not options["no_migrate"],
                memory=options["memory"],
                only=options["only"],
                progress=bar.update,
                log=(lambda line: None) if quiet else self.stdout.write,
            )
            # Measure as production runs: no SQL logging (DEBUG off); query counts are still captured.
            # The benchmark's accounts sign in without a second step (force_login): the pages are
            # measured, not the two-step sign-in, which would otherwise redirect every request.
            with override_settings(DEBUG=False, LIAISON_REQUIRE_OTP=False):
                try:
                    report = benchmark.run()
                except ValueError as error:
                    raise CommandError(str(error)) from error
        self.stdout.write(format_table(report))
        if options["json_file"]:
            with open(options["json_file"], "w", encoding="utf-8") as output:
                json.dump(report, output, ensure_ascii=False, indent=2)
                output.write("\n")
            self.stdout.write(f"Wrote {options['json_file']}")


def format_table(report):
    """The report as a plain-text table (Markdown-compatible)."""
    database = report["database"]
    machine = report["machine"]
    lines = [
        "",
        f"Liaison benchmark: {report['people']:,} people on {database['vendor']} {database['version']}, "
        f"{machine['cpus']} CPUs (load {machine.get('load_average')}), commit {(report['git']['commit'] or '?')[:10]}"
        + (" (uncommitted changes)" if report["git"]["dirty"] else ""),
        "",
        f"The machine's speed: a fixed Python loop ({LOOP_ITERATIONS:,} additions, best of {LOOP_TRIES}) took "
        f"{machine.get('python_loop_seconds')} s before the figures, "
        f"{machine.get('python_loop_seconds_after')} s after.",
        "",
        "| figure | median | min | max | unit | queries | target | met |",
        "| --- | ---: | ---: | ---: | --- | ---: | --- | --- |",
    ]
    for figure in report["figures"].values():
        if figure["median"] is None:
            lines.append(f"| {figure['label']} | {figure['status']} | | | | | {target(figure)} | |")
            continue
        met = {True: "yes", False: "NO", None: ""}[figure["met"]]
        lines.append(
            f"| {figure['label']} | {number(figure['median'])} | {number(figure['min'])} | {number(figure['max'])} "
            f"| {figure['unit']} | {figure.get('queries', '')} | {target(figure)} | {met} |"
        )
    demo = report["demo_data"]
    if demo["generated"]:
        lines += ["", f"Demo data generated in {demo['seconds']} s."]
    lines.append(f"Benchmark took {report['seconds']} s.")
    return "\n".join(lines)


def number(value):
    if value is None:
        return ""
    if isinstance(value, float) and value < 100:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,.0f}"


def target(figure):
    if figure["target"] is None:
        return ""
    return f"{figure['comparison'].replace('<=', '≤').replace('>=', '≥')} {number(figure['target'])} {figure['unit']}"
