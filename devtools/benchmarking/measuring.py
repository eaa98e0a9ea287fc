"""Measuring each part: the person changelist, the candidate finder, exports, the import, the duplicate lookup."""

import datetime as dt
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from conference.models import Event
from conference.selectors import people_matching_text
from devtools.benchmarking.data import (
    benchmark_user,
    benchmark_viewer,
    database_info,
    git_commit,
    machine_info,
    migrate_if_needed,
    prepare_demo_data,
    python_loop_seconds,
)
from devtools.benchmarking.figures import BENCHMARK_USERNAME, FIGURES, NOT_BUILT, PART_FIGURES, PARTS, Figure, timed
from devtools.benchmarking.import_file import build_import_file
from devtools.benchmarking.memory import MEMORY_SCRIPT, export_memory_in_process
from devtools.benchmarking.references import untuned_resource_class, write_raw_csv
from devtools.demo.records import DEMO_MARK, demo_people
from outreach.models import Interaction
from partners.models import ContactMethod, ExpertiseArea, Person
from partners.textsearch import has_cjk


class Benchmark:
    """One benchmark run: prepare the data, measure every figure, return the report."""

    def __init__(
        self,
        *,
        people,
        seed=1,
        repeat=5,
        export_repeat=3,
        import_rows=10_000,
        untuned_rows=1_000,
        force=False,
        migrate=True,
        memory="auto",
        only=None,
        progress=None,
        log=print,
    ):
        self.people = people
        self.seed = seed
        self.repeat = repeat
        self.export_repeat = export_repeat
        self.import_rows = import_rows
        self.untuned_rows = untuned_rows
        self.force = force
        self.migrate = migrate
        self.memory = memory
        self.only = set(only) if only else set(PARTS)
        self.progress = progress
        self.log = log
        self.figures = {
            key: Figure(key, label, unit, target, comparison) for key, label, unit, target, comparison in FIGURES
        }

    def run(self):
        started = dt.datetime.now(dt.UTC)
        report = {
            "people": self.people,
            "seed": self.seed,
            "repetitions": {"pages": self.repeat, "exports": self.export_repeat, "imports": self.export_repeat},
            "started_at": started.isoformat(timespec="seconds"),
            "database": database_info(),
            "git": git_commit(),
            "machine": {**machine_info(), "python_loop_seconds": python_loop_seconds()},
        }
        report["migrated"] = migrate_if_needed() if self.migrate else False
        report["demo_data"] = prepare_demo_data(
            people=self.people, seed=self.seed, force=self.force, progress=self.progress
        )
        self.user = benchmark_user()
        self.visible = Person.objects.visible_to(self.user)
        for part, measure in PARTS.items():
            if part in self.only:
                getattr(self, measure)()
            else:
                self.skip(*PART_FIGURES[part], reason="not measured in this run (--only)")
        report["figures"] = {key: figure.as_dict() for key, figure in self.figures.items()}
        report["seconds"] = round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1)
        report["machine"]["load_average_after"] = machine_info().get("load_average")
        report["machine"]["python_loop_seconds_after"] = python_loop_seconds()
        return report

    # -- helpers --

    def client(self, user=None):
        """A client signed in as ``user`` (the benchmark user) with the second step passed, as staff use the
        pages: an account with an authenticator is asked for it whatever ``LIAISON_REQUIRE_OTP`` says, so the
        session records a confirmed authenticator of its own as ``django_otp.login`` records it."""
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = user or self.user
        client = Client()
        client.force_login(user)
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name="Benchmark authenticator", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    def measure_page(self, figure, client, url, params=None):
        """Warm up once, count the queries of one request, then time ``repeat`` requests."""
        figure = self.figures[figure]
        response = client.get(url, params)
        if response.status_code != 200:
            figure.status = f"failed: HTTP {response.status_code}"
            self.log(f"  {figure.label}: HTTP {response.status_code}")
            return None
        with CaptureQueriesContext(connection) as captured:
            client.get(url, params)
        queries = len(captured.captured_queries)  # read now: later requests clear the log
        cpu = []
        for _ in range(self.repeat):
            started = time.process_time()
            _response, seconds = timed(client.get, url, params)
            cpu.append(round((time.process_time() - started) * 1000, 1))
            figure.samples.append(round(seconds * 1000, 1))
        figure.details.update(
            {
                "queries": queries,
                # This process's CPU time (not the database server's): less sensitive to shared cores.
                "python_cpu_ms": statistics.median(cpu),
                "url": url,
                "params": params or {},
            }
        )
        self.log(f"  {figure.label}: {figure.median} ms ({statistics.median(cpu)} ms Python CPU), {queries} queries")
        return response

    def skip(self, *keys, reason=NOT_BUILT):
        for key in keys:
            self.figures[key].status = reason
            self.log(f"  {self.figures[key].label}: {reason}")

    # -- 1. the person changelist --

    def measure_changelist(self):
        self.log("Person changelist (admin, superuser):")
        client = self.client()
        url = reverse("admin:partners_person_changelist")
        self.measure_page("changelist_plain", client, url)
        person = (
            demo_people().filter(country="US").exclude(given_name="").exclude(family_name="").order_by("uuid").first()
        )
        words = f"{person.given_name} {person.family_name}" if person else "mei chen"
        self.measure_page("changelist_search", client, url, {"q": words})
        area = self.broadest_area()
        self.measure_page("changelist_expertise", client, url, {"expertise_links__area__under": area.pk})
        self.figures["changelist_expertise"].details["area"] = area.name

    def broadest_area(self):
        """The top-level area with the most areas below it (a demanding subtree filter)."""
        paths = list(ExpertiseArea.objects.values_list("path", flat=True))
        roots = ExpertiseArea.objects.filter(depth=1)
        return max(roots, key=lambda root: (sum(path.startswith(root.path) for path in paths), -root.pk))

    # -- 2. the candidate finder --

    def measure_candidate_finder(self):
        self.log("Candidate finder:")
        try:
            url = reverse("candidates")
        except NoReverseMatch:
            self.skip("candidate_finder")
            return
        workshop = (
            Event.objects.workshops().filter(description__startswith=DEMO_MARK).order_by("uuid").first()
            or Event.objects.workshops().order_by("pk").first()
        )
        if workshop is None:
            self.skip("candidate_finder", reason="no workshop in the database")
            return
        self.measure_page("candidate_finder", self.client(), url, {"workshop": workshop.pk, "country": "US"})
        self.figures["candidate_finder"].details["themes"] = workshop.themes.count()
        self.measure_chinese_search(url)

    def measure_chinese_search(self, finder_url):
        """The finder's text search without a workshop (trigram indexes for 3 characters; 1 character reads the
        people once) and the person list's search for a short word, with words from a demo person's Chinese name."""
        name = chinese_name_of_three(demo_people())
        if name is None:
            self.skip(
                "finder_text_name", "finder_text_character", "changelist_search_short", reason="no Chinese demo name"
            )
            return
        for key, word in (("finder_text_name", name), ("finder_text_character", name[0])):
            self.measure_page(key, self.client(), finder_url, {"q": word})
            found = people_matching_text(self.visible.contactable(), word).count()
            self.figures[key].details.update({"word": word, "found": found})
        url = reverse("admin:partners_person_changelist")
        self.measure_page("changelist_search_short", self.client(), url, {"q": name[:2]})
        self.figures["changelist_search_short"].details["word"] = name[:2]

    # -- 3. exports --

    def measure_exports(self):
        self.log(f"Contact sheet export of all {self.visible.count()} people:")
        try:
            from contact_sheets.formats import write_contact_sheet
        except ImportError:
            write_contact_sheet = None
        for fmt in ("csv", "xlsx"):
            key = f"export_{fmt}"
            if write_contact_sheet is None:
                self.skip(key, f"{key}_memory")
                continue
            seconds = []
            for _ in range(self.export_repeat):
                with tempfile.TemporaryFile() as stream:
                    rows, elapsed = timed(write_contact_sheet, self.visible, fmt, stream)
                seconds.append(elapsed)
            self.record_rate(key, rows, seconds)
            self.measure_memory(f"{key}_memory", fmt)

        seconds = []
        for _ in range(self.export_repeat):
            with tempfile.TemporaryFile() as stream:
                rows, elapsed = timed(write_raw_csv, stream)
            seconds.append(elapsed)
        self.record_rate("export_raw_csv", rows, seconds)

        untuned = untuned_resource_class()()
        sample = Person.objects.order_by("full_name", "pk")[: self.untuned_rows]
        seconds = []
        for _ in range(self.export_repeat):
            with tempfile.TemporaryFile() as stream:
                dataset, elapsed = timed(lambda: untuned.export(queryset=sample))
                stream.write(dataset.csv.encode())
            seconds.append(elapsed)
        self.record_rate("export_untuned_csv", len(dataset), seconds)

        liaison = self.figures["export_csv"]
        if liaison.samples:
            raw = self.figures["export_raw_csv"]
            untuned = self.figures["export_untuned_csv"]
            ratio = self.figures["csv_time_vs_raw"]
            ratio.samples = [round(raw.median / liaison.median, 2)]  # time ratio = inverse rate ratio
            ratio.details["basis"] = "median rows/s of the raw limit ÷ median rows/s of the CSV export"
            speedup = self.figures["speedup_vs_untuned"]
            speedup.samples = [round(liaison.median / untuned.median, 1)]
            speedup.details["basis"] = "median rows/s of the CSV export ÷ median rows/s of the untuned resource"
            self.log(f"  CSV time vs raw limit: {ratio.median}×; speed vs untuned resource: {speedup.median}×")
        else:
            self.skip("csv_time_vs_raw", "speedup_vs_untuned")

    def record_rate(self, key, rows, seconds):
        figure = self.figures[key]
        figure.samples = [round(rows / value) for value in seconds]
        figure.details.update({"rows": rows, "seconds": [round(value, 3) for value in seconds]})
        self.log(f"  {figure.label}: {figure.median} rows/s ({rows} rows, {statistics.median(seconds):.2f} s)")

    def memory_method(self):
        if self.memory != "auto":
            return self.memory
        in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
        return "tracemalloc" if in_memory or connection.in_atomic_block else "subprocess"

    def measure_memory(self, key, fmt):
        figure = self.figures[key]
        method = self.memory_method()
        if method == "subprocess":
            completed = subprocess.run(
                [sys.executable, "-c", MEMORY_SCRIPT, fmt, BENCHMARK_USERNAME],
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
                env={
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
                },
            )
            if completed.returncode != 0:
                figure.status = "failed: " + completed.stderr.strip().splitlines()[-1][:200]
                self.log(f"  {figure.label}: {figure.status}")
                return
            result = json.loads(completed.stdout.strip().splitlines()[-1])
            figure.samples = [result["peak_rss_mb"]]
            figure.details.update(
                {
                    "method": "peak RSS of a separate process (VmHWM)",
                    "baseline_rss_mb": result["baseline_rss_mb"],
                    "rows": result["rows"],
                }
            )
        else:
            result = export_memory_in_process(fmt, self.visible)
            figure.samples = [result["peak_mb"]]
            figure.details.update({"method": "tracemalloc peak of Python allocations", "rows": result["rows"]})
        self.log(f"  {figure.label}: {figure.median} MB ({figure.details['method']})")

    # -- 4. import --

    def measure_import(self):
        self.log(f"Import of {self.import_rows} rows (5% duplicates, 1% changed):")
        try:
            from contact_sheets.formats import write_contact_sheet
            from importing.contacts import import_contacts
        except ImportError:
            self.skip("import_preview", "import_commit", "import_updates_commit")
            return
        content, composition = build_import_file(
            self.visible, rows=self.import_rows, seed=self.seed, write_contact_sheet=write_contact_sheet
        )
        for key in ("import_preview", "import_commit"):
            self.figures[key].details.update(composition)
        preview, commit = [], []
        for _ in range(self.export_repeat):
            result = committed = None
            self.before_timed_import("import_preview")
            result, seconds = timed(
                import_contacts, content, user=self.user, dry_run=True, filename="benchmark.csv", unsure="new"
            )
            preview.append(seconds)
            committed = None
            self.before_timed_import("import_commit")
            with transaction.atomic():
                committed, seconds = timed(
                    import_contacts, content, user=self.user, dry_run=False, filename="benchmark.csv", unsure="new"
                )
                transaction.set_rollback(True)
            commit.append(seconds)
        self.record_rate("import_preview", len(result.rows), preview)
        self.record_rate("import_commit", len(committed.rows), commit)
        for key, outcome in (("import_preview", result), ("import_commit", committed)):
            figure = self.figures[key]
            figure.details["outcome"] = {
                "counts": {str(status): count for status, count in outcome.counts.items()},
                "errors": [str(error) for error in outcome.errors[:5]],
                "file_errors": outcome.file_errors,
                "committed": outcome.committed,
            }
            if outcome.file_errors or outcome.errors or (key == "import_commit" and not outcome.committed):
                figure.status = "measured, but the import did not succeed"
        self.log(f"  outcome: {result.counts}")
        self.measure_import_of_updates(import_contacts, write_contact_sheet)

    def before_timed_import(self, key):
        """What a job worker's import starts from: autovacuum's rule applied to what the runs before
        left (``autovacuum_as_configured``; the tables done are counted in the figure's details)
        and a collected heap (``fresh_heap``)."""
        done = autovacuum_as_configured()
        if done:
            counts = self.figures[key].details.setdefault("tables vacuumed or analyzed before runs", {})
            for table in done:
                counts[table] = counts.get(table, 0) + 1
        fresh_heap()

    def measure_import_of_updates(self, import_contacts, write_contact_sheet):
        """The update-heavy variant: every row a stored person with two changed cells."""
        key = "import_updates_commit"
        content, composition = build_import_file(
            self.visible, rows=self.import_rows, seed=self.seed, write_contact_sheet=write_contact_sheet, updates=True
        )
        figure = self.figures[key]
        figure.details.update(composition)
        seconds = []
        for _ in range(self.export_repeat):
            committed = None
            self.before_timed_import(key)
            with transaction.atomic():
                committed, elapsed = timed(
                    import_contacts, content, user=self.user, dry_run=False, filename="updates.csv", unsure="new"
                )
                transaction.set_rollback(True)
            seconds.append(elapsed)
        self.record_rate(key, len(committed.rows), seconds)
        figure.details["outcome"] = {
            "counts": {str(status): count for status, count in committed.counts.items()},
            "errors": [str(error) for error in committed.errors[:5]],
            "file_errors": committed.file_errors,
            "committed": committed.committed,
        }
        if committed.file_errors or committed.errors or not committed.committed:
            figure.status = "measured, but the import did not succeed"
        self.log(f"  outcome of the updates: {committed.counts}")

    # -- 5. duplicate lookup --

    def measure_duplicate_lookup(self):
        self.log("Duplicate lookup (the import's matcher):")
        try:
            from importing.matching import find_person_matches
        except ImportError:
            self.skip("duplicate_lookup")
            return
        people = list(demo_people().filter(contact_methods__kind="email").order_by("uuid").distinct()[:25])
        figure = self.figures["duplicate_lookup"]
        found = 0
        for person in people:
            emails = list(ContactMethod.objects.filter(person=person, kind="email").values_list("value", flat=True))
            organizations = list(person.affiliations.values_list("organization_id", flat=True))
            matches, seconds = timed(
                find_person_matches,
                full_name=person.full_name,
                name_zh=person.name_zh,
                emails=emails,
                organization_ids=organizations,
                people=self.visible,
            )
            found += any(match.person_id == person.pk for match in matches)
            figure.samples.append(round(seconds * 1000, 2))
        figure.details.update({"lookups": len(people), "found_themselves": found})
        self.log(f"  {figure.label}: {figure.median} ms (found {found} of {len(people)})")

    # -- 6. programme import (programme/) --

    def measure_programme_import(self, sessions=300, speakers=500):
        """Preview and commit of a frab programme together, rolled back after each run."""
        self.log(f"Programme import of {sessions} sessions, {speakers} speakers:")
        from devtools.benchmarking.programme_file import build_programme_file
        from programme.importing import import_programme

        content, composition = build_programme_file(self.visible, sessions=sessions, speakers=speakers, seed=self.seed)
        figure = self.figures["programme_import"]
        figure.details.update(composition)
        samples = []
        for _ in range(self.export_repeat):
            with transaction.atomic():
                started = time.perf_counter()
                preview = import_programme(content, filename="schedule.json", user=self.user, dry_run=True)
                committed = import_programme(
                    content, filename="schedule.json", user=self.user, dry_run=False, unsure="new"
                )
                samples.append(time.perf_counter() - started)
                transaction.set_rollback(True)
        figure.samples = samples
        figure.details["outcome"] = {
            "counts": committed.counts,
            "errors": [str(error) for error in (committed.file_errors + committed.errors)[:5]],
            "committed": committed.committed,
            "preview_counts": preview.counts,
        }
        if not committed.committed:
            figure.status = "measured, but the import did not succeed"
        self.log(f"  {figure.label}: {statistics.median(samples):.2f} s; {committed.counts}")

    # -- 7. outreach: the overview and the new list pages --

    def measure_overview(self):
        """The overview and the reconfirm list as a superuser and as a Viewer (who may not see the
        sensitive people: every count leaves them out), and the interactions' admin list."""
        self.log("Overview, contacts to reconfirm, interactions:")
        viewer = benchmark_viewer()
        # A demo workshop's pipeline (the demo's workshops are all past, so none is "next").
        workshop = Event.objects.workshops().filter(description__startswith=DEMO_MARK).order_by("uuid").first()
        params = {"workshop": workshop.pk} if workshop else None
        for suffix, user in (("", self.user), ("_viewer", viewer)):
            client = self.client(user)
            self.measure_page(f"overview{suffix}", client, reverse("overview"), params)
            self.measure_page(f"reconfirm_list{suffix}", client, reverse("reconfirm"))
        self.measure_page("interaction_list", self.client(), reverse("admin:outreach_interaction_changelist"))
        self.figures["interaction_list"].details["interactions"] = Interaction.objects.count()
        self.figures["overview_viewer"].details["hidden_people"] = Person.objects.hidden_from(viewer).count()


