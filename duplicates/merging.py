"""Merge: two people (or two organizations) into one, every relation moved, all in one transaction.

The records the user chose and the values to keep in; the survivor out, with one history row
naming the duplicate and all its values. Pairs come from ``duplicates.finding``.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from conference.models import Appearance, Candidacy, Event
from partners.locking import ConcurrentEditError
from partners.models import (
    ContactMethod,
    DistinctPair,
    Organization,
    Person,
)
from partners.names import normalize_email

PERSON_MERGE_FIELDS = [
    "full_name",
    "given_name",
    "family_name",
    "name_zh",
    "honorific",
    "country",
    "bio",
    "source",
    "last_confirmed",
    "consent",
    "notes",
]
# Not fields of Person: which e-mail and phone become the primary ones (a value, or "" for no choice).
PERSON_MERGE_CONTACTS = {"primary_email": ContactMethod.Kind.EMAIL, "primary_phone": ContactMethod.Kind.PHONE}
ORGANIZATION_MERGE_FIELDS = ["name", "name_zh", "acronym", "kind", "country", "parent", "website", "notes"]
REASON_LENGTH = 100  # simple-history's change reason on the related rows' history


# -- the merge page's choices ------------------------------------------------------------------


def _is_empty(value):
    return value is None or value == "" or value == []


def recency(record):
    """How recently a record was confirmed: ``last_confirmed`` (people), then ``updated_at``."""
    import datetime as dt

    confirmed = getattr(record, "last_confirmed", None) or dt.date.min
    return (confirmed, record.updated_at)


def default_choice(survivor_value, duplicate_value, *, survivor, duplicate):
    """Which record's value a merge keeps by default: the only non-empty one, else the more recently confirmed's."""
    if _is_empty(duplicate_value) or survivor_value == duplicate_value:
        return "survivor"
    if _is_empty(survivor_value):
        return "duplicate"
    return "duplicate" if recency(duplicate) > recency(survivor) else "survivor"


@dataclass
class MergeField:
    """One row of the side-by-side page: a field, both records' values (raw and shown) and the default side."""

    name: str
    label: str
    survivor_value: object
    duplicate_value: object
    survivor_display: str
    duplicate_display: str
    default: str

    @property
    def differs(self):
        return self.survivor_value != self.duplicate_value


def _display(record, name, value):
    if _is_empty(value):
        return ""
    field_object = record._meta.get_field(name)
    if field_object.choices:
        return str(dict(field_object.flatchoices).get(value, value))
    if name == "country":
        return str(getattr(record, name).name or value)
    if field_object.is_relation:
        return str(getattr(record, name))
    return str(value)


def merge_fields(survivor, duplicate):
    """The choices of the merge page for two people or two organizations, each with its default."""
    is_person = isinstance(survivor, Person)
    rows = []
    for name in PERSON_MERGE_FIELDS if is_person else ORGANIZATION_MERGE_FIELDS:
        field_object = survivor._meta.get_field(name)
        values = [field_object.value_from_object(record) for record in (survivor, duplicate)]
        rows.append(
            MergeField(
                name,
                str(field_object.verbose_name),
                *values,
                _display(survivor, name, values[0]),
                _display(duplicate, name, values[1]),
                default_choice(*values, survivor=survivor, duplicate=duplicate),
            )
        )
    if is_person:
        for name, kind in PERSON_MERGE_CONTACTS.items():
            primaries = [record.primary_contact(kind) for record in (survivor, duplicate)]
            values = [primary.value if primary else "" for primary in primaries]
            default = default_choice(*values, survivor=survivor, duplicate=duplicate)
            if all(primaries) and values[0] != values[1]:
                # The more recently confirmed address, then the more recently confirmed person's.
                dates = [primary.last_confirmed for primary in primaries]
                if all(dates) and dates[0] != dates[1]:
                    default = "duplicate" if dates[1] > dates[0] else "survivor"
            label = gettext("primary e-mail") if kind == ContactMethod.Kind.EMAIL else gettext("primary phone")
            rows.append(MergeField(name, label, *values, *values, default))
    return rows


# -- merging ------------------------------------------------------------------------------------


class MergeRefused(Exception):
    """The two records cannot be merged as asked; nothing was changed. The message says why."""


