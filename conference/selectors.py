"""Reads for the conference screens: candidates ranked by fit, a workshop's shortlist, a candidacy's decisions.

Every function that lists people goes through ``Person.objects.visible_to(user)``;
the candidate lists also leave out do-not-contact people.
"""

import operator
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, reduce

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone

from conference.models import Appearance, Candidacy, Event
from conference.ranking import PARTS, RankingPlan, ScoreParts
from partners import textsearch
from partners.models import Affiliation, ExpertiseArea, Person, PersonExpertise
from partners.protection import with_visible_people
from partners.selectors import contains_in_any_case


@dataclass
class MatchedArea:
    """An area a person holds, whether it is a theme itself, and the themes it is below."""

    area: ExpertiseArea
    exact: bool
    themes: list[ExpertiseArea]


@dataclass
class Evidence:
    """One line of a candidate's why: a session they spoke at (or a note) and the matched areas it shows.

    A session is dated in the event's own time zone (the USCIS panel on 16 March in Miami,
    not 17 March as in Taipei); ``home_start`` is the start in Taipei time, for a tooltip.
    """

    appearance: Appearance | None
    note: str = ""
    areas: list[MatchedArea] = field(default_factory=list)

    @property
    def session(self):
        return self.appearance.session if self.appearance else None

    @property
    def event(self):
        return self.session.event if self.session else None

    @property
    def role(self):
        return self.appearance.get_role_display() if self.appearance else ""

    @cached_property
    def local_start(self):
        return self.session.local_start()

    @property
    def local_date(self):
        """A date, not a datetime: templates would show a datetime in Taipei time."""
        return self.local_start.date()

    @cached_property
    def home_start(self):
        return timezone.localtime(self.session.starts_at)


@dataclass
class MatchReason:
    """One matched area of a candidate, the themes it reaches and the evidence behind it."""

    area: ExpertiseArea
    exact: bool
    themes: list[ExpertiseArea] = field(default_factory=list)
    appearances: list[Appearance] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def sessions(self):
        return [appearance.session for appearance in self.appearances]


@dataclass
class CandidateRow:
    """One line of the finder: the person, their score and its parts, why, and where they stand for the workshop."""

    person: Person
    parts: ScoreParts | None
    reasons: list[MatchReason]
    candidacy: Candidacy | None
    record: list[Candidacy] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    text_matches: list = field(default_factory=list)  # a text search's WordMatches (conference.textmatch)

    SHOWN_EVIDENCE = 3

    @property
    def shown_evidence(self):
        return self.evidence[: self.SHOWN_EVIDENCE]

    @property
    def more_evidence(self):
        return max(0, len(self.evidence) - self.SHOWN_EVIDENCE)

    @property
    def score(self):
        return self.parts.score if self.parts else None

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


