"""Measuring Liaison at scale: the figures ``manage.py benchmark`` reports.

Every figure is measured several times on the database ``DATABASE_URL`` names and reported as
the median with the min and max. Pages go through Django's test client as a superuser, so
"server time" is everything Django does for the request (middleware, queries, templates)
without a network. Exports write to a temporary file. Peak memory is the peak resident size of
a separate process that does one export (``export_in_this_process``),
or, where that process cannot see the data (inside a test's transaction), the peak of
Python's allocations (``tracemalloc``).

Figures whose feature is not built yet are reported with the status "not built yet".
"""

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from conference.models import Event
from devtools.demo import DEMO_MARK, DemoBuilder, analyze, demo_people, generate_demo_data, real_data_counts
from partners.models import ContactMethod, ExpertiseArea, Person

NOT_BUILT = "not built yet"
# Run by ``measure_memory`` in a fresh interpreter, so the peak resident size is one export's.
MEMORY_SCRIPT = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from devtools.benchmarking import export_in_this_process
print(json.dumps(export_in_this_process(sys.argv[1], sys.argv[2])))
"""
BENCHMARK_USERNAME = "liaison-benchmark"
# The parts of a run (``--only``), the method that measures each and the figures it reports.
PARTS = {
    "changelist": "measure_changelist",
    "finder": "measure_candidate_finder",
    "exports": "measure_exports",
    "import": "measure_import",
    "lookup": "measure_duplicate_lookup",
}
PART_FIGURES = {
    "changelist": ("changelist_plain", "changelist_search", "changelist_expertise"),
    "finder": ("candidate_finder",),
    "exports": (
        "export_csv",
        "export_csv_memory",
        "export_xlsx",
        "export_xlsx_memory",
        "export_raw_csv",
        "export_untuned_csv",
        "csv_time_vs_raw",
        "speedup_vs_untuned",
    ),
    "import": ("import_preview", "import_commit"),
    "lookup": ("duplicate_lookup",),
}

# (figure key, label, unit, target, comparison)
FIGURES = [
    ("changelist_plain", "Person changelist, plain", "ms", 150, "<="),
    ("changelist_search", "Person changelist, two-word search", "ms", 250, "<="),
    ("changelist_expertise", "Person changelist, expertise filter", "ms", 250, "<="),
    ("candidate_finder", "Candidate finder, workshop (3 themes) + country", "ms", 250, "<="),
    ("export_csv", "Contact sheet CSV export", "rows/s", 20_000, ">="),
    ("export_csv_memory", "Contact sheet CSV export, peak memory", "MB", None, None),
    ("export_xlsx", "Contact sheet XLSX export", "rows/s", 8_000, ">="),
    ("export_xlsx_memory", "Contact sheet XLSX export, peak memory", "MB", 300, "<="),
    ("export_raw_csv", "Raw limit: one SQL query → csv.writer", "rows/s", None, None),
    ("export_untuned_csv", "Untuned django-import-export ModelResource, CSV", "rows/s", None, None),
    ("csv_time_vs_raw", "CSV export time ÷ raw limit time", "×", 4, "<="),
    ("speedup_vs_untuned", "CSV export speed ÷ untuned resource speed", "×", 4, ">="),
    ("import_preview", "Import with duplicate matching, preview", "rows/s", 2_000, ">="),
    ("import_commit", "Import with duplicate matching, commit", "rows/s", 2_000, ">="),
    ("duplicate_lookup", "Duplicate lookup for one person", "ms", 30, "<="),
]


@dataclasses.dataclass
class Figure:
    key: str
    label: str
    unit: str
    target: float | None = None
    comparison: str | None = None
    samples: list = dataclasses.field(default_factory=list)
    details: dict = dataclasses.field(default_factory=dict)
    status: str = "measured"

    @property
    def median(self):
        return statistics.median(self.samples) if self.samples else None

    @property
    def met(self):
        if self.target is None or self.median is None:
            return None
        return self.median <= self.target if self.comparison == "<=" else self.median >= self.target

    def as_dict(self):
        return {
            "label": self.label,
            "unit": self.unit,
            "status": self.status,
            "median": self.median,
            "min": min(self.samples) if self.samples else None,
            "max": max(self.samples) if self.samples else None,
            "samples": self.samples,
            "target": self.target,
            "comparison": self.comparison,
            "met": self.met,
            **self.details,
        }


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


# --- the data ----------------------------------------------------------------------------------


def migrate_if_needed():
    """Apply pending migrations (a fresh benchmark database needs them); True when some ran."""
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True


def prepare_demo_data(*, people, seed, force, progress=None):
    """Reuse the demo data when it already holds ``people`` people, else (re)generate it.

    Returns ``{"generated": bool, "seconds": float or None}``. Refuses (``ValueError``) to
    touch a database holding real data unless ``force``.
    """
    if demo_people().count() == people:
        analyze()
        return {"generated": False, "seconds": None}
    real = {name: count for name, count in real_data_counts().items() if count}
    if real and not force:
        found = ", ".join(f"{count} {name}" for name, count in real.items())
        raise ValueError(f"the database holds real data ({found}); use a database of its own or --force")
    summary, seconds = timed(generate_demo_data, people=people, seed=seed, progress=progress)
    analyze()
    return {"generated": True, "seconds": round(seconds, 1), "rows": summary.as_dict()}


def benchmark_user():
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=BENCHMARK_USERNAME, defaults={"is_staff": True, "is_superuser": True, "email": ""}
    )
    if not (user.is_staff and user.is_superuser and user.is_active):
        user.is_staff = user.is_superuser = user.is_active = True
        user.save()
    return user


def database_info():
    vendor = connection.vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    elif vendor == "sqlite":
        version = connection.Database.sqlite_version
    else:
        version = ""
    name = str(connection.settings_dict["NAME"])
    return {"vendor": vendor, "version": version, "name": os.path.basename(name) if vendor == "sqlite" else name}


def git_commit():
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(dirty)}


def machine_info():
    info = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
    }
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            info["memory_mb"] = int(meminfo.readline().split()[1]) // 1024
    except OSError:
        pass
    if hasattr(os, "getloadavg"):
        info["load_average"] = [round(value, 2) for value in os.getloadavg()]
    return info


# --- references for the export --------------------------------------------------------------


def raw_contact_sheet_sql(vendor):
    """One SQL query giving the contact sheet's columns with aggregations (the raw limit).

    PostgreSQL orders inside ``string_agg``; SQLite's ``group_concat`` keeps the order of an
    ordered subquery.
    """
    postgresql = vendor == "postgresql"

    def agg(expression, order):
        return f"string_agg({expression}, '|' ORDER BY {order})" if postgresql else f"group_concat({expression}, '|')"

    def rows_of(table, order, where=""):
        where = f" WHERE {where}" if where else ""
        return f"(SELECT * FROM {table}{where})" if postgresql else f"(SELECT * FROM {table}{where} ORDER BY {order})"

    year = "to_char(ev.start_date, 'YYYY')" if postgresql else "substr(ev.start_date, 1, 4)"
    other = (
        "CASE WHEN NOT (c.is_primary AND c.kind IN ('email', 'phone')) THEN "
        "c.kind || CASE WHEN c.label <> '' THEN ' (' || c.label || ')' ELSE '' END || ': ' || c.value END"
    )
    area = "CASE WHEN x.name_zh <> '' THEN x.name || ' / ' || x.name_zh ELSE x.name END"
    spoke = f"ev.name || ' (' || {year} || '): ' || s.title || ' (' || ap.role || ')'"
    return f"""