@transaction.atomic
def merge_people(survivor, duplicate, *, values=None, by=None, survivor_version=None, duplicate_version=None):
    """Merge ``duplicate`` into ``survivor`` in one transaction and delete ``duplicate``; return the survivor.

    ``values`` maps fields of ``PERSON_MERGE_FIELDS`` to the value to keep (fields left out keep
    the survivor's), and ``primary_email`` / ``primary_phone`` to the contact value to make
    primary. Every link moves: affiliations (identical jobs once), contact methods (one row per
    value, one primary per kind), expertise (evidence kept: notes of a repeated area joined),
    appearances (one per session), candidacies (for the same workshop the later decision wins;
    the other stays in the candidacy's history), languages, "not a duplicate" marks, and any
    other relation to Person. ``sensitive`` and ``do_not_contact`` hold if either record had
    them. The survivor's history gets one row naming the duplicate with all its values (as
    JSON); the duplicate's own history rows stay. With ``survivor_version`` /
    ``duplicate_version`` (optimistic locking) a record changed meanwhile raises
    ``ConcurrentEditError``; the survivor's version moves on.
    """

    survivor, duplicate = _lock_pair(Person, survivor, duplicate, survivor_version, duplicate_version)
    values = dict(values or {})
    snapshot = _person_snapshot(duplicate)
    moved = _short(gettext("Moved from %(name)s (merged)") % {"name": duplicate})

    # Appearances first: a session both spoke in keeps the survivor's, and expertise evidence
    # pointing at the duplicate's is re-pointed before that one goes.
    by_session = {appearance.session_id: appearance for appearance in survivor.appearances.all()}
    replaced_appearances, appearance_map = [], {}
    for appearance in duplicate.appearances.all():
        kept = by_session.get(appearance.session_id)
        if kept is None:
            appearance.person = survivor
            appearance.save(update_fields=["person"])
            by_session[appearance.session_id] = appearance
            continue
        changed = [name for name in ("affiliation_as_printed", "organization_id") if not getattr(kept, name)]
        for name in changed:
            setattr(kept, name, getattr(appearance, name))
        if changed:
            kept.save(update_fields=changed)
        appearance_map[appearance.pk] = kept.pk
        replaced_appearances.append(appearance)

    held = {(link.area_id, link.appearance_id): link for link in survivor.expertise_links.all()}
    for link in duplicate.expertise_links.all():
        appearance_id = appearance_map.get(link.appearance_id, link.appearance_id)
        existing = held.get((link.area_id, appearance_id))
        if existing is None:
            link.person, link.appearance_id = survivor, appearance_id
            _save_with_reason(link, by, moved)
            held[(link.area_id, appearance_id)] = link
            continue
        if link.note and link.note not in existing.note:
            existing.note = f"{existing.note}\n{link.note}".strip()
            _save_with_reason(existing, by, moved)
        _delete_with_reason(link, by, moved)
    for appearance in replaced_appearances:
        appearance.delete()

    jobs = {_job_key(job): job for job in survivor.affiliations.all()}
    for job in duplicate.affiliations.all():
        if _job_key(job) in jobs:
            _delete_with_reason(job, by, moved)
        else:
            job.person = survivor
            _save_with_reason(job, by, moved)

    _merge_contact_methods(survivor, duplicate, values, by=by, reason=moved)
    _merge_candidacies(survivor, duplicate, by=by)
    survivor.languages.add(*duplicate.languages.all())
    handled = {"affiliations", "contact_methods", "expertise_links", "appearances", "candidacies"}
    _move_other_relations(Person, survivor, duplicate, handled=handled, by=by, reason=moved)
    _move_distinct_pairs(DistinctPair.Kind.PERSON, survivor, duplicate)

    for name in PERSON_MERGE_FIELDS:
        if name in values:
            setattr(survivor, name, values[name])
    survivor.sensitive = survivor.sensitive or duplicate.sensitive
    survivor.do_not_contact = survivor.do_not_contact or duplicate.do_not_contact
    _delete_with_reason(
        duplicate, by, gettext("Merged into %(name)s (%(uuid)s)") % {"name": survivor, "uuid": survivor.uuid}
    )
    return _save_survivor(survivor, by, duplicate, snapshot)


