"""References for the export figures: a raw SQL contact sheet and an untuned django-import-export resource."""

import csv
import io

from django.db import connection, transaction

from partners.models import Person


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