WITH jobs AS (
    SELECT a.person_id,
           {agg("a.title", "a.start_date DESC, a.id")} AS titles,
           {agg("a.title_zh", "a.start_date DESC, a.id")} AS titles_zh,
           {agg("o.name", "a.start_date DESC, a.id")} AS organizations,
           {agg("o.name_zh", "a.start_date DESC, a.id")} AS organizations_zh
    FROM {rows_of("partners_affiliation", "person_id, start_date DESC, id", "is_current")} a
    JOIN partners_organization o ON o.id = a.organization_id
    GROUP BY a.person_id
), spoken AS (
    SELECT l.person_id, {agg("l.language_id", "l.language_id")} AS codes
    FROM {rows_of("partners_person_languages", "person_id, language_id")} l
    GROUP BY l.person_id
), contacts AS (
    SELECT c.person_id,
           max(CASE WHEN c.kind = 'email' AND c.is_primary THEN c.value END) AS email,
           max(CASE WHEN c.kind = 'phone' AND c.is_primary THEN c.value END) AS phone,
           {agg(other, "c.kind, c.is_primary DESC, c.id")} AS others
    FROM {rows_of("partners_contactmethod", "person_id, kind, is_primary DESC, id")} c
    GROUP BY c.person_id
), expertise AS (
    SELECT e.person_id, {agg(area, "x.path")} AS areas
    FROM (SELECT DISTINCT person_id, area_id FROM partners_personexpertise) e
    JOIN partners_expertisearea x ON x.id = e.area_id
    GROUP BY e.person_id
), spoke_at AS (
    SELECT ap.person_id, {agg(spoke, "s.starts_at, ap.id")} AS events
    FROM conference_appearance ap
    JOIN conference_session s ON s.id = ap.session_id
    JOIN conference_event ev ON ev.id = s.event_id
    WHERE ap.person_id IS NOT NULL
    GROUP BY ap.person_id
)
SELECT p.uuid, p.full_name, p.name_zh, p.honorific, jobs.titles, jobs.titles_zh, jobs.organizations,
       jobs.organizations_zh, p.country, spoken.codes, contacts.email, contacts.phone, contacts.others,
       expertise.areas, spoke_at.events, p.source, p.last_confirmed