@transaction.atomic
def merge_organizations(survivor, duplicate, *, values=None, by=None, survivor_version=None, duplicate_version=None):
    """Merge organization ``duplicate`` into ``survivor`` in one transaction and delete it; return the survivor.

    ``values`` maps fields of ``ORGANIZATION_MERGE_FIELDS`` to the value to keep (``parent`` an
    Organization or None). Moved: affiliations (identical jobs once), appearances (one per
    session for the organization on its own), children, events organized, focus areas, "not a
    duplicate" marks and any other relation. The survivor's history records the duplicate's
    values; locking as in ``merge_people``.
    """

    survivor, duplicate = _lock_pair(Organization, survivor, duplicate, survivor_version, duplicate_version)
    values = dict(values or {})
    snapshot = _organization_snapshot(duplicate)
    moved = _short(gettext("Moved from %(name)s (merged)") % {"name": duplicate})

    jobs = {(job.person_id, *_job_key(job)[1:]): job for job in survivor.affiliations.all()}
    for job in duplicate.affiliations.all():
        if (job.person_id, *_job_key(job)[1:]) in jobs:
            _delete_with_reason(job, by, moved)
        else:
            job.organization = survivor
            _save_with_reason(job, by, moved)

    sessions = set(
        Appearance.objects.filter(organization=survivor, person__isnull=True).values_list("session_id", flat=True)
    )
    for appearance in Appearance.objects.filter(organization=duplicate):
        if appearance.person_id is None and appearance.session_id in sessions:
            appearance.delete()  # the survivor already appears in that session
        else:
            appearance.organization = survivor
            appearance.save(update_fields=["organization"])

    if "parent" in values:
        parent = values["parent"]
        values["parent"] = None if parent is not None and parent.pk in (survivor.pk, duplicate.pk) else parent
    elif survivor.parent_id == duplicate.pk:
        values["parent"] = duplicate.parent if duplicate.parent_id != survivor.pk else None
    ancestor = values.get("parent", survivor.parent)
    seen = set()
    while ancestor is not None and ancestor.pk not in seen:
        if ancestor.pk in (survivor.pk, duplicate.pk):
            raise MergeRefused(gettext("The chosen parent organization sits inside one of the two organizations."))
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    for child in Organization.objects.filter(parent=duplicate).exclude(pk=survivor.pk):
        child.parent = survivor
        child.version += 1
        _save_with_reason(child, by, moved)
    Event.objects.filter(organizer=duplicate).update(organizer=survivor)
    survivor.focus_areas.add(*duplicate.focus_areas.all())
    _move_other_relations(
        Organization,
        survivor,
        duplicate,
        handled={"affiliations", "appearances", "children", "organized_events"},
        by=by,
        reason=moved,
    )
    _move_distinct_pairs(DistinctPair.Kind.ORGANIZATION, survivor, duplicate)

    for name in ORGANIZATION_MERGE_FIELDS:
        if name in values:
            setattr(survivor, name, values[name])
    # Children and parent of the duplicate are settled; deleting it first frees its name for the survivor.
    Organization.objects.filter(pk=duplicate.pk).update(parent=None)
    _delete_with_reason(
        duplicate, by, gettext("Merged into %(name)s (%(uuid)s)") % {"name": survivor, "uuid": survivor.uuid}
    )
    return _save_survivor(survivor, by, duplicate, snapshot)


@transaction.atomic
def mark_not_duplicates(first, second, *, by=None):
    """Remember that ``first`` and ``second`` (two people or two organizations) are different; return the mark."""

    if type(first) is not type(second) or first.pk == second.pk:
        raise MergeRefused(gettext("Choose two different records of the same kind."))
    kind = DistinctPair.Kind.PERSON if isinstance(first, Person) else DistinctPair.Kind.ORGANIZATION
    low, high = sorted([first.pk, second.pk])
    mark, _created = DistinctPair.objects.get_or_create(
        kind=kind, first_id=low, second_id=high, defaults={"created_by": _user_or_none(by)}
    )
    return mark


def _user_or_none(user):
    return user if user is not None and user.is_authenticated else None


def _short(text):
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def _save_with_reason(instance, by, reason):
    instance._history_user = _user_or_none(by)
    instance._change_reason = _short(reason)
    instance.save()


def _delete_with_reason(instance, by, reason):
    instance._history_user = _user_or_none(by)
    instance._change_reason = reason if isinstance(instance, Person | Organization) else _short(reason)
    instance.delete()


