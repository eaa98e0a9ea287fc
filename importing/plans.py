"""Plan: what each row of an import will do — its status, the differences, the decisions asked, the errors.

The planner of an import (``importing.contacts`` for contact sheets) fills an ``ImportResult``
with one ``RowPlan`` per row; the preview shows it and ``importing.writing`` applies it.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return gettext("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class Candidate:
    person_id: int
    label: str
    reasons: list


class PlannedOrganization:
    """An organization the import will create, shared by every row that names it."""

    def __init__(self, name, name_zh="", country=""):
        self.name, self.name_zh, self.country = name, name_zh, country
        self.claimed_by_row = None
        self.record = None  # its row, once written

    @property
    def pk(self):
        return self.record["id"] if self.record is not None else None


@dataclass
class RowPlan:
    """What the import will do with one row of the file."""

    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"
    DUPLICATE = "duplicate"  # a possible duplicate the user has to decide on

    number: int
    kind: str = "person"
    label: str = ""
    status: str = UNCHANGED
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    candidates: list = field(default_factory=list)
    note: str = ""
    person_id: int | None = None
    organization_id: int | None = None
    values: dict = field(default_factory=dict)
    # Working state of the planner.
    jobs: list = field(default_factory=list)
    writes: dict | None = None
    planned_organization: PlannedOrganization | None = None
    organization_updates: dict = field(default_factory=dict)

    def error(self, column, message):
        self.errors.append(RowError(self.number, column, str(message)))
        self.status = self.ERROR


@dataclass
class ImportResult:
    """The outcome of ``import_contacts``: one ``RowPlan`` per data row, or file-level errors."""

    filename: str = ""
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    committed: bool = False
    dry_run: bool = True
    encoding: str | None = None  # a CSV's text encoding (a key of importing.files.CSV_ENCODINGS)
    table: list | None = None  # the file's rows as read (header first): kept so a confirmation need not read it again

    def count(self, status):
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self):
        statuses = (RowPlan.NEW, RowPlan.UPDATE, RowPlan.UNCHANGED, RowPlan.DUPLICATE, RowPlan.ERROR)
        return {status: self.count(status) for status in statuses}

    @property
    def grouped_counts(self):
        """``counts`` as texts with thousands separators ("9,928"), as the job page writes its numbers."""
        return {status: f"{count:,}" for status, count in self.counts.items()}

    @property
    def errors(self):
        return [error for row in self.rows for error in row.errors]

    @property
    def needs_decisions(self):
        return any(row.status == RowPlan.DUPLICATE for row in self.rows)

    @property
    def ok(self):
        """Every row is good: no file error, no row error, no undecided duplicate."""
        return not self.file_errors and not self.errors and not self.needs_decisions


def normalized_lines(text):
    text = text or ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def same_text(stored, new):
    """Equal but for the line endings and surrounding spaces that spreadsheets change."""
    return normalized_lines(stored) == normalized_lines(new)


def shown_country(code):
    """A country by name and code in the interface's language ("United States (US)"), for the preview."""
    from partners.countries import country_name

    return f"{country_name(code)} ({code})" if code else ""


def language_names():
    """Each language's name in the interface's language, by code (one query)."""
    from django.utils.translation import get_language

    from partners.models import Language

    chinese = (get_language() or "").startswith("zh")
    return {
        code: (name_zh if chinese and name_zh else name)
        for code, name, name_zh in Language.objects.values_list("code", "name", "name_zh")
    }


def shown_languages(codes, names):
    """Languages by name ("English; Spanish"), for the preview; ``names`` from ``language_names``."""
    return "; ".join(names.get(code, code) for code in codes)


def vanished_message(rows):
    """Why an import stopped: the people ``rows`` matched were merged away or deleted meanwhile."""
    return gettext(
        "Row %(rows)s matched a person who was merged into another record or deleted meanwhile; "
        "nothing was written. Import the file again to match the records as they are now."
    ) % {"rows": ", ".join(str(row.number) for row in rows)}