FROM partners_person p
LEFT JOIN jobs ON jobs.person_id = p.id
LEFT JOIN spoken ON spoken.person_id = p.id
LEFT JOIN contacts ON contacts.person_id = p.id
LEFT JOIN expertise ON expertise.person_id = p.id
LEFT JOIN spoke_at ON spoke_at.person_id = p.id
ORDER BY p.full_name, p.id
"""


def write_raw_csv(stream):
    """The raw limit: the contact sheet's columns from one SQL query straight into ``csv.writer``."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
    writer = csv.writer(text, lineterminator="\r\n")
    text.write("\ufeff")
    count = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Room to sort and aggregate in memory: the limit, not a disk spill.
                cursor.execute("SET LOCAL work_mem = '64MB'")
        with connection.chunked_cursor() as cursor:
            cursor.execute(raw_contact_sheet_sql(connection.vendor))
            while rows := cursor.fetchmany(2000):
                writer.writerows(rows)
                count += len(rows)
    text.flush()
    text.detach()
    return count


def untuned_resource_class():
    """What a user would otherwise write: a plain ModelResource, one ``dehydrate_`` per column, no tuning."""
    from import_export import fields, resources

    class UntunedContactSheetResource(resources.ModelResource):
        title = fields.Field(column_name="Current title")
        title_zh = fields.Field(column_name="Current title (Chinese)")
        organization = fields.Field(column_name="Organization (original)")
        organization_zh = fields.Field(column_name="Organization (Chinese)")
        languages = fields.Field(column_name="Languages")
        email = fields.Field(column_name="Primary e-mail")
        phone = fields.Field(column_name="Primary phone")
        other_contacts = fields.Field(column_name="Other contact methods")
        expertise = fields.Field(column_name="Expertise")
        events = fields.Field(column_name="Events and sessions spoken at")

        class Meta:
            model = Person
            fields = [
                "uuid",
                "full_name",
                "name_zh",
                "honorific",
                "title",
                "title_zh",
                "organization",
                "organization_zh",
                "country",
                "languages",
                "email",
                "phone",
                "other_contacts",
                "expertise",
                "events",
                "source",
                "last_confirmed",
            ]
            export_order = fields

        def current(self, person):
            return list(person.affiliations.filter(is_current=True))

        def dehydrate_title(self, person):
            return "|".join(a.title for a in self.current(person))

        def dehydrate_title_zh(self, person):
            return "|".join(a.title_zh for a in self.current(person))

        def dehydrate_organization(self, person):
            return "|".join(a.organization.name for a in self.current(person))

        def dehydrate_organization_zh(self, person):
            return "|".join(a.organization.name_zh for a in self.current(person))

        def dehydrate_languages(self, person):
            return "|".join(language.code for language in person.languages.all())

        def dehydrate_email(self, person):
            method = person.contact_methods.filter(kind="email", is_primary=True).first()
            return method.value if method else ""

        def dehydrate_phone(self, person):
            method = person.contact_methods.filter(kind="phone", is_primary=True).first()
            return method.value if method else ""

        def dehydrate_other_contacts(self, person):
            others = person.contact_methods.exclude(is_primary=True, kind__in=["email", "phone"])
            return "|".join(f"{method.kind}: {method.value}" for method in others)

        def dehydrate_expertise(self, person):
            return "|".join(link.area.label for link in person.expertise_links.all())

        def dehydrate_events(self, person):
            return "|".join(
                f"{appearance.session.event.name}: {appearance.session.title}"
                for appearance in person.appearances.all()
            )

    return UntunedContactSheetResource


