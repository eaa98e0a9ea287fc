"""Reads for the conference screens: candidates ranked by fit, a workshop's shortlist, a candidacy's decisions.

Every function that lists people goes through ``Person.objects.visible_to(user)``;
the candidate lists also leave out do-not-contact people.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference.models import Appearance, Candidacy, Event, Session
from partners.models import Affiliation, ExpertiseArea, Person, PersonExpertise
from partners.protection import with_visible_people


class Fit:
    """How well one expertise link fits the areas asked for; a candidate's score is their best link's fit.

    The area itself ranks above an area below it; within each, having spoken on it
    at a session (an appearance) ranks above a bare note.
    """

    EXACT_SPOKEN = 4
    EXACT_NOTED = 3
    BELOW_SPOKEN = 2
    BELOW_NOTED = 1

    labels = {
        EXACT_SPOKEN: _("the area itself, spoke on it"),
        EXACT_NOTED: _("the area itself, from a note"),
        BELOW_SPOKEN: _("an area below it, spoke on it"),
        BELOW_NOTED: _("an area below it, from a note"),
    }

    @classmethod
    def label(cls, score):
        return cls.labels.get(score, "")


@dataclass
class MatchReason:
    """One matched area of a candidate and the evidence behind it."""

    area: ExpertiseArea
    exact: bool
    sessions: list[Session] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class CandidateRow:
    """One line of the finder: the person, their score, why, and where they stand for the workshop."""

    person: Person
    score: int | None
    reasons: list[MatchReason]
    candidacy: Candidacy | None

    @property
    def score_label(self):
        return Fit.label(self.score)

    @property
    def organizations(self):
        return [affiliation.organization for affiliation in self.person.current_affiliations()]


def _candidate_base(people, *, user):
    people = Person.objects.all() if people is None else people
    return people.visible_to(user).contactable()


def _current_affiliations():
    return Prefetch(
        "affiliations",
        queryset=Affiliation.objects.filter(is_current=True).select_related("organization"),
    )


def candidates_for_areas(areas, *, user, people=None):
    """People whose expertise fits ``areas``, best first, as a ``Person`` queryset.

    An area matches itself and everything below it in the taxonomy. Each person is
    annotated with ``score`` (their best link's ``Fit``: the area itself above an area
    below it, an appearance above a note) and ``latest_evidence`` (the start of the
    most recent session behind a matching link, or None). Order: score, then most
    recent evidence, then name, then id.

    Each person carries ``matched_links``: their matching ``PersonExpertise`` rows with
    area, appearance, session and event loaded and ``is_exact`` set, fetched in one
    query for whatever slice is evaluated (so a page costs one extra query, never one
    per row); ``match_reasons(person)`` groups them by area. Also prefetched: current
    affiliations with their organization.

    Left out: do-not-contact people, people ``user`` may not see (sensitive) and anyone
    outside ``people`` (a ``Person`` queryset to narrow the search, e.g. by a FilterSet).
    Costs one query to expand ``areas`` into the ids below them. No areas, no one.
    """
    areas = list(areas)
    exact_ids = [area.pk for area in areas]
    matched_ids = list(ExpertiseArea.objects.under(areas).values_list("pk", flat=True)) if areas else []
    base = _candidate_base(people, user=user)
    if not matched_ids:
        return base.none()
    matching = PersonExpertise.objects.filter(area_id__in=matched_ids)
    fit = Case(
        When(area_id__in=exact_ids, appearance__isnull=False, then=Value(Fit.EXACT_SPOKEN)),
        When(area_id__in=exact_ids, then=Value(Fit.EXACT_NOTED)),
        When(appearance__isnull=False, then=Value(Fit.BELOW_SPOKEN)),
        default=Value(Fit.BELOW_NOTED),
    )
    # Each person's score and latest evidence are read from their own matching links (a few
    # entries of the (person, area, appearance) index), and only for the people every other
    # filter (country, search, …) leaves. Joining people to their links and grouping read
    # every matching link from the table, then sorted and grouped whole person rows.
    own = matching.filter(person=OuterRef("pk")).order_by().values("person")
    score = own.annotate(best=Max(fit)).values("best")
    latest = own.filter(appearance__isnull=False).annotate(latest=Max("appearance__session__starts_at"))
    links = (
        matching.select_related("area", "appearance__session__event")
        .annotate(
            is_exact=Case(
                When(area_id__in=exact_ids, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .order_by("-is_exact", F("appearance__session__starts_at").desc(nulls_last=True), "area__path", "pk")
    )
    return (
        base.filter(pk__in=matching.values("person_id"))
        .annotate(
            score=Subquery(score, output_field=IntegerField()),
            latest_evidence=Subquery(latest.values("latest"), output_field=DateTimeField()),
        )
        .order_by("-score", F("latest_evidence").desc(nulls_last=True), "full_name", "pk")
        .prefetch_related(Prefetch("expertise_links", queryset=links, to_attr="matched_links"), _current_affiliations())
    )


def candidates_for_workshop(workshop, *, user, people=None):
    """``candidates_for_areas`` for the workshop's themes (one more query to read them).

    A workshop without themes has no candidates.
    """
    return candidates_for_areas(workshop.themes.all(), user=user, people=people)


def all_candidates(*, user, people=None):
    """Every contactable person ``user`` may see, by name, unranked (``score`` None, no ``matched_links``).

    Shaped like ``candidates_for_areas`` so one screen can show either.
    """
    return (
        _candidate_base(people, user=user)
        .annotate(
            score=Value(None, output_field=IntegerField()),
            latest_evidence=Value(None, output_field=DateTimeField()),
        )
        .order_by("full_name", "pk")
        .prefetch_related(
            Prefetch("expertise_links", queryset=PersonExpertise.objects.none(), to_attr="matched_links"),
            _current_affiliations(),
        )
    )


def with_workshop_candidacies(people, *, workshop):
    """Prefetch each person's candidacy for ``workshop`` into ``workshop_candidacies`` (one query per page)."""
    candidacies = Candidacy.objects.filter(workshop=workshop) if workshop else Candidacy.objects.none()
    return people.prefetch_related(Prefetch("candidacies", queryset=candidacies, to_attr="workshop_candidacies"))