def _matched_links(plan):
    links = (
        PersonExpertise.objects.filter(area_id__in=plan.area_ids)
        .select_related("area", "appearance__session__event")
        .annotate(
            is_exact=Case(
                When(area_id__in=[theme.area.pk for theme in plan.themes], then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-is_exact", F("appearance__session__starts_at").desc(nulls_last=True), "area__path", "pk")
    )
    return Prefetch("expertise_links", queryset=links, to_attr="matched_links")


def _track_record(plan):
    """Each person's decisions on our other workshops that the row shows: confirmed, declined, and
    "not suitable" for a workshop sharing one of the themes."""
    others = Candidacy.objects.exclude(workshop=plan.workshop) if plan.workshop else Candidacy.objects.all()
    shared = Event.themes.through.objects.filter(event_id=OuterRef("workshop_id"), expertisearea_id__in=plan.area_ids)
    record = (
        others.filter(
            Q(status__in=[Candidacy.Status.CONFIRMED, Candidacy.Status.DECLINED])
            | Q(Exists(shared), suitability=Candidacy.Suitability.NOT_SUITABLE)
        )
        .select_related("workshop")
        .order_by("-workshop__start_date", "pk")
    )
    return Prefetch("candidacies", queryset=record, to_attr="track_record")


def ranking_plan(areas, *, workshop=None):
    """The ``RankingPlan`` for ``areas`` (one query: the areas below them)."""
    return RankingPlan(list(areas), workshop=workshop)


def candidates_for_areas(areas, *, user, people=None, workshop=None, plan=None):
    """People whose expertise fits ``areas``, best first, as a ``Person`` queryset (a whole selection).

    An area matches itself and everything below it in the taxonomy. Each person is
    annotated with the score and its parts (``conference.ranking``: ``coverage``,
    ``closeness``, ``evidence``, ``recency``, ``record``, ``score``; also ``talks``,
    ``moderated``, ``noted``, ``latest``), grouped from their matching links, and ordered
    by score, then the stronger part, then name. ``workshop`` (whose themes ``areas`` are)
    is left out of the track record. Prefetched: ``matched_links`` (``match_reasons``),
    current affiliations, ``track_record``.

    For a page of the finder use ``RankedCandidates``: it ranks from the links' side and
    reads only the page. Left out: do-not-contact people, people ``user`` may not see and
    anyone outside ``people``. Costs one query to expand ``areas`` (none with ``plan``).
    No areas, no one.
    """
    plan = plan or ranking_plan(areas, workshop=workshop)
    base = _candidate_base(people, user=user)
    if not plan:
        return base.none()
    ranked = plan.annotate(
        base.filter(expertise_links__area_id__in=plan.area_ids), link="expertise_links__", person="id"
    )
    return ranked.order_by(*RankingPlan.ordering()).prefetch_related(
        _matched_links(plan), _current_affiliations(), _track_record(plan)
    )


class RankedCandidates:
    """The finder's ranked candidates, read a page at a time: a sequence a ``Paginator`` takes.

    A page is one query joining the people left by the other filters to their links under
    the themes, grouped by person id and name only (not whole rows) with the score's parts,
    ordered and cut to the page, then one query for those people and one
    for each prefetch (links, jobs, track record, the workshop's candidacies): the same
    count for 1 row or 50. ``count()`` counts the matching people up to ``COUNT_LIMIT``;
    beyond it, it answers ``COUNT_LIMIT`` and ``count_is_capped`` says so (counting 35,000
    people to print a number nobody pages through costs more than the page).
    """

    COUNT_LIMIT = 1000

    def __init__(self, plan, *, user, people=None):
        self.plan = plan
        self.people = _candidate_base(people, user=user)
        self.count_is_capped = False
        self._count = None

    def _candidates(self):
        links = PersonExpertise.objects.filter(area_id__in=self.plan.area_ids)
        return self.people.filter(pk__in=links.values("person_id"))

    def count(self):
        if self._count is None:
            if not self.plan:
                self._count = 0
            else:
                # Stops at the first COUNT_LIMIT + 1 people found instead of finding them all.
                found = self._candidates().order_by().values("pk")[: self.COUNT_LIMIT + 1].count()
                self.count_is_capped = found > self.COUNT_LIMIT
                self._count = min(found, self.COUNT_LIMIT)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if not self.plan:
            return []
        # The people (after every other filter) joined to their links under the themes, grouped
        # by id and name only: one pass over each table, the name for the tie-break at hand.
        grouped = self.plan.annotate(
            self.people.filter(expertise_links__area_id__in=self.plan.area_ids).order_by().values("id", "full_name"),
            link="expertise_links__",
            person="id",
        )
        rows = list(
            grouped.order_by(*RankingPlan.ordering("full_name", "id")).values(
                "id", "score", "talks", "moderated", "noted", "latest", *PARTS
            )[index]
        )
        people = Person.objects.filter(pk__in=[row["id"] for row in rows]).prefetch_related(
            _matched_links(self.plan), _current_affiliations(), _track_record(self.plan)
        )
        people = with_workshop_candidacies(people, workshop=self.plan.workshop)
        by_id = {person.pk: person for person in people}
        ranked = []
        for row in rows:
            person = by_id[row["id"]]
            person.score_parts = ScoreParts.from_row(row, theme_count=len(self.plan.themes))
            ranked.append(person)
        return ranked


def ranked_candidates(areas, *, user, people=None, workshop=None, plan=None):
    """``RankedCandidates`` for ``areas``: the finder's pages (see there)."""
    return RankedCandidates(plan or ranking_plan(areas, workshop=workshop), user=user, people=people)


def candidates_for_workshop(workshop, *, user, people=None):
    """``candidates_for_areas`` for the workshop's themes (one more query to read them).

    A workshop without themes has no candidates.
    """
    return candidates_for_areas(workshop.themes.all(), user=user, people=people, workshop=workshop)


def all_candidates(*, user, people=None):
    """Every contactable person ``user`` may see, by name, unranked (``score`` None, no ``matched_links``).

    Shaped like ``candidates_for_areas`` so one screen can show either.
    """
    return (
        _candidate_base(people, user=user)
        .annotate(score=Value(None, output_field=FloatField()))
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


def match_reasons(person, plan=None):
    """Group a ranked person's ``matched_links`` by area: exact areas first, then by recency. No queries.

    With ``plan``, each reason names the themes its area reaches.
    """
    reasons = {}
    for link in getattr(person, "matched_links", []):
        reason = reasons.get(link.area_id)
        if reason is None:
            themes = plan.themes_of(link.area) if plan else []
            reason = reasons[link.area_id] = MatchReason(area=link.area, exact=link.is_exact, themes=themes)
        if link.appearance_id:
            reason.appearances.append(link.appearance)
        if link.note:
            reason.notes.append(link.note)
    return list(reasons.values())


def evidence_of(person, plan=None):
    """A ranked person's ``matched_links`` as ``Evidence`` lines: one a session (with every matched area it
    shows), one a note; the area itself first, then the most recent. No queries."""
    lines = {}
    for link in getattr(person, "matched_links", []):
        key = ("session", link.appearance_id) if link.appearance_id else ("note", link.pk)
        line = lines.get(key)
        if line is None:
            line = lines[key] = Evidence(appearance=link.appearance if link.appearance_id else None, note=link.note)
        themes = plan.themes_of(link.area) if plan else []
        line.areas.append(MatchedArea(area=link.area, exact=link.is_exact, themes=themes))
    return list(lines.values())


def candidate_rows(people, *, plan=None):
    """Finder rows for already fetched people (a page): score parts, reasons and candidacies. No queries."""
    rows = []
    for person in people:
        candidacies = getattr(person, "workshop_candidacies", [])
        rows.append(
            CandidateRow(
                person=person,
                parts=getattr(person, "score_parts", None),
                reasons=match_reasons(person, plan),
                candidacy=candidacies[0] if candidacies else None,
                record=getattr(person, "track_record", []),
                evidence=evidence_of(person, plan),
            )
        )
    return rows


# Narrowing filters for the finder. Each takes and returns a Person queryset and filters
# through a subquery, so no person appears twice and the ranking's aggregates are untouched.


def areas_named(word):
    """Areas whose English or Chinese name contains ``word`` in search form (``textsearch.fold``), and every
    area below them. The taxonomy is read once (a few thousand short names) and folded in Python, so 「T簽證」
    finds 「T 簽證」 and Simplified input finds the Traditional name."""
    word = textsearch.fold(word)
    paths = [
        path
        for path, name, name_zh in ExpertiseArea.objects.order_by().values_list("path", "name", "name_zh")
        if word in textsearch.fold(name) or word in textsearch.fold(name_zh)
    ]
    if not paths:
        return ExpertiseArea.objects.none()
    return ExpertiseArea.objects.filter(reduce(operator.or_, (Q(path__startswith=path) for path in paths)))


def people_matching_text(people, text):
    """People matching every word of ``text`` somewhere, compared in search form (``partners.textsearch``).

    Words: 「T 簽證」 and 「T簽證」 are one word, 「簽證 Mukhar」 two (``textsearch.query_words``).
    Searched: names in both scripts (the stored ``search_text``: spaces beside Chinese, full-width
    forms, 臺/台 and Simplified input folded), bio (as stored, any case; the folded word and its 臺
    form), organizations they work or worked for (name, Chinese name, acronym: as typed, folded,
    and with 台/臺 either way), and expertise (an area's English or Chinese name, folded, finds the
    people holding it or an area below it). Each word is one condition (``people_with_word``).
    """
    for word in textsearch.query_words(text):
        people = people.filter(people_with_word(word))
    return people


def people_with_word(word):
    """A ``Q`` for people with ``word`` (in search form) in their names or bio, an organization or an expertise area.

    A word of three characters or more: ``pk IN`` a UNION ALL with one branch per table, so each
    branch reads its own index (on PostgreSQL the trigram GIN indexes of ``search_text`` and
    ``UPPER(bio)``, partners migrations 0009 and 0016, and of the organizations' names, 0003).
    A shorter word has no trigram to look up, so it is one condition on each person row, names,
    bio and the ids of the other branches together: the people are read once (in parallel on
    PostgreSQL), not once per branch, and Chinese is compared without upper-casing every bio
    (``contains_in_any_case``; BENCHMARKS.md, "Candidate finder").
    """
    forms = textsearch.variants(word)
    own = reduce(operator.or_, [Q(search_text__contains=word), *(contains_in_any_case("bio", form) for form in forms)])
    organizations = Affiliation.objects.filter(
        reduce(
            operator.or_,
            (
                contains_in_any_case("organization__name", form)
                | contains_in_any_case("organization__name_zh", form)
                | contains_in_any_case("organization__acronym", form)
                for form in forms
            ),
        )
    )
    branches = [organizations.order_by().values("person_id")]
    areas = areas_named(word)
    if not areas.query.is_empty():
        branches.append(PersonExpertise.objects.filter(area__in=areas).order_by().values("person_id"))
    if len(word) < textsearch.TRIGRAM:
        return reduce(operator.or_, (Q(pk__in=branch) for branch in branches), own)
    return Q(pk__in=Person.objects.filter(own).order_by().values("pk").union(*branches, all=True))


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
