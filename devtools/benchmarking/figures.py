"""What the benchmark reports: the parts, their figures and targets, and how one figure is kept."""

import dataclasses
import statistics
import time

NOT_BUILT = "not built yet"

BENCHMARK_USERNAME = "liaison-benchmark"
BENCHMARK_VIEWER_USERNAME = "liaison-benchmark-viewer"
# The parts of a run (``--only``), the method that measures each and the figures it reports.
PARTS = {
    "changelist": "measure_changelist",
    "finder": "measure_candidate_finder",
    "exports": "measure_exports",
    "import": "measure_import",
    "lookup": "measure_duplicate_lookup",
    "programme": "measure_programme_import",
    "overview": "measure_overview",
}
PART_FIGURES = {
    "changelist": ("changelist_plain", "changelist_search", "changelist_expertise"),
    "finder": ("candidate_finder", "finder_text_name", "finder_text_character", "changelist_search_short"),
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
    "import": ("import_preview", "import_commit", "import_updates_commit"),
    "lookup": ("duplicate_lookup",),
    "programme": ("programme_import",),
    "overview": ("overview", "overview_viewer", "reconfirm_list", "reconfirm_list_viewer", "interaction_list"),
}

# (figure key, label, unit, target, comparison)
FIGURES = [
    ("changelist_plain", "Person changelist, plain", "ms", 150, "<="),
    ("changelist_search", "Person changelist, two-word search", "ms", 250, "<="),
    ("changelist_expertise", "Person changelist, expertise filter", "ms", 250, "<="),
    ("candidate_finder", "Candidate finder, workshop (3 themes) + country", "ms", 250, "<="),
    ("finder_text_name", "Candidate finder, text search: a 3-character Chinese name fragment", "ms", 250, "<="),
    ("finder_text_character", "Candidate finder, text search: 1 Chinese character", "ms", None, None),
    ("changelist_search_short", "Person changelist, search for a 2-character Chinese word", "ms", None, None),
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
    ("import_updates_commit", "Import of updates to stored people, commit", "rows/s", 4_000, ">="),
    ("duplicate_lookup", "Duplicate lookup for one person", "ms", 30, "<="),
    ("programme_import", "Programme import (300 sessions, 500 speakers), preview + commit", "s", 10, "<="),
    ("overview", "Overview page (/overview/), superuser", "ms", 500, "<="),
    ("overview_viewer", "Overview page (/overview/), Viewer role", "ms", 500, "<="),
    ("reconfirm_list", "Contacts to reconfirm (/reconfirm/), superuser", "ms", 250, "<="),
    ("reconfirm_list_viewer", "Contacts to reconfirm (/reconfirm/), Viewer role", "ms", 250, "<="),
    ("interaction_list", "Interactions admin list, superuser", "ms", 250, "<="),
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