def match_reasons(person):
    """Group a ranked person's ``matched_links`` by area: exact areas first, then by recency. No queries."""
    reasons = {}
    for link in getattr(person, "matched_links", []):
        reason = reasons.setdefault(link.area_id, MatchReason(area=link.area, exact=link.is_exact))
        if link.appearance_id:
            reason.sessions.append(link.appearance.session)
        if link.note:
            reason.notes.append(link.note)
    return list(reasons.values())


def candidate_rows(people):
    """Finder rows for already fetched people (a page): score, reasons and workshop candidacy. No queries."""
    rows = []
    for person in people:
        candidacies = getattr(person, "workshop_candidacies", [])
        rows.append(
            CandidateRow(
                person=person,
                score=person.score,
                reasons=match_reasons(person),
                candidacy=candidacies[0] if candidacies else None,
            )
        )
    return rows


# Narrowing filters for the finder. Each takes and returns a Person queryset and filters
# through a subquery, so no person appears twice and the ranking's aggregates are untouched.


def areas_named(word):
    """Areas whose English or Chinese name contains ``word``, and every area below them."""
    named = ExpertiseArea.objects.filter(Q(name__icontains=word) | Q(name_zh__icontains=word))
    return ExpertiseArea.objects.filter(Exists(named.filter(StartsWith(OuterRef("path"), F("path")))))


