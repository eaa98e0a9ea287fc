"""Writes about personal data: consent stamps, retention reviews, log pruning and erasure on request."""

import json
import re

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import ContactMethod, ExportLog, Person
from privacy.models import AccessLog, ErasureRecord
from privacy.retention import cutoff

# What an erased person's record says instead of a name (stored text, the same in every language).
ERASED_NAME = "Erased speaker"
ERASED_NAME_ZH = "已刪除的講者"
# What replaces the erased person's name, e-mail or phone wherever else it was written.
ERASED_TEXT = "[已刪除 erased]"
# Related rows an erasure keeps (pointing at the anonymised person); every other row pointing
# at the person is deleted. The conference's record: "a speaker of organization X spoke at session Y".
KEPT_RELATIONS = {"conference.appearance"}
# Shorter names are not searched for in other records' free text (too many false hits).
MIN_NAME_LENGTH = 2


class ErasureRefused(Exception):
    """An erasure that may not happen (legal hold, already erased); the message says why."""


def record_consent_change(person, *, by):
    """Stamp ``person``'s consent as recorded now by ``by`` (not saved: the caller saves the change)."""
    person.consent_changed_at = timezone.now()
    person.consent_changed_by = by if by is not None and by.is_authenticated else None


@transaction.atomic
def mark_reviewed(people, *, by):
    """Keep ``people`` (a Person queryset) for another retention period: stamp the review; return the count."""
    count = 0
    now = timezone.now()
    for person in people.select_for_update():
        person.retention_reviewed_at = now
        person._history_user = by
        person._change_reason = "Retention review: kept"
        person.save(update_fields=["retention_reviewed_at"])
        count += 1
    return count


@transaction.atomic
def prune_logs(*, now=None, dry_run=False):
    """Delete access- and export-log entries past their retention period; return the counts by log.

    Erasure records are kept whatever their age.
    """
    counts = {}
    for kind, model in (("accesslog", AccessLog), ("exportlog", ExportLog)):
        old = model.objects.filter(created_at__lt=cutoff(kind, now=now))
        counts[kind] = old.count() if dry_run else old.delete()[0]
    return counts


# -- erasure on request ---------------------------------------------------------------------------


def identifying_texts(person):
    """The texts that identify ``person``: names in both scripts and every contact value."""
    texts = {person.full_name, person.name_zh}
    if person.given_name and person.family_name:
        texts |= {f"{person.given_name} {person.family_name}", f"{person.family_name}, {person.given_name}"}
    texts |= set(ContactMethod.objects.filter(person=person).values_list("value", flat=True))
    # How JSON stores a non-ASCII text by default ("\u6fa4…"): admin-log messages, filters.
    texts |= {json.dumps(text)[1:-1] for text in set(texts)}
    return sorted({t.strip() for t in texts if t and len(t.strip()) >= MIN_NAME_LENGTH}, key=len, reverse=True)


def identifying_pattern(texts):
    """A case-insensitive pattern finding ``texts``; a Latin name or e-mail only as a whole word
    ("Ana Li" in "Ana Li spoke", not in "Banana Lime"). CJK names have no word boundaries."""
    parts = []
    for text in texts:
        part = re.escape(text)
        if text[0].isascii() and text[0].isalnum():
            part = rf"(?<![0-9A-Za-z]){part}"
        if text[-1].isascii() and text[-1].isalnum():
            part = rf"{part}(?![0-9A-Za-z])"
        parts.append(part)
    return re.compile("|".join(parts), re.IGNORECASE)


def scrub(text, pattern):
    return pattern.sub(ERASED_TEXT, text)


def scrub_value(value, pattern):
    """``value`` (text, or JSON data) with every identifying text replaced; other values as they are."""
    if isinstance(value, str):
        return scrub(value, pattern)
    if isinstance(value, list):
        return [scrub_value(item, pattern) for item in value]
    if isinstance(value, dict):
        return {scrub(str(key), pattern): scrub_value(item, pattern) for key, item in value.items()}
    return value


def text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField)) and not field.primary_key
    ]


def scrub_everywhere(texts):
    """Replace ``texts`` in every text and JSON column of every table (history and logs included).

    Returns the number of rows changed by model label. One scan of each table that has text
    columns; rows are rewritten with ``QuerySet.update`` (no signals, no new history rows).
    """
    pattern = identifying_pattern(texts)
    changed = {}
    for model in apps.get_models(include_auto_created=True):
        fields = text_fields(model)
        if not fields or model._meta.proxy:
            continue
        condition, annotations = Q(pk__in=[]), {}
        for field in fields:
            lookup = field.name
            if isinstance(field, models.JSONField):
                lookup = f"_scrub_{field.name}"
                annotations[lookup] = Cast(field.name, models.TextField())
            for text in texts:
                condition |= Q(**{f"{lookup}__icontains": text})
        rows = model._default_manager.annotate(**annotations).filter(condition)
        names = [field.name for field in fields]
        for pk, *values in rows.values_list("pk", *names).iterator():
            update = {}
            for name, value in zip(names, values, strict=True):
                if value is None:
                    continue
                scrubbed = scrub_value(value, pattern)
                if scrubbed != value:
                    update[name] = scrubbed
            if update:
                model._default_manager.filter(pk=pk).update(**update)
                changed[model._meta.label] = changed.get(model._meta.label, 0) + 1
    return changed