def _lock_pair(model, survivor, duplicate, survivor_version, duplicate_version):
    """Both rows, fresh and locked until the merge commits; checks the versions the user saw."""

    if survivor.pk == duplicate.pk:
        raise MergeRefused(gettext("A record cannot be merged with itself."))
    locked = model._default_manager.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])
    rows = {row.pk: row for row in locked}
    for instance, expected in ((survivor, survivor_version), (duplicate, duplicate_version)):
        row = rows.get(instance.pk)
        if row is None or (expected is not None and row.version != expected):
            raise ConcurrentEditError(instance, expected)
    return rows[survivor.pk], rows[duplicate.pk]


def _save_survivor(survivor, by, duplicate, snapshot):
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    class SnapshotEncoder(DjangoJSONEncoder):
        def default(self, o):
            try:
                return super().default(o)
            except TypeError:
                return str(o)  # e.g. a Country: its code

    survivor.version += 1
    survivor._history_user = _user_or_none(by)
    survivor._change_reason = gettext("Merged with %(name)s (%(uuid)s): %(values)s") % {
        "name": duplicate,
        "uuid": duplicate.uuid,
        "values": json.dumps(snapshot, cls=SnapshotEncoder, ensure_ascii=False, sort_keys=True),
    }
    survivor.full_clean(exclude=["parent"] if isinstance(survivor, Organization) else None, validate_unique=False)
    survivor.save()
    return survivor


def _field_values(instance, exclude=("id", "created_at", "updated_at", "version")):
    return {
        field.attname: field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if field.attname not in exclude
    }


def _person_snapshot(person):
    """Everything the duplicate held, for the survivor's history: its fields and the rows that hang off it."""

    return {
        "id": person.pk,
        **_field_values(person),
        "created_at": person.created_at,
        "languages": sorted(person.languages.values_list("code", flat=True)),
        "contact_methods": [
            {"kind": c.kind, "value": c.value, "label": c.label, "is_primary": c.is_primary}
            for c in person.contact_methods.all()
        ],
        "affiliations": [
            {"organization": str(a.organization), "title": a.title, "title_zh": a.title_zh, "current": a.is_current}
            for a in person.affiliations.select_related("organization")
        ],
        "expertise": [
            {"area": link.area.code, "appearance": link.appearance_id, "note": link.note}
            for link in person.expertise_links.select_related("area")
        ],
        "appearances": list(person.appearances.values_list("session_id", flat=True)),
        "candidacies": [
            {
                "workshop": c.workshop_id,
                "suitability": c.suitability,
                "status": c.status,
                "reason": c.reason,
                "decided_by": c.decided_by_name,
                "decided_at": c.decided_at,
            }
            for c in Candidacy.objects.filter(person=person)
        ],
    }


def _organization_snapshot(organization):
    return {
        "id": organization.pk,
        **_field_values(organization),
        "created_at": organization.created_at,
        "focus_areas": sorted(organization.focus_areas.values_list("code", flat=True)),
        "affiliations": list(organization.affiliations.values_list("person_id", flat=True)),
        "children": list(organization.children.values_list("pk", flat=True)),
    }


def _job_key(job):
    return (
        job.organization_id,
        " ".join(job.title.casefold().split()),
        " ".join(job.title_zh.split()),
        job.start_date,
        job.end_date,
        job.is_current,
    )


def _contact_key(kind, value):
    value = value.strip()
    return normalize_email(value) if kind == ContactMethod.Kind.EMAIL else value


def _merge_contact_methods(survivor, duplicate, values, *, by, reason):
    """One row per contact value; primaries: the chosen value, else the survivor's, else the duplicate's."""
    held = {(c.kind, _contact_key(c.kind, c.value)): c for c in survivor.contact_methods.all()}
    former_primaries = {}
    for method in duplicate.contact_methods.all():
        key = (method.kind, _contact_key(method.kind, method.value))
        existing = held.get(key)
        if method.is_primary:
            former_primaries.setdefault(method.kind, key)
        if existing is not None:
            changed = False
            if method.last_confirmed and (existing.last_confirmed or dt.date.min) < method.last_confirmed:
                existing.last_confirmed, changed = method.last_confirmed, True
            for name in ("label", "source"):
                if not getattr(existing, name) and getattr(method, name):
                    setattr(existing, name, getattr(method, name))
                    changed = True
            if changed:
                _save_with_reason(existing, by, reason)
            _delete_with_reason(method, by, reason)
            continue
        method.person, method.is_primary = survivor, False
        _save_with_reason(method, by, reason)
        held[key] = method
    for choice, kind in PERSON_MERGE_CONTACTS.items():
        kind_methods = {key: method for key, method in held.items() if key[0] == kind}
        chosen = (kind, _contact_key(kind, values.get(choice) or ""))
        current = next((key for key, method in kind_methods.items() if method.is_primary), None)
        wanted = next((key for key in (chosen, current, former_primaries.get(kind)) if key in kind_methods), None)
        # Demote before promoting: one primary per kind holds after every statement.
        for key, method in kind_methods.items():
            if method.is_primary and key != wanted:
                method.is_primary = False
                _save_with_reason(method, by, reason)
        if wanted is not None and not kind_methods[wanted].is_primary:
            kind_methods[wanted].is_primary = True
            _save_with_reason(kind_methods[wanted], by, reason)


