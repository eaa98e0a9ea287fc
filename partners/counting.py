"""Counting a large list without counting it: PostgreSQL's planner estimate, said as such.

``COUNT(*)`` of every person reads the whole table (or its smallest index) on every view of the
unfiltered person list: half of that page's time at 300,000 people. The planner's row estimate
comes from the table statistics (kept current by autovacuum after writes) and costs an
``EXPLAIN``; it is used only for an unfiltered list, only on PostgreSQL, and only above
``LIAISON_ESTIMATED_COUNT_FROM`` rows, where "about 300,000 people" tells the reader as much.
"""

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


def estimated_count(queryset):
    """The planner's estimate of how many rows ``queryset`` has, or ``None`` (not PostgreSQL)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def count_or_estimate(queryset):
    """``(number, is_estimate)`` for an unfiltered list, or ``None`` off PostgreSQL (count as usual).

    One query reads at most ``LIAISON_ESTIMATED_COUNT_FROM`` rows: below that it is the exact
    count (so a small list costs no query more than a plain ``COUNT(*)``); at the limit the
    planner's estimate is taken instead (one ``EXPLAIN`` more), never less than the limit.
    """
    if connections[queryset.db].vendor != "postgresql":
        return None
    limit = settings.LIAISON_ESTIMATED_COUNT_FROM
    capped = queryset.order_by().values("pk")[:limit].count()
    if capped < limit:
        return capped, False
    return max(estimated_count(queryset), limit), True


class EstimatedCountPaginator(Paginator):
    """A paginator whose ``count`` is the given estimate instead of a ``COUNT(*)``."""

    def __init__(self, *args, estimate=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.estimate = estimate

    @cached_property
    def count(self):
        if self.estimate is None:
            return super().count
        return self.estimate
