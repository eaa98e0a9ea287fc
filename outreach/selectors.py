"""Reads for the outreach screens: the contacts to reconfirm, and the overview's figures.

Every read that lists or counts people goes through ``Person.objects.visible_to(user)``.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone

from conference.models import Appearance, Candidacy, Event
from partners.models import ContactMethod, ExpertiseArea, Person, PersonExpertise

OPEN_STATUSES = [
    Candidacy.Status.IDENTIFIED,
    Candidacy.Status.SHORTLISTED,
    Candidacy.Status.INVITED,
    Candidacy.Status.CONFIRMED,
]


def reconfirm_before(today=None):
    """The date before which a confirmation is too old (``LIAISON_RECONFIRM_AFTER_DAYS``, default two years)."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=settings.LIAISON_RECONFIRM_AFTER_DAYS)


def upcoming_workshops(today=None):
    """Our workshops not over yet: those starting today or later, and those planned without dates."""
    today = today or timezone.localdate()
    return Event.objects.workshops().filter(Q(start_date__gte=today) | Q(start_date__isnull=True))


def people_to_reconfirm(user, *, today=None):
    """People ``user`` may see whose contact details need confirming, the most needed first.

    Listed: last confirmed before ``reconfirm_before`` (or never), or holding an e-mail marked
    wrong or bounced. Do-not-contact people are left out. Ordered: candidates (open
    candidacy) of an upcoming workshop first, the soonest workshop first (planned ones
    without dates after the dated), then the oldest confirmation (never first), then name.
    Each person is annotated with ``wrong_email``, ``primary_email``, ``next_workshop_id``
    and ``next_workshop_start``. One query (plus the caller's count).
    """
    today = today or timezone.localdate()
    wrong = ContactMethod.objects.filter(person=OuterRef("pk"), kind=ContactMethod.Kind.EMAIL, marked_wrong=True)
    candidacies = Candidacy.objects.filter(
        person=OuterRef("pk"), status__in=OPEN_STATUSES, workshop__in=upcoming_workshops(today)
    ).order_by(F("workshop__start_date").asc(nulls_last=True), "workshop_id")
    primary = ContactMethod.objects.filter(person=OuterRef("pk"), kind=ContactMethod.Kind.EMAIL).order_by(
        "-is_primary", "pk"
    )
    return (
        Person.objects.visible_to(user)
        .contactable()
        .annotate(wrong_email=Exists(wrong))
        .filter(Q(last_confirmed__isnull=True) | Q(last_confirmed__lt=reconfirm_before(today)) | Q(wrong_email=True))
        .annotate(
            next_workshop_id=Subquery(candidacies.values("workshop_id")[:1]),
            next_workshop_start=Subquery(candidacies.values("workshop__start_date")[:1]),
            primary_email=Subquery(primary.values("value")[:1]),
        )
        .select_related("last_confirmed_by")
        .order_by(
            Case(When(next_workshop_id__isnull=False, then=0), default=1),
            F("next_workshop_start").asc(nulls_last=True),
            "next_workshop_id",
            F("last_confirmed").asc(nulls_first=True),
            "full_name",
            "pk",
        )
    )


# --- The overview's figures: each returns the rows of one chart's table. ---


@dataclass
class AreaCoverage:
    area: ExpertiseArea
    people: int  # visible people holding the area or one below it
    upcoming_workshops: int  # upcoming workshops with a theme at or below the area


def expertise_coverage(user, *, today=None):
    """Top-level expertise areas: how many people ``user`` may see hold each, and how many
    upcoming workshops ask for it (a theme at or below it). Three queries."""
    step = ExpertiseArea.steplen
    roots = list(ExpertiseArea.objects.filter(depth=1))
    holders = (
        PersonExpertise.objects.filter(person__in=Person.objects.visible_to(user))
        .annotate(top=Substr("area__path", 1, step))
        .values("top")
        .annotate(people=Count("person", distinct=True))
    )
    people = {row["top"]: row["people"] for row in holders}
    themes = (
        Event.themes.through.objects.filter(event__in=upcoming_workshops(today))
        .annotate(top=Substr("expertisearea__path", 1, step))
        .values("top")
        .annotate(workshops=Count("event", distinct=True))
    )
    workshops = {row["top"]: row["workshops"] for row in themes}
    return [AreaCoverage(root, people.get(root.path, 0), workshops.get(root.path, 0)) for root in roots]


def pipeline_counts(workshop, user):
    """``(status, label, count)`` of ``workshop``'s candidacies of people ``user`` may see.

    In the invitation's order; empty without a workshop. One query."""
    if workshop is None:
        return []
    rows = (
        Candidacy.objects.filter(workshop=workshop, person__in=Person.objects.visible_to(user))
        .values("status")
        .annotate(count=Count("pk"))
    )
    counts = {row["status"]: row["count"] for row in rows}
    return [(status.value, status.label, counts.get(status.value, 0)) for status in Candidacy.Status]


def next_workshop(today=None):
    """The upcoming workshop starting soonest (a dated one before those planned without dates)."""
    return upcoming_workshops(today).order_by(F("start_date").asc(nulls_last=True), "pk").first()


def contacts_by_country(user, *, top=15):
    """``(country code, count)`` of the people ``user`` may see, the ``top`` largest and then
    the rest as one row ``("", count)`` (no country included there). One query."""
    rows = list(Person.objects.visible_to(user).order_by().values("country").annotate(count=Count("pk")))
    known = sorted(((row["country"], row["count"]) for row in rows if row["country"]), key=lambda r: (-r[1], r[0]))
    rest = sum(count for _code, count in known[top:]) + sum(row["count"] for row in rows if not row["country"])
    return known[:top] + ([("", rest)] if rest else [])


def conferences_per_year(user):
    """``(year, conferences, speakers)``: conferences we attended each year, and the distinct people
    ``user`` may see who spoke at them. Two queries."""
    conferences = (
        Event.objects.conferences()
        .annotate(year=ExtractYear("start_date"))
        .order_by()
        .values("year")
        .annotate(count=Count("pk"))
    )
    speakers = (
        Appearance.objects.filter(
            session__event__kind=Event.Kind.CONFERENCE, person__in=Person.objects.visible_to(user)
        )
        .annotate(year=ExtractYear("session__event__start_date"))
        .order_by()
        .values("year")
        .annotate(count=Count("person", distinct=True))
    )
    spoke = {row["year"]: row["count"] for row in speakers}
    return sorted((row["year"], row["count"], spoke.get(row["year"], 0)) for row in conferences)


def reconfirm_counts(user, *, today=None):
    """How the contactable people ``user`` may see stand: confirmed recently, confirmed too long ago,
    never confirmed, and (across those) with an e-mail marked wrong. One query."""
    before = reconfirm_before(today)
    wrong = ContactMethod.objects.filter(person=OuterRef("pk"), kind=ContactMethod.Kind.EMAIL, marked_wrong=True)
    return (
        Person.objects.visible_to(user)
        .contactable()
        .aggregate(
            current=Count("pk", filter=Q(last_confirmed__gte=before)),
            stale=Count("pk", filter=Q(last_confirmed__lt=before)),
            never=Count("pk", filter=Q(last_confirmed__isnull=True)),
            wrong_email=Count("pk", filter=Exists(wrong)),
        )
    )
