"""The contact import's writes: the plan ``ImportPlanner`` made, applied in bulk with history.

Rows in (``result.rows`` planned as new, update or unchanged), database rows out: organizations
first, then people (inserts with ``COPY``, updates only where the record is still the version the
plan read), then their contact details, jobs and expertise, each with its history row. On
PostgreSQL the changed people are sent while the rest of the rows are compared (``send_people``),
the rest written by ``apply``. Run inside ``importing.writing.apply_in_one_transaction``: every
row or none.
"""

from django.utils import timezone
from django.utils.translation import gettext

from importing.plans import (
    PlannedOrganization,
    RowPlan,
    vanished_message,
)
from importing.writing import (
    ImportRefused,
    RecordsChangedMeanwhile,
    copy_history,
    copy_m2m_history,
    create_rows,
    create_with_history,
    new_rows,
    send_update_with_history,
    update_rows,
    update_with_history,
)
from partners.models import (
    Affiliation,
    ContactMethod,
    Organization,
    Person,
    PersonExpertise,
)

PROGRESS_ROWS = 500


class ContactWrites:
    """What ``ImportPlanner`` does once the plan is confirmed (mixed into it)."""

    def begin_writing(self, reason):
        """The moment and the history columns (user, reason, date) of every record the import writes."""
        self.now = timezone.now()
        user = self.user if self.user is not None and self.user.is_authenticated else None
        self.history = {"user": user, "reason": reason, "date": self.now}

    def send_people(self, rows):
        """Send the writes of the stored people ``rows`` (compared) change, to be answered while the
        next rows are compared (inside ``pipelined``, PostgreSQL): their ``UPDATE``s, each with its
        history rows and the languages they add (``send_update_with_history``). ``write_people``
        reads the answers and writes the rest."""
        changed = [row for row in rows if row.kind == "person" and row.status == RowPlan.UPDATE]
        added = {row.person_id: row for row in changed if row.writes["languages"]}
        records, versions = self.changed_records(changed, self.now)
        for columns, group in records.items():
            held = [
                {"id": pk, "person_id": record["id"], "language_id": code}
                for record in group
                for pk, code in self.people[record["id"]]["language_links"]
            ]
            links = self.added_languages([added[record["id"]] for record in group if record["id"] in added])
            self.sent_updates.append(
                send_update_with_history(
                    Person, group, list(columns), self.history, versions=versions, m2m={"languages": (held, links)}
                )
            )
        self.sent_people.update(row.person_id for row in changed)

    def apply(self, result):
        """Write the plan: bulk inserts and updates, each with its history row (``begin_writing``'s
        user, reason and date); what ``send_people`` sent is read back."""
        now, history = self.now, self.history
        self.write_organizations(result, history, now)
        person_rows = [
            row for row in result.rows if row.kind == "person" and row.status in (RowPlan.NEW, RowPlan.UPDATE)
        ]
        self.write_people(person_rows, history, now)
        note = gettext("From an imported contact sheet (%(file)s, %(date)s)") % {
            "file": result.filename,
            "date": timezone.localdate(now).isoformat(),
        }
        new_contact, new_job, new_link = (
            new_rows(model, now) for model in (ContactMethod, Affiliation, PersonExpertise)
        )
        demote, promote, relabel, new_contacts, new_jobs, titles, new_links = [], [], {}, [], [], {}, []
        for row in person_rows:
            person_id = row.person_id
            for action, kind, value, label, primary, match in row.writes["contacts"]:
                if action == "primary":
                    if primary is not None:
                        demote.append(primary["pk"])
                    if match is not None:
                        promote.append(match["pk"])
                    else:
                        new_contacts.append(new_contact(person_id=person_id, kind=kind, value=value, is_primary=True))
                elif action == "add":
                    new_contacts.append(new_contact(person_id=person_id, kind=kind, value=value, label=label))
                else:
                    relabel[match["pk"]] = label
            for organization, title, title_zh in row.writes["jobs"]:
                organization_id = organization.pk if isinstance(organization, PlannedOrganization) else organization
                new_jobs.append(
                    new_job(person_id=person_id, organization_id=organization_id, title=title, title_zh=title_zh)
                )
            titles.update(row.writes["titles"])
            new_links += [new_link(person_id=person_id, area_id=area, note=note) for area in row.writes["areas"]]
        # Demote before promoting: one primary per kind holds after every statement.
        update_with_history(ContactMethod, {pk: {"is_primary": False} for pk in demote}, history)
        update_with_history(ContactMethod, {pk: {"is_primary": True} for pk in promote}, history)
        update_with_history(ContactMethod, {pk: {"label": label} for pk, label in relabel.items()}, history)
        create_with_history(ContactMethod, new_contacts, history)
        update_with_history(Affiliation, titles, history)
        create_with_history(Affiliation, new_jobs, history)
        create_with_history(PersonExpertise, new_links, history)

    def write_organizations(self, result, history, now):
        planned = list(self.planned_organizations.values())
        new_organization = new_rows(Organization, now)
        for organization in planned:
            organization.record = new_organization(
                name=organization.name, name_zh=organization.name_zh, country=organization.country
            )
        create_with_history(Organization, [organization.record for organization in planned], history)
        updates = {pk: {"name_zh": name_zh} for pk, name_zh in self.organization_changes.items()}
        for row in result.rows:
            if row.kind == "organization" and row.organization_updates:
                updates.setdefault(row.organization_id, {}).update(row.organization_updates)
        versions = {pk: self.organizations[pk]["version"] for pk in updates}
        update_with_history(Organization, updates, history, now=now, bump_version=True, versions=versions)

    def write_people(self, person_rows, history, now):
        """New people, changed people and added languages, with history rows holding the languages afterwards.

        A changed person gets the columns the file changes (with their name keys when a name
        changes), a new version and the date; the ``UPDATE`` happens only where the version is still
        the one the plan read (``load_people``), so nothing written meanwhile is overwritten, and
        the history row is copied from the row as written. People ``send_people`` sent for: their
        answers read.
        """
        new_person = new_rows(Person, now)
        new_people, new_rows_of = [], []
        for row in person_rows:
            if row.status == RowPlan.NEW:
                record = new_person(**row.writes["fields"])
                new_rows_of.append((row, record))
                new_people.append(record)
                self.add_name_keys(record, record["full_name"], record["name_zh"])
        new_history = create_with_history(Person, new_people, history)
        for row, record in new_rows_of:
            row.person_id = record["id"]
        unsent = [row for row in person_rows if row.person_id not in self.sent_people]
        changed, versions = self.changed_records(unsent, now)
        try:
            for columns, records in changed.items():
                update_rows(Person, records, list(columns), versions=versions)
            for sent in self.sent_updates:
                sent.histories()  # refuses when a person was not written (changed or gone meanwhile)
        except RecordsChangedMeanwhile as refused:
            self.refuse_if_gone(person_rows, refused)
            raise
        create_rows(Person.languages.through, self.added_languages(unsent))
        changed_history = copy_history(Person, list(versions), history)
        # simple-history keeps a person's languages in a table of its own: for each history row of
        # the person, one row per language held afterwards (those sent for are written already).
        copy_m2m_history(Person, "languages", {**new_history, **changed_history})

    def changed_records(self, rows, now):
        """The ``UPDATE``s of the stored people among ``rows``: ``({columns: [record, …]}, {pk: version
        read})``, rows changing the same columns together (one ``UPDATE`` for each set of columns)."""
        changed, versions = {}, {}
        for row in rows:
            if row.status != RowPlan.UPDATE:
                continue
            fields = row.writes["fields"]
            stored = self.people[row.person_id]
            record = {**fields, "id": row.person_id, "version": stored["version"] + 1, "updated_at": now}
            if "full_name" in fields or "name_zh" in fields:
                names = (fields.get(key, stored[key]) for key in ("full_name", "name_zh"))
                self.add_name_keys(record, *names)
            versions[row.person_id] = stored["version"]
            changed.setdefault(tuple(sorted(key for key in record if key != "id")), []).append(record)
        return changed, versions

    @staticmethod
    def added_languages(rows):
        """The links to the languages ``rows`` add (to write before the history rows that hold them)."""
        return [{"person_id": row.person_id, "language_id": code} for row in rows for code in row.writes["languages"]]

    def add_name_keys(self, record, full_name, name_zh):
        """The columns a person's names are found by (``Person.NAME_KEY_FIELDS``), for ``record``."""
        record["name_key"], record["name_zh_key"] = self.index.key(full_name), self.index.key(name_zh)
        record["search_text"] = Person.search_text_of(full_name, name_zh)

    @staticmethod
    def refuse_if_gone(person_rows, changed):
        """A person not written because they are gone (merged into another record, deleted) since
        the plan: ``ImportRefused`` naming the rows; otherwise the caller re-raises ``changed``."""
        if changed.model is not Person:
            return
        remaining = set(Person.objects.filter(pk__in=changed.pks).values_list("pk", flat=True))
        gone = [
            row
            for row in person_rows
            if row.status == RowPlan.UPDATE and row.person_id in changed.pks and row.person_id not in remaining
        ]
        if gone:
            raise ImportRefused(vanished_message(gone)) from None
