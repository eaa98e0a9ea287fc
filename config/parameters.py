"""One validation layer for the query string and form fields of every page.

Views parse their parameters themselves, trusting them to be what the pages send; this
middleware answers 400, naming the parameter and why, before a hostile value reaches them:

- no parameter name or value may hold a NUL or another control character (PostgreSQL cannot
  store or compare a text holding NUL, nor can the export log's JSON);
- a parameter naming a record (``INTEGER_PARAMETERS``, the admin's id and date lookups, the
  import's ``decision-<row>`` fields) must be whole numbers written with the digits 0–9
  (comma-separated where a list is allowed), at most 18 digits: "²" or "١٢" pass ``str.isdigit``
  but not ``int``; 5,000 digits pass neither ``int`` nor any database integer.

Everything else (unknown choices, ids of missing records) stays the views' and forms' to
ignore or report, as before.
"""

import re

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext

# The names the staff pages (finder, contact sheet, assessment, duplicates and merge) read as ids.
INTEGER_PARAMETERS = frozenset(
    {
        "ids",
        "workshop",
        "expertise",
        "event",
        "person",
        "survivor",
        "duplicate",
        "first",
        "second",
        "survivor_version",
        "duplicate_version",
        "page",
        "p",
    }
)
# The admin's list filters and date hierarchy: ``<field>__id__exact``, ``<field>__year`` …
INTEGER_LOOKUP = re.compile(r"(?:__id|__pk|_id)(?:__exact|__in)?$|__(?:year|month|day)$")
DECISION_PREFIX = "decision-"
# C0 controls other than tab, line feed and carriage return (form fields keep those), DEL, C1.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
MAX_NAME_SHOWN = 40


def _problem(name, values):
    """Why the parameter ``name`` with ``values`` is refused, or None."""
    if CONTROL_CHARACTER.search(name) or any(CONTROL_CHARACTER.search(value) for value in values):
        return gettext("it contains a control character (such as NUL), which no field may hold.")
    if name.startswith(DECISION_PREFIX) and not WHOLE_NUMBER.fullmatch(name[len(DECISION_PREFIX) :]):
        return gettext("the row number after “decision-” must be a whole number.")
    if name in INTEGER_PARAMETERS or INTEGER_LOOKUP.search(name):
        # Only ``ids`` takes a comma-separated list; an empty value means "not chosen".
        parts = [part.strip() for value in values for part in value.split(",")] if name == "ids" else values
        if not all(part == "" or WHOLE_NUMBER.fullmatch(part) for part in parts):
            return gettext("it must be a whole number (digits 0–9, at most 18 of them).")
    return None


class ParameterValidationMiddleware:
    """Answer 400 to a request whose query string or form fields break the rules above."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sources = [request.GET]
        if request.method == "POST":
            sources.append(request.POST)
        for source in sources:
            for name, values in source.lists():
                reason = _problem(name, values)
                if reason:
                    shown = CONTROL_CHARACTER.sub("?", name)[:MAX_NAME_SHOWN]
                    message = gettext("The parameter “%(name)s” was refused: %(reason)s") % {
                        "name": shown,
                        "reason": reason,
                    }
                    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