# --- the benchmark ------------------------------------------------------------------------------


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
            "machine": machine_info(),
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
        return report

    # -- helpers --

    def client(self):
        client = Client()
        client.force_login(self.user)
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
            self.skip("import_preview", "import_commit")
            return
        content, composition = build_import_file(
            self.visible, rows=self.import_rows, seed=self.seed, write_contact_sheet=write_contact_sheet
        )
        for key in ("import_preview", "import_commit"):
            self.figures[key].details.update(composition)
        preview, commit = [], []
        for _ in range(self.export_repeat):
            result, seconds = timed(
                import_contacts, content, user=self.user, dry_run=True, filename="benchmark.csv", unsure="new"
            )
            preview.append(seconds)
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


def build_import_file(people, *, rows, seed, write_contact_sheet):
    """A CSV in the contact sheet's columns: 5% stored people as they are, 1% changed, the rest new.

    Stored people's rows come from Liaison's own export without their identifier, so the
    matcher (not the identifier) has to find them. New people's rows are other stored people's
    rows with invented names (none that a stored person or another row already has, so every
    row is good), e-mails and phones in their place.
    """
    from partners.names import normalize_name

    duplicates, changed = rows * 5 // 100, rows // 100
    new = rows - duplicates - changed
    sample = people.order_by("uuid")[: min(people.count(), duplicates + changed + new)]
    stream = io.BytesIO()
    write_contact_sheet(people.filter(pk__in=[p.pk for p in sample]), "csv", stream)
    table = list(csv.reader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))
    header, stored = table[0], table[1:]
    column = {name: position for position, name in enumerate(header)}
    keys = _header_keys(header)
    builder = DemoBuilder(seed=seed + 7919)
    taken = {normalize_name(name) for pair in Person.objects.values_list("full_name", "name_zh") for name in pair}
    output = [header]
    for position in range(duplicates + changed):
        row = list(stored[position % len(stored)])
        row[column[keys["uuid"]]] = ""
        if position >= duplicates:
            row[column[keys["last_confirmed"]]] = "2025-12-31"
            row[column[keys["honorific"]]] = "Dr." if row[column[keys["honorific"]]] != "Dr." else "Prof."
        output.append(row)
    for number in range(new):
        row = list(stored[(duplicates + changed + number) % len(stored)])
        country = row[column[keys["country"]]] or "US"
        country = country if country in builder.country_zh else "US"
        for attempt in range(50):
            full_name, given, family, name_zh, honorific = builder.person_name(country if attempt < 10 else "US")
            names = {normalize_name(full_name), normalize_name(name_zh)} - {""}
            if not names & taken:
                break
        taken |= names
        row[column[keys["uuid"]]] = ""
        row[column[keys["full_name"]]] = full_name
        row[column[keys["name_zh"]]] = name_zh
        row[column[keys["honorific"]]] = honorific
        row[column[keys["email"]]] = builder.email(given, family, f"import{number % 10}.example.org")
        row[column[keys["phone"]]] = builder.phone(country)
        row[column[keys["other_contacts"]]] = ""
        output.append(row)
    text = io.StringIO()
    text.write("\ufeff")
    csv.writer(text, lineterminator="\r\n").writerows(output)
    composition = {"import_rows": rows, "duplicates": duplicates, "changed": changed, "new": new}
    return text.getvalue().encode(), composition


def _header_keys(header):
    """``{column key: header}`` for the exported header (headers are translated)."""
    from partners.resources import ContactSheetResource, simple_key

    mapping = ContactSheetResource().header_map()
    keys = {}
    for text in header:
        key = mapping.get(simple_key(text.lstrip("'")))
        if key:
            keys[key] = text
    return keys


def export_memory_in_process(fmt, people):
    """Peak Python allocations (MB) of one export, by ``tracemalloc``."""
    from contact_sheets.formats import write_contact_sheet

    tracemalloc.start()
    try:
        with tempfile.TemporaryFile() as stream:
            rows = write_contact_sheet(people, fmt, stream)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {"rows": rows, "peak_mb": round(peak / 1024 / 1024, 1)}


def peak_rss_mb():
    """This process's peak resident set size in MB.

    Linux's ``VmHWM`` belongs to the running program; ``ru_maxrss`` would also count the
    parent's size at the fork that started it (Linux carries it across ``execve``).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_in_this_process(fmt, username):
    """One export in this process; the peak resident size before and after (for the memory figures)."""
    from contact_sheets.formats import write_contact_sheet

    user = get_user_model().objects.get(username=username)
    people = Person.objects.visible_to(user)
    people.count()
    baseline = peak_rss_mb()
    with tempfile.TemporaryFile() as stream:
        rows, seconds = timed(write_contact_sheet, people, fmt, stream)
    peak = peak_rss_mb()
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(peak, 1),
    }
