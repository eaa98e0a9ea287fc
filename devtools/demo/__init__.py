"""Invented demo data at any size: realistic, reproducible, bulk-inserted.

``generate_demo_data`` (in ``builder``) runs ``DemoBuilder``, which writes, in this order, the
taxonomy (``taxonomy``), organizations (``organizations``), conferences (``events``), people
(``people``) and workshops with candidates (``events``) from the word lists of ``vocabulary``
through ``bulk.BulkWriter``; ``records`` finds, counts and deletes demo rows.

Every person, organization and event written here is made up (names from
Faker's en_US, zh_TW and a few other locales, e-mail addresses on example.*
domains, phone numbers cut from libphonenumber's example numbers) and marked so
it is recognisable and removable:

- ``Person.source``, ``Organization.notes`` and ``Event.description`` start
  with ``DEMO_MARK`` ("demo data (generate_demo_data seed S)");
- generated expertise areas have codes starting with ``demo-``.

The same seed gives the same data (names, contact details, links, UUIDs) on
any database. Rows are bulk-inserted in batches without per-row history
(simple-history only records ``save()``), so 100,000 people take a minute or
two on SQLite.
"""
