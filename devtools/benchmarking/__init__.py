"""Measuring Liaison at scale: the figures ``manage.py benchmark`` reports.

Every figure is measured several times on the database ``DATABASE_URL`` names and reported as
the median with the min and max. Pages go through Django's test client as a superuser, so
"server time" is everything Django does for the request (middleware, queries, templates)
without a network. Exports write to a temporary file. Peak memory is the peak resident size of
a separate process that does one export (``export_in_this_process``),
or, where that process cannot see the data (inside a test's transaction), the peak of
Python's allocations (``tracemalloc``).

``figures`` names what is measured; ``data`` prepares the database; ``references`` are the raw
SQL and untuned exports the figures are compared with; ``measuring.Benchmark`` runs the parts
(its helpers: ``import_file`` builds the import's file, ``memory`` measures an export's peak).

Figures whose feature is not built yet are reported with the status "not built yet".
"""