def historical_models():
    return [model for model in apps.get_models(include_auto_created=True) if hasattr(model, "instance_type")]


def purge_history(person):
    """Delete every history row of ``person`` and of rows that belonged to them; return the counts."""
    counts = {}
    for model in historical_models():
        # The person's own versions, and those of their rows (contact details, jobs, expertise,
        # candidacies, the history of their languages …).
        condition = Q(pk__in=[])
        if model.instance_type is Person:
            condition |= Q(id=person.pk)
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Person:
                condition |= Q(**{field.attname: person.pk})
        if condition == Q(pk__in=[]):
            continue
        deleted, _by_model = model._default_manager.filter(condition).delete()
        if deleted:
            counts[model._meta.label] = deleted
    return counts


def fill_appearance_organizations(person):
    """Give each kept appearance without an organization the one the person worked for then (when it is clear).

    Once the jobs are gone, "a speaker of organization X" is all the appearance says of its speaker.
    """
    for appearance in person.appearances.filter(organization__isnull=True).select_related("session"):
        day = timezone.localdate(appearance.session.starts_at) if appearance.session.starts_at else None
        jobs = person.affiliations.all()
        if day is not None:
            jobs = jobs.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=day)
            )
        organizations = {job.organization_id for job in jobs}
        if len(organizations) == 1:
            appearance.organization_id = organizations.pop()
            appearance.save(update_fields=["organization"])


def remove_related_rows(person):
    """Delete (or unlink) every row pointing at ``person`` except the kept relations; return the counts."""
    counts = {}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if model._meta.label_lower in KEPT_RELATIONS or getattr(model, "instance_type", None) is not None:
            continue
        if model._meta.label_lower == "privacy.accesslog":
            continue  # the access log names people by id only; it stays
        if relation.many_to_many:
            getattr(person, relation.get_accessor_name()).clear()
            continue
        if model._meta.auto_created:
            continue
        deleted, _by_model = model._default_manager.filter(**{relation.field.name: person}).delete()
        if deleted:
            counts[model._meta.label] = deleted
    person.languages.clear()
    return counts


@transaction.atomic
def erase_person(person, *, reason, by):
    """Erase ``person``'s identity and contact details everywhere, in one transaction; return the audit record.

    - refused (``ErasureRefused``) under a legal hold, or when already erased, or without a reason;
    - the person's row stays, anonymised ("Erased speaker" / 「已刪除的講者」, every other
      identifying field blank, a new identifier, never to be contacted) and is left out of every
      list, search, export and the finder (``PersonQuerySet.visible_to``);
    - appearances stay, pointing at that row, with their organization (filled in from the job
      held then when missing) and the affiliation as printed: the conference's record;
    - every other row pointing at the person is deleted (jobs, contact details, expertise and its
      notes, candidacies, interactions …), and every history row of the person and of those rows;
    - the person's names, e-mails and phones are replaced by "[已刪除 erased]" in every other text
      and JSON column of the database (free-text notes, session summaries, the admin log, the
      export log's stored filters, access-log reasons …);
    - one ``ErasureRecord`` says who erased which person (by id) and why; it is kept.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ErasureRefused(_("Give the reason for the erasure (e.g. the request's date and reference)."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise ErasureRefused(_("Person #%(id)s has already been erased.") % {"id": person.pk})
    if person.legal_hold:
        raise ErasureRefused(
            _("Person #%(id)s is under a legal hold and cannot be erased; lift the hold first.") % {"id": person.pk}
        )

    texts = identifying_texts(person)
    fill_appearance_organizations(person)
    removed = remove_related_rows(person)
    removed.update({f"history: {label}": count for label, count in purge_history(person).items()})

    person.full_name, person.name_zh = ERASED_NAME, ERASED_NAME_ZH
    for field in ["given_name", "family_name", "honorific", "bio", "source", "notes"]:
        setattr(person, field, "")
    person.country = ""
    person.last_confirmed = None
    person.consent = Person.Consent.UNKNOWN
    person.consent_changed_at = timezone.now()
    person.consent_changed_by = by if by is not None and by.is_authenticated else None
    person.do_not_contact = True
    person.erased_at = timezone.now()
    person.uuid = Person._meta.get_field("uuid").default()
    person.version += 1
    person._history_user = by if by is not None and by.is_authenticated else None
    person._change_reason = "Erased on request"
    person.save()

    pattern = identifying_pattern(texts)
    scrubbed = scrub_everywhere(texts) if texts else {}
    removed.update({f"scrubbed: {label}": count for label, count in scrubbed.items()})
    return ErasureRecord.objects.create(
        person_id_erased=person.pk,
        user=by if by is not None and by.is_authenticated else None,
        username=by.get_username() if by is not None and by.is_authenticated else "command",
        reason=scrub(reason, pattern) if texts else reason,
        removed=removed,
    )
