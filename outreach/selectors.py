"""Reads for the outreach screens: the contacts to reconfirm, and the overview's figures.

Every read that lists or counts people goes through ``Person.objects.visible_to(user)``.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, When
from django.utils import timezone

from conference.models import Candidacy, Event
from partners.models import ContactMethod, Person

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
