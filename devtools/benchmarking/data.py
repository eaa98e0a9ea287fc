"""The database the benchmark measures: migrated, filled with demo data, described in the report."""

import os
import platform
import subprocess
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from devtools.benchmarking.figures import BENCHMARK_USERNAME, BENCHMARK_VIEWER_USERNAME, timed
from devtools.demo.builder import generate_demo_data
from devtools.demo.records import analyze, demo_people, real_data_counts


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


def benchmark_viewer():
    """A staff account in the Viewer role only: it may not see sensitive people."""
    from django.contrib.auth.models import Group

    from partners.roles import VIEWER, sync_roles

    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=BENCHMARK_VIEWER_USERNAME, defaults={"is_staff": True, "is_superuser": False, "email": ""}
    )
    if not user.is_staff or user.is_superuser or not user.is_active:
        user.is_staff, user.is_superuser, user.is_active = True, False, True
        user.save()
    group = Group.objects.filter(name=VIEWER).first() or sync_roles()[VIEWER]
    user.groups.set([group])
    user.user_permissions.clear()
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


LOOP_ITERATIONS, LOOP_TRIES = 3_000_000, 3


def python_loop_seconds(iterations=LOOP_ITERATIONS, tries=LOOP_TRIES):
    """The machine's speed just now: the best of ``tries`` timings of a fixed pure-Python loop.

    A shared machine's speed wanders (this one's took 0.35–1.2 s for the same loop within an
    hour): figures measured minutes apart are compared with it beside them.
    """
    best = None
    for _ in range(tries):
        started = time.perf_counter()
        total = 0
        for number in range(iterations):
            total += number
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return round(best, 3)


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
