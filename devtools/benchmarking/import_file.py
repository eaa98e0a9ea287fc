"""The import's benchmark file: stored people as exported, some changed, most new."""

import csv
import io

from devtools.demo.builder import DemoBuilder
from partners.models import Person


def build_import_file(people, *, rows, seed, write_contact_sheet, updates=False):
    """A CSV in the contact sheet's columns: 5% stored people as they are, 1% changed, the rest new.

    With ``updates`` (the update-heavy variant): every row a different stored person with two
    cells changed (honorific and date last confirmed).

    Stored people's rows come from Liaison's own export without their identifier, so the
    matcher (not the identifier) has to find them. New people's rows are other stored people's
    rows with invented names (none that a stored person or another row already has, so every
    row is good), e-mails and phones in their place.
    """
    from partners.names import normalize_name

    duplicates, changed = rows * 5 // 100, rows // 100
    if updates:
        duplicates, changed = 0, rows
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
