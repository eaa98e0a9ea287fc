"""Reads for the outreach screens: the contacts to reconfirm, and the overview's figures.

Every read that lists or counts people goes through ``Person.objects.visible_to(user)``.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone

from conference.models import Appearance, Candidacy, Event
from outreach.regions import people_by_region
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


def wrong_email_holders():
    """Ids of people holding an e-mail marked wrong or bounced (few), as a subquery."""
    return ContactMethod.objects.filter(kind=ContactMethod.Kind.EMAIL, marked_wrong=True).values("person_id")


def due_for_reconfirmation(user, *, today=None):
    """Contactable people ``user`` may see, last confirmed before ``reconfirm_before`` (or never),
    or holding an e-mail marked wrong or bounced. Unordered."""
    return (
        Person.objects.visible_to(user)
        .contactable()
        .filter(
            Q(last_confirmed__isnull=True)
            | Q(last_confirmed__lt=reconfirm_before(today))
            | Q(pk__in=wrong_email_holders())
        )
    )


class ReconfirmList:
    """The people to reconfirm in their order, read a slice at a time (for a ``Paginator``).

    First the candidates (open candidacy) of upcoming workshops, the soonest workshop first
    (planned ones without dates after the dated): few, read and sorted at once. Then everyone
    else, the oldest confirmation first (never confirmed before all), then by name, read from
    the database a page at a time. Each person read carries ``next_workshop`` (or None).
    """

    def __init__(self, people, *, today=None):
        candidacies = (
            Candidacy.objects.filter(
                person__in=people, status__in=OPEN_STATUSES, workshop__in=upcoming_workshops(today)
            )
            .select_related("person__last_confirmed_by", "workshop")
            .order_by("pk")
        )
        nearest = {}
        for candidacy in candidacies:
            start = candidacy.workshop.start_date
            key = (start is None, start or dt.date.max, candidacy.workshop_id)
            if candidacy.person_id not in nearest or key < nearest[candidacy.person_id][0]:
                nearest[candidacy.person_id] = (key, candidacy)
        ranked = []
        for key, candidacy in nearest.values():
            person = candidacy.person
            person.next_workshop = candidacy.workshop
            confirmed = (person.last_confirmed is not None, person.last_confirmed or dt.date.min)
            ranked.append(((key, confirmed, person.full_name, person.pk), person))
        self.candidates = [person for _key, person in sorted(ranked, key=lambda pair: pair[0])]
        self.others = (
            people.exclude(pk__in=[person.pk for person in self.candidates])
            .select_related("last_confirmed_by")
            .order_by(F("last_confirmed").asc(nulls_first=True), "full_name", "pk")
        )

    def count(self):
        return len(self.candidates) + self.others.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        rows = self.candidates[start:stop]
        if stop is None or stop > len(self.candidates):
            first = max(start - len(self.candidates), 0)
            last = None if stop is None else stop - len(self.candidates)
            others = list(self.others[first:last])
            for person in others:
                person.next_workshop = None
            rows += others
        return rows

    def __iter__(self):
        return iter(self[0:None])


def people_to_reconfirm(user, *, today=None):
    """People ``user`` may see whose contact details need confirming, the most needed first (``ReconfirmList``).

    Listed: last confirmed before ``reconfirm_before`` (or never), or holding an e-mail marked
    wrong or bounced; do-not-contact people are left out. Order: see ``ReconfirmList``.
    """
    return ReconfirmList(due_for_reconfirmation(user, today=today), today=today)


def reconfirm_columns(people):
    """Give each of ``people`` (a page) ``primary_email`` and ``wrong_email``. One query."""
    emails = ContactMethod.objects.filter(person__in=[person.pk for person in people], kind=ContactMethod.Kind.EMAIL)
    by_person = {}
    for method in emails.order_by("-is_primary", "pk"):
        by_person.setdefault(method.person_id, []).append(method)
    for person in people:
        methods = by_person.get(person.pk, [])
        person.primary_email = methods[0].value if methods else ""
        person.wrong_email = any(method.marked_wrong for method in methods)
    return people


# --- The overview's figures: each returns the rows of one chart's table. ---


@dataclass
class AreaCoverage:
    area: ExpertiseArea
    people: int  # visible people holding the area or one below it
    upcoming_workshops: int  # upcoming workshops with a theme at or below the area


class CountDistinct(Func):
    """``COUNT(DISTINCT expr)`` as a plain expression: a whole subquery's count, with no GROUP BY."""

    function = "COUNT"
    template = "COUNT(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def expertise_coverage(user, *, today=None, invisible=None):
    """Top-level expertise areas: how many people ``user`` may see hold each (the area or one below
    it), and how many upcoming workshops ask for it (a theme at or below it).

    One counting subquery per top-level area: PostgreSQL counts a dozen narrow sets faster than
    it groups 350,000 expertise links by their top-level area (100,000 people: 262 against 620 ms).
    Three queries (two with ``invisible``, the ids of ``invisible_person_ids``).
    """
    step = ExpertiseArea.steplen
    holders = PersonExpertise.objects.filter(area__path__startswith=OuterRef("path"))
    if invisible is None:
        invisible = invisible_person_ids(user)
    if invisible:
        # The few people not seen as a list: a subquery inside each area's count cost seconds.
        holders = holders.exclude(person_id__in=invisible)
    holders = holders.order_by().annotate(people=CountDistinct("person_id")).values("people")
    roots = list(ExpertiseArea.objects.filter(depth=1).annotate(people=Subquery(holders)))
    themes = (
        Event.themes.through.objects.filter(event__in=upcoming_workshops(today))
        .annotate(top=Substr("expertisearea__path", 1, step))
        .values("top")
        .annotate(workshops=Count("event", distinct=True))
    )
    workshops = {row["top"]: row["workshops"] for row in themes}
    return [AreaCoverage(root, root.people or 0, workshops.get(root.path, 0)) for root in roots]