def chinese_name_of_three(people):
    """The Chinese name of three Chinese characters of the first of ``people`` (by uuid) who has one, or None."""
    for name in people.exclude(name_zh="").order_by("uuid").values_list("name_zh", flat=True)[:1000]:
        if len(name) == 3 and all(has_cjk(character) for character in name):
            return name
    return None


def autovacuum_as_configured():
    """Run autovacuum's rule now where the server has autovacuum off: ``VACUUM`` / ``ANALYZE`` each
    table whose dead rows (or rows inserted, or changed since its statistics) exceed the server's
    own thresholds (``autovacuum_vacuum_threshold`` + ``autovacuum_vacuum_scale_factor`` × rows,
    and the insert and analyze ones alike). Returns the tables done, ``[]`` where autovacuum is on
    (it does this itself), on SQLite, or inside a transaction (where ``VACUUM`` cannot run).

    Called before each timed import (untimed): the benchmark rolls back every import it times, and
    each rolled-back run leaves a tenth of the people and all its history rows dead. Left in place
    with autovacuum off, they piled up run after run (181,000 dead people's rows, the table at
    144 MB instead of 51) and every later run read through them: a state no database with
    autovacuum on reaches (it vacuums a table once a fifth of its rows are dead).
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "on":
            return []
        if connection.pg_version >= 150000:
            cursor.execute("SELECT pg_stat_force_next_flush()")  # this session's counts, in the view below
        cursor.execute(
            """
            SELECT format('%I.%I', stat.schemaname, stat.relname),
                   stat.n_dead_tup > current_setting('autovacuum_vacuum_threshold')::float
                       + current_setting('autovacuum_vacuum_scale_factor')::float * greatest(class.reltuples, 0)
                   OR stat.n_ins_since_vacuum > current_setting('autovacuum_vacuum_insert_threshold')::float
                       + current_setting('autovacuum_vacuum_insert_scale_factor')::float
                       * greatest(class.reltuples, 0),
                   stat.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float
                       + current_setting('autovacuum_analyze_scale_factor')::float * greatest(class.reltuples, 0)
            FROM pg_stat_user_tables AS stat JOIN pg_class AS class ON class.oid = stat.relid
            """
        )
        due = [
            (table, "VACUUM ANALYZE" if vacuum else "ANALYZE")
            for table, vacuum, stale in cursor.fetchall()
            if vacuum or stale
        ]
        for table, command in due:
            cursor.execute(f"{command} {table}")
    return [table for table, _command in due]


def fresh_heap():
    """Collect what earlier runs left before timing the next import, as a job worker starts each
    import: the import pauses the cycle collector while it runs, and the first collection after
    it walks every object it made; without this, one run's collection was timed in the next
    (0.1–0.4 s of a 10,000-row import)."""
    gc.collect()
