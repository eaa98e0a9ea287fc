"""An export's peak memory: in a separate process where it can see the data, else Python's allocations."""

import resource
import tempfile
import tracemalloc

from django.contrib.auth import get_user_model

from devtools.benchmarking.figures import timed
from partners.models import Person

# Run by ``measure_memory`` in a fresh interpreter, so the peak resident size is one export's.
MEMORY_SCRIPT = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from devtools.benchmarking.memory import export_in_this_process
print(json.dumps(export_in_this_process(sys.argv[1], sys.argv[2])))
"""


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