def pipeline_counts(workshop, user, *, invisible=None):
    """``(status, label, count)`` of ``workshop``'s candidacies of people ``user`` may see.

    In the invitation's order; empty without a workshop. One query (two without ``invisible``,
    the ids of ``invisible_person_ids``)."""
    if workshop is None:
        return []
    if invisible is None:
        invisible = invisible_person_ids(user)
    rows = Candidacy.objects.filter(workshop=workshop).exclude(person_id__in=invisible)
    rows = rows.order_by().values("status").annotate(count=Count("pk"))
    counts = {row["status"]: row["count"] for row in rows}
    return [(status.value, status.label, counts.get(status.value, 0)) for status in Candidacy.Status]


def next_workshop(today=None):
    """The upcoming workshop starting soonest (a dated one before those planned without dates)."""
    return upcoming_workshops(today).order_by(F("start_date").asc(nulls_last=True), "pk").first()


def invisible_person_ids(user):
    """Primary keys of the people outside ``Person.objects.visible_to(user)``: the hidden (sensitive,
    for those who may not see them) and the erased. Few; one query on two small partial indexes."""
    outside = Q(erased_at__isnull=False)
    if not Person.objects.sees_sensitive(user):
        outside |= Q(sensitive=True)
    return sorted(Person.objects.filter(outside).order_by().values_list("pk", flat=True))


@dataclass
class CountryFigures:
    """Counts of the people ``user`` may see from one country ("" for none)."""

    country: str
    people: int
    current: int  # contactable, confirmed since ``reconfirm_before``
    stale: int  # contactable, confirmed before it
    never: int  # contactable, never confirmed
    wrong_email: int  # contactable, holding an e-mail marked wrong or bounced


def people_by_country(user, *, today=None):
    """``CountryFigures`` for every country of the people ``user`` may see: one pass over the people
    (the country chart, the region chart and the reconfirm chart all come from it). One query."""
    before = reconfirm_before(today)
    contactable = Q(do_not_contact=False)
    rows = (
        Person.objects.visible_to(user)
        .order_by()
        .values("country")
        .annotate(
            people=Count("pk"),
            current=Count("pk", filter=contactable & Q(last_confirmed__gte=before)),
            stale=Count("pk", filter=contactable & Q(last_confirmed__lt=before)),
            never=Count("pk", filter=contactable & Q(last_confirmed__isnull=True)),
            wrong_email=Count("pk", filter=contactable & Q(pk__in=wrong_email_holders())),
        )
    )
    return [
        CountryFigures(
            row["country"] or "", row["people"], row["current"], row["stale"], row["never"], row["wrong_email"]
        )
        for row in rows
    ]


def contacts_by_country(figures, *, top=15):
    """``(country code, count)`` from ``people_by_country``: the ``top`` largest countries, then the
    rest as one row ``("", count)`` (no country included there)."""
    known = sorted(((row.country, row.people) for row in figures if row.country), key=lambda r: (-r[1], r[0]))
    rest = sum(count for _code, count in known[top:]) + sum(row.people for row in figures if not row.country)
    return known[:top] + ([("", rest)] if rest else [])


def contacts_by_region(figures):
    """``(continent, sub-region, count)`` from ``people_by_country`` (see ``regions.people_by_region``)."""
    totals = {}
    for row in figures:
        totals[row.country] = totals.get(row.country, 0) + row.people
    return people_by_region(totals)


def conferences_per_year(user, *, invisible=None):
    """``(year, conferences, speakers)``: conferences we attended each year, and the distinct people
    ``user`` may see who spoke at them. Two queries (three without ``invisible``, the ids of
    ``invisible_person_ids``).

    The people not seen are left out by their few ids: "one of the visible people" made
    PostgreSQL hash all 100,000 people for it (190 against 85 ms).
    """
    if invisible is None:
        invisible = invisible_person_ids(user)
    conferences = (
        Event.objects.conferences()
        .annotate(year=ExtractYear("start_date"))
        .order_by()
        .values("year")
        .annotate(count=Count("pk"))
    )
    appearances = Appearance.objects.filter(session__event__kind=Event.Kind.CONFERENCE, person__isnull=False)
    if invisible:
        appearances = appearances.exclude(person_id__in=invisible)
    speakers = (
        appearances.annotate(year=ExtractYear("session__event__start_date"))
        .order_by()
        .values("year")
        .annotate(count=Count("person", distinct=True))
    )
    spoke = {row["year"]: row["count"] for row in speakers}
    return sorted((row["year"], row["count"], spoke.get(row["year"], 0)) for row in conferences)


def reconfirm_counts(figures):
    """How the contactable people stand, from ``people_by_country``: confirmed recently, confirmed
    too long ago, never confirmed, and (across those) with an e-mail marked wrong."""
    return {key: sum(getattr(row, key) for row in figures) for key in ("current", "stale", "never", "wrong_email")}
