"""The contact import's differences: each planned row against the stored record it was matched to.

The stored state of the matched people read in bulk (``ask_for_people``, ``load_people``: plain
values, no model instances), then each row compared with it: the person's fields, languages,
contact details, jobs and expertise (``diff_person``), or an organization (``diff_organization``).
A row gets its ``changes`` (what the preview shows) and ``writes`` (what ``ContactWrites`` writes);
a blank cell never erases a stored value, and lists only grow.
"""

from importing.matching import SentQuery, id_chunks, one_of
from importing.plans import (
    Change,
    PlannedOrganization,
    RowPlan,
    language_names,
    normalized_lines,
    same_text,
    shown_country,
    shown_languages,
)
from partners.models import Affiliation, ContactMethod, Person, PersonExpertise
from partners.names import normalize_email, normalize_name


class ContactDiffs:
    """What ``ImportPlanner`` compares once the rows are matched (mixed into it)."""

    PERSON_FIELDS = ("full_name", "name_zh", "honorific", "country", "source", "last_confirmed")
    STATE_FIELDS = ("pk", "version", *PERSON_FIELDS)

    def ask_for_people(self, person_ids):
        """Send the queries of the stored state of ``person_ids``, a query per table per chunk of
        people (``id_chunks``): the ``SentQuery`` objects, for ``load_people``."""
        sent = []
        for chunk in id_chunks(sorted(person_ids)):
            people = Person.objects.filter(one_of("pk", chunk)).order_by()
            links = Person.languages.through.objects.filter(one_of("person_id", chunk)).order_by()
            contacts = ContactMethod.objects.filter(one_of("person_id", chunk)).order_by("pk")
            jobs = Affiliation.objects.filter(one_of("person_id", chunk), is_current=True).order_by("pk")
            areas = PersonExpertise.objects.filter(one_of("person_id", chunk)).order_by()
            queries = [
                people.values_list(*self.STATE_FIELDS),
                links.values_list("pk", "person_id", "language_id"),
                contacts.values_list("pk", "person_id", "kind", "value", "label", "is_primary"),
                jobs.values_list("pk", "person_id", "organization_id", "title", "title_zh"),
                areas.values_list("person_id", "area_id"),
            ]
            sent.append([SentQuery(query) for query in queries])
        return sent

    def load_people(self, sent):
        """The stored state of the people ``ask_for_people`` sent for (``sent``) added to ``self.people``.

        Plain values, no model instances; each contact carries its ``key``, the value as
        ``diff_contacts`` compares it (e-mails case-folded), worked out once here; ``language_links``
        holds the person's links to their languages as ``(link id, language)``, for the history of
        an update (``ContactWrites.send_people``).
        """
        people = self.people
        email = ContactMethod.Kind.EMAIL
        for stored, links, contacts, jobs, areas in sent:
            # The version read here is the one the import's updates require at writing time.
            for values in stored.rows():
                person = dict(zip(self.STATE_FIELDS, values, strict=True))
                person.update(languages=set(), language_links=[], contacts=[], jobs=[], areas=set())
                people[person["pk"]] = person
            for pk, person_id, language in links.rows():
                people[person_id]["languages"].add(language)
                people[person_id]["language_links"].append((pk, language))
            for pk, person_id, kind, value, label, is_primary in contacts.rows():
                key = normalize_email(value) if kind == email else value.strip()
                people[person_id]["contacts"].append(
                    {
                        "pk": pk,
                        "person_id": person_id,
                        "kind": kind,
                        "value": value,
                        "label": label,
                        "is_primary": is_primary,
                        "key": key,
                    }
                )
            for pk, person_id, organization_id, title, title_zh in jobs.rows():
                people[person_id]["jobs"].append(
                    {
                        "pk": pk,
                        "person_id": person_id,
                        "organization_id": organization_id,
                        "title": title,
                        "title_zh": title_zh,
                    }
                )
            for person_id, area_id in areas.rows():
                people[person_id]["areas"].add(area_id)

    def diff_person(self, row):
        values = row.values
        stored = self.people.get(row.person_id) if row.person_id else None
        state = stored or {"languages": set(), "contacts": [], "jobs": [], "areas": set()}
        writes = {"fields": {}, "languages": [], "contacts": [], "jobs": [], "titles": [], "areas": []}
        for key in self.PERSON_FIELDS:
            if key not in values:
                continue
            new, old = values[key], (stored or {}).get(key)
            if key == "last_confirmed":
                changed, old_text, new_text = new != old, (old.isoformat() if old else ""), new.isoformat()
            elif stored is None:
                changed, old_text, new_text = bool(normalized_lines(new)), "", new
            elif key in ("full_name", "name_zh") and (old == new or normalize_name(old) == normalize_name(new)):
                # "ROSE MUKHAR" or "Mukhar, Rose" for "Rose Mukhar": the stored spelling stays.
                continue
            else:
                changed, old_text, new_text = not same_text(old, new), old or "", new
            if changed:
                writes["fields"][key] = new
                if key == "country":  # shown by name: "United States (US)", not "US"
                    old_text, new_text = shown_country(old_text), shown_country(new_text)
                row.changes.append(Change(self.header(key), old_text, new_text))
        if stored is None:
            if "uuid" in values:
                writes["fields"]["uuid"] = values["uuid"]
            writes["fields"].setdefault("full_name", values.get("name_zh", ""))
        added = [code for code in values.get("languages", []) if code not in state["languages"]]
        if added:
            writes["languages"] = added
            old = sorted(state["languages"])
            names = self.language_names = getattr(self, "language_names", None) or language_names()
            shown = (shown_languages(old, names), shown_languages(sorted([*old, *added]), names))
            row.changes.append(Change(self.header("languages"), *shown))
        self.diff_contacts(row, state, writes)
        self.diff_jobs(row, state, writes)
        new_areas = [area for area in values.get("expertise", []) if area not in state["areas"]]
        if new_areas:
            writes["areas"] = new_areas
            row.changes.append(
                Change(
                    self.header("expertise"),
                    self.area_count % {"count": len(state["areas"])},
                    self.area_count % {"count": len(state["areas"]) + len(new_areas)},
                )
            )
        row.writes = writes
        if stored is None:
            row.status = RowPlan.NEW
        else:
            row.status = RowPlan.UPDATE if row.changes else RowPlan.UNCHANGED

    def diff_contacts(self, row, state, writes):
        values, contacts = row.values, state["contacts"]

        def stored_contact(kind, value):
            key = normalize_email(value) if kind == ContactMethod.Kind.EMAIL else value
            for contact in contacts:  # each contact's ``key`` is worked out by ``load_people``
                if contact["kind"] == kind and contact["key"] == key:
                    return contact
            return None

        listed = set()
        for key, kind in (("email", ContactMethod.Kind.EMAIL), ("phone", ContactMethod.Kind.PHONE)):
            if key not in values:
                continue
            value = values[key]
            listed.add((kind, normalize_email(value)))
            primary = next((c for c in contacts if c["kind"] == kind and c["is_primary"]), None)
            match = stored_contact(kind, value)
            if primary is not None and match is primary:
                continue
            writes["contacts"].append(("primary", kind, value, "", primary, match))
            row.changes.append(Change(self.header(key), primary["value"] if primary else "", value))
        for kind, value, label in values.get("other_contacts", []):
            if (kind, normalize_email(value)) in listed:
                continue
            listed.add((kind, normalize_email(value)))
            match = stored_contact(kind, value)
            if match is None:
                writes["contacts"].append(("add", kind, value, label, None, None))
                row.changes.append(Change(self.header("other_contacts"), "", f"{kind}: {value}"))
            elif label and label != match["label"]:
                writes["contacts"].append(("label", kind, value, label, None, match))
                row.changes.append(Change(self.header("other_contacts"), match["label"], label))

    def diff_jobs(self, row, state, writes):
        for organization, title, title_zh, organization_zh, _name in row.jobs:
            if isinstance(organization, PlannedOrganization):
                writes["jobs"].append((organization, title, title_zh))
                row.changes.append(Change(self.header("organization"), "", organization.name))
                continue
            stored_organization = self.organizations[organization]
            renamed = organization_zh and not same_text(stored_organization["name_zh"], organization_zh)
            if renamed and self.organization_changes.get(organization) != organization_zh:
                self.organization_changes[organization] = organization_zh
                row.changes.append(
                    Change(self.header("organization_zh"), stored_organization["name_zh"], organization_zh)
                )
            job = next((job for job in state["jobs"] if job["organization_id"] == organization), None)
            if job is None:
                writes["jobs"].append((organization, title, title_zh))
                row.changes.append(Change(self.header("organization"), "", stored_organization["name"]))
                continue
            updates = {}
            for key, new in (("title", title), ("title_zh", title_zh)):
                if new and not same_text(job[key], new):
                    updates[key] = new
                    row.changes.append(Change(self.header(key), job[key], new))
            if updates:
                writes["titles"].append((job["pk"], updates))

    def diff_organization(self, row):
        planned = row.planned_organization
        if planned is not None:
            row.status = RowPlan.NEW
            for key, value in (("organization", planned.name), ("organization_zh", planned.name_zh)):
                if value:
                    row.changes.append(Change(self.header(key), "", value))
            if planned.country:
                row.changes.append(Change(self.header("country"), "", shown_country(planned.country)))
            return
        stored = self.organizations[row.organization_id]
        name_zh = (row.values.get("organization_zh") or [""])[0]
        country = row.values.get("country", "")
        if name_zh and not same_text(stored["name_zh"], name_zh):
            row.organization_updates["name_zh"] = name_zh
            row.changes.append(Change(self.header("organization_zh"), stored["name_zh"], name_zh))
        if country and not stored["country"]:
            row.organization_updates["country"] = country
            row.changes.append(Change(self.header("country"), "", shown_country(country)))
        row.status = RowPlan.UPDATE if row.changes else RowPlan.UNCHANGED
