"""Retention: how long each kind of record is kept, and the people due for a review.

The periods are ``settings.LIAISON_RETENTION_YEARS`` (README.md, "Personal data"). A person is
due for review when, for the person's period, nothing has happened: no appearance, candidacy
or interaction (whichever of those exist in this installation: the relations are found on
``Person._meta``, so an app added later is counted without a change here), no new record, no
confirmation of the details and no earlier review. People under a legal hold and erased
people are never due.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from partners.models import Person

# Which related rows count as activity, and the date that says when (``None``: the model's first
# date or datetime field). Keyed by "app_label.model"; a model not installed is skipped.
ACTIVITY_DATES = {
    "conference.appearance": "session__starts_at",
    "conference.candidacy": "updated_at",
    "outreach.interaction": None,
}
DEFAULT_YEARS = {"person": 5, "accesslog": 5, "exportlog": 5}


def retention_years(kind):
    """The retention period of ``kind`` ("person", "accesslog", "exportlog") in years."""
    configured = getattr(settings, "LIAISON_RETENTION_YEARS", {})
    return int(configured.get(kind, DEFAULT_YEARS[kind]))


def cutoff(kind, *, now=None):
    """The instant before which a record of ``kind`` is past its retention period."""
    now = now or timezone.now()
    # 365.25 days a year: close enough for a review list, no calendar arithmetic on 29 February.
    return now - dt.timedelta(days=round(365.25 * retention_years(kind)))


def first_date_field(model):
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateField):  # DateTimeField is a DateField
            return field.name
    return None


def activity_relations():
    """``(model, person lookup, date path)`` for each installed kind of activity pointing at people."""
    relations = []
    for relation in Person._meta.related_objects:
        model = relation.related_model
        label = model._meta.label_lower
        if label not in ACTIVITY_DATES:
            continue
        date_path = ACTIVITY_DATES[label] or first_date_field(model)
        if date_path is None:
            continue
        relations.append((model, relation.field.name, date_path))
    return relations


def with_last_activity(people):
    """``people`` annotated ``last_<model>`` (latest activity date of each kind, or ``None``)."""
    annotations = {}
    for model, person_field, date_path in activity_relations():
        latest = (
            model._default_manager.filter(**{person_field: OuterRef("pk")})
            .order_by()
            .values(person_field)
            .annotate(latest=Max(date_path))
            .values("latest")
        )
        annotations[f"last_{model._meta.model_name}"] = Subquery(latest[:1])
    return people.annotate(**annotations)


def last_activity(person):
    """The latest of a ``with_last_activity`` person's activity dates, as an aware datetime (or ``None``)."""
    dates = []
    for model, _field, _path in activity_relations():
        value = getattr(person, f"last_{model._meta.model_name}", None)
        if isinstance(value, dt.datetime):
            dates.append(value)
        elif isinstance(value, dt.date):
            dates.append(timezone.make_aware(dt.datetime.combine(value, dt.time.min)))
    return max(dates, default=None)


def people_due_for_review(people, *, now=None):
    """Those of ``people`` (a Person queryset) with nothing recorded for them in the person retention period.

    Left out: erased people, people under a legal hold, people created, confirmed or reviewed
    within the period, and people with any activity (``activity_relations``) within it.
    Oldest records first.
    """
    since = cutoff("person", now=now)
    due = people.filter(erased_at__isnull=True, legal_hold=False, created_at__lt=since)
    due = due.filter(Q(last_confirmed__isnull=True) | Q(last_confirmed__lt=timezone.localdate(since)))
    due = due.filter(Q(retention_reviewed_at__isnull=True) | Q(retention_reviewed_at__lt=since))
    for model, person_field, date_path in activity_relations():
        recent = model._default_manager.filter(**{person_field: OuterRef("pk"), f"{date_path}__gte": since})
        due = due.exclude(Exists(recent))
    return due.order_by("created_at", "pk")