def _decision_order(candidacy):
    """Later decisions sort higher: a decided candidacy over an undecided one, then by when."""
    return (candidacy.decided_at is not None, candidacy.decided_at or candidacy.updated_at, candidacy.updated_at)


def _merge_candidacies(survivor, duplicate, *, by):

    decision = [
        "suitability",
        "reason",
        "status",
        "decided_by_id",
        "decided_by_name",
        "decided_at",
        "shortlisted_at",
        "invited_at",
        "answered_at",
        "declined_reason",
    ]
    held = {candidacy.workshop_id: candidacy for candidacy in Candidacy.objects.filter(person=survivor)}
    for candidacy in Candidacy.objects.filter(person=duplicate):
        kept = held.get(candidacy.workshop_id)
        if kept is None:
            candidacy.person = survivor
            candidacy.version += 1
            _save_with_reason(candidacy, by, gettext("Moved from %(name)s (merged)") % {"name": duplicate})
            continue
        later, earlier = (candidacy, kept) if _decision_order(candidacy) > _decision_order(kept) else (kept, candidacy)
        reason = gettext("Merged; the later decision kept; the other: %(suitability)s, %(status)s, %(when)s") % {
            "suitability": earlier.get_suitability_display(),
            "status": earlier.get_status_display(),
            "when": earlier.decided_at.date().isoformat() if earlier.decided_at else "—",
        }
        for name in decision:
            setattr(kept, name, getattr(later, name))
        kept.version += 1
        _save_with_reason(kept, by, reason)
        # Its own history keeps every decision it held, deletion included.
        _delete_with_reason(candidacy, by, gettext("Merged into the candidacy of %(name)s") % {"name": survivor})


def _move_other_relations(model, survivor, duplicate, *, handled, by=None, reason=""):
    """Relations to ``model`` added by other code than the merge knows (outreach's interactions,
    the privacy app's records...): moved as they are. Rows of a model that keeps a history
    (simple-history) are saved one by one, each with a history row naming the merge; the rest
    move in one UPDATE."""
    for relation in model._meta.related_objects:
        if relation.get_accessor_name() in handled:
            continue
        related_model = relation.related_model
        related = related_model._base_manager
        if relation.many_to_many:
            getattr(survivor, relation.get_accessor_name()).add(*getattr(duplicate, relation.get_accessor_name()).all())
        elif _keeps_history(related_model):
            for row in related.filter(**{relation.field.name: duplicate}).order_by("pk"):
                setattr(row, relation.field.name, survivor)
                _save_with_reason(row, by, reason)
        else:
            related.filter(**{relation.field.name: duplicate}).update(**{relation.field.name: survivor})


def _keeps_history(model):
    """Whether simple-history records ``model``'s changes (a ``HistoricalRecords`` on it)."""
    return hasattr(model._meta, "simple_history_manager_attribute")


def _move_distinct_pairs(kind, survivor, duplicate):
    """ "Not a duplicate" marks of the duplicate hold for the merged record too."""

    marks = DistinctPair.objects.filter(Q(first_id=duplicate.pk) | Q(second_id=duplicate.pk), kind=kind)
    for mark in list(marks):
        other = mark.second_id if mark.first_id == duplicate.pk else mark.first_id
        mark.delete()
        if other != survivor.pk:
            low, high = sorted([other, survivor.pk])
            DistinctPair.objects.get_or_create(kind=kind, first_id=low, second_id=high)