def people_matching_text(people, text):
    """People matching every word of ``text`` somewhere.

    Searched: names in both scripts, bio, organizations they work or worked for (name,
    Chinese name, acronym), and expertise (an area's English or Chinese name finds the
    people holding it or an area below it).
    """
    for word in text.split():
        organizations = Affiliation.objects.filter(
            Q(organization__name__icontains=word)
            | Q(organization__name_zh__icontains=word)
            | Q(organization__acronym__icontains=word)
        )
        expertise = PersonExpertise.objects.filter(area__in=areas_named(word))
        people = people.filter(
            Q(full_name__icontains=word)
            | Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(name_zh__icontains=word)
            | Q(bio__icontains=word)
            | Q(pk__in=organizations.values("person_id"))
            | Q(pk__in=expertise.values("person_id"))
        )
    return people


def people_with_expertise_under(people, areas):
    """People holding any of ``areas`` or an area below one of them."""
    links = PersonExpertise.objects.filter(area__in=ExpertiseArea.objects.under(areas))
    return people.filter(pk__in=links.values("person_id"))


def people_in_country(people, country):
    """People whose own country is ``country`` (an ISO code).

    Not their organization's country: an officer posted abroad looks for people where
    they are (a Thai lawyer of a US firm is in Thailand), and a plain column keeps the
    finder's most used filter cheap.
    """
    return people.filter(country=country)


def people_working_for_kind(people, kind):
    """People currently working for an organization of ``kind`` (``Organization.Kind``)."""
    employed = Affiliation.objects.filter(is_current=True, organization__kind=kind)
    return people.filter(pk__in=employed.values("person_id"))


def people_speaking(people, language):
    """People who speak ``language``."""
    speakers = Person.languages.through.objects.filter(language=language)
    return people.filter(pk__in=speakers.values("person_id"))


def people_who_spoke_at(people, event):
    """People who appeared in a session of ``event``."""
    appearances = Appearance.objects.filter(session__event=event, person__isnull=False)
    return people.filter(pk__in=appearances.values("person_id"))


def people_by_suitability(people, *, workshop, suitabilities):
    """People whose current suitability for ``workshop`` is one of ``suitabilities``.

    "Not yet assessed" also covers people with no candidacy for the workshop.
    """
    candidacies = Candidacy.objects.filter(workshop=workshop)
    condition = Q(pk__in=candidacies.filter(suitability__in=suitabilities).values("person_id"))
    if Candidacy.Suitability.NOT_ASSESSED in suitabilities:
        condition |= ~Q(pk__in=candidacies.values("person_id"))
    return people.filter(condition)


def people_by_status(people, *, workshop, statuses):
    """People whose candidacy for ``workshop`` has one of ``statuses`` (people without one are left out)."""
    candidacies = Candidacy.objects.filter(workshop=workshop, status__in=statuses)
    return people.filter(pk__in=candidacies.values("person_id"))


# A workshop's shortlist and a candidacy's decisions.


@dataclass
class ShortlistGroup:
    """The candidacies of one suitability, with a count for each status."""

    suitability: str
    label: str
    candidacies: list[Candidacy]
    status_counts: list[tuple[str, str, int]]

    @property
    def count(self):
        return len(self.candidacies)


@dataclass
class Shortlist:
    workshop: Event
    groups: list[ShortlistGroup]
    status_totals: list[tuple[str, str, int]]
    total: int


def workshop_shortlist(workshop, *, user):
    """The workshop's candidacies grouped by suitability (suitable first), each group counted by status.

    Candidacies of people ``user`` may not see are left out. One query.
    """
    candidacies = list(
        Candidacy.objects.filter(workshop=workshop, person__in=Person.objects.visible_to(user))
        .select_related("person", "decided_by")
        .order_by("person__full_name", "pk")
    )
    order = [
        Candidacy.Suitability.SUITABLE,
        Candidacy.Suitability.POSSIBLE,
        Candidacy.Suitability.NOT_ASSESSED,
        Candidacy.Suitability.NOT_SUITABLE,
    ]
    status_rank = {status: index for index, status in enumerate(Candidacy.Status.values)}
    groups = []
    for suitability in order:
        members = sorted(
            (c for c in candidacies if c.suitability == suitability),
            key=lambda c: status_rank.get(c.status, len(status_rank)),
        )
        counts = Counter(c.status for c in members)
        groups.append(
            ShortlistGroup(
                suitability=suitability.value,
                label=suitability.label,
                candidacies=members,
                status_counts=[(status.value, status.label, counts[status.value]) for status in Candidacy.Status],
            )
        )
    totals = Counter(c.status for c in candidacies)
    return Shortlist(
        workshop=workshop,
        groups=groups,
        status_totals=[(status.value, status.label, totals[status.value]) for status in Candidacy.Status],
        total=len(candidacies),
    )


def candidacy_decisions(candidacy):
    """The candidacy's recorded states, newest first: when, by whom, suitability, status and reason. One query."""
    if candidacy is None or candidacy.pk is None:
        return []
    return list(candidacy.history.select_related("history_user").order_by("-history_date", "-history_id"))


@dataclass
class PipelineRow:
    candidacy: Candidacy
    waiting_since: object  # an aware datetime: when the candidacy reached its current open step
    days_waiting: int
    overdue: bool


@dataclass
class Pipeline:
    workshop: Event
    stages: list  # (status value, label, count) in the invitation's order
    waiting: list  # PipelineRow of shortlisted and invited candidacies, longest waiting first
    overdue_count: int


def days_between(earlier, now):
    """Whole days from ``earlier`` to ``now`` (both aware), counted in Taipei's calendar."""
    return (timezone.localdate(now) - timezone.localdate(earlier)).days


def overdue_invitation(candidacy, now):
    """Invited more than the workshop's ``reminder_after_days`` ago and still without an answer."""
    return (
        candidacy.status == Candidacy.Status.INVITED
        and candidacy.invited_at is not None
        and days_between(candidacy.invited_at, now) > candidacy.workshop.reminder_after_days
    )


def workshop_pipeline(workshop, *, user, now=None):
    """The workshop's invitations as a pipeline: a count per status, and who is waiting and for how long.

    Waiting are the shortlisted (not yet invited) and the invited (no answer yet), with the
    days since that step; an invitation is overdue after the workshop's
    ``reminder_after_days``. People ``user`` may not see are left out. One query.
    """
    now = now or timezone.now()
    candidacies = list(
        with_visible_people(Candidacy.objects.filter(workshop=workshop), user)
        .select_related("person", "workshop")
        .order_by("person__full_name", "pk")
    )
    counts = Counter(c.status for c in candidacies)
    waiting = []
    for candidacy in candidacies:
        since = {
            Candidacy.Status.SHORTLISTED: candidacy.shortlisted_at,
            Candidacy.Status.INVITED: candidacy.invited_at,
        }.get(candidacy.status)
        if since is None:
            continue
        waiting.append(
            PipelineRow(
                candidacy=candidacy,
                waiting_since=since,
                days_waiting=days_between(since, now),
                overdue=overdue_invitation(candidacy, now),
            )
        )
    waiting.sort(key=lambda row: (row.candidacy.status != Candidacy.Status.INVITED, row.waiting_since))
    return Pipeline(
        workshop=workshop,
        stages=[(status.value, status.label, counts[status.value]) for status in Candidacy.Status],
        waiting=waiting,
        overdue_count=sum(row.overdue for row in waiting),
    )


def overdue_invitations(candidacies, *, now=None):
    """The candidacies of ``candidacies`` (a queryset) invited longer ago than their workshop allows, unanswered.

    Each workshop has its own ``reminder_after_days``; the open invitations are few, so the
    days are compared here rather than in SQL (portable across SQLite and PostgreSQL). One query.
    """
    now = now or timezone.now()
    invited = candidacies.filter(status=Candidacy.Status.INVITED, invited_at__isnull=False).select_related(
        "person", "workshop"
    )
    return [candidacy for candidacy in invited.order_by("invited_at", "pk") if overdue_invitation(candidacy, now)]
